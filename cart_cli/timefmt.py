"""How dates and times are written for people: one style everywhere, the same in every locale.

Plain Python (no Rich), so the core and the quick paths of the CLI can use it.
"""

from __future__ import annotations

import time
from datetime import date, datetime, timedelta, timezone, tzinfo

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


class SystemLocalTime(tzinfo):
    """The machine's own time zone, with the right UTC offset for each moment.

    ``datetime.now().astimezone()`` gives a fixed offset: the one in force *now*. Converting a
    summer entry with a winter offset would show it an hour out, and "yesterday 21:30" typed
    the morning after a clock change would be stored an hour wrong. This asks the C library
    (which reads TZ and the system zone files) for every moment instead, without the cost of
    importing a time-zone library on every start.
    """

    def _local(self, dt: datetime) -> time.struct_time:
        # The wall-clock time in ``dt`` read as local time; in the hour a clock change
        # repeats, the C library picks one reading, as a wall clock would.
        wall = (dt.year, dt.month, dt.day, dt.hour, dt.minute, dt.second, 0, 0, -1)
        return time.localtime(time.mktime(wall))

    def utcoffset(self, dt: datetime | None) -> timedelta:
        if dt is None:
            return timedelta(seconds=time.localtime().tm_gmtoff)
        return timedelta(seconds=self._local(dt).tm_gmtoff)

    def dst(self, dt: datetime | None) -> timedelta:
        flag = time.localtime().tm_isdst if dt is None else self._local(dt).tm_isdst
        return timedelta(hours=1) if flag > 0 else timedelta(0)

    def tzname(self, dt: datetime | None) -> str:
        return (time.localtime() if dt is None else self._local(dt)).tm_zone

    def fromutc(self, dt: datetime) -> datetime:
        utc = dt.replace(tzinfo=timezone.utc)
        offset = time.localtime(utc.timestamp()).tm_gmtoff
        return (dt + timedelta(seconds=offset)).replace(tzinfo=self)

    def __repr__(self) -> str:
        return "SystemLocalTime()"


LOCAL = SystemLocalTime()


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
