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
        "cart med add co-trimoxazole --dose '480 mg' --times 08:00 --days mon,wed,fri",
        "cart med add posaconazole --times 09:00 --every 2d --until 2027-03-01",
        "cart med add voriconazole --every 8h --from 06:00",
        "cart med add paracetamol --as-needed --min-gap 4h --max-per-day 4 --max-mg 4000",
        note="Take medicines as your team prescribed: cart only reminds. --until is the last "
        "day (inclusive); without it the reminders go on until `cart med stop NAME`. "
        "--every 2d counts from today; --every 8h needs --from (the first time of day).",
    ),
)
def med_add(
    ctx: typer.Context,
    name: str = typer.Argument(..., metavar="NAME", help="The medicine, as you will log it."),
    dose: str | None = typer.Option(None, "--dose", metavar="TEXT", help="How much, e.g. '400 mg'."),
    times: str | None = typer.Option(
        None, "--times", metavar="HH:MM,...", help="Times of day, e.g. 08:00,20:00."
    ),
    days: str | None = typer.Option(
        None, "--days", metavar="DAYS", help="Only on these days, e.g. mon,wed,fri."
    ),
    every: str | None = typer.Option(
        None, "--every", metavar="Nd|Nh", help="Every N days (2d) or every N hours (8h, with --from)."
    ),
    start: str | None = typer.Option(
        None, "--from", metavar="HH:MM", help="First time of day for --every Nh."
    ),
    until: str | None = typer.Option(None, "--until", metavar="DATE", help="The last day to take it."),
    as_needed: bool = typer.Option(False, "--as-needed", help="Taken only when needed (no set times)."),
    min_gap: str | None = typer.Option(
        None, "--min-gap", metavar="HOURS", help="As needed: least time between doses, e.g. 4h."
    ),
    max_per_day: str | None = typer.Option(
        None, "--max-per-day", metavar="N", help="As needed: most doses in 24 hours."
    ),
    max_mg: str | None = typer.Option(None, "--max-mg", metavar="MG", help="As needed: most mg in 24 hours."),
    as_json: bool = JsonOption,
) -> None:
    """Put a medicine on your schedule: at set times (every day, on some days, every N days
    or every N hours), or as needed with its limits."""
    from cart_cli import parsing, schedule

    now = now_local()
    medicine = schedule.medicine_from_options(
        schedule.MedicineOptions(
            name=parsing.parse_text(name, "medicine name", schedule.MAX_MEDICINE_CHARS),
            dose=parsing.parse_text(dose, "dose", schedule.MAX_DOSE_CHARS) if dose is not None else None,
            times=times, days=days, every=every, start=start, until=until, as_needed=as_needed,
            min_gap=min_gap, max_per_day=max_per_day, max_mg=max_mg,
        ),
        now,
    )  # fmt: skip
    with open_store(ctx, now) as store:
        stored = store.add_medicine(medicine, now)
    if as_json:
        print_json(medicine_json(stored, []))
        return
    ends = "" if stored.until or stored.as_needed else ", until you stop it"
    typer.echo(f"Added {_label(stored)}: {schedule.describe_schedule(stored)}{ends}.")
    typer.echo(f"After each dose: cart log med {schedule.shell_word(stored.name)}")


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
        typer.echo(f"{_label(medicine)}: {schedule.describe_schedule(medicine)}")
    typer.echo("")
    typer.echo("Today:")
    for line in schedule.dose_lines(doses) + schedule.missed_dose_lines(doses) or ["no doses due today"]:
        typer.echo(f"  {line}")


@med_app.command(
    "next",
    epilog=examples(
        "cart med next paracetamol",
        "cart med next paracetamol --json",
        note="For paracetamol every product that holds it counts (Lemsip, co-codamol...), over "
        "the last 24 hours. A dose logged without an amount counts as 1 g.",
    ),
)
def med_next(
    ctx: typer.Context,
    name: str = typer.Argument(..., metavar="NAME", help="The medicine: paracetamol, or an as-needed one."),
    as_json: bool = JsonOption,
) -> None:
    """When the next dose may be taken, and how much is left for the next 24 hours."""
    from cart_cli import parsing, schedule
    from cart_cli.medicines import NEXT_LOOKBACK, next_dose_for

    now = now_local()
    wanted = parsing.parse_text(name, "medicine name", schedule.MAX_MEDICINE_CHARS)
    with existing_store(ctx, now) as store:
        plan = store.plan() if store else None
        medicines = store.medicines() if store else []
        entries = store.entries(since=now - NEXT_LOOKBACK, until=now, kind="med") if store else []
    answer = next_dose_for(wanted, medicines, entries, plan, now)
    if as_json:
        print_json(answer.to_json())
        return
    for line in answer.lines(now):
        typer.echo(line)


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
