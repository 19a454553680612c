"""Free text read as concepts (docs/clinical-basis.md section 4), graded by the real rules.

``tests/data/own_words.txt`` holds phrases written from the reference: every concept in
everyday forms, negations and hedges, misspellings, British and American words, and other
keyboards, each with the concepts it must name and the level the check gives it alone.
"""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cart_cli.language.concepts import CONCEPTS
from cart_cli.language.normalise import APOSTROPHES
from cart_cli.language.reader import read
from cart_cli.levels import Level
from cart_cli.models import Entry, Plan
from cart_cli.rules import evaluate
from cart_cli.symptoms import symptom_entries

CORPUS = Path(__file__).parent / "data" / "own_words.txt"
NOW = datetime(2026, 3, 11, 12, 0, tzinfo=UTC)
PLAN = Plan(infusion_date=date(2026, 3, 1))  # day 10


def _cases() -> list[tuple[str, tuple[str, ...], str]]:
    cases = []
    for line in CORPUS.read_text("utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        level, concepts, phrase = (part.strip() for part in line.split("|", 2))
        names = tuple(name.strip() for name in concepts.split(",") if name.strip() != ".")
        cases.append((level, names, phrase))
    return cases


CASES = _cases()


def check_level(phrase: str, *more: Entry) -> str:
    """The check's level for this phrase logged now (with ``more`` entries), as a word."""
    entries = [
        entry.__class__(**{**entry.__dict__, "id": number})
        for number, entry in enumerate([*symptom_entries(phrase, NOW, None, None), *more], start=1)
    ]
    result = evaluate(entries, PLAN, NOW, NOW - timedelta(hours=24))
    return str(result.level)


def test_the_corpus_is_large_and_covers_every_concept():
    """At least 400 phrases; every concept of section 4 in three forms, two denials and a hedge."""
    assert len(CASES) >= 400
    assert len({phrase for _, _, phrase in CASES}) == len(CASES), "a phrase is listed twice"
    for concept in CONCEPTS:
        if concept.level == Level.GREEN:
            continue  # everyday phrases that only look like a sign ("fit and well")
        named = [(level, phrase) for level, names, phrase in CASES if concept.name in names]
        denied = [
            phrase for _, names, phrase in CASES if {f"-{concept.name}", f"!{concept.name}"} & set(names)
        ]
        assert len(named) >= 3, concept.name
        assert len(denied) >= 1 if "@neg" in "".join(concept.patterns) else len(denied) >= 2, concept.name


@pytest.mark.parametrize(("level", "concepts", "phrase"), CASES, ids=[c[2] for c in CASES])
def test_each_phrase_reads_as_its_concepts_at_its_level(level, concepts, phrase):
    """The phrase names (or denies) its concepts, and the check gives it its level."""
    reading = read(phrase)
    counted = {m.concept.name for m in reading.counted}
    denied = {m.concept.name for m in reading.denied}
    for name in concepts:
        if name.startswith("-"):
            assert name[1:] in denied and name[1:] not in counted, (name, reading)
        elif name.startswith("!"):
            assert name[1:] not in counted, (name, reading)
        else:
            assert name in counted, (name, reading)
    assert check_level(phrase) == level


EMERGENCY_AND_RED = [
    (level, phrase) for level, names, phrase in CASES if level != "amber" and "," not in phrase
]
RANK = {"green": 0, "unknown": 0, "amber": 1, "red": 2, "emergency": 3}

# Latin letters and a look-alike from another script for each (Cyrillic, Greek).
LOOK_ALIKES = {"a": "\u0430", "c": "\u0441", "e": "\u0435", "i": "\u0456", "o": "\u043e", "p": "\u0440",
               "s": "\u0455", "x": "\u0445", "y": "\u0443", "j": "\u0458", "v": "\u03bd"}  # fmt: skip
INVISIBLE = ["\u00ad", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"]


@st.composite
def disguised(draw: st.DrawFn) -> tuple[str, str, str]:
    """A red or emergency phrase with soft hyphens, invisible characters, other apostrophes,
    fullwidth letters or look-alike letters put into it."""
    level, phrase = draw(st.sampled_from(EMERGENCY_AND_RED))
    chars = list(phrase)
    for _ in range(draw(st.integers(1, 4))):
        how = draw(st.sampled_from(["invisible", "apostrophe", "fullwidth", "look-alike"]))
        where = draw(st.integers(0, len(chars) - 1))
        char = chars[where]
        if how == "invisible" and where > 0:
            chars.insert(where, draw(st.sampled_from(INVISIBLE)))
        elif how == "apostrophe" and "'" in chars:
            chars[chars.index("'")] = draw(st.sampled_from(list(APOSTROPHES)))
        elif how == "fullwidth" and char.isascii() and char.isalpha():
            chars[where] = chr(ord(char) - 0x21 + 0xFF01)
        elif how == "look-alike" and char in LOOK_ALIKES:
            chars[where] = LOOK_ALIKES[char]
    return level, phrase, "".join(chars)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(disguised())
def test_pasted_or_disguised_text_never_lowers_a_red_or_emergency_phrase(case):
    """Soft hyphens, apostrophe variants, fullwidth and look-alike letters never lower the level."""
    level, phrase, typed = case
    assert RANK[check_level(typed)] >= RANK[level], (phrase, typed)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_reading_any_text_never_fails_and_is_never_below_amber(text):
    """Any text reads without error, and a reading is never below amber."""
    reading = read(text)
    assert reading.level.rank >= Level.AMBER.rank


def test_every_vocabulary_name_reads_as_its_own_symptom():
    """Each symptom name and alias, read as words, names a sign of the same group (the same rules)."""
    from cart_cli.language.concepts import concept_for_symptom
    from cart_cli.symptoms import VOCABULARY, by_name

    for symptom in VOCABULARY:
        level = concept_for_symptom()[symptom.name].level
        for word in (symptom.name, *symptom.aliases):
            reading = read(word)
            groups = {by_name(m.concept.symptom).group for m in reading.counted if m.concept.symptom}
            # the same group, or a more urgent sign of the revised reference ("face drooping": T20)
            assert symptom.group in groups or reading.level.rank > level.rank, (symptom.name, word)


def test_a_concept_has_the_level_of_its_vocabulary_symptom():
    """A sign in words never gets another level than the same sign from the list (day 10)."""
    from cart_cli.rules import symptom_level

    for concept in CONCEPTS:
        if concept.symptom is None:
            continue
        entry = Entry(kind="symptom", recorded_at=NOW, id=1, symptom=concept.symptom)
        assert symptom_level(entry, PLAN, NOW) == concept.level, concept.name


# --- every combination of section 3, through words and through the list --------------------


def _temp(celsius: float) -> Entry:
    return Entry(kind="temp", recorded_at=NOW - timedelta(minutes=5), celsius=celsius)


def _bp(systolic: int) -> Entry:
    return Entry(kind="bp", recorded_at=NOW - timedelta(minutes=5), systolic=systolic, diastolic=60)


COMBINATIONS = [
    # possible sepsis (T14, T19): a fever or feeling feverish with a high-risk sign
    ("sepsis: fever and altered mental state", "talking nonsense", "confusion", [_temp(38.5)], "emergency"),
    ("sepsis: fever and drowsiness", "keeps nodding off", "drowsiness", [_temp(38.4)], "emergency"),
    ("sepsis: fever and no urine", "hasn't had a wee all day", "no urine", [_temp(38.2)], "emergency"),
    ("sepsis: low temperature and confusion", "not making sense", "confusion", [_temp(35.8)], "emergency"),
    (
        "sepsis: feverish in words with low blood pressure",
        "burning up",
        "feeling feverish",
        [_bp(85)],
        "emergency",
    ),
    (
        "sepsis: shivering in words with low blood pressure",
        "teeth chattering",
        "shivering",
        [_bp(88)],
        "emergency",
    ),
    (
        "sepsis: both in words",
        "burning up and not making sense",
        "feeling feverish, confusion",
        [],
        "emergency",
    ),
    # anaphylaxis (T15): breathing trouble with a rash, hives or swelling
    ("anaphylaxis: hives and wheeze", "hives all over and wheezy", "hives, wheezing", [], "emergency"),
    (
        "anaphylaxis: rash and breathless",
        "rash on his chest, can't catch his breath",
        "rash, breathlessness",
        [],
        "emergency",
    ),
    # chest pain with breathlessness
    ("chest pain and breathless", "chest feels tight and SOB", "chest pain, breathlessness", [], "emergency"),
    # two ambers from different rules make red (T2)
    ("two ambers", "feeling sick", "nausea", [_temp(37.6)], "red"),
]


@pytest.mark.parametrize(
    ("name", "words", "names", "more", "level"), COMBINATIONS, ids=[c[0] for c in COMBINATIONS]
)
def test_every_combination_is_reached_through_words_as_through_the_list(name, words, names, more, level):
    """A combination of section 3 gives the same level whether its signs are typed in words or chosen."""
    chosen = [Entry(kind="symptom", recorded_at=NOW, symptom=n.strip()) for n in names.split(",")]
    by_words = check_level(words, *more)
    entries = [
        e.__class__(**{**e.__dict__, "id": i}) for i, e in enumerate(itertools.chain(chosen, more), start=1)
    ]
    result = evaluate(entries, PLAN, NOW, NOW - timedelta(hours=24))
    by_list = str(result.level)
    assert (by_words, by_list) == (level, level)


# --- answers to cart's questions count as signs of the phrase ------------------------------


@pytest.mark.parametrize(
    ("answers", "more", "level"),
    [
        ("unresponsive=yes", [], "emergency"),
        ("unresponsive=unsure", [], "red"),  # not sure never makes an emergency on its own
        ("unresponsive=no", [], "amber"),  # asked and answered: the words alone
        ("altered_mental_state=unsure", [_temp(38.5)], "emergency"),  # but it joins sepsis
        ("no_urine=yes", [_temp(38.2)], "emergency"),
        ("no_urine=no;shivering=no", [_temp(37.0)], "amber"),
        ("not=a;valid answer", [], "amber"),  # stored text that does not parse is ignored
    ],
)
def test_answers_count_as_signs_of_the_phrase(answers, more, level):
    """Yes counts the sign; not sure counts it but never makes an emergency alone; no counts nothing."""
    phrase = Entry(
        kind="symptom", recorded_at=NOW, symptom="other", other="his feet look funny", answers=answers
    )
    entries = [e.__class__(**{**e.__dict__, "id": i}) for i, e in enumerate([phrase, *more], start=1)]
    result = evaluate(entries, PLAN, NOW, NOW - timedelta(hours=24))
    assert str(result.level) == level
