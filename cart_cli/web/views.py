"""Plain data for the pages, read from the core: the verdict as `cart check` gives it, today's
doses and the next milestone or appointment. Nothing here grades anything: the levels, the
headline, the findings and the reminders all come from the rules as they are."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from cart_cli.levels import Level
from cart_cli.models import Entry, Plan
from cart_cli.rules import (
    CheckResult,
    Finding,
    emergency_number,
    fallback_line,
    headline,
    new_level,
    reported_headline,
    rule_named,
)
from cart_cli.store import Store
from cart_cli.timefmt import local_time

CHECK_HOURS = 24  # the window `cart check` looks at by default (and `cart log` after storing)


@dataclass(frozen=True)
class FindingView:
    level: str
    words: str
    summary: str
    message: str
    action: str


@dataclass(frozen=True)
class VerdictView:
    """What the home page and the page after logging show: the same as `cart check`."""

    level: str  # the check's level (green, amber, red, unknown)
    banner: str  # the banner's level: "emergency" for an emergency not yet reported
    words: str  # the banner's level in words, e.g. "CALL 999" or "RED"
    headline: str
    team: str
    phone: str | None
    emergency: str
    call_team_large: bool  # a new red: the team's number is the big button
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


def verdict(result: CheckResult, plan: Plan | None, now: datetime) -> VerdictView:
    """The check screen's parts, in the order `cart check` prints them."""
    unreported = [f for f in result.findings if not f.reported]
    reported = [f for f in result.findings if f.reported]
    emergency_now = any(f.level == Level.EMERGENCY for f in unreported)
    text = reported_headline(result, now) if result.all_reported else headline(result, plan)
    number = emergency_number(plan)
    banner = Level.EMERGENCY if emergency_now else result.level
    words = f"CALL {number}" if emergency_now else result.level.upper()
    reported_line = None
    if reported:
        call = result.last_call
        when = local_time(call.recorded_at, now) if call else ""
        said = f' They said: "{call.outcome}".' if call and call.outcome else ""
        reported_line = (
            f"Reported to your team at {when}.{said} Call again if anything changes or gets worse."
        )
    day = f"Day {result.day} since infusion. " if result.day is not None else ""
    window = (
        f"{day}Looked at entries from {local_time(result.since, now)} to {local_time(result.until, now)}; "
        f"fever threshold {result.fever_threshold_c:.1f} °C."
    )
    return VerdictView(
        level=result.level,
        banner=banner,
        words=words,
        headline=text,
        team=plan.hospital if plan and plan.hospital else "your hospital team",
        phone=plan.phone if plan else None,
        emergency=number,
        call_team_large=not result.all_reported and new_level(result) == Level.RED and not emergency_now,
        findings=tuple(_finding(f) for f in unreported),
        reported=tuple(_finding(f) for f in reported),
        reported_line=reported_line,
        missing=result.missing,
        reminders=tuple(line.replace("`cart neuro`", "the guided check") for line in result.reminders),
        window=window,
        fallback=fallback_line(plan) if result.level == Level.RED else None,
    )


def check_now(store: Store | None, plan: Plan | None, now: datetime) -> CheckResult:
    """The check `cart check` makes now: the last 24 hours."""
    from cart_cli.evaluation import evaluate_window

    since = now - timedelta(hours=CHECK_HOURS)
    return evaluate_window(store, plan, now, since)


def tel(number: str) -> str:
    """A number for a ``tel:`` link: digits and a leading +, nothing else."""
    kept = "".join(char for char in number if char.isdigit() or char == "+")
    return kept[:1] + kept[1:].replace("+", "")


@dataclass(frozen=True)
class Today:
    doses: tuple[str, ...]
    missed: tuple[str, ...]
    next_item: str | None


def today(store: Store, plan: Plan, now: datetime) -> Today:
    """Today's doses and the next milestone or appointment, as the dashboard words them."""
    from cart_cli import schedule
    from cart_cli.timeline import build_timeline

    entries = store.entries(since=schedule.earliest_window_start(now), until=now, kind="med")
    doses = schedule.todays_doses(store.medicines(), entries, now)
    appointments = store.appointments()
    timeline = build_timeline(plan, now.date(), appointments)
    next_item = None
    if timeline.next is not None:
        milestone = timeline.next.milestone
        days = timeline.days_to_next
        when = "today" if days == 0 else "tomorrow" if days == 1 else f"in {days} days"
        next_item = f"{milestone.title} ({when}, day {milestone.day})"
    missed = tuple(
        f"Missed? {d.medicine.name} was due at {schedule.format_times([d.due_at.timetz()])}. If you took "
        "it, log it under Medicine taken. If not, ask your team or pharmacist what to do; do not double "
        "the next dose unless they say so."
        for d in doses
        if d.state == "missed"
    )
    return Today(tuple(schedule.dose_lines(doses)), missed, next_item)


def described(entries: Sequence[Entry], now: datetime) -> list[str]:
    return [f"{entry.describe()} at {local_time(entry.recorded_at, now)}" for entry in entries]
