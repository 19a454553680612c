"""The dashboard (`cart` alone), `cart timeline` and `cart demo`."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from cart_cli import __version__
from cart_cli.commands.base import (
    JsonOption,
    State,
    app,
    examples,
    existing_store,
    now_local,
    print_json,
)
from cart_cli.errors import CartError, InvalidInput
from cart_cli.files import user_path

if TYPE_CHECKING:  # imported by the commands that open it: `cart --help` does not need it
    from cart_cli.store import Store

# -- the root: global options and the dashboard -------------------------------------------


def _version(value: bool) -> None:
    if value:
        typer.echo(f"cart {__version__}")
        raise typer.Exit(0)


@app.callback()
def root(
    ctx: typer.Context,
    db: str | None = typer.Option(
        None, "--db", metavar="PATH", help="Database file to use (default: $CART_DB, else your data folder)."
    ),
    debug: bool = typer.Option(False, "--debug", help="Show a full traceback if cart itself fails."),
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version and exit."
    ),
) -> None:
    """Recovery tracker for life after CAR T-cell therapy.

    With no command, shows today's dashboard.
    """
    ctx.obj = State(db)  # --debug is read by run(), which handles every failure
    if ctx.invoked_subcommand is None:
        now = now_local()
        with existing_store(ctx, now) as store:
            _show_dashboard(store, now)


def _show_dashboard(store: Store | None, now: datetime) -> None:
    from cart_cli.render import console
    from cart_cli.render.dashboard import dashboard_view, first_run_view

    plan = store.plan() if store else None
    if store is None or plan is None:
        console().print(first_run_view())
        return
    from cart_cli.dashboard import dashboard_for

    console().print(dashboard_view(dashboard_for(store, plan, now)))


# -- timeline and demo -------------------------------------------------------------------


@app.command(epilog=examples("cart timeline", "cart timeline --json"))
def timeline(ctx: typer.Context, as_json: bool = JsonOption) -> None:
    """Your day of recovery, the milestones, and what comes next."""
    from cart_cli.timeline import build_timeline

    now = now_local()
    with existing_store(ctx, now) as store:
        plan = store.plan() if store else None
        appointments = store.appointments() if store else []
    if plan is None:
        raise CartError("cart is not set up yet: run `cart setup --infusion-date DATE` first.")
    result = build_timeline(plan, now.date(), appointments)
    if as_json:
        from cart_cli.shapes import timeline_json

        print_json(timeline_json(result))
        return
    from cart_cli.render import console
    from cart_cli.render.timeline import timeline_view

    console().print(timeline_view(result))


@app.command(epilog=examples("cart demo", "cart demo --report demo-report.html"))
def demo(
    report: str | None = typer.Option(
        None, "--report", metavar="FILE", help="Also write the clinic report of the demo data to FILE."
    ),
) -> None:
    """See cart at work on two weeks of made-up readings.

    Your own data is never touched.
    """
    import tempfile

    from rich.markup import escape

    from cart_cli.demo import demo_data
    from cart_cli.render import console
    from cart_cli.render.check import check_view
    from cart_cli.render.timeline import timeline_view
    from cart_cli.store import Store
    from cart_cli.timeline import build_timeline

    now = now_local()
    report_path = None if report is None else user_path(report, "--report")
    if report_path is not None and report_path.exists():
        raise InvalidInput(f"{report} already exists; choose another name for the demo report.")
    out = console()
    with (
        tempfile.TemporaryDirectory(prefix="cart-demo-") as folder,
        Store.open(Path(folder) / "demo.db", now=now) as store,
    ):
        plan, entries, check_at = demo_data(now)
        store.save_plan(plan, now)
        store.add(entries, now)
        out.rule("[bold]cart demo[/]: made-up data in a throw-away database; your own data is untouched")
        out.print("\n[bold]1. The dashboard[/] (what `cart` on its own shows)\n")
        _show_dashboard(store, now)
        out.print("\n[bold]2. The timeline[/] (`cart timeline`)\n")
        out.print(timeline_view(build_timeline(plan, now.date())))
        out.print("\n[bold]3. The check[/] (`cart check`) on the day of the fever\n")
        # The check as it was that evening: later entries had not happened yet.
        from cart_cli.verdict import verdict_for

        out.print(check_view(verdict_for(store, plan, check_at, as_it_was=True), plan, check_at))
        if report is not None:
            from cart_cli.commands.report import write_demo_report

            assert report_path is not None
            written = write_demo_report(store, plan, now, report_path)
            out.print(f"\n[bold]4. The clinic report[/] (`cart report`) written to {escape(str(written))}")
    if report is None:
        out.print("\nTo see the demo as a clinic report (one HTML file to open in a browser), run:")
        out.print("  cart demo --report demo-report.html")
    out.rule("Your turn: cart setup --infusion-date DATE --phone NUMBER")
