"""End-to-end tests of `cart timeline`, the dashboard (`cart` on its own) and `cart demo`.

Day numbers are worked out from the infusion date set in each test relative to today; the
milestone days asserted here come from the seed page (first check-up around day 30, the
8-week side-effect window, hospital stay up to day 28), not from the program's output.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from helpers import assert_one_line_error, flat, run_process

REPO = Path(__file__).resolve().parents[1]
PHONE = "01632 960 123"  # a UK number reserved for examples
STATUSES = {"past", "today", "next", "upcoming"}


def today() -> date:
    return datetime.now().astimezone().date()


def set_up(cart, days_since_infusion: int, *extra: str) -> date:
    infusion = today() - timedelta(days=days_since_infusion)
    result = cart("setup", "--infusion-date", infusion.isoformat(), "--phone", PHONE, "--yes", *extra)
    assert result.code == 0, result
    return infusion


def timeline_json(cart) -> dict:
    result = cart("timeline", "--json")
    assert result.code == 0, result
    return json.loads(result.out)


# --- timeline ----------------------------------------------------------------------------------


@pytest.mark.parametrize("days", [-10, -1, 0, 1, 20, 56, 57, 400, 1100])
def test_timeline_json_shape_and_day_numbers(cart, days):
    """timeline --json has the infusion date, today, day N and milestones that agree with them."""
    infusion = set_up(cart, days)
    data = timeline_json(cart)
    assert {"infusion_date", "today", "day", "milestones"} <= set(data)
    assert data["infusion_date"] == infusion.isoformat()
    assert data["today"] == today().isoformat()
    assert data["day"] == days
    assert data["milestones"], "there is always a schedule"
    for milestone in data["milestones"]:
        assert {"id", "title", "date", "day", "status"} <= set(milestone)
        assert milestone["status"] in STATUSES
        assert (date.fromisoformat(milestone["date"]) - infusion).days == milestone["day"]
    dates = [milestone["date"] for milestone in data["milestones"]]
    assert dates == sorted(dates)
    assert [m["status"] for m in data["milestones"]].count("next") == 1


def test_timeline_before_infusion_counts_down(cart):
    """Before the infusion the day is negative, nothing is past, and the text counts down."""
    set_up(cart, -10)
    data = timeline_json(cart)
    assert data["day"] == -10
    assert all(m["status"] in ("next", "upcoming") for m in data["milestones"])
    first = data["milestones"][0]
    assert (first["day"], first["status"]) == (0, "next")
    text = cart("timeline")
    assert text.code == 0
    assert "10 days until" in flat(text.out)


def test_timeline_on_infusion_day(cart):
    """On the infusion day, day 0 is 'today' and every later milestone is still ahead."""
    set_up(cart, 0)
    data = timeline_json(cart)
    assert data["day"] == 0
    zero = [m for m in data["milestones"] if m["day"] == 0]
    assert zero and all(m["status"] == "today" for m in zero)
    assert all(m["status"] in ("next", "upcoming") for m in data["milestones"] if m["day"] > 0)
    assert "Day 0" in cart("timeline").out


@pytest.mark.parametrize(
    ("days", "seed_day"),
    [(5, 28), (20, 30), (40, 56)],  # seed: stay up to day 28; check-up around day 30; 8 weeks
)
def test_timeline_marks_seed_milestones_past_or_ahead(cart, days, seed_day):
    """Milestones on the seed's days appear, ahead of today until that day passes."""
    set_up(cart, days)
    data = timeline_json(cart)
    on_that_day = [m for m in data["milestones"] if m["day"] == seed_day]
    assert on_that_day
    assert all(m["status"] in ("next", "upcoming") for m in on_that_day)
    assert all(m["status"] == "past" for m in data["milestones"] if m["day"] < days and "end_date" not in m)


def test_timeline_years_later_still_has_a_next_yearly_follow_up(cart):
    """Years after the infusion, the first year is past and a yearly follow-up is next."""
    set_up(cart, 1100)
    data = timeline_json(cart)
    assert data["day"] == 1100
    (upcoming,) = [m for m in data["milestones"] if m["status"] == "next"]
    assert date.fromisoformat(upcoming["date"]) > today()
    assert 1100 < upcoming["day"] <= 1100 + 366  # seed: follow-ups yearly after the first year
    assert all(m["status"] == "past" for m in data["milestones"] if m["day"] <= 365)
    text = cart("timeline")
    assert text.code == 0 and "Day 1100" in text.out


@pytest.mark.parametrize("args", [("timeline",), ("timeline", "--json")])
def test_timeline_before_setup_is_a_clear_error(cart, db_path, args):
    """timeline with no set-up: one line saying to run `cart setup`, exit 1, no file created."""
    result = cart(*args)
    assert_one_line_error(result, 1)
    assert "cart setup" in result.err
    assert not db_path.exists()


# --- the dashboard -------------------------------------------------------------------------------


def test_cart_alone_before_setup_shows_the_first_run_guide(cart, db_path):
    """`cart` with nothing set up shows how to start (demo, setup, log, check), exit 0, no file."""
    result = cart()
    assert result.code == 0, result
    for step in ("cart demo", "cart setup", "cart log", "cart check"):
        assert step in flat(result.out)
    assert not db_path.exists()


def test_dashboard_shows_day_readings_level_and_next_milestone(cart):
    """The dashboard shows day N, latest and highest temp, fatigue, fluids vs 2-3 L, level and next."""
    set_up(cart, 20)
    for args in (
        ("temp", "37.4", "--at", "today 00:00"),  # highest today, still below 37.5: green
        ("temp", "36.6"),  # latest
        ("fatigue", "4"),
        ("fluids", "500ml"),
        ("fluids", "1"),
    ):
        assert cart("log", *args).code == 0
    result = cart()
    assert result.code == 0, result
    out = flat(result.out)
    assert "Day 20" in out
    assert "36.6" in out and "37.4" in out
    assert out.index("latest") < out.index("36.6") and out.index("highest") < out.index("37.4")
    assert "4/10" in out
    assert "1.5 L" in out and "2-3 L" in out  # seed: 2 to 3 litres a day
    assert "GREEN" in out
    # seed: the hospital stay can last up to day 28, the next milestone from day 20.
    assert "Next:" in out and "day 28" in out and "in 8 days" in out


def test_dashboard_on_red_shows_the_level_and_the_number(cart):
    """When the last 24 hours are red, the dashboard says so and shows the team's number."""
    set_up(cart, 20)
    cart("log", "temp", "38.4")
    result = cart()
    assert result.code == 0, result
    assert "RED" in result.out and PHONE in flat(result.out)


def test_dashboard_on_an_emergency_names_the_emergency_number(cart):
    """An emergency sign in the last 24 hours puts the emergency number on the dashboard."""
    set_up(cart, 20, "--emergency-number", "112")
    cart("log", "symptom", "seizure")
    result = cart()
    assert "EMERGENCY" in result.out and "112" in flat(result.out)


def test_dashboard_with_nothing_logged_today_asks_for_a_temperature(cart):
    """With no reading today the dashboard says UNKNOWN and asks for a temperature."""
    set_up(cart, 20)
    result = cart()
    assert result.code == 0, result
    assert "UNKNOWN" in result.out
    assert "cart log temp" in flat(result.out)


# --- demo ------------------------------------------------------------------------------------------


def test_demo_shows_every_view_with_a_fever_and_leaves_no_database(cart, db_path, private_data_dir):
    """`cart demo` exits 0, shows dashboard, timeline and a red check, and creates no database."""
    result = cart("demo")
    assert result.code == 0, result
    out = flat(result.out)
    assert "Day" in out and "Milestones" in out
    assert "RED" in out and "fever" in out
    assert "cart setup" in out
    assert not db_path.exists()
    assert not (private_data_dir / ".local" / "share" / "cart").exists()


def test_demo_person_is_home_so_the_hospital_stay_is_never_next(cart):
    """The demo's person came home on day 10: its dashboard and timeline point past the stay."""
    out = flat(cart("demo").out)
    assert "Next: Latest end of the hospital stay" not in out
    assert "Next: Usual end of the hospital stay" not in out
    assert "Next:" in out


def test_demo_does_not_touch_an_existing_database(cart, db_path):
    """`cart demo` leaves the person's own database byte for byte as it was."""
    set_up(cart, 20)
    cart("log", "temp", "36.9")
    before = (db_path.read_bytes(), db_path.stat().st_mtime_ns)
    assert cart("demo").code == 0
    assert cart("--db", str(db_path), "demo").code == 0
    assert (db_path.read_bytes(), db_path.stat().st_mtime_ns) == before


def test_demo_as_a_real_process_leaves_no_database(db_path):
    """`python -m cart_cli demo` exits 0 and the CART_DB path still does not exist."""
    done = run_process("demo")
    assert done.returncode == 0, done
    assert "RED" in done.stdout
    assert not db_path.exists()
