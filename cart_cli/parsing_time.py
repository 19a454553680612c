"""Dates and times as typed or said ("2h ago", "last night 11pm", "3 Nov") into moments.

Nothing here reads the clock (``parse_when`` takes ``now``); ``dateutil.parser`` is imported only
inside the function that needs it. ``parsing.py`` re-exports the names it always had."""

from __future__ import annotations

import contextlib
import re
from datetime import UTC, date, datetime, time, timedelta, timezone

from .errors import InvalidInput
from .parsing_base import (
    CLOCK_SLOP,
    MAX_CHECK_HOURS,
    MAX_INFUSION_YEAR,
    MIN_INFUSION_YEAR,
    NUMBER,
    OLDEST_READING,
    WHEN_ACCEPTED,
    LazyPattern,
    clean,
    quote,
    to_float,
)

_TIME_OF_DAY_RE = LazyPattern(
    r"(?P<hour>[0-9]{1,2})(?:[:.](?P<minute>[0-9]{2}))?\s*(?P<ampm>am|pm)?", re.IGNORECASE
)
_DAYS_AGO_AT_RE = LazyPattern(
    r"(?P<days>[0-9]{1,4})\s*(?:d|days?)\s+ago\s+(?:at\s+)?(?P<clock>.+)", re.IGNORECASE
)
_AGO_RE = LazyPattern(rf"(?P<number>{NUMBER})\s*(?P<unit>[a-z]+)\s+ago", re.IGNORECASE)
_AGO_UNITS = {
    **dict.fromkeys(("m", "min", "mins", "minute", "minutes"), timedelta(minutes=1)),
    **dict.fromkeys(("h", "hr", "hrs", "hour", "hours"), timedelta(hours=1)),
    **dict.fromkeys(("d", "day", "days"), timedelta(days=1)),
    **dict.fromkeys(("w", "wk", "wks", "week", "weeks"), timedelta(weeks=1)),
}
# Two small numbers split by / . or - not preceded by a longer date part: 03/11, 3.11.2026.
# Where both could be a month and they differ, day-first and month-first disagree.
_DAY_MONTH_RE = LazyPattern(
    r"(?<![0-9/.\-])(?P<first>[0-9]{1,2})[/.\-](?P<second>[0-9]{1,2})(?![0-9])"
    r"(?:[/.\-](?P<year>[0-9]{4}|[0-9]{2})(?![0-9]))?"
)
_YEAR_FIRST_RE = LazyPattern(r"[0-9]{4}[/.\-]")


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
NUMBER_WORDS = {
    "a": 1.0, "an": 1.0, "one": 1.0, "two": 2.0, "three": 3.0, "four": 4.0, "five": 5.0,
    "six": 6.0, "seven": 7.0, "eight": 8.0, "nine": 9.0, "ten": 10.0, "eleven": 11.0,
    "twelve": 12.0, "fifteen": 15.0, "twenty": 20.0, "thirty": 30.0, "forty": 40.0,
    "forty five": 45.0, "fifty": 50.0, "a couple of": 2.0, "couple of": 2.0, "a couple": 2.0,
    "half a": 0.5, "half an": 0.5, "half": 0.5,
}  # fmt: skip
_FEW_MINUTES = timedelta(minutes=5)  # "a few minutes ago": close enough for any rule's window
_SPOKEN_AGO_RE = LazyPattern(
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
_PART_OF_DAY_RE = LazyPattern(
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
    elif amount_text in NUMBER_WORDS:
        span = NUMBER_WORDS[amount_text] * step
    elif re.fullmatch(NUMBER, amount_text):
        span = to_float(amount_text) * step
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
    clock = _weekday_clock(words, first, rest)
    back = (now.weekday() - _WEEKDAYS[first]) % 7
    if last and back == 0:
        back = 7
    moment = _on_day(now.date() - timedelta(days=back), clock, now)
    if moment > now + CLOCK_SLOP:
        moment = _on_day(now.date() - timedelta(days=back + 7), clock, now)
    return moment


def _weekday_clock(words: str, weekday: str, rest: str) -> time:
    """The time of day after a weekday ("at 10am", "morning 9", "14:30"); ``words`` is the
    whole phrase, for the refusal."""
    rest = rest.removeprefix("at ").strip()
    part = None
    for name in _PARTS_OF_DAY:
        if rest.startswith(name):
            part, rest = name, rest[len(name) :].removeprefix(" at").strip()
    clock = _clock_in_part(rest, part) if rest else None
    if clock is None:
        raise InvalidInput(
            f'time "{words}" needs a time of day: give e.g. "{weekday} 10am" or "{weekday} 14:30"'
        )
    return clock


def next_weekday_time(words: str, now: datetime) -> datetime | None:
    """An appointment said as a weekday: "mon 10am", "next friday 14:30", "thursday
    morning 9": the next such day (today included if the time is still to come). None if
    the words do not start with a weekday."""
    first, _, rest = words.partition(" ")
    if first == "next":
        first, _, rest = rest.partition(" ")
    if first not in _WEEKDAYS:
        return None
    clock = _weekday_clock(words, first, rest)
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
        amount = to_float(ago["number"])
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

    missing_ago = re.fullmatch(rf"({NUMBER})\s*([a-z]+)", words)
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
            span = to_float(ago["number"]) * _AGO_UNITS[ago["unit"]]
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
    match = re.fullmatch(rf"({NUMBER})\s*(?:h|hr|hrs|hours?)?", cleaned, re.IGNORECASE)
    if not match:
        raise InvalidInput(f"{what} {quote(cleaned)} is not a number: {accepted}")
    hours = to_float(match[1])
    if not 0 < hours <= MAX_CHECK_HOURS:
        raise InvalidInput(f"{what} {quote(cleaned)} is out of range: {accepted}")
    return hours
