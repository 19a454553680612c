"""One verdict, every surface: the same database gives the same level and headline on each.

For every case of the check table (tests/test_cli_check.py) the entries are logged through the
real CLI, and then each surface is read: the advice `cart log` printed for the last entry,
`cart check`, `cart check --json`, the dashboard (`cart` alone) and the clinic report (its
HTML and its `--json` summary). `cart check --json` is the reference each is compared with.
A handful of cases (one per level) run by default; the whole table is marked slow (CI runs it).
"""

from __future__ import annotations

import html
import json
import re

import pytest
from helpers import flat
from test_cli_check import CHECK_EXIT, TRIGGERS, log, set_up

FAST_CASES = {"fever at 38.0", "emergency: seizure", "temp 37.5", "normal temperature", "not set up"}


def _cases() -> list:
    return [
        pytest.param(*row[1:], id=row[0], marks=() if row[0] in FAST_CASES else pytest.mark.slow)
        for row in TRIGGERS
    ]


def _banner(data: dict) -> str:
    return f"{data['level'].upper()}: {data['headline']}"


def _report_text(cart, tmp_path) -> tuple[dict, str]:
    target = tmp_path / "report.html"
    result = cart("report", "--output", str(target), "--json")
    assert result.code == 0, result
    page = html.unescape(re.sub(r"<[^>]+>", " ", target.read_text(encoding="utf-8")))
    return json.loads(result.out), " ".join(page.split())


@pytest.mark.parametrize(("days", "setup_extra", "entries", "trigger", "level"), _cases())
def test_every_surface_says_the_same_level_and_headline(
    cart, tmp_path, days, setup_extra, entries, trigger, level
):
    """Log advice, check (text and JSON), dashboard and report agree on the level and headline."""
    if days is not None:
        set_up(cart, days, *setup_extra)
    for entry in entries[:-1]:
        log(cart, *entry)
    advice = cart("log", *entries[-1]) if entries else None

    checked = cart("check", "--json")
    reference = json.loads(checked.out)
    assert reference["level"] == level
    assert checked.code == CHECK_EXIT[level]
    banner = _banner(reference)

    text = cart("check")
    assert text.code == checked.code
    assert banner in flat(text.out), text.out

    if advice is not None:
        assert advice.code == 0, advice
        said = flat(advice.out)
        # A finding (or an earlier one) means advice with the verdict's words; green and
        # unknown print none, and then no level at all.
        if level in ("emergency", "red", "amber"):
            assert banner in said, said
        else:
            assert not any(word in said for word in ("EMERGENCY:", "RED:", "AMBER:")), said

    if days is None:
        return  # the dashboard and the report need a set-up: they say how to make one
    dashboard = cart()
    assert dashboard.code == 0, dashboard
    assert banner in flat(dashboard.out), dashboard.out

    summary, page = _report_text(cart, tmp_path)
    assert (summary["check_level"], summary["check_headline"]) == (reference["level"], reference["headline"])
    assert banner in page
