"""`cart check`: grade the recent entries and say what to do."""

from __future__ import annotations

import typer

from cart_cli.commands.base import (
    JsonOption,
    app,
    examples,
    existing_store,
    hours_before,
    moment_or_now,
    now_local,
    outcome,
    print_json,
)
from cart_cli.errors import CHECK_EXIT, InvalidInput
from cart_cli.levels import Level
from cart_cli.shapes import check_json

# -- check -------------------------------------------------------------------------------


@app.command(
    epilog=examples(
        "cart check",
        "cart check --hours 48",
        "cart check --since 'yesterday 08:00' --json",
        "cart check --since 2026-11-20",
        note="Exit status: 0 green, 1 amber, 2 red (an emergency too), 3 unknown (or cart could not "
        "judge). A finding already reported in a call (`cart log call`) keeps its level.",
    )
)
def check(
    ctx: typer.Context,
    hours: str | None = typer.Option(None, "--hours", metavar="N", help="Look back N hours (default 24)."),
    since: str | None = typer.Option(None, "--since", metavar="WHEN", help="Look back to this time instead."),
    as_json: bool = JsonOption,
) -> None:
    """Grade recent entries red / amber / green and say what to do."""
    # If anything fails, run() turns it into exit status 3 (UNKNOWN), never a reassuring 0.
    raise typer.Exit(CHECK_EXIT[_check(ctx, hours, since, as_json)])


def _check(ctx: typer.Context, hours: str | None, since: str | None, as_json: bool) -> Level:

    now = now_local()
    if hours is not None and since is not None:
        raise InvalidInput("give --hours or --since, not both.")
    if since is not None:
        window_start = moment_or_now(since, now)
    elif hours is not None:
        from cart_cli.parsing import parse_hours

        window_start = hours_before(now, parse_hours(hours))
    else:
        window_start = hours_before(now, 24)
    with existing_store(ctx, now) as store:
        plan = store.plan() if store else None
        from cart_cli.evaluation import evaluate_window

        result = evaluate_window(store, plan, now, window_start)
    outcome.check_level(result.level)  # the exit status, even if printing fails
    if as_json:
        print_json(check_json(result, plan))
    else:
        from cart_cli.render import console
        from cart_cli.render.check import check_view

        console().print(check_view(result, plan, now))
    return result.level
