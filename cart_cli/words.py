"""Words people use: screening free text for the signs it names, as data.

A frightened carer types what they see ("can't wake him", "handwriting gone shaky"), not a
vocabulary term. Text cart cannot match to a symptom is stored as typed and graded here by the
most urgent sign its words name (docs/clinical-basis.md, section 4): emergency, then red, else
amber. Free text is never graded lower than amber, whatever it says.

Each list holds word stems and phrases in folded form (lower case, no apostrophes, punctuation
as spaces). A trailing ``*`` means "and any ending": ``confus*`` covers confused and confusion.
A phrase matches whole words only, so ``hot`` does not match "photo". Everyday spellings and
other English-speaking countries' words are listed beside the textbook ones.

Also here, as data: the medicines that bring a temperature down (T16), and the filler words a
phrase may hold between symptom names ("and", "him", "very").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import cache

from .levels import Level

# fmt: off
SIGN_WORDS: dict[Level, tuple[str, ...]] = {
    # call the emergency number now (docs/clinical-basis.md section 3; T6, T15, T19-T21, T27)
    Level.EMERGENCY: (
        "fit", "fits", "fitting", "having a fit", "seiz*", "seizure*", "convuls*",
        "unconscious", "unresponsive", "not responding", "unrousable", "wont respond",
        "doesnt respond", "not respond*", "no response", "cant rouse", "cannot rouse",
        "wont wake*", "cant wake*", "cannot wake*", "can not wake*", "hard to wake*",
        "difficult to wake*", "not waking*", "will not wake*",
        "collaps*", "fainted", "fainting", "passed out", "passing out", "blacked out",
        "blackout", "black out", "keeled over",
        "cant breathe", "cannot breathe", "can not breathe", "not breathing", "stopped breathing",
        "breathless at rest", "short of breath at rest", "shortness of breath at rest",
        "out of breath at rest", "breathless even at rest", "short of breath even at rest",
        "breathless sitting still", "struggling to breathe", "struggling for breath", "gasping",
        "swollen tongue", "swollen lip*", "swollen throat", "tongue swell*", "lip swell*",
        "lips swell*", "throat swell*", "swelling of the tongue", "swelling of tongue",
        "swelling of the lips", "swelling of lips", "swelling of the throat",
        "swelling of throat", "throat closing", "anaphyla*", "choking", "choked",
        "blue lips", "lips blue", "turning blue", "going blue", "grey lips", "gray lips",
        "lips grey", "lips gray", "blue skin", "grey skin", "gray skin", "blue tongue",
        "cyano*", "mottl*", "ashen",
        "rash that doesnt fade", "rash doesnt fade", "rash that does not fade",
        "rash does not fade", "rash not fading", "non blanching", "nonblanching", "purpur*",
        "face droop*", "drooping face", "droopy face", "facial droop*", "one side weak*",
        "weak on one side", "weakness on one side", "weakness down one side", "stroke",
    ),
    # call the team's 24-hour number now (section 4)
    Level.RED: (
        # the nervous system (ICANS)
        "confus*", "muddled", "disorienta*", "disoriented", "not making sense",
        "making no sense", "talking nonsense", "cant speak", "cannot speak", "can not speak",
        "slurr*", "word finding", "find words", "finding words", "find the words", "jerk*",
        "handwriting", "writing changed", "shak*", "tremor*", "trembl*", "twitch*",
        "drows*", "sleepy", "hard to rouse", "seeing things", "hearing things", "hallucinat*",
        "severe headache", "bad headache", "headache*", "stiff neck", "neck stiff*",
        "weakness", "weak", "numb*", "drooping", "blurr*", "double vision", "gibberish",
        "nonsense",
        "dizz*", "faint", "light headed*", "lightheaded*", "unsteady", "clumsy", "vertigo",
        # infection and cytokine release syndrome
        "fever*", "feverish", "hot", "temperature", "temp", "high temp", "pyrexi*",
        "febrile", "shiver*", "rigor*", "rigour*", "chill*", "flu", "flu like",
        "cough*", "chest pain*", "chest tight*", "tight chest", "breathless*",
        "short of breath", "shortness of breath", "out of breath", "difficulty breathing",
        "trouble breathing", "hard to breathe", "wheez*",
        "vomit*", "being sick", "been sick", "was sick", "is sick", "throwing up",
        "threw up", "throw up", "puk*", "keep anything down", "keep fluids down",
        "keep drinks down", "keep water down", "keep medicine* down", "keep tablets down",
        "keep pills down", "keeping anything down", "diarrh*", "runny poo*", "watery poo*", "the runs",
        "blood*", "bleed*", "nosebleed*", "nose bleed*", "bruis*",
        "no urine", "no wee", "no pee", "not weeing", "not peeing", "not passing urine",
        "not passed urine", "havent weed", "havent peed", "cant wee", "cant pee",
        "burning", "stinging", "smelly", "tummy pain", "tummy ache", "stomach pain",
        "stomach ache", "belly pain", "belly ache", "abdominal pain",
        "central line", "picc", "hickman", "line red*", "redness", "discharge", "pus",
        "ooz*", "extremely tired", "exhausted", "exhaustion", "unwell", "ill", "poorly",
        # allergic reaction
        "rash*", "hives", "welts", "itch*", "swell*", "swollen", "allerg*",
    ),
    # everything else is amber; these are listed so `cart symptoms` can show examples
    Level.AMBER: (
        "nausea", "nauseous", "queasy", "sore throat", "sore mouth", "mouth ulcer*",
        "appetite", "constipat*", "aches", "achy",
    ),
}

# Medicines that bring a temperature down and so can hide a fever (T16), with brand names
# from the UK, the US and elsewhere; each maps to its generic name.
FEVER_MEDICINES: dict[str, str] = {
    "paracetamol": "paracetamol", "acetaminophen": "paracetamol", "calpol": "paracetamol",
    "panadol": "paracetamol", "tylenol": "paracetamol", "co codamol": "paracetamol",
    "cocodamol": "paracetamol", "co dydramol": "paracetamol", "lemsip": "paracetamol",
    "beechams": "paracetamol", "solpadeine": "paracetamol", "tempra": "paracetamol",
    "ibuprofen": "ibuprofen", "nurofen": "ibuprofen", "advil": "ibuprofen",
    "motrin": "ibuprofen", "brufen": "ibuprofen", "calprofen": "ibuprofen",
    "aspirin": "aspirin", "disprin": "aspirin", "anadin": "aspirin", "bayer": "aspirin",
    "excedrin": "aspirin", "naproxen": "naproxen", "aleve": "naproxen",
    "naprosyn": "naproxen",
}

# Words that may sit between symptom names in a phrase without changing what is meant:
# "confused and sleepy", "can't wake him", "having a fit".
FILLER_WORDS = frozenset({
    "a", "an", "and", "the", "with", "plus", "also", "but", "or", "then", "now", "of",
    "he", "she", "they", "him", "her", "them", "i", "im", "me", "my", "his", "their",
    "is", "are", "was", "were", "be", "been", "has", "have", "had", "having", "got",
    "gone", "getting", "feel", "feels", "feeling", "felt", "seems", "seem", "looks",
    "very", "really", "quite", "bit", "little", "lot", "so", "too", "up", "all", "some",
    "today", "tonight", "again", "since", "this", "morning", "evening", "night", "still",
})
# fmt: on

FUZZY_MIN_CHARS = 5  # shorter words are too easily confused with each other
FUZZY_RATIO = 0.8  # how close a typo must be to a listed word to be read as it


def fold(text: str) -> str:
    """Lower case, apostrophes dropped, anything else that is not a letter or digit a space."""
    text = text.casefold().replace("\u2019", "").replace("'", "")
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text).split())


def _pattern(phrase: str) -> str:
    parts = [
        re.escape(word.rstrip("*")) + ("[a-z]*" if word.endswith("*") else "") for word in phrase.split()
    ]
    return r"(?<![a-z0-9])" + " ".join(parts) + r"(?![a-z0-9])"


@cache
def _patterns() -> dict[Level, tuple[tuple[str, re.Pattern[str]], ...]]:
    """The phrases as compiled patterns, built on first use (it costs a few ms at start-up)."""
    return {
        level: tuple((phrase, re.compile(_pattern(phrase))) for phrase in phrases)
        for level, phrases in SIGN_WORDS.items()
    }


# Single words, for reading a typo as the word it is close to ("siezure", "cofused").
_FUZZY_STEMS: tuple[tuple[Level, str, str], ...] = tuple(
    (level, phrase, phrase.rstrip("*"))
    for level in (Level.EMERGENCY, Level.RED)
    for phrase in SIGN_WORDS[level]
    if " " not in phrase and len(phrase.rstrip("*")) >= FUZZY_MIN_CHARS
)


@dataclass(frozen=True)
class Screening:
    """How free text was graded: the level, the listed words it names, and typos read as words.

    ``signs`` are the words of the text that name a sign at ``level`` (the most urgent one
    found), as folded; ``guesses`` are (typed word, listed stem) pairs read by closeness, e.g.
    ("siezure", "seizure").
    """

    level: Level
    signs: tuple[str, ...]
    guesses: tuple[tuple[str, str], ...]


def _close(token: str, stem: str, open_ended: bool) -> bool:
    ratio = SequenceMatcher(None, token, stem).ratio()
    if open_ended:
        ratio = max(ratio, SequenceMatcher(None, token[: len(stem)], stem).ratio())
    return ratio >= FUZZY_RATIO


def screen(text: str) -> Screening:
    """The most urgent sign ``text`` names (emergency > red), else amber. Never lower than amber."""
    folded = fold(text)
    found: dict[Level, list[str]] = {Level.EMERGENCY: [], Level.RED: []}
    matched_spans: list[tuple[int, int]] = []
    for level in (Level.EMERGENCY, Level.RED):
        for _phrase, pattern in _patterns()[level]:
            for match in pattern.finditer(folded):
                found[level].append(match.group())
                matched_spans.append(match.span())
                break
    guesses: list[tuple[str, str]] = []
    position = 0
    for token in folded.split():
        start = folded.index(token, position)
        position = start + len(token)
        if len(token) < FUZZY_MIN_CHARS or token in FILLER_WORDS:
            continue
        if any(s <= start < e for s, e in matched_spans):
            continue
        for level, phrase, stem in _FUZZY_STEMS:
            if _close(token, stem, phrase.endswith("*")):
                found[level].append(token)
                guesses.append((token, stem))
                break
    for level in (Level.EMERGENCY, Level.RED):
        if found[level]:
            return Screening(level, tuple(dict.fromkeys(found[level])), tuple(guesses))
    return Screening(Level.AMBER, (), ())


def fever_medicine(name: str) -> str | None:
    """The generic name if ``name`` is a medicine that brings a temperature down, else None.

    A name holding one (e.g. "Calpol 5ml", "ibuprofen 400mg") counts too.
    """
    folded = fold(name)
    for word, generic in FEVER_MEDICINES.items():
        if re.search(_pattern(word), folded):
            return generic
    return None
