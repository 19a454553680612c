"""What a call to the team covers.

A finding whose entries all came before the latest call was reported in it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from cart_cli.models import Entry, Plan
from cart_cli.rules import Finding


def is_before(entry: Entry, call: Entry) -> bool:
    """Was ``entry`` recorded before ``call``? At the same minute, the one typed first is."""
    if entry.recorded_at != call.recorded_at:
        return entry.recorded_at < call.recorded_at
    return (entry.id or 0) < (call.id or 0)


def cover(
    findings: Sequence[Finding], entries: Sequence[Entry], plan: Plan | None, now: datetime, since: datetime
) -> tuple[Finding, ...]:
    """The findings, each marked ``reported`` (with the call that covers it) or not."""
    # A call dated after now is counted as now, as every entry is (rules.evaluate).
    calls = sorted(
        (replace(e, recorded_at=min(e.recorded_at, now)) for e in entries if e.kind == "call"),
        key=lambda e: (e.recorded_at, e.id or 0),
    )
    if not calls:
        return tuple(findings)
    last = calls[-1]
    return tuple(
        replace(f, reported=True, covered_by=last) if all(is_before(e, last) for e in f.entries) else f
        for f in findings
    )
