"""The schedule core: dose states at their boundaries, end dates, typed input, storage."""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cart_cli import migrations
from cart_cli.errors import InvalidInput
from cart_cli.models import Entry, Plan
from cart_cli.schedule import (
    Appointment,
    Medicine,
    dashboard_lines,
    describe_appointment,
    dose_lines,
    dose_state,
    missed_dose_lines,
    parse_appointment_time,
    parse_times,
    parse_until,
    todays_doses,
)
from cart_cli.store import SCHEMA_VERSION, Store
from cart_cli.timefmt import LOCAL

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=LOCAL)  # Tue 1 Dec 2026, winter time in London
ADDED = datetime(2026, 11, 20, 9, 0, tzinfo=LOCAL)


def med(name: str = "Aciclovir", times: str = "08:00,20:00", **extra: object) -> Medicine:
    extra.setdefault("created_at", ADDED)
    return Medicine(name=name, times=parse_times(times), **extra)  # type: ignore[arg-type]


def taken(name: str, at: datetime) -> Entry:
    return Entry(kind="med", recorded_at=at, medicine=name)


# -- dose states -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("late_by", "state"),
    [
        (timedelta(minutes=-1), "later"),
        (timedelta(0), "due"),
        (timedelta(hours=1, minutes=59), "due"),
        (timedelta(hours=2), "due"),  # exactly two hours late: not yet missed
        (timedelta(hours=2, seconds=1), "missed"),
        (timedelta(hours=2, minutes=1), "missed"),
        (timedelta(hours=9), "missed"),
    ],
)
def test_a_dose_is_missed_only_when_more_than_two_hours_late(late_by: timedelta, state: str) -> None:
    """Issue 13: missed = its time is more than 2 hours ago with no dose logged."""
    due = datetime(2026, 12, 1, 8, 0, tzinfo=LOCAL)
    assert dose_state(due, None, due + late_by) == state
    assert dose_state(due, due, due + late_by) == "taken"


@pytest.mark.parametrize(
    ("logged_at", "morning", "evening", "early"),
    [
        (None, "missed", "later", False),
        (time(0, 5), "taken", "later", True),  # earlier than any window: the nearest dose, early
        (time(6, 53), "taken", "later", True),  # issue 20: 67 minutes early is not "missed"
        (time(6, 59), "taken", "later", True),
        (time(7, 0), "taken", "later", False),  # an hour early is inside the window
        (time(8, 0), "taken", "later", False),
        (time(11, 59), "taken", "later", False),  # late, but logged before the next dose's window
    ],
)
def test_which_dose_a_logged_dose_counts_for(
    logged_at: time | None, morning: str, evening: str, early: bool
) -> None:
    entries = [taken("aciclovir", datetime.combine(NOW.date(), logged_at, tzinfo=LOCAL))] if logged_at else []
    doses = todays_doses([med()], entries, NOW)
    assert [(d.due_at.hour, d.state) for d in doses] == [(8, morning), (20, evening)]
    assert doses[0].early is early
    if early:
        assert "taken early (logged at" in dose_lines(doses)[0]


def test_an_evening_dose_logged_in_its_own_window_does_not_fill_a_missed_morning() -> None:
    evening_now = NOW.replace(hour=21)
    entries = [taken("Aciclovir", NOW.replace(hour=19, minute=30))]
    doses = todays_doses([med()], entries, evening_now)
    assert [d.state for d in doses] == ["missed", "taken"]


def test_one_logged_dose_counts_once() -> None:
    doses = todays_doses(
        [med(times="06:00,09:00")], [taken("Aciclovir", NOW.replace(hour=6, minute=30))], NOW
    )
    assert [d.state for d in doses] == ["taken", "missed"]


@pytest.mark.parametrize("logged", ["aciclovir", "ACICLOVIR", "  Aciclovir ", "aciclovir  "])
def test_names_match_without_case_or_spacing(logged: str) -> None:
    doses = todays_doses([med()], [taken(logged, NOW.replace(hour=8))], NOW)
    assert doses[0].state == "taken"


def test_other_medicines_and_other_kinds_do_not_count() -> None:
    entries = [
        taken("Posaconazole", NOW.replace(hour=8)),
        Entry(kind="temp", recorded_at=NOW.replace(hour=8), celsius=37.0),
    ]
    assert todays_doses([med()], entries, NOW)[0].state == "missed"


@pytest.mark.parametrize(
    ("until", "doses_today"),
    [
        (None, 2),
        (date(2026, 12, 2), 2),
        (date(2026, 12, 1), 2),  # the end date is the last day it is taken
        (date(2026, 11, 30), 0),
    ],
)
def test_until_is_the_last_day_a_medicine_is_due(until: date | None, doses_today: int) -> None:
    assert len(todays_doses([med(until=until)], [], NOW)) == doses_today


@pytest.mark.parametrize(
    ("stopped_at", "hours"),
    [(None, [8, 20]), (time(8, 0), []), (time(8, 1), [8]), (time(20, 0), [8]), (time(20, 1), [8, 20])],
)
def test_a_stopped_medicine_is_due_only_before_it_was_stopped(
    stopped_at: time | None, hours: list[int]
) -> None:
    stopped = datetime.combine(NOW.date(), stopped_at, tzinfo=LOCAL) if stopped_at else None
    assert [d.due_at.hour for d in todays_doses([med(stopped_at=stopped)], [], NOW)] == hours


@pytest.mark.parametrize(
    ("added", "hours"), [(time(7, 59), [8, 20]), (time(8, 0), [8, 20]), (time(8, 1), [20])]
)
def test_doses_due_before_a_medicine_was_added_are_not_counted(added: time, hours: list[int]) -> None:
    medicine = Medicine(
        name="X",
        times=parse_times("08:00,20:00"),
        created_at=datetime.combine(NOW.date(), added, tzinfo=LOCAL),
    )
    assert [d.due_at.hour for d in todays_doses([medicine], [], NOW)] == hours


def test_dose_lines_name_the_medicine_and_remind_on_a_missed_dose() -> None:
    doses = todays_doses([med(dose="400 mg")], [], NOW)
    assert dose_lines(doses) == ["Aciclovir 400 mg: 08:00 missed, 20:00 to come"]
    [reminder] = missed_dose_lines(doses)
    assert "Aciclovir was due at 08:00" in reminder and "cart log med Aciclovir" in reminder
    spaced = missed_dose_lines(todays_doses([med(name="Co-trimoxazole forte")], [], NOW))
    assert "cart log med 'Co-trimoxazole forte'" in spaced[0]
    assert missed_dose_lines(todays_doses([med()], [taken("aciclovir", NOW.replace(hour=8))], NOW)) == []


def test_dashboard_lines_name_the_next_appointment_unless_it_is_already_shown() -> None:
    plan = Plan(infusion_date=date(2026, 11, 5))
    bloods = Appointment(
        title="Bloods", starts_at=datetime(2026, 12, 3, 10, 30, tzinfo=LOCAL), id=4, where="Ward 5"
    )
    past = Appointment(title="Scan", starts_at=NOW - timedelta(hours=1), id=3)
    doses = todays_doses([med()], [], NOW)
    lines = dashboard_lines(plan, [past, bloods], doses, NOW, next_shown="first_checkup")
    assert lines == [
        "Next appointment: Bloods, Thu 3 Dec 10:30, day 28, at Ward 5",
        "Medicines today: Aciclovir: 08:00 missed, 20:00 to come",
        *missed_dose_lines(doses),
    ]
    assert dashboard_lines(plan, [bloods], [], NOW, next_shown="appt-4") == []


def test_doses_keep_their_wall_clock_time_across_a_clock_change() -> None:
    """29 Mar 2026 is the first day of summer time in London: 08:00 is still 08:00."""
    now = datetime(2026, 3, 29, 23, 0, tzinfo=LOCAL)
    doses = todays_doses([med(created_at=datetime(2026, 3, 1, tzinfo=LOCAL))], [], now)
    assert [(d.due_at.hour, d.due_at.utcoffset()) for d in doses] == [
        (8, timedelta(hours=1)),
        (20, timedelta(hours=1)),
    ]


# -- typed input -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("08:00,20:00", ("08:00", "20:00")),
        ("20:00, 08:00", ("08:00", "20:00")),
        ("8am,8pm", ("08:00", "20:00")),
        ("8.30", ("08:30",)),
        ("08:00,08:00", ("08:00",)),
    ],
)
def test_parse_times(text: str, expected: tuple[str, ...]) -> None:
    assert tuple(f"{t:%H:%M}" for t in parse_times(text)) == expected


@pytest.mark.parametrize(
    "text",
    ["", " , ", "8", "25:00", "08:60", "noon", "08:00;20:00", ",".join(f"{h:02d}:00" for h in range(13))],
)
def test_parse_times_refuses(text: str) -> None:
    with pytest.raises(InvalidInput):
        parse_times(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-12-03 10:30", datetime(2026, 12, 3, 10, 30)),
        ("3 Dec 10:30", datetime(2026, 12, 3, 10, 30)),
        ("3 December 2026 9am", datetime(2026, 12, 3, 9, 0)),
        ("tomorrow 10:30", datetime(2026, 12, 2, 10, 30)),
        ("today 15:00", datetime(2026, 12, 1, 15, 0)),
        ("30 Nov 10:00", datetime(2027, 11, 30, 10, 0)),  # no year, already past: next year's
        ("1 Dec 09:00", datetime(2026, 12, 1, 9, 0)),  # no year, earlier today: today
        ("2026-11-30 10:00", datetime(2026, 11, 30, 10, 0)),  # a past one with its year is kept
    ],
)
def test_parse_appointment_time(text: str, expected: datetime) -> None:
    assert parse_appointment_time(text, NOW) == expected.replace(tzinfo=LOCAL)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "soon",
        "3 Dec",
        "tomorrow",
        "03/04/2027 10:00",
        "2040-01-01 10:00",
        "2026-12-03 10:30 +05:00",
        "29 Feb 2027 10:00",
    ],
)
def test_parse_appointment_time_refuses(text: str) -> None:
    with pytest.raises(InvalidInput):
        parse_appointment_time(text, NOW)


@pytest.mark.parametrize(
    ("text", "ok"), [("2026-12-01", True), ("2026-11-30", False), ("1 Jan 2027", True), ("1 Jan", False)]
)
def test_parse_until(text: str, ok: bool) -> None:
    if ok:
        assert parse_until(text, NOW.date()) >= NOW.date()
    else:
        with pytest.raises(InvalidInput):
            parse_until(text, NOW.date())


def test_describe_appointment() -> None:
    appointment = Appointment(
        title="Bloods", starts_at=datetime(2026, 12, 3, 10, 30, tzinfo=LOCAL), where="Ward 5"
    )
    assert describe_appointment(appointment, 28, NOW) == "Bloods, Thu 3 Dec 10:30, day 28, at Ward 5"
    today = Appointment(title="Scan", starts_at=NOW.replace(hour=15))
    assert describe_appointment(today, None, NOW) == "Scan, today 15:00"


# -- storage -----------------------------------------------------------------------------


def test_store_keeps_appointments_and_medicines(tmp_path) -> None:
    with Store.open(tmp_path / "cart.db", now=NOW) as store:
        first = store.add_appointment(
            Appointment(title="Bloods", starts_at=NOW + timedelta(days=2), where="Ward 5"), NOW
        )
        store.add_appointment(
            Appointment(title="Scan", starts_at=NOW + timedelta(days=1), replaces="first_checkup"), NOW
        )
        assert [a.title for a in store.appointments()] == ["Scan", "Bloods"]
        assert store.appointments()[1] == first and first.starts_at == NOW + timedelta(days=2)
        assert store.remove_appointment(first.id).title == "Bloods"  # type: ignore[arg-type]
        with pytest.raises(InvalidInput, match="no appointment #"):
            store.remove_appointment(first.id)  # type: ignore[arg-type]

        added = store.add_medicine(med(until=date(2027, 1, 31), dose="400 mg"), NOW)
        assert store.medicines() == [added]
        with pytest.raises(InvalidInput, match="already on the schedule"):
            store.add_medicine(med(name="ACICLOVIR "), NOW)
        stopped = store.stop_medicine("aciclovir", NOW)
        assert store.medicines() == []
        assert store.medicines(include_stopped=True) == [stopped]
        with pytest.raises(InvalidInput, match="not on the schedule"):
            store.stop_medicine("aciclovir", NOW)
        store.add_medicine(med(), NOW)  # the same name again, once stopped
        assert len(store.medicines(include_stopped=True)) == 2


def test_m004_brings_a_schema_3_file_up_to_date(tmp_path) -> None:
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path, isolation_level=None)
    migrations.apply(conn, stop_before="m004_appointments_and_medicines")
    conn.execute(
        "INSERT INTO plan (id, infusion_date, updated_at) "
        "VALUES (1, '2026-11-03', '2026-11-03T00:00:00+00:00')"
    )
    conn.execute("PRAGMA user_version = 3")
    conn.close()
    with Store.open(path, now=NOW.astimezone(UTC)) as store:
        version = store.conn.execute("PRAGMA user_version").fetchone()[0]
        assert version == SCHEMA_VERSION == len(migrations.names())
        assert store.plan().temp_times == "08:00,14:00,20:00"  # type: ignore[union-attr]
        assert store.appointments() == [] and store.medicines() == []
        assert store.migration_backup is not None


# -- the timeline with the person's own appointments ---------------------------------------


def test_the_timeline_merges_appointments_by_date_and_hides_what_they_replace() -> None:
    from cart_cli.shapes import timeline_json
    from cart_cli.timeline import build_timeline

    plan = Plan(infusion_date=date(2026, 11, 5))  # day 28 is Thu 3 Dec
    late = Appointment(title="Bloods", starts_at=datetime(2026, 12, 3, 15, 0, tzinfo=LOCAL), id=2)
    early = Appointment(title="Clinic", starts_at=datetime(2026, 12, 3, 9, 0, tzinfo=LOCAL), id=1)
    scan = Appointment(
        title="PET scan", starts_at=datetime(2026, 12, 4, 9, 0, tzinfo=LOCAL), id=3, replaces="first_checkup"
    )
    timeline = build_timeline(plan, NOW.date(), [late, scan, early])
    on_day_28 = [s.milestone for s in timeline.milestones if s.milestone.date == date(2026, 12, 3)]
    generic = [m.id for m in on_day_28 if not m.own]
    assert generic and [m.id for m in on_day_28] == [
        *generic,
        "appt-1",
        "appt-2",
    ]  # generic first, then by time
    ids = [s.milestone.id for s in timeline.milestones]
    assert "first_checkup" not in ids and "appt-3" in ids and timeline.replaced == ("first_checkup",)
    assert timeline.next is not None and timeline.next.milestone.date == date(2026, 12, 3)
    data = timeline_json(timeline)
    own = [item for item in data["milestones"] if item["own"]]
    assert [(item["id"], item["starts_at"], item["replaces"]) for item in own] == [
        ("appt-1", "2026-12-03T09:00+00:00", None),
        ("appt-2", "2026-12-03T15:00+00:00", None),
        ("appt-3", "2026-12-04T09:00+00:00", "first_checkup"),
    ]
    assert build_timeline(plan, NOW.date()).replaced == ()


def test_an_appointment_today_is_today_and_a_past_one_past() -> None:
    from cart_cli.timeline import build_timeline

    plan = Plan(infusion_date=date(2026, 11, 5))
    today = Appointment(title="Bloods", starts_at=NOW.replace(hour=9), id=1)
    before = Appointment(title="Scan", starts_at=NOW - timedelta(days=2), id=2)
    statuses = {
        s.milestone.id: s.status for s in build_timeline(plan, NOW.date(), [today, before]).milestones
    }
    assert statuses["appt-1"] == "today" and statuses["appt-2"] == "past"


# -- any text at all -----------------------------------------------------------------------


@given(st.text(max_size=40))
@settings(max_examples=300, deadline=None)
def test_schedule_parsers_never_crash(text: str) -> None:
    """Whatever is typed, the answer is a value or a one-line InvalidInput."""
    for parse in (
        lambda: parse_appointment_time(text, NOW),
        lambda: parse_times(text),
        lambda: parse_until(text, NOW.date()),
    ):
        try:
            value = parse()
        except InvalidInput as error:
            assert "\n" not in error.message
        else:
            assert value is not None
