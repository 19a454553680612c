"""Backup, export and import: shapes, zeros, streaming, round trips, and refusing bad files whole.

Expected values come from the issue's specification (column order, JSON shape, counts) and
from the ranges `cart log` accepts (parsing.py): a file may hold nothing a person could not type.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import sqlite3
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from cart_cli import export_rows, exporters, files, transfer
from cart_cli.errors import InvalidInput, StoreError
from cart_cli.models import MAX_NOTE_CHARS, MAX_OTHER_CHARS, Entry, Plan, entry_to_dict, plan_to_dict
from cart_cli.store import Store

LONDON = ZoneInfo("Europe/London")  # the suite's TZ (conftest)
NOW = datetime(2026, 11, 27, 14, 25, 1, tzinfo=LONDON)
PLAN = Plan(infusion_date=NOW.date() - timedelta(days=24), hospital="St Elsewhere", phone="01234 567890")
# The columns the issue asks for, in its order.
SPEC_CSV_HEADER = [
    "id", "uid", "kind", "recorded_at", "celsius", "symptom", "severity", "other", "answers",
    "score", "systolic", "diastolic", "pulse", "litres", "spo2", "outcome", "recheck_minutes", "medicine",
    "items", "handwriting", "breaths", "note", "local_time", "day",
    "site", "neutrophils", "crp", "platelets", "hb", "corrected_at", "was",  # issue 22, after the rest
]  # fmt: skip


def sample_entries() -> list[Entry]:
    """One entry of every kind, zeros included, a summer time (BST) and awkward notes."""
    at = NOW - timedelta(hours=1)
    return [
        Entry(kind="temp", recorded_at=at, celsius=38.2, note='felt hot, "shivery"'),
        Entry(kind="fatigue", recorded_at=at - timedelta(hours=1), score=0),
        Entry(kind="symptom", recorded_at=at, symptom="cough", severity="mild"),
        Entry(kind="symptom", recorded_at=at, symptom="other", other="sore toe", note="line one\nline two"),
        Entry(kind="bp", recorded_at=at, systolic=118, diastolic=76),
        Entry(kind="bp", recorded_at=at, systolic=95, diastolic=60, pulse=104),
        Entry(kind="fluids", recorded_at=datetime(2026, 7, 1, 9, 30, tzinfo=LONDON), litres=1.5, note="café"),
    ]


@pytest.fixture
def store(tmp_path) -> Store:
    with Store.open(tmp_path / "cart.db", now=NOW) as opened:
        yield opened


@pytest.fixture
def filled(store) -> Store:
    store.save_plan(PLAN, NOW)
    store.add(sample_entries(), NOW)
    return store


def json_text(store: Store, now: datetime = NOW) -> str:
    out = io.StringIO()
    exporters.export_json(store, out, now)
    return out.getvalue()


def csv_rows(store: Store) -> list[dict]:
    out = io.StringIO()
    exporters.export_csv(store, out)
    return list(csv.DictReader(io.StringIO(out.getvalue(), newline="")))


def write_export(path: Path, data: dict) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


# -- JSON export -------------------------------------------------------------------------


def test_json_export_has_the_documented_shape(filled):
    """The export is {"format", "version", "exported_at", "plan", "appointments", "medicines",
    "entries"}, entries oldest first."""
    data = json.loads(json_text(filled))
    oldest_first = filled.entries(newest_first=False)
    assert list(data) == ["format", "version", "exported_at", "plan", "appointments", "medicines", "entries"]
    assert data["format"] == "cart-export" and data["version"] == 2
    assert datetime.fromisoformat(data["exported_at"]) == NOW
    person_id = data["plan"]["person_id"]
    assert len(person_id) == 32 and int(person_id, 16) >= 0  # made when the plan was saved
    assert data["plan"] == plan_to_dict(PLAN) | {"person_id": person_id}
    assert data["entries"] == [entry_to_dict(entry) for entry in oldest_first]
    times = [datetime.fromisoformat(item["recorded_at"]) for item in data["entries"]]
    assert times == sorted(times)


def test_json_export_of_an_empty_database_is_valid_with_no_plan(store):
    """With nothing stored, the export still parses: plan null, entries empty."""
    data = json.loads(json_text(store))
    assert data["plan"] is None and data["entries"] == []


def test_json_export_keeps_zero_as_zero(store):
    """Fatigue 0 is exported as the number 0, not null or empty."""
    store.add([Entry(kind="fatigue", recorded_at=NOW, score=0)], NOW)
    (item,) = json.loads(json_text(store))["entries"]
    assert item["score"] == 0 and item["score"] is not None


def test_export_streams_rows_instead_of_building_a_list(filled, monkeypatch):
    """Export reads rows through iter_entries, never the list-building entries()."""

    def no_lists(*args, **kwargs):
        raise AssertionError("export must not build the full list of entries")

    monkeypatch.setattr(Store, "entries", no_lists)
    assert json.loads(json_text(filled))["entries"]
    assert csv_rows(filled)


@pytest.mark.slow  # 100,000 entries under tracemalloc: CI runs it (pytest -m slow)
def test_export_memory_does_not_grow_with_the_number_of_entries(tmp_path):
    """Peak Python memory while exporting 100,000 entries stays far below what holding them would take."""
    import tracemalloc

    with Store.open(tmp_path / "big.db", now=NOW) as big:
        rows = (
            (f"{n:032x}", "temp", "2026-11-01T00:00:00+00:00", "2026-11-01T00:00:00+00:00", 37.0)
            for n in range(100_000)
        )
        with big.conn:
            big.conn.execute("BEGIN")
            big.conn.executemany(
                "INSERT INTO entries (uid, kind, recorded_at, logged_at, celsius) VALUES (?, ?, ?, ?, ?)",
                rows,
            )
        for write in (
            lambda out: exporters.export_json(big, out, NOW),
            lambda out: exporters.export_csv(big, out),
        ):
            with open(tmp_path / "out", "w", encoding="utf-8") as out:
                tracemalloc.start()
                count = write(out)
                _, peak = tracemalloc.get_traced_memory()
                tracemalloc.stop()
            assert count == 100_000
            # 100,000 entries held at once would take tens of MB (an Entry alone is ~200 bytes).
            assert peak < 5_000_000


# -- CSV export --------------------------------------------------------------------------


def test_csv_header_is_the_specified_columns(filled):
    """The header row is id, uid, kind, recorded_at, every value column, note."""
    out = io.StringIO()
    exporters.export_csv(filled, out)
    assert next(csv.reader(io.StringIO(out.getvalue(), newline=""))) == SPEC_CSV_HEADER


def test_csv_has_one_row_per_entry_with_values_and_blanks(filled):
    """Each row holds its entry's values; columns another kind uses are empty; zero is "0"."""
    rows = csv_rows(filled)
    stored = filled.entries(newest_first=False)
    assert len(rows) == len(stored)
    for row, entry in zip(rows, stored, strict=True):
        assert row["uid"] == entry.uid and row["kind"] == entry.kind and row["id"] == str(entry.id)
        for column in (c for c in SPEC_CSV_HEADER[4:] if c not in ("local_time", "day")):
            value = getattr(entry, column)
            assert row[column] == ("" if value is None else str(value))
    fatigue = next(row for row in rows if row["kind"] == "fatigue")
    assert fatigue["score"] == "0"


def test_csv_local_time_and_day_since_infusion(filled):
    """local_time is the London wall-clock time a spreadsheet reads as a date; day counts from
    the infusion date (day 0) by the local calendar date."""
    for row, entry in zip(csv_rows(filled), filled.entries(newest_first=False), strict=True):
        local = entry.recorded_at.astimezone(LONDON)
        assert row["local_time"] == f"{local:%Y-%m-%d %H:%M:%S}"
        assert row["day"] == str((local.date() - PLAN.infusion_date).days)
    summer = next(row for row in csv_rows(filled) if row["kind"] == "fluids")
    assert summer["local_time"] == "2026-07-01 09:30:00"  # BST, not the UTC 08:30
    assert summer["day"] == str((datetime(2026, 7, 1).date() - PLAN.infusion_date).days)


def test_csv_day_is_empty_without_a_plan(store):
    """No plan, no infusion date: the day column is left empty rather than guessed."""
    store.add([Entry(kind="temp", recorded_at=NOW, celsius=37.0)], NOW)
    assert [row["day"] for row in csv_rows(store)] == [""]


def test_excel_csv_starts_with_a_utf8_bom_and_keeps_accents(filled):
    """--excel: the file starts with the UTF-8 byte order mark; the rest is the same CSV."""
    plain, excel = io.StringIO(), io.StringIO()
    exporters.export_csv(filled, plain)
    exporters.export_csv(filled, excel, excel=True)
    assert excel.getvalue() == "\ufeff" + plain.getvalue()
    assert "\ufeff" not in plain.getvalue()
    encoded = excel.getvalue().encode("utf-8")
    assert encoded.startswith(b"\xef\xbb\xbf") and "café".encode() in encoded


def test_csv_times_are_local_iso_with_the_offset_of_that_date(filled):
    """recorded_at is ISO 8601 in local time: +01:00 in a London summer, +00:00 in winter."""
    rows = csv_rows(filled)
    offsets = {}
    for row in rows:
        moment = datetime.fromisoformat(row["recorded_at"])
        assert moment.utcoffset() == moment.astimezone(LONDON).utcoffset()
        offsets[moment.month] = row["recorded_at"][-6:]
    assert offsets == {7: "+01:00", 11: "+00:00"}


def test_csv_keeps_commas_quotes_newlines_and_accents_in_notes(filled):
    """Notes come back exactly from a CSV reader, however awkward their text."""
    notes = {row["note"] for row in csv_rows(filled)} - {""}
    assert notes == {'felt hot, "shivery"', "line one\nline two", "café"}


@pytest.mark.parametrize(
    ("note", "cell"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1 shivering", "'+1 shivering"),
        ("-2 better", "'-2 better"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("slept badly", "slept badly"),
    ],
)
def test_csv_text_a_spreadsheet_would_run_is_shown_as_text(tmp_path, note, cell):
    """A note starting with = + - or @ gets a leading apostrophe in the CSV; others are as typed."""
    with Store.open(tmp_path / "cart.db", now=NOW) as store:
        store.add([Entry(kind="fatigue", recorded_at=NOW, score=5, note=note)], NOW)
        (row,) = csv_rows(store)
    assert row["note"] == cell
    assert row["score"] == "5"


# -- output files ------------------------------------------------------------------------


def test_private_output_refuses_an_existing_file_without_force(tmp_path):
    """An existing file is left untouched unless force is given."""
    target = tmp_path / "export.json"
    target.write_text("keep me")
    refused = pytest.raises(InvalidInput, match=r"already exists.*--force")
    with refused, files.private_output(target) as out:
        out.write("new")
    assert target.read_text() == "keep me"
    with files.private_output(target, force=True) as out:
        out.write("new")
    assert target.read_text() == "new"


def test_a_failed_export_leaves_no_file_behind(filled, tmp_path, monkeypatch):
    """If writing stops half-way, neither the target nor a partial file is left."""

    def broken():
        raise OSError("disk full")

    monkeypatch.setattr(export_rows, "json_sql", broken)  # after the first lines are written
    target = tmp_path / "out" / "export.json"
    target.parent.mkdir()
    with pytest.raises(StoreError, match="nothing was written"), files.private_output(target) as out:
        exporters.export_json(filled, out, NOW)
    assert list(target.parent.iterdir()) == []


@pytest.mark.parametrize("suffix", ["", "-wal", "-shm"])
def test_output_never_replaces_the_database(filled, suffix):
    """Even with force, an export or backup cannot be written over the database or its WAL files."""
    target = filled.path.with_name(filled.path.name + suffix)
    with pytest.raises(InvalidInput, match="database itself"):
        files.private_output(target, force=True, database=filled.path).__enter__()
    with pytest.raises(InvalidInput, match="database itself"):
        transfer.backup(filled, target, NOW, force=True)
    assert filled.count() == len(sample_entries())


# -- backup ------------------------------------------------------------------------------


def test_backup_by_default_is_a_timestamped_file_beside_the_database(filled):
    """No path: cart-backup-YYYYMMDD-HHMMSS.db next to the database, holding every entry."""
    result = transfer.backup(filled, None, NOW)
    assert result.path == filled.path.parent / "cart-backup-20261127-142501.db"
    assert result.entries == len(sample_entries())
    copy = sqlite3.connect(result.path)
    try:
        uids = {row[0] for row in copy.execute("SELECT uid FROM entries")}
    finally:
        copy.close()
    assert uids == {entry.uid for entry in filled.entries()}


def test_backup_in_the_same_second_gets_a_new_name_not_an_overwrite(filled):
    """A second default backup within the same second is numbered, leaving the first intact."""
    first = transfer.backup(filled, None, NOW).path
    second = transfer.backup(filled, None, NOW).path
    assert first != second and second.name == "cart-backup-20261127-142501-2.db"


def test_backup_into_a_folder_uses_the_default_name_there(filled, tmp_path):
    """A folder as the target gets the timestamped file inside it."""
    folder = tmp_path / "usb"
    folder.mkdir()
    assert transfer.backup(filled, folder, NOW).path == folder / "cart-backup-20261127-142501.db"


def test_backup_refuses_an_existing_file_unless_forced(filled, tmp_path):
    """A named file that exists is kept unless force; with force it becomes the backup."""
    target = tmp_path / "copy.db"
    target.write_bytes(b"old")
    with pytest.raises(InvalidInput, match="already exists"):
        transfer.backup(filled, target, NOW)
    assert target.read_bytes() == b"old"
    assert transfer.backup(filled, target, NOW, force=True).entries == len(sample_entries())


# -- import ------------------------------------------------------------------------------


def exported(store: Store, tmp_path: Path, name: str = "export.json") -> Path:
    path = tmp_path / name
    with files.private_output(path, force=True) as out:
        exporters.export_json(store, out, NOW)
    return path


def test_round_trip_export_import_export_keeps_everything_but_the_ids(tmp_path):
    """Export, import into an empty database, export again: the same plan and entries, in
    the same order, byte for byte once the ids (given by each database) are set aside."""
    with Store.open(tmp_path / "first.db", now=NOW) as first:
        first.save_plan(PLAN, NOW)
        stored = first.add(sample_entries(), NOW)
        first.delete(stored[2])  # a gap in the ids, and ids out of time order (fatigue is oldest)
        first_file = exported(first, tmp_path, "first.json")
    with Store.open(tmp_path / "second.db", now=NOW) as second:
        transfer.import_entries(second, first_file, NOW)
        second_file = exported(second, tmp_path, "second.json")

    def without_ids(path: Path) -> str:
        return re.sub(r'"id": ?[0-9]+, ?', "", path.read_text())

    assert without_ids(first_file) == without_ids(second_file)
    second_ids = [item["id"] for item in json.loads(second_file.read_text())["entries"]]
    assert second_ids == list(range(1, len(second_ids) + 1))  # numbered here, oldest first


@pytest.mark.parametrize("huge", [2**63 - 1, 2**63, 10**30])
def test_imported_ids_are_ignored_so_huge_ones_neither_crash_nor_move_later_ids(tmp_path, huge):
    """An id in a file, however large, is not kept: this database numbers the entries, so
    the next entry logged gets the next small id and `undo` takes back that one."""
    data = good_file()
    data["entries"] = data["entries"][:2]
    data["entries"][0]["id"] = huge
    path = tmp_path / "huge.json"
    path.write_text(json.dumps(data))
    with Store.open(tmp_path / "cart.db", now=NOW) as store:
        transfer.import_entries(store, path, NOW)
        assert sorted(entry.id for entry in store.entries()) == [1, 2]
        (mine,) = store.add([Entry(kind="temp", recorded_at=NOW, celsius=36.9)], NOW)
        assert mine.id == 3
        assert store.last_logged() == mine


def test_import_twice_adds_nothing_the_second_time(filled, tmp_path):
    """Entries are matched on uid: a second import of the same file reports all already present."""
    path = exported(filled, tmp_path)
    count = len(sample_entries())
    with Store.open(tmp_path / "other.db", now=NOW) as other:
        first = transfer.import_entries(other, path, NOW)
        second = transfer.import_entries(other, path, NOW)
        assert (first.added, first.already_present) == (count, 0)
        assert (second.added, second.already_present) == (0, count)
        assert other.count() == count


def test_import_into_a_database_with_entries_adds_only_the_missing_ones(filled, tmp_path):
    """Existing entries stay; new ones get fresh ids that do not collide with stored ones."""
    path = exported(filled, tmp_path)
    with Store.open(tmp_path / "other.db", now=NOW) as other:
        (own,) = other.add([Entry(kind="temp", recorded_at=NOW, celsius=36.9)], NOW)
        half = json.loads(path.read_text())
        result = transfer.import_entries(other, path, NOW)
        assert result.added == len(half["entries"])
        assert other.get(own.id).celsius == 36.9
        assert other.count() == len(half["entries"]) + 1
        assert {e.uid for e in other.entries()} == {item["uid"] for item in half["entries"]} | {own.uid}


@pytest.mark.parametrize(
    ("saved", "in_file", "replace_plan", "expected_result", "expected_plan"),
    [
        (None, PLAN, False, "added", PLAN),
        (PLAN, PLAN, False, "same", PLAN),
        (replace(PLAN, phone="999 111"), PLAN, False, "kept", replace(PLAN, phone="999 111")),
        (replace(PLAN, phone="999 111"), PLAN, True, "replaced", PLAN),
        (PLAN, None, True, "none", PLAN),
        (None, None, False, "none", None),
    ],
)
def test_import_plan_is_added_kept_or_replaced(
    store, tmp_path, saved, in_file, replace_plan, expected_result, expected_plan
):
    """A plan is imported only into a database without one, unless replace_plan is asked."""
    if saved is not None:
        store.save_plan(saved, NOW)
    data = {"format": "cart-export", "version": 1, "entries": []}
    data["plan"] = None if in_file is None else plan_to_dict(in_file)
    path = write_export(tmp_path / "plan.json", data)
    result = transfer.import_entries(store, path, NOW, replace_plan=replace_plan)
    assert result.plan == expected_result
    assert store.plan() == expected_plan


# -- refusing bad files ----------------------------------------------------------------------


def good_file(recorded_at: datetime = NOW - timedelta(hours=1)) -> dict:
    """A valid export with one entry of each kind, ids 1-6 (ranges taken from parsing.py)."""
    at = recorded_at.isoformat()
    items = [
        {"kind": "temp", "celsius": 38.2},
        {"kind": "fatigue", "score": 0},
        {"kind": "symptom", "symptom": "cough", "severity": "mild", "other": None},
        {"kind": "symptom", "symptom": "other", "severity": None, "other": "sore toe"},
        {"kind": "bp", "systolic": 118, "diastolic": 76, "pulse": 88},
        {"kind": "fluids", "litres": 1.5},
    ]
    entries = [
        {"id": n, "uid": f"{n:032x}", "recorded_at": at, "note": None, **item}
        for n, item in enumerate(items, 1)
    ]
    return {"format": "cart-export", "version": 1, "exported_at": NOW.isoformat(), "plan": plan_to_dict(PLAN),
            "entries": entries}  # fmt: skip


TEMP, FATIGUE, SYMPTOM, OTHER, BP, FLUIDS = range(6)  # positions in good_file()["entries"]


@pytest.mark.parametrize(
    ("index", "change", "message"),
    [
        (TEMP, {"celsius": 55}, "entry 1 (id 1): temperature 55 is outside 30-45 °C"),
        (TEMP, {"celsius": 29.99}, "temperature 29.99 is outside 30-45 °C"),
        (TEMP, {"celsius": 45.01}, "temperature 45.01 is outside 30-45 °C"),
        (TEMP, {"celsius": "38.2"}, 'celsius must be a number, not "38.2"'),
        (TEMP, {"celsius": None}, "celsius is missing"),
        (FATIGUE, {"score": 11}, "entry 2 (id 2): fatigue"),
        (FATIGUE, {"score": -1}, "fatigue"),
        (FATIGUE, {"score": 5.5}, "score must be a whole number"),
        (FATIGUE, {"score": True}, "score must be a whole number"),
        (SYMPTOM, {"symptom": "sore toe"}, 'symptom "sore toe" is not a name'),
        (SYMPTOM, {"severity": "awful"}, 'severity "awful" is not one of mild, moderate, severe'),
        (SYMPTOM, {"other": "extra words"}, '"other" text belongs only to a symptom named "other"'),
        (OTHER, {"other": None}, "other (the symptom in the person's own words) is missing"),
        (OTHER, {"other": "   "}, "is empty"),
        (OTHER, {"other": "x" * 201}, "longer than 200 characters"),
        (BP, {"systolic": 261}, "systolic"),
        (BP, {"diastolic": 19}, "diastolic"),
        (BP, {"systolic": 80, "diastolic": 90}, "first number not above the second"),
        (BP, {"pulse": 251}, "pulse"),
        (BP, {"pulse": 19}, "pulse"),
        (FLUIDS, {"litres": 0}, "not more than 0"),
        (FLUIDS, {"litres": 5.01}, "more than 5 litres"),
        (TEMP, {"kind": "weight"}, 'kind "weight" is not one of'),
        (TEMP, {"score": 3}, '"score" does not belong in a temp entry'),
        (TEMP, {"uid": None}, "uid is missing"),
        (TEMP, {"uid": "has spaces in it"}, "is not 1-64 letters"),
        (FATIGUE, {"uid": f"{1:032x}"}, f"uid {1:032x} is also used by entry 1"),
        (FATIGUE, {"id": 1}, "id 1 is also used by entry 1"),
        (TEMP, {"id": 0}, "id must be a whole number from 1"),
        (TEMP, {"recorded_at": "2026-11-27T13:00:00"}, "has no UTC offset"),
        (TEMP, {"recorded_at": "yesterday"}, "is not an ISO 8601 date and time"),
        (
            TEMP,
            {"recorded_at": (NOW + timedelta(hours=24, minutes=1)).isoformat()},
            "more than 24 hours after now",
        ),
        (TEMP, {"note": "x" * 1001}, "note is longer than 1000 characters"),
        (TEMP, {"recorded_at": "1999-12-31T23:59:59+00:00"}, "is before 2000"),
        (TEMP, {"recorded_at": "0001-01-01T00:00:00+01:00"}, "is before 2000"),
        (TEMP, {"celsius": 10**400}, "celsius is far too large"),
        (TEMP, {"note": "bad \ud800 text"}, "note holds characters that are not valid Unicode"),
    ],
)
def test_a_bad_entry_refuses_the_whole_file_naming_where_and_what(store, tmp_path, index, change, message):
    """One bad value anywhere: a one-line error naming the entry and the problem; nothing stored."""
    data = good_file()
    data["entries"][index].update(change)
    data["entries"].append({**data["entries"][TEMP], "id": 99, "uid": "f" * 32})  # a good one after it
    path = write_export(tmp_path / "bad.json", data)
    with pytest.raises(InvalidInput) as refused:
        transfer.check_export(path, NOW)
    text = refused.value.message
    assert message in text
    assert "\n" not in text and text.startswith(f"cannot import {path}: entry ")
    assert text.endswith("Nothing was imported.")
    assert refused.value.exit_code == 2
    assert store.count() == 0 and store.plan() is None


@pytest.mark.parametrize(
    ("index", "change"),
    [
        (TEMP, {"celsius": 30}),
        (TEMP, {"celsius": 45}),
        (FATIGUE, {"score": 10}),
        (BP, {"systolic": 260, "diastolic": 200, "pulse": 250}),
        (BP, {"systolic": 50, "diastolic": 20, "pulse": 20}),
        (BP, {"pulse": None}),
        (FLUIDS, {"litres": 5}),
        (FLUIDS, {"litres": 0.001}),
        (SYMPTOM, {"severity": None}),
        (OTHER, {"severity": "severe"}),
        (TEMP, {"recorded_at": "2019-03-01T08:00:00Z"}),  # years old: a restore may be late
        (TEMP, {"id": None}),
    ],
)
def test_values_at_the_edges_of_the_typed_ranges_are_accepted(tmp_path, index, change):
    """Whatever `cart log` would accept, an import accepts too (boundaries included)."""
    data = good_file()
    data["entries"][index].update(change)
    checked = transfer.check_export(write_export(tmp_path / "edge.json", data), NOW)
    assert checked.entries == len(data["entries"])


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("this is not json", "it is not valid JSON (line 1, column 1"),
        ('{"format": "cart-export", "version": 1, "plan": null, "entries": [{"celsius": NaN}]}',
         "NaN is not a number"),
        (
            '{"format": "cart-export", "version": 1, "entries": [{"score": 1' + "0" * 5000 + "}]}",
            "far too long",
        ),
        ("[]", 'it is not a cart export (no "format": "cart-export" at the top)'),
        ('{"format": "other"}', "it is not a cart export"),
        ('{"format": "cart-export", "version": 3, "entries": []}', "newer version of cart (export version 3"),
        ('{"format": "cart-export", "version": "1", "entries": []}', '"version" must be a whole number'),
        ('{"format": "cart-export", "version": 1, "entries": {}}', '"entries" must be a list'),
        ('{"format": "cart-export", "version": 1, "entries": [], "extra": 1}', '"extra" is not part of'),
        ('{"format": "cart-export", "version": 1, "entries": [3]}', "entry 1: must be a JSON object"),
    ],
)  # fmt: skip
def test_a_file_that_is_not_a_valid_export_is_refused_in_one_line(tmp_path, content, message):
    """Not JSON, not an export, or a newer export version: one line saying which."""
    path = tmp_path / "odd.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InvalidInput) as refused:
        transfer.check_export(path, NOW)
    assert message in refused.value.message and "\n" not in refused.value.message


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"fever_threshold_c": 39}, "plan: fever threshold"),
        ({"fever_threshold_c": 36.9}, "plan: fever threshold"),
        ({"infusion_date": "03/11/2026"}, "plan: infusion_date must be a date like 2026-11-03"),
        ({"infusion_date": "1999-12-31"}, "plan: infusion_date 1999-12-31 is not from 2000 to 2099"),
        ({"phone": "call me"}, "plan: phone number"),
        ({"diagnosis": "flu"}, 'plan: diagnosis "flu" is not one of'),
        ({"no_driving_weeks": 53}, "plan: weeks without driving"),
        ({"colour": "blue"}, 'plan: "colour" is not part of a plan'),
    ],
)
def test_a_bad_plan_refuses_the_whole_file(tmp_path, change, message):
    """The plan is checked as `cart setup` checks it, and a bad one refuses the file."""
    data = good_file()
    data["plan"].update(change)
    with pytest.raises(InvalidInput) as refused:
        transfer.check_export(write_export(tmp_path / "plan.json", data), NOW)
    assert message in refused.value.message


@pytest.mark.parametrize(
    ("index", "field", "text_option"),
    [(TEMP, "note", "--note")],
)
def test_text_limits_match_what_cart_log_accepts(cart, tmp_path, index, field, text_option):
    """A note is accepted by import exactly when `cart log` accepts it. (Longer "other" text is
    never refused by `cart log`: it is stored in pieces that import accepts; see
    test_cli_safety.py.)"""
    limit = {"other": MAX_OTHER_CHARS, "note": MAX_NOTE_CHARS}[field]
    for length in (limit, limit + 1):
        text = "x" * length
        command = ["symptom", text_option, text] if field == "other" else ["temp", "37.0", "--note", text]
        typed_ok = cart("log", *command).code == 0
        data = good_file()
        data["entries"][index][field] = text
        try:
            transfer.check_export(write_export(tmp_path / "limit.json", data), NOW)
            imported_ok = True
        except InvalidInput:
            imported_ok = False
        assert typed_ok == imported_ok == (length == limit)


def test_a_missing_file_is_a_one_line_error(tmp_path):
    """A file that is not there is named in the error."""
    with pytest.raises(InvalidInput, match="there is no such file"):
        transfer.check_export(tmp_path / "nowhere.json", NOW)


# -- the commands --------------------------------------------------------------------------


def test_cli_export_to_stdout_is_json_by_default(cart):
    """`cart export` prints a JSON export that holds what was logged."""
    cart("log", "fatigue", "0")
    result = cart("export")
    data = json.loads(result.out)
    assert result.code == 0 and data["format"] == "cart-export"
    assert [(item["kind"], item["score"]) for item in data["entries"]] == [("fatigue", 0)]


def test_cli_export_csv_to_stdout(cart):
    """`cart export --format csv` prints the header and one row per entry."""
    cart("log", "temp", "37.1")
    cart("log", "fatigue", "0")
    rows = list(csv.DictReader(io.StringIO(cart("export", "--format", "csv").out, newline="")))
    assert [(row["kind"], row["celsius"], row["score"]) for row in rows] == [
        ("temp", "37.1", ""),
        ("fatigue", "", "0"),
    ]


def test_cli_export_to_a_file_refuses_to_overwrite_without_force(cart, tmp_path):
    """--output writes the file and says so; a second export to it needs --force."""
    cart("log", "temp", "37.1")
    target = tmp_path / "out.csv"
    first = cart("export", "--output", str(target))
    assert first.code == 0 and str(target) in first.out and "CSV" in first.out
    assert target.read_text(encoding="utf-8").startswith("id,uid,kind,recorded_at,")
    target.write_text("mine")
    again = cart("export", "--output", str(target))
    assert again.code == 2 and "--force" in again.err and target.read_text() == "mine"
    assert cart("export", "--output", str(target), "--force").code == 0
    assert target.read_text(encoding="utf-8").startswith("id,uid,kind")


def test_cli_export_refuses_an_unknown_format(cart):
    """--format accepts only csv or json."""
    cart("log", "temp", "37.1")
    result = cart("export", "--format", "xml")
    assert result.code == 2 and "csv, json" in result.err


def test_cli_export_and_backup_need_a_database(cart, db_path):
    """With no database yet, export and backup say so and create nothing."""
    for command in (["export"], ["backup"]):
        result = cart(*command)
        assert result.code == 1 and "no database" in result.err
    assert not db_path.exists()


def test_cli_backup_says_where_it_went(cart, db_path):
    """`cart backup` writes a timestamped copy beside the database and prints its path."""
    cart("log", "temp", "37.1")
    result = cart("backup")
    (made,) = db_path.parent.glob("cart-backup-*.db")
    assert result.code == 0 and str(made) in result.out and "(1 entry)" in result.out
    assert re.fullmatch(r"cart-backup-\d{8}-\d{6}\.db", made.name)


def test_cli_backup_to_an_existing_file_needs_force(cart, tmp_path):
    """A named target that exists is kept (exit 2) unless --force."""
    cart("log", "temp", "37.1")
    target = tmp_path / "copy.db"
    target.write_bytes(b"precious")
    refused = cart("backup", str(target))
    assert refused.code == 2 and target.read_bytes() == b"precious"
    assert cart("backup", str(target), "--force").code == 0
    assert target.read_bytes().startswith(b"SQLite format 3")


def test_cli_import_reports_counts_and_is_idempotent(cart, tmp_path, db_path):
    """Import prints "Imported N entries (M already present)."; a repeat adds nothing."""
    cart("log", "temp", "37.1")
    cart("log", "fatigue", "0")
    path = tmp_path / "export.json"
    cart("export", "--output", str(path))
    other = str(tmp_path / "other.db")
    first = cart("--db", other, "import", str(path))
    second = cart("--db", other, "import", str(path))
    assert first.code == 0 and "Imported 2 entries (0 already present)." in first.out
    assert second.code == 0 and "Imported 0 entries (2 already present)." in second.out


def test_cli_round_trip_gives_the_same_export(cart, tmp_path):
    """Export, import into a new database, export again: the same except the export time and
    the ids (the new database numbers its entries; the uid is what identifies them)."""
    cart("setup", "--infusion-date", "2026-11-03", "--phone", "01234 567890")
    cart("log", "temp", "38.0", "--at", "2h ago")
    cart("log", "fatigue", "0", "--at", "3h ago")
    cart("log", "symptom", "cough", "--other", "sore toe", "--note", "after lunch")
    cart("undo", "--yes")
    first = json.loads(cart("export").out)
    path = tmp_path / "export.json"
    cart("export", "--output", str(path))
    other = str(tmp_path / "other.db")
    assert cart("--db", other, "import", str(path)).code == 0
    second = json.loads(cart("--db", other, "export").out)
    first.pop("exported_at"), second.pop("exported_at")
    for export in (first, second):
        for item in export["entries"]:
            item.pop("id")
    assert first == second


def test_cli_import_of_a_bad_file_stores_nothing(cart, tmp_path, db_path):
    """A bad entry: exit 2, one line naming it, and no database is even created."""
    data = good_file(datetime.now(LONDON) - timedelta(days=1))  # the commands read the real clock
    data["entries"][TEMP]["celsius"] = 55
    path = write_export(tmp_path / "bad.json", data)
    result = cart("import", str(path))
    assert result.code == 2 and result.out == ""
    assert result.err.count("\n") == 1 and "entry 1 (id 1): temperature 55 is outside 30-45 °C" in result.err
    assert not db_path.exists()


def test_cli_import_says_when_the_file_plan_differs(cart, tmp_path):
    """A different plan in the file is not applied without --replace-plan, and the output says so."""
    cart("setup", "--infusion-date", "2026-11-03", "--phone", "01234 567890")
    data = good_file(datetime.now(LONDON) - timedelta(days=1))
    path = write_export(tmp_path / "plan.json", data)
    kept = cart("import", str(path))
    assert kept.code == 0 and "--replace-plan" in kept.out
    assert json.loads(cart("setup", "--json").out)["hospital"] is None
    replaced = cart("import", str(path), "--replace-plan")
    assert "replaced" in replaced.out
    assert json.loads(cart("setup", "--json").out)["hospital"] == PLAN.hospital


def test_cli_files_are_not_left_with_wide_permissions(cart, tmp_path):
    """Exports and backups made by the commands are readable by the owner only."""
    cart("log", "temp", "37.1")
    cart("export", "--output", str(tmp_path / "e.json"))
    cart("backup", str(tmp_path / "b.db"))
    for name in ("e.json", "b.db"):
        assert os.stat(tmp_path / name).st_mode & 0o777 == 0o600
