"""Medicines that bring a temperature down, and the temperatures they may hide.

People at risk of neutropenic sepsis are told not to take paracetamol or ibuprofen to bring
a temperature down before speaking to their team, because a reading taken soon after a dose
can look normal while a fever is there (docs/clinical-basis.md T16); steroids hide a fever
too (T24). Which names are such medicines (any brand or language, with typos) is known by
``cart_cli.language.medicines`` (``fever_hiding``, ``contains_paracetamol``). The rules grade
the dose; `cart history` marks the temperatures. Both ask this module, which stays small so that
`cart history` does not have to load the whole triage table.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from cart_cli.language.medicines import fever_hiding
from cart_cli.models import Entry, Plan, temperatures
from cart_cli.thresholds import MEDICINE_MASK_HOURS

if TYPE_CHECKING:
    from cart_cli.schedule import Medicine

MEDICINE_MASKS = timedelta(hours=MEDICINE_MASK_HOURS)  # T16 (thresholds.py)


def fever_medicine_doses(entries: Sequence[Entry]) -> list[Entry]:
    """The ``med`` entries of a medicine that brings a temperature down."""
    return [
        e for e in entries if e.kind == "med" and e.medicine and (fever_hiding(e.medicine) or _said_so(e))
    ]


def _said_so(entry: Entry) -> bool:
    """The person said (or was not sure) that a medicine cart does not know can hide a fever."""
    answers = entry.answers or ""
    return "fever_hiding=yes" in answers or "fever_hiding=unsure" in answers


def masked_temperatures(history: Sequence[Entry]) -> list[Entry]:
    """Temperatures taken in the 6 hours after a dose of a medicine that lowers temperature."""
    doses = [e.recorded_at for e in fever_medicine_doses(history)]
    return [
        r.entry
        for r in temperatures(history)
        if any(dose <= r.entry.recorded_at <= dose + MEDICINE_MASKS for dose in doses)
    ]


def masking(doses: Sequence[Entry]) -> Callable[[Entry], bool]:
    """Whether an entry is a temperature that may read low, by ``masked_temperatures``'s own
    test, asked only of the doses in the 6 hours before it (found by bisection: a history may
    be years long). `cart history` uses it for its table and for its streamed lines alike."""
    from bisect import bisect_left, bisect_right

    ordered = sorted(fever_medicine_doses(doses), key=lambda dose: dose.recorded_at)
    times = [dose.recorded_at for dose in ordered]

    def is_masked(entry: Entry) -> bool:
        if entry.kind != "temp" or not ordered:
            return False
        near = ordered[
            bisect_left(times, entry.recorded_at - MEDICINE_MASKS) : bisect_right(times, entry.recorded_at)
        ]
        return bool(near) and bool(masked_temperatures([*near, entry]))

    return is_masked


# -- what a logged dose says: the medicine and the amount ------------------------------------


def contains_paracetamol(name: str) -> bool:
    """Whether a medicine's name, as typed, is or contains paracetamol (acetaminophen): the
    generic name in any language, a brand, a combination or cold and flu remedy, or a near
    spelling ("paracetemol"). T23 says to count every product. The names are known by
    ``cart_cli.language.medicines`` (one list, read through the one normaliser)."""
    from cart_cli.language.medicines import contains_paracetamol as contains

    return contains(name)


@dataclass(frozen=True)
class DoseText:
    """A ``med`` entry's text read apart: the medicine's name, the amount of one unit in mg
    (None when none was typed or it is not in mg or g), and how many units (``x2``)."""

    name: str
    unit_mg: float | None
    count: int = 1

    @property
    def total_mg(self) -> float | None:
        return None if self.unit_mg is None else self.unit_mg * self.count


_AMOUNT = r"(?P<amount>\d+(?:[.,]\d+)?(?:/\d+(?:[.,]\d+)?)?)\s*(?P<unit>mg|g|milligrams?|grams?|grammes?)\b"
_TIMES = r"(?:x|\u00d7|\*)"  # x, the multiplication sign, or *
_UNITS = r"(?:tablets?|tabs?|caplets?|capsules?|sachets?)"
_COUNT_AFTER = rf"{_TIMES}\s*(?P<count>\d{{1,2}})\b|(?P<count2>\d{{1,2}})\s*{_UNITS}\b"
_COUNT_BEFORE = rf"^(?P<count3>\d{{1,2}})\s*{_TIMES}\s*"
# Each number is tried from its first digit only ((?<!\d)): the same matches, but a long run of
# digits is read once instead of once from every digit in it (5,000 digits took 2 s).
_STRENGTH = r"(?P<strength>\d+(?:[.,]\d+)?/\d+)\b"
_AMOUNT_RE = re.compile(rf"(?<!\d)(?:{_AMOUNT})|(?<!\d){_STRENGTH}", re.IGNORECASE)
_COUNT_RE = re.compile(_COUNT_AFTER, re.IGNORECASE)
_COUNT_BEFORE_RE = re.compile(_COUNT_BEFORE, re.IGNORECASE)


def _number(text: str, *, grouped: bool) -> float:
    """``1,000 mg`` and ``1.000 mg`` are a thousand (``grouped``: a mark before three digits
    groups them, as no tablet holds 1 mg of paracetamol); ``1,5 g`` is 1.5 g."""
    if grouped and re.fullmatch(r"\d{1,3}[.,]\d{3}", text):
        return float(re.sub("[.,]", "", text))
    return float(text.replace(",", "."))


def read_dose(text: str, dose: str | None = None) -> DoseText:
    """Read "paracetamol 500mg x2", "2 x 500 mg paracetamol", "co-codamol 30/500 2 tablets",
    "paracetamol 1g" or "paracetamol" (``dose``, e.g. from ``--dose 1g``, is read the same
    way and wins over an amount in the name). For an "A/B" strength (co-codamol 30/500) the
    larger number is the paracetamol in it."""
    name = " ".join(text.split())
    count = 1
    before = _COUNT_BEFORE_RE.search(name)
    if before:
        count = int(before["count3"])
        name = name[before.end() :]
    unit_mg: float | None = None
    for source in (name, dose or ""):
        match = _AMOUNT_RE.search(source)
        if match:
            grams = match["unit"] is not None and match["unit"].lower().startswith("g")
            parts = (match["amount"] or match["strength"]).split("/")
            numbers = [_number(n, grouped=not grams) for n in parts]
            unit_mg = max(numbers) * (1000 if grams else 1)
            if source is name:
                name = (name[: match.start()] + " " + name[match.end() :]).strip()
    counted = _COUNT_RE.search(name)
    if counted:
        count = int(counted["count"] or counted["count2"])
        name = (name[: counted.start()] + " " + name[counted.end() :]).strip()
    if dose:
        counted = _COUNT_RE.search(dose) or _COUNT_BEFORE_RE.search(dose.strip())
        if counted:
            count = int(counted.group(counted.lastgroup or 0))
    return DoseText(" ".join(name.split()) or text.strip(), unit_mg, max(count, 1))


def parse_paracetamol_max_mg(text: str) -> int:
    """``--paracetamol-max``: the day's paracetamol maximum, ``3g`` or ``3000mg`` (or a plain
    number of mg), from MIN_PARACETAMOL_MAX_MG up to T23's 4 g: a setting may lower the
    maximum (a low body weight, liver risk), never raise it."""
    from cart_cli.errors import InvalidInput
    from cart_cli.models import DEFAULT_PARACETAMOL_MAX_MG, MIN_PARACETAMOL_MAX_MG

    accepted = f"give e.g. 3g or 3000mg, from {MIN_PARACETAMOL_MAX_MG} to {DEFAULT_PARACETAMOL_MAX_MG} mg"
    cleaned = " ".join(str(text).casefold().split())
    read = read_dose(f"x {cleaned}")
    amount = read.unit_mg
    if amount is None and re.fullmatch(r"\d{1,5}", cleaned):
        amount = float(cleaned)
    if amount is None or read.count != 1 or amount != int(amount):
        raise InvalidInput(f"the paracetamol maximum {cleaned[:30]!r} is not an amount: {accepted}")
    if not MIN_PARACETAMOL_MAX_MG <= amount <= DEFAULT_PARACETAMOL_MAX_MG:
        raise InvalidInput(f"the paracetamol maximum {cleaned[:30]!r} is out of range: {accepted}")
    return int(amount)


# -- the paracetamol guard (T23) ------------------------------------------------------------

PARACETAMOL_MIN_GAP = timedelta(hours=4)  # T23: at least 4 hours between doses
PARACETAMOL_MAX_DOSES = 4  # T23: at most 4 doses in 24 hours
PARACETAMOL_WINDOW = timedelta(hours=24)
UNKNOWN_DOSE_MG = 1000  # a dose logged without an amount counts as the usual adult dose, 1 g
SMALLEST_DOSE_MG = 500  # one tablet: "next dose" waits until at least this much is left


@dataclass(frozen=True)
class ParacetamolDose:
    """A ``med`` entry of a product with paracetamol, and how much paracetamol it counts as
    (``known`` is False when no amount was typed and UNKNOWN_DOSE_MG is counted)."""

    entry: Entry
    mg: float
    known: bool


def paracetamol_doses(entries: Sequence[Entry]) -> list[ParacetamolDose]:
    """The doses of paracetamol among ``entries`` (any product that holds it), oldest first."""
    found = []
    for entry in entries:
        if entry.kind != "med" or not entry.medicine or not contains_paracetamol(entry.medicine):
            continue
        total = read_dose(entry.medicine).total_mg
        mg = total if total is not None else UNKNOWN_DOSE_MG
        found.append(ParacetamolDose(entry, mg, known=total is not None))
    return sorted(found, key=lambda d: d.entry.recorded_at)


@dataclass(frozen=True)
class ParacetamolLimits:
    """What the guard compares with: the day's maximum (T23's 4 g, or the plan's lower
    setting), the least gap between doses and the most doses in 24 hours."""

    max_mg: int
    min_gap: timedelta = PARACETAMOL_MIN_GAP
    max_doses: int = PARACETAMOL_MAX_DOSES


def paracetamol_limits(plan: Plan | None) -> ParacetamolLimits:
    """T23's limits, with the plan's lower daily maximum if it has one."""
    from cart_cli.models import DEFAULT_PARACETAMOL_MAX_MG

    return ParacetamolLimits(
        max_mg=plan.paracetamol_max_mg if plan is not None else DEFAULT_PARACETAMOL_MAX_MG
    )


@dataclass(frozen=True)
class ParacetamolBreach:
    """One dose that broke a limit: ``too_soon`` (less than the gap after the one before),
    ``too_much`` (the 24 hours up to it hold more than the maximum), ``too_many`` (more
    doses than allowed in those 24 hours). ``doses`` are the 24 hours' doses up to it."""

    dose: ParacetamolDose
    doses: tuple[ParacetamolDose, ...]
    total_mg: float
    gap: timedelta | None  # since the dose before, if there was one
    too_soon: bool
    too_much: bool
    too_many: bool


def paracetamol_breaches(
    history: Sequence[Entry], since: datetime, now: datetime, limits: ParacetamolLimits
) -> list[ParacetamolBreach]:
    """Each paracetamol dose from ``since`` to ``now`` that came too soon after the one
    before, or brought the 24 hours up to it above the maximum or past the most doses.
    ``history`` must reach 24 hours before ``since``. A dose dated after ``now`` counts as
    taken at ``now``."""
    doses = paracetamol_doses(history)
    breaches = []
    for i, dose in enumerate(doses):
        at = min(dose.entry.recorded_at, now)
        if at < since:
            continue
        recent = tuple(d for d in doses[: i + 1] if at - min(d.entry.recorded_at, now) < PARACETAMOL_WINDOW)
        total = sum(d.mg for d in recent)
        gap = at - min(doses[i - 1].entry.recorded_at, now) if i else None
        too_soon = gap is not None and gap < limits.min_gap
        too_much = total > limits.max_mg
        too_many = len(recent) > limits.max_doses
        if too_soon or too_much or too_many:
            breaches.append(ParacetamolBreach(dose, recent, total, gap, too_soon, too_much, too_many))
    return breaches


@dataclass(frozen=True)
class NextDose:
    """When another dose may be taken, and what is left: ``at`` (``now`` when it may be
    taken now), ``taken_mg`` and ``doses`` in the 24 hours to ``now``, ``left_mg`` and
    ``left_doses`` of the day's maximum now, and whether an amount was guessed."""

    at: datetime
    taken_mg: float
    doses: int
    left_mg: float
    left_doses: int
    last: ParacetamolDose | None
    guessed: bool


def next_dose(doses: Sequence[ParacetamolDose], now: datetime, limits: ParacetamolLimits) -> NextDose:
    """The earliest moment from ``now`` at which one more dose keeps every limit: at least
    the gap after the last dose, fewer than the most doses in the 24 hours before it, and
    at least SMALLEST_DOSE_MG left of the maximum in those 24 hours."""
    past = [d for d in doses if d.entry.recorded_at <= now]
    recent = [d for d in past if now - d.entry.recorded_at < PARACETAMOL_WINDOW]

    def allowed(moment: datetime) -> bool:
        inside = [d for d in past if moment - d.entry.recorded_at < PARACETAMOL_WINDOW]
        if past and moment - past[-1].entry.recorded_at < limits.min_gap:
            return False
        left = limits.max_mg - sum(d.mg for d in inside)
        return len(inside) < limits.max_doses and left >= SMALLEST_DOSE_MG

    candidates = sorted(
        {now}
        | ({past[-1].entry.recorded_at + limits.min_gap} if past else set())
        | {d.entry.recorded_at + PARACETAMOL_WINDOW for d in past}
    )
    at = next((m for m in candidates if m >= now and allowed(m)), candidates[-1])
    taken = sum(d.mg for d in recent)
    return NextDose(
        at=max(at, now),
        taken_mg=taken,
        doses=len(recent),
        left_mg=max(0.0, limits.max_mg - taken),
        left_doses=max(0, limits.max_doses - len(recent)),
        last=past[-1] if past else None,
        guessed=any(not d.known for d in recent),
    )


def format_mg(mg: float) -> str:
    """``4 g``, ``2.5 g``, ``500 mg``."""
    return f"{mg / 1000:g} g" if mg >= 1000 else f"{mg:g} mg"


def with_dose(name: str, dose: str, limit: int) -> str:
    """The medicine's text with ``--dose`` added (``paracetamol 1g``), as it is stored; the
    dose must be an amount in mg or g (a count, ``x2``, may follow)."""
    from cart_cli.errors import InvalidInput

    accepted = "give an amount in mg or g, e.g. --dose 1g, --dose 500mg or --dose '500mg x2'"
    if read_dose("x", dose).unit_mg is None:
        raise InvalidInput(f"--dose {dose[:30]!r} is not an amount: {accepted}")
    if read_dose(name).unit_mg is not None:
        raise InvalidInput(f"the name already holds an amount ({name[:40]!r}): leave out --dose")
    text = f"{name} {dose}"
    if len(text) > limit:
        raise InvalidInput(f"the medicine name and dose are too long (over {limit} characters)")
    return text


NEXT_LOOKBACK = PARACETAMOL_WINDOW * 2  # what `cart med next` reads: two days of doses


@dataclass(frozen=True)
class NextDoseAnswer:
    """What `cart med next NAME` says: the medicine, the limits it used and where they come
    from, and the next dose."""

    name: str
    paracetamol: bool
    limits: ParacetamolLimits
    source: str
    next: NextDose

    def lines(self, now: datetime) -> list[str]:
        from cart_cli.safe_text import printable
        from cart_cli.timefmt import local_time

        n, limits = self.next, self.limits
        what = "paracetamol (every product that holds it)" if self.paracetamol else self.name
        counts_mg = limits.max_mg < MAX_UNLIMITED_MG
        gap_hours = f"{limits.min_gap.total_seconds() / 3600:g}"
        doses = f"{n.doses} dose{'s' if n.doses != 1 else ''}"
        lines = [
            f"In the last 24 hours: {doses} of {what}"
            + (f", {format_mg(n.taken_mg)} in all." if counts_mg else ".")
        ]
        if n.last is not None:
            last = printable(n.last.entry.medicine or "")
            lines.append(f"Last dose: {last} at {local_time(n.last.entry.recorded_at, now)}.")
        more = f"{n.left_doses} more dose{'s' if n.left_doses != 1 else ''}"
        left = f"{format_mg(n.left_mg)} and {more}" if counts_mg else more
        if n.at <= now:
            lines.append(
                f"The next dose may be taken now if needed; still allowed in the 24 hours to now: {left}."
            )
        else:
            lines.append(
                f"Do not take another dose before {local_time(n.at, now)}. "
                f"Still allowed in the 24 hours to now: {left}."
            )
        most = (
            f"at most {format_mg(limits.max_mg)} and {limits.max_doses} doses"
            if counts_mg
            else (f"at most {limits.max_doses} doses")
        )
        lines.append(f"Limits: {most} in 24 hours, at least {gap_hours} hours apart ({self.source}).")
        if n.guessed:
            lines.append(f"A dose logged without an amount is counted as {format_mg(UNKNOWN_DOSE_MG)}.")
        if self.paracetamol:
            lines.append("Taken more than this? Call your team, or 111, now, even if you feel well.")
        else:
            lines.append("Unsure? Ask your team or pharmacist before the next dose.")
        return lines

    def to_json(self) -> dict[str, object]:
        n = self.next
        return {
            "medicine": self.name,
            "paracetamol": self.paracetamol,
            "next_at": n.at.isoformat(timespec="minutes"),
            "taken_mg_24h": n.taken_mg,
            "doses_24h": n.doses,
            "left_mg": n.left_mg,
            "left_doses": n.left_doses,
            "max_mg": self.limits.max_mg,
            "max_doses": self.limits.max_doses,
            "min_gap_minutes": int(self.limits.min_gap.total_seconds() // 60),
            "amount_guessed": n.guessed,
        }


def next_dose_for(
    name: str, medicines: Sequence[Medicine], entries: Sequence[Entry], plan: Plan | None, now: datetime
) -> NextDoseAnswer:
    """`cart med next NAME`: for paracetamol (any product holding it), T23's limits with the
    plan's daily maximum, made stricter by an as-needed paracetamol medicine's own limits;
    for another as-needed medicine on the schedule, its own limits."""
    from cart_cli.errors import InvalidInput
    from cart_cli.schedule import same_medicine

    key = " ".join(read_dose(name).name.casefold().split())
    own = next((m for m in medicines if " ".join(m.name.casefold().split()) == key), None)
    if contains_paracetamol(name):
        limits = paracetamol_limits(plan)
        source = "T23" if limits.max_mg == 4000 else "T23, with your plan's daily maximum"
        stricter = [m for m in medicines if m.as_needed and contains_paracetamol(m.name)]
        for medicine in stricter:
            limits = _tighter(limits, medicine)
            source = "T23 and your schedule's limits"
        return NextDoseAnswer(name, True, limits, source, next_dose(paracetamol_doses(entries), now, limits))
    if own is None or not own.as_needed:
        raise InvalidInput(
            f"cart knows no limits for {name[:40]!r}: `cart med next` works for paracetamol and for "
            "as-needed medicines on your schedule (cart med add NAME --as-needed --min-gap 4h ...)."
        )
    limits = ParacetamolLimits(
        max_mg=own.max_mg if own.max_mg is not None else MAX_UNLIMITED_MG,
        min_gap=own.min_gap if own.min_gap is not None else timedelta(0),
        max_doses=own.max_per_day if own.max_per_day is not None else MAX_UNLIMITED_DOSES,
    )
    doses = [
        ParacetamolDose(
            e, total if (total := read_dose(e.medicine or "").total_mg) is not None else 0.0, True
        )
        for e in sorted(entries, key=lambda e: e.recorded_at)
        if same_medicine(e, own)
    ]
    return NextDoseAnswer(own.name, False, limits, "your schedule", next_dose(doses, now, limits))


MAX_UNLIMITED_MG = 10**9  # an as-needed medicine with no mg limit
MAX_UNLIMITED_DOSES = 10**6


def _tighter(limits: ParacetamolLimits, medicine: Medicine) -> ParacetamolLimits:
    return ParacetamolLimits(
        max_mg=min(limits.max_mg, medicine.max_mg or limits.max_mg),
        min_gap=max(limits.min_gap, medicine.min_gap or limits.min_gap),
        max_doses=min(limits.max_doses, medicine.max_per_day or limits.max_doses),
    )
