"""The nervous-system check as rules: ICE score and handwriting, early (RED) and late (AMBER).
The logic is in ``neuro.py``."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from ..advice import (
    call_team_now,
)
from ..levels import Level
from ..models import (
    Entry,
    Plan,
)
from ..thresholds import ICE_MAX, ICE_RED_AT_ANY_TIME
from .registry import (
    NEURO_WEEKS,
    Finding,
    rule,
    rule_finding,
)

if TYPE_CHECKING:
    from ..neuro import NeuroFlag

# --- nervous-system check: ICE score and handwriting (the logic is in neuro.py) ----------


def _has(window: Sequence[Entry], kind: str) -> bool:
    """Whether ``window`` holds an entry of ``kind`` (``ice`` or ``handwriting``). The ICE and
    handwriting rules grade only those entries (``neuro.ice_flags`` reads the window's ICE
    scores, ``neuro.handwriting_flags`` its handwriting entries): without one they find nothing,
    so ``neuro`` is imported only when there is one."""
    return any(e.kind == kind for e in window)


def _neuro_finding(
    rule_name: str, flags: Sequence[NeuroFlag], why: str, plan: Plan | None, *, red: bool
) -> Finding | None:
    if not flags:
        return None
    action = (
        call_team_now(plan) + " Stay with them, and do not let them drive."
        if red
        else "Contact your team today, and call straight away if it gets worse or something new starts."
    )
    message = " ".join(flag.text for flag in flags) + " " + why
    return rule_finding(rule_name, [flag.entry for flag in flags], message, action)


@rule(
    "ice-score",
    Level.RED,
    source="ASTCT ICE score (docs/clinical-basis.md T4, T18; section 3)",
    summary=f"ICE score below {ICE_MAX} or below their best within {NEURO_WEEKS} weeks, "
    f"or {ICE_RED_AT_ANY_TIME} or less at any time",
)
def _ice_score(
    window: Sequence[Entry], plan: Plan | None, now: datetime, since: datetime, history: Sequence[Entry]
) -> Finding | None:
    if not _has(window, "ice"):
        return None
    from .. import neuro

    flags = [f for f in neuro.ice_flags(window, history, plan, now) if f.level == Level.RED]
    why = "A lower score can be an early sign that CAR-T therapy is affecting the brain and nerves (ICANS)."
    return _neuro_finding("ice-score", flags, why, plan, red=True)


@rule(
    "handwriting-change",
    Level.RED,
    source="seed: problems with writing; centre handwriting sample (docs/clinical-basis.md T10)",
    summary=f"Handwriting changed within {NEURO_WEEKS} weeks of infusion",
)
def _handwriting_change(
    window: Sequence[Entry], plan: Plan | None, now: datetime, since: datetime, history: Sequence[Entry]
) -> Finding | None:
    if not _has(window, "handwriting"):
        return None
    from .. import neuro

    flags = [f for f in neuro.handwriting_flags(window, plan, now) if f.level == Level.RED]
    why = f"In the first {NEURO_WEEKS} weeks a change in handwriting can be an early sign of ICANS."
    return _neuro_finding("handwriting-change", flags, why, plan, red=True)


@rule(
    "ice-score-late",
    Level.AMBER,
    source="ASTCT ICE score (docs/clinical-basis.md T4, T5; section 3)",
    summary=f"ICE score {ICE_RED_AT_ANY_TIME + 1} to {ICE_MAX - 1} more than {NEURO_WEEKS} weeks "
    "after infusion",
)
def _ice_score_late(
    window: Sequence[Entry], plan: Plan | None, now: datetime, since: datetime, history: Sequence[Entry]
) -> Finding | None:
    if not _has(window, "ice"):
        return None
    from .. import neuro

    flags = [f for f in neuro.ice_flags(window, history, plan, now) if f.level == Level.AMBER]
    why = "Brain and nerve side effects this late are rare but possible, so your team should know."
    return _neuro_finding("ice-score-late", flags, why, plan, red=False)


@rule(
    "handwriting-change-late",
    Level.AMBER,
    source="centre handwriting sample (docs/clinical-basis.md T10, T5)",
    summary=f"Handwriting changed more than {NEURO_WEEKS} weeks after infusion",
)
def _handwriting_change_late(
    window: Sequence[Entry], plan: Plan | None, now: datetime, since: datetime, history: Sequence[Entry]
) -> Finding | None:
    if not _has(window, "handwriting"):
        return None
    from .. import neuro

    flags = [f for f in neuro.handwriting_flags(window, plan, now) if f.level == Level.AMBER]
    why = "Brain and nerve side effects this late are rare but possible, so your team should know."
    return _neuro_finding("handwriting-change-late", flags, why, plan, red=False)
