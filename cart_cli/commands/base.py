"""What every command shares: the Typer apps, global state, the clock, opening the
database, and the options several commands take.

The clock is read here, once per command (``now_local``), and passed down.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, cast

import typer
from typer.core import TyperGroup

from cart_cli.errors import CHECK_EXIT, EXIT_FAILURE, CartError, InvalidInput
from cart_cli.levels import Level
from cart_cli.models import (
    MAX_NOTE_CHARS,
)
from cart_cli.store import Store, resolve_db_path

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def examples(*lines: str, note: str | None = None) -> str:
    """A help epilog listing example commands one per line (\\b stops Click re-wrapping)."""
    text = "\b\nExamples:\n" + "\n".join(f"  {line}" for line in lines)
    return f"{note}\n\n{text}" if note else text


# The order `cart --help` lists the commands in: what a person needs first, copies of the
# data last (Click would otherwise list them in the order the modules happen to load).
HELP_ORDER = (
    "setup", "log", "check", "handover", "neuro", "timeline", "history", "symptoms", "edit", "delete", "undo",
    "report", "chart", "appt", "med", "calendar", "demo", "backup", "export", "import",
)  # fmt: skip


class _CommandsInHelpOrder(TyperGroup):
    def list_commands(self, ctx: Any) -> list[str]:
        names = super().list_commands(ctx)
        return sorted(
            names, key=lambda name: HELP_ORDER.index(name) if name in HELP_ORDER else len(HELP_ORDER)
        )


app = typer.Typer(
    name="cart",
    cls=_CommandsInHelpOrder,
    help="Recovery tracker for life after CAR T-cell therapy: log readings, check them "
    "against your hospital's rules, and see where you are in your recovery.\n\n"
    "Not a medical device. If you are worried, call your hospital team: any time, day or night.",
    epilog=examples(
        "cart demo",
        "cart setup --infusion-date 2026-11-03 --phone '01234 567890'",
        "cart log temp 37.8",
        "cart check",
    ),
    context_settings=CONTEXT,
    invoke_without_command=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,  # our own handler in run(); never show local variables
)


def command_group(name: str, help: str, *example_lines: str) -> typer.Typer:
    """A group of subcommands (`cart log ...`, `cart appt ...`): its help, with examples,
    shown when it is typed alone."""
    group = typer.Typer(
        help=help,
        epilog=examples(*example_lines),
        context_settings=CONTEXT,
        no_args_is_help=True,
        rich_markup_mode=None,
    )
    app.add_typer(group, name=name)
    return group


log_app = command_group(
    "log",
    "Record a reading or a symptom; it is checked straight away.",
    "cart log temp 38.2",
    "cart log symptom cough",
    'cart log symptom "can\'t wake him"',
    "cart log fatigue 6",
    "cart log bp 118/76 --pulse 88",
    "cart log spo2 95",
    "cart log fluids 500ml",
    "cart log call --outcome 'ward said stay home'",
    "cart log med paracetamol",
    "cart log ice 10",
    "cart log bloods --neutrophils 0.4 --crp 85",
)


class State:
    """Global options, shared by every command through ``ctx.obj``."""

    def __init__(self, db: str | None) -> None:
        self.db_option = db

    @property
    def db_path(self) -> Path:
        return resolve_db_path(self.db_option)


class Outcome:
    """What the running command has already decided or done, so that ``run()`` can still
    answer correctly when printing fails afterwards (stdout closed, a broken pipe)."""

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self.level: Level | None = None  # `cart check`: the level it found
        self.exit_code: int | None = None  # `cart check`: that level's exit status
        self.stored: list[str] = []  # `cart log`: "#12 (38.6 °C)" for each entry stored
        self.output_failed = False  # said once on stderr already

    def check_level(self, level: Level) -> None:
        self.level = level
        self.exit_code = CHECK_EXIT[level]

    def stored_entries(self, entries: list[Any]) -> None:
        self.stored = [f"#{entry.id} ({entry.describe()})" for entry in entries]


outcome = Outcome()  # reset by run() for every command


def now_local() -> datetime:
    """The only place the clock is read: local time, timezone-aware (DST-correct)."""
    from cart_cli.timefmt import LOCAL

    return datetime.now(LOCAL)


def hours_before(now: datetime, hours: float) -> datetime:
    """``hours`` of real time before ``now`` (wall-clock arithmetic would be off across DST)."""
    return (now.astimezone(UTC) - timedelta(hours=hours)).astimezone(now.tzinfo)


def state_of(ctx: typer.Context) -> State:
    """The global options, which the root command's callback put on ``ctx.obj``."""
    return cast(State, ctx.find_root().obj)


def _said_if_upgraded(store: Store) -> Store:
    if store.migration_backup is not None:
        typer.echo(
            f"cart: the database was upgraded; a copy of it as it was is at {store.migration_backup}",
            err=True,
        )
    return store


def open_store(ctx: typer.Context, now: datetime) -> Store:
    """The database, created if there is none yet: for commands that write."""
    return _said_if_upgraded(Store.open(state_of(ctx).db_path, now=now))


def open_store_if_any(ctx: typer.Context, now: datetime) -> Store | None:
    """The database if there is one; None otherwise (reading never creates a file)."""
    store = Store.open_existing(state_of(ctx).db_path, now=now)
    return None if store is None else _said_if_upgraded(store)


@contextmanager
def existing_store(ctx: typer.Context, now: datetime) -> Iterator[Store | None]:
    """The database if there is one (None otherwise: reading never creates a file), closed
    when the block ends."""
    store = open_store_if_any(ctx, now)
    try:
        yield store
    finally:
        if store is not None:
            store.close()


def print_json(data: object) -> None:
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False))


def moment_or_now(at: str | None, now: datetime) -> datetime:
    from cart_cli.parsing import parse_when

    return now if at is None else parse_when(at, now)


def clean_note(note: str | None) -> str | None:
    """A note: trimmed, at most MAX_NOTE_CHARS; an empty note is no note."""
    from cart_cli.parsing import parse_text

    if note is None or not note.strip():
        return None
    return parse_text(note, "note", MAX_NOTE_CHARS, collapse_spaces=False)


# -- shared options ----------------------------------------------------------------------

AT_HELP = (
    "When it was taken: now (default), 'today 08:00', 'yesterday 21:30', '2h ago', 'an hour "
    "ago', 'half an hour ago', 'last night 11pm', 'this morning 7', 'mon 10am', "
    "'2 days ago 09:00', or a date (with a time, or alone for the start of that day)."
)
AtOption = typer.Option(None, "--at", metavar="WHEN", help=AT_HELP)
NoteOption = typer.Option(None, "--note", metavar="TEXT", help="A short note to keep with the entry.")
JsonOption = typer.Option(False, "--json", help="Print JSON for scripts instead of text.")
YesOption = typer.Option(False, "--yes", "-y", help="Do not ask for confirmation.")


def confirm(question: str, yes: bool) -> None:
    if yes:
        return
    if not sys.stdin.isatty():
        raise InvalidInput("this removes data: add --yes to confirm when not at a terminal.")
    if not typer.confirm(question, default=False):
        raise CartError("nothing was removed.", exit_code=EXIT_FAILURE)


ForceOption = typer.Option(False, "--force", help="Replace the file if it already exists.")
EXPORT_FORMATS = ("csv", "json", "fhir")


def open_existing(ctx: typer.Context, now: datetime, doing: str) -> Store:
    """The database, or a clear error saying there is nothing to ``doing`` yet."""
    store = open_store_if_any(ctx, now)
    if store is None:
        raise CartError(f"there is no database at {state_of(ctx).db_path} yet: nothing to {doing}.")
    return store
