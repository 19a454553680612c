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
from collections.abc import Iterator, Sequence
from dataclasses import fields, replace
from datetime import UTC, date, datetime, timedelta
from operator import itemgetter
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, NamedTuple

from cart_cli.errors import InvalidInput, StoreError
from cart_cli.files import create_private_file, disk_is_full, private_file, sweep_stale_partials
from cart_cli.models import VALUE_COLUMNS, Entry, Plan

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
SELECT_ENTRIES = f"SELECT {', '.join(ENTRY_COLUMNS)} FROM entries"
PLAN_FIELDS = tuple(f.name for f in fields(Plan))
# The person's own rows besides entries and the plan: exported and imported whole, column
# by column, matched on their uid (see Store.table_rows and bulk_import.BulkImport.add_rows).
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
            row = self.conn.execute(f"{SELECT_ENTRIES} WHERE uid = ?", (entry.uid,)).fetchone()
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
            row = self.conn.execute(f"{SELECT_ENTRIES} WHERE uid = ?", (before.uid,)).fetchone()
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
            stored = self.conn.execute(f"{SELECT_ENTRIES} WHERE uid = ?", (before.uid,)).fetchone()
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
            f"{SELECT_ENTRIES} WHERE corrected_at IS NOT NULL ORDER BY corrected_at DESC, id DESC LIMIT 1"
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
        row = self._query(f"{SELECT_ENTRIES} WHERE id = ?", (entry_id,)).fetchone()
        return _row_to_entry(row) if row else None

    def last_logged(self) -> Entry | None:
        """The entry typed most recently (highest id), whatever time it was recorded for:
        what `cart undo` takes back after a slip such as a wrong ``--at``."""
        row = self._query(f"{SELECT_ENTRIES} ORDER BY id DESC LIMIT 1").fetchone()
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
        sql = SELECT_ENTRIES
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
