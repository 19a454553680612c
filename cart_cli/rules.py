"""Triage: grade what was logged in a window of time, as docs/clinical-basis.md section 3 says.

The triage table there is built on the seed page (a UK blood-cancer charity's page on recovery
after CAR T-cell therapy) and the references it numbers T1-T27. ``cart`` does not diagnose;
every finding points the person to their hospital team, and when in doubt a rule errs towards
"call" rather than "wait".

The rules are the ``RULES`` table below, in the order of the clinical table: each row has its
name, level (EMERGENCY, RED, AMBER), source and a one-line summary. The rule functions live in
``triage/`` (one module per level, and the nervous-system check), registered by ``@rule``. The numbers are
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

from collections.abc import Sequence
from datetime import datetime, timedelta

from .advice import (
    emergency_number,  # re-exported: the screens read it here
    fallback_line,
    listed,
)
from .levels import Level
from .models import (
    DEFAULT_FEVER_THRESHOLD_C,
    DEFAULT_READING_GAP_HOURS,
    Entry,
    Plan,
    counted_as_now,
    temperatures,
)
from .neuro_reminder import neuro_check_due
from .signs import (
    questions_text,
)
from .thresholds import NEURO_WINDOW_DAYS
from .timefmt import local_time

# The rule modules register their rules at import: this order is the table's order within a
# level, so keep it (tests/test_rule_order.py checks it).
# isort: off
from .triage.red import NOT_A_SIGN
from .triage import emergency  # noqa: F401
from .triage.amber import (
    recheck_due,
    NEAR_THRESHOLD_C,
    SITES_THAT_READ_LOW,
    site_may_read_low,
    bloods_beside_fever,
)
from .triage import nervous  # noqa: F401
from .triage.registry import (
    FATIGUE_LOOKBACK,
    LOOKBACK,
    RECHECK_AFTER,
    Finding,
    RuleFunction,
    Rule,
    CheckResult,
    W,
    P,
    REGISTERED,
    RULE_BY_NAME,
    fever_threshold_c,
    masked_temperatures,
)
# isort: on

__all__ = [
    "FATIGUE_LOOKBACK",
    "LOOKBACK",
    "NEAR_THRESHOLD_C",
    "NEURO_WINDOW_DAYS",
    "NOT_A_SIGN",
    "RECHECK_AFTER",
    "RULES",
    "SITES_THAT_READ_LOW",
    "CheckResult",
    "Finding",
    "P",
    "Rule",
    "RuleFunction",
    "W",
    "bloods_beside_fever",
    "emergency_number",
    "evaluate",
    "fallback_line",
    "recheck_due",
    "rule_named",
    "site_may_read_low",
    "symptom_level",
]


# --- the table: every rule registered above, in the order of the clinical table ------------

# Red, then red with an emergency, then amber (docs/clinical-basis.md section 3); within a
# level, the order the rules are declared in this file.
_TABLE_ORDER = {Level.RED: 0, Level.EMERGENCY: 1, Level.AMBER: 2}
RULES: tuple[Rule, ...] = tuple(sorted(REGISTERED, key=lambda rule: _TABLE_ORDER[rule.level]))


def rule_named(name: str) -> Rule:
    """The rule with this name (KeyError if there is none)."""
    return RULE_BY_NAME[name]


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
    neuro_due = neuro_check_due(history, plan, now)  # a reminder, never a level
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
        fever_threshold_c=fever_threshold_c(plan),
        reminders=tuple(reminders),
        calls=tuple(e for e in window if e.kind == "call"),
        last_call=last_call,
        future=future,
        masked=tuple(masked_temperatures(history)),
    )
