"""Triage: grade what was logged in a window of time, as the clinical reference says.

This mirrors docs/clinical-basis.md, section 3, which is built on the seed page.
``cart`` does not diagnose; every finding points the person to their hospital team, and when
in doubt a rule errs towards "call" rather than "wait".

The rules, in the order of the reference table (defaults; temperatures in °C):

RED - call the hospital team's 24-hour number now
  fever                  a temperature at or above the fever threshold (38.0 °C unless the
                         plan sets 37.0-38.0)
  infection-sign         any sign of infection from the seed's list (shivering, cough, ...)
  flu-like               flu-like symptoms (a sign of cytokine release syndrome)
  low-blood-pressure     systolic below 90
  fast-pulse             pulse above 130
  neuro-early            any nervous-system (ICANS) symptom up to day 56 (8 weeks) after the
                         infusion, before it, or when the infusion date is not known
  allergic-reaction      any sign of an allergic reaction
  extreme-fatigue        fatigue scored 9 or 10 out of 10 ("extreme tiredness")
  several-amber-signs    two or more AMBER findings from different rules (UKONS, T2)
RED, EMERGENCY - call the emergency number, then the team
  emergency-sign         a fit or seizure, very hard to wake, breathless at rest
  chest-pain-with-breathlessness   chest pain and breathlessness both logged in the window
AMBER - contact the team today and check again soon
  raised-temperature     37.5 °C or more but below the fever threshold
  low-temperature        below 36.0 °C
  borderline-blood-pressure  systolic 90 to 100
  raised-pulse           pulse 101 to 130
  neuro-late             a nervous-system symptom from day 57 on
  rising-fatigue         fatigue 7 or 8 that is new (no score in the 72 hours before) or
                         higher than every score in those 72 hours
  unrecognised-symptom   a symptom cart cannot grade (recorded with --other)

Overall: the highest level found (an emergency is red with ``emergency=True``). With no
finding the check is "unknown" when there is no plan or no temperature in the window, and
"green" otherwise. Missing information never hides a finding; it is listed in ``missing``.
Each rule only ever raises: none lowers another, and a symptom's severity never lowers it.

Everything here is a pure function of (entries, plan, now, since): the clock is never read.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from .errors import InvalidInput
from .models import DEFAULT_EMERGENCY_NUMBER, DEFAULT_FEVER_THRESHOLD_C, MAX_FEVER_THRESHOLD_C, Entry, Plan
from .symptoms import Symptom, by_name, lookup
from .timefmt import local_time

# Finding levels, and the overall levels of a check. An emergency is the highest red.
EMERGENCY = "emergency"
RED = "red"
AMBER = "amber"
GREEN = "green"
UNKNOWN = "unknown"

# Higher is more urgent. "unknown" sits above "green": not knowing is less reassuring.
LEVEL_RANK = {GREEN: 0, UNKNOWN: 1, AMBER: 2, RED: 3, EMERGENCY: 4}

HEADLINES = {
    RED: "CALL YOUR HOSPITAL TEAM NOW",
    AMBER: "CONTACT YOUR TEAM TODAY",
    GREEN: "NOTHING NEEDS ACTION",
    UNKNOWN: "NOT ENOUGH INFORMATION",
}

# Thresholds (clinical-reference.md section 3, from the seed, T1, T3 and T6).
RAISED_TEMPERATURE_C = 37.5  # T1: many UK hospitals ask for a call from here
LOW_TEMPERATURE_C = 36.0  # T1 / T6: below this is a risk sign
LOW_SYSTOLIC = 90  # T3 / T6: below 90 is hypotension
BORDERLINE_SYSTOLIC = 100  # T6: 90-100 is moderate risk
FAST_PULSE = 130  # T6: above 130 is high risk
RAISED_PULSE = 100  # T6: above 100 (up to 130) is worth a call today
NEURO_WINDOW_DAYS = 56  # seed: neurological problems can come up to 8 weeks after infusion
EXTREME_FATIGUE_SCORE = 9  # seed: "extreme tiredness" is a sign of infection
RAISED_FATIGUE_SCORE = 7
FATIGUE_LOOKBACK = timedelta(hours=72)  # "the past few days" for new-or-worse fatigue
LOOKBACK = FATIGUE_LOOKBACK  # how far before a window `evaluate` needs entries, at most
MAX_ENTRIES_NAMED = 6  # a message names this many entries, then says how many more


@dataclass(frozen=True)
class Finding:
    """One rule's verdict: what it saw (its entries), why it matters, and what to do."""

    level: str
    rule: str
    message: str
    action: str
    entries: tuple[Entry, ...]
    source: str


@dataclass(frozen=True)
class Rule:
    """One row of the triage table.

    ``evaluate(window, plan, now, since, history)`` gets the entries logged from ``since`` to
    ``now`` (oldest first) and ``history``, every entry up to ``now`` including those before
    ``since`` (only the fatigue rule looks back). It returns a Finding or None.
    """

    name: str
    level: str
    source: str
    summary: str
    evaluate: Callable[[Sequence[Entry], Plan | None, datetime, datetime, Sequence[Entry]], Finding | None]


@dataclass(frozen=True)
class CheckResult:
    """The outcome of `cart check`: overall level, the findings behind it, and what is missing."""

    level: str
    emergency: bool
    day: int | None
    findings: tuple[Finding, ...]
    missing: tuple[str, ...]
    since: datetime
    until: datetime
    fever_threshold_c: float


# --- small helpers -----------------------------------------------------------------------


def _fever_threshold_c(plan: Plan | None) -> float:
    """The fever threshold in use. Never above 38.0 °C: higher would hide a seed-defined fever."""
    if plan is None:
        return DEFAULT_FEVER_THRESHOLD_C
    return min(plan.fever_threshold_c, MAX_FEVER_THRESHOLD_C)


def _listed(entries: Sequence[Entry], now: datetime) -> str:
    """Entries in plain words, e.g. ``38.2 °C at 14:05 and 38.4 °C at 16:00``."""
    parts = [f"{entry.describe()} at {local_time(entry.recorded_at, now)}" for entry in entries]
    if len(parts) > MAX_ENTRIES_NAMED:
        more = len(parts) - (MAX_ENTRIES_NAMED - 1)
        parts = parts[: MAX_ENTRIES_NAMED - 1] + [f"{more} more"]
    if len(parts) == 1:
        return parts[0]
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def _call_team_now(plan: Plan | None) -> str:
    """The RED action, with the team's number when the plan has one."""
    number = f" ({plan.phone})" if plan is not None and plan.phone else ""
    return f"Call your hospital team's 24-hour number{number} now. Do not wait to see if it passes."


def emergency_number(plan: Plan | None) -> str:
    """The emergency services number to show: the plan's, else the default (999)."""
    if plan is not None and plan.emergency_number:
        return plan.emergency_number
    return DEFAULT_EMERGENCY_NUMBER


def _symptom_of(entry: Entry) -> Symptom | None:
    """The vocabulary symptom of a symptom entry, or None when cart cannot grade it.

    Stored names are canonical, but a name from an older vocabulary is looked up as an alias
    too; whatever still is not known is graded as an unrecognised symptom, never ignored.
    """
    if entry.kind != "symptom" or not entry.symptom or entry.symptom == "other":
        return None
    try:
        return by_name(entry.symptom)
    except KeyError:
        pass
    try:
        return lookup(entry.symptom)
    except InvalidInput:
        return None


def _symptoms_in(window: Sequence[Entry], group: str) -> list[Entry]:
    return [e for e in window if (s := _symptom_of(e)) is not None and s.group == group]


def _symptoms_named(window: Sequence[Entry], *names: str) -> list[Entry]:
    return [e for e in window if (s := _symptom_of(e)) is not None and s.name in names]


def _temperatures(window: Sequence[Entry]) -> list[Entry]:
    return [e for e in window if e.kind == "temp" and e.celsius is not None]


def _systolic_readings(window: Sequence[Entry]) -> list[Entry]:
    return [e for e in window if e.systolic is not None]


def _pulse_readings(window: Sequence[Entry]) -> list[Entry]:
    return [e for e in window if e.pulse is not None]


def _fatigue_scores(entries: Sequence[Entry]) -> list[Entry]:
    return [e for e in entries if e.kind == "fatigue" and e.score is not None]


def _day_of(entry: Entry, plan: Plan, now: datetime) -> int:
    """Day since infusion of an entry, by its date in the same local time as ``now``."""
    return plan.day_of(entry.recorded_at.astimezone(now.tzinfo))


def _days_text(days: list[int]) -> str:
    low, high = min(days), max(days)
    return f"day {low}" if low == high else f"days {low} to {high}"


def _finding(rule_name: str, entries: Sequence[Entry], message: str, action: str) -> Finding:
    """A finding for the named rule; its level and source come from the rule table."""
    rule = _RULE_BY_NAME[rule_name]
    message = message[:1].upper() + message[1:]
    return Finding(rule.level, rule.name, message, action, tuple(entries), rule.source)


# --- RED ---------------------------------------------------------------------------------


def _fever(window, plan, now, since, history) -> Finding | None:
    threshold = _fever_threshold_c(plan)
    hot = [e for e in _temperatures(window) if e.celsius >= threshold]
    if not hot:
        return None
    return _finding(
        "fever",
        hot,
        f"Temperature {_listed(hot, now)}: at or above your fever threshold of "
        f"{threshold:.1f} °C. After CAR-T therapy a fever can be the first sign of an infection "
        "or of cytokine release syndrome, and both can become serious within hours.",
        _call_team_now(plan),
    )


def _infection_sign(window, plan, now, since, history) -> Finding | None:
    signs = _symptoms_in(window, "infection")
    if not signs:
        return None
    return _finding(
        "infection-sign",
        signs,
        f"You logged {_listed(signs, now)}. Your immune system is still weak after CAR-T "
        "therapy, so this may be an infection, and infections can get serious quickly.",
        _call_team_now(plan),
    )


def _flu_like(window, plan, now, since, history) -> Finding | None:
    signs = _symptoms_in(window, "crs")
    if not signs:
        return None
    return _finding(
        "flu-like",
        signs,
        f"You logged {_listed(signs, now)}. Feeling as if you have flu can be a sign of "
        "cytokine release syndrome (CRS) or of an infection.",
        _call_team_now(plan),
    )


def _low_blood_pressure(window, plan, now, since, history) -> Finding | None:
    low = [e for e in _systolic_readings(window) if e.systolic < LOW_SYSTOLIC]
    if not low:
        return None
    return _finding(
        "low-blood-pressure",
        low,
        f"{_listed(low, now)}: the top number (systolic) is below {LOW_SYSTOLIC}. Blood "
        "pressure this low can be a sign of cytokine release syndrome or a serious infection.",
        _call_team_now(plan),
    )


def _fast_pulse(window, plan, now, since, history) -> Finding | None:
    fast = [e for e in _pulse_readings(window) if e.pulse > FAST_PULSE]
    if not fast:
        return None
    return _finding(
        "fast-pulse",
        fast,
        f"{_listed(fast, now)}: a pulse over {FAST_PULSE} beats a minute can be a sign of a "
        "serious infection or of cytokine release syndrome.",
        _call_team_now(plan),
    )


def _neuro_early(window, plan, now, since, history) -> Finding | None:
    neuro = _symptoms_in(window, "neuro")
    if plan is None:
        # Without an infusion date the day is unknown: err towards calling.
        early = neuro
        timing = "cart does not know your infusion date, so it counts this as within 8 weeks."
    else:
        early = [e for e in neuro if _day_of(e, plan, now) <= NEURO_WINDOW_DAYS]
        days = [_day_of(e, plan, now) for e in early]
        timing = f"That is {_days_text(days)} after your infusion, within 8 weeks." if early else ""
    if not early:
        return None
    return _finding(
        "neuro-early",
        early,
        f"You logged {_listed(early, now)}. {timing} In the first 8 weeks CAR-T therapy can "
        "affect the brain and nerves (ICANS), and this needs checking quickly.",
        _call_team_now(plan) + " Do not drive.",
    )


def _allergic_reaction(window, plan, now, since, history) -> Finding | None:
    signs = _symptoms_in(window, "allergy")
    if not signs:
        return None
    return _finding(
        "allergic-reaction",
        signs,
        f"You logged {_listed(signs, now)}, which can be signs of an allergic reaction.",
        _call_team_now(plan) + f" If breathing gets hard or your face, lips or tongue swell quickly, call "
        f"{emergency_number(plan)}.",
    )


def _extreme_fatigue(window, plan, now, since, history) -> Finding | None:
    extreme = [e for e in _fatigue_scores(window) if e.score >= EXTREME_FATIGUE_SCORE]
    if not extreme:
        return None
    return _finding(
        "extreme-fatigue",
        extreme,
        f"{_listed(extreme, now)}: a score of {EXTREME_FATIGUE_SCORE} or 10 means extreme "
        "tiredness, which after CAR-T therapy can be a sign of infection.",
        _call_team_now(plan),
    )


def _several_amber_signs(window, plan, now, since, history) -> Finding | None:
    # UKONS (T2): more than one amber sign at once calls for urgent assessment.
    ambers = [
        finding
        for rule in RULES
        if rule.level == AMBER
        if (finding := rule.evaluate(window, plan, now, since, history)) is not None
    ]
    if len(ambers) < 2:
        return None
    cited = {id(e): e for finding in ambers for e in finding.entries}
    entries = sorted(cited.values(), key=lambda e: e.recorded_at)
    summaries = [_RULE_BY_NAME[f.rule].summary for f in ambers]
    signs = "; ".join(
        f"{summary[:1].lower()}{summary[1:]} ({_listed(f.entries, now)})"
        for summary, f in zip(summaries, ambers)
    )
    return _finding(
        "several-amber-signs",
        entries,
        f"{len(ambers)} different warning signs in this period: {signs}. Any one alone means "
        "contacting your team today; together they mean calling now.",
        _call_team_now(plan),
    )


# --- RED, EMERGENCY ----------------------------------------------------------------------


def _call_emergency(plan: Plan | None) -> str:
    return f"Call {emergency_number(plan)} now, then tell your hospital team."


def _emergency_sign(window, plan, now, since, history) -> Finding | None:
    signs = _symptoms_in(window, "emergency")
    if not signs:
        return None
    return _finding(
        "emergency-sign",
        signs,
        f"You logged {_listed(signs, now)}. This needs help straight away.",
        _call_emergency(plan),
    )


def _chest_pain_with_breathlessness(window, plan, now, since, history) -> Finding | None:
    chest = _symptoms_named(window, "chest pain")
    breathless = _symptoms_named(window, "breathlessness", "breathless at rest")
    if not chest or not breathless:
        return None
    both = sorted(chest + breathless, key=lambda e: e.recorded_at)
    return _finding(
        "chest-pain-with-breathlessness",
        both,
        f"You logged {_listed(both, now)}. Chest pain together with breathlessness can mean a "
        "serious problem with the heart or lungs.",
        _call_emergency(plan),
    )


# --- AMBER -------------------------------------------------------------------------------


def _raised_temperature(window, plan, now, since, history) -> Finding | None:
    threshold = _fever_threshold_c(plan)
    raised = [e for e in _temperatures(window) if RAISED_TEMPERATURE_C <= e.celsius < threshold]
    if not raised:
        return None
    return _finding(
        "raised-temperature",
        raised,
        f"Temperature {_listed(raised, now)}: raised ({RAISED_TEMPERATURE_C:.1f} °C or more) "
        f"but below your fever threshold of {threshold:.1f} °C. Many hospitals want a call "
        "from this level after CAR-T therapy.",
        f"Contact your team today. Take your temperature again within the hour, and call "
        f"straight away if it reaches {threshold:.1f} °C or you feel worse.",
    )


def _low_temperature(window, plan, now, since, history) -> Finding | None:
    low = [e for e in _temperatures(window) if e.celsius < LOW_TEMPERATURE_C]
    if not low:
        return None
    return _finding(
        "low-temperature",
        low,
        f"Temperature {_listed(low, now)}: below {LOW_TEMPERATURE_C:.1f} °C. A low "
        "temperature can also be a sign of infection, especially if you feel unwell.",
        "Contact your team today. Take your temperature again within the hour, and call "
        "straight away if you feel unwell or shivery.",
    )


def _borderline_blood_pressure(window, plan, now, since, history) -> Finding | None:
    borderline = [e for e in _systolic_readings(window) if LOW_SYSTOLIC <= e.systolic <= BORDERLINE_SYSTOLIC]
    if not borderline:
        return None
    return _finding(
        "borderline-blood-pressure",
        borderline,
        f"{_listed(borderline, now)}: a top number (systolic) of {LOW_SYSTOLIC} to "
        f"{BORDERLINE_SYSTOLIC} is on the low side and worth a check.",
        f"Contact your team today. Measure it again within the hour, and call straight away "
        f"if it drops below {LOW_SYSTOLIC} or you feel faint or unwell.",
    )


def _raised_pulse(window, plan, now, since, history) -> Finding | None:
    raised = [e for e in _pulse_readings(window) if RAISED_PULSE < e.pulse <= FAST_PULSE]
    if not raised:
        return None
    return _finding(
        "raised-pulse",
        raised,
        f"{_listed(raised, now)}: a pulse of {RAISED_PULSE + 1} to {FAST_PULSE} is faster than "
        "it should be at rest, and can be an early sign of infection.",
        f"Contact your team today. Sit quietly for a few minutes and measure again, and call "
        f"straight away if it goes over {FAST_PULSE} or you feel unwell.",
    )


def _neuro_late(window, plan, now, since, history) -> Finding | None:
    if plan is None:
        return None  # without an infusion date every neuro symptom is graded red instead
    late = [e for e in _symptoms_in(window, "neuro") if _day_of(e, plan, now) > NEURO_WINDOW_DAYS]
    if not late:
        return None
    days = _days_text([_day_of(e, plan, now) for e in late])
    return _finding(
        "neuro-late",
        late,
        f"You logged {_listed(late, now)} on {days} after your infusion. Brain and nerve side "
        "effects this late are rare but possible, so your team should know.",
        "Contact your team today, and call straight away if it gets worse or something new starts.",
    )


def _rising_fatigue(window, plan, now, since, history) -> Finding | None:
    # "New or worse": no score in the 72 hours before it, or every score then was lower.
    rising: list[Entry] = []
    described: list[str] = []
    all_scores = _fatigue_scores(history)
    for entry in _fatigue_scores(window):
        if not RAISED_FATIGUE_SCORE <= entry.score < EXTREME_FATIGUE_SCORE:
            continue
        start = entry.recorded_at - FATIGUE_LOOKBACK
        before = [e.score for e in all_scores if start <= e.recorded_at < entry.recorded_at]
        if before and max(before) >= entry.score:
            continue
        why = (
            "no score in the 3 days before"
            if not before
            else (f"up from at most {max(before)}/10 in the 3 days before")
        )
        rising.append(entry)
        described.append(f"{_listed([entry], now)} ({why})")
    if not rising:
        return None
    return _finding(
        "rising-fatigue",
        rising,
        f"{'; '.join(described)}. Tiredness this strong that is new or getting worse can be an "
        "early sign of infection.",
        "Contact your team today, and call straight away if it reaches 9 or 10 or any sign of "
        "infection appears.",
    )


def _unrecognised_symptom(window, plan, now, since, history) -> Finding | None:
    unknown = [e for e in window if e.kind == "symptom" and _symptom_of(e) is None]
    if not unknown:
        return None
    return _finding(
        "unrecognised-symptom",
        unknown,
        f"You logged {_listed(unknown, now)}. cart cannot grade this, but it could still matter.",
        "Contact your team today and describe it to them; call straight away if you feel very unwell.",
    )


# --- the table ---------------------------------------------------------------------------

RULES: tuple[Rule, ...] = (
    Rule(
        "fever",
        RED,
        "seed: infection risk (38 °C or above); clinical-reference T1, T3",
        "Temperature at or above the fever threshold",
        _fever,
    ),
    Rule("infection-sign", RED, "seed: infection risk", "A sign of infection", _infection_sign),
    Rule("flu-like", RED, "seed: cytokine release syndrome", "Flu-like symptoms", _flu_like),
    Rule(
        "low-blood-pressure",
        RED,
        "seed: cytokine release syndrome; clinical-reference T3, T6",
        "Systolic blood pressure below 90",
        _low_blood_pressure,
    ),
    Rule("fast-pulse", RED, "clinical-reference T6", "Pulse above 130", _fast_pulse),
    Rule(
        "neuro-early",
        RED,
        "seed: neurological problems (up to 8 weeks)",
        "A nervous-system symptom within 8 weeks of infusion",
        _neuro_early,
    ),
    Rule(
        "allergic-reaction",
        RED,
        "seed: allergic reactions",
        "A sign of an allergic reaction",
        _allergic_reaction,
    ),
    Rule(
        "extreme-fatigue",
        RED,
        "seed: infection risk (extreme tiredness)",
        "Fatigue 9 or 10 out of 10",
        _extreme_fatigue,
    ),
    Rule(
        "several-amber-signs",
        RED,
        "clinical-reference T2 (UKONS: more than one amber)",
        "Two or more amber signs from different rules",
        _several_amber_signs,
    ),
    Rule(
        "emergency-sign",
        EMERGENCY,
        "clinical-reference section 3 (T6 / UKONS)",
        "A fit or seizure, very hard to wake, or breathless at rest",
        _emergency_sign,
    ),
    Rule(
        "chest-pain-with-breathlessness",
        EMERGENCY,
        "clinical-reference section 3 (T6 / UKONS)",
        "Chest pain together with breathlessness",
        _chest_pain_with_breathlessness,
    ),
    Rule(
        "raised-temperature",
        AMBER,
        "clinical-reference T1",
        "Temperature 37.5 °C or more but below the fever threshold",
        _raised_temperature,
    ),
    Rule(
        "low-temperature", AMBER, "clinical-reference T1, T6", "Temperature below 36.0 °C", _low_temperature
    ),
    Rule(
        "borderline-blood-pressure",
        AMBER,
        "clinical-reference T6",
        "Systolic blood pressure 90 to 100",
        _borderline_blood_pressure,
    ),
    Rule("raised-pulse", AMBER, "clinical-reference T6", "Pulse 101 to 130", _raised_pulse),
    Rule(
        "neuro-late",
        AMBER,
        "seed: neurological problems; clinical-reference T5",
        "A nervous-system symptom more than 8 weeks after infusion",
        _neuro_late,
    ),
    Rule(
        "rising-fatigue",
        AMBER,
        "seed: infection risk (extreme tiredness)",
        "Fatigue 7 or 8 that is new or worse than the past 3 days",
        _rising_fatigue,
    ),
    Rule(
        "unrecognised-symptom",
        AMBER,
        "clinical-reference section 3",
        "A symptom cart does not recognise",
        _unrecognised_symptom,
    ),
)

_RULE_BY_NAME = {rule.name: rule for rule in RULES}


def rule_named(name: str) -> Rule:
    """The rule with this name (KeyError if there is none)."""
    return _RULE_BY_NAME[name]


# --- the check ---------------------------------------------------------------------------


def evaluate(entries: Sequence[Entry], plan: Plan | None, now: datetime, since: datetime) -> CheckResult:
    """Grade the entries logged from ``since`` to ``now`` (both included).

    ``entries`` may hold older entries (the fatigue rule compares with the 72 hours before a
    score) and later ones (ignored: they have not happened yet as far as ``now`` knows).
    """
    history = sorted((e for e in entries if e.recorded_at <= now), key=lambda e: e.recorded_at)
    window = [e for e in history if e.recorded_at >= since]

    found = [
        finding for rule in RULES if (finding := rule.evaluate(window, plan, now, since, history)) is not None
    ]
    # Most urgent first; rules of the same level keep the table's order.
    findings = tuple(sorted(found, key=lambda f: -LEVEL_RANK[f.level]))

    missing: list[str] = []
    if plan is None:
        missing.append(
            "No plan is set up, so cart does not know your infusion day and used a fever "
            f"threshold of {DEFAULT_FEVER_THRESHOLD_C:.1f} °C. Run "
            "`cart setup --infusion-date YYYY-MM-DD` to add it."
        )
    if not _temperatures(window):
        missing.append(
            f"No temperature has been logged since {local_time(since, now)}. "
            "Take your temperature and log it."
        )

    emergency = any(f.level == EMERGENCY for f in findings)
    if findings:
        level = RED if emergency else findings[0].level
    else:
        level = UNKNOWN if missing else GREEN

    return CheckResult(
        level=level,
        emergency=emergency,
        day=plan.day_of(now) if plan is not None else None,
        findings=findings,
        missing=tuple(missing),
        since=since,
        until=now,
        fever_threshold_c=_fever_threshold_c(plan),
    )


def emergency_headline(plan: Plan | None) -> str:
    """The headline for an emergency, e.g. ``CALL 999 NOW``, using the plan's number."""
    return f"CALL {emergency_number(plan)} NOW"


def headline(result: CheckResult, plan: Plan | None) -> str:
    """The one-line headline for a check result."""
    return emergency_headline(plan) if result.emergency else HEADLINES[result.level]


def findings_for_entry(result: CheckResult, entry_id: int) -> tuple[Finding, ...]:
    """The findings that cite the entry with this id."""
    return tuple(f for f in result.findings if any(e.id == entry_id for e in f.entries))
