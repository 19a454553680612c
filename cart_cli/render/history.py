"""Tables of what was recorded (`cart history`) and of the symptom vocabulary (`cart symptoms`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from cart_cli.models import FUTURE_MARK, KIND_LABELS, Entry
from cart_cli.safe_text import printable
from cart_cli.timefmt import local_time

if TYPE_CHECKING:
    from cart_cli.symptoms import Symptom


def history_view(
    entries: Sequence[Entry], now: datetime, masked_ids: frozenset[int] = frozenset()
) -> RenderableType:
    """Entries newest first; ``masked_ids`` are temperatures taken within 6 hours of a medicine
    that brings a temperature down (marked "may be lower than it really is")."""
    if not entries:
        return Text(EMPTY)
    table = Table(title="Recorded entries, newest first", title_justify="left")
    table.add_column("#", justify="right", style="dim")
    table.add_column("When (local time)")
    table.add_column("Kind")
    table.add_column("Value", overflow="fold")
    table.add_column("Note", overflow="fold")
    for entry in entries:  # each cell is plain Text: what was typed is never read as markup
        table.add_row(
            Text(str(entry.id)),
            Text(local_time(entry.recorded_at, now)),
            Text(KIND_LABELS[entry.kind]),
            Text(
                entry.describe()
                + (f" ({printable(entry.items)})" if entry.kind == "ice" and entry.items else "")
                + correction_text(entry, now)
                + (MASKED if entry.id in masked_ids else "")
                + (f" ({FUTURE_MARK})" if entry.recorded_at > now else "")
            ),
            Text(printable(entry.note or "")),
        )
    return table


def correction_text(entry: Entry, now: datetime) -> str:
    """ " (corrected at Thu 3 Dec 14:05, was 37.2 °C at ...)" for an entry `cart edit` changed."""
    if entry.corrected_at is None:
        return ""
    from cart_cli.corrections import describe_was

    try:
        when = local_time(datetime.fromisoformat(entry.corrected_at), now)
    except ValueError:
        when = entry.corrected_at
    return printable(f" (corrected at {when}, was {describe_was(entry, now)})")


EMPTY = "Nothing recorded yet (for this filter). Start with, for example: cart log temp 37.0"
TABLE_ROWS = 200  # up to this many entries: the table; more: plain lines as they are read
MASKED = " (may be lower than it really is: fever medicine)"


def history_lines(
    entries: Iterable[Entry], now: datetime, is_masked: Callable[[Entry], bool]
) -> Iterator[str]:
    """One plain line per entry, newest first, made as the entries are read (a table would
    wait for the last row to size its columns): ``#id  when  kind  value  | note``.
    ``is_masked`` says whether a temperature may read low (a fever medicine in the 6 hours
    before it)."""
    for entry in entries:
        value = entry.describe()
        if entry.kind == "ice" and entry.items:
            value += f" ({printable(entry.items)})"
        value += correction_text(entry, now)
        if is_masked(entry):
            value += MASKED
        if entry.recorded_at > now:
            value += f" ({FUTURE_MARK})"
        line = (
            f"#{entry.id:<7} {local_time(entry.recorded_at, now):<20} {KIND_LABELS[entry.kind]:<15} {value}"
        )
        if entry.note:
            line += "  | " + printable(entry.note).replace("\n", " / ")
        yield line


def symptoms_view(
    groups: Mapping[str, str], symptoms_by_group: Mapping[str, Sequence[Symptom]]
) -> RenderableType:
    """Every symptom name by group, with the everyday words that also work."""
    tables: list[RenderableType] = []
    for group, title in groups.items():
        table = Table(title=escape(title), title_justify="left", expand=False)
        table.add_column("Name", style="bold", no_wrap=True)
        table.add_column("Also understood")
        table.add_column("What it means")
        for symptom in symptoms_by_group.get(group, ()):
            table.add_row(
                escape(symptom.name), escape(", ".join(symptom.aliases)), escape(symptom.description)
            )
        tables.append(table)
    tables.append(
        Text(
            'Anything else: type it in your own words, e.g. cart log symptom "can\'t wake him". '
            "Words cart does not know are kept as typed and graded by the most urgent sign they name."
        )
    )
    return Group(*tables)
