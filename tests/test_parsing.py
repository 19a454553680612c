"""Tests for cart_cli.parsing: typed text in, clean values or one-line InvalidInput out.

Expected values come from the brief and the clinical reference (30-45 °C accepted, 38.0 °C
fever line, °F = °C * 9/5 + 32), not from running the code.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cart_cli import parsing
from cart_cli.errors import InvalidInput
from cart_cli.models import DIAGNOSES

# A fixed offset, so no test depends on the machine's zone or a daylight-saving change.
TZ = timezone(timedelta(hours=1))
NOW = datetime(2026, 11, 20, 14, 2, tzinfo=TZ)  # a Friday


def at(day: int, hour: int, minute: int, month: int = 11, year: int = 2026) -> datetime:
    """A moment in the test zone."""
    return datetime(year, month, day, hour, minute, tzinfo=TZ)


def assert_refused(parse, *args, contains: str | None = None) -> str:
    """Call a parser that must refuse; check the message is one non-empty line; return it."""
    with pytest.raises(InvalidInput) as caught:
        parse(*args)
    message = caught.value.message
    assert message and len(message.splitlines()) == 1
    assert caught.value.exit_code == 2
    if contains is not None:
        assert contains in message
    return message


# --- temperature ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "unit", "celsius"),
    [
        ("38.2", None, 38.2),  # the issue's `cart log temp 38.2`
        ("38,2", None, 38.2),
        ("38.2C", None, 38.2),
        ("38.2c", None, 38.2),
        ("38.2 °C", None, 38.2),
        ("  38.2  ", None, 38.2),
        ("38.2ºC", None, 38.2),
        ("38.2", "c", 38.2),
        ("38.2C", "C", 38.2),
        ("30", None, 30.0),  # lower boundary
        ("45", None, 45.0),  # upper boundary
        ("30c", None, 30.0),
        ("45 °C", None, 45.0),
        ("37.456", None, 37.46),  # kept to 2 dp
    ],
)
def test_temperature_in_celsius_is_taken_as_typed(text, unit, celsius):
    """Celsius readings from 30 to 45 are accepted as typed, without a remark."""
    assert parsing.parse_temperature(text, unit) == (celsius, None)


@pytest.mark.parametrize(
    ("text", "unit", "celsius"),
    [
        ("100.4F", None, 38.0),  # 100.4 °F is the classic 38.0 °C fever line
        ("100.4°F", None, 38.0),
        ("100.4 °F", None, 38.0),
        ("100.4 f", None, 38.0),
        ("100.4", "f", 38.0),  # `cart log temp 100.4 --unit f`
        ("100.4", "F", 38.0),
        ("100.4F", "f", 38.0),
        ("98.6F", None, 37.0),
        ("86F", None, 30.0),  # = 30 °C boundary
        ("113F", None, 45.0),  # = 45 °C boundary
        ("99,5 F", None, 37.5),
    ],
)
def test_temperature_in_fahrenheit_is_converted_with_a_remark(text, unit, celsius):
    """Fahrenheit readings are converted to °C and the remark shows both values."""
    value, remark = parsing.parse_temperature(text, unit)
    assert value == celsius
    assert remark is not None and "°F" in remark and f"{celsius:.1f} °C" in remark


@pytest.mark.parametrize(
    ("text", "celsius"),
    [("100.4", 38.0), ("86", 30.0), ("113", 45.0), ("98.6", 37.0), ("102.2", 39.0)],
)
def test_unitless_86_to_113_is_read_as_fahrenheit_and_says_so(text, celsius):
    """A number with no unit from 86 to 113 can only be °F; the remark says it was read so."""
    value, remark = parsing.parse_temperature(text)
    assert value == celsius
    assert remark is not None and "read as °F" in remark


@pytest.mark.parametrize(
    ("text", "unit"),
    [
        ("29.9", None),  # just below 30 °C
        ("45.1", None),  # just above 45 °C
        ("45.5", None),
        ("60", None),  # between the °C and °F ranges
        ("85.9", None),
        ("113.1", None),
        ("-5", None),
        ("0", None),
        ("29.9C", None),
        ("45.1 °C", None),
        ("100.4C", None),  # °C said, but only plausible as °F
        ("100.4", "c"),
        ("38F", None),  # °F said, but only plausible as °C
        ("38.2", "f"),
        ("85.9F", None),
        ("113.2F", None),
    ],
)
def test_temperature_out_of_range_is_refused(text, unit):
    """Values outside 30-45 °C (86-113 °F) are refused with the accepted ranges."""
    message = assert_refused(parsing.parse_temperature, text, unit)
    assert "30-45 °C" in message and "86-113 °F" in message


@pytest.mark.parametrize(
    ("text", "unit"),
    [
        ("", None),
        ("   ", None),
        ("nan", None),
        ("inf", None),
        ("-inf", None),
        ("1e2", None),
        ("38.2.1", None),
        ("thirty eight", None),
        ("38.2K", None),
        ("38.2 CC", None),
        ("38.2", "k"),
        ("38.2", "celsius"),
        ("38.2F", "c"),  # the text and the option disagree
        ("100.4C", "f"),
        ("٣٨", None),  # non-ASCII digits
        ("38\n2", None),
    ],
)
def test_temperature_that_is_not_a_reading_is_refused(text, unit):
    """Empty text, nan/inf, unknown or conflicting units are refused."""
    assert_refused(parsing.parse_temperature, text, unit)


def test_temperature_out_of_range_message_names_what_was_typed():
    """The message quotes the typed value so the person sees what was read."""
    assert_refused(parsing.parse_temperature, "45.5", contains='"45.5"')


# --- fever threshold -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "celsius"),
    [
        ("37", 37.0),  # lower boundary
        ("37.0", 37.0),
        ("37.5", 37.5),  # what some UK hospitals use (docs/clinical-basis.md T1)
        ("37,5", 37.5),
        ("38", 38.0),  # the seed's fever line, upper boundary
        ("38.0 °C", 38.0),
        ("99.5F", 37.5),
        ("100.4F", 38.0),
        ("98.6 F", 37.0),
    ],
)
def test_fever_threshold_accepts_37_to_38(text, celsius):
    """Fever thresholds from 37.0 to 38.0 °C (98.6-100.4 °F) are accepted."""
    assert parsing.parse_fever_threshold(text) == celsius


@pytest.mark.parametrize(
    ("text", "contains"),
    [
        ("38.1", "hide a fever"),  # higher than the seed's fever line
        ("39", "hide a fever"),
        ("100.5F", "hide a fever"),
        ("99.5", "add F"),  # unit-less °F-looking number is not guessed here
        ("36.9", "37.0"),
        ("98.5F", "37.0"),
        ("", "37.0-38.0"),
        ("high", "37.0-38.0"),
        ("nan", "37.0-38.0"),
    ],
)
def test_fever_threshold_outside_37_to_38_is_refused(text, contains):
    """Thresholds above 38.0 °C (would hide a fever) or below 37.0 °C are refused."""
    assert_refused(parsing.parse_fever_threshold, text, contains=contains)


# --- parse_when ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("now", NOW),
        ("NOW", NOW),
        ("2h ago", NOW - timedelta(hours=2)),
        ("45m ago", NOW - timedelta(minutes=45)),
        ("90 min ago", NOW - timedelta(minutes=90)),
        ("1 hour ago", NOW - timedelta(hours=1)),
        ("1.5 hours ago", NOW - timedelta(minutes=90)),
        ("3 days ago", NOW - timedelta(days=3)),
        ("1d ago", NOW - timedelta(days=1)),
        ("2 weeks ago", NOW - timedelta(weeks=2)),
        ("0m ago", NOW),
        ("today 08:00", at(20, 8, 0)),
        ("Today 8:00", at(20, 8, 0)),
        ("today at 08:00", at(20, 8, 0)),
        ("today 14:02", NOW),
        ("today 14:03", NOW),  # within a minute of clock slop: taken as now
        ("yesterday 21:30", at(19, 21, 30)),
        ("yesterday 9pm", at(19, 21, 0)),
        ("yesterday 12am", at(19, 0, 0)),
        ("today 12pm", at(20, 12, 0)),
        ("08:00", at(20, 8, 0)),  # a bare time is today
        ("8.30", at(20, 8, 30)),
        ("8:30 am", at(20, 8, 30)),
        ("2026-11-20 13:30", at(20, 13, 30)),
        ("2026-11-03 14:30", at(3, 14, 30)),  # ISO is year-month-day, never day-first
        ("20 Nov 10:30", at(20, 10, 30)),
        ("20 November 2026 10:30", at(20, 10, 30)),
        ("13/11/2026 10:00", at(13, 10, 0)),  # only day-first works: 13 Nov
        ("13/11/2026 00:00", at(13, 0, 0)),  # midnight given on purpose
        ("3/3/2026 10:00", at(3, 10, 0, month=3)),  # both readings agree
        ("2021-11-21 10:00", at(21, 10, 0, year=2021)),  # just under 5 years ago
        ("14:30:00 +02:00", at(20, 13, 30)),  # an offset is honoured
        ("10:00:30", datetime(2026, 11, 20, 10, 0, 30, tzinfo=TZ)),
    ],
)
def test_when_accepted_forms(text, expected):
    """Relative, today/yesterday, bare-time and absolute forms give the right moment."""
    moment = parsing.parse_when(text, NOW)
    assert moment == expected
    assert moment.tzinfo is TZ


def test_when_iso_with_offset_is_converted_to_nows_zone():
    """An ISO time with its own offset keeps its instant but is shown in now's zone."""
    moment = parsing.parse_when("2026-11-20T12:30:00+00:00", NOW)
    assert moment == datetime(2026, 11, 20, 12, 30, tzinfo=UTC)
    assert moment.tzinfo is TZ
    assert (moment.hour, moment.minute) == (13, 30)


def test_when_ago_counts_real_hours_across_a_daylight_saving_change():
    """'2h ago' just after the clocks go back is two real hours earlier, not wall-clock."""
    london = ZoneInfo("Europe/London")
    # 25 Oct 2026: clocks go back from 02:00 BST to 01:00 GMT; 03:30 GMT = 03:30 UTC.
    now = datetime(2026, 10, 25, 3, 30, tzinfo=london)
    moment = parsing.parse_when("2h ago", now)
    assert moment.astimezone(UTC) == datetime(2026, 10, 25, 1, 30, tzinfo=UTC)
    assert moment.tzinfo is london


@pytest.mark.parametrize(
    ("text", "contains"),
    [
        ("today", "today 08:00"),  # a day alone is too vague for a reading
        ("yesterday", "yesterday 08:00"),
        ("today noonish", "today 08:00"),
        ("yesterday 25:00", "yesterday 08:00"),
        ("Nov 10:00", "day and a month"),  # half a date would be filled in silently
        ("2026-11 10:00", "day and a month"),
        ("5 10:00", "day and a month"),
        ("today 14:04", "later than now"),  # more than a minute ahead
        ("15:00", "yesterday 15:00"),  # a future bare time suggests the day before
        ("2026-11-21 09:00", "later than now"),
        ("2026-11-20T14:30:00+01:00", "later than now"),
        ("2026-11-20T13:10:00+00:00", "later than now"),  # 14:10 in now's zone
        ("2021-11-19 10:00", "5 years"),  # just over 5 years ago
        ("1999-01-01 10:00", "5 years"),
        ("6 years ago", None),
        ("2000 days ago", "5 years"),
        ("99999999999999999999h ago", "5 years"),
        ("5 parsecs ago", "m, h, d or w"),
        ("-2h ago", None),
        ("03/11/2026 10:00", "3 Nov"),  # 3 Nov or 11 Mar: refused
        ("11/03/2026 10:00", "11 Mar"),
        ("3.11.2026 10:00", "3 Nov"),
        ("14:30 BST", None),  # a zone name dateutil would silently drop
        ("", None),
        ("   ", None),
        ("soon", None),
        ("8", None),  # a bare number is not a time
        ("tomorrow 08:00", None),
        ("ago", None),
        ("2h", None),
    ],
)
def test_when_refused(text, contains):
    """Vague, future, ancient, ambiguous and unreadable times are refused."""
    assert_refused(parsing.parse_when, text, NOW, contains=contains)


def test_when_future_message_names_the_time():
    """Refusing a future time says which time it was read as."""
    assert_refused(parsing.parse_when, "today 15:00", NOW, contains="15:00")


# --- parse_date ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-03", date(2026, 11, 3)),
        ("2026/11/03", date(2026, 11, 3)),
        ("3 Nov 2026", date(2026, 11, 3)),
        ("3 November 2026", date(2026, 11, 3)),
        ("Nov 3 2026", date(2026, 11, 3)),
        ("November 3, 2026", date(2026, 11, 3)),
        ("13/11/2026", date(2026, 11, 13)),  # day-first: only 13 Nov works
        ("03/03/2026", date(2026, 3, 3)),
        ("29 Feb 2028", date(2028, 2, 29)),
        ("2000-01-01", date(2000, 1, 1)),
        ("2099-12-31", date(2099, 12, 31)),
    ],
)
def test_date_accepted_forms(text, expected):
    """ISO and written-month dates, and unambiguous day-first numeric dates, are read."""
    assert parsing.parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "contains"),
    [
        ("03/11/2026", "2026-11-03"),  # 3 Nov (UK) or 11 Mar (US)
        ("11/03/2026", "11 Mar"),
        ("3.11.2026", "3 Nov"),
        ("3 Nov", "year"),  # no year: there is no 'now' to guess it from
        ("Nov 2026", "day"),
        ("2026", "day"),
        ("29 Feb 2026", None),  # not a leap year
        ("2026-13-03", None),
        ("1999-12-31", "2000 to 2099"),
        ("2100-01-01", "2000 to 2099"),
        ("", None),
        ("yesterday", None),
        ("soon", None),
    ],
)
def test_date_refused(text, contains):
    """Ambiguous, incomplete, impossible and implausible dates are refused."""
    assert_refused(parsing.parse_date, text, contains=contains)


# --- parse_hours ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "hours"),
    [("24", 24.0), ("0.5", 0.5), ("1,5", 1.5), ("12h", 12.0), ("336", 336.0), ("48 hours", 48.0)],
)
def test_hours_accepted(text, hours):
    """Hours above 0 and up to 14 days (336) are accepted."""
    assert parsing.parse_hours(text) == hours


@pytest.mark.parametrize("text", ["0", "-1", "336.1", "1000", "", "a day", "nan", "24d"])
def test_hours_refused(text):
    """Zero, negative, over 336 and non-numbers are refused."""
    assert_refused(parsing.parse_hours, text)


# --- blood pressure, pulse, fatigue --------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("118/76", (118, 76)),
        ("118 / 76", (118, 76)),
        (" 118/76 ", (118, 76)),
        ("118/76 mmHg", (118, 76)),
        ("50/20", (50, 20)),  # lowest accepted of each
        ("260/200", (260, 200)),  # highest accepted of each
        ("89/60", (89, 60)),  # low: accepted here, judged by the rules
    ],
)
def test_bp_accepted(text, expected):
    """Systolic 50-260 over diastolic 20-200, systolic higher, are accepted."""
    assert parsing.parse_bp(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "49/30",
        "261/80",
        "118/19",
        "250/201",
        "76/118",  # numbers swapped
        "80/80",
        "118.5/76",  # whole numbers only
        "118",
        "118-76",
        "118/76/50",
        "",
        "high",
        "00000000000118/76",
    ],
)
def test_bp_refused(text):
    """Out-of-range, swapped, decimal or malformed readings are refused."""
    assert_refused(parsing.parse_bp, text)


@pytest.mark.parametrize(
    ("text", "pulse"), [("72", 72), ("20", 20), ("250", 250), ("72 bpm", 72), (72, 72), ("072", 72)]
)
def test_pulse_accepted(text, pulse):
    """Pulse 20-250 beats per minute, as text or int, is accepted."""
    assert parsing.parse_pulse(text) == pulse


@pytest.mark.parametrize("text", ["19", "251", "0", "-72", "72.5", "", "fast", 19, 251, True])
def test_pulse_refused(text):
    """Pulse outside 20-250, fractional, non-numeric or a bool is refused."""
    assert_refused(parsing.parse_pulse, text)


@pytest.mark.parametrize(
    ("text", "score"), [("0", 0), ("6", 6), ("10", 10), ("6/10", 6), ("6 / 10", 6), (" 9 ", 9)]
)
def test_fatigue_accepted(text, score):
    """Whole numbers 0-10, optionally written as n/10, are accepted."""
    assert parsing.parse_fatigue(text) == score


@pytest.mark.parametrize("text", ["11", "-1", "6.5", "6/5", "", "tired", "10/10/10"])
def test_fatigue_refused(text):
    """Scores outside 0-10, fractions and other text are refused."""
    assert_refused(parsing.parse_fatigue, text)


# --- fluids --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "litres"),
    [
        ("1.5", 1.5),
        ("1,5", 1.5),
        ("1.5l", 1.5),
        ("1.5 L", 1.5),
        ("1.5 litres", 1.5),
        ("2 liters", 2.0),
        ("5", 5.0),  # upper boundary
        ("0.001", 0.001),
    ],
)
def test_fluids_in_litres_accepted_without_remark(text, litres):
    """Litres above 0 and up to 5 are kept as typed with no remark."""
    assert parsing.parse_fluids(text) == (litres, None)


@pytest.mark.parametrize(
    ("text", "litres"),
    [("500ml", 0.5), ("500 ml", 0.5), ("250 mL", 0.25), ("5000ml", 5.0), ("1 ml", 0.001)],
)
def test_fluids_in_millilitres_converted_with_remark(text, litres):
    """Millilitres are converted to litres and the remark says so."""
    value, remark = parsing.parse_fluids(text)
    assert value == litres
    assert remark is not None and "ml" in remark


@pytest.mark.parametrize(
    ("text", "contains"),
    [
        ("500", "500ml"),  # most likely millilitres typed without the unit
        ("250", "250ml"),
        ("5.1", "5 litres"),
        ("6 l", "5 litres"),
        ("5001ml", "5 litres"),
        ("0", "0"),
        ("0ml", "0"),
        ("-1", "0"),
        ("0.4ml", "1 ml"),
        ("1,500ml", "1500ml"),  # thousands comma or decimal comma: refuse to guess
        ("", None),
        ("lots", None),
    ],
)
def test_fluids_refused(text, contains):
    """Zero, negative, over 5 litres, unknown units and unclear commas are refused."""
    assert_refused(parsing.parse_fluids, text, contains=contains)


# --- set-up values -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("020 7946 0000", "020 7946 0000"),
        ("  020 7946 0000  ", "020 7946 0000"),
        ("+44 (0)20 7946 0000", "+44 (0)20 7946 0000"),
        ("020-7946-0000 ext 123", "020-7946-0000 ext 123"),
        ("020.7946.0000 Ext. 5", "020.7946.0000 Ext. 5"),
        ("999", "999"),
    ],
)
def test_phone_kept_as_typed_but_trimmed(text, kept):
    """Phone numbers with digits and common punctuation are kept as typed."""
    assert parsing.parse_phone(text) == kept


@pytest.mark.parametrize(
    "text",
    ["12", "", "call the ward", "020 7946 0000 x123", "0" * 41, "020\n7946", "٠٢٠٧٩٤٦"],
)
def test_phone_refused(text):
    """Too few digits, letters, too long or line breaks are refused."""
    assert_refused(parsing.parse_phone, text)


@pytest.mark.parametrize(
    ("text", "weeks"), [("8", 8), ("1", 1), ("52", 52), ("2 weeks", 2), ("8w", 8), (8, 8)]
)
def test_no_driving_weeks_accepted(text, weeks):
    """Whole weeks 1-52 are accepted (8 in the UK leaflets, 2 on the 2025 US label)."""
    assert parsing.parse_no_driving_weeks(text) == weeks


@pytest.mark.parametrize("text", ["0", "53", "8.5", "", "two", 0])
def test_no_driving_weeks_refused(text):
    """Weeks outside 1-52 or not whole are refused."""
    assert_refused(parsing.parse_no_driving_weeks, text)


@pytest.mark.parametrize(
    ("text", "diagnosis"),
    [
        ("lymphoma", "lymphoma"),
        ("Lymphoma", "lymphoma"),
        ("DLBCL", "lymphoma"),
        ("non-Hodgkin lymphoma", "lymphoma"),
        ("ALL", "all"),
        ("all", "all"),
        ("B-ALL", "all"),
        ("acute lymphoblastic leukaemia", "all"),
        ("Acute Lymphoblastic Leukemia", "all"),
        ("myeloma", "myeloma"),
        ("multiple  myeloma", "myeloma"),
        ("other", "other"),
    ],
)
def test_diagnosis_accepted(text, diagnosis):
    """Each diagnosis and its common names map to the canonical value."""
    assert parsing.parse_diagnosis(text) == diagnosis
    assert diagnosis in DIAGNOSES


@pytest.mark.parametrize(
    ("text", "contains"),
    [("leukaemia", "all"), ("CLL", "lymphoma"), ("cancer", "other"), ("", "other")],
)
def test_diagnosis_refused(text, contains):
    """Unknown or unspecific diagnoses are refused, listing the accepted ones."""
    assert_refused(parsing.parse_diagnosis, text, contains=contains)


# --- no string ever escapes as anything but InvalidInput -----------------------------------

FRAGMENTS = [
    "0",
    "1",
    "2",
    "3",
    "5",
    "8",
    "9",
    "12",
    "13",
    "30",
    "38",
    "45",
    "86",
    "100",
    "118",
    "500",
    "2026",
    "9999999999",
    ".",
    ",",
    "/",
    ":",
    "-",
    "+",
    " ",
    "°",
    "C",
    "F",
    "c",
    "f",
    "ml",
    "l",
    "L",
    " ago",
    "h",
    "m",
    "d",
    "w",
    "min",
    "today",
    "yesterday",
    "now",
    "Nov",
    "pm",
    "am",
    "T",
    "Z",
    "+01:00",
    "ext",
    "(",
    ")",
    "nan",
    "inf",
    "e",
    "\n",
    "\x85",
    "\u2028",
    "\x00",
    "٣",
    "lymphoma",
    "all",
    "mmHg",
    "bpm",
    "/10",
    "weeks",
]
plausible_text = st.lists(st.sampled_from(FRAGMENTS), max_size=8).map("".join)
any_text = st.one_of(st.text(), plausible_text)

TEXT_PARSERS = [
    parsing.parse_temperature,
    parsing.parse_fever_threshold,
    parsing.parse_date,
    parsing.parse_hours,
    parsing.parse_bp,
    parsing.parse_pulse,
    parsing.parse_fatigue,
    parsing.parse_fluids,
    parsing.parse_phone,
    parsing.parse_no_driving_weeks,
    parsing.parse_diagnosis,
]


def returns_or_refuses_on_one_line(call) -> object:
    """Run a parse; it must return or raise InvalidInput with a one-line message."""
    try:
        return call()
    except InvalidInput as refused:
        assert refused.message and len(refused.message.splitlines()) == 1
        return None


@pytest.mark.parametrize("parse", TEXT_PARSERS, ids=lambda parse: parse.__name__)
@settings(max_examples=300, deadline=None)
@given(text=any_text)
def test_parsers_never_raise_anything_but_invalid_input(parse, text):
    """Any string either parses or raises InvalidInput with a one-line message."""
    returns_or_refuses_on_one_line(lambda: parse(text))


@settings(max_examples=300, deadline=None)
@given(text=any_text, unit=st.one_of(st.none(), st.sampled_from(["c", "f", "C", "F"]), any_text))
def test_temperature_result_always_in_range(text, unit):
    """Whatever is typed, an accepted temperature is 30-45 °C."""
    result = returns_or_refuses_on_one_line(lambda: parsing.parse_temperature(text, unit))
    if result is not None:
        celsius, _remark = result
        assert 30.0 <= celsius <= 45.0


@settings(max_examples=500, deadline=None)
@given(text=any_text)
def test_when_result_is_never_future_nor_naive(text):
    """Whatever is typed, an accepted time is aware, in now's zone, and not in the future."""
    moment = returns_or_refuses_on_one_line(lambda: parsing.parse_when(text, NOW))
    if moment is not None:
        assert moment.tzinfo is TZ
        assert NOW - timedelta(days=5 * 366) <= moment <= NOW + timedelta(seconds=60)


@pytest.mark.parametrize(
    ("text", "now", "expected"),
    [
        # Just after New Year a date with no year means the one just gone.
        ("30 Dec 22:00", datetime(2027, 1, 1, 9, 0, tzinfo=TZ), datetime(2026, 12, 30, 22, 0, tzinfo=TZ)),
        ("31 Dec 23:59", datetime(2027, 1, 1, 0, 5, tzinfo=TZ), datetime(2026, 12, 31, 23, 59, tzinfo=TZ)),
        # Earlier this year stays this year.
        ("20 Nov 09:00", NOW, datetime(2026, 11, 20, 9, 0, tzinfo=TZ)),
    ],
)
def test_a_date_without_a_year_is_the_most_recent_one(text, now, expected):
    """A day and month with no year take the latest such date that is not in the future."""
    assert parsing.parse_when(text, now) == expected


def test_a_date_with_a_year_in_the_future_is_still_refused():
    """Typing the year means it: a future date with a year is refused, not moved back."""
    with pytest.raises(InvalidInput):
        parsing.parse_when("30 Dec 2027 22:00", datetime(2027, 1, 1, 9, 0, tzinfo=TZ))


def test_a_time_a_few_seconds_ahead_is_taken_as_now():
    """A reading up to a minute ahead of the clock is stored at `now`, inside the rules' window."""
    assert parsing.parse_when("14:02:30", NOW) == NOW  # NOW is 14:02:00


@pytest.mark.parametrize(
    ("text", "collapse", "expected"),
    [("  St  Elsewhere  ", True, "St Elsewhere"), ("  line one\nline two ", False, "line one\nline two")],
)
def test_parse_text_trims_and_optionally_folds_spaces(text, collapse, expected):
    """Free text is trimmed; names fold inner spaces, notes keep their own line breaks."""
    assert parsing.parse_text(text, "note", 100, collapse_spaces=collapse) == expected


@pytest.mark.parametrize(
    ("text", "problem"), [("   ", "empty"), ("x" * 11, "too long"), ("a\udcff", "not valid text")]
)
def test_parse_text_refuses_empty_long_or_broken_text(text, problem):
    """Empty text, text over the limit and text that is not valid Unicode are refused."""
    with pytest.raises(InvalidInput, match=problem):
        parsing.parse_text(text, "note", 10)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-20", datetime(2026, 11, 20, 0, 0)),
        ("20 Nov", datetime(2026, 11, 20, 0, 0)),
        ("19 Nov 2026", datetime(2026, 11, 19, 0, 0)),
        ("2 days ago 09:00", datetime(2026, 11, 18, 9, 0)),
        ("3 days ago at 8pm", datetime(2026, 11, 17, 20, 0)),
        ("1 day ago 21:30", datetime(2026, 11, 19, 21, 30)),
    ],
)
def test_when_plain_date_is_the_start_of_that_day_and_days_ago_take_a_time(text, expected):
    """A plain date is the start of that day; "2 days ago 09:00" is that clock time two days back."""
    assert parsing.parse_when(text, NOW) == expected.replace(tzinfo=NOW.tzinfo)


@pytest.mark.parametrize(
    ("text", "contains"), [("2026-11-21", "later than now"), ("2 days ago 25:00", "time")]
)
def test_when_plain_date_in_the_future_or_bad_clock_is_refused(text, contains):
    assert_refused(parsing.parse_when, text, NOW, contains=contains)


@pytest.mark.parametrize(("typed", "hint"), [("382", "38.2?"), ("375", "37.5?"), ("1004", "100.4F?")])
def test_temperature_without_its_decimal_point_suggests_one(typed, hint):
    message = assert_refused(parsing.parse_temperature, typed)
    assert f"did you mean {hint}" in message


@pytest.mark.parametrize(
    ("typed", "value"),
    [("50", 50), ("92", 92), ("93%", 93), ("100", 100), (" 95 % ", 95), ("94 percent", 94)],
)
def test_spo2_accepted(typed, value):
    assert parsing.parse_spo2(typed) == value


@pytest.mark.parametrize("typed", ["49", "101", "9.5", "", "abc", "-93"])
def test_spo2_refused(typed):
    assert_refused(parsing.parse_spo2, typed)


@pytest.mark.parametrize(("typed", "hours"), [("4", 4.0), ("12", 12.0), ("24h", 24.0), ("6.5 hours", 6.5)])
def test_reading_gap_accepted(typed, hours):
    assert parsing.parse_reading_gap(typed) == hours


@pytest.mark.parametrize("typed", ["3.9", "24.1", "0", "", "twelve"])
def test_reading_gap_refused(typed):
    assert_refused(parsing.parse_reading_gap, typed)


PLAIN_NUMBER_CASES = [
    "37.1", "37,1", "38", "+37.1", "-1", "0", "100.4", "007", "37.10", "1234567890",
    "", "+", "-", ".5", "37.", "37,", "37.1.2", "37,1,2", "37.1,2", "37,1.2", "3 7", "37.1c",
    "37.1 ", " 37.1", "٣٧", "37\u00b71", "37²", "３７", "1e3", "0x1f", "37..1", "++37", "-+37",
    "37_1", "inf", "nan", "37.1°", "38 ear", "37.8 under arm",
]  # fmt: skip


@pytest.mark.parametrize("text", PLAIN_NUMBER_CASES)
def test_a_plain_number_is_told_exactly_as_the_number_pattern_tells_it(text):
    """``is_plain_number`` (the regex-free path of `cart log temp 37.1`) says yes exactly when
    the text is a whole ``NUMBER``, and such a text reads through the temperature patterns as
    that number, with no unit and no site: the short cut cannot change a reading."""
    import re

    from cart_cli.parsing_base import NUMBER

    assert parsing.is_plain_number(text) is bool(re.fullmatch(NUMBER, text))
    if parsing.is_plain_number(text):
        reading = parsing._TEMPERATURE_RE.fullmatch(text)
        assert reading is not None and reading["number"] == text and reading["unit"] is None
        with_site = parsing._TEMPERATURE_AND_SITE_RE.fullmatch(text)
        assert with_site is not None and with_site["reading"] == text and not with_site["site"]


@given(st.text(alphabet="0123456789+-.,c ", max_size=8))
@settings(max_examples=300, deadline=None)
def test_a_plain_number_is_told_as_the_pattern_tells_it_for_any_short_text(text):
    import re

    from cart_cli.parsing_base import NUMBER

    assert parsing.is_plain_number(text) is bool(re.fullmatch(NUMBER, text))
