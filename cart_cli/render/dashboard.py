"""The one-screen dashboard `cart` shows with no command (drawn from ``dashboard.Dashboard``),
and the first-run guide."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Group, RenderableType
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from cart_cli.dashboard import Dashboard
from cart_cli.levels import FINDING_LEVELS, Level
from cart_cli.render import markup
from cart_cli.render.check import LEVEL_STYLES, LEVEL_WORDS
from cart_cli.rules import emergency_number, fallback_line
from cart_cli.safe_text import printable
from cart_cli.thresholds import CHECK_WINDOW_HOURS
from cart_cli.timefmt import format_date


def _today_table(rows: Sequence[tuple[str, str]]) -> Table:
    table = Table(title="Today so far", title_justify="left", show_header=False, box=None, padding=(0, 2))
    table.add_column("What", style="bold")
    table.add_column("Reading")
    for label, words in rows:
        table.add_row(label, escape(words))
    return table


def dashboard_view(board: Dashboard) -> RenderableType:
    """The dashboard, as ``dashboard.dashboard_for`` worked it out."""
    plan, result = board.plan, board.verdict
    level = result.level
    status = Text.assemble(
        (f" {LEVEL_WORDS[level]}: ", LEVEL_STYLES[level]),
        (result.headline, "bold"),
        f" (last {CHECK_WINDOW_HOURS} hours; details: cart check)",
    )
    parts: list[RenderableType] = [
        Panel(Text(f"{board.title}  ·  {format_date(board.now.date())}", justify="center", style="bold")),
        status,
    ]
    if result.emergency_now:
        parts.append(markup(f"Call [bold]{escape(emergency_number(plan))}[/] now."))
    if result.level in FINDING_LEVELS and plan.phone:
        team = escape(printable(plan.hospital or "Hospital team"))
        parts.append(markup(f"{team}, 24-hour number: [bold]{escape(plan.phone)}[/]"))
    for line in (*result.missing, *result.reminders):
        parts.append(Text(f"• {line}"))
    parts += [Text(""), _today_table(board.today), Text("")]
    if board.next_line is not None:
        parts.append(Text(board.next_line))
    parts += [Text(line) for line in board.schedule_lines]
    if result.level in (Level.RED, Level.EMERGENCY):
        parts.append(Text(fallback_line(plan), style="bold"))
    return Group(*parts)


def first_run_view() -> RenderableType:
    steps = markup(
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
