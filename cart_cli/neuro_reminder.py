"""The reminder that a nervous-system check is due, apart from the rest of ``neuro``, so that
the check (`cart log`, `cart check`) says it without loading the ICE screen's questions, tables
and patterns; ``neuro`` re-exports every name here. Pure, no clock: ``now`` is passed in."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cart_cli.models import Entry, Plan

DUE_WITHIN = timedelta(hours=24)  # a check is due when none was scored in the last 24 hours
DUE_REMINDER = "Nervous-system check due: `cart neuro`"


def ice_scores(entries: Sequence[Entry]) -> list[Entry]:
    """The ICE entries, oldest first."""
    ice = [e for e in entries if e.kind == "ice" and e.score is not None]
    return sorted(ice, key=lambda e: e.recorded_at)


def neuro_check_due(entries: Sequence[Entry], plan: Plan | None, now: datetime) -> str | None:
    """The reminder line when a nervous-system check is due, else None.

    Due from day 0 to day ``plan.neuro_days`` (both included) when no ICE score was recorded
    in the 24 hours up to ``now``. Without a plan the day is unknown and nothing is said (the
    check itself already asks for the infusion date). A reminder, never a level.
    """
    if plan is None:
        return None
    if not 0 <= plan.day_of(now) <= plan.neuro_days:
        return None
    start = now.astimezone(UTC) - DUE_WITHIN
    recent = [e for e in ice_scores(entries) if start <= e.recorded_at.astimezone(UTC) <= now]
    return None if recent else DUE_REMINDER
