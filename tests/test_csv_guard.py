"""The spreadsheet-formula guard holds whatever separator a spreadsheet splits on (issue 19
item 6): , ; tab | and line breaks, with or without spaces after them."""

from __future__ import annotations

import re
import sqlite3

import pytest

from cart_cli.exporters import guard_formulas

SEPARATORS = [",", ";", "\t", "|"]
HOSTILE_NOTES = [
    "x;=1+1;",
    "x; =1+1",
    'a\t=HYPERLINK("http://x")',
    "a|@SUM(A1)",
    "a, +1 shivering",
    "line one\n-2+3",
    "line one\r\n=1+1",
    "=1+1",
    "  =1+1",
    "\t=1",
    "x;;;=cmd|' /C calc'!A0",
]
FORMULA = re.compile(r"[=+\-@]")


def cells(text: str, separator: str) -> list[str]:
    """What a spreadsheet splitting on ``separator`` (and on lines) could put in its cells:
    pieces with spaces and double quotes around them taken away."""
    return [piece.strip(' "') for line in re.split(r"\r\n|\n|\r", text) for piece in line.split(separator)]


@pytest.mark.parametrize("separator", SEPARATORS)
def test_no_cell_of_a_csv_export_starts_a_formula_whatever_the_separator(cart, db_path, separator):
    """Hostile notes (as another program may store them: tabs and returns too) exported as
    CSV through the CLI: split the file on any separator, no cell starts with = + - or @."""
    for _ in HOSTILE_NOTES:
        assert cart("log", "fatigue", "3").code == 0
    with sqlite3.connect(db_path) as conn:
        for number, note in enumerate(HOSTILE_NOTES, start=1):
            conn.execute("UPDATE entries SET note = ? WHERE id = ?", (note, number))
    conn.close()
    out = cart("export", "--format", "csv").out
    body = out.split("\r\n", 1)[1]  # the header has no text of the person's
    text_cells = [cell for cell in cells(body, separator) if not re.fullmatch(r"[-+:\dT. ]*", cell)]
    offending = [cell for cell in text_cells if FORMULA.match(cell)]
    assert offending == []


@pytest.mark.parametrize(
    ("text", "guarded"),
    [
        ("x;=1+1;", "x;'=1+1;"),
        ("x; =1+1", "x; '=1+1"),
        ("a|@SUM(A1)", "a|'@SUM(A1)"),
        ("a\t+1", "a\t'+1"),
        ("line\n-2", "line\n'-2"),
        ("=1", "'=1"),
        ("slept badly; better", "slept badly; better"),
        ("2-3 times", "2-3 times"),
        ("", ""),
    ],
)
def test_guard_formulas_marks_only_what_could_start_a_formula(text, guarded):
    assert guard_formulas(text) == guarded
