"""The calendar file, read back by the library that wrote it (icalendar) and by a second,
independent reader (ical): events, alarms, daily reminders expanded across a clock change,
stable UIDs, and a file made twice importing as the same events.

The schedule: infusion on Wed 10 Mar 2027, the file made on day 5 (Mon 15 Mar). Day 28 is
Wed 7 Apr, so the daily reminders cross the start of British Summer Time (Sun 28 Mar 2027).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from dateutil.rrule import rrulestr
from ical.calendar import Calendar as IcalCalendar
from ical.calendar_stream import IcsCalendarStream
from icalendar import Calendar

from cart_cli.calendar_events import TEMP_REMINDERS_LAST_DAY, CalendarEvent, calendar_events
from cart_cli.formats.ics import UTC_NOTE, local_zone_name, to_ics
from cart_cli.models import Plan
from cart_cli.schedule import Appointment, Medicine, parse_times
from cart_cli.timeline import milestones

LONDON = ZoneInfo("Europe/London")
INFUSION = date(2027, 3, 10)
TODAY = date(2027, 3, 15)
NOW = datetime(2027, 3, 15, 9, 30, tzinfo=LONDON)
CLOCKS_GO_FORWARD = date(2027, 3, 28)
PLAN = Plan(infusion_date=INFUSION, hospital="Haematology", phone="01234 567890")
APPOINTMENTS = (
    Appointment(
        title="Bloods",
        starts_at=datetime(2027, 3, 18, 10, 30, tzinfo=LONDON),
        uid="a1",
        id=1,
        where="Day unit",
    ),
    Appointment(
        title="PET scan",
        starts_at=datetime(2027, 4, 9, 9, 0, tzinfo=LONDON),
        uid="a2",
        id=2,
        replaces="first_checkup",
        note="nothing to eat for 6 hours",
    ),
)
MEDICINES = (
    Medicine(  # crosses the clock change, ends on 20 April
        name="Aciclovir",
        dose="400 mg",
        times=parse_times("08:00,20:00"),
        created_at=datetime(2027, 3, 12, 9, 0, tzinfo=LONDON),
        uid="m1",
        until=date(2027, 4, 20),
    ),
    Medicine(  # no end date
        name="Posaconazole",
        times=parse_times("09:00"),
        created_at=datetime(2027, 3, 14, 12, 0, tzinfo=LONDON),
        uid="m2",
    ),
    Medicine(  # stopped on 16 March at noon: its reminders end with the last dose before
        name="Fluconazole",
        times=parse_times("10:00,22:00"),
        created_at=datetime(2027, 3, 11, 8, 0, tzinfo=LONDON),
        uid="m3",
        stopped_at=datetime(2027, 3, 16, 12, 0, tzinfo=LONDON),
    ),
)
TEMP_TIMES = parse_times(PLAN.temp_times)
DAY_28 = INFUSION + timedelta(days=TEMP_REMINDERS_LAST_DAY)


def make(now: datetime = NOW, zone: str | None = "Europe/London") -> bytes:
    events = calendar_events(PLAN, APPOINTMENTS, MEDICINES, now.date(), LONDON)
    return to_ics(events, zone, now)


def vevents(data: bytes) -> list:
    return list(Calendar.from_ical(data).walk("VEVENT"))


def second_reader(data: bytes) -> IcalCalendar:
    return IcsCalendarStream.calendar_from_ics(data.decode("utf-8"))


def occurrences(calendar: IcalCalendar, uid: str) -> list[datetime]:
    """Every occurrence of one event in 2026-2027, expanded by the second reader, in London
    time (a medicine with no end date recurs for ever, so the window is bounded)."""
    window = calendar.timeline_tz(LONDON).overlapping(
        datetime(2026, 1, 1, tzinfo=LONDON), datetime(2028, 1, 1, tzinfo=LONDON)
    )
    return [event.dtstart for event in window if event.uid == uid]  # type: ignore[misc]


def days(first: date, last: date) -> int:
    return (last - first).days + 1


def expected_event_count() -> int:
    shown = [m for m in milestones(PLAN, until=TODAY) if m.id != "first_checkup"]
    medicine_times = sum(len(m.times) for m in MEDICINES)
    return len(shown) + len(APPOINTMENTS) + len(TEMP_TIMES) + medicine_times + 1  # + the neuro check


# -- what is in the file -------------------------------------------------------------------


def test_both_readers_find_every_event_once() -> None:
    data = make()
    first = vevents(data)
    second = second_reader(data).events
    assert len(first) == len(second) == expected_event_count() == 23
    uids = [str(event["UID"]) for event in first]
    assert len(set(uids)) == len(uids)
    assert sorted(uids) == sorted(event.uid for event in second)


def test_milestones_are_all_day_events_and_a_replaced_one_is_left_out() -> None:
    events = {str(e["UID"]): e for e in vevents(make())}
    infusion = events["milestone-infusion@cart-cli"]
    assert infusion.decoded("DTSTART") == INFUSION and infusion.decoded("DTEND") == INFUSION + timedelta(
        days=1
    )
    # Days 10-14 (Sat 20 to Wed 24 March 2027), approximate so kept to weekdays: Mon 22 to Wed
    # 24 March; the end is exclusive.
    stay = events["milestone-hospital_stay_usual_end@cart-cli"]
    assert (stay.decoded("DTSTART"), stay.decoded("DTEND")) == (date(2027, 3, 22), date(2027, 3, 25))
    assert str(stay["SUMMARY"]) == "Usual end of the hospital stay (around day 12)"
    assert str(infusion["SUMMARY"]) == "Infusion day (day 0)"  # an exact date says no "around"
    assert "milestone-first_checkup@cart-cli" not in events
    second = {e.uid: e for e in second_reader(make()).events}
    assert second["milestone-infusion@cart-cli"].dtstart == INFUSION


def test_appointments_have_alarms_a_day_and_an_hour_before() -> None:
    data = make()
    bloods = next(e for e in vevents(data) if str(e["UID"]) == "appt-a1@cart-cli")
    assert bloods.decoded("DTSTART") == APPOINTMENTS[0].starts_at
    assert bloods.decoded("DTSTART").tzinfo.key == "Europe/London"
    triggers = sorted(alarm.decoded("TRIGGER") for alarm in bloods.walk("VALARM"))
    assert triggers == [timedelta(days=-1), timedelta(hours=-1)]
    assert str(bloods["LOCATION"]) == "Day unit"
    second = next(e for e in second_reader(data).events if e.uid == "appt-a1@cart-cli")
    assert sorted(alarm.trigger for alarm in second.alarm) == [timedelta(days=-1), timedelta(hours=-1)]
    assert all(alarm.action == "DISPLAY" for alarm in second.alarm)


def test_every_reminder_has_one_alarm_at_its_time_and_milestones_none() -> None:
    for event in second_reader(make()).events:
        if event.uid.startswith("milestone-"):
            assert event.alarm == []
        elif event.uid.startswith("appt-"):
            assert len(event.alarm) == 2
        else:
            assert [alarm.trigger for alarm in event.alarm] == [timedelta(0)], event.uid
            assert event.rrule is not None


def test_each_description_says_what_to_do_and_names_a_cart_command() -> None:
    for event in vevents(make()):
        text = str(event["DESCRIPTION"])
        assert "cart log " in text, event["UID"]
    events = {str(e["UID"]): str(e["DESCRIPTION"]) for e in vevents(make())}
    assert "cart log temp" in events["temp-0800@cart-cli"] and "01234 567890" in events["temp-0800@cart-cli"]
    assert "cart log med Aciclovir" in events["med-m1-0800@cart-cli"]
    assert "cart neuro" in events["neuro@cart-cli"]
    assert "nothing to eat for 6 hours" in events["appt-a2@cart-cli"]


# -- daily reminders across the clock change ----------------------------------------------


@pytest.mark.parametrize("clock", TEMP_TIMES, ids=[f"{t:%H:%M}" for t in TEMP_TIMES])
def test_temperature_reminders_run_daily_to_day_28_at_the_same_clock_time(clock: time) -> None:
    """From today to day 28 inclusive, one a day, at the same local time before and after
    the clocks go forward (so an hour earlier in UTC after 28 March)."""
    uid = f"temp-{clock:%H%M}@cart-cli"
    found = occurrences(second_reader(make()), uid)
    assert len(found) == days(TODAY, DAY_28) == 24
    assert [moment.date() for moment in found] == [TODAY + timedelta(days=n) for n in range(24)]
    assert {moment.timetz().replace(tzinfo=None) for moment in found} == {clock}
    before = [m for m in found if m.date() < CLOCKS_GO_FORWARD]
    after = [m for m in found if m.date() >= CLOCKS_GO_FORWARD]
    assert before and after
    assert {m.utcoffset() for m in before} == {timedelta(0)}
    assert {m.utcoffset() for m in after} == {timedelta(hours=1)}


@pytest.mark.parametrize("clock", TEMP_TIMES, ids=[f"{t:%H:%M}" for t in TEMP_TIMES])
def test_the_writing_library_expands_to_the_same_reminders(clock: time) -> None:
    """The RRULE as icalendar reads it, expanded by dateutil in the event's own zone."""
    event = next(e for e in vevents(make()) if str(e["UID"]) == f"temp-{clock:%H%M}@cart-cli")
    start = event.decoded("DTSTART")
    rule = rrulestr(event["RRULE"].to_ical().decode(), dtstart=start)
    found = list(rule)
    assert len(found) == 24
    assert found[-1] == datetime.combine(DAY_28, clock, tzinfo=LONDON)
    assert {m.astimezone(LONDON).timetz().replace(tzinfo=None) for m in found} == {clock}


def test_medicine_reminders_run_from_when_it_was_added_until_its_last_day() -> None:
    calendar = second_reader(make())
    morning = occurrences(calendar, "med-m1-0800@cart-cli")
    assert morning[0] == datetime(2027, 3, 13, 8, 0, tzinfo=LONDON)  # added at 09:00 on the 12th
    assert morning[-1] == datetime(2027, 4, 20, 8, 0, tzinfo=LONDON)  # the end date is the last day
    assert len(morning) == days(date(2027, 3, 13), date(2027, 4, 20))
    evening = occurrences(calendar, "med-m1-2000@cart-cli")
    assert evening[0] == datetime(2027, 3, 12, 20, 0, tzinfo=LONDON)
    assert len(evening) == days(date(2027, 3, 12), date(2027, 4, 20))


def test_a_stopped_medicine_reminds_only_until_it_was_stopped() -> None:
    calendar = second_reader(make())
    assert occurrences(calendar, "med-m3-1000@cart-cli")[-1] == datetime(2027, 3, 16, 10, 0, tzinfo=LONDON)
    assert occurrences(calendar, "med-m3-2200@cart-cli")[-1] == datetime(2027, 3, 15, 22, 0, tzinfo=LONDON)


def test_a_medicine_without_an_end_date_goes_on() -> None:
    event = next(e for e in second_reader(make()).events if e.uid == "med-m2-0900@cart-cli")
    assert event.rrule is not None and event.rrule.until is None and event.rrule.count is None


def test_the_nervous_system_check_runs_daily_until_the_plans_day() -> None:
    found = occurrences(second_reader(make()), "neuro@cart-cli")
    assert len(found) == days(TODAY, INFUSION + timedelta(days=PLAN.neuro_days))
    assert found[0] == datetime.combine(TODAY, TEMP_TIMES[0], tzinfo=LONDON)


def test_after_day_28_there_are_no_temperature_or_neuro_reminders() -> None:
    later = datetime(2027, 4, 8, 9, 0, tzinfo=LONDON)  # day 29
    uids = {str(e["UID"]) for e in vevents(make(now=later))}
    assert not {u for u in uids if u.startswith(("temp-", "neuro"))}
    assert "med-m1-0800@cart-cli" in uids


def test_the_october_clock_change_too() -> None:
    """Infusion on 5 Oct 2026, file made on day 1: the clocks go back on 25 Oct."""
    plan = Plan(infusion_date=date(2026, 10, 5))
    now = datetime(2026, 10, 6, 7, 0, tzinfo=LONDON)
    data = to_ics(calendar_events(plan, (), (), now.date(), LONDON), "Europe/London", now)
    found = occurrences(second_reader(data), "temp-2000@cart-cli")
    assert len(found) == days(date(2026, 10, 6), date(2026, 11, 2)) == 28
    assert {m.hour for m in found} == {20}
    assert {m.utcoffset() for m in found} == {timedelta(hours=1), timedelta(0)}


# -- stable identity -----------------------------------------------------------------------


def content(data: bytes) -> dict[str, bytes]:
    """Each event's lines without DTSTAMP (when the file was made), by UID."""
    result = {}
    for event in vevents(data):
        del event["DTSTAMP"]
        result[str(event["UID"])] = event.to_ical()
    return result


def test_uids_are_stable_between_runs() -> None:
    first, later_today, tomorrow = (
        make(),
        make(now=NOW + timedelta(hours=5)),
        make(now=NOW + timedelta(days=1)),
    )
    assert {str(e["UID"]) for e in vevents(first)} == {str(e["UID"]) for e in vevents(later_today)}
    assert {str(e["UID"]) for e in vevents(first)} == {str(e["UID"]) for e in vevents(tomorrow)}


def test_a_calendar_made_twice_imports_as_the_same_events() -> None:
    """Importing a second file made the same day replaces each event with an identical one
    (same UID, same content): nothing is doubled and nothing changes."""
    first, second = make(), make(now=NOW + timedelta(minutes=30))
    imported = content(first)
    imported.update(content(second))
    assert imported == content(first)
    assert len(imported) == expected_event_count()
    # The second reader sees the same: same UIDs, starts and rules.
    one, two = second_reader(first), second_reader(second)
    assert [(e.uid, e.dtstart, e.rrule) for e in one.events] == [
        (e.uid, e.dtstart, e.rrule) for e in two.events
    ]


def test_a_timezone_definition_is_included_for_the_named_zone() -> None:
    calendar = Calendar.from_ical(make())
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/London"]
    assert str(calendar["X-WR-TIMEZONE"]) == "Europe/London"
    rrule = next(e for e in vevents(make()) if str(e["UID"]) == "temp-0800@cart-cli")["RRULE"]
    # UNTIL in UTC (RFC 5545), half a day after the last dose (08:00 BST is 07:00 UTC)
    assert rrule["UNTIL"][0] == datetime(2027, 4, 7, 7, 0, tzinfo=UTC) + timedelta(hours=12)


def test_without_a_zone_name_times_are_utc_and_the_file_says_so() -> None:
    data = make(zone=None)
    calendar = Calendar.from_ical(data)
    assert list(calendar.walk("VTIMEZONE")) == []
    assert UTC_NOTE in str(calendar["X-WR-CALDESC"])
    bloods = next(e for e in vevents(data) if str(e["UID"]) == "appt-a1@cart-cli")
    assert bloods.decoded("DTSTART") == APPOINTMENTS[0].starts_at
    assert bloods.decoded("DTSTART").utcoffset() == timedelta(0)
    assert len(second_reader(data).events) == expected_event_count()


def test_no_event_without_a_uid_and_a_stamp() -> None:
    for event in vevents(make()):
        assert event["UID"] and event["DTSTAMP"]


def test_calendar_events_are_plain_data() -> None:
    events = calendar_events(PLAN, APPOINTMENTS, MEDICINES, TODAY, LONDON)
    assert all(isinstance(e, CalendarEvent) for e in events)
    assert calendar_events(PLAN, APPOINTMENTS, MEDICINES, TODAY, LONDON) == events


# -- the local zone's name -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("tz", "expected"),
    [
        ("Europe/London", "Europe/London"),
        (":Europe/Paris", "Europe/Paris"),
        ("/usr/share/zoneinfo/America/New_York", "America/New_York"),
        ("UTC", "UTC"),
        ("GMT0BST,M3.5.0/1,M10.5.0", None),  # a POSIX rule, not a zone name
        ("Not/A_Zone", None),
        ("../../etc/passwd", None),
    ],
)
def test_local_zone_name_from_tz(tz: str, expected: str | None, tmp_path) -> None:
    assert local_zone_name({"TZ": tz}, tmp_path / "none") == expected


def test_local_zone_name_from_etc_localtime(tmp_path) -> None:
    zoneinfo = tmp_path / "usr" / "share" / "zoneinfo" / "Europe"
    zoneinfo.mkdir(parents=True)
    (zoneinfo / "Berlin").write_bytes(b"")
    link = tmp_path / "localtime"
    link.symlink_to(zoneinfo / "Berlin")
    assert local_zone_name({}, link) == "Europe/Berlin"
    assert local_zone_name({}, tmp_path / "missing") is None
