"""Plain data the rest of the package passes around: entries and the plan.

These are frozen dataclasses with no behaviour beyond simple derived values, so the rules,
the timeline and the renderers can be tested without a database.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import FrozenInstanceError, dataclass, field, fields, replace
from datetime import date, datetime
from typing import Generic, NamedTuple, TypeVar

from cart_cli.timefmt import iso_time

DIAGNOSES = ("lymphoma", "all", "myeloma", "other")

DEFAULT_FEVER_THRESHOLD_C = 38.0  # seed: "a high temperature (38°C or above)"
MIN_FEVER_THRESHOLD_C = 37.0
MAX_FEVER_THRESHOLD_C = 38.0  # a higher threshold would hide what the seed calls a fever
DEFAULT_NO_DRIVING_WEEKS = 8  # seed: no driving for eight weeks (UK)
US_NO_DRIVING_WEEKS = 2  # the 2025 US label
DEFAULT_EMERGENCY_NUMBER = "999"  # the seed is a UK page
DEFAULT_READING_GAP_HOURS = 12.0  # docs/clinical-basis.md section 3: an older temperature is UNKNOWN
DEFAULT_NEURO_DAYS = 28  # seed: nervous-system problems usually start within 28 days
DEFAULT_TEMP_TIMES = "08:00,14:00,20:00"  # issue 13: three temperatures a day by default
DEFAULT_VOLUME_UNITS = "uk"  # the seed is a UK page: a pint is 568 ml
VOLUME_UNITS = ("uk", "us")
TEMPERATURE_SITES = ("mouth", "ear", "armpit", "forehead")  # also the schema's CHECK constraint
DEFAULT_PARACETAMOL_MAX_MG = 4000  # T23: at most 4 g in 24 hours for an adult
MIN_PARACETAMOL_MAX_MG = 1000  # a lower setting than this is not a daily maximum

# What a person may type as free text, and the severities a symptom can have.
SEVERITIES = ("mild", "moderate", "severe")  # also the schema's CHECK constraint
MAX_NOTE_CHARS = 1000
MAX_OTHER_CHARS = 200  # a symptom in the person's own words
MAX_HOSPITAL_CHARS = 120
MAX_MEDICINE_CHARS = 120  # a medicine's name, as typed (with its dose if the person adds it)
MAX_OUTCOME_CHARS = 500  # what the team (or 999 / 111 / A&E) said on a call
MAX_RECHECK_MINUTES = 24 * 60  # a re-check the team asks for on a call: within a day (schema CHECK)


def format_celsius(celsius: float) -> str:
    """``38.0 °C``; a value with a second decimal keeps it (37.46 °C, not 37.5 °C), so the
    screen never shows a reading rounded up onto a threshold it did not reach."""
    return f"{celsius:.1f} °C" if round(celsius, 1) == celsius else f"{celsius:.2f} °C"


class _FrozenRecord:
    """What ``@dataclass(frozen=True)`` would generate for Entry, Plan and Appointment, written
    once here instead of compiled for each class at every start (about a millisecond a class
    on Python 3.11). Each class writes out its ``__init__`` and ``_compared`` (its fields that
    take part in equality, in order); tests/test_model_classes.py checks every method against
    the dataclass made from the same fields."""

    __slots__ = ()

    def _compared(self) -> tuple[object, ...]:
        raise NotImplementedError

    def __eq__(self, other: object) -> bool:
        if other.__class__ is self.__class__:
            return self._compared() == other._compared()
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._compared())

    def __repr__(self) -> str:
        shown = ", ".join(
            f"{name}={getattr(self, name)!r}"
            for name, made in self.__dataclass_fields__.items()  # type: ignore[attr-defined]
            if made.repr
        )
        return f"{self.__class__.__qualname__}({shown})"

    def __setattr__(self, name: str, value: object) -> None:
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise FrozenInstanceError(f"cannot delete field {name!r}")


@dataclass(init=False, repr=False, eq=False)  # frozen: see _FrozenRecord
class Entry(_FrozenRecord):
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
    - breaths: ``breaths`` (breathing rate, breaths a minute)
    - call: ``outcome`` (what the team, 999, 111 or A&E said; may be empty) and optionally
      ``recheck_minutes`` (the re-check the team asked for, that long after the call)
    - med: ``medicine`` (the name of a medicine taken) and optionally ``answers``
      (``fever_hiding=yes``: the person said it contains a medicine that can hide a fever)
    - ice: ``score`` (ICE score 0-10) and optionally ``items`` (the points per part)
    - handwriting: ``handwriting`` ("same", "changed" or "first")
    - bloods: any of ``neutrophils`` and ``platelets`` (x10^9/L), ``crp`` (mg/L), ``hb`` (g/L)

    ``corrected_at`` and ``was`` are set on an entry changed by `cart edit`: when, and the
    entry as it was before (JSON), so the correction can be shown and undone.
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
    breaths: int | None = None
    outcome: str | None = None
    medicine: str | None = None
    handwriting: str | None = None
    items: str | None = None
    recheck_minutes: int | None = None
    answers: str | None = None
    note: str | None = None
    uid: str | None = None
    site: str | None = None  # temp: where it was taken (mouth, ear, armpit, forehead)
    neutrophils: float | None = None  # bloods: x10^9/L
    crp: float | None = None  # bloods: mg/L
    platelets: float | None = None  # bloods: x10^9/L
    hb: float | None = None  # bloods: haemoglobin, g/L
    corrected_at: str | None = None  # `cart edit`: when (UTC ISO) the entry was last corrected
    was: str | None = None  # `cart edit`: the entry before that correction, as JSON

    # Written out, not generated by @dataclass at import (on Python 3.11 that costs about a
    # millisecond a class on every start): see _FrozenRecord.
    def __init__(
        self,
        kind: str,
        recorded_at: datetime,
        id: int | None = None,
        celsius: float | None = None,
        symptom: str | None = None,
        severity: str | None = None,
        other: str | None = None,
        score: int | None = None,
        systolic: int | None = None,
        diastolic: int | None = None,
        pulse: int | None = None,
        litres: float | None = None,
        spo2: int | None = None,
        breaths: int | None = None,
        outcome: str | None = None,
        medicine: str | None = None,
        handwriting: str | None = None,
        items: str | None = None,
        recheck_minutes: int | None = None,
        answers: str | None = None,
        note: str | None = None,
        uid: str | None = None,
        site: str | None = None,
        neutrophils: float | None = None,
        crp: float | None = None,
        platelets: float | None = None,
        hb: float | None = None,
        corrected_at: str | None = None,
        was: str | None = None,
    ) -> None:
        self.__dict__.update(
            kind=kind,
            recorded_at=recorded_at,
            id=id,
            celsius=celsius,
            symptom=symptom,
            severity=severity,
            other=other,
            score=score,
            systolic=systolic,
            diastolic=diastolic,
            pulse=pulse,
            litres=litres,
            spo2=spo2,
            breaths=breaths,
            outcome=outcome,
            medicine=medicine,
            handwriting=handwriting,
            items=items,
            recheck_minutes=recheck_minutes,
            answers=answers,
            note=note,
            uid=uid,
            site=site,
            neutrophils=neutrophils,
            crp=crp,
            platelets=platelets,
            hb=hb,
            corrected_at=corrected_at,
            was=was,
        )

    def _compared(self) -> tuple[object, ...]:
        return (
            self.kind,
            self.recorded_at,
            self.id,
            self.celsius,
            self.symptom,
            self.severity,
            self.other,
            self.score,
            self.systolic,
            self.diastolic,
            self.pulse,
            self.litres,
            self.spo2,
            self.breaths,
            self.outcome,
            self.medicine,
            self.handwriting,
            self.items,
            self.recheck_minutes,
            self.answers,
            self.note,
            self.uid,
            self.site,
            self.neutrophils,
            self.crp,
            self.platelets,
            self.hb,
            self.corrected_at,
            self.was,
        )

    def describe(self) -> str:
        """A short plain-words value, e.g. ``38.2 °C`` or ``cough (severe)``, safe to print
        (any control character in stored free text is shown as an escape, never sent raw)."""
        from cart_cli.safe_text import printable

        return printable(self._describe_raw())

    def _describe_raw(self) -> str:
        kind = KIND_TABLE.get(self.kind)
        return kind.describe(self) if kind else self.kind


@dataclass(init=False, repr=False, eq=False)  # frozen: see _FrozenRecord
class Plan(_FrozenRecord):
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
    product: str | None = None  # the CAR-T product given, by its generic name (products.py)
    home_since: date | None = None  # the day the person came home from the hospital stay
    volume_units: str = DEFAULT_VOLUME_UNITS  # "uk" or "us": what a pint and a cup hold
    # T23: the day's paracetamol maximum; lower (e.g. 3000) for a low body weight or liver risk
    paracetamol_max_mg: int = DEFAULT_PARACETAMOL_MAX_MG
    # Random, made at setup: the calendar's UIDs are unique to the person. Not a setting, so
    # two plans with the same settings are equal whatever their ids.
    person_id: str = field(default="", compare=False)

    # Written out, not generated by @dataclass at import (on Python 3.11 that costs about a
    # millisecond a class on every start): see _FrozenRecord.
    def __init__(
        self,
        infusion_date: date,
        hospital: str | None = None,
        phone: str | None = None,
        diagnosis: str | None = None,
        fever_threshold_c: float = DEFAULT_FEVER_THRESHOLD_C,
        no_driving_weeks: int = DEFAULT_NO_DRIVING_WEEKS,
        emergency_number: str = DEFAULT_EMERGENCY_NUMBER,
        reading_gap_hours: float = DEFAULT_READING_GAP_HOURS,
        sentence: str | None = None,
        neuro_days: int = DEFAULT_NEURO_DAYS,
        temp_times: str = DEFAULT_TEMP_TIMES,
        product: str | None = None,
        home_since: date | None = None,
        volume_units: str = DEFAULT_VOLUME_UNITS,
        paracetamol_max_mg: int = DEFAULT_PARACETAMOL_MAX_MG,
        person_id: str = "",
    ) -> None:
        self.__dict__.update(
            infusion_date=infusion_date,
            hospital=hospital,
            phone=phone,
            diagnosis=diagnosis,
            fever_threshold_c=fever_threshold_c,
            no_driving_weeks=no_driving_weeks,
            emergency_number=emergency_number,
            reading_gap_hours=reading_gap_hours,
            sentence=sentence,
            neuro_days=neuro_days,
            temp_times=temp_times,
            product=product,
            home_since=home_since,
            volume_units=volume_units,
            paracetamol_max_mg=paracetamol_max_mg,
            person_id=person_id,
        )

    def _compared(self) -> tuple[object, ...]:
        return (
            self.infusion_date,
            self.hospital,
            self.phone,
            self.diagnosis,
            self.fever_threshold_c,
            self.no_driving_weeks,
            self.emergency_number,
            self.reading_gap_hours,
            self.sentence,
            self.neuro_days,
            self.temp_times,
            self.product,
            self.home_since,
            self.volume_units,
            self.paracetamol_max_mg,
        )

    def day_of(self, moment: datetime | date) -> int:
        """Days since infusion (day 0 = the infusion date) of a moment, by its own calendar date.

        Negative before the infusion. Pass local times: the day turns at local midnight.
        """
        day = moment.date() if isinstance(moment, datetime) else moment
        return (day - self.infusion_date).days


@dataclass(init=False, repr=False, eq=False)  # frozen: see _FrozenRecord
class Appointment(_FrozenRecord):
    """One of the person's own appointments. ``starts_at`` is timezone-aware."""

    title: str
    starts_at: datetime
    uid: str = ""
    id: int | None = None
    where: str | None = None
    note: str | None = None
    replaces: str | None = None  # a milestone id from `cart timeline --json`

    # Written out, not generated by @dataclass at import (on Python 3.11 that costs about a
    # millisecond a class on every start): see _FrozenRecord.
    def __init__(
        self,
        title: str,
        starts_at: datetime,
        uid: str = "",
        id: int | None = None,
        where: str | None = None,
        note: str | None = None,
        replaces: str | None = None,
    ) -> None:
        self.__dict__.update(
            title=title,
            starts_at=starts_at,
            uid=uid,
            id=id,
            where=where,
            note=note,
            replaces=replaces,
        )

    def _compared(self) -> tuple[object, ...]:
        return (self.title, self.starts_at, self.uid, self.id, self.where, self.note, self.replaces)


# -- the kinds of entry: one table -----------------------------------------------------


class ValueField(NamedTuple):  # a NamedTuple (a row of a constant table): cheaper to define
    """One value an entry of a kind holds: its Entry attribute (and database column), its
    type, and whether every entry of the kind has it (``required``) or may leave it None."""

    name: str
    type: type[float] | type[int] | type[str]
    required: bool = True


class Kind(NamedTuple):  # a NamedTuple (a row of a constant table): cheaper to define
    """One kind of entry: its name (stored), its value fields in the order they are shown and
    exported, the label `cart history` shows, and how an entry of it is described."""

    name: str
    fields: tuple[ValueField, ...]
    label: str
    describe: Callable[[Entry], str]


def _describe_temp(entry: Entry) -> str:
    return format_celsius(entry.celsius) if entry.celsius is not None else "temperature (no value)"


def _describe_symptom(entry: Entry) -> str:
    text = f"{entry.symptom}"
    if entry.symptom == "other":
        from cart_cli.signs import recognised_words

        text = f'"{entry.other}" ({recognised_words(entry)})'
    return f"{text} ({entry.severity})" if entry.severity else text


def _describe_temp_with_site(entry: Entry) -> str:
    text = _describe_temp(entry)
    return f"{text} ({entry.site})" if entry.site else text


def format_bloods(entry: Entry) -> str:
    """``bloods: neutrophils 0.4 x10^9/L, CRP 85 mg/L, ...`` with the unit of each result."""
    results = blood_results(entry)
    return "bloods: " + results if results else "bloods (no value)"


BLOOD_UNITS = (("neutrophils", "neutrophils", "x10^9/L"), ("crp", "CRP", "mg/L"),
               ("platelets", "platelets", "x10^9/L"), ("hb", "Hb", "g/L"))  # fmt: skip


def blood_results(entry: Entry) -> str:
    """``neutrophils 0.4 x10^9/L, CRP 85 mg/L`` (the results an entry holds, with units)."""
    parts = []
    for name, label, unit in BLOOD_UNITS:
        value = getattr(entry, name)
        if value is not None:
            parts.append(f"{label} {value:g} {unit}")
    return ", ".join(parts)


def _describe_bp(entry: Entry) -> str:
    text = f"BP {entry.systolic}/{entry.diastolic}"
    return f"{text}, pulse {entry.pulse}" if entry.pulse is not None else text


def _describe_call(entry: Entry) -> str:
    text = f"call to the team: {entry.outcome}" if entry.outcome else "call to the team"
    if entry.recheck_minutes:
        text += f" (re-check after {duration_words(entry.recheck_minutes)})"
    return text


def duration_words(minutes: int) -> str:
    """``1 hour``, ``90 minutes``, ``2 hours``: a re-check interval as people say it."""
    hours, rest = divmod(minutes, 60)
    if rest or not hours:
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    return f"{hours} hour{'s' if hours != 1 else ''}"


def _optional(name: str, kind: type[float] | type[int] | type[str]) -> ValueField:
    return ValueField(name, kind, required=False)


KIND_TABLE: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        Kind(
            "temp",
            (ValueField("celsius", float), _optional("site", str)),
            "temperature",
            _describe_temp_with_site,
        ),
        Kind(
            "symptom",
            (
                ValueField("symptom", str),
                _optional("severity", str),
                _optional("other", str),
                _optional("answers", str),  # cart's questions about the words, answered
            ),
            "symptom",
            _describe_symptom,
        ),
        Kind("fatigue", (ValueField("score", int),), "fatigue", lambda e: f"fatigue {e.score}/10"),
        Kind(
            "bp",
            (ValueField("systolic", int), ValueField("diastolic", int), _optional("pulse", int)),
            "blood pressure",
            _describe_bp,
        ),
        Kind("fluids", (ValueField("litres", float),), "fluids", lambda e: f"{e.litres:g} L fluids"),
        Kind("spo2", (ValueField("spo2", int),), "oxygen (SpO2)", lambda e: f"SpO2 {e.spo2}%"),
        Kind("pulse", (ValueField("pulse", int),), "pulse", lambda e: f"pulse {e.pulse}"),
        Kind(
            "call",
            (_optional("outcome", str), _optional("recheck_minutes", int)),  # both may be empty
            "call to team",
            _describe_call,
        ),
        Kind(
            "med",
            (ValueField("medicine", str), _optional("answers", str)),  # answers: fever_hiding=yes
            "medicine",
            lambda e: f"medicine: {e.medicine}",
        ),
        Kind(
            "ice",
            (ValueField("score", int), _optional("items", str)),  # items: the points per part
            "ICE score",
            lambda e: f"ICE score {e.score}/10",
        ),
        Kind(
            "handwriting",
            (ValueField("handwriting", str),),  # "same", "changed" or "first"
            "handwriting",
            lambda e: f"handwriting {e.handwriting}",
        ),
        # added last, so the columns of older exports keep their order
        Kind(
            "breaths",
            (ValueField("breaths", int),),
            "breathing rate",
            lambda e: f"breathing {e.breaths} a minute",
        ),
        Kind(
            "bloods",
            (
                _optional("neutrophils", float),
                _optional("crp", float),
                _optional("platelets", float),
                _optional("hb", float),
            ),
            "blood results",
            format_bloods,
        ),
    )
}

# Derived from the table: every kind, each kind's value fields, each kind's history label,
# and every value column once (in the table's order).
KINDS = tuple(KIND_TABLE)
KIND_FIELDS: dict[str, tuple[str, ...]] = {
    kind.name: tuple(field.name for field in kind.fields) for kind in KIND_TABLE.values()
}
KIND_LABELS: dict[str, str] = {kind.name: kind.label for kind in KIND_TABLE.values()}
# Columns added in m005 (issue 22) come after the older ones, so a CSV export keeps every
# older column where a spreadsheet made from an earlier export expects it.
LATER_COLUMNS = ("site", "neutrophils", "crp", "platelets", "hb")
VALUE_COLUMNS: tuple[str, ...] = (
    tuple(
        name
        for name in dict.fromkeys(name for names in KIND_FIELDS.values() for name in names)
        if name not in LATER_COLUMNS
    )
    + LATER_COLUMNS
)


# -- readings: an entry's number, known to be there ---------------------------------------

N = TypeVar("N", int, float)


@dataclass(frozen=True)
class Reading(Generic[N]):
    """An entry with the number the rules compare, typed and never None (``Entry`` keeps
    every value field optional because one dataclass holds every kind)."""

    entry: Entry
    value: N


def temperatures(entries: Iterable[Entry]) -> list[Reading[float]]:
    return [Reading(e, e.celsius) for e in entries if e.kind == "temp" and e.celsius is not None]


def systolic_readings(entries: Iterable[Entry]) -> list[Reading[int]]:
    """Systolic blood pressures (only a bp entry has one)."""
    return [Reading(e, e.systolic) for e in entries if e.systolic is not None]


def pulse_readings(entries: Iterable[Entry]) -> list[Reading[int]]:
    """Pulses: measured on their own, or with a blood pressure (any entry that has one)."""
    return [Reading(e, e.pulse) for e in entries if e.pulse is not None]


def spo2_readings(entries: Iterable[Entry]) -> list[Reading[int]]:
    return [Reading(e, e.spo2) for e in entries if e.kind == "spo2" and e.spo2 is not None]


def breathing_rates(entries: Iterable[Entry]) -> list[Reading[int]]:
    """Breathing rates (breaths a minute)."""
    return [Reading(e, e.breaths) for e in entries if e.kind == "breaths" and e.breaths is not None]


def scores(entries: Iterable[Entry], kind: str) -> list[Reading[int]]:
    """Fatigue scores (``kind="fatigue"``) or ICE scores (``kind="ice"``)."""
    return [Reading(e, e.score) for e in entries if e.kind == kind and e.score is not None]


# -- entries dated after now ---------------------------------------------------------------

FUTURE_MARK = "dated later than now, so counted as now"


def counted_as_now(entries: Iterable[Entry], now: datetime) -> list[Entry]:
    """The entries with any dated after ``now`` (a fast clock, an import from another device)
    moved to ``now``: every count (check, report, chart) includes them, none skips them."""
    return [replace(e, recorded_at=now) if e.recorded_at > now else e for e in entries]


def entry_to_dict(entry: Entry) -> dict[str, object]:
    """The JSON shape of an entry: id, uid, kind, recorded_at (ISO 8601 with offset), the
    kind's own value fields (``None`` kept, zero kept as zero), and note."""
    data: dict[str, object] = {"id": entry.id, "uid": entry.uid, "kind": entry.kind,
                  "recorded_at": iso_time(entry.recorded_at)}  # fmt: skip
    for name in KIND_FIELDS[entry.kind]:
        data[name] = getattr(entry, name)
    data["note"] = entry.note
    if entry.corrected_at is not None:  # only a corrected entry carries what it was
        data["corrected_at"] = entry.corrected_at
        data["was"] = entry.was
    return data


def plan_to_dict(plan: Plan) -> dict[str, object]:
    """Every field of the plan, in the dataclass's order (a field added later is included
    without more code); dates as ISO text."""
    values: dict[str, object] = {}
    for plan_field in fields(Plan):
        value = getattr(plan, plan_field.name)
        values[plan_field.name] = value.isoformat() if isinstance(value, date) else value
    return values
