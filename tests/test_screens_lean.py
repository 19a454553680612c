"""The screens load only what they use (issue 23): checked in a real process by the modules
it imported, never by a time. `cart calendar` writes a file: no Rich, no icalendar, no rules.
`cart timeline` needs no medicine schedule and no dateutil."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from dateutil.relativedelta import relativedelta
from helpers import run_process

from cart_cli.timeline import _add_months

# A child process that runs cart with the arguments after "cart_cli" (run_process puts
# `-m cart_cli` after the interpreter's options) and prints, as JSON on its last line, the exit
# code and every module it imported.
_MODULES_AFTER = (
    "import json, sys; from cart_cli.cli import run; code = run(sys.argv[sys.argv.index('cart_cli') + 1 :]); "
    "print(); print(json.dumps([code, sorted(sys.modules)]))"
)


def modules_after(*args: str) -> set[str]:
    done = run_process(*args, python_options=("-c", _MODULES_AFTER))
    assert done.returncode == 0, done.stderr
    code, modules = json.loads(done.stdout.splitlines()[-1])
    assert code == 0, done
    return set(modules)


def _top(modules: set[str]) -> set[str]:
    return {name.split(".")[0] for name in modules}


@pytest.fixture
def set_up(cart) -> None:
    infusion = date.today() - timedelta(days=12)
    assert cart("setup", "--infusion-date", str(infusion), "--phone", "01632 960 123").code == 0
    assert cart("log", "temp", "37.1").code == 0
    assert cart("med", "add", "Aciclovir", "--times", "08:00,20:00").code == 0


def test_calendar_loads_no_terminal_library_no_icalendar_and_no_rules(set_up, tmp_path) -> None:
    modules = modules_after("calendar", "--output", str(tmp_path / "cart.ics"))
    assert {"cart_cli.schedule", "cart_cli.formats.ics", "cart_cli.recheck"} <= modules  # it ran
    assert (tmp_path / "cart.ics").read_bytes().startswith(b"BEGIN:VCALENDAR\r\n")
    assert _top(modules) & {"rich", "icalendar", "dateutil", "jinja2"} == set()
    assert modules & {"cart_cli.verdict", "cart_cli.rules", "cart_cli.render"} == set()


def test_timeline_loads_no_medicine_schedule_and_no_dateutil(set_up) -> None:
    modules = modules_after("timeline")
    assert {"cart_cli.timeline", "cart_cli.render.timeline", "rich.console"} <= modules  # it ran
    assert "dateutil" not in _top(modules)
    assert modules & {"cart_cli.schedule", "cart_cli.verdict", "cart_cli.products"} == set()


# Month ends, leap days and year ends: the timeline's own month arithmetic lands where
# dateutil's relativedelta does (it did the sums before).
@pytest.mark.parametrize(
    "start",
    [
        date(2024, 1, 31),
        date(2024, 2, 29),
        date(2025, 8, 31),
        date(2026, 11, 30),
        date(2026, 12, 15),
        date(2027, 3, 1),
    ],
)
@pytest.mark.parametrize("months", [0, 1, 2, 3, 6, 11, 12, 13, 24, 12 * 15])
def test_adding_months_matches_relativedelta(start: date, months: int) -> None:
    assert _add_months(start, months) == start + relativedelta(months=months)


def test_chart_loads_neither_the_report_nor_the_rules(set_up) -> None:
    """The chart table lives in charts.py: drawing a chart needs no report, svg, rules or
    date reader."""
    modules = modules_after("chart")
    assert {"cart_cli.charts", "cart_cli.periods", "cart_cli.render.chart"} <= modules  # it ran
    unwanted = {"cart_cli.report", "cart_cli.report.build", "cart_cli.report.svg", "cart_cli.rules"}
    assert modules & (unwanted | {"cart_cli.verdict", "cart_cli.parsing", "cart_cli.parsing_time"}) == set()


def test_history_without_doses_loads_no_medicine_tables(set_up) -> None:
    """`cart history` judges masked temperatures only when a dose is near one: with none in
    the shown period, the medicine tables are not loaded."""
    modules = modules_after("history", "--limit", "20")
    assert "cart_cli.render.history" in modules  # it ran
    assert modules & {"cart_cli.medicines", "cart_cli.language.medicines"} == set()


def test_the_dashboard_without_medicines_or_appointments_loads_no_schedule(cart) -> None:
    """With nothing on the schedule the dashboard writes no schedule line, and does not load
    the schedule module to find that out; with a medicine it does, and shows it."""
    infusion = date.today() - timedelta(days=12)
    assert cart("setup", "--infusion-date", str(infusion), "--phone", "01632 960 123").code == 0
    modules = modules_after()
    assert "cart_cli.render.dashboard" in modules  # it ran
    assert "cart_cli.schedule" not in modules
    assert cart("med", "add", "Aciclovir", "--times", "08:00,20:00").code == 0
    assert "cart_cli.schedule" in modules_after()
    assert "Aciclovir" in cart().out
