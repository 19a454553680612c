"""Correcting an entry (`cart edit`) while keeping what it was.

A correction changes the entry in place (same id and uid, so exports and imports still know
it) and keeps the entry as it was before in ``was`` (JSON: its time, values, note, and any
earlier correction), with ``corrected_at`` saying when. History and exports show both; the
rules read the corrected values; `cart undo` puts the entry back as it was.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from cart_cli.errors import InvalidInput
from cart_cli.models import KIND_FIELDS, Entry

# Kinds whose value `cart edit --value` can change, and what the value is.
EDITABLE_VALUES = {
    "temp": "a temperature, e.g. 38.2, 100.4F or '37.8 under arm'",
    "fluids": "an amount, e.g. 1.5, 500ml or '2 pints'",
    "bp": "a blood pressure, e.g. 118/76",
    "pulse": "a pulse, e.g. 88",
    "spo2": "an oxygen level, e.g. 95",
    "fatigue": "a score from 0 to 10",
    "med": "the medicine's name",
    "call": "what the team said",
}


def snapshot(entry: Entry, newest_id: int | None = None) -> str:
    """The entry as it is now, as JSON for ``was`` (an earlier correction nested inside).
    ``newest_id`` is the newest entry id when the correction is made (``after_entry``): an
    entry logged later has a higher id, which is how `cart undo` tells which came last."""
    data: dict[str, Any] = {"recorded_at": entry.recorded_at.isoformat(timespec="seconds")}
    if newest_id is not None:
        data["after_entry"] = newest_id
    for name in KIND_FIELDS[entry.kind]:
        data[name] = getattr(entry, name)
    data["note"] = entry.note
    if entry.corrected_at is not None:
        data["corrected_at"] = entry.corrected_at
        data["was"] = entry.was
    return json.dumps(data, ensure_ascii=False, sort_keys=False)


def corrected_after_entry(entry: Entry) -> int:
    """The newest entry id when ``entry`` was last corrected (0 if unknown)."""
    try:
        value = json.loads(entry.was or "{}").get("after_entry", 0)
    except ValueError:
        return 0
    return value if isinstance(value, int) else 0


def previous(entry: Entry) -> Entry:
    """The entry as it was before its latest correction (what `cart undo` restores)."""
    if entry.was is None:
        raise ValueError("the entry was never corrected")
    data = json.loads(entry.was)
    values: dict[str, Any] = {name: data.get(name) for name in KIND_FIELDS[entry.kind]}
    return replace(
        entry,
        recorded_at=datetime.fromisoformat(data["recorded_at"]),
        note=data.get("note"),
        corrected_at=data.get("corrected_at"),
        was=data.get("was"),
        **values,
    )


def describe_was(entry: Entry, now: datetime | None = None) -> str:
    """ "37.2 °C at 08:00" (local time, given ``now``; ISO 8601 without) for what a corrected
    entry was before its latest correction."""
    from cart_cli.timefmt import local_time

    try:
        before = previous(entry)
    except (ValueError, KeyError, TypeError):
        return "(not readable)"
    when = local_time(before.recorded_at, now) if now else before.recorded_at.isoformat(timespec="minutes")
    text = f"{before.describe()} at {when}"
    if before.note != entry.note:
        text += f", note: {before.note}" if before.note else ", no note"
    return text


def corrected(
    entry: Entry,
    now: datetime,
    *,
    value: str | None = None,
    at: str | None = None,
    note: str | None = None,
    volume_units: str = "uk",
    newest_id: int | None = None,
) -> Entry:
    """The entry with the changes asked for, keeping the entry as it was in ``was``.

    Every value is checked as `cart log` checks it; nothing that changes nothing is stored.
    """
    from cart_cli import parsing
    from cart_cli.models import MAX_NOTE_CHARS

    if value is None and at is None and note is None:
        raise InvalidInput("say what to correct: --value, --at or --note (see `cart edit --help`).")
    changes: dict[str, Any] = {}
    if value is not None:
        changes.update(_parsed_value(entry, value, volume_units))
    if at is not None:
        changes["recorded_at"] = parsing.parse_when(at, now)
    if note is not None:
        # An empty --note removes the note, as an empty note is no note in `cart log`.
        changes["note"] = (
            parsing.parse_text(note, "note", MAX_NOTE_CHARS, collapse_spaces=False) if note.strip() else None
        )
    new = replace(entry, **changes)
    if all(getattr(new, key) == getattr(entry, key) for key in changes):
        raise InvalidInput(f"entry #{entry.id} already says that: nothing was changed.")
    return replace(
        new, corrected_at=now.astimezone(UTC).isoformat(timespec="seconds"), was=snapshot(entry, newest_id)
    )


def _parsed_value(entry: Entry, text: str, volume_units: str) -> dict[str, Any]:
    from cart_cli import parsing
    from cart_cli.models import MAX_MEDICINE_CHARS, MAX_OUTCOME_CHARS

    kind = entry.kind
    if kind not in EDITABLE_VALUES:
        raise InvalidInput(
            f"the value of a {kind} entry cannot be edited: remove it with `cart delete {entry.id}` "
            "and log it again (--at and --note can still be corrected here)."
        )
    if kind == "temp":
        celsius, _, site = parsing.parse_temperature_reading(text)
        return {"celsius": celsius, "site": site or entry.site}
    if kind == "fluids":
        return {"litres": parsing.parse_fluids(text, volume_units)[0]}
    if kind == "bp":
        systolic, diastolic = parsing.parse_bp(text)
        return {"systolic": systolic, "diastolic": diastolic}
    if kind == "pulse":
        return {"pulse": parsing.parse_pulse(text)}
    if kind == "spo2":
        return {"spo2": parsing.parse_spo2(text)}
    if kind == "fatigue":
        return {"score": parsing.parse_fatigue(text)}
    if kind == "med":
        medicine = parsing.parse_text(text, "medicine name", MAX_MEDICINE_CHARS)
        _keep_what_hides_a_fever(entry.medicine or "", medicine)
        return {"medicine": medicine}
    return {"outcome": parsing.parse_text(text, "outcome", MAX_OUTCOME_CHARS)}


def _keep_what_hides_a_fever(old: str, new: str) -> None:
    """A correction never drops a medicine that can hide a fever (or hold paracetamol) from
    the rules: "2g" for "paracetamol 1g" would take the dose out of the paracetamol count and
    the fever-medicine mark. The whole medicine must be named again."""
    from cart_cli.language.medicines import fever_hiding

    before, after = fever_hiding(old), fever_hiding(new)
    if before is None:
        return
    lost = [c for c in before.classes if after is None or c not in after.classes]
    if lost:
        raise InvalidInput(
            f'"{new}" does not name what "{old}" holds that can hide a fever ({", ".join(lost)}): '
            "give the whole medicine with its corrected dose. Nothing was changed."
        )
