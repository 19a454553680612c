"""The command line, one module per group of commands. They parse and print; the work is
done by the core (store, rules, timeline), which knows nothing of Typer or Rich.

Importing this package registers every command on ``app``.
"""

from cart_cli.commands import appt, check, data, entries, log, med, neuro, overview, report, serve, setup  # noqa: F401  (registers)
from cart_cli.commands.base import app

__all__ = ["app"]
