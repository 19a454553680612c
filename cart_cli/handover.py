"""The hand-over (`cart handover`): what to say on the phone to the 24-hour line or show at
A&E, in the order clinicians ask (SBAR: Situation, Background, Assessment, Recommendation;
docs/clinical-basis.md T26), with the alert card's facts first (T17).

Pure: ``build_handover`` takes the plan, the verdict (computed once, by ``verdict``: the
hand-over reads it and never grades anything itself), the entries of the last 24 hours and
the latest ICE score, handwriting and blood results, and ``now``. It returns plain lines, so
the terminal, ``--json`` and the HTML page all say the same words.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from cart_cli.language.medicines import fever_hiding
from cart_cli.models import Entry, Plan, blood_results, format_celsius
from cart_cli.timefmt import format_date, local_time
from cart_cli.verdict import Verdict

SYMPTOM_ONSET_LOOKBACK = timedelta(days=14)  # "since when": the first time it was logged in 2 weeks
MAX_PER_LINE = 6  # readings named on one line (newest first): one screen, one printed page
MAX_REASONS = 3
MAX_ITEMS = 5


@dataclass(frozen=True)
class Section:
    """One SBAR part: its letter and title, and its lines."""

    letter: str
    title: str
    lines: tuple[str, ...]


@dataclass(frozen=True)
class Handover:
    made_at: str
    level: str
    headline: str
    sections: tuple[Section, Section, Section, Section]


def build_handover(
    plan: Plan | None,
    verdict: Verdict,
    recent: Sequence[Entry],
    now: datetime,
    *,
    onsets: Sequence[Entry] = (),
    latest_ice: Entry | None = None,
    latest_handwriting: Entry | None = None,
    latest_bloods: Entry | None = None,
) -> Handover:
    """The hand-over at ``now``. ``recent`` are the entries of the last 24 hours; ``onsets``
    the symptoms of the two weeks before, to say when each began."""
    from cart_cli.products import product_named

    recent = sorted((e for e in recent if e.recorded_at <= now), key=lambda e: e.recorded_at, reverse=True)
    product = product_named(plan.product) if plan else None
    product_text = product.shown if product else "CAR-T product not recorded"
    day = plan.day_of(now) if plan else None

    situation = []
    if plan is not None:
        situation.append(
            f"Day {day} after CAR T-cell therapy: {product_text}, infused {format_date(plan.infusion_date)}."
        )
    else:
        situation.append("After CAR T-cell therapy (cart is not set up: no infusion date recorded).")
    situation.append(f"cart's check now: {verdict.level.upper()}: {verdict.headline}.")
    from cart_cli.rules import rule_named

    for finding in verdict.findings[:MAX_REASONS]:
        reported = ", already reported" if finding.reported else ""
        seen = "; ".join(f"{e.describe()} at {local_time(e.recorded_at, now)}" for e in finding.entries[:2])
        more = f" +{len(finding.entries) - 2} more" if len(finding.entries) > 2 else ""
        situation.append(
            f"Why ({finding.level.upper()}{reported}): {rule_named(finding.rule).summary}: {seen}{more}."
        )
    if len(verdict.findings) > MAX_REASONS:
        situation.append(f"And {len(verdict.findings) - MAX_REASONS} more (cart check lists them all).")

    background = [
        f"Alert card: {product_text}; infusion {format_date(plan.infusion_date)} (day 0), today day {day}."
        if plan
        else "Alert card: not set up (cart setup --infusion-date DATE --product NAME)."
    ]
    if plan is not None:
        centre = plan.hospital or "treating centre not recorded"
        phone = plan.phone or "24-hour number not recorded"
        background.append(f"Treating centre: {centre}; 24-hour number: {phone}.")
        details = []
        if plan.diagnosis:
            details.append(f"diagnosis: {plan.diagnosis}")
        details.append(
            f"home since {format_date(plan.home_since)}" if plan.home_since else "home date not recorded"
        )
        details.append(f"fever threshold used: {format_celsius(verdict.fever_threshold_c)}")
        text = "; ".join(details)
        background.append(text[0].upper() + text[1:] + ".")

    assessment = _readings(recent, verdict, now)
    assessment += _symptoms(recent, onsets, now)
    assessment += _medicines(recent, now)
    assessment += _neuro(latest_ice, latest_handwriting, now)
    if latest_bloods is not None:
        assessment.append(
            f"Latest bloods ({local_time(latest_bloods.recorded_at, now)}): {blood_results(latest_bloods)}."
        )
    else:
        assessment.append("Bloods: none recorded.")
    calls = [e for e in recent if e.kind == "call"]
    for call in calls[:MAX_ITEMS]:
        said = f': "{call.outcome}"' if call.outcome else " (nothing noted of what was said)"
        assessment.append(f"Call at {local_time(call.recorded_at, now)}{said}.")
    if not calls:
        assessment.append("Calls to the team in the last 24 h: none logged.")

    recommendation = []
    news = verdict.new_findings or verdict.findings
    if news:
        recommendation.append(f"cart's advice: {news[0].action}")
    else:
        recommendation.append(f"cart's advice: {verdict.headline[0]}{verdict.headline[1:].lower()}.")
    recommendation.append(
        "Ask the team what to do now and when to call back; log it: cart log call --outcome '...'"
    )
    return Handover(
        made_at=local_time(now, now),
        level=verdict.level.upper(),
        headline=verdict.headline,
        sections=(
            Section("S", "Situation", tuple(situation)),
            Section("B", "Background", tuple(background)),
            Section("A", "Assessment (last 24 hours, newest first)", tuple(assessment)),
            Section("R", "Recommendation", tuple(recommendation)),
        ),
    )


def _times(entries: Sequence[Entry], now: datetime, value: str = "describe") -> str:
    shown = [f"{e.describe()} at {local_time(e.recorded_at, now)}" for e in entries[:MAX_PER_LINE]]
    more = len(entries) - MAX_PER_LINE
    return ", ".join(shown) + (f" (+{more} more)" if more > 0 else "")


def _readings(recent: Sequence[Entry], verdict: Verdict, now: datetime) -> list[str]:
    """Temperature trend and the other vital signs, each with its time; what was not measured."""
    lines = []
    masked = {e.id for e in verdict.masked}
    temps = [e for e in recent if e.kind == "temp"]
    if temps:
        parts = []
        for entry in temps[:MAX_PER_LINE]:
            text = f"{format_celsius(entry.celsius or 0.0)} at {local_time(entry.recorded_at, now)}"
            notes = [entry.site] if entry.site else []
            if entry.id in masked:
                notes.append("after a fever-hiding medicine")
            parts.append(text + (f" ({', '.join(notes)})" if notes else ""))
        more = len(temps) - MAX_PER_LINE
        lines.append("Temperature: " + ", ".join(parts) + (f" (+{more} more)" if more > 0 else "") + ".")
    missing = [] if temps else ["temperature"]
    for kind, label, unmeasured in (
        ("bp", "Blood pressure", "blood pressure"),
        ("pulse", "Pulse", "pulse"),
        ("spo2", "Oxygen", "oxygen (SpO2)"),
        ("breaths", "Breathing rate", "breathing rate"),
    ):
        found = [e for e in recent if e.kind == kind]
        if found:
            lines.append(f"{label}: {_times(found, now)}.")
        elif not (kind == "pulse" and any(e.pulse is not None for e in recent)):  # with a BP
            missing.append(unmeasured)
    if missing:
        lines.append(f"Not measured in the last 24 h: {', '.join(missing)}.")
    return lines


def _symptoms(recent: Sequence[Entry], onsets: Sequence[Entry], now: datetime) -> list[str]:
    """Each symptom of the last 24 hours with when it was first logged (in the 2 weeks before)."""
    symptoms = [e for e in recent if e.kind == "symptom"]
    if not symptoms:
        return ["Symptoms in the last 24 h: none logged."]
    first: dict[str, Entry] = {}
    for entry in sorted([*onsets, *symptoms], key=lambda e: e.recorded_at):
        if entry.kind == "symptom":
            first.setdefault(_symptom_key(entry), entry)
    seen: dict[str, Entry] = {}
    for entry in symptoms:  # newest first: the latest entry of each symptom
        seen.setdefault(_symptom_key(entry), entry)
    parts = []
    for key, latest in list(seen.items())[:MAX_ITEMS]:
        began = first.get(key, latest)
        parts.append(f"{latest.describe()} since {local_time(began.recorded_at, now)}")
    more = len(seen) - MAX_ITEMS
    return ["Symptoms: " + "; ".join(parts) + (f" (+{more} more)" if more > 0 else "") + "."]


def _symptom_key(entry: Entry) -> str:
    return f"other:{(entry.other or '').lower()}" if entry.symptom == "other" else entry.symptom or ""


def _medicines(recent: Sequence[Entry], now: datetime) -> list[str]:
    meds = [e for e in recent if e.kind == "med"]
    if not meds:
        return ["Medicines in the last 24 h: none logged."]
    parts = []
    for entry in meds[:MAX_PER_LINE]:
        hides = " [CAN HIDE A FEVER]" if entry.medicine and fever_hiding(entry.medicine) else ""
        parts.append(f"{entry.medicine} at {local_time(entry.recorded_at, now)}{hides}")
    more = len(meds) - MAX_PER_LINE
    return ["Medicines: " + ", ".join(parts) + (f" (+{more} more)" if more > 0 else "") + "."]


def _neuro(ice: Entry | None, handwriting: Entry | None, now: datetime) -> list[str]:
    parts = []
    if ice is not None:
        parts.append(f"latest ICE score {ice.score}/10 at {local_time(ice.recorded_at, now)}")
    if handwriting is not None:
        parts.append(f"handwriting {handwriting.handwriting} at {local_time(handwriting.recorded_at, now)}")
    if not parts:
        return ["Nervous-system check: no ICE score or handwriting recorded."]
    return ["Nervous-system check: " + "; ".join(parts) + "."]


def handover_to_dict(handover: Handover) -> dict[str, object]:
    """The JSON shape: level, headline and each SBAR section's lines."""
    return {
        "made_at": handover.made_at,
        "level": handover.level,
        "headline": handover.headline,
        **{section.title.split(" ")[0].lower(): list(section.lines) for section in handover.sections},
    }


def handover_text(handover: Handover, width: int = 80) -> str:
    """Plain text, wrapped to ``width`` columns: the terminal and the printed page."""
    import textwrap

    out = [f"HAND-OVER (SBAR), {handover.made_at}: {handover.level}: {handover.headline}"]
    out = textwrap.wrap(out[0], width)
    for section in handover.sections:
        out.append(f"{section.letter}  {section.title.upper()}")
        for line in section.lines:
            out += textwrap.wrap(line, width, initial_indent="   ", subsequent_indent="     ")
    return "\n".join(out) + "\n"
