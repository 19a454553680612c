"""Small SVG charts for the report: points (optionally joined), bars, guide lines, milestones.

Why our own ~200 lines and not a chart library: the report must open offline with no
JavaScript, every reading needs its own ``<title>`` (so nothing is only in a picture), red and
amber readings need a shape as well as a colour (readable in black and white), and the axis is
"days since infusion" with dates under it. The SVG libraries that would fit (pygal, leather)
either ship JavaScript, fetch fonts or styles, or cannot give per-point titles and shapes, so
adapting them would be more code than this. Everything here is a pure function of its inputs
and returns markup in which every piece of text has been escaped.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape  # also quotes; xml.sax.saxutils would import urllib (~25 ms)

from cart_cli.charts import Guide as Guide  # defined with the chart table; svg.Guide as before
from cart_cli.levels import Level

WIDTH = 720
HEIGHT = 250
LEFT, RIGHT, TOP, BOTTOM = 46, 112, 26, 40  # room for the y labels, guide labels, milestones, x labels
LABEL_CHAR_PX = 5.2  # about how wide a character of a milestone label is
GAP_DAYS = 2  # readings this many calendar days apart (a whole day with none between) are not joined


@dataclass(frozen=True)
class Point:
    """One value at ``x`` (days since infusion, fractional); ``label`` becomes its tooltip/text."""

    x: float
    y: float
    label: str
    level: Level | None = None  # RED, AMBER (or EMERGENCY) when a finding cites it
    low: float | None = None  # with a value here, a thin line from ``low`` up to ``y`` (a day's range)


@dataclass(frozen=True)
class Series:
    name: str
    points: Sequence[Point]
    css: str = "s0"  # the stylesheet colours s0..s3
    joined: bool = True  # draw a line through the points (False: points only)
    bars: bool = False  # one bar per point (e.g. fluids per day)


@dataclass(frozen=True)
class Marker:
    """A vertical line at a milestone."""

    x: float
    label: str


@dataclass(frozen=True)
class Tick:
    x: float
    top: str  # e.g. "d12"
    bottom: str  # e.g. "3 Nov"


def _fmt(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _nice_step(span: float) -> float:
    """A round step giving about five y gridlines."""
    for step in (0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 25, 50, 100):
        if span / step <= 6:
            return step
    return 200.0


def _runs(points: Sequence[Point]) -> list[list[Point]]:
    """The points split where a whole calendar day passed with no reading: a gap in what was
    logged is a break in the line, never a line drawn across it."""
    runs: list[list[Point]] = []
    for point in sorted(points, key=lambda p: p.x):
        if runs and math.floor(point.x) - math.floor(runs[-1][-1].x) < GAP_DAYS:
            runs[-1].append(point)
        else:
            runs.append([point])
    return runs


def shape(x: float, y: float, level: Level | None, label: str) -> str:
    """A circle for an ordinary reading, a triangle for red, a diamond for amber, with its title."""
    title = f"<title>{escape(label)}</title>"
    if level in (Level.RED, Level.EMERGENCY):
        d = f"M{x:.1f},{y - 6:.1f} L{x + 6:.1f},{y + 5:.1f} L{x - 6:.1f},{y + 5:.1f} Z"
        return f'<path class="pt red" d="{d}">{title}</path>'
    if level == Level.AMBER:
        d = f"M{x:.1f},{y - 6:.1f} L{x + 5:.1f},{y:.1f} L{x:.1f},{y + 6:.1f} L{x - 5:.1f},{y:.1f} Z"
        return f'<path class="pt amber" d="{d}">{title}</path>'
    return f'<circle class="pt" cx="{x:.1f}" cy="{y:.1f}" r="3">{title}</circle>'


def chart(
    title: str,
    series: Sequence[Series],
    *,
    x_start: float,
    x_end: float,
    y_min: float,
    y_max: float,
    unit: str,
    ticks: Sequence[Tick] = (),
    guides: Sequence[Guide] = (),
    markers: Sequence[Marker] = (),
) -> str:
    """The chart as one ``<svg>`` element (scalable: it fills the width it is given).

    The y range grows to take in every value and guide, so nothing is drawn off the chart.
    """
    values = [p.y for s in series for p in s.points] + [g.y for g in guides]
    values += [p.low for s in series for p in s.points if p.low is not None]
    low, high = min([y_min, *values]), max([y_max, *values])
    if high <= low:
        high = low + 1
    step = _nice_step(high - low)
    low = step * int(low // step)
    high = step * -int(-high // step)
    x_span = max(x_end - x_start, 1e-9)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def px(x: float) -> float:
        return LEFT + (x - x_start) / x_span * plot_w

    def py(y: float) -> float:
        return TOP + (high - y) / (high - low) * plot_h

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'class="chart" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
        f'<rect class="frame" x="{LEFT}" y="{TOP}" width="{plot_w}" height="{plot_h}"/>',
    ]
    # y gridlines and labels
    count = round((high - low) / step)
    for i in range(count + 1):
        value = low + i * step
        y = py(value)
        out.append(f'<line class="grid" x1="{LEFT}" y1="{y:.1f}" x2="{LEFT + plot_w}" y2="{y:.1f}"/>')
        out.append(f'<text class="ylab" x="{LEFT - 4}" y="{y + 4:.1f}">{escape(_fmt(value))}</text>')
    out.append(f'<text class="unit" x="4" y="{TOP - 10}">{escape(unit)}</text>')
    # x ticks
    for tick in ticks:
        x = px(tick.x)
        out.append(
            f'<line class="tick" x1="{x:.1f}" y1="{TOP + plot_h}" x2="{x:.1f}" y2="{TOP + plot_h + 4}"/>'
        )
        out.append(f'<text class="xlab" x="{x:.1f}" y="{TOP + plot_h + 16}">{escape(tick.top)}</text>')
        out.append(
            f'<text class="xlab date" x="{x:.1f}" y="{TOP + plot_h + 29}">{escape(tick.bottom)}</text>'
        )
    # guide lines, labelled at the right
    for guide in guides:
        y = py(guide.y)
        out.append(
            f'<line class="{escape(guide.css)}" x1="{LEFT}" y1="{y:.1f}" x2="{LEFT + plot_w}" y2="{y:.1f}">'
            f"<title>{escape(guide.label)}</title></line>"
        )
        out.append(f'<text class="glab" x="{LEFT + plot_w + 4}" y="{y + 4:.1f}">{escape(guide.label)}</text>')
    # milestones: a dotted line each, and its whole label in the first of two rows along the top
    # with room for it, to the right of the line or, near the right edge, ending at it (none
    # when both rows are taken: the line keeps its title, and the table lists every milestone)
    free_from = [0.0, 0.0]
    for marker in markers:
        x = px(marker.x)
        out.append(
            f'<line class="milestone" x1="{x:.1f}" y1="{TOP}" x2="{x:.1f}" y2="{TOP + plot_h}">'
            f"<title>{escape(marker.label)}</title></line>"
        )
        width = LABEL_CHAR_PX * len(marker.label)
        left = x + 2 if x + 2 + width <= WIDTH - 2 else x - 2 - width
        if left < 2:
            continue  # too long for the chart either side: the milestones table has it
        anchor = "" if left > x else ' text-anchor="end"'
        for row, start in enumerate(free_from):
            if left >= start:
                at = x + 2 if not anchor else x - 2
                out.append(
                    f'<text class="mlab" x="{at:.1f}" y="{TOP - 4 - row * 10}"{anchor}>'
                    f"{escape(marker.label)}</text>"
                )
                free_from[row] = left + width + 4
                break
    # the data
    for s in series:
        css = escape(s.css)
        if s.bars:
            bar_w = max(plot_w / x_span * 0.6, 2)
            for p in s.points:
                top, left = py(max(p.y, low)), px(p.x) - bar_w / 2
                out.append(
                    f'<rect class="bar {css}" x="{left:.1f}" y="{top:.1f}" width="{bar_w:.1f}" '
                    f'height="{py(low) - top:.1f}"><title>{escape(p.label)}</title></rect>'
                )
            continue
        if s.joined:
            for run in _runs(s.points):
                if len(run) > 1:
                    path = " ".join(f"{px(p.x):.1f},{py(p.y):.1f}" for p in run)
                    out.append(f'<polyline class="line {css}" points="{path}"/>')
        for p in s.points:
            if p.low is not None:
                x, y1, y2 = px(p.x), py(p.low), py(p.y)
                out.append(
                    f'<line class="range {css}" x1="{x:.1f}" y1="{y1:.1f}" x2="{x:.1f}" y2="{y2:.1f}"/>'
                )
        out.append(f'<g class="{css}">')
        out.extend(shape(px(p.x), py(p.y), p.level, p.label) for p in s.points)
        out.append("</g>")
    out.append("</svg>")
    return "\n".join(out)
