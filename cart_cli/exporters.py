"""Exports: every entry (and the plan) written out for cart itself, a spreadsheet or a clinic.

Each format is one row of ``EXPORT_FORMATS`` ({name: format}); `cart export`, its help and
its ``--format`` metavar are read from that table, so a new format is one writer and one
row. Entries are streamed oldest first, so a million need no more memory than one batch.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import TextIO

from cart_cli import export_rows
from cart_cli.models import LATER_COLUMNS, VALUE_COLUMNS, plan_to_dict
from cart_cli.store import SCHEDULE_TABLES, Store

EXPORT_FORMAT = "cart-export"
# 1: the plan (some fields) and the entries; 2: every field of the plan, and the
# appointments and the medicine schedule (version 1 files still import).
EXPORT_VERSION = 2
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


# Each entry's JSON or CSV line is made by SQLite, in C (export_rows.json_line_batches and
# export_rows.csv_line_batches), so a million entries take seconds; what is written around the
# lines, and the rare CSV cell that needs quotes or the formula guard, is done here.


# A spreadsheet may split a line on any of , ; tab | (Excel uses ; in de/fr/nl locales), so
# a formula may start a cell at the start of the text or after any of them (or a line
# break), after optional spaces: there an apostrophe goes before the = + - or @.
_FORMULA_START = re.compile(r"(^|[,;\t|\r\n])([ ]*)(?=[=+\-@])")


def guard_formulas(text: str) -> str:
    """``text`` with an apostrophe before every = + - @ that a spreadsheet could read as the
    start of a formula, whatever separator it splits on; a cell starting with a tab or a
    return gets one too. Text with none is returned as it is."""
    if text[:1] in ("\t", "\r"):
        text = "'" + text
    return _FORMULA_START.sub(r"\1\2'", text)


def _csv_text(text: str) -> str:
    """One text cell as the csv module writes it, after the formula guard (the store asks
    for it only where a cell needs either)."""
    import csv
    import io

    out = io.StringIO()
    csv.writer(out).writerow([guard_formulas(text)])  # its quoting looks at the line terminator's characters
    return out.getvalue()[:-2]


def export_json(store: Store, out: TextIO, now: datetime) -> int:
    """Write the JSON export to ``out`` entry by entry; return how many entries it holds.

    Shape: {"format": "cart-export", "version": 2, "exported_at": ..., "plan": {...} or
    null, "appointments": [...], "medicines": [...], "entries": [...]}: the plan with every
    field, each appointment and medicine with every column as stored (times in UTC), one
    entry per line (compact), oldest first.
    """
    import json

    encode = json.JSONEncoder(ensure_ascii=False, allow_nan=False).encode
    plan = store.plan()
    out.write("{\n")
    out.write(f'  "format": {encode(EXPORT_FORMAT)},\n')
    out.write(f'  "version": {EXPORT_VERSION},\n')
    out.write(f'  "exported_at": {encode(now.isoformat(timespec="seconds"))},\n')
    out.write(f'  "plan": {encode(plan_to_dict(plan) if plan else None)},\n')
    for table in SCHEDULE_TABLES:
        rows = [encode(row) for row in store.table_rows(table)]
        items = "".join(("\n    " if n == 0 else ",\n    ") + row for n, row in enumerate(rows))
        end = "\n  ]" if rows else "]"
        out.write(f'  "{table}": [{items}{end},\n')
    out.write('  "entries": [')
    count = 0
    write = out.write
    for lines in export_rows.json_line_batches(store):
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
    span = export_rows.recorded_range(store)
    offsets = None if span is None else local_offsets(*span)
    count = 0
    for lines in export_rows.csv_line_batches(
        store, CSV_COLUMNS, infusion_date=infusion_date, text_cell=_csv_text, offsets=offsets
    ):
        out.write("\r\n".join(lines) + "\r\n")
        count += len(lines)
    return count


def local_offsets(first: datetime, last: datetime) -> list[tuple[datetime, int]] | None:
    """The local time zone's UTC offset (seconds) over the UTC instants ``first`` to ``last``:
    each instant from which it holds, in order (the first one stands for every earlier
    instant too), found with cart's own local time (``timefmt.LOCAL``), as SQLite's
    'localtime' finds it (the C library's zone). Each UTC day is looked at its first and
    last second; a day whose offset changes is searched to the second for the change (a
    zone changes its clocks at most once a day). ``None`` outside 1971-2037, where SQLite
    works out local times otherwise."""
    from datetime import UTC, timedelta

    from cart_cli.timefmt import LOCAL

    if first.year < 1971 or last.year > 2037:
        return None

    def offset_at(second: int) -> int:
        moment = datetime.fromtimestamp(second, UTC).astimezone(LOCAL)
        return int((moment.utcoffset() or timedelta(0)).total_seconds())

    day = int(first.timestamp()) // 86400 * 86400
    end = int(last.timestamp())
    offsets: list[tuple[datetime, int]] = []
    current: int | None = None
    while day <= end:
        start, finish = offset_at(day), offset_at(day + 86399)
        if start != current:
            offsets.append((datetime.fromtimestamp(day, UTC), start))
            current = start
        if finish != start:
            low, high = day, day + 86399  # the offset is start at low, finish at high
            while high - low > 1:
                middle = (low + high) // 2
                if offset_at(middle) == start:
                    low = middle
                else:
                    high = middle
            offsets.append((datetime.fromtimestamp(high, UTC), finish))
            current = finish
        day += 86400
    return offsets


def export_fhir(store: Store, out: TextIO, now: datetime) -> int:
    """Write an HL7 FHIR R4 Bundle of every entry (``formats.fhir``), oldest first, entry by
    entry; return how many entries it holds."""
    from cart_cli.formats.fhir import FAST_VALUES, BundleWriter

    bundle = BundleWriter(out, now, store.plan())
    bundle.start()
    count = 0
    for batch in export_rows.compact_row_batches(store, FAST_VALUES):
        bundle.compact_rows(batch, partial(export_rows.entry_row, store))
        count += len(batch)
    bundle.finish()
    return count


@dataclass(frozen=True)
class ExportOptions:
    """What `cart export` was asked for, beyond the format: the moment of the export and
    ``excel`` (CSV only: start with a UTF-8 byte order mark)."""

    now: datetime
    excel: bool = False


@dataclass(frozen=True)
class ExportFormat:
    """One export format: its name (``--format NAME``), a few words for the help, whether
    ``--excel`` applies, and the writer (store, out, options) -> entries written."""

    name: str
    summary: str
    write: Callable[[Store, TextIO, ExportOptions], int]
    excel: bool = False


def _write_csv(store: Store, out: TextIO, options: ExportOptions) -> int:
    return export_csv(store, out, excel=options.excel)


def _write_json(store: Store, out: TextIO, options: ExportOptions) -> int:
    return export_json(store, out, options.now)


def _write_fhir(store: Store, out: TextIO, options: ExportOptions) -> int:
    return export_fhir(store, out, options.now)


EXPORT_FORMATS: dict[str, ExportFormat] = {
    fmt.name: fmt
    for fmt in (
        ExportFormat("csv", "one row per entry, for a spreadsheet", _write_csv, excel=True),
        ExportFormat("json", "everything, for `cart import`", _write_json),
        ExportFormat("fhir", "an HL7 FHIR R4 Bundle for clinic systems", _write_fhir),
    )
}
