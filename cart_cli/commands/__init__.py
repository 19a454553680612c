"""The command line, one module per group of commands. They parse and print; the work is
done by the core (store, rules, timeline), which knows nothing of Typer or Rich.

``base.COMMANDS`` names every command and the modules that define it; a command's module is
imported (which registers it on ``app``) only when that command is run. ``app`` here is the
Typer app with every command registered, for tools that walk the whole tree.
"""

from __future__ import annotations

from typing import Any

__all__ = ["app"]


def __getattr__(name: str) -> Any:
    if name == "app":
        from cart_cli.commands.base import app, load_commands

        load_commands()
        return app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
