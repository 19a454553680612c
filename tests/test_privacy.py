"""Privacy: files are the owner's alone, nothing is sent anywhere, crashes print no data.

Modes are checked under a permissive umask (0o022, a common default), so the tests prove
cart sets the modes itself. ``cli.run`` also sets umask 0o077, so the store and transfer
functions are tested directly too, where no one has tightened the umask for them.
"""

from __future__ import annotations

import ast
import os
import sqlite3
import stat
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

import cart_cli
from cart_cli import exporters, files, migrations, transfer
from cart_cli.models import Entry
from cart_cli.store import Store

NOW = datetime(2026, 11, 27, 14, 25, 1, tzinfo=ZoneInfo("Europe/London"))
PACKAGE = Path(cart_cli.__file__).parent
SECRET = "38.7-secret"
# Standard-library and common third-party modules that can open a network connection.
NETWORK_MODULES = {
    "socket", "ssl", "socketserver", "http", "urllib", "urllib3", "requests", "httpx", "aiohttp",
    "ftplib", "smtplib", "poplib", "imaplib", "telnetlib", "xmlrpc", "webbrowser", "asyncio",
}  # fmt: skip


def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def permissive_umask():
    """Run the test under umask 0o022 (files 0644, folders 0755 unless cart says otherwise)."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


# -- file modes ----------------------------------------------------------------------------


def test_database_wal_shm_and_new_folders_are_owner_only(tmp_path, permissive_umask):
    """While a connection is open, the database, -wal and -shm are 0600 and new folders 0700."""
    path = tmp_path / "made" / "by-cart" / "cart.db"
    with Store.open(path, now=NOW) as store:
        store.add([Entry(kind="temp", recorded_at=NOW, celsius=37.0)], NOW)
        wal, shm = path.with_name("cart.db-wal"), path.with_name("cart.db-shm")
        assert wal.exists() and shm.exists()
        assert {name: mode(file) for name, file in [("db", path), ("wal", wal), ("shm", shm)]} == {
            "db": 0o600, "wal": 0o600, "shm": 0o600,
        }  # fmt: skip
    assert mode(tmp_path / "made") == 0o700
    assert mode(tmp_path / "made" / "by-cart") == 0o700


def test_backups_and_exports_are_owner_only(tmp_path, permissive_umask):
    """Backups and JSON/CSV export files are created 0600, even when replacing a 0644 file."""
    with Store.open(tmp_path / "cart.db", now=NOW) as store:
        store.add([Entry(kind="fatigue", recorded_at=NOW, score=0)], NOW)
        made = [transfer.backup(store, None, NOW).path]
        for name, write in [
            ("export.json", lambda out: exporters.export_json(store, out, NOW)),
            ("export.csv", lambda out: exporters.export_csv(store, out)),
        ]:
            target = tmp_path / name
            target.write_text("an older file anyone could read")
            assert mode(target) == 0o644  # the umask really is permissive
            with files.private_output(target, force=True) as out:
                write(out)
            made.append(target)
    assert {path.name: mode(path) for path in made} == {path.name: 0o600 for path in made}


def test_the_backup_kept_before_a_migration_is_owner_only(tmp_path, permissive_umask):
    """The copy kept before upgrading an old database is 0600 too."""
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path, isolation_level=None)
    migrations.apply(conn, stop_before="m002_entry_uid")
    conn.execute("PRAGMA user_version = 1")
    conn.close()
    os.chmod(path, 0o600)
    with Store.open(path, now=NOW) as store:
        assert store.migration_backup is not None
        assert mode(store.migration_backup) == 0o600


def test_commands_create_owner_only_files_whatever_the_umask(cart, db_path, tmp_path, permissive_umask):
    """`cart log`, `backup` and `export --output` leave only 0600 files in a 0700 data folder."""
    assert cart("log", "temp", "37.1").code == 0
    backup = tmp_path / "backup.db"
    export = tmp_path / "export.csv"
    assert cart("backup", str(backup)).code == 0
    assert cart("export", "--output", str(export)).code == 0
    assert mode(db_path.parent) == 0o700
    assert {p.name: mode(p) for p in (db_path, backup, export)} == {
        p.name: 0o600 for p in (db_path, backup, export)
    }


# -- nothing is sent anywhere ----------------------------------------------------------------


def imported_modules(source: str) -> set[str]:
    """Top-level names of every module a source file imports (at any depth of the code)."""
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_the_scan_recognises_network_imports():
    """The scanner finds imports inside functions and dotted ones (so the next test means something)."""
    source = "def f():\n    import urllib.request\n    from http import client\n"
    assert imported_modules(source) >= {"urllib", "http"}


# `cart serve` listens (on 127.0.0.1 unless --lan) and answers; it never connects anywhere.
# Its server binds the listening socket itself and `--open` hands the link to this computer's
# browser; its routes use urllib.parse only, to read a posted form and build a redirect.
SERVER_ALLOWED = {"web/server.py": ["socket", "webbrowser"], "web/routes.py": ["urllib"]}


def test_no_module_in_cart_imports_anything_that_can_talk_to_a_network():
    """No file in cart_cli imports socket, urllib, http, requests or the like (the local web
    server's listening socket and form parsing apart)."""
    files = sorted(PACKAGE.rglob("*.py"))
    assert PACKAGE / "transfer.py" in files
    found = {
        path.relative_to(PACKAGE).as_posix(): sorted(
            imported_modules(path.read_text(encoding="utf-8")) & NETWORK_MODULES
        )
        for path in files
    }
    assert {name: hits for name, hits in found.items() if hits} == SERVER_ALLOWED


def test_the_server_uses_urllib_only_to_parse():
    """web/routes.py imports nothing from urllib but its parser."""
    tree = ast.parse((PACKAGE / "web" / "routes.py").read_text(encoding="utf-8"))
    modules = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module} | {
        alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names
    }
    assert {name for name in modules if name.startswith("urllib")} == {"urllib.parse"}


def test_no_module_imports_by_name_at_run_time():
    """No __import__ or importlib calls, which could load a network module the scan cannot see."""
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        calls = {
            ast.unparse(node.func) for node in ast.walk(tree) if isinstance(node, ast.Call)
        }  # fmt: skip
        assert not {call for call in calls if "__import__" in call or "import_module" in call}, path


# -- crashes print no data -------------------------------------------------------------------


def leaky_failure(*args, **kwargs):
    """A bug deep in cart, while a health value sits in a local variable."""
    reading = "38.7" + "-secret"  # built, so the line that raises does not show it either
    readings = [reading]
    raise RuntimeError(f"failed after {len(readings)} reading")


@pytest.mark.parametrize(
    ("target", "command"),
    [
        ((Store, "add"), ["log", "temp", "38.7"]),
        ((exporters, "export_json"), ["export"]),
    ],
)
def test_an_unexpected_error_shows_no_traceback_and_no_values(cart, monkeypatch, target, command):
    """Without --debug: one line, no traceback, no local values; with --debug a traceback, still no values."""
    if command[0] != "log":
        assert cart("log", "temp", "37.0").code == 0  # something to export
    monkeypatch.setattr(*target, leaky_failure)

    quiet = cart(*command)
    assert quiet.code == 1
    assert "Traceback" not in quiet.err and SECRET not in quiet.err + quiet.out
    assert quiet.err.count("\n") == 1 and "--debug" in quiet.err

    loud = cart("--debug", *command)
    assert loud.code == 1
    assert "Traceback" in loud.err and "leaky_failure" in loud.err
    assert SECRET not in loud.err + loud.out
