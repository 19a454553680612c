"""The charts cart draws, as a table: for each (temp, bp, pulse, spo2, fatigue, fluids, ice and
the blood results) its title, unit, the entry fields it plots, its range, its reference lines
and how a value is written. `cart chart` (``periods.chart_data``, ``render/chart.py``) and the
clinic report (``report/build.py``, ``report/svg.py``) both read it from here, so the chart in
the terminal loads neither the report nor the rules.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date, datetime, time
from typing import TYPE_CHECKING, NamedTuple

from cart_cli.thresholds import (
    BORDERLINE_SPO2,
    BORDERLINE_SYSTOLIC,
    EXTREME_FATIGUE_SCORE,
    FAST_PULSE,
    FLUIDS_TARGET_LITRES,
    ICE_MAX,
    LOW_SPO2,
    LOW_SYSTOLIC,
    LOW_TEMPERATURE_C,
    RAISED_FATIGUE_SCORE,
    RAISED_PULSE,
    RAISED_TEMPERATURE_C,
)
from cart_cli.timefmt import MONTHS

if TYPE_CHECKING:
    from cart_cli.models import Plan


class Guide(NamedTuple):
    """A horizontal reference line, e.g. 37.5 °C."""

    y: float
    label: str
    css: str = "guide"


def one_decimal(celsius: float) -> str:
    """A temperature with one decimal, cut (not rounded) so that it never reads as reaching
    a threshold it did not reach: 37.96 °C is shown as 37.9 °C, never as 38.0 °C."""
    return f"{math.floor(round(celsius * 10, 6)) / 10:.1f} °C"


def midnight(day: date, now: datetime) -> datetime:
    return datetime.combine(day, time(0), tzinfo=now.tzinfo)


def short_date(day: date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]}"


class ChartField(NamedTuple):
    name: str  # Entry attribute
    label: str
    css: str


class ChartSpec(NamedTuple):
    id: str
    title: str
    unit: str
    kinds: tuple[str, ...]
    fields: tuple[ChartField, ...]
    y_min: float
    y_max: float
    guides: Callable[[Plan], list[Guide]]
    show: Callable[[float], str]
    daily_total: bool = False  # bars of each day's sum (fluids)


def _temp_guides(plan: Plan) -> list[Guide]:
    guides = [
        Guide(RAISED_TEMPERATURE_C, f"{RAISED_TEMPERATURE_C:.1f} °C call", "guide amber-line"),
        Guide(LOW_TEMPERATURE_C, f"{LOW_TEMPERATURE_C:.1f} °C low", "guide"),
    ]
    if plan.fever_threshold_c != RAISED_TEMPERATURE_C:
        guides.append(
            Guide(plan.fever_threshold_c, f"{plan.fever_threshold_c:.1f} °C fever", "guide red-line")
        )
    else:
        guides[0] = Guide(RAISED_TEMPERATURE_C, f"{RAISED_TEMPERATURE_C:.1f} °C fever", "guide red-line")
    return guides


def _fixed(*guides: Guide) -> Callable[[Plan], list[Guide]]:
    return lambda plan: list(guides)


# Guide lines are reference marks for the reader (docs/clinical-basis.md T1, T6, T11, T13, T4);
# the colour of each reading comes from the rules' findings, never from these lines.
RED_LINE, AMBER_LINE = "guide red-line", "guide amber-line"
CHARTS: tuple[ChartSpec, ...] = (
    ChartSpec(
        "temp", "Temperature", "°C", ("temp",), (ChartField("celsius", "temperature", "s0"),),
        35.5, 39.0, _temp_guides, one_decimal,
    ),
    ChartSpec(
        "bp", "Blood pressure", "mmHg", ("bp",),
        (ChartField("systolic", "systolic", "s0"), ChartField("diastolic", "diastolic", "s1")), 50, 140,
        _fixed(
            Guide(LOW_SYSTOLIC, f"{LOW_SYSTOLIC} systolic", RED_LINE),
            Guide(BORDERLINE_SYSTOLIC, f"{BORDERLINE_SYSTOLIC} systolic", AMBER_LINE),
        ),
        lambda v: f"{v:g} mmHg",
    ),
    ChartSpec(
        "pulse", "Pulse", "beats/min", ("bp", "pulse"), (ChartField("pulse", "pulse", "s2"),), 50, 120,
        _fixed(
            Guide(FAST_PULSE, f"{FAST_PULSE} fast", RED_LINE),
            Guide(RAISED_PULSE, f"{RAISED_PULSE} raised", AMBER_LINE),
        ),
        lambda v: f"{v:g} /min",
    ),
    ChartSpec(
        "spo2", "Oxygen saturation (SpO2)", "%", ("spo2",), (ChartField("spo2", "SpO2", "s0"),), 88, 100,
        _fixed(
            Guide(LOW_SPO2, f"{LOW_SPO2}% urgent", RED_LINE),
            Guide(BORDERLINE_SPO2, f"{BORDERLINE_SPO2}% same day", AMBER_LINE),
        ),
        lambda v: f"{v:g}%",
    ),
    ChartSpec(
        "fatigue", "Fatigue (0-10)", "score", ("fatigue",), (ChartField("score", "fatigue", "s0"),), 0, 10,
        _fixed(
            Guide(EXTREME_FATIGUE_SCORE, f"{EXTREME_FATIGUE_SCORE} extreme", RED_LINE),
            Guide(RAISED_FATIGUE_SCORE, f"{RAISED_FATIGUE_SCORE} high", AMBER_LINE),
        ),
        lambda v: f"{v:g}/10",
    ),
    ChartSpec(
        "fluids", "Fluids per day", "litres", ("fluids",), (ChartField("litres", "fluids", "s1"),), 0, 3.0,
        _fixed(
            Guide(FLUIDS_TARGET_LITRES[0], f"{FLUIDS_TARGET_LITRES[0]:g} L aim", "guide target"),
            Guide(FLUIDS_TARGET_LITRES[1], f"{FLUIDS_TARGET_LITRES[1]:g} L aim", "guide target"),
        ),
        lambda v: f"{v:.2g} L", daily_total=True,
    ),
    ChartSpec(
        "ice", "ICE score (0-10)", "score", ("ice",), (ChartField("score", "ICE score", "s0"),), 0, 10,
        _fixed(Guide(ICE_MAX, f"{ICE_MAX}/{ICE_MAX} normal", "guide")), lambda v: f"{v:g}/10",
    ),
    # Blood results (issue 22): plotted as the team gave them, with no reference lines of
    # cart's own (the lab's ranges are on the lab's report) and never a level.
    ChartSpec(
        "neutrophils", "Neutrophils", "x10^9/L", ("bloods",),
        (ChartField("neutrophils", "neutrophils", "s0"),),
        0, 5, _fixed(), lambda v: f"{v:g} x10^9/L",
    ),
    ChartSpec(
        "crp", "CRP", "mg/L", ("bloods",), (ChartField("crp", "CRP", "s1"),), 0, 200, _fixed(),
        lambda v: f"{v:g} mg/L",
    ),
    ChartSpec(
        "platelets", "Platelets", "x10^9/L", ("bloods",), (ChartField("platelets", "platelets", "s2"),),
        0, 400, _fixed(), lambda v: f"{v:g} x10^9/L",
    ),
    ChartSpec(
        "hb", "Haemoglobin (Hb)", "g/L", ("bloods",), (ChartField("hb", "Hb", "s0"),), 60, 160, _fixed(),
        lambda v: f"{v:g} g/L",
    ),
)  # fmt: skip
