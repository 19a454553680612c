"""The check screen, rendered the way rich tests itself, compared with golden files.

Screens that matter most at 3 a.m. (emergency, red, amber, green, and red already reported in a
call) at 100 and 40 columns. To regenerate after an intended change, run with
CART_UPDATE_GOLDEN=1, then read every new file line by line: one banner, the emergency number
before the team's, the fall-back line last on red.
"""

from __future__ import annotations

import io
import os
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from rich.console import Console

from cart_cli.models import Entry, Plan
from cart_cli.render.check import check_view, window_text
from cart_cli.verdict import judge

GOLDEN_DIR = Path(__file__).parent / "golden"
TZ = timezone(timedelta(hours=0))
NOW = datetime(2026, 11, 24, 3, 30, tzinfo=TZ)
PLAN = Plan(
    infusion_date=NOW.date() - timedelta(days=12),
    hospital="St Elsewhere Haematology",
    phone="01632 960 123",
)
HOUR = timedelta(hours=1)


def _entries(name: str) -> list[Entry]:
    def temp(celsius: float, hours_ago: float, id_: int) -> Entry:
        return Entry("temp", NOW - hours_ago * HOUR, id=id_, celsius=celsius)

    if name == "green":
        return [temp(36.8, 1, 1)]
    if name == "amber":
        return [temp(36.9, 6, 1), temp(37.7, 0.25, 2)]
    if name == "red":
        return [temp(37.2, 5, 1), temp(38.4, 0.5, 2), Entry("symptom", NOW - HOUR, id=3, symptom="shivering")]
    if name == "emergency":
        return [
            temp(38.6, 0.5, 1),
            Entry("bp", NOW - 0.4 * HOUR, id=2, systolic=85, diastolic=50, pulse=135),
            Entry("symptom", NOW - 0.3 * HOUR, id=3, symptom="confusion"),
        ]
    if name == "reported":
        return [
            temp(38.4, 3, 1),
            Entry("call", NOW - 2.75 * HOUR, id=2, outcome="ward said stay home, ring back if over 39"),
            temp(37.9, 0.5, 3),
        ]
    raise ValueError(name)


def render(name: str, width: int) -> str:
    result = judge(_entries(name), PLAN, NOW, NOW - 24 * HOUR)
    console = Console(
        width=width, file=io.StringIO(), color_system=None, force_terminal=False, legacy_windows=False
    )
    console.print(check_view(result, PLAN, NOW))
    return "\n".join(line.rstrip() for line in console.file.getvalue().splitlines()) + "\n"


@pytest.mark.parametrize("width", [100, 40])
@pytest.mark.parametrize("name", ["emergency", "red", "amber", "green", "reported"])
def test_check_screen_matches_its_golden_file(name, width):
    """Each screen matches tests/golden/check_<name>_<width>.txt."""
    output = render(name, width)
    golden = GOLDEN_DIR / f"check_{name}_{width}.txt"
    if os.environ.get("CART_UPDATE_GOLDEN") == "1":
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(output, encoding="utf-8")
    assert output == golden.read_text(encoding="utf-8")


@pytest.mark.parametrize("width", [100, 40])
def test_emergency_screen_has_one_banner_999_first_and_no_red_banner(width):
    """The emergency screen: one banner, the emergency number before the team's, no RED banner."""
    output = render("emergency", width)
    flat = " ".join(output.split())
    assert "EMERGENCY: CALL 999 NOW" in flat
    assert "RED: CALL YOUR HOSPITAL TEAM NOW" not in flat
    assert flat.index("999") < flat.index("01632 960 123")
    assert output.count("███ ███ ███") == 3  # only 999 in large digits (rows 1, 3 and 5)


@pytest.mark.parametrize("name", ["emergency", "red", "reported"])
@pytest.mark.parametrize("width", [100, 40])
def test_every_red_screen_ends_with_the_fallback_line(name, width):
    """Every red screen ends with the fall-back line."""
    output = render(name, width)
    last_paragraph = " ".join(output.strip().split("\n")[-3:])
    assert "A&E" in last_paragraph and "CAR-T" in " ".join(last_paragraph.split())


@pytest.mark.parametrize("name", ["amber", "green"])
def test_amber_and_green_screens_have_no_fallback_line(name):
    """Amber and green screens have no fall-back line."""
    assert "A&E" not in render(name, 100)


def test_reported_screen_has_no_large_digits_and_says_what_they_said():
    """Reported screen has no large digits and says what they said."""
    output = render("reported", 100)
    flat = " ".join(output.split())
    assert "███" not in output
    assert "Reported to your team at 00:45" in flat
    assert "ward said stay home" in flat
    # 37.9 °C after a reported 38.4 °C is neither new nor worse: covered by the call.
    assert "RED: REPORTED TO YOUR TEAM AT 00:45: FOLLOW WHAT THEY SAID; CALL AGAIN IF IT GETS WORSE" in flat


def test_a_screen_with_everything_reported_says_so_in_the_banner():
    """A screen with everything reported says so in the banner."""
    result = judge(
        [*_entries("reported")[:2], Entry("temp", NOW - HOUR, id=3, celsius=36.9)], PLAN, NOW, NOW - 24 * HOUR
    )
    console = Console(width=100, file=io.StringIO(), color_system=None)
    console.print(check_view(result, PLAN, NOW))
    flat = " ".join(console.file.getvalue().split())
    assert "RED: REPORTED TO YOUR TEAM AT 00:45: FOLLOW WHAT THEY SAID; CALL AGAIN IF IT GETS WORSE" in flat
    assert "███" not in flat
    assert result.level == "red"


def test_amber_wording_works_at_night():
    """Amber wording works at night."""
    flat = " ".join(render("amber", 100).split())
    assert "24-hour line" in flat
    assert "today" not in flat.lower()


@pytest.mark.parametrize(
    ("since", "until", "expected"),
    [
        (
            datetime(2026, 11, 23, 21, 30, tzinfo=TZ),
            datetime(2026, 11, 24, 21, 30, tzinfo=TZ),
            "from Mon 23 Nov 21:30 to Tue 24 Nov 21:30",
        ),
        (
            datetime(2026, 11, 24, 8, 0, tzinfo=TZ),
            datetime(2026, 11, 24, 14, 0, tzinfo=TZ),
            "from 08:00 to 14:00 on Tue 24 Nov",
        ),
        (
            datetime(2025, 12, 31, 22, 0, tzinfo=TZ),
            datetime(2026, 1, 1, 22, 0, tzinfo=TZ),
            "from Wed 31 Dec 2025 22:00 to Thu 1 Jan 22:00",
        ),
    ],
)
def test_window_line_is_a_range_with_both_dates_when_they_differ(since, until, expected):
    """Window line is a range with both dates when they differ."""
    assert window_text(since, until) == expected
