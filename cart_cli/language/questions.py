"""Questions cart asks when it cannot read all of a phrase, and how answers are stored.

When a phrase has words cart could not read, or words that deny a sign, cart does not guess:
at a terminal it asks a few yes / no / not sure questions about the signs that would change
the advice most (the emergency signs first, then the red signs that join the sepsis
combination), skipping any sign the words already name or deny. In a script nothing is asked
and the check lists the same questions as text.

An answer is stored with the phrase (the entry's ``answers``: ``concept=yes;concept=no``):
"yes" counts as the sign, "not sure" counts as the sign but never makes an emergency on its
own, "no" is kept as asked and answered. The same column holds the answer to "does this
medicine contain paracetamol, ibuprofen or a steroid?" on a medicine entry
(``fever_hiding=yes``).
"""

from __future__ import annotations

from typing import NamedTuple

from cart_cli.levels import Level

YES, NO, UNSURE = "yes", "no", "unsure"
ANSWERS = (YES, NO, UNSURE)
FEVER_HIDING = "fever_hiding"  # the key of the medicine question
MAX_ANSWERS_CHARS = 500


class Question(NamedTuple):  # a row of a constant table, never replaced: cheaper to define
    """A yes / no / not sure question about one concept, in plain words."""

    concept: str
    text: str


# In the order they are asked: emergencies first, then red signs that join the sepsis
# combination (docs/clinical-basis.md section 3).
QUESTIONS: tuple[Question, ...] = (
    Question("unresponsive", "Are they very hard to wake, or not responding to you?"),
    Question("breathing_difficulty", "Are they struggling to breathe, even sitting still?"),
    Question("airway_swelling", "Are their lips, tongue or throat swelling, or is their throat tight?"),
    Question("cyanosis", "Are their lips, tongue or skin blue or grey?"),
    Question("seizure", "Have they had a fit or seizure?"),
    Question("collapse", "Have they collapsed, fainted or passed out?"),
    Question("altered_mental_state", "Are they confused, or not making sense?"),
    Question("no_urine", "Have they passed no wee (urine) for many hours?"),
    Question("shivering", "Are they shivering or shaking with cold (rigors)?"),
)
MAX_QUESTIONS = 9  # never more: and asking stops at the first "yes" to an emergency sign

MEDICINE_QUESTION = (
    "Does it contain paracetamol (acetaminophen), ibuprofen or another anti-inflammatory, or a steroid?"
)


def questions_for(counted: set[str], denied: set[str], level: Level) -> list[Question]:
    """The questions worth asking about a phrase whose words name ``counted`` concepts and
    deny ``denied`` ones, when its words alone read at ``level``: only signs more urgent than
    what is already read, and never one the words already name or deny."""
    from cart_cli.language.reader import concept_named

    found = [
        q
        for q in QUESTIONS
        if q.concept not in counted
        and q.concept not in denied
        and concept_named(q.concept).level.rank > level.rank
    ]
    return found[:MAX_QUESTIONS]


def parse_answers(text: str | None) -> dict[str, str]:
    """``"unresponsive=no;no_urine=unsure"`` as a dict. Parts that are not ``key=answer`` with a
    known answer are left out: stored text never makes a reading fail."""
    found: dict[str, str] = {}
    for part in (text or "").split(";"):
        key, _, answer = part.strip().partition("=")
        if key and answer in ANSWERS:
            found[key] = answer
    return found


def format_answers(answers: dict[str, str]) -> str | None:
    """The stored form of answers (None for none)."""
    return ";".join(f"{key}={answer}" for key, answer in answers.items()) or None


def check_answers(text: str) -> str:
    """``text`` if every part is a known question's key with yes, no or unsure, else ValueError
    naming the first part that is not (for files being imported)."""
    from cart_cli.language.reader import concept_named

    for part in text.split(";"):
        key, _, answer = part.partition("=")
        if answer not in ANSWERS:
            raise ValueError(f"answer {part!r} is not KEY=yes, KEY=no or KEY=unsure")
        if key != FEVER_HIDING:
            try:
                concept_named(key)
            except KeyError:
                raise ValueError(f"{key!r} is not a sign cart asks about") from None
    return text


def read_answer(typed: str) -> str | None:
    """What a typed answer means: yes, no or unsure (Enter alone is "not sure", the safe side);
    None when it is none of these (ask again)."""
    word = " ".join(typed.strip().lower().replace("'", "").split())
    if word in {"y", "yes", "yeah", "yep", "ya", "yes they are", "true"}:
        return YES
    if word in {"n", "no", "nope", "nah", "not", "false"}:
        return NO
    if word in {
        "",
        "?",
        "s",
        "u",
        "ns",
        "not sure",
        "notsure",
        "unsure",
        "dont know",
        "dunno",
        "maybe",
        "dk",
    }:
        return UNSURE
    return None
