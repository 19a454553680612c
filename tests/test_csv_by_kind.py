"""Issue 23: the CSV export makes each line with only the cells the entry's kind can hold
(``export_rows._line_by_kind``); the value columns of other kinds are written empty without being
read. Nothing in the schema forbids a value in another kind's column (an old import, a hand
edit of the file), and such a value must never be dropped: the line then falls back to every
cell. Each cell is checked against SQLite's own text of the stored value, read back with the
csv module."""

from __future__ import annotations

import csv
import io
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from cart_cli.exporters import CSV_COLUMNS, export_csv
from cart_cli.models import KIND_FIELDS, VALUE_COLUMNS
from cart_cli.store import Store

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
# A value every column's CHECK constraint accepts; the others get one by their type.
ALLOWED = {
    "severity": "mild",
    "score": 5,
    "spo2": 96,
    "recheck_minutes": 60,
    "breaths": 16,
    "site": "mouth",
    "handwriting": "same",
}
BY_TYPE = {"REAL": 37.25, "INTEGER": 7, "TEXT": "words"}


def _value(column: str, declared: str) -> object:
    return ALLOWED.get(column, BY_TYPE[declared])


@pytest.fixture
def database(tmp_path: Path) -> Path:
    """For every kind, an entry with only its own values and one with every value column
    filled (its own and every other kind's)."""
    path = tmp_path / "cart.db"
    with Store.open(path, now=NOW):
        pass
    with sqlite3.connect(path) as conn:
        types = {row[1]: row[2] for row in conn.execute("PRAGMA table_info(entries)")}
        number = 0
        for kind, own in KIND_FIELDS.items():
            for columns in (own, VALUE_COLUMNS):
                number += 1
                names = ["kind", "recorded_at", "logged_at", "uid", *columns]
                at = f"2026-11-{number % 28 + 1:02d}T10:00:00+00:00"
                values = [kind, at, NOW.isoformat(), f"u{number}"]
                values += [_value(name, types[name]) for name in columns]
                conn.execute(
                    f"INSERT INTO entries ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})",
                    values,
                )
    return path


def _exported_rows(path: Path) -> list[dict[str, str]]:
    with Store.open(path, now=NOW) as store:
        out = io.StringIO()
        export_csv(store, out)
    return list(csv.DictReader(io.StringIO(out.getvalue(), newline="")))


def test_every_stored_value_is_in_the_line_whatever_its_kind(database):
    rows = {row["uid"]: row for row in _exported_rows(database)}
    with sqlite3.connect(database) as conn:
        conn.row_factory = sqlite3.Row
        text_of = ", ".join(f"CAST({name} AS TEXT) AS {name}" for name in VALUE_COLUMNS)
        stored = conn.execute(f"SELECT uid, kind, {text_of} FROM entries").fetchall()
    assert len(stored) == 2 * len(KIND_FIELDS) == len(rows)
    strays = 0
    for entry in stored:
        line = rows[entry["uid"]]
        assert line["kind"] == entry["kind"]
        for name in VALUE_COLUMNS:
            expected = "" if entry[name] is None else entry[name]
            assert line[name] == expected, (entry["kind"], name)
            if entry[name] is not None and name not in KIND_FIELDS[entry["kind"]]:
                strays += 1
    # every kind's full entry holds values of other kinds' columns, and they were all written
    assert strays == sum(len(VALUE_COLUMNS) - len(own) for own in KIND_FIELDS.values())


@pytest.mark.parametrize("kind", sorted(KIND_FIELDS))
def test_a_kind_s_line_has_the_same_number_of_cells_as_the_header(database, kind):
    with Store.open(database, now=NOW) as store:
        out = io.StringIO()
        export_csv(store, out)
    lines = list(csv.reader(io.StringIO(out.getvalue(), newline="")))
    header, body = lines[0], lines[1:]
    assert header == list(CSV_COLUMNS)
    of_kind = [line for line in body if line[CSV_COLUMNS.index("kind")] == kind]
    assert len(of_kind) == 2
    assert all(len(line) == len(CSV_COLUMNS) for line in of_kind)
