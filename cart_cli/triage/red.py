"""The RED rules of the triage table (docs/clinical-basis.md section 3): call the team now."""

from __future__ import annotations

from datetime import datetime

from ..advice import (
    call_team_now,
    days_text,
    emergency_number,
    listed,
)
from ..levels import Level
from ..models import (
    DEFAULT_FEVER_THRESHOLD_C,
    Entry,
    breathing_rates,
    pulse_readings,
    scores,
    spo2_readings,
    systolic_readings,
    temperatures,
)
from ..signs import (
    words_at,
)
from ..thresholds import (
    EXTREME_FATIGUE_SCORE,
    FAST_BREATHING,
    FAST_PULSE,
    FATIGUE_MAX,
    LOW_SPO2,
    LOW_SYSTOLIC,
    NEURO_WINDOW_DAYS,
    VERY_LOW_TEMPERATURE_C,
)
from ..timefmt import local_time
from .registry import (
    NEURO_WEEKS,
    REGISTERED,
    RULE_BY_NAME,
    SEED,
    Finding,
    P,
    W,
    day_of,
    fever_threshold_c,
    has_medicine,
    masked_note,
    rule,
    rule_finding,
    symptoms_in,
)

# --- RED ---------------------------------------------------------------------------------


@rule(
    "fever",
    Level.RED,
    source=f"{SEED}: infection risk ({DEFAULT_FEVER_THRESHOLD_C:g} °C or above); UKONS triage and ASTCT "
    "(docs/clinical-basis.md T1, T3)",
    summary="Temperature at or above the fever threshold",
)
def _fever(window: W, plan: P, now: datetime, since: datetime, history: W) -> Finding | None:
    threshold = fever_threshold_c(plan)
    hot = [r.entry for r in temperatures(window) if r.value >= threshold]
    if not hot:
        return None
    return rule_finding(
        "fever",
        hot,
        f"Temperature {listed(hot, now)}: at or above your fever threshold of "
        f"{threshold:.1f} °C. After CAR-T therapy a fever can be the first sign of an infection "
        "or of cytokine release syndrome, and both can become serious within hours."
        + masked_note(hot, history),
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
    return rule_finding(
        "very-low-temperature",
        cold,
        f"Temperature {listed(cold, now)}: {VERY_LOW_TEMPERATURE_C:.1f} °C or less. A temperature "
        "this low can be a sign of a serious infection.",
        call_team_now(plan) + " Keep warm while you wait.",
    )


@rule("infection-sign", Level.RED, source=f"{SEED}: infection risk", summary="A sign of infection")
def _infection_sign(window: W, plan: P, now: datetime, since: datetime, history: W) -> Finding | None:
    signs = symptoms_in(window, "infection")
    if not signs:
        return None
    return rule_finding(
        "infection-sign",
        signs,
        f"You logged {listed(signs, now)}. Your immune system is still weak after CAR-T "
        "therapy, so this may be an infection, and infections can get serious quickly.",
        call_team_now(plan),
    )


@rule("flu-like", Level.RED, source=f"{SEED}: cytokine release syndrome", summary="Flu-like symptoms")
def _flu_like(window: W, plan: P, now: datetime, since: datetime, history: W) -> Finding | None:
    signs = symptoms_in(window, "crs")
    if not signs:
        return None
    return rule_finding(
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
    return rule_finding(
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
    return rule_finding(
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
    return rule_finding(
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
    return rule_finding(
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
    signs = symptoms_in(window, "mental")
    if not signs:
        return None
    return rule_finding(
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
    signs = symptoms_in(window, "speech")
    if not signs:
        return None
    return rule_finding(
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
    signs = symptoms_in(window, "intake")
    if not signs:
        return None
    return rule_finding(
        "fluids-not-kept-down",
        signs,
        f"You logged {listed(signs, now)}. Without fluids you can dry out quickly, and "
        "medicines that do not stay down (such as those that prevent infection) do not work.",
        call_team_now(plan),
    )


@rule(
    "neuro-early",
    Level.RED,
    source=f"{SEED}: neurological problems (up to {NEURO_WEEKS} weeks)",
    summary=f"Another nervous-system symptom within {NEURO_WEEKS} weeks of infusion",
)
def _neuro_early(window: W, plan: P, now: datetime, since: datetime, history: W) -> Finding | None:
    neuro = symptoms_in(window, "neuro")
    if plan is None:
        # Without an infusion date the day is unknown: err towards calling.
        early = neuro
        timing = f"cart does not know your infusion date, so it counts this as within {NEURO_WEEKS} weeks."
    else:
        early = [e for e in neuro if day_of(e, plan, now) <= NEURO_WINDOW_DAYS]
        days = [day_of(e, plan, now) for e in early]
        timing = (
            f"That is {days_text(days)} after your infusion, within {NEURO_WEEKS} weeks." if early else ""
        )
    if not early:
        return None
    return rule_finding(
        "neuro-early",
        early,
        f"You logged {listed(early, now)}. {timing} In the first {NEURO_WEEKS} weeks CAR-T therapy can "
        "affect the brain and nerves (ICANS), and this needs checking quickly.",
        call_team_now(plan) + " Do not drive.",
    )


@rule(
    "allergic-reaction",
    Level.RED,
    source=f"{SEED}: allergic reactions",
    summary="A sign of an allergic reaction",
)
def _allergic_reaction(window: W, plan: P, now: datetime, since: datetime, history: W) -> Finding | None:
    signs = symptoms_in(window, "allergy")
    if not signs:
        return None
    return rule_finding(
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
    signs = symptoms_in(window, "bleeding")
    if not signs:
        return None
    return rule_finding(
        "bleeding-sign",
        signs,
        f"You logged {listed(signs, now)}. After CAR-T therapy the blood may clot less well "
        "(low platelets), so bleeding or new bruising needs checking.",
        call_team_now(plan) + " Do not take ibuprofen or aspirin unless your team says so.",
    )


@rule(
    "extreme-fatigue",
    Level.RED,
    source=f"{SEED}: infection risk (extreme tiredness)",
    summary=f"Fatigue {EXTREME_FATIGUE_SCORE} or {FATIGUE_MAX} out of {FATIGUE_MAX}",
)
def _extreme_fatigue(window: W, plan: P, now: datetime, since: datetime, history: W) -> Finding | None:
    extreme = [r.entry for r in scores(window, "fatigue") if r.value >= EXTREME_FATIGUE_SCORE]
    if not extreme:
        return None
    return rule_finding(
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
    if not has_medicine(history):  # no dose of anything: no dose of paracetamol
        return None
    from ..medicines import UNKNOWN_DOSE_MG, format_mg, paracetamol_breaches, paracetamol_limits

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
    return rule_finding(
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


def free_text_at(window: W, level: Level) -> list[Entry]:
    return [e for e in window if words_at(e, level)]


def words_named(entries: W, level: Level) -> str:
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
    texts = free_text_at(window, Level.RED)
    if not texts:
        return None
    return rule_finding(
        "free-text-red",
        texts,
        f"You logged {listed(texts, now)}. Its words ({words_named(texts, Level.RED)}) name a "
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
        for rule in REGISTERED  # in table order within a level
        if rule.level == Level.AMBER and rule.name not in NOT_A_SIGN
        if (finding := rule.evaluate(window, plan, now, since, history)) is not None
    ]
    if len(ambers) < 2:
        return None
    cited = {id(e): e for finding in ambers for e in finding.entries}
    entries = sorted(cited.values(), key=lambda e: e.recorded_at)
    summaries = [RULE_BY_NAME[f.rule].summary for f in ambers]
    signs = "; ".join(
        f"{summary[:1].lower()}{summary[1:]} ({listed(f.entries, now)})"
        for summary, f in zip(summaries, ambers, strict=True)
    )
    return rule_finding(
        "several-amber-signs",
        entries,
        f"{len(ambers)} different warning signs in this period: {signs}. Any one alone means "
        "calling for advice; together they mean calling now.",
        call_team_now(plan),
    )


# Amber rules that keep an entry from reading GREEN but are not a sign of their own, so they do
# not count towards two-ambers-make-red: "no fever" is not a warning sign.
NOT_A_SIGN = frozenset({"denied-sign"})
