"""Triage: grade what was logged in a window of time, as docs/clinical-basis.md section 3 says.

The triage table there is built on the seed page (a UK blood-cancer charity's page on recovery
after CAR T-cell therapy) and the references it numbers T1-T27. ``cart`` does not diagnose;
every finding points the person to their hospital team, and when in doubt a rule errs towards
"call" rather than "wait".

The rules are the ``RULES`` table below, in the order of the clinical table: each row has its
name, level (EMERGENCY, RED, AMBER), source and a one-line summary. The numbers are
stated once, as the threshold constants below (each with its source); the summaries and the
messages are written from them, so this docstring names no number that could drift.

Overall: the highest level found (EMERGENCY is a level of its own, above RED). With no
finding the check is "unknown" when there is no plan, no temperature in the window, or the
latest temperature is older than the plan's reading gap, and "green" otherwise. Missing
information never hides a finding; it is listed in ``missing``. Each rule only ever raises:
none lowers another, and a symptom's severity never lowers it.

Times: an entry dated after ``now`` (a fast clock, an import from another device) is counted
as if it were taken at ``now`` and listed in ``future``, so it can never be skipped. What a
call to the team covers is the verdict's business (``verdict.py``, ``coverage.py``).

Everything here is a pure function of (entries, plan, now, since): the clock is never read.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from . import neuro
from .advice import (
    call_emergency,
    call_for_advice,
    call_team_now,
    days_text,
    listed,
)
from .advice import emergency_number as emergency_number  # re-exported: the screens read it here
from .advice import fallback_line as fallback_line
from .levels import Level
from .medicines import (
    UNKNOWN_DOSE_MG,
    fever_medicine_doses,
    format_mg,
    masked_temperatures,
    paracetamol_breaches,
    paracetamol_limits,
)
from .models import (
    DEFAULT_FEVER_THRESHOLD_C,
    DEFAULT_READING_GAP_HOURS,
    MAX_FEVER_THRESHOLD_C,
    Entry,
    Plan,
    breathing_rates,
    counted_as_now,
    format_celsius,
    pulse_readings,
    scores,
    spo2_readings,
    systolic_readings,
    temperatures,
)
from .neuro import ICE_MAX, ICE_RED_AT_ANY_TIME, NEURO_WINDOW_DAYS
from .signs import (
    denied_of,
    questions_text,
    reading_of,
    signs_of,
    symptoms_of,
    unread_of,
    vocabulary_symptom,
    words_at,
)
from .symptoms import Symptom
from .thresholds import (
    BORDERLINE_SPO2,
    BORDERLINE_SYSTOLIC,
    EXTREME_FATIGUE_SCORE,
    FAST_BREATHING,
    FAST_PULSE,
    FATIGUE_MAX,
    LOW_SPO2,
    LOW_SYSTOLIC,
    LOW_TEMPERATURE_C,
    MEDICINE_MASK_HOURS,
    RAISED_BREATHING,
    RAISED_FATIGUE_SCORE,
    RAISED_PULSE,
    RAISED_TEMPERATURE_C,
    SLOW_BREATHING,
    VERY_LOW_TEMPERATURE_C,
    VERY_SLOW_BREATHING,
)
from .timefmt import local_time

# The thresholds are in thresholds.py (imported above); the times here.
_NEURO_WEEKS = NEURO_WINDOW_DAYS // 7  # "8 weeks", as the messages say it
FATIGUE_LOOKBACK = timedelta(hours=72)  # "the past few days" for new-or-worse fatigue
_FATIGUE_DAYS = FATIGUE_LOOKBACK // timedelta(days=1)  # "3 days", as the messages say it
LOOKBACK = FATIGUE_LOOKBACK  # how far before a window `evaluate` needs entries, at most
RECHECK_AFTER = timedelta(hours=1)  # section 3: re-check an amber temperature within an hour

# Where each rule comes from: the reference numbers of docs/clinical-basis.md and their sources.
_SEED = "seed page (docs/clinical-basis.md section 1)"

# Emergency signs with a rule (and a reference) of their own; the other symptoms of the
# "emergency" group are graded together by the emergency-sign rule.
_SKIN_COLOUR_SIGNS = ("blue lips", "mottled skin")  # T19
_NON_BLANCHING_RASH = ("non-blanching rash",)  # T21
_STROKE_SIGNS = ("stroke signs",)  # T20
_OWN_RULE_EMERGENCIES = (*_SKIN_COLOUR_SIGNS, *_NON_BLANCHING_RASH, *_STROKE_SIGNS)


@dataclass(frozen=True)
class Finding:
    """One rule's verdict: what it saw (its entries), why it matters, and what to do.

    ``reported`` and ``covered_by`` are set by the verdict (``coverage.cover``): the call to
    the team that covers this finding, when the person has already told them.
    """

    level: Level
    rule: str
    message: str
    action: str
    entries: tuple[Entry, ...]
    source: str
    reported: bool = False
    covered_by: Entry | None = None


RuleFunction = Callable[
    [Sequence[Entry], "Plan | None", datetime, datetime, Sequence[Entry]], "Finding | None"
]


@dataclass(frozen=True)
class Rule:
    """One row of the triage table.

    ``evaluate(window, plan, now, since, history)`` gets the entries logged from ``since`` to
    ``now`` (oldest first) and ``history``, every entry up to ``now`` including those before
    ``since`` (the fatigue and medicine rules look back). It returns a Finding or None.
    """

    name: str
    level: Level
    source: str
    summary: str
    evaluate: RuleFunction


_REGISTERED: list[Rule] = []


def rule(name: str, level: Level, *, source: str, summary: str) -> Callable[[RuleFunction], RuleFunction]:
    """Declare a rule of the triage table next to its function: its name, its level, where it
    comes from and a one-line summary. ``RULES`` is built from these, once, at import."""

    def register(function: RuleFunction) -> RuleFunction:
        if any(known.name == name for known in _REGISTERED):
            raise ValueError(f"rule {name!r} is declared twice")
        _REGISTERED.append(Rule(name, level, source, summary, function))
        return function

    return register


@dataclass(frozen=True)
class CheckResult:
    """What the rules found in a window: the findings, what is missing, and reminders.

    The verdict (``verdict.judge``) is built from this; the screens read the verdict.

    ``reminders`` are plain lines that are not a level (a re-check due or overdue, an entry
    dated in the future). ``calls`` are the calls to the team in the window, oldest first;
    ``last_call`` is the latest call up to now (possibly before the window). ``future`` are
    entries dated after ``now``, counted as if taken at ``now``. ``masked`` are temperatures
    taken within 6 hours after a medicine that brings a temperature down (T16).
    """

    level: Level
    day: int | None
    findings: tuple[Finding, ...]
    missing: tuple[str, ...]
    since: datetime
    until: datetime
    fever_threshold_c: float
    reminders: tuple[str, ...] = ()
    calls: tuple[Entry, ...] = ()
    last_call: Entry | None = None
    future: tuple[Entry, ...] = ()
    masked: tuple[Entry, ...] = ()


# --- small helpers -----------------------------------------------------------------------

W = Sequence[Entry]
P = Plan | None


def _fever_threshold_c(plan: P) -> float:
    """The fever threshold in use. Never above 38.0 °C: higher would hide a seed-defined fever."""
    if plan is None:
        return DEFAULT_FEVER_THRESHOLD_C
    return min(plan.fever_threshold_c, MAX_FEVER_THRESHOLD_C)


def _symptom_of(entry: Entry) -> Symptom | None:
    """The vocabulary symptom of a symptom entry (``signs.vocabulary_symptom``)."""
    return vocabulary_symptom(entry)


def _unique(entries: W) -> list[Entry]:
    """Entries once each (a phrase can name two signs of a combination), oldest first."""
    return sorted({id(e): e for e in entries}.values(), key=lambda e: (e.recorded_at, e.id or 0))


def _symptoms_in(window: W, *groups: str, emergency: bool = True) -> list[Entry]:
    """Entries that count as a symptom of these groups: chosen from the list, or named in the
    person's own words (a sign in words counts exactly as the same sign from the list)."""
    return [e for e in window if any(s.group in groups for s in symptoms_of(e, emergency=emergency))]


def _symptoms_named(window: W, *names: str) -> list[Entry]:
    return [e for e in window if any(s.name in names for s in symptoms_of(e))]


def _emergency_signs_named(window: W, *names: str) -> list[Entry]:
    """Entries that count as one of these emergency symptoms; a sign the person was not sure
    of is left out (it is graded red by the free-text rule, never an emergency on its own)."""
    return [e for e in window if any(s.name in names for s in symptoms_of(e, emergency=False))]


def _day_of(entry: Entry, plan: Plan, now: datetime) -> int:
    """Day since infusion of an entry, by its date in the same local time as ``now``."""
    return plan.day_of(entry.recorded_at.astimezone(now.tzinfo))


def _rule_finding(rule_name: str, entries: W, message: str, action: str) -> Finding:
    """A finding for the named rule; its level and source come from the rule table."""
    rule = _RULE_BY_NAME[rule_name]
    message = message[:1].upper() + message[1:]
    return Finding(rule.level, rule.name, message, action, tuple(entries), rule.source)


def _masked_note(entries: W, history: W) -> str:
    masked = {e.id for e in masked_temperatures(history)}
    hidden = [e for e in entries if e.id in masked]
    if not hidden:
        return ""
    return (
        f" Taken within {MEDICINE_MASK_HOURS} hours of a medicine that brings a temperature down, "
        "so it may be lower than it really is."
    )


# --- RED ---------------------------------------------------------------------------------


@rule(
    "fever",
    Level.RED,
    source=f"{_SEED}: infection risk ({DEFAULT_FEVER_THRESHOLD_C:g} °C or above); UKONS triage and ASTCT "
    "(docs/clinical-basis.md T1, T3)",
    summary="Temperature at or above the fever threshold",
)
def _fever(window: W, plan: P, now: datetime, since: datetime, history: W) -> Finding | None:
    threshold = _fever_threshold_c(plan)
    hot = [r.entry for r in temperatures(window) if r.value >= threshold]
    if not hot:
        return None
    return _rule_finding(
        "fever",
        hot,
        f"Temperature {listed(hot, now)}: at or above your fever threshold of "
        f"{threshold:.1f} °C. After CAR-T therapy a fever can be the first sign of an infection "
        "or of cytokine release syndrome, and both can become serious within hours."
        + _masked_note(hot, history),
        call_team_now(plan),
    )


@rule(
    "very-low-temperature",
    Level.RED,
    source="NEWS2, Royal College of Physicians (docs/clinical-basis.md T12)",
    summary=f"Temperature {VERY_LOW_TEMPERATURE_C:.1f} °C or less",
)
def _very_low_temperature(window: W, plan: P, now: datetime, since: datetime, history: W) -> Finding | None:
    cold = [r.entry for r in temperatures(window) if r.value <= VERY_LOW_TEMPERATURE_C]
    if not cold:
        return None
    return _rule_finding(
        "very-low-temperature",
        cold,
        f"Temperature {listed(cold, now)}: {VERY_LOW_TEMPERATURE_C:.1f} °C or less. A temperature "
        "this low can be a sign of a serious infection.",
        call_team_now(plan) + " Keep warm while you wait.",
    )


@rule("infection-sign", Level.RED, source=f"{_SEED}: infection risk", summary="A sign of infection")
def _infection_sign(window: W, plan: P, now: datetime, since: datetime, history: W) -> Finding | None:
    signs = _symptoms_in(window, "infection")
    if not signs:
        return None
    return _rule_finding(
        "infection-sign",
        signs,
        f"You logged {listed(signs, now)}. Your immune system is still weak after CAR-T "
        "therapy, so this may be an infection, and infections can get serious quickly.",
        call_team_now(plan),
    )


@rule("flu-like", Level.RED, source=f"{_SEED}: cytokine release syndrome", summary="Flu-like symptoms")
def _flu_like(window: W, plan: P, now: datetime, since: datetime, history: W) -> Finding | None:
    signs = _symptoms_in(window, "crs")
    if not signs:
        return None
    return _rule_finding(
        "flu-like",
        signs,
        f"You logged {listed(signs, now)}. Feeling as if you have flu can be a sign of "
        "cytokine release syndrome (CRS) or of an infection.",
        call_team_now(plan),
    )


@rule(
    "low-blood-pressure",
    Level.RED,
    source="NICE NG51 sepsis guidance (docs/clinical-basis.md T6, T11)",
    summary=f"Systolic blood pressure {LOW_SYSTOLIC} or less",
)
def _low_blood_pressure(window: W, plan: P, now: datetime, since: datetime, history: W) -> Finding | None:
    low = [r.entry for r in systolic_readings(window) if r.value <= LOW_SYSTOLIC]
    if not low:
        return None
    return _rule_finding(
        "low-blood-pressure",
        low,
        f"{listed(low, now)}: the top number (systolic) is {LOW_SYSTOLIC} or less. Blood "
        "pressure this low can be a sign of cytokine release syndrome or a serious infection.",
        call_team_now(plan),
    )


@rule(
    "fast-pulse",
    Level.RED,
    source="NICE NG51 sepsis guidance (docs/clinical-basis.md T6)",
    summary=f"Pulse above {FAST_PULSE}",
)
def _fast_pulse(window: W, plan: P, now: datetime, since: datetime, history: W) -> Finding | None:
    fast = [r.entry for r in pulse_readings(window) if r.value > FAST_PULSE]
    if not fast:
        return None
    return _rule_finding(
        "fast-pulse",
        fast,
        f"{listed(fast, now)}: a pulse over {FAST_PULSE} beats a minute can be a sign of a "
        "serious infection or of cytokine release syndrome.",
        call_team_now(plan),
    )


@rule(
    "low-oxygen",
    Level.RED,
    source="NHS pulse oximetry at home (docs/clinical-basis.md T13)",
    summary=f"Oxygen (SpO2) {LOW_SPO2}% or less",
)
def _low_oxygen(window: W, plan: P, now: datetime, since: datetime, history: W) -> Finding | None:
    low = [r.entry for r in spo2_readings(window) if r.value <= LOW_SPO2]
    if not low:
        return None
    return _rule_finding(
        "low-oxygen",
        low,
        f"{listed(low, now)}: an oxygen level of {LOW_SPO2}% or less needs help urgently.",
        call_team_now(plan) + f" If you are struggling to breathe, call {emergency_number(plan)}.",
    )


@rule(
    "fast-breathing",
    Level.RED,
    source="NICE NG51 and NEWS2 (docs/clinical-basis.md T19, T27)",
    summary=f"Breathing {FAST_BREATHING} or more times a minute",
)
def _fast_breathing(window: W, plan: P, now: datetime, since: datetime, history: W) -> Finding | None:
    # T19, T27: 25 or more breaths a minute is a high-risk sign (NG51) and NEWS2's top score.
    fast = [r.entry for r in breathing_rates(window) if r.value >= FAST_BREATHING]
    if not fast:
        return None
    return _rule_finding(
        "fast-breathing",
        fast,
        f"{listed(fast, now)}: breathing {FAST_BREATHING} or more times a minute at rest can be a "
        "sign of a serious infection or of a problem with the lungs.",
        call_team_now(plan) + f" If you are struggling to breathe, call {emergency_number(plan)}.",
    )


@rule(
    "altered-mental-state",
    Level.RED,
    source="NICE NG51 sepsis guidance (docs/clinical-basis.md T19)",
    summary="New confusion, drowsiness, not making sense or seeing things, at any time",
)
def _altered_mental_state(window: W, plan: P, now: datetime, since: datetime, history: W) -> Finding | None:
    # T19: a new altered mental state is high risk at any time, not only in the first 8 weeks.
    signs = _symptoms_in(window, "mental")
    if not signs:
        return None
    return _rule_finding(
        "altered-mental-state",
        signs,
        f"You logged {listed(signs, now)}. New confusion, drowsiness, not making sense or "
        "seeing things can be a sign of a serious infection or of CAR-T therapy affecting the "
        "brain (ICANS), however long ago the infusion was.",
        call_team_now(plan) + " Stay with them, and do not let them drive.",
    )


@rule(
    "speech-problem",
    Level.RED,
    source="seed: problems with speech; NICE NG51 and NHS FAST advice (docs/clinical-basis.md T19, T20)",
    summary="A new speech problem, at any time",
)
def _speech_problem(window: W, plan: P, now: datetime, since: datetime, history: W) -> Finding | None:
    # T19, T20: a new speech problem is red at any time; a sudden one may be a stroke.
    signs = _symptoms_in(window, "speech")
    if not signs:
        return None
    return _rule_finding(
        "speech-problem",
        signs,
        f"You logged {listed(signs, now)}. A new problem with speech needs checking quickly, "
        "however long ago the infusion was.",
        call_team_now(plan) + f" If it came on suddenly, or the face droops or an arm is weak, "
        f"call {emergency_number(plan)}.",
    )


@rule(
    "fluids-not-kept-down",
    Level.RED,
    source="UKONS 24-hour triage: nausea and vomiting (docs/clinical-basis.md T22)",
    summary="Not keeping fluids or medicines down",
)
def _fluids_not_kept_down(window: W, plan: P, now: datetime, since: datetime, history: W) -> Finding | None:
    # T22: not keeping fluids or medicines down is a red problem during cancer treatment.
    signs = _symptoms_in(window, "intake")
    if not signs:
        return None
    return _rule_finding(
        "fluids-not-kept-down",
        signs,
        f"You logged {listed(signs, now)}. Without fluids you can dry out quickly, and "
        "medicines that do not stay down (such as those that prevent infection) do not work.",
        call_team_now(plan),
    )


@rule(
    "neuro-early",
    Level.RED,
    source=f"{_SEED}: neurological problems (up to {_NEURO_WEEKS} weeks)",
    summary=f"Another nervous-system symptom within {_NEURO_WEEKS} weeks of infusion",
)
def _neuro_early(window: W, plan: P, now: datetime, since: datetime, history: W) -> Finding | None:
    neuro = _symptoms_in(window, "neuro")
    if plan is None:
        # Without an infusion date the day is unknown: err towards calling.
        early = neuro
        timing = f"cart does not know your infusion date, so it counts this as within {_NEURO_WEEKS} weeks."
    else:
        early = [e for e in neuro if _day_of(e, plan, now) <= NEURO_WINDOW_DAYS]
        days = [_day_of(e, plan, now) for e in early]
        timing = (
            f"That is {days_text(days)} after your infusion, within {_NEURO_WEEKS} weeks." if early else ""
        )
    if not early:
        return None
    return _rule_finding(
        "neuro-early",
        early,
        f"You logged {listed(early, now)}. {timing} In the first {_NEURO_WEEKS} weeks CAR-T therapy can "
        "affect the brain and nerves (ICANS), and this needs checking quickly.",
        call_team_now(plan) + " Do not drive.",
    )


@rule(
    "allergic-reaction",
    Level.RED,
    source=f"{_SEED}: allergic reactions",
    summary="A sign of an allergic reaction",
)
def _allergic_reaction(window: W, plan: P, now: datetime, since: datetime, history: W) -> Finding | None:
    signs = _symptoms_in(window, "allergy")
    if not signs:
        return None
    return _rule_finding(
        "allergic-reaction",
        signs,
        f"You logged {listed(signs, now)}, which can be signs of an allergic reaction.",
        call_team_now(plan) + " If breathing gets hard or the lips, tongue or throat swell, call "
        f"{emergency_number(plan)}.",
    )


@rule(
    "bleeding-sign",
    Level.RED,
    source="UKONS 24-hour triage (docs/clinical-basis.md section 4)",
    summary="Bleeding or bruising",
)
def _bleeding_sign(window: W, plan: P, now: datetime, since: datetime, history: W) -> Finding | None:
    signs = _symptoms_in(window, "bleeding")
    if not signs:
        return None
    return _rule_finding(
        "bleeding-sign",
        signs,
        f"You logged {listed(signs, now)}. After CAR-T therapy the blood may clot less well "
        "(low platelets), so bleeding or new bruising needs checking.",
        call_team_now(plan) + " Do not take ibuprofen or aspirin unless your team says so.",
    )


@rule(
    "extreme-fatigue",
    Level.RED,
    source=f"{_SEED}: infection risk (extreme tiredness)",
    summary=f"Fatigue {EXTREME_FATIGUE_SCORE} or {FATIGUE_MAX} out of {FATIGUE_MAX}",
)
def _extreme_fatigue(window: W, plan: P, now: datetime, since: datetime, history: W) -> Finding | None:
    extreme = [r.entry for r in scores(window, "fatigue") if r.value >= EXTREME_FATIGUE_SCORE]
    if not extreme:
        return None
    return _rule_finding(
        "extreme-fatigue",
        extreme,
        f"{listed(extreme, now)}: a score of {EXTREME_FATIGUE_SCORE} or 10 means extreme "
        "tiredness, which after CAR-T therapy can be a sign of infection.",
        call_team_now(plan),
    )


@rule(
    "too-much-paracetamol",
    Level.RED,
    source="NHS paracetamol advice; BNF (docs/clinical-basis.md T23)",
    summary="Paracetamol above the day's maximum or sooner than the minimum gap",
)
def _too_much_paracetamol(window: W, plan: P, now: datetime, since: datetime, history: W) -> Finding | None:
    limits = paracetamol_limits(plan)
    breaches = paracetamol_breaches(history, since, now, limits)
    if not breaches:
        return None
    worst = max(breaches, key=lambda b: b.total_mg)
    reasons = []
    if any(b.too_much for b in breaches):
        reasons.append(
            f"{format_mg(worst.total_mg)} of paracetamol in 24 hours, above the day's maximum of "
            f"{format_mg(limits.max_mg)}"
        )
    if any(b.too_many for b in breaches):
        reasons.append(f"more than {limits.max_doses} doses in 24 hours")
    for breach in breaches:
        if breach.too_soon and breach.gap is not None:
            gap_minutes = int(breach.gap.total_seconds() // 60)
            reasons.append(
                f"a dose at {local_time(breach.dose.entry.recorded_at, now)} only "
                f"{gap_minutes // 60} h {gap_minutes % 60:02d} min after the one before (at least "
                f"{limits.min_gap.total_seconds() / 3600:g} hours apart)"
            )
            break
    entries = tuple(dict.fromkeys(d.entry for b in breaches for d in b.doses))
    guessed = any(not d.known for b in breaches for d in b.doses)
    note = f" A dose logged without an amount is counted as {format_mg(UNKNOWN_DOSE_MG)}." if guessed else ""
    return _rule_finding(
        "too-much-paracetamol",
        entries,
        f"Paracetamol, in every product that holds it ({listed(entries, now)}): "
        + "; ".join(reasons)
        + ". Too much paracetamol can harm the liver, often without any sign at first."
        + note,
        "Do not take any more paracetamol, in any product. "
        + call_team_now(plan)
        + " If you cannot reach them, call 111 now, even if you feel well.",
    )


def _free_text_at(window: W, level: Level) -> list[Entry]:
    return [e for e in window if words_at(e, level)]


def _words_named(entries: W, level: Level) -> str:
    words: list[str] = []
    for entry in entries:
        words += [sign.words for sign in words_at(entry, level) if sign.words not in words]
    return ", ".join(f'"{w}"' for w in words)


@rule(
    "free-text-red",
    Level.RED,
    source="words people use (docs/clinical-basis.md section 4)",
    summary="Your own words name a red sign",
)
def _free_text_red(window: W, plan: P, now: datetime, since: datetime, history: W) -> Finding | None:
    texts = _free_text_at(window, Level.RED)
    if not texts:
        return None
    return _rule_finding(
        "free-text-red",
        texts,
        f"You logged {listed(texts, now)}. Its words ({_words_named(texts, Level.RED)}) name a "
        "sign that needs a call now.",
        call_team_now(plan) + " Tell them what you wrote.",
    )


@rule(
    "several-amber-signs",
    Level.RED,
    source="UKONS 24-hour triage: more than one amber (docs/clinical-basis.md T2)",
    summary="Two or more amber signs from different rules",
)
def _several_amber_signs(window: W, plan: P, now: datetime, since: datetime, history: W) -> Finding | None:
    # UKONS (T2): more than one amber sign at once calls for urgent assessment.
    ambers = [
        finding
        for rule in RULES
        if rule.level == Level.AMBER and rule.name not in NOT_A_SIGN
        if (finding := rule.evaluate(window, plan, now, since, history)) is not None
    ]
    if len(ambers) < 2:
        return None
    cited = {id(e): e for finding in ambers for e in finding.entries}
    entries = sorted(cited.values(), key=lambda e: e.recorded_at)
    summaries = [_RULE_BY_NAME[f.rule].summary for f in ambers]
    signs = "; ".join(
        f"{summary[:1].lower()}{summary[1:]} ({listed(f.entries, now)})"
        for summary, f in zip(summaries, ambers, strict=True)
    )
    return _rule_finding(
        "several-amber-signs",
        entries,
        f"{len(ambers)} different warning signs in this period: {signs}. Any one alone means "
        "calling for advice; together they mean calling now.",
        call_team_now(plan),
    )


# Amber rules that keep an entry from reading GREEN but are not a sign of their own, so they do
# not count towards two-ambers-make-red: "no fever" is not a warning sign.
NOT_A_SIGN = frozenset({"denied-sign"})


# --- RED, EMERGENCY ----------------------------------------------------------------------


@rule(
    "emergency-sign",
    Level.EMERGENCY,
    source="NICE NG51 and UKONS triage (docs/clinical-basis.md T6, section 3)",
    summary="A fit, very hard to wake, collapse, choking, breathless at rest, or a swollen tongue or throat",
)
def _emergency_sign(window: W, plan: P, now: datetime, since: datetime, history: W) -> Finding | None:
    signs = [
        e
        for e in _symptoms_in(window, "emergency", emergency=False)
        if any(
            s.group == "emergency" and s.name not in _OWN_RULE_EMERGENCIES
            for s in symptoms_of(e, emergency=False)
        )
    ]
    if not signs:
        return None
    return _rule_finding(
        "emergency-sign",
        signs,
        f"You logged {listed(signs, now)}. This needs help straight away.",
        call_emergency(plan),
    )


@rule(
    "very-slow-breathing",
    Level.EMERGENCY,
    source="NEWS2, Royal College of Physicians (docs/clinical-basis.md T27, section 3)",
    summary=f"Breathing {VERY_SLOW_BREATHING} or fewer times a minute",
)
def _very_slow_breathing(window: W, plan: P, now: datetime, since: datetime, history: W) -> Finding | None:
    # T27 and section 3: 8 or fewer breaths a minute is NEWS2's top score; an emergency.
    slow = [r.entry for r in breathing_rates(window) if r.value <= VERY_SLOW_BREATHING]
    if not slow:
        return None
    return _rule_finding(
        "very-slow-breathing",
        slow,
        f"{listed(slow, now)}: breathing {VERY_SLOW_BREATHING} or fewer times a minute is "
        "dangerously slow. Count again for a full minute only if help is already on its way.",
        call_emergency(plan),
    )


@rule(
    "skin-colour",
    Level.EMERGENCY,
    source="NICE NG51 sepsis guidance (docs/clinical-basis.md T19)",
    summary="Blue or grey lips, tongue or skin, or mottled or ashen skin",
)
def _skin_colour(window: W, plan: P, now: datetime, since: datetime, history: W) -> Finding | None:
    # T19: blue or grey lips, tongue or skin, or mottled or ashen skin, is high risk.
    signs = _emergency_signs_named(window, *_SKIN_COLOUR_SIGNS)
    if not signs:
        return None
    return _rule_finding(
        "skin-colour",
        signs,
        f"You logged {listed(signs, now)}. A blue, grey, mottled or ashen colour can mean the "
        "body is not getting enough oxygen or blood, as in sepsis.",
        call_emergency(plan) + " Say that you have had CAR-T therapy.",
    )


@rule(
    "non-blanching-rash",
    Level.EMERGENCY,
    source="NHS meningitis and sepsis advice, the glass test (docs/clinical-basis.md T21)",
    summary="A rash that does not fade under a glass",
)
def _non_blanching_rash(window: W, plan: P, now: datetime, since: datetime, history: W) -> Finding | None:
    # T21: a rash that does not fade under a glass can be meningitis or sepsis.
    signs = _emergency_signs_named(window, *_NON_BLANCHING_RASH)
    if not signs:
        return None
    return _rule_finding(
        "non-blanching-rash",
        signs,
        f"You logged {listed(signs, now)}. A rash that stays when a glass is pressed on it can "
        "be a sign of sepsis or meningitis.",
        call_emergency(plan) + " Say that you have had CAR-T therapy.",
    )


@rule(
    "stroke-sign",
    Level.EMERGENCY,
    source="NHS stroke advice, FAST (docs/clinical-basis.md T20)",
    summary="A drooping face or sudden weakness of one arm or leg",
)
def _stroke_sign(window: W, plan: P, now: datetime, since: datetime, history: W) -> Finding | None:
    # T20 (FAST): a drooping face or sudden weakness of one arm or leg may be a stroke.
    signs = _emergency_signs_named(window, *_STROKE_SIGNS)
    if not signs:
        return None
    return _rule_finding(
        "stroke-sign",
        signs,
        f"You logged {listed(signs, now)}. A face that droops or an arm or leg that suddenly "
        "goes weak can be a stroke, and treatment works best when it starts early.",
        call_emergency(plan) + " Note the time it started.",
    )


@rule(
    "chest-pain-with-breathlessness",
    Level.EMERGENCY,
    source="UKONS 24-hour triage (docs/clinical-basis.md T6, section 3)",
    summary="Chest pain together with breathlessness",
)
def _chest_pain_with_breathlessness(
    window: W, plan: P, now: datetime, since: datetime, history: W
) -> Finding | None:
    chest = _symptoms_named(window, "chest pain")
    breathless = _symptoms_named(window, "breathlessness", "breathless at rest")
    if not chest or not breathless:
        return None
    both = _unique(chest + breathless)
    return _rule_finding(
        "chest-pain-with-breathlessness",
        both,
        f"You logged {listed(both, now)}. Chest pain together with breathlessness can mean a "
        "serious problem with the heart or lungs.",
        call_emergency(plan),
    )


@rule(
    "allergy-with-breathing",
    Level.EMERGENCY,
    source="Resuscitation Council UK anaphylaxis guidance (docs/clinical-basis.md T15)",
    summary="Trouble breathing with a rash, hives or swelling",
)
def _allergy_with_breathing(window: W, plan: P, now: datetime, since: datetime, history: W) -> Finding | None:
    # T15: wheeze or trouble breathing with a rash, hives or swelling is anaphylaxis until shown otherwise.
    breathing = _symptoms_named(window, "wheezing", "breathlessness", "breathless at rest")
    skin = _symptoms_named(window, "rash", "hives", "itching", "swollen face", "allergic reaction")
    if not breathing or not skin:
        return None
    both = _unique(breathing + skin)
    return _rule_finding(
        "allergy-with-breathing",
        both,
        f"You logged {listed(both, now)}. Trouble breathing together with a rash, hives or "
        "swelling can be a severe allergic reaction (anaphylaxis).",
        call_emergency(plan) + " Use an adrenaline pen if you have been given one.",
    )


@rule(
    "possible-sepsis",
    Level.EMERGENCY,
    source="NICE NG51 sepsis guidance (docs/clinical-basis.md T14, T19)",
    summary="A fever, low temperature or shivering with a high-risk sign",
)
def _possible_sepsis(window: W, plan: P, now: datetime, since: datetime, history: W) -> Finding | None:
    # T14, T19: suspected infection together with any high-risk sign means an emergency
    # response. The nervous-system part is an altered mental state only: a fever with a
    # headache or a tremor is red, not an emergency.
    threshold = _fever_threshold_c(plan)
    infection = [
        r.entry for r in temperatures(window) if (r.value >= threshold or r.value < LOW_TEMPERATURE_C)
    ] + _symptoms_named(window, "feeling feverish", "shivering")
    if not infection:
        return None
    high_risk = (
        [r.entry for r in systolic_readings(window) if r.value <= LOW_SYSTOLIC]
        + [r.entry for r in pulse_readings(window) if r.value > FAST_PULSE]
        + [r.entry for r in spo2_readings(window) if r.value <= LOW_SPO2]
        + [r.entry for r in breathing_rates(window) if r.value >= FAST_BREATHING]
        + _symptoms_in(window, "mental")
        + _symptoms_named(window, "no urine")
    )
    if not high_risk:
        return None
    cited = {id(e): e for e in infection + high_risk}
    entries = sorted(cited.values(), key=lambda e: e.recorded_at)
    return _rule_finding(
        "possible-sepsis",
        entries,
        f"You logged {listed(entries, now)}. A sign of infection (a fever, a low temperature "
        "or shivering) together with this can be sepsis, a serious reaction to infection that "
        "needs treatment at once.",
        call_emergency(plan) + " Say that you have had CAR-T therapy.",
    )


@rule(
    "free-text-emergency",
    Level.EMERGENCY,
    source="words people use (docs/clinical-basis.md section 4)",
    summary="Your own words name an emergency sign",
)
def _free_text_emergency(window: W, plan: P, now: datetime, since: datetime, history: W) -> Finding | None:
    texts = _free_text_at(window, Level.EMERGENCY)
    if not texts:
        return None
    return _rule_finding(
        "free-text-emergency",
        texts,
        f"You logged {listed(texts, now)}. Its words ({_words_named(texts, Level.EMERGENCY)}) name "
        "a sign that needs help straight away.",
        call_emergency(plan),
    )


# --- AMBER -------------------------------------------------------------------------------


def recheck_due(window: W, plan: P, now: datetime) -> tuple[Entry, datetime] | None:
    """The amber temperature awaiting a re-check and when it is due, or None.

    Only the latest temperature counts: a newer reading is the re-check. A reading at or above
    the threshold is red (call, not re-check), and a normal one needs no re-check.
    """
    temps = temperatures(window)
    if not temps:
        return None
    latest = max(temps, key=lambda r: r.entry.recorded_at)
    celsius = latest.value
    amber = RAISED_TEMPERATURE_C <= celsius < _fever_threshold_c(plan) or (
        VERY_LOW_TEMPERATURE_C < celsius < LOW_TEMPERATURE_C
    )
    return (latest.entry, latest.entry.recorded_at + RECHECK_AFTER) if amber else None


NEAR_THRESHOLD_C = 1.0  # an armpit or forehead reading this close below the fever line may hide one
SITES_THAT_READ_LOW = {"armpit": "under the arm", "forehead": "on the forehead"}


def site_may_read_low(window: W, plan: P, now: datetime) -> str | None:
    """A reminder when the latest temperature was taken under the arm or on the forehead and
    is within NEAR_THRESHOLD_C below the fever threshold: such readings can be lower than the
    temperature inside the body. The reading is graded as read; this never changes a level."""
    temps = temperatures(window)
    if not temps:
        return None
    latest = max(temps, key=lambda r: r.entry.recorded_at)
    where = SITES_THAT_READ_LOW.get(latest.entry.site or "")
    threshold = _fever_threshold_c(plan)
    if where is None or not threshold - NEAR_THRESHOLD_C <= latest.value < threshold:
        return None
    return (
        f"Your temperature of {format_celsius(latest.value)} at {local_time(latest.entry.recorded_at, now)} "
        f"was taken {where}, which can read "
        "lower than the temperature inside the body: take another by mouth or in the ear now."
    )


def bloods_beside_fever(history: W, window: W, plan: P, now: datetime) -> str | None:
    """With a temperature at or above the fever threshold in the window, the latest blood
    results (of any date), so the team hears them: a low neutrophil count makes a fever more
    urgent. Never a level of its own."""
    from cart_cli.bloods import describe_results, latest_bloods

    threshold = _fever_threshold_c(plan)
    if not any(r.value >= threshold for r in temperatures(window)):
        return None
    latest = latest_bloods(history, now)
    if latest is None:
        return None
    return (
        f"Latest blood results, {describe_results(latest)} on {local_time(latest.recorded_at, now)}: "
        "tell the team when you call."
    )


def _recheck_action(window: W, plan: P, now: datetime, entries: W) -> str:
    due = recheck_due(window, plan, now)
    if due is None or due[0] not in entries:
        return "Keep taking your temperature as your team advised."
    if now < due[1]:
        return f"Take your temperature again by {local_time(due[1], now)} (within the hour)."
    return f"The re-check was due at {local_time(due[1], now)}: take your temperature now."


@rule(
    "raised-temperature",
    Level.AMBER,
    source="UKONS triage and hospital advice (docs/clinical-basis.md T1)",
    summary=f"Temperature {RAISED_TEMPERATURE_C:.1f} °C or more but below the fever threshold",
)
def _raised_temperature(window: W, plan: P, now: datetime, since: datetime, history: W) -> Finding | None:
    threshold = _fever_threshold_c(plan)
    raised = [r.entry for r in temperatures(window) if RAISED_TEMPERATURE_C <= r.value < threshold]
    if not raised:
        return None
    return _rule_finding(
        "raised-temperature",
        raised,
        f"Temperature {listed(raised, now)}: raised ({RAISED_TEMPERATURE_C:.1f} °C or more) "
        f"but below your fever threshold of {threshold:.1f} °C. Many hospitals want a call "
        "from this level after CAR-T therapy." + _masked_note(raised, history),
        f"{call_for_advice(plan)} {_recheck_action(window, plan, now, raised)} Call now if it "
        f"reaches {threshold:.1f} °C or you feel worse.",
    )


@rule(
    "low-temperature",
    Level.AMBER,
    source="UKONS triage and NICE NG51 (docs/clinical-basis.md T1, T6)",
    summary=f"Temperature below {LOW_TEMPERATURE_C:.1f} °C",
)
def _low_temperature(window: W, plan: P, now: datetime, since: datetime, history: W) -> Finding | None:
    low = [r.entry for r in temperatures(window) if VERY_LOW_TEMPERATURE_C < r.value < LOW_TEMPERATURE_C]
    if not low:
        return None
    return _rule_finding(
        "low-temperature",
        low,
        f"Temperature {listed(low, now)}: below {LOW_TEMPERATURE_C:.1f} °C. A low "
        "temperature can also be a sign of infection, especially if you feel unwell.",
        f"{call_for_advice(plan)} {_recheck_action(window, plan, now, low)} Call now if you "
        "feel unwell or shivery.",
    )


@rule(
    "borderline-blood-pressure",
    Level.AMBER,
    source="NICE NG51 sepsis guidance (docs/clinical-basis.md T11)",
    summary=f"Systolic blood pressure {LOW_SYSTOLIC + 1} to {BORDERLINE_SYSTOLIC}",
)
def _borderline_blood_pressure(
    window: W, plan: P, now: datetime, since: datetime, history: W
) -> Finding | None:
    borderline = [r.entry for r in systolic_readings(window) if LOW_SYSTOLIC < r.value <= BORDERLINE_SYSTOLIC]
    if not borderline:
        return None
    return _rule_finding(
        "borderline-blood-pressure",
        borderline,
        f"{listed(borderline, now)}: a top number (systolic) of {LOW_SYSTOLIC + 1} to "
        f"{BORDERLINE_SYSTOLIC} is on the low side and worth a check.",
        f"{call_for_advice(plan)} Measure it again within the hour, and call now if it drops "
        f"to {LOW_SYSTOLIC} or you feel faint or unwell.",
    )


@rule(
    "raised-pulse",
    Level.AMBER,
    source="NICE NG51 sepsis guidance (docs/clinical-basis.md T6, T19)",
    summary=f"Pulse {RAISED_PULSE + 1} to {FAST_PULSE}",
)
def _raised_pulse(window: W, plan: P, now: datetime, since: datetime, history: W) -> Finding | None:
    raised = [r.entry for r in pulse_readings(window) if RAISED_PULSE < r.value <= FAST_PULSE]
    if not raised:
        return None
    return _rule_finding(
        "raised-pulse",
        raised,
        f"{listed(raised, now)}: a pulse of {RAISED_PULSE + 1} to {FAST_PULSE} is faster than "
        "it should be at rest, and can be an early sign of infection.",
        f"{call_for_advice(plan)} Sit quietly for a few minutes and measure again, and call "
        f"now if it goes over {FAST_PULSE} or you feel unwell.",
    )


@rule(
    "borderline-oxygen",
    Level.AMBER,
    source="NHS pulse oximetry at home (docs/clinical-basis.md T13)",
    summary=f"Oxygen (SpO2) {LOW_SPO2 + 1} or {BORDERLINE_SPO2}%",
)
def _borderline_oxygen(window: W, plan: P, now: datetime, since: datetime, history: W) -> Finding | None:
    lowish = [r.entry for r in spo2_readings(window) if LOW_SPO2 < r.value <= BORDERLINE_SPO2]
    if not lowish:
        return None
    return _rule_finding(
        "borderline-oxygen",
        lowish,
        f"{listed(lowish, now)}: an oxygen level of {LOW_SPO2 + 1} or {BORDERLINE_SPO2}% is lower "
        f"than expected ({BORDERLINE_SPO2 + 1}% or more) and needs a call for advice, day or night.",
        f"{call_for_advice(plan)} Measure it again after resting, with warm hands, and call "
        f"now if it is {LOW_SPO2}% or less or you are more breathless.",
    )


@rule(
    "raised-breathing-rate",
    Level.AMBER,
    source="NICE NG51 and NEWS2 (docs/clinical-basis.md T19, T27)",
    summary=f"Breathing {RAISED_BREATHING} to {FAST_BREATHING - 1} times a minute",
)
def _raised_breathing(window: W, plan: P, now: datetime, since: datetime, history: W) -> Finding | None:
    # T19, T27: 21-24 breaths a minute is moderate-to-high risk (NG51), NEWS2 scores it 2.
    raised = [r.entry for r in breathing_rates(window) if RAISED_BREATHING <= r.value < FAST_BREATHING]
    if not raised:
        return None
    return _rule_finding(
        "raised-breathing-rate",
        raised,
        f"{listed(raised, now)}: {RAISED_BREATHING} to {FAST_BREATHING - 1} breaths a minute at rest "
        "is faster than it should be, and can be an early sign of infection.",
        f"{call_for_advice(plan)} Rest for a few minutes and count again, and call now if it "
        f"reaches {FAST_BREATHING} or you are more breathless.",
    )


@rule(
    "slow-breathing-rate",
    Level.AMBER,
    source="NEWS2, Royal College of Physicians (docs/clinical-basis.md T27)",
    summary=f"Breathing {VERY_SLOW_BREATHING + 1} to {SLOW_BREATHING} times a minute",
)
def _slow_breathing(window: W, plan: P, now: datetime, since: datetime, history: W) -> Finding | None:
    # T27: NEWS2 scores 9-11 breaths a minute 1 (8 or fewer is the emergency rule).
    slow = [r.entry for r in breathing_rates(window) if VERY_SLOW_BREATHING < r.value <= SLOW_BREATHING]
    if not slow:
        return None
    return _rule_finding(
        "slow-breathing-rate",
        slow,
        f"{listed(slow, now)}: {VERY_SLOW_BREATHING + 1} to {SLOW_BREATHING} breaths a minute is "
        "slower than expected; it can come with strong drowsiness or some painkillers.",
        f"{call_for_advice(plan)} Count again for a full minute, and call "
        f"{emergency_number(plan)} if it is {VERY_SLOW_BREATHING} or fewer or they are hard to wake.",
    )


@rule(
    "neuro-late",
    Level.AMBER,
    source=f"{_SEED}: neurological problems; Blood Adv 2024 (docs/clinical-basis.md T5)",
    summary=f"Another nervous-system symptom more than {_NEURO_WEEKS} weeks after infusion",
)
def _neuro_late(window: W, plan: P, now: datetime, since: datetime, history: W) -> Finding | None:
    if plan is None:
        return None  # without an infusion date every neuro symptom is graded red instead
    late = [e for e in _symptoms_in(window, "neuro") if _day_of(e, plan, now) > NEURO_WINDOW_DAYS]
    if not late:
        return None
    days = days_text([_day_of(e, plan, now) for e in late])
    return _rule_finding(
        "neuro-late",
        late,
        f"You logged {listed(late, now)} on {days} after your infusion. Brain and nerve side "
        "effects this late are rare but possible, so your team should know.",
        f"{call_for_advice(plan)} Call now if it gets worse or something new starts.",
    )


@rule(
    "rising-fatigue",
    Level.AMBER,
    source=f"{_SEED}: infection risk (extreme tiredness)",
    summary=f"Fatigue {RAISED_FATIGUE_SCORE} or {EXTREME_FATIGUE_SCORE - 1} that is new or worse than the "
    f"past {_FATIGUE_DAYS} days",
)
def _rising_fatigue(window: W, plan: P, now: datetime, since: datetime, history: W) -> Finding | None:
    # "New or worse": no score in the 72 hours before it, or every score then was lower.
    rising: list[Entry] = []
    described: list[str] = []
    all_scores = scores(history, "fatigue")
    for reading in scores(window, "fatigue"):
        entry, score = reading.entry, reading.value
        if not RAISED_FATIGUE_SCORE <= score < EXTREME_FATIGUE_SCORE:
            continue
        start = entry.recorded_at - FATIGUE_LOOKBACK
        before = [r.value for r in all_scores if start <= r.entry.recorded_at < entry.recorded_at]
        if before and max(before) >= score:
            continue
        why = (
            f"no score in the {_FATIGUE_DAYS} days before"
            if not before
            else f"up from at most {max(before)}/10 in the {_FATIGUE_DAYS} days before"
        )
        rising.append(entry)
        described.append(f"{listed([entry], now)} ({why})")
    if not rising:
        return None
    return _rule_finding(
        "rising-fatigue",
        rising,
        f"{'; '.join(described)}. Tiredness this strong that is new or getting worse can be an "
        "early sign of infection.",
        f"{call_for_advice(plan)} Call now if it reaches {EXTREME_FATIGUE_SCORE} or {FATIGUE_MAX} "
        "or any sign of infection appears.",
    )


@rule(
    "fever-medicine",
    Level.AMBER,
    source="UKONS and NHS chemotherapy / CAR-T leaflets (docs/clinical-basis.md T16)",
    summary="A medicine that can hide a fever",
)
def _fever_medicine(window: W, plan: P, now: datetime, since: datetime, history: W) -> Finding | None:
    doses = fever_medicine_doses(window)
    if not doses:
        return None
    return _rule_finding(
        "fever-medicine",
        doses,
        f"You logged {listed(doses, now)}. It brings a temperature down, so it can hide a fever "
        f"for several hours; temperatures taken in the {MEDICINE_MASK_HOURS} hours after it may be "
        "lower than they really are.",
        f"{call_for_advice(plan)} Do not take it to bring a temperature down before speaking to your team.",
    )


@rule(
    "minor-symptom",
    Level.AMBER,
    source="words people use (docs/clinical-basis.md section 4)",
    summary="An everyday symptom to tell your team about",
)
def _minor_symptom(window: W, plan: P, now: datetime, since: datetime, history: W) -> Finding | None:
    signs = _symptoms_in(window, "minor")
    if not signs:
        return None
    return _rule_finding(
        "minor-symptom",
        signs,
        f"You logged {listed(signs, now)}. On its own this is not an emergency, but after "
        "CAR-T therapy your team wants to know.",
        f"{call_for_advice(plan)} Call now if you feel worse or a fever starts.",
    )


@rule(
    "unrecognised-symptom",
    Level.AMBER,
    source="docs/clinical-basis.md section 3",
    summary="A symptom cart does not recognise",
)
def _unrecognised_symptom(window: W, plan: P, now: datetime, since: datetime, history: W) -> Finding | None:
    # Own words that name no sign cart counts, with words it could not read (or no words).
    unknown = [
        e
        for e in window
        if reading_of(e) is not None and not signs_of(e) and (unread_of(e) or not denied_of(e))
    ]
    if not unknown:
        return None
    return _rule_finding(
        "unrecognised-symptom",
        unknown,
        f"You logged {listed(unknown, now)}. cart cannot grade this, but it could still matter."
        + _denied_note(unknown),
        f"{call_for_advice(plan)} Describe it to them, and call now if you feel very unwell.",
    )


def _denied_note(entries: W) -> str:
    words = list(dict.fromkeys(m.words for e in entries for m in denied_of(e)))
    if not words:
        return ""
    return " Read as not present: " + ", ".join(f'"{w}"' for w in words) + "."


@rule(
    "denied-sign",
    Level.AMBER,
    source="words that deny a sign (docs/clinical-basis.md section 3; T25)",
    summary="Your own words deny a sign",
)
def _denied_sign(window: W, plan: P, now: datetime, since: datetime, history: W) -> Finding | None:
    # Section 3: words that deny a sign ("no fever") are not that sign, but not GREEN either.
    denying = [e for e in window if denied_of(e) and not signs_of(e) and not unread_of(e)]
    if not denying:
        return None
    return _rule_finding(
        "denied-sign",
        denying,
        f"You logged {listed(denying, now)}.{_denied_note(denying)} cart does not count a sign "
        "your words say is not there, but it cannot say all is well from words alone.",
        f"{call_for_advice(plan)} Call now if anything changes or you feel unwell.",
    )


# --- nervous-system check: ICE score and handwriting (the logic is in neuro.py) ----------


def _neuro_finding(
    rule_name: str, flags: Sequence[neuro.NeuroFlag], why: str, plan: Plan | None, *, red: bool
) -> Finding | None:
    if not flags:
        return None
    action = (
        call_team_now(plan) + " Stay with them, and do not let them drive."
        if red
        else "Contact your team today, and call straight away if it gets worse or something new starts."
    )
    message = " ".join(flag.text for flag in flags) + " " + why
    return _rule_finding(rule_name, [flag.entry for flag in flags], message, action)


@rule(
    "ice-score",
    Level.RED,
    source="ASTCT ICE score (docs/clinical-basis.md T4, T18; section 3)",
    summary=f"ICE score below {ICE_MAX} or below their best within {_NEURO_WEEKS} weeks, "
    f"or {ICE_RED_AT_ANY_TIME} or less at any time",
)
def _ice_score(
    window: Sequence[Entry], plan: Plan | None, now: datetime, since: datetime, history: Sequence[Entry]
) -> Finding | None:
    flags = [f for f in neuro.ice_flags(window, history, plan, now) if f.level == Level.RED]
    why = "A lower score can be an early sign that CAR-T therapy is affecting the brain and nerves (ICANS)."
    return _neuro_finding("ice-score", flags, why, plan, red=True)


@rule(
    "handwriting-change",
    Level.RED,
    source="seed: problems with writing; centre handwriting sample (docs/clinical-basis.md T10)",
    summary=f"Handwriting changed within {_NEURO_WEEKS} weeks of infusion",
)
def _handwriting_change(
    window: Sequence[Entry], plan: Plan | None, now: datetime, since: datetime, history: Sequence[Entry]
) -> Finding | None:
    flags = [f for f in neuro.handwriting_flags(window, plan, now) if f.level == Level.RED]
    why = f"In the first {_NEURO_WEEKS} weeks a change in handwriting can be an early sign of ICANS."
    return _neuro_finding("handwriting-change", flags, why, plan, red=True)


@rule(
    "ice-score-late",
    Level.AMBER,
    source="ASTCT ICE score (docs/clinical-basis.md T4, T5; section 3)",
    summary=f"ICE score {ICE_RED_AT_ANY_TIME + 1} to {ICE_MAX - 1} more than {_NEURO_WEEKS} weeks "
    "after infusion",
)
def _ice_score_late(
    window: Sequence[Entry], plan: Plan | None, now: datetime, since: datetime, history: Sequence[Entry]
) -> Finding | None:
    flags = [f for f in neuro.ice_flags(window, history, plan, now) if f.level == Level.AMBER]
    why = "Brain and nerve side effects this late are rare but possible, so your team should know."
    return _neuro_finding("ice-score-late", flags, why, plan, red=False)


@rule(
    "handwriting-change-late",
    Level.AMBER,
    source="centre handwriting sample (docs/clinical-basis.md T10, T5)",
    summary=f"Handwriting changed more than {_NEURO_WEEKS} weeks after infusion",
)
def _handwriting_change_late(
    window: Sequence[Entry], plan: Plan | None, now: datetime, since: datetime, history: Sequence[Entry]
) -> Finding | None:
    flags = [f for f in neuro.handwriting_flags(window, plan, now) if f.level == Level.AMBER]
    why = "Brain and nerve side effects this late are rare but possible, so your team should know."
    return _neuro_finding("handwriting-change-late", flags, why, plan, red=False)


# --- the table: every rule registered above, in the order of the clinical table ------------

# Red, then red with an emergency, then amber (docs/clinical-basis.md section 3); within a
# level, the order the rules are declared in this file.
_TABLE_ORDER = {Level.RED: 0, Level.EMERGENCY: 1, Level.AMBER: 2}
RULES: tuple[Rule, ...] = tuple(sorted(_REGISTERED, key=lambda rule: _TABLE_ORDER[rule.level]))

_RULE_BY_NAME = {rule.name: rule for rule in RULES}


def rule_named(name: str) -> Rule:
    """The rule with this name (KeyError if there is none)."""
    return _RULE_BY_NAME[name]


def symptom_level(entry: Entry, plan: P, now: datetime) -> str:
    """The level a single symptom entry has on its own (for saying how cart read it)."""
    found = [
        finding
        for rule in RULES
        if rule.name != "several-amber-signs"
        if (finding := rule.evaluate([entry], plan, now, now, [entry])) is not None
    ]
    if not found:
        return Level.GREEN
    return max((f.level for f in found), key=lambda level: level.rank)


# --- the check ---------------------------------------------------------------------------


def evaluate(
    entries: Sequence[Entry],
    plan: Plan | None,
    now: datetime,
    since: datetime,
    *,
    nothing_logged: bool = False,
) -> CheckResult:
    """Grade the entries logged from ``since`` to ``now`` (both included).

    ``nothing_logged``: the database holds no entry at all, which the missing line says so.

    ``entries`` may hold older entries (the fatigue and medicine rules look back before the
    window). Entries dated after ``now`` are counted as taken at ``now`` and listed in
    ``future``: a fast clock or an import must never make a reading disappear.
    """
    future = tuple(sorted((e for e in entries if e.recorded_at > now), key=lambda e: e.recorded_at))
    history = sorted(counted_as_now(entries, now), key=lambda e: (e.recorded_at, e.id or 0))
    window = [e for e in history if e.recorded_at >= since]

    calls = [e for e in history if e.kind == "call"]
    last_call = calls[-1] if calls else None
    found = []
    for rule in RULES:
        finding = rule.evaluate(window, plan, now, since, history)
        if finding is not None:
            found.append(finding)
    # Most urgent first; rules of the same level keep the table's order.
    findings = tuple(sorted(found, key=lambda f: -f.level.rank))

    missing: list[str] = []
    if plan is None:
        missing.append(
            "No plan is set up, so cart does not know your infusion day and used a fever "
            f"threshold of {DEFAULT_FEVER_THRESHOLD_C:.1f} °C. Run "
            "`cart setup --infusion-date YYYY-MM-DD` to add it."
        )
    temps = temperatures(window)
    gap_hours = plan.reading_gap_hours if plan is not None else None
    if not temps and nothing_logged:
        missing.append("Nothing has been logged yet: take your temperature now and log it.")
    elif not temps:
        missing.append(
            f"No temperature has been logged since {local_time(since, now)}: "
            "take your temperature now and log it."
        )
    else:
        latest = max(temps, key=lambda r: r.entry.recorded_at).entry
        gap = gap_hours if gap_hours is not None else DEFAULT_READING_GAP_HOURS
        if now - latest.recorded_at > timedelta(hours=gap):
            missing.append(
                f"Your latest temperature ({listed([latest], now)}) is more than {gap:g} hours old: "
                "take your temperature now and log it."
            )

    reminders: list[str] = []
    due = recheck_due(window, plan, now)
    if due is not None:
        reading, when = due
        if now < when:
            reminders.append(
                f"Re-check due: take your temperature again by {local_time(when, now)} "
                f"(an hour after {listed([reading], now)})."
            )
        else:
            reminders.append(
                f"Re-check overdue: your temperature was due again at {local_time(when, now)} "
                f"(an hour after {listed([reading], now)}). Take it now."
            )
    bloods = bloods_beside_fever(history, window, plan, now)  # a reminder, never a level
    if bloods is not None:
        reminders.append(bloods)
    low_site = site_may_read_low(window, plan, now)  # a reminder, never a level
    if low_site is not None:
        reminders.append(low_site)
    neuro_due = neuro.neuro_check_due(history, plan, now)  # a reminder, never a level
    if neuro_due is not None:
        reminders.append(neuro_due)
    for entry in window:  # own words cart could not read all of, and nobody was asked about
        asked = questions_text(entry, emergency_number(plan))
        if asked is not None:
            reminders.append(asked)
    for entry in future:
        reminders.append(
            f"Entry #{entry.id} ({entry.describe()}) is dated {local_time(entry.recorded_at, now)}, "
            "later than now, so it is counted as now. Check the clock of the device it came from."
        )

    level = findings[0].level if findings else (Level.UNKNOWN if missing else Level.GREEN)

    return CheckResult(
        level=level,
        day=plan.day_of(now) if plan is not None else None,
        findings=findings,
        missing=tuple(missing),
        since=since,
        until=now,
        fever_threshold_c=_fever_threshold_c(plan),
        reminders=tuple(reminders),
        calls=tuple(e for e in window if e.kind == "call"),
        last_call=last_call,
        future=future,
        masked=tuple(masked_temperatures(history)),
    )
