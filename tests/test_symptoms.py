"""Tests for the symptom vocabulary: every alias resolves, none collide, typing is forgiven."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cart_cli import symptoms
from cart_cli.errors import InvalidInput
from cart_cli.symptoms import GROUPS, VOCABULARY, by_group, by_name, lookup

ALL_WORDS = [(word, s.name) for s in VOCABULARY for word in (s.name, *s.aliases)]


def _fold(text: str) -> str:
    """An independent folding of a name: what the vocabulary promises to ignore."""
    text = text.lower().replace("'", "").replace("-", " ").replace("_", " ")
    return " ".join(text.split())


@pytest.mark.parametrize(("word", "name"), ALL_WORDS)
def test_every_name_and_alias_resolves_to_its_symptom(word, name):
    """Each canonical name and alias looks up to the symptom that lists it."""
    assert lookup(word).name == name


def test_no_alias_is_shared_by_two_symptoms():
    """After folding case, spaces, hyphens and apostrophes, each word means one symptom."""
    owners: dict[str, set[str]] = {}
    for word, name in ALL_WORDS:
        owners.setdefault(_fold(word), set()).add(name)
    shared = {word: names for word, names in owners.items() if len(names) > 1}
    assert shared == {}


def test_canonical_names_are_unique_short_lowercase_words():
    """Canonical names are unique, lower case and never the reserved word "other"."""
    names = [s.name for s in VOCABULARY]
    assert len(names) == len(set(names))
    for name in names:
        assert name == name.lower().strip()
        assert name != "other"
        assert len(name.split()) <= 4


def test_every_symptom_has_a_known_group_and_a_description():
    """Each symptom belongs to a group in GROUPS and has a one-line description."""
    for symptom in VOCABULARY:
        assert symptom.group in GROUPS
        assert symptom.description and "\n" not in symptom.description


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("runny poo", "diarrhoea"),
        ("being sick", "vomiting"),
        ("shaking", "tremor"),
        ("shivers", "shivering"),
        ("diarrhea", "diarrhoea"),
        ("shaking chills", "shivering"),
        ("chills", "shivering"),
        ("rigors", "shivering"),
        ("short of breath", "breathlessness"),
        ("breathless at rest", "breathless at rest"),
        ("light-headed", "dizziness"),
        ("lightheaded", "dizziness"),
        ("disoriented", "confusion"),
        ("disorientated", "confusion"),
        ("smelly wee", "smelly urine"),
        ("painful wee", "pain passing urine"),
        ("blood in poo", "blood in stool"),
        ("line leaking", "central line discharge"),
        ("redness around line", "central line redness"),
        ("flu like", "flu-like symptoms"),
        ("aches and pains", "flu-like symptoms"),
        ("convulsion", "seizure"),
        ("fit", "seizure"),
        ("unresponsive", "very hard to wake"),
        ("generally unwell", "feeling unwell"),
        ("swollen lips", "swollen tongue or throat"),  # T15: an emergency
        ("passed out", "collapse"),
        ("hard to wake up", "very hard to wake"),
        ("shortness of breath at rest", "breathless at rest"),
        ("feeling sick", "nausea"),
    ],
)
def test_words_from_the_seed_and_issue_resolve(typed, expected):
    """The everyday words people use map to the symptom the seed means."""
    assert lookup(typed).name == expected


@pytest.mark.parametrize(
    "typed",
    [
        "Runny Poo",
        "  runny   poo ",
        "runny-poo",
        "runny_poo",
        "RUNNY POO.",
        "runny poo!",
        '"runny poo"',
    ],
)
def test_case_spacing_hyphens_and_trailing_punctuation_are_forgiven(typed):
    """Case, extra spaces, hyphens/underscores and end punctuation do not change the match."""
    assert lookup(typed).name == "diarrhoea"


@pytest.mark.parametrize("typed", ["can't wake", "cant wake", "can\u2019t wake"])
def test_apostrophes_are_forgiven(typed):
    """Straight, curly or missing apostrophes all match."""
    assert lookup(typed).name == "very hard to wake"


def test_unknown_name_suggests_closest_matches_and_other():
    """A misspelt name is refused, naming close symptoms and the --other escape hatch."""
    with pytest.raises(InvalidInput) as caught:
        lookup("diarhoea")
    message = caught.value.message
    assert "diarrhoea" in message
    assert "--other" in message
    assert caught.value.exit_code == 2


def test_unknown_name_suggests_at_most_three():
    """No more than three suggestions are offered."""
    with pytest.raises(InvalidInput) as caught:
        lookup("line")
    message = caught.value.message
    suggested = [s.name for s in VOCABULARY if s.name in message]
    assert len(suggested) <= 3


def test_unrelated_text_is_refused_with_the_other_hint():
    """Text that resembles nothing is refused and points to --other."""
    with pytest.raises(InvalidInput) as caught:
        lookup("zzzzqqq")
    assert "--other" in caught.value.message


@pytest.mark.parametrize("typed", ["", "   ", "...", "-"])
def test_empty_text_is_refused(typed):
    """Empty text (after folding) is invalid input, not a crash."""
    with pytest.raises(InvalidInput):
        lookup(typed)


def test_other_is_not_a_symptom_name():
    """ "other" is reserved for free text and is not looked up as a symptom."""
    with pytest.raises(InvalidInput):
        lookup("other")


def test_by_name_finds_canonical_names_only():
    """by_name takes exact canonical names and raises KeyError for aliases."""
    assert by_name("tremor").group == "neuro"
    with pytest.raises(KeyError):
        by_name("shaking")


def test_by_group_keeps_display_order_and_every_symptom():
    """by_group lists groups in GROUPS order and holds each symptom once."""
    groups = by_group()
    assert list(groups) == list(GROUPS)
    listed = [s for members in groups.values() for s in members]
    assert sorted(s.name for s in listed) == sorted(s.name for s in VOCABULARY)
    for group, members in groups.items():
        assert all(s.group == group for s in members)


@pytest.mark.parametrize(
    ("name", "group"),
    [
        ("shivering", "infection"),
        ("cough", "infection"),
        ("chest pain", "infection"),
        ("extreme tiredness", "infection"),
        ("flu-like symptoms", "crs"),
        ("confusion", "mental"),
        ("drowsiness", "mental"),
        ("hallucinations", "mental"),
        ("speech problems", "speech"),
        ("tremor", "neuro"),
        ("headache", "neuro"),
        ("dizziness", "neuro"),
        ("rash", "allergy"),
        ("seizure", "emergency"),
        ("very hard to wake", "emergency"),
        ("breathless at rest", "emergency"),
    ],
)
def test_groups_follow_the_seed(name, group):
    """Symptoms sit in the group the seed and clinical reference put them in."""
    assert by_name(name).group == group


def test_vocabulary_covers_the_seeds_infection_signs():
    """Every non-temperature sign of infection on the seed page is in the infection group."""
    seed_signs = [
        "shivering",
        "cough",
        "chest pain",
        "breathlessness",
        "extreme tiredness",
        "central line redness",
        "central line pain",
        "central line discharge",
        "vomiting",
        "tummy pain",
        "pain passing urine",
        "smelly urine",
        "diarrhoea",
        "blood in stool",
        "feeling unwell",
    ]
    for name in seed_signs:
        assert by_name(name).group == "infection"


@given(st.text())
def test_any_text_gives_a_symptom_or_invalid_input(text):
    """Whatever is typed, lookup returns a Symptom or raises InvalidInput, nothing else."""
    try:
        result = lookup(text)
    except InvalidInput as error:
        assert error.message
    else:
        assert isinstance(result, symptoms.Symptom)


@pytest.mark.parametrize("text", ["fatigue", "Tired", "tiredness"])
def test_plain_tiredness_points_to_the_fatigue_score(text):
    """Ordinary tiredness is refused as a symptom with a pointer to `cart log fatigue N`."""
    with pytest.raises(InvalidInput, match="cart log fatigue N"):
        symptoms.lookup(text)


@pytest.mark.parametrize("text", ["faint", "feeling faint"])
def test_feeling_faint_is_dizziness(text):
    """Feeling faint is logged as dizziness (a nervous-system sign in the seed's list)."""
    assert symptoms.lookup(text).name == "dizziness"
