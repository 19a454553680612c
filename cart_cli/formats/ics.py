"""The person's schedule as an iCalendar file (RFC 5545), written with ``icalendar``.

Phone and desktop calendars (Google, Apple, Outlook, Android) import it and ring the
reminders that a command-line tool cannot. What goes in is decided by
``schedule.calendar_events``; this module only writes it:

- every event keeps the UID it is given, so importing a newer file updates the events
  instead of adding copies;
- times carry the person's time zone (with its VTIMEZONE, built from zoneinfo's transitions
  by ``vtimezone.py``) when the zone has a name, so a daily 08:00 reminder stays at 08:00
  across a clock change. Without a name (no TZ, no
  /etc/localtime link) times are written in UTC, and the calendar's description says so;
- a repeating reminder is one event with an ``RRULE`` (daily, every N days, or weekly on
  some days); its ``UNTIL`` is in UTC, as RFC 5545 requires, and keeps the last dose.

``icalendar`` is imported only here, and this module only by `cart calendar`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, timedelta, tzinfo
from pathlib import Path

from cart_cli import __version__
from cart_cli.schedule import CalendarEvent

CALENDAR_NAME = "cart: recovery schedule"
PRODUCT_ID = f"-//cart//cart-cli {__version__}//EN"
UTC_NOTE = (
    "Times are in UTC because cart could not find the name of this computer's time zone "
    "(set TZ, e.g. TZ=Europe/London): daily reminders may be an hour out after a clock change."
)


def local_zone_name(
    environ: Mapping[str, str] | None = None, localtime: Path = Path("/etc/localtime")
) -> str | None:
    """The IANA name of the local time zone (``Europe/London``), or None if it has none
    we can use: from TZ when it names a zone, else from the /etc/localtime link."""
    from zoneinfo import ZoneInfo

    env = os.environ if environ is None else environ
    candidates: list[str] = []
    tz = env.get("TZ", "").lstrip(":").strip()
    if tz:
        candidates.append(tz.removeprefix("/usr/share/zoneinfo/"))
    else:
        try:
            target = os.path.realpath(localtime)
        except OSError:
            target = ""
        if "/zoneinfo/" in target:
            candidates.append(target.split("/zoneinfo/", 1)[1])
    for name in candidates:
        try:
            ZoneInfo(name)
        except (KeyError, ValueError, OSError):  # not found (a KeyError), or not a zone key
            continue
        return name
    return None


_BYDAY = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
# UNTIL is put half a day after the last dose. Any moment from the last dose to the next
# (a day or more later) ends the series there, but not every reader lands on the exact one:
# in UTC (no zone name) a wall-clock dose moves by an hour across a clock change, and
# vobject, with the file's own zone, reads an UNTIL equal to the last dose as an hour earlier.
_UNTIL_SLACK = timedelta(hours=12)


def recurrence(item: CalendarEvent) -> dict[str, object]:
    """The RRULE of a repeating event: daily (``INTERVAL`` for every N days) or weekly on
    its days (``BYDAY``); ``UNTIL`` in UTC (RFC 5545 3.3.10), half a day after the last
    dose, so every reader keeps that dose and none adds one after it."""
    rule: dict[str, object] = {"freq": "weekly" if item.weekdays else "daily"}
    if item.weekdays:
        rule["byday"] = [_BYDAY[d] for d in item.weekdays]
    if item.interval > 1:
        rule["interval"] = item.interval
    if item.last is not None:
        rule["until"] = item.last.astimezone(UTC) + _UNTIL_SLACK
    return rule


def to_ics(events: Sequence[CalendarEvent], zone_name: str | None, now: datetime) -> bytes:
    """The calendar file's bytes (CRLF line ends, folded lines, UTF-8)."""
    from zoneinfo import ZoneInfo

    from icalendar import Alarm, Calendar, Event, vRecur

    zone: tzinfo = ZoneInfo(zone_name) if zone_name else UTC

    def moment(value: date | datetime) -> date | datetime:
        return value.astimezone(zone) if isinstance(value, datetime) else value

    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", CALENDAR_NAME)
    description = (
        "Your CAR-T recovery schedule from cart: milestones, your appointments, and reminders "
        "to take your temperature and medicines. Make a new file and import it again whenever "
        "your schedule changes. It holds no readings."
    )
    if zone_name:
        calendar.add("x-wr-timezone", zone_name)
    else:
        description += " " + UTC_NOTE
    calendar.add("x-wr-caldesc", description)
    stamp = now.astimezone(UTC).replace(microsecond=0)
    for item in events:
        event = Event()
        event.add("uid", item.uid)
        event.add("dtstamp", stamp)
        event.add("summary", item.summary)
        event.add("description", item.description)
        event.add("dtstart", moment(item.start))
        event.add("dtend", moment(item.end))
        if item.location:
            event.add("location", item.location)
        event.add("categories", ["cart"])
        if isinstance(item.start, date) and not isinstance(item.start, datetime):
            event.add("transp", "TRANSPARENT")  # an all-day milestone does not make you busy
        if item.daily:
            event.add("rrule", vRecur(recurrence(item)))
        for before in item.alarms:
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", item.summary)
            alarm.add("trigger", -before)
            event.add_component(alarm)
        calendar.add_component(event)
    if zone_name:  # our own VTIMEZONE, not icalendar's (formats/vtimezone.py says why)
        from cart_cli.formats.vtimezone import vtimezone

        days = [e.start.date() if isinstance(e.start, datetime) else e.start for e in events]
        since = min(days, default=now.date()) - timedelta(days=1)
        calendar.subcomponents.insert(0, vtimezone(zone_name, since))
    data: bytes = calendar.to_ical()
    return data
