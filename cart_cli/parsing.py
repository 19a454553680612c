"""Turn what a person typed into values the rest of `cart` can use.

Every public function takes the text as typed and either returns a clean value or raises
``InvalidInput`` with one line that says what was wrong and what is accepted. No other
exception escapes for any string: a typo must never show a traceback, and a value we are
unsure about is refused rather than guessed, because a wrong reading could hide a red flag.

Nothing here reads the clock (``parse_when`` takes ``now``) and ``dateutil.parser`` is
imported only inside the functions that need it, so `cart` starts fast.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

from .errors import InvalidInput
from .models import (
    DEFAULT_FEVER_THRESHOLD_C,
    DIAGNOSES,
    MAX_FEVER_THRESHOLD_C,
    MIN_FEVER_THRESHOLD_C,
    SEVERITIES,
)
from .parsing_base import (
    CLOCK_SLOP,
    DEGREE_SIGNS,
    DIAGNOSIS_ALIASES,
    MAX_CHECK_HOURS,
    MAX_DIASTOLIC,
    MAX_FLUIDS_LITRES,
    MAX_INFUSION_YEAR,
    MAX_INPUT_CHARS,
    MAX_NO_DRIVING_WEEKS,
    MAX_PHONE_CHARS,
    MAX_PULSE,
    MAX_REPORT_DAYS,
    MAX_SYSTOLIC,
    MAX_TEMPERATURE_C,
    MAX_TEMPERATURE_F,
    MIN_DIASTOLIC,
    MIN_INFUSION_YEAR,
    MIN_NO_DRIVING_WEEKS,
    MIN_PULSE,
    MIN_SYSTOLIC,
    MIN_TEMPERATURE_C,
    MIN_TEMPERATURE_F,
    NUMBER,
    OLDEST_READING,
    TEMPERATURE_ACCEPTED,
    WHEN_ACCEPTED,
    LazyPattern,
    clean,
    format_number,
    parse_report_days,
    quote,
    to_float,
    whole_number,
)
from .parsing_time import (
    NUMBER_WORDS,
    PAST_DATE_ACCEPTED,
    dateutil_parse,
    next_weekday_time,
    parse_date,
    parse_hours,
    parse_past_date,
    parse_when,
    refuse_ambiguous_day_month,
    time_of_day,
)
from .thresholds import MAX_READING_GAP_HOURS, MIN_READING_GAP_HOURS, RAISED_TEMPERATURE_C

__all__ = [
    "CLOCK_SLOP",
    "DIAGNOSIS_ALIASES",
    "FLUIDS_ACCEPTED",
    "MAX_BREATHS",
    "MAX_CHECK_HOURS",
    "MAX_DIASTOLIC",
    "MAX_FLUIDS_LITRES",
    "MAX_INFUSION_YEAR",
    "MAX_INPUT_CHARS",
    "MAX_NO_DRIVING_WEEKS",
    "MAX_PHONE_CHARS",
    "MAX_PULSE",
    "MAX_REPORT_DAYS",
    "MAX_SPO2",
    "MAX_SYSTOLIC",
    "MAX_TEMPERATURE_C",
    "MAX_TEMPERATURE_F",
    "MIN_BREATHS",
    "MIN_DIASTOLIC",
    "MIN_INFUSION_YEAR",
    "MIN_NO_DRIVING_WEEKS",
    "MIN_PULSE",
    "MIN_SPO2",
    "MIN_SYSTOLIC",
    "MIN_TEMPERATURE_C",
    "MIN_TEMPERATURE_F",
    "OLDEST_READING",
    "PAST_DATE_ACCEPTED",
    "SITE_ACCEPTED",
    "TEMPERATURE_ACCEPTED",
    "WHEN_ACCEPTED",
    "clean",
    "dateutil_parse",
    "is_plain_number",
    "next_weekday_time",
    "parse_bp",
    "parse_breaths",
    "parse_date",
    "parse_diagnosis",
    "parse_entry_id",
    "parse_fatigue",
    "parse_fever_threshold",
    "parse_fluids",
    "parse_hours",
    "parse_no_driving_weeks",
    "parse_past_date",
    "parse_phone",
    "parse_pulse",
    "parse_reading_gap",
    "parse_recheck",
    "parse_recheck_minutes",
    "parse_report_days",
    "parse_severity",
    "parse_since_date",
    "parse_site",
    "parse_spo2",
    "parse_temperature",
    "parse_temperature_reading",
    "parse_text",
    "parse_volume_units",
    "parse_when",
    "quote",
    "refuse_ambiguous_day_month",
    "refuse_control_characters",
    "time_of_day",
]

_TEMPERATURE_RE = LazyPattern(
    rf"(?P<number>{NUMBER})\s*(?:[{DEGREE_SIGNS}]\s*)?(?P<unit>[cf])?", re.IGNORECASE
)
_BP_RE = LazyPattern(r"(?P<systolic>[0-9]+)\s*/\s*(?P<diastolic>[0-9]+)(?:\s*mm\s*hg)?", re.IGNORECASE)
_FLUIDS_RE = LazyPattern(rf"(?P<number>{NUMBER})\s*(?P<unit>[a-z]+)?", re.IGNORECASE)
_LITRE_UNITS = ("l", "ltr", "litre", "litres", "liter", "liters")
_MILLILITRE_UNITS = ("ml", "millilitre", "millilitres", "milliliter", "milliliters")


# --- temperature ---------------------------------------------------------------------------


def _fahrenheit_to_celsius(fahrenheit: float) -> float:
    """Degrees Fahrenheit to Celsius, rounded to 2 dp so 100.4 °F gives exactly 38.0."""
    return round((fahrenheit - 32.0) * 5.0 / 9.0, 2)


def is_plain_number(text: str) -> bool:
    """Whether ``text`` is exactly a ``NUMBER`` ("37.1", "38,2", "-1"), told without a regular
    expression: the usual `cart log temp 37.1` then compiles none of the temperature patterns
    (a plain number reads the same through them: the number, no unit, no site)."""
    digits = text[1:] if text[:1] in ("+", "-") else text
    whole, mark, fraction = digits.replace(",", ".", 1).partition(".")
    return all(part.isascii() and part.isdigit() for part in (whole, *((fraction,) if mark else ())))


def _read_temperature(text: str, unit: str | None, what: str, accepted: str) -> tuple[float, str | None, str]:
    """Split typed text into (number, unit from the text or the unit option, cleaned text)."""
    cleaned = clean(text, what, accepted)
    if is_plain_number(cleaned):
        number, text_unit = cleaned, None
    else:
        match = _TEMPERATURE_RE.fullmatch(cleaned)
        if not match:
            raise InvalidInput(f"{what} {quote(cleaned)} is not a number: {accepted}")
        number, text_unit = match["number"], match["unit"].lower() if match["unit"] else None
    option_unit = None
    if unit is not None:
        option_unit = str(unit).strip().lstrip(DEGREE_SIGNS).strip().lower()
        if option_unit not in ("c", "f"):
            raise InvalidInput(f"unit {quote(str(unit))} is not known: give c or f")
    if text_unit and option_unit and text_unit != option_unit:
        raise InvalidInput(
            f"{what} {quote(cleaned)} is in °{text_unit.upper()} but the unit given is "
            f"°{option_unit.upper()}: give one unit"
        )
    return to_float(number), text_unit or option_unit, cleaned


def parse_temperature(text: str, unit: str | None = None) -> tuple[float, str | None]:
    """A body temperature as (°C rounded to 2 dp, remark or None).

    "38.2", "38,2", "38.2C", "38.2 °C", "100.4F", "100.4 f"; ``unit`` is "c" or "f".
    A number with no unit from 86 to 113 can only be °F (no one lives at 86 °C), so it is
    read as °F and the remark says so; every °F reading gets a remark showing the °C value.
    """
    what = "temperature"
    number, given_unit, cleaned = _read_temperature(text, unit, what, TEMPERATURE_ACCEPTED)
    shown = quote(cleaned)
    # Range checks use the value as stored (2 dp), so what is accepted is what is kept.
    if given_unit is None:
        if MIN_TEMPERATURE_C <= round(number, 2) <= MAX_TEMPERATURE_C:
            return round(number, 2), None
        if MIN_TEMPERATURE_F <= number <= MAX_TEMPERATURE_F:
            celsius = _fahrenheit_to_celsius(number)
            return celsius, f"{format_number(number)} read as °F = {format_number(celsius)} °C"
        if MAX_TEMPERATURE_C < number < MIN_TEMPERATURE_F:
            raise InvalidInput(
                f"{what} {shown} is out of range (too high for °C, too low for °F): {TEMPERATURE_ACCEPTED}"
            )
        raise InvalidInput(
            f"{what} {shown} is out of range{_missing_point_hint(number)}: {TEMPERATURE_ACCEPTED}"
        )

    if given_unit == "c":
        celsius = round(number, 2)
        if MIN_TEMPERATURE_C <= celsius <= MAX_TEMPERATURE_C:
            return celsius, None
        hint = " (is it °F?)" if MIN_TEMPERATURE_F <= number <= MAX_TEMPERATURE_F else ""
        raise InvalidInput(f"{what} {shown} as °C is out of range{hint}: {TEMPERATURE_ACCEPTED}")

    celsius = _fahrenheit_to_celsius(number)
    if MIN_TEMPERATURE_C <= celsius <= MAX_TEMPERATURE_C:
        return celsius, f"{format_number(number)} °F = {format_number(celsius)} °C"
    hint = " (is it °C?)" if MIN_TEMPERATURE_C <= number <= MAX_TEMPERATURE_C else ""
    raise InvalidInput(f"{what} {shown} as °F is out of range{hint}: {TEMPERATURE_ACCEPTED}")


# Where a temperature was taken, in the words people use -> the stored site.
_SITE_WORDS = {
    **dict.fromkeys(("armpit", "arm", "underarm", "axilla", "axillary", "under arm", "under the arm",
                     "under his arm", "under her arm", "under my arm", "in the armpit"), "armpit"),
    **dict.fromkeys(("ear", "in the ear", "in ear", "tympanic", "ear thermometer"), "ear"),
    **dict.fromkeys(("mouth", "oral", "orally", "by mouth", "in the mouth", "under the tongue",
                     "under tongue", "tongue"), "mouth"),
    **dict.fromkeys(("forehead", "on the forehead", "temporal", "temple", "head", "skin"), "forehead"),
}  # fmt: skip
SITE_ACCEPTED = "mouth, ear, armpit (under the arm) or forehead"
_TEMPERATURE_AND_SITE_RE = LazyPattern(
    rf"(?P<reading>{NUMBER}\s*(?:[{DEGREE_SIGNS}]\s*)?(?:[cf](?![a-z]))?)"
    r"\s*[(,]?\s*(?P<site>[a-z ]*?)\s*\)?",
    re.IGNORECASE,
)


def parse_site(text: str) -> str:
    """``--site``: where a temperature was taken (mouth, ear, armpit, forehead; "under arm",
    "oral" and the like are understood)."""
    cleaned = clean(text, "site", f"give {SITE_ACCEPTED}")
    words = " ".join(cleaned.lower().replace("-", " ").split())
    if words not in _SITE_WORDS:
        raise InvalidInput(f"site {quote(cleaned)} is not known: give {SITE_ACCEPTED}")
    return _SITE_WORDS[words]


def parse_temperature_reading(
    text: str, unit: str | None = None, site: str | None = None
) -> tuple[float, str | None, str | None]:
    """A temperature with where it was taken: "37.8 under arm", "37.9 ear", "37.9 (ear)",
    "38.2" (no site), or ``site`` from ``--site``. Returns (°C, remark, site or None).

    The value is kept as read, never adjusted for the site: the rules grade the number on
    the thermometer, and the check says when an armpit or forehead reading may be low."""
    site_given = None if site is None else parse_site(site)
    cleaned = clean(text, "temperature", TEMPERATURE_ACCEPTED)
    match = None if is_plain_number(cleaned) else _TEMPERATURE_AND_SITE_RE.fullmatch(cleaned)
    site_typed = None
    reading = cleaned
    if match and match["site"]:
        words = " ".join(match["site"].lower().split())
        if words not in _SITE_WORDS:
            raise InvalidInput(
                f"temperature {quote(cleaned)}: {quote(words)} is not a place we know a "
                f"temperature is taken; give the number, then {SITE_ACCEPTED}, e.g. 37.8 under arm"
            )
        site_typed = _SITE_WORDS[words]
        reading = match["reading"]
    if site_typed and site_given and site_typed != site_given:
        raise InvalidInput(
            f"temperature {quote(cleaned)} says {site_typed} but --site says {site_given}: give one"
        )
    celsius, remark = parse_temperature(reading, unit)
    return celsius, remark, site_typed or site_given


def _missing_point_hint(number: float) -> str:
    """ " (did you mean 38.2?)" for 382, " (did you mean 100.4F?)" for 1004: a missed decimal point."""
    if number != int(number) or number <= 0:
        return ""
    shifted = number / 10
    if MIN_TEMPERATURE_C <= shifted <= MAX_TEMPERATURE_C:
        return f" (did you mean {format_number(shifted)}?)"
    if MIN_TEMPERATURE_F <= shifted <= MAX_TEMPERATURE_F:
        return f" (did you mean {format_number(shifted)}F?)"
    return ""


def parse_since_date(text: str, now: datetime) -> date:
    """``--since``: a date (2026-11-20) or anything `cart log --at` accepts (``3 days ago``)."""
    try:
        day = parse_date(text)
    except InvalidInput:
        day = parse_when(text, now).date()
    if day > now.date():
        raise InvalidInput(f"--since {text} is in the future; give a day on or before today.")
    return day


def parse_severity(text: str) -> str:
    """``--severity``: mild, moderate or severe (any case, spaces around ignored)."""
    severity = text.strip().lower()
    if severity not in SEVERITIES:
        raise InvalidInput(f"severity {severity!r} is not one of: {', '.join(SEVERITIES)}.")
    return severity


def parse_entry_id(text: str) -> int:
    """An entry id as `cart history` shows it: ``12`` or ``#12`` (ASCII digits only)."""
    digits = text.strip().lstrip("#")
    if not re.fullmatch("[0-9]{1,30}", digits):  # ASCII digits only: int("²") would fail
        raise InvalidInput(f"{text!r} is not an entry id: give the number shown by `cart history`.")
    return int(digits)


def parse_fever_threshold(text: str) -> float:
    """The temperature in °C at or above which `cart` says "call now": MIN_FEVER_THRESHOLD_C
    to MAX_FEVER_THRESHOLD_C.

    A plain number is °C; add F for °F ("100.4F"). Higher than the maximum is refused because
    it would hide a temperature the seed already counts as a fever.
    """
    what = "fever threshold"
    lowest, highest, usual = MIN_FEVER_THRESHOLD_C, MAX_FEVER_THRESHOLD_C, DEFAULT_FEVER_THRESHOLD_C
    accepted = (
        f"give {lowest:.1f}-{highest:.1f} °C ({usual:.1f} is the usual fever line; set "
        f"{RAISED_TEMPERATURE_C:.1f} if your hospital told you to call at {RAISED_TEMPERATURE_C:.1f})"
    )
    number, given_unit, cleaned = _read_temperature(text, None, what, accepted)
    shown = quote(cleaned)
    celsius = _fahrenheit_to_celsius(number) if given_unit == "f" else round(number, 2)
    if celsius > MAX_FEVER_THRESHOLD_C:
        hint = ""
        if given_unit is None and MIN_TEMPERATURE_F <= number <= MAX_TEMPERATURE_F:
            hint = " (for °F add F, e.g. 100.4F)"
        raise InvalidInput(
            f"{what} {shown} is above {highest:.1f} °C and would hide a fever{hint}: {accepted}"
        )
    if celsius < MIN_FEVER_THRESHOLD_C:
        raise InvalidInput(f"{what} {shown} is below {lowest:.1f} °C: {accepted}")
    return celsius


# --- other readings ------------------------------------------------------------------------


def parse_bp(text: str) -> tuple[int, int]:
    """Blood pressure "118/76" as (systolic, diastolic) in mmHg."""
    what = "blood pressure"
    accepted = (
        f"give systolic/diastolic in whole mmHg, e.g. 118/76 "
        f"(systolic {MIN_SYSTOLIC}-{MAX_SYSTOLIC}, diastolic {MIN_DIASTOLIC}-{MAX_DIASTOLIC})"
    )
    cleaned = clean(text, what, accepted)
    shown = quote(cleaned)
    match = _BP_RE.fullmatch(cleaned)
    if not match or len(match["systolic"]) > 4 or len(match["diastolic"]) > 4:
        raise InvalidInput(f"{what} {shown} is not two whole numbers: {accepted}")
    systolic, diastolic = int(match["systolic"]), int(match["diastolic"])
    if not MIN_SYSTOLIC <= systolic <= MAX_SYSTOLIC:
        raise InvalidInput(f"{what} {shown} has systolic (first number) out of range: {accepted}")
    if not MIN_DIASTOLIC <= diastolic <= MAX_DIASTOLIC:
        raise InvalidInput(f"{what} {shown} has diastolic (second number) out of range: {accepted}")
    if systolic <= diastolic:
        raise InvalidInput(f"{what} {shown} has the first number not above the second: {accepted}")
    return systolic, diastolic


def parse_pulse(text: str | int) -> int:
    """Pulse in beats per minute, 20-250 ("72" or "72 bpm")."""
    accepted = f"give beats per minute, {MIN_PULSE}-{MAX_PULSE}, e.g. 72"
    return whole_number(text, "pulse", MIN_PULSE, MAX_PULSE, accepted, suffixes=("bpm",))


MIN_SPO2, MAX_SPO2 = 50, 100


def parse_spo2(text: str | int) -> int:
    """Oxygen saturation in %, 50-100 ("96" or "96%")."""
    accepted = f"give a whole percentage from {MIN_SPO2} to {MAX_SPO2}, e.g. 96"
    return whole_number(text, "oxygen level", MIN_SPO2, MAX_SPO2, accepted, suffixes=("%", "percent"))


MIN_BREATHS, MAX_BREATHS = 0, 80


def parse_breaths(text: str | int) -> int:
    """Breathing rate in breaths a minute, 0-80 ("18", "18/min" or "18 breaths a minute").

    0 is accepted on purpose: a very low count is an emergency to show, never an error.
    """
    accepted = (
        f"give breaths a minute, {MIN_BREATHS}-{MAX_BREATHS}, e.g. 16 (count for 30 seconds and double it)"
    )
    suffixes = (
        "breaths a minute", "breaths per minute", "breaths/minute", "breaths/min", "breaths",
        "a minute", "per minute", "/minute", "per min", "/min", "bpm",
    )  # fmt: skip
    return whole_number(text, "breathing rate", MIN_BREATHS, MAX_BREATHS, accepted, suffixes=suffixes)


def parse_reading_gap(text: str) -> float:
    """How old the latest temperature may be before `cart check` says UNKNOWN: 4-24 hours."""
    what = "reading gap"
    accepted = (
        f"give hours from {MIN_READING_GAP_HOURS} to {MAX_READING_GAP_HOURS}, e.g. 12 "
        "(how often your team asked you to take your temperature, at most)"
    )
    cleaned = clean(text, what, accepted)
    match = re.fullmatch(rf"({NUMBER})\s*(?:h|hr|hrs|hours?)?", cleaned, re.IGNORECASE)
    if not match:
        raise InvalidInput(f"{what} {quote(cleaned)} is not a number: {accepted}")
    hours = to_float(match[1])
    if not MIN_READING_GAP_HOURS <= hours <= MAX_READING_GAP_HOURS:
        raise InvalidInput(f"{what} {quote(cleaned)} is out of range: {accepted}")
    return hours


def parse_fatigue(text: str) -> int:
    """Fatigue score, a whole number 0-10 ("6" or "6/10")."""
    accepted = "give a whole number from 0 (none) to 10 (worst), e.g. 6"
    return whole_number(text, "fatigue", 0, 10, accepted, suffixes=("/10", "/ 10"))


# What one of each holds, in millilitres: (UK, US). A UK pint is 20 imperial fluid ounces,
# a US pint 16 US fluid ounces; a cup is the metric 250 ml in the UK and 240 ml on US labels;
# a glass and a mug are what the NHS and US hydration advice count them as.
_MEASURES_ML: dict[str, tuple[float, float]] = {
    **dict.fromkeys(("pint", "pints", "pt", "pts"), (568.0, 473.0)),
    **dict.fromkeys(("cup", "cups"), (250.0, 240.0)),
    **dict.fromkeys(("glass", "glasses"), (250.0, 240.0)),
    **dict.fromkeys(("mug", "mugs"), (350.0, 350.0)),
    **dict.fromkeys(("oz", "fl oz", "floz", "fluid ounce", "fluid ounces", "ounce", "ounces"), (28.4, 29.6)),
}
_SPOKEN_AMOUNT_RE = LazyPattern(
    rf"(?P<amount>{NUMBER}|[a-z]+(?: [a-z]+)*?)\s*(?P<unit>fl oz|fluid ounces?|[a-z]+)(?: of [a-z ]+)?"
)
_MEASURE_NAMES = {
    "glass": "glass", "glasses": "glass", "pt": "pint", "pts": "pint", "floz": "fl oz", "oz": "fl oz",
    "ounce": "fl oz", "ounces": "fl oz", "fluid ounce": "fl oz", "fluid ounces": "fl oz",
}  # fmt: skip


def _spoken_amount(words: str) -> tuple[float, str] | None:
    """ "2 pints", "half a pint", "a glass", "two cups of tea", "12 oz" as (number, measure
    word); None when the words name no measure we know."""
    match = _SPOKEN_AMOUNT_RE.fullmatch(words)
    if not match or match["unit"] not in _MEASURES_ML:
        return None
    amount = match["amount"].strip()
    if amount in NUMBER_WORDS:
        return NUMBER_WORDS[amount], match["unit"]
    if re.fullmatch(NUMBER, amount):
        return to_float(amount), match["unit"]
    return None


FLUIDS_ACCEPTED = (
    f"give litres above 0 and up to {MAX_FLUIDS_LITRES:g}, e.g. 1.5, 1.5 l, 500ml, 2 pints, "
    "2 cups, a glass or 12 oz"
)


def parse_fluids(text: str, units: str = "uk") -> tuple[float, str | None]:
    """Fluids drunk, as (litres rounded to 3 dp, remark or None).

    "1.5", "1,5", "1.5l", "1.5 litres", "500ml", "250 mL"; and as people say it: "2 pints",
    "half a pint", "2 cups", "a glass", "a mug of tea", "12 oz" (pints, cups and ounces in
    ``units``: "uk" or "us"). More than 0, at most 5 litres. The remark says what was counted.
    """
    what = "fluids"
    accepted = FLUIDS_ACCEPTED
    cleaned = clean(text, what, accepted)
    shown = quote(cleaned)
    words = " ".join(cleaned.lower().split())
    spoken = _spoken_amount(words)
    if spoken is not None:
        number, unit_word = spoken
        if units not in ("uk", "us"):
            raise ValueError(f"units must be uk or us, not {units!r}")
        each_ml = _MEASURES_ML[unit_word][0 if units == "uk" else 1]
        if number <= 0:
            raise InvalidInput(f"{what} {shown} is not more than 0: {accepted}")
        litres = round(number * each_ml / 1000, 3)
        if litres > MAX_FLUIDS_LITRES:
            raise InvalidInput(f"{what} {shown} is more than 5 litres: {accepted}")
        name = _MEASURE_NAMES.get(unit_word, unit_word.removesuffix("s"))
        system = f" {units.upper()}" if name in ("pint", "cup", "fl oz") else ""
        counted = "half a" if number == 0.5 else f"{number:g}"
        plural = "" if number <= 1 or name == "fl oz" else ("es" if name == "glass" else "s")
        return litres, (
            f"counted {counted}{system} {name}{plural} as {litres * 1000:g} ml ({each_ml:g} ml each)"
        )
    match = _FLUIDS_RE.fullmatch(cleaned)
    if not match:
        raise InvalidInput(f"{what} {shown} is not an amount: {accepted}")
    unit = (match["unit"] or "").lower()
    number = to_float(match["number"])
    remark = None
    if unit in _MILLILITRE_UNITS:
        if "," in match["number"]:  # "1,500ml" could mean 1500 ml or 1.5 ml
            raise InvalidInput(f"{what} {shown} has a comma: write millilitres as e.g. 1500ml")
        litres = round(number / 1000, 3)
        remark = f"{match['number']} ml = {litres:g} L"
    elif unit in _LITRE_UNITS or not unit:
        litres = round(number, 3)
    else:
        raise InvalidInput(f"{what} {shown} has an unknown unit: {accepted}")
    if number <= 0:
        raise InvalidInput(f"{what} {shown} is not more than 0: {accepted}")
    if litres <= 0:
        raise InvalidInput(f"{what} {shown} is too small to record (under 1 ml): {accepted}")
    if litres > MAX_FLUIDS_LITRES:
        hint = ""
        # 10 or more with no unit is most likely millilitres typed without "ml".
        if not unit and 10 <= number <= MAX_FLUIDS_LITRES * 1000 and number == int(number):
            hint = f" (did you mean {int(number)}ml?)"
        raise InvalidInput(f"{what} {shown} is more than 5 litres{hint}: {accepted}")
    return litres, remark


# --- set-up values -------------------------------------------------------------------------


def parse_text(text: str, what: str, limit: int, *, collapse_spaces: bool = True) -> str:
    """Free text typed by the person: trimmed, not empty, not too long, and real text
    (a terminal set to another encoding can pass bytes that are not; refuse them here)."""
    text = " ".join(text.split()) if collapse_spaces else text.strip()
    if not text:
        raise InvalidInput(f"the {what} is empty.")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidInput(
            f"the {what} has characters that are not valid text (check the terminal's encoding)."
        ) from None
    refuse_control_characters(text, what, lines=not collapse_spaces)  # named before the length
    if len(text) > limit:
        raise InvalidInput(f"the {what} is too long: keep it to {limit} characters or fewer.")
    return text


def refuse_control_characters(text: str, what: str, *, lines: bool = False) -> None:
    """Refuse text holding characters a terminal acts on (ESC, NUL, BEL, ...) or that hide
    or reorder text (U+202E): shown later, they could fake what cart says. With ``lines``
    (a note) newlines and tabs are kept; everywhere else they are refused too."""
    import unicodedata

    from cart_cli.safe_text import describe_character, unsafe_characters

    found = unsafe_characters(text, lines=lines)
    if found:
        kind = "an invisible character" if unicodedata.category(found[0]) == "Cf" else "a control character"
        raise InvalidInput(
            f"the {what} holds {kind}, {describe_character(found[0])}: "
            "type plain text (letters, digits, spaces and punctuation) only."
        )


def parse_phone(text: str) -> str:
    """A phone number, kept as typed (trimmed): digits, spaces, + - ( ) . and "ext"."""
    what = "phone number"
    accepted = 'use digits, spaces, + - ( ) . and "ext", e.g. "020 7946 0000 ext 123"'
    cleaned = clean(text, what, accepted, max_chars=MAX_PHONE_CHARS)
    shown = quote(cleaned)
    without_ext = re.sub("ext", "", cleaned, flags=re.IGNORECASE)
    if not re.fullmatch(r"[0-9 +\-().]*", without_ext):
        raise InvalidInput(f"{what} {shown} has other characters: {accepted}")
    if len(re.findall("[0-9]", without_ext)) < 3:
        raise InvalidInput(f"{what} {shown} has fewer than 3 digits: {accepted}")
    return cleaned


def parse_no_driving_weeks(text: str | int) -> int:
    """How many weeks after infusion not to drive, 1-52 ("8" or "8 weeks")."""
    accepted = (
        f"give whole weeks, {MIN_NO_DRIVING_WEEKS}-{MAX_NO_DRIVING_WEEKS}, e.g. 8 "
        "(or what your hospital told you)"
    )
    return whole_number(
        text,
        "weeks without driving",
        MIN_NO_DRIVING_WEEKS,
        MAX_NO_DRIVING_WEEKS,
        accepted,
        suffixes=("weeks", "week", "wks", "wk", "w"),
    )


def parse_volume_units(text: str) -> str:
    """``--volume-units``: uk (a pint is 568 ml, a cup 250 ml) or us (473 ml, 240 ml)."""
    words = text.strip().lower().replace(".", "")
    aliases = {"uk": "uk", "gb": "uk", "imperial": "uk", "metric": "uk", "us": "us", "usa": "us"}
    if words not in aliases:
        raise InvalidInput(
            f"volume units {quote(text)} are not known: give uk (a pint is 568 ml) or us (473 ml)"
        )
    return aliases[words]


def parse_diagnosis(text: str) -> str:
    """The condition treated, one of ``models.DIAGNOSES``; common names are understood."""
    what = "diagnosis"
    accepted = f"give one of {', '.join(DIAGNOSES)}"
    cleaned = clean(text, what, accepted)
    words = " ".join(cleaned.lower().replace("-", " ").split())
    if words in DIAGNOSIS_ALIASES:
        return DIAGNOSIS_ALIASES[words]
    if "leukaemia" in words or "leukemia" in words:
        # Only acute lymphoblastic leukaemia has its own follow-up plan; other kinds
        # (e.g. CLL) must not be guessed into it.
        raise InvalidInput(
            f"{what} {quote(cleaned)} is not specific: give all (acute lymphoblastic leukaemia) or other"
        )
    raise InvalidInput(f"{what} {quote(cleaned)} is not known: {accepted}")


# --- the re-check the team asks for on a call ------------------------------------------------

_RECHECK_IN_RE = LazyPattern(rf"(?:in\s+)?({NUMBER})\s*([a-z]+)")
_RECHECK_UNITS = {
    **dict.fromkeys(("m", "min", "mins", "minute", "minutes"), 1),
    **dict.fromkeys(("h", "hr", "hrs", "hour", "hours"), 60),
}


def parse_recheck_minutes(minutes: int) -> int:
    """A stored re-check interval: whole minutes, 1 up to a day after the call."""
    from cart_cli.models import MAX_RECHECK_MINUTES

    if not 1 <= minutes <= MAX_RECHECK_MINUTES:
        raise InvalidInput(
            f"re-check {minutes} minutes after the call is out of range: give 1 minute up to "
            f"{MAX_RECHECK_MINUTES // 60} hours"
        )
    return minutes


def parse_recheck(text: str, call_at: datetime) -> int:
    """When the team asked for a re-check, as minutes after the call at ``call_at``.

    Accepts "1h", "90m", "in 1 hour", "in 30 minutes", "at 04:30" or "04:30" (the next time
    the clock shows it after the call).
    """
    what = "re-check"
    accepted = 'give e.g. "1h", "in 30 minutes" or "at 04:30"'
    cleaned = clean(text, what, accepted)
    words = " ".join(cleaned.lower().split())
    match = _RECHECK_IN_RE.fullmatch(words)
    if match and match[2] in _RECHECK_UNITS:
        minutes = round(to_float(match[1]) * _RECHECK_UNITS[match[2]])
        if minutes <= 0:
            raise InvalidInput(f"{what} {quote(cleaned)} must be after the call: {accepted}")
        return parse_recheck_minutes(minutes)
    clock = time_of_day(words.removeprefix("at ").strip())
    if clock is None:
        raise InvalidInput(f"{what} {quote(cleaned)} is not a time we understand: {accepted}")
    local = call_at
    due = datetime.combine(local.date(), clock, tzinfo=local.tzinfo)
    if due <= local:
        due = datetime.combine(local.date() + timedelta(days=1), clock, tzinfo=local.tzinfo)
    seconds = (due.astimezone(UTC) - local.astimezone(UTC)).total_seconds()
    return parse_recheck_minutes(max(1, -(-int(seconds) // 60)))
