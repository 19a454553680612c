"""Reading back and taking back: `cart symptoms`, `cart history`, `cart delete`, `cart undo`."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import timedelta
from typing import TYPE_CHECKING

import typer

from cart_cli.commands.base import (
    JsonOption,
    YesOption,
    app,
    confirm,
    examples,
    existing_store,
    moment_or_now,
    now_local,
    print_json,
)
from cart_cli.errors import CartError, InvalidInput
from cart_cli.models import (
    KINDS,
    Entry,
)
from cart_cli.timefmt import local_time  # stdlib only, cheap to load

if TYPE_CHECKING:
    from cart_cli.store import Store

# Everyday names for the kinds `cart history --kind` accepts.
KIND_ALIASES = {
    "temperature": "temp", "temperatures": "temp", "temps": "temp",
    "symptoms": "symptom", "blood pressure": "bp", "oxygen": "spo2", "sats": "spo2",
    "saturation": "spo2", "heart rate": "pulse", "calls": "call", "medicine": "med",
    "medicines": "med", "medication": "med", "meds": "med", "fluid": "fluids", "drinks": "fluids",
    "breathing": "breaths", "breathing rate": "breaths", "respiratory rate": "breaths",
}  # fmt: skip

# -- reading back ------------------------------------------------------------------------


@app.command(epilog=examples("cart symptoms", "cart symptoms --json"))
def symptoms(as_json: bool = JsonOption) -> None:
    """List the symptom names `cart log symptom` knows, by group."""
    from cart_cli.symptoms import GROUPS, by_group

    groups = by_group()
    if as_json:
        print_json(
            {
                group: [
                    {"name": s.name, "description": s.description, "aliases": list(s.aliases)} for s in items
                ]
                for group, items in groups.items()
            }
        )
        return
    from cart_cli.render import console
    from cart_cli.render.history import symptoms_view

    console().print(symptoms_view(GROUPS, groups))


@app.command(
    epilog=examples(
        "cart history",
        "cart history --kind temperature --since '3 days ago'",
        "cart history --kind call",
        "cart history --limit 100 --json",
    )
)
def history(
    ctx: typer.Context,
    kind: str | None = typer.Option(
        None,
        "--kind",
        metavar="KIND",
        help="Only one kind: temp (or temperature), symptom, fatigue, bp, fluids, spo2, pulse, "
        "breaths, call, med, ice, handwriting.",
    ),
    since: str | None = typer.Option(None, "--since", metavar="WHEN", help="Only entries from this time on."),
    limit: int = typer.Option(
        20,
        "--limit",
        metavar="N",
        min=1,
        max=100000,
        help="How many entries at most (newest first). Above 200: one plain line per entry, printed as read.",
    ),
    as_json: bool = JsonOption,
) -> None:
    """Show what you recorded, newest first."""
    now = now_local()
    if kind is not None:
        typed = kind
        kind = KIND_ALIASES.get(
            " ".join(kind.strip().lower().replace("-", " ").split()), kind.strip().lower()
        )
        if kind not in KINDS:
            raise InvalidInput(f"kind {typed!r} is not one of: {', '.join(KINDS)}.")
    since_at = moment_or_now(since, now) if since else None
    with existing_store(ctx, now) as store:
        if store is None:
            entries: Iterator[Entry] = iter(())
        else:
            entries = store.iter_entries(since=since_at, kind=kind, limit=limit)
        if as_json:
            from cart_cli.shapes import entry_json

            _print_json_stream(entry_json(entry) for entry in entries)
            return
        from cart_cli.render.history import TABLE_ROWS, history_lines

        if limit <= TABLE_ROWS:
            from cart_cli.render import console
            from cart_cli.render.history import history_view
            from cart_cli.thresholds import MEDICINE_MASK_HOURS  # medicines.MEDICINE_MASKS

            shown = list(entries)
            masked: frozenset[int] = frozenset()
            if store is not None and shown:
                # only the doses that can touch a shown temperature: the file may hold years
                earliest = min(entry.recorded_at for entry in shown) - timedelta(hours=MEDICINE_MASK_HOURS)
                latest = max(entry.recorded_at for entry in shown)
                doses = store.entries(kind="med", since=earliest, until=latest)
                if doses:  # no dose, nothing masked: the medicine tables are not loaded
                    from cart_cli.medicines import masking

                    is_masked = masking(doses)
                    masked = frozenset(e.id for e in shown if e.id is not None and is_masked(e))
            console().print(history_view(shown, now, masked))
            return
        from cart_cli.medicines import masking

        _print_lines(history_lines(entries, now, masking(store.entries(kind="med") if store else [])))


def _print_lines(lines: Iterable[str]) -> None:
    """Print lines as they come, a thousand at a time (one write each, not one per line)."""
    import itertools

    from cart_cli.render.history import EMPTY

    iterator = iter(lines)
    printed = False
    while batch := list(itertools.islice(iterator, 1000)):
        typer.echo("\n".join(batch))
        printed = True
    if not printed:
        typer.echo(EMPTY)


def _print_json_stream(items: Iterable[dict[str, object]]) -> None:
    """A JSON list printed item by item, exactly as ``print_json`` prints the whole list."""
    import json

    out: list[str] = []
    count = 0
    for item in items:
        text = json.dumps(item, indent=2, ensure_ascii=False).replace("\n", "\n  ")
        out.append(("[\n  " if not count else ",\n  ") + text)
        count += 1
        if len(out) >= 1000:
            typer.echo("".join(out), nl=False)
            out.clear()
    out.append("\n]" if count else "[]")
    typer.echo("".join(out))


@app.command(epilog=examples("cart delete 12", "cart delete 12 --yes"))
def delete(
    ctx: typer.Context,
    entry_id: str = typer.Argument(..., metavar="ID", help="The entry's number, as shown by `cart history`."),
    yes: bool = YesOption,
) -> None:
    """Remove one entry (asks first)."""
    from cart_cli.parsing import parse_entry_id

    number = parse_entry_id(entry_id)
    now = now_local()
    with existing_store(ctx, now) as store:
        store, entry = _entry_numbered(store, number)
        confirm(f"Remove #{entry.id}: {entry.describe()} at {local_time(entry.recorded_at, now)}?", yes)
        entry = store.delete(entry)  # by its uid: exactly the entry shown, whatever happened meanwhile
    typer.echo(f"Removed #{entry.id}: {entry.describe()} at {local_time(entry.recorded_at, now)}.")


def _entry_numbered(store: Store | None, number: int) -> tuple[Store, Entry]:
    """The store and its entry #``number``, or the one-line refusal that names no such entry."""
    # SQLite ids stop at 2**63-1: a larger number names no entry (and must not crash).
    entry = store.get(number) if store and number < 2**63 else None
    if store is None or entry is None:
        raise InvalidInput(f"there is no entry #{number}; `cart history` lists the ids.")
    return store, entry


@app.command(
    epilog=examples(
        "cart edit 12 --value 38.4",
        "cart edit 12 --at 'last night 11pm'",
        "cart edit 12 --value '37.8 under arm' --note 'second reading'",
        "cart edit 12 --note ''",
    )
)
def edit(
    ctx: typer.Context,
    entry_id: str = typer.Argument(..., metavar="ID", help="The entry's number, as shown by `cart history`."),
    value: str | None = typer.Option(
        None, "--value", metavar="VALUE", help="The right value, typed as `cart log` takes it."
    ),
    at: str | None = typer.Option(None, "--at", metavar="WHEN", help="The right time (as `cart log --at`)."),
    note: str | None = typer.Option(None, "--note", metavar="TEXT", help="The right note ('' removes it)."),
    as_json: bool = JsonOption,
) -> None:
    """Correct an entry, keeping what it was.

    `cart history` then shows "corrected at ..., was ...", exports carry both, and `cart
    check` uses the corrected value. `cart undo` puts it back as it was.
    """
    from cart_cli.corrections import corrected, describe_was
    from cart_cli.parsing import parse_entry_id

    number = parse_entry_id(entry_id)
    now = now_local()
    with existing_store(ctx, now) as store:
        store, entry = _entry_numbered(store, number)
        plan = store.plan()
        newest = store.last_logged()
        new = corrected(
            entry, now, value=value, at=at, note=note,
            volume_units=plan.volume_units if plan else "uk",
            newest_id=newest.id if newest else None,
        )  # fmt: skip
        stored = store.replace_entry(entry, new)
    if as_json:
        from cart_cli.models import entry_to_dict

        print_json(entry_to_dict(stored))
        return
    typer.echo(
        f"Corrected #{stored.id}: {stored.describe()} at {local_time(stored.recorded_at, now)} "
        f"(was {describe_was(stored, now)}). `cart undo` puts it back."
    )
    typer.echo("Run `cart check` to see what it says now.")


@app.command(epilog=examples("cart undo", "cart undo --yes"))
def undo(ctx: typer.Context, yes: bool = YesOption) -> None:
    """Take back what you did last: remove the entry you logged last, or undo the last
    correction (`cart edit`) if that came after it (asks first)."""
    now = now_local()
    with existing_store(ctx, now) as store:
        entry = store.last_logged() if store else None
        edited = store.last_corrected() if store else None
        if store is None or (entry is None and edited is None):
            raise CartError("there is nothing to undo: no entries are stored.")
        from cart_cli.corrections import corrected_after_entry, previous

        # An entry logged after the last correction has a higher id than any entry then.
        if edited is not None and (entry is None or (entry.id or 0) <= corrected_after_entry(edited[0])):
            changed = edited[0]
            before = previous(changed)
            confirm(
                f"Undo the correction of #{changed.id}, back to {before.describe()} at "
                f"{local_time(before.recorded_at, now)}?",
                yes,
            )
            restored = store.replace_entry(changed, before)
            typer.echo(
                f"Put back #{restored.id}: {restored.describe()} at {local_time(restored.recorded_at, now)}."
            )
            return
        assert entry is not None
        confirm(
            f"Remove the entry logged last, #{entry.id}: "
            f"{entry.describe()} at {local_time(entry.recorded_at, now)}?",
            yes,
        )
        entry = store.delete(entry)
    typer.echo(f"Removed #{entry.id}: {entry.describe()} at {local_time(entry.recorded_at, now)}.")
