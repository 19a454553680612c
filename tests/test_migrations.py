"""Migrations: each one from the schema before it, the backup kept before upgrading, and
files cart must refuse (a newer schema, not SQLite at all) left byte-for-byte unchanged."""

from __future__ import annotations

import json
import re
import sqlite3
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from cart_cli import migrations
from cart_cli.errors import StoreError
from cart_cli.models import Entry
from cart_cli.store import SCHEMA_VERSION, Store

# Every new database here runs every migration, never a copy of the suite's template.
pytestmark = pytest.mark.real_migrations

NOW = datetime(2026, 11, 27, 14, 25, 1, tzinfo=ZoneInfo("Europe/London"))
# Rows as a schema-1 cart wrote them (no uid column yet).
OLD_ROWS = [
    ("temp", "2026-11-26T08:00:00+00:00", "2026-11-26T08:01:00+00:00", 38.4, None, None, None, None),
    ("fatigue", "2026-11-26T09:00:00+00:00", "2026-11-26T09:00:05+00:00", None, None, None, 0, "zero"),
    ("symptom", "2026-11-26T10:00:00+00:00", "2026-11-26T10:00:00+00:00", None, "cough", "mild", None, None),
]
INSERT_OLD = (
    "INSERT INTO entries (kind, recorded_at, logged_at, celsius, symptom, severity, score, note) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
)
SELECT_OLD = (
    "SELECT kind, recorded_at, logged_at, celsius, symptom, severity, score, note FROM entries ORDER BY id"
)


def columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [row[1] for row in conn.execute(f"PRAGMA table_info({table})")]


def schema_1_database(path: Path) -> Path:
    """A database exactly as cart with schema version 1 left it, holding OLD_ROWS."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        assert migrations.apply(conn, stop_before="m002_entry_uid") == ["m001_initial"]
        conn.executemany(INSERT_OLD, OLD_ROWS)
        conn.execute(
            "INSERT INTO plan (id, infusion_date, phone, updated_at) VALUES (1, '2026-11-03', '01234', ?)",
            ("2026-11-03T12:00:00+00:00",),
        )
        conn.execute("PRAGMA user_version = 1")
    finally:
        conn.close()
    return path


def test_schema_version_is_the_number_of_migrations():
    """store.SCHEMA_VERSION counts every migration, so user_version tells what has run."""
    assert len(migrations.names()) == SCHEMA_VERSION
    assert migrations.names()[:2] == ["m001_initial", "m002_entry_uid"]


def test_m001_creates_entries_and_plan_on_an_empty_database():
    """From nothing, m001 makes the entries and plan tables and the recorded_at indexes."""
    conn = sqlite3.connect(":memory:", isolation_level=None)
    assert migrations.apply(conn, stop_before="m002_entry_uid") == ["m001_initial"]
    assert columns(conn, "entries") == [
        "id", "kind", "recorded_at", "logged_at", "celsius", "symptom", "severity", "other",
        "score", "systolic", "diastolic", "pulse", "litres", "note",
    ]  # fmt: skip
    assert "infusion_date" in columns(conn, "plan")
    indexes = {row[1] for row in conn.execute("PRAGMA index_list(entries)")}
    assert {"idx_entries_recorded_at", "idx_entries_kind_recorded_at"} <= indexes


def test_m002_gives_every_existing_row_a_distinct_uid_and_keeps_its_values(tmp_path):
    """From schema 1 with rows, m002 adds a unique uid to each and leaves the rest as it was."""
    conn = sqlite3.connect(schema_1_database(tmp_path / "old.db"), isolation_level=None)
    before = conn.execute(SELECT_OLD).fetchall()
    assert migrations.apply(conn, stop_before=M003) == ["m002_entry_uid"]
    assert conn.execute(SELECT_OLD).fetchall() == before
    uids = [row[0] for row in conn.execute("SELECT uid FROM entries ORDER BY id")]
    assert len(set(uids)) == len(OLD_ROWS)
    assert all(re.fullmatch("[0-9a-f]{32}", uid) for uid in uids)
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute("UPDATE entries SET uid = ? WHERE id = 2", (uids[0],))


M003 = "m003_more_kinds_and_ids_never_reused"
M004 = "m004_appointments_and_medicines"
M005 = "m005_medicine_patterns_and_person_id"


def schema_2_database(path: Path) -> Path:
    """A schema-2 database holding OLD_ROWS (with uids), whose highest entry was deleted."""
    schema_1_database(path)
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        assert migrations.apply(conn, stop_before=M003) == ["m002_entry_uid"]
        conn.execute("DELETE FROM entries WHERE id = 3")
        conn.execute("PRAGMA user_version = 2")
    finally:
        conn.close()
    return path


def test_m003_keeps_every_row_with_its_id_and_uid(tmp_path):
    """From schema 2, m003 rebuilds the table: same rows, same ids, same uids, same plan."""
    conn = sqlite3.connect(schema_2_database(tmp_path / "old.db"), isolation_level=None)
    before = conn.execute(f"SELECT id, uid, {SELECT_OLD[len('SELECT ') :]}").fetchall()
    assert migrations.apply(conn, stop_before=M004) == [M003]
    after = conn.execute(f"SELECT id, uid, {SELECT_OLD[len('SELECT ') :]}").fetchall()
    assert after == before and len(after) == 2
    assert conn.execute("SELECT phone, reading_gap_hours, neuro_days FROM plan").fetchone() == (
        "01234",
        12.0,
        28,
    )
    indexes = {row[1] for row in conn.execute("PRAGMA index_list(entries)")}
    assert {"idx_entries_recorded_at", "idx_entries_kind_recorded_at", "idx_entries_uid"} <= indexes


@pytest.mark.parametrize("deleted_last", [True, False], ids=["highest id deleted", "nothing deleted"])
def test_after_m003_an_id_is_never_given_out_twice(tmp_path, deleted_last):
    """After the upgrade an id is never given to a second entry, even when the entry holding
    the highest id is deleted. (Before m003 SQLite kept no record of a deleted highest id, so
    the upgrade starts counting after the highest id still stored.)"""
    path = (
        schema_2_database(tmp_path / "cart.db") if deleted_last else schema_1_database(tmp_path / "cart.db")
    )
    with Store.open(path, now=NOW) as store:
        highest = 2 if deleted_last else 3
        (first,) = store.add([Entry(kind="temp", recorded_at=NOW, celsius=36.8)], NOW)
        assert first.id == highest + 1
        store.delete(first)
        (second,) = store.add([Entry(kind="temp", recorded_at=NOW, celsius=36.9)], NOW)
        assert second.id == highest + 2


@pytest.mark.parametrize(
    ("kind", "values"),
    [
        ("spo2", {"spo2": 95}),
        ("pulse", {"pulse": 88}),
        ("call", {"outcome": "stay home, call back if worse"}),
        ("med", {"medicine": "paracetamol"}),
        ("ice", {"score": 9, "items": "orientation=4,naming=3,command=1,writing=0,counting=1"}),
        ("handwriting", {"handwriting": "changed"}),
        ("breaths", {"breaths": 24}),
    ],
)
def test_the_new_kinds_are_stored_and_read_back(tmp_path, kind, values):
    """Each kind m003 (and m007) adds round-trips through the store with its own fields."""
    with Store.open(tmp_path / "cart.db", now=NOW) as store:
        (stored,) = store.add([Entry(kind=kind, recorded_at=NOW, **values)], NOW)
        read = store.get(stored.id)
    assert read is not None and read.kind == kind
    assert {name: getattr(read, name) for name in values} == values


M007 = "m007_breathing_rate"


def test_m007_keeps_every_row_id_uid_and_the_id_sequence(tmp_path):
    """From schema 6, m007 rebuilds the table for the breaths kind: same rows, ids and uids,
    the indexes back, and an id used by a deleted entry is still never given out again."""
    path = tmp_path / "old.db"
    conn = sqlite3.connect(schema_1_database(path), isolation_level=None)
    applied = migrations.apply(conn, stop_before=M007)
    assert applied == ["m002_entry_uid", M003, M004, M005, "m006_call_recheck"]
    conn.execute(
        "INSERT INTO entries (kind, recorded_at, logged_at, spo2, uid) "
        "VALUES ('spo2', '2026-11-26T11:00:00+00:00', '2026-11-26T11:00:00+00:00', 95, 'u-spo2')"
    )
    conn.execute("DELETE FROM entries WHERE id = 4")  # the highest id, used once
    selected = "SELECT id, uid, kind, recorded_at, celsius, symptom, severity, score, spo2, note FROM entries"
    before = conn.execute(selected).fetchall()
    assert migrations.apply(conn, stop_before=M008) == [M007]
    assert conn.execute(selected).fetchall() == before and len(before) == 3
    assert "breaths" in columns(conn, "entries")
    assert migrations.apply(conn) == [M008, M009]
    indexes = {row[1] for row in conn.execute("PRAGMA index_list(entries)")}
    assert {"idx_entries_recorded_at", "idx_entries_kind_recorded_at", "idx_entries_uid"} <= indexes
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    conn.close()
    with Store.open(path, now=NOW) as store:
        (added,) = store.add([Entry(kind="breaths", recorded_at=NOW, breaths=18)], NOW)
        assert added.id == 5
        assert store.get(5) == added


M008 = "m008_handover"
M009 = "m009_answers"


def test_m008_keeps_every_row_and_the_id_sequence_and_adds_bloods_sites_and_corrections(tmp_path):
    """From schema 7, m008 rebuilds the table for the bloods kind: every row (a breathing rate
    and a call's re-check too) with its id and uid, the id sequence, and the new columns."""
    path = tmp_path / "old.db"
    conn = sqlite3.connect(schema_1_database(path), isolation_level=None)
    migrations.apply(conn, stop_before=M008)
    conn.execute(
        "INSERT INTO entries (kind, recorded_at, logged_at, breaths, uid) "
        "VALUES ('breaths', '2026-11-26T11:00:00+00:00', '2026-11-26T11:00:00+00:00', 22, 'u-breaths')"
    )
    conn.execute(
        "INSERT INTO entries (kind, recorded_at, logged_at, outcome, recheck_minutes, uid) "
        "VALUES ('call', '2026-11-26T12:00:00+00:00', '2026-11-26T12:00:00+00:00', 'ok', 60, 'u-call')"
    )
    conn.execute("DELETE FROM entries WHERE uid = 'u-call'")  # the highest id, used once
    selected = (
        "SELECT id, uid, kind, recorded_at, celsius, symptom, severity, score, breaths, note FROM entries"
    )
    before = conn.execute(selected).fetchall()
    assert migrations.apply(conn, stop_before=M009) == [M008]
    assert conn.execute(selected).fetchall() == before and len(before) == 4
    for column in ("site", "neutrophils", "crp", "platelets", "hb", "corrected_at", "was", "recheck_minutes"):
        assert column in columns(conn, "entries")
    for column in ("product", "home_since", "volume_units"):
        assert column in columns(conn, "plan")
    conn.execute("PRAGMA user_version = 8")  # Store.open applies m009
    conn.close()
    with Store.open(path, now=NOW) as store:
        (added,) = store.add([Entry(kind="bloods", recorded_at=NOW, neutrophils=0.4)], NOW)
        assert added.id == 6  # 5 was used by the deleted call: never given out again
        assert store.plan().volume_units == "uk"  # type: ignore[union-attr]


def test_all_migrations_on_a_new_file_need_no_backup(tmp_path):
    """A brand-new database is built at the current schema with no backup (there is nothing to keep)."""
    path = tmp_path / "new.db"
    with Store.open(path, now=NOW) as store:
        assert store.migration_backup is None
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new.db"]


def test_opening_a_schema_1_database_keeps_a_backup_and_adds_uids(tmp_path):
    """Upgrading keeps a .bak of the old file (old rows, old schema) and gives every row a uid."""
    path = schema_1_database(tmp_path / "cart.db")
    with Store.open(path, now=NOW) as store:
        backup = store.migration_backup
        entries = store.entries(newest_first=False)
        assert store.plan().phone == "01234"
    assert backup is not None and backup.exists() and backup.parent == path.parent
    assert backup.name.startswith("cart.db.") and backup.name.endswith(".bak")
    old = sqlite3.connect(backup)
    try:
        assert old.execute("PRAGMA user_version").fetchone()[0] == 1
        assert "uid" not in columns(old, "entries")
        assert old.execute(SELECT_OLD).fetchall() == OLD_ROWS
    finally:
        old.close()
    assert [entry.kind for entry in entries] == [row[0] for row in OLD_ROWS]
    assert all(entry.uid for entry in entries) and len({entry.uid for entry in entries}) == len(entries)
    assert entries[1].score == 0 and entries[1].note == "zero"


def test_the_command_says_where_the_pre_upgrade_backup_is(cart, db_path):
    """The first command on an old database prints the backup's path on stderr, then works."""
    db_path.parent.mkdir(mode=0o700)
    schema_1_database(db_path)
    result = cart("history", "--json")
    (backup,) = db_path.parent.glob("*.bak")
    assert result.code == 0 and len(json.loads(result.out)) == len(OLD_ROWS)
    assert str(backup) in result.err and "upgraded" in result.err
    assert cart("history", "--json").err == ""  # only once


def test_a_database_from_a_newer_cart_is_refused_and_left_unchanged(tmp_path, cart):
    """A higher user_version: a clear error, no backup, and the file's bytes are identical."""
    path = schema_1_database(tmp_path / "future.db")
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="newer version of cart") as refused:
        Store.open(path, now=NOW)
    assert "not been changed" in refused.value.message
    result = cart("--db", str(path), "history")
    assert result.code == 1 and result.err.count("\n") == 1 and "newer version" in result.err
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["future.db"]


@pytest.mark.parametrize(
    "content",
    [
        b"date,temperature\n2026-11-26,38.4\n" * 50,
        b"\x00\x01\x02 not a database at all " * 200,
        b"SQLite format 3\x00" + b"\xff" * 200,  # the right start, then rubbish
    ],
)
def test_a_file_that_is_not_a_cart_database_is_refused_and_left_unchanged(tmp_path, cart, content):
    """Not SQLite: a one-line error naming the file, and the bytes are untouched (by the CLI too)."""
    path = tmp_path / "notes.db"
    path.write_bytes(content)
    with pytest.raises(StoreError, match="not a cart database"):
        Store.open(path, now=NOW)
    result = cart("--db", str(path), "log", "temp", "37.0")
    assert result.code == 1 and str(path) in result.err and result.err.count("\n") == 1
    assert path.read_bytes() == content


def test_m009_adds_answers_and_keeps_every_row(tmp_path):
    """From schema 8, m009 adds the answers column; every row is kept, answers empty."""
    path = tmp_path / "old.db"
    conn = sqlite3.connect(schema_1_database(path), isolation_level=None)
    migrations.apply(conn, stop_before=M009)
    before = conn.execute("SELECT id, uid, kind, symptom, other FROM entries").fetchall()
    assert migrations.apply(conn) == [M009]
    assert conn.execute("SELECT id, uid, kind, symptom, other FROM entries").fetchall() == before
    assert "answers" in columns(conn, "entries")
    assert {row[0] for row in conn.execute("SELECT answers FROM entries")} == {None}
