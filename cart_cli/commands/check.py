"""`cart check`: grade the recent entries and say what to do."""

from __future__ import annotations

import typer

from cart_cli.commands.base import (
    JsonOption,
    app,
    examples,
    existing_store,
    moment_or_now,
    now_local,
    outcome,
    print_json,
)
from cart_cli.errors import CHECK_EXIT, InvalidInput
from cart_cli.levels import Level
from cart_cli.thresholds import CHECK_WINDOW_HOURS

# -- check -------------------------------------------------------------------------------


@app.command(
    epilog=examples(
        "cart check",
        "cart check --hours 48",
        "cart check --since 'yesterday 08:00' --json",
        "cart check --since 2026-11-20",
        note="Exit status: 0 green, 1 amber, 2 red, 2 emergency (--json says which), 3 unknown "
        "(or cart could not judge). A finding already reported in a call (`cart log call`) keeps "
        "its level.",
    )
)
def check(
    ctx: typer.Context,
    hours: str | None = typer.Option(
        None, "--hours", metavar="N", help=f"Look back N hours (default {CHECK_WINDOW_HOURS})."
    ),
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
    from cart_cli.verdict import verdict_for, window_start

    if since is not None:
        start = moment_or_now(since, now)
    elif hours is not None:
        from cart_cli.parsing import parse_hours

        start = window_start(now, parse_hours(hours))
    else:
        start = window_start(now)
    with existing_store(ctx, now) as store:
        plan = store.plan() if store else None
        result = verdict_for(store, plan, now, start)
    outcome.check_level(result.level)  # the exit status, even if printing fails
    if as_json:
        from cart_cli.shapes import check_json

        print_json(check_json(result, plan))
    else:
        from cart_cli.render import console
        from cart_cli.render.check import check_view

        console().print(check_view(result, plan, now))
    return result.level
