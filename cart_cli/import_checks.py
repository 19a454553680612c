"""The checks of one entry or plan read from a JSON export, as strict as typed input.

Each value is checked against the same ranges and vocabulary as `cart log` and `cart
setup` check what is typed; a problem is a ``FileProblem`` (the caller says which entry).
"""

from __future__ import annotations

import re
from datetime import date, datetime
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
    Plan,
    plan_to_dict,
)
from cart_cli.safe_text import describe_character, unsafe_characters

MIN_RECORDED_YEAR = 2000  # earlier than any CAR-T treatment: surely a mistake in the file
_UID_RE = re.compile(r"[A-Za-z0-9_-]{1,64}")  # ours are 32 hex digits; UUIDs also fit
_ALLOWED_KEYS = {
    kind: frozenset(("id", "uid", "kind", "recorded_at", *fields, "note"))
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
    elif kind == "breaths":
        values["breaths"] = parsing.parse_breaths(_whole(item.get("breaths"), "breaths"))
    elif kind in ("spo2", "pulse", "call", "med"):
        values.update(_reading_or_event(kind, item))
    elif kind in ("ice", "handwriting"):
        values.update(_neuro_values(kind, item))
    values.update(kind=kind, recorded_at=recorded_at, id=entry_id, uid=uid, note=note)
    return values


def _reading_or_event(kind: str, item: dict[str, Any]) -> dict[str, Any]:
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
    return {"symptom": name, "other": other, "severity": severity}


def plan_from_dict(item: object) -> Plan:
    """The plan, checked as `cart setup` checks it."""
    if not isinstance(item, dict):
        raise FileProblem("must be a JSON object or null")
    for key in item:
        if key not in _PLAN_KEYS:
            raise FileProblem(f"{shown(key)} is not part of a plan")
    text = item.get("infusion_date")
    try:
        infusion_date = date.fromisoformat(text) if isinstance(text, str) else None
    except ValueError:
        infusion_date = None
    if infusion_date is None:
        raise FileProblem(f"infusion_date must be a date like 2026-11-03, not {shown(text)}")
    if not parsing.MIN_INFUSION_YEAR <= infusion_date.year <= parsing.MAX_INFUSION_YEAR:
        raise FileProblem(
            f"infusion_date {text} is not from {parsing.MIN_INFUSION_YEAR} to {parsing.MAX_INFUSION_YEAR}"
        )
    values: dict[str, Any] = {"infusion_date": infusion_date}
    values["hospital"] = _text(item.get("hospital"), "hospital", MAX_HOSPITAL_CHARS, required=False)
    phone = item.get("phone")
    values["phone"] = None if phone is None else parsing.parse_phone(_string(phone, "phone"))
    diagnosis = item.get("diagnosis")
    if diagnosis is not None and diagnosis not in DIAGNOSES:
        raise FileProblem(f"diagnosis {shown(diagnosis)} is not one of {', '.join(DIAGNOSES)}")
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
        raise FileProblem(f"recorded_at {text} is later than now")
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
