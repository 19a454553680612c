"""The AMBER rules of the triage table (docs/clinical-basis.md section 3), and the re-check,
measuring-site and bloods reminders that go with a raised temperature."""

from __future__ import annotations

from datetime import datetime

from ..advice import (
    call_for_advice,
    days_text,
    emergency_number,
    listed,
)
from ..levels import Level
from ..models import (
    Entry,
    breathing_rates,
    format_celsius,
    pulse_readings,
    scores,
    spo2_readings,
    systolic_readings,
    temperatures,
)
from ..signs import (
    denied_of,
    reading_of,
    signs_of,
    unread_of,
)
from ..thresholds import (
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
    NEURO_WINDOW_DAYS,
    RAISED_BREATHING,
    RAISED_FATIGUE_SCORE,
    RAISED_PULSE,
    RAISED_TEMPERATURE_C,
    SLOW_BREATHING,
    VERY_LOW_TEMPERATURE_C,
    VERY_SLOW_BREATHING,
)
from ..timefmt import local_time
from .registry import (
    FATIGUE_DAYS,
    FATIGUE_LOOKBACK,
    NEURO_WEEKS,
    RECHECK_AFTER,
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
    amber = RAISED_TEMPERATURE_C <= celsius < fever_threshold_c(plan) or (
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
    threshold = fever_threshold_c(plan)
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
    threshold = fever_threshold_c(plan)
    if not any(r.value >= threshold for r in temperatures(window)):
        return None
    from cart_cli.bloods import describe_results, latest_bloods  # only beside a fever

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
    threshold = fever_threshold_c(plan)
    raised = [r.entry for r in temperatures(window) if RAISED_TEMPERATURE_C <= r.value < threshold]
    if not raised:
        return None
    return rule_finding(
        "raised-temperature",
        raised,
        f"Temperature {listed(raised, now)}: raised ({RAISED_TEMPERATURE_C:.1f} °C or more) "
        f"but below your fever threshold of {threshold:.1f} °C. Many hospitals want a call "
        "from this level after CAR-T therapy." + masked_note(raised, history),
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
    return rule_finding(
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
    return rule_finding(
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
    return rule_finding(
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
    return rule_finding(
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
    return rule_finding(
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
    return rule_finding(
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
    source=f"{SEED}: neurological problems; Blood Adv 2024 (docs/clinical-basis.md T5)",
    summary=f"Another nervous-system symptom more than {NEURO_WEEKS} weeks after infusion",
)
def _neuro_late(window: W, plan: P, now: datetime, since: datetime, history: W) -> Finding | None:
    if plan is None:
        return None  # without an infusion date every neuro symptom is graded red instead
    late = [e for e in symptoms_in(window, "neuro") if day_of(e, plan, now) > NEURO_WINDOW_DAYS]
    if not late:
        return None
    days = days_text([day_of(e, plan, now) for e in late])
    return rule_finding(
        "neuro-late",
        late,
        f"You logged {listed(late, now)} on {days} after your infusion. Brain and nerve side "
        "effects this late are rare but possible, so your team should know.",
        f"{call_for_advice(plan)} Call now if it gets worse or something new starts.",
    )


@rule(
    "rising-fatigue",
    Level.AMBER,
    source=f"{SEED}: infection risk (extreme tiredness)",
    summary=f"Fatigue {RAISED_FATIGUE_SCORE} or {EXTREME_FATIGUE_SCORE - 1} that is new or worse than the "
    f"past {FATIGUE_DAYS} days",
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
            f"no score in the {FATIGUE_DAYS} days before"
            if not before
            else f"up from at most {max(before)}/10 in the {FATIGUE_DAYS} days before"
        )
        rising.append(entry)
        described.append(f"{listed([entry], now)} ({why})")
    if not rising:
        return None
    return rule_finding(
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
    if not has_medicine(window):  # no dose of anything: no dose that hides a fever
        return None
    from ..medicines import fever_medicine_doses

    doses = fever_medicine_doses(window)
    if not doses:
        return None
    return rule_finding(
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
    signs = symptoms_in(window, "minor")
    if not signs:
        return None
    return rule_finding(
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
    return rule_finding(
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
    return rule_finding(
        "denied-sign",
        denying,
        f"You logged {listed(denying, now)}.{_denied_note(denying)} cart does not count a sign "
        "your words say is not there, but it cannot say all is well from words alone.",
        f"{call_for_advice(plan)} Call now if anything changes or you feel unwell.",
    )
