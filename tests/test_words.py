"""Free-text screening (docs/clinical-basis.md section 4) and splitting typed phrases."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cart_cli.levels import Level
from cart_cli.symptoms import read_phrase
from cart_cli.words import SIGN_WORDS, screen

EMERGENCY, RED, AMBER = Level.EMERGENCY, Level.RED, Level.AMBER  # short names for the tables


@pytest.mark.parametrize(
    ("text", "level"),
    [
        # emergency words (section 4)
        ("fit", EMERGENCY), ("seizure", EMERGENCY), ("convulsing", EMERGENCY),
        ("unconscious", EMERGENCY), ("unresponsive", EMERGENCY), ("won't wake", EMERGENCY),
        ("can't wake him", EMERGENCY), ("hard to wake", EMERGENCY), ("collapsed", EMERGENCY),
        ("fainted", EMERGENCY), ("passed out", EMERGENCY), ("blacked out", EMERGENCY),
        ("can't breathe", EMERGENCY), ("breathless at rest", EMERGENCY), ("gasping", EMERGENCY),
        ("swollen tongue", EMERGENCY), ("swollen lips", EMERGENCY), ("swollen throat", EMERGENCY),
        ("choking", EMERGENCY), ("he is seizing", EMERGENCY), ("seized up", EMERGENCY),
        ("won't respond to me", EMERGENCY), ("not responding", EMERGENCY),
        ("breathless even at rest", EMERGENCY), ("arm jerking", RED),
        # red words
        ("confused", RED), ("muddled", RED), ("disorientated", RED), ("not making sense", RED),
        ("can't speak", RED), ("slurred", RED), ("word-finding trouble", RED),
        ("handwriting changed", RED), ("shaking", RED), ("tremor", RED), ("twitching", RED),
        ("drowsy", RED), ("sleepy", RED), ("hard to rouse", RED), ("seeing things", RED),
        ("hallucinating", RED), ("severe headache", RED), ("stiff neck", RED),
        ("weakness in arm", RED), ("numb face", RED), ("fever", RED), ("hot", RED),
        ("temperature", RED), ("shivers", RED), ("rigors", RED), ("chills", RED), ("cough", RED),
        ("chest pain", RED), ("breathless", RED), ("wheeze", RED), ("rash", RED), ("hives", RED),
        ("itching with swelling", RED), ("vomiting", RED), ("being sick", RED),
        ("diarrhoea", RED), ("diarrhea", RED), ("blood in poo", RED), ("blood in pee", RED),
        ("bleeding gums", RED), ("nosebleed that won't stop", RED), ("bruising", RED),
        ("no urine", RED), ("not weeing", RED), ("burning when I pee", RED), ("smelly wee", RED),
        ("tummy pain", RED), ("redness at the line", RED), ("discharge from line", RED),
        ("dizzy", RED), ("faint", RED), ("extremely tired", RED), ("exhausted", RED),
        ("generally unwell", RED), ("throwing up", RED), ("blurred vision", RED),
        # amber: anything else
        ("nausea", AMBER), ("sore throat", AMBER), ("sore mouth", AMBER), ("poor appetite", AMBER),
        ("constipation", AMBER), ("aches", AMBER), ("photo of my knee", AMBER), ("", AMBER),
    ],
)  # fmt: skip
def test_screen_levels(text, level):
    """Each word of section 4 screens at its level; anything else is amber, never lower."""
    assert screen(text).level == level


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("confused and then had a fit", EMERGENCY),
        ("mild rash, then collapsed", EMERGENCY),
        ("sore throat, cough", RED),
    ],
)
def test_the_most_urgent_word_wins(text, level):
    """The most urgent word wins."""
    assert screen(text).level == level


@pytest.mark.parametrize(
    ("typo", "meant"), [("siezure", "seizure"), ("cofused", "confus"), ("diarhoea", "diarrh")]
)
def test_a_typo_is_read_as_the_word_it_is_close_to(typo, meant):
    """A typo is read as the word it is close to."""
    result = screen(typo)
    assert result.level in (RED, EMERGENCY)
    assert (typo, meant) in result.guesses


@pytest.mark.parametrize("text", ["hotel", "photograph", "fitness class", "shiny"])
def test_words_match_whole_words_only(text):
    """'hot' does not match 'hotel', 'fit' does not match 'fitness'."""
    assert screen(text).level == AMBER


def test_every_listed_phrase_screens_at_its_own_level_or_higher():
    """Every listed phrase screens at its own level or higher."""
    rank = {AMBER: 0, RED: 1, EMERGENCY: 2}
    for level, phrases in SIGN_WORDS.items():
        for phrase in phrases:
            assert rank[screen(phrase.replace("*", "")).level] >= rank[level], phrase


@given(st.text(max_size=200))
def test_screen_never_fails_and_never_goes_below_amber(text):
    """Screen never fails and never goes below amber."""
    assert screen(text).level in (AMBER, RED, EMERGENCY)


@pytest.mark.parametrize(
    ("typed", "names", "unmatched"),
    [
        ("hard to wake up", ("very hard to wake",), ()),
        ("can't wake him", ("very hard to wake",), ()),
        ("shortness of breath at rest", ("breathless at rest",), ()),
        ("confused and sleepy", ("confusion", "drowsiness"), ()),
        ("cough and fever", ("cough", "feeling feverish"), ()),
        ("having a fit", ("seizure",), ()),
        ("passed out", ("collapse",), ()),
        ("collapsed", ("collapse",), ()),
        ("aches and pains", ("flu-like symptoms",), ()),
        ("runny poo headache", ("diarrhoea", "headache"), ()),
        (
            "confused, can't find words, handwriting gone shaky",
            ("confusion", "speech problems", "tremor"),
            ("handwriting gone shaky",),
        ),
        ("sore toe", (), ("sore toe",)),
        ("cough, sore toe", ("cough",), ("sore toe",)),
        ("siezure", (), ("siezure",)),
    ],
)
def test_read_phrase_splits_into_symptoms_and_free_text(typed, names, unmatched):
    """Recognised names are picked out; any part with unknown words is kept whole, as typed."""
    reading = read_phrase(typed)
    assert reading.names == names
    assert reading.unmatched == unmatched


@given(st.text(max_size=200))
def test_read_phrase_never_fails(text):
    """Read phrase never fails."""
    reading = read_phrase(text)
    assert isinstance(reading.names, tuple) and isinstance(reading.unmatched, tuple)
