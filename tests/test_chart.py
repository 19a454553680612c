"""The terminal chart view, rendered into a plain console of a given width."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta, timezone

import pytest
from rich.console import Console

from cart_cli.models import Entry, Plan
from cart_cli.periods import chart_data
from cart_cli.render.chart import SERIES_MARKS, chart_view

TZ = timezone(timedelta(hours=1))
PLAN = Plan(infusion_date=date(2026, 6, 1))
UNTIL = datetime(2026, 6, 21, 20, 0, tzinfo=TZ)
SINCE = datetime(2026, 6, 15, 0, 0, tzinfo=TZ)


def render(data, width: int) -> list[str]:
    out = io.StringIO()
    Console(file=out, width=width, color_system=None, highlight=False).print(chart_view(data))
    return out.getvalue().splitlines()


def plot(lines: list[str]) -> list[str]:
    """The plotting area: without the title, the two axis lines and the legend."""
    return lines[1:-3]


def temps(*values: float) -> list[Entry]:
    return [
        Entry(kind="temp", recorded_at=SINCE + timedelta(hours=12 + 20 * i), celsius=v)
        for i, v in enumerate(values)
    ]


@pytest.mark.parametrize("width", [40, 60, 80, 100, 160])
def test_the_chart_fits_the_width(width):
    lines = render(chart_data("temp", temps(36.5, 38.4, 37.6), PLAN, SINCE, UNTIL), width)
    assert all(len(line) <= width for line in lines), max(lines, key=len)
    assert sum(line.count("●") for line in plot(lines)) == 3


def test_a_higher_value_is_on_a_higher_row():
    lines = plot(render(chart_data("temp", temps(36.5, 38.4), PLAN, SINCE, UNTIL), 80))
    rows = [i for i, line in enumerate(lines) if "●" in line]
    hot = next(i for i, line in enumerate(lines) if "●" in line)
    assert len(rows) == 2 and hot == min(rows)
    assert lines[hot].index("●") > lines[max(rows)].index("●")  # 38.4 came later: further right


def test_reference_lines_are_labelled():
    text = "\n".join(render(chart_data("temp", temps(36.8), PLAN, SINCE, UNTIL), 80))
    for label in ("38.0 °C fever", "37.5 °C call", "36.0 °C low", "reference lines", "d14", "15 Jun"):
        assert label in text


def test_blood_pressure_has_two_series_with_their_own_marks():
    entries = [
        Entry(kind="bp", recorded_at=SINCE + timedelta(hours=30), systolic=122, diastolic=78, pulse=80)
    ]
    data = chart_data("bp", entries, PLAN, SINCE, UNTIL)
    assert data.series == ("systolic", "diastolic")
    text = "\n".join(render(data, 80))
    assert text.count(SERIES_MARKS[0]) == 2 and text.count(SERIES_MARKS[1]) == 2  # a point and its legend


def test_fluids_are_summed_per_day():
    entries = [Entry(kind="fluids", recorded_at=SINCE + timedelta(hours=h), litres=0.5) for h in (9, 13, 18)]
    data = chart_data("fluids", entries, PLAN, SINCE, UNTIL)
    assert [p.value for p in data.points] == [1.5]


def test_pulse_comes_from_blood_pressure_and_pulse_entries():
    entries = [
        Entry(kind="bp", recorded_at=SINCE + timedelta(hours=9), systolic=120, diastolic=80, pulse=88),
        Entry(kind="pulse", recorded_at=SINCE + timedelta(hours=10), pulse=104),
        Entry(kind="bp", recorded_at=SINCE + timedelta(hours=11), systolic=120, diastolic=80),  # no pulse
    ]
    assert [p.value for p in chart_data("pulse", entries, PLAN, SINCE, UNTIL).points] == [88, 104]
