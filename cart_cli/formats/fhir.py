"""Entries as an HL7 FHIR R4 ``Bundle`` (type ``collection``) in JSON, for clinic systems.

What goes in:

- one ``Patient`` with no name and no identifier: the file is the person's own record,
  made at home, and its narrative says so; every observation refers to it (``subject``);
- one ``Observation`` per entry (two for a blood pressure with a pulse: the panel and a
  heart rate), ``status`` ``final``, ``effectiveDateTime`` in local time with its UTC offset,
  and ``note`` for the entry's note. Readings carry LOINC codes with UCUM units and the
  ``vital-signs`` category: body temperature 8310-5 (Cel), blood pressure panel 85354-9 with
  systolic 8480-6 and diastolic 8462-4 (mm[Hg]), heart rate 8867-4 (/min), oxygen saturation
  59408-5 (%);
- fluids: each drink as it was recorded (a text code, in L), and for each complete local
  day before the export a 24-hour total with LOINC 9108-2 (fluid intake total 24 hour),
  ``effectivePeriod`` that day, ``derivedFrom`` its drinks. A per-drink amount is not a
  24-hour intake, so it never carries that code;
- blood results (issue 22): one Observation per result, ``laboratory`` category, with the
  method-independent LOINC code and UCUM unit: neutrophils 26499-4 and platelets 26515-7
  (10*9/L), CRP 1988-5 (mg/L), haemoglobin 718-7 (g/L);
- where a temperature was taken: ``bodySite`` as text (mouth, ear, armpit, forehead);
- a corrected entry (`cart edit`): ``status`` ``amended`` and a note saying when it was
  corrected and what it was before;
- the CAR-T product, when set up: one ``MedicationAdministration`` on the infusion date,
  the product named in text only (no product code is certain enough to send);
- symptoms, fatigue, ICE score, handwriting, calls and medicines: a text code (with a
  SNOMED CT code for the common symptoms listed in ``SNOMED_SYMPTOMS``), the severity of a
  symptom as a component with SNOMED CT's severity values.

What stays out: the plan's contacts, and the findings of `cart check`: they are the app's
triage advice, not a clinician's diagnosis, so nothing here is a ``Condition``.

The bundle is written as a stream, one entry per line, oldest first: memory does not grow
with the number of entries. ``uuid`` ids are derived from each entry's ``uid`` (the same
entry gets the same id in every export); the Patient's id is new in every file.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from typing import Any, TextIO

from cart_cli.bloods import TESTS as BLOOD_TESTS
from cart_cli.models import Entry, Plan
from cart_cli.products import product_named
from cart_cli.timefmt import iso_time

LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
UCUM = "http://unitsofmeasure.org"
CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
# Every id is a version-5 UUID in this namespace, from the entry's uid (and a suffix).
NAMESPACE = uuid.UUID("5b0d1d0e-8a3f-4c55-9d64-2f1c6a0e7c11")

_CART_UID = re.compile("[0-9a-f]{12}4[0-9a-f]{3}[89ab][0-9a-f]{15}")  # uuid.uuid4().hex

# SNOMED CT findings for the symptom names cart knows, only where the match is exact.
SNOMED_SYMPTOMS: dict[str, tuple[str, str]] = {
    "cough": ("49727002", "Cough"),
    "diarrhoea": ("62315008", "Diarrhea"),
    "confusion": ("286933003", "Confusional state"),
    "headache": ("25064002", "Headache"),
    "nausea": ("422587007", "Nausea"),
    "tremor": ("26079004", "Tremor"),
    "dizziness": ("404640003", "Dizziness"),
    "shivering": ("43724002", "Chill"),
    "sore throat": ("162397003", "Pain in throat"),
    "breathlessness": ("267036007", "Dyspnea"),
    "chest pain": ("29857009", "Chest pain"),
    "constipation": ("14760008", "Constipation"),
    "seizure": ("91175000", "Seizure"),
    "hallucinations": ("7011001", "Hallucinations"),
    "tummy pain": ("21522001", "Abdominal pain"),
}
SEVERITY_CODE = ("246112005", "Severity")
SEVERITY_VALUES = {"mild": "255604002", "moderate": "6736007", "severe": "24484000"}
FATIGUE_CODE = ("84229001", "Fatigue")

VITAL_SIGNS = {
    "coding": [{"system": CATEGORY, "code": "vital-signs", "display": "Vital Signs"}],
    "text": "Vital Signs",
}


def _loinc(code: str, display: str) -> dict[str, Any]:
    return {"coding": [{"system": LOINC, "code": code, "display": display}], "text": display}


def _text_code(text: str, snomed: tuple[str, str] | None = None) -> dict[str, Any]:
    concept: dict[str, Any] = {"text": text}
    if snomed is not None:
        concept["coding"] = [{"system": SNOMED, "code": snomed[0], "display": snomed[1]}]
    return concept


def _quantity(value: float, unit: str) -> dict[str, Any]:
    return {"value": value, "unit": unit, "system": UCUM, "code": unit}


TEMPERATURE = _loinc("8310-5", "Body temperature")
BP_PANEL = _loinc("85354-9", "Blood pressure panel with all children optional")
SYSTOLIC = _loinc("8480-6", "Systolic blood pressure")
DIASTOLIC = _loinc("8462-4", "Diastolic blood pressure")
HEART_RATE = _loinc("8867-4", "Heart rate")
RESPIRATORY_RATE = _loinc("9279-1", "Respiratory rate")
OXYGEN = _loinc("59408-5", "Oxygen saturation in Arterial blood by Pulse oximetry")
FLUIDS_24H = _loinc("9108-2", "Fluid intake total 24 hour")


def resource_id(uid: str, part: str = "") -> str:
    """The FHIR id (a UUID) of an entry's observation; ``part`` tells apart the two of a bp.
    cart's own uids (random UUIDs, version 4, as 32 lower-case hex digits) are used as they
    are; every other uid (imported, crafted, in capitals) is hashed into a version-5 UUID
    with ``part``. The two kinds never meet (their version digits differ), uids are unique
    in a database and hold no "#", so every resource of a bundle has its own id."""
    if not part and _CART_UID.fullmatch(uid):
        return f"{uid[:8]}-{uid[8:12]}-{uid[12:16]}-{uid[16:20]}-{uid[20:]}"
    return str(uuid.uuid5(NAMESPACE, uid + part))


class BundleWriter:
    """Writes one bundle: ``start``, then ``entry`` for each stored entry (oldest first),
    then ``finish``; returns counts as it goes."""

    def __init__(self, out: TextIO, now: datetime, plan: Plan | None = None) -> None:
        import json

        self.plan = plan
        self.out = out
        self.now = now
        self.encode = json.JSONEncoder(ensure_ascii=False, allow_nan=False).encode
        self.patient_id = str(uuid.uuid4())
        self.subject = {"reference": f"urn:uuid:{self.patient_id}"}
        self.resources = 0
        self.day: date | None = None  # the local day of the drinks in ``drinks``
        self.drinks: list[tuple[str, float]] = []  # (observation id, litres) of that day

    def start(self) -> None:
        patient = {
            "resourceType": "Patient",
            "id": self.patient_id,
            "text": {
                "status": "generated",
                "div": '<div xmlns="http://www.w3.org/1999/xhtml"><p>The person who recorded these '
                "observations at home (or their carer), with cart. This file is their own record: "
                "it holds no name or identifier.</p></div>",
            },
            "active": True,
        }
        self.out.write("{\n")
        self.out.write('  "resourceType": "Bundle",\n')
        self.out.write(f'  "id": "{uuid.uuid4()}",\n')
        self.out.write(f'  "meta": {{"lastUpdated": "{iso_time(self.now)}"}},\n')
        self.out.write('  "type": "collection",\n')
        self.out.write(f'  "timestamp": "{iso_time(self.now)}",\n')
        self.out.write('  "entry": [\n    ')
        self._add_resource(patient)
        product = product_named(self.plan.product) if self.plan is not None else None
        if product is not None and self.plan is not None:
            self._add_resource(
                {
                    "resourceType": "MedicationAdministration",
                    "id": str(uuid.uuid5(NAMESPACE, "product" + self.plan.infusion_date.isoformat())),
                    "status": "completed",
                    "medicationCodeableConcept": {"text": f"{product.shown}, CAR T-cell therapy"},
                    "subject": self.subject,
                    "effectiveDateTime": self.plan.infusion_date.isoformat(),
                    "note": [{"text": "The CAR-T infusion (day 0), as the person recorded it in cart."}],
                }
            )

    def _add_resource(self, resource: dict[str, Any]) -> None:
        """Write one resource as the Bundle's next entry (its fullUrl and the resource)."""
        if self.resources:
            self.out.write(",\n    ")
        self.out.write(self.encode({"fullUrl": f"urn:uuid:{resource['id']}", "resource": resource}))
        self.resources += 1

    def entry(self, entry: Entry) -> None:
        """The observations of one entry (and a day's fluid total when a day is complete)."""
        local = entry.recorded_at.astimezone(self.now.tzinfo)
        if self.drinks and local.date() != self.day:
            self._fluid_total()
        for resource in observations(entry, self.subject, local):
            self._add_resource(resource)
        if entry.kind == "fluids" and entry.litres is not None and entry.uid is not None:
            self.day = local.date()
            self.drinks.append((resource_id(entry.uid), entry.litres))

    def _fluid_total(self) -> None:
        """The 24-hour total of the day in ``drinks``, if that day is over by the export."""
        day, drinks = self.day, self.drinks
        self.drinks = []
        if day is None or day >= self.now.date():
            return  # today is not over: its total is not a 24-hour intake yet
        zone = self.now.tzinfo
        start = datetime.combine(day, time(0), zone)
        end = datetime.combine(day + timedelta(days=1), time(0), zone)
        first = drinks[0][0]
        self._add_resource(
            {
                "resourceType": "Observation",
                "id": resource_id(first, "#24h"),
                "status": "final",
                "code": FLUIDS_24H,
                "subject": self.subject,
                "effectivePeriod": {
                    "start": iso_time(start),
                    "end": iso_time(end.astimezone(zone)),
                },
                "valueQuantity": _quantity(round(sum(litres for _, litres in drinks), 3), "L"),
                "derivedFrom": [{"reference": f"urn:uuid:{ident}"} for ident, _ in drinks],
                "note": [{"text": "The sum of the drinks recorded that day (local time)."}],
            }
        )

    def finish(self) -> None:
        if self.drinks:
            self._fluid_total()
        self.out.write("\n  ]\n}\n")


def observations(entry: Entry, subject: dict[str, str], local: datetime) -> Iterator[dict[str, Any]]:
    """The Observation resources of one entry (one, or two for a bp with a pulse)."""
    uid = entry.uid or ""
    base: dict[str, Any] = {
        "resourceType": "Observation",
        "id": resource_id(uid),
        "status": "final",
    }
    if entry.corrected_at is not None:
        base["status"] = "amended"
    if entry.kind == "bloods":
        yield from _blood_results(entry, base, subject, local)
        return
    vital = entry.kind in ("temp", "bp", "pulse", "spo2", "breaths")
    if vital:
        base["category"] = [VITAL_SIGNS]
    resource = {**base, **_coded(entry)}
    resource["subject"] = subject
    resource["effectiveDateTime"] = iso_time(local)
    resource.update(_value(entry))
    if entry.kind == "temp" and entry.site:
        resource["bodySite"] = {"text": entry.site}
    notes = _notes(entry)
    if notes:
        resource["note"] = notes
    # Key order as FHIR lists the elements (readers do not care; people reading do).
    order = ("resourceType", "id", "status", "category", "code", "subject", "effectiveDateTime")
    yield {key: resource[key] for key in order if key in resource} | resource
    if entry.kind == "bp" and entry.pulse is not None:
        yield {
            "resourceType": "Observation",
            "id": resource_id(uid, "#pulse"),
            "status": "final",
            "category": [VITAL_SIGNS],
            "code": HEART_RATE,
            "subject": subject,
            "effectiveDateTime": iso_time(local),
            "valueQuantity": _quantity(entry.pulse, "/min"),
            "derivedFrom": [{"reference": f"urn:uuid:{resource_id(uid)}"}],
        }


LABORATORY = {
    "coding": [{"system": CATEGORY, "code": "laboratory", "display": "Laboratory"}],
    "text": "Laboratory",
}


def _notes(entry: Entry) -> list[dict[str, str]]:
    """The entry's note, and for a corrected entry when it was corrected and what it was."""
    notes = [{"text": entry.note}] if entry.note else []
    if entry.corrected_at is not None:
        from cart_cli.corrections import describe_was

        notes.append({"text": f"Corrected at {entry.corrected_at}; was: {describe_was(entry)}"})
    return notes


def _blood_results(
    entry: Entry, base: dict[str, Any], subject: dict[str, str], local: datetime
) -> Iterator[dict[str, Any]]:
    """One laboratory Observation per result of a bloods entry."""
    uid = entry.uid or ""
    for test in BLOOD_TESTS:
        value = getattr(entry, test.name)
        if value is None:
            continue
        resource = {
            **base,
            "id": resource_id(uid, f"#{test.name}"),
            "category": [LABORATORY],
            "code": _loinc(test.loinc, test.loinc_display),
            "subject": subject,
            "effectiveDateTime": local.isoformat(timespec="seconds"),
            "valueQuantity": {"value": value, "unit": test.unit, "system": UCUM, "code": test.ucum},
        }
        notes = _notes(entry)
        if notes:
            resource["note"] = notes
        yield resource


def _coded(entry: Entry) -> dict[str, Any]:
    """``code`` of an entry's observation."""
    kind = entry.kind
    if kind == "temp":
        return {"code": TEMPERATURE}
    if kind == "bp":
        return {"code": BP_PANEL}
    if kind == "pulse":
        return {"code": HEART_RATE}
    if kind == "spo2":
        return {"code": OXYGEN}
    if kind == "breaths":
        return {"code": RESPIRATORY_RATE}
    if kind == "fluids":
        return {"code": _text_code("Fluid intake: one drink, as recorded")}
    if kind == "symptom":
        if entry.symptom == "other":
            from cart_cli.signs import recognised_words

            said = f"Symptom, in the person's own words: {entry.other} ({recognised_words(entry)})"
            return {"code": _text_code(said)}
        name = entry.symptom or ""
        return {"code": _text_code(name, SNOMED_SYMPTOMS.get(name))}
    if kind == "fatigue":
        return {"code": _text_code("Fatigue, self-rated from 0 (none) to 10 (worst)", FATIGUE_CODE)}
    if kind == "ice":
        return {"code": _text_code("ICE score (Immune effector Cell-associated Encephalopathy), 0-10")}
    if kind == "handwriting":
        return {"code": _text_code("Handwriting compared with the person's usual writing")}
    if kind == "call":
        return {"code": _text_code("Call to the hospital team (or emergency services)")}
    return {"code": _text_code("Medicine taken")}


def _value(entry: Entry) -> dict[str, Any]:
    """``value[x]`` and ``component`` of an entry's observation."""
    kind = entry.kind
    if kind == "temp" and entry.celsius is not None:
        return {"valueQuantity": _quantity(entry.celsius, "Cel")}
    if kind == "bp" and entry.systolic is not None and entry.diastolic is not None:
        return {
            "component": [
                {"code": SYSTOLIC, "valueQuantity": _quantity(entry.systolic, "mm[Hg]")},
                {"code": DIASTOLIC, "valueQuantity": _quantity(entry.diastolic, "mm[Hg]")},
            ]
        }
    if kind == "pulse" and entry.pulse is not None:
        return {"valueQuantity": _quantity(entry.pulse, "/min")}
    if kind == "spo2" and entry.spo2 is not None:
        return {"valueQuantity": _quantity(entry.spo2, "%")}
    if kind == "breaths" and entry.breaths is not None:
        return {"valueQuantity": _quantity(entry.breaths, "/min")}
    if kind == "fluids" and entry.litres is not None:
        return {"valueQuantity": _quantity(entry.litres, "L")}
    if kind == "symptom":
        value: dict[str, Any] = {"valueBoolean": True}  # present, as the person recorded it
        if entry.severity:
            severity = {
                "coding": [
                    {"system": SNOMED, "code": SEVERITY_VALUES[entry.severity], "display": entry.severity}
                ],
                "text": entry.severity,
            }
            value["component"] = [
                {"code": _text_code("severity", SEVERITY_CODE), "valueCodeableConcept": severity}
            ]
        return value
    if kind in ("fatigue", "ice") and entry.score is not None:
        value = {"valueInteger": entry.score}
        if kind == "ice" and entry.items:
            value["component"] = [{"code": _text_code("ICE points by part"), "valueString": entry.items}]
        return value
    if kind == "handwriting" and entry.handwriting:
        return {"valueString": entry.handwriting}
    if kind == "call":
        return {"valueString": entry.outcome} if entry.outcome else {}
    if kind == "med" and entry.medicine:
        return {"valueString": entry.medicine}
    return {}
