"""The clinic report as plain data: what the HTML template shows, worked out from the entries.

Pure: ``build_report(entries, plan, now, start)`` reads no clock and no database. The command
fetches the entries of the period (and a week before it, which the rules look back on) with
one indexed range query and passes them in.

- Findings are the rules' own: ``rules.evaluate`` is run on each day of the period (midnight
  to midnight, or to ``now`` for today), so a day is red or amber exactly when `cart check`
  would have said so at the end of it. A reading is marked red or amber on the charts when a
  finding of that level cites it, so the charts never disagree with the rules.
- Periods of up to ``DETAIL_DAYS`` days show every reading; longer ones show each day's
  lowest and highest value (and a table per day), so a year stays a readable report.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from cart_cli import rules
from cart_cli.charts import CHARTS, ChartField, ChartSpec, midnight, one_decimal, short_date
from cart_cli.levels import FINDING_LEVELS, Level
from cart_cli.models import (
    DEFAULT_EMERGENCY_NUMBER,
    DEFAULT_NEURO_DAYS,
    DEFAULT_NO_DRIVING_WEEKS,
    DEFAULT_READING_GAP_HOURS,
    FUTURE_MARK,
    SEVERITIES,
    Entry,
    Plan,
    counted_as_now,
    format_celsius,
)
from cart_cli.report import svg
from cart_cli.thresholds import (
    BORDERLINE_SYSTOLIC,
    CHECK_WINDOW_HOURS,
    RAISED_PULSE,
)
from cart_cli.timefmt import MONTHS, WEEKDAYS, format_date, plural
from cart_cli.timeline import build_timeline, when_text
from cart_cli.verdict import Verdict, judge, window_start

if TYPE_CHECKING:
    from cart_cli.schedule import Appointment, Medicine

DEFAULT_DAYS = 28
DETAIL_DAYS = 90  # longer periods are drawn and tabled per day
GRID_ALL_DAYS = 14  # longer periods show only the days with a symptom, so the grid fits a page
HISTORY_BEFORE = timedelta(days=7)  # rules look back at most a few days before a window
SEVERITY_ORDER = {"": 0, **{severity: rank for rank, severity in enumerate(SEVERITIES, start=1)}}
DISCLAIMER = (
    "cart is not a medical device. It follows the advice hospitals give patients; if you feel "
    "unwell or are worried, call your hospital team at any time."
)


def period_start(plan: Plan, today: date, days: int | None = None) -> date:
    """The first day of the report: ``days`` back (today included), else since the infusion
    or the last ``DEFAULT_DAYS`` days, whichever is shorter."""
    if days is not None:
        return today - timedelta(days=max(days, 1) - 1)
    last = today - timedelta(days=DEFAULT_DAYS - 1)
    return max(plan.infusion_date, last) if plan.infusion_date <= today else last


def stamp(moment: datetime) -> str:
    """``Tue 3 Nov 2026 08:05``."""
    return (
        f"{WEEKDAYS[moment.weekday()]} {moment.day} {MONTHS[moment.month - 1]} {moment.year} {moment:%H:%M}"
    )


# -- what the template gets ----------------------------------------------------------------


@dataclass(frozen=True)
class FindingRow:
    level: Level
    rule: str
    message: str
    action: str


@dataclass(frozen=True)
class DayFindings:
    day: date
    date_text: str
    day_number: int
    level: Level
    findings: tuple[FindingRow, ...]


@dataclass(frozen=True)
class EntryRow:
    when: str
    day_number: int
    kind: str
    value: str
    level: str
    note: str


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    svg: str  # markup made by svg.chart, every text in it escaped
    rows: tuple[tuple[str, ...], ...]  # the same values as text (per day when aggregated)
    columns: tuple[str, ...]


@dataclass(frozen=True)
class SymptomRow:
    name: str
    cells: tuple[str, ...]  # worst severity per column ("" = not logged; "logged" = no severity)


@dataclass(frozen=True)
class Report:
    made_at: str
    day_number: int
    infusion_date: str
    hospital: str
    phone: str
    emergency_number: str
    diagnosis: str
    fever_threshold: str
    settings: tuple[str, ...]
    start: date
    end: date
    period: str
    days: int
    aggregated: bool
    emergency_days: int
    red_days: int
    amber_days: int
    highest_temperature: str
    calls_count: int
    entries_count: int
    charts: tuple[Chart, ...]
    grid_days: tuple[tuple[str, str], ...]  # (day number, date) per grid column
    grid_rows: tuple[SymptomRow, ...]
    grid_note: str
    daily_columns: tuple[str, ...]  # aggregated periods: one row a day, one column per measure
    daily_rows: tuple[tuple[str, ...], ...]
    findings: tuple[DayFindings, ...]
    calls: tuple[EntryRow, ...]
    notes: tuple[EntryRow, ...]
    medicines: tuple[EntryRow, ...]
    missed_doses: tuple[tuple[str, str, str], ...]  # (when it was due, day, medicine and dose)
    readings: tuple[EntryRow, ...]
    milestones: tuple[tuple[str, str, str, str], ...]  # (day, date, title, status)
    check_level: str = ""  # the verdict now, as `cart check` says it (level and headline)
    check_headline: str = ""
    check_window: str = ""
    product: str = "not set"
    bloods: tuple[EntryRow, ...] = ()
    disclaimer: str = DISCLAIMER
    summary_json: dict[str, object] = field(default_factory=dict)


# -- the days and their findings ------------------------------------------------------------


# The rules about one value of a blood-pressure entry: a finding of one of them marks that value
# only (a low systolic never marks the diastolic or the pulse read with it).
_SYSTOLIC_RULES = frozenset({"low-blood-pressure", "borderline-blood-pressure"})
_PULSE_RULES = frozenset({"fast-pulse", "raised-pulse"})


def _cited_fields(rule: str, entry: Entry) -> tuple[str, ...]:
    """Which values of ``entry`` a finding of ``rule`` is about ("*": the entry's only value).

    A rule that combines signs (possible sepsis, several amber signs) is about the values of a
    blood-pressure entry that are themselves outside the amber limits; a diastolic never is.
    """
    if entry.kind != "bp":
        return ("*",)
    if rule in _SYSTOLIC_RULES:
        return ("systolic",)
    if rule in _PULSE_RULES:
        return ("pulse",)
    fields = []
    if entry.systolic is not None and entry.systolic <= BORDERLINE_SYSTOLIC:
        fields.append("systolic")
    if entry.pulse is not None and entry.pulse > RAISED_PULSE:
        fields.append("pulse")
    return tuple(fields)


FieldLevels = dict[tuple[int, str], Level]  # (entry id, value name or "*") -> the level marked


def _field_level(levels: FieldLevels, entry: Entry, name: str) -> Level | None:
    key = entry.id if entry.id is not None else -1
    return levels.get((key, name)) or levels.get((key, "*"))


def _evaluate_days(
    history: Sequence[Entry],
    plan: Plan,
    now: datetime,
    days: Sequence[date],
    logged: frozenset[date] | None = None,
) -> tuple[list[DayFindings], dict[int, Level], FieldLevels]:
    """Run the rules on each day; return the red/amber days, each cited entry's level, and
    the level of each value a finding is about (what the charts mark).

    ``logged``: the days with any entry, when ``history`` holds only the entries that can
    decide a finding (``report.days``): a day with entries is graded even when none of them
    is left, exactly as it is graded on all of them."""
    times = [e.recorded_at for e in history]
    result: list[DayFindings] = []
    entry_level: dict[int, Level] = {}
    field_level: FieldLevels = {}
    for day in days:
        start = midnight(day, now)
        end = min(midnight(day + timedelta(days=1), now) - timedelta(microseconds=1), now)
        lo = bisect.bisect_left(times, start - rules.LOOKBACK)  # what `cart check` would pass
        hi = bisect.bisect_right(times, end)
        first = bisect.bisect_left(times, start)
        if (day not in logged) if logged is not None else first >= hi:
            continue  # nothing logged that day: nothing to grade
        checked = rules.evaluate(history[lo:hi], plan, end, start)
        rows = []
        for finding in checked.findings:
            level = finding.level
            if level not in FINDING_LEVELS:  # what the report marks; the rest is not a finding
                continue
            rows.append(FindingRow(level, finding.rule, finding.message, finding.action))
            for entry in finding.entries:
                marked = entry_level.get(entry.id) if entry.id is not None else None
                if entry.id is not None and (marked is None or level.rank > marked.rank):
                    entry_level[entry.id] = level
                for name in _cited_fields(finding.rule, entry) if entry.id is not None else ():
                    key = (entry.id or -1, name)
                    if key not in field_level or level.rank > field_level[key].rank:
                        field_level[key] = level
        if rows:
            worst = max((row.level for row in rows), key=lambda level: level.rank)
            result.append(DayFindings(day, format_date(day), plan.day_of(day), worst, tuple(rows)))
    return result, entry_level, field_level


# -- charts ---------------------------------------------------------------------------------


def _day_x(moment: datetime, plan: Plan) -> float:
    return plan.day_of(moment) + (moment.hour * 3600 + moment.minute * 60 + moment.second) / 86400


def _ticks(plan: Plan, days: Sequence[date]) -> list[svg.Tick]:
    every = max(1, -(-len(days) // 14))
    return [
        svg.Tick(plan.day_of(d) + 0.5, f"d{plan.day_of(d)}", short_date(d))
        for i, d in enumerate(days)
        if i % every == 0
    ]


def _worst(levels: Sequence[Level | None]) -> Level | None:
    marked = [level for level in levels if level in FINDING_LEVELS]
    return max(marked, key=lambda level: level.rank) if marked else None


@dataclass(frozen=True)
class DayField:
    """One chart value on one day: its lowest and highest, and (daily totals) the values in
    the order they were logged, which are summed as they are (a float sum depends on it)."""

    lowest: float
    highest: float
    count: int
    values: tuple[float, ...] = ()


FieldDay = tuple[str, str, date]  # (chart id, value name, day)


@dataclass(frozen=True)
class PeriodFacts:
    """What a report shows that depends on every entry of the period, not only on those that
    can decide a finding: each day's values per chart, which days have any entry, how many
    entries there are, the hottest temperature and the entries with a note.

    ``facts_of`` works them out from the entries themselves; ``report.days`` reads them from
    the database for a long period, so that the rules need only the entries that matter."""

    fields: dict[FieldDay, DayField]
    logged: frozenset[date]
    count: int
    hottest: Entry | None
    notes: tuple[Entry, ...]


_CHARTED: dict[str, tuple[tuple[ChartSpec, ChartField], ...]] = {}  # kind -> the values it charts


def chart_values(entry: Entry) -> list[tuple[ChartSpec, ChartField, float]]:
    """The values ``entry`` puts on the charts."""
    charted = _CHARTED.get(entry.kind)
    if charted is None:
        charted = _CHARTED[entry.kind] = tuple(
            (spec, f) for spec in CHARTS if entry.kind in spec.kinds for f in spec.fields
        )
    return [(spec, f, float(v)) for spec, f in charted if (v := getattr(entry, f.name)) is not None]


def _charted_by_day(entries: Sequence[Entry]) -> dict[FieldDay, list[tuple[Entry, float]]]:
    """Each chart value of ``entries`` with its entry, by chart, value name and day."""
    by_day: dict[FieldDay, list[tuple[Entry, float]]] = defaultdict(list)
    for e in entries:
        for spec, f, value in chart_values(e):
            by_day[(spec.id, f.name, e.recorded_at.date())].append((e, value))
    return by_day


def facts_of(shown: Sequence[Entry]) -> PeriodFacts:
    """The period's facts worked out from all of its entries (``shown``: counted as now, in
    the order they were logged)."""
    values = {key: [value for _, value in got] for key, got in _charted_by_day(shown).items()}
    temps = [e for e in shown if e.kind == "temp" and e.celsius is not None]
    return PeriodFacts(
        fields={
            key: DayField(min(got), max(got), len(got), tuple(got) if _is_total(key[0]) else ())
            for key, got in values.items()
        },
        logged=frozenset(e.recorded_at.date() for e in shown),
        count=len(shown),
        hottest=max(temps, key=lambda e: e.celsius or 0.0) if temps else None,
        notes=tuple(e for e in shown if e.note),
    )


def _is_total(chart_id: str) -> bool:
    return next(spec for spec in CHARTS if spec.id == chart_id).daily_total


def _chart(
    spec: ChartSpec,
    entries: Sequence[Entry],
    plan: Plan,
    days: Sequence[date],
    levels: FieldLevels,
    aggregated: bool,
    markers: Sequence[svg.Marker],
    daily: dict[date, dict[str, str]],
    facts: PeriodFacts,
    by_day: dict[FieldDay, list[tuple[Entry, float]]],
) -> Chart | None:
    """The chart of one kind, or None without data. Aggregated, each day's lowest and highest
    value (or total) goes into ``daily`` (day -> column -> text) for the one per-day table.

    Per day (aggregated, or daily totals) the values come from ``facts``; the level of a value
    from the entries (which hold every entry a finding can cite): an end of a day's range is
    marked by the level of the first reading that has that value."""
    if not any(key[0] == spec.id for key in facts.fields):
        return None
    series: list[svg.Series] = []
    rows: list[tuple[str, ...]] = []
    if spec.daily_total or aggregated:
        for f in spec.fields:
            low_pts, high_pts = [], []
            for d in days:
                day_field = facts.fields.get((spec.id, f.name, d))
                if day_field is None:
                    continue
                got = by_day.get((spec.id, f.name, d), [])
                x = plan.day_of(d) + 0.5
                level = _worst([_field_level(levels, e, f.name) for e, _ in got])
                when = f"{format_date(d)}, day {plan.day_of(d)}"
                if spec.daily_total:
                    total = sum(day_field.values)
                    high_pts.append(
                        svg.Point(x, total, f"{when}: {f.label} {spec.show(total)} in total", level)
                    )
                    if aggregated:
                        daily[d][f.label] = spec.show(total)
                    else:
                        count = plural(day_field.count, "entry", "entries")
                        rows.append((when, f.label, spec.show(total), count, level or ""))
                    continue
                # Each end is marked by the level of its own reading: a day with a fever has a
                # red top, not a red bottom as well.
                lo, hi = day_field.lowest, day_field.highest
                lowest = next((e for e, v in got if v == lo), None)
                highest = next((e for e, v in got if v == hi), None)
                lo_level = _field_level(levels, lowest, f.name) if lowest is not None else None
                hi_level = _field_level(levels, highest, f.name) if highest is not None else None
                low_pts.append(svg.Point(x, lo, f"{when}: lowest {f.label} {spec.show(lo)}", lo_level))
                high_pts.append(
                    svg.Point(x, hi, f"{when}: highest {f.label} {spec.show(hi)}", hi_level, low=lo)
                )
                daily[d][f.label] = spec.show(lo) if lo == hi else f"{spec.show(lo)} to {spec.show(hi)}"
            if spec.daily_total:
                series.append(svg.Series(f.label, high_pts, f.css, bars=True))
            else:
                series.append(svg.Series(f"highest {f.label}", high_pts, f.css, joined=False))
                series.append(svg.Series(f"lowest {f.label}", low_pts, f.css, joined=False))
        columns: tuple[str, ...] = ("day", "what", "value", "count", "finding")
    else:
        readings = [(e, getattr(e, f.name), f) for e in entries if e.kind in spec.kinds for f in spec.fields]
        readings = [(e, v, f) for e, v, f in readings if v is not None]
        for f in spec.fields:
            points = []
            for e, v, g in readings:
                if g is not f:
                    continue
                level = _field_level(levels, e, f.name)
                when = f"{stamp(e.recorded_at)}, day {plan.day_of(e.recorded_at)}"
                label = f"{when}: {f.label} {spec.show(float(v))}"
                if level:
                    label += f" ({level})"
                points.append(svg.Point(_day_x(e.recorded_at, plan), float(v), label, level))
            series.append(svg.Series(f.label, points, f.css))
        columns = ()  # every reading is in the readings table and in each point's title
    x_start = plan.day_of(days[0])
    drawing = svg.chart(
        spec.title,
        series,
        x_start=x_start,
        x_end=plan.day_of(days[-1]) + 1,
        y_min=spec.y_min,
        y_max=spec.y_max,
        unit=spec.unit,
        ticks=_ticks(plan, days),
        guides=spec.guides(plan),
        markers=markers,
    )
    return Chart(spec.id, spec.title, drawing, tuple(rows), columns)


# -- the report -----------------------------------------------------------------------------


def _settings(plan: Plan) -> tuple[str, ...]:
    """Plan settings that differ from cart's defaults, in words."""
    out = []
    if plan.no_driving_weeks != DEFAULT_NO_DRIVING_WEEKS:
        out.append(f"no driving for {plan.no_driving_weeks} weeks")
    if plan.reading_gap_hours != DEFAULT_READING_GAP_HOURS:
        out.append(f"a temperature counts as recent for {plan.reading_gap_hours:g} hours")
    if plan.neuro_days != DEFAULT_NEURO_DAYS:
        out.append(f"nervous-system check for {plan.neuro_days} days")
    if plan.sentence:
        out.append("a handwriting sentence is set")
    return tuple(out)


def _entry_row(entry: Entry, plan: Plan, levels: dict[int, Level], future: set[int | None]) -> EntryRow:
    return EntryRow(
        when=stamp(entry.recorded_at) + (f" ({FUTURE_MARK})" if entry.id in future else ""),
        day_number=plan.day_of(entry.recorded_at),
        kind=entry.kind,
        value=one_decimal(entry.celsius)
        if entry.kind == "temp" and entry.celsius is not None
        else entry.describe(),
        level=levels.get(entry.id or -1, ""),
        note=entry.note or "",
    )


def _own_words_name(entry: Entry) -> str:
    """A phrase in the person's own words, with what cart read in it (one row, issue 18)."""
    from cart_cli.signs import recognised_words

    return f"{entry.other} ({recognised_words(entry)})"


def _symptom_grid(
    entries: Sequence[Entry], plan: Plan, days: Sequence[date]
) -> tuple[tuple[tuple[str, str], ...], tuple[SymptomRow, ...], str]:
    worst: dict[str, dict[date, str]] = defaultdict(dict)
    for e in entries:
        if e.kind != "symptom":
            continue
        name = _own_words_name(e) if e.symptom == "other" else (e.symptom or "symptom")
        d = e.recorded_at.date()
        severity = e.severity or ""
        current = worst[name].get(d)
        if current is None or SEVERITY_ORDER.get(severity, 0) > SEVERITY_ORDER.get(current, 0):
            worst[name][d] = severity
    note = ""
    columns = list(days)
    if len(days) > GRID_ALL_DAYS:
        logged = {d for cells in worst.values() for d in cells}
        columns = [d for d in days if d in logged]
        note = f"The period is longer than {GRID_ALL_DAYS} days, so only the days with a symptom are shown."
    rows = tuple(
        SymptomRow(name, tuple((cells[d] or "logged") if d in cells else "" for d in columns))
        for name, cells in sorted(worst.items())
    )
    return tuple((f"d{plan.day_of(d)}", short_date(d)) for d in columns), rows, note


def _product(plan: Plan) -> str:
    from cart_cli.products import product_named

    product = product_named(plan.product)
    return product.shown if product else "not set"


def _missed_doses(
    medicines: Sequence[Medicine], history: Sequence[Entry], plan: Plan, now: datetime, days: Sequence[date]
) -> tuple[tuple[str, str, str], ...]:
    """Every scheduled dose of the period that was missed (as the dashboard judges a dose: more
    than two hours late with none logged), judged at the end of its day (today: now)."""
    if not medicines:
        return ()
    from cart_cli.schedule import todays_doses

    doses = [e for e in history if e.kind == "med"]
    missed = []
    for day in days:
        end = min(midnight(day + timedelta(days=1), now) - timedelta(seconds=1), now)
        for dose in todays_doses(medicines, doses, end):
            if dose.state == "missed":
                what = (
                    f"{dose.medicine.name} {dose.medicine.dose}".strip()
                    if dose.medicine.dose
                    else dose.medicine.name
                )
                missed.append((stamp(dose.due_at), f"day {plan.day_of(day)}", what))
    return tuple(missed)


def build_report(
    entries: Sequence[Entry],
    plan: Plan,
    now: datetime,
    start: date,
    verdict: Verdict | None = None,
    medicines: Sequence[Medicine] = (),
    appointments: Sequence[Appointment] = (),
    facts: PeriodFacts | None = None,
) -> Report:
    """Everything the report shows for the days from ``start`` to today (``now``'s date).

    ``entries`` are oldest first and may begin up to ``HISTORY_BEFORE`` before ``start``
    (the rules look back on them); only those from ``start`` on are shown. ``verdict`` is the
    check now (``verdict.verdict_for``); without it, it is judged on ``entries``. ``medicines``
    are the schedules whose missed doses the report lists.

    ``facts``: for a period longer than ``DETAIL_DAYS``, what ``report.days`` read from the
    database; ``entries`` are then only those that can decide a finding (every other entry
    is a reading no rule can cite), and the rest of what the report shows comes from
    ``facts``. Without it, everything is worked out from ``entries``.
    """
    if verdict is None:
        verdict = judge(entries, plan, now, window_start(now))
    today = now.date()
    start = min(start, today)
    days = [start + timedelta(days=i) for i in range((today - start).days + 1)]
    since = midnight(start, now)
    # An entry dated after now (a fast clock, an import) is counted as now, as the check counts it.
    future = {e.id for e in entries if e.recorded_at > now}
    history = sorted(counted_as_now(entries, now), key=lambda e: e.recorded_at)
    shown = [e for e in history if e.recorded_at >= since]
    aggregated = len(days) > DETAIL_DAYS
    if facts is None:
        facts = facts_of(shown)
        logged = None
    else:
        future |= {e.id for e in facts.notes if e.recorded_at > now}
        logged = facts.logged
    notes = counted_as_now(facts.notes, now)

    day_findings, levels, field_levels = _evaluate_days(history, plan, now, days, logged)
    timeline = build_timeline(plan, today, appointments)  # the timeline's and dashboard's "next"
    in_period = [s for s in timeline.milestones if start <= s.milestone.date <= today]
    markers = [svg.Marker(s.milestone.day + 0.5, s.milestone.title) for s in in_period]

    charts = []
    daily: dict[date, dict[str, str]] = defaultdict(dict)
    by_day = _charted_by_day(shown)
    for spec in CHARTS:
        made = _chart(
            spec,
            shown,
            plan,
            days,
            field_levels,
            aggregated,
            markers if spec.id == "temp" else (),
            daily,
            facts,
            by_day,
        )
        if made is not None:
            charts.append(made)
    # One table of every day (aggregated periods): the same values as the charts, as text.
    day_level = {d.day: d.level for d in day_findings}
    labels = [f.label for spec in CHARTS for f in spec.fields]
    daily_columns = tuple(
        dict.fromkeys(label for label in labels if any(label in row for row in daily.values()))
    )
    daily_rows = tuple(
        (
            f"{format_date(d)}, day {plan.day_of(d)}",
            *(daily[d].get(c, "") for c in daily_columns),
            day_level.get(d, ""),
        )
        for d in days
        if d in daily
    )

    hottest = facts.hottest
    highest = (
        f"{one_decimal(hottest.celsius or 0.0)} ({stamp(hottest.recorded_at)})" if hottest else "none logged"
    )
    calls = [e for e in shown if e.kind == "call"]
    grid_days, grid_rows, grid_note = _symptom_grid(shown, plan, days)
    missed = _missed_doses(medicines, history, plan, now, days)
    emergency_days = sum(1 for d in day_findings if d.level == Level.EMERGENCY)
    red_days = sum(1 for d in day_findings if d.level == Level.RED)
    amber_days = sum(1 for d in day_findings if d.level == Level.AMBER)
    period = (
        f"{format_date(start)} to {format_date(today)} (day {plan.day_of(start)} to day {plan.day_of(today)})"
    )

    return Report(
        made_at=stamp(now),
        day_number=plan.day_of(today),
        infusion_date=format_date(plan.infusion_date),
        hospital=plan.hospital or "not set",
        phone=plan.phone or "not set",
        emergency_number=plan.emergency_number or DEFAULT_EMERGENCY_NUMBER,
        diagnosis=plan.diagnosis or "not set",
        fever_threshold=format_celsius(plan.fever_threshold_c),
        settings=_settings(plan),
        start=start,
        end=today,
        period=period,
        days=len(days),
        aggregated=aggregated,
        emergency_days=emergency_days,
        red_days=red_days,
        amber_days=amber_days,
        highest_temperature=highest,
        calls_count=len(calls),
        entries_count=facts.count,
        charts=tuple(charts),
        grid_days=grid_days,
        grid_rows=grid_rows,
        grid_note=grid_note,
        daily_columns=daily_columns,
        daily_rows=daily_rows,
        findings=tuple(day_findings),
        calls=tuple(_entry_row(e, plan, levels, future) for e in calls),
        notes=tuple(_entry_row(e, plan, levels, future) for e in notes),
        medicines=tuple(_entry_row(e, plan, levels, future) for e in shown if e.kind == "med"),
        product=_product(plan),
        bloods=tuple(_entry_row(e, plan, levels, future) for e in shown if e.kind == "bloods"),
        missed_doses=missed,
        readings=() if aggregated else tuple(_entry_row(e, plan, levels, future) for e in shown),
        milestones=tuple(
            (f"day {s.milestone.day}", when_text(s.milestone), s.milestone.title, s.status)
            for s in timeline.milestones
        ),
        check_level=verdict.level,
        check_headline=verdict.headline,
        check_window=f"the last {CHECK_WINDOW_HOURS} hours",
        summary_json={
            "start": start.isoformat(),
            "end": today.isoformat(),
            "days": len(days),
            "emergency_days": emergency_days,
            "red_days": red_days,
            "amber_days": amber_days,
            "missed_doses": len(missed),
            "highest_celsius": hottest.celsius if hottest else None,
            "calls": len(calls),
            "entries": facts.count,
            "check_level": verdict.level,
            "check_headline": verdict.headline,
        },
    )
