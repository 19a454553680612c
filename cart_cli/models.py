"""Plain data the rest of the package passes around: entries and the plan.

These are frozen dataclasses with no behaviour beyond simple derived values, so the rules,
the timeline and the renderers can be tested without a database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

# Every kind of entry. Each kind's value fields are in KIND_FIELDS below.
KINDS = ("temp", "symptom", "fatigue", "bp", "fluids", "spo2", "pulse", "call", "med", "ice", "handwriting")
DIAGNOSES = ("lymphoma", "all", "myeloma", "other")

DEFAULT_FEVER_THRESHOLD_C = 38.0  # seed: "a high temperature (38°C or above)"
MIN_FEVER_THRESHOLD_C = 37.0
MAX_FEVER_THRESHOLD_C = 38.0  # a higher threshold would hide what the seed calls a fever
DEFAULT_NO_DRIVING_WEEKS = 8  # seed: no driving for eight weeks (UK); 2 on the 2025 US label
DEFAULT_EMERGENCY_NUMBER = "999"  # the seed is a UK page
DEFAULT_READING_GAP_HOURS = 12.0  # docs/clinical-basis.md section 3: an older temperature is UNKNOWN
DEFAULT_NEURO_DAYS = 28  # seed: nervous-system problems usually start within 28 days
DEFAULT_TEMP_TIMES = "08:00,14:00,20:00"  # issue 13: three temperatures a day by default

# What a person may type as free text, and the severities a symptom can have.
SEVERITIES = ("mild", "moderate", "severe")  # also the schema's CHECK constraint
MAX_NOTE_CHARS = 1000
MAX_OTHER_CHARS = 200  # a symptom in the person's own words
MAX_HOSPITAL_CHARS = 120
MAX_MEDICINE_CHARS = 120  # a medicine's name, as typed (with its dose if the person adds it)
MAX_OUTCOME_CHARS = 500  # what the team (or 999 / 111 / A&E) said on a call


def format_celsius(celsius: float) -> str:
    """``38.0 °C``; a value with a second decimal keeps it (37.46 °C, not 37.5 °C), so the
    screen never shows a reading rounded up onto a threshold it did not reach."""
    return f"{celsius:.1f} °C" if round(celsius, 1) == celsius else f"{celsius:.2f} °C"


@dataclass(frozen=True)
class Entry:
    """One thing the person recorded: a reading or a symptom.

    ``recorded_at`` is timezone-aware: when the reading was taken (not when it was typed).
    Only the fields for the entry's ``kind`` are set:

    - temp: ``celsius``
    - symptom: ``symptom`` (a canonical name from ``symptoms``, or ``"other"`` with ``other``
      holding the person's own words) and optionally ``severity``
    - fatigue: ``score`` (0-10)
    - bp: ``systolic``, ``diastolic`` and optionally ``pulse``
    - fluids: ``litres``
    - spo2: ``spo2`` (oxygen saturation, %)
    - pulse: ``pulse`` (beats a minute, measured on its own)
    - call: ``outcome`` (what the team, 999, 111 or A&E said; may be empty)
    - med: ``medicine`` (the name of a medicine taken)
    - ice: ``score`` (ICE score 0-10) and optionally ``items`` (the points per part)
    - handwriting: ``handwriting`` ("same", "changed" or "first")
    """

    kind: str
    recorded_at: datetime
    id: int | None = None
    celsius: float | None = None
    symptom: str | None = None
    severity: str | None = None
    other: str | None = None
    score: int | None = None
    systolic: int | None = None
    diastolic: int | None = None
    pulse: int | None = None
    litres: float | None = None
    spo2: int | None = None
    outcome: str | None = None
    medicine: str | None = None
    handwriting: str | None = None
    items: str | None = None
    note: str | None = None
    uid: str | None = None

    def describe(self) -> str:
        """A short plain-words value, e.g. ``38.2 °C`` or ``cough (severe)``, safe to print
        (any control character in stored free text is shown as an escape, never sent raw)."""
        from cart_cli.safe_text import printable

        return printable(self._describe_raw())

    def _describe_raw(self) -> str:
        if self.kind == "temp":
            return format_celsius(self.celsius)
        if self.kind == "symptom":
            name = self.other if self.symptom == "other" else self.symptom
            text = f"{name}" if self.symptom != "other" else f'"{name}" (not in the list)'
            return f"{text} ({self.severity})" if self.severity else text
        if self.kind == "fatigue":
            return f"fatigue {self.score}/10"
        if self.kind == "bp":
            text = f"BP {self.systolic}/{self.diastolic}"
            return f"{text}, pulse {self.pulse}" if self.pulse is not None else text
        if self.kind == "fluids":
            return f"{self.litres:g} L fluids"
        if self.kind == "spo2":
            return f"SpO2 {self.spo2}%"
        if self.kind == "pulse":
            return f"pulse {self.pulse}"
        if self.kind == "call":
            return f"call to the team: {self.outcome}" if self.outcome else "call to the team"
        if self.kind == "med":
            return f"medicine: {self.medicine}"
        if self.kind == "ice":
            return f"ICE score {self.score}/10"
        if self.kind == "handwriting":
            return f"handwriting {self.handwriting}"
        return self.kind


@dataclass(frozen=True)
class Plan:
    """What `cart setup` records: the infusion date and how to reach the hospital team."""

    infusion_date: date
    hospital: str | None = None
    phone: str | None = None
    diagnosis: str | None = None
    fever_threshold_c: float = DEFAULT_FEVER_THRESHOLD_C
    no_driving_weeks: int = DEFAULT_NO_DRIVING_WEEKS
    emergency_number: str = DEFAULT_EMERGENCY_NUMBER
    reading_gap_hours: float = DEFAULT_READING_GAP_HOURS
    sentence: str | None = None  # the handwriting sentence for the nervous-system check
    neuro_days: int = DEFAULT_NEURO_DAYS
    temp_times: str = DEFAULT_TEMP_TIMES  # when the calendar reminds to take a temperature

    def day_of(self, moment: datetime | date) -> int:
        """Days since infusion (day 0 = the infusion date) of a moment, by its own calendar date.

        Negative before the infusion. Pass local times: the day turns at local midnight.
        """
        day = moment.date() if isinstance(moment, datetime) else moment
        return (day - self.infusion_date).days


# The value fields each kind uses, in the order they are shown and exported.
KIND_FIELDS: dict[str, tuple[str, ...]] = {
    "temp": ("celsius",),
    "symptom": ("symptom", "severity", "other"),
    "fatigue": ("score",),
    "bp": ("systolic", "diastolic", "pulse"),
    "fluids": ("litres",),
    "spo2": ("spo2",),
    "pulse": ("pulse",),
    "call": ("outcome",),
    "med": ("medicine",),
    "ice": ("score", "items"),
    "handwriting": ("handwriting",),
}


def entry_to_dict(entry: Entry) -> dict:
    """The JSON shape of an entry: id, uid, kind, recorded_at (ISO 8601 with offset), the
    kind's own value fields (``None`` kept, zero kept as zero), and note."""
    data: dict = {"id": entry.id, "uid": entry.uid, "kind": entry.kind,
                  "recorded_at": entry.recorded_at.isoformat(timespec="seconds")}  # fmt: skip
    for name in KIND_FIELDS[entry.kind]:
        data[name] = getattr(entry, name)
    data["note"] = entry.note
    return data


def plan_to_dict(plan: Plan) -> dict:
    return {
        "infusion_date": plan.infusion_date.isoformat(),
        "hospital": plan.hospital,
        "phone": plan.phone,
        "diagnosis": plan.diagnosis,
        "fever_threshold_c": plan.fever_threshold_c,
        "no_driving_weeks": plan.no_driving_weeks,
        "emergency_number": plan.emergency_number,
        "reading_gap_hours": plan.reading_gap_hours,
        "sentence": plan.sentence,
        "neuro_days": plan.neuro_days,
        "temp_times": plan.temp_times,
    }
