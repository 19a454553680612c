"""`cart history` marks a temperature that may read low (a fever medicine in the 6 hours
before it) with one algorithm (``medicines.masking``), in its table and in its streamed lines."""

from __future__ import annotations

import pytest
from test_cli_check import log, set_up

from cart_cli.render.history import MASKED


@pytest.mark.parametrize("limit", ["20", "500"])  # the table, then the plain lines
def test_history_marks_the_same_temperatures_in_the_table_and_the_lines(cart, limit):
    """6 hours after a dose still marks; 6 hours and a minute, or before the dose, does not."""
    set_up(cart)
    log(cart, "temp", "37.1", "--at", "8h ago")  # before the dose
    log(cart, "med", "paracetamol", "--at", "7h ago")
    log(cart, "temp", "37.6", "--at", "390m ago")  # 30 minutes after the dose
    log(cart, "temp", "37.4", "--at", "60m ago")  # 6 hours after the dose exactly
    log(cart, "temp", "37.2", "--at", "59m ago")  # 6 hours and a minute after
    out = " ".join(cart("history", "--limit", limit).out.split())
    marked = out.count(MASKED.strip().split(":")[0])
    assert marked == 2, out
