"""A VTIMEZONE (RFC 5545 3.6.5) built from ``zoneinfo``'s own transitions.

Why not ``icalendar``'s ``Timezone.from_tzid`` (or ``Calendar.add_missing_timezones``, which
calls it)? In icalendar 7.3 it writes each DAYLIGHT onset in the local time *after* the
change. RFC 5545 wants the local time *before* it (the time in ``TZOFFSETFROM``). A minimal
example, London's change to summer time on 29 March 2020 (01:00 UTC)::

    >>> from icalendar import Timezone
    >>> print(Timezone.from_tzid("Europe/London").to_ical().decode())  # doctest: +SKIP
    BEGIN:DAYLIGHT
    DTSTART:20200329T020000        <- 02:00 read in +0000 is 02:00 UTC: an hour late
    TZOFFSETFROM:+0000
    TZOFFSETTO:+0100

    this module:
    DTSTART:19960331T010000        <- 01:00 in +0000, the instant the clocks go forward
    RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3
    TZOFFSETFROM:+0000
    TZOFFSETTO:+0100

A reader that uses the file's own zone (libical, vobject) then put 02:30 local on an hour
that is 01:30 for a week each spring. The library's RDATEs also come as one comma-separated
line (vobject keeps only the first value) and stop in 2038.

So the zone is built here: the transitions are found by asking ``zoneinfo`` for the UTC
offset (a day at a time, then to the second), from ``since`` to 2037. The zone's current rule
(the same month, weekday, week and local time every year, up to 2037) becomes one component
with a yearly ``RRULE`` and no end, valid past 2038 as long as the rule holds; the changes
before that rule are listed, one ``RDATE`` a line (the first onset too: see ``vtimezone``).
Each onset is the local time before the change. ``tests/test_vtimezone.py`` checks every
onset from 2000 to 2037 (and the rule's years after) against ``zoneinfo`` for London, New
York and Sydney, and reads the file back with icalendar, ical and vobject.
"""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, NamedTuple
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    from icalendar import Timezone

LAST_YEAR = 2037  # transitions are found up to here; the rule carries on after it
_BYDAY = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


class Transition(NamedTuple):
    """One change of a zone's UTC offset: the instant (UTC), the offsets before and after,
    whether summer time is in force after it, and the zone's abbreviation after it."""

    at: datetime
    before: timedelta
    after: timedelta
    daylight: bool
    name: str

    @property
    def onset(self) -> datetime:
        """The local wall-clock time just before the change (naive), as RFC 5545 writes it."""
        return (self.at + self.before).replace(tzinfo=None)

    def pattern(self) -> set[tuple[int, int, int, str, timedelta, timedelta, bool]]:
        """The yearly rules this onset fits: (month, weekday, week, local time, offsets,
        daylight), where week is 1-4 (the first to fourth such weekday of the month) or -1
        (the last): the 29 March 2020 Sunday is both the fifth and the last."""
        local = self.onset
        keys = []
        week = (local.day - 1) // 7 + 1
        if week <= 4:
            keys.append(week)
        if local.day + 7 > calendar.monthrange(local.year, local.month)[1]:
            keys.append(-1)
        clock = f"{local:%H:%M:%S}"
        return {(local.month, local.weekday(), k, clock, self.before, self.after, self.daylight)
                for k in keys}  # fmt: skip


def _offset(zone: ZoneInfo, moment: datetime) -> timedelta:
    return moment.astimezone(zone).utcoffset() or timedelta(0)


def transitions(zone: ZoneInfo, since: date, until_year: int = LAST_YEAR) -> list[Transition]:
    """Every change of ``zone``'s UTC offset from ``since`` to the end of ``until_year``."""
    found: list[Transition] = []
    moment = datetime(since.year, since.month, since.day, tzinfo=UTC)
    end = datetime(until_year + 1, 1, 1, tzinfo=UTC)
    step = timedelta(days=1)
    offset = _offset(zone, moment)
    while moment < end:
        following = moment + step
        if _offset(zone, following) != offset:
            low, high = moment, following  # the change is in (low, high]: halve to the second
            while high - low > timedelta(seconds=1):
                middle = low + (high - low) / 2
                middle = middle.replace(microsecond=0)
                if _offset(zone, middle) == offset:
                    low = middle
                else:
                    high = middle
            local = high.astimezone(zone)
            after = local.utcoffset() or timedelta(0)
            found.append(Transition(high, offset, after, bool(local.dst()), local.tzname() or ""))
            offset = after
        moment = following
    return found


class ZonePart(NamedTuple):
    """One STANDARD or DAYLIGHT part of a VTIMEZONE, as plain data: the first onset (naive
    local time), every listed onset (RDATE, one a line), the yearly rule (month, the week's
    ``BYDAY`` such as ``-1SU``) if it has one, the offsets and the abbreviation."""

    daylight: bool
    start: datetime
    rdates: tuple[datetime, ...]
    rule: tuple[int, str] | None
    offset_from: timedelta
    offset_to: timedelta
    tzname: str


def zone_parts(name: str, since: date) -> list[ZonePart]:
    """The parts of the VTIMEZONE of the zone ``name`` for events from ``since`` on (see the
    module docstring): one per kind of change with the current rule as a yearly RRULE, the
    changes before that rule as RDATEs, one a line."""
    zone = ZoneInfo(name)
    # From a year earlier: the change before ``since`` must be there too, or a reader has no
    # offset for the times between ``since`` and the first change it is given.
    changes = transitions(zone, since - timedelta(days=366))
    if not changes:  # a zone with no change from ``since``: one STANDARD with its offset
        start = datetime(since.year, since.month, since.day, tzinfo=UTC)
        offset = _offset(zone, start)
        tzname = start.astimezone(zone).tzname() or name
        return [ZonePart(False, datetime(1970, 1, 1), (), None, offset, offset, tzname)]
    ruled: set[int] = set()  # indexes of the changes the yearly rules cover
    rules: list[tuple[tuple[int, int, int, str, timedelta, timedelta, bool], Transition]] = []
    for daylight in (True, False):
        kind = [i for i, t in enumerate(changes) if t.daylight is daylight]
        if not kind or changes[kind[-1]].at.year < LAST_YEAR - 1:
            continue  # no change of this kind in the last years: no rule carries on
        common = changes[kind[-1]].pattern()
        first = len(kind) - 1
        while first > 0:
            narrower = common & changes[kind[first - 1]].pattern()
            previous, current = changes[kind[first - 1]], changes[kind[first]]
            if not narrower or current.at.year - previous.at.year != 1:
                break
            common, first = narrower, first - 1
        if len(kind) - first < 2:
            continue  # one change is not a yearly rule
        rule = sorted(common, key=lambda key: key[2] < 0)[0]  # a week number before "last"
        ruled.update(kind[first:])
        rules.append((rule, changes[kind[first]]))
    # The changes before the rule, grouped by kind and offsets: DTSTART is the first onset,
    # and every onset (the first too) is an RDATE of its own line. ical (14.x) counts only
    # the RDATEs and RRULE, never a DTSTART alone; vobject reads one RDATE a line only.
    groups: dict[tuple[bool, timedelta, timedelta, str], list[Transition]] = {}
    for i, change in enumerate(changes):
        if i not in ruled:
            groups.setdefault((change.daylight, change.before, change.after, change.name), []).append(change)
    parts = [
        ZonePart(daylight, listed[0].onset, tuple(c.onset for c in listed), None, before, after, abbreviation)
        for (daylight, before, after, abbreviation), listed in groups.items()
    ]
    for (month, weekday, week, _clock, before, after, daylight), first_change in rules:
        yearly = (month, f"{week}{_BYDAY[weekday]}")
        parts.append(ZonePart(daylight, first_change.onset, (), yearly, before, after, first_change.name))
    return parts


def vtimezone(name: str, since: date) -> Timezone:
    """The VTIMEZONE of ``zone_parts`` as an ``icalendar`` component (for readers and tests;
    `cart calendar` writes the same lines itself, see ``formats/ics.py``)."""
    from icalendar import Timezone, TimezoneDaylight, TimezoneStandard, vRecur

    component = Timezone()
    component.add("tzid", name)
    for zone_part in zone_parts(name, since):
        part = TimezoneDaylight() if zone_part.daylight else TimezoneStandard()
        part.add("dtstart", zone_part.start)
        for onset in zone_part.rdates:
            part.add("rdate", onset)
        if zone_part.rule is not None:
            month, byday = zone_part.rule
            part.add("rrule", vRecur({"freq": "yearly", "bymonth": month, "byday": byday}))
        part.add("tzoffsetfrom", zone_part.offset_from)
        part.add("tzoffsetto", zone_part.offset_to)
        part.add("tzname", zone_part.tzname)
        component.add_component(part)
    return component
