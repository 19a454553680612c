"""The words the reader knows: how a word is reduced to its stem, word classes, and triggers.

A word is compared by its stem (``stem``): lower case, apostrophes and common endings removed,
so "nodding", "nodded" and "nods" are all ``nod``, and "breathe", "breathing" and "breath" are
all ``breath``. Irregular forms are listed (``IRREGULAR``). Every negative form (can't, cant,
cannot, can not, canot, won't, hasn't, unable, no, not, never...) reads as ``not``.

Word classes (``CLASSES``) are the *things* and *states* the concept patterns in
``concepts`` combine: ``@lips`` is lips, tongue or mouth; ``@blue`` is blue, grey, purple...
Data only: the reader (``reader``) applies it.
"""

from __future__ import annotations

from functools import lru_cache

# Negative words and contractions, written any way: each reads as "not".
NEGATIVE_WORDS = frozenset(
    """
    no not never nor neither nil none without unable cannot cant canot carnt cnt kant
    wont dont doesnt didnt isnt wasnt arent werent aint hasnt havent hadnt couldnt wouldnt
    shouldnt mustnt neednt hasent havnt hasnot doesent dosnt dosent didint wasent isent
    """.split()
)
# Two words that read as one negative: "can not", "will not", "has not"...
NEGATIVE_PAIRS = frozenset(
    {"can", "will", "would", "could", "does", "do", "did", "is", "was", "has", "have", "had", "are", "were"}
)

# Words that deny a sign without being a negative form of a verb (NegEx pre-negation triggers).
DENIAL_WORDS = frozenset({"deny", "denies", "denied", "denying", "absent", "free", "negative"})

# "not" followed by one of these does not deny what follows (NegEx pseudo-negations):
# "won't stop bleeding" is bleeding, "not sure if he's confused" is a hedge, "no better".
PSEUDO_NEGATION_NEXT = frozenset(
    """
    stop stopp settl better improv eas go sure only chang worse help certain much less
    reduc come clear pass lift shift budg
    """.split()
)

# Words that end a negation's reach inside a clause (ConText terminations): "no fever but
# shivering", "no fever and sleepy" (the second sign is not denied: the higher reading wins).
SCOPE_ENDS = frozenset(
    "and but however though although yet except apart besides still plus also now then whereas &".split()
)
NEGATION_REACH = 5  # a denial reaches at most this many words forward (NegEx uses five)

# Hedges (ConText "possible"): a hedged sign counts as the sign.
HEDGE_WORDS = frozenset(
    """
    maybe might possibly possible perhaps probably think thinks thought bit slightly little
    kind sort seem seems seemed looks look mild mildly abit bitof could suppose guess unsure sure
    """.split()
)

# Hedges that also work after the sign ("temp maybe", "confused I think").
HEDGES_AFTER = frozenset("maybe possibly perhaps probably think thinks might suppose guess".split())

# Words that name where or when, not what: never "unread" on their own ("wobbly on his feet").
NEUTRAL_WORDS = frozenset(
    """
    hands hand feet foot legs leg arms arm fingers finger toes face head eyes eye ears nose
    neck back shoulders body skin side chest tummy belly lips mouth tongue throat knee knees
    stairs walk walking bed sofa chair toilet loo bathroom kitchen garden shop outside inside
    home house room floor glass anything everything nothing something all day night lunch
    breakfast dinner tea supper meal meals food drink drinks water tablets tablet pills
    medicine medicines since until till hours hrs mins minutes
    am pm noon midnight monday tuesday wednesday thursday friday saturday sunday
    sat sitting standing lying still getting going trying tried left right went go goes
    mid sentence stop stops stopped longer anymore any more really proper bit lot whole
    top bottom front near around through across along off away straight even much many
    """.split()
)

# Small words that carry no sign, so a phrase made of them and known signs is fully read.
STOPWORDS = frozenset(
    """
    a an and the with plus also but or then now of to too in on at by for from as if so
    is are was were be been being am has have had having got get gets getting gone go going
    he she they him her them i im me my his their its it it's he's she's they're i'm i've
    we us our you your mum dad wife husband partner son daughter boy girl baby child kid
    this that these those there here what when where who which while just really very
    quite bit little lot lots some any all again still since today tonight yesterday
    morning afternoon evening night day days hour hours minute minutes week weeks
    ago last past earlier later after before about around over under up down out off into
    back more most much many few feel feels feeling felt seem seems seemed look looks looked
    looking keep keeps kept kind sort like think thinks thought says said saying tell told
    quite rather fairly pretty extremely terribly awful awfully badly bad worse worst new
    can could will would should may might must do does did done doing came come coming
    started starting start since ever every each other another same both either
    hes shes theyre ive id youre thats whats its
    now right properly normally usual usually than though yet also oh ok okay well just
    one two three four five six seven eight nine ten twice once times time
    him herself himself themselves myself yourself
    """.split()
)

# Everyday words near a sign word that must not be read as one by spelling tolerance
# ("sleep" is not "sleepy", "fine" is not "fine").
COMMON_WORDS = frozenset(
    """
    sleep sleeps sleeping slept asleep breakfast lunch dinner tea supper meal food water
    stairs walk walking walked bed sofa chair toilet bathroom kitchen hospital nurse doctor
    ward team phone call called rang ring fine better good great normal calm settled
    happy eating drinking drink drank eat ate tablet tablets pill pills medicine dose
    garden shop work home house room floor bit sitting sat standing stood lying laying
    watching reading talking talk spoke speak speaking said shower bath wash washed
    thing things stuff everything nothing something anything still though
    """.split()
)

# Irregular forms, read as their base word before stemming.
IRREGULAR = {
    "woke": "wake",
    "woken": "wake",
    "awoke": "wake",
    "swollen": "swell",
    "swoolen": "swell",
    "bled": "bleed",
    "fell": "fall",
    "fallen": "fall",
    "threw": "throw",
    "thrown": "throw",
    "felt": "feel",
    "ate": "eat",
    "drank": "drink",
    "drunk": "drink",
    "slept": "sleep",
    "spoke": "speak",
    "spoken": "speak",
    "went": "go",
    "gone": "go",
    "shook": "shake",
    "shaken": "shake",
    "caught": "catch",
    "keeled": "keel",
    "wet": "wee",
    "puked": "puke",
    "sicked": "sick",
    "ran": "run",
    "stung": "sting",
    "froze": "freeze",
    "frozen": "freeze",
    "breathin": "breathing",
    "breth": "breath",
    "breathe": "breath",
    "breate": "breath",
    "diarrea": "diarrhoea",
    "diarhea": "diarrhoea",
    "diarhoea": "diarrhoea",
    "diahrea": "diarrhoea",
    "diarrhea": "diarrhoea",
    "diarrhoe": "diarrhoea",
    "diorrhea": "diarrhoea",
    "diorrhoea": "diarrhoea",
    "diaorrhea": "diarrhoea",
    "poop": "poo",
    "pooped": "poo",
    "pooping": "poo",
    "poos": "poo",
    "stools": "stool",
    "pees": "pee",
    "peed": "pee",
    "weed": "wee",
    "weeing": "wee",
    "peeing": "pee",
    "wees": "wee",
    "urinated": "urinate",
    "urinating": "urinate",
    "grey": "gray",
    "greyish": "gray",
    "grayish": "gray",
    "bluish": "blue",
    "blueish": "blue",
    "colour": "color",
    "coloured": "color",
    "disorientated": "disoriented",
    "disorientation": "disoriented",
    "hallucinations": "hallucinate",
    "hallucinating": "hallucinate",
    "hallucination": "hallucinate",
    "seizing": "seizure",
    "seized": "seizure",
    "seizures": "seizure",
    "siezure": "seizure",
    "seziure": "seizure",
    "seizur": "seizure",
    "convulsion": "convulse",
    "convulsions": "convulse",
    "convulsing": "convulse",
    "unconcious": "unconscious",
    "unconsious": "unconscious",
    "confusion": "confused",
    "confussed": "confused",
    "confuzed": "confused",
    "drowsiness": "drowsy",
    "sleepiness": "sleepy",
    "dizziness": "dizzy",
    "breathlessness": "breathless",
    "tiredness": "tired",
    "exhaustion": "exhausted",
    "numbness": "numb",
    "weakness": "weak",
    "swelling": "swell",
    "itchiness": "itch",
    "itchy": "itch",
    "itching": "itch",
    "vomitting": "vomit",
    "vommiting": "vomit",
    "vomitted": "vomit",
    "vommit": "vomit",
    "vom": "vomit",
    "vomming": "vomit",
    "shivery": "shiver",
    "chilly": "chill",
    "feverish": "fever",
    "fevers": "fever",
    "temperatures": "temperature",
    "temps": "temp",
    "tempreture": "temperature",
    "temprature": "temperature",
    "temperture": "temperature",
    "unresponsive": "unresponsive",
    "responsive": "respond",
    "response": "respond",
    "answers": "answer",
    "mottling": "mottled",
    "mottle": "mottled",
    "blotches": "blotchy",
    "blotched": "blotchy",
    "blotch": "blotchy",
    "fievre": "fever",
    "fiebre": "fever",
    "fieber": "fever",
    "febbre": "fever",
    "febre": "fever",
    "koorts": "fever",
    "wobbliness": "wobbly",
    "headake": "headache",
    "hedache": "headache",
    "headach": "headache",
    "aches": "=aches",
    "ache": "=aches",  # aches alone are amber; aching all over is flu-like
    # "faint" is feeling faint (red); "fainted" is a collapse (an emergency)
    "fainted": "=fainted",
    "fainting": "=fainted",
    "fainte": "=fainted",
    "fainteded": "=fainted",
}

SKIPPABLE = frozenset(
    """
    a an the him her them he she they it me my his their its any very really properly
    proper up at all to be get got out of some much on in is are was were been so too
    just quite at
    """.split()
)


@lru_cache(maxsize=8192)
def stem(word: str) -> str:
    """A word reduced for comparing: ``nodding``, ``nodded`` and ``nods`` all give ``nod``."""
    word = word.replace("'", "")
    word = IRREGULAR.get(word, word)
    if word[:1] == "=":
        return word[1:]  # a form kept apart from its stem: "fainted" is not "faint"
    if word in NEGATIVE_WORDS:
        return "not"
    if len(word) > 4 and word.endswith("ies"):
        word = word[:-3] + "y"
    elif len(word) > 5 and word.endswith("ing"):
        word = word[:-3]
    elif len(word) > 4 and word.endswith("ed") and not word.endswith("eed"):
        word = word[:-2]
    elif len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    if len(word) > 3 and word.endswith("e") and not word.endswith("ee"):
        word = word[:-1]
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "lsze":
        word = word[:-1]
    return word


# Word classes the concept patterns use as ``@name``: each is a set of words (stemmed when
# the patterns are built), things (body parts, functions) and states (how they are).
# fmt: off
CLASSES: dict[str, tuple[str, ...]] = {
    # negation, written any way (every form stems to "not")
    "neg": ("not",),
    # things
    "lips": ("lip", "lips", "tongue", "mouth", "gums"),
    "throat": ("throat", "airway", "windpipe"),
    "face": ("face", "facial", "cheek", "cheeks", "eyes", "eyelids", "eye"),
    "skin": ("skin", "hands", "hand", "feet", "foot", "fingers", "finger", "toes", "nails",
             "fingertips", "legs", "arms", "body", "tummy", "knees", "complexion", "lips",
             "face", "colour", "color", "ears", "nose"),
    "limb": ("arm", "arms", "leg", "legs", "hand", "hands", "foot", "feet", "side", "limb", "limbs"),
    "breath": ("breath", "breathing", "breathe", "breaths", "air", "breathed"),
    "wake": ("wake", "waking", "woke", "wakes", "stir", "wakeup"),
    "speech": ("speech", "speak", "speaking", "talk", "talking", "words", "word", "sentences",
               "sentence", "say", "saying", "voice", "talks", "says"),
    "sense": ("sense", "sensible"),
    "urine": ("urine", "wee", "pee", "weeing", "peeing", "weed", "peed", "urinate", "urinated",
              "urinating", "piss", "pissed", "wet", "nappy", "nappies", "pad"),
    "stool": ("poo", "poop", "stool", "stools", "faeces", "feces", "bowel", "motion", "motions",
              "number", "bum", "poos"),
    "vomit": ("vomit", "vomiting", "vomited", "sick", "puke", "puking", "throw", "throwing",
              "threw", "heave", "heaving", "retch", "retching"),
    "fluids": ("fluids", "fluid", "water", "drink", "drinks", "anything", "food", "liquids",
               "liquid", "medicine", "medicines", "tablets", "pills", "everything", "nothing",
               "meds", "sips", "sip"),
    "blood": ("blood", "bloody", "bleeding", "bleed", "bled"),
    "rash": ("rash", "rashes", "spots", "spot", "marks", "blotches", "purple", "dots"),
    "chest": ("chest", "ribs", "heart"),
    "head": ("head", "headache", "headaches", "migraine"),
    # states
    "difficult": ("hard", "difficult", "struggle", "struggling", "struggled", "trouble",
                  "impossible", "difficulty", "problem", "problems", "fighting", "labored",
                  "laboured", "effort"),
    "blue": ("blue", "bluish", "grey", "gray", "greyish", "purple", "dusky", "ashen", "purplish",
             "violet", "lilac"),
    "swell": ("swollen", "swelling", "swell", "swelled", "puffy", "puffed", "puffing", "fat",
              "thick", "big", "bigger", "enlarged", "bloated", "ballooned", "ballooning", "huge"),
    "tight": ("tight", "tightness", "tightening", "closing", "closed", "close", "narrow", "blocked",
              "constricted", "squeezed", "squeezing"),
    "mixed": ("mixed", "jumbled", "muddled", "scrambled", "garbled", "wrong", "confused",
              "slurred", "slurring", "slur", "gibberish", "nonsense", "funny", "strange", "weird",
              "odd", "muddling", "jumbling", "mixing"),
    "black": ("black", "tarry", "tar", "dark", "maroon"),
    "red_colour": ("red", "pink", "bloody", "brown", "rusty", "cola"),
    "droop": ("droop", "drooping", "droopy", "drooped", "lopsided", "fallen", "sagging", "sag",
              "slack", "dropped", "drop", "wonky", "uneven"),
    "one_side": ("one", "side", "left", "right", "half"),
    "weak": ("weak", "weakness", "numb", "heavy", "dead", "useless", "floppy", "limp", "lift",
             "move", "grip"),
    "fade": ("fade", "fading", "faded", "blanch", "blanching", "blanches", "disappear",
             "disappearing", "go", "glass", "tumbler", "press", "pressed", "pressing"),
}
# fmt: on
