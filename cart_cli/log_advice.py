"""What `cart log` says besides the verdict, in words: how each typed phrase was read, and a
note when an entry falls outside the check window or before the infusion. The command only
prints these lines; the verdict itself is ``verdict.py``'s.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from cart_cli.models import Entry, Plan

if TYPE_CHECKING:
    from cart_cli.verdict import Verdict


def timing_notes(stored: Sequence[Entry], plan: Plan | None, now: datetime, result: Verdict) -> list[str]:
    """Say plainly when an entry is outside the check window or before the infusion."""
    from cart_cli.thresholds import CHECK_WINDOW_HOURS
    from cart_cli.timefmt import format_date, plural

    notes = []
    for entry in stored:
        when = entry.recorded_at.astimezone(now.tzinfo)
        outside = when < result.since and entry.kind != "bloods"  # results never count there
        before_infusion = plan is not None and when.date() < plan.infusion_date
        if not outside and not before_infusion:
            continue
        age = now - when
        ago = plural(age.days, "day") if age.days >= 2 else plural(int(age.total_seconds() // 3600), "hour")
        where = [f"{ago} ago"]
        if before_infusion and plan is not None:
            where.append(f"before your infusion on {format_date(plan.infusion_date)}")
        text = f"#{entry.id} is from {format_date(when.date())} {when:%H:%M}, {' and '.join(where)}"
        if outside:
            text += f"; `cart check` looks at the last {CHECK_WINDOW_HOURS} hours, so it does not count there"
        notes.append(text + ". If the date is wrong, remove it with `cart undo` and log it again.")
    return notes


def read_as_lines(
    read_as: Sequence[tuple[str, int]], stored: Sequence[Entry], plan: Plan | None, now: datetime
) -> list[str]:
    """'Read "can't wake him" as: very hard to wake - emergency.' for each typed phrase: the
    signs its words name, those they deny, typing slips read as words, and words not read."""
    from cart_cli.rules import symptom_level
    from cart_cli.signs import read_as as reading_line

    lines = []
    position = 0
    for typed, count in read_as:
        parts = [
            reading_line(entry, symptom_level(entry, plan, now))
            for entry in stored[position : position + count]
        ]
        position += count
        lines.append(f'Read "{typed}" as: ' + "; ".join(parts) + ".")
    return lines
