"""Small assertions the end-to-end CLI tests share (imported as ``from helpers import ...``)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path


def flat(text: str) -> str:
    """Screen text with box-drawing borders and line wrapping taken out, for phrase checks."""
    return " ".join(re.sub("[\u2500-\u257f]", " ", text).split())


def assert_one_line_error(result, code: int) -> None:
    """The command exited with ``code``, said one line on stderr, and showed no traceback."""
    assert result.code == code, result
    assert len(result.err.strip().splitlines()) == 1, result
    assert "Traceback" not in result.err + result.out, result


REPO = Path(__file__).resolve().parents[1]

# A real `cart` process, as `python -m cart_cli` (the console script needs an install).
CART_COMMAND = (sys.executable, "-m", "cart_cli")


def child_env(db: Path | None = None, **extra: str) -> dict[str, str]:
    """The test's environment for a child process: the private HOME and CART_DB from conftest
    (or ``db``), ``extra`` variables, and the working tree first on PYTHONPATH, so the child
    runs this checkout's code, never an installed copy."""
    env = dict(os.environ, **extra)
    if db is not None:
        env["CART_DB"] = str(db)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))
    return env


def run_process(
    *args: str | bytes,
    db: Path | None = None,
    env_extra: dict[str, str] | None = None,
    text: bool = True,
    python_options: tuple[str, ...] = (),
) -> subprocess.CompletedProcess:
    """Run ``python -m cart_cli ARGS`` as a real process and wait for it (60 s at most).

    Arguments may be bytes (as a shell can pass them); ``text=False`` returns bytes output.
    ``python_options`` go to the interpreter, e.g. ``("-X", "importtime")``.
    """
    python, *module = CART_COMMAND
    return subprocess.run(
        [python, *python_options, *module, *args],
        check=False,
        capture_output=True,
        text=text,
        env=child_env(db, **(env_extra or {})),
        cwd=REPO,
        timeout=60,
    )


def entry_count(db: Path, *, missing: int | None = None) -> int | None:
    """How many entries the database file holds, read directly with sqlite3 (not through cart);
    ``missing`` when there is no file yet (None by default, so "no file" is not "no entries")."""
    import sqlite3

    if not db.exists():
        return missing
    conn = sqlite3.connect(db)
    try:
        count: int = conn.execute("SELECT count(*) FROM entries").fetchone()[0]
        return count
    finally:
        conn.close()
