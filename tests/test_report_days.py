"""A long report graded on the entries that can decide a finding (``report.days``) is the same
report as one graded on every entry: the same level for every day, the same findings, the same
charts, lists and numbers, to the byte.

The periods are generated (seeded, so a failure can be replayed): days with no entries, a few,
or dozens; every kind of entry; readings at and next to every threshold of the rule table
(docs/clinical-basis.md section 3); the combinations (a fever or shivering with a high-risk
sign, chest pain with breathlessness, trouble breathing with a rash); fever medicines before a
temperature, paracetamol doses close together, fatigue that rises, ICE scores, handwriting;
entries at midnight, several in the same second, and entries dated after now.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import datetime, time, timedelta
from pathlib import Path

import pytest

from cart_cli.models import Entry, Plan
from cart_cli.periods import report_entries, report_facts
from cart_cli.report import render_html
from cart_cli.report.build import DETAIL_DAYS, build_report
from cart_cli.report.days import period_entries
from cart_cli.store import Store
from cart_cli.timefmt import LOCAL
from cart_cli.verdict import verdict_for

NOW = datetime(2026, 11, 20, 15, 30, 12, tzinfo=LOCAL)
DAYS = DETAIL_DAYS + 10  # long enough to be a per-day report

# Values at and next to each threshold (thresholds.py), and ordinary ones.
CELSIUS = (34.9, 35.0, 35.1, 35.9, 36.0, 36.1, 36.8, 37.0, 37.4, 37.5, 37.6, 37.7, 37.9, 38.0, 38.1, 39.4)
SYSTOLIC = (85, 90, 91, 100, 101, 118, 135)
PULSE = (None, 55, 80, 90, 91, 129, 130, 131)
SPO2 = (88, 92, 93, 94, 95, 99)
BREATHS = (6, 8, 9, 11, 12, 16, 20, 21, 24, 25)
SYMPTOMS = (
    "headache", "cough", "diarrhoea", "shivering", "tremor", "nausea", "chest pain", "breathlessness",
    "rash", "wheezing", "confusion", "feeling feverish", "no urine", "bruising", "vomiting", "hives",
    "sore throat",
)  # fmt: skip
OWN_WORDS = ("no fever today", "cant catch my breath", "feel a bit off", "lips look blue", "zzqx")
MEDICINES = ("paracetamol 1g", "paracetamol", "ibuprofen 400mg", "vitamin d", "co-codamol")
# How many entries a day: often none or a few, sometimes dozens (a dense logger, an import).
PER_DAY = (0, 0, 1, 2, 3, 5, 8, 30)
# A day is mostly ordinary readings, as real logging is; the rest is every other kind.
READINGS = ("temp",) * 6 + ("bp",) * 3 + ("pulse", "spo2", "breaths", "fluids") + ("fatigue",) * 2
OTHERS = ("symptom", "symptom", "own words", "med", "call", "ice", "handwriting", "bloods")


def an_entry(rng: random.Random, at: datetime) -> Entry:
    kind = rng.choice(READINGS) if rng.random() < 0.8 else rng.choice(OTHERS)
    note = rng.choice((None, None, None, None, "", "after a walk"))
    if kind == "temp":
        site = rng.choice((None, None, "armpit", "mouth"))
        return Entry(kind="temp", recorded_at=at, celsius=rng.choice(CELSIUS), site=site, note=note)
    if kind == "bp":
        return Entry(
            kind="bp",
            recorded_at=at,
            systolic=rng.choice(SYSTOLIC),
            diastolic=rng.choice((55, 70, 85)),
            pulse=rng.choice(PULSE),
            note=note,
        )
    if kind == "pulse":
        return Entry(kind="pulse", recorded_at=at, pulse=rng.choice(PULSE[1:]), note=note)
    if kind == "spo2":
        return Entry(kind="spo2", recorded_at=at, spo2=rng.choice(SPO2), note=note)
    if kind == "breaths":
        return Entry(kind="breaths", recorded_at=at, breaths=rng.choice(BREATHS), note=note)
    if kind == "fluids":
        return Entry(kind="fluids", recorded_at=at, litres=rng.choice((0.1, 0.2, 0.25, 0.3, 1.1)), note=note)
    if kind == "fatigue":
        return Entry(kind="fatigue", recorded_at=at, score=rng.randint(0, 10), note=note)
    if kind == "symptom":
        severity = rng.choice((None, "mild", "moderate", "severe"))
        return Entry(
            kind="symptom", recorded_at=at, symptom=rng.choice(SYMPTOMS), severity=severity, note=note
        )
    if kind == "own words":
        return Entry(kind="symptom", recorded_at=at, symptom="other", other=rng.choice(OWN_WORDS), note=note)
    if kind == "med":
        return Entry(kind="med", recorded_at=at, medicine=rng.choice(MEDICINES), note=note)
    if kind == "call":
        return Entry(kind="call", recorded_at=at, outcome=rng.choice((None, "stay home")), note=note)
    if kind == "ice":
        return Entry(kind="ice", recorded_at=at, score=rng.randint(6, 10), note=note)
    if kind == "handwriting":
        return Entry(
            kind="handwriting", recorded_at=at, handwriting=rng.choice(("same", "changed")), note=note
        )
    return Entry(
        kind="bloods", recorded_at=at, neutrophils=rng.choice((0.3, 1.2, 4.0)), crp=rng.choice((None, 80.0))
    )


def a_period(rng: random.Random) -> list[Entry]:
    """Entries for the report's days and the week before them, and a few dated after now."""
    entries = []
    first = NOW.date() - timedelta(days=DAYS + 7)
    for offset in range(DAYS + 8):
        day = first + timedelta(days=offset)
        for _ in range(rng.choice(PER_DAY)):
            clock = rng.choice(
                (time(0, 0, 0), time(23, 59, 59), time(12, 0, 0))
                + (time(rng.randint(0, 23), rng.randint(0, 59), rng.randint(0, 59)),) * 5
            )
            at = datetime.combine(day, clock, tzinfo=LOCAL)
            entries.append(an_entry(rng, at))
            if rng.random() < 0.1:  # another entry in the same second
                entries.append(an_entry(rng, at))
    for _ in range(rng.choice((0, 0, 1, 3))):  # a fast clock elsewhere: counted as now
        entries.append(an_entry(rng, NOW + timedelta(minutes=rng.randint(1, 600))))
    return entries


SEEDS = range(8)


@pytest.fixture(scope="module")
def compared(tmp_path_factory) -> dict[int, tuple[str, str, object, object]]:
    """The two reports of each seed's period, made once for the tests below."""
    folder = tmp_path_factory.mktemp("periods")
    return {seed: reports(folder / f"{seed}.db", seed) for seed in SEEDS}


def reports(path: Path, seed: int) -> tuple[str, str, object, object]:
    rng = random.Random(seed)
    threshold = rng.choice((38.0, 38.0, 37.5, 37.8, 37.0))
    infusion = NOW.date() - timedelta(days=rng.choice((20, 60, 150)))
    plan = Plan(infusion_date=infusion, hospital="Ward 5", phone="01632 960 111", fever_threshold_c=threshold)
    start = NOW.date() - timedelta(days=DAYS - 1)
    with Store.open(path, now=NOW) as store:
        store.save_plan(plan, NOW)
        store.add(a_period(rng), NOW)
        stored_plan = store.plan()
        assert stored_plan is not None
        verdict = verdict_for(store, stored_plan, NOW)
        full = build_report(report_entries(store, start, NOW), stored_plan, NOW, start, verdict)
        entries, facts = period_entries(store, stored_plan, start, NOW)
        reduced = build_report(entries, stored_plan, NOW, start, verdict, facts=facts)
        assert len(entries) <= len(report_entries(store, start, NOW))
    return render_html(full), render_html(reduced), full, reduced


@pytest.mark.parametrize("seed", SEEDS)
def test_a_long_report_on_the_deciding_entries_is_the_report_on_all_entries(compared, seed):
    """Every day has the same level (never lower, never higher), and the whole page is the same."""
    full_html, reduced_html, full, reduced = compared[seed]
    assert full.aggregated  # type: ignore[attr-defined]
    levels = {d.day: d.level for d in full.findings}  # type: ignore[attr-defined]
    assert {d.day: d.level for d in reduced.findings} == levels  # type: ignore[attr-defined]
    assert reduced == full
    assert reduced_html == full_html


def test_the_generated_periods_reach_every_level_and_the_combinations(compared):
    """The comparison above means something: the generated days include emergencies, red and
    amber days, the combination rules and two-ambers-make-red, and days left with no entry once
    the ordinary readings are left out."""
    rules: set[str] = set()
    levels: set[str] = set()
    for _, _, full, _ in compared.values():
        for day in full.findings:  # type: ignore[attr-defined]
            levels.add(day.level)
            rules |= {f.rule for f in day.findings}
    assert levels == {"emergency", "red", "amber"}
    for rule in (
        "possible-sepsis",
        "several-amber-signs",
        "chest-pain-with-breathlessness",
        "allergy-with-breathing",
        "raised-temperature",
        "low-temperature",
        "raised-pulse",
        "borderline-blood-pressure",
        "borderline-oxygen",
        "slow-breathing-rate",
        "rising-fatigue",
        "fever-medicine",
        "too-much-paracetamol",
    ):
        assert rule in rules, rule


def test_ordinary_readings_are_left_out_and_each_days_latest_temperature_kept(tmp_path):
    """What the rules get: not the ordinary readings, but each day's latest temperature (the
    re-check depends on it) and every reading outside the ordinary band."""
    day = NOW.date() - timedelta(days=3)
    at = lambda hour: datetime.combine(day, time(hour), tzinfo=LOCAL)  # noqa: E731
    with Store.open(tmp_path / "cart.db", now=NOW) as store:
        store.save_plan(Plan(infusion_date=NOW.date() - timedelta(days=30)), NOW)
        stored = store.add(
            [
                Entry(kind="temp", recorded_at=at(8), celsius=36.6),  # ordinary: left out
                Entry(kind="temp", recorded_at=at(9), celsius=37.5),  # raised: kept
                Entry(kind="bp", recorded_at=at(10), systolic=120, diastolic=80, pulse=91),  # kept
                Entry(kind="bp", recorded_at=at(11), systolic=120, diastolic=80, pulse=90),  # out
                Entry(kind="temp", recorded_at=at(20), celsius=36.7),  # the day's latest: kept
            ],
            NOW,
        )
        plan = store.plan()
        assert plan is not None
        entries, facts = period_entries(store, plan, NOW.date() - timedelta(days=DAYS - 1), NOW)
    assert [e.id for e in entries] == [stored[1].id, stored[2].id, stored[4].id]
    assert facts.count == 5 and facts.logged == frozenset({day})
    temps = facts.fields[("temp", "celsius", day)]
    assert (temps.lowest, temps.highest) == (36.6, 37.5)


@pytest.mark.parametrize(("days", "reduced"), [(DETAIL_DAYS, False), (DETAIL_DAYS + 1, True)])
def test_only_a_per_day_report_reads_the_deciding_entries(tmp_path, days, reduced):
    """Up to DETAIL_DAYS days the report shows every entry, so it reads every entry."""
    with Store.open(tmp_path / "cart.db", now=NOW) as store:
        store.save_plan(Plan(infusion_date=NOW.date() - timedelta(days=30)), NOW)
        store.add([Entry(kind="temp", recorded_at=NOW - timedelta(hours=2), celsius=36.6)], NOW)
        plan = store.plan()
        assert plan is not None
        _, facts = report_facts(store, plan, NOW.date() - timedelta(days=days - 1), NOW)
    assert (facts is not None) == reduced


def test_same_report_whatever_order_the_rows_were_stored_in(tmp_path):
    """Ties (entries in the same second) are broken by id in both paths alike."""
    rng = random.Random(7)
    at = datetime.combine(NOW.date() - timedelta(days=5), time(9), tzinfo=LOCAL)
    entries = [replace(an_entry(rng, at), note=None) for _ in range(12)]
    with Store.open(tmp_path / "cart.db", now=NOW) as store:
        store.save_plan(Plan(infusion_date=NOW.date() - timedelta(days=30)), NOW)
        store.add(entries[::-1], NOW)
        plan = store.plan()
        assert plan is not None
        start = NOW.date() - timedelta(days=DAYS - 1)
        verdict = verdict_for(store, plan, NOW)
        full = build_report(report_entries(store, start, NOW), plan, NOW, start, verdict)
        kept, facts = period_entries(store, plan, start, NOW)
        assert build_report(kept, plan, NOW, start, verdict, facts=facts) == full


@pytest.mark.parametrize("name", ["America/New_York", "Australia/Lord_Howe", "Asia/Kolkata"])
def test_the_same_report_in_other_time_zones(tmp_path, zone, name):
    """Day boundaries are local midnights: across a clock change (New York in November, Lord
    Howe's half-hour change in October) and at a half-hour offset the pages are the same."""
    zone(name)
    full_html, reduced_html, _, _ = reports(tmp_path / "cart.db", len(name))
    assert reduced_html == full_html


def test_every_query_of_a_per_day_report_uses_an_index(tmp_path):
    """No query reads the whole entries table or sorts it (the benchmark checks the same on a
    million entries)."""
    with Store.open(tmp_path / "cart.db", now=NOW) as store:
        store.save_plan(Plan(infusion_date=NOW.date() - timedelta(days=30)), NOW)
        store.add(a_period(random.Random(3)), NOW)
        plan = store.plan()
        assert plan is not None
        captured: list[str] = []
        store.conn.set_trace_callback(captured.append)
        period_entries(store, plan, NOW.date() - timedelta(days=DAYS - 1), NOW)
        store.conn.set_trace_callback(None)
        selects = [sql for sql in captured if sql.lstrip().upper().startswith("SELECT")]
        assert len(selects) > DAYS  # the per-day queries were captured
        for sql in set(selects):
            plan_lines = [row[3] for row in store.conn.execute(f"EXPLAIN QUERY PLAN {sql}")]
            assert all("USING" in line and "TEMP B-TREE" not in line for line in plan_lines), (
                sql,
                plan_lines,
            )
