"""Everything Rich draws: one module per view.

The views take plain data from the core and return Rich renderables; only the CLI prints
them. Rich honours ``NO_COLOR`` and plain pipes by itself, and every level is written in
words as well as colour, so nothing depends on seeing colour.
"""

from __future__ import annotations

from datetime import datetime

from rich.console import Console


def console(*, stderr: bool = False) -> Console:
    """The console commands print to (``highlight=False``: no surprise colouring of numbers)."""
    return Console(stderr=stderr, highlight=False)


def local_time(moment: datetime, now: datetime) -> str:
    """``14:05`` today, ``Thu 26 Nov 14:05`` otherwise (and the year when it differs)."""
    local = moment.astimezone(now.tzinfo)
    if local.date() == now.date():
        return local.strftime("%H:%M")
    if local.year == now.year:
        return local.strftime("%a %d %b %H:%M")
    return local.strftime("%a %d %b %Y %H:%M")
