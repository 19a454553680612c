"""Input the way people say it (issue 22 item 5): times, setup dates, fluid amounts and a
temperature with where it was taken. Table-driven through the parsers, then end to end.

Expected values come from the issue and plain arithmetic (a UK pint is 568 ml, a US pint
473 ml; "half an hour ago" is 30 minutes before now), never from running the code.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import date, datetime, timedelta, timezone

import pytest
from helpers import assert_one_line_error

from cart_cli import parsing
from cart_cli.errors import InvalidInput
from cart_cli.models import Entry, Plan
from cart_cli.rules import site_may_read_low
from cart_cli.schedule import parse_appointment_time

TZ = timezone(timedelta(hours=0))
NOW = datetime(2026, 12, 5, 9, 30, tzinfo=TZ)  # a Saturday morning
TODAY = NOW.date()
PHONE = "01632 960 123"


def at(day: int, hour: int, minute: int = 0, month: int = 12) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=TZ)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("an hour ago", at(5, 8, 30)),
        ("An Hour Ago", at(5, 8, 30)),
        ("half an hour ago", at(5, 9, 0)),
        ("a few minutes ago", at(5, 9, 25)),
        ("two hours ago", at(5, 7, 30)),
        ("an hour and a half ago", at(5, 8, 0)),
        ("a couple of hours ago", at(5, 7, 30)),
        ("just now", NOW),
        ("last night 11pm", at(4, 23, 0)),
        ("last night 11", at(4, 23, 0)),
        ("last night 2am", at(5, 2, 0)),  # after midnight: early this morning
        ("this morning 7", at(5, 7, 0)),
        ("this morning 7:30", at(5, 7, 30)),
        ("yesterday evening 8", at(4, 20, 0)),
        ("yesterday afternoon 3", at(4, 15, 0)),
        ("mon 10am", at(30, 10, 0, month=11)),  # the latest Monday
        ("Monday 10:00", at(30, 10, 0, month=11)),
        ("sat 9am", at(5, 9, 0)),  # today, already past
        ("sat 10am", at(28, 10, 0, month=11)),  # today's 10am is still to come: a week ago
        ("last sat 9am", at(28, 9, 0, month=11)),
        ("friday morning 9", at(4, 9, 0)),
        ("2h ago", at(5, 7, 30)),  # the forms accepted before still are
        ("yesterday 21:30", at(4, 21, 30)),
    ],
)
def test_times_as_people_say_them(text, expected):
    """Each spoken time is the moment a person means by it."""
    assert parsing.parse_when(text, NOW) == expected


@pytest.mark.parametrize(
    ("text", "contains"),
    [
        ("a few hours ago", "too vague"),  # a few hours could be 2 or 5: ask for a number
        ("a few days ago", "too vague"),
        ("this afternoon 3", "later than now"),
        ("tonight 9pm", "later than now"),
        ("monday", "needs a time of day"),
        ("last night", "needs a time of day"),
        ("this morning 13", "no time we can read"),
        ("yesterday evening 2", "no time we can read"),  # 2 in the evening is not a time
        ("blah", "mon 10am"),  # the refusal lists the spoken forms too
    ],
)
def test_spoken_times_refused_say_what_is_accepted(text, contains):
    with pytest.raises(InvalidInput) as caught:
        parsing.parse_when(text, NOW)
    assert contains in caught.value.message
    assert len(caught.value.message.splitlines()) == 1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mon 10am", at(7, 10, 0)),  # the next Monday
        ("next monday 10am", at(7, 10, 0)),
        ("sat 10am", at(5, 10, 0)),  # today, still to come
        ("sat 9am", at(12, 9, 0)),  # today's has passed: next week
        ("thursday morning 9", at(10, 9, 0)),
        ("3 Dec 10:30", datetime(2027, 12, 3, 10, 30, tzinfo=TZ)),  # the next 3 Dec, as before
    ],
)
def test_appointments_by_weekday_are_the_next_such_day(text, expected):
    assert parse_appointment_time(text, NOW) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("6 days ago", date(2026, 11, 29)),
        ("a week ago", date(2026, 11, 28)),
        ("2 weeks ago", date(2026, 11, 21)),
        ("29 Nov", date(2026, 11, 29)),  # the latest past 29 November
        ("5 Dec", date(2026, 12, 5)),  # today counts
        ("6 Dec", date(2025, 12, 6)),  # tomorrow's date means last year's
        ("29 Feb", date(2024, 2, 29)),  # back to the last year that had one
        ("yesterday", date(2026, 12, 4)),
        ("today", TODAY),
        ("last monday", date(2026, 11, 30)),
        ("2026-11-03", date(2026, 11, 3)),
        ("3 Nov 2026", date(2026, 11, 3)),
        ("2027-01-10", date(2027, 1, 10)),  # a full date is kept as typed (a planned infusion)
    ],
)
def test_setup_dates_as_people_say_them(text, expected):
    assert parsing.parse_past_date(text, TODAY) == expected


@pytest.mark.parametrize(
    ("text", "contains"),
    [
        ("2h ago", "whole number of days"),
        ("3/11", "could be 3 Nov or 11 Mar"),
        ("soon", "6 days ago"),
        ("", "empty"),
    ],
)
def test_setup_dates_refused(text, contains):
    with pytest.raises(InvalidInput) as caught:
        parsing.parse_past_date(text, TODAY)
    assert contains in caught.value.message


@pytest.mark.parametrize(
    ("text", "units", "litres", "said"),
    [
        ("2 pints", "uk", 1.136, "568 ml each"),
        ("2 pints", "us", 0.946, "473 ml each"),
        ("half a pint", "uk", 0.284, "half a UK pint"),
        ("2 cups", "uk", 0.5, "2 UK cups"),
        ("2 cups", "us", 0.48, "240 ml each"),
        ("a glass", "uk", 0.25, "1 glass as 250 ml"),
        ("two glasses", "us", 0.48, "2 glasses"),
        ("a mug of tea", "uk", 0.35, "mug"),
        ("12 oz", "us", 0.355, "US fl oz"),
        ("500ml", "uk", 0.5, "500 ml"),
        ("1.5 l", "us", 1.5, None),
        ("1.5", "uk", 1.5, None),
    ],
)
def test_fluids_as_people_say_them_and_what_was_counted(text, units, litres, said):
    value, remark = parsing.parse_fluids(text, units)
    assert value == litres
    if said is None:
        assert remark is None
    else:
        assert remark is not None and said in remark


@pytest.mark.parametrize(
    ("text", "contains"),
    [("3 bottles", "2 pints"), ("10 pints", "more than 5 litres"), ("0 cups", "not more than 0")],
)
def test_fluids_refused_list_the_accepted_forms(text, contains):
    with pytest.raises(InvalidInput) as caught:
        parsing.parse_fluids(text, "uk")
    assert contains in caught.value.message


@pytest.mark.parametrize(
    ("text", "site_option", "celsius", "site"),
    [
        ("37.8 under arm", None, 37.8, "armpit"),
        ("37.8 under the arm", None, 37.8, "armpit"),
        ("37.9 ear", None, 37.9, "ear"),
        ("37.9 (ear)", None, 37.9, "ear"),
        ("38,2 oral", None, 38.2, "mouth"),
        ("37.8, forehead", None, 37.8, "forehead"),
        ("100.4F ear", None, 38.0, "ear"),
        ("37.8", "armpit", 37.8, "armpit"),
        ("37.8", "under arm", 37.8, "armpit"),
        ("38.2", None, 38.2, None),
    ],
)
def test_temperature_with_where_it_was_taken(text, site_option, celsius, site):
    """Kept as read (never adjusted for the site), with the site beside it."""
    value, _, where = parsing.parse_temperature_reading(text, None, site_option)
    assert (value, where) == (celsius, site)


@pytest.mark.parametrize(
    ("text", "site_option", "contains"),
    [
        ("37.8 bum", None, "mouth, ear, armpit"),
        ("37.8 ear", "armpit", "give one"),
        ("37.8", "knee", "not known"),
    ],
)
def test_temperature_site_refused(text, site_option, contains):
    with pytest.raises(InvalidInput) as caught:
        parsing.parse_temperature_reading(text, None, site_option)
    assert contains in caught.value.message


PLAN = Plan(infusion_date=date(2026, 11, 29))


@pytest.mark.parametrize(
    ("celsius", "site", "says"),
    [
        (37.0, "armpit", True),  # 1.0 below the 38.0 line: may hide a fever
        (37.6, "forehead", True),
        (37.99, "armpit", True),
        (36.9, "armpit", False),  # further below: nothing to add
        (38.0, "armpit", False),  # at the line it is a fever already (red, graded as read)
        (37.6, "ear", False),
        (37.6, "mouth", False),
        (37.6, None, False),
    ],
)
def test_armpit_and_forehead_near_the_threshold_ask_for_another_reading(celsius, site, says):
    entry = Entry(kind="temp", recorded_at=NOW - timedelta(minutes=5), celsius=celsius, site=site, id=1)
    line = site_may_read_low([entry], PLAN, NOW)
    assert (line is not None) == says
    if says:
        assert line is not None and "by mouth or in the ear" in line


# --- end to end ----------------------------------------------------------------------------


def test_log_temp_keeps_the_site_and_says_to_take_another(cart, db_path):
    assert cart("setup", "--infusion-date", "6 days ago", "--phone", PHONE).code == 0
    result = cart("log", "temp", "37.4 under arm", "--at", "half an hour ago")
    assert result.code == 0, result
    assert "under the arm" in result.out and "by mouth or in the ear" in result.out
    row = sqlite3.connect(db_path).execute("SELECT celsius, site FROM entries").fetchone()
    assert row == (37.4, "armpit")
    shown = json.loads(cart("history", "--json").out)
    assert shown[0]["site"] == "armpit"
    assert "by mouth or in the ear" in cart("check").out


def test_refused_log_says_what_is_accepted_and_to_call_if_worried(cart, db_path):
    assert cart("setup", "--infusion-date", "29 Nov 2026", "--phone", PHONE, "--yes").code == 0
    result = cart("log", "temp", "37.8 bum")
    assert_one_line_error(result, 2)
    assert "armpit" in result.err
    assert f"if you are worried call your team on {PHONE} now" in result.err
    assert sqlite3.connect(db_path).execute("SELECT count(*) FROM entries").fetchone()[0] == 0


def test_refused_log_before_setup_still_says_to_call(cart):
    result = cart("log", "fluids", "lots")
    assert_one_line_error(result, 2)
    assert "2 pints" in result.err and "if you are worried call" in result.err


def test_fluids_in_us_pints_after_setup_says_what_was_counted(cart, db_path):
    assert cart("setup", "--infusion-date", "6 days ago", "--phone", PHONE, "--volume-units", "us").code == 0
    result = cart("log", "fluids", "2 pints")
    assert result.code == 0, result
    assert "946 ml" in result.out
    assert sqlite3.connect(db_path).execute("SELECT litres FROM entries").fetchone() == (0.946,)
    assert json.loads(cart("setup", "--show", "--json").out)["volume_units"] == "us"


def test_setup_infusion_date_six_days_ago_is_day_six(cart):
    result = cart("setup", "--infusion-date", "6 days ago", "--phone", PHONE)
    assert result.code == 0, result
    assert "day 6 since infusion" in result.out
