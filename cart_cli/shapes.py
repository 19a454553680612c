"""The JSON shapes of cart's output, in one place: what `--json` prints for check, log,
plan, timeline, the schedule and entries.

Every shape is plain data (str, int, float, bool, None, lists and dicts), so ``json.dumps``
writes it as is; a ``Level`` is a ``StrEnum`` and is written as its string (``"red"``).
An entry's and a plan's shapes live beside their dataclasses (``models.entry_to_dict`` and
``models.plan_to_dict``, which the export uses too) and are offered here under the same names.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from cart_cli.models import Entry, Plan, entry_to_dict, plan_to_dict
from cart_cli.timefmt import iso_time

if TYPE_CHECKING:
    from cart_cli.rules import Finding
    from cart_cli.schedule import Appointment, Dose, Medicine
    from cart_cli.timeline import Timeline
    from cart_cli.verdict import Verdict

__all__ = [
    "appointment_json",
    "check_json",
    "contact_json",
    "entry_json",
    "entry_to_dict",
    "finding_json",
    "log_json",
    "medicine_json",
    "plan_to_dict",
    "timeline_json",
]


def _concepts_json(finding: Finding) -> list[dict[str, object]]:
    """The signs a finding's phrase entries name (for "denied-sign": the ones they deny)."""
    from cart_cli.signs import reading_of

    found: list[dict[str, object]] = []
    for entry in finding.entries:
        reading = reading_of(entry)
        if reading is None:
            continue
        mentions = reading.denied if finding.rule == "denied-sign" else reading.counted
        found += [
            {"concept": m.concept.name, "label": m.concept.label, "words": m.words, "status": m.status,
             "entry_id": entry.id}
            for m in mentions
        ]  # fmt: skip
    return found


def finding_json(finding: Finding) -> dict[str, object]:
    """A finding for scripts. ``concept`` names the most urgent sign read in the person's own
    words behind it (None when it rests on readings or listed symptoms); ``concepts`` lists
    each such sign with the words that named it."""
    concepts = _concepts_json(finding)
    return {
        "concept": concepts[0]["concept"] if concepts else None,
        "concepts": concepts,
        "level": finding.level,
        "rule": finding.rule,
        "message": finding.message,
        "action": finding.action,
        "source": finding.source,
        "entry_ids": [entry.id for entry in finding.entries],
        "reported": finding.reported,
        "reported_in_call_id": finding.covered_by.id if finding.covered_by is not None else None,
    }


def contact_json(plan: Plan | None) -> dict[str, object]:
    from cart_cli.rules import emergency_number

    return {
        "hospital": plan.hospital if plan else None,
        "phone": plan.phone if plan else None,
        "emergency_number": emergency_number(plan),
    }


def check_json(result: Verdict, plan: Plan | None) -> dict[str, object]:
    """`cart check --json`: the verdict."""
    return {
        "level": result.level,
        "headline": result.headline,
        "new_level": result.news_level,
        "day": result.day,
        "since": result.since.isoformat(timespec="seconds"),
        "until": result.until.isoformat(timespec="seconds"),
        "fever_threshold_c": result.fever_threshold_c,
        "findings": [finding_json(f) for f in result.findings],
        "missing": list(result.missing),
        "reminders": list(result.reminders),
        "calls": [
            {
                "id": call.id,
                "recorded_at": iso_time(call.recorded_at),
                "outcome": call.outcome,
                "recheck_minutes": call.recheck_minutes,
            }
            for call in result.calls
        ],
        "future_entry_ids": [entry.id for entry in result.future],
        "contact": contact_json(plan),
    }


def entry_json(entry: Entry) -> dict[str, object]:
    """An entry's JSON shape (``models.entry_to_dict``), and for a symptom in the person's own
    words, ``recognised``: the signs its words name or deny (``signs.recognised_json``) and
    ``unread``: the words cart could not read."""
    data = entry_to_dict(entry)
    if entry.kind == "symptom" and entry.symptom == "other":
        from cart_cli.signs import recognised_json, unread_of

        data["recognised"] = recognised_json(entry)
        data["unread"] = list(unread_of(entry))
    return data


def log_json(
    stored: Sequence[Entry],
    result: Verdict,
    relevant: Sequence[Finding],
    readings: Sequence[str],
    notes: Sequence[str],
) -> dict[str, object]:
    """`cart log ... --json`: the entries stored, the findings they are behind (``level`` is
    None when there are none), the verdict's level and headline, how the input was read,
    and notes."""
    return {
        "stored": [entry_json(entry) for entry in stored],
        "level": result.level if relevant else None,
        "findings": [finding_json(f) for f in relevant],
        "check_level": result.level,
        "check_headline": result.headline,
        "read_as": list(readings),
        "notes": list(notes),
    }


def appointment_json(appointment: Appointment, plan: Plan | None) -> dict[str, object]:
    """The JSON shape of an appointment (``starts_at`` in local time with its offset)."""
    start = appointment.starts_at
    return {
        "id": appointment.id,
        "uid": appointment.uid,
        "title": appointment.title,
        "starts_at": start.isoformat(timespec="minutes"),
        "day": plan.day_of(start) if plan else None,
        "where": appointment.where,
        "note": appointment.note,
        "replaces": appointment.replaces,
    }


def medicine_json(medicine: Medicine, doses: list[Dose]) -> dict[str, object]:
    """The JSON shape of a medicine and today's doses of it."""
    from cart_cli.schedule import WEEKDAYS, describe_schedule, format_times

    return {
        "id": medicine.id,
        "uid": medicine.uid,
        "name": medicine.name,
        "dose": medicine.dose,
        "schedule": describe_schedule(medicine),
        "times": format_times(medicine.times).split(",") if medicine.times else [],
        "days": [WEEKDAYS[d] for d in medicine.weekdays],
        "every_days": medicine.every_days,
        "every_hours": medicine.every_hours,
        "as_needed": medicine.as_needed,
        "min_gap_minutes": None if medicine.min_gap is None else int(medicine.min_gap.total_seconds() // 60),
        "max_per_day": medicine.max_per_day,
        "max_mg": medicine.max_mg,
        "until": medicine.until.isoformat() if medicine.until else None,
        "today": [
            {
                "due_at": dose.due_at.isoformat(timespec="minutes"),
                "state": dose.state,
                "taken_at": dose.taken_at.isoformat(timespec="minutes") if dose.taken_at else None,
                "early": dose.early,
            }
            for dose in doses
        ],
    }


def timeline_json(t: Timeline) -> dict[str, Any]:
    """The timeline as plain JSON-ready data, dates in ISO 8601."""
    items = []
    for entry in t.milestones:
        milestone = entry.milestone
        item = {
            "id": milestone.id,
            "title": milestone.title,
            "date": milestone.date.isoformat(),
            "day": milestone.day,
            "status": entry.status,
        }
        if milestone.end_date is not None:
            item["end_date"] = milestone.end_date.isoformat()
        item["source"] = milestone.source
        item["approximate"] = milestone.approximate
        item["own"] = milestone.own
        if milestone.own:
            assert milestone.starts_at is not None
            item["starts_at"] = milestone.starts_at.isoformat(timespec="minutes")
            item["where"] = milestone.where
            item["replaces"] = milestone.replaces
        items.append(item)
    return {
        "infusion_date": t.infusion_date.isoformat(),
        "today": t.today.isoformat(),
        "day": t.day,
        "next": t.next.milestone.id if t.next else None,
        "days_to_next": t.days_to_next,
        "milestones": items,
        "now_applies": list(t.now_applies),
        "replaced": list(t.replaced),
        "product": t.product,
    }
