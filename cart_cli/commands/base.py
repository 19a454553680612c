"""What every command shares: the Typer apps, global state, the clock, opening the
database, and the options several commands take.

The clock is read here, once per command (``now_local``), and passed down.
"""

from __future__ import annotations

import copy
import inspect
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any, TextIO, cast

import typer
from typer.core import TyperGroup

from cart_cli.errors import CHECK_EXIT, EXIT_FAILURE, CartError, InvalidInput
from cart_cli.files import resolve_db_path
from cart_cli.levels import Level

if TYPE_CHECKING:  # the store and the models are imported by the commands that open it
    from cart_cli.store import Store

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def examples(*lines: str, note: str | None = None) -> str:
    """A help epilog listing example commands one per line (\\b stops Click re-wrapping)."""
    text = "\b\nExamples:\n" + "\n".join(f"  {line}" for line in lines)
    return f"{note}\n\n{text}" if note else text


# Every command of `cart`, one line each, in the order `cart --help` lists them (what a
# person needs first, copies of the data last): its name, and the modules of
# ``cart_cli.commands`` that define it (for a group such as `log`, every module that adds a
# subcommand to it). A command's modules are imported, and the command built, only when it
# is run or listed, so `cart log temp 37.1` does not pay for the other commands. A new
# command is one more line here; tests/test_docs.py checks the table against the modules.
COMMANDS: dict[str, tuple[str, ...]] = {
    "setup": ("setup",),
    "log": ("log", "neuro"),
    "check": ("check",),
    "handover": ("handover",),
    "neuro": ("neuro",),
    "timeline": ("overview",),
    "history": ("entries",),
    "symptoms": ("entries",),
    "edit": ("entries",),
    "delete": ("entries",),
    "undo": ("entries",),
    "report": ("report",),
    "chart": ("report",),
    "serve": ("serve",),
    "appt": ("appt",),
    "med": ("med",),
    "calendar": ("appt",),
    "demo": ("overview",),
    "backup": ("data",),
    "export": ("data",),
    "import": ("data",),
}
HELP_ORDER = tuple(COMMANDS)


def load_commands(*names: str) -> None:
    """Import the modules that define the commands ``names`` (every command if none given),
    which registers them on ``app``."""
    for name in names or COMMANDS:
        for module in COMMANDS.get(name, ()):
            _import(module)


def _import(module: str) -> ModuleType:
    """One module of ``cart_cli.commands``, imported by a plain import statement (never by a
    name computed at run time: tests/test_privacy.py reads every import cart makes). A new
    module is one more case."""
    match module:
        case "appt":
            from cart_cli.commands import appt

            return appt
        case "check":
            from cart_cli.commands import check

            return check
        case "data":
            from cart_cli.commands import data

            return data
        case "handover":
            from cart_cli.commands import handover

            return handover
        case "entries":
            from cart_cli.commands import entries

            return entries
        case "log":
            from cart_cli.commands import log

            return log
        case "med":
            from cart_cli.commands import med

            return med
        case "neuro":
            from cart_cli.commands import neuro

            return neuro
        case "overview":
            from cart_cli.commands import overview

            return overview
        case "report":
            from cart_cli.commands import report

            return report
        case "serve":
            from cart_cli.commands import serve

            return serve
        case "setup":
            from cart_cli.commands import setup

            return setup
        case _:
            raise LookupError(f"no command module {module!r}")


class LazyGroup(TyperGroup):
    """A command group that builds a subcommand (Typer reads its signature and type hints,
    the costly part of starting) only when it is run or its own help is shown. Its help lists
    every subcommand with the one-line summary read from the registration, without building
    it. Made by ``lazy_group``; built by Typer directly (``typer.main.get_command(app)``) it
    is an ordinary group with every command built, listed in the table's order."""

    source: typer.Typer | None = None  # the Typer app the subcommands are registered on

    def list_commands(self, ctx: Any) -> list[str]:
        if self.source is None:
            names = super().list_commands(ctx)
            return sorted(
                names, key=lambda name: HELP_ORDER.index(name) if name in HELP_ORDER else len(HELP_ORDER)
            )
        if self.source is app:
            return list(COMMANDS)
        return _registered_names(self.source)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if self.source is None or cmd_name in self.commands:
            return super().get_command(ctx, cmd_name)
        if cmd_name not in self.list_commands(ctx):
            return None
        if self.source is app:
            load_commands(cmd_name)
        built = _build(self.source, cmd_name)
        if built is not None:
            self.commands[cmd_name] = built
        return built

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        if self.source is None:
            return super().resolve_command(ctx, args)
        suggest, self.suggest_commands = self.suggest_commands, False
        try:
            return super().resolve_command(ctx, args)
        except Exception as error:  # a usage error: "did you mean" from every name, built or not
            from difflib import get_close_matches

            message = getattr(error, "message", None)
            matches = get_close_matches(args[0], self.list_commands(ctx)) if args and suggest else []
            if isinstance(message, str) and matches:
                error.message = f"{message.rstrip('.')}. Did you mean {', '.join(map(repr, matches))}?"  # type: ignore[attr-defined]
            raise
        finally:
            self.suggest_commands = suggest

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        if self.source is None:
            return super().format_commands(ctx, formatter)
        rows = []
        for name in self.list_commands(ctx):
            if self.source is app:  # every command of cart, from the table (nothing imported)
                summary = self.commands.get(name) or _listed(name)
            else:
                summary = self.commands.get(name) or _summary(self.source, name)
            if summary is not None and not summary.hidden:
                rows.append((name, summary))
        if rows:
            limit = formatter.width - 6 - max(len(name) for name, _ in rows)
            with formatter.section("Commands"):
                formatter.write_dl([(name, command.get_short_help_str(limit)) for name, command in rows])


def _command_name(info: Any) -> str:
    return str(info.name or typer.main.get_command_name(info.callback.__name__))


def _registered_names(source: typer.Typer) -> list[str]:
    """The names of the commands and groups registered on ``source``, in that order."""
    names = [_command_name(info) for info in source.registered_commands]
    return names + [str(group.name) for group in source.registered_groups if group.name]


def _build(source: typer.Typer, name: str) -> Any:
    """The Click command ``name`` registered on ``source``, built (a group lazily)."""
    for info in source.registered_commands:
        if _command_name(info) == name:
            return typer.main.get_command_from_info(
                info,
                pretty_exceptions_short=app.pretty_exceptions_short,
                rich_markup_mode=app.rich_markup_mode,
            )
    for group in source.registered_groups:
        if group.name == name:
            return lazy_group(group)
    return None


def listing_row(command: Any) -> tuple[str | None, str | None, bool, bool]:
    """What a help listing reads of ``command`` (the table in ``commands.listing``): the first
    paragraph of its help with the white space folded, its short help, hidden, deprecated."""
    first = None if command.help is None else " ".join(command.help.split("\n\n", 1)[0].split())
    return first, command.short_help, bool(command.hidden), bool(command.deprecated)


def _listed(name: str) -> Any:
    """A stand-in for the top-level command ``name`` from ``commands.listing``: `cart --help`
    lists every command without importing the modules that define them."""
    from typer.core import TyperCommand

    from cart_cli.commands.listing import LISTING

    first, short_help, hidden, deprecated = LISTING[name]
    return TyperCommand(name, help=first, short_help=short_help, hidden=hidden, deprecated=deprecated)


def _summary(source: typer.Typer, name: str) -> Any:
    """A stand-in for the command ``name`` carrying only what a help listing shows (its
    one-line help, hidden or deprecated), without reading its options."""
    from typer.core import TyperCommand

    for info in source.registered_commands:
        if _command_name(info) == name:
            text = info.help if info.help is not None else inspect.getdoc(info.callback)
            return TyperCommand(
                name,
                help=inspect.cleandoc(text) if text else None,
                short_help=info.short_help,
                hidden=info.hidden,
                deprecated=info.deprecated,
            )
    for group in source.registered_groups:
        if group.name == name:
            solved = typer.main.solve_typer_info_defaults(group)
            return TyperCommand(
                name, help=solved.help, short_help=solved.short_help, hidden=bool(solved.hidden),
                deprecated=bool(solved.deprecated),
            )  # fmt: skip
    return None


def lazy_group(info: Any) -> Any:
    """The Click group of the Typer registration ``info`` with only its own options built;
    each subcommand is built when it is asked for (see ``LazyGroup``)."""
    source = info.typer_instance
    shell = copy.copy(source)  # the same settings and callback, no commands
    shell.registered_commands, shell.registered_groups = [], []
    shell_info = copy.copy(info)
    shell_info.typer_instance = shell
    group = typer.main.get_group_from_info(
        shell_info,
        pretty_exceptions_short=app.pretty_exceptions_short,
        rich_markup_mode=app.rich_markup_mode,
        suggest_commands=app.suggest_commands,
    )
    if not isinstance(group, LazyGroup):  # made without cls=LazyGroup: build it all, as Typer does
        return typer.main.get_group_from_info(
            info,
            pretty_exceptions_short=app.pretty_exceptions_short,
            rich_markup_mode=app.rich_markup_mode,
            suggest_commands=app.suggest_commands,
        )
    group.source = source
    return group


def root_command() -> Any:
    """`cart` itself as a Click group: its global options and the dashboard are built, each
    command only when it is run (or listed by `cart --help`)."""
    _import("overview")  # the root's options and the dashboard
    return lazy_group(typer.models.TyperInfo(app))


app = typer.Typer(
    name="cart",
    cls=LazyGroup,
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
        cls=LazyGroup,
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
    "cart log breaths 18",
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
        self.left_out: dict[str, None] = {}  # notes of invisible characters left out (``visible``)

    def check_level(self, level: Level) -> None:
        self.level = level
        self.exit_code = CHECK_EXIT[level]

    def stored_entries(self, entries: list[Any]) -> None:
        self.stored = [f"#{entry.id} ({entry.describe()})" for entry in entries]
        self.say_left_out()

    def say_left_out(self) -> None:
        """Say (on stderr, once each) which invisible characters were left out of what was just
        stored. Said only once something is stored: a refused entry gets its one-line refusal."""
        for note in self.left_out:
            typer.echo(note, err=True)
        self.left_out.clear()


outcome = Outcome()  # reset by run() for every command


def now_local() -> datetime:
    """The only place the clock is read: local time, timezone-aware (DST-correct)."""
    from cart_cli.timefmt import LOCAL

    return datetime.now(LOCAL)


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
    from cart_cli.store import Store

    return _said_if_upgraded(Store.open(state_of(ctx).db_path, now=now))


def open_store_if_any(ctx: typer.Context, now: datetime) -> Store | None:
    """The database if there is one; None otherwise (reading never creates a file)."""
    from cart_cli.store import Store

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


def data_stream() -> TextIO:
    """Where a command writes a file's data (an export, a calendar) when no --output is
    given: through the terminal gate at a terminal, exactly as it is into a pipe or a file."""
    from cart_cli.output import raw_stream

    return sys.stdout if sys.stdout.isatty() else raw_stream(sys.stdout)


def print_json(data: object) -> None:
    import json

    typer.echo(json.dumps(data, indent=2, ensure_ascii=False))


def moment_or_now(at: str | None, now: datetime) -> datetime:
    from cart_cli.parsing import parse_when

    return now if at is None else parse_when(at, now)


def visible(text: str, what: str) -> str:
    """Text about the person's health (symptom words, own words, notes, what the team said,
    a medicine taken) without invisible characters: such an entry is never refused for one.
    Once the entry is stored, cart says on stderr what it removed; an entry refused for another
    reason gets only its one-line refusal. (Settings and the schedule refuse them instead.)"""
    from cart_cli.safe_text import describe_character, strip_invisible
    from cart_cli.timefmt import plural

    kept, removed = strip_invisible(text)
    if removed and kept.strip():  # with nothing visible left, the refusal (or no note) says it
        named = ", ".join(describe_character(char) for char in removed)
        note = (
            f"cart: the {what} held {plural(len(removed), 'invisible character')}, {named}; "
            f"{'it is' if len(removed) == 1 else 'they are'} left out of what is stored."
        )
        outcome.left_out[note] = None  # said once the entry is stored (``Outcome.say_left_out``)
    return kept


def clean_note(note: str | None) -> str | None:
    """A note: trimmed, at most MAX_NOTE_CHARS, invisible characters removed (``visible``);
    an empty note is no note."""
    from cart_cli.models import MAX_NOTE_CHARS
    from cart_cli.parsing import parse_text

    if note is None or not note.strip():
        return None
    note = visible(note, "note")
    if not note.strip():
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
NoAskOption = typer.Option(
    False, "--no-ask", help="Never ask questions about words cart cannot read (scripts never are asked)."
)


def confirm(question: str, yes: bool) -> None:
    if yes:
        return
    if not sys.stdin.isatty():
        raise InvalidInput("this removes data: add --yes to confirm when not at a terminal.")
    if not typer.confirm(question, default=False):
        raise CartError("nothing was removed.", exit_code=EXIT_FAILURE)


ForceOption = typer.Option(False, "--force", help="Replace the file if it already exists.")


def open_existing(ctx: typer.Context, now: datetime, doing: str) -> Store:
    """The database, or a clear error saying there is nothing to ``doing`` yet."""
    store = open_store_if_any(ctx, now)
    if store is None:
        raise CartError(f"there is no database at {state_of(ctx).db_path} yet: nothing to {doing}.")
    return store
