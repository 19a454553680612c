"""`cart import` as a stream: any JSON layout of the same export imports the same, problems
are named by entry number (or JSON line and column) wherever they are in the file, and a
failed import leaves the database as it was."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from cart_cli import jsonstream, transfer
from cart_cli.bulk_import import bulk_import
from cart_cli.errors import InvalidInput
from cart_cli.models import Entry, Plan, entry_to_dict, plan_to_dict
from cart_cli.store import Store

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 11, 27, 14, 25, 1, tzinfo=LONDON)
PLAN = Plan(infusion_date=NOW.date() - timedelta(days=24), hospital="St Elsewhere", phone="01234 567890")


def document(count: int = 5) -> dict:
    """An export of ``count`` temperatures and a symptom with an awkward note, as a dict."""
    entries = [
        Entry(
            kind="temp",
            recorded_at=NOW - timedelta(hours=n + 1),
            celsius=36.5 + n % 10 / 10,
            uid=f"{n:032x}",
            id=n + 1,
        )
        for n in range(count)
    ]
    entries.append(
        Entry(kind="symptom", recorded_at=NOW - timedelta(hours=1), symptom="cough", severity="mild",
              note='said "a bit worse", then: {ok}', uid="f" * 32, id=count + 1)
    )  # fmt: skip
    return {
        "format": "cart-export",
        "version": 1,
        "exported_at": NOW.isoformat(),
        "plan": plan_to_dict(PLAN),
        "entries": [entry_to_dict(entry) for entry in entries],
    }


def stored(path: Path, db: Path) -> list[dict]:
    with Store.open(db, now=NOW) as store:
        transfer.import_entries(store, path, NOW)
        assert store.plan() == PLAN
        return [{k: v for k, v in entry_to_dict(e).items() if k != "id"} for e in store.entries()]


LAYOUTS = {
    "one line": lambda data: json.dumps(data),
    "indented": lambda data: json.dumps(data, indent=4),
    "tabs and CRLF": lambda data: json.dumps(data, indent="\t").replace("\n", "\r\n"),
    "entries first": lambda data: json.dumps(dict(reversed(list(data.items())))),
    "escaped non-ASCII": lambda data: json.dumps(data, ensure_ascii=True),
}


@pytest.mark.parametrize("layout", LAYOUTS)
def test_any_layout_of_the_same_export_imports_the_same(tmp_path, layout):
    """Indented, one line, CRLF, keys in another order: the same entries and plan are stored."""
    data = document()
    reference = tmp_path / "reference.json"
    reference.write_text(json.dumps(data), encoding="utf-8")
    other = tmp_path / "other.json"
    other.write_text(LAYOUTS[layout](data), encoding="utf-8")
    assert stored(other, tmp_path / "b.db") == stored(reference, tmp_path / "a.db")


def test_entries_larger_than_a_read_chunk_are_read_across_chunk_edges(tmp_path, monkeypatch):
    """With tiny read chunks every value is cut somewhere: still the same entries."""
    monkeypatch.setattr(jsonstream, "READ_CHUNK", 7)
    data = document(40)
    path = tmp_path / "export.json"
    path.write_text(json.dumps(data, indent=1), encoding="utf-8")
    with Store.open(tmp_path / "cart.db", now=NOW) as store:
        result = transfer.import_entries(store, path, NOW)
        assert result.added == len(data["entries"])
        assert {e.uid for e in store.entries()} == {item["uid"] for item in data["entries"]}


@pytest.mark.parametrize(
    "text",
    [
        '{"format": "cart-export",\n  "version": 1,\n  "entries": [\n    {"kind": }\n  ]\n}',
        '{"format": "cart-export", "version": 1, "entries": [] "plan": null}',
        '{"format": "cart-export", "version": 1, "entries": []} extra',
        '{"format": "cart-export", "version": 1, "entries": [{"kind": "temp"',
        '{"format": "cart-export", "version": 1,\r\n "entries": [\r\n\t{"kind": "temp",, }]}',
    ],
)
def test_bad_json_is_named_by_line_and_column_in_any_layout(tmp_path, text):
    """Invalid JSON anywhere: the same line and column Python's own json module gives."""
    path = tmp_path / "bad.json"
    path.write_text(text, encoding="utf-8", newline="")
    with pytest.raises(json.JSONDecodeError) as python_says:
        json.loads(text)
    where = f"line {python_says.value.lineno}, column {python_says.value.colno}"
    with pytest.raises(InvalidInput, match=where):
        transfer.check_export(path, NOW)


def test_a_bad_entry_late_in_the_file_rolls_back_everything_stored_before_it(tmp_path):
    """Entries are stored as they are read; the 300th being bad, none of the 299 stay."""
    data = document(300)
    data["entries"][299]["celsius"] = 55
    path = tmp_path / "late.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with Store.open(tmp_path / "cart.db", now=NOW) as store:
        store.add([Entry(kind="temp", recorded_at=NOW, celsius=37.0)], NOW)
        with pytest.raises(InvalidInput, match="entry 300 \\(id 300\\): temperature 55"):
            transfer.import_entries(store, path, NOW)
        assert [e.celsius for e in store.entries()] == [37.0] and store.plan() is None


def test_a_uid_repeated_far_apart_is_named_with_its_first_entry(tmp_path):
    """A repeated uid is found by the database: the message names both entries."""
    data = document(50)
    data["entries"][40]["uid"] = data["entries"][3]["uid"]
    path = tmp_path / "twice.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(InvalidInput, match=f"entry 41 \\(id 41\\): uid {3:032x} is also used by entry 4"):
        transfer.check_export(path, NOW)


def test_reimporting_into_a_database_that_has_the_entries_adds_nothing(tmp_path):
    """Every uid already stored: all counted as already present, none added, no error."""
    path = tmp_path / "export.json"
    path.write_text(json.dumps(document(20)), encoding="utf-8")
    with Store.open(tmp_path / "cart.db", now=NOW) as store:
        first = transfer.import_entries(store, path, NOW)
        second = transfer.import_entries(store, path, NOW)
    assert (first.added, first.already_present) == (21, 0)
    assert (second.added, second.already_present) == (0, 21)


def test_cli_import_into_a_new_database_leaves_no_partial_files(cart, tmp_path, db_path):
    """A new database is built beside and put in place: afterwards only the database (and
    SQLite's own files) are in the folder; a bad file leaves the folder empty."""
    data = document(3)
    for item in data["entries"]:
        item["recorded_at"] = (datetime.now(LONDON) - timedelta(hours=1)).isoformat()
    good = tmp_path / "good.json"
    good.write_text(json.dumps(data), encoding="utf-8")
    bad_data = json.loads(json.dumps(data))
    bad_data["entries"][2]["celsius"] = 99
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(bad_data), encoding="utf-8")
    refused = cart("import", str(bad))
    assert refused.code == 2 and "entry 3" in refused.err
    assert not db_path.exists() and not any(p.name.endswith(".partial") for p in db_path.parent.glob(".*"))
    done = cart("import", str(good))
    assert done.code == 0 and "Imported 4 entries" in done.out
    assert [p.name for p in db_path.parent.iterdir() if "partial" in p.name] == []
    assert db_path.stat().st_mode & 0o777 == 0o600
    assert cart("history", "--json").out.count('"uid"') == 4


@pytest.mark.parametrize("batch", [1, 7, 1000])
def test_repeats_and_bad_entries_are_found_first_come_first_named_whatever_the_batch(
    tmp_path, monkeypatch, batch
):
    """Entries go to SQLite in batches: a repeated uid (entry 12 repeats entry 3) is still named
    before a bad entry that comes after it (entry 14), in the same batch or a later one."""
    monkeypatch.setattr(transfer, "_BATCH", batch)
    data = document(20)
    data["entries"][11]["uid"] = data["entries"][2]["uid"]
    data["entries"][13]["celsius"] = 99
    path = tmp_path / "both.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(InvalidInput, match=f"entry 12 \\(id 12\\): uid {2:032x} is also used by entry 3"):
        transfer.check_export(path, NOW)
    data["entries"][11]["uid"] = "e" * 32
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(InvalidInput, match="entry 14 \\(id 14\\): temperature 99"):
        transfer.check_export(path, NOW)


@pytest.mark.slow  # 100,000 entries under tracemalloc: CI runs it (pytest -m slow)
def test_import_memory_does_not_grow_with_the_number_of_entries(tmp_path):
    """Importing 100,000 entries holds a few batches in Python memory, not the file: the peak
    stays far below the ~100 MB the entries would take as Python objects."""
    import tracemalloc

    path = tmp_path / "big.json"
    with path.open("w", encoding="utf-8") as out:
        out.write('{"format": "cart-export", "version": 1, "plan": null, "entries": [\n')
        moment = (NOW - timedelta(days=400)).isoformat()
        out.write(
            ",\n".join(
                json.dumps(
                    {
                        "id": n + 1,
                        "uid": f"{n:032x}",
                        "kind": "temp",
                        "recorded_at": moment,
                        "celsius": 36.6,
                        "note": None,
                    }
                )
                for n in range(100_000)
            )
        )
        out.write("\n]}\n")
    with Store.open(tmp_path / "cart.db", now=NOW) as store:
        tracemalloc.start()
        result = transfer.import_entries(store, path, NOW)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert result.added == 100_000 == store.conn.execute("SELECT count(*) FROM entries").fetchone()[0]
    assert peak < 20 * 1024 * 1024, f"peak {peak / 1e6:.1f} MB"


def test_a_database_made_meanwhile_is_never_replaced_by_a_new_import(tmp_path, monkeypatch):
    """Importing into a database that did not exist: if another cart creates it while the
    import runs, the import is refused and the other database is left exactly as it was."""
    path = tmp_path / "export.json"
    path.write_text(json.dumps(document(3)), encoding="utf-8")
    target = tmp_path / "data" / "cart.db"
    real_import = transfer.import_entries

    def import_while_another_cart_logs(store, *args, **kwargs):
        result = real_import(store, *args, **kwargs)
        with Store.open(target, now=NOW) as other:
            other.add([Entry(kind="temp", recorded_at=NOW, celsius=38.4)], NOW)
        return result

    monkeypatch.setattr(transfer, "import_entries", import_while_another_cart_logs)
    from cart_cli.errors import StoreError

    with pytest.raises(StoreError, match=r"appeared .* while the file was being imported"):
        transfer.import_into_new_database(target, path, NOW)
    with Store.open(target, now=NOW) as other:
        assert [e.celsius for e in other.entries()] == [38.4]
    assert not [p for p in target.parent.iterdir() if p.name.endswith(".partial")]


# -- the store's bulk-import and export API (what transfer uses instead of SQL) -----------


def test_bulk_import_adds_new_uids_only_and_keeps_nothing_when_the_block_fails(tmp_path):
    """add_batch stores the uids not stored yet and counts only those; an error in the block
    rolls the whole transaction back (plan included), and the page cache is restored."""
    temps = [
        {
            "kind": "temp",
            "recorded_at": NOW - timedelta(hours=n),
            "celsius": 37.0,
            "uid": f"{n:032x}",
            "id": 99,
        }
        for n in range(3)
    ]
    with Store.open(tmp_path / "cart.db", now=NOW) as store:
        (cache_before,) = store.conn.execute("PRAGMA cache_size").fetchone()
        with bulk_import(store, NOW) as bulk:
            assert bulk.newest_id() == 0
            assert bulk.add_batch(temps[:2]) == 2
            assert bulk.add_batch(temps) == 1  # the first two are stored already
            ids = [bulk.stored_id_of(entry["uid"]) for entry in temps]
            assert ids[:2] == [1, 2]  # this database's ids, not the file's 99
            assert 2 < ids[2] <= bulk.newest_id()
            with pytest.raises(KeyError):
                bulk.stored_id_of("e" * 32)
        with pytest.raises(RuntimeError, match="stop"), bulk_import(store, NOW) as bulk:
            assert bulk.add_batch([{**temps[0], "uid": "a" * 32}]) == 1
            bulk.save_plan(PLAN)
            raise RuntimeError("stop")
        assert [entry.uid for entry in store.iter_entries(newest_first=False)] == [
            f"{n:032x}" for n in (2, 1, 0)
        ]
        assert store.plan() is None
        assert store.conn.execute("PRAGMA cache_size").fetchone()[0] == cache_before


def test_export_line_batches_hold_every_entry_once_oldest_first(tmp_path, monkeypatch):
    """Export lines are handed over in batches of EXPORT_FETCH; together they are every
    entry, oldest first; an unknown CSV column is refused before any SQL is built from it."""
    from cart_cli import export_rows

    monkeypatch.setattr(export_rows, "EXPORT_FETCH", 2)
    with Store.open(tmp_path / "cart.db", now=NOW) as store:
        store.add(
            [Entry(kind="fatigue", recorded_at=NOW - timedelta(hours=n), score=n) for n in range(5)], NOW
        )
        batches = list(export_rows.json_line_batches(store))
        assert [len(lines) for lines in batches] == [2, 2, 1]
        assert [json.loads(line)["score"] for lines in batches for line in lines] == [4, 3, 2, 1, 0]
        csv_lines = [
            line
            for lines in export_rows.csv_line_batches(
                store, ["score", "day"], infusion_date=PLAN.infusion_date, text_cell=str
            )
            for line in lines
        ]
        assert csv_lines == ["4,24", "3,24", "2,24", "1,24", "0,24"]
        with pytest.raises(ValueError, match="not a CSV column of an entry: score; DROP"):
            next(export_rows.csv_line_batches(store, ["score; DROP"], infusion_date=None, text_cell=str))


def _import_outcome(db: Path, path: Path) -> tuple[object, list[tuple], list[tuple]]:
    """What an import of ``path`` into (a copy of) ``db`` did: its counts or its refusal, every
    stored row by id, and the entries' id sequence and indexes."""
    import sqlite3

    with Store.open(db, now=NOW) as store:
        try:
            result = transfer.import_entries(store, path, NOW)
            outcome: object = (result.added, result.already_present)
        except InvalidInput as error:
            outcome = str(error)
    conn = sqlite3.connect(db)
    try:
        rows = conn.execute("SELECT * FROM entries ORDER BY id").fetchall()
        schema = conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE tbl_name = 'entries' UNION ALL "
            "SELECT name, seq FROM sqlite_sequence WHERE name = 'entries' ORDER BY 1"
        ).fetchall()
    finally:
        conn.close()
    return outcome, rows, schema


def _stored_before(data: dict) -> list[dict]:
    """Entries in the database before the import: two the file has too (one of them twice,
    below), one it does not."""
    return [data["entries"][4], data["entries"][9], {**data["entries"][0], "uid": "a" * 32}]


FILE_CASES = {
    "new entries and entries stored already": lambda data: data,
    "a uid twice in the file": lambda data: data["entries"][14].update(uid=data["entries"][6]["uid"]),
    "a stored uid twice in the file": lambda data: data["entries"][15].update(uid=data["entries"][4]["uid"]),
    "a repeat before a bad entry": lambda data: (
        data["entries"][11].update(uid=data["entries"][2]["uid"]),
        data["entries"][16].update(celsius=99),
    ),
    "a bad entry before a repeat": lambda data: (
        data["entries"][16].update(uid=data["entries"][2]["uid"]),
        data["entries"][11].update(celsius=99),
    ),
}


@pytest.mark.parametrize("case", FILE_CASES, ids=str)
def test_a_large_import_loaded_without_indexes_stores_exactly_what_loading_into_them_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, case: str
) -> None:
    """An import of more entries than the database holds is loaded without the indexes (made
    again at the end); the same entries, ids, id sequence, indexes, counts and refusals as
    an import into the indexes, whatever the file holds."""
    from cart_cli import bulk_import as bulk_module

    data = document(20)
    FILE_CASES[case](data)
    path = tmp_path / "file.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    before = tmp_path / "before.db"
    seed = tmp_path / "seed.json"
    seed.write_text(json.dumps({**document(0), "entries": _stored_before(document(20))}), encoding="utf-8")
    with Store.open(before, now=NOW) as store:
        transfer.import_entries(store, seed, NOW)
    outcomes = {}
    for way, threshold in (("into the indexes", 10**9), ("without them", 1)):
        monkeypatch.setattr(bulk_module, "DEFERRED_INDEXES_FROM", threshold)
        db = tmp_path / f"{threshold}.db"
        db.write_bytes(before.read_bytes())
        outcomes[way] = _import_outcome(db, path)
    assert outcomes["without them"] == outcomes["into the indexes"]
    assert len(outcomes["into the indexes"][1]) >= 3


def test_no_entry_column_has_a_default(tmp_path: Path) -> None:
    """An import leaves out the columns an entry has no value in (binding an empty value is
    slow): that is the same as storing NULL only while no column of the entries table has
    a default. A migration that adds one must make the import bind it again."""
    with Store.open(tmp_path / "cart.db", now=NOW) as store:
        columns = list(store.conn.execute("PRAGMA table_info(entries)"))
    assert len(columns) > 20
    assert [column[1] for column in columns if column[4] is not None] == []


@pytest.mark.parametrize(
    ("parser", "text"),
    [("parse_bp", "118/76"), ("parse_bp", "400/20"), ("parse_fatigue", "6"), ("parse_fatigue", "11"),
     ("parse_fluids", "0.25"), ("parse_fluids", "9.0")],
)  # fmt: skip
def test_a_parsers_answer_is_kept_only_for_texts_it_accepts(parser, text):
    """The import asks `cart log`'s parsers once for each text: the same answer every time,
    and a refused text is refused again every time (no answer is kept for it)."""
    from cart_cli import import_checks, parsing

    parse = getattr(parsing, parser)
    for _ in range(2):
        try:
            expected: object = parse(text)
        except InvalidInput as error:
            expected = error.message
        try:
            got: object = import_checks._parsed(parse, text)
        except InvalidInput as error:
            got = error.message
        assert got == expected
    assert ((parse, text) in import_checks._PARSED) == (not isinstance(expected, str))
