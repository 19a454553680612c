"""Each clinical number is stated once (thresholds.py, or the plan's defaults in models.py) and
every message is built from it: no user-facing string in cart_cli writes one literally, so a
changed threshold can never leave a message saying the old one (issue 18, item 5).

Scanned: every string constant in cart_cli that is not a docstring (f-string parts too), and
the Jinja templates. Example command lines (strings starting with "cart ") are allowed to
show a value. The paracetamol daily limit's 24 hours belongs to the medicine schedule and is
not checked here (a 24 hours with no word of the check around it is not the check's window).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from cart_cli import thresholds
from cart_cli.models import DEFAULT_FEVER_THRESHOLD_C, DEFAULT_NO_DRIVING_WEEKS

PACKAGE = Path(__file__).resolve().parents[1] / "cart_cli"
STATED_IN = {"thresholds.py", "migrations.py"}  # where the numbers live; SQL CHECKs in migrations


def _temperature(value: float) -> re.Pattern[str]:
    whole = f"{value:g}"
    return re.compile(rf"(?<![\d.])({value:.1f}(?!\d)|{whole}\s*°\s*C)")


def _with_words(words: str, *numbers: int) -> re.Pattern[str]:
    alternatives = "|".join(str(n) for n in numbers)
    return re.compile(rf"(?i)(?:{words})\D{{0,25}}(?<![\d.])(?:{alternatives})(?![\d.])")


# What a clinical number looks like when written into a sentence.
PATTERNS = {
    "a temperature threshold": [
        _temperature(v)
        for v in (
            thresholds.RAISED_TEMPERATURE_C,
            thresholds.LOW_TEMPERATURE_C,
            thresholds.VERY_LOW_TEMPERATURE_C,
            DEFAULT_FEVER_THRESHOLD_C,
        )
    ],
    "an oxygen threshold": [
        re.compile(rf"(?<![\d.]){v}\s*%") for v in (thresholds.LOW_SPO2, thresholds.BORDERLINE_SPO2)
    ],
    "a blood pressure or pulse threshold": [
        _with_words(
            "systolic|pulse|beats|top number",
            thresholds.LOW_SYSTOLIC,
            thresholds.BORDERLINE_SYSTOLIC,
            thresholds.FAST_PULSE,
            thresholds.RAISED_PULSE,
        )
    ],
    "the medicine masking hours": [
        re.compile(rf"(?<![\d.]){thresholds.MEDICINE_MASK_HOURS}\s*hours? (?:after|of|since|before)\b")
    ],
    "the nervous-system window": [
        re.compile(rf"(?<![\d.]){thresholds.NEURO_WINDOW_WEEKS}[ -]weeks?\b"),
        re.compile(
            rf"(?<![\d.]){thresholds.NEURO_WINDOW_DAYS}\s*days\b|day {thresholds.NEURO_WINDOW_DAYS}\b"
        ),
    ],
    # The check window: `cart check` (and the screens that say what it looked at).
    "the check window": [re.compile(rf"check\S* looks? at the last {thresholds.CHECK_WINDOW_HOURS}\s*hours")],
    "the no-driving weeks": [re.compile(rf"(?<![\d.]){DEFAULT_NO_DRIVING_WEEKS} weeks\b")],
}


def _docstring_ids(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def _strings(path: Path) -> list[tuple[int, str]]:
    if path.suffix == ".j2":
        return list(enumerate(path.read_text(encoding="utf-8").splitlines(), start=1))
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = _docstring_ids(tree)
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip
    ]


FILES = sorted(p for p in [*PACKAGE.rglob("*.py"), *PACKAGE.rglob("*.j2")] if p.name not in STATED_IN)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_no_clinical_number_is_written_into_a_message(path):
    """A message names a threshold through its constant, never as a literal."""
    found = [
        f"line {line}: {what}: {text.strip()[:80]!r}"
        for line, text in _strings(path)
        if not text.startswith("cart ")
        for what, patterns in PATTERNS.items()
        if any(pattern.search(text) for pattern in patterns)
    ]
    assert not found, found


@pytest.mark.parametrize(
    ("text", "caught"),
    [
        ("at or above 38.0 °C", True),
        ("a temperature of 37.5 or more", True),
        ("38 °C or above", True),
        ("oxygen of 92% or less", True),
        ("a pulse over 130 beats", True),
        ("systolic of 90 or less", True),
        ("within 6 hours of a dose", True),
        ("within 8 weeks of the infusion", True),
        ("`cart check` looks at the last 24 hours", True),
        ("paracetamol in the last 24 hours", False),  # the daily limit's window, not the check's
        ("cart log temp 37.2", False),
        ("37.6 °C at 14:05", False),
        ("oxygen of 96%", False),
        ("call your team's 24-hour line", False),
        ("temperatures taken in the 6 hours after it", True),
        ("give e.g. 4h, 6 hours or 90m", False),
    ],
)
def test_the_scan_catches_numbers_and_passes_ordinary_values(text, caught):
    """The patterns catch each kind of threshold and leave ordinary readings alone."""
    assert any(p.search(text) for patterns in PATTERNS.values() for p in patterns) is caught
