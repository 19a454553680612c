"""The command line: parse what was typed, call the core, print the result. Nothing else.

The commands live in ``cart_cli.commands``, one module per group. Rich, the rules and
the migrations are imported inside the commands that use them, so ``cart log temp 37.1``
only pays for what it needs. ``run`` is the single exit point: it turns a ``CartError`` or
a usage error into one line on stderr and the documented exit code, and never prints a
traceback (let alone local variables, which would hold health data) unless ``--debug``.
"""

from __future__ import annotations

import contextlib
import gc
import os
import sys
from typing import Any, Protocol, TypeGuard

import typer

from cart_cli.commands.base import outcome, root_command
from cart_cli.errors import CHECK_EXIT, EXIT_FAILURE, EXIT_USAGE, CartError, InvalidInput, Stopped
from cart_cli.levels import Level

__all__ = ["app", "main", "run"]  # noqa: F822  (app: see __getattr__)


def __getattr__(name: str) -> Any:
    """``app``: the Typer app with every command registered (cart itself builds only the
    command that was asked for, see ``commands.base.COMMANDS``)."""
    if name == "app":
        from cart_cli.commands import app

        return app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# -- the single exit point -----------------------------------------------------------------


def run(argv: list[str]) -> int:
    """Run cart with ``argv`` and return the exit status (no ``sys.exit``: tests call this).
    Everything it writes to stdout and stderr passes the terminal gate (``TerminalGate``)."""
    from cart_cli.output import TerminalGate

    streams = (sys.stdout, sys.stderr)
    if sys.stdout is not None and not isinstance(sys.stdout, TerminalGate):
        sys.stdout = TerminalGate(sys.stdout)
    if sys.stderr is not None and not isinstance(sys.stderr, TerminalGate):
        sys.stderr = TerminalGate(sys.stderr)
    try:
        return _run(argv)
    finally:
        sys.stdout, sys.stderr = streams


def _run(argv: list[str]) -> int:
    os.umask(0o077)  # anything cart creates (database, backups, exports) is private
    outcome.reset()
    _check_time_zone()
    command = root_command()
    try:
        result = command.main(args=list(argv), prog_name="cart", standalone_mode=False)
        if result == EXIT_INTERRUPTED:  # Typer answers Ctrl-C (KeyboardInterrupt) with 130 itself
            return _stopped(_stop_signal is not None)
        return result if isinstance(result, int) else 0
    except typer.Exit as done:
        return done.exit_code
    except KeyboardInterrupt as stop:
        return _stopped(isinstance(stop, Terminated))
    except BaseException as error:
        from cart_cli.output import is_output_failure

        if is_output_failure(error) or _click_saw_a_broken_pipe(error):
            return output_failed(argv)
        if isinstance(error, InvalidInput) and _subcommand(argv) == "log":
            error = InvalidInput(f"{error.message.rstrip('.')}. {_worried_line(argv)}")
        code = _report(error, debug="--debug" in argv)
    # When `cart check` cannot judge, it says UNKNOWN (3): never 0, and never a colour.
    return CHECK_EXIT[Level.UNKNOWN] if _subcommand(argv) == "check" else code


def _worried_line(argv: list[str]) -> str:
    """What holds whatever the value was: after a refused `cart log`, nothing was stored, and
    a worry does not wait for a reading cart can take. Names the team's number when set up."""
    phone, emergency = None, "999"
    with contextlib.suppress(Exception):  # any trouble reading the plan: say it without the number
        from cart_cli.commands.base import now_local
        from cart_cli.files import resolve_db_path
        from cart_cli.store import Store

        db = argv[argv.index("--db") + 1] if "--db" in argv[:-1] else None
        store = Store.open_existing(resolve_db_path(db), now=now_local())
        if store is not None:
            with store:
                plan = store.plan()
            phone = plan.phone if plan else None
            emergency = plan.emergency_number if plan else emergency
    team = f"your team on {phone}" if phone else "your hospital team's 24-hour number"
    return (
        f"Nothing was stored. Whatever the reading, if you are worried call {team} now; "
        f"in an emergency call {emergency}."
    )


class Terminated(KeyboardInterrupt):
    """SIGTERM or SIGHUP: stop as Ctrl-C does, so every ``finally`` cleans up (a partial
    export or backup file is removed, an open transaction is rolled back)."""


# A command stopped by a signal exits 128 + the signal's number, as shells report it:
# 130 for Ctrl-C (SIGINT 2), 129 for SIGHUP (1, the terminal closed), 143 for SIGTERM (15).
EXIT_SIGNAL_BASE = 128
EXIT_INTERRUPTED = EXIT_SIGNAL_BASE + 2  # Ctrl-C; Typer answers a KeyboardInterrupt with it itself
_stop_signal: int | None = None  # set by the SIGTERM/SIGHUP handler: Typer hides which signal it was


def _on_terminate(signum: int, frame: object) -> None:
    global _stop_signal
    _stop_signal = signum
    raise Terminated


def stop_exit_code() -> int:
    """The exit status of a command stopped now: 128 + the signal that stopped it (Ctrl-C's
    SIGINT when no other signal arrived)."""
    return EXIT_INTERRUPTED if _stop_signal is None else EXIT_SIGNAL_BASE + _stop_signal


def _stopped(terminated: bool) -> int:
    """Ctrl-C (130), SIGHUP (129) or SIGTERM (143): one line saying what was kept, if anything."""
    from cart_cli import store

    if outcome.stored:
        kept = f"stopped; {', '.join(outcome.stored)} had already been stored and is kept."
    elif store.committed_writes:
        kept = "stopped after saving its change."
    else:
        kept = "stopped; nothing was changed."
    # At a terminal the ^C is still on the question's line: start a fresh one first.
    at_terminal = sys.stderr is not None and sys.stderr.isatty()
    _say(f"{chr(10) if at_terminal else ''}cart: {kept}")
    return stop_exit_code() if terminated else EXIT_INTERRUPTED


def _check_time_zone() -> None:
    """An unknown ``TZ`` (a typo such as Europe/Londn) makes the C library use UTC without a
    word, so every time shown would be off: use UTC openly and say so, once per command."""
    name = os.environ.get("TZ", "").lstrip(":")
    if not name or any(char.isdigit() for char in name):
        return  # unset, or a POSIX rule such as CET-1CEST: the C library reads those itself
    if name.startswith("/"):
        known = os.path.isfile(name)
    else:
        import zoneinfo

        try:
            zoneinfo.ZoneInfo(name)
            known = True
        except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
            known = False
    if not known:
        os.environ["TZ"] = "UTC"
        import time

        time.tzset()
        _say(f"cart: the time zone TZ={name!r} is not known on this computer; times are in UTC.")


def output_failed(argv: list[str]) -> int:
    """Printing failed (stdout closed, or its reader went away): the exit status still says
    what happened. `cart check` exits with its level; `cart log` exits 0 when its entries were
    stored, and says so on stderr, so a script does not log them twice."""
    if outcome.output_failed:
        return outcome.exit_code if outcome.exit_code is not None else 0 if outcome.stored else EXIT_FAILURE
    outcome.output_failed = True
    if outcome.exit_code is not None:
        level = outcome.level or Level.UNKNOWN
        _say(
            f"cart: the result could not be printed (the output is closed); it is {level.upper()} "
            f"(exit status {outcome.exit_code}). Run `cart check` again where it can be read."
        )
        return outcome.exit_code
    if outcome.stored:
        _say(
            f"cart: stored {', '.join(outcome.stored)}, but the output could not be printed; "
            "do not log it again. Run `cart check` to see the advice."
        )
        return 0
    _say("cart: the output could not be written (it is closed).")
    return CHECK_EXIT[Level.UNKNOWN] if _subcommand(argv) == "check" else EXIT_FAILURE


def _click_saw_a_broken_pipe(error: BaseException) -> bool:
    """Click and Rich answer a broken pipe themselves, with ``SystemExit(1)`` (Click also
    wraps stdout in PacifyFlushWrapper): that would hide the level of `cart check` and the
    entries `cart log` stored. Commands never raise SystemExit themselves (they raise
    ``typer.Exit``), so one arriving after a result was reached is a failed output."""
    if not isinstance(error, SystemExit):
        return False
    return (
        type(sys.stdout).__name__ == "PacifyFlushWrapper"
        or outcome.exit_code is not None
        or bool(outcome.stored)
    )


def _say(line: str) -> None:
    """One line on stderr, if stderr itself can still be written."""
    with contextlib.suppress(OSError, ValueError):
        print(line, file=sys.stderr, flush=True)


def _report(error: BaseException, debug: bool) -> int:
    """Print one line on stderr for a failure and return its exit status."""
    if isinstance(error, Stopped):  # a command that says itself what was kept
        typer.echo(f"cart: {error.message}", err=True)
        return stop_exit_code()
    if isinstance(error, CartError):
        typer.echo(f"cart: {error.message}", err=True)
        return error.exit_code
    if isinstance(error, typer.Abort):  # Ctrl-C or Ctrl-D at a question, or a signal (Click's wrapping)
        return _stopped(terminated=isinstance(error.__context__, Terminated))
    if _is_a(error, "NoArgsIsHelpError") and error.ctx is not None:  # `cart log` alone: show its help
        typer.echo(error.ctx.get_help())
        return 0
    if _is_a(error, "UsageError"):
        no_such_option = type(error).__name__ == "NoSuchOption"
        ctx = getattr(error, "ctx", None)
        path = ctx.command_path if ctx is not None else "cart"
        message = " ".join(error.format_message().split())
        option = getattr(error, "option_name", None)
        takes_a_name = ctx is not None and any(
            getattr(param, "param_type_name", "") == "argument" for param in ctx.command.params
        )
        if no_such_option and option and takes_a_name:
            # `cart med add -x --times 08:00`: a name that starts with - goes last, after --.
            from cart_cli.safe_text import printable

            shown = printable(option)  # typed text: a line break in it must not break the line
            message += f"; if {shown} is a name, put it last, after --: `{path} [OPTIONS] -- {shown}`"
        typer.echo(f"{path}: {message} (see `{path} --help`)", err=True)
        return EXIT_USAGE
    if _is_a(error, "ClickException"):
        typer.echo(f"cart: {' '.join(error.format_message().split())}", err=True)
        return error.exit_code
    if isinstance(error, OSError):  # a file or folder cart could not use: say which, and why
        from cart_cli.files import os_words

        where = f" {error.filename}" if error.filename else ""
        typer.echo(f"cart: cannot use{where}: {os_words(error)}.", err=True)
        return EXIT_FAILURE
    if not isinstance(error, Exception):
        raise error  # SystemExit and the like are not failures to report
    return _crash(error, debug)


class _ClickContext(Protocol):
    command_path: str

    def get_help(self) -> str: ...


class _ClickError(Protocol):
    """What cart uses of a Click exception (``ctx`` only on a usage error)."""

    exit_code: int
    ctx: _ClickContext | None

    def format_message(self) -> str: ...


def _is_a(error: BaseException, class_name: str) -> TypeGuard[_ClickError]:
    """Typer ships its own copy of Click, so its exceptions are matched by class name."""
    return any(cls.__name__ == class_name for cls in type(error).__mro__)


def _subcommand(argv: list[str]) -> str | None:
    """The first word that is not a global option (or its value)."""
    words = iter(argv)
    for word in words:
        if word == "--db":
            next(words, None)
        elif not word.startswith("-"):
            return word
    return None


def _crash(error: Exception, debug: bool) -> int:
    """A bug in cart: say so without printing any data (no locals, no values)."""
    if debug:
        import traceback

        traceback.print_exc()  # a plain traceback: files and lines, never local variables
    else:
        typer.echo(
            f"cart: something went wrong inside cart ({type(error).__name__}); entries already "
            "saved are safe. Run the same command with --debug for details. If you were checking "
            "symptoms, do not wait: call your hospital team.",
            err=True,
        )
    return EXIT_FAILURE


# Commands whose work is bounded whatever the size of the data (one entry and one check
# window): started from ``__main__``, they run to their end without the cycle collector.
BOUNDED_COMMANDS = frozenset({"log"})
HELP_OR_VERSION = frozenset({"--help", "-h", "--version"})
# How many new objects the collector lets pass before it looks at the youngest ones again
# (Python's default is 700). A command still imports its modules (Rich, the rules) as it
# runs, and each of those makes thousands of objects that live until exit: at 700, the
# collector would walk them again and again while the command starts.
YOUNG_OBJECTS_BEFORE_COLLECTING = 20_000


def collect_cycles_unless_bounded(argv: list[str]) -> None:
    """Turn Python's cycle collector back on (``__main__`` pauses it while cart starts) unless
    the command is bounded: `cart log ...`, or a help page or the version of cart itself. A
    command whose work grows with the data (serve, import, export, report, history, ...)
    always runs with it. What cart has made before the command runs (its modules, Typer's)
    is frozen first: it lives until exit, so the collector is spared walking it again.
    Does nothing when the collector is on (cart used as a library, tests)."""
    if gc.isenabled():
        return
    command = _subcommand(argv)
    if command in BOUNDED_COMMANDS or (command is None and HELP_OR_VERSION & set(argv)):
        return
    gc.freeze()
    gc.set_threshold(YOUNG_OBJECTS_BEFORE_COLLECTING, 20, 20)
    gc.enable()


def main() -> None:
    from cart_cli.output import is_output_failure, protect_streams, silence_stdout

    protect_streams()  # advice on any terminal: what it cannot show is written as ASCII
    import signal

    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), _on_terminate)
    argv = sys.argv[1:]
    collect_cycles_unless_bounded(argv)
    code = run(argv)
    try:
        sys.stdout.flush()  # the last of the output, while failing can still change the answer
    except (OSError, ValueError) as error:
        if not is_output_failure(error):
            raise
        silence_stdout()
        code = output_failed(argv) if code != outcome.exit_code else code
    # Done: the store is closed and the output flushed. What the command made is left out of
    # the cycle collection Python runs as it exits (it would walk every object once more only
    # to free memory the exit returns to the system anyway: about 4 ms of a 95 ms check).
    gc.freeze()
    sys.exit(code)
