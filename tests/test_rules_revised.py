"""The revised triage table (docs/clinical-basis.md section 3; T19-T22, T27), at its boundaries.

Breathing rate (a new kind), the pulse's amber band from 91, an altered mental state and a new
speech problem red at any time, the new emergency signs, drinks or medicines not kept down,
and the sepsis combination with its new parts. Expected levels come from the reference table,
not from running the code; the end-to-end tests run the real CLI against a temp database.
"""

from __future__ import annotations

import itertools
import json
from datetime import datetime, timedelta, timezone

import pytest
from helpers import assert_one_line_error, entry_count, flat

from cart_cli.errors import InvalidInput
from cart_cli.models import Entry, Plan
from cart_cli.parsing import parse_breaths
from cart_cli.rules import RULES, CheckResult, evaluate, rule_named, symptom_level
from cart_cli.symptoms import VOCABULARY, lookup
from cart_cli.thresholds import FAST_BREATHING, RAISED_BREATHING, SLOW_BREATHING, VERY_SLOW_BREATHING

TZ = timezone(timedelta(hours=1))
NOW = datetime(2026, 6, 10, 12, 0, tzinfo=TZ)
SINCE = NOW - timedelta(hours=24)
HOUR = timedelta(hours=1)
_ids = itertools.count(1)


def on_day(day: int) -> Plan:
    """A plan whose infusion was ``day`` days before NOW."""
    return Plan(infusion_date=NOW.date() - timedelta(days=day))


PLAN = on_day(20)


def entry(kind: str, **values) -> Entry:
    return Entry(kind, NOW - HOUR, id=next(_ids), **values)


def temp(celsius: float) -> Entry:
    return entry("temp", celsius=celsius)


def symptom(name: str) -> Entry:
    return entry("symptom", symptom=name)


def breaths(value: int) -> Entry:
    return entry("breaths", breaths=value)


def normal() -> Entry:
    return temp(36.8)


def check(entries, plan: Plan | None = PLAN) -> CheckResult:
    return evaluate(entries, plan, NOW, SINCE)


def level_of(result: CheckResult) -> str:
    return result.level


def rules_fired(result: CheckResult) -> set[str]:
    return {f.rule for f in result.findings}


# --- breathing rate (T19, T27) ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected", "rule"),
    [
        (0, "emergency", "very-slow-breathing"),
        (8, "emergency", "very-slow-breathing"),
        (9, "amber", "slow-breathing-rate"),
        (11, "amber", "slow-breathing-rate"),
        (12, "green", None),
        (20, "green", None),
        (21, "amber", "raised-breathing-rate"),
        (24, "amber", "raised-breathing-rate"),
        (25, "red", "fast-breathing"),
        (80, "red", "fast-breathing"),
    ],
)
def test_breathing_rate_boundaries(value, expected, rule):
    """8 or fewer a minute is an emergency, 9-11 and 21-24 amber, 12-20 green, 25 or more red."""
    result = check([normal(), breaths(value)])
    assert level_of(result) == expected
    assert rules_fired(result) == ({rule} if rule else set())


def test_the_breathing_thresholds_are_the_references_numbers():
    """thresholds.py states NEWS2's bands (T27) once: <=8, 9-11, 21-24, >=25."""
    assert (VERY_SLOW_BREATHING, SLOW_BREATHING, RAISED_BREATHING, FAST_BREATHING) == (8, 11, 21, 25)


def test_a_fast_breathing_rate_and_a_raised_pulse_are_two_ambers_so_red():
    """Two amber findings from different rules make red (T2), breathing included."""
    result = check([normal(), breaths(22), entry("pulse", pulse=95)])
    assert level_of(result) == "red"
    assert {"raised-breathing-rate", "raised-pulse", "several-amber-signs"} <= rules_fired(result)


@pytest.mark.parametrize(
    ("typed", "value"),
    [("18", 18), ("0", 0), ("80", 80), (" 24 ", 24), ("24/min", 24), ("24 breaths a minute", 24),
     ("24 per minute", 24), ("24 breaths", 24), (26, 26)],
)  # fmt: skip
def test_breathing_rates_people_type_are_read(typed, value):
    """A whole number of breaths a minute, with or without a unit."""
    assert parse_breaths(typed) == value


@pytest.mark.parametrize("typed", ["", "abc", "-3", "81", "18.5", "12 in 30s", "1e2"])
def test_a_breathing_rate_cart_cannot_read_is_refused_naming_the_range(typed):
    """Anything else is refused with the accepted range and how to count."""
    with pytest.raises(InvalidInput, match=r"0-80.*30 seconds"):
        parse_breaths(typed)


# --- pulse from 91 (T19) ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pulse", "expected"), [(90, "green"), (91, "amber"), (100, "amber"), (130, "amber"), (131, "red")]
)
def test_pulse_amber_band_starts_at_91(pulse, expected):
    """NG51 counts a heart rate of 91-130 as moderate-to-high risk: amber; above 130 red."""
    assert level_of(check([normal(), entry("pulse", pulse=pulse)])) == expected


# --- altered mental state and speech: red at any time (T19) -----------------------------------


ALTERED = ["confusion", "drowsiness", "hallucinations"]


@pytest.mark.parametrize("day", [-3, 0, 20, 56, 57, 200, 800])
@pytest.mark.parametrize("name", [*ALTERED, "speech problems"])
def test_altered_mental_state_and_speech_are_red_at_any_time(name, day):
    """Not only up to day 56: an altered mental state or a new speech problem is red on any day."""
    result = check([normal(), symptom(name)], on_day(day))
    assert level_of(result) == "red"
    expected = "speech-problem" if name == "speech problems" else "altered-mental-state"
    assert expected in rules_fired(result)
    assert not rules_fired(result) & {"neuro-early", "neuro-late"}


@pytest.mark.parametrize(
    ("name", "day", "expected"),
    [("tremor", 56, "red"), ("tremor", 57, "amber"), ("headache", 57, "amber"),
     ("numbness", 56, "red"), ("numbness", 300, "amber"), ("dizziness", 57, "amber")],
)  # fmt: skip
def test_other_nervous_system_symptoms_keep_the_8_week_rule(name, day, expected):
    """Tremor, headache, numbness, dizziness... stay red up to day 56 and amber after."""
    assert level_of(check([normal(), symptom(name)], on_day(day))) == expected


@pytest.mark.parametrize(
    ("typed", "name"),
    [("talking nonsense", "confusion"), ("gibberish", "confusion"), ("not making sense", "confusion"),
     ("seeing things", "hallucinations"), ("hard to rouse", "drowsiness"),
     ("disorientated", "confusion"), ("slurred speech", "speech problems")],
)  # fmt: skip
def test_everyday_words_for_an_altered_mental_state_reach_the_vocabulary(typed, name):
    """The words section 3 lists for an altered mental state are symptoms cart knows."""
    assert lookup(typed).name == name


# --- the new emergencies (T19, T20, T21) and fluids (T22) -------------------------------------


@pytest.mark.parametrize(
    ("typed", "rule"),
    [
        ("blue lips", "skin-colour"),
        ("grey skin", "skin-colour"),
        ("lips look blue", "skin-colour"),
        ("mottled skin", "skin-colour"),
        ("ashen", "skin-colour"),
        ("non-blanching rash", "non-blanching-rash"),
        ("rash that doesn't fade under a glass", "non-blanching-rash"),
        ("face drooping", "stroke-sign"),
        ("facial droop", "stroke-sign"),
        ("weak on one side", "stroke-sign"),
        ("sudden weakness of one arm", "stroke-sign"),
    ],
)
@pytest.mark.parametrize("day", [20, 400])
def test_the_new_emergency_signs(typed, rule, day):
    """Blue or grey colour, mottled or ashen skin, a non-blanching rash and the stroke signs are
    emergencies on any day, each from its own rule."""
    result = check([normal(), symptom(lookup(typed).name)], on_day(day))
    assert level_of(result) == "emergency"
    assert rule in rules_fired(result)
    assert "emergency-sign" not in rules_fired(result)  # each has its own rule and source


@pytest.mark.parametrize(
    "typed",
    ["not keeping fluids down", "can't keep anything down", "cant keep tablets down",
     "unable to keep fluids down"],
)  # fmt: skip
@pytest.mark.parametrize("day", [20, 400])
def test_drinks_or_medicines_not_kept_down_are_red(typed, day):
    """Not keeping fluids or medicines down is red (T22), on any day."""
    result = check([normal(), symptom(lookup(typed).name)], on_day(day))
    assert level_of(result) == "red"
    assert "fluids-not-kept-down" in rules_fired(result)


def test_numbness_no_longer_hides_a_drooping_face():
    """ "face drooping" used to be a word for numbness (red within 8 weeks); it is an emergency."""
    assert lookup("face drooping").name == "stroke signs"
    assert symptom_level(symptom("stroke signs"), on_day(300), NOW) == "emergency"


# --- the sepsis combination (T14, T19) ---------------------------------------------------------

INFECTION_SIGNS = {
    "fever 38.0": lambda: temp(38.0),
    "fever 39.2": lambda: temp(39.2),
    "low 35.9": lambda: temp(35.9),
    "very low 34.8": lambda: temp(34.8),
    "feeling feverish": lambda: symptom("feeling feverish"),
    "shivering": lambda: symptom("shivering"),
    "rigors": lambda: symptom(lookup("rigors").name),
}
HIGH_RISK_SIGNS = {
    "systolic 90": lambda: entry("bp", systolic=90, diastolic=60),
    "pulse 131": lambda: entry("pulse", pulse=131),
    "SpO2 92": lambda: entry("spo2", spo2=92),
    "breaths 25": lambda: breaths(25),
    **{name: (lambda name=name: symptom(name)) for name in ALTERED},
    "no urine": lambda: symptom("no urine"),
}
JUST_SHORT = {
    "systolic 91": lambda: entry("bp", systolic=91, diastolic=60),
    "pulse 130": lambda: entry("pulse", pulse=130),
    "SpO2 93": lambda: entry("spo2", spo2=93),
    "breaths 24": lambda: breaths(24),
    "headache": lambda: symptom("headache"),
    "tremor": lambda: symptom("tremor"),
    "speech problems": lambda: symptom("speech problems"),
    "dizziness": lambda: symptom("dizziness"),
}


@pytest.mark.parametrize("risk", HIGH_RISK_SIGNS)
@pytest.mark.parametrize("infection", INFECTION_SIGNS)
def test_a_sign_of_infection_with_any_high_risk_sign_is_possible_sepsis(infection, risk):
    """Every pair of an infection sign and a high-risk sign is an emergency (possible sepsis)."""
    entries = [INFECTION_SIGNS[infection](), HIGH_RISK_SIGNS[risk]()]
    if infection.startswith(("feeling", "shiver", "rigors")):
        entries.append(normal())
    result = check(entries)
    assert level_of(result) == "emergency"
    assert "possible-sepsis" in rules_fired(result)


@pytest.mark.parametrize("short", JUST_SHORT)
@pytest.mark.parametrize("infection", ["fever 38.0", "shivering"])
def test_one_step_short_of_the_combination_is_red_not_an_emergency(infection, short):
    """A fever with a headache, a tremor or a speech problem is red, not 999: only an altered
    mental state counts from the nervous system; readings one step short do not count."""
    entries = [INFECTION_SIGNS[infection](), JUST_SHORT[short]()]
    if infection == "shivering":
        entries.append(normal())
    result = check(entries)
    assert level_of(result) == "red"
    assert "possible-sepsis" not in rules_fired(result)


@pytest.mark.parametrize("risk", HIGH_RISK_SIGNS)
def test_a_high_risk_sign_without_a_sign_of_infection_is_not_sepsis(risk):
    """A high-risk sign with a normal temperature and no shivering is not possible sepsis."""
    result = check([normal(), HIGH_RISK_SIGNS[risk]()])
    assert "possible-sepsis" not in rules_fired(result)


def test_37_9_with_confusion_is_red_not_sepsis():
    """37.9 °C is below the fever threshold and above 36.0: not part of the combination."""
    result = check([temp(37.9), symptom("confusion")])
    assert level_of(result) == "red"
    assert "possible-sepsis" not in rules_fired(result)


# --- every new rule cites its reference ---------------------------------------------------------


@pytest.mark.parametrize(
    ("rule", "level", "cites"),
    [
        ("fast-breathing", "red", ("T19", "T27")),
        ("altered-mental-state", "red", ("T19",)),
        ("speech-problem", "red", ("T19", "T20")),
        ("fluids-not-kept-down", "red", ("T22",)),
        ("very-slow-breathing", "emergency", ("T27",)),
        ("skin-colour", "emergency", ("T19",)),
        ("non-blanching-rash", "emergency", ("T21",)),
        ("stroke-sign", "emergency", ("T20",)),
        ("possible-sepsis", "emergency", ("T14", "T19")),
        ("raised-pulse", "amber", ("T19",)),
        ("raised-breathing-rate", "amber", ("T19", "T27")),
        ("slow-breathing-rate", "amber", ("T27",)),
    ],
)
def test_each_revised_rule_has_its_level_and_cites_its_reference(rule, level, cites):
    """Each rule of the revised table is in RULES at its level and names its T-numbers."""
    found = rule_named(rule)
    assert found.level == level
    for number in cites:
        assert number in found.source, (rule, found.source)


def test_every_emergency_symptom_is_graded_by_exactly_one_emergency_rule():
    """No emergency symptom is graded twice (the generic rule leaves those with their own)."""
    emergency_rules = [r for r in RULES if r.level == "emergency"]
    for known in VOCABULARY:
        if known.group != "emergency":
            continue
        one = symptom(known.name)
        fired = [r.name for r in emergency_rules if r.evaluate([one], PLAN, NOW, SINCE, [one])]
        assert len(fired) == 1, (known.name, fired)


# --- through the real CLI ------------------------------------------------------------------------

PHONE = "01632 960 123"
EXIT = {"green": 0, "amber": 1, "red": 2, "emergency": 2, "unknown": 3}


def set_up(cart, days: int = 20) -> None:
    infusion = (datetime.now().astimezone().date() - timedelta(days=days)).isoformat()
    assert cart("setup", "--infusion-date", infusion, "--phone", PHONE, "--yes").code == 0


def check_json(cart) -> tuple[int, dict]:
    result = cart("check", "--json")
    return result.code, json.loads(result.out)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("8", "emergency"), ("9", "amber"), ("11", "amber"), ("12", "green"), ("20", "green"),
     ("21", "amber"), ("24/min", "amber"), ("25", "red")],
)  # fmt: skip
def test_cart_log_breaths_stores_the_rate_and_the_check_grades_it(cart, typed, expected):
    """`cart log breaths N` stores N a minute; `cart check` gives the table's level and exit code."""
    set_up(cart)
    assert cart("log", "temp", "36.8").code == 0
    result = cart("log", "breaths", typed, "--json")
    assert result.code == 0, result
    (stored,) = json.loads(result.out)["stored"]
    assert stored["kind"] == "breaths" and stored["breaths"] == int(typed.split("/")[0])
    code, data = check_json(cart)
    assert code == EXIT[expected]
    assert data["level"] == expected


def test_cart_log_breaths_8_says_call_999_first(cart):
    """An emergency breathing rate prints the emergency headline on the log screen itself."""
    set_up(cart)
    cart("log", "temp", "36.8")
    result = cart("log", "breaths", "8")
    assert result.code == 0
    assert "CALL 999 NOW" in flat(result.out)
    assert "breathing 8 a minute" in flat(result.out)


@pytest.mark.parametrize("typed", ["fast", "81", "-1", "12.5"])
def test_a_breathing_rate_cart_cannot_read_stores_nothing(cart, db_path, typed):
    """A bad value is one line on stderr, exit 2, and nothing is written."""
    set_up(cart)
    before = entry_count(db_path)
    result = cart("log", "breaths", "--", typed) if typed.startswith("-") else cart("log", "breaths", typed)
    assert_one_line_error(result, 2)
    assert "30 seconds" in result.err
    assert entry_count(db_path) == before


def test_breaths_help_says_how_to_count_and_states_the_thresholds(cart):
    """The help says to count for 30 seconds and double, with the numbers from thresholds.py."""
    text = flat(cart("log", "breaths", "--help").out)
    assert "30 seconds" in text and "double" in text
    for number in (VERY_SLOW_BREATHING, FAST_BREATHING, RAISED_BREATHING, SLOW_BREATHING):
        assert str(number) in text
    assert "cart log breaths 18" in text


def test_breaths_show_in_history_and_round_trip_through_export_and_import(cart, tmp_path):
    """History shows the rate (and `--kind breathing` finds it); a JSON export imports back."""
    set_up(cart)
    cart("log", "breaths", "22")
    listed = cart("history", "--kind", "breathing")
    assert listed.code == 0 and "breathing 22 a minute" in flat(listed.out)
    exported = tmp_path / "out.json"
    assert cart("export", "--format", "json", "--output", str(exported)).code == 0
    (item,) = [e for e in json.loads(exported.read_text())["entries"] if e["kind"] == "breaths"]
    assert item["breaths"] == 22
    other_db = tmp_path / "other.db"
    assert cart("--db", str(other_db), "import", str(exported)).code == 0
    again = cart("--db", str(other_db), "history", "--kind", "breaths", "--json")
    assert [e["breaths"] for e in json.loads(again.out) if e["kind"] == "breaths"] == [22]


def test_breaths_export_to_fhir_as_a_respiratory_rate(cart, tmp_path):
    """FHIR: a vital-signs Observation with LOINC 9279-1 and the unit /min."""
    set_up(cart)
    cart("log", "breaths", "18")
    out = tmp_path / "fhir.json"
    assert cart("export", "--format", "fhir", "--output", str(out)).code == 0
    resources = [item["resource"] for item in json.loads(out.read_text())["entry"]]
    (rate,) = [r for r in resources if r.get("code", {}).get("text") == "Respiratory rate"]
    assert rate["code"]["coding"][0]["code"] == "9279-1"
    assert rate["valueQuantity"]["value"] == 18 and rate["valueQuantity"]["code"] == "/min"
    assert rate["category"][0]["coding"][0]["code"] == "vital-signs"
