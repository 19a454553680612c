"""What a symptom entry counts as: the vocabulary symptom it names, or the signs its words name.

A symptom chosen from the list (``symptom="cough"``) is that symptom. A phrase in a person's
own words (``symptom="other"``, the words in ``other``) is read by ``language.reader``: each
concept its words name that equals a vocabulary symptom counts exactly as that symptom, in
every rule and combination (docs/clinical-basis.md section 3: "A sign recognised in a
person's own words counts exactly as the same sign chosen from the vocabulary"). Concepts with
no vocabulary symptom (blue lips, a rash that does not fade...) are graded by their own level.
Denied signs ("no fever") count as nothing.

Answers to cart's questions about a phrase are part of the entry too (``answers``): a "yes"
counts as the sign; "not sure" counts as the sign but never makes an emergency on its own.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache, lru_cache
from typing import TYPE_CHECKING, NamedTuple

from cart_cli.errors import InvalidInput
from cart_cli.levels import Level

# The symptom list and the questions are imported by the functions that need them, once an
# entry is a symptom: the check of a window of readings alone (`cart log temp`) never does.
if TYPE_CHECKING:
    from cart_cli.language.concepts import Concept
    from cart_cli.language.questions import Question
    from cart_cli.language.reader import Mention, Reading
    from cart_cli.models import Entry
    from cart_cli.symptoms import Symptom


@cache
def _symptom_lookups() -> tuple[Callable[[str], Symptom], Callable[[str], Symptom]]:
    """The symptom list's two lookups, imported at the first symptom entry (a window of readings
    alone needs none) and kept: an import statement run for every entry of every rule cost a
    long report a third of its time."""
    from cart_cli.symptoms import by_name, lookup

    return by_name, lookup


def vocabulary_symptom(entry: Entry) -> Symptom | None:
    """The vocabulary symptom of a symptom entry, or None when it is in the person's words.

    Stored names are canonical, but a name from an older vocabulary is looked up as an alias
    too; whatever still is not known is read as words, never ignored.
    """
    if entry.kind != "symptom" or not entry.symptom or entry.symptom == "other":
        return None
    return _vocabulary_named(entry.symptom)


@lru_cache(maxsize=4096)
def _vocabulary_named(name: str) -> Symptom | None:
    """``vocabulary_symptom`` of a stored name: a pure function of the name (the symptom list
    is constant), kept because every rule asks it of every entry in its window."""
    by_name, lookup = _symptom_lookups()
    try:
        return by_name(name)
    except KeyError:
        pass
    try:
        return lookup(name)
    except InvalidInput:
        return None


def own_words(entry: Entry) -> str | None:
    """The person's own words of a symptom entry that is not a vocabulary symptom, else None."""
    if entry.kind != "symptom" or vocabulary_symptom(entry) is not None:
        return None
    return (entry.other if entry.symptom == "other" else entry.symptom) or ""


def reading_of(entry: Entry) -> Reading | None:
    """How the entry's own words read (docs/clinical-basis.md section 4), else None."""
    text = own_words(entry)
    if text is None:
        return None
    from cart_cli.language.reader import read

    return read(text)


class Sign(NamedTuple):  # never replaced nor compared with a tuple: cheaper to define
    """One sign an entry counts as: its concept, the words that named it, how sure."""

    concept: Concept
    words: str
    status: str  # "present", "hedged", "yes" (answered) or "unsure" (answered "not sure")

    @property
    def level(self) -> Level:
        """The concept's level; "not sure" never makes an emergency on its own."""
        from cart_cli.language.questions import UNSURE

        if self.status == UNSURE and self.concept.level == Level.EMERGENCY:
            return Level.RED
        return self.concept.level


def signs_of(entry: Entry) -> tuple[Sign, ...]:
    """The signs a phrase entry counts as: its words' counted concepts, then the signs the
    person answered "yes" or "not sure" to when cart asked (``answers``)."""
    if entry.kind != "symptom":
        return ()  # only a symptom entry has words (``own_words``)
    return _signs_of(entry.symptom, entry.other, entry.answers)


def _stand_in(symptom: str | None, other: str | None, answers: str | None) -> Entry:
    """A symptom entry with only the fields what it counts as is worked out from (its kind,
    ``symptom``, ``other`` and ``answers``; never its time or id)."""
    from datetime import UTC, datetime

    from cart_cli.models import Entry

    return Entry("symptom", datetime(2000, 1, 1, tzinfo=UTC), symptom=symptom, other=other, answers=answers)


@lru_cache(maxsize=4096)
def _signs_of(symptom: str | None, other: str | None, answers: str | None) -> tuple[Sign, ...]:
    """``signs_of`` a symptom entry, a pure function of these three fields (the reader, the
    concepts and the questions are constant), so worked out once per phrase and not again by
    every rule for every day whose window holds the entry (a long report asked 160,000 times
    for 15,000 entries)."""
    entry = _stand_in(symptom, other, answers)
    reading = reading_of(entry)
    if reading is None:
        return ()
    found = [Sign(m.concept, m.words, m.status) for m in reading.counted]
    if not answers:
        return tuple(found)  # nothing was asked (and the questions module is not loaded)
    from cart_cli.language.questions import NO, YES

    named = {sign.concept.name for sign in found}
    for name, answer in answers_of(entry).items():
        if answer == NO or name in named:
            continue
        from cart_cli.language.reader import concept_named

        try:
            concept = concept_named(name)
        except KeyError:
            continue  # a question this version of cart does not ask: the words still count
        found.append(Sign(concept, f"answered {'yes' if answer == YES else 'not sure'}", answer))
    return tuple(found)


def answers_of(entry: Entry) -> dict[str, str]:
    """The answers stored with an entry: {concept: "yes" | "no" | "unsure"}."""
    from cart_cli.language.questions import parse_answers

    return parse_answers(entry.answers)


def denied_of(entry: Entry) -> tuple[Mention, ...]:
    """The signs a phrase entry's words deny ("no fever")."""
    reading = reading_of(entry)
    return reading.denied if reading is not None else ()


def symptoms_of(entry: Entry, *, emergency: bool = True) -> tuple[Symptom, ...]:
    """The vocabulary symptoms an entry counts as: its own, or those its words name.

    With ``emergency=False`` an emergency symptom the person was not sure of is left out (it
    is graded red by ``words_at``, never an emergency on its own).
    """
    if entry.kind != "symptom":
        return ()  # neither a vocabulary symptom nor words (``vocabulary_symptom``, ``own_words``)
    return _symptoms_of(entry.symptom, entry.other, entry.answers, emergency)


@lru_cache(maxsize=4096)
def _symptoms_of(
    symptom_name: str | None, other: str | None, answers: str | None, emergency: bool
) -> tuple[Symptom, ...]:
    """``symptoms_of`` a symptom entry: a pure function of these fields, kept (``_signs_of``)."""
    entry = _stand_in(symptom_name, other, answers)
    symptom = vocabulary_symptom(entry)
    if symptom is not None:
        return (symptom,)
    found: list[Symptom] = []
    for sign in signs_of(entry):
        if sign.concept.symptom is None:
            continue
        if not emergency and sign.level != sign.concept.level:
            continue
        from cart_cli.symptoms import by_name

        vocabulary = by_name(sign.concept.symptom)
        if vocabulary not in found:
            found.append(vocabulary)
    return tuple(found)


def symptom_groups_of(entry: Entry, *, emergency: bool = True) -> frozenset[str]:
    """The groups of ``symptoms_of(entry, emergency=emergency)``, as a set (kept per phrase)."""
    if entry.kind != "symptom":
        return frozenset()
    return _symptom_groups(entry.symptom, entry.other, entry.answers, emergency)


def symptom_names_of(entry: Entry, *, emergency: bool = True) -> frozenset[str]:
    """The names of ``symptoms_of(entry, emergency=emergency)``, as a set (kept per phrase)."""
    if entry.kind != "symptom":
        return frozenset()
    return _symptom_names(entry.symptom, entry.other, entry.answers, emergency)


@lru_cache(maxsize=4096)
def _symptom_groups(
    symptom: str | None, other: str | None, answers: str | None, emergency: bool
) -> frozenset[str]:
    return frozenset(s.group for s in _symptoms_of(symptom, other, answers, emergency))


@lru_cache(maxsize=4096)
def _symptom_names(
    symptom: str | None, other: str | None, answers: str | None, emergency: bool
) -> frozenset[str]:
    return frozenset(s.name for s in _symptoms_of(symptom, other, answers, emergency))


def words_at(entry: Entry, level: Level) -> tuple[Sign, ...]:
    """The signs of a phrase entry at ``level`` that the vocabulary rules do not grade: those
    with no vocabulary symptom, and emergency signs the person was not sure of (red)."""
    return tuple(
        sign
        for sign in signs_of(entry)
        if sign.level == level and (sign.concept.symptom is None or sign.level != sign.concept.level)
    )


def unread_of(entry: Entry) -> tuple[str, ...]:
    """The words of a phrase entry that cart could not read."""
    reading = reading_of(entry)
    return reading.unread if reading is not None else ()


def recognised_words(entry: Entry) -> str:
    """How a phrase entry was read, in a few words: ``read as: confused or not making sense``,
    ``not present: a fever``, or ``own words`` when it names no sign cart knows."""
    reading = reading_of(entry)
    if reading is None:
        return "own words"
    parts = []
    if reading.counted:
        parts.append("read as: " + ", ".join(m.concept.label for m in reading.counted))
    if reading.denied:
        parts.append("not present: " + ", ".join(m.concept.label for m in reading.denied))
    parts += _answer_words(entry)
    return "; ".join(parts) if parts else "own words"


def _answer_words(entry: Entry) -> list[str]:
    """``answered yes: hard to wake``, ``not sure: no wee``, ``answered no: a fit``."""
    if not entry.answers:
        return []  # nothing was asked (and the questions module is not loaded to say so)
    from cart_cli.language.questions import NO, UNSURE, YES
    from cart_cli.language.reader import concept_named

    by_answer: dict[str, list[str]] = {}
    for name, answer in answers_of(entry).items():
        try:
            label = concept_named(name).label
        except KeyError:
            label = name
        by_answer.setdefault(answer, []).append(label)
    heading = {YES: "answered yes", UNSURE: "not sure", NO: "answered no"}
    return [f"{heading[answer]}: {', '.join(labels)}" for answer, labels in by_answer.items()]


def recognised_json(entry: Entry) -> list[dict[str, object]]:
    """The signs a phrase entry names or denies, for JSON: concept, label, level, the words
    that matched, and status ("present", "hedged" or "denied"; "yes" or "unsure" for a sign
    the person was asked about)."""
    reading = reading_of(entry)
    if reading is None:
        return []
    from cart_cli.language.questions import UNSURE, YES

    found: list[dict[str, object]] = [
        {
            "concept": m.concept.name,
            "label": m.concept.label,
            "level": m.concept.level,
            "symptom": m.concept.symptom,
            "words": m.words,
            "status": m.status,
        }
        for m in reading.mentions
    ]
    return found + [
        {
            "concept": sign.concept.name,
            "label": sign.concept.label,
            "level": sign.level,
            "symptom": sign.concept.symptom,
            "words": sign.words,
            "status": sign.status,
        }
        for sign in signs_of(entry)
        if sign.status in (YES, UNSURE)
    ]


def read_as(entry: Entry, level: str) -> str:
    """How cart read a symptom entry, in one line (``level`` is the entry's own level, from
    ``rules.symptom_level``): ``very hard to wake or not responding ("can't wake") -
    emergency; read as not present: "fever"; could not read: "purple"``."""
    reading = reading_of(entry)
    if reading is None:
        return f"{entry.symptom} - {level}"
    signs = [f'{m.concept.label} ("{m.words}")' for m in reading.counted]
    text = ", ".join(signs) if signs else "your own words, naming no sign cart knows"
    text += f" - {level}"
    if reading.denied:
        text += "; read as not present: " + ", ".join(f'"{m.words}"' for m in reading.denied)
    if reading.guesses:
        text += "; " + ", ".join(f'"{typo}" read as "{word}"' for typo, word in reading.guesses)
    if reading.unread:
        text += "; could not read: " + ", ".join(f'"{word}"' for word in reading.unread)
    for words in _answer_words(entry):
        text += f"; {words}"
    return text


def questions_of(entry: Entry) -> list[Question]:
    """The questions worth asking about a phrase entry (``language.questions``): when cart
    could not read all of its words, or they deny a sign, and none has been answered yet."""
    reading = reading_of(entry)
    if reading is None or entry.answers or not (reading.unread or reading.denied):
        return []
    from cart_cli.language.questions import questions_for

    counted = {m.concept.name for m in reading.counted}
    denied = {m.concept.name for m in reading.denied}
    return questions_for(counted, denied, reading.level)


def questions_text(entry: Entry, emergency_number: str) -> str | None:
    """The questions of a phrase entry as one line for a screen that cannot ask them (a
    script): what to call if any is true. None when there is nothing to ask."""
    asked = questions_of(entry)
    if not asked:
        return None
    from cart_cli.language.reader import concept_named  # only for a phrase with questions
    from cart_cli.safe_text import printable

    urgent = [q.text for q in asked if concept_named(q.concept).level == Level.EMERGENCY]
    red = [q.text for q in asked if concept_named(q.concept).level != Level.EMERGENCY]
    text = f'cart could not read all of "{printable(entry.other or "")}".'
    if urgent:
        text += f" If any of these is true, call {emergency_number} now: " + " ".join(urgent)
    if red:
        text += " If any of these is true, call your team now: " + " ".join(red)
    return text
