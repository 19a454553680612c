"""The events of the calendar file (`cart calendar`), as plain data: milestones, the
person's appointments, the re-check the team asked for, and daily reminders to take a
temperature, each medicine and the nervous-system check. ``formats.ics`` writes them.

Pure (``today`` and the zone are passed in). Only the schedule goes in: no reading is ever
written to a calendar, which may be synced to other people's servers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta, tzinfo

from cart_cli.models import Appointment, Plan
from cart_cli.schedule import (
    APPOINTMENT_MINUTES,
    MAX_EVERY_DAYS,
    Medicine,
    parse_times,
    replaced_ids,
    shell_word,
)

TEMP_REMINDERS_LAST_DAY = 28  # issue 13: temperatures several times a day until day 28
# UIDs look like "temp-0800-<person id>@cart-cli": the plan's random person id makes them
# unique to the person (RFC 5545: globally unique; a carer may import two people's files),
# and the same in every file, so importing a newer file updates the events.
UID_DOMAIN = "cart-cli"


@dataclass(frozen=True)
class CalendarEvent:
    """One event for a calendar file: a single event, or a daily one from ``start`` up to
    and including the occurrence at ``last`` (no ``last``: every day, with no end).

    ``start``/``end`` are dates for an all-day event, aware datetimes otherwise. ``alarms``
    are how long before the start a reminder goes off.
    """

    uid: str
    summary: str
    description: str
    start: date | datetime
    end: date | datetime
    daily: bool = False
    last: datetime | None = None
    alarms: tuple[timedelta, ...] = ()
    location: str | None = None
    weekdays: tuple[int, ...] = ()  # a repeating event only on these days (date.weekday())
    interval: int = 1  # every ``interval`` days


def _call_line(plan: Plan) -> str:
    team = plan.hospital or "your hospital team"
    return f"call {team} on {plan.phone}" if plan.phone else "call your hospital team's 24-hour number"


def calendar_events(
    plan: Plan,
    appointments: Sequence[Appointment],
    medicines: Sequence[Medicine],
    today: date,
    tz: tzinfo,
    team_recheck: tuple[str, datetime] | None = None,
) -> list[CalendarEvent]:
    """Everything the calendar file holds, in a stable order: milestones (all day), the
    person's appointments (alarms a day and an hour before), the re-check the team asked for
    on the latest call (``team_recheck``: the call's uid and when it is due; an alarm at that
    time), then daily reminders to take a
    temperature (from today until day 28), to take each medicine (until its end date, or
    until it was stopped), and to do the nervous-system check (until day ``neuro_days``).

    Wall-clock times are made in ``tz`` (the person's zone). Only the schedule goes in: no
    reading is ever written to a calendar, which may be synced to other people's servers.
    """
    from cart_cli.models import format_celsius
    from cart_cli.timeline import milestones

    events: list[CalendarEvent] = []
    hidden = replaced_ids(appointments)
    call = _call_line(plan)
    person = f"-{plan.person_id}" if plan.person_id else ""
    for milestone in milestones(plan, until=today):
        if milestone.id in hidden:
            continue
        last_day = milestone.end_date or milestone.date
        around = "around " if milestone.approximate else ""  # a date the team sets
        events.append(
            CalendarEvent(
                uid=f"milestone-{milestone.id}{person}@{UID_DOMAIN}",
                summary=f"{milestone.title} ({around}day {milestone.day})",
                description=f"{milestone.detail} Your team's dates come first; cart timeline "
                "shows the whole schedule. Keep logging your temperature: cart log temp 37.0",
                start=milestone.date,
                end=last_day + timedelta(days=1),
            )
        )
    for appointment in appointments:
        start = appointment.starts_at.astimezone(tz)
        text = f"Your own appointment: {appointment.title}."
        if appointment.where:
            text += f" Where: {appointment.where}."
        if appointment.note:
            text += f" Note: {appointment.note}."
        text += (
            " Before you go, take your temperature and log it (cart log temp 37.0); if you feel "
            f"unwell, {call} first."
        )
        events.append(
            CalendarEvent(
                uid=f"appt-{appointment.uid}@{UID_DOMAIN}",
                summary=appointment.title,
                description=text,
                start=start,
                end=start + timedelta(minutes=APPOINTMENT_MINUTES),
                alarms=(timedelta(days=1), timedelta(hours=1)),
                location=appointment.where,
            )
        )
    if team_recheck is not None:
        call_uid, due = team_recheck
        start = due.astimezone(tz)
        events.append(
            CalendarEvent(
                uid=f"recheck-{call_uid}@{UID_DOMAIN}",
                summary="Re-check your team asked for",
                description="Your hospital team asked for a re-check now: take the reading they "
                f"asked for and log it (cart log temp 37.2), then run cart check. If it is worse, {call}.",
                start=start,
                end=start + timedelta(minutes=15),
                alarms=(timedelta(0),),
            )
        )
    first_day = max(today, plan.infusion_date)
    temp_times = parse_times(plan.temp_times, "temperature times")
    temp_last_day = plan.infusion_date + timedelta(days=TEMP_REMINDERS_LAST_DAY)
    if first_day <= temp_last_day:
        for clock in temp_times:
            events.append(
                _daily(
                    f"temp-{clock:%H%M}{person}@{UID_DOMAIN}",
                    "Take your temperature",
                    "Take your temperature and log it: cart log temp 37.2 (your reading), then "
                    f"run cart check. At {format_celsius(plan.fever_threshold_c)} or above, or if "
                    f"you feel unwell, {call} straight away, day or night.",
                    datetime.combine(first_day, clock, tzinfo=tz),
                    datetime.combine(temp_last_day, clock, tzinfo=tz),
                )
            )
    for medicine in medicines:
        label = f"{medicine.name} {medicine.dose}" if medicine.dose else medicine.name
        for clock in medicine.times:  # an as-needed medicine has none: it is not a reminder
            first = _first_dose(medicine, clock, tz)
            last = _last_dose(medicine, clock, tz)
            if first is None or (last is not None and last < first):
                continue  # stopped before its first dose: nothing to remind
            events.append(
                _repeating(
                    medicine,
                    f"med-{medicine.uid}-{clock:%H%M}@{UID_DOMAIN}",
                    f"Take {label}",
                    f"Take {label} as prescribed, then log it: cart log med {shell_word(medicine.name)}. "
                    "Missed a dose? Ask your team or pharmacist what to do. Stop only when "
                    "your team says so.",
                    first,
                    last,
                )
            )
    neuro_last_day = plan.infusion_date + timedelta(days=plan.neuro_days)
    if first_day <= neuro_last_day:
        clock = temp_times[0]
        events.append(
            _daily(
                f"neuro{person}@{UID_DOMAIN}",
                "Nervous-system check",
                "Do today's nervous-system check with your carer: cart neuro (a few questions "
                "and the handwriting sentence), and log anything new (cart log symptom "
                f"confusion). New confusion, shaking, or trouble speaking or writing: {call} now.",
                datetime.combine(first_day, clock, tzinfo=tz),
                datetime.combine(neuro_last_day, clock, tzinfo=tz),
            )
        )
    return events


def _daily(uid: str, summary: str, description: str, start: datetime, last: datetime | None) -> CalendarEvent:
    return CalendarEvent(
        uid=uid,
        summary=summary,
        description=description,
        start=start,
        end=start + timedelta(minutes=15),
        daily=True,
        last=last,
        alarms=(timedelta(0),),
    )


def _repeating(
    medicine: Medicine, uid: str, summary: str, description: str, start: datetime, last: datetime | None
) -> CalendarEvent:
    """A medicine's reminder at one time of day, repeating as its pattern does."""
    return replace(
        _daily(uid, summary, description, start, last),
        weekdays=medicine.weekdays,
        interval=medicine.every_days,
    )


_PATTERN_SEARCH_DAYS = 7 * MAX_EVERY_DAYS  # a weekday pattern of an every-N-days medicine repeats within this


def _first_dose(medicine: Medicine, clock: time, tz: tzinfo) -> datetime | None:
    """The first dose at ``clock`` on or after the moment the medicine was added, on a day
    of its pattern (None when there is none before its end)."""
    added = medicine.created_at.astimezone(tz).replace(second=0, microsecond=0)
    for offset in range(_PATTERN_SEARCH_DAYS + 1):
        day = added.date() + timedelta(days=offset)
        moment = datetime.combine(day, clock, tzinfo=tz)
        if moment >= added and medicine.due_on(day, tz):
            return moment
    return None


def _last_dose(medicine: Medicine, clock: time, tz: tzinfo) -> datetime | None:
    """The last dose at ``clock``: on the last day of its pattern up to the end date, or the
    last one before it was stopped (None: no end)."""
    last: datetime | None = None
    if medicine.until is not None:
        last = datetime.combine(medicine.until, clock, tzinfo=tz)
    if medicine.stopped_at is not None:
        stopped = medicine.stopped_at.astimezone(tz)
        before_stop = datetime.combine(stopped.date(), clock, tzinfo=tz)
        if before_stop >= stopped:
            before_stop = datetime.combine(stopped.date() - timedelta(days=1), clock, tzinfo=tz)
        last = before_stop if last is None else min(last, before_stop)
    if last is None:
        return None
    for offset in range(_PATTERN_SEARCH_DAYS + 1):
        day = last.date() - timedelta(days=offset)
        if medicine.due_on(day, tz):
            return datetime.combine(day, clock, tzinfo=tz)
    return last
