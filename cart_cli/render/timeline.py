"""The timeline view: today's day number, the first year as a bar, milestones and what applies.

Statuses are always written as words (and a mark), never shown by colour alone, so the view
reads the same in a plain terminal, a screen reader or a printout.
"""

from __future__ import annotations

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from cart_cli.render import markup
from cart_cli.timefmt import format_date, plural
from cart_cli.timeline import Milestone, Timeline, when_text

FIRST_YEAR_DAYS = 365
BAR_WIDTH = 50

STATUS_LABELS = {
    "past": "✓ past",
    "today": "● today",
    "next": "→ next",
    "upcoming": "upcoming",
}
STATUS_STYLES = {"past": "dim", "today": "bold", "next": "bold", "upcoming": ""}


def _headline(t: Timeline) -> Panel:
    """ "Day N" in a bold panel, with the infusion date underneath."""
    infusion = escape(format_date(t.infusion_date))
    if t.day > 0:
        where = f"{plural(t.day, 'day')} since your infusion on {infusion}"
    elif t.day == 0:
        where = f"Today is your infusion day, {infusion}"
    else:
        where = f"{plural(-t.day, 'day')} until your infusion on {infusion}"
    if t.product:
        where += f"\n{escape(t.product)}"
    body = markup(f"[bold]Day {t.day}[/bold]\n{where}", justify="center")
    return Panel(
        body,
        title="[bold]Recovery timeline[/bold]",
        subtitle=f"today, {escape(format_date(t.today))}",
    )


class _FirstYearBar:
    """A plain text bar through the first year, clamped at both ends, that shrinks to fit
    a narrow screen instead of wrapping (at most BAR_WIDTH characters)."""

    def __init__(self, day: int) -> None:
        self.done_days = min(max(day, 0), FIRST_YEAR_DAYS)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        label, tail = "First year  ", f"  day {self.done_days} of {FIRST_YEAR_DAYS}"
        width = max(10, min(BAR_WIDTH, options.max_width - len(label) - len(tail)))
        filled = round(width * self.done_days / FIRST_YEAR_DAYS)
        yield Text(label + "█" * filled + "░" * (width - filled) + tail)


def _first_year_bar(t: Timeline) -> _FirstYearBar:
    return _FirstYearBar(t.day)


def _date_and_day_cells(milestone: Milestone) -> tuple[str, str]:
    """Date and day cells; a range shows both ends, an appointment its time."""
    when = when_text(milestone).replace(" to ", " to\n")
    if milestone.end_date is None or milestone.starts_at is not None:
        return when, str(milestone.day)
    return when, f"{milestone.day}–{milestone.end_day}"


def _title(milestone: Milestone) -> str:
    """The person's own appointments are marked as theirs, in words."""
    if not milestone.own:
        return milestone.title
    where = f" ({milestone.where})" if milestone.where else ""
    return f"★ yours: {milestone.title}{where}"


def _milestone_table(t: Timeline) -> Table:
    table = Table(title="Milestones", title_justify="left", expand=False)
    table.add_column("Date", no_wrap=True)
    table.add_column("Day", justify="right", no_wrap=True)
    table.add_column("Milestone")
    table.add_column("Status", no_wrap=True)
    for entry in t.milestones:
        when, day = _date_and_day_cells(entry.milestone)
        style = STATUS_STYLES[entry.status]
        table.add_row(
            escape(when),
            escape(day),
            escape(_title(entry.milestone)),
            STATUS_LABELS[entry.status],
            style=style or None,
        )
    return table


def _now_and_next(t: Timeline) -> list[RenderableType]:
    """What is happening today, and the countdown to the next milestone."""
    lines: list[RenderableType] = []
    for entry in t.milestones:
        if entry.status == "today":
            milestone = entry.milestone
            lines.append(markup(f"[bold]Now:[/bold] {escape(milestone.title)}. {escape(milestone.detail)}"))
    if t.next is not None and t.days_to_next is not None:
        milestone = t.next.milestone
        when = "tomorrow" if t.days_to_next == 1 else f"in {plural(t.days_to_next, 'day')}"
        dates = ("" if milestone.approximate else "on ") + escape(when_text(milestone))
        lines.append(
            markup(
                f"[bold]Next:[/bold] {escape(milestone.title)} {when}, {dates} "
                f"(day {milestone.day}). {escape(milestone.detail)}"
            )
        )
        # Only one milestone is marked "next"; name the others due the same day too.
        for entry in t.milestones:
            other = entry.milestone
            if entry.status == "upcoming" and other.date == milestone.date:
                lines.append(markup(f"[bold]Same day:[/bold] {escape(other.title)}. {escape(other.detail)}"))
    return lines


def _applies_now(t: Timeline) -> list[RenderableType]:
    if not t.now_applies:
        return []
    # A grid keeps wrapped lines indented under their bullet.
    bullets = Table.grid(padding=(0, 1))
    bullets.add_column(no_wrap=True)
    bullets.add_column()
    for line in t.now_applies:
        bullets.add_row(" •", escape(line))
    return [markup("[bold]What applies now[/bold]"), bullets]


def timeline_view(t: Timeline) -> RenderableType:
    """The whole timeline screen as one Rich renderable."""
    return Group(
        _headline(t),
        _first_year_bar(t),
        Text(""),
        _milestone_table(t),
        Text(""),
        *_now_and_next(t),
        Text(""),
        *_applies_now(t),
        Text(""),
        *_replaced(t),
        Text("Schedules differ between hospitals: the dates your team gives you come first."),
    )


def _replaced(t: Timeline) -> list[RenderableType]:
    """Say which generic milestones the person's appointments stand for (hidden above)."""
    if not t.replaced:
        return []
    return [Text(f"★ marks your own appointments (cart appt list); they stand for: {', '.join(t.replaced)}.")]
