"""Copies of the data: `cart backup`, `cart export`, `cart import`."""

from __future__ import annotations

from pathlib import Path

import typer

from cart_cli.commands.base import (
    ForceOption,
    app,
    data_stream,
    examples,
    now_local,
    open_existing,
    open_store,
    state_of,
)
from cart_cli.errors import InvalidInput
from cart_cli.exporters import EXPORT_FORMATS, ExportOptions
from cart_cli.files import user_path
from cart_cli.timefmt import plural

# -- backup, export, import ---------------------------------------------------------------


@app.command(
    epilog=examples(
        "cart backup",
        "cart backup ~/Documents/",
        "cart backup /media/usb/cart-copy.db --force",
        note="The copy is a complete cart database, readable by you only. To use it, point "
        "--db or CART_DB at it.",
    )
)
def backup(
    ctx: typer.Context,
    path: str | None = typer.Argument(
        None,
        metavar="[PATH]",
        help="A file, or a folder to put it in (default: beside the database, named "
        "cart-backup-DATE-TIME.db).",
    ),
    force: bool = ForceOption,
) -> None:
    """Save a complete copy of the database.

    Safe to run while cart is in use: SQLite makes a consistent copy. An existing file is
    never replaced without --force.
    """
    from cart_cli import transfer

    now = now_local()
    with open_existing(ctx, now, "back up") as store:
        target = user_path(path, "the backup path") if path else None
        result = transfer.backup(store, target, now, force=force)
    entries = plural(result.entries, "entry", "entries")
    typer.echo(f"Saved a copy of the database ({entries}) to {result.path}")


@app.command(
    epilog=examples(
        "cart export --format json --output cart-export.json",
        "cart export --format csv --output readings.csv",
        "cart export --format csv --excel --output readings.csv",
        "cart export --format fhir --output for-the-clinic.json",
        "cart export --format csv | less",
        note="CSV: one row per entry, for a spreadsheet (the plan is not included); --excel "
        "adds a mark at the start so Excel shows accents correctly. JSON: every entry and the "
        "plan; `cart import` reads it back. FHIR: an HL7 FHIR R4 Bundle of observations (LOINC "
        "and SNOMED CT codes) that clinic systems can read; it holds no name or identifier.",
    )
)
def export(
    ctx: typer.Context,
    export_format: str | None = typer.Option(
        None,
        "--format",
        metavar="|".join(EXPORT_FORMATS),
        help="; ".join(f"{fmt.name}: {fmt.summary}" for fmt in EXPORT_FORMATS.values())
        + " (default: csv if --output ends in .csv, else json).",
    ),
    output: str | None = typer.Option(
        None,
        "--output",
        "-o",
        metavar="FILE",
        help="Write to FILE (readable by you only) instead of the screen.",
    ),
    force: bool = ForceOption,
    excel: bool = typer.Option(
        False, "--excel", help="CSV only: start with a UTF-8 byte order mark, for Excel."
    ),
) -> None:
    """Write every entry, oldest first, as CSV, JSON or FHIR."""
    from cart_cli.files import private_output

    if export_format is not None:
        chosen = export_format.strip().lower()
        if chosen not in EXPORT_FORMATS:
            raise InvalidInput(f"--format {export_format!r} is not one of: {', '.join(EXPORT_FORMATS)}.")
    else:
        chosen = "csv" if output and output.lower().endswith(".csv") else "json"
    fmt = EXPORT_FORMATS[chosen]
    if excel and not fmt.excel:
        raise InvalidInput("--excel is for CSV only: add --format csv (or an --output name ending in .csv).")
    now = now_local()
    options = ExportOptions(now=now, excel=excel)

    with open_existing(ctx, now, "export") as store:
        if output is None:
            fmt.write(store, data_stream(), options)
            return
        target = user_path(output, "--output")
        with private_output(target, force=force, database=store.path) as out:
            count = fmt.write(store, out, options)
    typer.echo(f"Exported {plural(count, 'entry', 'entries')} as {chosen.upper()} to {target}")


@app.command(
    "import",
    epilog=examples(
        "cart import cart-export.json",
        "cart import cart-export.json --replace-plan",
        note="Importing the same file twice adds nothing. If anything in the file is wrong, "
        "nothing is imported.",
    ),
)
def import_(
    ctx: typer.Context,
    file: str = typer.Argument(..., metavar="FILE", help="A file made by `cart export --format json`."),
    replace_plan: bool = typer.Option(
        False, "--replace-plan", help="If your saved plan differs from the file's, use the file's."
    ),
) -> None:
    """Add the entries from a JSON export that are not stored yet."""
    from cart_cli import transfer

    now = now_local()
    if Path(file).suffix.lower() in (".csv", ".tsv"):
        raise InvalidInput(
            f"cannot import {file}: cart import reads cart's own JSON export "
            "(made with `cart export --format json`), not CSV. Nothing was imported."
        )
    path = user_path(file, "the file to import")
    database = state_of(ctx).db_path
    if not database.exists():
        # Built beside and put in place only when complete: a bad file creates nothing.
        result = transfer.import_into_new_database(database, path, now, replace_plan=replace_plan)
    else:
        with open_store(ctx, now) as store:
            # Checked and stored as it is read, in one transaction: a bad entry rolls it all back.
            result = transfer.import_entries(store, path, now, replace_plan=replace_plan)
    added = plural(result.added, "entry", "entries")
    typer.echo(f"Imported {added} ({result.already_present} already present).")
    if result.appointments or result.medicines or result.schedule_present:
        appointments = plural(result.appointments, "appointment", "appointments")
        medicines = plural(result.medicines, "medicine", "medicines")
        present = result.schedule_present
        typer.echo(f"Added {appointments} and {medicines} to your schedule ({present} already present).")
    if result.future:
        minutes = max(1, round(result.furthest_ahead.total_seconds() / 60))
        ahead = plural(minutes // 60, "hour") if minutes >= 60 else plural(minutes, "minute")
        typer.echo(
            f"{plural(result.future, 'entry is', 'entries are')} dated after now (up to about {ahead} "
            "ahead: was that device's clock fast?). cart counts them as now; `cart history` marks them."
        )
    if result.plan == "added":
        typer.echo("The plan in the file was saved too (`cart setup --show` shows it).")
    elif result.plan == "replaced":
        typer.echo("Your saved plan was replaced by the one in the file.")
    elif result.plan == "same":
        typer.echo("The plan in the file is the same as your saved plan.")
    elif result.plan == "kept":
        typer.echo(
            "The plan in the file differs from your saved plan; yours was kept "
            "(add --replace-plan to use the file's)."
        )
