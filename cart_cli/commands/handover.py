"""`cart handover`: what to tell the 24-hour line or show at A&E, in SBAR order."""

from __future__ import annotations

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

if TYPE_CHECKING:
    from cart_cli.models import Entry


@app.command(
    epilog=examples(
        "cart handover",
        "cart handover --output handover.html",
        "cart handover --json",
        note="Read it out when you ring the 24-hour line, or show it (or the printed page) at "
        "A&E with the CAR-T alert card.",
    )
)
def handover(
    ctx: typer.Context,
    output: str | None = typer.Option(
        None, "--output", metavar="FILE.html", help="Also write it as one printable HTML page."
    ),
    force: bool = ForceOption,
    as_json: bool = JsonOption,
) -> None:
    """The hand-over for a call to the team or a visit to A&E, in the order clinicians ask
    (Situation, Background, Assessment, Recommendation): the alert-card facts, what cart's
    check says and why, the last 24 hours' readings, symptoms, medicines and calls, and the
    latest ICE score, handwriting and blood results. It fits one screen and one page."""
    from cart_cli.files import private_file, user_path
    from cart_cli.handover import SYMPTOM_ONSET_LOOKBACK, build_handover, handover_text, handover_to_dict
    from cart_cli.verdict import verdict_for, window_start

    now = now_local()
    target = user_path(output, "--output") if output else None
    with existing_store(ctx, now) as store:
        plan = store.plan() if store else None
        verdict = verdict_for(store, plan, now)  # the one verdict: read here, never recomputed
        since = window_start(now)
        recent = store.entries(since=since, newest_first=False) if store else []
        onsets = (
            store.entries(since=since - SYMPTOM_ONSET_LOOKBACK, until=since, kind="symptom") if store else []
        )

        def latest(kind: str) -> Entry | None:
            found = store.entries(kind=kind, until=now, limit=1) if store else []
            return found[0] if found else None

        result = build_handover(
            plan, verdict, recent, now, onsets=onsets, latest_ice=latest("ice"),
            latest_handwriting=latest("handwriting"), latest_bloods=latest("bloods"),
        )  # fmt: skip
        if target is not None:
            from cart_cli.report import render_handover_html

            html = render_handover_html(result)
            database = store.path if store else None
            with private_file(target, database=database, overwrite=force) as placement:
                placement.partial.write_text(html, encoding="utf-8")
    if as_json:
        print_json(handover_to_dict(result) | ({"output": str(target)} if target else {}))
        return
    typer.echo(handover_text(result), nl=False)
    if target is not None:
        typer.echo(f"Written to {target} (one page; print it or show it on a phone).")
