"""The triage machinery the rule modules share: what a finding and a rule are, the
``@rule`` decorator that registers a rule at import, the result of a check, and the small helpers
the rules read the entries with. ``cart_cli.rules`` builds the table from what is registered."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, NamedTuple

from ..levels import Level
from ..models import (
    DEFAULT_FEVER_THRESHOLD_C,
    MAX_FEVER_THRESHOLD_C,
    Entry,
    Plan,
)
from ..signs import (
    symptom_groups_of,
    symptom_names_of,
    vocabulary_symptom,
)
from ..thresholds import (
    MEDICINE_MASK_HOURS,
    NEURO_WINDOW_DAYS,
)

if TYPE_CHECKING:
    from ..symptoms import Symptom

# The thresholds are in thresholds.py (imported above); the times here.
NEURO_WEEKS = NEURO_WINDOW_DAYS // 7  # "8 weeks", as the messages say it
FATIGUE_LOOKBACK = timedelta(hours=72)  # "the past few days" for new-or-worse fatigue
FATIGUE_DAYS = FATIGUE_LOOKBACK // timedelta(days=1)  # "3 days", as the messages say it
LOOKBACK = FATIGUE_LOOKBACK  # how far before a window `evaluate` needs entries, at most
RECHECK_AFTER = timedelta(hours=1)  # section 3: re-check an amber temperature within an hour

# Where each rule comes from: the reference numbers of docs/clinical-basis.md and their sources.
SEED = "seed page (docs/clinical-basis.md section 1)"

# Emergency signs with a rule (and a reference) of their own; the other symptoms of the
# "emergency" group are graded together by the emergency-sign rule.
SKIN_COLOUR_SIGNS = ("blue lips", "mottled skin")  # T19
NON_BLANCHING_RASH = ("non-blanching rash",)  # T21
STROKE_SIGNS = ("stroke signs",)  # T20
OWN_RULE_EMERGENCIES = (*SKIN_COLOUR_SIGNS, *NON_BLANCHING_RASH, *STROKE_SIGNS)


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


class Rule(NamedTuple):  # a row of the constant table: a NamedTuple is cheaper to define
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


REGISTERED: list[Rule] = []
RULE_BY_NAME: dict[str, Rule] = {}  # filled as the rules register


def rule(name: str, level: Level, *, source: str, summary: str) -> Callable[[RuleFunction], RuleFunction]:
    """Declare a rule of the triage table next to its function: its name, its level, where it
    comes from and a one-line summary. ``RULES`` is built from these, once, at import."""

    def register(function: RuleFunction) -> RuleFunction:
        if any(known.name == name for known in REGISTERED):
            raise ValueError(f"rule {name!r} is declared twice")
        REGISTERED.append(Rule(name, level, source, summary, function))
        RULE_BY_NAME[name] = REGISTERED[-1]
        return function

    return register


class CheckResult(NamedTuple):  # never replaced or compared: a NamedTuple is cheaper to define
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


def fever_threshold_c(plan: P) -> float:
    """The fever threshold in use. Never above 38.0 °C: higher would hide a seed-defined fever."""
    if plan is None:
        return DEFAULT_FEVER_THRESHOLD_C
    return min(plan.fever_threshold_c, MAX_FEVER_THRESHOLD_C)


def _symptom_of(entry: Entry) -> Symptom | None:
    """The vocabulary symptom of a symptom entry (``signs.vocabulary_symptom``)."""
    return vocabulary_symptom(entry)


def unique(entries: W) -> list[Entry]:
    """Entries once each (a phrase can name two signs of a combination), oldest first."""
    return sorted({id(e): e for e in entries}.values(), key=lambda e: (e.recorded_at, e.id or 0))


def symptoms_in(window: W, *groups: str, emergency: bool = True) -> list[Entry]:
    """Entries that count as a symptom of these groups: chosen from the list, or named in the
    person's own words (a sign in words counts exactly as the same sign from the list)."""
    # Only a symptom entry counts as a symptom (``symptoms_of`` of any other is empty); what
    # a phrase counts as is worked out once per phrase (``signs``), not per rule and day.
    wanted = frozenset(groups)
    return [
        e
        for e in window
        if e.kind == "symptom" and not wanted.isdisjoint(symptom_groups_of(e, emergency=emergency))
    ]


def symptoms_named(window: W, *names: str) -> list[Entry]:
    wanted = frozenset(names)
    return [e for e in window if e.kind == "symptom" and not wanted.isdisjoint(symptom_names_of(e))]


def emergency_signs_named(window: W, *names: str) -> list[Entry]:
    """Entries that count as one of these emergency symptoms; a sign the person was not sure
    of is left out (it is graded red by the free-text rule, never an emergency on its own)."""
    wanted = frozenset(names)
    return [
        e
        for e in window
        if e.kind == "symptom" and not wanted.isdisjoint(symptom_names_of(e, emergency=False))
    ]


def day_of(entry: Entry, plan: Plan, now: datetime) -> int:
    """Day since infusion of an entry, by its date in the same local time as ``now``."""
    return plan.day_of(entry.recorded_at.astimezone(now.tzinfo))


def rule_finding(rule_name: str, entries: W, message: str, action: str) -> Finding:
    """A finding for the named rule; its level and source come from the rule table."""
    rule = RULE_BY_NAME[rule_name]
    message = message[:1].upper() + message[1:]
    return Finding(rule.level, rule.name, message, action, tuple(entries), rule.source)


def has_medicine(entries: W) -> bool:
    """Whether any of ``entries`` is a medicine dose (``med``). Every medicine rule, and the
    temperatures a medicine may hide, look only at ``med`` entries: without one they find
    nothing, so ``cart_cli.medicines`` (its tables and patterns) is imported only when there
    is one."""
    return any(e.kind == "med" for e in entries)


def masked_temperatures(history: W) -> list[Entry]:
    """``medicines.masked_temperatures``: the temperatures taken within the hours after a
    medicine that brings a temperature down (none without a medicine dose)."""
    if not has_medicine(history):
        return []
    from ..medicines import masked_temperatures

    return masked_temperatures(history)


def masked_note(entries: W, history: W) -> str:
    masked = {e.id for e in masked_temperatures(history)}
    hidden = [e for e in entries if e.id in masked]
    if not hidden:
        return ""
    return (
        f" Taken within {MEDICINE_MASK_HOURS} hours of a medicine that brings a temperature down, "
        "so it may be lower than it really is."
    )
