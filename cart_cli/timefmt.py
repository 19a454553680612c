"""How dates, times and counts are written for people: one style everywhere, in every locale.

Plain Python (no Rich), so the core and the quick paths of the CLI can use it.
"""

from __future__ import annotations

import os
import time
from datetime import UTC, date, datetime, timedelta, tzinfo

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


NAMED_AFTER = 100  # conversions through the C library before LOCAL turns to zoneinfo


class SystemLocalTime(tzinfo):
    """The machine's own time zone, with the right UTC offset for each moment.

    ``datetime.now().astimezone()`` gives a fixed offset: the one in force *now*. Converting a
    summer entry with a winter offset would show it an hour out, and "yesterday 21:30" typed
    the morning after a clock change would be stored an hour wrong. This gives every moment
    its own offset, and follows PEP 495 for the hour that repeats when clocks go back
    (``fold``) and the hour skipped when they go forward.

    Where the zone has a name (TZ names one, or /etc/localtime links to one) the conversion is
    the standard library's ``zoneinfo`` reading the same zone file the C library reads (a few
    times faster, which matters over a year of entries), once a command has converted
    ``NAMED_AFTER`` moments. Before that, and otherwise (TZ is a POSIX rule
    such as ``CET-1CEST``, or the zone has no name) it asks the C library about each moment,
    as before (about 10 µs). Both give the same answers (tests/test_timefmt.py compares them
    hour by hour across clock changes). TZ is read again after every ``time.tzset()``, which is
    also when the C library reads it.
    """

    def __init__(self, named: bool | None = None) -> None:
        # None: the C library for the first conversions of a run, zoneinfo after that, so a
        # short command does not pay for importing zoneinfo and reading the zone file (about
        # as much as 100 conversions through the C library). True or False: always one path
        # (the tests compare the two).
        self._use_named = named
        self._conversions = 0
        # The zone looked up for the C library's settings of ``_tz_seen``: time.tzset() (which
        # makes the C library read TZ again) gives time.tzname a new tuple, so an identity
        # check finds every change without reading the environment on each conversion.
        self._tz_seen: object = None
        self._named: tzinfo | None = None
        # The last offset asked for: comparing many entries with one moment (``now``) asks
        # about that same moment each time.
        self._last: tuple[datetime, object, timedelta] | None = None

    def _zone(self) -> tzinfo | None:
        """The named zone for the current TZ, or None to use the C library."""
        if time.tzname is self._tz_seen:
            return self._named
        if self._use_named is False:
            return None
        if self._use_named is None and self._conversions < NAMED_AFTER:
            self._conversions += 1
            return None
        self._named = named_zone(os.environ.get("TZ"))
        self._tz_seen = time.tzname
        return self._named

    def _offset_seconds(self, dt: datetime) -> int:
        """The C library's offset for the wall-clock reading ``dt`` (its tzinfo is ignored)."""
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
        last = self._last
        if last is not None and last[0] is dt and last[1] is time.tzname:
            return last[2]
        zone = self._zone()
        if zone is not None:
            offset = zone.utcoffset(dt) or timedelta(0)  # a named zone always has an offset
        else:
            offset = timedelta(seconds=self._offset_seconds(dt))
        self._last = (dt, time.tzname, offset)
        return offset

    def _struct(self, dt: datetime | None) -> time.struct_time:
        if dt is None:
            return time.localtime()
        wall = datetime(dt.year, dt.month, dt.day, dt.hour, dt.minute, dt.second, tzinfo=UTC)
        return time.localtime(wall.timestamp() - self._offset_seconds(dt))

    def dst(self, dt: datetime | None) -> timedelta:
        zone = self._zone() if dt is not None else None
        if zone is not None:
            return zone.dst(dt) or timedelta(0)
        return timedelta(hours=1) if self._struct(dt).tm_isdst > 0 else timedelta(0)

    def tzname(self, dt: datetime | None) -> str:
        zone = self._zone() if dt is not None else None
        if zone is not None:
            return str(zone.tzname(dt))
        return self._struct(dt).tm_zone

    def fromutc(self, dt: datetime) -> datetime:
        zone = self._zone()
        if zone is not None:
            return zone.fromutc(dt.replace(tzinfo=zone)).replace(tzinfo=self)
        offset = time.localtime(dt.replace(tzinfo=UTC).timestamp()).tm_gmtoff
        local = (dt + timedelta(seconds=offset)).replace(tzinfo=self)
        if self._offset_seconds(local) != offset:
            local = local.replace(fold=1)  # the second time this wall-clock reading comes round
        return local

    def __repr__(self) -> str:
        return "SystemLocalTime()"


def named_zone(tz: str | None, localtime: str = "/etc/localtime") -> tzinfo | None:
    """The zone ``TZ`` names (``Europe/London``, ``:Europe/London`` or a zone file's path);
    with no TZ, the one /etc/localtime links to. None for anything else (a POSIX rule such as
    ``CET-1CEST``, an unknown name, no link): the C library is asked then."""
    if tz is not None:
        tz = tz.lstrip(":")
        if not tz or any(char.isdigit() for char in tz):
            return None  # "" means UTC to the C library; digits: a POSIX rule it reads itself
    else:
        try:
            target = os.path.realpath(localtime)
        except OSError:
            return None
        if "/zoneinfo/" not in target:
            return None
        tz = target.split("/zoneinfo/", 1)[1]
    import zoneinfo

    try:
        if tz.startswith("/"):
            with open(tz, "rb") as file:
                return zoneinfo.ZoneInfo.from_file(file)
        return zoneinfo.ZoneInfo(tz)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        return None


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


def iso_time(moment: datetime) -> str:
    """ISO 8601 to the second with the UTC offset, as files for other programs need it
    (FHIR, JSON). ISO 8601 writes offsets in hours and minutes only: in a zone whose offset
    has seconds (``TZ=ABC-5:30:15``) the same instant is written in UTC instead, exactly."""
    offset = moment.utcoffset()
    if offset is not None and offset.total_seconds() % 60:
        moment = moment.astimezone(UTC)
    return moment.isoformat(timespec="seconds")
