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


def run_process(*args: str, env_extra: dict | None = None) -> subprocess.CompletedProcess:
    """``python -m cart_cli`` as a real process, with the test's CART_DB (from the environment)."""
    env = dict(os.environ, PYTHONPATH=str(REPO), **(env_extra or {}))
    return subprocess.run(
        [sys.executable, "-m", "cart_cli", *args],
        check=False, capture_output=True, text=True, env=env, cwd=REPO, timeout=60,
    )  # fmt: skip
