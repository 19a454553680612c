"""Shared fixtures. Every test runs with its own data folder, so none can touch real data."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import pytest

# The suite runs in one fixed time zone, so local-time output and day boundaries are stable.
os.environ["TZ"] = "Europe/London"
time.tzset()

# Where the system has memory-backed storage (Linux's /dev/shm), the tests' temp folders go
# there: every test database is opened exactly as cart opens a real one (WAL,
# synchronous=FULL), and on a busy machine those syncs, not the tests, took most of the time.
# Elsewhere pytest's usual temp folder is used. Either way each run gets a fresh folder,
# removed at the end.
MEMORY_BACKED = Path("/dev/shm")


def _memory_backed_tmp() -> Path | None:
    if sys.platform != "linux" or not MEMORY_BACKED.is_dir() or not os.access(MEMORY_BACKED, os.W_OK):
        return None
    try:
        return Path(tempfile.mkdtemp(prefix="cart-tests-", dir=MEMORY_BACKED))
    except OSError:
        return None


def pytest_configure(config: pytest.Config) -> None:
    # The child processes of cart's real-process tests keep their compiled bytecode, as an
    # installed program does, even where PYTHONDONTWRITEBYTECODE is set: they read the
    # libraries' (compiled when pip installed them) and write cart's own once, into the
    # checkout's __pycache__ folders (ignored by git), instead of compiling every module at
    # every start.
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    if config.option.basetemp is not None or hasattr(config, "workerinput"):
        return  # chosen on the command line, or a worker of a parallel run (its parent chose)
    folder = _memory_backed_tmp()
    if folder is not None:
        config.option.basetemp = str(folder / "pytest")  # pytest makes it (and empties it)
        config.stash[_MADE_TMP] = folder
        # cart's own temporary folders (`cart demo`'s database, the check of a written
        # export), the tests', and those of every child process (cart, node, the browser)
        # go there too, not to a /tmp on disk. Workers of a parallel run inherit it.
        config.stash[_TMPDIR_BEFORE] = os.environ.get("TMPDIR")
        temporary = folder / "tmp"
        temporary.mkdir()
        os.environ["TMPDIR"] = str(temporary)
        tempfile.tempdir = None  # read TMPDIR again


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_auto_num_workers(config: pytest.Config) -> int | None:
    """``-n auto`` (in addopts): the default run uses a worker per core, as pytest-xdist
    counts them (or PYTEST_XDIST_AUTO_NUM_WORKERS). The heavy run (``-m slow``) stays in one
    process: its races, signals and browsers are timed for a machine they have to themselves."""
    selected = str(config.option.markexpr or "")
    heavy_run = "slow" in selected and "not slow" not in selected
    if heavy_run and "PYTEST_XDIST_AUTO_NUM_WORKERS" not in os.environ:
        return 0
    return None  # pytest-xdist's own count


def pytest_unconfigure(config: pytest.Config) -> None:
    folder = config.stash.get(_MADE_TMP, None)
    if folder is not None:
        before = config.stash.get(_TMPDIR_BEFORE, None)
        if before is None:
            os.environ.pop("TMPDIR", None)
        else:
            os.environ["TMPDIR"] = before
        tempfile.tempdir = None
        shutil.rmtree(folder, ignore_errors=True)


_MADE_TMP = pytest.StashKey[Path]()
_TMPDIR_BEFORE = pytest.StashKey[str | None]()


@pytest.fixture(autouse=True)
def private_data_dir(tmp_path_factory, monkeypatch) -> Path:
    """Point HOME, XDG_DATA_HOME, XDG_CACHE_HOME and CART_DB at a temp folder for every test."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))  # the report's compiled template
    monkeypatch.setenv("CART_DB", str(home / "data" / "cart.db"))
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("COLUMNS", "100")
    return home


@pytest.fixture(scope="session")
def new_database_template(tmp_path_factory) -> bytes:
    """The bytes of a new database as cart makes one: made once a run by cart's own
    ``Store.open`` (every migration, WAL, synchronous=FULL), then closed, so that the
    write-ahead log is folded into the file."""
    from cart_cli.store import Store

    path = tmp_path_factory.mktemp("template") / "cart.db"
    Store.open(path).close()
    assert not path.with_name("cart.db-wal").exists(), "the template must be one whole file"
    return path.read_bytes()


@pytest.fixture(autouse=True)
def new_databases_from_the_template(request, monkeypatch) -> None:
    """A database that cart creates in this process starts as a copy of the template instead
    of running every migration again (about 8 ms a test, in thousands of tests).

    cart still creates the file itself (its folders 0700, the file 0600, the same refusals);
    only the empty file it just made is filled with the template's bytes, so it opens
    already at the current schema, exactly as a second open of a new database would. Tests
    of the migrations themselves are marked ``real_migrations`` and run them in full; so does
    every test that starts cart as a real process.
    """
    if request.node.get_closest_marker("real_migrations"):
        return
    template = request.getfixturevalue("new_database_template")
    from cart_cli import store

    create_private_file = store.create_private_file

    def create_from_template(path: Path) -> list[Path]:
        existed = os.path.lexists(path)
        made = create_private_file(path)
        if not existed and os.path.getsize(path) == 0:
            with open(path, "r+b") as file:
                file.write(template)
        return made

    monkeypatch.setattr(store, "create_private_file", create_from_template)


@pytest.fixture
def db_path(private_data_dir) -> Path:
    return Path(os.environ["CART_DB"])


class Result:
    def __init__(self, code: int, out: str, err: str) -> None:
        self.code, self.out, self.err = code, out, err

    def __repr__(self) -> str:
        return f"Result(code={self.code}, out={self.out!r}, err={self.err!r})"


@pytest.fixture
def cart(capsys, monkeypatch):
    """Run the real CLI in-process: ``cart("log", "temp", "38.2")`` -> Result(code, out, err).

    stdin is not a terminal (as under cron or a script), so nothing prompts.
    """
    import cart_cli.cli
    from cart_cli.cli import run

    # raising=False: should cart stop building its root this way, tests run unchanged, uncached.
    monkeypatch.setattr(cart_cli.cli, "root_command", _root_command_built_once, raising=False)

    def invoke(*args: str, stdin: str = "") -> Result:
        import io

        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        capsys.readouterr()
        code = run(list(args))
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return invoke


_BUILT_ROOT: list[Any] = []


def _root_command_built_once() -> Any:
    """cart's Click command tree for the in-process runner, built once a test process.

    A real `cart` builds its root and the one command it runs once per process; the tests run
    thousands of commands in one process, so they keep the tree (each command still built on
    first use, by cart's own code) instead of building it again for every command, about 1 ms
    each time. Click makes a new context for every run; nothing of a run is kept in the tree.
    The real-process tests (tests/test_startup.py, test_working_tree.py) check the lazy build."""
    from cart_cli.commands.base import root_command

    if not _BUILT_ROOT:
        _BUILT_ROOT.append(root_command())
    return _BUILT_ROOT[0]


@pytest.fixture
def zone(monkeypatch):
    """``zone("America/New_York")`` runs the rest of a test in that time zone; the suite's
    (Europe/London) comes back after it."""

    def use(name: str) -> None:
        monkeypatch.setenv("TZ", name)
        time.tzset()

    yield use
    monkeypatch.undo()
    time.tzset()
