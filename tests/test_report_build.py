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
    assert rows == {"cough": ("", "severe", "moderate"), "itchy feet (read as: itching)": ("", "", "logged")}


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


# -- the report at the sizes people use (#21, item 5) ----------------------------------------


def test_a_low_systolic_marks_the_systolic_only_never_the_diastolic_read_with_it():
    """A reading is marked by a finding about that reading: the diastolic of a BP entry cited
    for its systolic stays an ordinary point, and so does its pulse."""
    entries = numbered([Entry(kind="bp", recorded_at=at(18, 9), systolic=85, diastolic=60, pulse=80)])
    report = build_report(entries, PLAN, NOW, INFUSION)
    bp = next(c for c in report.charts if c.id == "bp")
    assert bp.svg.count('class="pt red"') == 1
    assert "systolic 85 mmHg (red)" in bp.svg
    assert "diastolic 60 mmHg (" not in bp.svg
    pulse = next(c for c in report.charts if c.id == "pulse")
    assert 'class="pt red"' not in pulse.svg and 'class="pt amber"' not in pulse.svg


def test_a_fast_pulse_marks_the_pulse_not_the_blood_pressure():
    entries = numbered([Entry(kind="bp", recorded_at=at(18, 9), systolic=120, diastolic=80, pulse=135)])
    report = build_report(entries, PLAN, NOW, INFUSION)
    bp = next(c for c in report.charts if c.id == "bp")
    pulse = next(c for c in report.charts if c.id == "pulse")
    assert 'class="pt red"' not in bp.svg
    assert pulse.svg.count('class="pt red"') == 1


@pytest.mark.parametrize(
    ("days", "lines"),
    [
        ((10, 11, 12), 1),  # every day logged: one line
        ((10, 12), 2),  # day 11 has nothing: the line breaks
        ((10, 11, 14, 15, 18), 3),
    ],
)
def test_a_gap_of_days_breaks_the_line(days, lines):
    entries = numbered(
        [Entry(kind="temp", recorded_at=at(d, h), celsius=36.8) for d in days for h in (8, 20)]
    )
    temp = build_report(entries, PLAN, NOW, INFUSION).charts[0]
    assert temp.svg.count("<polyline") == lines


def test_the_summary_counts_emergency_red_and_amber_days_each():
    entries = numbered(
        [
            Entry(kind="symptom", recorded_at=at(12, 9), symptom="seizure"),
            Entry(kind="temp", recorded_at=at(14, 9), celsius=38.5),
            Entry(kind="temp", recorded_at=at(16, 9), celsius=37.6),
        ]
    )
    report = build_report(entries, PLAN, NOW, INFUSION)
    assert (report.emergency_days, report.red_days, report.amber_days) == (1, 1, 1)
    assert report.summary_json["emergency_days"] == 1
    assert "Days with an emergency" in render_html(report)


def test_the_fluids_chart_shows_the_2_to_3_litre_target():
    entries = numbered([Entry(kind="fluids", recorded_at=at(18, 9), litres=1.2)])
    fluids = next(c for c in build_report(entries, PLAN, NOW, INFUSION).charts if c.id == "fluids")
    assert "2 L aim" in fluids.svg and "3 L aim" in fluids.svg


def test_missed_doses_are_listed():
    from datetime import time

    from cart_cli.schedule import Medicine

    aciclovir = Medicine("aciclovir", (time(8), time(20)), created_at=at(17, 7), dose="400 mg")
    entries = numbered(
        [Entry(kind="med", recorded_at=at(d, 8, 5), medicine="aciclovir") for d in (17, 18, 19, 20)]
        + [Entry(kind="med", recorded_at=at(d, 20, 10), medicine="aciclovir") for d in (17, 19)]
    )
    report = build_report(entries, PLAN, NOW, INFUSION, medicines=[aciclovir])
    assert [(day, what) for _, day, what in report.missed_doses] == [("day 18", "aciclovir 400 mg")]
    assert report.missed_doses[0][0].endswith("20:00")  # day 20's 20:00 dose is not late yet
    assert "Missed doses" in render_html(report)


@pytest.mark.parametrize(("celsius", "shown"), [(37.0, "37.0 °C"), (37.96, "37.9 °C"), (38.04, "38.0 °C")])
def test_temperatures_have_one_decimal_never_rounded_up_onto_a_threshold(celsius, shown):
    entries = numbered([Entry(kind="temp", recorded_at=at(18, 9), celsius=celsius)])
    report = build_report(entries, PLAN, NOW, INFUSION)
    assert [row.value for row in report.readings] == [shown]
    assert report.highest_temperature.startswith(shown)


def test_milestone_labels_are_never_cut():
    """Every milestone label on the temperature chart is written whole (no "…"), and one
    near the right edge ends at its line instead of running off the chart."""
    entries = numbered([Entry(kind="temp", recorded_at=at(d, 8), celsius=36.8) for d in range(0, 21)])
    temp = build_report(entries, PLAN, NOW, INFUSION).charts[0]
    assert "…" not in temp.svg
    import re

    from cart_cli.report.svg import LABEL_CHAR_PX, WIDTH

    for x, anchor, label in re.findall(
        r'<text class="mlab" x="([\d.]+)" y="[\d.-]+"( text-anchor="end")?>([^<]*)<', temp.svg
    ):
        left = float(x) - (LABEL_CHAR_PX * len(label) if anchor else 0)
        assert left >= 0 and left + LABEL_CHAR_PX * len(label) <= WIDTH, label
