"""The RED rules that are emergencies (docs/clinical-basis.md section 3): call 999."""

from __future__ import annotations

from datetime import datetime

from ..advice import (
    call_emergency,
    listed,
)
from ..levels import Level
from ..models import (
    breathing_rates,
    pulse_readings,
    spo2_readings,
    systolic_readings,
    temperatures,
)
from ..signs import (
    symptoms_of,
)
from ..thresholds import (
    FAST_BREATHING,
    FAST_PULSE,
    LOW_SPO2,
    LOW_SYSTOLIC,
    LOW_TEMPERATURE_C,
    VERY_SLOW_BREATHING,
)
from .red import (
    free_text_at,
    words_named,
)
from .registry import (
    NON_BLANCHING_RASH,
    OWN_RULE_EMERGENCIES,
    SKIN_COLOUR_SIGNS,
    STROKE_SIGNS,
    Finding,
    P,
    W,
    emergency_signs_named,
    fever_threshold_c,
    rule,
    rule_finding,
    symptoms_in,
    symptoms_named,
    unique,
)

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
        for e in symptoms_in(window, "emergency", emergency=False)
        if any(
            s.group == "emergency" and s.name not in OWN_RULE_EMERGENCIES
            for s in symptoms_of(e, emergency=False)
        )
    ]
    if not signs:
        return None
    return rule_finding(
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
    return rule_finding(
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
    signs = emergency_signs_named(window, *SKIN_COLOUR_SIGNS)
    if not signs:
        return None
    return rule_finding(
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
    signs = emergency_signs_named(window, *NON_BLANCHING_RASH)
    if not signs:
        return None
    return rule_finding(
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
    signs = emergency_signs_named(window, *STROKE_SIGNS)
    if not signs:
        return None
    return rule_finding(
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
    chest = symptoms_named(window, "chest pain")
    breathless = symptoms_named(window, "breathlessness", "breathless at rest")
    if not chest or not breathless:
        return None
    both = unique(chest + breathless)
    return rule_finding(
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
    breathing = symptoms_named(window, "wheezing", "breathlessness", "breathless at rest")
    skin = symptoms_named(window, "rash", "hives", "itching", "swollen face", "allergic reaction")
    if not breathing or not skin:
        return None
    both = unique(breathing + skin)
    return rule_finding(
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
    threshold = fever_threshold_c(plan)
    infection = [
        r.entry for r in temperatures(window) if (r.value >= threshold or r.value < LOW_TEMPERATURE_C)
    ] + symptoms_named(window, "feeling feverish", "shivering")
    if not infection:
        return None
    high_risk = (
        [r.entry for r in systolic_readings(window) if r.value <= LOW_SYSTOLIC]
        + [r.entry for r in pulse_readings(window) if r.value > FAST_PULSE]
        + [r.entry for r in spo2_readings(window) if r.value <= LOW_SPO2]
        + [r.entry for r in breathing_rates(window) if r.value >= FAST_BREATHING]
        + symptoms_in(window, "mental")
        + symptoms_named(window, "no urine")
    )
    if not high_risk:
        return None
    cited = {id(e): e for e in infection + high_risk}
    entries = sorted(cited.values(), key=lambda e: e.recorded_at)
    return rule_finding(
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
    texts = free_text_at(window, Level.EMERGENCY)
    if not texts:
        return None
    return rule_finding(
        "free-text-emergency",
        texts,
        f"You logged {listed(texts, now)}. Its words ({words_named(texts, Level.EMERGENCY)}) name "
        "a sign that needs help straight away.",
        call_emergency(plan),
    )
