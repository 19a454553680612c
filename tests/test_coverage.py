"""What a call to the team covers (issue 18, item 2), on both sides of each boundary.

Each row: what was logged before the call, what came after it, and what the verdict must say:
the level (never lowered by a call), the most urgent level that is news (None: everything
found is covered), and which rules are news. Expected values come from the issue's rule: a
finding present at the call is covered; afterwards only something new (a rule or concept that
had not fired before the call, an emergency where there was none) or worse (a higher
temperature, pulse or fatigue; a lower blood pressure, SpO2 or ICE score) is news again.
"""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta, timezone

import pytest

from cart_cli.models import Entry, Plan
from cart_cli.verdict import judge

TZ = timezone(timedelta(hours=0))
NOW = datetime(2026, 11, 24, 6, 0, tzinfo=TZ)
HOUR = timedelta(hours=1)
PLAN = Plan(infusion_date=NOW.date() - timedelta(days=20), phone="01632 960 123")
CALL_AT = NOW - 3 * HOUR

_ids = itertools.count(1)


def _entry(kind: str, **values) -> Entry:
    return Entry(kind, NOW, **values)


def temp(celsius: float) -> Entry:
    return _entry("temp", celsius=celsius)


def bp(systolic: int, pulse: int | None = None) -> Entry:
    return _entry("bp", systolic=systolic, diastolic=60, pulse=pulse)


def spo2(value: int) -> Entry:
    return _entry("spo2", spo2=value)


def fatigue(score: int) -> Entry:
    return _entry("fatigue", score=score)


def symptom(name: str, severity: str | None = None) -> Entry:
    return _entry("symptom", symptom=name, severity=severity)


def med(name: str) -> Entry:
    return _entry("med", medicine=name)


def timed(before: list[Entry], after: list[Entry]) -> list[Entry]:
    """Entries before the call (spread over the hour before it), the call, then the rest."""
    out = []
    for i, e in enumerate(before):
        out.append(
            Entry(
                **{**e.__dict__, "recorded_at": CALL_AT - HOUR + i * timedelta(minutes=5), "id": next(_ids)}
            )
        )
    out.append(Entry("call", CALL_AT, id=next(_ids), outcome="team said stay home"))
    for i, e in enumerate(after):
        out.append(
            Entry(
                **{**e.__dict__, "recorded_at": CALL_AT + HOUR + i * timedelta(minutes=5), "id": next(_ids)}
            )
        )
    return out


# (id, before the call, after the call, level, news level, rules that are news)
# fmt: off
CASES = [
    # temperature: lower after a reported fever is covered; higher is worse
    ("fever, then the same", [temp(38.4)], [temp(38.4)], "red", None, set()),
    ("fever, then lower fever", [temp(38.4)], [temp(38.1)], "red", None, set()),
    ("fever, then 0.1 higher", [temp(38.4)], [temp(38.5)], "red", "red", {"fever"}),
    ("fever, then raised 37.6", [temp(38.4)], [temp(37.6)], "red", None, set()),
    ("fever, then normal", [temp(38.4)], [temp(36.9)], "red", None, set()),
    ("raised, then fever", [temp(37.6)], [temp(38.0)], "red", "red", {"fever"}),
    ("raised, then raised higher", [temp(37.6)], [temp(37.7)], "amber", "amber", {"raised-temperature"}),
    ("raised, then raised lower", [temp(37.7)], [temp(37.6)], "amber", None, set()),
    ("fever, then low temperature", [temp(38.4)], [temp(35.9)], "red", "amber", {"low-temperature"}),
    ("low, then lower", [temp(35.9)], [temp(35.8)], "amber", "amber", {"low-temperature"}),
    ("low, then less low", [temp(35.8)], [temp(35.9)], "amber", None, set()),
    # blood pressure, oxygen, pulse: worse is lower (higher for pulse)
    ("systolic 95, then 95", [temp(36.8), bp(95)], [bp(95)], "amber", None, set()),
    ("systolic 95, then 94", [temp(36.8), bp(95)], [bp(94)], "amber", "amber", {"borderline-blood-pressure"}),
    ("systolic 95, then 96", [temp(36.8), bp(95)], [bp(96)], "amber", None, set()),
    ("systolic 88, then 95", [temp(36.8), bp(88)], [bp(95)], "red", None, set()),
    ("systolic 95, then 90", [temp(36.8), bp(95)], [bp(90)], "red", "red", {"low-blood-pressure"}),
    ("SpO2 94, then 94", [temp(36.8), spo2(94)], [spo2(94)], "amber", None, set()),
    ("SpO2 94, then 93", [temp(36.8), spo2(94)], [spo2(93)], "amber", "amber", {"borderline-oxygen"}),
    ("SpO2 93, then 92", [temp(36.8), spo2(93)], [spo2(92)], "red", "red", {"low-oxygen"}),
    ("pulse 110, then 110", [temp(36.8), bp(120, 110)], [bp(120, 110)], "amber", None, set()),
    ("pulse 110, then 111", [temp(36.8), bp(120, 110)], [bp(120, 111)], "amber", "amber", {"raised-pulse"}),
    # fatigue: a new score at or below the reported one is covered
    ("fatigue 9, then 9", [temp(36.8), fatigue(9)], [fatigue(9)], "red", None, set()),
    ("fatigue 9, then 10", [temp(36.8), fatigue(9)], [fatigue(10)], "red", "red", {"extreme-fatigue"}),
    # symptoms: the same one is covered; another one, or a more severe one, is new
    ("cough, then cough", [temp(36.8), symptom("cough")], [symptom("cough")], "red", None, set()),
    ("cough, then shivering", [temp(36.8), symptom("cough")], [symptom("shivering")],
        "red", "red", {"infection-sign"}),
    ("mild cough, then severe", [temp(36.8), symptom("cough", "mild")], [symptom("cough", "severe")],
        "red", "red", {"infection-sign"}),
    ("severe cough, then mild", [temp(36.8), symptom("cough", "severe")], [symptom("cough", "mild")],
        "red", None, set()),
    # an emergency where there was none is news; a reported one stays EMERGENCY
    ("fever, then a fit", [temp(38.4)], [symptom("seizure")], "emergency", "emergency", {"emergency-sign"}),
    ("a fit, then normal", [temp(36.8), symptom("seizure")], [temp(36.9)], "emergency", None, set()),
    ("sepsis, then 37.6 and paracetamol",
        [temp(38.6), symptom("confusion")], [med("paracetamol"), temp(37.6)],
        "emergency", "amber", {"fever-medicine"}),
    # two ambers: a reported amber plus one new amber is the new amber, not red
    ("raised, then fatigue 7", [temp(37.7)], [fatigue(7)], "amber", "amber", {"rising-fatigue"}),
    ("nothing, then two ambers", [temp(36.8)], [temp(37.7), bp(95)], "red", "red",
        {"raised-temperature", "borderline-blood-pressure", "several-amber-signs"}),
    ("two ambers, then a third", [temp(37.7), bp(95)], [fatigue(7)], "red", "amber", {"rising-fatigue"}),
    # nothing found at the call: everything after it is news
    ("nothing, then fever", [temp(36.8)], [temp(38.2)], "red", "red", {"fever"}),
]
# fmt: on


@pytest.mark.parametrize(
    ("before", "after", "level", "news", "new_rules"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_what_a_call_covers(before, after, level, news, new_rules):
    """The level never drops; only new or worse findings are news after a call."""
    verdict = judge(timed(before, after), PLAN, NOW, NOW - 24 * HOUR)
    assert verdict.level == level
    assert verdict.news_level == news
    assert {f.rule for f in verdict.new_findings} == new_rules
    for finding in verdict.reported_findings:
        assert finding.covered_by is not None and finding.covered_by.kind == "call"
    if news is None:
        assert verdict.headline.startswith("REPORTED TO YOUR TEAM AT 03:00")
        assert not verdict.call_now


def test_without_a_call_nothing_is_reported():
    """With no call, every finding is news."""
    verdict = judge([Entry("temp", NOW - HOUR, id=1, celsius=38.3)], PLAN, NOW, NOW - 24 * HOUR)
    assert verdict.news_level == "red" and not verdict.reported_findings
    assert verdict.headline == "CALL YOUR HOSPITAL TEAM NOW"


def test_a_lower_new_finding_keeps_the_reported_level_in_the_headline():
    """News below what was reported says the reported level and when, in words."""
    verdict = judge(timed([temp(38.4)], [symptom("nausea")]), PLAN, NOW, NOW - 24 * HOUR)
    assert verdict.level == "red" and verdict.news_level == "amber"
    assert verdict.headline == "CALL YOUR TEAM'S 24-HOUR LINE FOR ADVICE (RED REPORTED TO YOUR TEAM AT 03:00)"


def test_an_entry_typed_after_the_call_at_the_same_minute_is_not_covered():
    """An entry at the call's minute but typed after it is news (ids break the tie)."""
    call = Entry("call", CALL_AT, id=10)
    fever = Entry("temp", CALL_AT, id=11, celsius=38.3)
    verdict = judge(
        [Entry("temp", CALL_AT - HOUR, id=9, celsius=36.8), call, fever], PLAN, NOW, NOW - 24 * HOUR
    )
    assert verdict.news_level == "red"
