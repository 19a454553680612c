"""Medicines that bring a temperature down, and the temperatures they may hide.

People at risk of neutropenic sepsis are told not to take paracetamol or ibuprofen to bring
a temperature down before speaking to their team, because a reading taken soon after a dose
can look normal while a fever is there (docs/clinical-basis.md T16); steroids hide a fever
too (T24). Which names are such medicines (any brand or language, with typos) is known by
``cart_cli.language.medicines`` (``fever_hiding``, ``contains_paracetamol``). The rules grade the dose;
`cart history` marks the temperatures. Both ask this module, which stays small so that
`cart history` does not have to load the whole triage table.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from cart_cli.language.medicines import fever_hiding
from cart_cli.models import Entry, temperatures

MEDICINE_MASKS = timedelta(hours=6)  # T16: a temperature this soon after a dose may read low


def fever_medicine_doses(entries: Sequence[Entry]) -> list[Entry]:
    """The ``med`` entries of a medicine that brings a temperature down."""
    return [e for e in entries if e.kind == "med" and e.medicine and fever_hiding(e.medicine)]


def masked_temperatures(history: Sequence[Entry]) -> list[Entry]:
    """Temperatures taken in the 6 hours after a dose of a medicine that lowers temperature."""
    doses = [e.recorded_at for e in fever_medicine_doses(history)]
    return [
        r.entry
        for r in temperatures(history)
        if any(dose <= r.entry.recorded_at <= dose + MEDICINE_MASKS for dose in doses)
    ]
