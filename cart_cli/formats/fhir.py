"""Entries as an HL7 FHIR R4 ``Bundle`` (type ``collection``) in JSON, for clinic systems.

What goes in:

- one ``Patient`` with no name and no identifier: the file is the person's own record,
  made at home, and its narrative says so; every observation refers to it (``subject``);
- one ``Observation`` per entry (two for a blood pressure with a pulse: the panel and a
  heart rate), ``status`` ``final``, ``effectiveDateTime`` in local time with its UTC offset,
  and ``note`` for the entry's note. Readings carry LOINC codes with UCUM units and the
  ``vital-signs`` category: body temperature 8310-5 (Cel), blood pressure panel 85354-9 with
  systolic 8480-6 and diastolic 8462-4 (mm[Hg]), heart rate 8867-4 (/min), oxygen saturation
  2708-6 with 59408-5 (%). Each vital sign claims the R4 vital-signs profile it meets in
  ``meta.profile`` (bodytemp, bp, heartrate, oxygensat), and its ``subject`` says it is a
  Patient (``type``), which a profile checker needs to resolve a ``urn:uuid:`` reference;
- fluids: each drink as it was recorded (a text code, in L), and for each complete local
  day before the export a 24-hour total with LOINC 9108-2 (fluid intake total 24 hour),
  ``effectivePeriod`` that day, ``derivedFrom`` its drinks. A per-drink amount is not a
  24-hour intake, so it never carries that code;
- symptoms, fatigue, ICE score, handwriting, calls and medicines: a text code (with a
  SNOMED CT code for the common symptoms listed in ``SNOMED_SYMPTOMS``), the severity of a
  symptom as a component with SNOMED CT's severity values.

What stays out: the plan's contacts, and the findings of `cart check`: they are the app's
triage advice, not a clinician's diagnosis, so nothing here is a ``Condition``.

The bundle is written as a stream, one entry per line, oldest first: memory does not grow
with the number of entries, and the parts that never change are encoded once (see
``BundleWriter``). ``uuid`` ids are derived from each entry's ``uid`` (the same entry gets
the same id in every export; an old row without a uid from its row id, so ids are unique
whatever the uids); the Patient's id is new in every file.
"""

from __future__ import annotations

import json
import uuid
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any, TextIO

from cart_cli.models import KIND_FIELDS, VALUE_COLUMNS, Entry

LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
UCUM = "http://unitsofmeasure.org"
CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
# Every id is a version-5 UUID in this namespace, from the entry's uid (and a suffix).
NAMESPACE = uuid.UUID("5b0d1d0e-8a3f-4c55-9d64-2f1c6a0e7c11")


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
# The R4 oxygen saturation profile requires 2708-6; 59408-5 says it was by pulse oximetry.
OXYGEN = {
    "coding": [
        {"system": LOINC, "code": "2708-6", "display": "Oxygen saturation in Arterial blood"},
        {
            "system": LOINC,
            "code": "59408-5",
            "display": "Oxygen saturation in Arterial blood by Pulse oximetry",
        },
    ],
    "text": "Oxygen saturation in Arterial blood by Pulse oximetry",
}
FLUIDS_24H = _loinc("9108-2", "Fluid intake total 24 hour")


def resource_id(uid: str, part: str = "") -> str:
    """The FHIR id (a UUID) of an entry's observation; ``part`` tells apart the two of a bp.
    cart's own uids are UUIDs already (32 hex digits) and are used as they are."""
    if not part and len(uid) == 32 and not uid.strip("0123456789abcdef"):
        return f"{uid[:8]}-{uid[8:12]}-{uid[12:16]}-{uid[16:20]}-{uid[20:]}"
    return str(uuid.uuid5(NAMESPACE, uid + part))


def entry_key(uid: str | None, entry_id: int | None) -> str:
    """What an entry's FHIR id is made from: its uid, or (an old row without one) its row id,
    marked with "#", which no uid holds: ids stay unique whatever the uids."""
    return uid if uid else f"#row{entry_id}"


# The vital signs and the R4 profiles they claim and meet (meta.profile).
PROFILE = "http://hl7.org/fhir/StructureDefinition/"
VITAL_PROFILES = {"temp": "bodytemp", "bp": "bp", "pulse": "heartrate", "spo2": "oxygensat"}

# Every entry is read from the store as this row (see Store.fhir_row_batches); recorded_at
# as stored: UTC, ``2026-12-01T08:00:00+00:00``.
ROW_COLUMNS = ("kind", "recorded_at", "uid", "id", *VALUE_COLUMNS, "note")
_AT = {name: i for i, name in enumerate(ROW_COLUMNS)}
_CELSIUS, _SYSTOLIC, _DIASTOLIC, _PULSE = _AT["celsius"], _AT["systolic"], _AT["diastolic"], _AT["pulse"]
_LITRES, _SPO2, _SCORE, _NOTE = _AT["litres"], _AT["spo2"], _AT["score"], _AT["note"]

_encode = json.JSONEncoder(ensure_ascii=False, allow_nan=False).encode  # one string or number


def _json(value: object) -> str:
    return _encode(value)


def _quantity_tail(unit: str) -> str:
    """What follows the number in a UCUM quantity: ``,"unit":...,"system":...,"code":...}``."""
    return f',"unit":{_json(unit)},"system":{_json(UCUM)},"code":{_json(unit)}}}'


_CEL, _MIN, _PERCENT, _LITRE, _MMHG = (_quantity_tail(u) for u in ("Cel", "/min", "%", "L", "mm[Hg]"))


class LocalTimes:
    """Stored times (ISO 8601 with an offset, UTC as cart writes them) as local ISO 8601 with
    the offset, for one zone. The offset is found once per hour of the stored time (a clock
    change falls on a whole hour in every zone today); an hour that holds a change, or an
    offset with minutes, is worked out time by time."""

    def __init__(self, zone: tzinfo | None) -> None:
        self.zone = zone
        self.hours: dict[str, tuple[str, str] | None] = {}

    def __call__(self, stored: str) -> str:
        key = stored[:13] + stored[19:]  # the hour and the stored offset
        if key in self.hours:
            known = self.hours[key]
        else:
            known = self.hours[key] = self._hour(stored)
        if known is None:
            return datetime.fromisoformat(stored).astimezone(self.zone).isoformat(timespec="seconds")
        return known[0] + stored[13:19] + known[1]

    def _hour(self, stored: str) -> tuple[str, str] | None:
        if len(stored) != 25 or not stored.endswith(":00"):
            return None  # not whole seconds with an offset of whole hours
        start = datetime.fromisoformat(stored[:13] + ":00:00" + stored[19:])
        first, last = start.astimezone(self.zone), (start + timedelta(seconds=3599)).astimezone(self.zone)
        offset = first.utcoffset()
        if offset is None or offset != last.utcoffset() or offset % timedelta(hours=1):
            return None
        text = first.isoformat(timespec="seconds")
        return text[:13], text[19:]


class BundleWriter:
    """Writes one bundle: ``start``, then ``rows`` for each batch of stored entries (oldest
    first, as ``Store.fhir_row_batches`` gives them), then ``finish``.

    A million entries are written in seconds: every part of a resource that does not change
    from one entry to the next (meta, category, code, subject, units) is encoded to JSON text
    once, here, and each entry only adds its id, time and values; no object is built for it.
    ``tests/test_fhir.py`` checks the result with ``fhir.resources`` and with an independent
    validator of the R4 vital-signs profiles.
    """

    def __init__(self, out: TextIO, now: datetime) -> None:
        self.out = out
        self.now = now
        self.patient_id = str(uuid.uuid4())
        self.subject = {"reference": f"urn:uuid:{self.patient_id}", "type": "Patient"}
        self.resources = 0
        self.day: str | None = None  # the local day (YYYY-MM-DD) of the drinks in ``drinks``
        self.drinks: list[tuple[str, float]] = []  # (observation id, litres) of that day
        self.local = LocalTimes(now.tzinfo)
        subject = _json(self.subject)
        # The text between the id and the time, for each kind (and symptom code), made once.
        self._middle: dict[object, str] = {}
        for kind in KIND_FIELDS:
            if kind != "symptom":
                self._middle[kind] = self._middle_text(kind, _coded_concept(kind, None), subject)
        self._subject = subject
        self._severity = {
            name: ',"component":[{"code":' + _json(_text_code("severity", SEVERITY_CODE))
            + ',"valueCodeableConcept":' + _json(
                {"coding": [{"system": SNOMED, "code": code, "display": name}], "text": name}
            ) + "}]"
            for name, code in SEVERITY_VALUES.items()
        }  # fmt: skip
        self._systolic = ',"component":[{"code":' + _json(SYSTOLIC) + ',"valueQuantity":{"value":'
        self._diastolic = _MMHG + '},{"code":' + _json(DIASTOLIC) + ',"valueQuantity":{"value":'
        self._heart_rate = self._middle_text("pulse", HEART_RATE, subject)
        self._ice_items = (
            ',"component":[{"code":' + _json(_text_code("ICE points by part")) + ',"valueString":'
        )

    def _middle_text(self, kind: str, code: dict[str, Any], subject: str) -> str:
        text = '"'
        if kind in VITAL_PROFILES:
            text += ',"meta":{"profile":[' + _json(PROFILE + VITAL_PROFILES[kind]) + "]}"
        text += ',"status":"final"'
        if kind in VITAL_PROFILES:
            text += ',"category":[' + _json(VITAL_SIGNS) + "]"
        return text + ',"code":' + _json(code) + ',"subject":' + subject + ',"effectiveDateTime":"'

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
        stamp = self.now.isoformat(timespec="seconds")
        self.out.write("{\n")
        self.out.write('  "resourceType": "Bundle",\n')
        self.out.write(f'  "id": "{uuid.uuid4()}",\n')
        self.out.write(f'  "meta": {{"lastUpdated": "{stamp}"}},\n')
        self.out.write('  "type": "collection",\n')
        self.out.write(f'  "timestamp": "{stamp}",\n')
        self.out.write('  "entry": [\n    ')
        self._add_resource(_json({"fullUrl": f"urn:uuid:{self.patient_id}", "resource": patient}))

    def _add_resource(self, text: str) -> None:
        """Write one Bundle entry (its fullUrl and resource, as JSON text)."""
        if self.resources:
            self.out.write(",\n    ")
        self.out.write(text)
        self.resources += 1

    def rows(self, batch: list[tuple[Any, ...]]) -> None:
        """The observations of a batch of entries (``ROW_COLUMNS``), and a day's fluid total
        each time a day of drinks is complete."""
        parts: list[str] = []
        for row in batch:
            parts.extend(self._observations(row))
        if parts:
            if self.resources:
                self.out.write(",\n    ")
            self.out.write(",\n    ".join(parts))
            self.resources += len(parts)

    def _observations(self, row: tuple[Any, ...]) -> list[str]:
        kind, when, uid = row[0], self.local(row[1]), row[2]
        key = uid or entry_key(uid, row[3])
        oid = resource_id(key)
        found: list[str] = []
        if self.drinks and when[:10] != self.day:
            found.extend(self._fluid_total())
        if kind == "symptom":
            middle = self._symptom_middle(row[_AT["symptom"]], row[_AT["other"]])
        else:
            middle = self._middle[kind]
        head = f'{{"fullUrl":"urn:uuid:{oid}","resource":{{"resourceType":"Observation",'
        head += f'"id":"{oid}{middle}{when}"'
        note = row[_NOTE]
        tail = (',"note":[{"text":' + _json(note) + "}]}}") if note else "}}"
        found.append(head + self._value(kind, row) + tail)
        if kind == "bp" and row[_PULSE] is not None:
            pid = resource_id(key, "#pulse")
            found.append(
                f'{{"fullUrl":"urn:uuid:{pid}","resource":{{"resourceType":"Observation","id":"{pid}'
                f'{self._heart_rate}{when}","valueQuantity":{{"value":{row[_PULSE]}{_MIN}'
                f',"derivedFrom":[{{"reference":"urn:uuid:{oid}"}}]}}}}'
            )
        elif kind == "fluids" and row[_LITRES] is not None:
            self.day = when[:10]
            self.drinks.append((oid, row[_LITRES]))
        return found

    def _symptom_middle(self, symptom: str | None, other: str | None) -> str:
        key = ("symptom", symptom, other if symptom == "other" else None)
        middle = self._middle.get(key)
        if middle is None:
            entry = Entry(kind="symptom", recorded_at=self.now, symptom=symptom, other=other)
            middle = self._middle_text("symptom", _coded_concept("symptom", entry), self._subject)
            if symptom != "other":  # the person's own words are not kept: each is new
                self._middle[key] = middle
        return middle

    def _value(self, kind: str, row: tuple[Any, ...]) -> str:
        """``value[x]`` and ``component`` of an observation, as JSON text after a comma."""
        if kind == "temp" and row[_CELSIUS] is not None:
            return f',"valueQuantity":{{"value":{_json(row[_CELSIUS])}{_CEL}'
        if kind == "bp" and row[_SYSTOLIC] is not None and row[_DIASTOLIC] is not None:
            return f"{self._systolic}{row[_SYSTOLIC]}{self._diastolic}{row[_DIASTOLIC]}{_MMHG}}}]"
        if kind == "pulse" and row[_PULSE] is not None:
            return f',"valueQuantity":{{"value":{row[_PULSE]}{_MIN}'
        if kind == "spo2" and row[_SPO2] is not None:
            return f',"valueQuantity":{{"value":{row[_SPO2]}{_PERCENT}'
        if kind == "fluids" and row[_LITRES] is not None:
            return f',"valueQuantity":{{"value":{_json(row[_LITRES])}{_LITRE}'
        if kind == "symptom":
            severity = row[_AT["severity"]]
            return ',"valueBoolean":true' + self._severity.get(severity, "")
        if kind in ("fatigue", "ice") and row[_SCORE] is not None:
            text = f',"valueInteger":{row[_SCORE]}'
            if kind == "ice" and row[_AT["items"]]:
                text += self._ice_items + _json(row[_AT["items"]]) + "}]"
            return text
        field = {"handwriting": "handwriting", "call": "outcome", "med": "medicine"}.get(kind)
        if field is not None and row[_AT[field]]:
            return ',"valueString":' + _json(row[_AT[field]])
        return ""

    def _fluid_total(self) -> list[str]:
        """The 24-hour total of the day in ``drinks``, if that day is over by the export."""
        day_text, drinks = self.day, self.drinks
        self.drinks = []
        if day_text is None or date.fromisoformat(day_text) >= self.now.date():
            return []  # today is not over: its total is not a 24-hour intake yet
        day = date.fromisoformat(day_text)
        zone = self.now.tzinfo
        start = datetime.combine(day, time(0), zone)
        end = datetime.combine(day + timedelta(days=1), time(0), zone)
        first = drinks[0][0]
        resource = {
            "resourceType": "Observation",
            "id": resource_id(first, "#24h"),
            "status": "final",
            "code": FLUIDS_24H,
            "subject": self.subject,
            "effectivePeriod": {
                "start": start.isoformat(timespec="seconds"),
                "end": end.astimezone(zone).isoformat(timespec="seconds"),
            },
            "valueQuantity": _quantity(round(sum(litres for _, litres in drinks), 3), "L"),
            "derivedFrom": [{"reference": f"urn:uuid:{ident}"} for ident, _ in drinks],
            "note": [{"text": "The sum of the drinks recorded that day (local time)."}],
        }
        return [_json({"fullUrl": f"urn:uuid:{resource['id']}", "resource": resource})]

    def finish(self) -> None:
        for total in self._fluid_total() if self.drinks else []:
            self._add_resource(total)
        self.out.write("\n  ]\n}\n")


def _coded_concept(kind: str, entry: Entry | None) -> dict[str, Any]:
    """``code`` of an observation of ``kind`` (a symptom's needs its entry)."""
    if kind == "temp":
        return TEMPERATURE
    if kind == "bp":
        return BP_PANEL
    if kind == "pulse":
        return HEART_RATE
    if kind == "spo2":
        return OXYGEN
    if kind == "fluids":
        return _text_code("Fluid intake: one drink, as recorded")
    if kind == "symptom" and entry is not None:
        if entry.symptom == "other":
            return _text_code(f"Symptom, in the person's own words: {entry.other}")
        name = entry.symptom or ""
        return _text_code(name, SNOMED_SYMPTOMS.get(name))
    if kind == "fatigue":
        return _text_code("Fatigue, self-rated from 0 (none) to 10 (worst)", FATIGUE_CODE)
    if kind == "ice":
        return _text_code("ICE score (Immune effector Cell-associated Encephalopathy), 0-10")
    if kind == "handwriting":
        return _text_code("Handwriting compared with the person's usual writing")
    if kind == "call":
        return _text_code("Call to the hospital team (or emergency services)")
    return _text_code("Medicine taken")
