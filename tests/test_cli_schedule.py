"""End to end through the real CLI: `cart appt`, `cart med`, `cart calendar`, and where the
schedule shows (timeline, dashboard). The clock is the real one, so dates are relative."""

from __future__ import annotations

import json
import os
import stat
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from helpers import assert_one_line_error, flat, run_process
from ical.calendar_stream import IcsCalendarStream
from icalendar import Calendar

from cart_cli.models import Entry
from cart_cli.store import Store
from cart_cli.timefmt import LOCAL


def now() -> datetime:
    return datetime.now(LOCAL)


@pytest.fixture
def set_up(cart):
    """A plan whose infusion was 5 days ago, with the team's number."""
    infusion = (now() - timedelta(days=5)).date().isoformat()
    result = cart("setup", "--infusion-date", infusion, "--phone", "01234 567890")
    assert result.code == 0, result
    return cart


def in_days(days: int, clock: str = "10:30") -> str:
    return f"{(now() + timedelta(days=days)).date().isoformat()} {clock}"


# -- appointments --------------------------------------------------------------------------


def test_appt_add_list_remove(set_up) -> None:
    cart = set_up
    added = cart("appt", "add", "bloods", in_days(3), "--where", "Day unit", "--json")
    assert added.code == 0, added
    item = json.loads(added.out)
    assert item["title"] == "bloods" and item["where"] == "Day unit" and item["day"] == 8
    assert item["starts_at"].startswith(in_days(3).replace(" ", "T"))
    cart("appt", "add", "PET scan", in_days(2, "09:00"), "--replaces", "first_checkup", "--note", "no food")
    listed = json.loads(cart("appt", "list", "--json").out)
    assert [a["title"] for a in listed] == ["PET scan", "bloods"]  # soonest first
    assert listed[0]["replaces"] == "first_checkup" and listed[0]["note"] == "no food"
    text = cart("appt", "list").out
    assert "bloods" in text and "Day unit" in text and "day 8" in text
    removed = cart("appt", "remove", str(item["id"]))
    assert removed.code == 0 and "bloods" in removed.out
    assert [a["title"] for a in json.loads(cart("appt", "list", "--json").out)] == ["PET scan"]
    assert_one_line_error(cart("appt", "remove", str(item["id"])), 2)


@pytest.mark.parametrize(
    "args",
    [
        ("bloods", "soon"),
        ("bloods", "3 Dec"),  # no time of day
        ("", "tomorrow 10:00"),
        ("bloods", "tomorrow 10:00", "--replaces", "no_such_milestone"),
        ("x" * 121, "tomorrow 10:00"),
    ],
)
def test_appt_add_refuses_bad_input_and_writes_nothing(set_up, args) -> None:
    result = set_up("appt", "add", *args)
    assert_one_line_error(result, 2)
    assert json.loads(set_up("appt", "list", "--json").out) == []


def test_appt_remove_needs_a_number(set_up) -> None:
    assert_one_line_error(set_up("appt", "remove", "abc"), 2)


def test_replaces_needs_a_plan(cart) -> None:
    assert_one_line_error(cart("appt", "add", "scan", "tomorrow 10:00", "--replaces", "first_checkup"), 2)
    assert cart("appt", "add", "scan", "tomorrow 10:00").code == 0  # without it, no plan is needed


def test_appointments_show_in_the_timeline_and_hide_what_they_replace(set_up) -> None:
    cart = set_up
    cart("appt", "add", "Day-30 scan", in_days(25, "09:15"), "--replaces", "first_checkup")
    cart("appt", "add", "bloods", in_days(2))
    data = json.loads(cart("timeline", "--json").out)
    ids = [m["id"] for m in data["milestones"]]
    assert "first_checkup" not in ids and data["replaced"] == ["first_checkup"]
    own = [m for m in data["milestones"] if m["own"]]
    assert [m["title"] for m in own] == ["bloods", "Day-30 scan"]
    assert data["next"] == own[0]["id"]
    dates = [m["date"] for m in data["milestones"]]
    assert dates == sorted(dates)
    screen = flat(cart("timeline").out)
    assert "★ yours: bloods" in screen and "10:30" in screen
    assert "First check-up" not in screen


def test_the_dashboard_names_the_next_appointment_with_its_time(set_up) -> None:
    cart = set_up
    cart("appt", "add", "bloods", in_days(3))
    screen = flat(cart().out)
    when = now() + timedelta(days=3)
    assert f"Next: bloods on {when:%a} {when.day} {when:%b %Y} 10:30 (day 8, in 3 days)" in screen


# -- medicines -----------------------------------------------------------------------------


def log_dose(db_path: Path, name: str, at: datetime) -> None:
    """`cart log med NAME` is built alongside (issue 8); store a `med` entry directly."""
    with Store.open(db_path, now=now()) as store:
        store.add([Entry(kind="med", recorded_at=at, medicine=name)], now())


def test_med_add_list_stop(set_up) -> None:
    cart = set_up
    until = (now() + timedelta(days=30)).date().isoformat()
    added = cart("med", "add", "aciclovir", "--dose", "400 mg", "--times", "20:00,08:00", "--until", until)
    assert added.code == 0, added
    assert "cart log med aciclovir" in added.out
    listed = json.loads(cart("med", "list", "--json").out)
    assert [(m["name"], m["dose"], m["times"], m["until"]) for m in listed] == [
        ("aciclovir", "400 mg", ["08:00", "20:00"], until)
    ]
    assert_one_line_error(cart("med", "add", "ACICLOVIR", "--times", "09:00"), 2)
    stopped = cart("med", "stop", "Aciclovir")
    assert stopped.code == 0 and "Stopped aciclovir" in stopped.out
    assert json.loads(cart("med", "list", "--json").out) == []
    assert_one_line_error(cart("med", "stop", "aciclovir"), 2)


@pytest.mark.parametrize(
    "args",
    [
        ("x", "--times", "25:00"),
        ("x", "--times", ""),
        ("x",),  # --times is required
        ("x", "--times", "08:00", "--until", "2020-01-01"),
        ("x", "--times", "08:00", "--until", "someday"),
        ("", "--times", "08:00"),
    ],
)
def test_med_add_refuses_bad_input_and_writes_nothing(set_up, args) -> None:
    result = set_up("med", "add", *args)
    assert result.code == 2, result
    assert "Traceback" not in result.err
    assert json.loads(set_up("med", "list", "--json").out) == []


def test_todays_doses_taken_later_and_missed(set_up, db_path) -> None:
    """A dose time three hours ago with a dose logged is taken, without one it is missed
    (with a reminder naming `cart log med`); a dose time three hours ahead is later. Near
    midnight only the half that falls today is there, so the test runs at any hour."""
    cart = set_up
    current = now()
    past, ahead = current - timedelta(hours=3), current + timedelta(hours=3)
    times = [f"{t:%H:%M}" for t in (past, ahead) if t.date() == current.date()]
    with Store.open(db_path, now=current) as store:  # on the schedule since midnight
        from cart_cli.schedule import Medicine, parse_times

        midnight = current.replace(hour=0, minute=0, second=0, microsecond=0)
        for name in ("Taken-one", "Missed-one"):
            store.add_medicine(
                Medicine(name=name, times=parse_times(",".join(times)), created_at=midnight), current
            )
    if past.date() == current.date():
        log_dose(db_path, "taken-ONE", current - timedelta(hours=2, minutes=50))
    expected_taken = [s for t, s in ((past, "taken"), (ahead, "later")) if t.date() == current.date()]
    expected_missed = [s for t, s in ((past, "missed"), (ahead, "later")) if t.date() == current.date()]
    listed = {
        m["name"]: [d["state"] for d in m["today"]] for m in json.loads(cart("med", "list", "--json").out)
    }
    assert listed == {"Taken-one": expected_taken, "Missed-one": expected_missed}
    screen = flat(cart().out)
    words = {"taken": "taken", "later": "to come"}
    states = ", ".join(f"{t} {words[s]}" for t, s in zip(times, expected_taken, strict=True))
    assert f"Medicines today: Taken-one: {states}" in screen
    if past.date() == current.date():
        assert f"Missed? Missed-one was due at {past:%H:%M}" in screen and "cart log med Missed-one" in screen
    # A missed dose is a reminder, never a triage level.
    check = json.loads(cart("check", "--json").out)
    assert all("med" not in finding["rule"] for finding in check["findings"])


# -- setup --temp-times --------------------------------------------------------------------


def test_setup_temp_times(set_up) -> None:
    cart = set_up
    assert cart("setup", "--temp-times", "7am, 13:00,19:00,23:00").code == 0
    assert json.loads(cart("setup", "--show", "--json").out)["temp_times"] == "07:00,13:00,19:00,23:00"
    assert "07:00, 13:00, 19:00, 23:00" in cart("setup", "--show").out
    assert_one_line_error(cart("setup", "--temp-times", "noon"), 2)
    assert json.loads(cart("setup", "--show", "--json").out)["temp_times"] == "07:00,13:00,19:00,23:00"


# -- cart calendar -------------------------------------------------------------------------


def test_calendar_file_end_to_end(set_up, tmp_path) -> None:
    cart = set_up
    cart("appt", "add", "bloods", in_days(3), "--where", "Day unit", "--note", "bring the letter")
    cart("med", "add", "aciclovir", "--times", "08:00,20:00")
    cart("setup", "--temp-times", "08:00,20:00")
    cart("log", "temp", "38.6")  # a reading: it must never reach the calendar
    target = tmp_path / "cart.ics"
    result = cart("calendar", "--output", str(target))
    assert result.code == 0, result
    assert "Europe/London" in result.out
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    data = target.read_bytes()
    unfolded = data.replace(b"\r\n ", b"")  # long lines are folded (RFC 5545 3.1)
    assert b"38.6" not in unfolded and b"bring the letter" in unfolded
    events = list(Calendar.from_ical(data).walk("VEVENT"))
    uids = {str(e["UID"]) for e in events}
    person = json.loads(cart("setup", "--show", "--json").out)["person_id"]
    assert len(person) == 32
    assert {
        f"temp-0800-{person}@cart-cli",
        f"temp-2000-{person}@cart-cli",
        f"neuro-{person}@cart-cli",
    } <= uids
    assert not any(u.startswith("temp-1400") for u in uids)
    assert len(IcsCalendarStream.calendar_from_ics(data.decode()).events) == len(events)
    assert f"Wrote {len(events)} events" in result.out

    # Never replaced without --force; with it, the same events (same UIDs and content).
    assert_one_line_error(cart("calendar", "--output", str(target)), 2)
    assert target.read_bytes() == data
    assert cart("calendar", "--output", str(target), "--force").code == 0
    again = list(Calendar.from_ical(target.read_bytes()).walk("VEVENT"))
    assert [str(e["UID"]) for e in again] == [str(e["UID"]) for e in events]
    for event in (*events, *again):
        del event["DTSTAMP"]
    assert [e.to_ical() for e in again] == [e.to_ical() for e in events]


def test_calendar_to_stdout_and_in_a_real_process(set_up) -> None:
    printed = set_up("calendar")
    assert printed.code == 0 and printed.out.startswith("BEGIN:VCALENDAR")
    process = run_process("calendar")
    assert process.returncode == 0, process.stderr
    assert process.stdout.replace("\r\n", "\n").count("BEGIN:VEVENT") == printed.out.count("BEGIN:VEVENT")


def test_calendar_needs_a_setup(cart, tmp_path) -> None:
    assert_one_line_error(cart("calendar", "--output", str(tmp_path / "x.ics")), 1)
    assert not (tmp_path / "x.ics").exists()
    cart("appt", "add", "scan", "tomorrow 10:00")  # a database, but no plan
    assert_one_line_error(cart("calendar"), 1)


def test_calendar_refuses_the_database_itself(set_up, db_path) -> None:
    assert_one_line_error(set_up("calendar", "--output", str(db_path), "--force"), 2)
    assert Store.open_existing(db_path, now=now()) is not None


def test_calendar_without_a_zone_name_is_in_utc_and_says_so(set_up, tmp_path) -> None:
    """TZ set to a POSIX rule (no zone name): the file is in UTC, and cart says so."""
    target = tmp_path / "utc.ics"
    process = run_process("calendar", "--output", str(target), env_extra={"TZ": "GMT0BST,M3.5.0/1,M10.5.0"})
    assert process.returncode == 0, process.stderr
    assert "times in UTC" in process.stdout and "could not find the name" in process.stdout
    calendar = Calendar.from_ical(target.read_bytes())
    assert list(calendar.walk("VTIMEZONE")) == []
    starts = [e.decoded("DTSTART") for e in calendar.walk("VEVENT")]
    assert all(s.utcoffset() == timedelta(0) for s in starts if isinstance(s, datetime))
