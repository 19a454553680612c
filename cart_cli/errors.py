"""The one error type the core raises, and the exit codes the command line uses.

Messages are written for the person at the keyboard: they say what was wrong and what is
accepted. The CLI turns a ``CartError`` into one line on stderr and its exit code.
"""

from __future__ import annotations

from .levels import Level

# Exit codes shared by every command (documented in the README).
EXIT_FAILURE = 1  # the command could not do its job (database unreadable, locked, ...)
EXIT_USAGE = 2  # the person typed something we cannot accept; nothing was written

# `cart check` uses the monitoring-plugin convention instead. An emergency exits 2, as red:
# a script testing `== 2` or `>= 2` for "call now", or a monitor reading 2 as critical, must
# never see an emergency as less than red (a monitor reads 4 or more as unknown). `--json`
# says "emergency" in `level`.
CHECK_EXIT: dict[Level, int] = {
    Level.GREEN: 0,
    Level.AMBER: 1,
    Level.RED: 2,
    Level.EMERGENCY: 2,
    Level.UNKNOWN: 3,
}


class CartError(Exception):
    """A failure with a message meant for the person, and the exit code to use."""

    exit_code = EXIT_FAILURE

    def __init__(self, message: str, *, exit_code: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        if exit_code is not None:
            self.exit_code = exit_code


class Stopped(CartError):
    """The command was stopped half-way (Ctrl-C, SIGTERM, SIGHUP) and says what was kept. Its
    exit code is the shells' 128 + the signal's number (130 Ctrl-C, 129 SIGHUP, 143
    SIGTERM): the command line sets it, where the signal is known."""

    exit_code = 130  # 128 + SIGINT, until the command line knows better


class InvalidInput(CartError):
    """Something typed on the command line (a value, unit, time, id) cannot be accepted."""

    exit_code = EXIT_USAGE


class StoreError(CartError):
    """The database cannot be opened, read or written."""

    exit_code = EXIT_FAILURE
