"""The tests test this checkout, and `cart log temp` stays lean.

pytest puts the repository root first on ``sys.path`` (``pythonpath`` in pyproject.toml) and
child processes get it first on PYTHONPATH (``helpers.child_env``), so an installed copy of
cart_cli (e.g. a non-editable ``pip install .``) can never be what the suite exercises.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from helpers import REPO, run_process

import cart_cli

# Heavy libraries `cart log temp` must never load: Rich draws only screens that need it,
# sqlite-utils only migrates, dateutil only reads dates written in words, and pydantic is what
# newer Typer versions build option adapters with (see README, "Development"); the web server
# (starlette, uvicorn, anyio, segno) and Jinja2 load only for `cart serve` and `cart report`.
HEAVY = {"rich", "sqlite_utils", "dateutil", "pydantic", "starlette", "uvicorn", "segno", "anyio", "jinja2"}


def test_the_suite_imports_the_working_tree():
    """cart_cli comes from this repository, not from site-packages."""
    assert Path(cart_cli.__file__).resolve().is_relative_to(REPO / "cart_cli")


def test_a_child_process_imports_the_working_tree_too():
    """The real-process tests run this checkout's code as well."""
    done = run_process(python_options=("-c", "import cart_cli; print(cart_cli.__file__)"))
    assert done.returncode == 0, done.stderr
    assert Path(done.stdout.strip()).resolve().is_relative_to(REPO / "cart_cli")


def _imported_modules(importtime_stderr: str) -> set[str]:
    """Top-level names of the modules a ``python -X importtime`` run imported."""
    names = set()
    for line in importtime_stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            name = line.rsplit("|", 1)[1].strip()
            names.add(name.split(".")[0])
    return names


@pytest.mark.parametrize(
    "reading",
    [
        ("37.1",),
        ("99.1F",),
        ("36.9", "--at", "08:30", "--note", "before breakfast"),
    ],
    ids=" ".join,
)
def test_log_temp_never_imports_heavy_libraries(cart, reading):
    """A normal reading, on a set-up database, loads none of rich, sqlite_utils, dateutil,
    pydantic: checked in a real process with ``-X importtime``, whatever Typer version."""
    assert (
        cart(
            "setup", "--infusion-date", str(date.today() - timedelta(days=20)), "--phone", "01632 960 123"
        ).code
        == 0
    )
    assert cart("log", "temp", "36.8").code == 0  # the database exists and is migrated
    done = run_process("log", "temp", *reading, python_options=("-X", "importtime"))
    assert done.returncode == 0, done.stderr
    assert "Stored #" in done.stdout
    imported = _imported_modules(done.stderr)
    assert {"cart_cli", "typer", "sqlite3"} <= imported, "importtime output not understood"
    assert imported & HEAVY == set()


# A child process that runs `cart log temp 37.1` and prints the command modules it loaded.
_LOADED_COMMAND_MODULES = (
    "import sys; from cart_cli.cli import run; code = run(['log', 'temp', '37.1']); "
    "print(code, *sorted(m.rsplit('.', 1)[1] for m in sys.modules if m.startswith('cart_cli.commands.')))"
)


def test_log_temp_loads_only_its_own_command_group():
    """`cart log temp` imports the modules of the log group and of the root (global options,
    dashboard), not those of the other commands: cart builds only the command it runs."""
    done = run_process(python_options=("-c", _LOADED_COMMAND_MODULES))
    assert done.returncode == 0 and "Stored #" in done.stdout, done
    code, *modules = done.stdout.splitlines()[-1].split()
    loaded = set(modules)
    assert code == "0" and "log" in loaded, done
    assert loaded <= {"base", "log", "neuro", "overview"}


def test_the_guard_sees_a_heavy_import():
    """The parser of ``-X importtime`` output finds a heavy module when one is loaded."""
    done = run_process(python_options=("-X", "importtime", "-c", "import rich.console"))
    assert "rich" in _imported_modules(done.stderr)


# -- packaging and CI: one version, a typed package, CI runs what the README says ------------


def _pyproject() -> dict:
    import tomllib

    return tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))


def test_the_version_is_written_in_one_place():
    """pyproject.toml reads the version from cart_cli.__version__ instead of repeating it."""
    pyproject = _pyproject()
    assert "version" not in pyproject["project"]
    assert "version" in pyproject["project"]["dynamic"]
    assert pyproject["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "cart_cli.__version__"}


def test_the_package_ships_py_typed():
    """The package says it is typed (PEP 561), and the file is installed with it."""
    assert (REPO / "cart_cli" / "py.typed").is_file()
    assert "py.typed" in _pyproject()["tool"]["setuptools"]["package-data"]["cart_cli"]


def test_ci_runs_the_test_commands_the_readme_gives():
    """Every pytest and ruff command in .ci/run is written the same way in the README."""
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    commands = [
        line.split(" ", 1)[1].replace('"$venv/bin/', "").replace('"', "").strip()
        for line in ci.splitlines()
        if line.startswith("step ")
    ]
    assert any("-m pytest -q -m slow" in command for command in commands)
    assert any(command.endswith("-m pytest -q") for command in commands)
    for command in commands:
        assert f".venv/bin/{command}" in readme, command
