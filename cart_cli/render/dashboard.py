"""The one-screen dashboard `cart` shows with no command, and the first-run guide."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from rich.console import Group, RenderableType
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from cart_cli.levels import FINDING_LEVELS, Level
from cart_cli.models import Entry, Plan, format_celsius
from cart_cli.render.check import LEVEL_STYLES, LEVEL_WORDS
from cart_cli.rules import emergency_number, fallback_line
from cart_cli.safe_text import printable
from cart_cli.thresholds import CHECK_WINDOW_HOURS
from cart_cli.timefmt import format_date, local_time, plural
from cart_cli.timeline import Timeline, when_text
from cart_cli.verdict import Verdict

FLUIDS_TARGET_L = (2.0, 3.0)  # seed: two to three litres of water a day


def _latest(entries: Sequence[Entry], kind: str) -> Entry | None:
    matching = [e for e in entries if e.kind == kind]
    return matching[-1] if matching else None


def _today_table(today: Sequence[Entry], now: datetime) -> Table:
    table = Table(title="Today so far", title_justify="left", show_header=False, box=None, padding=(0, 2))
    table.add_column("What", style="bold")
    table.add_column("Reading")
    temps = [(e, e.celsius) for e in today if e.kind == "temp" and e.celsius is not None]
    if temps:
        latest, latest_c = temps[-1]
        highest, highest_c = max(temps, key=lambda pair: pair[1])
        table.add_row(
            "Temperature",
            f"latest {format_celsius(latest_c)} at {local_time(latest.recorded_at, now)}; "
            f"highest {format_celsius(highest_c)} at {local_time(highest.recorded_at, now)} "
            f"({plural(len(temps), 'reading')})",
        )
    else:
        table.add_row("Temperature", "none yet today: take one and log it (cart log temp 37.0)")
    fatigue = _latest(today, "fatigue")
    table.add_row(
        "Fatigue",
        f"{fatigue.score}/10 at {local_time(fatigue.recorded_at, now)}" if fatigue else "not logged",
    )
    bp = _latest(today, "bp")
    table.add_row(
        "Blood pressure", f"{bp.describe()} at {local_time(bp.recorded_at, now)}" if bp else "not logged"
    )
    doses = [e for e in today if e.kind == "med"]
    if doses:  # every dose of today, not just the latest: two doses of paracetamol both count
        table.add_row(
            "Medicines",
            escape(
                "; ".join(f"{printable(e.medicine or '')} at {local_time(e.recorded_at, now)}" for e in doses)
            ),
        )
    for kind, label in (
        ("spo2", "Oxygen"),
        ("pulse", "Pulse"),
        ("call", "Call to team"),
    ):
        newest = _latest(today, kind)
        if newest is not None:
            table.add_row(label, escape(f"{newest.describe()} at {local_time(newest.recorded_at, now)}"))
    litres = sum(e.litres for e in today if e.kind == "fluids" and e.litres is not None)
    low, high = FLUIDS_TARGET_L
    status = "on target" if litres >= low else f"{low - litres:.1f} L to go"
    table.add_row("Fluids", f"{litres:.1f} L of {low:g}-{high:g} L ({status})")
    ice, handwriting = _latest(today, "ice"), _latest(today, "handwriting")
    if ice or handwriting:
        checks = [f"ICE {ice.score}/10 at {local_time(ice.recorded_at, now)}"] if ice else []
        checks += [f"handwriting {handwriting.handwriting}"] if handwriting else []
        table.add_row("Nervous system", "; ".join(checks))
    symptoms = [e for e in today if e.kind == "symptom"]
    if symptoms:
        table.add_row("Symptoms", escape(", ".join(e.describe() for e in symptoms)))
    return table


def dashboard_view(
    plan: Plan,
    today: Sequence[Entry],
    result: Verdict,
    timeline: Timeline,
    now: datetime,
    schedule_lines: Sequence[str] = (),  # issue 13: next appointment, today's doses
) -> RenderableType:
    day = timeline.day
    title = f"Day {day} since infusion" if day >= 0 else f"{-day} days until infusion"
    level = result.level
    status = Text.assemble(
        (f" {LEVEL_WORDS[level]}: ", LEVEL_STYLES[level]),
        (result.headline, "bold"),
        f" (last {CHECK_WINDOW_HOURS} hours; details: cart check)",
    )
    parts: list[RenderableType] = [
        Panel(Text(f"{title}  ·  {format_date(now.date())}", justify="center", style="bold")),
        status,
    ]
    if result.emergency_now:
        parts.append(Text.from_markup(f"Call [bold]{escape(emergency_number(plan))}[/] now."))
    if result.level in FINDING_LEVELS and plan.phone:
        team = escape(printable(plan.hospital or "Hospital team"))
        parts.append(Text.from_markup(f"{team}, 24-hour number: [bold]{escape(plan.phone)}[/]"))
    for line in (*result.missing, *result.reminders):
        parts.append(Text(f"• {line}"))
    parts += [Text(""), _today_table(today, now), Text("")]
    if timeline.next is not None and timeline.days_to_next is not None:
        upcoming = timeline.next.milestone
        parts.append(
            Text(
                f"Next: {upcoming.title}{', ' if upcoming.approximate else ' on '}{when_text(upcoming)} "
                f"(day {upcoming.day}, in {plural(timeline.days_to_next, 'day')}). "
                "Full schedule: cart timeline"
            )
        )
    parts += [Text(line) for line in schedule_lines]
    if result.level in (Level.RED, Level.EMERGENCY):
        parts.append(Text(fallback_line(plan), style="bold"))
    return Group(*parts)


def first_run_view() -> RenderableType:
    steps = Text.from_markup(
        "cart keeps your temperature chart and symptoms after CAR T-cell therapy, checks them against "
        "the rules hospitals give patients, and shows where you are in your recovery. Everything stays "
        "on this computer.\n\n"
        "[bold]1.[/] See it working with made-up data:   [bold]cart demo[/]\n"
        "[bold]2.[/] Save your infusion date and your hospital's 24-hour number:\n"
        "     [bold]cart setup --infusion-date 2026-11-03 --phone 'NUMBER'[/]\n"
        "[bold]3.[/] Log readings through the day:\n"
        "     [bold]cart log temp 37.2[/]   [bold]cart log symptom cough[/]\n"
        "[bold]4.[/] Ask what to do:   [bold]cart check[/]\n\n"
        "cart is not a medical device. If you feel unwell or are worried, call your hospital team "
        "at any time."
    )
    return Panel(steps, title="[bold]Welcome to cart[/]", title_align="left")
