"""The report builder: the period, per-day findings from the rules, the symptom grid, the lists
and the charts, from entries built directly (no database, no clock, no browser)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta, timezone

import pytest

from cart_cli.models import Entry, Plan
from cart_cli.report import render_html
from cart_cli.report.build import DETAIL_DAYS, GRID_ALL_DAYS, build_report, period_start

TZ = timezone(timedelta(hours=1))
INFUSION = date(2026, 6, 1)
NOW = datetime(2026, 6, 21, 20, 0, tzinfo=TZ)  # day 20
PLAN = Plan(infusion_date=INFUSION, hospital="Ward 5", phone="01632 960 111", diagnosis="lymphoma")


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 6, 1, hour, minute, tzinfo=TZ) + timedelta(days=day)


def numbered(entries: list[Entry]) -> list[Entry]:
    """Give entries ids, as the store would (the report marks readings by the ids findings cite)."""
    return [replace(e, id=i + 1) for i, e in enumerate(sorted(entries, key=lambda e: e.recorded_at))]


@pytest.mark.parametrize(
    ("infusion", "today", "days", "expected"),
    [
        (date(2026, 6, 1), date(2026, 6, 21), None, date(2026, 6, 1)),  # since infusion: 21 days < 28
        (date(2026, 6, 1), date(2026, 6, 28), None, date(2026, 6, 1)),  # day 27: exactly 28 days
        (date(2026, 6, 1), date(2026, 6, 29), None, date(2026, 6, 2)),  # day 28: the last 28 days
        (date(2026, 1, 1), date(2026, 6, 21), None, date(2026, 5, 25)),
        (date(2026, 6, 1), date(2026, 6, 21), 7, date(2026, 6, 15)),  # --days 7 includes today
        (date(2026, 6, 1), date(2026, 6, 21), 1, date(2026, 6, 21)),
        (date(2026, 6, 1), date(2026, 6, 21), 60, date(2026, 4, 23)),  # --days may go before infusion
        (date(2026, 7, 1), date(2026, 6, 21), None, date(2026, 5, 25)),  # infusion still ahead
    ],
)
def test_period_start(infusion, today, days, expected):
    """The default period is since the infusion or the last 28 days, whichever is shorter."""
    assert period_start(Plan(infusion_date=infusion), today, days) == expected


def test_a_fever_day_is_red_and_its_reading_marked_red_on_the_chart():
    """The day's findings come from the rules; the reading they cite is a red triangle."""
    entries = numbered(
        [Entry(kind="temp", recorded_at=at(d, 8), celsius=36.8) for d in range(10, 21)]
        + [Entry(kind="temp", recorded_at=at(15, 21), celsius=38.4)]
    )
    report = build_report(entries, PLAN, NOW, INFUSION)
    assert [(d.day_number, d.level) for d in report.findings] == [(15, "red")]
    assert any(f.rule == "fever" for f in report.findings[0].findings)
    assert report.red_days == 1 and report.amber_days == 0
    assert report.highest_temperature.startswith("38.4 °C")
    temp = next(c for c in report.charts if c.id == "temp")
    assert temp.svg.count('class="pt red"') == 1
    assert "38.4 °C (red)" in temp.svg
    assert temp.svg.count("<circle") == 11


def test_an_amber_day_is_counted_as_amber():
    """A 37.6 °C reading alone is amber (raised temperature), not red."""
    entries = numbered([Entry(kind="temp", recorded_at=at(18, 9), celsius=37.6)])
    report = build_report(entries, PLAN, NOW, INFUSION)
    assert [(d.day_number, d.level) for d in report.findings] == [(18, "amber")]
    assert (report.red_days, report.amber_days) == (0, 1)
    assert 'class="pt amber"' in report.charts[0].svg


def test_entries_before_the_period_are_not_shown_and_a_future_entry_counts_as_now():
    """The week before the period is only history for the rules; an entry dated after now
    (a fast clock, an import) counts as now, as the check counts it, and is marked."""
    entries = numbered(
        [
            Entry(kind="temp", recorded_at=at(2, 8), celsius=39.0),  # before the period
            Entry(kind="temp", recorded_at=at(19, 8), celsius=36.9),
            Entry(kind="temp", recorded_at=NOW + timedelta(hours=1), celsius=39.5),  # a fast clock
        ]
    )
    report = build_report(entries, PLAN, NOW, date(2026, 6, 18))
    assert report.entries_count == 2
    assert report.red_days == 1 and [f.rule for f in report.findings[0].findings] == ["fever"]
    assert report.highest_temperature.startswith("39.5 °C")
    (future,) = [row for row in report.readings if row.value == "39.5 °C"]
    assert "counted as now" in future.when


def test_symptom_grid_keeps_the_worst_severity_per_day_and_free_text():
    entries = numbered(
        [
            Entry(kind="symptom", recorded_at=at(19, 8), symptom="cough", severity="mild"),
            Entry(kind="symptom", recorded_at=at(19, 20), symptom="cough", severity="severe"),
            Entry(kind="symptom", recorded_at=at(20, 9), symptom="cough", severity="moderate"),
            Entry(kind="symptom", recorded_at=at(20, 10), symptom="other", other="itchy feet"),
        ]
    )
    report = build_report(entries, PLAN, NOW, date(2026, 6, 19))
    assert report.grid_days == (("d18", "19 Jun"), ("d19", "20 Jun"), ("d20", "21 Jun"))
    rows = {row.name: row.cells for row in report.grid_rows}
    assert rows == {"cough": ("", "severe", "moderate"), "itchy feet (own words)": ("", "", "logged")}


def test_calls_notes_and_medicines_are_listed():
    entries = numbered(
        [
            Entry(kind="call", recorded_at=at(19, 9), outcome="come in for bloods", note="ward 5"),
            Entry(kind="med", recorded_at=at(19, 10), medicine="paracetamol"),
            Entry(kind="temp", recorded_at=at(20, 8), celsius=36.7, note="felt fine"),
        ]
    )
    report = build_report(entries, PLAN, NOW, date(2026, 6, 19))
    assert report.calls_count == 1
    assert [c.value for c in report.calls] == ["call to the team: come in for bloods"]
    assert [m.value for m in report.medicines] == ["medicine: paracetamol"]
    assert [n.note for n in report.notes] == ["ward 5", "felt fine"]


@pytest.mark.parametrize(
    ("entry", "chart_id", "text"),
    [
        (
            Entry(kind="bp", recorded_at=at(20, 8), systolic=118, diastolic=76, pulse=84),
            "bp",
            "systolic 118 mmHg",
        ),
        (
            Entry(kind="bp", recorded_at=at(20, 8), systolic=118, diastolic=76, pulse=84),
            "pulse",
            "pulse 84 /min",
        ),
        (Entry(kind="pulse", recorded_at=at(20, 8), pulse=92), "pulse", "pulse 92 /min"),
        (Entry(kind="spo2", recorded_at=at(20, 8), spo2=97), "spo2", "SpO2 97%"),
        (Entry(kind="fatigue", recorded_at=at(20, 8), score=4), "fatigue", "fatigue 4/10"),
        (Entry(kind="ice", recorded_at=at(20, 8), score=10), "ice", "ICE score 10/10"),
    ],
)
def test_each_kind_gets_its_chart_only_when_there_is_data(entry, chart_id, text):
    report = build_report(numbered([entry]), PLAN, NOW, date(2026, 6, 15))
    charts = {c.id: c for c in report.charts}
    assert chart_id in charts
    assert text in charts[chart_id].svg
    assert "temp" not in charts  # no temperature logged: no temperature chart


def test_ice_chart_has_the_ten_out_of_ten_line():
    report = build_report(numbered([Entry(kind="ice", recorded_at=at(20, 8), score=8)]), PLAN, NOW, INFUSION)
    assert "10/10 normal" in report.charts[0].svg


def test_fluids_are_summed_per_day():
    entries = numbered(
        [Entry(kind="fluids", recorded_at=at(20, h), litres=0.5) for h in (8, 12, 18)]
        + [Entry(kind="fluids", recorded_at=at(19, 8), litres=1.25)]
    )
    chart = build_report(entries, PLAN, NOW, date(2026, 6, 19)).charts[0]
    assert chart.id == "fluids"
    assert "fluids 1.5 L in total" in chart.svg
    assert "fluids 1.2 L in total" in chart.svg
    assert chart.svg.count('<rect class="bar') == 2


def test_temperature_chart_has_the_375_line_and_the_persons_threshold():
    entries = numbered([Entry(kind="temp", recorded_at=at(20, 8), celsius=36.9)])
    default = build_report(entries, PLAN, NOW, INFUSION).charts[0].svg
    assert "37.5 °C" in default and "38.0 °C fever" in default
    lower = build_report(entries, replace(PLAN, fever_threshold_c=37.8), NOW, INFUSION)
    assert "37.8 °C fever" in lower.charts[0].svg and "37.5 °C call" in lower.charts[0].svg
    assert lower.fever_threshold == "37.8 °C"


def test_milestones_in_the_period_are_marked_on_the_temperature_chart():
    entries = numbered([Entry(kind="temp", recorded_at=at(20, 8), celsius=36.9)])
    svg = build_report(entries, PLAN, NOW, INFUSION).charts[0].svg
    assert "<title>Infusion day</title>" in svg
    assert "First check-up" not in svg  # day 30, after the period
    report = build_report(entries, PLAN, NOW, INFUSION)
    assert any("First check-up" in m[2] for m in report.milestones)  # still in the table


def test_a_long_period_is_drawn_per_day():
    """Over DETAIL_DAYS days each day shows its lowest and highest value, with a table row."""
    now = datetime(2026, 12, 31, 22, 0, tzinfo=TZ)
    entries = numbered(
        [
            Entry(
                kind="temp",
                recorded_at=datetime(2026, 6, 1, 8, tzinfo=TZ) + timedelta(days=d, hours=h),
                celsius=c,
            )
            for d in range(200)
            for h, c in ((0, 36.5), (12, 37.0))
        ]
    )
    report = build_report(entries, PLAN, now, date(2026, 6, 1))
    assert report.days > DETAIL_DAYS and report.aggregated
    assert report.daily_columns == ("temperature",)
    assert len(report.daily_rows) == 200
    assert report.daily_rows[0] == ("Mon 1 Jun 2026, day 0", "36.5 °C to 37.0 °C", "")
    assert report.readings == ()  # the every-entry table is left out; the per-day table replaces it
    assert "highest temperature 37.0 °C" in report.charts[0].svg


def test_empty_period_renders():
    """No entries at all still makes a whole report that says so."""
    html = render_html(build_report([], PLAN, NOW, INFUSION))
    assert "No readings in this period." in html
    assert "No red or amber findings in this period." in html
    assert "not a medical device" in html


def test_user_text_is_escaped_in_the_html():
    """Notes, call outcomes, free-text symptoms and the hospital name are shown, never run."""
    attack = "<script>alert(1)</script><img src=x onerror=alert(2)>"
    entries = numbered(
        [
            Entry(kind="temp", recorded_at=at(20, 8), celsius=36.9, note=attack),
            Entry(kind="call", recorded_at=at(20, 9), outcome=attack),
            Entry(kind="symptom", recorded_at=at(20, 10), symptom="other", other=attack),
        ]
    )
    html = render_html(build_report(entries, replace(PLAN, hospital=attack), NOW, INFUSION))
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;" in html


def test_a_long_symptom_grid_keeps_only_the_days_with_a_symptom():
    """Past GRID_ALL_DAYS days the grid would not fit a page: it keeps the days with a symptom."""
    entries = numbered(
        [Entry(kind="symptom", recorded_at=at(d, 9), symptom="cough", severity="mild") for d in (3, 17)]
    )
    report = build_report(entries, PLAN, NOW, INFUSION)
    assert report.days > GRID_ALL_DAYS
    assert report.grid_days == (("d3", "4 Jun"), ("d17", "18 Jun"))
    assert report.grid_rows[0].cells == ("mild", "mild")
    assert "only the days with a symptom" in report.grid_note


def test_a_long_period_marks_each_end_of_a_day_by_its_own_reading():
    """A day with one fever: the top of its range is red, the bottom (36.6 °C) is not."""
    now = datetime(2026, 12, 31, 22, 0, tzinfo=TZ)
    entries = numbered(
        [Entry(kind="temp", recorded_at=datetime(2026, 12, 1, 8, tzinfo=TZ), celsius=36.6),
         Entry(kind="temp", recorded_at=datetime(2026, 12, 1, 20, tzinfo=TZ), celsius=38.6)]
    )  # fmt: skip
    svg_text = build_report(entries, PLAN, now, date(2026, 6, 1)).charts[0].svg
    assert svg_text.count('class="pt red"') == 1
    red = svg_text.index('class="pt red"')
    assert "highest temperature 38.6 °C" in svg_text[red : svg_text.index("</path>", red)]
