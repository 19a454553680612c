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
from datetime import date, datetime
from pathlib import Path
from typing import TextIO

from cart_cli.errors import InvalidInput
from cart_cli.models import (
    DIAGNOSES,
    KIND_FIELDS,
    KINDS,
    MAX_HOSPITAL_CHARS,
    MAX_NOTE_CHARS,
    MAX_OTHER_CHARS,
    SEVERITIES,
    Entry,
    Plan,
    entry_to_dict,
    plan_to_dict,
)
from cart_cli.store import Store, private_file

EXPORT_FORMAT = "cart-export"
EXPORT_VERSION = 1
# The CSV header: the JSON entry fields, with every kind's value columns side by side.
CSV_COLUMNS = (
    "id", "uid", "kind", "recorded_at",
    *dict.fromkeys(name for fields in KIND_FIELDS.values() for name in fields),  # each column once
    "note",
)  # fmt: skip

MIN_RECORDED_YEAR = 2000  # earlier than any CAR-T treatment: surely a mistake in the file
_UID_RE = re.compile(r"[A-Za-z0-9_-]{1,64}")  # ours are 32 hex digits; UUIDs also fit
_TOP_LEVEL_KEYS = ("format", "version", "exported_at", "plan", "entries")
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
    import sqlite3

    numbered = target is None or target.is_dir()
    if target is None or target.is_dir():
        folder = store.path.parent if target is None else target
        target = folder / default_backup_name(now)
    _refuse_database_files(target, store.path)
    # A timestamped name that is taken (a backup in the same second) gets -2, -3, ...,
    # decided atomically when the copy is put in place, so two backups never share a file.
    path = store.backup_to(target, overwrite=force and not numbered, numbered=numbered)
    copy = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        entries = copy.execute("SELECT count(*) FROM entries").fetchone()[0]
    finally:
        copy.close()
    return Backup(path, entries)


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


def export_json(store: Store, out: TextIO, now: datetime) -> int:
    """Write the JSON export to ``out`` entry by entry; return how many entries it holds.

    Shape: {"format": "cart-export", "version": 1, "exported_at": ..., "plan": {...} or
    null, "entries": [...]}, one entry per line, oldest first.
    """
    import json

    def dumps(value: object) -> str:
        return json.dumps(value, ensure_ascii=False, allow_nan=False)

    plan = store.plan()
    out.write("{\n")
    out.write(f'  "format": {dumps(EXPORT_FORMAT)},\n')
    out.write(f'  "version": {EXPORT_VERSION},\n')
    out.write(f'  "exported_at": {dumps(now.isoformat(timespec="seconds"))},\n')
    out.write(f'  "plan": {dumps(plan_to_dict(plan) if plan else None)},\n')
    out.write('  "entries": [')
    count = 0
    for entry in store.iter_entries(newest_first=False):
        out.write(",\n    " if count else "\n    ")
        out.write(dumps(entry_to_dict(entry)))
        count += 1
    out.write("\n  ]\n}\n" if count else "]\n}\n")
    return count


def export_csv(store: Store, out: TextIO) -> int:
    """Write one CSV row per entry (header first, oldest first); return how many rows.

    Empty cells are values the entry does not have; a zero stays ``0``. Times are ISO 8601
    in local time with their offset. The plan is not in the CSV (use JSON for everything).
    Free text that a spreadsheet would run as a formula gets a leading apostrophe.
    """
    import csv

    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    count = 0
    for entry in store.iter_entries(newest_first=False):
        values = entry_to_dict(entry)
        writer.writerow(_csv_cell(values.get(name)) for name in CSV_COLUMNS)
        count += 1
    return count


def _csv_cell(value: object) -> object:
    """A cell: empty for no value; text starting with = + - @ (or a tab or return) is
    prefixed with ' so a spreadsheet shows it instead of running it (OWASP CSV injection)."""
    if value is None:
        return ""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


# -- import ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExportFile:
    """A checked JSON export: every entry valid, ready to store."""

    plan: Plan | None
    entries: list[Entry]


@dataclass(frozen=True)
class ImportResult:
    """What an import did. ``plan`` is one of: "none" (the file has no plan), "added" (the
    database had none), "same", "kept" (it differs; the database's plan was kept) or
    "replaced"."""

    added: int
    already_present: int
    plan: str


class _Problem(Exception):
    """Something wrong in the file; the caller adds where it is."""


class _NotANumber(_Problem):
    """NaN or Infinity, which JSON does not allow."""


MAX_IMPORT_BYTES = 1 << 30  # 1 GiB: millions of entries; more is not a cart export
_READ_CHUNK = 1 << 20


def _read_text(path: Path) -> str:
    """The file as text, refusing early what cannot be an export: anything but a regular file
    (``/dev/zero``, ``/dev/urandom``, a pipe would be read for ever), a file larger than
    ``MAX_IMPORT_BYTES``, and the first byte that is not UTF-8 or is a NUL (reading stops
    there, so a huge binary file costs one chunk). Issue 14 turns this into a stream."""
    import codecs
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
        decoder = codecs.getincrementaldecoder("utf-8-sig")()
        parts: list[str] = []
        offset = 0
        while chunk := file.read(_READ_CHUNK):
            nul = chunk.find(b"\0")
            try:
                text = decoder.decode(chunk if nul < 0 else chunk[:nul])
            except UnicodeDecodeError as error:
                raise _Problem(
                    f"byte {offset + error.start + 1} is not UTF-8 text (is it a cart JSON export?)"
                ) from None
            if nul >= 0:
                raise _Problem(
                    f"byte {offset + nul + 1} is a NUL byte: it is not text (is it a cart JSON export?)"
                )
            parts.append(text)
            offset += len(chunk)
        try:
            parts.append(decoder.decode(b"", final=True))
        except UnicodeDecodeError:
            raise _Problem("it ends in the middle of a UTF-8 character (is it complete?)") from None
        return "".join(parts)


def read_export(path: Path, now: datetime) -> ExportFile:
    """Read and check a JSON export; ``InvalidInput`` names the first problem and where."""
    import json

    def refuse(problem: str) -> InvalidInput:
        return InvalidInput(f"cannot import {path}: {problem}. Nothing was imported.")

    def no_constants(name: str) -> None:
        raise _NotANumber(f"{name} is not a number")

    try:
        text = _read_text(path)
        data = json.loads(text, parse_constant=no_constants)
    except FileNotFoundError:
        raise InvalidInput(f"cannot import {path}: there is no such file.") from None
    except IsADirectoryError:
        raise InvalidInput(f"cannot import {path}: it is a folder, not a file.") from None
    except OSError as error:
        raise InvalidInput(f"cannot import {path}: {error.strerror or error}.") from None
    except _NotANumber as error:
        raise refuse(f"it is not valid JSON ({error})") from None
    except _Problem as error:
        raise refuse(str(error)) from None
    except json.JSONDecodeError as error:
        raise refuse(
            f"it is not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})"
        ) from None
    except RecursionError:
        raise refuse("it is not valid JSON (nested too deeply)") from None
    except ValueError:  # Python refuses to read an integer thousands of digits long
        raise refuse("it is not valid JSON (a number in it is far too long)") from None
    try:
        return parse_export(data, now)
    except InvalidInput as error:
        raise refuse(error.message.rstrip(".")) from None


def parse_export(data: object, now: datetime) -> ExportFile:
    """Check an export already read from JSON; ``InvalidInput`` names the first problem."""
    if not isinstance(data, dict) or data.get("format") != EXPORT_FORMAT:
        raise InvalidInput(f'it is not a cart export (no "format": "{EXPORT_FORMAT}" at the top)')
    version = data.get("version")
    if not _is_int(version) or version < 1:
        raise InvalidInput(f'"version" must be a whole number, not {_shown(version)}')
    if version > EXPORT_VERSION:
        raise InvalidInput(
            f"it was written by a newer version of cart (export version {version}; this cart "
            f"reads version {EXPORT_VERSION}). Upgrade cart to import it"
        )
    for key in data:
        if key not in _TOP_LEVEL_KEYS:
            raise InvalidInput(f"{_shown(key)} is not part of a cart export")
    entries = data.get("entries")
    if not isinstance(entries, list):
        raise InvalidInput('"entries" must be a list')
    try:
        plan = None if data.get("plan") is None else _plan_from_dict(data["plan"])
    except (_Problem, InvalidInput) as error:
        raise InvalidInput(f"plan: {_message(error)}") from None

    checked: list[Entry] = []
    first_with_uid: dict[str, int] = {}
    first_with_id: dict[int, int] = {}
    for number, item in enumerate(entries, start=1):
        where = f"entry {number}"
        if isinstance(item, dict) and _is_int(item.get("id")):
            where += f" (id {item['id']})"
        try:
            entry = _entry_from_dict(item, now)
            if entry.uid in first_with_uid:
                raise _Problem(f"uid {entry.uid} is also used by entry {first_with_uid[entry.uid]}")
            if entry.id is not None and entry.id in first_with_id:
                raise _Problem(f"id {entry.id} is also used by entry {first_with_id[entry.id]}")
        except (_Problem, InvalidInput) as error:
            raise InvalidInput(f"{where}: {_message(error)}") from None
        first_with_uid[entry.uid] = number
        if entry.id is not None:
            first_with_id[entry.id] = number
        checked.append(entry)
    return ExportFile(plan, checked)


def import_export(
    store: Store, export: ExportFile, now: datetime, *, replace_plan: bool = False
) -> ImportResult:
    """Add the file's entries that are not stored yet, and its plan if the database has none
    (or ``replace_plan``), in one transaction."""
    existing = store.plan()
    if export.plan is None:
        plan_result, plan_to_save = "none", None
    elif existing is None:
        plan_result, plan_to_save = "added", export.plan
    elif existing == export.plan:
        plan_result, plan_to_save = "same", None
    elif replace_plan:
        plan_result, plan_to_save = "replaced", export.plan
    else:
        plan_result, plan_to_save = "kept", None
    added = store.add_missing(export.entries, now, plan=plan_to_save)
    return ImportResult(added, len(export.entries) - added, plan_result)


# -- checking one entry or plan ----------------------------------------------------------


def _entry_from_dict(item: object, now: datetime) -> Entry:
    """One entry, checked as strictly as `cart log` checks typed values."""
    from cart_cli import parsing

    if not isinstance(item, dict):
        raise _Problem("must be a JSON object")
    kind = item.get("kind")
    if kind is None:
        raise _Problem("kind is missing")
    if kind not in KINDS:
        raise _Problem(f"kind {_shown(kind)} is not one of {', '.join(KINDS)}")
    allowed = ("id", "uid", "kind", "recorded_at", *KIND_FIELDS[kind], "note")
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
    recorded_at = _recorded_at(item.get("recorded_at"), now)
    note = _text(item.get("note"), "note", MAX_NOTE_CHARS, required=False)
    values: dict = {}

    if kind == "temp":
        celsius = _number(item.get("celsius"), "celsius")
        if not parsing.MIN_TEMPERATURE_C <= round(celsius, 2) <= parsing.MAX_TEMPERATURE_C:
            raise _Problem(
                f"temperature {celsius:g} is outside "
                f"{parsing.MIN_TEMPERATURE_C:g}-{parsing.MAX_TEMPERATURE_C:g} °C"
            )
        values["celsius"] = round(celsius, 2)
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
    return Entry(kind=kind, recorded_at=recorded_at, id=entry_id, uid=uid, note=note, **values)


def _reading_or_event(kind: str, item: dict) -> dict:
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


def _neuro_values(kind: str, item: dict) -> dict:
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


def _symptom(item: dict) -> dict:
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
    from cart_cli import parsing

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
    values: dict = {"infusion_date": infusion_date}
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
    return Plan(**values)


def _recorded_at(text: object, now: datetime) -> datetime:
    """ISO 8601 with an offset (a time without one could be any of 24 hours); not later
    than now. Old times are kept (an export may be restored years later), back to 2000."""
    from cart_cli.parsing import CLOCK_SLOP

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
    if moment > now + CLOCK_SLOP:
        raise _Problem(f"recorded_at {text} is later than now")
    if moment.year < MIN_RECORDED_YEAR:
        raise _Problem(f"recorded_at {text} is before {MIN_RECORDED_YEAR}")
    return moment.astimezone()


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
    if not _is_int(value):
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
    from cart_cli.safe_text import describe_character, unsafe_characters

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
