"""`cart export --format fhir`: an HL7 FHIR R4 Bundle that a FHIR library accepts, with the
codes, units and values of the entries exported.

Every resource is validated with ``fhir.resources`` (a test dependency only; its R4B models
are R4's Bundle, Patient and Observation, which R4B did not change). The expected codes are
written out here from the issue (LOINC, UCUM) and SNOMED CT, not read back from the module.
"""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime, timedelta, timezone
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest
from fhir.resources.R4B import bundle as fhir_bundle
from fhir.resources.R4B.observation import Observation
from fhir.resources.R4B.patient import Patient

from cart_cli import exporters
from cart_cli.models import Entry, Plan
from cart_cli.store import Store

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 11, 27, 14, 25, 1, tzinfo=LONDON)
LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
UCUM = "http://unitsofmeasure.org"


def every_kind() -> list[Entry]:
    """One entry of every kind (a bp with and one without a pulse), two days of drinks, a
    summer time and notes."""
    at = NOW - timedelta(hours=2)
    yesterday = NOW - timedelta(days=1)
    return [
        Entry(kind="temp", recorded_at=at, celsius=38.2, note="after a walk"),
        Entry(kind="temp", recorded_at=datetime(2026, 7, 1, 9, 30, tzinfo=LONDON), celsius=36.9),
        Entry(kind="bp", recorded_at=at, systolic=118, diastolic=76, pulse=104),
        Entry(kind="bp", recorded_at=at, systolic=95, diastolic=60),
        Entry(kind="pulse", recorded_at=at, pulse=88),
        Entry(kind="spo2", recorded_at=at, spo2=94),
        Entry(kind="fluids", recorded_at=yesterday.replace(hour=9), litres=0.5),
        Entry(kind="fluids", recorded_at=yesterday.replace(hour=15), litres=0.25),
        Entry(kind="fluids", recorded_at=at, litres=0.3),
        Entry(kind="symptom", recorded_at=at, symptom="cough", severity="moderate"),
        Entry(kind="symptom", recorded_at=at, symptom="diarrhoea", severity="severe"),
        Entry(kind="symptom", recorded_at=at, symptom="confusion"),
        Entry(kind="symptom", recorded_at=at, symptom="other", other="sore toe", severity="mild"),
        Entry(kind="symptom", recorded_at=at, symptom="bruising", severity="mild"),
        Entry(kind="fatigue", recorded_at=at, score=0),
        Entry(kind="ice", recorded_at=at, score=9, items="4,3,1,1,0"),
        Entry(kind="handwriting", recorded_at=at, handwriting="changed"),
        Entry(kind="call", recorded_at=at, outcome="come in to be seen", note="spoke to the nurse"),
        Entry(kind="call", recorded_at=at),
        Entry(kind="med", recorded_at=at, medicine="paracetamol 1 g"),
    ]


@pytest.fixture
def exported(tmp_path) -> tuple[list[Entry], dict]:
    with Store.open(tmp_path / "cart.db", now=NOW) as store:
        store.save_plan(Plan(infusion_date=NOW.date() - timedelta(days=10), phone="01234 567890"), NOW)
        stored = store.add(every_kind(), NOW)
        out = io.StringIO()
        count = exporters.export_fhir(store, out, NOW)
    assert count == len(stored)
    return stored, json.loads(out.getvalue())


def observations(bundle: dict) -> list[dict]:
    return [item["resource"] for item in bundle["entry"] if item["resource"]["resourceType"] == "Observation"]


def by_id(bundle: dict) -> dict[str, dict]:
    return {item["resource"]["id"]: item["resource"] for item in bundle["entry"]}


def codings(concept: dict, system: str) -> list[str]:
    return [coding["code"] for coding in concept.get("coding", []) if coding["system"] == system]


def test_the_bundle_and_every_resource_validate_as_fhir(exported):
    """The whole Bundle parses with the FHIR models, and so does each resource on its own."""
    _, bundle = exported
    parsed = fhir_bundle.Bundle.model_validate(bundle)
    assert parsed.type == "collection"
    for item in bundle["entry"]:
        resource = item["resource"]
        model = Patient if resource["resourceType"] == "Patient" else Observation
        model.model_validate(resource)
        assert item["fullUrl"] == f"urn:uuid:{resource['id']}"


def test_one_patient_without_name_or_identifier_referenced_by_every_observation(exported):
    """The person is one Patient with no name and no identifier; its narrative says the file
    is their own; every observation's subject is that Patient."""
    _, bundle = exported
    patients = [item for item in bundle["entry"] if item["resource"]["resourceType"] == "Patient"]
    assert len(patients) == 1
    patient = patients[0]["resource"]
    assert "name" not in patient and "identifier" not in patient
    assert "own record" in patient["text"]["div"]
    for observation in observations(bundle):
        assert observation["subject"] == {"reference": patients[0]["fullUrl"], "type": "Patient"}
        assert observation["status"] == "final"


def test_no_check_findings_are_exported_as_diagnoses(exported):
    """Only a Patient and Observations: no Condition, no interpretation made by cart's rules."""
    _, bundle = exported
    assert {item["resource"]["resourceType"] for item in bundle["entry"]} == {"Patient", "Observation"}
    assert not any("interpretation" in observation for observation in observations(bundle))


def test_readings_have_loinc_codes_ucum_units_values_and_local_times(exported):
    """Each reading is its entry's value with the LOINC code and UCUM unit the issue names,
    category vital-signs, at the entry's time in local time with its UTC offset."""
    stored, bundle = exported
    resources = by_id(bundle)
    from cart_cli.formats.fhir import resource_id

    expected = {"temp": (["8310-5"], "Cel", "celsius"), "pulse": (["8867-4"], "/min", "pulse"),
                "spo2": (["2708-6", "59408-5"], "%", "spo2")}  # fmt: skip
    seen = set()
    for entry in stored:
        resource = resources[resource_id(entry.uid)]
        assert resource["effectiveDateTime"] == entry.recorded_at.astimezone(LONDON).isoformat()
        if entry.kind in expected:
            codes, unit, field = expected[entry.kind]
            assert codings(resource["code"], LOINC) == codes
            assert resource["valueQuantity"] == {
                "value": getattr(entry, field), "unit": unit, "system": UCUM, "code": unit
            }  # fmt: skip
            seen.add(entry.kind)
        if entry.kind in ("temp", "bp", "pulse", "spo2"):
            assert resource["category"][0]["coding"][0]["code"] == "vital-signs"
        else:
            assert "category" not in resource
        if entry.note:
            assert resource["note"] == [{"text": entry.note}]
    assert seen == set(expected)
    summer = next(e for e in stored if e.kind == "temp" and e.recorded_at.month == 7)
    assert resources[resource_id(summer.uid)]["effectiveDateTime"] == "2026-07-01T09:30:00+01:00"


def test_blood_pressure_is_a_panel_and_its_pulse_a_heart_rate(exported):
    """bp: panel 85354-9 with systolic 8480-6 and diastolic 8462-4 in mm[Hg]; its pulse, if
    taken, is a separate heart rate 8867-4 in /min derived from the panel."""
    stored, bundle = exported
    resources = by_id(bundle)
    from cart_cli.formats.fhir import resource_id

    for entry in (e for e in stored if e.kind == "bp"):
        panel = resources[resource_id(entry.uid)]
        assert codings(panel["code"], LOINC) == ["85354-9"]
        parts = {codings(c["code"], LOINC)[0]: c["valueQuantity"] for c in panel["component"]}
        assert parts == {
            "8480-6": {"value": entry.systolic, "unit": "mm[Hg]", "system": UCUM, "code": "mm[Hg]"},
            "8462-4": {"value": entry.diastolic, "unit": "mm[Hg]", "system": UCUM, "code": "mm[Hg]"},
        }
        rate = resources.get(resource_id(entry.uid, "#pulse"))
        if entry.pulse is None:
            assert rate is None
        else:
            assert codings(rate["code"], LOINC) == ["8867-4"]
            assert rate["valueQuantity"]["value"] == entry.pulse and rate["valueQuantity"]["code"] == "/min"
            assert rate["derivedFrom"] == [{"reference": f"urn:uuid:{panel['id']}"}]


def test_drinks_stay_drinks_and_each_past_day_gets_a_24_hour_total(exported):
    """Each drink is its own amount in L without the 24-hour code; a complete past day gets
    one 9108-2 total (the sum of its drinks), and today, not over yet, gets none."""
    stored, bundle = exported
    resources = by_id(bundle)
    from cart_cli.formats.fhir import resource_id

    drinks = [e for e in stored if e.kind == "fluids"]
    for entry in drinks:
        resource = resources[resource_id(entry.uid)]
        assert codings(resource["code"], LOINC) == []
        assert resource["valueQuantity"]["value"] == entry.litres and resource["valueQuantity"]["code"] == "L"
    totals = [o for o in observations(bundle) if codings(o["code"], LOINC) == ["9108-2"]]
    assert len(totals) == 1
    (total,) = totals
    yesterday = [e for e in drinks if e.recorded_at.date() < NOW.date()]
    assert total["valueQuantity"] == {"value": 0.75, "unit": "L", "system": UCUM, "code": "L"}
    assert total["derivedFrom"] == [{"reference": f"urn:uuid:{resource_id(e.uid)}"} for e in yesterday]
    assert total["effectivePeriod"] == {
        "start": "2026-11-26T00:00:00+00:00",
        "end": "2026-11-27T00:00:00+00:00",
    }


@pytest.mark.parametrize(
    ("symptom", "snomed"),
    [("cough", "49727002"), ("diarrhoea", "62315008"), ("confusion", "286933003"), ("bruising", None)],
)
def test_symptoms_have_snomed_codes_where_common_and_severity_as_a_component(exported, symptom, snomed):
    """A symptom: its name as text, SNOMED CT where a common code exists (none made up for
    the others), its severity as a component with SNOMED CT's mild/moderate/severe."""
    stored, bundle = exported
    from cart_cli.formats.fhir import resource_id

    entry = next(e for e in stored if e.symptom == symptom)
    resource = by_id(bundle)[resource_id(entry.uid)]
    assert resource["code"]["text"] == symptom
    assert codings(resource["code"], SNOMED) == ([snomed] if snomed else [])
    severity = {"mild": "255604002", "moderate": "6736007", "severe": "24484000"}
    if entry.severity:
        (component,) = resource["component"]
        assert codings(component["code"], SNOMED) == ["246112005"]
        assert codings(component["valueCodeableConcept"], SNOMED) == [severity[entry.severity]]
    else:
        assert "component" not in resource


def test_other_events_are_text_coded_with_their_values(exported):
    """Fatigue and ICE are whole-number scores, handwriting, calls and medicines are text;
    a symptom in the person's own words keeps them."""
    stored, bundle = exported
    resources = by_id(bundle)
    from cart_cli.formats.fhir import resource_id

    for entry in stored:
        resource = resources[resource_id(entry.uid)]
        assert resource["code"]["text"]
        if entry.kind in ("fatigue", "ice"):
            assert resource["valueInteger"] == entry.score
        elif entry.kind == "handwriting":
            assert resource["valueString"] == entry.handwriting
        elif entry.kind == "med":
            assert resource["valueString"] == entry.medicine
        elif entry.kind == "call":
            assert resource.get("valueString") == entry.outcome
        elif entry.symptom == "other":
            assert entry.other in resource["code"]["text"]
    ice = next(e for e in stored if e.kind == "ice")
    assert resources[resource_id(ice.uid)]["component"][0]["valueString"] == ice.items


def test_cli_exports_fhir_to_a_file_and_refuses_excel_for_it(cart, tmp_path):
    """`cart export --format fhir --output F` writes a valid Bundle; --excel is for CSV only."""
    cart("log", "temp", "37.4", "--at", "1h ago")
    cart("log", "bp", "120/80", "--pulse", "72", "--at", "1h ago")
    path = tmp_path / "clinic.json"
    done = cart("export", "--format", "fhir", "--output", str(path))
    assert done.code == 0 and "Exported 2 entries as FHIR" in done.out
    bundle = json.loads(path.read_text(encoding="utf-8"))
    fhir_bundle.Bundle.model_validate(bundle)
    assert len(observations(bundle)) == 3  # temperature, bp panel, heart rate
    refused = cart("export", "--format", "fhir", "--excel")
    assert refused.code == 2 and "--excel is for CSV only" in refused.err


def test_the_rows_the_writer_reads_are_the_stored_columns():
    from cart_cli.formats.fhir import ROW_COLUMNS
    from cart_cli.store import ENTRY_COLUMNS

    assert ROW_COLUMNS == ENTRY_COLUMNS


def test_text_and_object_paths_write_the_same_resources(tmp_path):
    """Issue 23: the common entries are written as text around parts encoded once; what
    they give is exactly what the object path (``observations``) gives for the same entries."""
    from cart_cli import export_rows
    from cart_cli.formats.fhir import FAST_VALUES, BundleWriter

    with Store.open(tmp_path / "cart.db", now=NOW) as store:
        store.add(every_kind(), NOW)
        rows = [row for batch in export_rows.entry_row_batches(store) for row in batch]
        compact = [row for batch in export_rows.compact_row_batches(store, FAST_VALUES) for row in batch]
        full_rows = {row[0]: export_rows.entry_row(store, row[0]) for row in compact}
        entries = list(store.iter_entries(newest_first=False))
    bundles = []
    for feed in ("rows", "compact rows", "entries"):
        out = io.StringIO()
        writer = BundleWriter(out, NOW)
        writer.start()
        if feed == "rows":
            writer.rows(rows)
        elif feed == "compact rows":  # as `cart export` reads them from the store
            writer.compact_rows(compact, full_rows.__getitem__)
        else:
            for entry in entries:
                writer.entry(entry)
        writer.finish()
        text = out.getvalue().replace(writer.patient_id, "PATIENT")
        bundles.append(json.loads(text)["entry"])
    fast, from_store, slow = bundles
    assert len(fast) == len(slow) > len(entries)
    assert fast == slow
    assert from_store == slow


def test_ids_are_unique_even_for_rows_without_a_uid(tmp_path):
    """Issue 19 item 8: an old row with no uid (before m002 filled them, or written by hand)
    gets an id from its row id, so no two resources share one."""
    import sqlite3

    path = tmp_path / "cart.db"
    with Store.open(path, now=NOW) as store:
        store.add(every_kind(), NOW)
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE entries SET uid = NULL WHERE kind IN ('temp', 'bp', 'symptom')")
    with Store.open(path, now=NOW) as store:
        out = io.StringIO()
        exporters.export_fhir(store, out, NOW)
    ids = [item["resource"]["id"] for item in json.loads(out.getvalue())["entry"]]
    assert len(ids) == len(set(ids)) > len(every_kind())


@pytest.mark.parametrize("name", ["", "a", "ABCDEF0123456789abcdef0123456789", "x#pulse", "é uid", "0" * 64])
def test_the_fast_version_5_uuid_is_the_standard_librarys(name):
    import uuid

    from cart_cli.formats.fhir import NAMESPACE, resource_id

    assert resource_id(name, "#p") == str(uuid.uuid5(NAMESPACE, name + "#p"))


@pytest.mark.parametrize("kind_values", [{"kind": "temp", "celsius": 38.4}, {"kind": "spo2", "spo2": 91}])
def test_an_entry_dated_after_the_export_is_written_at_the_export_time_with_a_note(tmp_path, kind_values):
    """A device whose clock ran fast stored an entry 3 hours ahead: the check counts it as now,
    and so does the FHIR file, which says in a note the time it was given."""
    from cart_cli.timefmt import iso_time

    ahead = NOW + timedelta(hours=3)
    earlier = NOW - timedelta(hours=1)
    with Store.open(tmp_path / "cart.db", now=NOW) as store:
        store.add([Entry(recorded_at=earlier, **kind_values), Entry(recorded_at=ahead, **kind_values)], ahead)
        out = io.StringIO()
        exporters.export_fhir(store, out, NOW)
    bundle = json.loads(out.getvalue())
    fhir_bundle.Bundle.model_validate(bundle)
    found = observations(bundle)
    assert [o["effectiveDateTime"] for o in found] == [iso_time(earlier), iso_time(NOW)]
    assert "note" not in found[0]
    assert found[1]["note"][0]["text"].startswith(f"Recorded for {iso_time(ahead)}, later than this file")


def _stored_times_around_clock_changes(zone: ZoneInfo) -> list[str]:
    """Stored times (UTC, as cart stores them) every 7 minutes 13 seconds over 2026, and each
    second of the two hours around each of the zone's clock changes that year."""
    start = datetime(2026, 1, 1, tzinfo=UTC)
    times = [start + timedelta(seconds=433 * n) for n in range(365 * 24 * 3600 // 433)]
    changes = [
        t for t, u in pairwise(times) if t.astimezone(zone).utcoffset() != u.astimezone(zone).utcoffset()
    ]
    for change in changes:
        times += [change - timedelta(minutes=30) + timedelta(seconds=s) for s in range(2 * 3600)]
    return sorted({t.isoformat(timespec="seconds") for t in times})


@pytest.mark.parametrize(
    "zone",
    [
        ZoneInfo("Europe/London"),  # +00:00 / +01:00
        ZoneInfo("America/St_Johns"),  # -03:30 / -02:30: offsets with minutes
        ZoneInfo("Asia/Kathmandu"),  # +05:45, no clock change
        ZoneInfo("Australia/Lord_Howe"),  # a clock change of 30 minutes
        ZoneInfo("Pacific/Chatham"),  # +12:45 / +13:45: the UTC day spans two local days
        ZoneInfo("America/Los_Angeles"),
        UTC,
        timezone(timedelta(hours=5, minutes=30, seconds=15)),  # an offset with seconds
    ],
    ids=str,
)
def test_local_times_are_each_times_own_conversion_across_clock_changes(zone):
    """The writer's fast local times (worked out once a day) are exactly what converting each
    stored time on its own gives (``iso_time``), every second around every clock change."""
    from cart_cli.formats.fhir import LocalTimes
    from cart_cli.timefmt import iso_time

    local = LocalTimes(zone)
    stored = _stored_times_around_clock_changes(zone)
    wrong = [
        text for text in stored if local(text) != iso_time(datetime.fromisoformat(text).astimezone(zone))
    ]
    assert len(stored) > 70_000 and wrong == []


def test_the_fast_version_5_uuid_is_the_standard_librarys_for_every_variant_digit():
    """2,000 names: every value of the digits the version and variant bits are written into."""
    import uuid

    from cart_cli.formats.fhir import NAMESPACE, resource_id

    names = [f"entry-{n}" for n in range(2000)]
    made = {name: resource_id(name, "#24h") for name in names}
    assert made == {name: str(uuid.uuid5(NAMESPACE, name + "#24h")) for name in names}
    assert {text[19] for text in made.values()} == set("89ab")
