"""A long report's data, read from SQLite day by day so that its cost stays bounded.

A report of more than ``DETAIL_DAYS`` days shows each day's lowest and highest values, not
every reading, but it still grades every day with the rules, on that day's entries and the
rules' look-back, exactly as `cart check` would have. At a few hundred readings a day that
was most of the report's time, although almost all of them are ordinary readings that no
rule can cite. So the rules get only the entries that can decide a finding:

- every entry that is not a reading (symptoms and own words, calls, medicines, ICE scores,
  handwriting, blood results): the rules about them are not simple thresholds;
- every reading with a value outside the ordinary band of ``inert_reading``: a value any
  threshold rule (alone or in a combination: possible sepsis, two amber signs) can cite;
- each day's latest temperature: the re-check advice depends on it;
- before a fatigue score of 7 or 8, every fatigue score of the 72 hours before it: "new or
  worse" compares with them, and the finding says the highest;
- every entry dated after now (it is counted as now, and so is the latest of today).

A reading left out has every value inside the band, so no rule cites it, no threshold
counts it and no combination includes it; the findings (levels, messages, the entries they
cite) are the same as on all entries. ``tests/test_report_days.py`` checks that on many
generated periods, boundary values included: the whole report is identical.

What the report shows that depends on every entry (each day's lowest, highest and total per
chart, which days have entries, how many entries there are, the hottest temperature, the
notes) is read with indexed queries into ``PeriodFacts``.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from cart_cli.charts import CHARTS, midnight
from cart_cli.models import Entry, Plan
from cart_cli.report.build import (
    HISTORY_BEFORE,
    DayField,
    FieldDay,
    PeriodFacts,
)
from cart_cli.store import ENTRY_COLUMNS, entry_from_row, to_db_time
from cart_cli.thresholds import (
    BORDERLINE_SPO2,
    BORDERLINE_SYSTOLIC,
    EXTREME_FATIGUE_SCORE,
    LOW_TEMPERATURE_C,
    RAISED_BREATHING,
    RAISED_FATIGUE_SCORE,
    RAISED_PULSE,
    RAISED_TEMPERATURE_C,
    SLOW_BREATHING,
)
from cart_cli.triage.registry import FATIGUE_LOOKBACK, fever_threshold_c

if TYPE_CHECKING:
    from cart_cli.store import Store

READING_KINDS = ("temp", "bp", "pulse", "spo2", "breaths", "fluids", "fatigue")
COLUMNS = ", ".join(ENTRY_COLUMNS)
# The values the charts show, each as (chart id, value name, column).
CHART_FIELDS = tuple((spec.id, f.name, spec.kinds) for spec in CHARTS for f in spec.fields)


def inert_reading(plan: Plan | None) -> tuple[str, tuple[float, ...]]:
    """The SQL condition (and its parameters) of a reading no rule can cite: every value the
    rules compare is inside the ordinary band, where no threshold of the rule table starts
    (docs/clinical-basis.md section 3, the numbers in ``thresholds``):

    temperature from 36.0 °C up to below 37.5 °C (or the fever threshold if lower); systolic
    above 100; pulse 90 or less; SpO2 above 94%; breathing 12 to 20 a minute; fatigue below 7.
    Fluids have no rule. A value outside the band keeps the entry."""
    top = min(RAISED_TEMPERATURE_C, fever_threshold_c(plan))
    kinds = ", ".join(f"'{kind}'" for kind in READING_KINDS)
    sql = (
        f"kind IN ({kinds})"
        " AND (celsius IS NULL OR (celsius >= ? AND celsius < ?))"
        " AND (systolic IS NULL OR systolic > ?)"
        " AND (pulse IS NULL OR pulse <= ?)"
        " AND (spo2 IS NULL OR spo2 > ?)"
        " AND (breaths IS NULL OR (breaths > ? AND breaths < ?))"
        " AND (score IS NULL OR score < ?)"
    )
    params = (
        LOW_TEMPERATURE_C,
        top,
        BORDERLINE_SYSTOLIC,
        RAISED_PULSE,
        BORDERLINE_SPO2,
        SLOW_BREATHING,
        RAISED_BREATHING,
        RAISED_FATIGUE_SCORE,
    )
    return sql, tuple(float(p) for p in params)


def _kind_sql(kind: str) -> tuple[str, tuple[str, ...]]:
    """The query of one day's count, lowest and highest of each charted value of ``kind``."""
    names = tuple(dict.fromkeys(name for _, name, kinds in CHART_FIELDS if kind in kinds))
    parts = ", ".join(f"count({n}), min({n}), max({n})" for n in names)
    return f"SELECT {parts} FROM entries WHERE kind = ? AND recorded_at >= ? AND recorded_at < ?", names


def period_entries(store: Store, plan: Plan, start: date, now: datetime) -> tuple[list[Entry], PeriodFacts]:
    """The entries the rules need for the days from ``start`` to today (and the week before,
    which they look back on), oldest first, and the period's facts; see the module's text."""
    days = [start + timedelta(days=i) for i in range((now.date() - start).days + 1)]
    bounds = [to_db_time(midnight(d, now)) for d in days]
    now_text = to_db_time(now)
    never = "9999"  # after every stored time: the last day takes the entries dated after now
    ends = [*bounds[1:], never]
    since = to_db_time(midnight(start, now) - HISTORY_BEFORE)

    inert, params = inert_reading(plan)
    kept: dict[int, Entry] = {}

    def add(sql: str, args: tuple[object, ...]) -> list[Entry]:
        found = [entry_from_row(row) for row in store.read(sql, args)]
        for entry in found:
            kept.setdefault(entry.id or 0, entry)
        return found

    # One pass over the period's index range: everything but the readings no rule can cite
    # (an entry dated after now is always kept: it is counted as now, the latest of today),
    # and every entry with a note (the report lists them), marked whether the rules need it.
    notes: list[Entry] = []
    for row in store.read(
        f"SELECT {COLUMNS}, ({inert}) AND recorded_at <= ? FROM entries WHERE recorded_at >= ? "
        f"AND (NOT ({inert}) OR recorded_at > ? OR (note IS NOT NULL AND note != '')) "
        "ORDER BY recorded_at, id",
        (*params, now_text, since, *params, now_text),
    ):
        entry = entry_from_row(row[:-1])
        if not row[-1]:
            kept.setdefault(entry.id or 0, entry)
        if entry.note and row[3] >= bounds[0]:
            notes.append(entry)  # as stored: the report marks one dated after now
    # Each day's latest temperature (today: up to now; later ones are kept above or below).
    latest = []
    for lo, hi in zip(bounds, ends, strict=True):
        row = store.read(
            "SELECT recorded_at FROM entries WHERE kind = 'temp' AND recorded_at >= ? AND recorded_at < ? "
            "AND recorded_at <= ? AND celsius IS NOT NULL ORDER BY recorded_at DESC LIMIT 1",
            (lo, hi, now_text),
        ).fetchone()
        if row is not None:
            latest.append(row[0])
    if latest:
        marks = ", ".join("?" * len(latest))
        add(
            f"SELECT {COLUMNS} FROM entries WHERE kind = 'temp' AND recorded_at IN ({marks}) "
            "AND celsius IS NOT NULL",
            tuple(latest),
        )
    # The 72 hours of fatigue scores before a score that may be new or worse.
    for entry in list(kept.values()):
        score = entry.score if entry.kind == "fatigue" else None
        if score is not None and RAISED_FATIGUE_SCORE <= score < EXTREME_FATIGUE_SCORE:
            add(
                f"SELECT {COLUMNS} FROM entries WHERE kind = 'fatigue' AND recorded_at >= ? "
                "AND recorded_at <= ?",
                # an entry dated after now is counted as now: its 72 hours end at now
                (to_db_time(min(entry.recorded_at, now) - FATIGUE_LOOKBACK), to_db_time(entry.recorded_at)),
            )
    entries = sorted(kept.values(), key=lambda e: (e.recorded_at, e.id or 0))
    return entries, _facts(store, days, bounds, ends, now, tuple(notes))


def _facts(
    store: Store,
    days: list[date],
    bounds: list[str],
    ends: list[str],
    now: datetime,
    notes: tuple[Entry, ...],
) -> PeriodFacts:
    charted = tuple(dict.fromkeys(kind for _, _, kinds in CHART_FIELDS for kind in kinds))
    present = [  # the kinds logged at all in the period: the others need no query a day
        kind
        for kind in charted
        if store.read(
            "SELECT 1 FROM entries WHERE kind = ? AND recorded_at >= ? LIMIT 1", (kind, bounds[0])
        ).fetchone()
    ]
    queries = {kind: _kind_sql(kind) for kind in present}
    fields: dict[FieldDay, DayField] = {}
    logged: list[date] = []
    count = 0
    hottest_day: tuple[float, int] | None = None
    totals = {(chart, name) for chart, name, _ in CHART_FIELDS if _is_total(chart)}
    for index, (lo, hi) in enumerate(zip(bounds, ends, strict=True)):
        (day_count,) = store.read(
            "SELECT count(*) FROM entries WHERE recorded_at >= ? AND recorded_at < ?", (lo, hi)
        ).fetchone()
        if not day_count:
            continue
        day = days[index]
        logged.append(day)
        count += day_count
        found: dict[tuple[str, str], tuple[int, float, float]] = {}  # (kind, value) -> count, lo, hi
        for kind, (sql, names) in queries.items():
            row = store.read(sql, (kind, lo, hi)).fetchone()
            for at, name in enumerate(names):
                if row[3 * at]:
                    found[(kind, name)] = (row[3 * at], row[3 * at + 1], row[3 * at + 2])
        for chart, name, kinds in CHART_FIELDS:
            got = [found[(kind, name)] for kind in kinds if (kind, name) in found]
            if got:
                fields[(chart, name, day)] = DayField(
                    float(min(g[1] for g in got)), float(max(g[2] for g in got)), sum(g[0] for g in got)
                )
        temp = fields.get(("temp", "celsius", day))
        if temp is not None and (hottest_day is None or temp.highest > hottest_day[0]):
            hottest_day = (temp.highest, index)
    for chart, name in totals:  # a day's total is the sum of its values, in the order logged
        kinds = next(spec.kinds for spec in CHARTS if spec.id == chart)
        marks = ", ".join("?" * len(kinds))
        values: dict[int, list[float]] = defaultdict(list)
        for at, value in store.read(
            f"SELECT recorded_at, {name} FROM entries WHERE kind IN ({marks}) AND recorded_at >= ? "
            f"AND {name} IS NOT NULL ORDER BY recorded_at, id",
            (*kinds, bounds[0]),
        ):
            values[bisect_right(bounds, at) - 1].append(float(value))
        for index, in_order in values.items():
            key = (chart, name, days[index])
            fields[key] = DayField(
                fields[key].lowest, fields[key].highest, fields[key].count, tuple(in_order)
            )
    hottest = None
    if hottest_day is not None:
        celsius, index = hottest_day
        row = store.read(
            f"SELECT {COLUMNS} FROM entries WHERE kind = 'temp' AND recorded_at >= ? AND recorded_at < ? "
            "AND celsius = ? ORDER BY recorded_at, id LIMIT 1",
            (bounds[index], ends[index], celsius),
        ).fetchone()
        hottest = _as_now(entry_from_row(row), now)
    return PeriodFacts(fields, frozenset(logged), count, hottest, notes)


def _as_now(entry: Entry, now: datetime) -> Entry:
    from dataclasses import replace

    return replace(entry, recorded_at=now) if entry.recorded_at > now else entry


def _is_total(chart: str) -> bool:
    return next(spec for spec in CHARTS if spec.id == chart).daily_total
