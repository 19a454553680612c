"""How dates and times are written for people: one style everywhere, the same in every locale.

Plain Python (no Rich), so the core and the quick paths of the CLI can use it.
"""

from __future__ import annotations

from datetime import date, datetime

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def format_date(day: date) -> str:
    """``Tue 3 Feb 2027``."""
    return f"{WEEKDAYS[day.weekday()]} {day.day} {MONTHS[day.month - 1]} {day.year}"


def local_time(moment: datetime, now: datetime) -> str:
    """``14:05`` on the day of ``now``, ``Thu 26 Nov 14:05`` otherwise (with the year if it differs)."""
    local = moment.astimezone(now.tzinfo)
    clock = f"{local.hour:02d}:{local.minute:02d}"
    if local.date() == now.date():
        return clock
    year = "" if local.year == now.year else f" {local.year}"
    return f"{WEEKDAYS[local.weekday()]} {local.day} {MONTHS[local.month - 1]}{year} {clock}"
