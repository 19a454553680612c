"""The paracetamol guard (issue 20, docs/clinical-basis.md T23): every product that holds
paracetamol counted over 24 hours; a dose sooner than 4 hours after the last, more than 4
doses, or more than the day's maximum is RED; `cart med next` says when the next may be taken."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest
from helpers import assert_one_line_error

from cart_cli import rules
from cart_cli.levels import Level
from cart_cli.medicines import (
    ParacetamolLimits,
    contains_paracetamol,
    next_dose,
    paracetamol_doses,
    read_dose,
)
from cart_cli.models import Entry, Plan
from cart_cli.timefmt import LOCAL

NOW = datetime(2026, 12, 5, 20, 0, tzinfo=LOCAL)
PLAN = Plan(infusion_date=NOW.date() - timedelta(days=20), phone="01234 567890")


def med(text: str, hours_ago: float) -> Entry:
    return Entry(
        kind="med", recorded_at=NOW - timedelta(hours=hours_ago), medicine=text, uid=f"{text}{hours_ago}"
    )


@pytest.mark.parametrize(
    ("name", "holds"),
    [
        ("paracetamol", True), ("Paracetamol 500mg", True), ("acetaminophen", True), ("Tylenol", True),
        ("Calpol 5ml", True), ("Panadol", True), ("Doliprane 1000", True), ("Efferalgan", True),
        ("co-codamol 30/500", True), ("Co-Dydramol", True), ("Lemsip Max", True), ("Beechams", True),
        ("Night Nurse", True), ("Solpadeine", True), ("paracetemol", True), ("Paracetomol", True),
        ("ibuprofen", False), ("aciclovir", False), ("co-trimoxazole", False), ("posaconazole", False),
        ("dexamethasone", False), ("aspirin", False),
    ],
)  # fmt: skip
def test_products_that_hold_paracetamol(name: str, holds: bool) -> None:
    assert contains_paracetamol(name) is holds


@pytest.mark.parametrize(
    ("text", "dose", "name", "unit_mg", "count"),
    [
        ("paracetamol", None, "paracetamol", None, 1),
        ("paracetamol 1g", None, "paracetamol", 1000, 1),
        ("paracetamol 500mg x2", None, "paracetamol", 500, 2),
        ("paracetamol 500 mg \u00d72", None, "paracetamol", 500, 2),
        ("2 x 500 mg paracetamol", None, "paracetamol", 500, 2),
        ("co-codamol 30/500 2 tablets", None, "co-codamol", 500, 2),
        ("paracetamol 1,000mg", None, "paracetamol", 1000, 1),  # a thousand, not one
        ("paracetamol 1.000 mg", None, "paracetamol", 1000, 1),
        ("paracetamol 0.5g", None, "paracetamol", 500, 1),
        ("paracetamol", "1g", "paracetamol", 1000, 1),
        ("paracetamol", "500mg x2", "paracetamol", 500, 2),
        ("Calpol 10ml", None, "Calpol 10ml", None, 1),  # a volume is not an amount of paracetamol
    ],
)
def test_a_dose_is_read_from_the_name(
    text: str, dose: str | None, name: str, unit_mg: float | None, count: int
) -> None:
    read = read_dose(text, dose)
    assert (read.name, read.unit_mg, read.count) == (name, unit_mg, count)


def _paracetamol_finding(entries: list[Entry], plan: Plan = PLAN) -> rules.Finding | None:
    since = NOW - timedelta(hours=24)
    result = rules.evaluate(entries, plan, NOW, since)
    found = [f for f in result.findings if f.rule == "too-much-paracetamol"]
    return found[0] if found else None


@pytest.mark.parametrize(
    ("doses", "red"),
    [
        ([("paracetamol 1g", 8)], False),
        ([("paracetamol 1g", 8), ("paracetamol 1g", 4)], False),  # exactly 4 hours apart
        ([("paracetamol 1g", 8), ("paracetamol 1g", 4.02)], True),  # 3 h 59 min apart
        ([("paracetamol 1g", 3), ("Lemsip", 1)], True),  # a cold remedy 2 hours later
        ([("paracetamol 1g", 3), ("ibuprofen 400mg", 1)], False),  # ibuprofen holds none
        ([("paracetamol 1g", h) for h in (20, 16, 12, 8)], False),  # 4 g, 4 doses: the limit
        ([("paracetamol 1g", h) for h in (20, 16, 12)] + [("paracetamol 500mg x3", 8)], True),  # 4.5 g
        ([("paracetamol 500mg", h) for h in (20, 16, 12, 8, 4)], True),  # 2.5 g, but 5 doses
        ([("paracetamol", h) for h in (20, 16, 12, 8)], False),  # no amount: 1 g each, 4 g
        # 24 hours are counted back from each dose: the one 26.5 hours ago is not in the 24
        # hours before the last dose (4 doses, 4 g); exactly 24 hours before is not either
        ([("paracetamol 1g", h) for h in (26.5, 22, 18, 14, 2.4)], False),
        ([("paracetamol 1g", h) for h in (26, 22, 18, 14, 2)], False),
        ([("paracetamol 1g", h) for h in (25.9, 22, 18, 14, 2)], True),  # just inside: 5 doses, 5 g
        ([("paracetamol 1g", h) for h in (28, 20, 16, 12, 8)], True),  # 5 doses in the 24 h to 8 h ago
        ([("paracetamol 1g", 30), ("paracetamol 1g", 27)], False),  # too soon, but before the window
    ],
)
def test_the_guard_at_its_boundaries(doses: list[tuple[str, float]], red: bool) -> None:
    finding = _paracetamol_finding([med(text, hours) for text, hours in doses])
    assert (finding is not None) is red
    if finding is not None:
        assert finding.level == Level.RED
        assert "Do not take any more paracetamol" in finding.action and "111" in finding.action
        assert "T23" in finding.source


@pytest.mark.parametrize(("max_mg", "red"), [(4000, False), (3500, False), (3000, True)])
def test_a_lower_daily_maximum_in_the_plan_is_used(max_mg: int, red: bool) -> None:
    plan = Plan(infusion_date=PLAN.infusion_date, paracetamol_max_mg=max_mg)
    doses = [med("paracetamol 1g", 16), med("paracetamol 1g", 12), med("paracetamol 500mg x3", 8)]  # 3.5 g
    assert (_paracetamol_finding(doses, plan) is not None) is red


def test_a_guessed_amount_is_said() -> None:
    finding = _paracetamol_finding([med("paracetamol", 3), med("Lemsip", 1)])
    assert finding is not None and "without an amount is counted as 1 g" in finding.message


LIMITS = ParacetamolLimits(max_mg=4000)


@pytest.mark.parametrize(
    ("doses", "wait_hours", "left_mg", "left_doses"),
    [
        ([], 0, 4000, 4),
        ([("paracetamol 1g", 5)], 0, 3000, 3),
        ([("paracetamol 1g", 4)], 0, 3000, 3),  # exactly 4 hours: now
        ([("paracetamol 1g", 1)], 3, 3000, 3),
        ([("paracetamol 1g", h) for h in (22, 15, 10, 5)], 2, 0, 0),  # 4 doses: when 22 h ago leaves
        ([("paracetamol 1g", h) for h in (20, 12)] + [("paracetamol 500mg x3", 6)], 0, 500, 1),  # 500 mg left
        # 5 g: 4 g still counts when the dose 20 h ago leaves; at 12 h from now 3 g does
        ([("paracetamol 1g", h) for h in (20, 12)] + [("paracetamol 1g x3", 6)], 12, 0, 1),
    ],
)
def test_next_dose(
    doses: list[tuple[str, float]], wait_hours: float, left_mg: float, left_doses: int
) -> None:
    answer = next_dose(paracetamol_doses([med(t, h) for t, h in doses]), NOW, LIMITS)
    assert answer.at == NOW + timedelta(hours=wait_hours)
    assert (answer.left_mg, answer.left_doses) == (left_mg, left_doses)


# -- through the real CLI ---------------------------------------------------------------------


@pytest.fixture
def set_up(cart):
    assert cart("setup", "--infusion-date", "2026-11-01", "--phone", "01234 567890").code == 0
    assert cart("log", "temp", "36.8").code == 0
    return cart


def test_two_carers_each_giving_a_dose_is_red(set_up) -> None:
    cart = set_up
    assert cart("log", "med", "paracetamol", "--dose", "1g", "--at", "90 minutes ago").code == 0
    second = cart("log", "med", "Lemsip Max", "--at", "10 minutes ago")
    assert "Paracetamol above the day's maximum or sooner than the minimum gap" in second.out
    assert "Do not take any more paracetamol" in " ".join(second.out.split())
    check = json.loads(cart("check", "--json").out)
    assert check["level"] == "red"
    assert "too-much-paracetamol" in [f["rule"] for f in check["findings"]]
    history = json.loads(cart("history", "--json").out)
    assert "paracetamol 1g" in [e.get("medicine") for e in history]


def test_med_next_says_when_and_how_much(set_up) -> None:
    cart = set_up
    assert cart("setup", "--paracetamol-max", "3g").code == 0
    assert cart("log", "med", "paracetamol 500mg x2", "--at", "1 hour ago").code == 0
    data = json.loads(cart("med", "next", "paracetamol", "--json").out)
    assert (data["max_mg"], data["taken_mg_24h"], data["left_mg"], data["left_doses"]) == (
        3000,
        1000,
        2000,
        3,
    )
    assert datetime.fromisoformat(data["next_at"]) > datetime.now(LOCAL) + timedelta(hours=2, minutes=55)
    text = " ".join(cart("med", "next", "paracetamol").out.split())
    assert "Do not take another dose before" in text and "2 g and 3 more doses" in text


@pytest.mark.parametrize(
    "args",
    [("log", "med", "paracetamol", "--dose", "lots"), ("log", "med", "paracetamol 1g", "--dose", "1g"),
     ("med", "next", "aciclovir"), ("setup", "--paracetamol-max", "6g"), ("setup", "--paracetamol-max", "x")],
)  # fmt: skip
def test_bad_input_is_refused_and_writes_nothing(set_up, args: tuple[str, ...]) -> None:
    before = set_up("history", "--json").out
    assert_one_line_error(set_up(*args), 2)
    assert set_up("history", "--json").out == before
