"""How dates, times and counts are written for people: one style everywhere, in every locale.

Plain Python (no Rich), so the core and the quick paths of the CLI can use it.
"""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta, tzinfo

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


class SystemLocalTime(tzinfo):
    """The machine's own time zone, with the right UTC offset for each moment.

    ``datetime.now().astimezone()`` gives a fixed offset: the one in force *now*. Converting a
    summer entry with a winter offset would show it an hour out, and "yesterday 21:30" typed
    the morning after a clock change would be stored an hour wrong. This asks the C library
    (which reads TZ and the system zone files) about every moment instead, without the cost of
    importing a time-zone library on every start. It follows PEP 495 for the hour that
    repeats when clocks go back (``fold``) and the hour skipped when they go forward.
    """

    def _offset_seconds(self, dt: datetime) -> int:
        wall = datetime(dt.year, dt.month, dt.day, dt.hour, dt.minute, dt.second, tzinfo=UTC)
        wall_seconds = wall.timestamp()  # the wall-clock reading, as if it were UTC
        before = time.localtime(wall_seconds - 86400).tm_gmtoff
        after = time.localtime(wall_seconds + 86400).tm_gmtoff
        valid = [o for o in dict.fromkeys((before, after)) if time.localtime(wall_seconds - o).tm_gmtoff == o]
        if len(valid) == 1:
            return valid[0]
        # The repeated hour (two valid readings) or the skipped one (none): as PEP 495 says,
        # fold=0 takes the offset from before the change and fold=1 the one after.
        return before if dt.fold == 0 else after

    def utcoffset(self, dt: datetime | None) -> timedelta:
        if dt is None:
            return timedelta(seconds=time.localtime().tm_gmtoff)
        return timedelta(seconds=self._offset_seconds(dt))

    def _struct(self, dt: datetime | None) -> time.struct_time:
        if dt is None:
            return time.localtime()
        wall = datetime(dt.year, dt.month, dt.day, dt.hour, dt.minute, dt.second, tzinfo=UTC)
        return time.localtime(wall.timestamp() - self._offset_seconds(dt))

    def dst(self, dt: datetime | None) -> timedelta:
        return timedelta(hours=1) if self._struct(dt).tm_isdst > 0 else timedelta(0)

    def tzname(self, dt: datetime | None) -> str:
        return self._struct(dt).tm_zone

    def fromutc(self, dt: datetime) -> datetime:
        offset = time.localtime(dt.replace(tzinfo=UTC).timestamp()).tm_gmtoff
        local = (dt + timedelta(seconds=offset)).replace(tzinfo=self)
        if self._offset_seconds(local) != offset:
            local = local.replace(fold=1)  # the second time this wall-clock reading comes round
        return local

    def __repr__(self) -> str:
        return "SystemLocalTime()"


LOCAL = SystemLocalTime()


def plural(count: int, one: str, many: str | None = None) -> str:
    """``1 day``, ``3 days``; ``many`` for words that do not just add an s (``entries``)."""
    return f"{count} {one if count == 1 else (many or one + 's')}"


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
