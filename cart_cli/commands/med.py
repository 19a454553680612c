"""`cart med add|list|stop`: the medicine schedule (logging a dose is `cart log med NAME`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from cart_cli.commands.base import (
    JsonOption,
    command_group,
    examples,
    existing_store,
    now_local,
    open_existing,
    open_store,
    print_json,
)
from cart_cli.shapes import medicine_json

if TYPE_CHECKING:
    from cart_cli.schedule import Medicine

med_app = command_group(
    "med",
    "Your medicine schedule: what to take and when. Log a dose with `cart log med NAME`.",
    "cart med add aciclovir --dose '400 mg' --times 08:00,20:00",
    "cart med list",
)


@med_app.command(
    "add",
    epilog=examples(
        "cart med add aciclovir --dose '400 mg' --times 08:00,20:00",
        "cart med add posaconazole --times 09:00 --until 2027-03-01",
        "cart med add co-trimoxazole --dose '480 mg' --times 8am --until '31 Jan 2027'",
        note="Take medicines as your team prescribed: cart only reminds. --until is the last "
        "day (inclusive); without it the reminders go on until `cart med stop NAME`.",
    ),
)
def med_add(
    ctx: typer.Context,
    name: str = typer.Argument(..., metavar="NAME", help="The medicine, as you will log it."),
    dose: str | None = typer.Option(None, "--dose", metavar="TEXT", help="How much, e.g. '400 mg'."),
    times: str = typer.Option(..., "--times", metavar="HH:MM,...", help="Times of day, e.g. 08:00,20:00."),
    until: str | None = typer.Option(None, "--until", metavar="DATE", help="The last day to take it."),
    as_json: bool = JsonOption,
) -> None:
    """Put a medicine on your schedule."""
    from cart_cli import parsing, schedule

    now = now_local()
    medicine = schedule.Medicine(
        name=parsing.parse_text(name, "medicine name", schedule.MAX_MEDICINE_CHARS),
        dose=parsing.parse_text(dose, "dose", schedule.MAX_DOSE_CHARS) if dose is not None else None,
        times=schedule.parse_times(times),
        until=schedule.parse_until(until, now.date()) if until is not None else None,
        created_at=now,
    )
    with open_store(ctx, now) as store:
        stored = store.add_medicine(medicine, now)
    if as_json:
        print_json(medicine_json(stored, []))
        return
    ends = f" until {stored.until.isoformat()}" if stored.until else " until you stop it"
    typer.echo(f"Added {_label(stored)} at {schedule.format_times(stored.times)} every day{ends}.")
    typer.echo(f"After each dose: cart log med {schedule._shell_word(stored.name)}")


@med_app.command("list", epilog=examples("cart med list", "cart med list --json"))
def med_list(ctx: typer.Context, as_json: bool = JsonOption) -> None:
    """List the medicines on your schedule, with today's doses: taken, due, missed or later."""
    from cart_cli import schedule

    now = now_local()
    with existing_store(ctx, now) as store:
        medicines = store.medicines() if store else []
        entries = (
            store.entries(since=schedule.earliest_window_start(now), until=now, kind="med") if store else []
        )
    doses = schedule.todays_doses(medicines, entries, now)
    if as_json:
        print_json([medicine_json(m, [d for d in doses if d.medicine is m]) for m in medicines])
        return
    if not medicines:
        typer.echo("No medicines on the schedule. Add one: cart med add aciclovir --times 08:00,20:00")
        return
    for medicine in medicines:
        ends = f", until {medicine.until.isoformat()}" if medicine.until else ""
        typer.echo(f"{_label(medicine)}: {schedule.format_times(medicine.times)} every day{ends}")
    typer.echo("")
    typer.echo("Today:")
    for line in schedule.dose_lines(doses) + schedule.missed_dose_lines(doses) or ["no doses due today"]:
        typer.echo(f"  {line}")


@med_app.command("stop", epilog=examples("cart med stop aciclovir"))
def med_stop(
    ctx: typer.Context,
    name: str = typer.Argument(..., metavar="NAME", help="The medicine, as `cart med list` shows it."),
) -> None:
    """Take a medicine off your schedule (only when your team says so).

    Its past doses stay in your history; a new calendar file ends its reminders.
    """
    now = now_local()
    with open_existing(ctx, now, "stop") as store:
        stopped = store.stop_medicine(" ".join(name.split()), now)
    typer.echo(f"Stopped {_label(stopped)}. Make a new calendar file to end its reminders: cart calendar")


def _label(medicine: Medicine) -> str:
    return f"{medicine.name} {medicine.dose}" if medicine.dose else medicine.name
