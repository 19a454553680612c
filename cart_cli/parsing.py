"""Turn what a person typed into values the rest of `cart` can use.

Every public function takes the text as typed and either returns a clean value or raises
``InvalidInput`` with one line that says what was wrong and what is accepted. No other
exception escapes for any string: a typo must never show a traceback, and a value we are
unsure about is refused rather than guessed, because a wrong reading could hide a red flag.

Nothing here reads the clock (``parse_when`` takes ``now``) and ``dateutil.parser`` is
imported only inside the functions that need it, so `cart` starts fast.
"""

from __future__ import annotations

import contextlib
import re
from datetime import UTC, date, datetime, time, timedelta, timezone

from .errors import InvalidInput
from .models import (
    DEFAULT_FEVER_THRESHOLD_C,
    DIAGNOSES,
    MAX_FEVER_THRESHOLD_C,
    MIN_FEVER_THRESHOLD_C,
    SEVERITIES,
)
from .thresholds import MAX_READING_GAP_HOURS, MIN_READING_GAP_HOURS, RAISED_TEMPERATURE_C

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
_NUMBER = r"[+-]?[0-9]+(?:[.,][0-9]+)?"
_DEGREE_SIGNS = "°º˚"  # degree sign, and the look-alikes phones and keyboards produce
_TEMPERATURE_RE = re.compile(
    rf"(?P<number>{_NUMBER})\s*(?:[{_DEGREE_SIGNS}]\s*)?(?P<unit>[cf])?", re.IGNORECASE
)
_TIME_OF_DAY_RE = re.compile(
    r"(?P<hour>[0-9]{1,2})(?:[:.](?P<minute>[0-9]{2}))?\s*(?P<ampm>am|pm)?", re.IGNORECASE
)
_DAYS_AGO_AT_RE = re.compile(
    r"(?P<days>[0-9]{1,4})\s*(?:d|days?)\s+ago\s+(?:at\s+)?(?P<clock>.+)", re.IGNORECASE
)
_AGO_RE = re.compile(rf"(?P<number>{_NUMBER})\s*(?P<unit>[a-z]+)\s+ago", re.IGNORECASE)
_AGO_UNITS = {
    **dict.fromkeys(("m", "min", "mins", "minute", "minutes"), timedelta(minutes=1)),
    **dict.fromkeys(("h", "hr", "hrs", "hour", "hours"), timedelta(hours=1)),
    **dict.fromkeys(("d", "day", "days"), timedelta(days=1)),
    **dict.fromkeys(("w", "wk", "wks", "week", "weeks"), timedelta(weeks=1)),
}
# Two small numbers split by / . or - not preceded by a longer date part: 03/11, 3.11.2026.
# Where both could be a month and they differ, day-first and month-first disagree.
_DAY_MONTH_RE = re.compile(
    r"(?<![0-9/.\-])(?P<first>[0-9]{1,2})[/.\-](?P<second>[0-9]{1,2})(?![0-9])"
    r"(?:[/.\-](?P<year>[0-9]{4}|[0-9]{2})(?![0-9]))?"
)
_YEAR_FIRST_RE = re.compile(r"[0-9]{4}[/.\-]")
_BP_RE = re.compile(r"(?P<systolic>[0-9]+)\s*/\s*(?P<diastolic>[0-9]+)(?:\s*mm\s*hg)?", re.IGNORECASE)
_FLUIDS_RE = re.compile(rf"(?P<number>{_NUMBER})\s*(?P<unit>[a-z]+)?", re.IGNORECASE)
_LITRE_UNITS = ("l", "ltr", "litre", "litres", "liter", "liters")
_MILLILITRE_UNITS = ("ml", "millilitre", "millilitres", "milliliter", "milliliters")

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


def _to_float(number: str) -> float:
    """A number matched by ``_NUMBER``; a comma is a decimal mark."""
    return float(number.replace(",", "."))


def _format_number(value: float) -> str:
    """Show a value without float noise: 38.0, 38.06, 0.5."""
    rounded = round(value, 2)
    return f"{rounded:.1f}" if round(rounded, 1) == rounded else f"{rounded:.2f}"


def _whole_number(
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


# --- temperature ---------------------------------------------------------------------------


def _fahrenheit_to_celsius(fahrenheit: float) -> float:
    """Degrees Fahrenheit to Celsius, rounded to 2 dp so 100.4 °F gives exactly 38.0."""
    return round((fahrenheit - 32.0) * 5.0 / 9.0, 2)


def _read_temperature(text: str, unit: str | None, what: str, accepted: str) -> tuple[float, str | None, str]:
    """Split typed text into (number, unit from the text or the unit option, cleaned text)."""
    cleaned = clean(text, what, accepted)
    match = _TEMPERATURE_RE.fullmatch(cleaned)
    if not match:
        raise InvalidInput(f"{what} {quote(cleaned)} is not a number: {accepted}")
    text_unit = match["unit"].lower() if match["unit"] else None
    option_unit = None
    if unit is not None:
        option_unit = str(unit).strip().lstrip(_DEGREE_SIGNS).strip().lower()
        if option_unit not in ("c", "f"):
            raise InvalidInput(f"unit {quote(str(unit))} is not known: give c or f")
    if text_unit and option_unit and text_unit != option_unit:
        raise InvalidInput(
            f"{what} {quote(cleaned)} is in °{text_unit.upper()} but the unit given is "
            f"°{option_unit.upper()}: give one unit"
        )
    return _to_float(match["number"]), text_unit or option_unit, cleaned


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
            return celsius, f"{_format_number(number)} read as °F = {_format_number(celsius)} °C"
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
        return celsius, f"{_format_number(number)} °F = {_format_number(celsius)} °C"
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
_TEMPERATURE_AND_SITE_RE = re.compile(
    rf"(?P<reading>{_NUMBER}\s*(?:[{_DEGREE_SIGNS}]\s*)?(?:[cf](?![a-z]))?)"
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
    match = _TEMPERATURE_AND_SITE_RE.fullmatch(cleaned)
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
        return f" (did you mean {_format_number(shifted)}?)"
    if MIN_TEMPERATURE_F <= shifted <= MAX_TEMPERATURE_F:
        return f" (did you mean {_format_number(shifted)}F?)"
    return ""


MAX_REPORT_DAYS = 3660  # ten years: more is surely a typing slip


def parse_report_days(days: int | None) -> int | None:
    """`cart report --days`: 1 to MAX_REPORT_DAYS (None: the default period)."""
    if days is not None and not 1 <= days <= MAX_REPORT_DAYS:
        raise InvalidInput(f"--days must be a whole number from 1 to {MAX_REPORT_DAYS}, not {days}.")
    return days


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


# --- dates and times -----------------------------------------------------------------------


def refuse_ambiguous_day_month(cleaned: str, what: str) -> None:
    """Refuse 03/11/2026 and the like: 3 November in the UK, 11 March in the US."""
    match = _DAY_MONTH_RE.search(cleaned)
    if not match:
        return
    first, second = int(match["first"]), int(match["second"])
    if 1 <= first <= 12 and 1 <= second <= 12 and first != second:
        year = match["year"] or ""
        if len(year) == 2:
            year = "20" + year
        if year:
            example = f'"{first} {_month_name(second)} {year}" or {year}-{second:02d}-{first:02d}'
        else:
            example = f'"{first} {_month_name(second)}"'
        raise InvalidInput(
            f"{what} {quote(cleaned)} could be {first} {_month_name(second)} or "
            f"{second} {_month_name(first)}: write the month as a word, e.g. {example}"
        )


def _month_name(month: int) -> str:
    """Short English month name (not locale-dependent, unlike strftime)."""
    return ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")[month - 1]


def dateutil_parse(cleaned: str, default: datetime) -> datetime | None:
    """dateutil's reading of the text (day-first unless year-first), or None if it has none.

    A time-zone name ("BST", "EST") is ambiguous and dateutil would silently drop it, so
    only UTC/GMT/Z and numeric offsets are accepted; any other name is "not understood"
    rather than quietly read as local time.
    """
    from dateutil import parser as dateutil_parser

    def only_utc_or_offsets(name: str | None, offset: int | None) -> timezone | None:
        if offset is not None:
            return timezone(timedelta(seconds=offset))
        if name is None:
            return None  # no zone typed: local time
        if name.upper() in ("UTC", "GMT", "Z"):
            return UTC
        raise ValueError(f"time zone name {name!r} not accepted")

    year_first = bool(_YEAR_FIRST_RE.match(cleaned))
    try:
        return dateutil_parser.parse(
            cleaned,
            default=default,
            dayfirst=not year_first,
            yearfirst=year_first,
            tzinfos=only_utc_or_offsets,
        )
    # dateutil has raised ValueError, OverflowError, IndexError and TypeError for odd
    # text over the years; to the person any of them means "not understood".
    except Exception:
        return None


def _describe_moment(moment: datetime) -> str:
    """A moment for a message, e.g. "Tue 3 Nov 2026 21:30"."""
    weekday = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")[moment.weekday()]
    return f"{weekday} {moment.day} {_month_name(moment.month)} {moment.year} {moment:%H:%M}"


def time_of_day(text: str) -> time | None:
    """A clock time such as 08:00, 8.30, 21:30, 8pm or 8:30 am; None if the text is not one."""
    match = _TIME_OF_DAY_RE.fullmatch(text)
    if not match or (match["minute"] is None and match["ampm"] is None):
        return None  # a bare "8" could be anything
    hour, minute = int(match["hour"]), int(match["minute"] or 0)
    if match["ampm"]:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if match["ampm"].lower() == "pm" else 0)
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


def _on_day(day: date, clock: time, now: datetime) -> datetime:
    """A wall-clock time on a calendar day, in now's time zone."""
    return datetime.combine(day, clock, tzinfo=now.tzinfo)


# --- times as people say them ----------------------------------------------------------------

# Numbers said as words, for "two hours ago", "ten minutes ago", "two pints".
_NUMBER_WORDS = {
    "a": 1.0, "an": 1.0, "one": 1.0, "two": 2.0, "three": 3.0, "four": 4.0, "five": 5.0,
    "six": 6.0, "seven": 7.0, "eight": 8.0, "nine": 9.0, "ten": 10.0, "eleven": 11.0,
    "twelve": 12.0, "fifteen": 15.0, "twenty": 20.0, "thirty": 30.0, "forty": 40.0,
    "forty five": 45.0, "fifty": 50.0, "a couple of": 2.0, "couple of": 2.0, "a couple": 2.0,
    "half a": 0.5, "half an": 0.5, "half": 0.5,
}  # fmt: skip
_FEW_MINUTES = timedelta(minutes=5)  # "a few minutes ago": close enough for any rule's window
_SPOKEN_AGO_RE = re.compile(
    r"(?P<amount>[a-z ]+?|[0-9]+(?:[.,][0-9]+)?)\s+(?P<unit>[a-z]+)"
    r"(?P<and_half>\s+and\s+a\s+half)?\s+ago"
)
_WEEKDAYS = {
    **dict.fromkeys(("mon", "monday"), 0), **dict.fromkeys(("tue", "tues", "tuesday"), 1),
    **dict.fromkeys(("wed", "weds", "wednesday"), 2),
    **dict.fromkeys(("thu", "thur", "thurs", "thursday"), 3),
    **dict.fromkeys(("fri", "friday"), 4), **dict.fromkeys(("sat", "saturday"), 5),
    **dict.fromkeys(("sun", "sunday"), 6),
}  # fmt: skip
# Part of the day -> the 24-hour clock a bare hour ("7") is read on, and the hours it may be.
_PARTS_OF_DAY = {
    "morning": (0, range(1, 13)),  # "this morning 7" = 07:00; 12 = noon
    "afternoon": (12, range(1, 8)),  # "this afternoon 3" = 15:00
    "evening": (12, range(4, 12)),  # "this evening 8" = 20:00
    "night": (12, range(6, 12)),  # "last night 11" = 23:00 (after midnight: give 1am)
}
_PART_OF_DAY_RE = re.compile(
    r"(?P<day>this|last|yesterday|tonight)(?:\s+(?P<part>morning|afternoon|evening|night))?"
    r"(?:\s+at)?(?:\s+(?P<clock>.+))?"
)


def _spoken_ago(words: str) -> timedelta | None:
    """ "an hour ago", "half an hour ago", "a few minutes ago", "two days ago",
    "an hour and a half ago", "1 and a half hours ago"; None if the text is not one of them."""
    words = words.replace("1 and a half", "1.5").replace("one and a half", "1.5")
    if words.startswith("half an hour"):
        words = "0.5 hour" + words[len("half an hour") :]
    match = _SPOKEN_AGO_RE.fullmatch(words)
    if not match:
        return None
    unit = match["unit"]
    step = _AGO_UNITS.get(unit)
    if step is None:
        return None
    amount_text = match["amount"].strip()
    if amount_text in ("a few", "few", "a couple of minutes", "some"):
        if step != timedelta(minutes=1):
            raise InvalidInput(
                f'time "{words}" is too vague for the time of a reading: give a number, e.g. "3 {unit} ago"'
            )
        span = _FEW_MINUTES
    elif amount_text in _NUMBER_WORDS:
        span = _NUMBER_WORDS[amount_text] * step
    elif re.fullmatch(_NUMBER, amount_text):
        span = _to_float(amount_text) * step
    else:
        return None
    if match["and_half"]:
        span += step / 2
    return span


def _clock_in_part(text: str, part: str | None) -> time | None:
    """A clock time said after a part of the day: "7" after "this morning" is 07:00, "11"
    after "last night" 23:00; "11pm" and "23:00" are read as they are."""
    clock = time_of_day(text)
    if clock is not None:
        return clock
    bare = re.fullmatch(r"(?P<hour>[0-9]{1,2})(?:\s*o'?clock)?", text)
    if not bare or part is None:
        return None
    hour = int(bare["hour"])
    add, hours = _PARTS_OF_DAY[part]
    if hour not in hours:
        return None
    return time(hour if hour == 12 else hour + add, 0)


def _said_day_and_time(words: str, now: datetime) -> datetime | None:
    """ "last night 11pm", "this morning 7", "yesterday evening 8", "tonight 9pm", or a
    weekday ("mon 10am", "last tuesday 14:00": the latest such day, today included, whose
    time is not later than now). None if the words are none of these."""
    match = _PART_OF_DAY_RE.fullmatch(words)
    if match and (match["part"] or match["day"] == "tonight") and not match["clock"]:
        raise InvalidInput(f'time "{words}" needs a time of day: give e.g. "{words} 11pm"')
    if match and (match["part"] or match["day"] == "tonight") and match["clock"]:
        part = match["part"] or "night"
        if match["day"] == "last" and part != "night":
            return None
        clock = _clock_in_part(match["clock"], part)
        if clock is None:
            raise InvalidInput(
                f'time "{words}" has no time we can read: give e.g. "{match["day"]} {part} 7" or "... 7:30am"'
            )
        day = now.date()
        if match["day"] == "yesterday" or (match["day"] == "last" and clock.hour >= 12):
            day -= timedelta(days=1)  # "last night 2am" is early this morning; "11pm" is yesterday
        return _on_day(day, clock, now)
    first, _, rest = words.partition(" ")
    last = first == "last"
    if last:
        first, _, rest = rest.partition(" ")
    if first not in _WEEKDAYS:
        return None
    rest = rest.removeprefix("at ").strip()
    part = None
    for name in _PARTS_OF_DAY:
        if rest.startswith(name):
            part, rest = name, rest[len(name) :].removeprefix(" at").strip()
    clock = _clock_in_part(rest, part) if rest else None
    if clock is None:
        raise InvalidInput(f'time "{words}" needs a time of day: give e.g. "{first} 10am" or "{first} 14:30"')
    back = (now.weekday() - _WEEKDAYS[first]) % 7
    if last and back == 0:
        back = 7
    moment = _on_day(now.date() - timedelta(days=back), clock, now)
    if moment > now + CLOCK_SLOP:
        moment = _on_day(now.date() - timedelta(days=back + 7), clock, now)
    return moment


def next_weekday_time(words: str, now: datetime) -> datetime | None:
    """An appointment said as a weekday: "mon 10am", "next friday 14:30", "thursday
    morning 9": the next such day (today included if the time is still to come). None if
    the words do not start with a weekday."""
    first, _, rest = words.partition(" ")
    if first == "next":
        first, _, rest = rest.partition(" ")
    if first not in _WEEKDAYS:
        return None
    rest = rest.removeprefix("at ").strip()
    part = None
    for name in _PARTS_OF_DAY:
        if rest.startswith(name):
            part, rest = name, rest[len(name) :].removeprefix(" at").strip()
    clock = _clock_in_part(rest, part) if rest else None
    if clock is None:
        raise InvalidInput(f'time "{words}" needs a time of day: give e.g. "{first} 10am" or "{first} 14:30"')
    ahead = (_WEEKDAYS[first] - now.weekday()) % 7
    moment = _on_day(now.date() + timedelta(days=ahead), clock, now)
    if moment < now:
        moment = _on_day(now.date() + timedelta(days=ahead + 7), clock, now)
    return moment


def parse_when(text: str, now: datetime) -> datetime:
    """When a reading was taken, as an aware datetime in now's time zone.

    Accepts "now"; "today 08:00" and "yesterday 21:30" (a time is required); "2h ago",
    "45m ago", "90 min ago", "3 days ago"; as people say it: "an hour ago", "half an hour
    ago", "a few minutes ago", "last night 11pm", "this morning 7", "mon 10am" (the latest
    Monday whose 10am has passed); a bare time "08:00" (today); and dates with a
    time such as "2026-11-20 14:30", "20 Nov 14:30" or ISO with an offset. Numeric dates
    are day-first, but 03/11/2026-style dates where both readings work are refused.
    Refused: a time more than a minute after ``now``, or more than 5 years before it.
    """
    what = "time"
    accepted = WHEN_ACCEPTED
    cleaned = clean(text, what, accepted)
    shown = quote(cleaned)
    words = " ".join(cleaned.lower().split())

    if words in ("now", "just now", "right now"):
        return now

    spoken = _spoken_ago(words)
    if spoken is not None:
        if spoken > OLDEST_READING:
            raise InvalidInput(f"{what} {shown} is more than 5 years ago: check the number")
        return (now.astimezone(UTC) - spoken).astimezone(now.tzinfo)

    said = _said_day_and_time(words, now)
    if said is not None:
        return _check_when(said, now, shown, None)

    ago = _AGO_RE.fullmatch(words)
    if ago:
        step = _AGO_UNITS.get(ago["unit"])
        amount = _to_float(ago["number"])
        if step is None:
            raise InvalidInput(f"{what} {shown} has an unknown unit: use m, h, d or w, e.g. 2h ago")
        if amount < 0:
            raise InvalidInput(f"{what} {shown} is negative: {accepted}")
        if amount * step.total_seconds() > OLDEST_READING.total_seconds():
            raise InvalidInput(f"{what} {shown} is more than 5 years ago: check the number")
        # Subtract real elapsed time in UTC: wall-clock arithmetic would be an hour off
        # across a daylight-saving change.
        moment = now.astimezone(UTC) - amount * step
        return moment.astimezone(now.tzinfo)

    days_ago_at = _DAYS_AGO_AT_RE.fullmatch(words)
    if days_ago_at:
        clock = time_of_day(days_ago_at["clock"])
        if clock is None:
            raise InvalidInput(f'{what} {shown} has no time we can read: give e.g. "2 days ago 09:00"')
        days = int(days_ago_at["days"])
        if days > OLDEST_READING.days:
            raise InvalidInput(f"{what} {shown} is more than 5 years ago: check the number")
        day = now.date() - timedelta(days=days)
        return _check_when(_on_day(day, clock, now), now, shown, None)

    missing_ago = re.fullmatch(rf"({_NUMBER})\s*([a-z]+)", words)
    if missing_ago and missing_ago[2] in _AGO_UNITS:
        # dateutil would read "2h" as 02:00 today, which is not what the person meant.
        raise InvalidInput(f'{what} {shown} needs "ago": give e.g. "{missing_ago[0]} ago"')

    day_word, _, rest = words.partition(" ")
    if day_word in ("today", "yesterday"):
        rest = rest.removeprefix("at ").strip()
        if not rest:
            raise InvalidInput(f'{what} {shown} needs a time of day: give e.g. "{day_word} 08:00"')
        clock = time_of_day(rest)
        if clock is None:
            raise InvalidInput(f'{what} {shown} has no time we can read: give e.g. "{day_word} 08:00"')
        day = now.date() - timedelta(days=1 if day_word == "yesterday" else 0)
        suggestion = f"yesterday {rest}" if day_word == "today" else None
        return _check_when(_on_day(day, clock, now), now, shown, suggestion)

    clock = time_of_day(words)
    if clock is not None:
        return _check_when(_on_day(now.date(), clock, now), now, shown, f"yesterday {words}")

    refuse_ambiguous_day_month(cleaned, what)
    midnight = now.replace(tzinfo=None, hour=0, minute=0, second=0, microsecond=0)
    parsed = dateutil_parse(cleaned, midnight)
    if parsed is None:
        raise InvalidInput(f"{what} {shown} is not a time we understand: {accepted}")
    # dateutil fills in whatever the text leaves out from its default. Parsing again with
    # two defaults that differ in every field shows which parts were really typed: a
    # missing time or a half date (no day, or a weekday) would be a made-up moment.
    first = dateutil_parse(cleaned, datetime(2000, 1, 1, 0, 0))
    second = dateutil_parse(cleaned, datetime(2004, 2, 2, 1, 0))
    if first is None or second is None:
        raise InvalidInput(f"{what} {shown} is not a time we understand: {accepted}")
    if first.hour != second.hour:
        date_only = dateutil_parse(cleaned + " 00:00", midnight)
        if date_only is None:
            raise InvalidInput(f'{what} {shown} needs a time of day: give e.g. "20 Nov 14:30"')
        # A plain date means the start of that day (as `--since 2026-11-20` is read).
        try:
            return parse_when(cleaned + " 00:00", now)
        except InvalidInput as error:
            raise InvalidInput(error.message.replace(quote(cleaned + " 00:00"), shown)) from None
    day_and_month_typed = (first.month, first.day) == (second.month, second.day)
    no_date_typed = first.date() != second.date() and not (
        first.year == second.year or first.month == second.month or first.day == second.day
    )
    # A weekday alone ("Monday 10:00") moves dateutil's default date: refuse it too.
    weekday_only = no_date_typed and parsed.date() != midnight.date()
    if weekday_only or not (day_and_month_typed or no_date_typed):
        raise InvalidInput(f'{what} {shown} needs a day and a month: give e.g. "20 Nov 14:30" or "14:30"')
    if parsed.tzinfo is None:
        moment = parsed.replace(tzinfo=now.tzinfo)
    else:
        try:
            moment = parsed.astimezone(now.tzinfo)
        except (ValueError, OverflowError):  # an offset that pushes past year 1 or 9999
            raise InvalidInput(f"{what} {shown} is out of range: {accepted}") from None
    year_typed = first.year == second.year
    if day_and_month_typed and not year_typed and moment > now + CLOCK_SLOP:
        # "30 Dec 22:00" typed on 1 January means the 30 December just gone.
        with contextlib.suppress(ValueError):  # 29 Feb has no twin a year earlier: left to be refused
            moment = moment.replace(year=moment.year - 1)
    return _check_when(moment, now, shown, None)


def _check_when(moment: datetime, now: datetime, shown: str, suggestion: str | None) -> datetime:
    """Refuse a reading time in the future or implausibly long ago.

    A time a few seconds ahead of ``now`` (clocks differ) is taken as ``now``, so the entry
    is inside the window the rules look at straight away, never just beyond it.
    """
    if moment > now + CLOCK_SLOP:
        hint = f'; for the day before, give "{suggestion}"' if suggestion else ""
        raise InvalidInput(
            f"time {shown} is {_describe_moment(moment)}, later than now "
            f"({_describe_moment(now)}): give when the reading was taken{hint}"
        )
    if moment < now - OLDEST_READING:
        raise InvalidInput(
            f"time {shown} is {_describe_moment(moment)}, more than 5 years ago: check the date"
        )
    return min(moment, now)


def parse_date(text: str) -> date:
    """The infusion date: "2026-11-03", "3 Nov 2026", "3 November 2026", "Nov 3 2026".

    Day, month and year are all required (there is no "now" here to guess a year from).
    Numeric dates are day-first; 03/11/2026-style dates where both readings work are refused.
    """
    what = "date"
    accepted = 'give e.g. "2026-11-03" or "3 Nov 2026"'
    cleaned = clean(text, what, accepted)
    shown = quote(cleaned)
    refuse_ambiguous_day_month(cleaned, what)
    # Parse with two defaults that differ in day, month and year: if the result changes,
    # part of the date was missing and dateutil filled it in.
    first = dateutil_parse(cleaned, datetime(2000, 1, 1))
    second = dateutil_parse(cleaned, datetime(2004, 2, 2))
    if first is None:
        raise InvalidInput(f"{what} {shown} is not a date we understand: {accepted}")
    if second is None or first.date() != second.date():
        raise InvalidInput(f"{what} {shown} needs a day, month and year: {accepted}")
    if not MIN_INFUSION_YEAR <= first.year <= MAX_INFUSION_YEAR:
        raise InvalidInput(
            f"{what} {shown} is in {first.year}: give a date from 2000 to 2099, e.g. 2026-11-03"
        )
    return first.date()


PAST_DATE_ACCEPTED = 'give e.g. "2026-11-03", "3 Nov 2026", "29 Nov", "6 days ago" or "yesterday"'


def parse_past_date(text: str, today: date, what: str = "date") -> date:
    """A day already gone (the infusion date, the day home): everything ``parse_date``
    takes, and as people say it: "today", "yesterday", "6 days ago", "2 weeks ago", "last
    monday", or a day and month without a year ("29 Nov"), which is the latest one not
    after ``today``. A date with its year is kept as typed (``parse_date`` checks it)."""
    cleaned = clean(text, what, PAST_DATE_ACCEPTED)
    shown = quote(cleaned)
    words = " ".join(cleaned.lower().split())
    if words in ("today", "yesterday"):
        return today - timedelta(days=1 if words == "yesterday" else 0)
    span = _spoken_ago(words)
    if span is None:
        ago = _AGO_RE.fullmatch(words)
        if ago and ago["unit"] in _AGO_UNITS:
            span = _to_float(ago["number"]) * _AGO_UNITS[ago["unit"]]
    if span is not None:
        if span < timedelta(days=1) or span != timedelta(days=span.days):
            raise InvalidInput(f"{what} {shown} is not a whole number of days or weeks: {PAST_DATE_ACCEPTED}")
        if span.days > OLDEST_READING.days:
            raise InvalidInput(f"{what} {shown} is more than 5 years ago: check the number")
        return today - timedelta(days=span.days)
    first_word, _, rest = words.partition(" ")
    if first_word == "last" and rest in _WEEKDAYS:
        first_word, rest = rest, ""
    if first_word in _WEEKDAYS and not rest:
        back = (today.weekday() - _WEEKDAYS[first_word]) % 7
        return today - timedelta(days=back or 7)
    try:
        return parse_date(cleaned)
    except InvalidInput as error:
        refuse_ambiguous_day_month(cleaned, what)
        first = dateutil_parse(cleaned, datetime(2000, 1, 1))
        second = dateutil_parse(cleaned, datetime(2004, 2, 2))
        day_and_month = (
            first is not None and second is not None
            and (first.month, first.day) == (second.month, second.day) and first.year != second.year
        )  # fmt: skip
        if not day_and_month or first is None:
            if "is in " in error.message:  # a year out of range: that message says what to do
                raise
            raise InvalidInput(f"{what} {shown} is not a date we understand: {PAST_DATE_ACCEPTED}") from None
        for year in range(today.year, today.year - 8, -1):  # 29 Feb: back to the last leap year
            with contextlib.suppress(ValueError):
                day = date(year, first.month, first.day)
                if day <= today:
                    return day
        raise InvalidInput(f"{what} {shown} is not a real date: {PAST_DATE_ACCEPTED}") from None


def parse_hours(text: str) -> float:
    """How many hours back `cart check` looks: more than 0, at most 14 days (336)."""
    what = "hours"
    accepted = f"give a number of hours above 0 and up to {MAX_CHECK_HOURS}, e.g. 24"
    cleaned = clean(text, what, accepted)
    match = re.fullmatch(rf"({_NUMBER})\s*(?:h|hr|hrs|hours?)?", cleaned, re.IGNORECASE)
    if not match:
        raise InvalidInput(f"{what} {quote(cleaned)} is not a number: {accepted}")
    hours = _to_float(match[1])
    if not 0 < hours <= MAX_CHECK_HOURS:
        raise InvalidInput(f"{what} {quote(cleaned)} is out of range: {accepted}")
    return hours


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
    return _whole_number(text, "pulse", MIN_PULSE, MAX_PULSE, accepted, suffixes=("bpm",))


MIN_SPO2, MAX_SPO2 = 50, 100


def parse_spo2(text: str | int) -> int:
    """Oxygen saturation in %, 50-100 ("96" or "96%")."""
    accepted = f"give a whole percentage from {MIN_SPO2} to {MAX_SPO2}, e.g. 96"
    return _whole_number(text, "oxygen level", MIN_SPO2, MAX_SPO2, accepted, suffixes=("%", "percent"))


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
    return _whole_number(text, "breathing rate", MIN_BREATHS, MAX_BREATHS, accepted, suffixes=suffixes)


def parse_reading_gap(text: str) -> float:
    """How old the latest temperature may be before `cart check` says UNKNOWN: 4-24 hours."""
    what = "reading gap"
    accepted = (
        f"give hours from {MIN_READING_GAP_HOURS} to {MAX_READING_GAP_HOURS}, e.g. 12 "
        "(how often your team asked you to take your temperature, at most)"
    )
    cleaned = clean(text, what, accepted)
    match = re.fullmatch(rf"({_NUMBER})\s*(?:h|hr|hrs|hours?)?", cleaned, re.IGNORECASE)
    if not match:
        raise InvalidInput(f"{what} {quote(cleaned)} is not a number: {accepted}")
    hours = _to_float(match[1])
    if not MIN_READING_GAP_HOURS <= hours <= MAX_READING_GAP_HOURS:
        raise InvalidInput(f"{what} {quote(cleaned)} is out of range: {accepted}")
    return hours


def parse_fatigue(text: str) -> int:
    """Fatigue score, a whole number 0-10 ("6" or "6/10")."""
    accepted = "give a whole number from 0 (none) to 10 (worst), e.g. 6"
    return _whole_number(text, "fatigue", 0, 10, accepted, suffixes=("/10", "/ 10"))


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
_SPOKEN_AMOUNT_RE = re.compile(
    rf"(?P<amount>{_NUMBER}|[a-z]+(?: [a-z]+)*?)\s*(?P<unit>fl oz|fluid ounces?|[a-z]+)(?: of [a-z ]+)?"
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
    if amount in _NUMBER_WORDS:
        return _NUMBER_WORDS[amount], match["unit"]
    if re.fullmatch(_NUMBER, amount):
        return _to_float(amount), match["unit"]
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
    number = _to_float(match["number"])
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
    return _whole_number(
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

_RECHECK_IN_RE = re.compile(rf"(?:in\s+)?({_NUMBER})\s*([a-z]+)")
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
        minutes = round(_to_float(match[1]) * _RECHECK_UNITS[match[2]])
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
