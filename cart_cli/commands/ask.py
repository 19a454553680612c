"""Questions at a terminal when cart cannot read all of what was typed (issue 17).

Asked only when standard input and output are both a terminal, never with ``--json`` or
``--no-ask``, and before anything is stored: Ctrl-C (or the input ending) stores nothing.
What to ask, and how answers count, is the core's (``language.questions``, ``signs``).
"""

from __future__ import annotations

import sys
from dataclasses import replace

import typer

from cart_cli.language.questions import (
    FEVER_HIDING,
    MEDICINE_QUESTION,
    UNSURE,
    YES,
    format_answers,
    read_answer,
)
from cart_cli.models import Entry

_HOW = "y = yes, n = no, Enter = not sure"


def at_a_terminal() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()


def _answer(question: str) -> str:
    """One answer, asked again until it is yes, no or not sure. Ctrl-C or the end of input
    stops everything: nothing is stored."""
    while True:
        try:
            typed = input(f"{question} [{_HOW}] ")
        except (KeyboardInterrupt, EOFError):
            typer.echo("\nStopped: nothing was stored.", err=True)
            raise typer.Exit(130) from None
        answer = read_answer(typed)
        if answer is not None:
            return answer
        typer.echo("Please type y (yes) or n (no), or press Enter if you are not sure.")


def ask_about_words(entries: list[Entry]) -> list[Entry]:
    """Each phrase entry with the answers to its questions (``signs.questions_of``): the most
    urgent signs first; asking stops at the first "yes" to an emergency sign."""
    from cart_cli.language.reader import concept_named
    from cart_cli.levels import Level
    from cart_cli.safe_text import printable
    from cart_cli.signs import questions_of, reading_of

    answered = []
    for entry in entries:
        asked = questions_of(entry)
        reading = reading_of(entry)
        if not asked or reading is None:
            answered.append(entry)
            continue
        why = []
        if reading.unread:
            why.append("could not read " + ", ".join(f'"{w}"' for w in reading.unread))
        if reading.denied:
            why.append("read as not present " + ", ".join(f'"{m.words}"' for m in reading.denied))
        typer.echo(f'cart {" and ".join(why)} in "{printable(entry.other or "")}". A few questions:')
        answers: dict[str, str] = {}
        for question in asked:
            answer = _answer(question.text)
            answers[question.concept] = answer
            if answer == YES and concept_named(question.concept).level == Level.EMERGENCY:
                break  # nothing more could raise the advice
        answered.append(replace(entry, answers=format_answers(answers)))
    return answered


def ask_about_medicine(entry: Entry, ask: bool) -> tuple[Entry, str | None]:
    """For a medicine cart does not know: one line saying so, and at a terminal the question
    whether it holds something that can hide a fever (the answer is kept with the dose)."""
    from cart_cli.language.medicines import is_known_medicine
    from cart_cli.safe_text import printable

    if entry.medicine is None or is_known_medicine(entry.medicine):
        return entry, None
    line = (
        f"cart cannot tell whether {printable(entry.medicine)} lowers a temperature "
        "(paracetamol, anti-inflammatories such as ibuprofen, and steroids can hide a fever)."
    )
    if not (ask and at_a_terminal()):
        return entry, line
    typer.echo(line)
    answer = _answer(MEDICINE_QUESTION)
    remark = None if answer != UNSURE else "counted as one that can hide a fever, to be safe."
    return replace(entry, answers=format_answers({FEVER_HIDING: answer})), remark
