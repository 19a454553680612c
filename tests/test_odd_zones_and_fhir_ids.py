"""Issue 19 items 8 and 11: FHIR ids unique whatever the uids, and a time zone whose offset
has seconds (TZ=ABC-5:30:15): FHIR times valid, JSON recorded_at exact."""

from __future__ import annotations

import io
import json
import re
import uuid
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from helpers import run_process

from cart_cli import exporters
from cart_cli.formats.fhir import resource_id
from cart_cli.models import Entry
from cart_cli.store import Store

# FHIR's dateTime: the offset is Z or +/-hh:mm, never seconds.
FHIR_DATE_TIME = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-]((0[0-9]|1[0-3]):[0-5][0-9]|14:00))"
)
ZONE = "ABC-5:30:15"  # POSIX: 5 h 30 min 15 s ahead of UTC


def date_times(value: object) -> list[str]:
    """Every FHIR dateTime string in a bundle (effective times, periods, timestamps)."""
    found: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            if key in ("effectiveDateTime", "start", "end", "timestamp", "lastUpdated"):
                found.append(item)
            else:
                found.extend(date_times(item))
    elif isinstance(value, list):
        for item in value:
            found.extend(date_times(item))
    return found


@pytest.mark.parametrize("zone", [ZONE, "Europe/London", "Asia/Kathmandu", "America/St_Johns"])
def test_times_in_exports_are_exact_and_fhir_valid_in_any_zone(tmp_path, zone):
    """Through real processes in the zone: the JSON export's recorded_at is the stored
    instant to the second, and every FHIR dateTime has a valid offset and the same instant."""
    db = tmp_path / "cart.db"
    env = {"TZ": zone}
    for argv in (
        ["temp", "37.0", "--at", "2026-12-01 10:00"],
        ["bp", "120/80", "--pulse", "70"],
        ["fluids", "250ml", "--at", "yesterday 09:00"],
    ):
        assert run_process("log", *argv, db=db, env_extra=env).returncode == 0
    with Store.open(db) as store:
        stored = {e.uid: e.recorded_at.astimezone(UTC) for e in store.entries()}
    exported = json.loads(run_process("export", db=db, env_extra=env).stdout)
    for item in exported["entries"]:
        assert datetime.fromisoformat(item["recorded_at"]) == stored[item["uid"]], item
        assert re.fullmatch(r".*[+-][0-9]{2}:[0-9]{2}", item["recorded_at"]), item  # ISO 8601 offset
    bundle = json.loads(run_process("export", "--format", "fhir", db=db, env_extra=env).stdout)
    times = date_times(bundle)
    assert len(times) >= 6
    bad = [text for text in times if not FHIR_DATE_TIME.fullmatch(text)]
    assert bad == []
    effective = {
        resource["resource"]["effectiveDateTime"]
        for resource in bundle["entry"]
        if "effectiveDateTime" in resource["resource"]
    }
    assert {datetime.fromisoformat(text) for text in effective} >= set(stored.values()) - {None}


NOW = datetime(2026, 12, 5, 12, 0, tzinfo=ZoneInfo("Europe/London"))


def test_fhir_ids_are_unique_whatever_the_uids(tmp_path):
    """Crafted uids (one equal to the id of another entry's pulse observation, one the capital
    form of another's uid, one the id of a day's fluid total) still give every resource its
    own id and full URL."""
    bp_uid = uuid.uuid4().hex
    drink_uid = uuid.uuid4().hex
    pulse_id = resource_id(bp_uid, "#pulse").replace("-", "")
    total_id = resource_id(drink_uid, "#24h").replace("-", "")
    at = NOW - timedelta(days=2)
    entries = [
        Entry(kind="bp", recorded_at=at, systolic=120, diastolic=80, pulse=70, uid=bp_uid),
        Entry(kind="temp", recorded_at=at, celsius=37.0, uid=pulse_id),
        Entry(kind="temp", recorded_at=at, celsius=37.1, uid=bp_uid.upper()),
        Entry(kind="fluids", recorded_at=at, litres=0.25, uid=drink_uid),
        Entry(kind="temp", recorded_at=at, celsius=37.2, uid=total_id),
        Entry(kind="temp", recorded_at=at, celsius=37.3, uid=str(uuid.UUID(bp_uid))),
    ]
    with Store.open(tmp_path / "cart.db", now=NOW) as store:
        store.add(entries, NOW)
        out = io.StringIO()
        exporters.export_fhir(store, out, NOW)
    bundle = json.loads(out.getvalue())
    ids = [item["resource"]["id"].lower() for item in bundle["entry"]]
    urls = [item["fullUrl"].lower() for item in bundle["entry"]]
    assert len(ids) == len(set(ids)) and len(urls) == len(set(urls)), ids
    assert len([i for i in bundle["entry"] if i["resource"]["resourceType"] == "Observation"]) == 8
