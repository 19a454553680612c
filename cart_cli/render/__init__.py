"""Everything Rich draws: one module per view.

The views take plain data from the core and return Rich renderables; only the CLI prints
them. Rich honours ``NO_COLOR`` and plain pipes by itself, and every level is written in
words as well as colour, so nothing depends on seeing colour.
"""

from __future__ import annotations

from rich.console import Console


def console() -> Console:
    """The console commands print to (``highlight=False``: no surprise colouring of numbers;
    ``emoji=False``: text is shown as typed, ":smile:" in a note stays those characters, and
    Rich's table of emoji names is not loaded on every start)."""
    return Console(highlight=False, emoji=False)
