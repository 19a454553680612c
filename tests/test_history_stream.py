"""`cart history` at scale: large outputs are plain lines printed as they are read, JSON is
printed item by item, and both say the same as the small table view."""

from __future__ import annotations

import json

import pytest
from helpers import flat

from cart_cli.models import entry_to_dict
from cart_cli.render.history import TABLE_ROWS
from cart_cli.store import Store


def test_json_stream_is_exactly_the_indented_list(cart, db_path):
    """--json prints the same text json.dumps(list, indent=2) would: item by item, one shape."""
    cart("log", "temp", "37.1", "--at", "2h ago", "--note", "café\nsecond line")
    cart("log", "bp", "118/76", "--pulse", "88", "--at", "1h ago")
    out = cart("history", "--json").out
    with Store.open(db_path) as store:
        expected = [entry_to_dict(entry) for entry in store.entries()]
    assert out == json.dumps(expected, indent=2, ensure_ascii=False) + "\n"


def test_json_stream_of_nothing_is_an_empty_list(cart):
    """No entries (for the filter): [] as before."""
    cart("log", "temp", "37.1")
    assert cart("history", "--json", "--kind", "bp").out == "[]\n"


def test_a_large_limit_prints_one_plain_line_per_entry_newest_first(cart):
    """Above TABLE_ROWS the output is one line per entry (id, time, kind, value | note),
    newest first; a temperature soon after paracetamol is marked as it is in the table."""
    cart("log", "med", "paracetamol", "--at", "3h ago")
    cart("log", "temp", "37.9", "--at", "2h ago", "--note", "a\nb")
    cart("log", "fatigue", "0", "--at", "1h ago")
    lines = cart("history", "--limit", str(TABLE_ROWS + 1)).out.splitlines()
    assert len(lines) == 3
    assert lines[0].startswith("#3 ") and "fatigue 0/10" in lines[0]
    assert (
        lines[1].startswith("#2 ") and "37.9 °C" in lines[1] and "may be lower than it really is" in lines[1]
    )
    assert lines[1].endswith("| a b") or lines[1].endswith("| a / b")  # a line break never splits a row
    assert lines[2].startswith("#1 ") and "paracetamol" in lines[2]
    table = cart("history", "--limit", str(TABLE_ROWS)).out
    assert "Recorded entries" in table and "may be lower" in table  # the same mark in the table


def test_a_temperature_long_after_a_dose_is_not_marked(cart):
    """The mark follows the rules' 6 hours: a dose 7 hours before does not mark it."""
    cart("log", "med", "paracetamol", "--at", "8h ago")
    cart("log", "temp", "37.9", "--at", "1h ago")
    out = cart("history", "--limit", str(TABLE_ROWS + 1)).out
    assert "37.9 °C" in out and "may be lower" not in out


@pytest.mark.parametrize(("dose_at", "marked"), [("3h ago", True), ("8h ago", False)])
def test_the_table_marks_a_temperature_whose_dose_is_not_shown(cart, dose_at, marked):
    """The table reads the doses of the 6 hours before the oldest row shown, so a temperature
    is marked even when the dose itself is left out by --limit or --kind (and only then)."""
    cart("log", "med", "paracetamol", "--at", dose_at)
    cart("log", "temp", "37.9", "--at", "1h ago")
    for args in (("--limit", "1"), ("--kind", "temp")):
        out = flat(cart("history", *args).out)
        assert "37.9 °C" in out and "paracetamol" not in out
        assert ("may be lower" in out) == marked


def test_a_large_limit_with_nothing_to_show_says_so(cart):
    """An empty filter prints the same sentence as the table view."""
    cart("log", "temp", "37.1")
    out = cart("history", "--kind", "bp", "--limit", "100000").out
    assert out.startswith("Nothing recorded yet")
