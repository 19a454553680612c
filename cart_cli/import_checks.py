"""The checks of one entry or plan read from a JSON export, as strict as typed input.

Each value is checked against the same ranges and vocabulary as `cart log` and `cart
setup` check what is typed; a problem is a ``FileProblem`` (the caller says which entry).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from cart_cli import parsing  # no heavy imports: checking an import is its work
from cart_cli.errors import InvalidInput
from cart_cli.jsonstream import FileProblem, shown
from cart_cli.models import (
    DIAGNOSES,
    KIND_FIELDS,
    KINDS,
    MAX_HOSPITAL_CHARS,
    MAX_NOTE_CHARS,
    MAX_OTHER_CHARS,
    SEVERITIES,
    TEMPERATURE_SITES,
    Plan,
    plan_to_dict,
)
from cart_cli.safe_text import describe_character, unsafe_characters
from cart_cli.schedule import MAX_DOSE_CHARS, MAX_MEDICINE_CHARS, MAX_TITLE_CHARS, MAX_WHERE_CHARS
from cart_cli.store import Column

# How far ahead of now an entry in a file may be: a phone or computer whose clock was fast
# (or set to another zone) by up to a day. Its fever must still reach the check.
FUTURE_LIMIT = timedelta(hours=24)
MIN_RECORDED_YEAR = 2000  # earlier than any CAR-T treatment: surely a mistake in the file
_UID_RE = re.compile(r"[A-Za-z0-9_-]{1,64}")  # ours are 32 hex digits; UUIDs also fit
_ALLOWED_KEYS = {
    kind: frozenset(("id", "uid", "kind", "recorded_at", *fields, "note", "corrected_at", "was"))
    for kind, fields in KIND_FIELDS.items()
}
_PLAN_KEYS = tuple(plan_to_dict(Plan(infusion_date=date(2000, 1, 1))))


def entry_values(item: object, latest: datetime) -> dict[str, Any]:
    """The fields of one entry (``Entry``'s names), checked as strictly as `cart log` checks
    typed values; ``latest`` is the latest time it may have (``_Reading.latest``)."""
    if not isinstance(item, dict):
        raise FileProblem("must be a JSON object")
    kind = item.get("kind")
    if kind is None:
        raise FileProblem("kind is missing")
    if kind not in KINDS:
        raise FileProblem(f"kind {shown(kind)} is not one of {', '.join(KINDS)}")
    allowed = _ALLOWED_KEYS[kind]
    if not allowed.issuperset(item):
        for key in item:
            if key not in allowed:
                raise FileProblem(f"{shown(key)} does not belong in a {kind} entry")

    entry_id = item.get("id")
    if entry_id is not None and not (is_int(entry_id) and entry_id >= 1):
        raise FileProblem(f"id must be a whole number from 1, not {shown(entry_id)}")
    uid = item.get("uid")
    if uid is None:
        raise FileProblem("uid is missing (it is how an import knows what is already stored)")
    if not isinstance(uid, str) or not _UID_RE.fullmatch(uid):
        raise FileProblem(f"uid {shown(uid)} is not 1-64 letters, digits, - or _")
    recorded_at = _recorded_at(item.get("recorded_at"), latest)
    note = _text(item.get("note"), "note", MAX_NOTE_CHARS, required=False)
    values: dict[str, Any] = {}

    if kind == "temp":
        celsius = _number(item.get("celsius"), "celsius")
        if not parsing.MIN_TEMPERATURE_C <= round(celsius, 2) <= parsing.MAX_TEMPERATURE_C:
            raise FileProblem(
                f"temperature {celsius:g} is outside "
                f"{parsing.MIN_TEMPERATURE_C:g}-{parsing.MAX_TEMPERATURE_C:g} °C"
            )
        values["celsius"] = round(celsius, 2)
        site = item.get("site")
        if site is not None and site not in TEMPERATURE_SITES:
            raise FileProblem(f"site {shown(site)} is not one of {', '.join(TEMPERATURE_SITES)}")
        values["site"] = site
    elif kind == "bloods":
        values.update(_bloods(item))
    elif kind == "symptom":
        values.update(_symptom(item))
    elif kind == "fatigue":
        values["score"] = _parsed(parsing.parse_fatigue, str(_whole(item.get("score"), "score")))
    elif kind == "bp":
        systolic = _whole(item.get("systolic"), "systolic")
        diastolic = _whole(item.get("diastolic"), "diastolic")
        values["systolic"], values["diastolic"] = _parsed(parsing.parse_bp, f"{systolic}/{diastolic}")
        pulse = item.get("pulse")
        values["pulse"] = None if pulse is None else parsing.parse_pulse(_whole(pulse, "pulse"))
    elif kind == "fluids":
        litres = _number(item.get("litres"), "litres")
        values["litres"], _ = _parsed(parsing.parse_fluids, repr(litres))
    elif kind == "breaths":
        values["breaths"] = parsing.parse_breaths(_whole(item.get("breaths"), "breaths"))
    elif kind in ("spo2", "pulse", "call", "med"):
        values.update(_reading_or_event(kind, item))
    elif kind in ("ice", "handwriting"):
        values.update(_neuro_values(kind, item))
    values.update(kind=kind, recorded_at=recorded_at, id=entry_id, uid=uid, note=note)
    if "corrected_at" in item or "was" in item:
        values.update(_correction(item))
    return values


# The answers of the parsers `cart log` uses, for the texts an import has given them: a file
# repeats the same few readings (a fatigue score, a blood pressure, an amount drunk) many
# thousands of times, and each parser is a pure function of its text. A text the parser
# refuses raises again every time (nothing is kept for it).
_PARSED: dict[tuple[Callable[[str], Any], str], Any] = {}
_PARSED_MAX = 20_000  # texts kept, at most (a few MB)


def _parsed(parse: Callable[[str], Any], text: str) -> Any:
    """``parse(text)``, worked out once for each text (``_PARSED``)."""
    key = (parse, text)
    try:
        return _PARSED[key]
    except KeyError:
        pass
    value = parse(text)
    if len(_PARSED) < _PARSED_MAX:
        _PARSED[key] = value
    return value


def _bloods(item: dict[str, Any]) -> dict[str, Any]:
    """bloods: any of neutrophils, crp, platelets, hb (at least one), each in its range."""
    from cart_cli.bloods import TESTS

    values: dict[str, Any] = {}
    for test in TESTS:
        if item.get(test.name) is not None:
            value = _number(item[test.name], test.name)
            if not test.low <= value <= test.high:
                raise FileProblem(f"{test.name} {value:g} is outside {test.low:g}-{test.high:g} {test.unit}")
            values[test.name] = value
    if not values:
        raise FileProblem("a bloods entry needs at least one result")
    return values


def _correction(item: dict[str, Any]) -> dict[str, Any]:
    """corrected_at (ISO 8601) and was (the entry before, as JSON text): both or neither."""
    import json

    corrected_at, was = item.get("corrected_at"), item.get("was")
    if corrected_at is None and was is None:
        return {}
    if corrected_at is None or was is None:
        raise FileProblem("corrected_at and was go together: give both or neither")
    text = _string(corrected_at, "corrected_at")
    try:
        datetime.fromisoformat(text)
    except ValueError:
        raise FileProblem(f"corrected_at {shown(text)} is not an ISO 8601 date and time") from None
    was_text = _text(was, "was", 20 * MAX_NOTE_CHARS, required=True)
    try:
        before = json.loads(was_text or "")
    except ValueError:
        raise FileProblem("was is not JSON text") from None
    if not isinstance(before, dict):
        raise FileProblem("was must hold a JSON object")
    return {"corrected_at": text, "was": was_text}


def _reading_or_event(kind: str, item: dict[str, Any]) -> dict[str, Any]:
    """spo2 (50-100 %), pulse (20-250), call (outcome text and the re-check the team asked
    for, minutes after the call; both may be missing), med (a name)."""
    from cart_cli import parsing
    from cart_cli.models import MAX_MEDICINE_CHARS, MAX_OUTCOME_CHARS

    if kind == "spo2":
        return {"spo2": parsing.parse_spo2(_whole(item.get("spo2"), "spo2"))}
    if kind == "pulse":
        return {"pulse": parsing.parse_pulse(_whole(item.get("pulse"), "pulse"))}
    if kind == "call":
        recheck = item.get("recheck_minutes")
        return {
            "outcome": _text(item.get("outcome"), "outcome", MAX_OUTCOME_CHARS, required=False),
            "recheck_minutes": None
            if recheck is None
            else parsing.parse_recheck_minutes(_whole(recheck, "recheck_minutes")),
        }
    return {
        "medicine": _text(item.get("medicine"), "medicine", MAX_MEDICINE_CHARS, required=True),
        "answers": _answers(item),
    }


def _neuro_values(kind: str, item: dict[str, Any]) -> dict[str, Any]:
    """ice: ``score`` 0-10 and ``items`` (parts adding up to it) or null; handwriting: one
    of same, changed, first. Checked as `cart log ice` / `cart log handwriting` check them."""
    from cart_cli import neuro

    if kind == "handwriting":
        value = item.get("handwriting")
        if value not in neuro.HANDWRITING_VALUES:
            raise FileProblem(
                f"handwriting {shown(value)} is not one of {', '.join(neuro.HANDWRITING_VALUES)}"
            )
        return {"handwriting": value}
    score = _whole(item.get("score"), "score")
    if not 0 <= score <= neuro.ICE_MAX:
        raise FileProblem(f"ICE score {score} is not from 0 to {neuro.ICE_MAX}")
    items = item.get("items")
    if items is not None:
        items = neuro.parse_items(_string(items, "items"), score)
    return {"score": score, "items": items}


def _symptom(item: dict[str, Any]) -> dict[str, Any]:
    """symptom: a canonical name, or "other" with the person's own words in ``other``."""
    from cart_cli.symptoms import by_name

    name = item.get("symptom")
    if not isinstance(name, str):
        raise FileProblem(f"symptom must be a symptom name, not {shown(name)}")
    other = item.get("other")
    if name == "other":
        other = _text(other, "other (the symptom in the person's own words)", MAX_OTHER_CHARS, required=True)
    else:
        try:
            by_name(name)
        except KeyError:
            raise FileProblem(
                f"symptom {shown(name)} is not a name `cart symptoms` lists "
                '(use "other" with the words in "other")'
            ) from None
        if other is not None:
            raise FileProblem(f'"other" text belongs only to a symptom named "other", not {shown(name)}')
    severity = item.get("severity")
    if severity is not None and severity not in SEVERITIES:
        raise FileProblem(f"severity {shown(severity)} is not one of {', '.join(SEVERITIES)}")
    return {"symptom": name, "other": other, "severity": severity, "answers": _answers(item)}


def _answers(item: dict[str, Any]) -> str | None:
    """Answers to cart's questions (``concept=yes;...``), or null."""
    from cart_cli.language.questions import MAX_ANSWERS_CHARS, check_answers

    text = _text(item.get("answers"), "answers", MAX_ANSWERS_CHARS, required=False)
    if text is None:
        return None
    try:
        return check_answers(text)
    except ValueError as error:
        raise FileProblem(str(error)) from None


_HEX_ID = re.compile("[0-9a-f]{32}")


def plan_from_dict(item: object) -> Plan:
    """The plan, every field checked as `cart setup` checks it (``_plan_checks``); a field
    that is missing or null keeps its default. A field of ``Plan`` with no check of its own
    is checked by its type (a test makes sure each field has one or the other)."""
    if not isinstance(item, dict):
        raise FileProblem("must be a JSON object or null")
    for key in item:
        if key not in _PLAN_KEYS:
            raise FileProblem(f"{shown(key)} is not part of a plan")
    checks = plan_checks()
    values: dict[str, Any] = {"infusion_date": _infusion_date(item.get("infusion_date"))}
    for name in _PLAN_KEYS:
        value = item.get(name)
        if name != "infusion_date" and value is not None:
            values[name] = checks[name](value)
    return Plan(**values)


def plan_checks() -> dict[str, Callable[[object], object]]:
    """For each field of ``Plan``, the check of its value in a file (never null here)."""
    from typing import get_type_hints

    from cart_cli.medicines import parse_paracetamol_max_mg
    from cart_cli.neuro import MAX_SENTENCE_CHARS, parse_neuro_days
    from cart_cli.schedule import format_times, parse_times

    def text(name: str, limit: int) -> Callable[[object], object]:
        return lambda value: _text(value, name, limit, required=False)

    def phone(name: str) -> Callable[[object], object]:
        return lambda value: parsing.parse_phone(_string(value, name))

    own: dict[str, Callable[[object], object]] = {
        "infusion_date": _infusion_date,
        "hospital": text("hospital", MAX_HOSPITAL_CHARS),
        "phone": phone("phone"),
        "diagnosis": _diagnosis,
        "fever_threshold_c": lambda v: parsing.parse_fever_threshold(repr(_number(v, "fever_threshold_c"))),
        "no_driving_weeks": lambda v: parsing.parse_no_driving_weeks(_whole(v, "no_driving_weeks")),
        "emergency_number": phone("emergency_number"),
        "reading_gap_hours": lambda v: parsing.parse_reading_gap(repr(_number(v, "reading_gap_hours"))),
        "sentence": text("sentence", MAX_SENTENCE_CHARS),
        "neuro_days": lambda v: parse_neuro_days(str(_whole(v, "neuro_days"))),
        "temp_times": lambda v: format_times(parse_times(_string(v, "temp_times"), "temp_times")),
        "product": _product,
        "volume_units": lambda v: parsing.parse_volume_units(_string(v, "volume_units")),
        "paracetamol_max_mg": lambda v: parse_paracetamol_max_mg(str(_whole(v, "paracetamol_max_mg"))),
        "person_id": _person_id,
    }
    hints = get_type_hints(Plan)
    return {name: own.get(name) or _by_type(name, hints[name]) for name in _PLAN_KEYS}


def _person_id(value: object) -> str:
    """The person's random id (the calendar's UIDs stay the same after a restore); empty: the
    database keeps its own, or makes one."""
    if not isinstance(value, str) or not (value == "" or _HEX_ID.fullmatch(value)):
        raise FileProblem(f"person_id must be 32 hexadecimal digits, not {shown(value)}")
    return value


def _by_type(name: str, hint: object) -> Callable[[object], object]:
    """The check of a plan field that has none of its own, by its type."""
    import types
    import typing

    options = typing.get_args(hint) if isinstance(hint, types.UnionType) else (hint,)
    if date in options:
        return lambda value: _date(value, name)
    if bool in options:

        def yes_or_no(value: object) -> bool:
            if not isinstance(value, bool):
                raise FileProblem(f"{name} must be true or false, not {shown(value)}")
            return value

        return yes_or_no
    if int in options:
        return lambda value: _whole(value, name)
    if float in options:
        return lambda value: _number(value, name)
    return lambda value: _text(value, name, MAX_NOTE_CHARS, required=False)


def _infusion_date(text: object) -> date:
    infusion_date = _date(text, "infusion_date")
    if not parsing.MIN_INFUSION_YEAR <= infusion_date.year <= parsing.MAX_INFUSION_YEAR:
        raise FileProblem(
            f"infusion_date {text} is not from {parsing.MIN_INFUSION_YEAR} to {parsing.MAX_INFUSION_YEAR}"
        )
    return infusion_date


def _date(text: object, name: str) -> date:
    try:
        if isinstance(text, str):
            return date.fromisoformat(text)
    except ValueError:
        pass
    raise FileProblem(f"{name} must be a date like 2026-11-03, not {shown(text)}")


def _product(value: object) -> str:
    from cart_cli.products import parse_product

    return parse_product(_string(value, "product")).generic


def _diagnosis(value: object) -> str:
    if value not in DIAGNOSES:
        raise FileProblem(f"diagnosis {shown(value)} is not one of {', '.join(DIAGNOSES)}")
    return str(value)


# -- the person's own rows (appointments, medicines), column by column ----------------------

_COLUMN_LIMITS = {
    "title": MAX_TITLE_CHARS,
    "where_text": MAX_WHERE_CHARS,
    "name": MAX_MEDICINE_CHARS,
    "dose": MAX_DOSE_CHARS,
}
MAX_MILESTONE_ID_CHARS = 64


def schedule_row(item: object, columns: Sequence[Column]) -> dict[str, object]:
    """One appointment or medicine from a file, checked column by column, as
    ``BulkImport.add_rows`` takes it. A column this cart does not have is refused; one the
    row leaves out (or null) is left to the table's default. Columns are checked by name:
    ``uid``; ``*_at`` (a time with its offset); ``until`` (a date); ``times`` (as `cart med
    add --times`); the text columns with their limits; any other one is text, a number or
    a whole number (a later migration's column round-trips without more code, and what
    is stored is read back before the import is committed)."""
    if not isinstance(item, dict):
        raise FileProblem("must be a JSON object")
    names = {column.name for column in columns}
    for key in item:
        if key != "id" and key not in names:
            raise FileProblem(f"{shown(key)} is not a column this cart knows")
    row: dict[str, object] = {}
    for column in columns:
        value = item.get(column.name)
        if value is None:
            if column.required:
                raise FileProblem(f"{column.name} is missing")
            continue
        row[column.name] = _column_value(column.name, value)
    return row


def _column_value(name: str, value: object) -> object:
    from cart_cli import schedule

    if name == "uid":
        if not isinstance(value, str) or not _UID_RE.fullmatch(value):
            raise FileProblem(f"uid {shown(value)} is not 1-64 letters, digits, - or _")
        return value
    if name.endswith("_at"):
        return _aware_time(value, name)
    if name == "until":
        return _date(value, name)
    if name == "times":
        return schedule.format_times(schedule.parse_times(_string(value, name), name))
    if name in _COLUMN_LIMITS:
        return _text(value, name, _COLUMN_LIMITS[name], required=True)
    if name == "replaces":
        return _text(value, name, MAX_MILESTONE_ID_CHARS, required=True)
    if is_int(value):
        return value
    if isinstance(value, float):
        return _number(value, name)
    return _text(value, name, MAX_NOTE_CHARS, required=False)


def _aware_time(text: object, name: str) -> datetime:
    if not isinstance(text, str):
        raise FileProblem(f"{name} must be a date and time like 2026-11-27T14:25:01+00:00, not {shown(text)}")
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise FileProblem(f"{name} {shown(text)} is not an ISO 8601 date and time") from None
    if moment.tzinfo is None:
        raise FileProblem(f"{name} {shown(text)} has no UTC offset (e.g. +00:00)")
    if moment.year < MIN_RECORDED_YEAR:
        raise FileProblem(f"{name} {text} is before {MIN_RECORDED_YEAR}")
    return moment


def _recorded_at(text: object, latest: datetime) -> datetime:
    """ISO 8601 with an offset (a time without one could be any of 24 hours); not later
    than now. Old times are kept (an export may be restored years later), back to 2000."""
    if not isinstance(text, str):
        raise FileProblem(
            f"recorded_at must be a date and time like 2026-11-27T14:25:01+00:00, not {shown(text)}"
        )
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise FileProblem(f"recorded_at {shown(text)} is not an ISO 8601 date and time") from None
    if moment.tzinfo is None:
        raise FileProblem(f"recorded_at {shown(text)} has no UTC offset (e.g. +00:00)")
    if moment > latest:
        hours = int(FUTURE_LIMIT.total_seconds() // 3600)
        raise FileProblem(
            f"recorded_at {text} is more than {hours} hours after now (was the clock of the device "
            "that wrote it wrong?)"
        )
    if moment.year < MIN_RECORDED_YEAR:
        raise FileProblem(f"recorded_at {text} is before {MIN_RECORDED_YEAR}")
    return moment


def _number(value: object, name: str) -> float:
    if value is None:
        raise FileProblem(f"{name} is missing")
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise FileProblem(f"{name} must be a number, not {shown(value)}")
    try:
        return float(value)
    except OverflowError:
        raise FileProblem(f"{name} is far too large") from None


def _whole(value: object, name: str) -> int:
    if value is None:
        raise FileProblem(f"{name} is missing")
    if not isinstance(value, int) or isinstance(value, bool):
        raise FileProblem(f"{name} must be a whole number, not {shown(value)}")
    return value


def _string(value: object, name: str) -> str:
    if not isinstance(value, str):
        raise FileProblem(f"{name} must be text, not {shown(value)}")
    return value


def _text(value: object, name: str, limit: int, *, required: bool) -> str | None:
    """Free text: stripped; empty counts as missing; at most ``limit`` characters."""
    if value is None:
        if required:
            raise FileProblem(f"{name} is missing")
        return None
    text = _string(value, name).strip()
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # JSON can spell a lone surrogate ("\ud800"); SQLite cannot store it
        raise FileProblem(f"{name} holds characters that are not valid Unicode text") from None
    unsafe = unsafe_characters(text, lines=name == "note")
    if unsafe:
        raise FileProblem(f"{name} holds a control character, {describe_character(unsafe[0])}")
    if not text and required:
        raise FileProblem(f"{name} is empty")
    if len(text) > limit:
        raise FileProblem(f"{name} is longer than {limit} characters")
    return text or None


def is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def message_of(error: Exception) -> str:
    text = error.message if isinstance(error, InvalidInput) else str(error)
    return text.rstrip(".")
