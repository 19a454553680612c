"""Medicines as they are prescribed (issue 20): some weekdays, every N days, every N hours,
as needed; how the schedule is typed, said in words, stored, shown and put in the calendar."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, date, datetime, time, timedelta

import pytest
from helpers import assert_one_line_error

from cart_cli import migrations
from cart_cli.calendar_events import calendar_events
from cart_cli.errors import InvalidInput
from cart_cli.models import Entry, Plan
from cart_cli.schedule import (
    Medicine,
    MedicineOptions,
    describe_schedule,
    doses_on,
    every_hours_times,
    medicine_from_options,
    parse_every,
    parse_gap,
    parse_weekdays,
    todays_doses,
)
from cart_cli.store import Store
from cart_cli.timefmt import LOCAL

ADDED = datetime(2026, 11, 30, 7, 0, tzinfo=LOCAL)  # Monday 30 Nov 2026
NOW = datetime(2026, 12, 1, 12, 0, tzinfo=LOCAL)


def build(**options: object) -> Medicine:
    return medicine_from_options(MedicineOptions(name="m", **options), ADDED)  # type: ignore[arg-type]


# -- typed input ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mon,wed,fri", (0, 2, 4)),
        ("Fri, Mon, Wed", (0, 2, 4)),
        ("monday,WEDNESDAY", (0, 2)),
        ("sun", (6,)),
        ("tue,tue", (1,)),
        ("thurs", (3,)),
    ],
)
def test_parse_weekdays(text: str, expected: tuple[int, ...]) -> None:
    assert parse_weekdays(text) == expected


@pytest.mark.parametrize("text", ["", " , ", "mo", "funday", "mon;wed", "t", "x" * 200])
def test_parse_weekdays_refuses(text: str) -> None:
    with pytest.raises(InvalidInput):
        parse_weekdays(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2d", (2, "d")), ("2 days", (2, "d")), ("1d", (1, "d")), ("28d", (28, "d")), ("8h", (8, "h")),
     ("12 hours", (12, "h")), ("24h", (24, "h")), ("1h", (1, "h"))],
)  # fmt: skip
def test_parse_every(text: str, expected: tuple[int, str]) -> None:
    assert parse_every(text) == expected


@pytest.mark.parametrize("text", ["0d", "29d", "5h", "7h", "0h", "25h", "2w", "every day", "", "-2d"])
def test_parse_every_refuses(text: str) -> None:
    with pytest.raises(InvalidInput):
        parse_every(text)


@pytest.mark.parametrize(
    ("text", "minutes"),
    [("4h", 240), ("4 hours", 240), ("90m", 90), ("1h30m", 90), ("30m", 30), ("24h", 1440)],
)
def test_parse_gap(text: str, minutes: int) -> None:
    assert parse_gap(text) == timedelta(minutes=minutes)


@pytest.mark.parametrize("text", ["29m", "24h1m", "0h", "4", "four hours", "", "h"])
def test_parse_gap_refuses(text: str) -> None:
    with pytest.raises(InvalidInput):
        parse_gap(text)


@pytest.mark.parametrize(
    ("hours", "start", "expected"),
    [
        (8, time(6, 0), ["06:00", "14:00", "22:00"]),
        (8, time(22, 0), ["06:00", "14:00", "22:00"]),
        (12, time(9, 30), ["09:30", "21:30"]),
        (6, time(0, 0), ["00:00", "06:00", "12:00", "18:00"]),
        (24, time(7, 0), ["07:00"]),
    ],
)
def test_every_hours_gives_wall_clock_times(hours: int, start: time, expected: list[str]) -> None:
    assert [f"{t:%H:%M}" for t in every_hours_times(hours, start)] == expected


@pytest.mark.parametrize(
    ("options", "words"),
    [
        ({"times": "08:00", "days": "mon,wed,fri"}, "Mon, Wed, Fri at 08:00"),
        ({"times": "08:00,20:00"}, "every day at 08:00 and 20:00"),
        ({"times": "08:00,14:00,20:00"}, "every day at 08:00, 14:00 and 20:00"),
        ({"times": "09:00", "every": "2d"}, "every 2 days at 09:00"),
        ({"every": "8h", "start": "06:00"}, "every 8 hours (06:00, 14:00, 22:00)"),
        ({"every": "12h", "start": "08:00", "days": "sat,sun"}, "every 12 hours (08:00, 20:00), Sat, Sun"),
        ({"times": "08:00", "until": "2026-12-24"}, "every day at 08:00, until 2026-12-24"),
        (
            {"as_needed": True, "min_gap": "4h", "max_per_day": "4", "max_mg": "4000"},
            "as needed, at least 4 hours apart, at most 4 doses in 24 hours, at most 4000 mg in 24 hours",
        ),
        ({"as_needed": True}, "as needed"),
    ],
)
def test_the_schedule_in_words(options: dict[str, object], words: str) -> None:
    assert describe_schedule(build(**options)) == words


@pytest.mark.parametrize(
    "options",
    [
        {},  # no times at all
        {"as_needed": True, "times": "08:00"},
        {"as_needed": True, "days": "mon"},
        {"min_gap": "4h", "times": "08:00"},  # a limit without --as-needed
        {"max_mg": "4000", "times": "08:00"},
        {"every": "8h"},  # no --from
        {"every": "8h", "start": "06:00", "times": "08:00"},
        {"start": "06:00", "times": "08:00"},  # --from without --every Nh
        {"times": "08:00", "days": "mon", "every": "2d"},
        {"as_needed": True, "max_per_day": "0"},
        {"as_needed": True, "max_mg": "lots"},
        {"times": "08:00", "until": "2026-11-01"},  # in the past
    ],
)
def test_options_that_do_not_fit_together_are_refused(options: dict[str, object]) -> None:
    with pytest.raises(InvalidInput):
        build(**options)


# -- which days have doses -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("options", "due_days"),
    [
        ({"times": "08:00", "days": "mon,wed,fri"}, ["Mon 30", "Wed 2", "Fri 4", "Mon 7"]),
        ({"times": "08:00", "every": "2d"}, ["Mon 30", "Wed 2", "Fri 4", "Sun 6"]),
        ({"times": "08:00", "every": "3d"}, ["Mon 30", "Thu 3", "Sun 6"]),
        ({"times": "08:00", "days": "sat,sun"}, ["Sat 5", "Sun 6"]),
        ({"as_needed": True}, []),
    ],
)
def test_doses_fall_on_the_days_of_the_pattern(options: dict[str, object], due_days: list[str]) -> None:
    medicine = build(**options)
    days = [ADDED.date() + timedelta(days=n) for n in range(8)]
    found = [f"{d:%a} {d.day}" for d in days if doses_on(medicine, d, datetime.combine(d, time(23), LOCAL))]
    assert found == due_days


def test_a_mon_wed_fri_medicine_has_no_dose_on_saturday() -> None:
    """Issue 20: it showed "to come" on Saturday."""
    medicine = build(times="08:00", days="mon,wed,fri")
    saturday = datetime(2026, 12, 5, 9, 0, tzinfo=LOCAL)
    assert todays_doses([medicine], [], saturday) == []
    friday = datetime(2026, 12, 4, 9, 0, tzinfo=LOCAL)
    assert [d.state for d in todays_doses([medicine], [], friday)] == ["due"]


def test_a_dose_in_the_name_still_counts_for_the_medicine() -> None:
    medicine = build(times="08:00")
    entry = Entry(kind="med", recorded_at=NOW.replace(hour=8, minute=5), medicine="M 480mg x1")
    assert [d.state for d in todays_doses([medicine], [entry], NOW)] == ["taken"]


def test_an_early_dose_is_not_counted_twice_or_before_the_medicine_was_added() -> None:
    medicine = build(times="08:00,20:00")
    logs = [Entry(kind="med", recorded_at=NOW.replace(hour=h, minute=10), medicine="m") for h in (5, 6)]
    doses = todays_doses([medicine], logs, NOW.replace(hour=22, minute=30))
    # 05:10 is early for 08:00; 06:10 is nearest 08:00 too, which already has one: not counted
    assert [(d.state, d.early) for d in doses] == [("taken", True), ("missed", False)]
    before_added = [Entry(kind="med", recorded_at=ADDED - timedelta(minutes=5), medicine="m")]
    first_day = todays_doses([medicine], before_added, ADDED.replace(hour=9))
    assert [(d.state, d.early) for d in first_day] == [("due", False), ("later", False)]


# -- the calendar -------------------------------------------------------------------------------


def _med_events(medicine: Medicine) -> list:
    plan = Plan(infusion_date=date(2026, 11, 1), person_id="a" * 32)
    events = calendar_events(plan, [], [medicine], ADDED.date(), LOCAL)
    return [e for e in events if e.uid.startswith("med-")]


@pytest.mark.parametrize(
    ("options", "first", "last", "weekdays", "interval"),
    [
        ({"times": "08:00", "days": "mon,wed,fri", "until": "2026-12-13"}, "Mon 30 08:00", "Fri 11 08:00",
         (0, 2, 4), 1),
        ({"times": "09:00", "days": "tue", "until": "2026-12-15"}, "Tue 01 09:00", "Tue 15 09:00", (1,), 1),
        ({"times": "06:30", "every": "2d", "until": "2026-12-05"}, "Wed 02 06:30", "Fri 04 06:30", (), 2),
        ({"times": "08:00", "every": "3d", "until": "2026-12-08"}, "Mon 30 08:00", "Sun 06 08:00", (), 3),
    ],
)  # fmt: skip
def test_calendar_events_follow_the_pattern(
    options: dict[str, object], first: str, last: str, weekdays: tuple[int, ...], interval: int
) -> None:
    """The first reminder is the first dose of the pattern after the medicine was added (07:00
    on Monday 30 Nov), the last is the last dose of the pattern up to the end date."""
    (event,) = _med_events(build(**options))
    assert f"{event.start:%a %d %H:%M}" == first
    assert event.last is not None and f"{event.last:%a %d %H:%M}" == last
    assert event.weekdays == weekdays and event.interval == interval


def test_an_as_needed_medicine_rings_no_reminder() -> None:
    assert _med_events(build(as_needed=True, min_gap="4h")) == []


# -- storage ------------------------------------------------------------------------------------


def test_every_pattern_is_stored_and_read_back(tmp_path) -> None:
    kinds = [
        build(times="08:00", days="mon,wed,fri"),
        build(times="09:00", every="2d", until="2027-01-31"),
        build(every="8h", start="06:00"),
        build(as_needed=True, min_gap="4h", max_per_day="4", max_mg="3000"),
    ]
    with Store.open(tmp_path / "c.db", now=NOW) as store:
        for n, medicine in enumerate(kinds):
            store.add_medicine(Medicine(**{**medicine.__dict__, "name": f"m{n}"}), NOW)
        back = store.medicines()
    for stored, made in zip(back, kinds, strict=True):
        assert describe_schedule(stored) == describe_schedule(made)
        assert (stored.weekdays, stored.every_days, stored.every_hours, stored.as_needed) == (
            made.weekdays, made.every_days, made.every_hours, made.as_needed,
        )  # fmt: skip
        assert (stored.min_gap, stored.max_per_day, stored.max_mg, stored.times) == (
            made.min_gap, made.max_per_day, made.max_mg, made.times,
        )  # fmt: skip


def test_m005_keeps_schema_4_medicines_as_daily_and_gives_the_plan_a_person_id(tmp_path) -> None:
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path, isolation_level=None)
    migrations.apply(conn, stop_before="m005_medicine_patterns_and_person_id")
    conn.execute(
        "INSERT INTO plan (id, infusion_date, updated_at) "
        "VALUES (1, '2026-11-03', '2026-11-03T00:00:00+00:00')"
    )
    conn.execute(
        "INSERT INTO medicines (uid, name, dose, times, created_at) "
        "VALUES ('u1', 'Aciclovir', '400 mg', '08:00,20:00', '2026-11-20T09:00:00+00:00')"
    )
    conn.execute("PRAGMA user_version = 4")
    conn.close()
    with Store.open(path, now=NOW.astimezone(UTC)) as store:
        (medicine,) = store.medicines()
        plan = store.plan()
    assert describe_schedule(medicine) == "every day at 08:00 and 20:00"
    assert plan is not None and len(plan.person_id) == 32 and plan.paracetamol_max_mg == 4000


# -- through the real CLI ---------------------------------------------------------------------


@pytest.fixture
def set_up(cart):
    assert cart("setup", "--infusion-date", "2026-11-01", "--phone", "01234 567890").code == 0
    return cart


def test_med_add_and_list_say_the_schedule_in_words(set_up) -> None:
    cart = set_up
    added = cart(
        "med", "add", "co-trimoxazole", "--dose", "480 mg", "--times", "08:00", "--days", "mon,wed,fri"
    )
    assert added.code == 0 and "Mon, Wed, Fri at 08:00" in added.out
    assert cart("med", "add", "voriconazole", "--every", "8h", "--from", "06:00").code == 0
    assert cart("med", "add", "paracetamol", "--as-needed", "--min-gap", "4h", "--max-per-day", "4").code == 0
    listed = cart("med", "list").out
    assert "co-trimoxazole 480 mg: Mon, Wed, Fri at 08:00" in listed
    assert "voriconazole: every 8 hours (06:00, 14:00, 22:00)" in listed
    assert "paracetamol: as needed, at least 4 hours apart, at most 4 doses in 24 hours" in listed
    data = json.loads(cart("med", "list", "--json").out)
    assert [m["schedule"] for m in data] == [
        "Mon, Wed, Fri at 08:00", "every 8 hours (06:00, 14:00, 22:00)",
        "as needed, at least 4 hours apart, at most 4 doses in 24 hours",
    ]  # fmt: skip
    assert data[0]["days"] == ["mon", "wed", "fri"] and data[2]["as_needed"] is True
    assert data[2]["min_gap_minutes"] == 240 and data[2]["times"] == []


@pytest.mark.parametrize(
    "args",
    [
        ("--times", "08:00", "--days", "someday"),
        ("--every", "5h", "--from", "06:00"),
        ("--as-needed", "--times", "08:00"),
        ("--min-gap", "4h", "--times", "08:00"),
        (),
    ],
)
def test_med_add_refuses_what_does_not_fit_and_writes_nothing(set_up, args: tuple[str, ...]) -> None:
    assert_one_line_error(set_up("med", "add", "x", *args), 2)
    assert json.loads(set_up("med", "list", "--json").out) == []


def test_the_dashboard_shows_every_dose_of_today(set_up) -> None:
    """Issue 20: a 02:45 paracetamol was hidden by a later dose."""
    cart = set_up
    today = datetime.now(LOCAL).replace(second=0, microsecond=0)
    first, second = today.replace(hour=0, minute=5), today.replace(hour=0, minute=10)
    for moment, name in ((first, "paracetamol"), (second, "aciclovir 400mg")):
        assert cart("log", "med", name, "--at", moment.strftime("%Y-%m-%d %H:%M")).code in (0, 1)
    shown = " ".join(cart().out.split())
    assert "paracetamol at 00:05" in shown and "aciclovir 400mg at 00:10" in shown
