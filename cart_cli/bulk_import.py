"""Many entries added at once, for `cart import`: one transaction, batches through a
staging table, and for a large import the indexes made again at the end by sorting.

Apart from ``store`` because only an import needs it: a command that logs or checks never
loads it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from cart_cli.files import sync_file
from cart_cli.models import Plan
from cart_cli.store import ENTRY_COLUMNS, to_db_time

if TYPE_CHECKING:
    from cart_cli.store import Store

IMPORT_CACHE_KB = 64 * 1024  # the page cache while importing in bulk (64 MB)
# A new file is loaded without indexes (rows only appended) and its indexes are made by
# sorting, which SQLite does in memory up to about the cache's size, then in temporary files.
NEW_FILE_CACHE_KB = 16 * 1024
# Into a database with entries, an import of at least this many entries, and more than the
# database holds, is loaded without the indexes too (``bulk_import``).
DEFERRED_INDEXES_FROM = 10_000
_IMPORT_NAMES = tuple(name for name in ENTRY_COLUMNS if name != "id")  # this database gives ids
_COLUMNS = frozenset(_IMPORT_NAMES)  # the columns an import fills
_STAGE = "cart_import_stage"  # the temporary table a batch of imported entries goes through


@contextmanager
def bulk_import(
    store: Store, now: datetime, *, new_file: bool = False, expected_entries: int = 0
) -> Iterator[BulkImport]:
    """One write transaction for adding many entries (see ``BulkImport``), committed when
    the block ends and rolled back whole on any error. Meanwhile this connection gets a
    page cache of ``IMPORT_CACHE_KB``: the uid index takes random inserts, and with
    SQLite's default 2 MB cache a million of them keep re-reading pages.

    ``new_file`` is only for a database being built as a hidden file, which is thrown
    away if anything fails (``transfer.import_into_new_database``); its entries table
    must be empty. There the entries' indexes are dropped for the load and made again
    at its end by ``BulkImport.create_indexes`` (SQLite sorts, far faster than a million
    random inserts into the uid index), and the file is written without a sync at every
    step (``synchronous = OFF``, the rollback journal in memory); once committed it is
    set back to WAL and ``synchronous = FULL`` and synced to disk whole. Never on a
    person's database: there a power cut could corrupt it.

    ``expected_entries`` (about how many entries are coming; 0: not known): into a
    database that has fewer entries than that (and at least ``DEFERRED_INDEXES_FROM`` are
    coming), the indexes are dropped and made again at the end too, inside this same
    transaction (rolled back whole like the rest; the journal and syncs stay as they are),
    and the entries stored already are taken out again at the end
    (``BulkImport.drop_already_stored``): a million random inserts into the uid index
    cost far more than sorting the table once.
    """
    conn = store.conn
    deferred = new_file or (
        expected_entries >= DEFERRED_INDEXES_FROM
        and expected_entries > conn.execute("SELECT count(*) FROM entries").fetchone()[0]
    )
    (cache_before,) = conn.execute("PRAGMA cache_size").fetchone()
    conn.execute(f"PRAGMA cache_size = -{NEW_FILE_CACHE_KB if deferred else IMPORT_CACHE_KB}")
    try:
        if new_file:
            if conn.execute("SELECT count(*) FROM entries").fetchone()[0] or _newest_entry_id(conn):
                raise ValueError("bulk_import(new_file=True) needs a new database without entries")
            conn.execute("PRAGMA journal_mode = MEMORY").fetchall()  # left so: the next open makes it WAL
            conn.execute("PRAGMA synchronous = OFF")
        with store._write():
            bulk = BulkImport(store, now, deferred=deferred)
            yield bulk
            bulk.finish()
        if new_file:
            conn.execute("PRAGMA synchronous = FULL")
            sync_file(store.path)
    finally:
        conn.execute(f"PRAGMA cache_size = {int(cache_before)}")


class BulkImport:
    """Entries added in batches inside ``bulk_import``'s transaction. The SQL is
    ``Store.add_missing``'s: an entry whose ``uid`` is stored already is skipped, and the
    database numbers what it stores (an id from a file is ignored).

    With ``deferred`` (a new file, or a large import) the entries' indexes are dropped here
    and every entry is appended as it comes (each takes the next id, as an insert skipped for
    its uid takes one too); the caller then asks ``drop_already_stored`` (the entries whose
    uid was stored before the import are taken out again) and ``create_indexes`` (or, when
    a problem stops the import, ``first_repeated_uid``) before the block ends: a uid twice
    in the file is found there instead of while loading."""

    def __init__(self, store: Store, now: datetime, *, deferred: bool = False) -> None:
        self._store = store
        self._now = now
        self._logged_at = to_db_time(now)
        self._statements: dict[tuple[str, ...], str] = {}  # the staging INSERT for each set of columns
        self.deferred = deferred
        # The staging table: no types (values are kept as bound, and take the entries
        # table's affinities when moved, as if inserted there), no constraints, temporary.
        columns = ", ".join(_IMPORT_NAMES)
        store.conn.execute(f"DROP TABLE IF EXISTS temp.{_STAGE}")
        store.conn.execute(f"CREATE TEMP TABLE {_STAGE} (n INTEGER PRIMARY KEY, {columns})")
        self._move = (
            f"INSERT INTO main.entries ({columns}, logged_at) SELECT {columns}, ? FROM temp.{_STAGE} "
            f"WHERE true ORDER BY n{'' if deferred else ' ON CONFLICT (uid) DO NOTHING'}"
        )
        self.stored_before = _newest_entry_id(store.conn)  # every id from before the import is at most this
        self._dropped: list[tuple[str, str]] = []  # (name, CREATE INDEX statement), made again at the end
        if deferred:
            self._dropped = [
                (str(name), str(sql))
                for name, sql in store.conn.execute(
                    "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'entries' "
                    "AND sql IS NOT NULL ORDER BY name"
                )
            ]
            for name, _sql in self._dropped:
                store.conn.execute(f'DROP INDEX "{name}"')

    def add_batch(self, entries: Sequence[Mapping[str, Any]]) -> int:
        """Store the entries (each a mapping of ``Entry`` field names to values, a missing
        field is empty; ``recorded_at`` an aware datetime; ``uid`` required) whose uid is not
        stored yet, in the order given; return how many were new.

        The batch goes to a staging table first, then to the entries table in one INSERT ...
        SELECT in the batch's order. The entries table's CHECK constraints cost SQLite a
        lookup table each time a statement runs (a one-row INSERT a row: most of an import's
        time), once a batch this way. Each row is staged with only the columns that have a
        value (binding an empty value costs Python's sqlite3 more than the rest of the row),
        rows with the same columns in one ``executemany``."""
        conn = self._store.conn
        groups: dict[tuple[str, ...], list[list[Any]]] = {}
        for number, entry in enumerate(entries):
            given = [(name, value) for name, value in entry.items() if value is not None and name in _COLUMNS]
            names = tuple([name for name, _ in given])
            values: list[Any] = [number, *[value for _, value in given]]
            values[names.index("recorded_at") + 1] = to_db_time(entry["recorded_at"])
            group = groups.get(names)
            if group is None:
                groups[names] = [values]
            else:
                group.append(values)
        for names, rows in groups.items():
            conn.executemany(self._stage_insert(names), rows)
        changes = conn.total_changes
        conn.execute(self._move, (self._logged_at,))
        added = conn.total_changes - changes
        conn.execute(f"DELETE FROM temp.{_STAGE}")
        return added

    def _stage_insert(self, names: tuple[str, ...]) -> str:
        """The staging INSERT of a row with values in the columns ``names`` (in that order)."""
        sql = self._statements.get(names)
        if sql is None:
            if "recorded_at" not in names or "uid" not in names:
                raise ValueError("an imported entry needs its uid and recorded_at")
            marks = ", ".join("?" for _ in names)
            sql = self._statements[names] = (
                f"INSERT INTO temp.{_STAGE} (n, {', '.join(names)}) VALUES (?, {marks})"
            )
        return sql

    def finish(self) -> None:
        """Drop the staging table (the block's end does it too)."""
        self._store.conn.execute(f"DROP TABLE IF EXISTS temp.{_STAGE}")

    def newest_id(self) -> int:
        """The largest id this database has used up (0 before its first entry; an insert
        skipped for its uid may use one up too): ids are AUTOINCREMENT, so any entry stored
        later has a larger one."""
        return _newest_entry_id(self._store.conn)

    def first_repeated_uid(self) -> tuple[int, str] | None:
        """The id and uid of the first entry stored by this import (by id) whose uid an entry
        with a smaller id stored by it has too, leaving out uids stored before the import (an
        entry stored already and twice in the file stores nothing wrong); ``None`` if there
        is none. One sort of the new entries (it needs no index), for ``deferred``, where
        repeats are not refused while loading."""
        row = self._store.conn.execute(
            "SELECT id, uid FROM (SELECT id, uid, row_number() OVER (PARTITION BY uid ORDER BY id) AS nth "
            "FROM entries WHERE id > :before) WHERE nth = 2 "
            "AND uid NOT IN (SELECT uid FROM entries WHERE id <= :before AND uid IS NOT NULL) "
            "ORDER BY id LIMIT 1",
            {"before": self.stored_before},
        ).fetchone()
        return None if row is None else (int(row[0]), str(row[1]))

    def drop_already_stored(self) -> int:
        """``deferred``: take out again the entries of this import whose uid was stored before
        it (as the inserts of an import into indexes skip them); return how many."""
        if not self.stored_before:
            return 0
        return self._store.conn.execute(
            "DELETE FROM entries WHERE id > :before "
            "AND uid IN (SELECT uid FROM entries WHERE id <= :before AND uid IS NOT NULL)",
            {"before": self.stored_before},
        ).rowcount

    def create_indexes(self) -> tuple[int, str] | None:
        """Make again the indexes dropped for a ``deferred`` load (the unique index on uid
        first), after ``drop_already_stored``. A uid stored twice stops it: then nothing more
        is made and the first repeat is returned as ``first_repeated_uid`` gives it; ``None``
        when all were made."""
        unique_first = sorted(
            self._dropped, key=lambda index: not index[1].upper().startswith("CREATE UNIQUE")
        )
        for _name, sql in unique_first:
            try:
                self._store.conn.execute(sql)
            except sqlite3.IntegrityError:
                repeat = self.first_repeated_uid()
                if repeat is None:
                    raise
                return repeat
        self._dropped = []
        return None

    def stored_id_of(self, uid: str) -> int:
        """The id of the entry stored with ``uid``; ``KeyError`` if there is none."""
        row = self._store.conn.execute("SELECT id FROM entries WHERE uid = ?", (uid,)).fetchone()
        if row is None:
            raise KeyError(uid)
        return int(row[0])

    def save_plan(self, plan: Plan) -> None:
        """Store ``plan`` (replacing the stored one) in this transaction."""
        self._store._put_plan(plan, self._now)

    def add_rows(self, table: str, rows: Sequence[Mapping[str, object]]) -> int:
        """Add the rows (column names as ``Store.table_columns`` gives them; a datetime is
        stored in UTC, a date as ISO text) whose ``uid`` is not in ``table`` yet, in this
        transaction; return how many were new."""
        known = {column.name for column in self._store.table_columns(table)}
        added = 0
        for row in rows:
            names = [name for name in row if name in known]
            if len(names) != len(row):
                raise ValueError(f"not a column of {table}: {', '.join(set(row) - known)}")
            values = [_db_value(row[name]) for name in names]
            sql = (
                f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join('?' for _ in names)}) "
                "ON CONFLICT (uid) DO NOTHING"
            )
            added += self._store.conn.execute(sql, values).rowcount
        return added


def _db_value(value: object) -> object:
    """A value as a column stores it: times in UTC (``to_db_time``), dates as ISO text."""
    if isinstance(value, datetime):
        return to_db_time(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def _newest_entry_id(conn: sqlite3.Connection) -> int:
    row = conn.execute("SELECT seq FROM sqlite_sequence WHERE name = 'entries'").fetchone()
    return int(row[0]) if row else 0
