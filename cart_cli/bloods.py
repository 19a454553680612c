"""Blood results from the day unit: neutrophils, CRP, platelets and haemoglobin.

One table says each test's unit (as UK labs report it), the other units people are given it
in and how to convert, the range that is plausible at all, and its LOINC code (checked
against published FHIR profiles: the method-independent codes, as a carer cannot know how
the lab counted). The results never change the level this round; beside a fever the check
shows the latest, so the team hears it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from cart_cli.errors import InvalidInput
from cart_cli.models import Entry, blood_results


@dataclass(frozen=True)
class BloodTest:
    name: str  # the Entry field and option name
    label: str  # as people say it
    unit: str  # the unit stored (UK reporting)
    ucum: str  # the same unit in UCUM, for FHIR
    loinc: str
    loinc_display: str
    low: float
    high: float
    # other units: (words that name it, factor to the stored unit)
    other_units: tuple[tuple[tuple[str, ...], float], ...] = ()
    # a number with no unit in this range is read in the first other unit (ranges never overlap)
    unitless_other: tuple[float, float] | None = None
    unitless_name: str = ""  # that unit in words, for the remark


TESTS = (
    BloodTest(
        "neutrophils", "neutrophils", "x10^9/L", "10*9/L", "26499-4", "Neutrophils [#/volume] in Blood",
        0.0, 100.0,
        other_units=((("/ul", "/mm3", "cells/ul", "per ul", "/µl", "cells/µl", "/mcl"), 0.001),
                     (("x10^3/ul", "k/ul", "x10^9/l", "10^9/l", "x10^9", "10^9"), 1.0)),
        unitless_other=(100.0, 100000.0), unitless_name="cells per µL",
    ),
    BloodTest(
        "crp", "CRP", "mg/L", "mg/L", "1988-5", "C reactive protein [Mass/volume] in Serum or Plasma",
        0.0, 1000.0,
        other_units=((("mg/dl",), 10.0), (("mg/l",), 1.0)),
    ),
    BloodTest(
        "platelets", "platelets", "x10^9/L", "10*9/L", "26515-7", "Platelets [#/volume] in Blood",
        0.0, 2000.0,
        other_units=((("/ul", "/mm3", "per ul", "/µl", "/mcl"), 0.001),
                     (("x10^3/ul", "k/ul", "x10^9/l", "10^9/l", "x10^9", "10^9"), 1.0)),
        unitless_other=(2000.0, 2000000.0), unitless_name="per µL",
    ),
    BloodTest(
        "hb", "haemoglobin (Hb)", "g/L", "g/L", "718-7", "Hemoglobin [Mass/volume] in Blood",
        30.0, 250.0,
        other_units=((("g/dl",), 10.0), (("g/l",), 1.0)),
        unitless_other=(3.0, 25.0), unitless_name="g/dL",
    ),
)  # fmt: skip
TEST_BY_NAME = {test.name: test for test in TESTS}
_VALUE_RE = re.compile(r"(?P<number>[0-9]+(?:[.,][0-9]+)?)\s*(?P<unit>\S.*)?")


def parse_result(name: str, text: str) -> tuple[float, str | None]:
    """One result as typed ("0.4", "400/uL", "9.5 g/dL", "30,000/uL"), in the stored unit.
    Returns (value, remark saying the conversion, or None)."""
    test = TEST_BY_NAME[name]
    accepted = f"give {test.label} in {test.unit}" + (
        " (or " + ", ".join(words[0] for words, factor in test.other_units if factor != 1.0) + ")"
        if any(factor != 1.0 for _, factor in test.other_units)
        else ""
    )
    cleaned = " ".join(str(text).split())
    typed = cleaned.lower().replace(" ", "").replace("\u00d7", "x").replace("*", "^")  # x: the times sign
    match = _VALUE_RE.fullmatch(typed)
    shown = cleaned[:30]
    if not match:
        raise InvalidInput(f"{test.label} {shown!r} is not a number: {accepted}")
    digits = match["number"]
    unit = match["unit"] or ""
    if "," in digits and re.fullmatch(r"[0-9]{1,3},[0-9]{3}", digits):  # 30,000: a thousands comma
        digits = digits.replace(",", "")
    number = float(digits.replace(",", "."))
    value, remark = number, None
    if unit:
        factor = next(
            (f for words, f in test.other_units if unit in words or unit == test.unit.lower()), None
        )
        if unit == test.unit.lower():
            factor = 1.0
        if factor is None:
            raise InvalidInput(f"{test.label} {shown!r} has a unit cart does not know: {accepted}")
        value = round(number * factor, 3)
        if factor != 1.0:
            remark = f"{test.label} {cleaned} = {value:g} {test.unit}"
    elif test.unitless_other and test.unitless_other[0] < number <= test.unitless_other[1]:
        factor = test.other_units[0][1]
        value = round(number * factor, 3)
        remark = f"{test.label} {cleaned} read as {test.unitless_name} = {value:g} {test.unit}"
    if not test.low <= value <= test.high:
        raise InvalidInput(
            f"{test.label} {shown!r} is out of range ({test.low:g}-{test.high:g} {test.unit}): {accepted}"
        )
    return value, remark


def latest_bloods(entries: Iterable[Entry], now: datetime) -> Entry | None:
    """The most recent blood results taken up to ``now``."""
    found = [e for e in entries if e.kind == "bloods" and e.recorded_at <= now]
    return max(found, key=lambda e: (e.recorded_at, e.id or 0)) if found else None


def describe_results(entry: Entry) -> str:
    """``neutrophils 0.4 x10^9/L, CRP 85 mg/L`` with each unit."""
    return blood_results(entry)
