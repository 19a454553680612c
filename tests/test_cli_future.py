"""An entry dated after now (a phone with a fast clock, an import from another device) is
counted as now by every surface (issue 18, item 4): the check, the report, the chart; history
marks it. And with nothing logged at all, the check says so plainly.

`cart log --at` refuses a time in the future, so the entry is put in the test's database the
way an import would: straight through the store.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from helpers import flat
from test_cli_check import set_up

from cart_cli.models import Entry
from cart_cli.store import Store


def _add_future_fever(db_path, minutes: int = 90) -> datetime:
    now = datetime.now().astimezone()
    when = now + timedelta(minutes=minutes)
    with Store.open(db_path, now=now) as store:
        store.add([Entry("temp", when, celsius=39.1)], now)
    return when


def test_a_future_fever_counts_as_now_on_every_surface(cart, db_path, tmp_path):
    """Check, report, chart, dashboard and history all count a fever dated 90 minutes ahead."""
    set_up(cart)
    _add_future_fever(db_path)
    checked = cart("check", "--json")
    data = json.loads(checked.out)
    assert (checked.code, data["level"]) == (2, "red") and data["future_entry_ids"]

    target = tmp_path / "r.html"
    summary = json.loads(cart("report", "--output", str(target), "--json").out)
    assert (summary["red_days"], summary["highest_celsius"], summary["entries"]) == (1, 39.1, 1)
    assert "counted as now" in target.read_text(encoding="utf-8")

    chart = json.loads(cart("chart", "temp", "--json").out)
    assert [p["value"] for p in chart["points"]] == [39.1]
    assert chart["points"][0]["recorded_at"] <= chart["until"]

    assert "latest 39.1 °C" in flat(cart().out)  # the dashboard's "Today so far"
    assert "counted as now" in flat(cart("history").out)
    assert "counted as now" in cart("history", "--limit", "500").out


def test_with_nothing_logged_the_check_says_nothing_has_been_logged_yet(cart):
    """No "since <date>" when there has never been an entry."""
    set_up(cart)
    data = json.loads(cart("check", "--json").out)
    assert data["level"] == "unknown"
    assert any(line.startswith("Nothing has been logged yet") for line in data["missing"])
    assert not any("logged since" in line for line in data["missing"])
    assert "Nothing has been logged yet" in flat(cart("check").out)


def test_with_only_older_entries_the_check_says_since_when(cart):
    """With entries before the window only, the check says since when none was logged."""
    set_up(cart)
    assert cart("log", "temp", "36.8", "--at", "5 days ago 08:00").code == 0
    data = json.loads(cart("check", "--json").out)
    assert any("No temperature has been logged since" in line for line in data["missing"])
