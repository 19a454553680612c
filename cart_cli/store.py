"""The one place that opens the SQLite file, migrates it, and holds the queries.

Why it looks the way it does:

- Plain ``sqlite3`` on the hot path: opening, one insert, one indexed range query. The
  schema itself lives in ``migrations`` (sqlite-utils), which is only imported when the
  file's ``user_version`` says a migration is due, so an ordinary ``cart log`` stays fast.
- WAL with a busy timeout and short ``BEGIN IMMEDIATE`` transactions, so several ``cart``
  processes can write at once without losing an entry, and ``synchronous=FULL`` so a
  committed entry survives a crash or power cut.
- Health data: the folder we create is 0700 and the file 0600 (SQLite gives its -wal and
  -shm files the database file's permissions); where files go, and the words for an
  operating-system error, are ``files``'s work.
- Times are stored in UTC with an explicit offset and handed back in local time.
- Export lines are made by SQLite itself (``json_object``, ``printf``, ``'localtime'``), in
  C, so a million entries export in seconds; ``exporters`` writes them into its files.
"""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import fields, replace
from datetime import UTC, date, datetime, timedelta
from operator import itemgetter
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, NamedTuple

from cart_cli.errors import InvalidInput, StoreError
from cart_cli.files import create_private_file, disk_is_full, private_file, sweep_stale_partials, sync_file
from cart_cli.models import KIND_FIELDS, VALUE_COLUMNS, Entry, Plan

if TYPE_CHECKING:
    from cart_cli.schedule import Appointment, Medicine

SCHEMA_VERSION = 9  # the number of migrations in cart_cli.migrations (a test checks this)
BUSY_TIMEOUT_S = 10.0

ENTRY_COLUMNS = (
    "id",
    "uid",
    "kind",
    "recorded_at",
    *VALUE_COLUMNS,
    "note",
    "corrected_at",
    "was",
)  # from models.KIND_TABLE
_SELECT = f"SELECT {', '.join(ENTRY_COLUMNS)} FROM entries"
PLAN_FIELDS = tuple(f.name for f in fields(Plan))
# The person's own rows besides entries and the plan: exported and imported whole, column
# by column, matched on their uid (see Store.table_rows and BulkImport.add_rows).
SCHEDULE_TABLES = ("appointments", "medicines")


class Column(NamedTuple):  # a NamedTuple: cheaper to define than a dataclass
    """A column of one of ``SCHEDULE_TABLES``: its name and whether a row must give it."""

    name: str
    required: bool


def to_db_time(moment: datetime) -> str:
    """UTC, whole seconds, explicit offset: fixed width, so text order is time order."""
    if moment.tzinfo is None:
        raise ValueError("times must be timezone-aware")
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def from_db_time(text: str) -> datetime:
    """A stored time, in the machine's local time zone (correct for that instant's DST)."""
    return datetime.fromisoformat(text).astimezone()


# A row of ENTRY_COLUMNS in the order of Entry's fields, for a positional Entry(...): about
# half the cost of a dict of 29 names passed as keywords (a long report makes 15,000).
_ENTRY_FIELDS = tuple(field.name for field in fields(Entry))
if _ENTRY_FIELDS[:2] != ("kind", "recorded_at"):
    raise RuntimeError("_row_to_entry expects Entry's first fields to be kind, recorded_at")
_KIND_AT = ENTRY_COLUMNS.index("kind")
_RECORDED_AT = ENTRY_COLUMNS.index("recorded_at")
_REST_OF_ROW = itemgetter(*(ENTRY_COLUMNS.index(name) for name in _ENTRY_FIELDS[2:]))


def _row_to_entry(row: Sequence[Any]) -> Entry:
    if len(row) != len(ENTRY_COLUMNS):
        raise ValueError(f"an entry row has {len(ENTRY_COLUMNS)} columns, not {len(row)}")
    return Entry(row[_KIND_AT], from_db_time(row[_RECORDED_AT]), *_REST_OF_ROW(row))


entry_from_row = _row_to_entry  # a row of ENTRY_COLUMNS, for queries of their own (report.days)


class Store:
    """An open cart database. Use ``Store.open``; close it (or use ``with``) when done."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self.conn = conn
        self.path = path
        self.migration_backup: Path | None = None  # set when opening migrated an old file

    # -- opening ---------------------------------------------------------------------

    @classmethod
    def open(cls, path: Path, *, now: datetime | None = None) -> Store:
        """Open (and migrate) the database at ``path``, creating it when it is missing: for
        commands that write. ``now`` names the backup kept before migrating an old file."""
        path = cls._file_path(path)
        if not path.exists():
            create_private_file(path)
        sweep_stale_partials(path.parent)  # clear what a killed backup left beside the file
        return cls._connect(path, now)

    @classmethod
    def open_existing(cls, path: Path, *, now: datetime | None = None) -> Store | None:
        """Open (and migrate) the database at ``path`` if there is one; ``None`` if there is
        not, so that reading never leaves an empty file behind."""
        path = cls._file_path(path)
        if not path.exists():
            return None
        return cls._connect(path, now)

    @staticmethod
    def _file_path(path: Path) -> Path:
        path = Path(path)
        if path.is_dir():
            raise StoreError(f"{path} is a folder, not a database file. Give a file path with --db.")
        return path

    @classmethod
    def _connect(cls, path: Path, now: datetime | None) -> Store:
        try:
            conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        except sqlite3.Error as error:
            raise StoreError(f"cannot open the database {path}: {error}.") from None
        store = cls(conn, path)
        try:
            store._prepare(now)
        except BaseException:
            conn.close()
            raise
        return store

    def _prepare(self, now: datetime | None) -> None:
        conn = self.conn
        try:
            conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise StoreError(
                    f"{self.path} was written by a newer version of cart (schema {version}; "
                    f"this version knows up to {SCHEMA_VERSION}). Upgrade cart to read it; "
                    "the file has not been changed."
                )
            self._refuse_another_programs_database(version)
            mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
            if mode != "wal":
                _switch_to_wal(conn)
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute("PRAGMA foreign_keys = ON")
            if version < SCHEMA_VERSION:
                self._migrate(now)
        except sqlite3.DatabaseError as error:
            raise _store_error(self.path, error) from None

    def _refuse_another_programs_database(self, version: int) -> None:
        """An existing SQLite file that is neither empty nor cart's is another program's:
        refuse it before changing anything (no tables added, no switch to WAL)."""
        names = {row[0] for row in self.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if version == 0 and not names:
            return  # a new, empty file: cart sets it up
        # Another cart may be setting the file up right now (sqlite-utils commits each
        # migration, so its tables can be seen before user_version is): cart's own tables
        # are never "another program's".
        if not names & {"entries", "plan", "_sqlite_migrations"}:
            raise StoreError(
                f"{self.path} is a SQLite database of another program, not cart's (it has other "
                "tables and no cart data). Nothing was changed; point --db or CART_DB at a cart "
                "database or at a new file."
            )

    def _migrate(self, now: datetime | None) -> None:
        """Bring an older (or new, empty) file up to date in one locked transaction."""
        from cart_cli import migrations

        conn = self.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            # Another process may have migrated while we waited for the lock, so look again,
            # and back up only while holding the lock: processes starting together on an old
            # file would otherwise all copy it to the same backup name and all but one fail.
            current = conn.execute("PRAGMA user_version").fetchone()[0]
            if 0 < current < SCHEMA_VERSION:
                # Keep a copy of the file as it was before the change, and say where it is.
                self.migration_backup = self._backup_before_migrating(now)
            if current < SCHEMA_VERSION:
                migrations.apply(conn)
                conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise

    def _backup_before_migrating(self, now: datetime | None) -> Path:
        """Copy the file as it is, through a second connection: SQLite will not back up
        from a connection holding the write lock (the copy would never finish)."""
        stamp = (now or datetime.now(UTC)).strftime("%Y%m%d-%H%M%S")
        target = self.path.with_name(f"{self.path.name}.before-schema-{SCHEMA_VERSION}-{stamp}.bak")
        reader = Store(sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S), self.path)
        try:
            return reader.backup_to(target, numbered=True)
        finally:
            reader.close()

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- writing -----------------------------------------------------------------------

    def add(self, entries: Sequence[Entry], now: datetime) -> list[Entry]:
        """Store entries in one transaction: all of them or none. Returns them with ids."""
        logged_at = to_db_time(now)
        stored = []
        with self._write():
            for entry in entries:
                uid = entry.uid or uuid.uuid4().hex
                values = {name: getattr(entry, name) for name in ENTRY_COLUMNS if name not in ("id", "uid")}
                values["recorded_at"] = to_db_time(entry.recorded_at)
                values["logged_at"] = logged_at
                values["uid"] = uid
                columns = ", ".join(values)
                marks = ", ".join("?" for _ in values)
                cursor = self.conn.execute(
                    f"INSERT INTO entries ({columns}) VALUES ({marks})", tuple(values.values())
                )
                recorded_at = from_db_time(values["recorded_at"])
                stored.append(replace(entry, id=cursor.lastrowid, uid=uid, recorded_at=recorded_at))
        return stored

    def delete(self, entry: Entry) -> Entry:
        """Remove exactly the entry that was shown: found by its ``uid`` inside the write
        transaction, so an id that now names another entry can never remove that one.
        Returns the entry as it was stored; an entry already gone is an error."""
        if not entry.uid:
            raise ValueError("delete needs the entry's uid")
        with self._write():
            row = self.conn.execute(f"{_SELECT} WHERE uid = ?", (entry.uid,)).fetchone()
            if row is None:
                raise StoreError(
                    f"entry #{entry.id} was removed by something else meanwhile; nothing was removed. "
                    "`cart history` shows what is stored now."
                )
            self.conn.execute("DELETE FROM entries WHERE uid = ?", (entry.uid,))
        return _row_to_entry(row)

    def replace_entry(self, before: Entry, after: Entry) -> Entry:
        """Write ``after`` over the stored entry, found by uid inside the write transaction and
        only if it is still exactly ``before`` (as shown to the person): an entry changed or
        removed meanwhile is never overwritten. Returns the entry as now stored."""
        if not before.uid or before.uid != after.uid:
            raise ValueError("replace_entry needs the same uid before and after")
        names = [name for name in ENTRY_COLUMNS if name not in ("id", "uid", "kind")]
        with self._write():
            row = self.conn.execute(f"{_SELECT} WHERE uid = ?", (before.uid,)).fetchone()
            if row is None or _row_to_entry(row) != replace(
                before, recorded_at=from_db_time(to_db_time(before.recorded_at))
            ):
                raise StoreError(
                    f"entry #{before.id} was changed or removed by something else meanwhile; nothing "
                    "was changed. `cart history` shows what is stored now."
                )
            values = [getattr(after, name) for name in names]
            values[names.index("recorded_at")] = to_db_time(after.recorded_at)
            assignments = ", ".join(f"{name} = ?" for name in names)
            self.conn.execute(f"UPDATE entries SET {assignments} WHERE uid = ?", (*values, before.uid))
            stored = self.conn.execute(f"{_SELECT} WHERE uid = ?", (before.uid,)).fetchone()
        return _row_to_entry(stored)

    def asked_on(self, question: str) -> date | None:
        """The day ``question`` was last asked at a terminal, or None."""
        row = self._query("SELECT asked_on FROM asked WHERE question = ?", (question,)).fetchone()
        return None if row is None else date.fromisoformat(row[0])

    def mark_asked(self, question: str, day: date) -> None:
        with self._write():
            self.conn.execute(
                "INSERT OR REPLACE INTO asked (question, asked_on) VALUES (?, ?)", (question, day.isoformat())
            )

    def last_corrected(self) -> tuple[Entry, str] | None:
        """The entry corrected most recently and when (UTC ISO), or None."""
        row = self._query(
            f"{_SELECT} WHERE corrected_at IS NOT NULL ORDER BY corrected_at DESC, id DESC LIMIT 1"
        ).fetchone()
        if row is None:
            return None
        entry = _row_to_entry(row)
        return entry, entry.corrected_at or ""

    def save_plan(self, plan: Plan, now: datetime) -> None:
        with self._write():
            self._put_plan(plan, now)

    def update_plan(self, changes: dict[str, object], now: datetime) -> Plan:
        """Read the plan, apply ``changes`` and write it back, all in one write transaction,
        so two `cart setup` runs at once changing different settings both keep their change.
        Without a stored plan, ``changes`` must hold the infusion date. Returns the new plan."""
        with self._write():
            current = self.plan()
            if current is None:
                if "infusion_date" not in changes:
                    raise InvalidInput("cart setup needs your infusion date first: add --infusion-date DATE.")
                plan = Plan(**changes)  # type: ignore[arg-type]
            else:
                plan = replace(current, **changes)  # type: ignore[arg-type]
            self._put_plan(plan, now)
        return plan

    def _put_plan(self, plan: Plan, now: datetime) -> None:
        """Write the plan row (inside the caller's transaction)."""
        values = {name: getattr(plan, name) for name in PLAN_FIELDS}
        values["infusion_date"] = plan.infusion_date.isoformat()
        values["home_since"] = plan.home_since.isoformat() if plan.home_since else None
        if not plan.person_id:  # keep the person's id; a first plan gets a new one
            row = self.conn.execute("SELECT person_id FROM plan WHERE id = 1").fetchone()
            values["person_id"] = row[0] if row and row[0] else uuid.uuid4().hex
        values["updated_at"] = to_db_time(now)
        columns = ", ".join(values)
        marks = ", ".join("?" for _ in values)
        self.conn.execute(
            f"INSERT OR REPLACE INTO plan (id, {columns}) VALUES (1, {marks})",
            tuple(values.values()),
        )

    def add_missing(self, entries: Sequence[Entry], now: datetime, *, plan: Plan | None = None) -> int:
        """Store the entries whose ``uid`` is not stored yet (and ``plan``, if given) in one
        transaction: all of it or none. Returns how many entries were added.

        Every entry must have a ``uid``: that is an entry's identity across files. Its ``id``
        is ignored: this database numbers what it stores, so an id from a file (2**63-1, a
        number already used and deleted here) can never make later ids jump, be reused, or
        point `cart undo` at the wrong entry.
        """
        if any(not entry.uid for entry in entries):
            raise ValueError("add_missing needs a uid on every entry")
        logged_at = to_db_time(now)
        added = 0
        names = [name for name in ENTRY_COLUMNS if name != "id"]
        sql = (
            f"INSERT INTO entries ({', '.join(names)}, logged_at) "
            f"VALUES ({', '.join('?' for _ in names)}, ?) ON CONFLICT (uid) DO NOTHING"
        )
        with self._write():
            for entry in entries:
                values = [getattr(entry, name) for name in names]
                values[names.index("recorded_at")] = to_db_time(entry.recorded_at)
                added += self.conn.execute(sql, (*values, logged_at)).rowcount
            if plan is not None:
                self._put_plan(plan, now)
        return added

    def _write(self) -> _Transaction:
        return _Transaction(self)

    # -- reading -----------------------------------------------------------------------

    def get(self, entry_id: int) -> Entry | None:
        row = self._query(f"{_SELECT} WHERE id = ?", (entry_id,)).fetchone()
        return _row_to_entry(row) if row else None

    def last_logged(self) -> Entry | None:
        """The entry typed most recently (highest id), whatever time it was recorded for:
        what `cart undo` takes back after a slip such as a wrong ``--at``."""
        row = self._query(f"{_SELECT} ORDER BY id DESC LIMIT 1").fetchone()
        return _row_to_entry(row) if row else None

    def entries(self, **filters: Any) -> list[Entry]:
        """``iter_entries`` (same keyword filters) as a list."""
        return list(self.iter_entries(**filters))

    def iter_entries(
        self,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        kind: str | None = None,
        limit: int | None = None,
        newest_first: bool = True,
    ) -> Iterator[Entry]:
        where: list[str] = []
        params: list[object] = []
        if kind is not None:
            where.append("kind = ?")
            params.append(kind)
        if since is not None:
            where.append("recorded_at >= ?")
            params.append(to_db_time(since))
        if until is not None:
            where.append("recorded_at <= ?")
            params.append(to_db_time(until))
        sql = _SELECT
        if where:
            sql += " WHERE " + " AND ".join(where)
        order = "DESC" if newest_first else "ASC"
        sql += f" ORDER BY recorded_at {order}, id {order}"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        for row in self._query(sql, params):
            yield _row_to_entry(row)

    def count(self) -> int:
        return int(self._query("SELECT count(*) FROM entries").fetchone()[0])

    def plan(self) -> Plan | None:
        columns = ", ".join(PLAN_FIELDS)
        row = self._query(f"SELECT {columns} FROM plan WHERE id = 1").fetchone()
        if row is None:
            return None
        values = dict(zip(PLAN_FIELDS, row, strict=True))
        values["infusion_date"] = date.fromisoformat(values["infusion_date"])
        if values["home_since"] is not None:
            values["home_since"] = date.fromisoformat(values["home_since"])
        return Plan(**values)

    # -- export: lines made by SQLite --------------------------------------------------

    def json_line_batches(self) -> Iterator[list[str]]:
        """Every entry as its compact JSON object (``entry_to_dict``'s keys and order, the
        time in local ISO 8601 with its offset), oldest first, in lists of up to
        ``EXPORT_FETCH`` lines: what a JSON export writes, one entry a line."""
        cursor = self.conn.execute(_json_sql())
        while rows := cursor.fetchmany(EXPORT_FETCH):
            yield [row[0] for row in rows]

    def entry_row_batches(self) -> Iterator[list[tuple[Any, ...]]]:
        """Every entry as its stored row (``ENTRY_COLUMNS``, recorded_at as stored), oldest
        first, in lists of up to ``EXPORT_FETCH``: what the FHIR writer reads without making
        an Entry of each."""
        cursor = self.conn.execute(f"{_SELECT} {_EXPORT_ORDER}")
        while rows := cursor.fetchmany(EXPORT_FETCH):
            yield rows

    def compact_row_batches(self, values: Mapping[str, Sequence[str]]) -> Iterator[list[tuple[Any, ...]]]:
        """Every entry, oldest first, in lists of up to ``EXPORT_FETCH``, as a short row: id,
        uid, kind, recorded_at (as stored), note, whether it is plain (1: not corrected and no
        site; else 0), then up to three values: for each kind in ``values`` its columns named
        there, in order (NULL where it has fewer, and for other kinds). What the FHIR writer
        reads of the common entries (``entry_row`` gives the rest)."""
        for kind, names in values.items():
            unknown = [name for name in names if name not in ENTRY_COLUMNS]
            if unknown or len(names) > 3 or kind not in KIND_FIELDS:
                raise ValueError(f"not a kind and up to three of its columns: {kind} {names}")
        cases = []
        for position in range(3):
            whens = [
                f"WHEN '{kind}' THEN {names[position]}"
                for kind, names in values.items()
                if position < len(names)
            ]
            cases.append(f"CASE kind {' '.join(whens)} END" if whens else "NULL")
        plain = "corrected_at IS NULL AND (site IS NULL OR site = '')"
        columns = f"id, uid, kind, recorded_at, note, {plain}, {', '.join(cases)}"
        cursor = self.conn.execute(f"SELECT {columns} FROM entries {_EXPORT_ORDER}")
        while rows := cursor.fetchmany(EXPORT_FETCH):
            yield rows

    def entry_row(self, entry_id: int) -> tuple[Any, ...]:
        """The stored row (``ENTRY_COLUMNS``, recorded_at as stored) of the entry ``entry_id``."""
        row = self.conn.execute(f"{_SELECT} WHERE id = ?", (entry_id,)).fetchone()
        if row is None:
            raise KeyError(entry_id)
        return tuple(row)

    def csv_line_batches(
        self,
        columns: Sequence[str],
        *,
        infusion_date: date | None,
        text_cell: Callable[[str], str],
        offsets: Sequence[tuple[datetime, int]] | None = None,
    ) -> Iterator[list[str]]:
        """Every entry as one CSV line (without its line ending), oldest first, in lists of
        up to ``EXPORT_FETCH`` lines. ``columns`` are entry columns (``recorded_at`` in local
        ISO 8601 with its offset), ``local_time`` (the local date and time without offset) or
        ``day`` (whole days since ``infusion_date``; empty when it is ``None``). A free-text
        cell (uid, other, outcome, medicine, items, note) that starts with = + - @ tab or
        return, or holds a comma, a double quote, a line break, ; tab or |, is written as
        ``text_cell`` returns it; every other cell as it is stored (nothing for NULL).

        ``offsets`` (see ``_csv_spans``, from ``recorded_range``): the local times are
        written with these offsets instead of asking SQLite's 'localtime' five times a row;
        the same text where they are the local time zone's.

        Fast path: SQLite looks only at the first character of each text cell (the formula
        guard); the lines of a batch are then checked in Python: where no line holds a double
        quote, a line break, ; tab or |, and each holds one comma fewer than ``columns``, no
        cell needed more care, so each line is what the careful query makes. Any other line
        is made again by the careful query (by its id, the first cell), so none is altered."""
        unknown = [name for name in columns if name not in (*ENTRY_COLUMNS, "local_time", "day")]
        if unknown:
            raise ValueError(f"not a CSV column of an entry: {', '.join(unknown)}")
        self.conn.create_function("csv_text", 1, text_cell, deterministic=True)
        params: tuple[object, ...] = () if infusion_date is None else (infusion_date.isoformat(),)
        if infusion_date is not None and offsets:  # julianday(infusion_date), exactly
            params = (infusion_date.toordinal() + _JULIAN_DAY_OF_ORDINAL_0,)
        fast = bool(columns) and columns[0] == "id"  # the id finds a line to make again
        commas = len(columns) - 1
        with_day = infusion_date is not None
        for offset, where, bounds in self._csv_spans(offsets):
            sql = _csv_sql(columns, with_day=with_day, offset=offset, where=where, careful=not fast)
            again = _csv_sql(columns, with_day=with_day, offset=offset, where="id IN (?)", with_id=True)
            cursor = self.conn.execute(sql, (*params, *bounds))
            while rows := cursor.fetchmany(EXPORT_FETCH):
                lines = [row[0] for row in rows]
                if not fast:
                    yield lines
                    continue
                probe = "".join(lines)
                if probe.count(",") != commas * len(lines) or any(c in probe for c in _CSV_CARE):
                    lines = self._csv_lines_again(lines, commas, again, params)
                yield lines

    def _csv_lines_again(
        self, lines: list[str], commas: int, careful_sql: str, params: tuple[object, ...]
    ) -> list[str]:
        """``lines`` with each line that may hold a cell needing care (see
        ``csv_line_batches``) made again by ``careful_sql`` (its where clause: ``id IN``
        the ids it is given), in the same order."""
        again = [
            int(line.split(",", 1)[0])
            for line in lines
            if line.count(",") != commas or any(c in line for c in _CSV_CARE)
        ]
        made: dict[int, str] = {}
        for start in range(0, len(again), 500):  # SQLite's oldest limit is 999 parameters
            ids = again[start : start + 500]
            sql = careful_sql.replace("id IN (?)", f"id IN ({', '.join('?' for _ in ids)})")
            made.update(self.conn.execute(sql, (*params, *ids)).fetchall())
        if len(made) != len(again):
            raise RuntimeError("an entry changed while the CSV export read it")
        return [made.get(int(line.split(",", 1)[0]), line) for line in lines]

    def recorded_range(self) -> tuple[datetime, datetime] | None:
        """The earliest and latest ``recorded_at`` of the entries (``None`` without any), if
        every one is stored as cart stores times (UTC, ``YYYY-MM-DDTHH:MM:SS+00:00``, so text
        order is time order); ``None`` otherwise."""
        if self.conn.execute(
            f"SELECT EXISTS (SELECT 1 FROM entries WHERE recorded_at NOT GLOB '{_STORED_TIME}')"
        ).fetchone()[0]:
            return None
        # Two queries: SQLite reads a lone min() or max() from the index, both at once by a scan.
        (first,) = self.conn.execute("SELECT min(recorded_at) FROM entries").fetchone()
        (last,) = self.conn.execute("SELECT max(recorded_at) FROM entries").fetchone()
        if first is None:
            return None
        return datetime.fromisoformat(first), datetime.fromisoformat(last)

    def _csv_spans(
        self, offsets: Sequence[tuple[datetime, int]] | None
    ) -> Iterator[tuple[int | None, str, tuple[str, ...]]]:
        """The CSV export's spans of time, each as (its offset, its where clause, its bounds),
        run one after the other: one over every entry (offset ``None``: SQLite's
        'localtime'); or, with ``offsets`` (each UTC instant from which the local time's
        offset is that many seconds, in order, the first covering every earlier entry), one
        for each span of time with its offset written in."""
        if not offsets:
            yield None, "", ()
            return
        for n, (start, offset) in enumerate(offsets):
            low = "" if n == 0 else to_db_time(start)
            high = to_db_time(offsets[n + 1][0]) if n + 1 < len(offsets) else None
            where = "recorded_at >= ?" + ("" if high is None else " AND recorded_at < ?")
            yield offset, where, ((low,) if high is None else (low, high))

    # -- import in bulk ----------------------------------------------------------------

    @contextmanager
    def bulk_import(
        self, now: datetime, *, new_file: bool = False, expected_entries: int = 0
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
        conn = self.conn
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
            with self._write():
                bulk = BulkImport(self, now, deferred=deferred)
                yield bulk
                bulk.finish()
            if new_file:
                conn.execute("PRAGMA synchronous = FULL")
                sync_file(self.path)
        finally:
            conn.execute(f"PRAGMA cache_size = {int(cache_before)}")

    def checkpoint(self) -> None:
        """Move everything in the write-ahead log into the database file itself and empty
        the log, so the file alone holds all the data (e.g. before it is moved into place)."""
        self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    # -- the person's own rows, exported whole (appointments, medicines) --------------

    def table_columns(self, table: str) -> list[Column]:
        """The columns of one of ``SCHEDULE_TABLES`` but ``id`` (this database numbers its
        rows), in table order, each with whether a row must give it."""
        if table not in SCHEDULE_TABLES:
            raise ValueError(f"not a table cart exports whole: {table}")
        return [
            Column(str(name), bool(notnull) and default is None)
            for _cid, name, _type, notnull, default, _pk in self._query(f"PRAGMA table_info({table})")
            if name != "id"
        ]

    def table_rows(self, table: str) -> list[dict[str, object]]:
        """Every row of one of ``SCHEDULE_TABLES``, in the order it was added, as stored
        (times in UTC with their offset), every column but ``id``: what an export holds, so a
        column added by a later migration is exported (and imported) without more code."""
        names = [column.name for column in self.table_columns(table)]
        cursor = self._query(f"SELECT {', '.join(names)} FROM {table} ORDER BY id")
        return [dict(zip(names, row, strict=True)) for row in cursor]

    # -- the person's own schedule: appointments and medicines (m004) -------------------

    def add_appointment(self, appointment: Appointment, now: datetime) -> Appointment:
        """Store a new appointment; return it with its id and uid."""
        uid = appointment.uid or uuid.uuid4().hex
        with self._write():
            cursor = self.conn.execute(
                "INSERT INTO appointments (uid, title, starts_at, where_text, note, replaces, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (uid, appointment.title, to_db_time(appointment.starts_at), appointment.where,
                 appointment.note, appointment.replaces, to_db_time(now)),
            )  # fmt: skip
        return replace(appointment, id=cursor.lastrowid, uid=uid)

    def appointments(self) -> list[Appointment]:
        """Every appointment, soonest first."""
        from cart_cli.models import Appointment  # not via schedule: `cart timeline` needs no schedule

        rows = self._query(
            "SELECT id, uid, title, starts_at, where_text, note, replaces FROM appointments "
            "ORDER BY starts_at, id"
        )
        return [
            Appointment(id=row[0], uid=row[1], title=row[2], starts_at=from_db_time(row[3]),
                        where=row[4], note=row[5], replaces=row[6])
            for row in rows
        ]  # fmt: skip

    def remove_appointment(self, appointment_id: int) -> Appointment:
        """Remove one appointment and return it; an unknown id is an error naming it."""
        with self._write():
            found = [a for a in self.appointments() if a.id == appointment_id]
            if not found:
                raise InvalidInput(
                    f"there is no appointment #{appointment_id}; `cart appt list` shows the ids."
                )
            self.conn.execute("DELETE FROM appointments WHERE id = ?", (appointment_id,))
        return found[0]

    def add_medicine(self, medicine: Medicine, now: datetime) -> Medicine:
        """Put a medicine on the schedule. A name already on it (ignoring case) is refused."""
        from cart_cli.schedule import format_times, format_weekdays, shell_word

        uid = medicine.uid or uuid.uuid4().hex
        with self._write():
            if self._active_medicine(medicine.name) is not None:
                stop = f"cart med stop {shell_word(medicine.name)}"
                raise InvalidInput(
                    f"{medicine.name} is already on the schedule: `{stop}` first to change its times or dose."
                )
            gap = None if medicine.min_gap is None else int(medicine.min_gap.total_seconds() // 60)
            cursor = self.conn.execute(
                "INSERT INTO medicines (uid, name, dose, times, until, created_at, weekdays, every_days, "
                "every_hours, as_needed, min_gap_minutes, max_per_day, max_mg) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (uid, medicine.name, medicine.dose, format_times(medicine.times),
                 medicine.until.isoformat() if medicine.until else None, to_db_time(medicine.created_at),
                 format_weekdays(medicine.weekdays) or None, medicine.every_days, medicine.every_hours,
                 int(medicine.as_needed), gap, medicine.max_per_day, medicine.max_mg),
            )  # fmt: skip
        return replace(medicine, id=cursor.lastrowid, uid=uid)

    def has_medicines(self) -> bool:
        """Whether the schedule holds a medicine not stopped (what ``medicines()`` returns),
        without loading the schedule module."""
        return self._query("SELECT 1 FROM medicines WHERE stopped_at IS NULL LIMIT 1").fetchone() is not None

    def medicines(self, *, include_stopped: bool = False) -> list[Medicine]:
        """The medicine schedule in the order it was added; stopped ones only when asked."""
        sql = (
            "SELECT id, uid, name, dose, times, until, stopped_at, created_at, weekdays, every_days, "
            "every_hours, as_needed, min_gap_minutes, max_per_day, max_mg FROM medicines"
        )
        if not include_stopped:
            sql += " WHERE stopped_at IS NULL"
        rows = self._query(sql + " ORDER BY id").fetchall()
        if not rows:
            return []  # the schedule module (and its start-up cost) only when there is one
        from cart_cli.schedule import Medicine, parse_times, parse_weekdays

        return [
            Medicine(id=row[0], uid=row[1], name=row[2], dose=row[3],
                     times=parse_times(row[4]) if row[4] else (),
                     until=date.fromisoformat(row[5]) if row[5] else None,
                     stopped_at=from_db_time(row[6]) if row[6] else None,
                     created_at=from_db_time(row[7]),
                     weekdays=parse_weekdays(row[8]) if row[8] else (), every_days=row[9],
                     every_hours=row[10], as_needed=bool(row[11]),
                     min_gap=timedelta(minutes=row[12]) if row[12] is not None else None,
                     max_per_day=row[13], max_mg=row[14])
            for row in rows
        ]  # fmt: skip

    def stop_medicine(self, name: str, now: datetime) -> Medicine:
        """Take a medicine off the schedule from ``now`` on (its row is kept)."""
        with self._write():
            found = self._active_medicine(name)
            if found is None:
                raise InvalidInput(f"{name} is not on the schedule; `cart med list` shows what is.")
            self.conn.execute("UPDATE medicines SET stopped_at = ? WHERE id = ?", (to_db_time(now), found.id))
        return replace(found, stopped_at=now)

    def _active_medicine(self, name: str) -> Medicine | None:
        key = " ".join(name.casefold().split())
        matches = [m for m in self.medicines() if " ".join(m.name.casefold().split()) == key]
        return matches[0] if matches else None

    def read(self, sql: str, params: Sequence[Any] = ()) -> sqlite3.Cursor:
        """Run a query of cart's own (never text from outside: values go in ``params``),
        with the store's error handling; for reads that have no method here (report.days)."""
        return self._query(sql, params)

    def _query(self, sql: str, params: Sequence[Any] = ()) -> sqlite3.Cursor:
        try:
            return self.conn.execute(sql, params)
        except sqlite3.DatabaseError as error:
            raise _store_error(self.path, error) from None

    # -- copying -----------------------------------------------------------------------

    def backup_to(self, target: Path, *, overwrite: bool = False, numbered: bool = False) -> Path:
        """A consistent copy made with SQLite's backup API, readable by the owner only.
        Returns where it went: with ``numbered``, a taken name gets -2, -3, ... instead."""
        target = Path(target)
        try:
            with private_file(
                target, database=self.path, overwrite=overwrite, numbered=numbered, copy_of_database=True
            ) as placement:
                copy = sqlite3.connect(placement.partial)
                try:
                    self.conn.backup(copy)
                    # The copy is a single self-contained file: no -wal beside it.
                    copy.execute("PRAGMA journal_mode = DELETE")
                finally:
                    copy.close()
        except sqlite3.Error as error:
            raise StoreError(
                f"the backup to {target} failed: {_sqlite_words(error, target.parent)}; nothing was saved."
            ) from None
        return placement.final

    @staticmethod
    def entries_in_copy(path: Path) -> int:
        """How many entries a copy of a database holds (e.g. a backup), counted in the copy
        itself, opened read-only."""
        copy = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            return int(copy.execute("SELECT count(*) FROM entries").fetchone()[0])
        finally:
            copy.close()


IMPORT_CACHE_KB = 64 * 1024  # the page cache while importing in bulk (64 MB)
# A new file is loaded without indexes (rows only appended) and its indexes are made by
# sorting, which SQLite does in memory up to about the cache's size, then in temporary files.
NEW_FILE_CACHE_KB = 16 * 1024
# Into a database with entries, an import of at least this many entries, and more than the
# database holds, is loaded without the indexes too (``Store.bulk_import``).
DEFERRED_INDEXES_FROM = 10_000
_IMPORT_NAMES = tuple(name for name in ENTRY_COLUMNS if name != "id")  # this database gives ids
_COLUMNS = frozenset(_IMPORT_NAMES)  # the columns an import fills
_STAGE = "cart_import_stage"  # the temporary table a batch of imported entries goes through


class BulkImport:
    """Entries added in batches inside ``Store.bulk_import``'s transaction. The SQL is
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


# Export lines are made in SQL: SQLite turns each row into its CSV cells or its JSON text in
# C, so a million entries take seconds. The local time comes from SQLite's 'localtime', which
# asks the same C library (and TZ) as Python's astimezone(); the UTC offset is the difference.
EXPORT_FETCH = 1000  # rows fetched from SQLite at once
_OFFSET_DAYS = "(julianday(recorded_at, 'localtime') - julianday(recorded_at))"
# e.g. 2026-07-01T09:30:00+01:00; the offset's hours and minutes are those of the time
# 0.5 + |offset| (a julian day number starts at noon), so no offset is computed twice.
_LOCAL_ISO_SQL = (
    "strftime('%Y-%m-%dT%H:%M:%S', recorded_at, 'localtime') || "
    f"iif({_OFFSET_DAYS} < 0, '-', '+') || strftime('%H:%M', 0.5 + abs({_OFFSET_DAYS}))"
)
_UTC_ISO_SQL = "strftime('%Y-%m-%dT%H:%M:%S', recorded_at) || '+00:00'"


def local_iso_sql() -> str:
    """The SQL of an entry's time in ISO 8601: local time with its offset; but in a zone
    whose offset has seconds (TZ=ABC-5:30:15), which ISO 8601 cannot write (hh:mm only),
    every time in UTC, exact to the second (as timefmt.iso_time writes such a time)."""
    import time

    return _UTC_ISO_SQL if time.timezone % 60 or time.altzone % 60 else _LOCAL_ISO_SQL


_EXPORT_ORDER = "ORDER BY recorded_at ASC, id ASC"  # as iter_entries(newest_first=False)
_TEXT_COLUMNS = (
    "uid",
    "other",
    "outcome",
    "medicine",
    "items",
    "note",
    "was",
)  # free text (and imported uids)


_JULIAN_DAY_OF_ORDINAL_0 = 1721424.5  # date.toordinal() + this is SQLite's julianday() of the date
_CSV_CARE = ('"', "\r", "\n", ";", "\t", "|")  # in a CSV line, only where a text cell holds it
_STORED_TIME = "[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9]+00:00"  # a GLOB


def _csv_sql(
    columns: Sequence[str],
    *,
    with_day: bool,
    offset: int | None = None,
    where: str = "",
    careful: bool = True,
    with_id: bool = False,
) -> str:
    """Each entry as its CSV line, cells in ``columns`` order, made by SQLite. The rare
    text cell that needs care (quotes for , " or a line break; a leading apostrophe for
    text a spreadsheet would run as a formula) is passed to the ``csv_text`` function.
    Not ``careful``: only the first character is looked at (the formula guard), and a
    cell that holds any of , " a line break ; tab or | is written as it is (the caller
    checks the lines for those). ``with_id``: each row is (id, line)."""
    needs_care = "unicode(ltrim({0})) IN (61, 43, 45, 64, 9, 13)"  # = + - @ tab return, after any spaces
    if careful:
        needs_care += (
            " OR instr({0}, ',') OR instr({0}, '\"') OR instr({0}, char(10)) OR instr({0}, char(13)) "
            "OR instr({0}, ';') OR instr({0}, char(9)) OR instr({0}, '|')"  # other separators
        )
    cells = []
    # With an offset, every recorded_at is cart's UTC text (Store.recorded_range checked it):
    # at offset 0 the local date and time are that text's.
    local = "'localtime'" if offset is None else f"'{offset:+d} seconds'"
    for name in columns:
        if name == "recorded_at":
            cell = local_iso_sql() if offset is None else _iso_sql(offset)
        elif name == "local_time" and offset == 0:
            cell = "substr(recorded_at, 1, 10) || ' ' || substr(recorded_at, 12, 8)"
        elif name == "local_time":
            cell = f"datetime(recorded_at, {local})"
        elif name == "day":
            # ?1: the day appears in more than one branch of the line (see _line_by_kind)
            day = f"CAST(julianday(date(recorded_at, {local})) - julianday(?1) AS INTEGER)"
            if offset is not None:  # the infusion date's julian day is given as a number
                day = f"CAST(julianday(recorded_at, {local}, 'start of day') - ?1 AS INTEGER)"
            cell = day if with_day else "NULL"
        elif name in _TEXT_COLUMNS:
            care = needs_care.format(name)
            cell = f"CASE WHEN {name} IS NULL THEN NULL WHEN {care} THEN csv_text({name}) ELSE {name} END"
        else:
            cell = name
        cells.append(cell)
    # One printf per line: %s writes NULL as nothing, and numbers as SQLite's text for them.
    line = f"coalesce({_line_by_kind(columns, cells)}, {_printf(cells)})"
    selected = f"id, {line}" if with_id else line
    return f"SELECT {selected} FROM entries {f'WHERE {where} ' if where else ''}{_EXPORT_ORDER}"


def _printf(cells: Sequence[str]) -> str:
    return f"printf('{','.join('%s' for _ in cells)}', {', '.join(cells)})"


def _line_by_kind(columns: Sequence[str], cells: Sequence[str]) -> str:
    """The line of an entry made with only the cells its kind can hold (KIND_FIELDS): the
    value columns of other kinds are written as the empty cells they are, without reading
    them into printf (most of a line's cost, with 31 columns and a handful used). Where any
    of them is not NULL after all (nothing in the schema forbids it), this is NULL and the
    caller writes every cell; so the line is always the one every cell makes."""
    branches = []
    for kind, names in KIND_FIELDS.items():
        other = [name for name in VALUE_COLUMNS if name not in names and name in columns]
        parts = ["" if name in other else "%s" for name in columns]
        used = [cell for name, cell in zip(columns, cells, strict=True) if name not in other]
        printed = f"printf('{','.join(parts)}', {', '.join(used)})"
        if not other:
            branches.append(f"WHEN '{kind}' THEN {printed}")
            continue
        empty = f"{other[0]} IS NULL" if len(other) == 1 else f"coalesce({', '.join(other)}) IS NULL"
        branches.append(f"WHEN '{kind}' THEN CASE WHEN {empty} THEN {printed} END")
    return f"CASE kind {' '.join(branches)} END"


def _iso_sql(offset: int) -> str:
    """``local_iso_sql`` for times whose local offset is ``offset`` seconds."""
    import time

    if time.timezone % 60 or time.altzone % 60 or offset == 0:
        return "recorded_at"  # cart's UTC text (as local_iso_sql writes a zone's with seconds)
    sign = "-" if offset < 0 else "+"
    hours, minutes = divmod(abs(offset) // 60, 60)
    local = f"strftime('%Y-%m-%dT%H:%M:%S', recorded_at, '{offset:+d} seconds')"
    return f"{local} || '{sign}{hours:02d}:{minutes:02d}'"


def _json_sql() -> str:
    """Each entry as its JSON object (entry_to_dict's keys and order), made by SQLite."""
    branches = []
    for kind, names in KIND_FIELDS.items():
        values = ", ".join(f"'{name}', {name}" for name in names)
        plain = (
            f"json_object('id', id, 'uid', uid, 'kind', kind, "
            f"'recorded_at', {local_iso_sql()}, {values}, 'note', note"
        )
        # Only a corrected entry carries when it was corrected and what it was (as entry_to_dict).
        branches.append(
            f"WHEN '{kind}' THEN CASE WHEN corrected_at IS NULL THEN {plain}) "
            f"ELSE {plain}, 'corrected_at', corrected_at, 'was', was) END"
        )
    return f"SELECT CASE kind {' '.join(branches)} END FROM entries {_EXPORT_ORDER}"


def _sqlite_words(error: sqlite3.Error, folder: Path) -> str:
    """SQLite's words for a failed write, or "the disk is full" when it is (SQLite says
    "database or disk is full" only sometimes, else "disk I/O error")."""
    text = str(error)
    full = getattr(error, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL or "full" in text
    return "the disk is full" if full or ("I/O" in text and disk_is_full(folder)) else text


def _switch_to_wal(conn: sqlite3.Connection) -> None:
    """Turn on WAL, waiting (up to the busy timeout) while another process holds the file.

    Switching needs a moment of exclusive access and SQLite answers "locked" at once,
    without its busy handler, when processes start together on a brand-new file; so
    wait and try again here, as the busy timeout does for every other statement.
    """
    import time

    deadline = time.monotonic() + BUSY_TIMEOUT_S
    while True:
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.005)


committed_writes = 0  # write transactions committed by this process (what Ctrl-C reports)


class _Transaction:
    """``BEGIN IMMEDIATE`` ... ``COMMIT``, or ``ROLLBACK`` on any error: never half a write."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def __enter__(self) -> None:
        try:
            self.store.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.DatabaseError as error:
            raise _store_error(self.store.path, error) from None

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        conn = self.store.conn
        if exc_type is None:
            try:
                conn.execute("COMMIT")
                global committed_writes
                committed_writes += 1
                return
            except sqlite3.DatabaseError as error:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise _store_error(self.store.path, error) from None
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        if isinstance(exc, sqlite3.DatabaseError):
            raise _store_error(self.store.path, exc) from None
        if isinstance(exc, UnicodeEncodeError):
            # Bytes that are not UTF-8 (a Latin-1 terminal, a script) reach Python as lone
            # surrogates, which SQLite cannot store: that is bad input, not a crash.
            raise InvalidInput(
                "some of the text is not valid UTF-8 (the terminal or script may use another "
                "encoding); nothing was written. Type it again in a UTF-8 terminal."
            ) from None


def _store_error(path: Path, error: sqlite3.Error) -> StoreError:
    """Turn SQLite's wording into a sentence a person can act on."""
    text = str(error)
    if "locked" in text or "busy" in text:
        return StoreError(
            f"the database {path} is busy (another cart or program is holding it); "
            "nothing was written. Try again in a moment."
        )
    if "not a database" in text or "malformed" in text or "encrypted" in text:
        return StoreError(
            f"{path} is not a cart database (SQLite says: {text}). Nothing was changed; "
            "point --db or CART_DB at the right file."
        )
    if "readonly" in text or "read-only" in text:
        return StoreError(f"the database {path} cannot be written (read-only); nothing was written.")
    if _sqlite_words(error, path.parent) == "the disk is full":
        return StoreError(
            f"the disk is full: the database {path} cannot be written; nothing was written. "
            "Free some space (or move the database elsewhere) and try again."
        )
    return StoreError(f"the database {path} could not be used: {text}.")
