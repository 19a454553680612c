"""Medicines that bring a temperature down, and the temperatures they may hide.

People at risk of neutropenic sepsis are told not to take paracetamol or ibuprofen to bring
a temperature down before speaking to their team, because a reading taken soon after a dose
can look normal while a fever is there (docs/clinical-basis.md T16); steroids hide a fever
too (T24). Which names are such medicines (any brand or language, with typos) is known by
``cart_cli.language.medicines`` (``fever_hiding``, ``contains_paracetamol``). The rules grade
the dose; `cart history` marks the temperatures. Both ask this module, which stays small so that
`cart history` does not have to load the whole triage table.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from cart_cli.language.medicines import fever_hiding
from cart_cli.models import Entry, temperatures

MEDICINE_MASKS = timedelta(hours=6)  # T16: a temperature this soon after a dose may read low


def fever_medicine_doses(entries: Sequence[Entry]) -> list[Entry]:
    """The ``med`` entries of a medicine that brings a temperature down."""
    return [
        e for e in entries if e.kind == "med" and e.medicine and (fever_hiding(e.medicine) or _said_so(e))
    ]


def _said_so(entry: Entry) -> bool:
    """The person said (or was not sure) that a medicine cart does not know can hide a fever."""
    answers = entry.answers or ""
    return "fever_hiding=yes" in answers or "fever_hiding=unsure" in answers


def masked_temperatures(history: Sequence[Entry]) -> list[Entry]:
    """Temperatures taken in the 6 hours after a dose of a medicine that lowers temperature."""
    doses = [e.recorded_at for e in fever_medicine_doses(history)]
    return [
        r.entry
        for r in temperatures(history)
        if any(dose <= r.entry.recorded_at <= dose + MEDICINE_MASKS for dose in doses)
    ]


# -- what a logged dose says: the medicine and the amount ------------------------------------


def contains_paracetamol(name: str) -> bool:
    """Whether a medicine's name, as typed, is or contains paracetamol (acetaminophen): the
    generic name in any language, a brand, a combination or cold and flu remedy, or a near
    spelling ("paracetemol"). T23 says to count every product. The names are known by
    ``cart_cli.language.medicines`` (one list, read through the one normaliser)."""
    from cart_cli.language.medicines import contains_paracetamol as contains

    return contains(name)


@dataclass(frozen=True)
class DoseText:
    """A ``med`` entry's text read apart: the medicine's name, the amount of one unit in mg
    (None when none was typed or it is not in mg or g), and how many units (``x2``)."""

    name: str
    unit_mg: float | None
    count: int = 1

    @property
    def total_mg(self) -> float | None:
        return None if self.unit_mg is None else self.unit_mg * self.count


_AMOUNT = r"(?P<amount>\d+(?:[.,]\d+)?(?:/\d+(?:[.,]\d+)?)?)\s*(?P<unit>mg|g|milligrams?|grams?|grammes?)\b"
_TIMES = r"(?:x|\u00d7|\*)"  # x, the multiplication sign, or *
_UNITS = r"(?:tablets?|tabs?|caplets?|capsules?|sachets?)"
_COUNT_AFTER = rf"{_TIMES}\s*(?P<count>\d{{1,2}})\b|(?P<count2>\d{{1,2}})\s*{_UNITS}\b"
_COUNT_BEFORE = rf"^(?P<count3>\d{{1,2}})\s*{_TIMES}\s*"
_AMOUNT_RE = re.compile(f"{_AMOUNT}|(?P<strength>\\d+(?:[.,]\\d+)?/\\d+)\\b", re.IGNORECASE)
_COUNT_RE = re.compile(_COUNT_AFTER, re.IGNORECASE)
_COUNT_BEFORE_RE = re.compile(_COUNT_BEFORE, re.IGNORECASE)


def _number(text: str, *, grouped: bool) -> float:
    """``1,000 mg`` and ``1.000 mg`` are a thousand (``grouped``: a mark before three digits
    groups them, as no tablet holds 1 mg of paracetamol); ``1,5 g`` is 1.5 g."""
    if grouped and re.fullmatch(r"\d{1,3}[.,]\d{3}", text):
        return float(re.sub("[.,]", "", text))
    return float(text.replace(",", "."))


def read_dose(text: str, dose: str | None = None) -> DoseText:
    """Read "paracetamol 500mg x2", "2 x 500 mg paracetamol", "co-codamol 30/500 2 tablets",
    "paracetamol 1g" or "paracetamol" (``dose``, e.g. from ``--dose 1g``, is read the same
    way and wins over an amount in the name). For an "A/B" strength (co-codamol 30/500) the
    larger number is the paracetamol in it."""
    name = " ".join(text.split())
    count = 1
    before = _COUNT_BEFORE_RE.search(name)
    if before:
        count = int(before["count3"])
        name = name[before.end() :]
    unit_mg: float | None = None
    for source in (name, dose or ""):
        match = _AMOUNT_RE.search(source)
        if match:
            grams = match["unit"] is not None and match["unit"].lower().startswith("g")
            parts = (match["amount"] or match["strength"]).split("/")
            numbers = [_number(n, grouped=not grams) for n in parts]
            unit_mg = max(numbers) * (1000 if grams else 1)
            if source is name:
                name = (name[: match.start()] + " " + name[match.end() :]).strip()
    counted = _COUNT_RE.search(name)
    if counted:
        count = int(counted["count"] or counted["count2"])
        name = (name[: counted.start()] + " " + name[counted.end() :]).strip()
    if dose:
        counted = _COUNT_RE.search(dose) or _COUNT_BEFORE_RE.search(dose.strip())
        if counted:
            count = int(counted.group(counted.lastgroup or 0))
    return DoseText(" ".join(name.split()) or text.strip(), unit_mg, max(count, 1))


def parse_paracetamol_max_mg(text: str) -> int:
    """``--paracetamol-max``: the day's paracetamol maximum, ``3g`` or ``3000mg`` (or a plain
    number of mg), from MIN_PARACETAMOL_MAX_MG up to T23's 4 g: a setting may lower the
    maximum (a low body weight, liver risk), never raise it."""
    from cart_cli.errors import InvalidInput
    from cart_cli.models import DEFAULT_PARACETAMOL_MAX_MG, MIN_PARACETAMOL_MAX_MG

    accepted = f"give e.g. 3g or 3000mg, from {MIN_PARACETAMOL_MAX_MG} to {DEFAULT_PARACETAMOL_MAX_MG} mg"
    cleaned = " ".join(str(text).casefold().split())
    read = read_dose(f"x {cleaned}")
    amount = read.unit_mg
    if amount is None and re.fullmatch(r"\d{1,5}", cleaned):
        amount = float(cleaned)
    if amount is None or read.count != 1 or amount != int(amount):
        raise InvalidInput(f"the paracetamol maximum {cleaned[:30]!r} is not an amount: {accepted}")
    if not MIN_PARACETAMOL_MAX_MG <= amount <= DEFAULT_PARACETAMOL_MAX_MG:
        raise InvalidInput(f"the paracetamol maximum {cleaned[:30]!r} is out of range: {accepted}")
    return int(amount)
