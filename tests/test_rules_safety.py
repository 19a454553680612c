"""Triage rows added or revised for issue 8 (docs/clinical-basis.md sections 2b, 3 and 4).

Expected levels come from the reference table, not from running the code. Each threshold is
tested on both sides of its boundary.
"""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta, timezone

import pytest

from cart_cli.models import Entry, Plan
from cart_cli.rules import fallback_line, symptom_level
from cart_cli.verdict import judge

TZ = timezone(timedelta(hours=1))
NOW = datetime(2025, 6, 10, 12, 0, tzinfo=TZ)
SINCE = NOW - timedelta(hours=24)
HOUR = timedelta(hours=1)
PLAN = Plan(infusion_date=NOW.date() - timedelta(days=20), phone="01632 960 123")

_ids = itertools.count(1000)


def entry(kind: str, at: datetime = NOW - HOUR, **values) -> Entry:
    return Entry(kind, at, id=next(_ids), **values)


def temp(celsius: float, at: datetime = NOW - HOUR) -> Entry:
    return entry("temp", at, celsius=celsius)


def normal(at: datetime = NOW - 2 * HOUR) -> Entry:
    return temp(36.8, at)


def symptom(name: str, at: datetime = NOW - HOUR) -> Entry:
    return entry("symptom", at, symptom=name)


def other(text: str, at: datetime = NOW - HOUR) -> Entry:
    return entry("symptom", at, symptom="other", other=text)


def check(entries, plan: Plan | None = PLAN, now: datetime = NOW, since: datetime = SINCE):
    return judge(entries, plan, now, since)


def level_of(result) -> str:
    return result.level


def rules(result) -> set[str]:
    return {f.rule for f in result.findings}


# --- thresholds on both sides ------------------------------------------------------------


@pytest.mark.parametrize(
    ("spo2", "expected"),
    [(50, "red"), (91, "red"), (92, "red"), (93, "amber"), (94, "amber"), (95, "green"), (100, "green")],
)
def test_spo2_boundaries(spo2, expected):
    """SpO2 92% or less is red, 93-94% amber, 95% or more green (NHS oximetry, T13)."""
    assert check([normal(), entry("spo2", spo2=spo2)]).level == expected


@pytest.mark.parametrize(
    ("pulse", "expected"), [(89, "green"), (90, "green"), (91, "amber"), (130, "amber"), (131, "red")]
)
def test_pulse_on_its_own_boundaries(pulse, expected):
    """A pulse logged on its own grades like one logged with blood pressure (T6)."""
    assert check([normal(), entry("pulse", pulse=pulse)]).level == expected


@pytest.mark.parametrize(
    ("systolic", "expected"), [(85, "red"), (90, "red"), (91, "amber"), (100, "amber"), (101, "green")]
)
def test_systolic_90_or_less_is_red(systolic, expected):
    """NICE counts systolic 90 or less as high risk (T11): bp 90/60 is red, 91/60 amber."""
    result = check([normal(), entry("bp", systolic=systolic, diastolic=60)])
    assert result.level == expected


@pytest.mark.parametrize(
    ("celsius", "expected", "rule"),
    [
        (34.9, "red", "very-low-temperature"),
        (35.0, "red", "very-low-temperature"),
        (35.1, "amber", "low-temperature"),
        (35.99, "amber", "low-temperature"),
        (36.0, "green", None),
        (37.49, "green", None),
        (37.5, "amber", "raised-temperature"),
        (37.9, "amber", "raised-temperature"),
        (38.0, "red", "fever"),
    ],
)
def test_temperature_boundaries_35_and_38(celsius, expected, rule):
    """35.0 °C or less is red (NEWS2, T12); 35.1 amber; the fever threshold 38.0 red, 37.9 amber."""
    result = check([temp(celsius)])
    assert result.level == expected
    if rule:
        assert rule in rules(result)


@pytest.mark.parametrize(("threshold", "celsius", "expected"), [(37.5, 37.4, "green"), (37.5, 37.5, "red")])
def test_a_lower_fever_threshold_is_used(threshold, celsius, expected):
    """The hospital's own threshold replaces 38.0 (settable 37.0-38.0)."""
    plan = Plan(infusion_date=PLAN.infusion_date, fever_threshold_c=threshold)
    assert check([temp(celsius)], plan).level == expected


# --- the reading gap -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("gap", "age_hours", "expected"),
    [
        (12, 11.9, "green"),
        (12, 12, "green"),  # exactly the gap: not older than it
        (12, 12.1, "unknown"),
        (12, 23, "unknown"),  # one temperature from 23 hours ago is not enough
        (4, 4, "green"),
        (4, 4.1, "unknown"),
        (24, 23.9, "green"),
    ],
)
def test_reading_gap(gap, age_hours, expected):
    """With the latest temperature older than the reading gap the check is UNKNOWN: take one now."""
    plan = Plan(infusion_date=PLAN.infusion_date, reading_gap_hours=gap)
    result = check([temp(36.8, at=NOW - timedelta(hours=age_hours))], plan)
    assert result.level == expected
    if expected == "unknown":
        assert any("take your temperature now" in line for line in result.missing)


def test_a_higher_level_wins_over_the_reading_gap():
    """An old fever is still red even though the latest temperature is too old to judge."""
    result = check([temp(38.4, at=NOW - 20 * HOUR)])
    assert result.level == "red"
    assert any("more than 12 hours old" in line for line in result.missing)


# --- re-check after an amber temperature ---------------------------------------------------


def test_recheck_due_then_overdue():
    """After 37.6 °C the check says when the re-check is due, and later that it is overdue."""
    reading = temp(37.6, at=NOW - timedelta(minutes=30))
    due = check([reading])
    assert any(line.startswith("Re-check due") and "12:30" in line for line in due.reminders)
    late = check([reading], now=NOW + timedelta(hours=2), since=SINCE)
    assert any(line.startswith("Re-check overdue") for line in late.reminders)
    (finding,) = [f for f in late.findings if f.rule == "raised-temperature"]
    assert "within the hour" not in finding.action
    assert "take your temperature now" in finding.action


def test_a_37_6_at_0200_does_not_say_within_the_hour_at_1430():
    """The example from the issue: 12 hours on the advice is overdue, not 'within the hour'."""
    two_am = NOW.replace(hour=2)
    result = check([temp(37.6, at=two_am)], now=NOW.replace(hour=14, minute=30), since=SINCE)
    assert result.level == "amber"
    assert "within the hour" not in " ".join(f.action for f in result.findings)
    assert any("overdue" in line for line in result.reminders)


def test_a_newer_normal_temperature_is_the_recheck():
    """Once a normal temperature follows the amber one, no re-check is pending."""
    result = check([temp(37.6, at=NOW - 3 * HOUR), temp(36.9, at=NOW - HOUR)])
    assert not any("Re-check" in line for line in result.reminders)


@pytest.mark.parametrize("celsius", [35.4, 37.5])
def test_recheck_follows_low_and_raised_amber_temperatures(celsius):
    """Re-check follows low and raised amber temperatures."""
    result = check([temp(celsius, at=NOW - timedelta(minutes=10))])
    assert any(line.startswith("Re-check due") for line in result.reminders)


@pytest.mark.parametrize("celsius", [38.2, 36.8])
def test_no_recheck_reminder_after_a_red_or_normal_temperature(celsius):
    """No re-check reminder after a red or normal temperature."""
    result = check([temp(celsius, at=NOW - timedelta(minutes=10))])
    assert not any("Re-check" in line for line in result.reminders)


# --- emergencies -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "entries",
    [
        pytest.param(
            [normal(), symptom("swollen tongue or throat"), symptom("wheezing")], id="swollen tongue + wheeze"
        ),
        pytest.param([normal(), symptom("wheezing"), symptom("hives")], id="wheeze + hives"),
        pytest.param([normal(), symptom("breathlessness"), symptom("rash")], id="breathless + rash"),
        pytest.param([normal(), symptom("collapse")], id="collapse"),
        pytest.param([normal(), symptom("choking")], id="choking"),
        pytest.param(
            [
                temp(38.6),
                entry("bp", systolic=85, diastolic=50),
                entry("pulse", pulse=135),
                symptom("confusion"),
            ],
            id="fever + systolic 85 + pulse 135 + confusion",
        ),
        pytest.param([temp(38.1), entry("bp", systolic=90, diastolic=60)], id="fever + systolic 90"),
        pytest.param([temp(38.1), entry("pulse", pulse=131)], id="fever + pulse 131"),
        pytest.param([temp(38.1), entry("spo2", spo2=92)], id="fever + SpO2 92"),
        pytest.param([temp(38.1), symptom("drowsiness")], id="fever + drowsy"),
        pytest.param([temp(38.1), symptom("no urine")], id="fever + no urine"),
        pytest.param([temp(35.8), entry("pulse", pulse=140)], id="low temperature + pulse 140"),
        pytest.param(
            [normal(), symptom("feeling feverish"), entry("bp", systolic=88, diastolic=50)],
            id="feeling feverish + systolic 88",
        ),
    ],
)
def test_new_emergencies(entries):
    """Collapse, anaphylaxis signs (T15) and possible sepsis (T14) mean the emergency number."""
    result = check(entries)
    assert result.level == "emergency"
    assert result.headline == "CALL 999 NOW"


@pytest.mark.parametrize(
    "entries",
    [
        pytest.param([temp(38.1), entry("bp", systolic=91, diastolic=60)], id="fever + systolic 91"),
        pytest.param([temp(38.1), entry("pulse", pulse=130)], id="fever + pulse 130"),
        pytest.param([temp(38.1), entry("spo2", spo2=93)], id="fever + SpO2 93"),
        pytest.param([temp(37.9), entry("pulse", pulse=135)], id="37.9 + pulse 135"),
        pytest.param([normal(), symptom("wheezing")], id="wheeze alone"),
        pytest.param([normal(), symptom("rash")], id="rash alone"),
    ],
)
def test_just_short_of_an_emergency_is_red_not_999(entries):
    """One step short of a T14/T15 combination is red (call the team), not an emergency."""
    result = check(entries)
    assert result.level == "red"
    assert result.level != "emergency"


def test_every_red_screen_has_a_fallback_line_naming_ae_and_car_t():
    """Every red screen has a fall-back line naming A&E and CAR-T."""
    line = fallback_line(PLAN)
    assert "999" in line and "A&E" in line and "CAR-T" in line


# --- free text ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("can't wake him", "emergency"),
        ("hard to wake up", "emergency"),
        ("having a fit", "emergency"),
        ("he passed out in the kitchen", "emergency"),
        ("collapsed on the stairs", "emergency"),
        ("tongue swelling up", "emergency"),
        ("siezure", "emergency"),  # a typo of seizure
        ("confused, can't find words, handwriting gone shaky", "red"),
        ("handwriting gone odd", "red"),
        ("cofused", "red"),  # a typo of confused
        ("nose bleed that won't stop", "red"),
        ("pooing blood", "red"),
        ("not weeing since this morning", "red"),
        ("diarrhea", "red"),
        ("throwing up all night", "red"),
        ("stiff neck and a bad headache", "red"),
        ("sore toe", "amber"),
        ("odd feeling", "amber"),
    ],
)
def test_free_text_is_graded_by_its_most_urgent_word(text, expected):
    """Free text is never lower than the most urgent sign its words name, and never below amber."""
    result = check([normal(), other(text)])
    assert level_of(result) == expected


def test_a_sign_in_words_is_graded_as_the_same_sign_from_the_list():
    """Handwriting changing, in words, is found by the same rule as "writing problems" chosen."""
    in_words = check([normal(), other("handwriting gone odd")])
    chosen = check([normal(), symptom("writing problems")])
    assert [f.rule for f in in_words.findings] == [f.rule for f in chosen.findings] == ["neuro-early"]


def test_free_text_red_finding_names_the_words():
    """A red sign with no symptom on the list (dark wee) is found in words and named."""
    result = check([normal(), other("his wee is really dark")])
    (finding,) = [f for f in result.findings if f.rule == "free-text-red"]
    assert '"wee dark"' in finding.message


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("nausea", "amber"),
        ("sore throat", "amber"),
        ("constipation", "amber"),
        ("bleeding", "red"),
        ("bruising", "red"),
        ("nosebleed", "red"),
        ("hallucinations", "red"),
        ("stiff neck", "red"),
        ("blurred vision", "red"),
        ("numbness", "red"),
        ("no urine", "red"),
        ("collapse", "emergency"),
        ("swollen tongue or throat", "emergency"),
    ],
)
def test_new_vocabulary_levels(name, expected):
    """Section 4's vocabulary, at the levels it names."""
    entry_ = symptom(name)
    assert symptom_level(entry_, PLAN, NOW) == expected
    assert level_of(check([normal(), entry_])) == expected


# --- medicines that hide a fever -----------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["paracetamol", "Acetaminophen", "ibuprofen 400mg", "Calpol", "Nurofen", "aspirin"]
)
def test_a_fever_medicine_is_amber(name):
    """A dose of a medicine that brings a temperature down is amber (T16)."""
    result = check([normal(), entry("med", medicine=name)])
    assert result.level == "amber"
    assert "fever-medicine" in rules(result)


@pytest.mark.parametrize("name", ["omeprazole", "aciclovir", "co-trimoxazole"])
def test_other_medicines_are_not_graded(name):
    """Other medicines are not graded."""
    assert check([normal(), entry("med", medicine=name)]).level == "green"


@pytest.mark.parametrize(
    ("hours_after", "masked"), [(0, True), (5.9, True), (6, True), (6.1, False), (-1, False)]
)
def test_temperatures_up_to_6_hours_after_a_dose_may_read_low(hours_after, masked):
    """Temperatures up to 6 hours after a dose may read low."""
    dose = entry("med", at=NOW - 8 * HOUR, medicine="paracetamol")
    reading = temp(37.6, at=dose.recorded_at + timedelta(hours=hours_after))
    result = check([dose, reading, normal(NOW - timedelta(minutes=5))])
    assert (reading in result.masked) == masked
    (raised,) = [f for f in result.findings if f.rule == "raised-temperature"]
    assert ("may be lower than it really is" in raised.message) == masked


# --- calls to the team --------------------------------------------------------------------


def test_findings_before_a_call_are_reported_and_the_level_is_unchanged():
    """Findings before a call are reported and the level is unchanged."""
    fever = temp(38.4, at=NOW - 20 * HOUR)
    call = entry("call", at=NOW - 19 * HOUR, outcome="told to stay home")
    result = check([fever, call, normal(NOW - HOUR)])
    assert result.level == "red"
    (finding,) = [f for f in result.findings if f.rule == "fever"]
    assert finding.reported
    assert result.all_reported
    assert result.last_call == call
    assert [c.id for c in result.calls] == [call.id]
    assert "REPORTED TO YOUR TEAM" in result.headline


def test_an_entry_after_the_call_is_not_reported():
    """An entry after the call is not reported."""
    fever = temp(38.4, at=NOW - 5 * HOUR)
    call = entry("call", at=NOW - 4 * HOUR)
    cough = symptom("cough", at=NOW - HOUR)
    result = check([fever, call, cough])
    by_rule = {f.rule: f for f in result.findings}
    assert by_rule["fever"].reported
    assert not by_rule["infection-sign"].reported
    assert not result.all_reported
    assert result.headline == "CALL YOUR HOSPITAL TEAM NOW"


def test_a_finding_with_entries_on_both_sides_of_the_call_is_not_reported():
    """A finding with entries on both sides of the call is not reported."""
    call = entry("call", at=NOW - 3 * HOUR)
    result = check([temp(38.2, at=NOW - 4 * HOUR), call, temp(38.5, at=NOW - HOUR)])
    (fever,) = result.findings
    assert not fever.reported


def test_an_entry_at_the_same_minute_as_the_call_but_typed_after_is_not_reported():
    """An entry at the same minute as the call but typed after is not reported."""
    at = NOW - HOUR
    call = entry("call", at=at)
    fever = temp(38.3, at=at)  # a higher id: typed after the call
    result = check([call, fever])
    assert not result.findings[0].reported
