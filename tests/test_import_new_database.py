"""`cart import` into a database that does not exist yet: the entries are loaded without
their indexes, which are made at the end. A repeated uid is still refused in the same words,
nothing is left behind, the indexes are there afterwards, and the result is what an import
into an existing empty database stores."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from cart_cli import transfer
from cart_cli.bulk_import import bulk_import
from cart_cli.errors import InvalidInput
from cart_cli.store import Store
from tests.test_import_stream import NOW, PLAN, document

INDEXES = {"idx_entries_recorded_at": 0, "idx_entries_kind_recorded_at": 0, "idx_entries_uid": 1}


def write(path: Path, data: dict[str, Any]) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def left_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def rows(db: Path) -> list[tuple[Any, ...]]:
    """Every stored entry, every column (ids and logged_at too), in id order."""
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT * FROM entries ORDER BY id").fetchall()
    finally:
        conn.close()


@pytest.mark.parametrize("batch", [1, 7, 1000])
@pytest.mark.parametrize(
    ("first", "repeat", "message"),
    [
        (3, 40, f"entry 41 \\(id 41\\): uid {3:032x} is also used by entry 4"),  # apart, far
        (0, 1, f"entry 2 \\(id 2\\): uid {0:032x} is also used by entry 1"),  # side by side
        (2, 50, f"entry 51 \\(id 51\\): uid {2:032x} is also used by entry 3"),  # the last entry
    ],
)
def test_a_repeated_uid_is_refused_in_the_same_words_and_leaves_no_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, batch: int, first: int, repeat: int, message: str
) -> None:
    monkeypatch.setattr(transfer, "_BATCH", batch)
    data = document(50)  # 51 entries
    data["entries"][repeat]["uid"] = data["entries"][first]["uid"]
    path = write(tmp_path / "twice.json", data)
    target = tmp_path / "data" / "cart.db"
    with pytest.raises(InvalidInput, match=f"^cannot import {path}: {message}. Nothing was imported.$"):
        transfer.import_into_new_database(target, path, NOW)
    assert left_in(target.parent) == []  # no database, no partial file, no journal
    # the same words as an import into an existing database
    with Store.open(tmp_path / "existing.db", now=NOW) as store, pytest.raises(InvalidInput, match=message):
        transfer.import_entries(store, path, NOW)


def test_a_repeat_without_ids_and_the_first_of_several_repeats_is_named(tmp_path: Path) -> None:
    """Entries without an id are named by number only; of two repeats the earlier second
    occurrence is named, whichever uid comes first in the file."""
    data = document(30)
    for item in data["entries"]:
        del item["id"]
    data["entries"][20]["uid"] = data["entries"][1]["uid"]  # second occurrence at entry 21
    data["entries"][12]["uid"] = data["entries"][9]["uid"]  # second occurrence at entry 13: first
    path = write(tmp_path / "two.json", data)
    target = tmp_path / "cart.db"
    with pytest.raises(InvalidInput, match=f": entry 13: uid {9:032x} is also used by entry 10\\. Nothing"):
        transfer.import_into_new_database(target, path, NOW)
    assert not target.exists()


@pytest.mark.parametrize("batch", [1, 7, 1000])
def test_a_repeat_before_a_bad_entry_is_named_first_and_a_bad_entry_before_a_repeat_is(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, batch: int
) -> None:
    monkeypatch.setattr(transfer, "_BATCH", batch)
    target = tmp_path / "cart.db"
    data = document(20)
    data["entries"][11]["uid"] = data["entries"][2]["uid"]
    data["entries"][13]["celsius"] = 99
    path = write(tmp_path / "both.json", data)
    with pytest.raises(InvalidInput, match=f"entry 12 \\(id 12\\): uid {2:032x} is also used by entry 3"):
        transfer.import_into_new_database(target, path, NOW)
    data["entries"][11]["celsius"] = 99  # now the bad entry (12) comes before the repeat (14)
    data["entries"][13] = {**data["entries"][13], "celsius": 37.0, "uid": data["entries"][2]["uid"]}
    path = write(path, data)
    with pytest.raises(InvalidInput, match="entry 12 \\(id 12\\): temperature 99"):
        transfer.import_into_new_database(target, path, NOW)
    data["entries"][11].update(celsius=37.0, uid="d" * 32)
    data["entries"][13]["uid"] = "e" * 32  # no repeat: the bad entry alone is named
    data["entries"][19]["recorded_at"] = (NOW + timedelta(hours=25)).isoformat()
    path = write(path, data)
    with pytest.raises(
        InvalidInput, match=r"entry 20 \(id 20\): recorded_at .* more than 24 hours after now"
    ):
        transfer.import_into_new_database(target, path, NOW)
    assert left_in(tmp_path) == ["both.json"]


def test_the_new_database_has_its_indexes_and_equals_an_import_into_an_empty_database(tmp_path: Path) -> None:
    data = document(300)
    data["entries"][7]["note"] = "café, then a walk"
    path = write(tmp_path / "export.json", data)
    new = tmp_path / "new" / "cart.db"
    result = transfer.import_into_new_database(new, path, NOW)
    assert (result.added, result.already_present, result.plan) == (301, 0, "added")
    with Store.open(tmp_path / "empty.db", now=NOW) as store:
        assert transfer.import_entries(store, path, NOW) == result
    assert rows(new) == rows(tmp_path / "empty.db") and len(rows(new)) == 301
    assert left_in(new.parent) == ["cart.db"]  # one self-contained file
    conn = sqlite3.connect(new)
    try:
        indexes = {row[1]: row[2] for row in conn.execute("PRAGMA index_list(entries)")}
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    finally:
        conn.close()
    assert indexes == INDEXES  # the uid index unique, the others not
    with Store.open(new, now=NOW) as store:
        assert store.plan() == PLAN
        assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert store.conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL, as always
        # the unique index works: importing the file again adds nothing
        again = transfer.import_entries(store, path, NOW)
    assert (again.added, again.already_present) == (0, 301)


def test_cli_import_into_a_new_database_refuses_a_repeated_uid_and_creates_nothing(
    cart: Callable[..., Any], tmp_path: Path, db_path: Path
) -> None:
    data = document(5)
    for item in data["entries"]:
        item["recorded_at"] = item["recorded_at"].replace("2026-11-27", "2026-01-27")
    data["entries"][4]["uid"] = data["entries"][1]["uid"]
    refused = cart("import", str(write(tmp_path / "twice.json", data)))
    assert refused.code == 2
    assert f"entry 5 (id 5): uid {1:032x} is also used by entry 2" in refused.err
    assert not db_path.exists() and not [p for p in db_path.parent.glob(".*") if "partial" in p.name]


def test_bulk_import_of_a_new_file_is_refused_on_a_database_with_entries(tmp_path: Path) -> None:
    """The indexes are only ever dropped in a database without entries (never a person's)."""
    path = write(tmp_path / "export.json", document(2))
    with Store.open(tmp_path / "cart.db", now=NOW) as store:
        transfer.import_entries(store, path, NOW)
        with pytest.raises(ValueError, match="needs a new database"), bulk_import(store, NOW, new_file=True):
            pass
        indexes = {row[1] for row in store.conn.execute("PRAGMA index_list(entries)")}
        assert indexes == set(INDEXES)
        assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
