"""Copies of the data that leave the database: backups, CSV/JSON exports, and imports.

- A backup is SQLite's own consistent copy of the whole file (``Store.backup_to``).
- An export streams entries oldest first, one at a time, so a million entries need no
  more memory than one: JSON (every entry and the plan; what ``import`` reads back) or CSV
  (one row per entry, for a spreadsheet; the plan is only in JSON).
- An import reads a JSON export, checks every entry against the same ranges and
  vocabulary as typed input before storing anything, then adds what is missing in one
  transaction: entries are matched on ``uid``, so importing a file twice adds nothing.

Everything written here is readable by its owner only (0600), whatever the umask, and a
file that exists is replaced only when asked (``force``), never the database itself.
Nothing here reads the clock: ``now`` is a parameter.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, BinaryIO, TextIO

from cart_cli import parsing  # no heavy imports: checking an import is its work
from cart_cli.errors import InvalidInput
from cart_cli.models import (
    DIAGNOSES,
    KIND_FIELDS,
    KINDS,
    LATER_COLUMNS,
    MAX_HOSPITAL_CHARS,
    MAX_NOTE_CHARS,
    MAX_OTHER_CHARS,
    SEVERITIES,
    TEMPERATURE_SITES,
    VALUE_COLUMNS,
    Plan,
    plan_to_dict,
)
from cart_cli.safe_text import describe_character, unsafe_characters
from cart_cli.store import BulkImport, Store, private_file

EXPORT_FORMAT = "cart-export"
EXPORT_VERSION = 1
# The CSV header: the JSON entry fields, with every kind's value columns side by side, then
# two columns for reading in a spreadsheet: the local date and time without its offset (which
# a spreadsheet reads as a date) and the day since infusion (day 0; empty without a plan).
# Columns added later (issue 22: where a temperature was taken, blood results, corrections)
# follow, so each older column stays where a spreadsheet made from an older export has it.
CSV_COLUMNS = (
    "id", "uid", "kind", "recorded_at",
    *(name for name in VALUE_COLUMNS if name not in LATER_COLUMNS),  # each column once
    "note", "local_time", "day", *LATER_COLUMNS, "corrected_at", "was",
)  # fmt: skip
EXCEL_BOM = "\ufeff"  # --excel: spreadsheets then read the file as UTF-8 (accents in notes)

MIN_RECORDED_YEAR = 2000  # earlier than any CAR-T treatment: surely a mistake in the file
_UID_RE = re.compile(r"[A-Za-z0-9_-]{1,64}")  # ours are 32 hex digits; UUIDs also fit
_TOP_LEVEL_KEYS = ("format", "version", "exported_at", "plan", "entries")
_ALLOWED_KEYS = {
    kind: frozenset(("id", "uid", "kind", "recorded_at", *fields, "note", "corrected_at", "was"))
    for kind, fields in KIND_FIELDS.items()
}
_PLAN_KEYS = tuple(plan_to_dict(Plan(infusion_date=date(2000, 1, 1))))


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
    _refuse_database_files(target, store.path)
    # A timestamped name that is taken (a backup in the same second) gets -2, -3, ...,
    # decided atomically when the copy is put in place, so two backups never share a file.
    path = store.backup_to(target, overwrite=force and not numbered, numbered=numbered)
    return Backup(path, Store.entries_in_copy(path))


def _refuse_database_files(target: Path, database: Path) -> None:
    """Never let --force replace the live database or its -wal/-shm/-journal files."""
    names = [database.name + suffix for suffix in ("", "-wal", "-shm", "-journal")]
    for name in names:
        other = database.with_name(name)
        same = target.resolve() == other.resolve()
        if not same and target.exists() and other.exists():
            same = os.path.samefile(target, other)
        if same:
            raise InvalidInput(f"{target} is the database itself (or part of it): choose another file.")


# -- export ------------------------------------------------------------------------------


@contextmanager
def private_output(target: Path, *, force: bool = False, database: Path | None = None) -> Iterator[TextIO]:
    """A text file for an export: written as a hidden 0600 file beside ``target`` and moved
    into place only when complete, so a failed export leaves nothing half-written behind.

    An existing ``target`` is refused unless ``force``; the database itself always is.
    """
    if database is not None:
        _refuse_database_files(target, database)
    with (
        private_file(target, overwrite=force) as placement,
        open(placement.partial, "w", encoding="utf-8", newline="") as out,
    ):
        yield out
        out.flush()
        os.fsync(out.fileno())


# Each entry's JSON or CSV line is made by SQLite, in C (Store.json_line_batches and
# Store.csv_line_batches), so a million entries take seconds; what is written around the
# lines, and the rare CSV cell that needs quotes or the formula guard, is done here.


def _csv_text(text: str) -> str:
    """One text cell as the csv module writes it, after the formula guard (the store asks
    for it only where a cell needs either)."""
    import csv
    import io

    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        text = "'" + text
    out = io.StringIO()
    csv.writer(out).writerow([text])  # its quoting looks at the line terminator's characters
    return out.getvalue()[:-2]


def export_json(store: Store, out: TextIO, now: datetime) -> int:
    """Write the JSON export to ``out`` entry by entry; return how many entries it holds.

    Shape: {"format": "cart-export", "version": 1, "exported_at": ..., "plan": {...} or
    null, "entries": [...]}, one entry per line (compact), oldest first.
    """
    import json

    encode = json.JSONEncoder(ensure_ascii=False, allow_nan=False).encode
    plan = store.plan()
    out.write("{\n")
    out.write(f'  "format": {encode(EXPORT_FORMAT)},\n')
    out.write(f'  "version": {EXPORT_VERSION},\n')
    out.write(f'  "exported_at": {encode(now.isoformat(timespec="seconds"))},\n')
    out.write(f'  "plan": {encode(plan_to_dict(plan) if plan else None)},\n')
    out.write('  "entries": [')
    count = 0
    write = out.write
    for lines in store.json_line_batches():
        write(("\n    " if not count else ",\n    ") + ",\n    ".join(lines))
        count += len(lines)
    write("\n  ]\n}\n" if count else "]\n}\n")
    return count


def export_csv(store: Store, out: TextIO, *, excel: bool = False) -> int:
    """Write one CSV row per entry (header first, oldest first); return how many rows.

    Empty cells are values the entry does not have; a zero stays ``0``. ``recorded_at`` is
    ISO 8601 in local time with its offset; ``local_time`` is the same moment as a
    spreadsheet reads a date and time; ``day`` is the day since infusion (empty without a
    plan). The plan itself is not in the CSV (use JSON for everything). Free text that a
    spreadsheet would run as a formula gets a leading apostrophe. ``excel`` starts the file
    with a UTF-8 byte order mark, which is how Excel knows the file is UTF-8.
    """
    import csv

    plan = store.plan()
    if excel:
        out.write(EXCEL_BOM)
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)  # "\r\n" ends every line, as the csv module ends them
    infusion_date = None if plan is None else plan.infusion_date
    count = 0
    for lines in store.csv_line_batches(CSV_COLUMNS, infusion_date=infusion_date, text_cell=_csv_text):
        out.write("\r\n".join(lines) + "\r\n")
        count += len(lines)
    return count


def export_fhir(store: Store, out: TextIO, now: datetime) -> int:
    """Write an HL7 FHIR R4 Bundle of every entry (``formats.fhir``), oldest first, entry by
    entry; return how many entries it holds."""
    from cart_cli.formats.fhir import BundleWriter

    bundle = BundleWriter(out, now, store.plan())
    bundle.start()
    count = 0
    for entry in store.iter_entries(newest_first=False):
        bundle.entry(entry)
        count += 1
    bundle.finish()
    return count


# -- import ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportResult:
    """What an import did. ``plan`` is one of: "none" (the file has no plan), "added" (the
    database had none), "same", "kept" (it differs; the database's plan was kept) or
    "replaced"."""

    added: int
    already_present: int
    plan: str


@dataclass(frozen=True)
class CheckedFile:
    """A JSON export read to the end and found valid (nothing stored)."""

    plan: Plan | None
    entries: int


class _Problem(Exception):
    """Something wrong in the file; the caller adds where it is."""


class _NotANumber(_Problem):
    """NaN or Infinity, which JSON does not allow."""


class _BadJson(_Problem):
    """Not valid JSON; the message already says where (line and column)."""


MAX_IMPORT_BYTES = 1 << 30  # 1 GiB: millions of entries; more is not a cart export
MAX_VALUE_CHARS = 1 << 20  # one entry (or the plan) is a few kB at most: 1 MB is not a cart entry
_READ_CHUNK = 1 << 20
_NOT_WHITESPACE = re.compile("[^ \t\n\r]")  # JSON's white space is these four only
_ENTRY = "entry"  # what _document yields for each item of "entries"


@contextmanager
def _opened(path: Path) -> Iterator[BinaryIO]:
    """The file, opened for reading only if it can be an export: a regular file (``/dev/zero``,
    ``/dev/urandom`` or a pipe would be read for ever) of at most ``MAX_IMPORT_BYTES``."""
    import stat

    # O_NONBLOCK: opening a named pipe must not wait for a writer before we can refuse it.
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    with os.fdopen(fd, "rb") as file:
        info = os.fstat(file.fileno())
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError(path)
        if not stat.S_ISREG(info.st_mode):
            raise _Problem("it is not a regular file (a device, a pipe or a socket cannot be imported)")
        if info.st_size > MAX_IMPORT_BYTES:
            raise _Problem(f"it is larger than {MAX_IMPORT_BYTES >> 20} MB, far more than a cart export")
        yield file


class _Text:
    """The file's text, chunk by chunk: the first byte that is not UTF-8, or is a NUL, is
    named by its position (reading stops there, so a huge binary file costs one chunk)."""

    def __init__(self, file: BinaryIO) -> None:
        import codecs

        self.file = file
        self.decoder = codecs.getincrementaldecoder("utf-8-sig")()
        self.offset = 0
        self.done = False

    def read(self) -> str:
        """The next piece of text; "" once the file is read to the end."""
        while not self.done:
            chunk = self.file.read(_READ_CHUNK)
            if not chunk:
                self.done = True
                try:
                    return self.decoder.decode(b"", final=True)
                except UnicodeDecodeError:
                    raise _Problem("it ends in the middle of a UTF-8 character (is it complete?)") from None
            nul = chunk.find(b"\0")
            try:
                text = self.decoder.decode(chunk if nul < 0 else chunk[:nul])
            except UnicodeDecodeError as error:
                raise _Problem(
                    f"byte {self.offset + error.start + 1} is not UTF-8 text (is it a cart JSON export?)"
                ) from None
            if nul >= 0:
                raise _Problem(
                    f"byte {self.offset + nul + 1} is a NUL byte: it is not text (is it a cart JSON export?)"
                )
            self.offset += len(chunk)
            if text:
                return text
        return ""


class _JsonStream:
    """A JSON document read as a stream: the structure of the top-level object and of its
    "entries" list is walked here, and every value inside them (one entry, the plan) is
    decoded by Python's own C decoder (``raw_decode``) as soon as it is complete in the
    buffer. Any valid layout is read (one entry per line as cart writes it, everything on
    one line, indented, keys in any order); memory holds one buffer, never the document."""

    def __init__(self, text: _Text) -> None:
        import json

        def no_constants(name: str) -> object:
            raise _NotANumber(f"{name} is not a number")

        self.text = text
        self.decoder = json.JSONDecoder(parse_constant=no_constants)
        self.buffer = ""
        self.pos = 0
        self.eof = False
        self.lines_before = 0  # newlines in the text already dropped from the buffer
        self.column_before = 0  # characters after the last of them

    def _fill(self) -> bool:
        """Read more text into the buffer (dropping what is consumed); False at the end."""
        if self.eof:
            return False
        if self.pos > _READ_CHUNK:
            dropped = self.buffer[: self.pos]
            newlines = dropped.count("\n")
            if newlines:
                self.lines_before += newlines
                self.column_before = len(dropped) - dropped.rindex("\n") - 1
            else:
                self.column_before += len(dropped)
            self.buffer = self.buffer[self.pos :]
            self.pos = 0
        more = self.text.read()
        if not more:
            self.eof = True
            return False
        self.buffer += more
        return True

    def where(self, pos: int) -> str:
        """``line L, column C`` of a position in the buffer (1-based, as json says it)."""
        before = self.buffer[:pos]
        newlines = before.count("\n")
        column = pos - before.rindex("\n") if newlines else self.column_before + pos + 1
        return f"line {self.lines_before + newlines + 1}, column {column}"

    def error(self, message: str, pos: int | None = None) -> _BadJson:
        return _BadJson(f"it is not valid JSON ({self.where(self.pos if pos is None else pos)}: {message})")

    def peek(self) -> str:
        """The next character that is not white space ("" at the end), not consumed."""
        while True:
            found = _NOT_WHITESPACE.search(self.buffer, self.pos)
            if found is not None:
                self.pos = found.start()
                return self.buffer[self.pos]
            self.pos = len(self.buffer)
            if not self._fill():
                return ""

    def expect(self, characters: str, message: str) -> str:
        char = self.peek()
        if not char or char not in characters:
            raise self.error(message)
        self.pos += 1
        return char

    def value(self) -> object:
        """The next complete JSON value. It is decoded once the buffer holds all of it: a
        value that stops at the buffer's end (a number may go on) waits for more text."""
        import json

        self.peek()
        while True:
            try:
                value, end = self.decoder.raw_decode(self.buffer, self.pos)
            except json.JSONDecodeError as error:
                if len(self.buffer) - self.pos <= MAX_VALUE_CHARS and self._fill():
                    continue
                raise self.error(error.msg, error.pos) from None
            except RecursionError:
                raise self.error("nested too deeply") from None
            except ValueError:  # Python refuses to read an integer thousands of digits long
                raise self.error("a number in it is far too long") from None
            if end < len(self.buffer) or not self._fill():
                self.pos = end
                return value


def _document(stream: _JsonStream) -> Iterator[tuple[str, object]]:
    """The top-level object's members in file order, ``(key, value)``, except that the
    "entries" list is given item by item as ``(_ENTRY, item)``."""
    first = stream.peek()
    if first != "{":
        if first and first in '["0123456789-tfn':  # valid JSON, but not an object
            stream.value()
            raise _Problem(f'it is not a cart export (no "format": "{EXPORT_FORMAT}" at the top)')
        raise stream.error("Expecting value")
    stream.pos += 1
    seen: set[str] = set()
    if stream.peek() == "}":
        stream.pos += 1
    else:
        while True:
            if stream.peek() != '"':
                raise stream.error("Expecting property name enclosed in double quotes")
            key = stream.value()
            assert isinstance(key, str)
            if key in seen:
                raise _Problem(f"{_shown(key)} appears twice at the top of the file")
            seen.add(key)
            stream.expect(":", "Expecting ':' delimiter")
            if key == "entries":
                if stream.peek() != "[":
                    stream.value()  # invalid JSON is named as such first
                    raise _Problem('"entries" must be a list')
                stream.pos += 1
                if stream.peek() == "]":
                    stream.pos += 1
                else:
                    while True:
                        yield _ENTRY, stream.value()
                        if stream.expect(",]", "Expecting ',' delimiter") == "]":
                            break
                yield "entries", None
            else:
                yield key, stream.value()
            if stream.expect(",}", "Expecting ',' delimiter") == "}":
                break
    if stream.peek():
        raise stream.error("Extra data")


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
    with _opened(path) as file:
        for number, (_key, item) in enumerate(
            ((k, v) for k, v in _document(_JsonStream(_Text(file))) if k == _ENTRY), start=1
        ):
            if number >= before:
                break
            if isinstance(item, dict) and (
                (uid is not None and item.get("uid") == uid)
                or (entry_id is not None and _is_int(item.get("id")) and item.get("id") == entry_id)
            ):
                return number
    return 0


def _item_at(path: Path, number: int) -> object:
    """Entry ``number`` of the file (1-based) as it is written there; ``None`` if there is none."""
    with _opened(path) as file:
        count = 0
        for key, item in _document(_JsonStream(_Text(file))):
            if key == _ENTRY:
                count += 1
                if count == number:
                    return item
    return None


class _Reading:
    """One pass over an export: the header checked as it comes, every entry checked and
    handed on one at a time, and ``finish`` checking what can only be known at the end."""

    def __init__(self, path: Path, now: datetime) -> None:
        self.path = path
        self.now = now
        # The latest time an entry may have (now, give or take a clock's drift), in UTC: the
        # same instant as ``now + CLOCK_SLOP``, compared without asking the local time zone
        # (a Python tzinfo, slow) about it again for every entry.
        self.latest = (now + parsing.CLOCK_SLOP).astimezone(UTC)
        self.format: object = None
        self.version: object = None
        self.has_entries = False
        self.plan: Plan | None = None
        self.count = 0

    def entries(self, file: BinaryIO) -> Iterator[dict[str, Any]]:
        """Every entry of the file, checked, oldest problem first; ``InvalidInput`` otherwise."""
        seen = _SeenIds()
        for key, value in _document(_JsonStream(_Text(file))):
            if key == _ENTRY:
                self.count += 1
                yield self._entry(self.count, value, seen)
            else:
                self._member(key, value)
        self.finish()

    def _member(self, key: str, value: object) -> None:
        if key == "format":
            self.format = value
            if value != EXPORT_FORMAT:
                raise _Problem(f'it is not a cart export (no "format": "{EXPORT_FORMAT}" at the top)')
        elif key == "version":
            self.version = value
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise _Problem(f'"version" must be a whole number, not {_shown(value)}')
            if value > EXPORT_VERSION:
                raise _Problem(
                    f"it was written by a newer version of cart (export version {value}; this cart "
                    f"reads version {EXPORT_VERSION}). Upgrade cart to import it"
                )
        elif key == "entries":
            self.has_entries = True
        elif key == "plan":
            try:
                self.plan = None if value is None else _plan_from_dict(value)
            except (_Problem, InvalidInput) as error:
                raise _Problem(f"plan: {_message(error)}") from None
        elif key != "exported_at":
            raise _Problem(f"{_shown(key)} is not part of a cart export")

    def finish(self) -> None:
        if self.format != EXPORT_FORMAT:
            raise _Problem(f'it is not a cart export (no "format": "{EXPORT_FORMAT}" at the top)')
        if self.version is None:
            raise _Problem('"version" must be a whole number, not null')
        if not self.has_entries:
            raise _Problem('"entries" must be a list')

    def _entry(self, number: int, item: object, seen: _SeenIds) -> dict[str, Any]:
        if self.format is not None and self.format != EXPORT_FORMAT:
            raise _Problem(f'it is not a cart export (no "format": "{EXPORT_FORMAT}" at the top)')
        try:
            entry = _entry_values(item, self.latest)
            entry_id = entry["id"]
            if entry_id is not None and seen.add(entry_id):
                raise _Problem(
                    f"id {entry_id} is also used by entry {_first_with(self.path, number, entry_id=entry_id)}"
                )
        except (_Problem, InvalidInput) as error:
            where = f"entry {number}"
            if isinstance(item, dict) and _is_int(item.get("id")):
                where += f" (id {item['id']})"
            raise _Problem(f"{where}: {_message(error)}") from None
        return entry

    def repeated_uid(self, number: int, entry: dict[str, Any]) -> _Problem:
        """The error for entry ``number``, whose uid an earlier entry of the file has."""
        where = f"entry {number}" + ("" if entry["id"] is None else f" (id {entry['id']})")
        first = _first_with(self.path, number, uid=entry["uid"])
        return _Problem(f"{where}: uid {entry['uid']} is also used by entry {first}")

    def repeated_uid_at(self, number: int, uid: str) -> _Problem:
        """``repeated_uid`` for entry ``number`` of the file, known only by its uid: its id in
        the file (if it has one) is read again from the file."""
        item = _item_at(self.path, number)
        entry_id = item.get("id") if isinstance(item, dict) and _is_int(item.get("id")) else None
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
    except _NotANumber as error:
        raise refuse(f"it is not valid JSON ({error})") from None
    except _Problem as error:
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
    and makes them at the end (``Store.bulk_import``), so a repeated uid is looked for in the
    loaded entries instead, at the end or when a problem stops the import (a repeat before
    the problem is named first), and named in the same words.
    """
    # Entries go to the store in batches inside one write transaction (Store.bulk_import),
    # whose rollback on any error is what makes the import all-or-nothing.
    reading = _Reading(path, now)
    batch: list[dict[str, Any]] = []
    numbers: list[int] = []  # the number in the file of each entry in the batch
    added = 0
    with _refusing(path), _opened(path) as file, store.bulk_import(now, new_file=new_file) as bulk:
        stored_before = bulk.newest_id()  # anything newer was stored by this import
        entries = reading.entries(file)
        while True:
            try:
                entry = next(entries)
            except StopIteration:
                break
            except _Problem:
                # a repeated uid before the problem is the first problem, if any
                _store_batch(bulk, batch, numbers, reading, stored_before)
                if new_file:
                    _refuse_a_repeat(bulk.first_repeated_uid(), reading, stored_before)
                raise
            batch.append(entry)
            numbers.append(reading.count)
            if len(batch) >= _BATCH:
                added += _store_batch(bulk, batch, numbers, reading, stored_before)
        added += _store_batch(bulk, batch, numbers, reading, stored_before)
        if new_file:
            _refuse_a_repeat(bulk.create_indexes(), reading, stored_before)
        plan_result, plan_to_save = _plan_decision(store.plan(), reading.plan, replace_plan)
        if plan_to_save is not None:
            bulk.save_plan(plan_to_save)
    return ImportResult(added, reading.count - added, plan_result)


def _refuse_a_repeat(repeat: tuple[int, str] | None, reading: _Reading, stored_before: int) -> None:
    """Raise the repeated-uid problem for ``repeat`` (the id and uid the store found), if
    any. In a new file entry number n of the file was stored with id ``stored_before + n``."""
    if repeat is not None:
        stored_id, uid = repeat
        raise reading.repeated_uid_at(stored_id - stored_before, uid)


_BATCH = 1000  # entries handed to SQLite at once


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
            if uid in in_batch or stored_before < stored_id <= batch_start:
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
    from cart_cli.store import private_file

    database.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        with private_file(database) as placement:
            store = Store.open(placement.partial, now=now)
            assert store is not None
            with store:
                result = import_entries(store, path, now, replace_plan=replace_plan, new_file=True)
                store.checkpoint()  # everything in the file itself, none in a -wal beside it
    except InvalidInput as error:
        if error.message.startswith(f"{database} already exists"):  # made meanwhile by another cart
            raise StoreError(
                f"a database appeared at {database} while the file was being imported; nothing was "
                "imported. Run the import again to add to it."
            ) from None
        raise
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


# -- checking one entry or plan ----------------------------------------------------------


def _entry_values(item: object, latest: datetime) -> dict[str, Any]:
    """The fields of one entry (``Entry``'s names), checked as strictly as `cart log` checks
    typed values; ``latest`` is the latest time it may have (``_Reading.latest``)."""
    if not isinstance(item, dict):
        raise _Problem("must be a JSON object")
    kind = item.get("kind")
    if kind is None:
        raise _Problem("kind is missing")
    if kind not in KINDS:
        raise _Problem(f"kind {_shown(kind)} is not one of {', '.join(KINDS)}")
    allowed = _ALLOWED_KEYS[kind]
    for key in item:
        if key not in allowed:
            raise _Problem(f"{_shown(key)} does not belong in a {kind} entry")

    entry_id = item.get("id")
    if entry_id is not None and not (_is_int(entry_id) and entry_id >= 1):
        raise _Problem(f"id must be a whole number from 1, not {_shown(entry_id)}")
    uid = item.get("uid")
    if uid is None:
        raise _Problem("uid is missing (it is how an import knows what is already stored)")
    if not isinstance(uid, str) or not _UID_RE.fullmatch(uid):
        raise _Problem(f"uid {_shown(uid)} is not 1-64 letters, digits, - or _")
    recorded_at = _recorded_at(item.get("recorded_at"), latest)
    note = _text(item.get("note"), "note", MAX_NOTE_CHARS, required=False)
    values: dict[str, Any] = {}

    if kind == "temp":
        celsius = _number(item.get("celsius"), "celsius")
        if not parsing.MIN_TEMPERATURE_C <= round(celsius, 2) <= parsing.MAX_TEMPERATURE_C:
            raise _Problem(
                f"temperature {celsius:g} is outside "
                f"{parsing.MIN_TEMPERATURE_C:g}-{parsing.MAX_TEMPERATURE_C:g} °C"
            )
        values["celsius"] = round(celsius, 2)
        site = item.get("site")
        if site is not None and site not in TEMPERATURE_SITES:
            raise _Problem(f"site {_shown(site)} is not one of {', '.join(TEMPERATURE_SITES)}")
        values["site"] = site
    elif kind == "bloods":
        values.update(_bloods(item))
    elif kind == "symptom":
        values.update(_symptom(item))
    elif kind == "fatigue":
        values["score"] = parsing.parse_fatigue(str(_whole(item.get("score"), "score")))
    elif kind == "bp":
        systolic = _whole(item.get("systolic"), "systolic")
        diastolic = _whole(item.get("diastolic"), "diastolic")
        values["systolic"], values["diastolic"] = parsing.parse_bp(f"{systolic}/{diastolic}")
        pulse = item.get("pulse")
        values["pulse"] = None if pulse is None else parsing.parse_pulse(_whole(pulse, "pulse"))
    elif kind == "fluids":
        litres = _number(item.get("litres"), "litres")
        values["litres"], _ = parsing.parse_fluids(repr(litres))
    elif kind in ("spo2", "pulse", "call", "med"):
        values.update(_reading_or_event(kind, item))
    elif kind in ("ice", "handwriting"):
        values.update(_neuro_values(kind, item))
    values.update(kind=kind, recorded_at=recorded_at, id=entry_id, uid=uid, note=note)
    values.update(_correction(item))
    return values


def _bloods(item: dict[str, Any]) -> dict[str, Any]:
    """bloods: any of neutrophils, crp, platelets, hb (at least one), each in its range."""
    from cart_cli.bloods import TESTS

    values: dict[str, Any] = {}
    for test in TESTS:
        if item.get(test.name) is not None:
            value = _number(item[test.name], test.name)
            if not test.low <= value <= test.high:
                raise _Problem(f"{test.name} {value:g} is outside {test.low:g}-{test.high:g} {test.unit}")
            values[test.name] = value
    if not values:
        raise _Problem("a bloods entry needs at least one result")
    return values


def _correction(item: dict[str, Any]) -> dict[str, Any]:
    """corrected_at (ISO 8601) and was (the entry before, as JSON text): both or neither."""
    corrected_at, was = item.get("corrected_at"), item.get("was")
    if corrected_at is None and was is None:
        return {}
    if corrected_at is None or was is None:
        raise _Problem("corrected_at and was go together: give both or neither")
    text = _string(corrected_at, "corrected_at")
    try:
        datetime.fromisoformat(text)
    except ValueError:
        raise _Problem(f"corrected_at {_shown(text)} is not an ISO 8601 date and time") from None
    import json

    was_text = _string(was, "was")
    try:
        before = json.loads(was_text)
    except ValueError:
        raise _Problem("was is not JSON text") from None
    if not isinstance(before, dict):
        raise _Problem("was must hold a JSON object")
    return {"corrected_at": text, "was": was_text}


def _reading_or_event(kind: str, item: dict[str, Any]) -> dict[str, Any]:
    """spo2 (50-100 %), pulse (20-250), call (outcome text, may be missing), med (a name)."""
    from cart_cli import parsing
    from cart_cli.models import MAX_MEDICINE_CHARS, MAX_OUTCOME_CHARS

    if kind == "spo2":
        return {"spo2": parsing.parse_spo2(_whole(item.get("spo2"), "spo2"))}
    if kind == "pulse":
        return {"pulse": parsing.parse_pulse(_whole(item.get("pulse"), "pulse"))}
    if kind == "call":
        return {"outcome": _text(item.get("outcome"), "outcome", MAX_OUTCOME_CHARS, required=False)}
    return {"medicine": _text(item.get("medicine"), "medicine", MAX_MEDICINE_CHARS, required=True)}


def _neuro_values(kind: str, item: dict[str, Any]) -> dict[str, Any]:
    """ice: ``score`` 0-10 and ``items`` (parts adding up to it) or null; handwriting: one
    of same, changed, first. Checked as `cart log ice` / `cart log handwriting` check them."""
    from cart_cli import neuro

    if kind == "handwriting":
        value = item.get("handwriting")
        if value not in neuro.HANDWRITING_VALUES:
            raise _Problem(f"handwriting {_shown(value)} is not one of {', '.join(neuro.HANDWRITING_VALUES)}")
        return {"handwriting": value}
    score = _whole(item.get("score"), "score")
    if not 0 <= score <= neuro.ICE_MAX:
        raise _Problem(f"ICE score {score} is not from 0 to {neuro.ICE_MAX}")
    items = item.get("items")
    if items is not None:
        items = neuro.parse_items(_string(items, "items"), score)
    return {"score": score, "items": items}


def _symptom(item: dict[str, Any]) -> dict[str, Any]:
    """symptom: a canonical name, or "other" with the person's own words in ``other``."""
    from cart_cli.symptoms import by_name

    name = item.get("symptom")
    if not isinstance(name, str):
        raise _Problem(f"symptom must be a symptom name, not {_shown(name)}")
    other = item.get("other")
    if name == "other":
        other = _text(other, "other (the symptom in the person's own words)", MAX_OTHER_CHARS, required=True)
    else:
        try:
            by_name(name)
        except KeyError:
            raise _Problem(
                f"symptom {_shown(name)} is not a name `cart symptoms` lists "
                '(use "other" with the words in "other")'
            ) from None
        if other is not None:
            raise _Problem(f'"other" text belongs only to a symptom named "other", not {_shown(name)}')
    severity = item.get("severity")
    if severity is not None and severity not in SEVERITIES:
        raise _Problem(f"severity {_shown(severity)} is not one of {', '.join(SEVERITIES)}")
    return {"symptom": name, "other": other, "severity": severity}


def _plan_from_dict(item: object) -> Plan:
    """The plan, checked as `cart setup` checks it."""
    if not isinstance(item, dict):
        raise _Problem("must be a JSON object or null")
    for key in item:
        if key not in _PLAN_KEYS:
            raise _Problem(f"{_shown(key)} is not part of a plan")
    text = item.get("infusion_date")
    try:
        infusion_date = date.fromisoformat(text) if isinstance(text, str) else None
    except ValueError:
        infusion_date = None
    if infusion_date is None:
        raise _Problem(f"infusion_date must be a date like 2026-11-03, not {_shown(text)}")
    if not parsing.MIN_INFUSION_YEAR <= infusion_date.year <= parsing.MAX_INFUSION_YEAR:
        raise _Problem(
            f"infusion_date {text} is not from {parsing.MIN_INFUSION_YEAR} to {parsing.MAX_INFUSION_YEAR}"
        )
    values: dict[str, Any] = {"infusion_date": infusion_date}
    values["hospital"] = _text(item.get("hospital"), "hospital", MAX_HOSPITAL_CHARS, required=False)
    phone = item.get("phone")
    values["phone"] = None if phone is None else parsing.parse_phone(_string(phone, "phone"))
    diagnosis = item.get("diagnosis")
    if diagnosis is not None and diagnosis not in DIAGNOSES:
        raise _Problem(f"diagnosis {_shown(diagnosis)} is not one of {', '.join(DIAGNOSES)}")
    values["diagnosis"] = diagnosis
    if item.get("fever_threshold_c") is not None:
        threshold = _number(item["fever_threshold_c"], "fever_threshold_c")
        values["fever_threshold_c"] = parsing.parse_fever_threshold(repr(threshold))
    if item.get("no_driving_weeks") is not None:
        weeks = _whole(item["no_driving_weeks"], "no_driving_weeks")
        values["no_driving_weeks"] = parsing.parse_no_driving_weeks(weeks)
    if item.get("emergency_number") is not None:
        values["emergency_number"] = parsing.parse_phone(
            _string(item["emergency_number"], "emergency_number")
        )
    from cart_cli.neuro import MAX_SENTENCE_CHARS, parse_neuro_days

    if item.get("sentence") is not None:
        values["sentence"] = _text(item["sentence"], "sentence", MAX_SENTENCE_CHARS, required=False)
    if item.get("neuro_days") is not None:
        values["neuro_days"] = parse_neuro_days(str(_whole(item["neuro_days"], "neuro_days")))
    if item.get("temp_times") is not None:
        from cart_cli.schedule import format_times, parse_times

        values["temp_times"] = format_times(parse_times(_string(item["temp_times"], "temp_times")))
    if item.get("product") is not None:
        from cart_cli.products import parse_product

        values["product"] = parse_product(_string(item["product"], "product")).generic
    if item.get("home_since") is not None:
        try:
            values["home_since"] = date.fromisoformat(_string(item["home_since"], "home_since"))
        except ValueError:
            raise _Problem(f"home_since {_shown(item['home_since'])} is not a date like 2026-11-20") from None
    if item.get("volume_units") is not None:
        values["volume_units"] = parsing.parse_volume_units(_string(item["volume_units"], "volume_units"))
    return Plan(**values)


def _recorded_at(text: object, latest: datetime) -> datetime:
    """ISO 8601 with an offset (a time without one could be any of 24 hours); not later
    than now. Old times are kept (an export may be restored years later), back to 2000."""
    if not isinstance(text, str):
        raise _Problem(
            f"recorded_at must be a date and time like 2026-11-27T14:25:01+00:00, not {_shown(text)}"
        )
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise _Problem(f"recorded_at {_shown(text)} is not an ISO 8601 date and time") from None
    if moment.tzinfo is None:
        raise _Problem(f"recorded_at {_shown(text)} has no UTC offset (e.g. +00:00)")
    if moment > latest:
        raise _Problem(f"recorded_at {text} is later than now")
    if moment.year < MIN_RECORDED_YEAR:
        raise _Problem(f"recorded_at {text} is before {MIN_RECORDED_YEAR}")
    return moment


def _number(value: object, name: str) -> float:
    if value is None:
        raise _Problem(f"{name} is missing")
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise _Problem(f"{name} must be a number, not {_shown(value)}")
    try:
        return float(value)
    except OverflowError:
        raise _Problem(f"{name} is far too large") from None


def _whole(value: object, name: str) -> int:
    if value is None:
        raise _Problem(f"{name} is missing")
    if not isinstance(value, int) or isinstance(value, bool):
        raise _Problem(f"{name} must be a whole number, not {_shown(value)}")
    return value


def _string(value: object, name: str) -> str:
    if not isinstance(value, str):
        raise _Problem(f"{name} must be text, not {_shown(value)}")
    return value


def _text(value: object, name: str, limit: int, *, required: bool) -> str | None:
    """Free text: stripped; empty counts as missing; at most ``limit`` characters."""
    if value is None:
        if required:
            raise _Problem(f"{name} is missing")
        return None
    text = _string(value, name).strip()
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # JSON can spell a lone surrogate ("\ud800"); SQLite cannot store it
        raise _Problem(f"{name} holds characters that are not valid Unicode text") from None
    unsafe = unsafe_characters(text, lines=name == "note")
    if unsafe:
        raise _Problem(f"{name} holds a control character, {describe_character(unsafe[0])}")
    if not text and required:
        raise _Problem(f"{name} is empty")
    if len(text) > limit:
        raise _Problem(f"{name} is longer than {limit} characters")
    return text or None


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _shown(value: object) -> str:
    """A value from the file for a one-line message: JSON-looking and short."""
    import json

    if isinstance(value, (dict, list)):
        return "a JSON object" if isinstance(value, dict) else "a list"
    text = json.dumps(value, ensure_ascii=False)
    text = text if len(text) <= 40 else text[:39] + "…"
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def _message(error: Exception) -> str:
    text = error.message if isinstance(error, InvalidInput) else str(error)
    return text.rstrip(".")
