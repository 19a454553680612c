"""Start-up stays lean: each command imports only what it needs (issue 23).

Structural, never timed: a real `cart` process (this checkout, a private HOME and database)
reports the modules it had imported when it finished, and the test names what must not be
among them. The benchmark (benchmarks/bench.py) measures the time itself.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

# Runs cart as `python -m cart_cli` does, then writes the names of the imported modules.
CHILD = """
import sys
from cart_cli.cli import run
code = run(sys.argv[2:])
with open(sys.argv[1], "w", encoding="utf-8") as out:
    out.write("\\n".join(sorted(sys.modules)))
sys.exit(code)
"""

# Every command module but the root's (overview: the global options and the dashboard).
OTHER_COMMANDS = [
    f"cart_cli.commands.{name}"
    for name in ("appt", "ask", "check", "data", "entries", "handover", "med", "report", "serve", "setup")
]


def run_cart(tmp_path: Path, *args: str) -> tuple[set[str], str]:
    """The modules a real `cart ARGS` process had imported when it finished, and its output."""
    listing = tmp_path / "modules.txt"
    env = {
        **os.environ,
        "HOME": str(tmp_path),
        "CART_DB": str(tmp_path / "cart.db"),
        "PYTHONPATH": str(REPO),
        "NO_COLOR": "1",
    }
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(listing), *args],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return set(listing.read_text(encoding="utf-8").split()), done.stdout


def imported_by(tmp_path: Path, *args: str) -> set[str]:
    """The modules a real `cart ARGS` process had imported when it finished."""
    return run_cart(tmp_path, *args)[0]


def test_help_lists_the_commands_without_importing_them(tmp_path):
    """`cart --help` reads the command list from its table: no command module, no store, no
    rules, no Rich, no JSON."""
    modules = imported_by(tmp_path, "--help")
    assert "cart_cli.commands.listing" in modules  # the listing came from the table
    unwanted = {
        *OTHER_COMMANDS,
        "cart_cli.commands.log",
        "cart_cli.store",
        "cart_cli.models",
        "cart_cli.rules",
        "rich",
        "json",
        "sqlite3",
    }
    assert not modules & unwanted, sorted(modules & unwanted)


def test_logging_a_temperature_builds_only_the_log_command(tmp_path):
    """`cart log temp 37.1` stores the reading and judges it with the one verdict (the rules
    are loaded), without the other commands, the reader of own words, or Rich (nothing needs
    action, so no check screen is drawn)."""
    modules = imported_by(tmp_path, "log", "temp", "37.1")
    assert {"cart_cli.verdict", "cart_cli.rules", "cart_cli.store"} <= modules  # it was judged
    unwanted = {
        *OTHER_COMMANDS,
        "cart_cli.language.reader",
        "cart_cli.bloods",
        "cart_cli.medicines",
        "cart_cli.neuro",
        "cart_cli.symptoms",
        "cart_cli.language.questions",
        "rich",
    }
    assert not modules & unwanted, sorted(modules & unwanted)


def test_the_medicine_and_nervous_system_rules_load_when_there_is_something_to_grade(tmp_path):
    """The rules import ``medicines`` and ``neuro`` only for a medicine dose, an ICE score or a
    handwriting entry; with one in the window they are loaded, and they grade it."""
    run_cart(tmp_path, "log", "med", "paracetamol 1g")
    run_cart(tmp_path, "log", "ice", "9")
    modules, out = run_cart(tmp_path, "log", "temp", "37.1")
    assert {"cart_cli.medicines", "cart_cli.neuro"} <= modules
    assert "RED" in out, out  # the ICE score of 9 (no infusion date: counted as early) is red


@pytest.mark.parametrize(
    ("argv", "collects"),
    [
        (["log", "temp", "37.1"], False),
        (["--db", "x.db", "log", "symptom", "cough"], False),
        (["--help"], False),
        (["-h"], False),
        (["--version"], False),
        (["log", "--help"], False),
        ([], True),  # the dashboard
        (["check"], True),
        (["export", "--format", "csv"], True),
        (["import", "data.json"], True),
        (["serve"], True),
        (["report", "--days", "365"], True),
        (["history", "--limit", "100000"], True),
        (["export", "--help"], True),  # a help page of a command that is not bounded: as that command
    ],
)
def test_only_bounded_commands_run_without_the_cycle_collector(argv, collects):
    """``__main__`` pauses the cycle collector while cart starts; ``cli.main`` turns it back on
    for every command whose work grows with the data, and leaves it paused only for `cart log`
    and help or version pages of cart itself."""
    import gc

    from cart_cli.cli import YOUNG_OBJECTS_BEFORE_COLLECTING, collect_cycles_unless_bounded

    was_enabled = gc.isenabled()
    thresholds = gc.get_threshold()
    gc.disable()
    try:
        collect_cycles_unless_bounded(argv)
        assert gc.isenabled() is collects
        # a collecting command starts with what was made before it frozen, and collects the
        # young objects less often; a bounded one changes nothing else
        assert (gc.get_freeze_count() > 0) is collects
        assert (gc.get_threshold()[0] == YOUNG_OBJECTS_BEFORE_COLLECTING) is collects
    finally:
        gc.unfreeze()
        gc.set_threshold(*thresholds)
        if was_enabled:
            gc.enable()


def test_the_cycle_collector_is_left_alone_when_cart_is_used_as_a_library():
    """Called with the collector on (tests, cart used from Python), nothing is turned off."""
    import gc

    from cart_cli.cli import collect_cycles_unless_bounded

    assert gc.isenabled()
    collect_cycles_unless_bounded(["log", "temp", "37.1"])
    assert gc.isenabled()
