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


# --- no cycles, no private names (issue 18) ------------------------------------------------


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(path): path for path in PACKAGE.rglob("*.py")}


def _imports_from(path: Path) -> list[tuple[str, list[str]]]:
    """(module, names) of every `from cart_cli.x import a, b` in a file, wherever it is."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.module, [alias.name for alias in node.names]))
        elif isinstance(node, ast.Import):
            found += [(alias.name, []) for alias in node.names]
    return found


def _cart_imports(path: Path) -> set[str]:
    """The cart_cli modules a file imports (``from cart_cli import rules`` names rules)."""
    out = set()
    for module, names in _imports_from(path):
        if not module.startswith("cart_cli"):
            continue
        submodules = {f"{module}.{name}" for name in names} & MODULES.keys()
        out |= submodules or {module}
    return out


@pytest.mark.parametrize("path", sorted(MODULES.values()), ids=lambda path: _module_name(path))
def test_no_module_imports_another_modules_private_names(path):
    """`from cart_cli.x import _y` would tie a module to another's internals."""
    private = [
        f"{module}.{name}"
        for module, names in _imports_from(path)
        if module.startswith("cart_cli")
        for name in names
        if name.startswith("_") and not name.startswith("__")
    ]
    assert not private, f"{_module_name(path)} imports {private}"


# Circles that were in modules other work owned when this test was written (issue 18); each is
# checked to still exist, so the list can only shrink: break one, then remove it here.
KNOWN_CIRCLES = {
    "cart_cli.models <-> cart_cli.signs",  # Entry.describe reads the recognised words
    "cart_cli.web.app <-> cart_cli.web.routes",  # the app builds its routes lazily
    "cart_cli.medicines <-> cart_cli.schedule",  # the paracetamol guard reads the schedule
}


def test_core_modules_import_each_other_one_way_only():
    """No two core modules import each other, even inside a function or for type checking
    (the schedule/timeline circle of issue 18): the dependencies form layers."""
    core = {_module_name(p) for p in CORE_FILES}
    edges = {name: _cart_imports(MODULES[name]) & core for name in core}
    both_ways = {f"{a} <-> {b}" for a in edges for b in edges[a] if a < b and a in edges.get(b, set())}
    assert both_ways - KNOWN_CIRCLES == set()
    assert both_ways >= KNOWN_CIRCLES, f"broken since: {sorted(KNOWN_CIRCLES - both_ways)}; remove them"
    assert "cart_cli.schedule <-> cart_cli.timeline" not in both_ways
