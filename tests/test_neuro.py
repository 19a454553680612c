"""The nervous-system check's core (cart_cli.neuro) and its rules, without a terminal.

Expected values come from the clinical basis (ASTCT ICE score, T4/T18: ten points, 10 normal;
section 3: within 8 weeks any score below 10, a drop from the best or a handwriting change is
RED, 6 or less is RED at any time, after 8 weeks 7-9 or a handwriting change is AMBER), never
from the program's own output.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from cart_cli import neuro, rules
from cart_cli.errors import InvalidInput
from cart_cli.models import Entry, Plan

INFUSION = date(2026, 11, 3)
PLAN = Plan(infusion_date=INFUSION, phone="01632 960 123")
FULL = "orientation=4,naming=3,command=1,writing=1,counting=1"


def on_day(day: int, hour: int = 9) -> datetime:
    """A moment on day ``day`` after the infusion (UTC, which the test zone matches in winter)."""
    return datetime(2026, 11, 3, hour, tzinfo=UTC) + timedelta(days=day)


def ice(score: int, at: datetime, entry_id: int | None = None) -> Entry:
    return Entry(kind="ice", recorded_at=at, score=score, id=entry_id)


def handwriting(value: str, at: datetime) -> Entry:
    return Entry(kind="handwriting", recorded_at=at, handwriting=value)


def check(entries: list[Entry], now: datetime, plan: Plan | None = PLAN) -> rules.CheckResult:
    return rules.evaluate(entries, plan, now, now - timedelta(hours=24))


def neuro_findings(result: rules.CheckResult) -> dict[str, str]:
    """rule name -> level, for the nervous-system-check rules only."""
    names = {"ice-score", "ice-score-late", "handwriting-change", "handwriting-change-late"}
    return {f.rule: f.level for f in result.findings if f.rule in names}


# --- the ten points as data ---------------------------------------------------------------


def test_the_ten_points_follow_the_ice_screen():
    """Orientation 4, naming 3, command 1, writing 1, counting 1: ten questions, 10 points."""
    assert [(p.key, p.points) for p in neuro.ICE_PARTS] == [
        ("orientation", 4),
        ("naming", 3),
        ("command", 1),
        ("writing", 1),
        ("counting", 1),
    ]
    assert len(neuro.ICE_QUESTIONS) == 10
    assert [q.part for q in neuro.ICE_QUESTIONS].count("orientation") == 4


def test_questions_fill_in_the_date_the_hospital_and_the_sentence():
    """The carer sees what counts as right: today's year and month, the saved hospital, the sentence."""
    plan = Plan(infusion_date=INFUSION, hospital="Ward 7", sentence="Boats float on the lake.")
    now = datetime(2026, 11, 29, 10, tzinfo=UTC)
    texts = [" ".join(neuro.question_text(q, plan, now)) for q in neuro.ICE_QUESTIONS]
    assert "2026" in texts[0]
    assert "November" in texts[1]
    assert "Ward 7" in texts[3]
    assert "Boats float on the lake." in texts[8]
    assert neuro.DEFAULT_SENTENCE in " ".join(neuro.question_text(neuro.ICE_QUESTIONS[8], None, now))


@pytest.mark.parametrize(
    ("wrong", "score", "items"),
    [
        ((), 10, FULL),
        ((0,), 9, "orientation=3,naming=3,command=1,writing=1,counting=1"),
        ((4, 5, 6), 7, "orientation=4,naming=0,command=1,writing=1,counting=1"),
        ((7, 8, 9), 7, "orientation=4,naming=3,command=0,writing=0,counting=0"),
        (tuple(range(10)), 0, "orientation=0,naming=0,command=0,writing=0,counting=0"),
    ],
)
def test_score_answers(wrong, score, items):
    """Each right answer is one point, counted in its part."""
    answers = [i not in wrong for i in range(10)]
    total, points = neuro.score_answers(answers)
    assert total == score
    assert neuro.format_items(points) == items


def test_score_answers_needs_ten():
    with pytest.raises(ValueError):
        neuro.score_answers([True] * 9)


# --- parsing what is typed ------------------------------------------------------------------


@pytest.mark.parametrize(("text", "score"), [("0", 0), ("10", 10), (" 7 ", 7), ("7/10", 7), ("9 / 10", 9)])
def test_parse_score_accepts(text, score):
    assert neuro.parse_score(text) == score


@pytest.mark.parametrize("text", ["11", "-1", "ten", "7.5", "", "10/20", "1000", "7,5"])
def test_parse_score_refuses(text):
    with pytest.raises(InvalidInput):
        neuro.parse_score(text)


@pytest.mark.parametrize(
    ("text", "score", "stored"),
    [
        (FULL, 10, FULL),
        ("counting=0, writing=1,command=1,naming=2,orientation=4", 8,
         "orientation=4,naming=2,command=1,writing=1,counting=0"),
        ("ORIENTATION=0,naming=0,command=0,writing=0,counting=0", 0,
         "orientation=0,naming=0,command=0,writing=0,counting=0"),
    ],
)  # fmt: skip
def test_parse_items_accepts_and_orders(text, score, stored):
    """Any order and case; stored as every part in the screen's order."""
    assert neuro.parse_items(text, score) == stored


@pytest.mark.parametrize(
    ("text", "score", "says"),
    [
        (FULL, 9, "add up to 10"),
        ("orientation=3,naming=3,command=1,writing=1,counting=1", 10, "add up to 9"),
        ("orientation=4,naming=3", 7, "does not give command, writing, counting"),
        ("orientation=5,naming=3,command=1,writing=0,counting=0", 9, "0 to 4"),
        ("orientation=4,naming=3,command=2,writing=0,counting=0", 9, "0 to 1"),
        ("orientation=4,naming=3,command=1,writing=1,reading=1", 10, "not a part"),
        ("orientation=4,orientation=4,naming=2", 10, "twice"),
        ("orientation4", 4, "part=points"),
        ("orientation=-1,naming=3,command=1,writing=1,counting=1", 5, "0 to 4"),
        ("", 10, "empty"),
    ],
)
def test_parse_items_refuses(text, score, says):
    with pytest.raises(InvalidInput) as error:
        neuro.parse_items(text, score)
    assert says in error.value.message


@pytest.mark.parametrize(
    ("text", "value"),
    [("same", "same"), ("Changed", "changed"), (" first ", "first"), ("first time", "first")],
)
def test_parse_handwriting(text, value):
    assert neuro.parse_handwriting(text) == value


@pytest.mark.parametrize("text", ["maybe", "", "chnaged", "different"])
def test_parse_handwriting_refuses(text):
    with pytest.raises(InvalidInput):
        neuro.parse_handwriting(text)


@pytest.mark.parametrize(("text", "days"), [("0", 0), ("28", 28), ("56 days", 56), ("365", 365)])
def test_parse_neuro_days(text, days):
    assert neuro.parse_neuro_days(text) == days


@pytest.mark.parametrize("text", ["-1", "366", "four", "2.5", ""])
def test_parse_neuro_days_refuses(text):
    with pytest.raises(InvalidInput):
        neuro.parse_neuro_days(text)


# --- comparing ------------------------------------------------------------------------------


def test_compare_finds_the_best_and_the_latest_before_a_moment():
    first, best, later, after = (
        ice(8, on_day(1), 1),
        ice(10, on_day(2), 2),
        ice(9, on_day(3), 3),
        ice(10, on_day(5), 4),
    )
    comparison = neuro.compare([after, later, best, first], on_day(4))
    assert comparison.best == best
    assert comparison.latest == later
    assert neuro.compare([first], on_day(1)) == neuro.Comparison(None, None)


def test_compare_takes_the_most_recent_of_equal_bests():
    older, newer = ice(10, on_day(1), 1), ice(10, on_day(2), 2)
    assert neuro.compare([older, newer], on_day(3)).best == newer


# --- grading: the boundaries ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("score", "best", "day", "level"),
    [
        # 10/9 within 8 weeks
        (10, None, 10, None),
        (9, None, 10, "red"),
        (10, 10, 56, None),
        (9, None, 56, "red"),
        # day 56/57
        (9, None, 57, "amber"),
        (10, None, 57, None),
        # 7/6 after 8 weeks
        (7, None, 57, "amber"),
        (6, None, 57, "red"),
        (7, None, 400, "amber"),
        (6, None, 400, "red"),
        (0, None, 400, "red"),
        # a drop of one point from the best
        (9, 10, 30, "red"),
        (9, 10, 57, "amber"),
        (7, 8, 57, "amber"),
        # no infusion date, or before it: counted as within 8 weeks
        (9, None, None, "red"),
        (10, None, None, None),
        (9, None, -1, "red"),
    ],
)
def test_grade_ice_boundaries(score, best, day, level):
    grade = neuro.grade_ice(score, best, day)
    assert (grade[0] if grade else None) == level


def test_a_drop_from_the_best_says_so():
    grade = neuro.grade_ice(9, 10, 30)
    assert grade is not None and "best" in grade[1]


@pytest.mark.parametrize(
    ("value", "day", "level"),
    [
        ("changed", 0, "red"),
        ("changed", 56, "red"),
        ("changed", 57, "amber"),
        ("changed", None, "red"),
        ("same", 10, None),
        ("first", 10, None),
        ("same", 100, None),
    ],
)
def test_grade_handwriting(value, day, level):
    assert neuro.grade_handwriting(value, day) == level


def test_window_matches_the_rules_window():
    """The 8 weeks of the ICE rules are the 8 weeks of the nervous-system symptom rules."""
    assert neuro.NEURO_WINDOW_DAYS == rules.NEURO_WINDOW_DAYS == 56


# --- through the rule table -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("score", "day", "expected"),
    [
        (10, 56, {}),
        (9, 56, {"ice-score": "red"}),
        (9, 57, {"ice-score-late": "amber"}),
        (7, 57, {"ice-score-late": "amber"}),
        (6, 57, {"ice-score": "red"}),
        (10, 57, {}),
    ],
)
def test_rules_grade_ice_scores(score, day, expected):
    now = on_day(day, hour=12)
    result = check([ice(score, on_day(day), 1)], now)
    assert neuro_findings(result) == expected


@pytest.mark.parametrize(
    ("day", "expected"), [(56, {"handwriting-change": "red"}), (57, {"handwriting-change-late": "amber"})]
)
def test_rules_grade_a_handwriting_change(day, expected):
    now = on_day(day, hour=12)
    result = check([handwriting("changed", on_day(day))], now)
    assert neuro_findings(result) == expected
    assert result.level == expected[next(iter(expected))]


def test_same_or_first_handwriting_is_no_finding():
    now = on_day(10, hour=12)
    assert (
        neuro_findings(check([handwriting("same", on_day(10)), handwriting("first", on_day(10))], now)) == {}
    )


def test_the_finding_names_the_score_the_best_and_the_latest_before_it():
    """A drop of one point: 10, then 10, then 9; the finding says 9/10, best 10/10, latest 10/10."""
    entries = [ice(10, on_day(20, 8), 1), ice(10, on_day(20, 20), 2), ice(9, on_day(21, 8), 3)]
    result = check(entries, on_day(21, 12))
    finding = next(f for f in result.findings if f.rule == "ice-score")
    assert [e.id for e in finding.entries] == [3]
    assert "9/10" in finding.message
    assert "Best score before this: 10/10" in finding.message
    assert "latest before this: 10/10" in finding.message or "also the latest" in finding.message
    assert "01632 960 123" in finding.action
    assert result.level == "red"


def test_the_best_is_looked_for_beyond_the_check_window():
    """A best score from weeks ago still counts (evaluate gets the whole ICE history)."""
    entries = [ice(10, on_day(2), 1), ice(9, on_day(60), 2)]
    result = check(entries, on_day(60, 12))
    finding = next(f for f in result.findings if f.rule == "ice-score-late")
    assert "Best score before this: 10/10" in finding.message


def test_without_a_plan_an_ice_score_below_10_is_red():
    now = on_day(100, hour=12)
    result = check([ice(9, on_day(100), 1)], now, plan=None)
    assert neuro_findings(result) == {"ice-score": "red"}


def test_two_late_neuro_ambers_make_red():
    """UKONS (T2): more than one amber from different rules means calling now."""
    now = on_day(70, hour=12)
    result = check([ice(8, on_day(70), 1), handwriting("changed", on_day(70))], now)
    assert result.level == "red"
    assert any(f.rule == "several-amber-signs" for f in result.findings)


# --- the reminder ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "neuro_days", "due"),
    [
        (-1, 28, False),
        (0, 28, True),
        (28, 28, True),
        (29, 28, False),
        (0, 0, True),
        (1, 0, False),
        (40, 56, True),
    ],
)
def test_reminder_from_day_0_to_the_setting(day, neuro_days, due):
    plan = Plan(infusion_date=INFUSION, neuro_days=neuro_days)
    expected = neuro.DUE_REMINDER if due else None
    assert neuro.neuro_check_due([], plan, on_day(day, hour=12)) == expected


@pytest.mark.parametrize(
    ("hours_ago", "due"), [(0, False), (23.9, False), (24, False), (24.05, True), (48, True)]
)
def test_reminder_is_quiet_for_24_hours_after_a_score(hours_ago, due):
    now = on_day(10, hour=12)
    entries = [ice(10, now - timedelta(hours=hours_ago), 1)]
    assert (neuro.neuro_check_due(entries, PLAN, now) is not None) == due


def test_reminder_counts_only_ice_scores_and_needs_a_plan():
    now = on_day(10, hour=12)
    others = [handwriting("same", now), Entry(kind="temp", recorded_at=now, celsius=36.8)]
    assert neuro.neuro_check_due(others, PLAN, now) == "Nervous-system check due: `cart neuro`"
    assert neuro.neuro_check_due([], None, now) is None


def test_reminder_ignores_a_score_later_than_now():
    now = on_day(10, hour=12)
    assert neuro.neuro_check_due([ice(10, now + timedelta(hours=1), 1)], PLAN, now) is not None
