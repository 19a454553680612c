"""Calls to the team through the real CLI (issue 18, item 2): what a call covers, and the
re-check the team asks for (`cart log call --recheck`).

The stories are the issue's: a night with a fever and two calls to the ward.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest
from helpers import assert_one_line_error, flat
from test_cli_check import log, set_up

from cart_cli.errors import InvalidInput
from cart_cli.parsing import parse_recheck


def check_json(cart) -> tuple[int, dict]:
    result = cart("check", "--json")
    return result.code, json.loads(result.out)


def banner(data: dict) -> str:
    return f"{data['level'].upper()}: {data['headline']}"


def test_a_reported_emergency_then_a_normal_temperature_says_the_same_in_log_and_check(cart):
    """After a reported emergency, 36.9 °C: `cart log` and `cart check` print the same verdict."""
    set_up(cart)
    log(cart, "temp", "36.8", "--at", "2h ago")
    log(cart, "symptom", "seizure", "--at", "2h ago")
    log(cart, "call", "--at", "90m ago", "--outcome", "paramedics came, no ambulance needed")
    logged = cart("log", "temp", "36.9")
    code, data = check_json(cart)
    assert (code, data["level"], data["new_level"]) == (2, "emergency", None)
    assert data["headline"].startswith("REPORTED TO YOUR TEAM AT ")
    text = cart("check")
    for said in (flat(logged.out), flat(text.out)):
        assert banner(data) in said
        assert "CALL 999 NOW" not in said


def test_paracetamol_and_37_6_after_no_ambulance_does_not_reopen_call_999(cart):
    """A post-paracetamol 37.6 °C after the team said no ambulance is not a new emergency."""
    set_up(cart)
    log(cart, "temp", "38.6", "--at", "3h ago")
    log(cart, "symptom", "confusion", "--at", "3h ago")
    code, before = check_json(cart)
    assert before["level"] == "emergency" and before["headline"] == "CALL 999 NOW"
    log(cart, "call", "--at", "150m ago", "--outcome", "no ambulance needed, come in if worse")
    log(cart, "med", "paracetamol", "--at", "2h ago")
    logged = cart("log", "temp", "37.6")
    code, data = check_json(cart)
    assert (code, data["level"], data["new_level"]) == (2, "emergency", "amber")
    assert "CALL 999 NOW" not in data["headline"] and "EMERGENCY REPORTED TO YOUR TEAM AT" in data["headline"]
    assert {f["rule"] for f in data["findings"] if not f["reported"]} == {"fever-medicine"}
    assert "CALL 999 NOW" not in flat(logged.out) and "CALL 999 NOW" not in flat(cart("check").out)


def test_a_reported_amber_and_a_new_fatigue_score_stay_amber_until_something_is_worse(cart):
    """A reported raised temperature plus fatigue 7 is amber news, not red; a fever then is."""
    set_up(cart)
    log(cart, "temp", "37.7", "--at", "2h ago")
    log(cart, "call", "--at", "100m ago", "--outcome", "ward said rest and re-check")
    cart("log", "fatigue", "7")
    code, data = check_json(cart)
    assert (code, data["level"], data["new_level"]) == (1, "amber", "amber")
    assert "several-amber-signs" not in {f["rule"] for f in data["findings"]}
    assert "███" not in cart("check").out  # no large digits
    log(cart, "temp", "38.1")
    code, data = check_json(cart)
    assert (code, data["level"], data["new_level"]) == (2, "red", "red")
    assert data["headline"] == "CALL YOUR HOSPITAL TEAM NOW"
    assert "███" in cart("check").out


# --- the re-check the team asks for ----------------------------------------------------------


@pytest.mark.parametrize(
    ("recheck", "call_at", "overdue"),
    [
        ("1h", "70m ago", True),
        ("in 1 hour", "50m ago", False),
        ("90m", "100m ago", True),
        ("in 30 minutes", "now", False),
    ],
)
def test_the_teams_recheck_is_shown_due_then_overdue_on_check_and_dashboard(cart, recheck, call_at, overdue):
    """`log call --recheck` is stored in the call; check and dashboard say due or overdue."""
    set_up(cart)
    log(cart, "temp", "37.8", "--at", "3h ago")
    stored = json.loads(cart("log", "call", "--at", call_at, "--recheck", recheck, "--json").out)["stored"][0]
    assert stored["recheck_minutes"] in (30, 60, 90)
    word = "Re-check overdue" if overdue else "Re-check due"
    _code, data = check_json(cart)
    assert any(line.startswith(word) and "your team asked at" in line for line in data["reminders"]), data
    assert word in flat(cart("check").out)
    assert word in flat(cart().out)


def test_a_reading_taken_for_the_recheck_clears_it(cart):
    """Once a reading is logged at (or just before) the re-check time, it is no longer due."""
    set_up(cart)
    log(cart, "temp", "37.8", "--at", "3h ago")
    log(cart, "call", "--at", "2h ago", "--recheck", "1h")
    assert any("Re-check overdue" in line for line in check_json(cart)[1]["reminders"])
    log(cart, "temp", "37.6")
    assert not any("your team asked" in line for line in check_json(cart)[1]["reminders"])


@pytest.mark.parametrize("bad", ["soon", "0m", "-1h", "25h", "in an hour", ""])
def test_a_recheck_cart_cannot_read_is_refused_and_nothing_is_stored(cart, bad):
    """An unreadable --recheck is one line on stderr, exit 2, and no call is stored."""
    set_up(cart)
    result = cart("log", "call", "--recheck", bad)
    assert_one_line_error(result, 2)
    assert check_json(cart)[1]["calls"] == []


CALL_AT = datetime(2026, 11, 24, 3, 10, tzinfo=timezone(timedelta(0)))


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("1h", 60),
        ("1 hour", 60),
        ("in 1 hour", 60),
        ("in 2 hours", 120),
        ("90m", 90),
        ("in 30 minutes", 30),
        ("1.5h", 90),
        ("1m", 1),
        ("24h", 24 * 60),
        ("at 04:30", 80),
        ("04:30", 80),
        ("at 03:11", 1),
        ("at 03:10", 24 * 60),  # the same clock time is the next day's
        ("at 3am", 23 * 60 + 50),
    ],
)
def test_recheck_times_people_say(text, minutes):
    """Durations and clock times read as minutes after the call, at the boundaries."""
    assert parse_recheck(text, CALL_AT) == minutes


@pytest.mark.parametrize("text", ["0m", "24h 1m", "1441m", "25h", "soon", "at 25:00", "-5m", "in a bit"])
def test_recheck_times_cart_refuses(text):
    """Zero, more than a day, and words that are not a time are refused."""
    with pytest.raises(InvalidInput):
        parse_recheck(text, CALL_AT)


def _recheck_events(cart) -> list:
    """The calendar's re-check events, as the independent `ical` reader sees them."""
    from ical.calendar_stream import IcsCalendarStream

    result = cart("calendar")
    assert result.code == 0, result
    calendar = IcsCalendarStream.calendar_from_ics(result.out)
    return [event for event in calendar.events if event.uid.startswith("recheck-")]


def test_the_calendar_rings_for_the_teams_recheck_while_it_is_to_come(cart):
    """A call with --recheck puts one event at the due time, with an alarm at that time; once a
    reading is logged for it, or when it is overdue, the calendar no longer holds it."""
    set_up(cart)
    log(cart, "temp", "37.8", "--at", "1h ago")
    stored = json.loads(cart("log", "call", "--at", "50m ago", "--recheck", "1h", "--json").out)["stored"][0]
    events = _recheck_events(cart)
    assert len(events) == 1
    called = datetime.fromisoformat(stored["recorded_at"])
    assert events[0].dtstart == called + timedelta(minutes=60)
    assert [alarm.trigger for alarm in events[0].alarm] == [timedelta(0)]
    log(cart, "temp", "37.4")  # the re-check, taken ten minutes early
    assert _recheck_events(cart) == []


def test_an_overdue_recheck_is_for_the_check_not_for_a_calendar_alarm_in_the_past(cart):
    set_up(cart)
    log(cart, "temp", "37.8", "--at", "3h ago")
    log(cart, "call", "--at", "2h ago", "--recheck", "1h")
    assert _recheck_events(cart) == []
    assert any("Re-check overdue" in line for line in check_json(cart)[1]["reminders"])
