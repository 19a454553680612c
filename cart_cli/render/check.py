"""The check view: the level in words and colour, who to call, each finding and what to do.

Order matters for someone frightened at 3 a.m.: an emergency number first, then the level
and the hospital number in large type, then the reasons. Levels are always written in words.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from cart_cli.models import Plan
from cart_cli.safe_text import printable
from cart_cli.rules import HEADLINES, CheckResult, Finding, emergency_number
from cart_cli.timefmt import local_time

LEVEL_STYLES = {
    "emergency": "bold white on red",
    "red": "bold white on red",
    "amber": "bold black on yellow",
    "green": "bold white on green",
    "unknown": "bold black on white",
}
LEVEL_WORDS = {
    "emergency": "EMERGENCY",
    "red": "RED",
    "amber": "AMBER",
    "green": "GREEN",
    "unknown": "UNKNOWN",
}

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


def _headline(level: str, text: str) -> Panel:
    words = LEVEL_WORDS[level]
    return Panel(Text(f"{words}: {text}", justify="center"), style=LEVEL_STYLES[level])


def _contact(plan: Plan | None, level: str) -> list[RenderableType]:
    """Who to call. Large type on red; a clear how-to when no number is saved."""
    phone = plan.phone if plan else None
    team = escape(printable(plan.hospital)) if plan and plan.hospital else "your hospital team"
    if not phone:
        return [
            Text.from_markup(
                "[bold]No hospital number is saved in cart.[/] Use the 24-hour number your "
                "hospital gave you for urgent problems (it is often on your discharge papers "
                "or alert card), and save it with: [bold]cart setup --phone NUMBER[/]"
            )
        ]
    if level in ("red", "emergency"):
        return [
            Text.from_markup(f"Call [bold]{team}[/] on their 24-hour number:"),
            BigNumber(phone),
            Text.from_markup(f"[bold]{escape(phone)}[/]"),
        ]
    return [
        Text.from_markup(
            f"{team.capitalize() if team == 'your hospital team' else team}, 24-hour number: [bold]{escape(phone)}[/]"
        )
    ]


def _emergency_first(plan: Plan | None, headline: str) -> list[RenderableType]:
    number = emergency_number(plan)
    return [
        _headline("emergency", headline),
        BigNumber(number),
        Text.from_markup(
            f"Call [bold]{escape(number)}[/] for an ambulance now. When you can, also tell your hospital team."
        ),
    ]


def _finding(finding: Finding) -> RenderableType:
    words = LEVEL_WORDS[finding.level]
    style = LEVEL_STYLES[finding.level]
    from cart_cli.rules import rule_named

    title = Text.assemble((f" {words} ", style), " ", (rule_named(finding.rule).summary, "bold"))
    body = Text.from_markup(f"{escape(finding.message)}\n[bold]What to do:[/] {escape(finding.action)}")
    return Group(title, Panel(body, border_style="dim", padding=(0, 1)))


def _findings(findings: Sequence[Finding]) -> list[RenderableType]:
    return [_finding(f) for f in findings]


def check_view(result: CheckResult, plan: Plan | None, now: datetime) -> RenderableType:
    """The whole `cart check` screen."""
    from cart_cli.rules import headline

    parts: list[RenderableType] = []
    if result.emergency:
        parts += _emergency_first(plan, headline(result, plan))
        parts.append(Text(""))
    level = result.level
    parts.append(_headline(level, HEADLINES[level]))
    if level in ("red", "amber"):
        parts += _contact(plan, level)
    parts.append(Text(""))
    parts += _findings(result.findings)
    if result.missing:
        parts.append(Text.from_markup("[bold]Not enough to go on:[/]"))
        parts.append(_bullets(result.missing))
    if level == "green":
        parts.append(Text("Nothing recorded in this window needs action by the rules cart uses."))
    if level in ("green", "unknown"):
        parts.append(
            Text(
                "You can call your hospital team at any time, day or night, if you feel unwell or are worried, "
                "whatever cart says."
            )
        )
        parts += _contact(plan, level)
    parts.append(Text(""))
    parts.append(_window_line(result, now))
    parts.append(
        Text(
            "cart follows the advice hospitals give patients; it is not a medical device. "
            "Your hospital team's advice always comes first.",
            style="dim",
        )
    )
    return Group(*parts)


def _bullets(items: Sequence[str]) -> Table:
    """A bulleted list whose lines wrap under the text, not under the bullet."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(width=3, justify="right")
    grid.add_column()
    for item in items:
        grid.add_row("•", escape(item))
    return grid


def _window_line(result: CheckResult, now: datetime) -> Text:
    day = f"Day {result.day} since infusion. " if result.day is not None else ""
    return Text(
        f"{day}Looked at entries from {local_time(result.since, now)} to {local_time(result.until, now)}; "
        f"fever threshold {result.fever_threshold_c:.1f} °C.",
        style="dim",
    )


def advice_view(result: CheckResult, findings: Sequence[Finding], plan: Plan | None) -> RenderableType:
    """What `cart log` prints straight after storing an entry that needs action."""
    from cart_cli.rules import LEVEL_RANK, headline

    top = max((f.level for f in findings), key=LEVEL_RANK.__getitem__)
    # The whole window decides the level: an entry can tip two ambers into red.
    level = result.level
    parts: list[RenderableType] = [Text("")]
    if top == "emergency" or result.emergency:
        parts += _emergency_first(plan, headline(result, plan))
        parts += _contact(plan, "red")  # then the team, as `cart check` shows it
    else:
        parts.append(_headline(level, HEADLINES[level]))
        parts += _contact(plan, level)
    parts += _findings(findings)
    parts.append(Text("Run `cart check` to see everything from the last 24 hours.", style="dim"))
    return Group(*parts)
