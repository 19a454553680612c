"""The verdict: one value that says how things stand at a moment, for every screen to print.

``cart check`` (text and ``--json``), the advice ``cart log`` gives, the dashboard, the clinic
report and the demo all read a ``Verdict`` and only print it, so they can never disagree on
the level or the headline.

A verdict wraps what the rules found (``rules.evaluate``) with what the person has already
told their team: a logged call covers the findings present at it (see ``coverage``). The
level never drops because of a call: what was reported keeps its level in words and colour,
and the headline says when it was reported and that the team's advice comes first.

Pure apart from ``verdict_for``, which reads the entries the rules need from the store; the
clock is never read (``now`` is passed in).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, NamedTuple

from cart_cli import rules
from cart_cli.coverage import cover
from cart_cli.levels import Level
from cart_cli.models import Entry, Plan
from cart_cli.recheck import RECHECK_EARLY as RECHECK_EARLY
from cart_cli.recheck import team_recheck as team_recheck
from cart_cli.rules import Finding
from cart_cli.thresholds import CHECK_WINDOW_HOURS
from cart_cli.timefmt import local_time

if TYPE_CHECKING:
    from cart_cli.store import Store

CHECK_WINDOW = timedelta(hours=CHECK_WINDOW_HOURS)  # the one window every surface judges

HEADLINES = {
    Level.RED: "CALL YOUR HOSPITAL TEAM NOW",
    Level.AMBER: "CALL YOUR TEAM'S 24-HOUR LINE FOR ADVICE",
    Level.GREEN: "NOTHING NEEDS ACTION",
    Level.UNKNOWN: "NOT ENOUGH INFORMATION",
}
FOLLOW_THE_TEAM = "FOLLOW WHAT THEY SAID; CALL AGAIN IF IT GETS WORSE"


class Verdict(NamedTuple):  # never replaced or compared: a NamedTuple is cheaper to define
    """How things stand at ``until``, judged on the entries from ``since``.

    ``level`` is the most urgent level found (EMERGENCY is a level of its own), never lowered
    by a call. ``findings`` are most urgent first; each says whether it was ``reported`` and
    which call covers it (``covered_by``). ``news_level`` is the most urgent level *not*
    covered by a call (None when everything found was reported), which decides whether the
    screen shouts; ``headline`` is the one line every surface prints after the level.
    ``reminders`` are lines that are not a level (re-checks due or overdue, the nervous-system
    check, an entry dated in the future); ``missing`` is what cart would need to judge.
    """

    level: Level
    headline: str
    findings: tuple[Finding, ...]
    missing: tuple[str, ...]
    reminders: tuple[str, ...]
    calls: tuple[Entry, ...]  # the calls to the team in the window, oldest first
    last_call: Entry | None  # the latest call up to now (possibly before the window)
    since: datetime
    until: datetime
    day: int | None
    fever_threshold_c: float
    future: tuple[Entry, ...] = ()
    masked: tuple[Entry, ...] = ()
    news_level: Level | None = None

    @property
    def new_findings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if not f.reported)

    @property
    def reported_findings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.reported)

    @property
    def all_reported(self) -> bool:
        """True when there are findings and every one is covered by a call."""
        return bool(self.findings) and not self.new_findings

    @property
    def emergency_now(self) -> bool:
        """An emergency that has not been reported: call the emergency number first."""
        return self.news_level == Level.EMERGENCY

    @property
    def call_now(self) -> bool:
        """A red (or emergency) that has not been reported: the team's number in large type."""
        return self.news_level in (Level.RED, Level.EMERGENCY)

    @property
    def banner(self) -> str:
        """The level in words and the headline, as every surface prints them."""
        return f"{self.level.upper()}: {self.headline}"

    def status_line(self) -> str:
        """One line for `cart log` when the check is red or amber because of earlier entries."""
        news = self.new_findings
        if not news:
            return f"The check is still {self.banner}. Details: cart check"
        top = news[0]
        shown = ", ".join(
            f"{e.describe()} at {local_time(e.recorded_at, self.until)}" for e in top.entries[:3]
        )
        summary = rules.rule_named(top.rule).summary
        return f"The check is still {self.banner} ({summary}: {shown}). Details: cart check"


def window_start(now: datetime, hours: float | None = None) -> datetime:
    """``hours`` of real time before ``now`` (default: the check window); DST-correct."""
    span = CHECK_WINDOW if hours is None else timedelta(hours=hours)
    return (now.astimezone(UTC) - span).astimezone(now.tzinfo)


def emergency_headline(plan: Plan | None) -> str:
    """The headline for an emergency, e.g. ``CALL 999 NOW``, using the plan's number."""
    return f"CALL {rules.emergency_number(plan)} NOW"


def _reported_at(call: Entry | None, now: datetime) -> str:
    when = local_time(call.recorded_at, now).upper() if call is not None else ""
    return f"REPORTED TO YOUR TEAM AT {when}"


def _headline(
    level: Level, findings: Sequence[Finding], news_level: Level | None, plan: Plan | None, now: datetime
) -> str:
    """What was reported does not shout again; it stays visible in words with its time."""
    if not findings:
        return HEADLINES[level]
    reported = [f for f in findings if f.reported]
    top_reported = reported[0] if reported else None
    if news_level is None and top_reported is not None:  # the banner puts the level in front
        return f"{_reported_at(top_reported.covered_by, now)}: {FOLLOW_THE_TEAM}"
    if news_level == Level.EMERGENCY:
        return emergency_headline(plan)
    assert news_level is not None
    text = HEADLINES[news_level]
    if top_reported is not None and top_reported.level.rank > news_level.rank:
        text += f" ({top_reported.level.upper()} {_reported_at(top_reported.covered_by, now)})"
    return text


# The team's re-check lives in recheck.py (re-exported here), so that `cart calendar` can put
# it in the file without loading the rules.


def _team_recheck_line(entries: Sequence[Entry], now: datetime) -> list[str]:
    found = team_recheck(entries, now)
    if found is None:
        return []
    call, due, overdue = found
    asked = f"your team asked at {local_time(call.recorded_at, now)} for a re-check at {local_time(due, now)}"
    if overdue:
        return [f"Re-check overdue: {asked}. Take the reading now and log it; call them if it is worse."]
    return [f"Re-check due: {asked}. Take the reading then and log it."]


def judge(
    entries: Sequence[Entry],
    plan: Plan | None,
    now: datetime,
    since: datetime,
    *,
    nothing_logged: bool = False,
) -> Verdict:
    """The verdict on ``entries`` (which may reach back before ``since``; see ``verdict_for``).
    ``nothing_logged``: the database holds no entry at all (the check says so plainly)."""
    result = rules.evaluate(entries, plan, now, since, nothing_logged=nothing_logged)
    findings = cover(result.findings, entries, plan, now, since)
    news = [f.level for f in findings if not f.reported]
    news_level = max(news, key=lambda level: level.rank) if news else None
    if findings:
        level = max((f.level for f in findings), key=lambda level: level.rank)
    else:
        level = Level.UNKNOWN if result.missing else Level.GREEN
    return Verdict(
        level=level,
        headline=_headline(level, findings, news_level, plan, now),
        findings=findings,
        missing=result.missing,
        reminders=(*_team_recheck_line(entries, now), *result.reminders),
        calls=result.calls,
        last_call=result.last_call,
        since=since,
        until=now,
        day=result.day,
        fever_threshold_c=result.fever_threshold_c,
        future=result.future,
        masked=result.masked,
        news_level=news_level,
    )


def entries_for(store: Store | None, since: datetime, until: datetime | None = None) -> list[Entry]:
    """The entries a verdict on a window from ``since`` needs: the window, the days before it
    that the rules look back on, every ICE score (compared with the person's best ever) and
    the latest blood results.

    With no ``until`` there is no upper bound: an entry dated after now (a fast clock, an
    import) is counted as now. ``until`` looks back in time (the demo's check of an evening
    that has passed): what came later had not happened yet. With no database, no entries.
    """
    if store is None:
        return []
    lookback_start = since - rules.LOOKBACK
    entries = store.entries(since=lookback_start, until=until, newest_first=False)
    seen = {entry.id for entry in entries}
    older = store.entries(kind="ice", until=lookback_start, newest_first=False)
    # The latest blood results, however old, to show beside a fever (never a level).
    older += store.entries(kind="bloods", until=lookback_start, limit=1)
    older.sort(key=lambda entry: (entry.recorded_at, entry.id or 0))
    return [entry for entry in older if entry.id not in seen] + entries


def verdict_for(
    store: Store | None,
    plan: Plan | None,
    now: datetime,
    since: datetime | None = None,
    *,
    as_it_was: bool = False,
) -> Verdict:
    """The verdict at ``now`` on the window from ``since`` (default: the check window).

    ``as_it_was``: ``now`` is a moment in the past, and entries after it are left out rather
    than counted as now (the demo shows the check of an evening that has passed).
    """
    start = window_start(now) if since is None else since
    entries = entries_for(store, start, now if as_it_was else None)
    nothing = not entries and (store is None or not store.entries(limit=1))
    return judge(entries, plan, now, start, nothing_logged=nothing)
