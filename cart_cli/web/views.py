"""Plain data for the pages, read from the core: the verdict as `cart check` gives it, today's
doses and the next milestone or appointment. Nothing here grades anything: the levels, the
headline, the findings and the reminders all come from the rules as they are."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from cart_cli.levels import Level
from cart_cli.models import Entry, Plan
from cart_cli.rules import Finding, emergency_number, fallback_line, rule_named
from cart_cli.store import Store
from cart_cli.timefmt import local_time
from cart_cli.verdict import Verdict, verdict_for


@dataclass(frozen=True)
class FindingView:
    level: str
    words: str
    summary: str
    message: str
    action: str


@dataclass(frozen=True)
class VerdictView:
    """What the home page and the page after logging show: the `cart check` screen's parts,
    each read from the one ``Verdict`` (nothing is graded here)."""

    level: str  # the verdict's level: emergency, red, amber, green or unknown
    words: str  # the level in words, e.g. "RED"
    headline: str
    emergency_now: bool  # an emergency not yet reported: the emergency number comes first
    call_now: bool  # a red not yet reported: the team's number is the big button
    team: str
    phone: str | None
    emergency: str
    findings: tuple[FindingView, ...]
    reported: tuple[FindingView, ...]
    reported_line: str | None
    missing: tuple[str, ...]
    reminders: tuple[str, ...]
    window: str
    fallback: str | None


def _finding(finding: Finding) -> FindingView:
    return FindingView(
        level=finding.level,
        words=finding.level.upper(),
        summary=rule_named(finding.rule).summary,
        message=finding.message,
        action=finding.action,
    )


def _reported_line(verdict: Verdict, now: datetime) -> str | None:
    if not verdict.reported_findings:
        return None
    calls = [f.covered_by for f in verdict.reported_findings if f.covered_by is not None]
    call = max(calls, key=lambda c: c.recorded_at) if calls else verdict.last_call
    when = local_time(call.recorded_at, now) if call else ""
    said = f' They said: "{call.outcome}".' if call and call.outcome else ""
    return (
        f"Reported to your team at {when}.{said} Follow what they said, and call again if anything "
        "changes or gets worse."
    )


def view_of(verdict: Verdict, plan: Plan | None, now: datetime) -> VerdictView:
    """The check screen's parts, in the order `cart check` prints them."""
    day = f"Day {verdict.day} since infusion. " if verdict.day is not None else ""
    window = (
        f"{day}Looked at entries from {local_time(verdict.since, now)} to {local_time(verdict.until, now)}; "
        f"fever threshold {verdict.fever_threshold_c:.1f} °C."
    )
    return VerdictView(
        level=verdict.level,
        words=verdict.level.upper(),
        headline=verdict.headline,
        emergency_now=verdict.emergency_now,
        call_now=verdict.call_now,
        team=plan.hospital if plan and plan.hospital else "your hospital team",
        phone=plan.phone if plan else None,
        emergency=emergency_number(plan),
        findings=tuple(_finding(f) for f in verdict.new_findings),
        reported=tuple(_finding(f) for f in verdict.reported_findings),
        reported_line=_reported_line(verdict, now),
        missing=verdict.missing,
        reminders=tuple(line.replace("`cart neuro`", "the guided check") for line in verdict.reminders),
        window=window,
        fallback=fallback_line(plan) if verdict.level in (Level.RED, Level.EMERGENCY) else None,
    )


def check_now(store: Store | None, plan: Plan | None, now: datetime) -> Verdict:
    """The verdict `cart check` gives now (its default window)."""
    return verdict_for(store, plan, now)


def tel(number: str) -> str:
    """A number for a ``tel:`` link: digits and a leading +, nothing else."""
    kept = "".join(char for char in number if char.isdigit() or char == "+")
    return kept[:1] + kept[1:].replace("+", "")


@dataclass(frozen=True)
class Today:
    doses: tuple[str, ...]
    missed: tuple[str, ...]
    next_item: str | None


def today(store: Store, plan: Plan, now: datetime) -> tuple[Verdict, Today]:
    """The dashboard's verdict and next milestone or appointment (``dashboard.dashboard_for``,
    as `cart` shows them), and today's doses in words."""
    from cart_cli import schedule
    from cart_cli.dashboard import dashboard_for

    board = dashboard_for(store, plan, now)
    entries = store.entries(since=schedule.earliest_window_start(now), until=now, kind="med")
    doses = schedule.todays_doses(store.medicines(), entries, now)
    next_item = None
    if board.next_line is not None:  # the terminal's pointer to `cart timeline` is the Plan page here
        next_item = board.next_line.removeprefix("Next: ").split(". Full schedule:")[0]
    missed = tuple(
        f"Missed? {d.medicine.name} was due at {schedule.format_times([d.due_at.timetz()])}. If you took "
        "it, log it under Medicine taken. If not, ask your team or pharmacist what to do; do not double "
        "the next dose unless they say so."
        for d in doses
        if d.state == "missed"
    )
    return board.verdict, Today(tuple(schedule.dose_lines(doses)), missed, next_item)


def described(entries: Sequence[Entry], now: datetime) -> list[str]:
    return [f"{entry.describe()} at {local_time(entry.recorded_at, now)}" for entry in entries]
