"""The person's schedule as an iCalendar file (RFC 5545), written here line by line.

Phone and desktop calendars (Google, Apple, Outlook, Android) import it and ring the
reminders that a command-line tool cannot. What goes in is decided by
``calendar_events.calendar_events``; this module only writes it:

- every event keeps the UID it is given, so importing a newer file updates the events
  instead of adding copies;
- times carry the person's time zone (with its VTIMEZONE, built from zoneinfo's transitions
  by ``vtimezone.py``) when the zone has a name, so a daily 08:00 reminder stays at 08:00
  across a clock change. Without a name (no TZ, no
  /etc/localtime link) times are written in UTC, and the calendar's description says so;
- a repeating reminder is one event with an ``RRULE`` (daily, every N days, or weekly on
  some days); its ``UNTIL`` is in UTC, as RFC 5545 requires, and keeps the last dose.

The lines are exactly the ones ``icalendar`` 7 writes for the same calendar (its order of
properties, its escaping, its folding at 75 octets): `cart calendar` used that library until
its import (about 20 ms) became most of the command's start-up. ``tests/test_ics_writer.py``
builds each calendar with ``icalendar`` too and compares the bytes. This module is imported
only by `cart calendar`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, timedelta, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING

from cart_cli import __version__
from cart_cli.calendar_events import CalendarEvent

if TYPE_CHECKING:
    from cart_cli.formats.vtimezone import ZonePart

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


# -- writing the lines (as icalendar 7 writes them) --------------------------------------------

# Zones icalendar counts as UTC (its table of equivalent zones): a time in one of them is
# written with "Z" and no TZID. tests/test_ics_writer.py checks this list against icalendar's.
UTC_ZONES = frozenset(
    {
        "Africa/Abidjan", "Africa/Accra", "Africa/Bamako", "Africa/Banjul", "Africa/Conakry",
        "Africa/Dakar", "Africa/Freetown", "Africa/Lome", "Africa/Nouakchott",
        "Africa/Ouagadougou", "Africa/Timbuktu", "Atlantic/Reykjavik", "Atlantic/St_Helena",
        "Etc/GMT", "Etc/GMT+0", "Etc/GMT-0", "Etc/GMT0", "Etc/Greenwich", "Etc/UCT", "Etc/UTC",
        "Etc/Universal", "Etc/Zulu", "GMT", "GMT+0", "GMT-0", "GMT0", "Greenwich", "Iceland",
        "UCT", "UTC", "Universal", "Zulu",
    }
)  # fmt: skip
_RULE_ORDER = ("FREQ", "UNTIL", "COUNT", "INTERVAL", "BYDAY", "BYMONTH")  # icalendar's order
_FOLD_AT = 75  # octets


def _text(value: str) -> str:
    """A TEXT value (RFC 5545 3.3.11): backslash, semicolon and comma escaped, line ends as \\n."""
    return (
        value.replace(r"\N", "\n")
        .replace("\\", "\\\\")
        .replace(";", r"\;")
        .replace(",", r"\,")
        .replace("\r\n", r"\n")
        .replace("\n", r"\n")
        .replace("\r", r"\n")
    )


def _fold(line: str) -> str:
    """A content line folded before 75 octets (RFC 5545 3.1), never inside a character and
    never between a backslash and the character it escapes."""
    if len(line) < _FOLD_AT and line.isascii():
        return line
    parts: list[str] = []
    current: list[str] = []
    size = 0
    for char in line:
        width = len(char.encode("utf-8"))
        if current and size + width >= _FOLD_AT:
            if len(current) > 1 and current[-1] in "\\^":
                carried = current.pop()
                parts.append("".join(current))
                current, size = [carried], len(carried.encode("utf-8"))
            else:
                parts.append("".join(current))
                current, size = [], 0
        current.append(char)
        size += width
    if current:
        parts.append("".join(current))
    return "\r\n ".join(parts)


def _is_utc(moment: datetime) -> bool:
    zone = moment.tzinfo
    return zone is UTC or getattr(zone, "key", None) in UTC_ZONES


def _when(value: date | datetime) -> tuple[str, str]:
    """The parameters and value of a DATE or DATE-TIME (naive: floating; aware: with its
    zone's TZID, or "Z" in UTC)."""
    if not isinstance(value, datetime):
        return ";VALUE=DATE", f"{value.year:04}{value.month:02}{value.day:02}"
    text = f"{value.year:04}{value.month:02}{value.day:02}T{value.hour:02}{value.minute:02}{value.second:02}"
    if value.tzinfo is None:
        return "", text
    if _is_utc(value):
        return "", text + "Z"
    key = getattr(value.tzinfo, "key", None)
    if not key:
        raise ValueError("a calendar time needs a named zone or UTC")
    return f";TZID={key}", text


def _duration(span: timedelta) -> str:
    """A DURATION (RFC 5545 3.3.6): ``-PT1H``, ``-P1D``, ``P0D``."""
    sign = ""
    if span.days < 0:
        sign, span = "-", -span
    clock = ""
    if span.seconds:
        hours, minutes, seconds = span.seconds // 3600, span.seconds % 3600 // 60, span.seconds % 60
        clock = "T" + (f"{hours}H" if hours else "")
        if minutes or (hours and seconds):
            clock += f"{minutes}M"
        if seconds:
            clock += f"{seconds}S"
    if span.days == 0 and clock:
        return f"{sign}P{clock}"
    return f"{sign}P{span.days}D{clock}"


def _offset(span: timedelta) -> str:
    """A UTC-OFFSET: ``+0100``, ``-0330`` (with seconds when it has them)."""
    sign = "+"
    if span < timedelta(0):
        sign, span = "-", -span
    hours = abs(span.days * 24 + span.seconds // 3600)
    minutes, seconds = span.seconds % 3600 // 60, span.seconds % 60
    return f"{sign}{hours:02}{minutes:02}{seconds:02}" if seconds else f"{sign}{hours:02}{minutes:02}"


def _rule(rule: dict[str, object]) -> str:
    """An RRULE value, its parts in icalendar's order."""
    parts = []
    for key in _RULE_ORDER:
        value = rule.get(key.lower())
        if value is None:
            continue
        values = value if isinstance(value, list | tuple) else [value]
        texts = [_when(v)[1] if isinstance(v, datetime) else str(v).upper() for v in values]
        parts.append(f"{key}={','.join(texts)}")
    return ";".join(parts)


def _event_lines(item: CalendarEvent, stamp: str, zone: tzinfo) -> list[str]:
    def moment(value: date | datetime) -> date | datetime:
        return value.astimezone(zone) if isinstance(value, datetime) else value

    start_params, start = _when(moment(item.start))
    end_params, end = _when(moment(item.end))
    lines = [
        "BEGIN:VEVENT",
        f"SUMMARY:{_text(item.summary)}",
        f"DTSTART{start_params}:{start}",
        f"DTEND{end_params}:{end}",
        f"DTSTAMP:{stamp}",
        f"UID:{_text(item.uid)}",
    ]
    if item.daily:
        lines.append(f"RRULE:{_rule(recurrence(item))}")
    lines += ["CATEGORIES:cart", f"DESCRIPTION:{_text(item.description)}"]
    if item.location:
        lines.append(f"LOCATION:{_text(item.location)}")
    if isinstance(item.start, date) and not isinstance(item.start, datetime):
        lines.append("TRANSP:TRANSPARENT")  # an all-day milestone does not make you busy
    for before in item.alarms:
        lines += [
            "BEGIN:VALARM",
            "ACTION:DISPLAY",
            f"DESCRIPTION:{_text(item.summary)}",
            f"TRIGGER:{_duration(-before)}",
            "END:VALARM",
        ]
    lines.append("END:VEVENT")
    return lines


def _zone_lines(name: str, parts: Sequence[ZonePart]) -> list[str]:
    lines = ["BEGIN:VTIMEZONE", f"TZID:{_text(name)}"]
    for part in parts:
        kind = "DAYLIGHT" if part.daylight else "STANDARD"
        lines += [f"BEGIN:{kind}", f"DTSTART:{_when(part.start)[1]}"]
        lines += [f"RDATE:{_when(onset)[1]}" for onset in part.rdates]
        if part.rule is not None:
            month, byday = part.rule
            lines.append(f"RRULE:FREQ=YEARLY;BYDAY={byday};BYMONTH={month}")
        lines += [
            f"TZNAME:{_text(part.tzname)}",
            f"TZOFFSETFROM:{_offset(part.offset_from)}",
            f"TZOFFSETTO:{_offset(part.offset_to)}",
            f"END:{kind}",
        ]
    lines.append("END:VTIMEZONE")
    return lines


def to_ics(events: Sequence[CalendarEvent], zone_name: str | None, now: datetime) -> bytes:
    """The calendar file's bytes (CRLF line ends, folded lines, UTF-8)."""
    from zoneinfo import ZoneInfo

    zone: tzinfo = ZoneInfo(zone_name) if zone_name else UTC
    description = (
        "Your CAR-T recovery schedule from cart: milestones, your appointments, and reminders "
        "to take your temperature and medicines. Make a new file and import it again whenever "
        "your schedule changes. It holds no readings."
    )
    if not zone_name:
        description += " " + UTC_NOTE
    # X-WR-* values are written as given (icalendar treats them as unknown: no escaping).
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{_text(PRODUCT_ID)}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALDESC:{description}",
        f"X-WR-CALNAME:{CALENDAR_NAME}",
    ]
    if zone_name:
        lines.append(f"X-WR-TIMEZONE:{zone_name}")
        # our own VTIMEZONE, not icalendar's (formats/vtimezone.py says why)
        from cart_cli.formats.vtimezone import zone_parts

        days = [e.start.date() if isinstance(e.start, datetime) else e.start for e in events]
        since = min(days, default=now.date()) - timedelta(days=1)
        lines += _zone_lines(zone_name, zone_parts(zone_name, since))
    stamp = _when(now.astimezone(UTC).replace(microsecond=0))[1]
    for item in events:
        lines += _event_lines(item, stamp, zone)
    lines.append("END:VCALENDAR")
    return ("\r\n".join(_fold(line) for line in lines) + "\r\n").encode("utf-8")
