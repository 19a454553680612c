"""The carer's nervous-system check: the ICE score and the daily handwriting sample.

Pure functions and data, no Typer, no Rich, no clock: ``now`` is always passed in.

The ICE screen (Immune effector Cell-associated Encephalopathy; ASTCT, Lee et al. 2019, see
docs/clinical-basis.md T4 and T18) has ten points: orientation to year, month, city and
hospital (4), naming three objects (3), following a simple command (1), writing a standard
sentence (1), counting back from 100 in tens (1). 10 is normal. Some centres also ask for the
same sentence to be written every day, so a change in handwriting is seen early (T10).

How a score is graded (docs/clinical-basis.md section 3):

- within 8 weeks of the infusion (day 56 or before, or when the day is not known): any score
  below 10, or any drop from the person's best earlier score, is RED; so is a handwriting
  "changed";
- at any time, a score of 6 or less is RED;
- after 8 weeks (day 57 on), a score of 7 to 9 or a handwriting change is AMBER.

Within 8 weeks a drop from the best is always also a score below 10 (the best is at most 10);
both reasons are kept because the reference lists both and a finding says which applies.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from .errors import InvalidInput
from .levels import Level
from .models import Entry, Plan, scores
from .neuro_reminder import DUE_REMINDER as DUE_REMINDER  # the reminder lives apart (re-exported)
from .neuro_reminder import DUE_WITHIN as DUE_WITHIN
from .neuro_reminder import ice_scores as ice_scores
from .neuro_reminder import neuro_check_due as neuro_check_due
from .thresholds import ICE_MAX as ICE_MAX  # re-exported: the screens and the report read them here
from .thresholds import ICE_RED_AT_ANY_TIME as ICE_RED_AT_ANY_TIME
from .thresholds import NEURO_WINDOW_DAYS as NEURO_WINDOW_DAYS  # re-exported: the rules read it here
from .thresholds import NEURO_WINDOW_WEEKS
from .timefmt import MONTHS, local_time

MIN_NEURO_DAYS, MAX_NEURO_DAYS = 0, 365
DEFAULT_SENTENCE = "Today I am writing this sentence by hand."
MAX_SENTENCE_CHARS = 120

# Levels, spelled as rules.py spells them (rules imports this module, not the other way).

HANDWRITING_VALUES = ("same", "changed", "first")


@dataclass(frozen=True)
class IcePart:
    """One part of the ICE screen and how many points it is worth."""

    key: str
    points: int
    title: str


ICE_PARTS: tuple[IcePart, ...] = (
    IcePart("orientation", 4, "Where and when"),
    IcePart("naming", 3, "Naming things"),
    IcePart("command", 1, "Following a request"),
    IcePart("writing", 1, "Writing"),
    IcePart("counting", 1, "Counting back"),
)
_PART_BY_KEY = {part.key: part for part in ICE_PARTS}
assert sum(part.points for part in ICE_PARTS) == ICE_MAX


@dataclass(frozen=True)
class IceQuestion:
    """One of the ten points: what the carer says or does, and what counts as right.

    ``say`` and ``right`` may hold ``{year}``, ``{month}``, ``{hospital}`` and ``{sentence}``,
    filled in by ``question_text``.
    """

    part: str
    say: str
    right: str


ICE_QUESTIONS: tuple[IceQuestion, ...] = (
    IceQuestion("orientation", 'Ask: "What year is it?"', "Right if they say {year}."),
    IceQuestion("orientation", 'Ask: "What month is it?"', "Right if they say {month}."),
    IceQuestion("orientation", 'Ask: "Which city or town are we in?"', "Right if they name it."),
    IceQuestion(
        "orientation",
        'Ask: "What is the name of the hospital that is treating you?"',
        "Right if they name it{hospital}.",
    ),
    IceQuestion(
        "naming",
        'Point at an everyday object, for example a clock, and ask: "What is this called?"',
        "Right if they name it.",
    ),
    IceQuestion(
        "naming",
        'Point at a second object, for example a pen, and ask: "What is this called?"',
        "Right if they name it.",
    ),
    IceQuestion(
        "naming",
        'Point at a third object, for example a button, and ask: "What is this called?"',
        "Right if they name it.",
    ),
    IceQuestion("command", 'Ask: "Can you show me two fingers?"', "Right if they do it."),
    IceQuestion(
        "writing",
        'Give them paper and a pen and ask them to write: "{sentence}"',
        "Right if they can write the sentence. Keep the paper: it is today's handwriting sample.",
    ),
    IceQuestion(
        "counting",
        'Ask: "Can you count backwards from 100 in tens?"',
        "Right if they get down to 10 (100, 90, 80 ... 10) without a mistake.",
    ),
)
assert len(ICE_QUESTIONS) == ICE_MAX
assert all(sum(q.part == part.key for q in ICE_QUESTIONS) == part.points for part in ICE_PARTS)


def question_text(question: IceQuestion, plan: Plan | None, now: datetime) -> tuple[str, str]:
    """The question's two lines with today's year and month, the hospital and the sentence."""
    hospital = f" (cart has: {plan.hospital})" if plan is not None and plan.hospital else ""
    values = {
        "year": str(now.year),
        "month": MONTHS_LONG[now.month - 1],
        "hospital": hospital,
        "sentence": sentence_of(plan),
    }
    return question.say.format(**values), question.right.format(**values)


MONTHS_LONG = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
assert all(long.startswith(short) for long, short in zip(MONTHS_LONG, MONTHS, strict=True))


def sentence_of(plan: Plan | None) -> str:
    """The handwriting sentence: the plan's, else the default."""
    return plan.sentence if plan is not None and plan.sentence else DEFAULT_SENTENCE


# --- scoring -------------------------------------------------------------------------------


def score_answers(answers: Sequence[bool]) -> tuple[int, dict[str, int]]:
    """The score and the points per part for ten right/wrong answers, in ICE_QUESTIONS order."""
    if len(answers) != len(ICE_QUESTIONS):
        raise ValueError(f"expected {len(ICE_QUESTIONS)} answers, got {len(answers)}")
    points = {part.key: 0 for part in ICE_PARTS}
    for question, right in zip(ICE_QUESTIONS, answers, strict=True):
        points[question.part] += int(right)
    return sum(points.values()), points


def format_items(points: dict[str, int]) -> str:
    """``orientation=4,naming=3,command=1,writing=1,counting=1`` (always every part, in order)."""
    return ",".join(f"{part.key}={points[part.key]}" for part in ICE_PARTS)


def parse_score(text: str) -> int:
    """An ICE score typed by a person: a whole number 0-10 ("7" or "7/10")."""
    accepted = "give a whole number from 0 to 10, e.g. 10 (or 7/10)"
    cleaned = " ".join(str(text).split())
    match = re.fullmatch(r"([0-9]{1,3})(?:\s*/\s*10)?", cleaned)
    if not match:
        raise InvalidInput(f"ICE score {cleaned[:40]!r} is not a whole number: {accepted}.")
    score = int(match[1])
    if score > ICE_MAX:
        raise InvalidInput(f"ICE score {score} is more than {ICE_MAX}: {accepted}.")
    return score


def parse_items(text: str, score: int) -> str:
    """``--items``: the points of every part, whose sum must be ``score``; returned in the
    canonical form (every part, in order, lower case)."""
    example = format_items({part.key: part.points for part in ICE_PARTS})
    accepted = f"give every part once, e.g. {example}"
    points: dict[str, int] = {}
    pairs = [pair for pair in re.split(r"[,;]", text) if pair.strip()]
    if not pairs:
        raise InvalidInput(f"--items is empty: {accepted}.")
    for pair in pairs:
        key, sep, value = (piece.strip().lower() for piece in pair.partition("="))
        shown = " ".join(pair.split())[:40]
        if not sep:
            raise InvalidInput(f"--items: {shown!r} is not part=points: {accepted}.")
        part = _PART_BY_KEY.get(key)
        if part is None:
            names = ", ".join(p.key for p in ICE_PARTS)
            raise InvalidInput(f"--items: {key[:30]!r} is not a part of the ICE score ({names}).")
        if key in points:
            raise InvalidInput(f"--items gives {key} twice: {accepted}.")
        if not re.fullmatch(r"[0-9]{1,3}", value) or int(value) > part.points:
            raise InvalidInput(f"--items: {key} is worth 0 to {part.points} points, not {value[:20]!r}.")
        points[key] = int(value)
    missing = [part.key for part in ICE_PARTS if part.key not in points]
    if missing:
        raise InvalidInput(f"--items does not give {', '.join(missing)}: {accepted}.")
    total = sum(points.values())
    if total != score:
        raise InvalidInput(f"--items add up to {total}, but the score given is {score}: check both.")
    return format_items(points)


def parse_handwriting(text: str) -> str:
    """``same``, ``changed`` or ``first`` ("first time" too), any case."""
    cleaned = " ".join(str(text).lower().split())
    value = {"first time": "first"}.get(cleaned, cleaned)
    if value not in HANDWRITING_VALUES:
        raise InvalidInput(
            f"handwriting {cleaned[:40]!r} is not one of: same, changed, first (the first sample)."
        )
    return value


def parse_neuro_days(text: str) -> int:
    """``--neuro-days``: until which day after infusion the daily check is asked for."""
    cleaned = " ".join(str(text).lower().split()).removesuffix("days").removesuffix("day").strip()
    accepted = f"give a whole number of days, {MIN_NEURO_DAYS}-{MAX_NEURO_DAYS}, e.g. 28"
    if not re.fullmatch(r"[0-9]{1,4}", cleaned) or not MIN_NEURO_DAYS <= int(cleaned) <= MAX_NEURO_DAYS:
        raise InvalidInput(f"--neuro-days {str(text).strip()[:40]!r}: {accepted}.")
    return int(cleaned)


# --- comparing with earlier scores ---------------------------------------------------------


@dataclass(frozen=True)
class Comparison:
    """The person's best and latest ICE scores before a moment (None when there are none)."""

    best: Entry | None
    latest: Entry | None


def compare(entries: Sequence[Entry], before: datetime) -> Comparison:
    """The best (the most recent of equal bests) and the latest ICE scores before ``before``."""
    earlier = [e for e in ice_scores(entries) if e.recorded_at < before]
    if not earlier:
        return Comparison(None, None)
    best = max(reversed(earlier), key=lambda e: e.score or 0)
    return Comparison(best, earlier[-1])


def comparison_text(comparison: Comparison, now: datetime) -> str:
    """``best before this 10/10 (Tue 24 Nov 08:10); latest before this 9/10 (yesterday ...)``."""
    if comparison.best is None or comparison.latest is None:
        return "There is no earlier ICE score to compare with."
    best, latest = comparison.best, comparison.latest
    text = f"Best score before this: {best.score}/10 ({local_time(best.recorded_at, now)})"
    if latest is best:
        return text + ", which is also the latest."
    return text + f"; latest before this: {latest.score}/10 ({local_time(latest.recorded_at, now)})."


# --- grading -------------------------------------------------------------------------------


def is_early(day: int | None) -> bool:
    """Within 8 weeks of the infusion. An unknown day counts as early: err towards calling."""
    return day is None or day <= NEURO_WINDOW_DAYS


def grade_ice(score: int, best_before: int | None, day: int | None) -> tuple[Level, str] | None:
    """(level, reason in plain words) for an ICE score, or None when it needs no action."""
    if score <= ICE_RED_AT_ANY_TIME:
        return Level.RED, f"a score of {ICE_RED_AT_ANY_TIME} or less needs a call at any time"
    if is_early(day):
        if best_before is not None and score < best_before:
            return (
                Level.RED,
                f"it is lower than their best score, within {NEURO_WINDOW_WEEKS} weeks of the infusion",
            )
        if score < ICE_MAX:
            return (
                Level.RED,
                f"within {NEURO_WINDOW_WEEKS} weeks of the infusion anything below {ICE_MAX} needs a call",
            )
        return None
    if score < ICE_MAX:
        return (
            Level.AMBER,
            f"more than {NEURO_WINDOW_WEEKS} weeks after the infusion a score of {ICE_RED_AT_ANY_TIME + 1} "
            f"to {ICE_MAX - 1} is worth a call today",
        )
    return None


def grade_handwriting(value: str, day: int | None) -> Level | None:
    """RED for a change within 8 weeks, AMBER after; None for "same" or "first"."""
    if value != "changed":
        return None
    return Level.RED if is_early(day) else Level.AMBER


def _day(entry: Entry, plan: Plan | None, now: datetime) -> int | None:
    return None if plan is None else plan.day_of(entry.recorded_at.astimezone(now.tzinfo))


def _day_words(day: int | None) -> str:
    if day is None:
        return f"cart does not know the infusion date, so it counts this as within {NEURO_WINDOW_WEEKS} weeks"
    if day < 0:
        return f"{-day} days before the infusion"
    return f"day {day} after the infusion"


@dataclass(frozen=True)
class NeuroFlag:
    """One ICE score or handwriting entry that needs action, with what to say about it."""

    level: Level
    entry: Entry
    text: str


def ice_flags(
    window: Sequence[Entry], history: Sequence[Entry], plan: Plan | None, now: datetime
) -> list[NeuroFlag]:
    """Every ICE score in ``window`` that needs action, each compared with the scores before it
    in ``history`` (pass the person's whole ICE history, so the best is truly their best)."""
    flags: list[NeuroFlag] = []
    for reading in sorted(scores(window, "ice"), key=lambda r: r.entry.recorded_at):
        entry, score = reading.entry, reading.value
        comparison = compare(history, entry.recorded_at)
        best = comparison.best.score if comparison.best is not None else None
        day = _day(entry, plan, now)
        grade = grade_ice(score, best, day)
        if grade is None:
            continue
        level, reason = grade
        text = (
            f"ICE score {score}/10 at {local_time(entry.recorded_at, now)} ({_day_words(day)}): "
            f"{reason}. {comparison_text(comparison, now)}"
        )
        flags.append(NeuroFlag(level, entry, text))
    return flags


def handwriting_flags(window: Sequence[Entry], plan: Plan | None, now: datetime) -> list[NeuroFlag]:
    """Every handwriting "changed" in ``window``, graded by its day."""
    flags: list[NeuroFlag] = []
    for entry in window:
        if entry.kind != "handwriting" or entry.handwriting is None:
            continue
        day = _day(entry, plan, now)
        level = grade_handwriting(entry.handwriting, day)
        if level is not None:
            text = f"Handwriting changed at {local_time(entry.recorded_at, now)} ({_day_words(day)})."
            flags.append(NeuroFlag(level, entry, text))
    return flags
