"""The person's own schedule: appointments, the medicine schedule, and today's doses.

Plain data and pure functions (``now`` is always passed in), so the dashboard, the
timeline and the calendar file all read the same answers, and tests need no clock.

- An ``Appointment`` is a dated, timed event the person adds (bloods, an infusion of
  immunoglobulins, a scan). It may stand for a generic milestone (``replaces``), which is
  then hidden from the timeline and the calendar.
- A ``Medicine`` is taken at wall-clock times (``08:00`` stays 08:00 across a clock
  change) on the days of its pattern: every day, some weekdays (Mon, Wed, Fri), or every
  N days counted from the day it was added; "every 8 hours from 06:00" is stored as the
  times it gives (06:00, 14:00, 22:00). It runs from the day it was added until its end
  date (inclusive) or until it is stopped. An *as-needed* medicine has no times: it has
  limits instead (a minimum gap, a number of doses and an amount a day), which
  `cart med next` reads.
- A dose is *taken* when a ``med`` entry of that medicine (the name compared without case,
  and without a dose typed after it) is logged in the dose's window; *missed* when its time
  is more than two hours past with none; *due* in between; *later* before its time. A dose
  logged earlier than any window counts for the nearest dose still open, marked *early*.
  A missed dose is a reminder, never a triage level: what the rules say about medicines
  that bring a fever down (or too much paracetamol) is theirs.

Typed input for the schedule (appointment times, dose times, end dates) is parsed here
too, with the same care and the same one-line errors as ``parsing``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from cart_cli.errors import InvalidInput
from cart_cli.models import Appointment as Appointment  # plain data, in models (re-exported)
from cart_cli.models import Entry, Plan

MISSED_AFTER = timedelta(hours=2)  # issue 13: a dose more than 2 hours late is missed
# A dose taken a little early still counts for that dose: up to an hour before its time
# (but never before the previous dose's time, so each dose has its own window).
EARLY_MARGIN = timedelta(hours=1)
MAX_TIMES_A_DAY = 12
MAX_EVERY_DAYS = 28  # "every 28 days" is the longest repeat cart takes
MAX_GAP = timedelta(hours=24)
MAX_DOSES_A_DAY = 24
MAX_MG_A_DAY = 10_000  # above any oral daily maximum a prescriber writes
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")  # date.weekday() order
_WEEKDAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MAX_TITLE_CHARS = 120
MAX_WHERE_CHARS = 120
MAX_MEDICINE_CHARS = 80
MAX_DOSE_CHARS = 80
APPOINTMENT_MINUTES = 60  # the length a calendar shows; the person's letter has the detail
FARTHEST_APPOINTMENT = timedelta(days=5 * 365 + 1)  # further away than this is surely a typo

DOSE_STATES = ("taken", "due", "missed", "later")
_DOSE_WORDS = {"taken": "taken", "due": "due now", "missed": "missed", "later": "to come"}  # on screen


@dataclass(frozen=True)
class Medicine:
    """A medicine on the schedule: taken at ``times`` (local wall-clock) on the days of its
    pattern (``weekdays``, or every ``every_days`` days from the day it was added), or, when
    ``as_needed``, whenever needed within its limits (``times`` is then empty)."""

    name: str
    times: tuple[time, ...]
    created_at: datetime
    uid: str = ""
    id: int | None = None
    dose: str | None = None
    until: date | None = None  # the last day it is taken (inclusive)
    stopped_at: datetime | None = None
    weekdays: tuple[int, ...] = ()  # date.weekday() numbers; empty: every day
    every_days: int = 1
    every_hours: int | None = None  # how the times were given ("every 8 hours from 06:00")
    as_needed: bool = False
    min_gap: timedelta | None = None  # as needed: at least this long between doses
    max_per_day: int | None = None  # as needed: at most this many doses in 24 hours
    max_mg: int | None = None  # as needed: at most this many mg in 24 hours

    def first_day(self, tz: tzinfo) -> date:
        """The day it was added (in ``tz``): day 0 of an "every N days" pattern."""
        return self.created_at.astimezone(tz).date()

    def due_on(self, day: date, tz: tzinfo) -> bool:
        """Whether ``day`` is one of the pattern's days (end dates aside)."""
        if self.as_needed:
            return False
        if self.weekdays and day.weekday() not in self.weekdays:
            return False
        return (day - self.first_day(tz)).days % self.every_days == 0

    def active_at(self, moment: datetime) -> bool:
        """Whether a dose due at ``moment`` is on the schedule."""
        if moment < self.created_at.replace(second=0, microsecond=0):
            return False  # a dose due before it was put on the schedule is not counted
        if self.until is not None and moment.date() > self.until:
            return False
        return self.stopped_at is None or moment < self.stopped_at


@dataclass(frozen=True)
class Dose:
    """One dose of one medicine today, and what became of it."""

    medicine: Medicine
    due_at: datetime
    state: str  # one of DOSE_STATES
    taken_at: datetime | None = None
    early: bool = False  # logged before the dose's window, counted for it as the nearest


# -- typed input ---------------------------------------------------------------------------


def format_times(times: Iterable[time]) -> str:
    """``08:00,20:00``: how times are stored and shown."""
    return ",".join(f"{t.hour:02d}:{t.minute:02d}" for t in times)


def parse_times(text: str, what: str = "times") -> tuple[time, ...]:
    """Times of day, comma-separated: ``08:00,20:00`` (also ``8am, 8pm`` or ``8.30``).

    Sorted, each once; at least one and at most MAX_TIMES_A_DAY.
    """
    from cart_cli.parsing import quote, time_of_day

    accepted = "give times of day separated by commas, e.g. 08:00,20:00"
    if not isinstance(text, str) or not text.strip():
        raise InvalidInput(f"the {what} are empty: {accepted}")
    if len(text) > 200:
        raise InvalidInput(f"the {what} are too long: {accepted}")
    found: set[time] = set()
    for part in text.split(","):
        piece = " ".join(part.split())
        if not piece:
            continue
        clock = time_of_day(piece)
        if clock is None:
            raise InvalidInput(f"{quote(piece)} in the {what} is not a time of day: {accepted}")
        found.add(clock)
    if not found:
        raise InvalidInput(f"the {what} are empty: {accepted}")
    if len(found) > MAX_TIMES_A_DAY:
        raise InvalidInput(f"that is more than {MAX_TIMES_A_DAY} {what} a day: {accepted}")
    return tuple(sorted(found))


def format_weekdays(weekdays: Iterable[int]) -> str:
    """``mon,wed,fri``: how weekdays are stored."""
    return ",".join(WEEKDAYS[d] for d in weekdays)


_FULL_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def parse_weekdays(text: str) -> tuple[int, ...]:
    """Days of the week, comma-separated: ``mon,wed,fri`` (or ``Monday, Wednesday``)."""
    from cart_cli.parsing import quote

    accepted = "give days of the week separated by commas, e.g. mon,wed,fri"
    if not isinstance(text, str) or not text.strip() or len(text) > 100:
        raise InvalidInput(f"the days are empty or too long: {accepted}")
    found: set[int] = set()
    for part in text.split(","):
        word = part.strip().casefold().rstrip(".")
        if not word:
            continue
        matches = [i for i, full in enumerate(_FULL_WEEKDAYS) if len(word) >= 3 and full.startswith(word)]
        if len(matches) != 1:
            raise InvalidInput(f"{quote(part.strip())} is not a day of the week: {accepted}")
        found.add(matches[0])
    if not found:
        raise InvalidInput(f"the days are empty: {accepted}")
    return tuple(sorted(found))


_EVERY_RE = re.compile(r"(?P<n>\d{1,3})\s*(?P<unit>d|days?|h|hrs?|hours?)")


def parse_every(text: str) -> tuple[int, str]:
    """How often: ``2d`` (every 2 days) or ``8h`` (every 8 hours). Returns (number, "d" or "h").

    Hours must divide a day (1, 2, 3, 4, 6, 8, 12 or 24), so each dose keeps its wall-clock
    time every day; days are 1 to MAX_EVERY_DAYS."""
    from cart_cli.parsing import quote

    accepted = "give e.g. --every 2d (every 2 days) or --every 8h --from 06:00 (every 8 hours)"
    match = _EVERY_RE.fullmatch(" ".join(str(text).casefold().split())) if isinstance(text, str) else None
    if match is None:
        raise InvalidInput(f"--every {quote(str(text))} is not a repeat we understand: {accepted}")
    number, unit = int(match["n"]), match["unit"][0]
    if unit == "h":
        if number < 1 or 24 % number:
            raise InvalidInput(
                f"every {number} hours does not fit a day evenly: give 1, 2, 3, 4, 6, 8, 12 or 24 "
                "hours, or the times themselves with --times"
            )
        return number, "h"
    if not 1 <= number <= MAX_EVERY_DAYS:
        raise InvalidInput(f"every {number} days: give 1 to {MAX_EVERY_DAYS} days")
    return number, "d"


def every_hours_times(hours: int, start: time) -> tuple[time, ...]:
    """The times of "every ``hours`` hours from ``start``": 8h from 06:00 -> 06:00, 14:00, 22:00."""
    first = start.hour * 60 + start.minute
    minutes = sorted((first + k * hours * 60) % (24 * 60) for k in range(24 // hours))
    return tuple(time(m // 60, m % 60) for m in minutes)


_GAP_RE = re.compile(r"(?:(?P<h>\d{1,2})\s*(?:h|hrs?|hours?))?\s*(?:(?P<m>\d{1,3})\s*(?:m|mins?|minutes?))?")


def parse_gap(text: str) -> timedelta:
    """The least time between two doses: ``4h``, ``4 hours``, ``90m`` or ``1h30m``."""
    from cart_cli.parsing import quote

    accepted = "give e.g. 4h, 6 hours or 90m"
    cleaned = " ".join(text.casefold().split()) if isinstance(text, str) else ""
    match = _GAP_RE.fullmatch(cleaned)
    if not cleaned or match is None or (match["h"] is None and match["m"] is None):
        raise InvalidInput(f"--min-gap {quote(str(text))} is not a length of time: {accepted}")
    gap = timedelta(hours=int(match["h"] or 0), minutes=int(match["m"] or 0))
    if not timedelta(minutes=30) <= gap <= MAX_GAP:
        raise InvalidInput(f"--min-gap {quote(cleaned)}: give from 30 minutes to 24 hours")
    return gap


def parse_count(text: str, what: str, highest: int) -> int:
    """A whole number from 1 to ``highest`` (doses a day, mg a day)."""
    from cart_cli.parsing import quote

    cleaned = str(text).strip().casefold().removesuffix("mg").strip()
    if not re.fullmatch("[0-9]{1,9}", cleaned) or not 1 <= int(cleaned) <= highest:  # int("²") fails
        raise InvalidInput(f"{what} {quote(str(text))} is not a whole number from 1 to {highest}")
    return int(cleaned)


def _count_or_none(text: str | None, what: str, highest: int) -> int | None:
    return None if text is None else parse_count(text, what, highest)


def format_gap(gap: timedelta) -> str:
    """``4 hours``, ``90 minutes``, ``1 hour 30 minutes``."""
    from cart_cli.timefmt import plural

    hours, minutes = divmod(int(gap.total_seconds()) // 60, 60)
    parts = ([plural(hours, "hour")] if hours else []) + ([plural(minutes, "minute")] if minutes else [])
    return " ".join(parts) or "0 minutes"


def describe_schedule(medicine: Medicine) -> str:
    """The schedule in words: ``Mon, Wed, Fri at 08:00``, ``every day at 08:00 and 20:00``,
    ``every 2 days at 09:00``, ``every 8 hours from 06:00 (06:00, 14:00, 22:00)``, or
    ``as needed, at least 4 hours apart, at most 4 doses a day``; then the end date."""
    if medicine.as_needed:
        parts = ["as needed"]
        if medicine.min_gap is not None:
            parts.append(f"at least {format_gap(medicine.min_gap)} apart")
        if medicine.max_per_day is not None:
            parts.append(f"at most {medicine.max_per_day} doses in 24 hours")
        if medicine.max_mg is not None:
            parts.append(f"at most {medicine.max_mg} mg in 24 hours")
        text = ", ".join(parts)
    else:
        clocks = [format_times([t]) for t in medicine.times]
        if medicine.weekdays:
            days = ", ".join(_WEEKDAY_NAMES[d] for d in medicine.weekdays)
        elif medicine.every_days > 1:
            days = f"every {medicine.every_days} days"
        else:
            days = "every day"
        if medicine.every_hours is not None and medicine.every_hours < 24:
            text = f"every {medicine.every_hours} hours ({', '.join(clocks)})"
            text += "" if days == "every day" else f", {days}"
        else:
            joined = ", ".join(clocks[:-1]) + " and " + clocks[-1] if len(clocks) > 1 else clocks[0]
            text = f"{days} at {joined}"
    if medicine.until is not None:
        text += f", until {medicine.until.isoformat()}"
    return text


@dataclass(frozen=True)
class MedicineOptions:
    """What `cart med add` was given, as typed (name and dose already checked)."""

    name: str
    dose: str | None = None
    times: str | None = None
    days: str | None = None
    every: str | None = None
    start: str | None = None  # --from
    until: str | None = None
    as_needed: bool = False
    min_gap: str | None = None
    max_per_day: str | None = None
    max_mg: str | None = None


def medicine_from_options(options: MedicineOptions, now: datetime) -> Medicine:
    """A Medicine from `cart med add`'s options, or an InvalidInput naming what does not fit:
    set times (``--times``, or ``--every Nh --from HH:MM``) on every day, some weekdays
    (``--days``) or every N days (``--every Nd``); or ``--as-needed`` with its limits."""
    o = options
    until = parse_until(o.until, now.date()) if o.until is not None else None
    if o.as_needed:
        clash = [flag for flag, value in (("--times", o.times), ("--days", o.days), ("--every", o.every),
                                          ("--from", o.start)) if value is not None]  # fmt: skip
        if clash:
            raise InvalidInput(
                f"an as-needed medicine has no set times: leave out {', '.join(clash)} (or --as-needed)"
            )
        return Medicine(
            name=o.name, dose=o.dose, times=(), created_at=now, until=until, as_needed=True,
            min_gap=parse_gap(o.min_gap) if o.min_gap is not None else None,
            max_per_day=_count_or_none(o.max_per_day, "--max-per-day", MAX_DOSES_A_DAY),
            max_mg=_count_or_none(o.max_mg, "--max-mg", MAX_MG_A_DAY),
        )  # fmt: skip
    limits = [flag for flag, value in (("--min-gap", o.min_gap), ("--max-per-day", o.max_per_day),
                                       ("--max-mg", o.max_mg)) if value is not None]  # fmt: skip
    if limits:
        raise InvalidInput(f"{', '.join(limits)} belong to an as-needed medicine: add --as-needed")
    every_days, every_hours = 1, None
    if o.every is not None:
        number, unit = parse_every(o.every)
        if unit == "d":
            every_days = number
        else:
            every_hours = number
    if every_hours is not None:
        if o.times is not None:
            raise InvalidInput("give either --times or --every Nh --from HH:MM, not both")
        if o.start is None:
            raise InvalidInput(
                f"--every {every_hours}h needs --from, the first time of day (e.g. --from 06:00)"
            )
        times = every_hours_times(every_hours, parse_times(o.start, "--from time")[0])
    else:
        if o.start is not None:
            raise InvalidInput("--from goes with --every Nh (e.g. --every 8h --from 06:00)")
        if o.times is None:
            raise InvalidInput(
                "give the times of day (--times 08:00,20:00), --every 8h --from 06:00, or --as-needed"
            )
        times = parse_times(o.times)
    weekdays = parse_weekdays(o.days) if o.days is not None else ()
    if weekdays and every_days > 1:
        raise InvalidInput("give either --days or --every Nd, not both")
    return Medicine(
        name=o.name, dose=o.dose, times=times, created_at=now, until=until, weekdays=weekdays,
        every_days=every_days, every_hours=every_hours,
    )  # fmt: skip


def parse_until(text: str, today: date) -> date:
    """The last day a medicine is taken: a full date, today or later."""
    from cart_cli.parsing import parse_date

    until = parse_date(text)
    if until < today:
        raise InvalidInput(
            f"the end date {until.isoformat()} is in the past: give the last day the medicine "
            "is to be taken (today or later), or use `cart med stop NAME`."
        )
    return until


def parse_appointment_time(text: str, now: datetime) -> datetime:
    """When an appointment starts: ``2026-12-03 10:30``, ``3 Dec 10:30``, ``tomorrow
    10:30``, ``today 15:00`` or a weekday (``mon 10am``: the next Monday). A time of day is
    required. A date typed without a year is the next such date (today included)."""
    from cart_cli.parsing import clean, dateutil_parse, quote, refuse_ambiguous_day_month, time_of_day

    what = "appointment time"
    accepted = 'give e.g. "2026-12-03 10:30", "3 Dec 10:30", "tomorrow 10:30" or "mon 10am"'
    cleaned = clean(text, what, accepted)
    shown = quote(cleaned)
    words = " ".join(cleaned.lower().split())
    from cart_cli.parsing import next_weekday_time

    weekday = next_weekday_time(words, now)  # "mon 10am": the next Monday, 10:00
    if weekday is not None:
        return _checked(weekday, now, shown)
    day_word, _, rest = words.partition(" ")
    if day_word in ("today", "tomorrow"):
        clock = time_of_day(rest.removeprefix("at ").strip())
        if clock is None:
            raise InvalidInput(f'{what} {shown} needs a time of day: give e.g. "{day_word} 10:30"')
        day = now.date() + timedelta(days=1 if day_word == "tomorrow" else 0)
        return _checked(datetime.combine(day, clock, tzinfo=now.tzinfo), now, shown)
    refuse_ambiguous_day_month(cleaned, what)
    # Parse with two defaults that differ in every field: what changes was not typed.
    first = dateutil_parse(cleaned, datetime(2000, 1, 1, 0, 0))
    second = dateutil_parse(cleaned, datetime(2004, 2, 2, 1, 0))
    if first is None or second is None:
        raise InvalidInput(f"{what} {shown} is not a date and time we understand: {accepted}")
    if first.hour != second.hour:
        raise InvalidInput(f'{what} {shown} needs a time of day: give e.g. "3 Dec 10:30"')
    if (first.month, first.day) != (second.month, second.day):
        raise InvalidInput(f'{what} {shown} needs a day and a month: give e.g. "3 Dec 10:30"')
    if first.tzinfo is not None:
        raise InvalidInput(f"{what} {shown}: give the local time, without a time zone")
    year_typed = first.year == second.year
    year = first.year if year_typed else now.year
    try:
        moment = datetime(year, first.month, first.day, first.hour, first.minute, tzinfo=now.tzinfo)
        if not year_typed and moment.date() < now.date():
            moment = moment.replace(year=year + 1)
    except ValueError:  # 29 Feb in a year without one
        raise InvalidInput(f"{what} {shown} is not a real date: {accepted}") from None
    return _checked(moment, now, shown)


def as_the_clock_shows(moment: datetime) -> datetime:
    """The instant ``moment`` names, in its own zone as a clock will show it then. A time the
    clocks skip (01:30 when they go forward from 01:00 to 02:00) is another wall-clock time
    (02:30); any other time is itself."""
    return moment.astimezone(UTC).astimezone(moment.tzinfo)


def _checked(moment: datetime, now: datetime, shown: str) -> datetime:
    if abs(moment.astimezone(UTC) - now.astimezone(UTC)) > FARTHEST_APPOINTMENT:
        raise InvalidInput(f"appointment time {shown} is more than 5 years from today: check the date")
    return moment


def parse_milestone_id(text: str, known: Sequence[str]) -> str:
    """A milestone id as `cart timeline --json` shows it."""
    from cart_cli.parsing import quote

    cleaned = text.strip()
    if cleaned not in known:
        raise InvalidInput(
            f"{quote(cleaned)} is not a milestone id: `cart timeline --json` lists them "
            f"(e.g. {', '.join(known[1:4])})."
        )
    return cleaned


# -- appointments --------------------------------------------------------------------------


def upcoming(appointments: Sequence[Appointment], now: datetime) -> list[Appointment]:
    """Appointments that have not started yet, soonest first."""
    return sorted((a for a in appointments if a.starts_at >= now), key=lambda a: a.starts_at)


def replaced_ids(appointments: Sequence[Appointment]) -> set[str]:
    """The milestone ids the person's own appointments stand for."""
    return {a.replaces for a in appointments if a.replaces}


def describe_appointment(appointment: Appointment, day: int | None, now: datetime) -> str:
    """``Bloods, Thu 3 Dec 10:30, day 28, at Ward 5`` (the day number when there is a plan)."""
    from cart_cli.timefmt import local_time

    start = appointment.starts_at.astimezone(now.tzinfo)
    when = local_time(start, now)  # "10:30" today, else "Thu 3 Dec 10:30"
    if start.date() == now.date():
        when = f"today {when}"
    text = f"{appointment.title}, {when}"
    if day is not None:
        text += f", day {day}"
    if appointment.where:
        text += f", at {appointment.where}"
    return text


# -- doses ---------------------------------------------------------------------------------


def same_medicine(entry: Entry, medicine: Medicine) -> bool:
    """A ``med`` entry is a dose of ``medicine`` when the names match, ignoring case and
    spacing, and a dose typed after the name ("aciclovir 400mg" is a dose of aciclovir)."""
    if entry.kind != "med":
        return False
    from cart_cli.medicines import read_dose

    key = _name_key(medicine.name)
    logged = entry.medicine or ""
    return _name_key(logged) == key or _name_key(read_dose(logged).name) == key


def _name_key(name: str) -> str:
    return " ".join(name.casefold().split())


def doses_on(medicine: Medicine, day: date, now: datetime) -> list[datetime]:
    """The moments ``medicine`` is due on ``day`` (wall-clock times in now's time zone)."""
    if now.tzinfo is None or not medicine.due_on(day, now.tzinfo):
        return []
    moments = [datetime.combine(day, clock, tzinfo=now.tzinfo) for clock in medicine.times]
    return [m for m in moments if medicine.active_at(m)]


def dose_windows(due: Sequence[datetime]) -> list[tuple[datetime, datetime | None]]:
    """Each dose's window, in which a logged dose counts for it: from EARLY_MARGIN before
    its time (never before the previous dose's time) to the start of the next dose's window."""
    starts = [
        max(moment - EARLY_MARGIN, due[i - 1]) if i else moment - EARLY_MARGIN for i, moment in enumerate(due)
    ]
    return [(start, starts[i + 1] if i + 1 < len(starts) else None) for i, start in enumerate(starts)]


def dose_state(due_at: datetime, taken_at: datetime | None, now: datetime) -> str:
    """taken, due, missed (more than MISSED_AFTER past its time with none) or later."""
    if taken_at is not None:
        return "taken"
    late_by = now.astimezone(UTC) - due_at.astimezone(UTC)
    if late_by > MISSED_AFTER:
        return "missed"
    return "due" if late_by >= timedelta(0) else "later"


def todays_doses(medicines: Sequence[Medicine], med_entries: Sequence[Entry], now: datetime) -> list[Dose]:
    """Every dose due today (local date of ``now``), with its state, in time order.

    ``med_entries`` are the ``med`` entries from shortly before midnight until ``now``
    (other kinds are ignored). Each logged dose counts once, for the dose whose window it
    falls in; a dose logged late but before the next dose's window still counts. A dose
    logged today, before the window of the dose nearest to it, counts for that dose if it
    has none (``early``): a dose taken early is a dose taken, not a missed one.
    """
    doses: list[Dose] = []
    for medicine in medicines:
        due = doses_on(medicine, now.date(), now)
        taken = sorted(
            (e.recorded_at for e in med_entries if same_medicine(e, medicine) and e.recorded_at <= now),
        )
        matched: list[datetime | None] = []
        used: set[datetime] = set()
        windows = dose_windows(due)
        for start, end in windows:
            inside = (t for t in taken if t not in used and t >= start and (end is None or t < end))
            found = next(inside, None)
            matched.append(found)
            if found is not None:
                used.add(found)
        early = [False] * len(due)
        for moment in taken:
            if (
                moment in used
                or moment < medicine.created_at
                or moment.astimezone(now.tzinfo).date() != now.date()
            ):
                continue
            nearest = min(range(len(due)), key=lambda i: abs(due[i] - moment), default=None)
            if nearest is not None and matched[nearest] is None and moment < windows[nearest][0]:
                matched[nearest], early[nearest] = moment, True
                used.add(moment)
        for due_at, taken_at, was_early in zip(due, matched, early, strict=True):
            doses.append(Dose(medicine, due_at, dose_state(due_at, taken_at, now), taken_at, was_early))
    doses.sort(key=lambda d: (d.due_at, _name_key(d.medicine.name)))
    return doses


def earliest_window_start(now: datetime) -> datetime:
    """How far back to read ``med`` entries for today's doses."""
    midnight = datetime.combine(now.date(), time(0, 0), tzinfo=now.tzinfo)
    return midnight - EARLY_MARGIN


def dose_lines(doses: Sequence[Dose]) -> list[str]:
    """Today's doses in plain words, one line per medicine: ``Aciclovir 400 mg: 08:00
    taken, 20:00 to come``."""
    by_medicine: dict[str, list[Dose]] = {}
    for dose in doses:
        by_medicine.setdefault(dose.medicine.name, []).append(dose)
    lines = []
    for name, items in by_medicine.items():
        dose_text = items[0].medicine.dose
        label = f"{name} {dose_text}" if dose_text else name
        states = ", ".join(f"{format_times([d.due_at.timetz()])} {_dose_words(d)}" for d in items)
        lines.append(f"{label}: {states}")
    return lines


def _dose_words(dose: Dose) -> str:
    if dose.early and dose.taken_at is not None:
        return f"taken early (logged at {format_times([dose.taken_at.timetz()])}, counted for this dose)"
    return _DOSE_WORDS[dose.state]


def missed_dose_lines(doses: Sequence[Dose]) -> list[str]:
    """One reminder per missed dose (a reminder, never a triage level)."""
    return [
        f"Missed? {dose.medicine.name} was due at {format_times([dose.due_at.timetz()])}. "
        f"If you took it, log it: cart log med {shell_word(dose.medicine.name)}. If not, "
        "ask your team or pharmacist what to do; do not double the next dose unless they say so."
        for dose in doses
        if dose.state == "missed"
    ]


def dashboard_lines(
    plan: Plan,
    appointments: Sequence[Appointment],
    doses: Sequence[Dose],
    now: datetime,
    *,
    next_shown: str | None,
) -> list[str]:
    """The dashboard's schedule lines: the next appointment (unless the dashboard already
    names it as the next milestone, id ``next_shown``), today's doses, missed-dose reminders."""
    lines: list[str] = []
    coming = upcoming(appointments, now)
    if coming and f"appt-{coming[0].id}" != next_shown:
        first = coming[0]
        lines.append(f"Next appointment: {describe_appointment(first, plan.day_of(first.starts_at), now)}")
    lines += [f"Medicines today: {line}" for line in dose_lines(doses)]
    return lines + missed_dose_lines(doses)


def shell_word(text: str) -> str:
    """``text`` as one word a shell passes on unchanged (quoted where it needs it); a word
    that starts with - comes after ``--``, so that cart does not read it as an option."""
    word = text if re.fullmatch(r"[A-Za-z0-9._-]+", text) else "'" + text.replace("'", "'\\''") + "'"
    return f"-- {word}" if text.startswith("-") else word
