"""The saved plan, as `cart setup --show` prints it."""

from __future__ import annotations

from datetime import datetime

from rich.markup import escape
from rich.table import Table

from cart_cli.models import Plan
from cart_cli.safe_text import printable
from cart_cli.timefmt import format_date


def plan_view(plan: Plan, now: datetime) -> Table:
    day = plan.day_of(now)
    table = Table(title="Your cart set-up", title_justify="left", show_header=False)
    table.add_column("What", style="bold")
    table.add_column("Value")
    rows = [
        ("Infusion date (day 0)", f"{format_date(plan.infusion_date)} (today is day {day})"),
        ("Hospital team", plan.hospital or "not saved"),
        ("24-hour number", plan.phone or "not saved: add it with cart setup --phone NUMBER"),
        ("Diagnosis", plan.diagnosis or "not saved"),
        ("Fever threshold", f"{plan.fever_threshold_c:.1f} °C"),
        ("No driving for", f"{plan.no_driving_weeks} weeks after infusion"),
        ("Emergency number", plan.emergency_number),
        ("Reading gap", f"a temperature at least every {plan.reading_gap_hours:g} hours"),
        ("Handwriting sentence", _sentence(plan)),
        ("Nervous-system check", f"reminded daily up to day {plan.neuro_days} (cart neuro)"),
        ("Temperature reminders", f"{plan.temp_times.replace(',', ', ')} (in cart calendar)"),
        ("CAR-T product", _product(plan)),
        ("Home since", format_date(plan.home_since) if plan.home_since else "not saved"),
        ("Pints and cups", "US (a pint is 473 ml)" if plan.volume_units == "us" else "UK (a pint is 568 ml)"),
    ]
    for label, value in rows:
        table.add_row(label, escape(printable(value)))
    return table


def _product(plan: Plan) -> str:
    from cart_cli.products import product_named

    product = product_named(plan.product)
    return product.shown if product else "not saved: add it with cart setup --product NAME"


def _sentence(plan: Plan) -> str:
    from cart_cli.neuro import sentence_of

    return sentence_of(plan) + ("" if plan.sentence else " (the default)")
