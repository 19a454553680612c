"""The dashboard `cart` shows with no command, as plain data: the verdict, the day, today's
readings in words, what comes next. ``render/dashboard.py`` only draws it; the web view can
read the same value.

``dashboard_for`` reads the store; ``today_rows`` is pure. An entry dated after now is counted
as now (``models.counted_as_now``), as the check counts it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, NamedTuple

from cart_cli.models import Entry, Plan, counted_as_now, format_celsius
from cart_cli.safe_text import printable
from cart_cli.thresholds import FLUIDS_TARGET_LITRES
from cart_cli.timefmt import local_time, plural
from cart_cli.timeline import Timeline, build_timeline, when_text
from cart_cli.verdict import Verdict, verdict_for

if TYPE_CHECKING:
    from cart_cli.store import Store


class Dashboard(NamedTuple):
    """What the dashboard shows. ``today`` is (label, words) per row of "Today so far";
    ``next_line`` the next milestone or appointment; ``schedule_lines`` today's doses and
    the next appointment (issue 13). Text is plain and printable, not yet escaped."""

    plan: Plan
    now: datetime
    verdict: Verdict
    timeline: Timeline
    title: str
    today: tuple[tuple[str, str], ...]
    next_line: str | None
    schedule_lines: tuple[str, ...]


def _latest(entries: Sequence[Entry], kind: str) -> Entry | None:
    matching = [e for e in entries if e.kind == kind]
    return matching[-1] if matching else None


def today_rows(today: Sequence[Entry], now: datetime) -> list[tuple[str, str]]:
    """The rows of "Today so far", in words (entries oldest first)."""
    rows: list[tuple[str, str]] = []
    temps = [(e, e.celsius) for e in today if e.kind == "temp" and e.celsius is not None]
    if temps:
        latest, latest_c = temps[-1]
        highest, highest_c = max(temps, key=lambda pair: pair[1])
        rows.append(
            (
                "Temperature",
                f"latest {format_celsius(latest_c)} at {local_time(latest.recorded_at, now)}; "
                f"highest {format_celsius(highest_c)} at {local_time(highest.recorded_at, now)} "
                f"({plural(len(temps), 'reading')})",
            )
        )
    else:
        rows.append(("Temperature", "none yet today: take one and log it (cart log temp 37.0)"))
    fatigue = _latest(today, "fatigue")
    rows.append(
        (
            "Fatigue",
            f"{fatigue.score}/10 at {local_time(fatigue.recorded_at, now)}" if fatigue else "not logged",
        )
    )
    bp = _latest(today, "bp")
    rows.append(
        ("Blood pressure", f"{bp.describe()} at {local_time(bp.recorded_at, now)}" if bp else "not logged")
    )
    doses = [e for e in today if e.kind == "med"]
    if doses:  # every dose of today, not just the latest: two doses of paracetamol both count
        rows.append(
            (
                "Medicines",
                "; ".join(
                    f"{printable(e.medicine or '')} at {local_time(e.recorded_at, now)}" for e in doses
                ),
            )
        )
    for kind, label in (("spo2", "Oxygen"), ("pulse", "Pulse"), ("call", "Call to team")):
        newest = _latest(today, kind)
        if newest is not None:
            rows.append((label, f"{newest.describe()} at {local_time(newest.recorded_at, now)}"))
    litres = sum(e.litres for e in today if e.kind == "fluids" and e.litres is not None)
    low, high = FLUIDS_TARGET_LITRES
    status = "on target" if litres >= low else f"{low - litres:.1f} L to go"
    rows.append(("Fluids", f"{litres:.1f} L of {low:g}-{high:g} L ({status})"))
    ice, handwriting = _latest(today, "ice"), _latest(today, "handwriting")
    if ice or handwriting:
        checks = [f"ICE {ice.score}/10 at {local_time(ice.recorded_at, now)}"] if ice else []
        checks += [f"handwriting {handwriting.handwriting}"] if handwriting else []
        rows.append(("Nervous system", "; ".join(checks)))
    symptoms = [e for e in today if e.kind == "symptom"]
    if symptoms:
        rows.append(("Symptoms", ", ".join(e.describe() for e in symptoms)))
    return rows


def _next_line(timeline: Timeline) -> str | None:
    if timeline.next is None or timeline.days_to_next is None:
        return None
    upcoming = timeline.next.milestone
    on = ", " if upcoming.approximate else " on "  # "Next: 3-month follow-up, around Mon 1 Mar 2027"
    return (
        f"Next: {upcoming.title}{on}{when_text(upcoming)} "
        f"(day {upcoming.day}, in {plural(timeline.days_to_next, 'day')}). Full schedule: cart timeline"
    )


def _schedule_lines(store: Store, plan: Plan, timeline: Timeline, now: datetime) -> list[str]:
    """The next appointment and today's doses (issue 13)."""
    appointments = store.appointments()
    if not appointments and not store.has_medicines():
        return []  # nothing on the schedule: no line to write, and no need to load the schedule
    from cart_cli import schedule

    entries = store.entries(since=schedule.earliest_window_start(now), until=now, kind="med")
    doses = schedule.todays_doses(store.medicines(), entries, now)
    shown = timeline.next.milestone.id if timeline.next else None
    return schedule.dashboard_lines(plan, appointments, doses, now, next_shown=shown)


def dashboard_for(store: Store, plan: Plan, now: datetime) -> Dashboard:
    """The dashboard at ``now``: the verdict on the check window, and today since midnight."""
    start_of_day = now.replace(hour=0, minute=0, second=0, microsecond=0)
    today = counted_as_now(store.entries(since=start_of_day, newest_first=False), now)
    timeline = build_timeline(plan, now.date(), store.appointments())
    day = timeline.day
    return Dashboard(
        plan=plan,
        now=now,
        verdict=verdict_for(store, plan, now),
        timeline=timeline,
        title=f"Day {day} since infusion" if day >= 0 else f"{-day} days until infusion",
        today=tuple(today_rows(sorted(today, key=lambda e: (e.recorded_at, e.id or 0)), now)),
        next_line=_next_line(timeline),
        schedule_lines=tuple(_schedule_lines(store, plan, timeline, now)),
    )
