"""Shared fixtures. Every test runs with its own data folder, so none can touch real data."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest

# The suite runs in one fixed time zone, so local-time output and day boundaries are stable.
os.environ["TZ"] = "Europe/London"
time.tzset()


@pytest.fixture(autouse=True)
def private_data_dir(tmp_path_factory, monkeypatch) -> Path:
    """Point HOME, XDG_DATA_HOME and CART_DB at a temp folder for every test."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("CART_DB", str(home / "data" / "cart.db"))
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("COLUMNS", "100")
    return home


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
    from cart_cli.cli import run

    def invoke(*args: str, stdin: str = "") -> Result:
        import io

        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        capsys.readouterr()
        code = run(list(args))
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return invoke
