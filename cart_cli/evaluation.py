"""The check over a window of time, read from the store: what `cart check`, `cart log` and
the dashboard all grade.

The rules (``rules.evaluate``) are a pure function of entries; this module chooses which
entries they see. ``now`` is passed in, as everywhere in the core.
"""

from __future__ import annotations

from datetime import datetime

from cart_cli import rules
from cart_cli.models import Plan
from cart_cli.store import Store


def evaluate_window(
    store: Store | None, plan: Plan | None, now: datetime, since: datetime
) -> rules.CheckResult:
    """Run the rules on the window ``since``..``now``, with the days before it that they look
    back on. With no database (``store`` is None) the result is the check of no entries."""
    lookback_start = since - rules.LOOKBACK
    # No upper bound: an entry dated after now (a fast clock, an import) is counted as now.
    entries = store.entries(since=lookback_start, newest_first=False) if store else []
    if store is not None:  # an ICE score is compared with the person's best ever, not of 3 days
        seen = {entry.id for entry in entries}
        older = store.entries(kind="ice", until=lookback_start, newest_first=False)
        # The latest blood results, however old, to show beside a fever (never a level).
        older += store.entries(kind="bloods", until=lookback_start, limit=1)
        older.sort(key=lambda entry: (entry.recorded_at, entry.id or 0))
        entries = [entry for entry in older if entry.id not in seen] + entries
    return rules.evaluate(entries, plan, now, since)
