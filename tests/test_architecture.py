"""The layers the README describes, checked on the source: the core knows nothing of the
terminal, so it can be used as a library and tested without one."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "cart_cli"
# The layers allowed to draw or parse a command line.
FRONT = ("__main__.py", "cli.py", "commands", "render")
TERMINAL_LIBRARIES = ("typer", "click", "rich")


def imported_modules(path: Path) -> set[str]:
    """Every module a file imports, at the top or inside a function."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


CORE_FILES = sorted(path for path in PACKAGE.rglob("*.py") if path.relative_to(PACKAGE).parts[0] not in FRONT)


def test_there_is_a_core_to_check():
    """The list below is not empty, and it holds the modules the README calls the core."""
    names = {path.relative_to(PACKAGE).as_posix() for path in CORE_FILES}
    assert {"rules.py", "store.py", "timeline.py", "verdict.py", "neuro.py", "schedule.py"} <= names


@pytest.mark.parametrize("path", CORE_FILES, ids=lambda path: path.relative_to(PACKAGE).as_posix())
def test_the_core_never_imports_a_terminal_library(path):
    """Outside __main__.py, cli.py, commands/ and render/, no module imports Typer, Click or Rich."""
    found = {name for name in imported_modules(path) if name.split(".")[0] in TERMINAL_LIBRARIES}
    assert not found, f"{path.name} imports {sorted(found)}"


@pytest.mark.parametrize("path", CORE_FILES, ids=lambda path: path.relative_to(PACKAGE).as_posix())
def test_the_core_never_imports_the_command_line(path):
    """No core module reaches up into the command line (data flows one way)."""
    up = {
        name
        for name in imported_modules(path)
        if name.startswith(("cart_cli.cli", "cart_cli.commands", "cart_cli.render"))
    }
    assert not up, f"{path.name} imports {sorted(up)}"
