"""What a call to the team covers (docs: "What a call covers").

A logged call covers the findings present at it: the rules are run as they stood at the
moment of the call (the same length of window, ending at the call, with only what had been
logged before it). Afterwards a finding is covered by the latest call at which its family of
rules had fired, unless it is

- **new**: its family had not fired before the call, or it names a concept the call did not
  (another symptom, another medicine, another kind of reading), or it is more urgent than
  anything of its family at the call (an emergency where there was none); or
- **worse**: one of its readings is worse than the worst of its family at the call (a higher
  temperature, pulse or fatigue score; a lower blood pressure, SpO2 or ICE score; a lower
  temperature below normal; a more severe symptom).

Families group the rules that grade one measure at two levels (fever and raised temperature,
low and borderline blood pressure, ...), so a lower reading after a reported higher one is
covered: 37.6 °C after a reported 38.4 °C does not reopen the call.

The UKONS "two or more amber signs" combination is new only when at least two of the amber
findings behind it are new: a reported amber plus one new amber is the new amber, not red.

A covered finding keeps its level: the verdict never lowers a level because of a call.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import datetime
from typing import NamedTuple

from cart_cli import rules
from cart_cli.levels import Level
from cart_cli.models import SEVERITIES, Entry, Plan
from cart_cli.rules import Finding

COMBINATION = "several-amber-signs"  # red from ambers of different rules (UKONS, T2)

# Rules that grade one measure at two levels are one family: a call about one covers the other
# (unless the reading is worse). Every other rule is a family of its own.
FAMILIES: dict[str, str] = {
    "fever": "high-temperature",
    "raised-temperature": "high-temperature",
    "very-low-temperature": "low-temperature",
    "low-temperature": "low-temperature",
    "low-blood-pressure": "blood-pressure",
    "borderline-blood-pressure": "blood-pressure",
    "fast-pulse": "pulse",
    "raised-pulse": "pulse",
    "low-oxygen": "oxygen",
    "borderline-oxygen": "oxygen",
    "ice-score": "ice",
    "ice-score-late": "ice",
    "handwriting-change": "handwriting",
    "handwriting-change-late": "handwriting",
    "neuro-early": "neuro",
    "neuro-late": "neuro",
    "extreme-fatigue": "fatigue",
    "rising-fatigue": "fatigue",
}
_NORMAL_C = 37.0  # which side of normal a temperature is on, for "worse" (further from it)
_SEVERITY_RANK = {severity: rank for rank, severity in enumerate(SEVERITIES, start=1)}


def family(rule: str) -> str:
    return FAMILIES.get(rule, rule)


def is_before(entry: Entry, call: Entry) -> bool:
    """Was ``entry`` recorded before ``call``? At the same minute, the one typed first is."""
    if entry.recorded_at != call.recorded_at:
        return entry.recorded_at < call.recorded_at
    return (entry.id or 0) < (call.id or 0)


def _concept(entry: Entry) -> str:
    """What an entry is about: a symptom (or the person's own words), a medicine, a kind."""
    if entry.kind == "symptom":
        text = entry.other if entry.symptom == "other" else entry.symptom
        return f"symptom:{(text or '').strip().lower()}"
    if entry.kind == "med":
        return f"med:{(entry.medicine or '').strip().lower()}"
    return entry.kind


def _measures(entry: Entry, rule: str) -> Iterable[tuple[str, float]]:
    """An entry's numbers the way a rule reads them, each made so that higher is worse."""
    fam = family(rule)
    if entry.celsius is not None:
        if fam == "low-temperature" or (fam != "high-temperature" and entry.celsius < _NORMAL_C):
            yield "temp-low", -entry.celsius
        else:
            yield "temp-high", entry.celsius
    if entry.systolic is not None and fam != "pulse":
        yield "systolic", -entry.systolic
    if entry.pulse is not None and fam != "blood-pressure":
        yield "pulse", entry.pulse
    if entry.spo2 is not None:
        yield "spo2", -entry.spo2
    if entry.score is not None:
        yield entry.kind, -entry.score if entry.kind == "ice" else entry.score
    if entry.kind == "symptom":
        yield f"severity:{_concept(entry)}", _SEVERITY_RANK.get(entry.severity or "", 0)


class _Seen(NamedTuple):  # a NamedTuple: cheaper to define than a dataclass
    """What a family had found at a call: its top level, concepts and worst measures."""

    level: Level
    concepts: frozenset[str]
    worst: dict[str, float]


def _seen_at(findings: Iterable[Finding]) -> dict[str, _Seen]:
    seen: dict[str, _Seen] = {}
    for finding in findings:
        fam = family(finding.rule)
        before = seen.get(fam)
        level = finding.level if before is None or finding.level.rank > before.level.rank else before.level
        concepts = {_concept(e) for e in finding.entries} | (before.concepts if before else frozenset())
        worst = dict(before.worst) if before else {}
        for entry in finding.entries:
            for key, value in _measures(entry, finding.rule):
                worst[key] = max(value, worst.get(key, value))
        seen[fam] = _Seen(level, frozenset(concepts), worst)
    return seen


def _covered(finding: Finding, seen: _Seen | None) -> bool:
    """Is ``finding`` neither new nor worse than what its family had found at a call?"""
    if seen is None or finding.level.rank > seen.level.rank:
        return False
    if any(_concept(e) not in seen.concepts for e in finding.entries):
        return False
    return all(
        key in seen.worst and value <= seen.worst[key]
        for entry in finding.entries
        for key, value in _measures(entry, finding.rule)
    )


def cover(
    findings: Sequence[Finding], entries: Sequence[Entry], plan: Plan | None, now: datetime, since: datetime
) -> tuple[Finding, ...]:
    """The findings, each marked ``reported`` with the call that covers it, or left as news.

    A combination of ambers that is not news (fewer than two new ambers behind it) is left
    out: the new amber is what to call about, and the level stays that of what was reported.
    """
    # An entry dated after now is counted as now, as the rules count it.
    history = sorted(
        (replace(e, recorded_at=now) if e.recorded_at > now else e for e in entries),
        key=lambda e: (e.recorded_at, e.id or 0),
    )
    calls = [e for e in history if e.kind == "call" and e.recorded_at >= since]
    if not calls:
        return tuple(findings)
    span = now - since
    at_call: list[tuple[Entry, dict[str, _Seen]]] = []
    for call in reversed(calls):  # the latest call first
        before = [e for e in history if is_before(e, call)]
        found = rules.evaluate(before, plan, call.recorded_at, call.recorded_at - span).findings
        at_call.append((call, _seen_at(found)))

    def covering(finding: Finding) -> Entry | None:
        for call, seen in at_call:
            if family(finding.rule) in seen:  # the latest call at which its family had fired
                return call if _covered(finding, seen[family(finding.rule)]) else None
        return None

    marked: list[Finding] = []
    for finding in findings:
        if finding.rule == COMBINATION:
            continue
        by = covering(finding)
        marked.append(replace(finding, reported=True, covered_by=by) if by is not None else finding)
    for finding in findings:
        if finding.rule != COMBINATION:
            continue
        reported_at = next((c for c, seen in at_call if COMBINATION in seen), None)
        new_ambers = [f for f in marked if f.level == Level.AMBER and not f.reported]
        if reported_at is not None:  # it was red at a call: it stays red, reported
            marked.append(replace(finding, reported=True, covered_by=reported_at))
        elif len(new_ambers) >= 2:  # two new ambers are red news
            marked.append(finding)
    return tuple(sorted(marked, key=lambda f: -f.level.rank))
