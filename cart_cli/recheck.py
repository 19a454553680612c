"""The re-check the team asked for on the latest call (issue 18), found in the entries.

The verdict names it (``verdict.py`` re-exports ``team_recheck``), and `cart calendar` puts a
re-check still to come in the calendar file: it lives here, apart from the verdict, so that
writing the calendar does not load the rules.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cart_cli.models import Entry

RECHECK_EARLY = timedelta(minutes=15)  # a reading this long before a re-check is due counts as it
_READINGS = ("temp", "bp", "pulse", "spo2")


def team_recheck(entries: Sequence[Entry], now: datetime) -> tuple[Entry, datetime, bool] | None:
    """The re-check the team asked for on the latest call, if it is still to do: the call,
    when it is due, and whether it is overdue. A reading from a little before it is due on
    (``RECHECK_EARLY``) is the re-check."""
    calls = [e for e in entries if e.kind == "call"]
    if not calls:
        return None
    call = max(calls, key=lambda e: (e.recorded_at, e.id or 0))
    if not call.recheck_minutes:
        return None
    # An entry dated after now is counted as now, as everywhere.
    due = min(call.recorded_at, now) + timedelta(minutes=call.recheck_minutes)
    early = due - RECHECK_EARLY
    if any(e.kind in _READINGS and min(e.recorded_at, now) >= early for e in entries):
        return None
    return call, due, now >= due
