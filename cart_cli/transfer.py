"""Copies of the data that leave the database, and the way back in: backups and imports.

- A backup is SQLite's own consistent copy of the whole file (``Store.backup_to``).
- Exports (JSON, CSV, FHIR) are ``exporters``'s work.
- An import reads a JSON export as a stream (``jsonstream``), checks every entry against
  the same ranges and vocabulary as typed input (``import_checks``) before storing
  anything, then adds what is missing in one transaction: entries are matched on ``uid``,
  so importing a file twice adds nothing.

Everything written here is readable by its owner only (0600), whatever the umask, and a
file that exists is replaced only when asked (``force``), never the database itself.
Nothing here reads the clock: ``now`` is a parameter.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, BinaryIO

from cart_cli import parsing
from cart_cli.bulk_import import BulkImport, bulk_import
from cart_cli.errors import InvalidInput
from cart_cli.exporters import EXPORT_FORMAT, EXPORT_VERSION
from cart_cli.files import TargetExists, private_file
from cart_cli.import_checks import (
    FUTURE_LIMIT,
    entry_values,
    is_int,
    message_of,
    plan_from_dict,
    schedule_row,
)
from cart_cli.jsonstream import (
    ENTRY,
    FileProblem,
    FileText,
    JsonStream,
    NotANumber,
    document,
    opened,
    shown,
)
from cart_cli.models import Plan
from cart_cli.store import SCHEDULE_TABLES, Column, Store

# -- backup ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Backup:
    """Where a backup went and how many entries it holds (counted in the copy itself)."""

    path: Path
    entries: int


def default_backup_name(now: datetime) -> str:
    """e.g. ``cart-backup-20261127-142501.db`` (local time, to the second)."""
    return f"cart-backup-{now:%Y%m%d-%H%M%S}.db"


def backup(store: Store, target: Path | None, now: datetime, *, force: bool = False) -> Backup:
    """Copy the database to ``target``: a file, an existing folder, or ``None`` for a
    timestamped file beside the database. A file named by the caller is replaced only with
    ``force``; a timestamped name that is taken gets a number instead (-2, -3, ...)."""
    numbered = target is None or target.is_dir()
    if target is None or target.is_dir():
        folder = store.path.parent if target is None else target
        target = folder / default_backup_name(now)
    # A timestamped name that is taken (a backup in the same second) gets -2, -3, ...,
    # decided atomically when the copy is put in place, so two backups never share a file.
    path = store.backup_to(target, overwrite=force and not numbered, numbered=numbered)
    return Backup(path, Store.entries_in_copy(path))


# -- import ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportResult:
    """What an import did. ``plan`` is one of: "none" (the file has no plan), "added" (the
    database had none), "same", "kept" (it differs; the database's plan was kept) or
    "replaced"."""

    added: int
    already_present: int
    plan: str
    appointments: int = 0  # appointments added (one whose uid is stored already is not)
    medicines: int = 0  # medicines added to the schedule (likewise)
    schedule_present: int = 0  # appointments and medicines of the file already stored
    future: int = 0  # entries of the file dated after now (at most FUTURE_LIMIT): counted as now
    furthest_ahead: timedelta = timedelta(0)  # how far ahead of now the latest of them is


@dataclass(frozen=True)
class CheckedFile:
    """A JSON export read to the end and found valid (nothing stored)."""

    plan: Plan | None
    entries: int


def _entries_of(file: BinaryIO) -> Iterator[tuple[str, object]]:
    """The members of an export in file order, its entries one by one (``jsonstream.document``)."""
    return document(
        JsonStream(FileText(file)),
        streamed="entries",
        not_an_object=f'it is not a cart export (no "format": "{EXPORT_FORMAT}" at the top)',
    )


class _SeenIds:
    """Which ids came earlier in the file, in little memory: a bitmap (one bit an id) for
    the ids of any real file, a set for the odd huge one. (Uids need no memory here: the
    database's unique index on uid finds a repeat, see ``import_entries``.)"""

    _BITMAP_IDS = 1 << 26

    def __init__(self) -> None:
        self.bits = bytearray()
        self.large: set[int] = set()

    def add(self, entry_id: int) -> bool:
        """Record ``entry_id``; True if it was seen before."""
        if entry_id >= self._BITMAP_IDS:
            if entry_id in self.large:
                return True
            self.large.add(entry_id)
            return False
        byte, bit = divmod(entry_id, 8)
        if byte >= len(self.bits):
            self.bits.extend(bytes(max(byte + 1 - len(self.bits), len(self.bits))))
        if self.bits[byte] >> bit & 1:
            return True
        self.bits[byte] |= 1 << bit
        return False


def _first_with(path: Path, before: int, *, uid: str | None = None, entry_id: int | None = None) -> int:
    """The number of the first of the first ``before - 1`` entries with this uid (or id); 0 if none."""
    with opened(path) as file:
        for number, (_key, item) in enumerate(((k, v) for k, v in _entries_of(file) if k == ENTRY), start=1):
            if number >= before:
                break
            if isinstance(item, dict) and (
                (uid is not None and item.get("uid") == uid)
                or (entry_id is not None and is_int(item.get("id")) and item.get("id") == entry_id)
            ):
                return number
    return 0


def _item_at(path: Path, number: int) -> object:
    """Entry ``number`` of the file (1-based) as it is written there; ``None`` if there is none."""
    with opened(path) as file:
        count = 0
        for key, item in _entries_of(file):
            if key == ENTRY:
                count += 1
                if count == number:
                    return item
    return None


class _Reading:
    """One pass over an export: the header checked as it comes, every entry checked and
    handed on one at a time, and ``finish`` checking what can only be known at the end."""

    def __init__(self, path: Path, now: datetime, columns: Mapping[str, Sequence[Column]]) -> None:
        self.path = path
        self.now = now
        self.columns = columns  # the columns of each of SCHEDULE_TABLES in this database
        self.rows: dict[str, list[dict[str, object]]] = {table: [] for table in SCHEDULE_TABLES}
        # The latest time an entry may have (now, give or take a clock's drift), in UTC: the
        # same instant as ``now + CLOCK_SLOP``, compared without asking the local time zone
        # (a Python tzinfo, slow) about it again for every entry.
        self.now_utc = (now + parsing.CLOCK_SLOP).astimezone(UTC)
        # An entry up to FUTURE_LIMIT ahead (a phone whose clock was fast) is imported as it
        # is, counted (``future``) and, like every entry dated ahead, counted as now by the
        # check; one further ahead is refused.
        self.latest = (now + FUTURE_LIMIT).astimezone(UTC)
        self.future = 0
        self.furthest_ahead = timedelta(0)
        self.format: object = None
        self.version: object = None
        self.has_entries = False
        self.plan: Plan | None = None
        self.count = 0

    def entries(self, file: BinaryIO) -> Iterator[dict[str, Any]]:
        """Every entry of the file, checked, oldest problem first; ``InvalidInput`` otherwise."""
        seen = _SeenIds()
        for key, value in _entries_of(file):
            if key == ENTRY:
                self.count += 1
                yield self._entry(self.count, value, seen)
            else:
                self._member(key, value)
        self.finish()

    def _member(self, key: str, value: object) -> None:
        if key == "format":
            self.format = value
            if value != EXPORT_FORMAT:
                raise FileProblem(f'it is not a cart export (no "format": "{EXPORT_FORMAT}" at the top)')
        elif key == "version":
            self.version = value
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise FileProblem(f'"version" must be a whole number, not {shown(value)}')
            if value > EXPORT_VERSION:
                raise FileProblem(
                    f"it was written by a newer version of cart (export version {value}; this cart "
                    f"reads version {EXPORT_VERSION}). Upgrade cart to import it"
                )
        elif key == "entries":
            self.has_entries = True
        elif key == "plan":
            try:
                self.plan = None if value is None else plan_from_dict(value)
            except (FileProblem, InvalidInput) as error:
                raise FileProblem(f"plan: {message_of(error)}") from None
        elif key in SCHEDULE_TABLES:
            self.rows[key] = self._schedule_rows(key, value)
        elif key != "exported_at":
            raise FileProblem(f"{shown(key)} is not part of a cart export")

    def _schedule_rows(self, table: str, value: object) -> list[dict[str, object]]:
        """The appointments or medicines of the file, each checked (``schedule_row``); a uid
        used twice in the list is refused."""
        if not isinstance(value, list):
            raise FileProblem(f"{shown(table)} must be a list")
        rows: list[dict[str, object]] = []
        seen: dict[object, int] = {}
        for number, item in enumerate(value, start=1):
            try:
                row = schedule_row(item, self.columns[table])
                if row["uid"] in seen:
                    raise FileProblem(f"uid {row['uid']} is also used by {table} {seen[row['uid']]}")
            except (FileProblem, InvalidInput) as error:
                raise FileProblem(f"{table} {number}: {message_of(error)}") from None
            seen[row["uid"]] = number
            rows.append(row)
        return rows

    def finish(self) -> None:
        if self.format != EXPORT_FORMAT:
            raise FileProblem(f'it is not a cart export (no "format": "{EXPORT_FORMAT}" at the top)')
        if self.version is None:
            raise FileProblem('"version" must be a whole number, not null')
        if not self.has_entries:
            raise FileProblem('"entries" must be a list')

    def _entry(self, number: int, item: object, seen: _SeenIds) -> dict[str, Any]:
        if self.format is not None and self.format != EXPORT_FORMAT:
            raise FileProblem(f'it is not a cart export (no "format": "{EXPORT_FORMAT}" at the top)')
        try:
            entry = entry_values(item, self.latest)
            if entry["recorded_at"] > self.now_utc:
                self.future += 1
                self.furthest_ahead = max(self.furthest_ahead, entry["recorded_at"] - self.now_utc)
            entry_id = entry["id"]
            if entry_id is not None and seen.add(entry_id):
                raise FileProblem(
                    f"id {entry_id} is also used by entry {_first_with(self.path, number, entry_id=entry_id)}"
                )
        except (FileProblem, InvalidInput) as error:
            where = f"entry {number}"
            if isinstance(item, dict) and is_int(item.get("id")):
                where += f" (id {item['id']})"
            raise FileProblem(f"{where}: {message_of(error)}") from None
        return entry

    def repeated_uid(self, number: int, entry: dict[str, Any]) -> FileProblem:
        """The error for entry ``number``, whose uid an earlier entry of the file has."""
        where = f"entry {number}" + ("" if entry["id"] is None else f" (id {entry['id']})")
        first = _first_with(self.path, number, uid=entry["uid"])
        return FileProblem(f"{where}: uid {entry['uid']} is also used by entry {first}")

    def repeated_uid_at(self, number: int, uid: str) -> FileProblem:
        """``repeated_uid`` for entry ``number`` of the file, known only by its uid: its id in
        the file (if it has one) is read again from the file."""
        item = _item_at(self.path, number)
        entry_id = item.get("id") if isinstance(item, dict) and is_int(item.get("id")) else None
        return self.repeated_uid(number, {"id": entry_id, "uid": uid})


@contextmanager
def _refusing(path: Path) -> Iterator[None]:
    """Turn whatever is wrong with the file into one ``InvalidInput`` line naming it."""

    def refuse(problem: str) -> InvalidInput:
        return InvalidInput(f"cannot import {path}: {problem}. Nothing was imported.")

    try:
        yield
    except FileNotFoundError:
        raise InvalidInput(f"cannot import {path}: there is no such file.") from None
    except IsADirectoryError:
        raise InvalidInput(f"cannot import {path}: it is a folder, not a file.") from None
    except NotANumber as error:
        raise refuse(f"it is not valid JSON ({error})") from None
    except FileProblem as error:
        raise refuse(str(error).rstrip(".")) from None
    except OSError as error:
        raise InvalidInput(f"cannot import {path}: {error.strerror or error}.") from None


def check_export(path: Path, now: datetime) -> CheckedFile:
    """Check a JSON export whole, storing nothing: it is imported into a throwaway database
    in a temporary folder, so the checks are exactly an import's. ``InvalidInput`` names the
    first problem and where (the entry's number, or the line and column of bad JSON)."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="cart-check-") as folder:
        store = Store.open(Path(folder) / "check.db")
        assert store is not None
        with store:
            result = import_entries(store, path, now)
            plan = store.plan()
    return CheckedFile(plan if result.plan == "added" else None, result.added)


def import_entries(
    store: Store, path: Path, now: datetime, *, replace_plan: bool = False, new_file: bool = False
) -> ImportResult:
    """Stream a JSON export into the database in one transaction: each entry is checked and
    stored as it is read, the ones whose ``uid`` is stored already are skipped (this database
    gives the new ones their ids), and the file's plan is saved if the database has none (or
    with ``replace_plan``). The first problem rolls everything back (``InvalidInput`` naming
    it): all of the file or nothing.

    A uid used twice in the file is found by the database itself: the second insert meets
    the first (its id is newer than any stored before the import). Only a uid that was
    already stored *and* is twice in the file is counted as already present twice, which
    stores nothing wrong.

    ``new_file`` is only for ``import_into_new_database`` (a new database built as a hidden
    file, thrown away on any failure): the store loads the entries without their indexes
    and makes them at the end (``bulk_import``), so a repeated uid is looked for in the
    loaded entries instead, at the end or when a problem stops the import (a repeat before
    the problem is named first), and named in the same words. A file that holds more
    entries than the database (at least ``bulk_import.DEFERRED_INDEXES_FROM``) is loaded the same
    way, in the same transaction, and the entries stored before are taken out again at the
    end: the same entries, ids and messages as loading into the indexes.
    """
    # Entries go to the store in batches inside one write transaction (bulk_import),
    # whose rollback on any error is what makes the import all-or-nothing.
    reading = _Reading(path, now, {table: store.table_columns(table) for table in SCHEDULE_TABLES})
    batch: list[dict[str, Any]] = []
    numbers: list[int] = []  # the number in the file of each entry in the batch
    added = 0
    with (
        _refusing(path),
        opened(path) as file,
        bulk_import(
            store, now, new_file=new_file, expected_entries=os.fstat(file.fileno()).st_size // _ENTRY_BYTES
        ) as bulk,
    ):
        stored_before = bulk.newest_id()  # anything newer was stored by this import
        entries = reading.entries(file)
        while True:
            try:
                entry = next(entries)
            except StopIteration:
                break
            except FileProblem:
                # a repeated uid before the problem is the first problem, if any
                _store_batch(bulk, batch, numbers, reading, stored_before)
                if bulk.deferred:
                    _refuse_a_repeat(bulk.first_repeated_uid(), reading, stored_before)
                raise
            batch.append(entry)
            numbers.append(reading.count)
            if len(batch) >= _BATCH:
                added += _store_batch(bulk, batch, numbers, reading, stored_before)
        added += _store_batch(bulk, batch, numbers, reading, stored_before)
        if bulk.deferred:
            added -= bulk.drop_already_stored()
            _refuse_a_repeat(bulk.create_indexes(), reading, stored_before)
        plan_result, plan_to_save = _plan_decision(store.plan(), reading.plan, replace_plan)
        if plan_to_save is not None:
            bulk.save_plan(plan_to_save)
        reading.rows["medicines"] = _without_active_twins(store, reading.rows["medicines"])
        schedule = {table: bulk.add_rows(table, reading.rows[table]) for table in SCHEDULE_TABLES}
        _read_back(store)
    return ImportResult(
        added,
        reading.count - added,
        plan_result,
        appointments=schedule["appointments"],
        medicines=schedule["medicines"],
        schedule_present=sum(len(reading.rows[table]) for table in SCHEDULE_TABLES) - sum(schedule.values()),
        future=reading.future,
        furthest_ahead=reading.furthest_ahead,
    )


def _without_active_twins(store: Store, rows: list[dict[str, object]]) -> list[dict[str, object]]:
    """The medicines of a file but those whose name (ignoring case and spaces) is on the
    schedule already under another uid, as `cart med add` refuses a name twice: the one here
    is kept as it is (its times and dose are the person's), never doubled."""
    active = {" ".join(medicine.name.casefold().split()): medicine.uid for medicine in store.medicines()}
    kept: list[dict[str, object]] = []
    for row in rows:
        key = " ".join(str(row.get("name", "")).casefold().split())
        if row.get("stopped_at") is None:
            if active.get(key, row["uid"]) != row["uid"]:
                continue
            active[key] = str(row["uid"])
        kept.append(row)
    return kept


def _read_back(store: Store) -> None:
    """Read the schedule back as every command reads it, before the import is committed:
    a value stored that a command could not read is a problem of the file, not a crash later."""
    try:
        store.appointments()
        store.medicines(include_stopped=True)
    except (InvalidInput, ValueError) as error:
        raise FileProblem(
            f"its appointments or medicines cannot be read back ({message_of(error)})"
        ) from None


def _refuse_a_repeat(repeat: tuple[int, str] | None, reading: _Reading, stored_before: int) -> None:
    """Raise the repeated-uid problem for ``repeat`` (the id and uid the store found), if
    any. In a new file entry number n of the file was stored with id ``stored_before + n``."""
    if repeat is not None:
        stored_id, uid = repeat
        raise reading.repeated_uid_at(stored_id - stored_before, uid)


_BATCH = 1000  # entries handed to SQLite at once
# About the bytes an entry takes in cart's own JSON export (a million take about 157 MB): a
# file's size over this is about how many entries it holds, for the store's choice of how to
# load them (bulk_import). A wrong guess costs time, never a different result.
_ENTRY_BYTES = 150


def _store_batch(
    bulk: BulkImport, batch: list[dict[str, Any]], numbers: list[int], reading: _Reading, stored_before: int
) -> int:
    """Store the batch (and empty it); return how many entries were new. Where some uids
    were stored already, find out whether one was stored by this import: a repeat in the
    file, refused (``stored_before`` is the newest id from before the import)."""
    batch_start = bulk.newest_id()
    stored = bulk.add_batch(batch)
    if stored < len(batch):
        in_batch: set[str] = set()
        for number, entry in zip(numbers, batch, strict=True):
            uid = entry["uid"]
            stored_id = bulk.stored_id_of(uid)
            # Stored by this import: in an earlier batch, or earlier in this one. (A uid
            # stored before the import is only counted as present, however often it comes.)
            if stored_before < stored_id <= batch_start or (uid in in_batch and stored_id > stored_before):
                raise reading.repeated_uid(number, entry)
            in_batch.add(uid)
    batch.clear()
    numbers.clear()
    return stored


def import_into_new_database(
    database: Path, path: Path, now: datetime, *, replace_plan: bool = False
) -> ImportResult:
    """Import into a database that does not exist yet: it is built as a hidden file beside
    ``database`` and put in place only when the import succeeded, so a bad file leaves no
    database behind (and one pass over the file is enough)."""
    from cart_cli.errors import StoreError

    database.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        with private_file(database, database=None) as placement:
            store = Store.open(placement.partial, now=now)
            assert store is not None
            with store:
                result = import_entries(store, path, now, replace_plan=replace_plan, new_file=True)
                store.checkpoint()  # everything in the file itself, none in a -wal beside it
    except TargetExists:  # made meanwhile by another cart
        raise StoreError(
            f"a database appeared at {database} while the file was being imported; nothing was "
            "imported. Run the import again to add to it."
        ) from None
    return result


def _plan_decision(
    existing: Plan | None, in_file: Plan | None, replace_plan: bool
) -> tuple[str, Plan | None]:
    """What becomes of the file's plan: (the ImportResult word, the plan to save or None)."""
    if in_file is None:
        return "none", None
    if existing is None:
        return "added", in_file
    if existing == in_file:
        return "same", None
    if replace_plan:
        return "replaced", in_file
    return "kept", None
