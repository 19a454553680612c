"""The check view: the level in words and colour, who to call, each finding and what to do.

Order matters for someone frightened at 3 a.m.: one banner only. An emergency shows the
emergency number first in large type and the team's number second; any other red shows the
team's number in large type; then the reasons, newest news first (what was logged after the
latest call to the team), then what was already reported. Every red screen ends with what to
do if the team cannot be reached. Levels are always written in words as well as colour.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from cart_cli.levels import Level
from cart_cli.models import Plan
from cart_cli.render import markup
from cart_cli.rules import Finding, emergency_number, fallback_line, rule_named
from cart_cli.safe_text import printable
from cart_cli.timefmt import MONTHS, WEEKDAYS, local_time
from cart_cli.verdict import Verdict

LEVEL_STYLES: dict[Level, str] = {
    Level.EMERGENCY: "bold white on red",
    Level.RED: "bold white on red",
    Level.AMBER: "bold black on yellow",
    Level.GREEN: "bold white on green",
    Level.UNKNOWN: "bold black on white",
}
LEVEL_WORDS: dict[Level, str] = {level: level.upper() for level in Level}  # "RED", "AMBER", ...

# A 5-line block font for phone numbers, so the number can be read from across a room.
_GLYPHS = {
    "0": ("███", "█ █", "█ █", "█ █", "███"),
    "1": (" █ ", "██ ", " █ ", " █ ", "███"),
    "2": ("███", "  █", "███", "█  ", "███"),
    "3": ("███", "  █", "███", "  █", "███"),
    "4": ("█ █", "█ █", "███", "  █", "  █"),
    "5": ("███", "█  ", "███", "  █", "███"),
    "6": ("███", "█  ", "███", "█ █", "███"),
    "7": ("███", "  █", "  █", "  █", "  █"),
    "8": ("███", "█ █", "███", "█ █", "███"),
    "9": ("███", "█ █", "███", "  █", "███"),
    "+": ("   ", " █ ", "███", " █ ", "   "),
    "-": ("   ", "   ", "███", "   ", "   "),
    " ": (" ", " ", " ", " ", " "),
}


class BigNumber:
    """A phone number in large block digits when it fits the screen, else nothing.

    The caller always prints the plain number as well, so it can be copied or read by a
    screen reader, and a narrow screen still shows it once.
    """

    def __init__(self, number: str) -> None:
        self.number = number

    def lines(self) -> list[str] | None:
        compact = " ".join(self.number.replace("(", " ").replace(")", " ").split())
        if not compact or any(char not in _GLYPHS for char in compact):
            return None
        return [" ".join(_GLYPHS[char][row] for char in compact) for row in range(5)]

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        lines = self.lines()
        if lines is None or len(lines[0]) > options.max_width or options.ascii_only:
            return
        for line in lines:
            yield Text(line, style="bold")


def _headline(verdict: Verdict) -> Panel:
    return Panel(Text(verdict.banner, justify="center"), style=LEVEL_STYLES[verdict.level])


def _team_name(plan: Plan | None) -> str:
    return escape(printable(plan.hospital)) if plan and plan.hospital else "your hospital team"


def _no_number() -> Text:
    return markup(
        "[bold]No hospital number is saved in cart.[/] Use the 24-hour number your "
        "hospital gave you for urgent problems (it is often on your discharge papers "
        "or alert card), and save it with: [bold]cart setup --phone NUMBER[/]"
    )


def _contact(plan: Plan | None, *, large: bool) -> list[RenderableType]:
    """Who to call: the team's 24-hour number, in large digits when ``large``."""
    phone = plan.phone if plan else None
    team = _team_name(plan)
    if not phone:
        return [_no_number()]
    if large:
        return [
            markup(f"Call [bold]{team}[/] on their 24-hour number:"),
            BigNumber(phone),
            markup(f"[bold]{escape(phone)}[/]"),
        ]
    name = team[:1].upper() + team[1:]
    return [markup(f"{name}, 24-hour number: [bold]{escape(phone)}[/]")]


def _emergency_first(verdict: Verdict, plan: Plan | None) -> list[RenderableType]:
    """The one emergency banner: the emergency number in large type, then the team's number."""
    number = emergency_number(plan)
    parts: list[RenderableType] = [
        _headline(verdict),
        BigNumber(number),
        markup(f"Call [bold]{escape(number)}[/] for an ambulance now."),
    ]
    phone = plan.phone if plan else None
    if phone:
        parts.append(markup(f"Then tell {_team_name(plan)}: 24-hour number [bold]{escape(phone)}[/]"))
    else:
        parts.append(Text("Then tell your hospital team, on the 24-hour number they gave you."))
    return parts


def _finding_view(finding: Finding) -> RenderableType:
    words = LEVEL_WORDS[finding.level]
    style = LEVEL_STYLES[finding.level]
    title = Text.assemble((f" {words} ", style), " ", (rule_named(finding.rule).summary, "bold"))
    body = markup(f"{escape(finding.message)}\n[bold]What to do:[/] {escape(finding.action)}")
    return Group(title, Panel(body, border_style="dim", padding=(0, 1)))


def _reported_finding_view(finding: Finding) -> RenderableType:
    words = LEVEL_WORDS[finding.level]
    title = Text.assemble(
        (f" {words} ", LEVEL_STYLES[finding.level]), " ", (rule_named(finding.rule).summary, "bold")
    )
    return Group(title, Panel(Text(finding.message), border_style="dim", padding=(0, 1)))


def _reported_heading(verdict: Verdict, now: datetime) -> RenderableType:
    calls = [f.covered_by for f in verdict.reported_findings if f.covered_by is not None]
    call = max(calls, key=lambda c: c.recorded_at) if calls else verdict.last_call
    when = local_time(call.recorded_at, now) if call else ""
    said = f' They said: "{escape(call.outcome)}".' if call and call.outcome else ""
    return markup(
        f"[bold]Reported to your team at {when}[/] (with what is neither new nor worse since).{said} "
        "Follow what they said, and call again if anything changes or gets worse."
    )


HANDOVER_POINTER = "When you call: `cart handover` lists what the team will ask, in the order they ask it."


def _banner(verdict: Verdict, plan: Plan | None) -> list[RenderableType]:
    """The one banner at the top, and who to call (large digits only for a new red)."""
    if verdict.emergency_now:
        return _emergency_first(verdict, plan)
    parts: list[RenderableType] = [_headline(verdict)]
    if verdict.level in (Level.EMERGENCY, Level.RED, Level.AMBER):
        parts += _contact(plan, large=verdict.call_now)
        parts.append(Text(HANDOVER_POINTER))
    return parts


def check_view(verdict: Verdict, plan: Plan | None, now: datetime) -> RenderableType:
    """The whole `cart check` screen (also what `cart log` prints when advice is needed)."""
    level = verdict.level
    parts: list[RenderableType] = [*_banner(verdict, plan), Text("")]
    parts += [_finding_view(f) for f in verdict.new_findings]
    reported = verdict.reported_findings
    if reported:
        parts += [Text("")] if verdict.new_findings else []
        parts.append(_reported_heading(verdict, now))
        parts += [_reported_finding_view(f) for f in reported]
    if level == Level.GREEN:
        parts.append(Text("Nothing recorded in this window needs action by the rules cart uses."))
    if verdict.missing:
        parts.append(markup("[bold]Not enough to go on:[/]"))
        parts.append(_bullets(verdict.missing))
    if verdict.reminders:
        parts.append(markup("[bold]To do:[/]"))
        parts.append(_bullets(verdict.reminders))
    if level in (Level.GREEN, Level.UNKNOWN):
        parts.append(
            Text(
                "You can call your hospital team at any time, day or night, if you feel unwell or are "
                "worried, whatever cart says."
            )
        )
        parts += _contact(plan, large=False)
    parts.append(Text(""))
    parts.append(_window_line(verdict))
    parts.append(
        Text(
            "cart follows the advice hospitals give patients; it is not a medical device. "
            "Your hospital team's advice always comes first.",
            style="dim",
        )
    )
    if level in (Level.RED, Level.EMERGENCY):
        parts.append(Text(fallback_line(plan), style="bold"))
    return Group(*parts)


def _bullets(items: Sequence[str]) -> Table:
    """A bulleted list whose lines wrap under the text, not under the bullet."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(width=3, justify="right")
    grid.add_column()
    for item in items:
        grid.add_row("•", escape(item))
    return grid


def _moment(moment: datetime) -> str:
    """``Mon 23 Nov 21:30`` (the year only when it is not the year of ``until``)."""
    return f"{WEEKDAYS[moment.weekday()]} {moment.day} {MONTHS[moment.month - 1]} {moment:%H:%M}"


def window_text(since: datetime, until: datetime) -> str:
    """The window as a range: both dates when they differ, else one date and two times."""
    start, end = since.astimezone(until.tzinfo), until
    if start.date() == end.date():
        return f"from {start:%H:%M} to {end:%H:%M} on {_moment(end)[:-6]}"
    year = f" {start.year}" if start.year != end.year else ""
    return f"from {_moment(start)[:-6]}{year} {start:%H:%M} to {_moment(end)}"


def _window_line(result: Verdict) -> Text:
    day = f"Day {result.day} since infusion. " if result.day is not None else ""
    return Text(
        f"{day}Looked at entries {window_text(result.since, result.until)}; "
        f"fever threshold {result.fever_threshold_c:.1f} °C.",
        style="dim",
    )
