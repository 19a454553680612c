"""`cart chart`: the last days' readings as a text chart, with the reference lines (the data
is ``periods.chart_data``).

Drawn with Rich text, not a plotting library: it must read at 80 columns, without colour
(``NO_COLOR``) and in a pipe, where each series and line has its own character and a legend
says which is which. The chart fits the width it is given (at most ``MAX_WIDTH``).
"""

from __future__ import annotations

from datetime import datetime

from rich.console import Console, ConsoleOptions, RenderResult
from rich.text import Text

from cart_cli.charts import midnight, short_date
from cart_cli.periods import ChartData

HEIGHT = 15
MAX_WIDTH = 100
MIN_WIDTH = 40
SERIES_MARKS = ("●", "○", "◆")
SERIES_STYLES = ("bold cyan", "green", "magenta")
GUIDE_MARK = "╌"


def _label(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


class ChartView:
    """The chart, drawn to fit the console width."""

    def __init__(self, data: ChartData) -> None:
        self.data = data

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        data = self.data
        period = f"{short_date(data.since.date())} to {short_date(data.until.date())}"
        yield Text(f"{data.title} ({data.unit}), {period}", style="bold")
        if not data.points:
            yield Text("Nothing logged in these days.")
            return
        total = max(MIN_WIDTH, min(options.max_width, MAX_WIDTH))
        guide_width = max(len(label) for _, label, _ in data.guides) + 1 if data.guides else 0
        left = 7
        width = max(10, total - left - guide_width - 1)
        values = [p.value for p in data.points] + [g[0] for g in data.guides]
        low = min([*values, data.y_min]) if data.what != "temp" else min(values) - 0.3
        high = max([*values, data.y_max]) if data.what != "temp" else max(values) + 0.3
        if high <= low:
            high = low + 1
        span = (data.until - data.since).total_seconds() or 1.0

        def row_of(value: float) -> int:
            return round((high - value) / (high - low) * (HEIGHT - 1))

        def col_of(moment: datetime) -> int:
            return min(width - 1, max(0, round((moment - data.since).total_seconds() / span * (width - 1))))

        cells: list[list[tuple[str, str]]] = [[(" ", "")] * width for _ in range(HEIGHT)]
        guide_at: dict[int, tuple[str, str]] = {}
        for value, label, style in data.guides:
            row = row_of(value)
            guide_at[row] = (label, style)
            cells[row] = [(GUIDE_MARK, style)] * width
        for p in data.points:
            cells[row_of(p.value)][col_of(p.moment)] = (SERIES_MARKS[p.series], SERIES_STYLES[p.series])
        for row in range(HEIGHT):
            line = Text()
            value = high - row * (high - low) / (HEIGHT - 1)
            labelled = row in (0, HEIGHT // 2, HEIGHT - 1) and row not in guide_at
            line.append(f"{_label(value):>6} " if labelled else " " * left)
            for char, style in cells[row]:
                line.append(char, style=style)
            if row in guide_at:
                line.append(" " + guide_at[row][0], style=guide_at[row][1])
            yield line
        # the x axis: day numbers and dates under their columns
        axis, dates = [" "] * width, [" "] * width
        day = data.since.date()
        last = None
        while day <= data.until.date():
            col = col_of(midnight(day, data.until).replace(hour=12))
            tag, when = f"d{data.plan.day_of(day)}", short_date(day)
            fits = col + max(len(tag), len(when)) <= width
            if fits and (last is None or col - last > max(len(tag), len(when)) + 1):
                for i, ch in enumerate(tag):
                    if col + i < width:
                        axis[col + i] = ch
                for i, ch in enumerate(when):
                    if col + i < width:
                        dates[col + i] = ch
                last = col
            day = day.fromordinal(day.toordinal() + 1)
        yield Text(" " * left + "".join(axis))
        yield Text(" " * left + "".join(dates), style="dim")
        legend = "   ".join(f"{SERIES_MARKS[i]} {name}" for i, name in enumerate(data.series))
        if data.guides:
            legend += f"   {GUIDE_MARK} reference lines"
        yield Text(legend)


def chart_view(data: ChartData) -> ChartView:
    return ChartView(data)
