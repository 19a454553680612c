"""`cart log ...`: record a reading or a symptom, then give the advice it calls for.

The advice printed after logging is the `cart check` screen itself, from the same function on
the same window (the last 24 hours up to now), so logging never says more or less than a check
straight afterwards would.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

import typer

from cart_cli.commands.base import (
    AtOption,
    JsonOption,
    NoAskOption,
    NoteOption,
    clean_note,
    examples,
    log_app,
    moment_or_now,
    now_local,
    open_store,
    outcome,
    print_json,
    visible,
)
from cart_cli.errors import InvalidInput
from cart_cli.levels import FINDING_LEVELS
from cart_cli.shapes import log_json
from cart_cli.thresholds import (
    BORDERLINE_SPO2,
    FAST_BREATHING,
    FAST_PULSE,
    LOW_SPO2,
    RAISED_BREATHING,
    RAISED_PULSE,
    SLOW_BREATHING,
    VERY_SLOW_BREATHING,
)

if TYPE_CHECKING:
    from cart_cli.store import Store
from cart_cli.models import (
    DEFAULT_EMERGENCY_NUMBER,
    MAX_MEDICINE_CHARS,
    MAX_OTHER_CHARS,
    MAX_OUTCOME_CHARS,
    Entry,
    Plan,
)

# -- log ---------------------------------------------------------------------------------


def store_and_advise(
    ctx: typer.Context,
    entries: list[Entry],
    now: datetime,
    remarks: Sequence[str | None],
    as_json: bool,
    read_as: Sequence[tuple[str, int]] = (),
    ask_home: bool = True,
) -> None:
    """Store entries in one transaction, confirm each, then say what `cart check` now says.
    With ``ask_home`` (`cart log temp`), at a terminal after day 7 and when nothing needs
    acting on, ask once whether the person is home from the hospital.

    ``read_as`` pairs each typed symptom phrase with how many of ``entries`` it became, in
    order, so the confirmation can say how cart read it. When a new entry is behind a finding
    the whole check screen is shown; when the check is red or amber for other reasons, one line
    says so, so that a normal reading never reads as an all-clear.
    """
    from cart_cli.verdict import verdict_for

    with open_store(ctx, now) as store:
        stored = store.add(entries, now)
        outcome.stored_entries(stored)  # if printing fails now, run() still says they were stored
        plan = store.plan()
        result = verdict_for(store, plan, now)
    stored_ids = {entry.id for entry in stored}
    relevant = [f for f in result.findings if stored_ids & {e.id for e in f.entries}]
    from cart_cli.log_advice import read_as_lines, timing_notes
    from cart_cli.rules import site_may_read_low

    notes = [remark for remark in remarks if remark] + timing_notes(stored, plan, now, result)
    low_site = site_may_read_low(stored, plan, now)  # this reading, from the arm or forehead
    if low_site is not None and not relevant:  # the check screen, when shown, says it already
        notes.append(low_site)
    readings = read_as_lines(read_as, stored, plan, now)
    if as_json:
        print_json(log_json(stored, result, relevant, readings, notes))
        return
    from cart_cli.timefmt import local_time

    for note in notes:
        typer.echo(f"Note: {note}")
    for entry in stored:
        typer.echo(f"Stored #{entry.id}: {entry.describe()} at {local_time(entry.recorded_at, now)}.")
    for reading in readings:
        typer.echo(reading)
    if relevant:
        from cart_cli.render import console
        from cart_cli.render.check import check_view

        console().print(check_view(result, plan, now))
    elif result.level in FINDING_LEVELS:
        typer.echo(result.status_line())
    # The home question never stands between a person and their advice: it comes after it, and
    # only when nothing needs action now (a red or amber screen is left as the last word).
    if ask_home and result.level not in FINDING_LEVELS:
        with open_store(ctx, now) as store:
            _ask_if_home(store, store.plan(), now)


HOME_QUESTION = "home_since"
HOME_ASK_AGAIN_DAYS = 3  # "not yet": ask again a few days later, never at every log


def _at_terminal() -> bool:
    """Someone is there to answer: both stdin and stdout are a terminal."""
    import sys

    return sys.stdin.isatty() and sys.stdout.isatty()


def _ask_if_home(store: Store, plan: Plan | None, now: datetime) -> None:
    """After day 7, at a terminal, ask once whether the person is home from the hospital: the
    timeline then marks the hospital-stay milestones as past. Enter skips (asked again later)."""
    if plan is None or plan.home_since is not None or not _at_terminal():
        return  # (the terminal first: a script never loads the timeline for this)
    from cart_cli.timeline import HOME_QUESTION_AFTER_DAY

    if plan.day_of(now) <= HOME_QUESTION_AFTER_DAY:
        return
    asked = store.asked_on(HOME_QUESTION)
    if asked is not None and (now.date() - asked).days < HOME_ASK_AGAIN_DAYS:
        return
    from cart_cli.parsing import parse_past_date

    store.mark_asked(HOME_QUESTION, now.date())
    while True:
        text = typer.prompt(
            "Are you home from the hospital? Type the day you came home (e.g. yesterday, 3 Dec), "
            "or press Enter if not yet",
            default="",
            show_default=False,
        )
        if not text.strip():
            return
        try:
            home = parse_past_date(text, now.date(), "home date")
        except InvalidInput as error:
            typer.echo(f"  {error.message}", err=True)
            continue
        if home < plan.infusion_date:
            typer.echo("  That is before the infusion: give the day you came home after it.", err=True)
            continue
        store.update_plan({"home_since": home}, now)
        typer.echo("Saved: the timeline now counts from home (cart setup --home-since changes it).")
        return


def _volume_units(ctx: typer.Context, now: datetime) -> str:
    """The plan's pints and cups (UK or US); UK before set-up, as the seed is a UK page."""
    from cart_cli.commands.base import existing_store
    from cart_cli.models import DEFAULT_VOLUME_UNITS

    with existing_store(ctx, now) as store:
        plan = store.plan() if store else None
    return plan.volume_units if plan else DEFAULT_VOLUME_UNITS


@log_app.command(
    "temp",
    epilog=examples(
        "cart log temp 38.2",
        "cart log temp 100.4F",
        "cart log temp 99.5 --unit f",
        "cart log temp '37.8 under arm'",
        "cart log temp 37.9 --site ear --at 'half an hour ago'",
        "cart log temp 37.6 --at 'last night 11pm'",
    ),
)
def log_temp(
    ctx: typer.Context,
    value: str = typer.Argument(
        ...,
        metavar="VALUE",
        help="Temperature in °C (e.g. 38.2) or °F (100.4F), and where it was taken if you like "
        "('37.8 under arm', '37.9 ear').",
    ),
    unit: str | None = typer.Option(
        None, "--unit", metavar="c|f", help="Unit, if not written after the number."
    ),
    site: str | None = typer.Option(
        None,
        "--site",
        metavar="mouth|ear|armpit|forehead",
        help="Where it was taken. Kept with the reading; the number is graded as read.",
    ),
    at: str | None = AtOption,
    note: str | None = NoteOption,
    as_json: bool = JsonOption,
) -> None:
    """Record a temperature. 38 °C or above (or your hospital's threshold) means call the team."""
    from cart_cli.parsing import parse_temperature_reading

    now = now_local()
    celsius, remark, where = parse_temperature_reading(value, unit, site)
    entry = Entry(
        kind="temp", recorded_at=moment_or_now(at, now), celsius=celsius, site=where, note=clean_note(note)
    )
    store_and_advise(ctx, [entry], now, [remark], as_json, ask_home=True)


log_app.command(
    "temperature",
    hidden=True,
    help="The same as `cart log temp`.",
    epilog=examples("cart log temperature 38.2", "cart log temperature 100.4F"),
)(log_temp)


@log_app.command(
    "symptom",
    epilog=examples(
        "cart log symptom cough",
        "cart log symptom 'runny poo' headache --severity mild",
        'cart log symptom "can\'t wake him"',
        'cart log symptom "no fever, keeps nodding off" --no-ask',
        "cart log symptom --other 'sore mouth'",
        "cart symptoms (to see every name)",
    ),
)
def log_symptom(
    ctx: typer.Context,
    names: list[str] | None = typer.Argument(
        None, metavar="WORDS...", help="Symptom names (see `cart symptoms`) or your own words."
    ),
    other: str | None = typer.Option(
        None, "--other", metavar="TEXT", help="Something not in the list, in your own words."
    ),
    severity: str | None = typer.Option(
        None, "--severity", metavar="mild|moderate|severe", help="How bad it is."
    ),
    at: str | None = AtOption,
    note: str | None = NoteOption,
    no_ask: bool = NoAskOption,
    as_json: bool = JsonOption,
) -> None:
    """Record one or more symptoms, by name or in your own words.

    Words cart does not recognise are never refused: a phrase is kept as you typed it, as
    one entry, and graded by the most urgent sign it names ("no fever" is read as not there).
    When cart cannot read all of it, it asks a few yes / no / not sure questions at a
    terminal (--no-ask skips them; a script is never asked).
    """
    from cart_cli.parsing import parse_severity, parse_text
    from cart_cli.symptoms import symptom_entries

    now = now_local()
    if severity is not None:
        severity = parse_severity(severity)
    words = visible(" ".join(names or []), "symptom words")
    typed = [" ".join(words.split())] if words.strip() else []
    if other is not None:
        typed.append(parse_text(visible(other, "--other text"), "--other text", 10 * MAX_OTHER_CHARS))
    if not typed:
        raise InvalidInput("name a symptom (see `cart symptoms`) or describe it in your own words.")
    when = moment_or_now(at, now)
    note = clean_note(note)
    entries: list[Entry] = []
    read_as: list[tuple[str, int]] = []
    for phrase in typed:
        found = symptom_entries(phrase, when, severity, note)
        entries += found
        read_as.append((phrase, len(found)))
    if not (no_ask or as_json):
        from cart_cli.commands.ask import ask_about_words, at_a_terminal

        if at_a_terminal():
            entries = ask_about_words(entries)
    store_and_advise(ctx, entries, now, [], as_json, read_as)


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
    store_and_advise(ctx, [entry], now, [], as_json)


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
    store_and_advise(ctx, [entry], now, [], as_json)


@log_app.command(
    "fluids",
    epilog=examples(
        "cart log fluids 1.5",
        "cart log fluids 500ml",
        "cart log fluids '2 pints'",
        "cart log fluids 'a glass' --at 'an hour ago'",
    ),
)
def log_fluids(
    ctx: typer.Context,
    amount: str = typer.Argument(
        ...,
        metavar="AMOUNT",
        help="Litres (1.5), millilitres (500ml), or pints, cups, glasses, mugs or fl oz "
        "('2 pints'; UK or US measures as `cart setup --volume-units` says).",
    ),
    at: str | None = AtOption,
    note: str | None = NoteOption,
    as_json: bool = JsonOption,
) -> None:
    """Record how much you drank (aim for 2-3 litres a day)."""
    from cart_cli.parsing import parse_fluids

    now = now_local()
    litres, remark = parse_fluids(amount, _volume_units(ctx, now))
    entry = Entry(kind="fluids", recorded_at=moment_or_now(at, now), litres=litres, note=clean_note(note))
    store_and_advise(ctx, [entry], now, [remark], as_json)


@log_app.command(
    "spo2",
    help=f"Record your oxygen level (SpO2 %). {LOW_SPO2}% or less means call now; "
    f"{LOW_SPO2 + 1}-{BORDERLINE_SPO2}% call for advice.",
    epilog=examples("cart log spo2 96", "cart log spo2 93% --at '20m ago'"),
)
def log_spo2(
    ctx: typer.Context,
    value: str = typer.Argument(
        ..., metavar="PERCENT", help="Oxygen saturation from a pulse oximeter, 50-100."
    ),
    at: str | None = AtOption,
    note: str | None = NoteOption,
    as_json: bool = JsonOption,
) -> None:

    from cart_cli.parsing import parse_spo2

    now = now_local()
    entry = Entry(
        kind="spo2", recorded_at=moment_or_now(at, now), spo2=parse_spo2(value), note=clean_note(note)
    )
    store_and_advise(ctx, [entry], now, [], as_json)


@log_app.command(
    "pulse",
    help=f"Record your pulse on its own. Over {FAST_PULSE} means call now; "
    f"{RAISED_PULSE + 1}-{FAST_PULSE} call for advice.\n\n"
    "With blood pressure, use `cart log bp 118/76 --pulse 88` instead.",
    epilog=examples("cart log pulse 88", "cart log pulse 112 --at '10m ago'"),
)
def log_pulse(
    ctx: typer.Context,
    value: str = typer.Argument(..., metavar="BPM", help="Pulse in beats a minute, 20-250."),
    at: str | None = AtOption,
    note: str | None = NoteOption,
    as_json: bool = JsonOption,
) -> None:

    from cart_cli.parsing import parse_pulse

    now = now_local()
    entry = Entry(
        kind="pulse", recorded_at=moment_or_now(at, now), pulse=parse_pulse(value), note=clean_note(note)
    )
    store_and_advise(ctx, [entry], now, [], as_json)


@log_app.command(
    "breaths",
    help="Record a breathing rate, in breaths a minute. Count the breaths at rest for 30 "
    "seconds and double the number (or count for a full minute). "
    f"{VERY_SLOW_BREATHING} or fewer means call {DEFAULT_EMERGENCY_NUMBER} (or your emergency number); "
    f"{FAST_BREATHING} or more call your team now; {RAISED_BREATHING}-{FAST_BREATHING - 1} or "
    f"{VERY_SLOW_BREATHING + 1}-{SLOW_BREATHING} call for advice.",
    epilog=examples("cart log breaths 18", "cart log breaths 26 --at '5m ago'"),
)
def log_breaths(
    ctx: typer.Context,
    value: str = typer.Argument(
        ...,
        metavar="PER_MINUTE",
        help="Breaths a minute (counted for 30 seconds and doubled), 0-80.",
    ),
    at: str | None = AtOption,
    note: str | None = NoteOption,
    as_json: bool = JsonOption,
) -> None:

    from cart_cli.parsing import parse_breaths

    now = now_local()
    rate = parse_breaths(value)
    entry = Entry(kind="breaths", recorded_at=moment_or_now(at, now), breaths=rate, note=clean_note(note))
    store_and_advise(ctx, [entry], now, [], as_json)


@log_app.command(
    "call",
    epilog=examples(
        "cart log call --outcome 'ward said stay home, ring back if over 38'",
        "cart log call --at 03:15 --outcome 'told to come in'",
        "cart log call --outcome 'no ambulance needed' --recheck 1h",
        "cart log call --recheck 'at 04:30'",
        "cart log call",
    ),
)
def log_call(
    ctx: typer.Context,
    outcome: str | None = typer.Option(
        None, "--outcome", metavar="TEXT", help="What they said (the team, 999, 111 or A&E)."
    ),
    recheck: str | None = typer.Option(
        None,
        "--recheck",
        metavar="WHEN",
        help="When they asked you to check again: '1h', 'in 30 minutes' or 'at 04:30'.",
    ),
    at: str | None = AtOption,
    note: str | None = NoteOption,
    as_json: bool = JsonOption,
) -> None:
    """Record a call to your team (or 999, 111, A&E) and what they said.

    A call covers what was found when it was made: `cart check` shows it under "Reported to
    your team", keeps its level in words, and calls for a call again only for something new
    or worse. With --recheck, the check, the dashboard and `cart log` remind you when the
    re-check is due and when it is overdue.
    """
    from cart_cli.parsing import parse_recheck, parse_text

    now = now_local()
    said = (
        None
        if outcome is None or not visible(outcome, "outcome").strip()
        else parse_text(visible(outcome, "outcome"), "outcome", MAX_OUTCOME_CHARS)
    )
    when = moment_or_now(at, now)
    minutes = None if recheck is None else parse_recheck(recheck, when)
    entry = Entry(kind="call", recorded_at=when, outcome=said, recheck_minutes=minutes, note=clean_note(note))
    store_and_advise(ctx, [entry], now, [], as_json)


@log_app.command(
    "med",
    epilog=examples(
        "cart log med paracetamol --dose 1g",
        "cart log med 'paracetamol 500mg x2'",
        "cart log med 'ibuprofen 400mg' --at 08:00",
        note="Paracetamol in any product (Lemsip, co-codamol...) is added up over 24 hours: "
        "more than the day's maximum, or a dose less than 4 hours after the last, is red. "
        "Before a dose: cart med next paracetamol",
    ),
)
def log_med(
    ctx: typer.Context,
    name: str = typer.Argument(
        ..., metavar="NAME", help="The medicine you took (and the dose, if you like)."
    ),
    dose: str | None = typer.Option(
        None, "--dose", metavar="AMOUNT", help="How much, e.g. 1g, 500mg or '500mg x2'."
    ),
    at: str | None = AtOption,
    note: str | None = NoteOption,
    no_ask: bool = NoAskOption,
    as_json: bool = JsonOption,
) -> None:
    """Record a medicine you took.

    Paracetamol, ibuprofen, aspirin and the like, and steroids such as dexamethasone, bring a
    temperature down and can hide a fever: ask your team before taking them, and `cart check`
    will say so. For a name cart does not know, it says so and (at a terminal) asks.
    """
    from cart_cli.medicines import with_dose
    from cart_cli.parsing import parse_text

    now = now_local()
    medicine = parse_text(visible(name, "medicine name"), "medicine name", MAX_MEDICINE_CHARS)
    if dose is not None:
        medicine = with_dose(medicine, parse_text(dose, "dose", MAX_MEDICINE_CHARS), MAX_MEDICINE_CHARS)
    entry = Entry(kind="med", recorded_at=moment_or_now(at, now), medicine=medicine, note=clean_note(note))
    from cart_cli.commands.ask import ask_about_medicine

    entry, remark = ask_about_medicine(entry, not (no_ask or as_json))
    store_and_advise(ctx, [entry], now, [remark], as_json)


@log_app.command(
    "bloods",
    epilog=examples(
        "cart log bloods --neutrophils 0.4 --crp 85 --platelets 30 --hb 95",
        "cart log bloods --neutrophils 0.4 --at 'this morning 9'",
        "cart log bloods --hb 9.5g/dL --platelets 30000/uL",
        note="Units: neutrophils and platelets x10^9/L (the same number as x10^3/uL; a count "
        "per uL such as 400 is converted), CRP mg/L (mg/dL with the unit), Hb g/L (g/dL such "
        "as 9.5 is converted). cart says each conversion.",
    ),
)
def log_bloods(
    ctx: typer.Context,
    neutrophils: str | None = typer.Option(
        None, "--neutrophils", metavar="N", help="Neutrophils, x10^9/L (e.g. 0.4)."
    ),
    crp: str | None = typer.Option(None, "--crp", metavar="N", help="CRP, mg/L (e.g. 85)."),
    platelets: str | None = typer.Option(
        None, "--platelets", metavar="N", help="Platelets, x10^9/L (e.g. 30)."
    ),
    hb: str | None = typer.Option(
        None, "--hb", metavar="N", help="Haemoglobin, g/L (e.g. 95) or g/dL (9.5)."
    ),
    at: str | None = AtOption,
    note: str | None = NoteOption,
    as_json: bool = JsonOption,
) -> None:
    """Record blood results from the day unit or clinic: any of them, as the team gave them.

    They do not change the level of `cart check`; beside a fever it shows the latest, so you
    can tell the team.
    """
    from cart_cli.bloods import parse_result

    now = now_local()
    typed = {"neutrophils": neutrophils, "crp": crp, "platelets": platelets, "hb": hb}
    values: dict[str, float] = {}
    remarks: list[str | None] = []
    for name, text in typed.items():
        if text is not None:
            values[name], remark = parse_result(name, text)
            remarks.append(remark)
    if not values:
        raise InvalidInput(
            "give at least one result: --neutrophils, --crp, --platelets or --hb "
            "(e.g. cart log bloods --neutrophils 0.4 --crp 85)."
        )
    entry = Entry(
        kind="bloods", recorded_at=moment_or_now(at, now), note=clean_note(note),
        neutrophils=values.get("neutrophils"), crp=values.get("crp"),
        platelets=values.get("platelets"), hb=values.get("hb"),
    )  # fmt: skip
    store_and_advise(ctx, [entry], now, remarks, as_json)
