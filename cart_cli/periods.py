"""The periods the report and the chart look at, and what they read from the store.

``report_entries`` fetches a report's period (and the week before it, which the rules look
back on) with one indexed range query; ``chart_window`` is the chart's first moment for
"the last N days, today included"; ``chart_data`` is the points and reference lines of one
chart. No upper bound anywhere: an entry dated after now is counted as now
(``models.counted_as_now``), as the check counts it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, NamedTuple

from cart_cli.charts import CHARTS, midnight
from cart_cli.models import Entry, Plan, counted_as_now

if TYPE_CHECKING:
    from cart_cli.report.build import PeriodFacts
    from cart_cli.store import Store

CHART_KINDS = tuple(spec.id for spec in CHARTS)  # temp ... ice, and the blood results


def report_entries(store: Store, start: date, now: datetime) -> list[Entry]:
    """The report's entries from ``start`` (a day) and the week before it, oldest first."""
    from cart_cli.report.build import HISTORY_BEFORE  # the report's own module: `cart chart` needs none of it

    return store.entries(since=midnight(start, now) - HISTORY_BEFORE, newest_first=False)


def report_facts(
    store: Store, plan: Plan, start: date, now: datetime
) -> tuple[list[Entry], PeriodFacts | None]:
    """What ``build_report`` needs for the days from ``start`` to today. Up to DETAIL_DAYS
    days, every entry (the report shows each one); a longer period, only the entries that can
    decide a finding and the facts read per day from the database (``report.days``), so that
    its cost does not grow with the number of readings a day."""
    from cart_cli.report.build import DETAIL_DAYS

    if (now.date() - start).days + 1 <= DETAIL_DAYS:
        return report_entries(store, start, now), None
    from cart_cli.report.days import period_entries

    return period_entries(store, plan, start, now)


def chart_window(now: datetime, days: int) -> datetime:
    """The first moment of the last ``days`` days, today included (local midnight)."""
    return midnight(now.date() - timedelta(days=days - 1), now)


def chart_entries(store: Store, since: datetime) -> list[Entry]:
    return store.entries(since=since, newest_first=False)


class ChartPoint(NamedTuple):
    moment: datetime
    series: int
    value: float


class ChartData(NamedTuple):
    what: str
    title: str
    unit: str
    series: tuple[str, ...]
    points: tuple[ChartPoint, ...]
    guides: tuple[tuple[float, str, str], ...]  # (value, label, style)
    y_min: float
    y_max: float
    since: datetime
    until: datetime
    plan: Plan

    def to_json(self) -> dict[str, object]:
        return {
            "what": self.what,
            "unit": self.unit,
            "since": self.since.isoformat(timespec="seconds"),
            "until": self.until.isoformat(timespec="seconds"),
            "guides": [{"value": value, "label": label} for value, label, _ in self.guides],
            "points": [
                {
                    "recorded_at": p.moment.isoformat(timespec="seconds"),
                    "series": self.series[p.series],
                    "value": p.value,
                }
                for p in self.points
            ],
        }


def chart_data(
    what: str, entries: Sequence[Entry], plan: Plan, since: datetime, until: datetime
) -> ChartData:
    """The points and reference lines for one kind of chart (``what`` is a chart id such as
    ``temp``); fluids are summed per day, as the report does."""
    spec = next(s for s in CHARTS if s.id == what)
    entries = counted_as_now(entries, until)  # an entry dated after now is drawn at now
    points: list[ChartPoint] = []
    for index, field in enumerate(spec.fields):
        chosen = [e for e in entries if e.kind in spec.kinds and getattr(e, field.name) is not None]
        if spec.daily_total:
            totals: dict[datetime, float] = defaultdict(float)
            for e in chosen:
                totals[midnight(e.recorded_at.date(), until)] += float(getattr(e, field.name))
            points += [
                ChartPoint(day.replace(hour=12), index, round(v, 2)) for day, v in sorted(totals.items())
            ]
        else:
            points += [ChartPoint(e.recorded_at, index, float(getattr(e, field.name))) for e in chosen]
    guides = tuple(
        (g.y, g.label, "red" if "red" in g.css else "yellow" if "amber" in g.css else "dim")
        for g in spec.guides(plan)
    )
    return ChartData(
        what=what,
        title=spec.title,
        unit=spec.unit,
        series=tuple(f.label for f in spec.fields),
        points=tuple(sorted(points, key=lambda p: p.moment)),
        guides=guides,
        y_min=spec.y_min,
        y_max=spec.y_max,
        since=since,
        until=until,
        plan=plan,
    )
