"""Tests for the recovery timeline: milestone dates, statuses, what applies now, JSON and view.

Expected dates and day numbers are worked out by hand from docs/clinical-basis.md section 5
(calendar months for follow-ups, days for the rest). That no text copies the seed page is
tested in test_own_words.py.
"""

from __future__ import annotations

import io
import json
import os
from datetime import date, timedelta
from pathlib import Path

import pytest
from rich.console import Console

from cart_cli.models import Plan
from cart_cli.render.timeline import STATUS_LABELS, timeline_view
from cart_cli.shapes import timeline_json
from cart_cli.timeline import build_timeline, format_date, milestones

GOLDEN_DIR = Path(__file__).parent / "golden"

INFUSION = date(2026, 11, 30)  # a Monday; 3 months later is the end of February


def on_day(day: int, infusion: date = INFUSION) -> date:
    return infusion + timedelta(days=day)


def by_id(plan: Plan, until: date) -> dict:
    return {m.id: m for m in milestones(plan, until)}


def statuses(plan: Plan, today: date) -> dict[str, str]:
    return {s.milestone.id: s.status for s in build_timeline(plan, today).milestones}


# --- dates -----------------------------------------------------------------------------------


def assert_on_or_near_weekday(milestone, expected: date) -> None:
    """An approximate milestone (a follow-up the team books) on a weekend moves to the
    nearest weekday (Saturday to Friday, Sunday to Monday); any other keeps its date."""
    if milestone.approximate and expected.weekday() == 5:
        assert milestone.date == expected - timedelta(days=1)
    elif milestone.approximate and expected.weekday() == 6:
        assert milestone.date == expected + timedelta(days=1)
    else:
        assert milestone.date == expected


@pytest.mark.parametrize(
    ("infusion", "milestone_id", "expected"),
    [
        (date(2026, 11, 30), "followup_3_months", date(2027, 2, 28)),  # Feb has no 30th
        (date(2026, 8, 31), "followup_3_months", date(2026, 11, 30)),  # Nov has no 31st
        (date(2026, 8, 31), "followup_6_months", date(2027, 2, 28)),
        (date(2027, 8, 31), "followup_6_months", date(2028, 2, 29)),  # 2028 is a leap year
        (date(2028, 2, 29), "followup_3_months", date(2028, 5, 29)),
        (date(2028, 2, 29), "followup_1_year", date(2029, 2, 28)),  # no 29 Feb in 2029
        (date(2028, 2, 29), "followup_year_4", date(2032, 2, 29)),  # counted from infusion
        (date(2026, 1, 15), "followup_1_year", date(2027, 1, 15)),
        (date(2026, 11, 30), "ask_about_vaccines", date(2027, 2, 28)),  # T8: about 3 months
        (date(2026, 11, 30), "back_to_work_or_school", date(2027, 5, 30)),  # seed: 6 months
    ],
)
def test_month_based_milestones_use_calendar_months(infusion, milestone_id, expected):
    """Follow-ups land on the same day of the month, or the month's last day if shorter."""
    found = by_id(Plan(infusion_date=infusion), until=date(2031, 6, 1))
    assert_on_or_near_weekday(found[milestone_id], expected)
    assert found[milestone_id].day == (found[milestone_id].date - infusion).days


@pytest.mark.parametrize(
    ("infusion", "milestone_id", "expected_day"),
    [
        (date(2026, 12, 1), "followup_3_months", 90),  # 31 (Dec) + 31 (Jan) + 28 (Feb); a Monday
        (date(2027, 3, 1), "followup_1_year", 366),  # spans 29 Feb 2028
        (date(2028, 2, 29), "followup_1_year", 365),
        (date(2026, 3, 1), "followup_1_year", 365),
    ],
)
def test_day_numbers_count_leap_days(infusion, milestone_id, expected_day):
    """Day numbers are real days since infusion, so a year spanning 29 February is 366."""
    assert by_id(Plan(infusion_date=infusion), until=infusion)[milestone_id].day == expected_day


@pytest.mark.parametrize(
    ("milestone_id", "day", "end_day"),
    [
        ("infusion", 0, None),
        ("hospital_stay_usual_end", 10, 14),  # seed: about 10-14 days
        ("hospital_stay_latest", 28, None),  # seed: up to 28 days
        ("neuro_risk_mostly_over", 28, None),  # seed: usually within 28 days
        ("first_checkup", 30, None),  # seed: around 30 days
        ("side_effect_window_closes", 56, None),  # seed: up to eight weeks
        ("driving_allowed", 56, None),  # seed: no driving for eight weeks (default plan)
    ],
)
def test_day_based_milestones(milestone_id, day, end_day):
    """Milestones the seed gives in days or weeks fall on the right day number and date."""
    found = by_id(Plan(infusion_date=INFUSION), until=INFUSION)[milestone_id]
    assert (found.day, found.date) == (day, on_day(day))
    assert found.end_day == end_day
    assert found.end_date == (on_day(end_day) if end_day is not None else None)


def test_short_driving_ban_moves_driving_only():
    """no_driving_weeks=2 (2025 US label) puts driving at day 14; the 8-week window stays."""
    found = by_id(Plan(infusion_date=INFUSION, no_driving_weeks=2), until=INFUSION)
    assert found["driving_allowed"].day == 14
    assert found["driving_allowed"].date == date(2026, 12, 14)
    assert found["side_effect_window_closes"].day == 56


def test_milestones_are_sorted_by_date():
    """The list comes back in date order."""
    found = milestones(Plan(infusion_date=INFUSION, no_driving_weeks=2), until=date(2030, 1, 1))
    assert [m.date for m in found] == sorted(m.date for m in found)


@pytest.mark.parametrize(
    ("diagnosis", "expected_word", "absent_words"),
    [
        ("lymphoma", "PET scan", ["biopsy"]),  # seed: PET scan before 3 months for lymphoma
        ("all", "bone marrow biopsy", ["PET"]),  # seed: bone marrow biopsy for ALL
        ("myeloma", "Tests", ["PET", "biopsy"]),
        ("other", "Tests", ["PET", "biopsy"]),
        (None, "Tests", ["PET", "biopsy"]),
    ],
)
def test_test_before_3_months_fits_the_diagnosis(diagnosis, expected_word, absent_words):
    """The test before the 3-month follow-up is named only for lymphoma and ALL."""
    found = by_id(Plan(infusion_date=INFUSION, diagnosis=diagnosis), until=INFUSION)
    test = found["test_before_3_months"]
    assert expected_word.lower() in test.title.lower()
    for word in absent_words:
        assert word.lower() not in test.title.lower()
    # "Before" the visit: a window that ends the day before the 3-month follow-up (Saturday
    # 27 February 2027, so the last weekday before it: tests are booked on weekdays).
    assert test.end_date == date(2027, 2, 26)
    assert test.date < test.end_date < found["followup_3_months"].date


# --- yearly follow-ups -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "last_year_listed"),
    [
        (date(2027, 6, 1), 1),  # before the first anniversary: the 1-year visit is next
        (date(2027, 11, 30), 2),  # on the 1-year day the year-2 visit is the next one
        (date(2029, 6, 1), 3),  # year 3 of recovery: the year-3 visit is next
        (date(2029, 11, 30), 4),
        (date(2029, 12, 1), 4),
        (date(2040, 1, 1), 14),  # long after: still the next yearly visit (2040-11-30)
    ],
)
def test_yearly_followups_reach_the_one_after_today(today, last_year_listed):
    """Yearly follow-ups are listed up to the first one after today, and no further."""
    ids = set(by_id(Plan(infusion_date=INFUSION), until=today))
    year_ids = {i for i in ids if i.startswith("followup_year_")}
    assert year_ids == {f"followup_year_{n}" for n in range(2, last_year_listed + 1)}


def test_year_three_has_next_yearly_followup():
    """In year 3 the next milestone is the year-3 follow-up on 30 Nov 2029."""
    timeline = build_timeline(Plan(infusion_date=INFUSION), date(2029, 6, 1))
    assert timeline.day == 914  # 365 (to 30 Nov 2027) + 366 (to 30 Nov 2028) + 183
    assert timeline.next.milestone.id == "followup_year_3"
    assert timeline.next.milestone.date == date(2029, 11, 30)
    assert timeline.days_to_next == 182  # 1 Jun to 30 Nov 2029
    assert all(s.status == "past" for s in timeline.milestones if s is not timeline.next)


# --- statuses --------------------------------------------------------------------------------


def test_statuses_on_day_12():
    """Day 12: infusion past, the 10-14 day window is today, day 28 next, the rest upcoming."""
    found = statuses(Plan(infusion_date=INFUSION), on_day(12))
    assert found["infusion"] == "past"
    assert found["hospital_stay_usual_end"] == "today"
    assert found["hospital_stay_latest"] == "next"
    assert found["neuro_risk_mostly_over"] == "upcoming"  # same date, but only one is "next"
    assert found["followup_1_year"] == "upcoming"


@pytest.mark.parametrize(
    ("day", "expected"),
    [(9, "next"), (10, "today"), (12, "today"), (14, "today"), (15, "past")],
)
def test_range_status_at_its_edges(day, expected):
    """A range is "today" on every day from its first to its last day, inclusive."""
    assert statuses(Plan(infusion_date=INFUSION), on_day(day))["hospital_stay_usual_end"] == expected


@pytest.mark.parametrize(
    ("day", "expected"),
    [(27, "upcoming"), (28, "today"), (29, "past")],
)
def test_neuro_milestone_around_day_28(day, expected):
    """The neurological-risk milestone is upcoming on day 27, today on 28, past on 29."""
    assert statuses(Plan(infusion_date=INFUSION), on_day(day))["neuro_risk_mostly_over"] == expected


@pytest.mark.parametrize("day", [-400, -1, 0, 1, 13, 14, 27, 28, 29, 56, 89, 90, 365, 366, 2000])
def test_exactly_one_next(day):
    """There is always exactly one "next" milestone, and it is the first one after today."""
    timeline = build_timeline(Plan(infusion_date=INFUSION), on_day(day))
    nexts = [s for s in timeline.milestones if s.status == "next"]
    assert nexts == [timeline.next]
    later = [s.milestone.date for s in timeline.milestones if s.milestone.date > timeline.today]
    assert timeline.next.milestone.date == min(later)
    assert timeline.days_to_next == (min(later) - timeline.today).days


def test_before_infusion():
    """Before the infusion the day is negative, the infusion is next and nothing is past."""
    timeline = build_timeline(Plan(infusion_date=INFUSION), date(2026, 11, 27))
    assert timeline.day == -3
    assert timeline.next.milestone.id == "infusion"
    assert timeline.days_to_next == 3
    assert {s.status for s in timeline.milestones} == {"next", "upcoming"}
    assert "counting starts" in timeline.now_applies[0].lower()
    assert "Mon 30 Nov 2026" in timeline.now_applies[0]


def test_infusion_day():
    """On day 0 the infusion is today and the hospital-stay window is next, 10 days away."""
    timeline = build_timeline(Plan(infusion_date=INFUSION), INFUSION)
    assert timeline.day == 0
    assert statuses(Plan(infusion_date=INFUSION), INFUSION)["infusion"] == "today"
    assert timeline.next.milestone.id == "hospital_stay_usual_end"
    assert timeline.days_to_next == 10


# --- what applies now --------------------------------------------------------------------------


def applies(day: int, **plan_fields) -> str:
    timeline = build_timeline(Plan(infusion_date=INFUSION, **plan_fields), on_day(day))
    return "\n".join(timeline.now_applies).lower()


@pytest.mark.parametrize(
    ("day", "weeks", "driving_line"),
    [
        (0, 8, True),
        (55, 8, True),
        (56, 8, False),  # eight weeks are over (seed)
        (13, 2, True),
        (14, 2, False),  # two weeks (2025 US label, T7)
    ],
)
def test_no_driving_line_until_driving_day(day, weeks, driving_line):
    """The no-driving reminder shows on every day before the driving milestone, not after."""
    assert ("no driving" in applies(day, no_driving_weeks=weeks)) == driving_line


def test_no_driving_line_names_the_date():
    """The no-driving reminder gives the date: 25 Jan 2027 is 56 days after 30 Nov 2026."""
    assert "mon 25 jan 2027" in applies(3)


@pytest.mark.parametrize(("day", "shown"), [(0, True), (28, True), (29, False)])
def test_carer_and_distance_line_for_first_28_days(day, shown):
    """Staying close with a carer applies up to day 28 (seed discharge rules, T7 UK 4 weeks)."""
    assert ("carer" in applies(day)) == shown


@pytest.mark.parametrize(
    ("day", "words", "shown"),
    [
        (0, ["antivirals", "antifungals", "antibiotics"], True),
        (364, ["antivirals"], True),
        (365, ["antivirals"], False),  # 1-year follow-up: past "a few months"
        (0, ["spf 30", "hat", "sunglasses"], True),
        (2000, ["spf 30"], True),  # sun sensitivity has no end date in the seed
        (0, ["2 to 3 litres"], True),
        (0, ["5 to 10 minute walk"], True),
        (-1, ["antivirals", "spf", "litres", "walk"], False),  # before infusion: planning only
    ],
)
def test_self_care_lines(day, words, shown):
    """Medicines, sun, fluids and activity reminders appear when they apply."""
    text = applies(day)
    for word in words:
        assert (word in text) == shown, word


# --- JSON and formatting -----------------------------------------------------------------------


def test_json_shape():
    """to_json gives ISO dates, statuses and sources, end_date only on ranges, and dumps."""
    timeline = build_timeline(Plan(infusion_date=INFUSION), on_day(12))
    data = json.loads(json.dumps(timeline_json(timeline)))
    assert set(data) == {
        "infusion_date",
        "today",
        "day",
        "next",
        "days_to_next",
        "milestones",
        "now_applies",
        "replaced",
        "product",
    }
    assert data["infusion_date"] == "2026-11-30"
    assert data["today"] == "2026-12-12"
    assert data["day"] == 12
    assert data["next"] == "hospital_stay_latest"
    assert data["days_to_next"] == 16
    assert data["now_applies"] == list(timeline.now_applies)
    for item in data["milestones"]:
        required = {"id", "title", "date", "day", "status", "source", "own", "approximate"}
        assert set(item) - {"end_date"} == required
        assert date.fromisoformat(item["date"]) == on_day(item["day"])
        assert item["status"] in ("past", "today", "next", "upcoming")
    ranges = {item["id"]: item["end_date"] for item in data["milestones"] if "end_date" in item}
    assert ranges == {
        "hospital_stay_usual_end": "2026-12-14",
        "test_before_3_months": "2027-02-26",  # Saturday the 27th: the Friday before
    }


def test_json_without_next():
    """When no milestone is ahead, next and days_to_next are null (defensive: never in use)."""
    timeline = build_timeline(Plan(infusion_date=INFUSION), on_day(12))
    data = timeline_json(timeline._replace(next=None, days_to_next=None))
    assert data["next"] is None and data["days_to_next"] is None


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 11, 30), "Mon 30 Nov 2026"),
        (date(2027, 2, 3), "Wed 3 Feb 2027"),
        (date(2028, 2, 29), "Tue 29 Feb 2028"),
    ],
)
def test_format_date(day, expected):
    """Dates read as weekday, day without a leading zero, short month and year."""
    assert format_date(day) == expected


# --- the Rich view ---------------------------------------------------------------------------


def render(timeline) -> str:
    console = Console(
        width=100, file=io.StringIO(), color_system=None, force_terminal=False, legacy_windows=False
    )
    console.print(timeline_view(timeline))
    # Rich pads lines with spaces to the width; trailing spaces carry no meaning here.
    return "\n".join(line.rstrip() for line in console.file.getvalue().splitlines()) + "\n"


def test_golden_day_12():
    """The day-12 view for a lymphoma plan matches tests/golden/timeline_day12.txt.

    To regenerate after an intended change, run with CART_UPDATE_GOLDEN=1, then read the new
    file line by line and check every date and day number against the clinical reference.
    """
    plan = Plan(infusion_date=INFUSION, diagnosis="lymphoma")
    output = render(build_timeline(plan, on_day(12)))
    golden = GOLDEN_DIR / "timeline_day12.txt"
    if os.environ.get("CART_UPDATE_GOLDEN") == "1":
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(output, encoding="utf-8")
    assert output == golden.read_text(encoding="utf-8")


@pytest.mark.parametrize("day", [-3, 0, 12, 400, 2000])
def test_view_writes_statuses_as_words(day):
    """Each milestone row shows its own status as a word, and the day and countdown are there.

    The status cells are read from the table's rows (the last column), in order, so a wrong or
    missing status fails even though the word "today" is also in the panel's subtitle.
    """
    timeline = build_timeline(Plan(infusion_date=INFUSION), on_day(day))
    output = render(timeline)
    rows = [line.split("│")[-2].strip() for line in output.splitlines() if line.count("│") == 5]
    status_cells = [cell for cell in rows if cell]
    assert status_cells == [STATUS_LABELS[s.status] for s in timeline.milestones]
    assert f"Day {day}" in output
    assert "Next:" in output
    assert "What applies now" in output


@pytest.mark.parametrize(("day", "filled"), [(-3, 0), (0, 0), (73, 10), (365, 50), (2000, 50)])
def test_first_year_bar_is_clamped(day, filled):
    """The first-year bar is empty before infusion and full from day 365 on."""
    output = render(build_timeline(Plan(infusion_date=INFUSION), on_day(day)))
    bar_line = next(line for line in output.splitlines() if line.startswith("First year"))
    assert bar_line.count("█") == filled
    assert bar_line.count("█") + bar_line.count("░") == 50


def test_first_year_bar_shrinks_to_fit_a_narrow_screen():
    """At 60 columns the bar line fits on one line instead of wrapping."""
    out = io.StringIO()
    Console(width=60, file=out, color_system=None).print(
        timeline_view(build_timeline(Plan(infusion_date=INFUSION), on_day(73)))
    )
    bar_line = next(line for line in out.getvalue().splitlines() if line.startswith("First year"))
    assert bar_line.rstrip().endswith("day 73 of 365")
    assert len(bar_line.rstrip()) <= 60
