"""`cart history` marks a temperature that may read low (a fever medicine in the 6 hours
before it) with one algorithm (``medicines.masking``), in its table and in its streamed lines."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from test_cli_check import log, set_up

from cart_cli.render.history import MASKED


@pytest.mark.parametrize("limit", ["20", "500"])  # the table, then the plain lines
def test_history_marks_the_same_temperatures_in_the_table_and_the_lines(cart, limit):
    """6 hours after a dose still marks; 6 hours and a minute, or before the dose, does not."""
    set_up(cart)
    # Times from one clock reading: "7h ago" and "60m ago" read the clock at two moments,
    # and a minute that turned between them made "6 hours exactly" 6 hours and a minute.
    now = datetime.now().astimezone().replace(second=0, microsecond=0)

    def ago(minutes: int) -> str:  # elapsed minutes, as local wall time (right across a clock change)
        return f"{(now - timedelta(minutes=minutes)).astimezone():%Y-%m-%d %H:%M}"

    log(cart, "temp", "37.1", "--at", ago(8 * 60))  # before the dose
    log(cart, "med", "paracetamol", "--at", ago(7 * 60))
    log(cart, "temp", "37.6", "--at", ago(390))  # 30 minutes after the dose
    log(cart, "temp", "37.4", "--at", ago(60))  # 6 hours after the dose exactly
    log(cart, "temp", "37.2", "--at", ago(59))  # 6 hours and a minute after
    out = " ".join(cart("history", "--limit", limit).out.split())
    marked = out.count(MASKED.strip().split(":")[0])
    assert marked == 2, out
