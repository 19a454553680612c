"""`cart appt add|list|remove` (the person's own appointments) and `cart calendar`
(the schedule as an iCalendar file for a phone or desktop calendar)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, tzinfo
from typing import TYPE_CHECKING

import typer

from cart_cli.commands.base import (
    ForceOption,
    JsonOption,
    NoteOption,
    app,
    clean_note,
    command_group,
    data_stream,
    examples,
    existing_store,
    now_local,
    open_existing,
    open_store,
    outcome,
    print_json,
)
from cart_cli.errors import CartError, InvalidInput
from cart_cli.files import user_path
from cart_cli.shapes import appointment_json

if TYPE_CHECKING:
    from cart_cli.store import Store

appt_app = command_group(
    "appt",
    "Your own appointments: blood tests, infusions, scans, check-ups.",
    "cart appt add bloods '3 Dec 10:30' --where 'Day unit'",
    "cart appt list",
)


@appt_app.command(
    "add",
    epilog=examples(
        "cart appt add bloods '3 Dec 10:30'",
        "cart appt add 'Immunoglobulin infusion' '2026-12-10 09:00' --where 'Day unit, level 2'",
        "cart appt add 'Day-30 PET scan' 'tomorrow 08:15' --replaces first_checkup",
        "cart appt add 'Clinic review' 'mon 10am'",
        note="WHEN is a date with a time of day; a date without a year is the next one, and a "
        "weekday ('mon 10am') the next such day. "
        "--replaces hides the generic milestone it stands for (ids: cart timeline --json).",
    ),
)
def appt_add(
    ctx: typer.Context,
    title: str = typer.Argument(..., metavar="TITLE", help="What it is, e.g. bloods."),
    when: str = typer.Argument(..., metavar="WHEN", help="Date and time, e.g. '3 Dec 10:30'."),
    where: str | None = typer.Option(None, "--where", metavar="TEXT", help="Where it is."),
    note: str | None = NoteOption,
    replaces: str | None = typer.Option(
        None, "--replaces", metavar="MILESTONE_ID", help="The generic milestone this appointment stands for."
    ),
    as_json: bool = JsonOption,
) -> None:
    """Add one of your own appointments."""
    from cart_cli import parsing, schedule

    now = now_local()
    # Parse everything before opening the file, so bad input writes nothing.
    typed = schedule.parse_appointment_time(when, now)
    starts_at = schedule.as_the_clock_shows(typed)  # a time the clocks skip is said as it will be
    appointment = schedule.Appointment(
        title=parsing.parse_text(title, "title", schedule.MAX_TITLE_CHARS),
        starts_at=starts_at,
        where=parsing.parse_text(where, "place", schedule.MAX_WHERE_CHARS) if where is not None else None,
        note=clean_note(note),
    )
    with existing_store(ctx, now) as store:
        plan = store.plan() if store else None
    if replaces is not None:
        if plan is None:
            raise InvalidInput("--replaces needs the timeline: run `cart setup --infusion-date DATE` first.")
        from dataclasses import replace

        from cart_cli.timeline import milestones

        known = [m.id for m in milestones(plan, until=now.date())]
        appointment = replace(appointment, replaces=schedule.parse_milestone_id(replaces, known))
    with open_store(ctx, now) as store:
        stored = store.add_appointment(appointment, now)
    outcome.say_left_out()
    if as_json:
        print_json(appointment_json(stored, plan))
        return
    day = plan.day_of(stored.starts_at) if plan else None
    typer.echo(f"Added appointment #{stored.id}: {schedule.describe_appointment(stored, day, now)}.")
    if starts_at.replace(tzinfo=None) != typed.replace(tzinfo=None):
        typer.echo(
            f"Note: {typed:%H:%M} does not exist on that day here (the clocks go forward), so the "
            f"appointment is at {starts_at:%H:%M}, as the clock will show it. If that is wrong, "
            f"`cart appt remove {stored.id}` and add it again."
        )
    if stored.replaces:
        typer.echo(f"It stands for the milestone {stored.replaces}, which is now hidden from the timeline.")
    typer.echo("To get reminders on your phone: cart calendar --output cart.ics")


@appt_app.command("list", epilog=examples("cart appt list", "cart appt list --json"))
def appt_list(ctx: typer.Context, as_json: bool = JsonOption) -> None:
    """List your appointments, soonest first."""
    from cart_cli.schedule import describe_appointment

    now = now_local()
    with existing_store(ctx, now) as store:
        appointments = store.appointments() if store else []
        plan = store.plan() if store else None
    if as_json:
        print_json([appointment_json(a, plan) for a in appointments])
        return
    if not appointments:
        typer.echo("No appointments yet. Add one: cart appt add bloods '3 Dec 10:30'")
        return
    for appointment in appointments:
        day = plan.day_of(appointment.starts_at) if plan else None
        past = "  (past)" if appointment.starts_at < now else ""
        typer.echo(f"#{appointment.id}  {describe_appointment(appointment, day, now)}{past}")
        if appointment.replaces:
            typer.echo(f"      stands for the milestone {appointment.replaces}")
        if appointment.note:
            typer.echo(f"      note: {appointment.note}")


@appt_app.command("remove", epilog=examples("cart appt remove 3"))
def appt_remove(
    ctx: typer.Context,
    appointment_id: str = typer.Argument(..., metavar="ID", help="The number `cart appt list` shows."),
) -> None:
    """Remove one of your appointments.

    Calendars that imported it keep their copy: delete it there by hand.
    """
    from cart_cli.schedule import describe_appointment

    number = appointment_id.strip().lstrip("#")
    if not re.fullmatch("[0-9]{1,18}", number) or int(number) < 1:  # ASCII digits: int("²") fails
        raise InvalidInput(
            f"appointment id {appointment_id!r} is not a number: `cart appt list` shows the ids."
        )
    now = now_local()
    with open_existing(ctx, now, "remove") as store:
        removed = store.remove_appointment(int(number))
    typer.echo(f"Removed appointment #{removed.id}: {describe_appointment(removed, None, now)}.")
    typer.echo("If you imported it into a calendar, delete it there too.")


# -- the calendar file -------------------------------------------------------------------


@app.command(
    epilog=examples(
        "cart calendar --output cart.ics",
        "cart calendar --output cart.ics --force",
        "cart calendar > cart.ics",
        note="\b\nLoad the file into a calendar (import it again when your schedule changes:\n"
        "events are updated, not doubled):\n"
        "  Google Calendar: on a computer, Settings > Import & export > Import\n"
        "  Apple Calendar / iPhone: File > Import on a Mac; on an iPhone tap the file, Add All\n"
        "  Outlook: File > Open & Export > Import/Export > iCalendar (.ics)\n"
        "  Android: import it in Google Calendar on a computer, or open it with your calendar app",
    )
)
def calendar(
    ctx: typer.Context,
    output: str | None = typer.Option(
        None,
        "--output",
        "-o",
        metavar="FILE",
        help="Write to FILE (readable by you only) instead of the screen.",
    ),
    force: bool = ForceOption,
) -> None:
    """Write your schedule as a calendar file (iCalendar, .ics) for your phone.

    Milestones, your appointments (with alarms a day and an hour before), and daily
    reminders for temperatures, medicines and the nervous-system check. No readings.
    """
    from cart_cli.calendar_events import calendar_events
    from cart_cli.formats import ics

    now = now_local()
    with open_existing(ctx, now, "put in a calendar") as store:
        plan = store.plan()
        appointments = store.appointments()
        medicines = store.medicines(include_stopped=True)
        recheck = _pending_team_recheck(store, now)
    if plan is None:
        raise CartError("cart is not set up yet: run `cart setup --infusion-date DATE` first.")
    zone_name = ics.local_zone_name()
    zone = _zone(zone_name)
    events = calendar_events(plan, appointments, medicines, now.date(), zone, recheck)
    data = ics.to_ics(events, zone_name, now)
    if output is None:
        out = data_stream()
        out.write(data.decode("utf-8"))
        out.flush()
        return
    from cart_cli.files import private_output

    target = user_path(output, "--output")
    with private_output(target, force=force, database=store.path) as out:
        out.write(data.decode("utf-8"))
    typer.echo(
        f"Wrote {len(events)} events to {target} (readable by you only), times in {zone_name or 'UTC'}."
    )
    if zone_name is None:
        typer.echo(ics.UTC_NOTE)
    typer.echo("Import it into your calendar; import a new one whenever your schedule changes.")


def _pending_team_recheck(store: Store, now: datetime) -> tuple[str, datetime] | None:
    """The team's re-check from the latest call, while it is still to come (a calendar file is
    read later: an overdue re-check is for `cart check` to say, not for an alarm in the past)."""
    from cart_cli.recheck import team_recheck  # not via the verdict: the rules are not needed
    from cart_cli.thresholds import CHECK_WINDOW_HOURS  # the verdict's CHECK_WINDOW

    since = now - timedelta(hours=CHECK_WINDOW_HOURS)
    found = team_recheck(store.entries(since=since, newest_first=False), now)
    if found is None or found[2]:
        return None
    call, due, _overdue = found
    return (call.uid or str(call.id)), due


def _zone(zone_name: str | None) -> tzinfo:
    """The zone daily times are made in: the named zone, else the machine's own."""
    from cart_cli.timefmt import LOCAL

    if zone_name is None:
        return LOCAL
    from zoneinfo import ZoneInfo

    return ZoneInfo(zone_name)
