"""Every entry read out of the store for an export, oldest first, in batches.

A JSON or CSV export's line is made by SQLite itself, in C (``json_sql``, ``csv_sql``), so a
million entries take seconds; the FHIR writer reads stored rows (``entry_row_batches``,
``compact_row_batches``). Apart from ``store`` because only the exports need it: a command
that logs or checks never loads it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from cart_cli.models import KIND_FIELDS, VALUE_COLUMNS
from cart_cli.store import ENTRY_COLUMNS, SELECT_ENTRIES, to_db_time

if TYPE_CHECKING:
    from cart_cli.store import Store

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


def csv_sql(
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


def json_sql() -> str:
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


def json_line_batches(store: Store) -> Iterator[list[str]]:
    """Every entry as its compact JSON object (``entry_to_dict``'s keys and order, the
    time in local ISO 8601 with its offset), oldest first, in lists of up to
    ``EXPORT_FETCH`` lines: what a JSON export writes, one entry a line."""
    cursor = store.conn.execute(json_sql())
    while rows := cursor.fetchmany(EXPORT_FETCH):
        yield [row[0] for row in rows]


def entry_row_batches(store: Store) -> Iterator[list[tuple[Any, ...]]]:
    """Every entry as its stored row (``ENTRY_COLUMNS``, recorded_at as stored), oldest
    first, in lists of up to ``EXPORT_FETCH``: what the FHIR writer reads without making
    an Entry of each."""
    cursor = store.conn.execute(f"{SELECT_ENTRIES} {_EXPORT_ORDER}")
    while rows := cursor.fetchmany(EXPORT_FETCH):
        yield rows


def compact_row_batches(store: Store, values: Mapping[str, Sequence[str]]) -> Iterator[list[tuple[Any, ...]]]:
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
            f"WHEN '{kind}' THEN {names[position]}" for kind, names in values.items() if position < len(names)
        ]
        cases.append(f"CASE kind {' '.join(whens)} END" if whens else "NULL")
    plain = "corrected_at IS NULL AND (site IS NULL OR site = '')"
    columns = f"id, uid, kind, recorded_at, note, {plain}, {', '.join(cases)}"
    cursor = store.conn.execute(f"SELECT {columns} FROM entries {_EXPORT_ORDER}")
    while rows := cursor.fetchmany(EXPORT_FETCH):
        yield rows


def entry_row(store: Store, entry_id: int) -> tuple[Any, ...]:
    """The stored row (``ENTRY_COLUMNS``, recorded_at as stored) of the entry ``entry_id``."""
    row = store.conn.execute(f"{SELECT_ENTRIES} WHERE id = ?", (entry_id,)).fetchone()
    if row is None:
        raise KeyError(entry_id)
    return tuple(row)


def csv_line_batches(
    store: Store,
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

    ``offsets`` (see ``_spans``, from ``recorded_range``): the local times are
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
    store.conn.create_function("csv_text", 1, text_cell, deterministic=True)
    params: tuple[object, ...] = () if infusion_date is None else (infusion_date.isoformat(),)
    if infusion_date is not None and offsets:  # julianday(infusion_date), exactly
        params = (infusion_date.toordinal() + _JULIAN_DAY_OF_ORDINAL_0,)
    fast = bool(columns) and columns[0] == "id"  # the id finds a line to make again
    commas = len(columns) - 1
    with_day = infusion_date is not None
    for offset, where, bounds in _spans(offsets):
        sql = csv_sql(columns, with_day=with_day, offset=offset, where=where, careful=not fast)
        again = csv_sql(columns, with_day=with_day, offset=offset, where="id IN (?)", with_id=True)
        cursor = store.conn.execute(sql, (*params, *bounds))
        while rows := cursor.fetchmany(EXPORT_FETCH):
            lines = [row[0] for row in rows]
            if not fast:
                yield lines
                continue
            probe = "".join(lines)
            if probe.count(",") != commas * len(lines) or any(c in probe for c in _CSV_CARE):
                lines = _lines_again(store, lines, commas, again, params)
            yield lines


def _lines_again(
    store: Store, lines: list[str], commas: int, careful_sql: str, params: tuple[object, ...]
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
        made.update(store.conn.execute(sql, (*params, *ids)).fetchall())
    if len(made) != len(again):
        raise RuntimeError("an entry changed while the CSV export read it")
    return [made.get(int(line.split(",", 1)[0]), line) for line in lines]


def recorded_range(store: Store) -> tuple[datetime, datetime] | None:
    """The earliest and latest ``recorded_at`` of the entries (``None`` without any), if
    every one is stored as cart stores times (UTC, ``YYYY-MM-DDTHH:MM:SS+00:00``, so text
    order is time order); ``None`` otherwise."""
    if store.conn.execute(
        f"SELECT EXISTS (SELECT 1 FROM entries WHERE recorded_at NOT GLOB '{_STORED_TIME}')"
    ).fetchone()[0]:
        return None
    # Two queries: SQLite reads a lone min() or max() from the index, both at once by a scan.
    (first,) = store.conn.execute("SELECT min(recorded_at) FROM entries").fetchone()
    (last,) = store.conn.execute("SELECT max(recorded_at) FROM entries").fetchone()
    if first is None:
        return None
    return datetime.fromisoformat(first), datetime.fromisoformat(last)


def _spans(
    offsets: Sequence[tuple[datetime, int]] | None,
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
