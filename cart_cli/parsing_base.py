"""What the parsing modules share: the limits of typed values, the number pattern, and the
helpers that clean text and quote it back in a message (``parsing.py`` re-exports the public ones)."""

from __future__ import annotations

import re
from datetime import timedelta

from .errors import InvalidInput


class LazyPattern:
    """A regular expression compiled the first time it is used, not when its module is
    imported: `cart log temp` reads one number and need not compile the patterns of every
    other kind of reading and of every way to say a time."""

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern = pattern
        self.flags = flags
        self._compiled: re.Pattern[str] | None = None

    @property
    def compiled(self) -> re.Pattern[str]:
        if self._compiled is None:
            self._compiled = re.compile(self.pattern, self.flags)
        return self._compiled

    def fullmatch(self, text: str) -> re.Match[str] | None:
        return self.compiled.fullmatch(text)

    def match(self, text: str) -> re.Match[str] | None:
        return self.compiled.match(text)

    def search(self, text: str) -> re.Match[str] | None:
        return self.compiled.search(text)


MAX_INPUT_CHARS = 80  # longer than any real value; keeps messages and regexes cheap
MAX_PHONE_CHARS = 40

# Temperatures: the seed's fever line is 38 °C; anything outside 30-45 °C is a typo or a
# broken thermometer rather than a reading to act on.
MIN_TEMPERATURE_C = 30.0
MAX_TEMPERATURE_C = 45.0
MIN_TEMPERATURE_F = 86.0  # = 30 °C
MAX_TEMPERATURE_F = 113.0  # = 45 °C
TEMPERATURE_ACCEPTED = "give 30-45 °C or 86-113 °F, e.g. 38.2 or 100.4F"

MIN_SYSTOLIC, MAX_SYSTOLIC = 50, 260
MIN_DIASTOLIC, MAX_DIASTOLIC = 20, 200
MIN_PULSE, MAX_PULSE = 20, 250
MAX_FLUIDS_LITRES = 5.0  # per entry; more at once is almost surely millilitres
MAX_CHECK_HOURS = 24 * 14
MIN_NO_DRIVING_WEEKS, MAX_NO_DRIVING_WEEKS = 1, 52
MIN_INFUSION_YEAR, MAX_INFUSION_YEAR = 2000, 2099
WHEN_ACCEPTED = (
    'give e.g. "now", "2h ago", "an hour ago", "today 08:00", "last night 11pm", '
    '"this morning 7", "mon 10am" or "2026-11-20 14:30"'
)

CLOCK_SLOP = timedelta(seconds=60)  # a reading "now" may be a few seconds ahead of our now
OLDEST_READING = timedelta(days=5 * 365 + 1)  # older than ~5 years is surely a typo

# A decimal number, with a comma allowed as the decimal mark ("38,2").
NUMBER = r"[+-]?[0-9]+(?:[.,][0-9]+)?"
DEGREE_SIGNS = "°º˚"  # degree sign, and the look-alikes phones and keyboards produce

DIAGNOSIS_ALIASES = {
    "lymphoma": "lymphoma",
    "non hodgkin lymphoma": "lymphoma",
    "nhl": "lymphoma",
    "dlbcl": "lymphoma",
    "diffuse large b cell lymphoma": "lymphoma",
    "follicular lymphoma": "lymphoma",
    "mantle cell lymphoma": "lymphoma",
    "all": "all",
    "b all": "all",
    "acute lymphoblastic leukaemia": "all",
    "acute lymphoblastic leukemia": "all",
    "myeloma": "myeloma",
    "multiple myeloma": "myeloma",
    "other": "other",
}


# --- shared helpers ------------------------------------------------------------------------


def quote(text: str) -> str:
    """Echo typed text inside a message: quoted, shortened, on one line whatever it holds."""
    shown = text if len(text) <= 30 else text[:29] + "…"
    # Line breaks and other invisible characters are spelled out so the message stays one line.
    shown = "".join(c if c.isprintable() else repr(c)[1:-1] for c in shown)
    return f'"{shown}"'


def clean(text: str, what: str, accepted: str, max_chars: int = MAX_INPUT_CHARS) -> str:
    """Strip the text; refuse it when empty, too long or not text at all."""
    if not isinstance(text, str):
        raise InvalidInput(f"{what} must be typed as text: {accepted}")
    cleaned = text.strip()
    if not cleaned:
        raise InvalidInput(f"{what} is empty: {accepted}")
    if len(cleaned) > max_chars:
        raise InvalidInput(f"{what} {quote(cleaned)} is too long: {accepted}")
    return cleaned


def to_float(number: str) -> float:
    """A number matched by ``NUMBER``; a comma is a decimal mark."""
    return float(number.replace(",", "."))


def format_number(value: float) -> str:
    """Show a value without float noise: 38.0, 38.06, 0.5."""
    rounded = round(value, 2)
    return f"{rounded:.1f}" if round(rounded, 1) == rounded else f"{rounded:.2f}"


def whole_number(
    text: str | int, what: str, low: int, high: int, accepted: str, suffixes: tuple[str, ...] = ()
) -> int:
    """A whole number from low to high, optionally followed by one of ``suffixes``."""
    if isinstance(text, int) and not isinstance(text, bool):
        value = text
        shown = quote(str(text))
    else:
        cleaned = clean(str(text), what, accepted)
        shown = quote(cleaned)
        digits = cleaned.lower()
        for suffix in suffixes:
            if digits.endswith(suffix):
                digits = digits[: -len(suffix)].rstrip()
                break
        if not re.fullmatch(r"[0-9]{1,6}", digits):
            raise InvalidInput(f"{what} {shown} is not a whole number: {accepted}")
        value = int(digits)
    if not low <= value <= high:
        raise InvalidInput(f"{what} {shown} is out of range: {accepted}")
    return value


MAX_REPORT_DAYS = 3660  # ten years: more is surely a typing slip


def parse_report_days(days: int | None) -> int | None:
    """`cart report --days` and `cart chart --days`: 1 to MAX_REPORT_DAYS (None: the default
    period). Here, not in parsing.py, so `cart chart` does not load the date reader."""
    if days is not None and not 1 <= days <= MAX_REPORT_DAYS:
        raise InvalidInput(f"--days must be a whole number from 1 to {MAX_REPORT_DAYS}, not {days}.")
    return days
