"""The one table of entry kinds (models.KIND_TABLE) drives the fields, the store's columns,
the labels and the descriptions; the typed readings never hand the rules a None."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from cart_cli import models
from cart_cli.models import KIND_TABLE, Entry
from cart_cli.store import ENTRY_COLUMNS, Store

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=ZoneInfo("Europe/London"))

# One entry of each kind with every field set (the values the describe table shows).
FULL = {
    "temp": ({"celsius": 38.25, "site": "ear"}, "38.25 °C (ear)"),
    "symptom": ({"symptom": "cough", "severity": "severe"}, "cough (severe)"),
    "fatigue": ({"score": 7}, "fatigue 7/10"),
    "bp": ({"systolic": 118, "diastolic": 76, "pulse": 88}, "BP 118/76, pulse 88"),
    "fluids": ({"litres": 1.5}, "1.5 L fluids"),
    "spo2": ({"spo2": 93}, "SpO2 93%"),
    "pulse": ({"pulse": 104}, "pulse 104"),
    "call": ({"outcome": "come in"}, "call to the team: come in"),
    "med": ({"medicine": "paracetamol"}, "medicine: paracetamol"),
    "ice": ({"score": 9, "items": "orientation=4"}, "ICE score 9/10"),
    "handwriting": ({"handwriting": "changed"}, "handwriting changed"),
    "breaths": ({"breaths": 22}, "breathing 22 a minute"),
    "bloods": (
        {"neutrophils": 0.4, "crp": 85.0, "platelets": 30.0, "hb": 95.0},
        "bloods: neutrophils 0.4 x10^9/L, CRP 85 mg/L, platelets 30 x10^9/L, Hb 95 g/L",
    ),
}


def test_every_kind_is_in_the_table_once_and_the_derived_names_agree():
    """KINDS, KIND_FIELDS and KIND_LABELS are read from the one table, for every kind."""
    assert set(FULL) == set(KIND_TABLE) == set(models.KINDS) == set(models.KIND_LABELS)
    for name, kind in KIND_TABLE.items():
        assert models.KIND_FIELDS[name] == tuple(field.name for field in kind.fields)
        assert models.KIND_LABELS[name] == kind.label and kind.label


def test_the_store_has_a_column_for_every_value_field_of_every_kind(db_path):
    """The store's columns come from the table, and the real schema has each of them."""
    with Store.open(db_path, now=NOW):
        pass
    schema = {row[1] for row in sqlite3.connect(db_path).execute("PRAGMA table_info(entries)")}
    for kind in KIND_TABLE.values():
        for field in kind.fields:
            assert field.name in ENTRY_COLUMNS and field.name in schema, (kind.name, field.name)


@pytest.mark.parametrize("kind", sorted(FULL))
def test_each_kind_round_trips_through_the_store_with_its_declared_types(kind, db_path):
    """An entry of each kind is stored and read back equal, each value of its declared type,
    and described by the table's function."""
    values, described = FULL[kind]
    with Store.open(db_path, now=NOW) as store:
        (stored,) = store.add([Entry(kind, NOW, **values)], NOW)
        (read,) = store.entries()
    assert read == stored and read.describe() == described
    for field in KIND_TABLE[kind].fields:
        value = getattr(read, field.name)
        if field.required or value is not None:
            assert type(value) is field.type, (kind, field.name, value)


def test_readings_keep_only_entries_that_have_the_number():
    """The typed readings the rules compare skip an entry without its number, never a None."""
    entries = [
        Entry("temp", NOW, celsius=38.0),
        Entry("temp", NOW),
        Entry("bp", NOW, systolic=90, diastolic=60),
        Entry("bp", NOW, systolic=120, diastolic=80, pulse=101),
        Entry("pulse", NOW, pulse=95),
        Entry("spo2", NOW, spo2=92),
        Entry("fatigue", NOW, score=8),
        Entry("ice", NOW, score=9),
    ]
    assert [r.value for r in models.temperatures(entries)] == [38.0]
    assert [r.value for r in models.systolic_readings(entries)] == [90, 120]
    assert [r.value for r in models.pulse_readings(entries)] == [101, 95]
    assert [r.value for r in models.spo2_readings(entries)] == [92]
    assert [r.value for r in models.scores(entries, "fatigue")] == [8]
    assert [(r.entry.kind, r.value) for r in models.scores(entries, "ice")] == [("ice", 9)]


def test_the_history_view_shows_the_tables_labels():
    """`cart history` labels each kind as the table says (no second list can drift)."""
    from cart_cli.render import history

    assert history.KIND_LABELS == models.KIND_LABELS
