"""Medicines that can hide a fever, known by any name people type (docs/clinical-basis.md section 4; T16, T24).

Paracetamol (acetaminophen) in any product or language, NSAIDs (ibuprofen, naproxen,
diclofenac, aspirin...) and corticosteroids (dexamethasone, prednisolone...) bring a
temperature down, so a reading taken after a dose can look normal while a fever is there.
Names are read through the same normaliser as symptoms (``normalise.fold``: accents, case,
look-alike letters) with typo tolerance: one slip in a name of five letters or more, two in a
name of nine or more ("paracetomol", "ibuprofin", "dexamethazone").

The public API (stable; the paracetamol guard and the rules use it):

- ``fever_hiding(name)``: what ``name`` contains that can hide a fever, or None.
- ``fever_hiding_class(name)``: "paracetamol", "nsaid" or "steroid" (paracetamol first when a
  product has several), or None.
- ``contains_paracetamol(name)``: whether the product holds paracetamol (count every product
  towards the day's paracetamol, T23).
- ``is_known_medicine(name)``: whether cart knows the name at all (a fever-hiding one, or a
  common medicine after CAR-T therapy that does not lower a temperature).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache

from cart_cli.language.normalise import fold, tokens

PARACETAMOL, NSAID, STEROID = "paracetamol", "nsaid", "steroid"

# Each generic that can hide a fever, and its class.
GENERIC_CLASS: dict[str, str] = {
    "paracetamol": PARACETAMOL,
    "ibuprofen": NSAID, "naproxen": NSAID, "diclofenac": NSAID, "aspirin": NSAID,
    "mefenamic acid": NSAID, "ketoprofen": NSAID, "celecoxib": NSAID, "etoricoxib": NSAID,
    "meloxicam": NSAID, "indometacin": NSAID, "ketorolac": NSAID, "nimesulide": NSAID,
    "metamizole": NSAID,
    "dexamethasone": STEROID, "prednisolone": STEROID, "prednisone": STEROID,
    "methylprednisolone": STEROID, "hydrocortisone": STEROID, "betamethasone": STEROID,
    "cortisone": STEROID,
}  # fmt: skip

_P, _I, _A = ("paracetamol",), ("ibuprofen",), ("aspirin",)

# Names people type (generic names in several languages, brands from the UK, the US and
# elsewhere, cold and flu remedies) and what each contains. Several words are one name.
# fmt: off
NAMES: dict[str, tuple[str, ...]] = {
    # paracetamol / acetaminophen
    "paracetamol": _P, "acetaminophen": _P, "acetaminofen": _P, "paracetamolo": _P,
    "paracetamole": _P, "\u043f\u0430\u0440\u0430\u0446\u0435\u0442\u0430\u043c\u043e\u043b": _P, "apap": _P, "calpol": _P, "panadol": _P,
    "tylenol": _P, "doliprane": _P, "efferalgan": _P, "dafalgan": _P, "perfalgan": _P,
    "ofirmev": _P, "tempra": _P, "mapap": _P, "feverall": _P, "panamax": _P, "panado": _P,
    "crocin": _P, "dolo": _P, "tachipirina": _P, "ben u ron": _P, "benuron": _P,
    "apiretal": _P, "termalgin": _P, "gelocatil": _P, "atasol": _P, "tafirol": _P,
    "mexalen": _P, "pamol": _P, "alvedon": _P, "panodil": _P, "pinex": _P, "hedex": _P,
    "disprol": _P, "medinol": _P, "paramol": _P, "tipol": _P, "sinecod": _P,
    "co codamol": _P, "cocodamol": _P, "co dydramol": _P, "codydramol": _P,
    "solpadeine": _P, "solpadol": _P, "zapain": _P, "tylex": _P, "kapake": _P,
    "migraleve": _P, "lemsip": _P, "beechams": _P, "night nurse": _P, "day nurse": _P,
    "dayquil": _P, "nyquil": _P, "theraflu": _P, "benylin four flu": _P, "vicodin": _P,
    "percocet": _P, "norco": _P, "cold and flu": _P, "cold flu": _P, "flu strength": _P,
    "max strength cold": _P, "coldrex": _P, "fervex": _P, "neocitran": _P, "contac": _P,
    "excedrin": ("paracetamol", "aspirin"), "anadin extra": ("paracetamol", "aspirin"),
    "anadin triple action": ("paracetamol", "aspirin"), "panadol extra": _P,
    "nurofen cold and flu": _I, "combogesic": ("paracetamol", "ibuprofen"),
    "maxigesic": ("paracetamol", "ibuprofen"), "nuromol": ("paracetamol", "ibuprofen"),
    "tramacet": _P, "fennings": _P, "flu max": _P, "benylin cold and flu": _P,
    "anadin paracetamol": _P,
    # NSAIDs
    "ibuprofen": _I, "ibuprofeno": _I, "ibuprofene": _I, "ibuprophen": _I,
    "ibroprofen": _I, "ibuprofin": _I, "nurofen": _I, "advil": _I, "motrin": _I, "brufen": _I,
    "calprofen": _I, "fenpaed": _I, "cuprofen": _I, "ibuleve": _I, "dolgit": _I, "ibumetin": _I,
    "dalsy": _I, "espidifen": _I, "buscofen": _I, "mortin": _I,
    "naproxen": ("naproxen",), "naproxeno": ("naproxen",), "aleve": ("naproxen",),
    "naprosyn": ("naproxen",), "feminax": ("naproxen",), "anaprox": ("naproxen",),
    "diclofenac": ("diclofenac",), "diclofenaco": ("diclofenac",), "voltarol": ("diclofenac",),
    "voltaren": ("diclofenac",), "cataflam": ("diclofenac",), "arthrotec": ("diclofenac",),
    "aspirin": _A, "aspirina": _A, "aspirine": _A, "disprin": _A, "anadin": _A, "aspro": _A,
    "acetylsalicylic acid": _A, "acetylsalicylic": _A, "ecotrin": _A, "bufferin": _A,
    "bayer aspirin": _A, "alka seltzer": _A, "nu seals": _A,
    "mefenamic acid": ("mefenamic acid",), "ponstan": ("mefenamic acid",),
    "ketoprofen": ("ketoprofen",), "celecoxib": ("celecoxib",), "celebrex": ("celecoxib",),
    "etoricoxib": ("etoricoxib",), "arcoxia": ("etoricoxib",), "meloxicam": ("meloxicam",),
    "mobic": ("meloxicam",), "indometacin": ("indometacin",), "indomethacin": ("indometacin",),
    "ketorolac": ("ketorolac",), "toradol": ("ketorolac",), "nimesulide": ("nimesulide",),
    "metamizole": ("metamizole",), "dipyrone": ("metamizole",), "novalgin": ("metamizole",),
    "nolotil": ("metamizole",),
    # corticosteroids
    "dexamethasone": ("dexamethasone",), "dexametasona": ("dexamethasone",),
    "dexamethason": ("dexamethasone",), "decadron": ("dexamethasone",), "dexa": ("dexamethasone",),
    "dex": ("dexamethasone",), "fortecortin": ("dexamethasone",),
    "prednisolone": ("prednisolone",), "prednisolona": ("prednisolone",), "pred": ("prednisolone",),
    "deltacortril": ("prednisolone",), "prednisone": ("prednisone",), "deltasone": ("prednisone",),
    "methylprednisolone": ("methylprednisolone",), "methylpred": ("methylprednisolone",),
    "medrol": ("methylprednisolone",), "solu medrol": ("methylprednisolone",),
    "solumedrol": ("methylprednisolone",), "depo medrol": ("methylprednisolone",),
    "hydrocortisone": ("hydrocortisone",), "hydrocortisona": ("hydrocortisone",),
    "solu cortef": ("hydrocortisone",), "efcortesol": ("hydrocortisone",),
    "betamethasone": ("betamethasone",), "cortisone": ("cortisone",), "steroid": ("prednisolone",),
    "steroids": ("prednisolone",),
}

# Medicines often taken after CAR-T therapy that do not bring a temperature down: known, so
# cart does not say it cannot tell.
NOT_FEVER_HIDING = frozenset({
    "aciclovir", "acyclovir", "valaciclovir", "valacyclovir", "famciclovir", "letermovir",
    "co trimoxazole", "cotrimoxazole", "septrin", "bactrim", "fluconazole", "posaconazole",
    "itraconazole", "voriconazole", "noxafil", "levetiracetam", "keppra", "ondansetron",
    "zofran", "metoclopramide", "domperidone", "cyclizine", "omeprazole", "lansoprazole",
    "pantoprazole", "esomeprazole", "allopurinol", "penicillin", "phenoxymethylpenicillin",
    "amoxicillin", "ciprofloxacin", "levofloxacin", "doxycycline", "clarithromycin",
    "loperamide", "imodium", "senna", "lactulose", "laxido", "movicol", "docusate",
    "magnesium", "potassium", "calcium", "vitamin", "folic acid", "iron", "ferrous",
    "tocilizumab", "immunoglobulin", "ivig", "filgrastim", "g csf", "gcsf", "pentamidine",
    "atovaquone", "entecavir", "tenofovir", "lamivudine", "morphine", "oramorph", "codeine",
    "tramadol", "oxycodone", "gabapentin", "pregabalin", "amitriptyline", "sertraline",
    "citalopram", "mirtazapine", "lorazepam", "diazepam", "zopiclone", "melatonin",
    "cetirizine", "loratadine", "chlorphenamine", "piriton", "fexofenadine", "salbutamol",
    "ventolin", "insulin", "metformin", "ramipril", "amlodipine", "bisoprolol", "atorvastatin",
    "levothyroxine", "warfarin", "apixaban", "rivaroxaban", "dalteparin", "enoxaparin",
    "tinzaparin", "chlorhexidine", "nystatin", "mouthwash", "difflam", "gaviscon", "rennie",
})
# fmt: on


@dataclass(frozen=True)
class FeverHiding:
    """What a medicine name contains that can hide a fever: ``generics`` (e.g.
    ("paracetamol", "aspirin")), their ``classes``, and the ``words`` of the name that told."""

    generics: tuple[str, ...]
    classes: tuple[str, ...]
    words: str

    @property
    def generic(self) -> str:
        """The first generic (paracetamol first in a combination product)."""
        return self.generics[0]


MAX_NAME_WORDS = 4


@cache
def _index() -> dict[str, tuple[str, ...]]:
    return {" ".join(tokens(fold(name))): generics for name, generics in NAMES.items()}


@cache
def _known_others() -> frozenset[str]:
    return frozenset(" ".join(tokens(fold(name))) for name in NOT_FEVER_HIDING)


def _within(a: str, b: str, slips: int) -> bool:
    """Is the edit distance (with swaps of neighbours) between a and b at most ``slips``?"""
    if abs(len(a) - len(b)) > slips:
        return False
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > slips:
            return False
        previous2, previous = previous, current
    return previous[len(b)] <= slips


def _slips_allowed(word: str) -> int:
    return 2 if len(word) >= 9 else 1 if len(word) >= 5 else 0


def _exact(words: list[str], known: dict[str, tuple[str, ...]] | frozenset[str]) -> str | None:
    """The known name the words spell exactly (the longest run of words first)."""
    for size in range(min(MAX_NAME_WORDS, len(words)), 0, -1):
        for start in range(len(words) - size + 1):
            candidate = " ".join(words[start : start + size])
            if candidate in known:
                return candidate
    return None


def _close(words: list[str], known: dict[str, tuple[str, ...]] | frozenset[str]) -> str | None:
    """The one-word known name a word is a slip or two from (the closest in length)."""
    for word in words:
        slips = _slips_allowed(word)
        if not slips or not word.isalpha():
            continue
        close = [
            name for name in known if " " not in name and name[:1] == word[:1] and _within(word, name, slips)
        ]
        if close:
            return min(close, key=lambda name: (abs(len(name) - len(word)), name))
    return None


@lru_cache(maxsize=1024)
def fever_hiding(name: str) -> FeverHiding | None:
    """What the medicine ``name`` (as typed, e.g. "Calpol 5ml", "Parac\u00e9tamol 1g",
    "paracetomol") contains that can hide a fever, or None."""
    words = [w for w in tokens(fold(name)) if w[:1].isalpha()]
    found = _exact(words, _index())
    if found is None:
        if _exact(words, _known_others()) is not None:
            return None  # a medicine cart knows does not lower a temperature
        found = _close(words, _index())
    if found is None:
        return None
    generics = _index()[found]
    classes = tuple(dict.fromkeys(GENERIC_CLASS[g] for g in generics))
    return FeverHiding(generics, classes, found)


def fever_hiding_class(name: str) -> str | None:
    """ "paracetamol", "nsaid" or "steroid" for a medicine that can hide a fever, else None."""
    found = fever_hiding(name)
    return found.classes[0] if found else None


def contains_paracetamol(name: str) -> bool:
    """Whether the product ``name`` holds paracetamol (acetaminophen), by any of its names."""
    found = fever_hiding(name)
    return found is not None and PARACETAMOL in found.classes


def is_known_medicine(name: str) -> bool:
    """Whether cart knows ``name``: one that can hide a fever, or a common medicine after
    CAR-T therapy that does not bring a temperature down."""
    if fever_hiding(name) is not None:
        return True
    words = [w for w in tokens(fold(name)) if w[:1].isalpha()]
    return (_exact(words, _known_others()) or _close(words, _known_others())) is not None
