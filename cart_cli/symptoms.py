"""The fixed list of symptoms `cart` knows, the other words people use for them, and lookup.

Every symptom belongs to one group, and the group decides how the triage rules grade it
(see ``rules``):

- ``infection``: the signs of infection on the seed page (all call-the-team-now signs)
- ``crs``: flu-like symptoms, a sign of cytokine release syndrome on the seed page
- ``mental``: altered mental state (new confusion, drowsiness, not making sense, seeing
  things): red at any time, and part of the sepsis combination (T19, T14)
- ``speech``: a new speech problem: red at any time (T19; sudden ones may be a stroke, T20)
- ``neuro``: the other nervous-system (ICANS) symptoms on the seed page: red within 8 weeks
- ``allergy``: signs of an allergic reaction (the seed says to tell the team immediately)
- ``bleeding``: bleeding or bruising (low platelets after CAR-T therapy; a red sign)
- ``intake``: not keeping fluids or medicines down (a red sign, T22)
- ``emergency``: signs that need the emergency number first (docs/clinical-basis.md, section 3)
- ``minor``: everyday symptoms worth a call for advice (amber), such as nausea or a sore throat

People type symptoms in their own words, so each symptom has aliases (UK and US spellings,
everyday words). Matching reads text through the one normaliser (``language.normalise``):
case, accents, apostrophes and quotes of any keyboard, invisible characters, look-alike
letters, hyphens, underscores and punctuation do not change which symptom is meant. No two
symptoms share an alias: ``shaking`` is a tremor (as the seed puts it), while ``shivers`` and
``shaking chills`` are shivering. Anything not on the list is stored in the person's own words
as one entry and read for the signs it names (``language.reader``, ``signs``), never lower
than amber and never ignored.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache
from typing import TYPE_CHECKING, NamedTuple

from .errors import InvalidInput

if TYPE_CHECKING:
    from .models import Entry

# Group id -> title, in the order symptom lists are shown.
GROUPS: dict[str, str] = {
    "infection": "Signs of infection",
    "crs": "Cytokine release syndrome (CRS)",
    "mental": "Altered mental state (call at any time)",
    "speech": "Speech (call at any time)",
    "neuro": "Other nervous-system symptoms (ICANS)",
    "allergy": "Allergic reaction",
    "bleeding": "Bleeding or bruising",
    "intake": "Fluids and medicines",
    "emergency": "Emergency signs",
    "minor": "Other symptoms to tell your team about",
}


class Symptom(NamedTuple):  # a row of the constant list, never replaced: cheaper to define
    """One symptom: its canonical name (what is stored), its group, and other words for it."""

    name: str
    group: str
    description: str
    aliases: tuple[str, ...]


VOCABULARY: tuple[Symptom, ...] = (
    # --- infection (seed: "Infection risk") ---
    Symptom(
        "feeling feverish",
        "infection",
        "Feeling hot or feverish when you have no thermometer reading to log",
        (
            "feverish",
            "fever",
            "feeling hot",
            "hot",
            "high temperature",
            "temperature",
            "running a temperature",
            "pyrexia",
            "febrile",
        ),
    ),
    Symptom(
        "shivering",
        "infection",
        "Shivering or feeling cold and shaky, even when warm",
        (
            "shivers",
            "the shivers",
            "shivery",
            "shiver",
            "chills",
            "the chills",
            "chill",
            "rigors",
            "rigor",
            "rigours",
            "shaking chills",
            "cold shivers",
        ),
    ),
    Symptom(
        "cough",
        "infection",
        "A new cough, or a cough that is getting worse",
        ("coughing", "coughs"),
    ),
    Symptom(
        "chest pain",
        "infection",
        "Pain, tightness or discomfort in the chest",
        (
            "chest pains",
            "chest ache",
            "sore chest",
            "chest tightness",
            "tight chest",
            "pain in chest",
            "pain in my chest",
        ),
    ),
    Symptom(
        "breathlessness",
        "infection",
        "Getting out of breath more easily than usual",
        (
            "breathless",
            "short of breath",
            "shortness of breath",
            "out of breath",
            "difficulty breathing",
            "trouble breathing",
            "hard to breathe",
            "dyspnoea",
            "dyspnea",
        ),
    ),
    Symptom(
        "extreme tiredness",
        "infection",
        "Exhaustion far beyond your usual tiredness",
        (
            "extremely tired",
            "extreme fatigue",
            "exhausted",
            "exhaustion",
            "very tired",
            "completely exhausted",
        ),
    ),
    Symptom(
        "central line redness",
        "infection",
        "Redness of the skin around your central line (PICC or Hickman line)",
        (
            "line red",
            "line redness",
            "red line",
            "redness around line",
            "redness around the line",
            "redness around central line",
            "redness around the central line",
            "red central line",
            "central line red",
            "picc line redness",
            "hickman line redness",
        ),
    ),
    Symptom(
        "central line pain",
        "infection",
        "Pain or tenderness around your central line",
        (
            "line pain",
            "painful line",
            "sore line",
            "pain around line",
            "pain around the line",
            "pain around central line",
            "painful central line",
            "central line sore",
            "central line painful",
            "picc line pain",
            "hickman line pain",
        ),
    ),
    Symptom(
        "central line discharge",
        "infection",
        "Fluid or pus coming from where your central line goes in",
        (
            "line discharge",
            "line leaking",
            "leaking line",
            "line oozing",
            "oozing line",
            "discharge from line",
            "discharge from the line",
            "discharge from central line",
            "central line leaking",
            "central line oozing",
            "pus from line",
            "picc line discharge",
            "hickman line discharge",
        ),
    ),
    Symptom(
        "vomiting",
        "infection",
        "Being sick (bringing food or fluid back up)",
        (
            "vomit",
            "vomited",
            "vomits",
            "being sick",
            "been sick",
            "was sick",
            "throwing up",
            "threw up",
            "puking",
            "emesis",
        ),
    ),
    Symptom(
        "tummy pain",
        "infection",
        "Pain or cramps in the stomach or belly",
        (
            "tummy ache",
            "abdominal pain",
            "abdo pain",
            "stomach ache",
            "stomachache",
            "stomach pain",
            "belly ache",
            "bellyache",
            "belly pain",
            "stomach cramps",
            "abdominal cramps",
        ),
    ),
    Symptom(
        "pain passing urine",
        "infection",
        "Pain, burning or stinging when you wee",
        (
            "painful wee",
            "burning wee",
            "stinging wee",
            "pain when weeing",
            "painful pee",
            "burning pee",
            "pain when peeing",
            "burning when peeing",
            "painful urination",
            "pain on urination",
            "burning urine",
            "dysuria",
        ),
    ),
    Symptom(
        "smelly urine",
        "infection",
        "Wee that smells stronger or different from usual",
        ("smelly wee", "smelly pee", "foul smelling urine", "strong smelling urine", "cloudy smelly urine"),
    ),
    Symptom(
        "diarrhoea",
        "infection",
        "Runny or watery poo, more often than usual",
        (
            "diarrhea",
            "runny poo",
            "runny poop",
            "watery poo",
            "loose poo",
            "loose stools",
            "loose stool",
            "the runs",
        ),
    ),
    Symptom(
        "blood in stool",
        "infection",
        "Blood in or on your poo, or black poo",
        (
            "blood in poo",
            "blood in poop",
            "blood in stools",
            "bloody poo",
            "bloody stool",
            "bloody stools",
            "rectal bleeding",
        ),
    ),
    Symptom(
        "no urine",
        "infection",
        "Passing no wee (urine), or very little, for many hours",
        (
            "no wee",
            "no pee",
            "not weeing",
            "not peeing",
            "not passing urine",
            "not passed urine",
            "havent passed urine",
            "havent weed",
            "no urine output",
            "cant wee",
            "cant pee",
        ),
    ),
    Symptom(
        "stiff neck",
        "infection",
        "A stiff or painful neck, especially with a headache or fever",
        ("neck stiffness", "stiffness in neck", "stiff painful neck"),
    ),
    Symptom(
        "feeling unwell",
        "infection",
        "Feeling generally ill, even without a clear symptom",
        (
            "generally unwell",
            "generally feeling unwell",
            "unwell",
            "feeling ill",
            "ill",
            "poorly",
            "feeling poorly",
            "not feeling well",
            "not well",
            "malaise",
        ),
    ),
    # --- cytokine release syndrome (seed) ---
    Symptom(
        "flu-like symptoms",
        "crs",
        "Feeling as if you have flu: aches, pains and feeling rough",
        (
            "flu like",
            "flu like symptoms",
            "flu symptoms",
            "flu",
            "aches and pains",
            "body aches",
            "aching",
            "achy",
            "muscle aches",
        ),
    ),
    # --- neurological problems, ICANS (seed) ---
    Symptom(
        "confusion",
        "mental",
        "Feeling muddled, or not sure where you are or what day it is",
        (
            "confused",
            "disorientated",
            "disoriented",
            "disorientation",
            "muddled",
            "not making sense",
            "making no sense",
            "talking nonsense",
            "talking gibberish",
            "gibberish",
        ),
    ),
    Symptom(
        "tremor",
        "neuro",
        "Shaking or trembling you cannot stop, often in the hands",
        (
            "tremors",
            "shaking",
            "shakes",
            "the shakes",
            "shaky",
            "shaky hands",
            "trembling",
            "tremble",
            "trembles",
        ),
    ),
    Symptom(
        "headache",
        "neuro",
        "A headache, especially a new or severe one",
        ("headaches", "head ache", "head pain", "sore head"),
    ),
    Symptom(
        "speech problems",
        "speech",
        "Slurred speech, or trouble speaking or finding words",
        (
            "speech problem",
            "slurred speech",
            "slurring",
            "slurring words",
            "trouble speaking",
            "difficulty speaking",
            "trouble finding words",
            "difficulty finding words",
            "word finding difficulty",
            "can't find words",
            "speech difficulty",
        ),
    ),
    Symptom(
        "movement problems",
        "neuro",
        "New weakness, clumsiness or being unsteady on your feet",
        (
            "movement problem",
            "weakness",
            "weak",
            "clumsy",
            "clumsiness",
            "unsteady",
            "unsteady on feet",
            "loss of balance",
            "balance problems",
        ),
    ),
    Symptom(
        "writing problems",
        "neuro",
        "Your handwriting has changed, or writing has become hard",
        (
            "writing problem",
            "handwriting change",
            "handwriting changes",
            "changed handwriting",
            "trouble writing",
            "difficulty writing",
            "messy handwriting",
        ),
    ),
    Symptom(
        "dizziness",
        "neuro",
        "Feeling dizzy, light-headed or as if the room is spinning",
        (
            "dizzy",
            "light headed",
            "lightheaded",
            "light headedness",
            "lightheadedness",
            "giddy",
            "vertigo",
            "faint",
            "feeling faint",
        ),
    ),
    Symptom(
        "drowsiness",
        "mental",
        "Sleepier than usual, or hard to keep awake (but can be woken)",
        ("drowsy", "sleepy", "sleepier than usual", "very sleepy", "more sleepy", "hard to rouse"),
    ),
    Symptom(
        "hallucinations",
        "mental",
        "Seeing or hearing things that are not there",
        (
            "hallucination",
            "hallucinating",
            "hallucinate",
            "seeing things",
            "hearing things",
            "hearing voices",
        ),
    ),
    Symptom(
        "numbness",
        "neuro",
        "Numbness, tingling or pins and needles in the face, an arm or a leg",
        ("numb", "numb face", "numb arm", "numb leg", "pins and needles", "tingling"),
    ),
    Symptom(
        "blurred vision",
        "neuro",
        "Blurred or double vision, or trouble seeing",
        (
            "blurry vision",
            "blurred eyesight",
            "double vision",
            "vision problems",
            "trouble seeing",
            "cant see properly",
        ),
    ),
    # --- allergic reaction (seed) ---
    Symptom(
        "allergic reaction",
        "allergy",
        "A reaction that feels like an allergy",
        ("allergy", "allergic", "allergic reactions"),
    ),
    Symptom(
        "rash",
        "allergy",
        "A new rash or spots on the skin",
        ("skin rash", "rashes", "spots", "red rash"),
    ),
    Symptom(
        "itching",
        "allergy",
        "Itchy skin",
        ("itch", "itchy", "itchy skin", "itchiness", "pruritus"),
    ),
    Symptom(
        "hives",
        "allergy",
        "Raised, itchy welts on the skin",
        ("urticaria", "welts", "nettle rash"),
    ),
    Symptom(
        "swollen face",
        "allergy",
        "Swelling of the face (swelling of the lips, tongue or throat is an emergency)",
        (
            "face swelling",
            "facial swelling",
            "swelling of face",
            "swelling of the face",
            "puffy face",
        ),
    ),
    Symptom(
        "wheezing",
        "allergy",
        "A whistling sound when you breathe",
        ("wheeze", "wheezy", "wheezes"),
    ),
    # --- bleeding (low platelets; red, docs/clinical-basis.md section 4) ---
    Symptom(
        "bleeding",
        "bleeding",
        "Bleeding that is new or will not stop, or blood in wee, sick or phlegm",
        (
            "bleed",
            "bleeds",
            "bleeding gums",
            "blood in urine",
            "blood in wee",
            "blood in pee",
            "blood in vomit",
            "blood in sick",
            "coughing up blood",
            "haemorrhage",
            "hemorrhage",
        ),
    ),
    Symptom(
        "nosebleed",
        "bleeding",
        "A nosebleed, especially one that will not stop",
        ("nosebleeds", "nose bleed", "nose bleeds", "bleeding nose", "nose bleeding", "epistaxis"),
    ),
    Symptom(
        "bruising",
        "bleeding",
        "New bruises, or bruising easily",
        ("bruise", "bruises", "bruised", "easy bruising", "bruising easily", "tiny red spots", "petechiae"),
    ),
    # --- not keeping fluids or medicines down (red; docs/clinical-basis.md T22) ---
    Symptom(
        "not keeping fluids down",
        "intake",
        "Drinks or medicines come back up, so you cannot keep them down",
        (
            "cant keep fluids down",
            "cannot keep fluids down",
            "can not keep fluids down",
            "unable to keep fluids down",
            "cant keep anything down",
            "cannot keep anything down",
            "not keeping anything down",
            "cant keep water down",
            "cant keep drinks down",
            "cant keep medicines down",
            "cant keep medicine down",
            "cant keep tablets down",
            "cant keep pills down",
            "not keeping medicines down",
            "not keeping tablets down",
            "not keeping fluids or medicines down",
        ),
    ),
    # --- emergencies (docs/clinical-basis.md section 3) ---
    Symptom(
        "seizure",
        "emergency",
        "A fit or seizure (uncontrolled jerking, or losing awareness)",
        ("fit", "fits", "fitting", "had a fit", "seizures", "convulsion", "convulsions", "convulsing"),
    ),
    Symptom(
        "very hard to wake",
        "emergency",
        "Very hard to wake, or not responding to you",
        (
            "hard to wake",
            "difficult to wake",
            "can't wake",
            "cannot wake",
            "can't wake up",
            "won't wake up",
            "hard to wake up",
            "difficult to wake up",
            "cannot wake up",
            "wont wake",
            "unresponsive",
            "not responding",
            "unrousable",
            "unconscious",
        ),
    ),
    Symptom(
        "collapse",
        "emergency",
        "Collapsed, fainted, passed out or blacked out",
        (
            "collapsed",
            "collapsing",
            "fainted",
            "fainting",
            "passed out",
            "passing out",
            "blacked out",
            "blackout",
            "black out",
            "keeled over",
        ),
    ),
    Symptom(
        "swollen tongue or throat",
        "emergency",
        "Sudden swelling of the lips, tongue or throat (a sign of a severe allergic reaction)",
        (
            "swollen lips",
            "swollen lip",
            "swollen tongue",
            "swollen throat",
            "swollen face lips or tongue",
            "lip swelling",
            "lips swelling",
            "tongue swelling",
            "throat swelling",
            "swelling of lips",
            "swelling of the lips",
            "swelling of tongue",
            "swelling of the tongue",
            "swelling of throat",
            "swelling of the throat",
            "throat closing",
            "throat closing up",
            "anaphylaxis",
        ),
    ),
    Symptom(
        "choking",
        "emergency",
        "Choking, or something stuck in the throat stopping breathing",
        ("choke", "choked", "chokes"),
    ),
    Symptom(
        "breathless at rest",
        "emergency",
        "Struggling to breathe even when sitting still",
        (
            "short of breath at rest",
            "shortness of breath at rest",
            "out of breath at rest",
            "breathless when resting",
            "breathless sitting still",
            "struggling to breathe",
            "can't breathe",
            "cannot breathe",
            "gasping",
            "gasping for breath",
            "gasping for air",
        ),
    ),
    Symptom(
        "blue lips",
        "emergency",
        "Blue or grey lips, tongue or skin (T19)",
        (
            "blue or grey lips",
            "grey lips",
            "gray lips",
            "lips blue",
            "lips grey",
            "lips gray",
            "lips look blue",
            "blue tongue",
            "grey tongue",
            "blue skin",
            "grey skin",
            "gray skin",
            "turning blue",
            "going blue",
            "cyanosis",
            "cyanosed",
            "cyanotic",
        ),
    ),
    Symptom(
        "mottled skin",
        "emergency",
        "Mottled, blotchy or ashen (pale grey) skin (T19)",
        (
            "mottled",
            "mottling",
            "mottled or ashen skin",
            "blotchy pale skin",
            "pale blotchy skin",
            "ashen",
            "ashen skin",
            "ashen face",
            "marbled skin",
        ),
    ),
    Symptom(
        "non-blanching rash",
        "emergency",
        "A rash that does not fade when you press a glass on it (T21)",
        (
            "nonblanching rash",
            "rash that does not fade",
            "rash that doesn't fade",
            "rash does not fade",
            "rash doesn't fade",
            "rash not fading",
            "rash that does not fade under a glass",
            "rash that doesn't fade under a glass",
            "rash doesn't fade under glass",
            "rash does not fade under a glass",
            "purpura",
            "purpuric rash",
        ),
    ),
    Symptom(
        "stroke signs",
        "emergency",
        "A drooping face, or sudden weakness of one arm or leg or one side (a possible stroke, T20)",
        (
            "face drooping",
            "facial droop",
            "face droop",
            "drooping face",
            "droopy face",
            "face drooped",
            "face drooping on one side",
            "one side of face drooping",
            "one side of the face drooping",
            "lopsided face",
            "lopsided smile",
            "one-sided weakness",
            "weakness on one side",
            "weak on one side",
            "one side weak",
            "weakness down one side",
            "sudden weakness of one arm",
            "sudden weakness of one leg",
            "sudden arm weakness",
            "sudden leg weakness",
            "one arm weak",
            "one leg weak",
            "cant lift one arm",
            "stroke",
            "hemiparesis",
        ),
    ),
    # --- everyday symptoms: amber (call the 24-hour line for advice) ---
    Symptom(
        "nausea",
        "minor",
        "Feeling sick without being sick",
        ("nauseous", "nauseated", "queasy", "feeling sick", "feel sick", "feels sick"),
    ),
    Symptom(
        "sore throat",
        "minor",
        "A sore or scratchy throat",
        ("throat pain", "painful throat", "scratchy throat"),
    ),
    Symptom(
        "sore mouth",
        "minor",
        "A sore mouth or mouth ulcers",
        ("mouth ulcers", "mouth ulcer", "mouth sores", "ulcers in mouth", "painful mouth"),
    ),
    Symptom(
        "poor appetite",
        "minor",
        "Not wanting to eat, or eating much less than usual",
        ("no appetite", "loss of appetite", "lost appetite", "off food", "off my food", "not eating"),
    ),
    Symptom(
        "constipation",
        "minor",
        "Not able to poo, or pooing much less often than usual",
        ("constipated", "cant poo", "bunged up"),
    ),
)


def _normalise(text: str) -> str:
    """A name as matched: folded by the one normaliser (``language.normalise``: case, accents,
    apostrophes of any keyboard, invisible characters, look-alike letters), apostrophes
    dropped, punctuation and hyphens read as spaces."""
    from .language.normalise import CLAUSE_BREAKS, fold, tokens

    return " ".join(word.replace("'", "") for word in tokens(fold(text)) if word not in CLAUSE_BREAKS)


@cache
def _index() -> dict[str, Symptom]:
    """Map every normalised name and alias to its symptom, refusing any shared word."""
    index: dict[str, Symptom] = {}
    for symptom in VOCABULARY:
        for word in (symptom.name, *symptom.aliases):
            key = _normalise(word)
            if index.get(key, symptom) is not symptom:
                raise ValueError(f"{word!r} is used by {index[key].name} and {symptom.name}")
            index[key] = symptom
    return index


_BY_NAME = {symptom.name: symptom for symptom in VOCABULARY}


def lookup(text: str) -> Symptom:
    """The symptom a person means by ``text`` (a name or any alias).

    Raises ``InvalidInput`` naming up to three close matches when the words are not known,
    and how to record the symptom anyway.
    """
    key = _normalise(text)
    if not key:
        raise InvalidInput(
            'No symptom was given. Type its name, or use --other "your own words" '
            "to record something that is not on the list."
        )
    symptom = _index().get(key)
    if symptom is not None:
        return symptom

    import difflib

    closest: list[str] = []
    for word in difflib.get_close_matches(key, list(_index()), n=10, cutoff=0.6):
        name = _index()[word].name
        if name not in closest:
            closest.append(name)
    shown = text.strip()
    if len(shown) > 60:
        shown = shown[:57] + "..."
    message = f'"{shown}" is not a symptom cart knows.'
    if key in _TIREDNESS_WORDS:
        message += " To score tiredness from 0 to 10, use: cart log fatigue N."
    if closest:
        message += " Did you mean: " + ", ".join(closest[:3]) + "?"
    message += ' To record it anyway, use --other "your own words".'
    raise InvalidInput(message)


# Words for ordinary tiredness: scored with `cart log fatigue`, not logged as a symptom.
_TIREDNESS_WORDS = frozenset({"fatigue", "fatigued", "tired", "tiredness", "weary", "worn out"})


def by_name(name: str) -> Symptom:
    """The symptom with this exact canonical name (as stored); ``KeyError`` if there is none."""
    return _BY_NAME[name]


def by_group() -> dict[str, list[Symptom]]:
    """Symptoms grouped by group id, groups and symptoms in display order."""
    groups: dict[str, list[Symptom]] = {group: [] for group in GROUPS}
    for symptom in VOCABULARY:
        groups[symptom.group].append(symptom)
    return groups


def suggestions(text: str) -> tuple[str, ...]:
    """Up to three symptom names close to ``text`` (for "did you mean")."""
    import difflib

    closest: list[str] = []
    for word in difflib.get_close_matches(_normalise(text), list(_index()), n=10, cutoff=0.6):
        name = _index()[word].name
        if name not in closest:
            closest.append(name)
    return tuple(closest[:3])


# Zero-width characters pasted text carries inside words (they show nothing and move nothing):
# removed from a symptom phrase rather than refused, so "can\u200bt wake him" is stored and read.
_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))


def symptom_entries(phrase: str, when: datetime, severity: str | None, note: str | None) -> list[Entry]:
    """One entry for one thing said (issue #18): a vocabulary symptom when the phrase is one of
    its names, else the phrase as typed, read for the signs it names (``signs``).

    Nothing is refused: words cart does not know are kept as typed. A phrase longer than an
    entry holds is cut at spaces into several entries, each read on its own.
    """
    from .models import MAX_OTHER_CHARS, Entry
    from .parsing import parse_text
    from .safe_text import strip_invisible

    phrase = phrase.translate(_ZERO_WIDTH)  # pasted text: invisible, so never the reason to refuse
    phrase, _ = strip_invisible(phrase)  # every format character (Cf), not only zero-width ones
    if not any(char.isalnum() for char in phrase):
        raise InvalidInput(f"{phrase!r} names no symptom: type its name or describe it in your own words.")
    symptom = _index().get(_normalise(phrase))
    if symptom is not None:
        return [Entry(kind="symptom", recorded_at=when, symptom=symptom.name, severity=severity, note=note)]
    return [
        Entry(
            kind="symptom",
            recorded_at=when,
            symptom="other",
            other=parse_text(chunk, "symptom text", MAX_OTHER_CHARS),
            severity=severity,
            note=note,
        )
        for chunk in _chunks(" ".join(phrase.split()), MAX_OTHER_CHARS)
    ]


def _chunks(text: str, limit: int) -> list[str]:
    """Text cut at spaces into pieces of at most ``limit`` characters (long words are cut)."""
    pieces: list[str] = []
    current = ""
    for word in text.split():
        while len(word) > limit:
            if current:
                pieces.append(current)
                current = ""
            pieces.append(word[:limit])
            word = word[limit:]
        if current and len(current) + 1 + len(word) > limit:
            pieces.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    if current:
        pieces.append(current)
    return pieces
