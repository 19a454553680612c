"""The calendar's VTIMEZONE, UIDs and UNTIL (issue 20), read back by three independent
readers: icalendar, ical and vobject.

The zone is checked against ``zoneinfo`` itself: every onset from 2000 to 2037 (and the
yearly rule's onsets up to 2060) in London, New York and Sydney; then each reader is given a
file whose zone has a name no library knows, so it must use the file's VTIMEZONE, and must
put events around every spring and autumn change at the instants zoneinfo gives."""

from __future__ import annotations

import functools
import json
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import vobject
from dateutil import rrule
from ical.calendar_stream import IcsCalendarStream
from icalendar import Calendar

from cart_cli.calendar_events import calendar_events
from cart_cli.formats import ics
from cart_cli.formats.vtimezone import vtimezone
from cart_cli.models import Plan
from cart_cli.schedule import Medicine, parse_times

ZONES = ("Europe/London", "America/New_York", "Australia/Sydney")
# No reader knows these TZIDs, so each must use the file's VTIMEZONE; one per zone, as
# icalendar and vobject keep the first zone they read under a TZID for the whole process.
UNKNOWN_TZID = "Cart/Test-{}"


@functools.cache  # each zone and span is walked once a run
def expected_changes(zone: ZoneInfo, first: int, last: int) -> tuple[tuple[datetime, datetime], ...]:
    """Each change of offset as the hour (UTC) it falls in, found hour by hour: independent
    of the module's own search. Days whose offset is the same at both ends are passed over
    whole (none of these zones changes twice in a day), the others walked hour by hour."""
    changes = []
    day = datetime(first, 1, 1, tzinfo=UTC)
    end = datetime(last + 1, 1, 1, tzinfo=UTC)
    before = day.astimezone(zone).utcoffset()
    while day < end:
        next_day = day + timedelta(days=1)
        if next_day.astimezone(zone).utcoffset() != before:
            hour = day
            while hour < next_day:
                following = hour + timedelta(hours=1)
                after = following.astimezone(zone).utcoffset()
                if after != before:
                    changes.append((hour, following))
                hour, before = following, after
        day = next_day
    return tuple(changes)


def onsets(name: str, last: int) -> list[tuple[datetime, timedelta, timedelta]]:
    """Every onset the VTIMEZONE gives up to ``last``, as (UTC instant, offset from, offset
    to), expanded with dateutil from DTSTART, each RDATE and the RRULE."""
    found = []
    for part in vtimezone(name, date(2000, 1, 1)).subcomponents:
        start = part.decoded("DTSTART")
        before, after = part.decoded("TZOFFSETFROM"), part.decoded("TZOFFSETTO")
        local = [start]
        for rdate in part.get("RDATE", []) if isinstance(part.get("RDATE"), list) else [part.get("RDATE")]:
            if rdate is not None:
                local += [d.dt for d in rdate.dts]
        if "RRULE" in part:
            rule = rrule.rrulestr(part["RRULE"].to_ical().decode(), dtstart=start)
            local += list(rule.between(start, datetime(last + 1, 1, 1), inc=True))
        found += [
            ((moment - before).replace(tzinfo=UTC), before, after)
            for moment in set(local)
            if moment.year <= last
        ]
    return sorted(found)


@pytest.mark.parametrize("name", ZONES)
@pytest.mark.parametrize(("first", "last"), [(2000, 2037), (2038, 2060)])
def test_every_onset_is_the_instant_zoneinfo_changes(name: str, first: int, last: int) -> None:
    """Onsets are local times before the change (RFC 5545): onset - TZOFFSETFROM is the
    instant the offset changes, to the second; the rule carries on past 2038."""
    zone = ZoneInfo(name)
    ours = [o for o in onsets(name, last) if o[0].year >= first]
    expected = expected_changes(zone, first, last)
    assert len(ours) == len(expected) > 2 * (last - first)
    for (instant, before, after), (low, high) in zip(ours, expected, strict=True):
        assert low < instant <= high
        assert (instant - timedelta(seconds=1)).astimezone(zone).utcoffset() == before
        assert instant.astimezone(zone).utcoffset() == after


def test_a_zone_without_changes_has_one_standard_part() -> None:
    (part,) = vtimezone("Asia/Tokyo", date(2020, 1, 1)).subcomponents
    assert part.name == "STANDARD" and part.decoded("TZOFFSETTO") == timedelta(hours=9)


def test_rdates_are_one_a_line_and_list_every_onset_before_the_rule() -> None:
    """vobject keeps only the first value of a comma-separated RDATE; ical counts only
    RDATEs and RRULEs, so the first onset is an RDATE too."""
    text = vtimezone("America/New_York", date(2000, 1, 1)).to_ical().decode()
    rdates = [line for line in text.splitlines() if line.startswith("RDATE")]
    assert len(rdates) == 2 * (2007 - 1999) and all("," not in line for line in rdates)  # 1999-2006


# -- three readers, the file's own zone ------------------------------------------------------


def around_changes(name: str) -> list[datetime]:
    """Local times two hours before and after each change, 2000-2037 (they exist and are
    not ambiguous), as aware datetimes in ``name``."""
    zone = ZoneInfo(name)
    moments = []
    for _low, high in expected_changes(zone, 2000, 2037):
        for delta in (-2, 2):
            moments.append((high + timedelta(hours=delta)).astimezone(zone))
    return moments


def file_with_events(name: str, moments: list[datetime]) -> str:
    zone_part = vtimezone(name, date(2000, 1, 1))
    tzid = UNKNOWN_TZID.format(name.replace("/", "-"))
    zone_part["TZID"] = tzid
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//EN"]
    lines += zone_part.to_ical().decode().strip().split("\r\n")
    for n, moment in enumerate(moments):
        local = f"{moment:%Y%m%dT%H%M%S}"
        start, end = f"DTSTART;TZID={tzid}:{local}", f"DTEND;TZID={tzid}:{local}"
        lines += ["BEGIN:VEVENT", f"UID:e{n}", "DTSTAMP:20260101T000000Z", start, end, "END:VEVENT"]
    return "\r\n".join([*lines, "END:VCALENDAR", ""])


def read_icalendar(text: str) -> list[datetime]:
    return [e.decoded("DTSTART") for e in Calendar.from_ical(text).walk("VEVENT")]


def read_ical(text: str) -> list[datetime]:
    return [e.dtstart for e in IcsCalendarStream.calendar_from_ics(text).events]  # type: ignore[misc]


def read_vobject(text: str) -> list[datetime]:
    return [e.dtstart.value for e in vobject.readOne(text).vevent_list]


READERS = {"icalendar": read_icalendar, "ical": read_ical, "vobject": read_vobject}


@pytest.mark.parametrize("name", ZONES)
@pytest.mark.parametrize("reader", READERS)
def test_readers_put_events_around_every_change_at_zoneinfos_instant(name: str, reader: str) -> None:
    moments = around_changes(name)
    read = READERS[reader](file_with_events(name, moments))
    assert [m.astimezone(UTC) for m in read] == [m.astimezone(UTC) for m in moments]


# -- the real calendar file: repeating reminders across the changes, UNTIL, UIDs -----------


def _reminders(zone_name: str | None, until: date) -> tuple[str, list[datetime]]:
    """A calendar made by cart on 1 Dec 2026 with a daily 08:00 medicine until ``until``,
    and the instants zoneinfo gives for its doses (what every reader must expand to)."""
    zone = ZoneInfo(zone_name) if zone_name else ZoneInfo("Europe/London")
    now = datetime(2026, 12, 1, 7, 0, tzinfo=zone)
    plan = Plan(infusion_date=date(2026, 10, 1), person_id="f" * 32)
    medicine = Medicine(name="aciclovir", times=parse_times("08:00"), created_at=now, until=until, uid="m1")
    events = calendar_events(plan, [], [medicine], now.date(), zone)
    text = ics.to_ics(events, zone_name, now).decode()
    days = (until - now.date()).days + 1
    if zone_name is None:  # UTC mode: every dose at the first dose's UTC time
        first = datetime.combine(now.date(), time(8), zone).astimezone(UTC)
        return text, [first + timedelta(days=n) for n in range(days)]
    return text, [
        datetime.combine(now.date() + timedelta(days=n), time(8), zone).astimezone(UTC) for n in range(days)
    ]


def expand_ical(text: str) -> list[datetime]:
    timeline = IcsCalendarStream.calendar_from_ics(text).timeline
    return [e.dtstart.astimezone(UTC) for e in timeline if e.summary.startswith("Take aciclovir")]  # type: ignore[union-attr]


def expand_vobject(text: str) -> list[datetime]:
    calendar = vobject.readOne(text)
    event = next(e for e in calendar.vevent_list if e.summary.value.startswith("Take aciclovir"))
    return [m.astimezone(UTC) for m in event.getrruleset(addRDate=True)]


def expand_icalendar(text: str) -> list[datetime]:
    """icalendar reads the event; dateutil expands its RRULE."""
    event = next(
        e for e in Calendar.from_ical(text).walk("VEVENT") if str(e["SUMMARY"]).startswith("Take aciclovir")
    )
    start = event.decoded("DTSTART")
    return [m.astimezone(UTC) for m in rrule.rrulestr(event["RRULE"].to_ical().decode(), dtstart=start)]


EXPANDERS = {"icalendar": expand_icalendar, "ical": expand_ical, "vobject": expand_vobject}


@pytest.mark.parametrize("zone_name", [*ZONES, None])
@pytest.mark.parametrize("expander", EXPANDERS)
def test_daily_doses_keep_their_clock_time_across_the_changes_and_the_last_dose(
    zone_name: str | None, expander: str
) -> None:
    """A daily 08:00 dose from 1 Dec 2026 to 15 Apr 2027 crosses a change in every zone
    (London and New York in March, Sydney in April): each reader expands it to 08:00 local
    every day, and the last dose (15 Apr) is there, with no day after it. Without a zone
    name (UTC) the doses stay at one UTC time and UNTIL still keeps the last day's."""
    text, expected = _reminders(zone_name, date(2027, 4, 15))
    if zone_name is not None:
        # Each reader must use the file's own zone: vobject would take pytz's zone for a name
        # it knows, and pytz's zones do not follow a change in dateutil's expansion.
        text = text.replace(
            f"TZID:{zone_name}", "TZID:" + UNKNOWN_TZID.format("file-" + zone_name.replace("/", "-"))
        )
        text = text.replace(
            f"TZID={zone_name}", "TZID=" + UNKNOWN_TZID.format("file-" + zone_name.replace("/", "-"))
        )
    assert EXPANDERS[expander](text) == expected


def test_two_peoples_calendars_imported_together_keep_every_event(cart, tmp_path) -> None:
    """Issue 20: with the same UIDs, a carer importing two people's files lost events."""
    files, counts = [], []
    for person in ("a", "b"):
        db = str(tmp_path / f"{person}.db")
        assert (
            cart(
                "--db", db, "setup", "--infusion-date", "2026-11-20", "--phone", "01234 567890", "--yes"
            ).code
            == 0
        )
        assert cart("--db", db, "med", "add", "aciclovir", "--times", "08:00,20:00").code == 0
        out = tmp_path / f"{person}.ics"
        assert cart("--db", db, "calendar", "--output", str(out)).code == 0
        again = tmp_path / f"{person}-again.ics"
        assert cart("--db", db, "calendar", "--output", str(again)).code == 0
        text, repeat = out.read_text(), again.read_text()
        uids = [str(e["UID"]) for e in Calendar.from_ical(text).walk("VEVENT")]
        assert uids == [str(e["UID"]) for e in Calendar.from_ical(repeat).walk("VEVENT")]  # stable
        person_id = json.loads(cart("--db", db, "setup", "--show", "--json").out)["person_id"]
        assert all(person_id in uid or uid.startswith(("appt-", "med-")) for uid in uids)
        files.append(text)
        counts.append(len(uids))
    together = Calendar.from_ical(files[0])
    for event in Calendar.from_ical(files[1]).walk("VEVENT"):
        together.add_component(event)
    merged = IcsCalendarStream.calendar_from_ics(together.to_ical().decode())
    assert len({e.uid for e in merged.events}) == sum(counts)
