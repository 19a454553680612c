"""The nervous-system check: `cart neuro` (guided, at a terminal), `cart log ice SCORE` and
`cart log handwriting same|changed` (for scripts and scores taken on paper).

The questions, the scoring and the grading are in ``cart_cli.neuro``; this module asks,
reads the answers and prints. Nothing is stored until every question is answered, so
stopping half-way (Ctrl-C, Ctrl-D) leaves the database as it was.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import datetime
from typing import TypeVar

import typer

from cart_cli.commands.base import (
    AtOption,
    JsonOption,
    NoteOption,
    app,
    clean_note,
    examples,
    existing_store,
    log_app,
    moment_or_now,
    now_local,
)
from cart_cli.commands.log import store_and_advise
from cart_cli.errors import InvalidInput, Stopped
from cart_cli.models import Entry, Plan

NOT_A_TERMINAL = (
    "`cart neuro` asks questions one at a time, so it needs a terminal. In a script, or for a "
    "score taken on paper, use `cart log ice SCORE [--items ...]` and `cart log handwriting same|changed`."
)
STOPPED = "the check was stopped. Nothing was stored; run `cart neuro` again when you are both ready."

T = TypeVar("T")


# -- the non-interactive forms -----------------------------------------------------------


@log_app.command(
    "ice",
    epilog=examples(
        "cart log ice 10",
        "cart log ice 8 --items orientation=3,naming=3,command=1,writing=1,counting=0",
        "cart log ice 9 --at 'today 08:00' --note 'scored by the nurse'",
        note="The guided check, at a terminal: cart neuro",
    ),
)
def log_ice(
    ctx: typer.Context,
    score: str = typer.Argument(..., metavar="SCORE", help="ICE score, 0 to 10 (10 is normal)."),
    items: str | None = typer.Option(
        None,
        "--items",
        metavar="PART=N,...",
        help="Points per part, adding up to SCORE: orientation (0-4), naming (0-3), command, "
        "writing and counting (0-1 each).",
    ),
    at: str | None = AtOption,
    note: str | None = NoteOption,
    as_json: bool = JsonOption,
) -> None:
    """Record an ICE score from 0 to 10 (nervous-system check).

    For a score taken on paper or by a script; the guided check is `cart neuro`.
    """
    from cart_cli.neuro import parse_items, parse_score

    now = now_local()
    value = parse_score(score)
    parts = None if items is None else parse_items(items, value)
    entry = Entry(
        kind="ice", recorded_at=moment_or_now(at, now), score=value, items=parts, note=clean_note(note)
    )
    store_and_advise(ctx, [entry], now, [], as_json)


@log_app.command(
    "handwriting",
    epilog=examples(
        "cart log handwriting same",
        "cart log handwriting changed --note 'letters much smaller'",
        "cart log handwriting first",
    ),
)
def log_handwriting(
    ctx: typer.Context,
    value: str = typer.Argument(
        ...,
        metavar="same|changed|first",
        help="Today's sentence compared with earlier days ('first' for the first sample).",
    ),
    at: str | None = AtOption,
    note: str | None = NoteOption,
    as_json: bool = JsonOption,
) -> None:
    """Record the handwriting check: same, changed or first."""
    from cart_cli.neuro import parse_handwriting

    now = now_local()
    entry = Entry(
        kind="handwriting",
        recorded_at=moment_or_now(at, now),
        handwriting=parse_handwriting(value),
        note=clean_note(note),
    )
    store_and_advise(ctx, [entry], now, [], as_json)


# -- the guided check --------------------------------------------------------------------


@app.command(
    epilog=examples(
        "cart neuro",
        note="It needs a terminal. For scripts or a score taken on paper: cart log ice SCORE and "
        "cart log handwriting same|changed. Exit status: 0 when stored, 130 when stopped by Ctrl-C "
        "(129 by SIGHUP, 143 by SIGTERM; nothing stored), 2 when not at a terminal.",
    )
)
def neuro(ctx: typer.Context) -> None:
    """Guided nervous-system check, for the carer.

    The 10-point ICE score and today's handwriting, asked at a terminal one question at a
    time: you mark each answer right or wrong. Nothing is stored until the end, and Ctrl-C
    stops it at any point without storing anything.
    """
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise InvalidInput(NOT_A_TERMINAL)
    now = now_local()
    with existing_store(ctx, now) as store:
        plan = store.plan() if store else None
        earlier = store.entries(kind="ice", until=now, newest_first=False) if store else []
    try:
        entries = _interview(plan, earlier, now)
    except (KeyboardInterrupt, EOFError, typer.Abort):
        raise Stopped(STOPPED) from None  # exit 128 + the signal: 130 for Ctrl-C (cli sets it)
    needs_action = _needs_action(entries, earlier, plan, now)
    if needs_action:
        typer.echo(
            "This result needs the hospital team's advice now. Stay with them and stay calm: "
            "calling is the right thing to do, and the team is there day and night."
        )
    store_and_advise(ctx, entries, now, [], as_json=False, ask_home=False)  # a guided check asks nothing more
    if not needs_action:
        typer.echo(
            "Thank you both. Nothing in this check needs action. If anything changes, or you are "
            "worried, call the team at any time; `cart check` looks at everything logged today."
        )


def _interview(plan: Plan | None, earlier: list[Entry], now: datetime) -> list[Entry]:
    """Ask the ten questions and the handwriting one; the entries to store."""
    from cart_cli.neuro import (
        ICE_PARTS,
        ICE_QUESTIONS,
        compare,
        comparison_text,
        format_items,
        question_text,
        score_answers,
        sentence_of,
    )

    say = typer.echo
    say("Nervous-system check: 10 short questions, then today's handwriting. About 5 minutes.")
    say("Ask each question calmly, in your own voice, and mark whether the answer was right.")
    say("There is no rush, and nothing to pass or fail: it only shows the team how things are today.")
    say("Press Ctrl-C at any time to stop; nothing is stored until the end.")
    answers: list[bool] = []
    part_title = ""
    for number, question in enumerate(ICE_QUESTIONS, start=1):
        title = next(p.title for p in ICE_PARTS if p.key == question.part)
        if title != part_title:
            part_title = title
            say(f"\n{title}")
        ask, right = question_text(question, plan, now)
        say(f" {number:>2}/10  {ask}")
        say(f"        {right}")
        answers.append(_ask("        Right? [y/n]: ", _yes_no, "Please type y if it was right, or n if not."))

    say("\nToday's handwriting")
    say(f'  Look at today\'s sentence ("{sentence_of(plan)}") beside the ones from earlier days.')
    handwriting = _ask(
        "  Is the handwriting the same? [same/changed/first/skip]: ",
        _handwriting_answer,
        "Please type same, changed, first (if this is the first sample) or skip.",
    )

    score, points = score_answers(answers)
    say(f"\nICE score: {score} out of 10")
    say("  " + ", ".join(f"{p.key} {points[p.key]}/{p.points}" for p in ICE_PARTS))
    say("  " + comparison_text(compare(earlier, now), now))
    entries = [Entry(kind="ice", recorded_at=now, score=score, items=format_items(points))]
    if handwriting != "skip":
        entries.append(Entry(kind="handwriting", recorded_at=now, handwriting=handwriting))
    return entries


def _ask(prompt: str, parse: Callable[[str], T | None], again: str) -> T:
    """Ask until ``parse`` accepts the answer; anything else is asked again, never a crash."""
    while True:
        try:
            value = parse(input(prompt))
        except UnicodeDecodeError:  # bytes the terminal's encoding cannot read: just ask again
            value = None
        if value is not None:
            return value
        typer.echo(f"        {again}")


def _yes_no(text: str) -> bool | None:
    word = text.strip().lower()
    if word in ("y", "yes", "r", "right", "correct"):
        return True
    if word in ("n", "no", "w", "wrong"):
        return False
    return None


def _handwriting_answer(text: str) -> str | None:
    from cart_cli.neuro import parse_handwriting

    word = " ".join(text.lower().split())
    if word == "skip":
        return "skip"
    try:
        return parse_handwriting(word)
    except InvalidInput:
        return None


def _needs_action(entries: list[Entry], earlier: list[Entry], plan: Plan | None, now: datetime) -> bool:
    """Whether the new score or handwriting is graded amber or red by itself."""
    from cart_cli.neuro import compare, grade_handwriting, grade_ice

    day = plan.day_of(now) if plan is not None else None
    best = compare(earlier, now).best
    best_score = best.score if best is not None else None
    return any(
        (e.kind == "ice" and e.score is not None and grade_ice(e.score, best_score, day) is not None)
        or (e.kind == "handwriting" and e.handwriting is not None and grade_handwriting(e.handwriting, day))
        for e in entries
    )


# -- the reminder, for the dashboard and `cart check` ---------------------------------------
