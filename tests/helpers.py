"""Small assertions the end-to-end CLI tests share (imported as ``from helpers import ...``)."""

from __future__ import annotations

import re


def flat(text: str) -> str:
    """Screen text with box-drawing borders and line wrapping taken out, for phrase checks."""
    return " ".join(re.sub("[\u2500-\u257f]", " ", text).split())


def assert_one_line_error(result, code: int) -> None:
    """The command exited with ``code``, said one line on stderr, and showed no traceback."""
    assert result.code == code, result
    assert len(result.err.strip().splitlines()) == 1, result
    assert "Traceback" not in result.err + result.out, result
