"""`cart calendar` writes its file itself, byte for byte as ``icalendar`` wrote it.

``reference_ics`` below is the writer cart used before (``icalendar`` 7, the same calls);
each test builds one calendar both ways and compares the bytes: real schedules in zones with
and without clock changes (and in the zones icalendar counts as UTC), and made-up events
whose text has everything the escaping and the folding at 75 octets must handle.
"""

from __future__ import annotations

import zoneinfo
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo

import pytest
from icalendar import Alarm, Calendar, Event, vRecur
from icalendar.timezone.tzid import tzids_from_tzinfo

from cart_cli.calendar_events import CalendarEvent, calendar_events
from cart_cli.formats import ics
from cart_cli.formats.vtimezone import vtimezone
from cart_cli.models import Plan
from cart_cli.schedule import Appointment, Medicine, parse_times


def reference_ics(events: list[CalendarEvent], zone_name: str | None, now: datetime) -> bytes:
    """The calendar as cart wrote it with icalendar (cart_cli/formats/ics.py before #23)."""
    zone: tzinfo = ZoneInfo(zone_name) if zone_name else UTC

    def moment(value: date | datetime) -> date | datetime:
        return value.astimezone(zone) if isinstance(value, datetime) else value

    calendar = Calendar()
    calendar.add("prodid", ics.PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", ics.CALENDAR_NAME)
    description = (
        "Your CAR-T recovery schedule from cart: milestones, your appointments, and reminders "
        "to take your temperature and medicines. Make a new file and import it again whenever "
        "your schedule changes. It holds no readings."
    )
    if zone_name:
        calendar.add("x-wr-timezone", zone_name)
    else:
        description += " " + ics.UTC_NOTE
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
            event.add("transp", "TRANSPARENT")
        if item.daily:
            event.add("rrule", vRecur(ics.recurrence(item)))
        for before in item.alarms:
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", item.summary)
            alarm.add("trigger", -before)
            event.add_component(alarm)
        calendar.add_component(event)
    if zone_name:
        days = [e.start.date() if isinstance(e.start, datetime) else e.start for e in events]
        since = min(days, default=now.date()) - timedelta(days=1)
        calendar.subcomponents.insert(0, vtimezone(zone_name, since))
    data: bytes = calendar.to_ical()
    return data


ZONES = [
    None,
    "Europe/London",
    "Europe/Dublin",  # summer time is its standard time: a negative DST
    "America/New_York",
    "America/St_Johns",  # -0330
    "America/Sao_Paulo",  # clock changes ended in 2019
    "Australia/Sydney",
    "Australia/Lord_Howe",  # a half-hour change
    "Pacific/Chatham",  # +1245
    "Asia/Kolkata",
    "Asia/Tokyo",
    "Africa/Casablanca",
    "Etc/UTC",
    "UTC",
    "Etc/GMT+5",
    "Africa/Abidjan",  # icalendar counts it as UTC
]
INFUSION = date(2027, 3, 10)


def schedule(zone: tzinfo, today: date) -> list[CalendarEvent]:
    created = datetime.combine(INFUSION, time(9), zone)
    plan = Plan(infusion_date=INFUSION, hospital="Haematology, Ward 7; Bay 2", phone="01234 567890")
    appointments = [
        Appointment(title="Bloods, then clinic", starts_at=created + timedelta(days=8, hours=1, minutes=30),
                    uid="a1", id=1, where="Day unit\\level 2"),
        Appointment(title="PET scan", starts_at=created + timedelta(days=30), uid="a2", id=2,
                    replaces="first_checkup", note="nothing to eat for 6 hours"),
    ]  # fmt: skip
    medicines = [
        Medicine(name="Aciclovir", dose="400 mg", times=parse_times("08:00,20:00"), created_at=created,
                 uid="m1", until=INFUSION + timedelta(days=40)),
        Medicine(name="Co-trimoxazole", dose="480 mg", times=parse_times("09:00"), created_at=created,
                 uid="m2", weekdays=(0, 2, 4)),
        Medicine(name="Posaconazole", times=parse_times("07:30"), created_at=created, uid="m3", every_days=3),
        Medicine(name="Fluconazole", times=parse_times("10:00,22:00"), created_at=created, uid="m4",
                 stopped_at=created + timedelta(days=6, hours=3)),
    ]  # fmt: skip
    recheck = ("call-1", created + timedelta(days=5, hours=6))
    return calendar_events(plan, appointments, medicines, today, zone, recheck)


@pytest.mark.parametrize("zone_name", ZONES)
@pytest.mark.parametrize("day", [0, 5, 27, 60])
def test_a_schedule_is_written_as_icalendar_wrote_it(zone_name: str | None, day: int) -> None:
    zone: tzinfo = ZoneInfo(zone_name) if zone_name else UTC
    today = INFUSION + timedelta(days=day)
    now = datetime.combine(today, time(9, 41, 7, 123456), zone)
    events = schedule(zone, today)
    assert len(events) > 10
    assert ics.to_ics(events, zone_name, now) == reference_ics(events, zone_name, now)


# Text that the escaping and folding must handle: every special character, characters of 2, 3
# and 4 octets and a backslash escape at the folding points.
TEXTS = [
    "plain",
    "commas, semicolons; backslashes \\ and a colon: all here",
    "a literal \\N, a newline\nand CRLF\r\nand a lone CR\rend",
    "x" * 73 + ",abc",
    "x" * 72 + ";;" + "y" * 80,
    "é" * 100,
    "y" * 71 + "€" * 40,
    "z" * 70 + "🙂" * 30,
    "汉字" * 60,
    "^caret^ and " + "\\" * 90,
    "",
]


@pytest.mark.parametrize("text", TEXTS, ids=range(len(TEXTS)))
@pytest.mark.parametrize("zone_name", [None, "Europe/London"])
def test_any_text_is_escaped_and_folded_as_icalendar_did(text: str, zone_name: str | None) -> None:
    zone: tzinfo = ZoneInfo(zone_name) if zone_name else UTC
    start = datetime(2027, 3, 20, 8, 0, tzinfo=zone)
    alarms = (
        timedelta(0),
        timedelta(seconds=90),
        timedelta(hours=1, seconds=30),
        timedelta(days=1, hours=2),
        timedelta(minutes=15),
    )
    later = start + timedelta(minutes=15)
    events = [
        CalendarEvent(f"u-{text[:20]}@cart-cli", f"S {text}", text, start, later, location=text or None,
                      alarms=alarms),
        CalendarEvent("d", text, text, date(2027, 3, 21), date(2027, 3, 23)),
        CalendarEvent("r", text, "daily", start, later, daily=True, last=start + timedelta(days=20),
                      weekdays=(1, 3), interval=2),
        CalendarEvent("n", "no end", "", start, start, daily=True, interval=4),
    ]  # fmt: skip
    now = datetime(2027, 3, 20, 7, 59, 59, tzinfo=UTC)
    assert ics.to_ics(events, zone_name, now) == reference_ics(events, zone_name, now)


def test_an_empty_calendar_too() -> None:
    now = datetime(2027, 3, 20, 7, 0, tzinfo=UTC)
    for zone_name in (None, "Europe/London", "Asia/Tokyo"):
        assert ics.to_ics([], zone_name, now) == reference_ics([], zone_name, now)


def test_the_zones_written_as_utc_are_the_ones_icalendar_counts_as_utc() -> None:
    names = zoneinfo.available_timezones()
    theirs = {name for name in names if "UTC" in tzids_from_tzinfo(ZoneInfo(name))}
    assert "Etc/UTC" in theirs
    assert theirs == ics.UTC_ZONES & names
