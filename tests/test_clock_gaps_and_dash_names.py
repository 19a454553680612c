"""Issue 19 item 11: an appointment at a time the clocks skip says what it will be when it
is added, and a medicine named like an option (`-x`) gets suggestions that work."""

from __future__ import annotations

import json
import re
import shlex

import pytest


@pytest.mark.parametrize(
    ("typed", "shown", "note"),
    [
        ("2027-03-28 01:30", "02:30", True),  # London: the clocks go from 01:00 to 02:00
        ("2027-03-28 00:59", "00:59", False),
        ("2027-03-28 02:00", "02:00", False),
        ("2027-06-01 10:30", "10:30", False),  # summer time, added in any season
        ("2027-10-31 01:30", "01:30", False),  # the clocks go back: 01:30 happens (twice)
    ],
)
def test_an_appointment_is_confirmed_as_it_will_be_listed(cart, typed, shown, note):
    """The time in the confirmation is the time `appt list` shows; a skipped time says so."""
    added = cart("appt", "add", "scan", typed)
    assert added.code == 0, added
    first = added.out.splitlines()[0]
    assert re.search(rf" {shown}\b", first), added
    assert ("does not exist" in added.out) is note, added
    listed = cart("appt", "list")
    assert re.search(rf" {shown}\b", listed.out), listed
    (item,) = json.loads(cart("appt", "list", "--json").out)
    assert item["starts_at"][11:16] == shown


def suggested(text: str) -> list[str]:
    """The command lines cart suggests in backticks or after "cart" at the end of a line."""
    found = re.findall(r"`(cart [^`]+)`", text)
    found += re.findall(r"^(?:After each dose|.*log it): (cart .+?)\.?$", text, flags=re.MULTILINE)
    return found


def test_a_medicine_named_like_an_option_gets_suggestions_that_work(cart):
    """`-x` is a name: each suggestion cart prints for it runs as written."""
    wrong = cart("med", "add", "-x", "--times", "08:00")
    assert wrong.code == 2 and "-- -x" in wrong.err, wrong
    added = cart("med", "add", "--times", "08:00", "--", "-x")
    assert added.code == 0, added
    again = cart("med", "add", "--times", "09:00", "--", "-x")
    assert again.code == 2, again
    lines = suggested(added.out) + suggested(again.err)
    assert any(" log med " in line for line in lines) and any(" med stop " in line for line in lines), lines
    for line in lines:
        argv = shlex.split(line)[1:]
        result = cart(*argv)
        assert result.code == 0, (line, result)
