"""`cart report` (the clinic report, one HTML file) and `cart chart` (a chart in the terminal)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from cart_cli.commands.base import (
    ForceOption,
    JsonOption,
    app,
    examples,
    existing_store,
    now_local,
    print_json,
)
from cart_cli.errors import CartError, InvalidInput
from cart_cli.files import user_path
from cart_cli.models import Plan
from cart_cli.store import Store

if TYPE_CHECKING:
    from cart_cli.report.build import Report


def _plan_or_fail(store: Store | None) -> tuple[Store, Plan]:
    plan = store.plan() if store else None
    if store is None or plan is None:
        raise CartError("cart is not set up yet: run `cart setup --infusion-date DATE` first.")
    return store, plan


def write_report(store: Store, plan: Plan, now: datetime, start: date, target: Path, force: bool) -> Report:
    """Build the report, write it owner-only (never half a file), and return its data."""
    from cart_cli.files import private_file
    from cart_cli.periods import report_facts
    from cart_cli.report import render_html
    from cart_cli.report.build import build_report
    from cart_cli.verdict import verdict_for

    entries, facts = report_facts(store, plan, start, now)
    medicines = store.medicines(include_stopped=True)
    report = build_report(
        entries, plan, now, start, verdict_for(store, plan, now), medicines, store.appointments(), facts
    )
    html = render_html(report)
    with private_file(target, database=store.path, overwrite=force) as placement:
        placement.partial.write_text(html, encoding="utf-8")
    return report


def write_demo_report(store: Store, plan: Plan, now: datetime, target: Path) -> Path:
    """`cart demo --report FILE`: the demo's default report (never over an existing file)."""
    from cart_cli.report.build import period_start

    write_report(store, plan, now, period_start(plan, now.date()), target, force=False)
    return target


@app.command(
    epilog=examples(
        "cart report",
        "cart report --days 14",
        "cart report --since 2026-11-03 --output clinic.html",
        "cart report --output clinic.html --force",
        note="The report is one HTML file that opens offline in any browser, with no scripts. "
        "To make a PDF, open it and print it (A4 or Letter). It holds health data: it is "
        "readable by you only; share it with your team as you would a letter from them.",
    )
)
def report(
    ctx: typer.Context,
    days: int | None = typer.Option(
        None,
        "--days",
        metavar="N",
        help="The last N days, today included (default: since the infusion, at most 28).",
    ),
    since: str | None = typer.Option(
        None, "--since", metavar="WHEN", help="From this day: a date, or e.g. '10 days ago'."
    ),
    output: str | None = typer.Option(
        None,
        "--output",
        "-o",
        metavar="FILE",
        help="Where to write it (default: cart-report-YYYY-MM-DD.html here).",
    ),
    force: bool = ForceOption,
    as_json: bool = JsonOption,
) -> None:
    """Write the clinic report: charts, symptoms, findings, calls and notes, as one HTML file."""
    from cart_cli.parsing_base import parse_report_days
    from cart_cli.report.build import period_start

    now = now_local()
    if days is not None and since is not None:
        raise InvalidInput("give --days or --since, not both.")
    with existing_store(ctx, now) as maybe_store:
        store, plan = _plan_or_fail(maybe_store)
        if since:
            from cart_cli.parsing import parse_since_date  # the date parsers, only when asked

            start = parse_since_date(since, now)
        else:
            start = period_start(plan, now.date(), parse_report_days(days))
        target = (
            user_path(output, "--output") if output else Path(f"cart-report-{now.date().isoformat()}.html")
        )
        made = write_report(store, plan, now, start, target, force)
    if as_json:
        print_json({"path": str(target), **made.summary_json})
        return
    typer.echo(f"Report written to {target}")
    typer.echo("Open it in a browser; print it from there for a paper or PDF copy.")


@app.command(
    epilog=examples(
        "cart chart",
        "cart chart bp --days 14",
        "cart chart temp --json",
        "NO_COLOR=1 cart chart spo2",
        "cart chart neutrophils --days 28",
    )
)
def chart(
    ctx: typer.Context,
    what: str = typer.Argument(
        "temp",
        metavar="[temp|bp|pulse|spo2|fatigue|fluids|ice|neutrophils|crp|platelets|hb]",
        help="What to draw (the last four: blood results).",
    ),
    days: int = typer.Option(7, "--days", metavar="N", help="The last N days, today included (default 7)."),
    as_json: bool = JsonOption,
) -> None:
    """Draw a chart of the last days' readings in the terminal, with its reference lines."""
    from cart_cli.parsing_base import parse_report_days
    from cart_cli.periods import CHART_KINDS, chart_data, chart_entries, chart_window

    if what not in CHART_KINDS:
        raise InvalidInput(f"cart cannot chart {what!r}; choose one of {', '.join(CHART_KINDS)}.")
    parse_report_days(days)
    now = now_local()
    since = chart_window(now, days)
    with existing_store(ctx, now) as maybe_store:
        store, plan = _plan_or_fail(maybe_store)
        entries = chart_entries(store, since)
    data = chart_data(what, entries, plan, since, now)
    if as_json:
        print_json(data.to_json())
        return
    from cart_cli.render import console
    from cart_cli.render.chart import chart_view

    console().print(chart_view(data))
