"""Tests for triage: each row of docs/clinical-basis.md section 3, at its boundaries.

Expected levels come from the reference table, not from running the code. Entries are built
directly; times are fixed and timezone-aware (UTC+1, like a UK summer).
"""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta, timezone

import pytest

from cart_cli.models import Entry, Plan
from cart_cli.parsing import parse_temperature
from cart_cli.rules import RULES
from cart_cli.symptoms import VOCABULARY
from cart_cli.verdict import HEADLINES, Verdict, emergency_headline, judge

TZ = timezone(timedelta(hours=1))
NOW = datetime(2025, 6, 10, 12, 0, tzinfo=TZ)
SINCE = NOW - timedelta(hours=24)
DAY = 20  # NOW is day 20 after infusion unless a test says otherwise
INFUSION = NOW.date() - timedelta(days=DAY)
HOUR = timedelta(hours=1)

_ids = itertools.count(1)


def plan(**overrides) -> Plan:
    fields = {"infusion_date": INFUSION, **overrides}
    return Plan(**fields)


PLAN = plan()


def temp(celsius: float, at: datetime = NOW - HOUR) -> Entry:
    return Entry("temp", at, id=next(_ids), celsius=celsius)


def symptom(name: str, at: datetime = NOW - HOUR, severity: str | None = None) -> Entry:
    return Entry("symptom", at, id=next(_ids), symptom=name, severity=severity)


def other(text: str, at: datetime = NOW - HOUR) -> Entry:
    return Entry("symptom", at, id=next(_ids), symptom="other", other=text)


def bp(systolic: int, diastolic: int = 70, pulse: int | None = None, at=NOW - HOUR) -> Entry:
    return Entry("bp", at, id=next(_ids), systolic=systolic, diastolic=diastolic, pulse=pulse)


def fatigue(score: int, at: datetime = NOW - HOUR) -> Entry:
    return Entry("fatigue", at, id=next(_ids), score=score)


def normal_temp() -> Entry:
    """A temperature well inside the normal band, so a quiet window can be green."""
    return temp(36.8, at=NOW - 2 * HOUR)


def check(entries, the_plan: Plan | None = PLAN, now=NOW, since=SINCE) -> Verdict:
    return judge(entries, the_plan, now, since)


def rules_fired(result: Verdict) -> set[str]:
    return {f.rule for f in result.findings}


# --- temperature -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("celsius", "threshold", "expected"),
    [
        # default threshold 38.0 (seed); 35.0 or less is red (T12)
        (34.9, 38.0, "red"),
        (35.0, 38.0, "red"),
        (35.1, 38.0, "amber"),
        (35.9, 38.0, "amber"),  # below 36.0
        (36.0, 38.0, "green"),
        (37.4, 38.0, "green"),
        (37.5, 38.0, "amber"),  # T1 raised band starts
        (37.9, 38.0, "amber"),
        (38.0, 38.0, "red"),  # seed: 38 or above
        (39.5, 38.0, "red"),
        # hospital asks for 37.5: the amber band is empty
        (37.4, 37.5, "green"),
        (37.5, 37.5, "red"),
        (37.9, 37.5, "red"),
        # hospital asks for 37.0
        (36.9, 37.0, "green"),
        (37.0, 37.0, "red"),
        (37.5, 37.0, "red"),
        (35.9, 37.0, "amber"),
    ],
)
def test_temperature_boundaries(celsius, threshold, expected):
    """Temperatures grade by the fever threshold, the 37.5 °C raised band, 36.0 and 35.0 °C."""
    result = check([temp(celsius)], plan(fever_threshold_c=threshold))
    assert result.level == expected
    assert result.fever_threshold_c == threshold


@pytest.mark.parametrize(
    ("typed", "celsius", "expected", "rule"),
    [
        ("100.4F", 38.0, "red", "fever"),  # (100.4 - 32) * 5 / 9 = 38.0 exactly: at the threshold
        ("100.3F", 37.94, "amber", "raised-temperature"),  # 37.94..., just below it
        ("99.5F", 37.5, "amber", "raised-temperature"),
        ("96.7F", 35.94, "amber", "low-temperature"),
    ],
)
def test_fahrenheit_readings_grade_after_the_parser_converts_them(typed, celsius, expected, rule):
    """A °F reading goes through the real parser, then grades on its °C value."""
    parsed, _remark = parse_temperature(typed)
    assert parsed == pytest.approx(celsius, abs=0.005)
    result = check([temp(parsed)])
    assert result.level == expected
    assert rule in rules_fired(result)


@pytest.mark.parametrize(("celsius", "expected"), [(37.9, "amber"), (38.0, "red"), (35.9, "amber")])
def test_temperature_without_plan_uses_the_default_threshold(celsius, expected):
    """With no plan the default 38.0 °C threshold still grades readings."""
    result = check([temp(celsius)], None)
    assert result.level == expected
    assert result.fever_threshold_c == 38.0


def test_threshold_above_38_is_never_used():
    """A stored threshold above 38.0 °C would hide a seed-defined fever, so 38.0 °C is used."""
    result = check([temp(38.0)], plan(fever_threshold_c=38.5))
    assert result.level == "red"
    assert result.fever_threshold_c == 38.0


def test_raised_temperature_action_says_recheck_within_the_hour():
    """The amber temperature advice is to re-check by a clock time an hour on, and call at the threshold."""
    result = check([temp(37.6, at=NOW - timedelta(minutes=20))])
    (finding,) = result.findings
    assert finding.rule == "raised-temperature"
    assert "by 12:40" in finding.action  # NOW is 12:00, the reading 11:40
    assert "38.0" in finding.action
    assert "24-hour line" in finding.action


# --- blood pressure and pulse ------------------------------------------------------------


@pytest.mark.parametrize(
    ("systolic", "expected"),
    [(89, "red"), (90, "red"), (91, "amber"), (100, "amber"), (101, "green"), (130, "green")],
)
def test_systolic_boundaries(systolic, expected):
    """Systolic 90 or less is red (NICE, T11), 91-100 amber, above 100 nothing."""
    result = check([normal_temp(), bp(systolic)])
    assert result.level == expected


@pytest.mark.parametrize(
    ("pulse", "expected"),
    [(60, "green"), (90, "green"), (91, "amber"), (100, "amber"), (130, "amber"), (131, "red")],
)
def test_pulse_boundaries(pulse, expected):
    """Pulse above 130 is red, 91-130 amber (T6, T19)."""
    result = check([normal_temp(), bp(120, 80, pulse)])
    assert result.level == expected


# --- neurological symptoms ---------------------------------------------------------------


def _plan_with_now_on_day(day: int, **overrides) -> Plan:
    return Plan(infusion_date=NOW.date() - timedelta(days=day), **overrides)


@pytest.mark.parametrize(
    ("day", "expected"),
    [(-1, "red"), (0, "red"), (28, "red"), (56, "red"), (57, "amber"), (120, "amber")],
)
def test_neuro_symptom_by_day_since_infusion(day, expected):
    """A neuro symptom is red up to day 56 (8 weeks, seed) and amber from day 57."""
    result = check([normal_temp(), symptom("tremor")], _plan_with_now_on_day(day))
    assert result.level == expected


@pytest.mark.parametrize("day", [15, 56])
def test_neuro_window_is_not_shortened_by_a_shorter_driving_ban(day):
    """A 2-week driving rule (US) does not shorten the seed's 8-week neuro window."""
    the_plan = _plan_with_now_on_day(day, no_driving_weeks=2)
    result = check([normal_temp(), symptom("confusion")], the_plan)
    assert result.level == "red"


def test_neuro_symptom_without_plan_is_red():
    """Without an infusion date the day is unknown, so a neuro symptom is red."""
    result = check([temp(36.8), symptom("headache")], None)
    assert result.level == "red"
    assert "neuro-early" in rules_fired(result)


def test_neuro_day_is_counted_by_local_date():
    """An entry stored in UTC counts by its local calendar date (00:30 local is the new day)."""
    the_plan = _plan_with_now_on_day(57)
    just_after_midnight_local = datetime.combine(NOW.date(), datetime.min.time(), TZ) + timedelta(minutes=30)
    stored_in_utc = just_after_midnight_local.astimezone(UTC)
    assert stored_in_utc.date() < NOW.date()  # the UTC date is still day 56
    result = check([normal_temp(), symptom("dizziness", at=stored_in_utc)], the_plan)
    assert result.level == "amber"


# --- fatigue -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("score", "expected"),
    [(0, "green"), (6, "green"), (7, "amber"), (8, "amber"), (9, "red"), (10, "red")],
)
def test_fatigue_score_boundaries_when_new(score, expected):
    """With no earlier score, 7-8 is amber (new) and 9-10 red (extreme tiredness)."""
    result = check([normal_temp(), fatigue(score)])
    assert result.level == expected


@pytest.mark.parametrize(
    ("earlier", "score", "expected"),
    [
        ([(5, 24)], 7, "amber"),  # worse than the past days
        ([(6, 30), (7, 20)], 8, "amber"),  # higher than the highest earlier score
        ([(7, 24)], 7, "green"),  # the same as before
        ([(8, 24)], 7, "green"),  # better than before
        ([(9, 48)], 8, "green"),  # lower than an earlier score (that one is outside the window)
        ([(8, 71)], 8, "green"),  # same score, 71 h before: still "the past few days"
        ([(8, 73)], 8, "amber"),  # nothing in the 72 h before: new
    ],
)
def test_fatigue_new_or_worse(earlier, score, expected):
    """Fatigue 7-8 is amber only if no score in the 72 h before it, or all of those were lower."""
    current_at = NOW - HOUR
    history = [fatigue(s, at=current_at - timedelta(hours=h)) for s, h in earlier]
    window_start = current_at - timedelta(hours=12)  # earlier scores fall before the window
    result = check([temp(36.8, at=current_at), *history, fatigue(score, at=current_at)], since=window_start)
    assert result.level == expected


def test_repeated_fatigue_in_window_is_amber_once_for_the_first():
    """Two 7s in the window: only the first is new, so one finding cites just the first."""
    first = fatigue(7, at=NOW - 5 * HOUR)
    second = fatigue(7, at=NOW - HOUR)
    result = check([normal_temp(), first, second])
    (finding,) = [f for f in result.findings if f.rule == "rising-fatigue"]
    assert finding.entries == (first,)
    assert result.level == "amber"


# --- the window --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("at", "counted"),
    [
        (SINCE, True),
        (SINCE - timedelta(seconds=1), False),
        (NOW, True),
        (NOW + timedelta(seconds=1), True),  # after now: counted as now
        (NOW + timedelta(days=3), True),
    ],
)
def test_window_edges(at, counted):
    """Entries from `since` on count (those after `now` as if at `now`); before `since` do not."""
    result = check([temp(38.5, at=at)])
    if counted:
        assert result.level == "red"
    else:
        assert result.level == "unknown"
        assert result.findings == ()


def test_symptom_after_now_is_counted_as_now_and_flagged():
    """A symptom timed after `now` (a fast clock, an import) counts as now, and the check says so."""
    seizure = symptom("seizure", at=NOW + HOUR)
    result = check([normal_temp(), seizure])
    assert result.level == "emergency"
    assert [e.id for e in result.future] == [seizure.id]
    assert any(f"#{seizure.id}" in line and "later than now" in line for line in result.reminders)


# --- several amber signs -----------------------------------------------------------------


@pytest.mark.parametrize(
    "entries",
    [
        [temp(37.6), bp(95)],  # raised temperature + borderline BP
        [temp(37.6), other("sore toe")],  # raised temperature + unrecognised symptom
        [temp(35.8, at=NOW - 3 * HOUR), temp(37.6)],  # low and raised temperature
        [normal_temp(), bp(95, pulse=110)],  # one reading, two different amber rules
    ],
)
def test_two_amber_signs_from_different_rules_are_red(entries):
    """Two or more amber findings from different rules add a red finding (T2)."""
    result = check(entries)
    assert result.level == "red"
    (several,) = [f for f in result.findings if f.rule == "several-amber-signs"]
    assert several.level == "red"
    amber_entries = {e.id for f in result.findings if f.level == "amber" for e in f.entries}
    assert {e.id for e in several.entries} == amber_entries


def test_two_amber_signs_from_the_same_rule_stay_amber():
    """Two raised temperatures are one amber rule: still amber."""
    result = check([temp(37.6, at=NOW - 3 * HOUR), temp(37.8)])
    assert result.level == "amber"
    assert "several-amber-signs" not in rules_fired(result)


# --- emergencies -------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["seizure", "very hard to wake", "breathless at rest"])
def test_emergency_signs(name):
    """A fit, being very hard to wake, or breathless at rest is an emergency."""
    result = check([normal_temp(), symptom(name)])
    assert result.level == "emergency"
    assert result.headline == "CALL 999 NOW"


def test_emergency_headline_uses_the_plans_number():
    """The emergency headline names the plan's emergency number."""
    assert emergency_headline(plan(emergency_number="112")) == "CALL 112 NOW"
    assert emergency_headline(None) == "CALL 999 NOW"


def test_chest_pain_with_breathlessness_is_an_emergency():
    """Chest pain and breathlessness both in the window is an emergency, citing both."""
    pain = symptom("chest pain", at=NOW - 6 * HOUR)
    breathless = symptom("breathlessness")
    result = check([normal_temp(), pain, breathless])
    assert result.level == "emergency"
    (finding,) = [f for f in result.findings if f.rule == "chest-pain-with-breathlessness"]
    assert finding.level == "emergency"
    assert {e.id for e in finding.entries} == {pain.id, breathless.id}


@pytest.mark.parametrize("name", ["chest pain", "breathlessness"])
def test_chest_pain_or_breathlessness_alone_is_red_not_emergency(name):
    """Either alone is a sign of infection: red, but not an emergency."""
    result = check([normal_temp(), symptom(name)])
    assert result.level == "red"
    assert result.level != "emergency"


def test_chest_pain_with_breathlessness_before_the_window_is_not_an_emergency():
    """Breathlessness logged before the window does not pair with chest pain now."""
    earlier = symptom("breathlessness", at=SINCE - HOUR)
    result = check([normal_temp(), earlier, symptom("chest pain")])
    assert result.level != "emergency"
    assert result.level == "red"


# --- unknown and green -------------------------------------------------------------------


def test_no_plan_and_nothing_logged_is_unknown():
    """Without set-up and without entries the tool cannot judge."""
    result = check([], None)
    assert result.level == "unknown"
    assert result.day is None
    assert any("cart setup --infusion-date" in line for line in result.missing)
    assert any("temperature" in line for line in result.missing)


def test_no_temperature_in_window_is_unknown():
    """With a plan but no temperature in the window, the check is unknown, not green."""
    result = check([bp(120, pulse=70)])
    assert result.level == "unknown"
    assert len(result.missing) == 1


def test_normal_temperature_with_plan_is_green():
    """A plan and a normal temperature with nothing else is green, with nothing missing."""
    result = check([normal_temp()])
    assert result.level == "green"
    assert result.findings == ()
    assert result.missing == ()
    assert result.headline == HEADLINES["green"]


def test_red_without_plan_stays_red_and_still_lists_missing():
    """Missing set-up never hides a red finding; the missing plan is still listed."""
    result = check([symptom("cough")], None)
    assert result.level == "red"
    assert len(result.missing) == 2


def test_amber_without_temperature_stays_amber():
    """An amber finding is not hidden by a missing temperature."""
    result = check([other("sore toe")])
    assert result.level == "amber"
    assert any("temperature" in line for line in result.missing)


# --- every symptom is graded -------------------------------------------------------------


def _expected_level(group: str, day: int) -> str:
    """The reference table's level for a symptom group on a given day."""
    if group == "emergency":
        return "emergency"
    if group == "minor":
        return "amber"
    if group == "neuro" and day > 56:
        return "amber"
    return "red"


@pytest.mark.parametrize("day", [DAY, 80])
@pytest.mark.parametrize("known", VOCABULARY, ids=lambda s: s.name)
def test_every_symptom_in_the_vocabulary_is_graded(known, day):
    """Each symptom produces a finding at the level its group has in the reference table."""
    entry = symptom(known.name)
    result = check([normal_temp(), entry], _plan_with_now_on_day(day))
    cited = [f for f in result.findings if entry in f.entries]
    assert cited, f"{known.name} produced no finding"
    top = max(cited, key=lambda f: f.level.rank)
    assert top.level == _expected_level(known.group, day)


@pytest.mark.parametrize("severity", ["mild", "moderate", "severe", None])
def test_severity_never_lowers_a_level(severity):
    """A mild infection sign is as red as a severe one."""
    result = check([normal_temp(), symptom("diarrhoea", severity=severity)])
    assert result.level == "red"


def test_unrecognised_symptom_is_amber():
    """Free text the tool does not recognise, naming no red sign, is amber, never ignored."""
    result = check([normal_temp(), other("sore toes")])
    assert result.level == "amber"
    assert "unrecognised-symptom" in rules_fired(result)


def test_unknown_stored_symptom_name_is_amber_not_ignored():
    """A stored name not in the vocabulary (say, from an older version) is graded amber."""
    result = check([normal_temp(), symptom("purple elbows")])
    assert result.level == "amber"


# --- combining ---------------------------------------------------------------------------


def test_red_and_amber_is_red():
    """A rule never lowers another: red plus amber is red."""
    result = check([temp(38.2), bp(95)])
    assert result.level == "red"
    assert {"fever", "borderline-blood-pressure"} <= rules_fired(result)


def test_emergency_and_amber_is_an_emergency():
    """An amber sign does not soften an emergency."""
    result = check([temp(37.6), symptom("seizure")])
    assert result.level == "emergency"


def test_findings_are_most_urgent_first():
    """Findings are ordered emergency, red, amber."""
    result = check([temp(37.6), symptom("cough"), symptom("seizure")])
    ranks = [f.level.rank for f in result.findings]
    assert ranks == sorted(ranks, reverse=True)
    assert result.findings[0].level == "emergency"


def test_one_finding_per_rule_lists_all_its_entries():
    """Two fevers give one fever finding naming both readings."""
    first, second = temp(38.1, at=NOW - 5 * HOUR), temp(38.6)
    result = check([first, second])
    fevers = [f for f in result.findings if f.rule == "fever"]
    assert len(fevers) == 1
    assert fevers[0].entries == (first, second)


# --- what findings say -------------------------------------------------------------------


def test_message_names_local_time_and_value():
    """A finding says the reading and its local time (HH:MM) when it is today."""
    at_utc = datetime(2025, 6, 10, 9, 15, tzinfo=UTC)  # 10:15 at UTC+1
    result = check([temp(38.4, at=at_utc)])
    (finding,) = result.findings
    assert "38.4 °C" in finding.message
    assert "10:15" in finding.message
    assert finding.source


def test_message_names_the_day_when_not_today():
    """An entry from yesterday is shown with its weekday."""
    yesterday = NOW - timedelta(hours=20)
    result = check([temp(38.4, at=yesterday)])
    (finding,) = result.findings
    assert f"{yesterday:%a}" in finding.message
    assert f"{yesterday:%H:%M}" in finding.message


def test_each_finding_cites_exactly_the_entries_behind_it():
    """A finding's entries are the ones that triggered its rule, and no other."""
    fever, cough = temp(38.3), symptom("cough")
    result = check([fever, cough])
    assert {f.rule: [e.id for e in f.entries] for f in result.findings} == {
        "fever": [fever.id],
        "infection-sign": [cough.id],
    }


def test_result_records_window_day_and_threshold():
    """The result says which window, infusion day and threshold it used."""
    result = check([normal_temp()], plan(fever_threshold_c=37.5))
    assert (result.since, result.until) == (SINCE, NOW)
    assert result.day == DAY
    assert result.fever_threshold_c == 37.5


# --- the table ---------------------------------------------------------------------------


def test_rules_table_follows_the_reference_order():
    """RULES lists red, then emergency, then amber rules, each named once with a source."""
    names = [rule.name for rule in RULES]
    assert len(names) == len(set(names))
    order = {"red": 0, "emergency": 1, "amber": 2}
    for rule in RULES:
        assert not any(word in rule.source for word in ("clinical-" + "reference", "../" + "shared"))
        assert "docs/clinical-basis.md" in rule.source or "seed" in rule.source
    assert [order[r.level] for r in RULES] == sorted(order[r.level] for r in RULES)
    for rule in RULES:
        assert rule.source and rule.summary


def test_headlines_cover_every_overall_level():
    """Each overall level has a headline, and red tells the person to call the team."""
    assert set(HEADLINES) == {"red", "amber", "green", "unknown"}
    assert "CALL" in HEADLINES["red"]
