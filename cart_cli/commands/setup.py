"""`cart setup`: the plan (infusion date, the team's number, thresholds)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import typer

from cart_cli.commands.base import (
    JsonOption,
    app,
    examples,
    existing_store,
    now_local,
    open_store,
    print_json,
)
from cart_cli.errors import CartError, InvalidInput
from cart_cli.models import (
    DEFAULT_EMERGENCY_NUMBER,
    DEFAULT_FEVER_THRESHOLD_C,
    DEFAULT_NEURO_DAYS,
    DEFAULT_NO_DRIVING_WEEKS,
    DEFAULT_READING_GAP_HOURS,
    DEFAULT_TEMP_TIMES,
    DIAGNOSES,
    MAX_FEVER_THRESHOLD_C,
    MAX_HOSPITAL_CHARS,
    MIN_FEVER_THRESHOLD_C,
    Plan,
)
from cart_cli.shapes import plan_to_dict
from cart_cli.thresholds import MAX_READING_GAP_HOURS, MIN_READING_GAP_HOURS
from cart_cli.timefmt import format_date  # stdlib only, cheap to load

# -- setup -------------------------------------------------------------------------------


@app.command(
    epilog=examples(
        "cart setup --infusion-date 2026-11-03 --hospital 'St Elsewhere Haematology' --phone '01234 567890'",
        "cart setup --fever-threshold 37.5",
        "cart setup --reading-gap 8",
        "cart setup --sentence 'The red boat sails home at noon.' --neuro-days 28",
        "cart setup --temp-times 07:00,13:00,19:00,23:00",
        "cart setup --infusion-date '6 days ago'",
        "cart setup --product axi-cel",
        "cart setup --home-since 2026-11-14",
        "cart setup --volume-units us",
        "cart setup --paracetamol-max 3g",
        "cart setup --show",
    )
)
def setup(
    ctx: typer.Context,
    infusion_date: str | None = typer.Option(
        None,
        "--infusion-date",
        metavar="DATE",
        help="Day of your CAR-T infusion (day 0), e.g. 2026-11-03, '3 Nov 2026', '29 Nov' (the "
        "latest one) or '6 days ago'.",
    ),
    hospital: str | None = typer.Option(
        None, "--hospital", metavar="NAME", help="Name of your hospital team."
    ),
    phone: str | None = typer.Option(
        None, "--phone", metavar="NUMBER", help="Your hospital team's 24-hour number."
    ),
    diagnosis: str | None = typer.Option(
        None,
        "--diagnosis",
        metavar="|".join(DIAGNOSES),
        help="Your diagnosis (picks the test before the 3-month follow-up).",
    ),
    fever_threshold: str | None = typer.Option(
        None,
        "--fever-threshold",
        metavar="C",
        help=f"Temperature (°C) that counts as a fever: {MIN_FEVER_THRESHOLD_C:.1f}-"
        f"{MAX_FEVER_THRESHOLD_C:.1f}, default {DEFAULT_FEVER_THRESHOLD_C:.1f}.",
    ),
    no_driving_weeks: str | None = typer.Option(
        None,
        "--no-driving-weeks",
        metavar="N",
        help=f"Weeks without driving after infusion (default {DEFAULT_NO_DRIVING_WEEKS}).",
    ),
    emergency_number: str | None = typer.Option(
        None,
        "--emergency-number",
        metavar="NUMBER",
        help=f"Emergency services number (default {DEFAULT_EMERGENCY_NUMBER}).",
    ),
    reading_gap: str | None = typer.Option(
        None,
        "--reading-gap",
        metavar="HOURS",
        help="Hours the latest temperature may be old before `cart check` asks for one "
        f"({MIN_READING_GAP_HOURS}-{MAX_READING_GAP_HOURS}, default {DEFAULT_READING_GAP_HOURS:g}).",
    ),
    sentence: str | None = typer.Option(
        None, "--sentence", metavar="TEXT", help="The sentence written each day for the handwriting check."
    ),
    neuro_days: str | None = typer.Option(
        None,
        "--neuro-days",
        metavar="N",
        help="Remind about the nervous-system check (`cart neuro`) daily up to day N "
        f"(default {DEFAULT_NEURO_DAYS}).",
    ),
    temp_times: str | None = typer.Option(
        None,
        "--temp-times",
        metavar="HH:MM,...",
        help=f"When the calendar reminds you to take your temperature (default {DEFAULT_TEMP_TIMES}).",
    ),
    product: str | None = typer.Option(
        None,
        "--product",
        metavar="NAME",
        help="The CAR-T product you were given, brand or generic name (e.g. Yescarta, "
        "axicabtagene ciloleucel, axi-cel; Kymriah, Tecartus, Breyanzi, Abecma, Carvykti, Aucatzyl).",
    ),
    home_since: str | None = typer.Option(
        None,
        "--home-since",
        metavar="DATE",
        help="The day you came home from the hospital stay (e.g. 2026-11-14 or '3 days ago'); "
        "the hospital-stay milestones are then past.",
    ),
    volume_units: str | None = typer.Option(
        None,
        "--volume-units",
        metavar="uk|us",
        help="What a pint, a cup and an ounce hold when you log fluids (default uk: a pint is 568 ml).",
    ),
    paracetamol_max: str | None = typer.Option(
        None,
        "--paracetamol-max",
        metavar="AMOUNT",
        help="The most paracetamol in 24 hours, if your team gave a lower limit than 4g (e.g. 3g).",
    ),
    show: bool = typer.Option(False, "--show", help="Print the saved plan and change nothing."),
    as_json: bool = JsonOption,
    yes: bool = typer.Option(
        False, "--yes", "-y", help="Accept an infusion date more than a year from today."
    ),
) -> None:
    """Save your infusion date and your hospital team's 24-hour number.

    Run it again at any time to change what you give; everything else is kept.
    """
    from cart_cli import parsing

    now = now_local()
    given = {
        "infusion_date": infusion_date,
        "hospital": hospital,
        "phone": phone,
        "diagnosis": diagnosis,
        "fever_threshold": fever_threshold,
        "no_driving_weeks": no_driving_weeks,
        "emergency_number": emergency_number,
        "reading_gap": reading_gap,
        "sentence": sentence,
        "neuro_days": neuro_days,
        "temp_times": temp_times,
        "volume_units": volume_units,
        "product": product,
        "home_since": home_since,
        "paracetamol_max": paracetamol_max,
    }
    if show or (as_json and all(value is None for value in given.values())):
        with existing_store(ctx, now) as store:
            plan = store.plan() if store else None
        if plan is None:
            raise CartError("cart is not set up yet: run `cart setup --infusion-date DATE --phone NUMBER`.")
        _show_plan(plan, now, as_json)
        return

    # Parse everything before opening the file, so bad input writes nothing.
    changes: dict[str, Any] = {}
    if infusion_date is not None:
        changes["infusion_date"] = parsing.parse_past_date(infusion_date, now.date())
    if hospital is not None:
        changes["hospital"] = parsing.parse_text(hospital, "hospital name", MAX_HOSPITAL_CHARS)
    if phone is not None:
        changes["phone"] = parsing.parse_phone(phone)
    if diagnosis is not None:
        changes["diagnosis"] = parsing.parse_diagnosis(diagnosis)
    if fever_threshold is not None:
        changes["fever_threshold_c"] = parsing.parse_fever_threshold(fever_threshold)
    if no_driving_weeks is not None:
        changes["no_driving_weeks"] = parsing.parse_no_driving_weeks(no_driving_weeks)
    if emergency_number is not None:
        changes["emergency_number"] = parsing.parse_phone(emergency_number)
    if reading_gap is not None:
        changes["reading_gap_hours"] = parsing.parse_reading_gap(reading_gap)
    if sentence is not None:
        from cart_cli.neuro import MAX_SENTENCE_CHARS

        changes["sentence"] = parsing.parse_text(sentence, "handwriting sentence", MAX_SENTENCE_CHARS)
    if neuro_days is not None:
        from cart_cli.neuro import parse_neuro_days

        changes["neuro_days"] = parse_neuro_days(neuro_days)
    if temp_times is not None:
        from cart_cli.schedule import format_times, parse_times

        changes["temp_times"] = format_times(parse_times(temp_times, "temperature times"))
    if volume_units is not None:
        changes["volume_units"] = parsing.parse_volume_units(volume_units)
    if product is not None:
        from cart_cli.products import parse_product

        changes["product"] = parse_product(product).generic
    if home_since is not None:
        changes["home_since"] = parsing.parse_past_date(home_since, now.date(), "home date")
    if paracetamol_max is not None:
        from cart_cli.medicines import parse_paracetamol_max_mg

        changes["paracetamol_max_mg"] = parse_paracetamol_max_mg(paracetamol_max)

    with existing_store(ctx, now) as store:
        existing = store.plan() if store else None
    if existing is None:
        changes = _prompt_first_setup(changes, now)
    if "infusion_date" in changes:
        _confirm_plausible_infusion(changes["infusion_date"], now, yes)
    _refuse_home_before_infusion(changes, existing)
    with open_store(ctx, now) as store:
        # Read, change and write in one transaction: another `cart setup` may run at once.
        plan = store.update_plan(changes, now)
    if as_json:
        print_json(plan_to_dict(plan))
        return
    typer.echo("Saved. " + _plan_summary(plan, now))
    if not plan.phone:
        typer.echo(
            "No 24-hour number saved yet: add the one your hospital gave you with "
            "`cart setup --phone NUMBER`, so `cart check` can show it when it matters."
        )


def _ask(
    changes: dict[str, Any], key: str, question: str, parse: Callable[[str], Any], *, required: bool = False
) -> None:
    """Ask until the answer is accepted (a refused one is explained and asked again); Enter
    skips a question that is not required."""
    while key not in changes:
        text = typer.prompt(question) if required else typer.prompt(question, default="", show_default=False)
        if not required and not text.strip():
            return
        try:
            changes[key] = parse(text)
        except InvalidInput as error:
            typer.echo(f"  {error.message}", err=True)


def _prompt_first_setup(changes: dict[str, Any], now: datetime) -> dict[str, Any]:
    """First set-up: ask for what is missing, but only when someone is at a terminal."""
    from cart_cli import parsing

    if "infusion_date" in changes and "phone" in changes:
        return changes
    if not sys.stdin.isatty():
        if "infusion_date" not in changes:
            raise InvalidInput(
                "cart setup needs your infusion date: "
                "add --infusion-date DATE (e.g. 2026-11-03 or '3 Nov 2026')."
            )
        return changes
    changes = dict(changes)
    today = now.date()
    _ask(
        changes,
        "infusion_date",
        "Infusion date (day 0), e.g. 2026-11-03 or '6 days ago'",
        lambda text: parsing.parse_past_date(text, today),
        required=True,
    )
    _ask(
        changes,
        "hospital",
        "Hospital team name (Enter to skip)",
        lambda text: parsing.parse_text(text, "hospital name", MAX_HOSPITAL_CHARS),
    )
    _ask(changes, "phone", "Hospital team's 24-hour number (Enter to skip)", parsing.parse_phone)
    _ask(
        changes,
        "fever_threshold_c",
        f"Temperature your hospital told you to call at, in °C (Enter for {DEFAULT_FEVER_THRESHOLD_C:.1f})",
        parsing.parse_fever_threshold,
    )
    _ask(
        changes,
        "diagnosis",
        "Diagnosis: lymphoma, all (acute lymphoblastic leukaemia), myeloma or other (Enter to skip)",
        parsing.parse_diagnosis,
    )
    return changes


def _refuse_home_before_infusion(changes: dict[str, Any], existing: Plan | None) -> None:
    infusion = changes.get("infusion_date", existing.infusion_date if existing else None)
    home = changes.get("home_since", existing.home_since if existing else None)
    if infusion is not None and home is not None and home < infusion:
        raise InvalidInput(
            f"the day you came home ({format_date(home)}) is before the infusion "
            f"({format_date(infusion)}): check both dates."
        )


def _confirm_plausible_infusion(infusion: date, now: datetime, yes: bool) -> None:
    distance = abs((infusion - now.date()).days)
    if distance > 365 and not yes:
        raise InvalidInput(
            f"the infusion date {infusion.day} {infusion:%b %Y} is more than a year from today; "
            "check it, and add --yes if it is right."
        )


def _plan_summary(plan: Plan, now: datetime) -> str:
    from cart_cli.products import product_named

    day = plan.day_of(now)
    when = f"day {day} since infusion" if day >= 0 else f"{-day} days before infusion"
    product = product_named(plan.product)
    given = f" of {product.shown}" if product else ""
    home = f" Home since {format_date(plan.home_since)}." if plan.home_since else ""
    return f"Infusion{given} {format_date(plan.infusion_date)}: today is {when}.{home}"


def _show_plan(plan: Plan, now: datetime, as_json: bool) -> None:
    if as_json:
        print_json(plan_to_dict(plan) | {"day": plan.day_of(now)})
        return
    from cart_cli.render import console
    from cart_cli.render.setup import plan_view

    console().print(plan_view(plan, now))
