"""The command line: parse what was typed, call the core, print the result. Nothing else.

The clock is read here, once per command (``_now``), and passed down. Rich, the rules and
the migrations are imported inside the commands that use them, so ``cart log temp 37.1``
only pays for what it needs. ``run`` is the single exit point: it turns a ``CartError`` or
a usage error into one line on stderr and the documented exit code, and never prints a
traceback (let alone local variables, which would hold health data) unless ``--debug``.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Optional

import typer

from cart_cli import __version__
from cart_cli.errors import CHECK_EXIT, EXIT_FAILURE, EXIT_USAGE, CartError, InvalidInput
from cart_cli.models import (
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
from cart_cli.store import Store, resolve_db_path
from cart_cli.timefmt import plural

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def examples(*lines: str, note: str | None = None) -> str:
    """A help epilog listing example commands one per line (\\b stops Click re-wrapping)."""
    text = "\b\nExamples:\n" + "\n".join(f"  {line}" for line in lines)
    return f"{note}\n\n{text}" if note else text


app = typer.Typer(
    name="cart",
    help="Recovery tracker for life after CAR T-cell therapy: log readings, check them "
    "against your hospital's rules, and see where you are in your recovery.\n\n"
    "Not a medical device. If you are worried, call your hospital team: any time, day or night.",
    epilog=examples(
        "cart demo",
        "cart setup --infusion-date 2026-11-03 --phone '01234 567890'",
        "cart log temp 37.8",
        "cart check",
    ),
    context_settings=CONTEXT,
    invoke_without_command=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,  # our own handler in run(); never show local variables
)
log_app = typer.Typer(
    help="Record a reading or a symptom; it is checked straight away.",
    epilog=examples(
        "cart log temp 38.2",
        "cart log symptom cough",
        "cart log fatigue 6",
        "cart log bp 118/76 --pulse 88",
        "cart log fluids 500ml",
    ),
    context_settings=CONTEXT,
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(log_app, name="log")


class State:
    """Global options, shared by every command through ``ctx.obj``."""

    def __init__(self, db: Optional[str]) -> None:
        self.db_option = db

    @property
    def db_path(self) -> Path:
        return resolve_db_path(self.db_option)


def _now() -> datetime:
    """The only place the clock is read: local time, timezone-aware (DST-correct)."""
    from cart_cli.timefmt import LOCAL

    return datetime.now(LOCAL)


def _hours_before(now: datetime, hours: float) -> datetime:
    """``hours`` of real time before ``now`` (wall-clock arithmetic would be off across DST)."""
    return (now.astimezone(timezone.utc) - timedelta(hours=hours)).astimezone(now.tzinfo)


def _evaluate(store: Optional[Store], plan: Optional[Plan], now: datetime, since: datetime):
    """Run the rules on the window since..now, with the days before it that they look back on."""
    from cart_cli import rules

    lookback_start = since - rules.LOOKBACK
    entries = store.entries(since=lookback_start, until=now, newest_first=False) if store else []
    return rules.evaluate(entries, plan, now, since)


def _state(ctx: typer.Context) -> State:
    return ctx.find_root().obj


def _open(ctx: typer.Context, *, create: bool, now: datetime) -> Optional[Store]:
    store = Store.open(_state(ctx).db_path, create=create, now=now)
    if store is not None and store.migration_backup is not None:
        typer.echo(
            f"cart: the database was upgraded; a copy of it as it was is at {store.migration_backup}",
            err=True,
        )
    return store


@contextmanager
def _if_exists(ctx: typer.Context, now: datetime) -> Iterator[Optional[Store]]:
    """The database if there is one (None otherwise: reading never creates a file), closed
    when the block ends."""
    store = _open(ctx, create=False, now=now)
    try:
        yield store
    finally:
        if store is not None:
            store.close()


def _print_json(data: object) -> None:
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False))


def _when(at: Optional[str], now: datetime) -> datetime:
    from cart_cli.parsing import parse_when

    return now if at is None else parse_when(at, now)


def _note(note: Optional[str]) -> Optional[str]:
    """A note: trimmed, at most MAX_NOTE_CHARS; an empty note is no note."""
    from cart_cli.parsing import parse_text

    if note is None or not note.strip():
        return None
    return parse_text(note, "note", MAX_NOTE_CHARS, collapse_spaces=False)


# -- shared options ----------------------------------------------------------------------

AT_HELP = "When it was taken: now (default), 'today 08:00', 'yesterday 21:30', '2h ago', '45m ago', or a date and time."
AtOption = typer.Option(None, "--at", metavar="WHEN", help=AT_HELP)
NoteOption = typer.Option(None, "--note", metavar="TEXT", help="A short note to keep with the entry.")
JsonOption = typer.Option(False, "--json", help="Print JSON for scripts instead of text.")
YesOption = typer.Option(False, "--yes", "-y", help="Do not ask for confirmation.")


# -- the root: global options and the dashboard -------------------------------------------


def _version(value: bool) -> None:
    if value:
        typer.echo(f"cart {__version__}")
        raise typer.Exit(0)


@app.callback()
def root(
    ctx: typer.Context,
    db: Optional[str] = typer.Option(
        None, "--db", metavar="PATH", help="Database file to use (default: $CART_DB, else your data folder)."
    ),
    debug: bool = typer.Option(False, "--debug", help="Show a full traceback if cart itself fails."),
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version and exit."
    ),
) -> None:
    """Recovery tracker for life after CAR T-cell therapy.

    With no command, shows today's dashboard.
    """
    ctx.obj = State(db)  # --debug is read by run(), which handles every failure
    if ctx.invoked_subcommand is None:
        now = _now()
        with _if_exists(ctx, now) as store:
            _show_dashboard(store, now)


def _show_dashboard(store: Optional[Store], now: datetime) -> None:
    from cart_cli.render import console
    from cart_cli.render.dashboard import dashboard_view, first_run_view
    from cart_cli.timeline import build_timeline

    plan = store.plan() if store else None
    if plan is None:
        console().print(first_run_view())
        return
    start_of_day = now.replace(hour=0, minute=0, second=0, microsecond=0)
    result = _evaluate(store, plan, now, _hours_before(now, 24))
    today = store.entries(since=start_of_day, until=now, newest_first=False)
    timeline = build_timeline(plan, now.date())
    console().print(dashboard_view(plan, today, result, timeline, now))


# -- setup -------------------------------------------------------------------------------


@app.command(
    epilog=examples(
        "cart setup --infusion-date 2026-11-03 --hospital 'St Elsewhere Haematology' --phone '01234 567890'",
        "cart setup --fever-threshold 37.5",
        "cart setup --show",
    )
)
def setup(
    ctx: typer.Context,
    infusion_date: Optional[str] = typer.Option(
        None,
        "--infusion-date",
        metavar="DATE",
        help="Day of your CAR-T infusion (day 0), e.g. 2026-11-03 or '3 Nov 2026'.",
    ),
    hospital: Optional[str] = typer.Option(None, "--hospital", metavar="NAME", help="Name of your hospital team."),
    phone: Optional[str] = typer.Option(None, "--phone", metavar="NUMBER", help="Your hospital team's 24-hour number."),
    diagnosis: Optional[str] = typer.Option(
        None, "--diagnosis", metavar="lymphoma|all|myeloma|other", help="Your diagnosis (picks the test before the 3-month follow-up)."
    ),
    fever_threshold: Optional[str] = typer.Option(
        None,
        "--fever-threshold",
        metavar="C",
        help="Temperature (°C) that counts as a fever: 37.0-38.0, default 38.0.",
    ),
    no_driving_weeks: Optional[str] = typer.Option(
        None, "--no-driving-weeks", metavar="N", help="Weeks without driving after infusion (default 8)."
    ),
    emergency_number: Optional[str] = typer.Option(
        None, "--emergency-number", metavar="NUMBER", help="Emergency services number (default 999)."
    ),
    show: bool = typer.Option(False, "--show", help="Print the saved plan and change nothing."),
    as_json: bool = JsonOption,
    yes: bool = typer.Option(
        False, "--yes", "-y", help="Accept an infusion date more than a year from today."
    ),
) -> None:
    """Save your infusion date and your hospital team's 24-hour number.

    Run it again at any time to change what you give; everything else is kept.
    """
    from cart_cli import parsing

    now = _now()
    given = {
        "infusion_date": infusion_date, "hospital": hospital, "phone": phone,
        "diagnosis": diagnosis, "fever_threshold": fever_threshold,
        "no_driving_weeks": no_driving_weeks, "emergency_number": emergency_number,
    }  # fmt: skip
    if show or (as_json and all(value is None for value in given.values())):
        with _if_exists(ctx, now) as store:
            plan = store.plan() if store else None
        if plan is None:
            raise CartError("cart is not set up yet: run `cart setup --infusion-date DATE --phone NUMBER`.")
        _show_plan(plan, now, as_json)
        return

    # Parse everything before opening the file, so bad input writes nothing.
    changes: dict = {}
    if infusion_date is not None:
        changes["infusion_date"] = parsing.parse_date(infusion_date)
    if hospital is not None:
        changes["hospital"] = parsing.parse_text(hospital, "hospital name", MAX_HOSPITAL_CHARS)
    if phone is not None:
        changes["phone"] = parsing.parse_phone(phone)
    if diagnosis is not None:
        changes["diagnosis"] = parsing.parse_diagnosis(diagnosis)
    if fever_threshold is not None:
        changes["fever_threshold_c"] = parsing.parse_fever_threshold(fever_threshold)
    if no_driving_weeks is not None:
        changes["no_driving_weeks"] = parsing.parse_no_driving_weeks(no_driving_weeks)
    if emergency_number is not None:
        changes["emergency_number"] = parsing.parse_phone(emergency_number)

    with _if_exists(ctx, now) as store:
        existing = store.plan() if store else None
    if existing is None:
        changes = _prompt_first_setup(changes)
    if "infusion_date" in changes:
        _confirm_plausible_infusion(changes["infusion_date"], now, yes)
    plan = Plan(**changes) if existing is None else _updated(existing, changes)

    with _open(ctx, create=True, now=now) as store:
        store.save_plan(plan, now)
    if as_json:
        _print_json(plan_to_dict(plan))
        return
    typer.echo("Saved. " + _plan_summary(plan, now))
    if not plan.phone:
        typer.echo(
            "No 24-hour number saved yet: add the one your hospital gave you with "
            "`cart setup --phone NUMBER`, so `cart check` can show it when it matters."
        )


def _updated(plan: Plan, changes: dict) -> Plan:
    from dataclasses import replace

    return replace(plan, **changes)


def _prompt_first_setup(changes: dict) -> dict:
    """First set-up: ask for what is missing, but only when someone is at a terminal."""
    from cart_cli import parsing

    if "infusion_date" in changes and "phone" in changes:
        return changes
    if not sys.stdin.isatty():
        if "infusion_date" not in changes:
            raise InvalidInput(
                "cart setup needs your infusion date: add --infusion-date DATE (e.g. 2026-11-03 or '3 Nov 2026')."
            )
        return changes
    changes = dict(changes)
    while "infusion_date" not in changes:
        text = typer.prompt("Infusion date (day 0), e.g. 2026-11-03")
        try:
            changes["infusion_date"] = parsing.parse_date(text)
        except InvalidInput as error:
            typer.echo(f"  {error.message}", err=True)
    if "hospital" not in changes:
        text = typer.prompt("Hospital team name (Enter to skip)", default="", show_default=False)
        if text.strip():
            changes["hospital"] = parsing.parse_text(text, "hospital name", MAX_HOSPITAL_CHARS)
    while "phone" not in changes:
        text = typer.prompt("Hospital team's 24-hour number (Enter to skip)", default="", show_default=False)
        if not text.strip():
            break
        try:
            changes["phone"] = parsing.parse_phone(text)
        except InvalidInput as error:
            typer.echo(f"  {error.message}", err=True)
    return changes


def _confirm_plausible_infusion(infusion, now: datetime, yes: bool) -> None:
    distance = abs((infusion - now.date()).days)
    if distance > 365 and not yes:
        raise InvalidInput(
            f"the infusion date {infusion.day} {infusion:%b %Y} is more than a year from today; "
            "check it, and add --yes if it is right."
        )


def _plan_summary(plan: Plan, now: datetime) -> str:
    day = plan.day_of(now)
    when = f"day {day} since infusion" if day >= 0 else f"{-day} days before infusion"
    from cart_cli.timefmt import format_date

    return f"Infusion {format_date(plan.infusion_date)}: today is {when}."


def _show_plan(plan: Plan, now: datetime, as_json: bool) -> None:
    if as_json:
        _print_json(plan_to_dict(plan) | {"day": plan.day_of(now)})
        return
    from cart_cli.render import console
    from cart_cli.render.setup import plan_view

    console().print(plan_view(plan, now))


# -- log ---------------------------------------------------------------------------------


def _log(ctx: typer.Context, entries: list[Entry], now: datetime, remarks: list[str], as_json: bool) -> None:
    """Store entries in one transaction, confirm each, then give advice if they need it.

    When a new entry is behind any finding, the whole check is shown, as `cart check`
    would: a reading that looks merely amber on its own may sit beside an earlier fever.
    """
    with _open(ctx, create=True, now=now) as store:
        stored = store.add(entries, now)
        plan = store.plan()
        oldest = min(entry.recorded_at for entry in stored)
        result = _evaluate(store, plan, now, min(_hours_before(now, 24), oldest))
    stored_ids = {entry.id for entry in stored}
    relevant = [f for f in result.findings if stored_ids & {e.id for e in f.entries}]
    if as_json:
        _print_json(
            {
                "stored": [entry_to_dict(entry) for entry in stored],
                "level": result.level if relevant else None,
                "findings": [_finding_json(f) for f in relevant],
            }
        )
        return
    for remark in remarks:
        if remark:
            typer.echo(f"Note: {remark}")
    from cart_cli.timefmt import local_time

    for entry in stored:
        typer.echo(f"Stored #{entry.id}: {entry.describe()} at {local_time(entry.recorded_at, now)}.")
    if relevant:
        from cart_cli.render import console
        from cart_cli.render.check import advice_view

        console().print(advice_view(result, result.findings, plan))


@log_app.command(
    "temp",
    epilog=examples(
        "cart log temp 38.2",
        "cart log temp 100.4F",
        "cart log temp 99.5 --unit f",
        "cart log temp 37.6 --at '45m ago'",
    ),
)
def log_temp(
    ctx: typer.Context,
    value: str = typer.Argument(..., metavar="VALUE", help="Temperature in °C (e.g. 38.2) or °F (100.4F)."),
    unit: Optional[str] = typer.Option(
        None, "--unit", metavar="c|f", help="Unit, if not written after the number."
    ),
    at: Optional[str] = AtOption,
    note: Optional[str] = NoteOption,
    as_json: bool = JsonOption,
) -> None:
    """Record a temperature. 38 °C or above (or your hospital's threshold) means call the team."""
    from cart_cli.parsing import parse_temperature

    now = _now()
    celsius, remark = parse_temperature(value, unit)
    entry = Entry(kind="temp", recorded_at=_when(at, now), celsius=celsius, note=_note(note))
    _log(ctx, [entry], now, [remark], as_json)


@log_app.command(
    "symptom",
    epilog=examples(
        "cart log symptom cough",
        "cart log symptom 'runny poo' headache --severity mild",
        "cart log symptom --other 'sore mouth'",
        "cart symptoms (to see every name)",
    ),
)
def log_symptom(
    ctx: typer.Context,
    names: Optional[list[str]] = typer.Argument(
        None, metavar="NAME...", help="One or more symptom names (see `cart symptoms`)."
    ),
    other: Optional[str] = typer.Option(
        None, "--other", metavar="TEXT", help="Something not in the list, in your own words."
    ),
    severity: Optional[str] = typer.Option(
        None, "--severity", metavar="mild|moderate|severe", help="How bad it is."
    ),
    at: Optional[str] = AtOption,
    note: Optional[str] = NoteOption,
    as_json: bool = JsonOption,
) -> None:
    """Record one or more symptoms, by name or in your own words."""
    now = _now()
    if severity is not None:
        severity = severity.strip().lower()
        if severity not in SEVERITIES:
            raise InvalidInput(f"severity {severity!r} is not one of: mild, moderate, severe.")
    symptoms = _symptom_names(names or [])
    if other is not None:
        from cart_cli.parsing import parse_text

        other = parse_text(other, "--other text", MAX_OTHER_CHARS)
    if not symptoms and other is None:
        raise InvalidInput("name a symptom (see `cart symptoms`) or describe it with --other 'text'.")
    when = _when(at, now)
    note = _note(note)
    entries = [
        Entry(kind="symptom", recorded_at=when, symptom=name, severity=severity, note=note)
        for name in symptoms
    ]
    if other is not None:
        entries.append(
            Entry(
                kind="symptom", recorded_at=when, symptom="other", other=other, severity=severity, note=note
            )
        )
    _log(ctx, entries, now, [], as_json)


def _symptom_names(words: list[str]) -> list[str]:
    """Names from the arguments: quoted or not (`runny poo` or 'runny poo'), comma-separated or not.

    Each phrase is matched greedily, longest run of words first, so `runny poo headache`
    gives diarrhoea and headache. Anything unmatched is an error and nothing is stored.
    """
    from cart_cli.symptoms import lookup

    names: list[str] = []
    for phrase in " ".join(words).split(","):
        tokens = phrase.split()
        start = 0
        while start < len(tokens):
            for end in range(len(tokens), start, -1):
                try:
                    symptom = lookup(" ".join(tokens[start:end]))
                except InvalidInput:
                    continue
                if symptom.name not in names:
                    names.append(symptom.name)
                start = end
                break
            else:
                # Report the whole unmatched remainder, so the suggestions fit what was meant.
                lookup(" ".join(tokens[start:]))
    return names


@log_app.command("fatigue", epilog=examples("cart log fatigue 6", "cart log fatigue 8 --note 'slept badly'"))
def log_fatigue(
    ctx: typer.Context,
    score: str = typer.Argument(..., metavar="SCORE", help="0 (none) to 10 (worst you can imagine)."),
    at: Optional[str] = AtOption,
    note: Optional[str] = NoteOption,
    as_json: bool = JsonOption,
) -> None:
    """Record how tired you feel, from 0 to 10."""
    from cart_cli.parsing import parse_fatigue

    now = _now()
    entry = Entry(kind="fatigue", recorded_at=_when(at, now), score=parse_fatigue(score), note=_note(note))
    _log(ctx, [entry], now, [], as_json)


@log_app.command("bp", epilog=examples("cart log bp 118/76", "cart log bp 95/60 --pulse 104"))
def log_bp(
    ctx: typer.Context,
    reading: str = typer.Argument(..., metavar="SYS/DIA", help="Blood pressure, e.g. 118/76."),
    pulse: Optional[str] = typer.Option(None, "--pulse", metavar="BPM", help="Pulse, beats per minute."),
    at: Optional[str] = AtOption,
    note: Optional[str] = NoteOption,
    as_json: bool = JsonOption,
) -> None:
    """Record blood pressure, and pulse if you have it."""
    from cart_cli.parsing import parse_bp, parse_pulse

    now = _now()
    systolic, diastolic = parse_bp(reading)
    entry = Entry(
        kind="bp", recorded_at=_when(at, now), systolic=systolic, diastolic=diastolic,
        pulse=None if pulse is None else parse_pulse(pulse), note=_note(note),
    )  # fmt: skip
    _log(ctx, [entry], now, [], as_json)


@log_app.command("fluids", epilog=examples("cart log fluids 1.5", "cart log fluids 500ml"))
def log_fluids(
    ctx: typer.Context,
    amount: str = typer.Argument(..., metavar="AMOUNT", help="Litres (1.5) or millilitres (500ml)."),
    at: Optional[str] = AtOption,
    note: Optional[str] = NoteOption,
    as_json: bool = JsonOption,
) -> None:
    """Record how much you drank (aim for 2-3 litres a day)."""
    from cart_cli.parsing import parse_fluids

    now = _now()
    litres, remark = parse_fluids(amount)
    entry = Entry(kind="fluids", recorded_at=_when(at, now), litres=litres, note=_note(note))
    _log(ctx, [entry], now, [remark], as_json)


# -- reading back ------------------------------------------------------------------------


@app.command(epilog=examples("cart symptoms", "cart symptoms --json"))
def symptoms(as_json: bool = JsonOption) -> None:
    """List the symptom names `cart log symptom` knows, by group."""
    from cart_cli.symptoms import GROUPS, by_group

    groups = by_group()
    if as_json:
        _print_json(
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
        "cart history", "cart history --kind temp --since '3 days ago'", "cart history --limit 100 --json"
    )
)
def history(
    ctx: typer.Context,
    kind: Optional[str] = typer.Option(
        None, "--kind", metavar="KIND", help="Only one kind: temp, symptom, fatigue, bp or fluids."
    ),
    since: Optional[str] = typer.Option(
        None, "--since", metavar="WHEN", help="Only entries from this time on."
    ),
    limit: int = typer.Option(
        20, "--limit", metavar="N", min=1, max=100000, help="How many entries at most (newest first)."
    ),
    as_json: bool = JsonOption,
) -> None:
    """Show what you recorded, newest first."""
    now = _now()
    if kind is not None:
        kind = kind.strip().lower()
        if kind not in KINDS:
            raise InvalidInput(f"kind {kind!r} is not one of: {', '.join(KINDS)}.")
    since_at = _when(since, now) if since else None
    with _if_exists(ctx, now) as store:
        entries = store.entries(since=since_at, kind=kind, limit=limit) if store else []
    if as_json:
        _print_json([entry_to_dict(entry) for entry in entries])
        return
    from cart_cli.render import console
    from cart_cli.render.history import history_view

    console().print(history_view(entries, now))


def _confirm(question: str, yes: bool) -> None:
    if yes:
        return
    if not sys.stdin.isatty():
        raise InvalidInput("this removes data: add --yes to confirm when not at a terminal.")
    if not typer.confirm(question, default=False):
        raise CartError("nothing was removed.", exit_code=EXIT_FAILURE)


@app.command(epilog=examples("cart delete 12", "cart delete 12 --yes"))
def delete(
    ctx: typer.Context,
    entry_id: str = typer.Argument(..., metavar="ID", help="The entry's number, as shown by `cart history`."),
    yes: bool = YesOption,
) -> None:
    """Remove one entry (asks first)."""
    from cart_cli.timefmt import local_time

    if not entry_id.strip().lstrip("#").isdigit():
        raise InvalidInput(f"{entry_id!r} is not an entry id: give the number shown by `cart history`.")
    number = int(entry_id.strip().lstrip("#"))
    now = _now()
    with _if_exists(ctx, now) as store:
        entry = store.get(number) if store else None
        if entry is None:
            raise InvalidInput(f"there is no entry #{number}; `cart history` lists the ids.")
        _confirm(f"Remove #{entry.id}: {entry.describe()} at {local_time(entry.recorded_at, now)}?", yes)
        store.delete(entry.id)
    typer.echo(f"Removed #{entry.id}: {entry.describe()} at {local_time(entry.recorded_at, now)}.")


@app.command(epilog=examples("cart undo", "cart undo --yes"))
def undo(ctx: typer.Context, yes: bool = YesOption) -> None:
    """Remove the entry you logged last (asks first)."""
    from cart_cli.timefmt import local_time

    now = _now()
    with _if_exists(ctx, now) as store:
        entry = store.last_logged() if store else None
        if entry is None:
            raise CartError("there is nothing to undo: no entries are stored.")
        _confirm(
            f"Remove the entry logged last, #{entry.id}: {entry.describe()} at {local_time(entry.recorded_at, now)}?",
            yes,
        )
        store.delete(entry.id)
    typer.echo(f"Removed #{entry.id}: {entry.describe()} at {local_time(entry.recorded_at, now)}.")


# -- check -------------------------------------------------------------------------------


def _finding_json(finding) -> dict:
    return {
        "level": finding.level,
        "rule": finding.rule,
        "message": finding.message,
        "action": finding.action,
        "source": finding.source,
        "entry_ids": [entry.id for entry in finding.entries],
    }


@app.command(
    epilog=examples(
        "cart check",
        "cart check --hours 48",
        "cart check --since 'yesterday 08:00' --json",
        note="Exit status: 0 green, 1 amber, 2 red, 3 unknown (or cart could not judge).",
    )
)
def check(
    ctx: typer.Context,
    hours: Optional[str] = typer.Option(None, "--hours", metavar="N", help="Look back N hours (default 24)."),
    since: Optional[str] = typer.Option(
        None, "--since", metavar="WHEN", help="Look back to this time instead."
    ),
    as_json: bool = JsonOption,
) -> None:
    """Grade recent entries red / amber / green and say what to do."""
    # If anything fails, run() turns it into exit status 3 (UNKNOWN), never a reassuring 0.
    raise typer.Exit(CHECK_EXIT[_check(ctx, hours, since, as_json)])


def _check(ctx: typer.Context, hours: Optional[str], since: Optional[str], as_json: bool) -> str:
    from cart_cli import rules

    now = _now()
    if hours is not None and since is not None:
        raise InvalidInput("give --hours or --since, not both.")
    if since is not None:
        window_start = _when(since, now)
    elif hours is not None:
        from cart_cli.parsing import parse_hours

        window_start = _hours_before(now, parse_hours(hours))
    else:
        window_start = _hours_before(now, 24)
    with _if_exists(ctx, now) as store:
        plan = store.plan() if store else None
        result = _evaluate(store, plan, now, window_start)
    if as_json:
        _print_json(
            {
                "level": result.level,
                "emergency": result.emergency,
                "headline": rules.headline(result, plan),
                "day": result.day,
                "since": result.since.isoformat(timespec="seconds"),
                "until": result.until.isoformat(timespec="seconds"),
                "fever_threshold_c": result.fever_threshold_c,
                "findings": [_finding_json(f) for f in result.findings],
                "missing": list(result.missing),
                "contact": _contact_json(plan),
            }
        )
    else:
        from cart_cli.render import console
        from cart_cli.render.check import check_view

        console().print(check_view(result, plan, now))
    return result.level


def _contact_json(plan: Optional[Plan]) -> dict:
    from cart_cli.rules import emergency_number

    return {
        "hospital": plan.hospital if plan else None,
        "phone": plan.phone if plan else None,
        "emergency_number": emergency_number(plan),
    }


# -- timeline and demo -------------------------------------------------------------------


@app.command(epilog=examples("cart timeline", "cart timeline --json"))
def timeline(ctx: typer.Context, as_json: bool = JsonOption) -> None:
    """Your day of recovery, the milestones, and what comes next."""
    from cart_cli.timeline import build_timeline, to_json

    now = _now()
    with _if_exists(ctx, now) as store:
        plan = store.plan() if store else None
    if plan is None:
        raise CartError("cart is not set up yet: run `cart setup --infusion-date DATE` first.")
    result = build_timeline(plan, now.date())
    if as_json:
        _print_json(to_json(result))
        return
    from cart_cli.render import console
    from cart_cli.render.timeline import timeline_view

    console().print(timeline_view(result))


@app.command(epilog=examples("cart demo"))
def demo() -> None:
    """See cart at work on two weeks of made-up readings.

    Your own data is never touched.
    """
    import tempfile

    from cart_cli.demo import demo_data
    from cart_cli.render import console
    from cart_cli.render.check import check_view
    from cart_cli.render.timeline import timeline_view
    from cart_cli.timeline import build_timeline

    now = _now()
    out = console()
    with tempfile.TemporaryDirectory(prefix="cart-demo-") as folder:
        with Store.open(Path(folder) / "demo.db", now=now) as store:
            plan, entries, check_at = demo_data(now)
            store.save_plan(plan, now)
            store.add(entries, now)
            out.rule("[bold]cart demo[/]: made-up data in a throw-away database; your own data is untouched")
            out.print("\n[bold]1. The dashboard[/] (what `cart` on its own shows)\n")
            _show_dashboard(store, now)
            out.print("\n[bold]2. The timeline[/] (`cart timeline`)\n")
            out.print(timeline_view(build_timeline(plan, now.date())))
            out.print("\n[bold]3. The check[/] (`cart check`) on the day of the fever\n")
            result = _evaluate(store, plan, check_at, _hours_before(check_at, 24))
            out.print(check_view(result, plan, check_at))
    out.rule("Your turn: cart setup --infusion-date DATE --phone NUMBER")


# -- backup, export, import ---------------------------------------------------------------

ForceOption = typer.Option(False, "--force", help="Replace the file if it already exists.")
EXPORT_FORMATS = ("csv", "json")


def _open_existing(ctx: typer.Context, now: datetime, doing: str) -> Store:
    store = _open(ctx, create=False, now=now)
    if store is None:
        raise CartError(f"there is no database at {_state(ctx).db_path} yet: nothing to {doing}.")
    return store


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
    path: Optional[str] = typer.Argument(
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

    now = _now()
    with _open_existing(ctx, now, "back up") as store:
        target = Path(path).expanduser() if path else None
        result = transfer.backup(store, target, now, force=force)
    entries = plural(result.entries, "entry", "entries")
    typer.echo(f"Saved a copy of the database ({entries}) to {result.path}")


@app.command(
    epilog=examples(
        "cart export --format json --output cart-export.json",
        "cart export --format csv --output readings.csv",
        "cart export --format csv | less",
        note="CSV: one row per entry, for a spreadsheet (the plan is not included). "
        "JSON: every entry and the plan; `cart import` reads it back.",
    )
)
def export(
    ctx: typer.Context,
    export_format: Optional[str] = typer.Option(
        None,
        "--format",
        metavar="csv|json",
        help="csv or json (default: from the --output name's ending, else json).",
    ),
    output: Optional[str] = typer.Option(
        None,
        "--output",
        "-o",
        metavar="FILE",
        help="Write to FILE (readable by you only) instead of the screen.",
    ),
    force: bool = ForceOption,
) -> None:
    """Write every entry, oldest first, as CSV or JSON."""
    from cart_cli import transfer

    if export_format is not None:
        chosen = export_format.strip().lower()
        if chosen not in EXPORT_FORMATS:
            raise InvalidInput(f"--format {export_format!r} is not one of: {', '.join(EXPORT_FORMATS)}.")
    else:
        chosen = "csv" if output and output.lower().endswith(".csv") else "json"
    now = _now()

    def write(store: Store, out) -> int:
        if chosen == "csv":
            return transfer.export_csv(store, out)
        return transfer.export_json(store, out, now)

    with _open_existing(ctx, now, "export") as store:
        if output is None:
            write(store, sys.stdout)
            return
        target = Path(output).expanduser()
        with transfer.private_output(target, force=force, database=store.path) as out:
            count = write(store, out)
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

    now = _now()
    # The whole file is checked before the database is opened: a bad file changes nothing.
    checked = transfer.read_export(Path(file).expanduser(), now)
    with _open(ctx, create=True, now=now) as store:
        result = transfer.import_export(store, checked, now, replace_plan=replace_plan)
    added = plural(result.added, "entry", "entries")
    typer.echo(f"Imported {added} ({result.already_present} already present).")
    if result.plan == "added":
        typer.echo("The plan in the file was saved too (`cart setup --show` shows it).")
    elif result.plan == "replaced":
        typer.echo("Your saved plan was replaced by the one in the file.")
    elif result.plan == "kept":
        typer.echo(
            "The plan in the file differs from your saved plan; yours was kept "
            "(add --replace-plan to use the file's)."
        )


# -- the single exit point -----------------------------------------------------------------


def run(argv: list[str]) -> int:
    """Run cart with ``argv`` and return the exit status (no ``sys.exit``: tests call this)."""
    os.umask(0o077)  # anything cart creates (database, backups, exports) is private
    command = typer.main.get_command(app)
    try:
        result = command.main(args=list(argv), prog_name="cart", standalone_mode=False)
        return result if isinstance(result, int) else 0
    except typer.Exit as done:
        return done.exit_code
    except KeyboardInterrupt:
        typer.echo("\ncart: stopped.", err=True)
        return 130
    except BaseException as error:  # noqa: BLE001 - the one place every failure ends up
        code = _report(error, debug="--debug" in argv)
    # When `cart check` cannot judge, it says UNKNOWN (3): never 0, and never a colour.
    return CHECK_EXIT["unknown"] if _subcommand(argv) == "check" else code


def _report(error: BaseException, debug: bool) -> int:
    """Print one line on stderr for a failure and return its exit status."""
    if isinstance(error, CartError):
        typer.echo(f"cart: {error.message}", err=True)
        return error.exit_code
    if isinstance(error, typer.Abort):
        typer.echo("\ncart: stopped; nothing more was written.", err=True)
        return EXIT_FAILURE
    if isinstance(error, BrokenPipeError):
        return EXIT_FAILURE
    if _is_a(error, "NoArgsIsHelpError"):  # `cart log` alone: show its help
        typer.echo(error.ctx.get_help())
        return 0
    if _is_a(error, "UsageError"):
        ctx = getattr(error, "ctx", None)
        path = ctx.command_path if ctx is not None else "cart"
        message = " ".join(error.format_message().split())
        typer.echo(f"{path}: {message} (see `{path} --help`)", err=True)
        return EXIT_USAGE
    if _is_a(error, "ClickException"):
        typer.echo(f"cart: {' '.join(error.format_message().split())}", err=True)
        return error.exit_code
    if not isinstance(error, Exception):
        raise error  # SystemExit and the like are not failures to report
    return _crash(error, debug)


def _is_a(error: Exception, class_name: str) -> bool:
    """Typer ships its own copy of Click, so its exceptions are matched by class name."""
    return any(cls.__name__ == class_name for cls in type(error).__mro__)


def _subcommand(argv: list[str]) -> str | None:
    """The first word that is not a global option (or its value)."""
    words = iter(argv)
    for word in words:
        if word == "--db":
            next(words, None)
        elif not word.startswith("-"):
            return word
    return None


def _crash(error: Exception, debug: bool) -> int:
    """A bug in cart: say so without printing any data (no locals, no values)."""
    if debug:
        import traceback

        traceback.print_exc()  # a plain traceback: files and lines, never local variables
    else:
        typer.echo(
            f"cart: something went wrong inside cart ({type(error).__name__}); entries already "
            "saved are safe. Run the same command with --debug for details. If you were checking "
            "symptoms, do not wait: call your hospital team.",
            err=True,
        )
    return EXIT_FAILURE


def main() -> None:
    sys.exit(run(sys.argv[1:]))
