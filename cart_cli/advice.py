"""The words of the advice the rules give: who to call and how, the entries named in a
message, and the line every red screen ends with. Apart from the rule logic (``rules.py``),
so the wording can be read, and changed, in one place.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from cart_cli.models import DEFAULT_EMERGENCY_NUMBER, Entry, Plan
from cart_cli.timefmt import local_time

MAX_ENTRIES_NAMED = 6  # a message names this many entries, then says how many more


def listed(entries: Sequence[Entry], now: datetime) -> str:
    """Entries in plain words, e.g. ``38.2 °C at 14:05 and 38.4 °C at 16:00``."""
    parts = [f"{entry.describe()} at {local_time(entry.recorded_at, now)}" for entry in entries]
    if len(parts) > MAX_ENTRIES_NAMED:
        more = len(parts) - (MAX_ENTRIES_NAMED - 1)
        parts = [*parts[: MAX_ENTRIES_NAMED - 1], f"{more} more"]
    if len(parts) == 1:
        return parts[0]
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def call_team_now(plan: Plan | None) -> str:
    """The RED action, with the team's number when the plan has one."""
    number = f" ({plan.phone})" if plan is not None and plan.phone else ""
    return f"Call your hospital team's 24-hour number{number} now. Do not wait to see if it passes."


def call_for_advice(plan: Plan | None) -> str:
    """The AMBER action: the 24-hour line is open day and night, so it works at 3 a.m. too."""
    number = f" ({plan.phone})" if plan is not None and plan.phone else ""
    return f"Call your team's 24-hour line{number} for advice; it is open day and night."


def emergency_number(plan: Plan | None) -> str:
    """The emergency services number to show: the plan's, else the default (999)."""
    if plan is not None and plan.emergency_number:
        return plan.emergency_number
    return DEFAULT_EMERGENCY_NUMBER


def fallback_line(plan: Plan | None) -> str:
    """What every red screen ends with (T17): what to do if the team cannot be reached."""
    number = emergency_number(plan)
    return (
        f"If you cannot reach your team, call {number} or go to A&E, and say that you have had "
        "CAR-T therapy (show your alert card if you have one)."
    )


def days_text(days: list[int]) -> str:
    low, high = min(days), max(days)
    return f"day {low}" if low == high else f"days {low} to {high}"


def call_emergency(plan: Plan | None) -> str:
    return f"Call {emergency_number(plan)} now, then tell your hospital team."
