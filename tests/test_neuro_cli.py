"""End-to-end tests of the nervous-system check through the real CLI (no terminal):
`cart log ice`, `cart log handwriting`, `cart neuro` in a script, the settings, the reminder in
`cart check` and on the dashboard, history, export and import.

Each test runs the CLI in-process (the ``cart`` fixture) against a database in a temp folder.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest
from helpers import assert_one_line_error, entry_count, flat

PHONE = "01632 960 123"  # a UK number reserved for examples
FULL = "orientation=4,naming=3,command=1,writing=1,counting=1"
REMINDER = "Nervous-system check due: `cart neuro`"


def set_up(cart, days_since_infusion: int, *extra: str) -> None:
    infusion = (datetime.now().astimezone().date() - timedelta(days=days_since_infusion)).isoformat()
    result = cart("setup", "--infusion-date", infusion, "--phone", PHONE, *extra)
    assert result.code == 0, result


def entries(cart, *args: str) -> list[dict]:
    result = cart("history", "--json", "--limit", "1000", *args)
    assert result.code == 0, result
    return json.loads(result.out)


# --- cart log ice / handwriting ------------------------------------------------------------


def test_log_ice_ten_is_stored_without_advice(cart):
    """10/10 within 8 weeks needs nothing: one line saying what was stored."""
    set_up(cart, 10)
    result = cart("log", "ice", "10", "--items", FULL, "--note", "calm morning")
    assert result.code == 0, result
    assert "ICE score 10/10" in result.out
    assert "CALL" not in result.out
    [stored] = entries(cart, "--kind", "ice")
    assert (stored["kind"], stored["score"], stored["items"], stored["note"]) == (
        "ice",
        10,
        FULL,
        "calm morning",
    )


def test_log_ice_nine_within_8_weeks_is_red_with_the_number(cart):
    set_up(cart, 20)
    result = cart("log", "ice", "9")
    assert result.code == 0, result
    text = flat(result.out)
    assert "RED" in text and "CALL YOUR HOSPITAL TEAM NOW" in text
    assert PHONE in text
    assert "ICE score 9/10" in text


def test_log_ice_json_says_the_level_and_rule(cart):
    set_up(cart, 70)
    result = cart("log", "ice", "8", "--json")
    assert result.code == 0, result
    data = json.loads(result.out)
    assert data["level"] == "amber"
    assert [f["rule"] for f in data["findings"]] == ["ice-score-late"]
    assert data["stored"][0]["score"] == 8
    assert data["stored"][0]["items"] is None


def test_the_best_score_from_weeks_ago_is_named(cart):
    """The finding compares with the person's best, even when it is older than the check looks."""
    set_up(cart, 30)
    assert cart("log", "ice", "10", "--at", "20 days ago").code == 0
    assert cart("log", "ice", "10", "--at", "2 days ago").code == 0
    result = cart("log", "ice", "9", "--json")
    message = json.loads(result.out)["findings"][0]["message"]
    assert "Best score before this: 10/10" in message
    assert "also the latest" in message


def test_log_ice_at_and_items_in_any_order(cart):
    set_up(cart, 5)
    result = cart(
        "log", "ice", "8/10", "--at", "2h ago",
        "--items", "counting=0,writing=1,command=1,naming=2,orientation=4",
    )  # fmt: skip
    assert result.code == 0, result
    [stored] = entries(cart)
    assert stored["items"] == "orientation=4,naming=2,command=1,writing=1,counting=0"
    recorded = datetime.fromisoformat(stored["recorded_at"])
    assert (
        timedelta(hours=1, minutes=58)
        < datetime.now().astimezone() - recorded
        < timedelta(hours=2, minutes=2)
    )


@pytest.mark.parametrize(
    "args",
    [
        ("ice", "11"),
        ("ice", "-1"),
        ("ice", "ten"),
        ("ice", "7.5"),
        ("ice", "9", "--items", FULL),
        ("ice", "7", "--items", "orientation=4,naming=3"),
        ("ice", "10", "--items", "orientation=4,naming=3,command=1,writing=1,reading=1"),
        ("ice", "10", "--at", "tomorrow 08:00"),
        ("handwriting", "maybe"),
        ("handwriting", ""),
        ("handwriting", "same", "--at", "next week"),
    ],
)
def test_bad_input_is_one_line_and_stores_nothing(cart, db_path, args):
    set_up(cart, 10)
    result = cart("log", *args)
    assert_one_line_error(result, 2)
    assert entry_count(db_path) == 0


@pytest.mark.parametrize(
    ("day", "value", "level"),
    [(56, "changed", "red"), (57, "changed", "amber"), (10, "same", None), (0, "first", None)],
)
def test_log_handwriting(cart, day, value, level):
    set_up(cart, day)
    result = cart("log", "handwriting", value, "--json")
    assert result.code == 0, result
    data = json.loads(result.out)
    assert data["level"] == level
    assert data["stored"][0]["handwriting"] == value


def test_cart_neuro_in_a_script_points_to_the_log_forms(cart, db_path):
    set_up(cart, 10)
    result = cart("neuro")
    assert_one_line_error(result, 2)
    assert "cart log ice" in result.err and "cart log handwriting" in result.err
    assert entry_count(db_path) == 0


# --- the score in cart check and after 8 weeks --------------------------------------------


@pytest.mark.parametrize(
    ("day", "score", "code"), [(56, 9, 2), (57, 9, 1), (57, 7, 1), (57, 6, 2), (57, 10, 0)]
)
def test_check_exit_codes_follow_the_rules(cart, day, score, code):
    """cart check: 2 red, 1 amber, 0 green (a normal temperature is logged so green is possible)."""
    set_up(cart, day)
    assert cart("log", "temp", "36.8").code == 0
    assert cart("log", "ice", str(score)).code == 0
    result = cart("check")
    assert result.code == code, result


# --- the reminder --------------------------------------------------------------------------


def test_reminder_in_check_and_dashboard_until_a_score_is_logged(cart):
    set_up(cart, 3)
    assert cart("log", "temp", "36.8").code == 0
    check = cart("check")
    assert check.code == 0, check  # a reminder, not a level: still green
    assert REMINDER in flat(check.out)
    assert json.loads(cart("check", "--json").out)["reminders"] == [REMINDER]
    assert REMINDER in flat(cart().out)

    assert cart("log", "ice", "10").code == 0
    assert REMINDER not in flat(cart("check").out)
    assert json.loads(cart("check", "--json").out)["reminders"] == []
    dashboard = flat(cart().out)
    assert REMINDER not in dashboard
    assert "ICE 10/10 at" in dashboard


def test_no_reminder_after_the_setting(cart):
    set_up(cart, 29)
    assert json.loads(cart("check", "--json").out)["reminders"] == []
    assert cart("setup", "--neuro-days", "56").code == 0
    assert json.loads(cart("check", "--json").out)["reminders"] == [REMINDER]


def test_no_reminder_without_a_plan(cart):
    result = cart("check", "--json")
    assert json.loads(result.out)["reminders"] == []


# --- settings ------------------------------------------------------------------------------


def test_setup_sentence_and_neuro_days(cart):
    set_up(cart, 3, "--sentence", "  Boats   float on the lake. ", "--neuro-days", "40")
    plan = json.loads(cart("setup", "--show", "--json").out)
    assert (plan["sentence"], plan["neuro_days"]) == ("Boats float on the lake.", 40)
    shown = flat(cart("setup", "--show").out)
    assert "Boats float on the lake." in shown and "day 40" in shown


def test_setup_without_a_sentence_shows_the_default(cart):
    set_up(cart, 3)
    plan = json.loads(cart("setup", "--show", "--json").out)
    assert (plan["sentence"], plan["neuro_days"]) == (None, 28)
    assert "(the default)" in flat(cart("setup", "--show").out)


@pytest.mark.parametrize("args", [("--neuro-days", "-1"), ("--neuro-days", "many"), ("--sentence", "   ")])
def test_setup_refuses_bad_settings(cart, args):
    set_up(cart, 3)
    result = cart("setup", *args)
    assert_one_line_error(result, 2)
    assert json.loads(cart("setup", "--show", "--json").out)["neuro_days"] == 28


# --- history, export and import -----------------------------------------------------------


def test_history_shows_scores_with_their_parts(cart):
    set_up(cart, 3)
    assert (
        cart("log", "ice", "9", "--items", "orientation=3,naming=3,command=1,writing=1,counting=1").code == 0
    )
    assert cart("log", "handwriting", "first").code == 0
    text = flat(cart("history").out)
    assert "ICE score 9/10" in text and "orientation=3" in text
    assert "handwriting first" in text
    assert [e["kind"] for e in entries(cart, "--kind", "handwriting")] == ["handwriting"]


def test_export_and_import_keep_scores_handwriting_and_settings(cart, tmp_path, monkeypatch):
    set_up(cart, 3, "--sentence", "Boats float on the lake.", "--neuro-days", "40")
    assert cart("log", "ice", "10", "--items", FULL).code == 0
    assert cart("log", "handwriting", "same", "--note", "neat").code == 0
    export = tmp_path / "out.json"
    assert cart("export", "--format", "json", "--output", str(export)).code == 0
    before = entries(cart)

    monkeypatch.setenv("CART_DB", str(tmp_path / "other.db"))
    result = cart("import", str(export))
    assert result.code == 0, result
    after = entries(cart)
    assert [{k: v for k, v in e.items() if k != "id"} for e in after] == [
        {k: v for k, v in e.items() if k != "id"} for e in before
    ]
    plan = json.loads(cart("setup", "--show", "--json").out)
    assert (plan["sentence"], plan["neuro_days"]) == ("Boats float on the lake.", 40)


def test_csv_export_has_the_new_fields(cart, tmp_path):
    set_up(cart, 3)
    assert cart("log", "ice", "10", "--items", FULL).code == 0
    out = cart("export", "--format", "csv")
    assert out.code == 0, out
    assert FULL in out.out


@pytest.mark.parametrize(
    ("entry", "says"),
    [
        ({"kind": "ice", "score": 11, "items": None}, "0 to 10"),
        ({"kind": "ice", "score": 9, "items": FULL}, "add up to 10"),
        ({"kind": "ice", "score": "9"}, "whole number"),
        ({"kind": "ice", "items": FULL}, "score is missing"),
        ({"kind": "handwriting", "handwriting": "maybe"}, "same, changed, first"),
        ({"kind": "handwriting"}, "same, changed, first"),
        ({"kind": "handwriting", "handwriting": "same", "score": 3}, "does not belong"),
    ],
)
def test_import_refuses_bad_scores(cart, db_path, tmp_path, entry, says):
    item = {"uid": "abc123", "recorded_at": "2026-11-20T08:00:00+00:00", **entry}
    data = {"format": "cart-export", "version": 1, "plan": None, "entries": [item]}
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    result = cart("import", str(path))
    assert_one_line_error(result, 2)
    assert says in result.err
    assert not entry_count(db_path)


@pytest.mark.parametrize("plan_extra", [{"neuro_days": 400}, {"neuro_days": "28"}, {"sentence": 5}])
def test_import_refuses_bad_settings(cart, tmp_path, plan_extra):
    plan = {"infusion_date": "2026-11-03", **plan_extra}
    data = {"format": "cart-export", "version": 1, "plan": plan, "entries": []}
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert_one_line_error(cart("import", str(path)), 2)


@pytest.mark.parametrize("width", ["40", "100"])
def test_reminder_fits_narrow_and_wide_screens(cart, monkeypatch, width):
    """The reminder wraps but stays whole on a 40-column screen, in the check and on the dashboard."""
    monkeypatch.setenv("COLUMNS", width)
    set_up(cart, 2)
    assert cart("log", "temp", "36.9").code == 0
    for result in (cart("check"), cart()):
        assert REMINDER in flat(result.out)
        assert all(len(line) <= int(width) for line in result.out.splitlines())
