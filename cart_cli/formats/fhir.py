"""Entries as an HL7 FHIR R4 ``Bundle`` (type ``collection``) in JSON, for clinic systems.

What goes in:

- one ``Patient`` with no name and no identifier: the file is the person's own record,
  made at home, and its narrative says so; every observation refers to it (``subject``);
- one ``Observation`` per entry (two for a blood pressure with a pulse: the panel and a
  heart rate), ``status`` ``final``, ``effectiveDateTime`` in local time with its UTC offset,
  and ``note`` for the entry's note. Readings carry LOINC codes with UCUM units and the
  ``vital-signs`` category: body temperature 8310-5 (Cel), blood pressure panel 85354-9 with
  systolic 8480-6 and diastolic 8462-4 (mm[Hg]), heart rate 8867-4 (/min), oxygen saturation
  2708-6 with 59408-5 (%), respiratory rate 9279-1 (/min). Each vital sign claims the R4
  vital-signs profile it meets in ``meta.profile`` (bodytemp, bp, heartrate, oxygensat,
  resprate), and its ``subject`` says it is a Patient (``type``), which a profile checker needs
  to resolve a ``urn:uuid:`` reference;
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
with the number of entries, and for the common entries the parts that never change are
encoded once (see ``BundleWriter``). ``uuid`` ids are derived from each entry's ``uid`` (the same
entry gets the same id in every export); the Patient's id is new in every file.
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from json.encoder import encode_basestring
from typing import Any, TextIO

from cart_cli.bloods import TESTS as BLOOD_TESTS
from cart_cli.models import VALUE_COLUMNS, Entry, Plan
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
    cart's own uids (random UUIDs, version 4, as 32 lower-case hex digits) are used as they
    are; every other uid (imported, crafted, in capitals) is hashed into a version-5 UUID
    with ``part``. The two kinds never meet (their version digits differ), uids are unique
    in a database and hold no "#", so every resource of a bundle has its own id."""
    if not part and _CART_UID.fullmatch(uid):
        return f"{uid[:8]}-{uid[8:12]}-{uid[12:16]}-{uid[16:20]}-{uid[20:]}"
    return _uuid5(uid + part)


_NAMESPACE_SHA1 = hashlib.sha1(NAMESPACE.bytes)  # copied for each name: the namespace is hashed once
_VARIANT = "89ab89ab89ab89ab"  # RFC 4122's variant bits over a hex digit's top two bits


def _uuid5(name: str) -> str:
    """``str(uuid.uuid5(NAMESPACE, name))``, without making a UUID object (a million of them
    cost seconds in an export): SHA-1 of the namespace and the name, version 5, RFC 4122."""
    sha1 = _NAMESPACE_SHA1.copy()
    sha1.update(name.encode())
    text = sha1.hexdigest()
    # The version digit (13th) becomes 5; the variant digit (17th) keeps its two low bits.
    return f"{text[:8]}-{text[8:12]}-5{text[13:16]}-{_VARIANT[int(text[16], 16)]}{text[17:20]}-{text[20:32]}"


def entry_key(uid: str | None, entry_id: int | None) -> str:
    """What an entry's FHIR id is made from: its uid, or (an old row without one) its row id,
    marked with "#", which no uid holds: ids stay unique whatever the uids."""
    return uid if uid else f"#row{entry_id}"


# The vital signs and the R4 profiles they claim and meet (meta.profile).
PROFILE = "http://hl7.org/fhir/StructureDefinition/"
VITAL_PROFILES = {
    "temp": "bodytemp",
    "bp": "bp",
    "pulse": "heartrate",
    "spo2": "oxygensat",
    "breaths": "resprate",
}

# Every entry is read from the store as this row (export_rows.entry_row_batches: the entries
# table's columns, ``store.ENTRY_COLUMNS``; a test checks they match); recorded_at as stored.
ROW_COLUMNS = ("id", "uid", "kind", "recorded_at", *VALUE_COLUMNS, "note", "corrected_at", "was")
_AT = {name: i for i, name in enumerate(ROW_COLUMNS)}
_ID, _UID, _KIND, _RECORDED = 0, 1, 2, 3
_SITE, _CORRECTED = _AT["site"], _AT["corrected_at"]
# The kinds written as text around parts encoded once; the others (and a corrected entry, or
# a temperature with its site) go through ``observations``, as objects.
_FAST_KINDS = frozenset({"temp", "bp", "pulse", "spo2", "fluids", "symptom", "fatigue", "ice",
                         "handwriting", "call", "med"})  # fmt: skip
# What the text path reads of an entry of each of those kinds, besides its id, uid, kind,
# time and note: up to three values, in this order (export_rows.compact_row_batches reads them so,
# a row of nine columns instead of the table's thirty, which is most of the cost of a row).
FAST_VALUES: dict[str, tuple[str, ...]] = {
    "temp": ("celsius",),
    "bp": ("systolic", "diastolic", "pulse"),
    "pulse": ("pulse",),
    "spo2": ("spo2",),
    "fluids": ("litres",),
    "symptom": ("symptom", "severity", "other"),
    "fatigue": ("score",),
    "ice": ("score", "items"),
    "handwriting": ("handwriting",),
    "call": ("outcome",),
    "med": ("medicine",),
}
assert set(FAST_VALUES) == _FAST_KINDS


def _compact(row: Sequence[Any]) -> tuple[Any, ...]:
    """A stored row (``ROW_COLUMNS``) as ``export_rows.compact_row_batches`` gives it: id, uid,
    kind, recorded_at, note, whether it is plain (not corrected, no site) and the values."""
    names = FAST_VALUES.get(row[_KIND], ())
    values = [row[_AT[name]] for name in names] + [None] * (3 - len(names))
    plain = row[_CORRECTED] is None and not row[_SITE]
    return (row[_ID], row[_UID], row[_KIND], row[_RECORDED], row[_AT["note"]], plain, *values)


def _entry_from_row(row: Sequence[Any]) -> Entry:
    values = dict(zip(ROW_COLUMNS, row, strict=True))
    values["recorded_at"] = datetime.fromisoformat(values["recorded_at"]).astimezone()
    return Entry(**values)


_encode = json.JSONEncoder(ensure_ascii=False, allow_nan=False).encode  # one string or number


def _json(value: object) -> str:
    return _encode(value)


def _json_number(value: object) -> str:
    """``_json(value)`` for a stored number, a finite float without the encoder's call (the
    encoder writes those as ``float.__repr__`` does)."""
    if value.__class__ is float and value - value == 0:  # finite (inf - inf is nan)
        return float.__repr__(value)
    return _encode(value)


def _json_text(value: object) -> str:
    """``_json(value)`` for stored text, a string straight through the encoder's C function."""
    return encode_basestring(value) if value.__class__ is str else _encode(value)


def _quantity_tail(unit: str) -> str:
    """What follows the number in a UCUM quantity: ``,"unit":...,"system":...,"code":...}``."""
    return f',"unit":{_json(unit)},"system":{_json(UCUM)},"code":{_json(unit)}}}'


_CEL, _MIN, _PERCENT, _LITRE, _MMHG = (_quantity_tail(u) for u in ("Cel", "/min", "%", "L", "mm[Hg]"))


class LocalTimes:
    """Stored times (ISO 8601 with an offset, UTC as cart writes them) as local ISO 8601 with
    the offset, for one zone. The offset is found once per UTC day of the stored times: a day
    whose first and last second have the same offset (every day but the few a year that hold a
    clock change) is taken to have it throughout, and its 24 hours are written once as local
    text (offsets of whole hours) or by adding the offset (offsets with minutes). A day that
    holds a change, a zone whose offset has seconds, and any time not stored as cart stores
    times are worked out time by time (``iso_time``)."""

    def __init__(self, zone: tzinfo | None) -> None:
        self.zone = zone
        self._day = ""  # the UTC day (YYYY-MM-DD) that ``_hours`` and ``_shift`` are for
        self._hours: list[str] | None = None  # each UTC hour's local "YYYY-MM-DDTHH"
        self._shift: timedelta | None = None  # else the day's offset, with minutes
        self._suffix = ""  # the day's offset as ISO 8601 writes it

    def __call__(self, stored: str) -> str:
        if len(stored) != 25 or not stored.endswith("+00:00"):
            return self._exact(stored)
        if stored[:10] != self._day:
            self._learn_day(stored[:10])
        hours = self._hours
        if hours is not None:
            return hours[int(stored[11:13])] + stored[13:19] + self._suffix
        if self._shift is not None:
            moment = datetime.fromisoformat(stored[:19]) + self._shift
            return moment.isoformat(timespec="seconds") + self._suffix
        return self._exact(stored)

    def _exact(self, stored: str) -> str:
        return iso_time(datetime.fromisoformat(stored).astimezone(self.zone))

    def _learn_day(self, day: str) -> None:
        self._day, self._hours, self._shift = day, None, None
        try:
            start = datetime.fromisoformat(day).replace(tzinfo=UTC)
        except ValueError:
            return
        offset = start.astimezone(self.zone).utcoffset()
        last = (start + timedelta(seconds=86399)).astimezone(self.zone).utcoffset()
        if offset is None or offset != last or offset % timedelta(minutes=1):
            return  # a clock change that day, or an offset with seconds: time by time
        local = start.replace(tzinfo=None) + offset
        self._suffix = iso_time(local.replace(tzinfo=timezone(offset)))[19:]
        if offset % timedelta(hours=1):
            self._shift = offset
        else:
            # Local hour n + shift of the UTC day: on the day before, the day itself or after.
            shift = offset // timedelta(hours=1)
            ordinal = start.toordinal()
            days = {d: date.fromordinal(ordinal + d).isoformat() for d in (-1, 0, 1)}
            self._hours = [f"{days[(n + shift) // 24]}T{(n + shift) % 24:02d}" for n in range(24)]


class BundleWriter:
    """Writes one bundle: ``start``, then ``rows`` for each batch of stored rows (or ``entry``
    for each Entry), oldest first, then ``finish``; returns counts as it goes.

    A million entries are written in seconds: for the common entries, every part of a resource
    that does not change from one entry to the next (meta, category, code, subject, units) is
    encoded to JSON text once, here, and each entry only adds its id, time and values, with
    no object built for it (``_text_observations``). ``tests/test_fhir.py`` checks that both
    ways give the same resources, and ``tests/test_fhir_profiles.py`` validates them.
    """

    def __init__(self, out: TextIO, now: datetime, plan: Plan | None = None) -> None:
        import json

        self.plan = plan
        self.out = out
        self.now = now
        self.encode = json.JSONEncoder(ensure_ascii=False, allow_nan=False).encode
        self.patient_id = str(uuid.uuid4())
        self.subject = {"reference": f"urn:uuid:{self.patient_id}", "type": "Patient"}
        self.resources = 0
        self.day: date | None = None  # the local day of the drinks in ``drinks``
        self._day_text = ""  # that day as ISO 8601 text, when the text path set it
        self.drinks: list[tuple[str, float]] = []  # (observation id, litres) of that day
        self.local = LocalTimes(now.tzinfo)
        # Stored times (UTC, as cart writes them) from here on may be later than now: those rows
        # are looked at one by one (any zone is within 15 hours of UTC).
        self.late = (now - timedelta(hours=15)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")
        subject = _json(self.subject)
        self._subject = subject
        # The text between an observation's id and its time, per kind (and symptom), made once.
        self._middle: dict[object, str] = {
            kind: self._middle_text(kind, _coded(Entry(kind=kind, recorded_at=now)).get("code", {}))
            for kind in _FAST_KINDS
            if kind != "symptom"
        }
        self._severity = {
            name: ',"component":[{"code":' + _json(_text_code("severity", SEVERITY_CODE))
            + ',"valueCodeableConcept":' + _json(
                {"coding": [{"system": SNOMED, "code": code, "display": name}], "text": name}
            ) + "}]"
            for name, code in SEVERITY_VALUES.items()
        }  # fmt: skip
        self._systolic = ',"component":[{"code":' + _json(SYSTOLIC) + ',"valueQuantity":{"value":'
        self._diastolic = _MMHG + '},{"code":' + _json(DIASTOLIC) + ',"valueQuantity":{"value":'
        self._heart_rate = self._middle_text("pulse", HEART_RATE)
        self._ice_items = (
            ',"component":[{"code":' + _json(_text_code("ICE points by part")) + ',"valueString":'
        )

    def _middle_text(self, kind: str, code: dict[str, Any]) -> str:
        """From the end of the id to the start of the time: meta, status, category, code, subject."""
        text = '"'
        if kind in VITAL_PROFILES:
            text += ',"meta":{"profile":[' + _json(PROFILE + VITAL_PROFILES[kind]) + "]}"
        text += ',"status":"final"'
        if kind in VITAL_PROFILES:
            text += ',"category":[' + _json(VITAL_SIGNS) + "]"
        return text + ',"code":' + _json(code) + ',"subject":' + self._subject + ',"effectiveDateTime":"'

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
        self._write_parts([self.encode({"fullUrl": f"urn:uuid:{resource['id']}", "resource": resource})])

    def rows(self, batch: Sequence[Sequence[Any]]) -> None:
        """The observations of a batch of stored rows (``ROW_COLUMNS``)."""
        by_id = {row[_ID]: row for row in batch}
        self.compact_rows([_compact(row) for row in batch], by_id.__getitem__)

    def compact_rows(self, batch: Sequence[Sequence[Any]], full_row: Callable[[int], Sequence[Any]]) -> None:
        """The observations of a batch of compact rows (``export_rows.compact_row_batches`` with
        ``FAST_VALUES``); ``full_row`` gives an entry's whole stored row (``ROW_COLUMNS``)
        by its id, for the entries the text path does not write."""
        parts: list[str] = []
        late = self.late
        text_observations = self._text_observations
        for row in batch:
            if row[5] and row[2] in _FAST_KINDS and (row[3][:19] < late or not self._after_now(row[3])):
                text_observations(row, parts)
                continue
            self._write_parts(parts)
            parts = []
            self.entry(_entry_from_row(full_row(row[0])))
        self._write_parts(parts)

    def _write_parts(self, parts: list[str]) -> None:
        if parts:
            if self.resources:
                self.out.write(",\n    ")
            self.out.write(",\n    ".join(parts))
            self.resources += len(parts)

    def _text_observations(self, row: Sequence[Any], found: list[str]) -> None:
        """What ``observations`` makes of the compact row, as JSON text added to ``found`` (and
        a day's fluid total first when a day of drinks is complete)."""
        entry_id, uid, kind, recorded, note, _plain, a, b, c = row
        when = self.local(recorded)
        key = uid or entry_key(None, entry_id)
        oid = resource_id(key)
        if self.drinks and when[:10] != self._day_text:
            found.extend(self._fluid_total())
        middle = self._symptom_middle(a, c) if kind == "symptom" else self._middle[kind]
        found.append(
            f'{{"fullUrl":"urn:uuid:{oid}","resource":{{"resourceType":"Observation","id":"{oid}'
            f'{middle}{when}"{self._value_text(kind, a, b)}'
            + ((',"note":[{"text":' + _json_text(note) + "}]}}") if note else "}}")
        )
        if kind == "bp" and c is not None:
            pid = resource_id(key, "#pulse")
            found.append(
                f'{{"fullUrl":"urn:uuid:{pid}","resource":{{"resourceType":"Observation","id":"{pid}'
                f'{self._heart_rate}{when}","valueQuantity":{{"value":{c}{_MIN}'
                f',"derivedFrom":[{{"reference":"urn:uuid:{oid}"}}]}}}}'
            )
        elif kind == "fluids" and a is not None:
            if when[:10] != self._day_text:
                self.day, self._day_text = date.fromisoformat(when[:10]), when[:10]
            self.drinks.append((oid, a))

    def _symptom_middle(self, symptom: Any, other: Any) -> str:
        key = ("symptom", symptom, other if symptom == "other" else None)
        middle = self._middle.get(key)
        if middle is None:
            entry = Entry(kind="symptom", recorded_at=self.now, symptom=symptom, other=other)
            middle = self._middle_text("symptom", _coded(entry)["code"])
            if symptom != "other":  # the person's own words are not kept: each is new
                self._middle[key] = middle
        return middle

    def _value_text(self, kind: str, a: Any, b: Any) -> str:
        """``value[x]`` and ``component`` (as ``_value`` makes them), as JSON text after a
        comma, from the kind's first two ``FAST_VALUES``."""
        if kind == "temp" and a is not None:
            return f',"valueQuantity":{{"value":{_json_number(a)}{_CEL}'
        if kind == "bp" and a is not None and b is not None:
            return f"{self._systolic}{a}{self._diastolic}{b}{_MMHG}}}]"
        if kind == "pulse" and a is not None:
            return f',"valueQuantity":{{"value":{a}{_MIN}'
        if kind == "spo2" and a is not None:
            return f',"valueQuantity":{{"value":{a}{_PERCENT}'
        if kind == "fluids" and a is not None:
            return f',"valueQuantity":{{"value":{_json_number(a)}{_LITRE}'
        if kind == "symptom":
            return ',"valueBoolean":true' + self._severity.get(b, "")
        if kind in ("fatigue", "ice") and a is not None:
            text = f',"valueInteger":{a}'
            if kind == "ice" and b:
                text += self._ice_items + _json_text(b) + "}]"
            return text
        if kind in ("handwriting", "call", "med") and a:
            return ',"valueString":' + _json_text(a)
        return ""

    def _after_now(self, stored: str) -> bool:
        return stored[:19] >= self.late and datetime.fromisoformat(stored) > self.now

    def entry(self, entry: Entry) -> None:
        """The observations of one entry (and a day's fluid total when a day is complete).

        An entry dated after the file is made (a device whose clock ran fast) is written at the
        time the file is made, as cart's check counts it, with a note of the time it was given."""
        local = entry.recorded_at.astimezone(self.now.tzinfo)
        if entry.recorded_at > self.now:
            given = f"Recorded for {iso_time(local)}, later than this file was made: counted as made then."
            entry = replace(entry, note=f"{entry.note} ({given})" if entry.note else given)
            local = self.now.astimezone(self.now.tzinfo)
        if self.drinks and local.date() != self.day:
            self._write_parts(self._fluid_total())
        for resource in observations(entry, self.subject, local):
            self._add_resource(resource)
        if entry.kind == "fluids" and entry.litres is not None:
            self.day = local.date()
            self._day_text = self.day.isoformat()
            self.drinks.append((resource_id(entry_key(entry.uid, entry.id)), entry.litres))

    def _fluid_total(self) -> list[str]:
        """The 24-hour total of the day in ``drinks``, if that day is over by the export."""
        day, drinks = self.day, self.drinks
        self.drinks = []
        if day is None or day >= self.now.date():
            return []  # today is not over: its total is not a 24-hour intake yet
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
                "start": iso_time(start),
                "end": iso_time(end.astimezone(zone)),
            },
            "valueQuantity": _quantity(round(sum(litres for _, litres in drinks), 3), "L"),
            "derivedFrom": [{"reference": f"urn:uuid:{ident}"} for ident, _ in drinks],
            "note": [{"text": "The sum of the drinks recorded that day (local time)."}],
        }
        return [_json({"fullUrl": f"urn:uuid:{resource['id']}", "resource": resource})]

    def finish(self) -> None:
        self._write_parts(self._fluid_total() if self.drinks else [])
        self.out.write("\n  ]\n}\n")


def observations(entry: Entry, subject: dict[str, str], local: datetime) -> Iterator[dict[str, Any]]:
    """The Observation resources of one entry (one, or two for a bp with a pulse)."""
    uid = entry_key(entry.uid, entry.id)
    base: dict[str, Any] = {"resourceType": "Observation", "id": resource_id(uid)}
    if entry.kind in VITAL_PROFILES:
        base["meta"] = {"profile": [PROFILE + VITAL_PROFILES[entry.kind]]}
    base["status"] = "final"
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
    order = ("resourceType", "id", "meta", "status", "category", "code", "subject", "effectiveDateTime")
    yield {key: resource[key] for key in order if key in resource} | resource
    if entry.kind == "bp" and entry.pulse is not None:
        yield {
            "resourceType": "Observation",
            "id": resource_id(uid, "#pulse"),
            "meta": {"profile": [PROFILE + VITAL_PROFILES["pulse"]]},
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
