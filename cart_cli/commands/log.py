"""`cart log ...`: record a reading or a symptom, then give the advice it calls for."""

from __future__ import annotations

from datetime import datetime

import typer

from cart_cli.commands.base import (
    AtOption,
    JsonOption,
    NoteOption,
    clean_note,
    evaluate_window,
    examples,
    finding_json,
    hours_before,
    log_app,
    moment_or_now,
    now_local,
    open_store,
    outcome,
    print_json,
)
from cart_cli.errors import InvalidInput
from cart_cli.models import (
    MAX_OTHER_CHARS,
    SEVERITIES,
    Entry,
    entry_to_dict,
)

# -- log ---------------------------------------------------------------------------------


def _log(ctx: typer.Context, entries: list[Entry], now: datetime, remarks: list[str], as_json: bool) -> None:
    """Store entries in one transaction, confirm each, then give advice if they need it.

    When a new entry is behind any finding, the whole check is shown, as `cart check`
    would: a reading that looks merely amber on its own may sit beside an earlier fever.
    """
    with open_store(ctx, create=True, now=now) as store:
        stored = store.add(entries, now)
        outcome.stored_entries(stored)  # if printing fails now, run() still says they were stored
        plan = store.plan()
        oldest = min(entry.recorded_at for entry in stored)
        result = evaluate_window(store, plan, now, min(hours_before(now, 24), oldest))
    stored_ids = {entry.id for entry in stored}
    relevant = [f for f in result.findings if stored_ids & {e.id for e in f.entries}]
    if as_json:
        print_json(
            {
                "stored": [entry_to_dict(entry) for entry in stored],
                "level": result.level if relevant else None,
                "findings": [finding_json(f) for f in relevant],
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
    unit: str | None = typer.Option(
        None, "--unit", metavar="c|f", help="Unit, if not written after the number."
    ),
    at: str | None = AtOption,
    note: str | None = NoteOption,
    as_json: bool = JsonOption,
) -> None:
    """Record a temperature. 38 °C or above (or your hospital's threshold) means call the team."""
    from cart_cli.parsing import parse_temperature

    now = now_local()
    celsius, remark = parse_temperature(value, unit)
    entry = Entry(kind="temp", recorded_at=moment_or_now(at, now), celsius=celsius, note=clean_note(note))
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
    names: list[str] | None = typer.Argument(
        None, metavar="NAME...", help="One or more symptom names (see `cart symptoms`)."
    ),
    other: str | None = typer.Option(
        None, "--other", metavar="TEXT", help="Something not in the list, in your own words."
    ),
    severity: str | None = typer.Option(
        None, "--severity", metavar="mild|moderate|severe", help="How bad it is."
    ),
    at: str | None = AtOption,
    note: str | None = NoteOption,
    as_json: bool = JsonOption,
) -> None:
    """Record one or more symptoms, by name or in your own words."""
    now = now_local()
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
    when = moment_or_now(at, now)
    note = clean_note(note)
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
    at: str | None = AtOption,
    note: str | None = NoteOption,
    as_json: bool = JsonOption,
) -> None:
    """Record how tired you feel, from 0 to 10."""
    from cart_cli.parsing import parse_fatigue

    now = now_local()
    entry = Entry(
        kind="fatigue", recorded_at=moment_or_now(at, now), score=parse_fatigue(score), note=clean_note(note)
    )
    _log(ctx, [entry], now, [], as_json)


@log_app.command("bp", epilog=examples("cart log bp 118/76", "cart log bp 95/60 --pulse 104"))
def log_bp(
    ctx: typer.Context,
    reading: str = typer.Argument(..., metavar="SYS/DIA", help="Blood pressure, e.g. 118/76."),
    pulse: str | None = typer.Option(None, "--pulse", metavar="BPM", help="Pulse, beats per minute."),
    at: str | None = AtOption,
    note: str | None = NoteOption,
    as_json: bool = JsonOption,
) -> None:
    """Record blood pressure, and pulse if you have it."""
    from cart_cli.parsing import parse_bp, parse_pulse

    now = now_local()
    systolic, diastolic = parse_bp(reading)
    entry = Entry(
        kind="bp", recorded_at=moment_or_now(at, now), systolic=systolic, diastolic=diastolic,
        pulse=None if pulse is None else parse_pulse(pulse), note=clean_note(note),
    )  # fmt: skip
    _log(ctx, [entry], now, [], as_json)


@log_app.command("fluids", epilog=examples("cart log fluids 1.5", "cart log fluids 500ml"))
def log_fluids(
    ctx: typer.Context,
    amount: str = typer.Argument(..., metavar="AMOUNT", help="Litres (1.5) or millilitres (500ml)."),
    at: str | None = AtOption,
    note: str | None = NoteOption,
    as_json: bool = JsonOption,
) -> None:
    """Record how much you drank (aim for 2-3 litres a day)."""
    from cart_cli.parsing import parse_fluids

    now = now_local()
    litres, remark = parse_fluids(amount)
    entry = Entry(kind="fluids", recorded_at=moment_or_now(at, now), litres=litres, note=clean_note(note))
    _log(ctx, [entry], now, [remark], as_json)
