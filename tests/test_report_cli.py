"""`cart report` and `cart chart` through the real CLI, against the test's own database."""

from __future__ import annotations

import json
import os
import stat
from datetime import date, timedelta
from pathlib import Path

import pytest
from helpers import assert_one_line_error, flat

ATTACK = "<script>alert(1)</script><img src=x onerror=alert(2)>"


@pytest.fixture
def set_up(cart, tmp_path, monkeypatch):
    """A plan (infusion 10 days ago), a few readings, and the current folder a temp one."""
    monkeypatch.chdir(tmp_path)
    infusion = date.today() - timedelta(days=10)
    assert cart("setup", "--infusion-date", infusion.isoformat(), "--phone", "01632 960 111").code == 0
    assert cart("log", "temp", "36.8", "--at", "2 days ago", "--note", ATTACK).code == 0
    cart("log", "temp", "38.3", "--at", "1 day ago")
    cart("log", "bp", "118/76", "--pulse", "88", "--at", "1 day ago")
    cart("log", "symptom", "cough", "--at", "1 day ago")
    cart("log", "temp", "36.9", "--at", "1h ago")
    return tmp_path


def test_report_writes_an_owner_only_file_named_for_today(cart, set_up):
    result = cart("report")
    assert result.code == 0, result
    target = set_up / f"cart-report-{date.today().isoformat()}.html"
    assert str(target.name) in result.out
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    html = target.read_text(encoding="utf-8")
    assert "Temperature" in html and "38.3 °C" in html and "cough" in html
    assert "not a medical device" in html
    assert not [p for p in set_up.iterdir() if p.name.endswith(".partial")]


def test_the_note_attack_is_text_not_markup(cart, set_up):
    """The issue's test note appears escaped, and no script or img tag is in the page."""
    assert cart("report", "-o", "r.html").code == 0
    html = (set_up / "r.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;" in html
    assert "<script" not in html.lower() and "<img" not in html.lower()
    assert "http://" not in html.replace("http://www.w3.org/2000/svg", "") and "https://" not in html


def test_report_never_overwrites_without_force(cart, set_up):
    assert cart("report", "-o", "r.html").code == 0
    (set_up / "r.html").write_text("keep me", encoding="utf-8")
    refused = cart("report", "-o", "r.html")
    assert_one_line_error(refused, 2)
    assert "--force" in refused.err
    assert (set_up / "r.html").read_text(encoding="utf-8") == "keep me"
    assert cart("report", "-o", "r.html", "--force").code == 0
    assert "Temperature" in (set_up / "r.html").read_text(encoding="utf-8")


def test_report_json_gives_the_path_and_summary(cart, set_up):
    result = cart("report", "--days", "3", "-o", "three.html", "--json")
    assert result.code == 0, result
    data = json.loads(result.out)
    assert data["path"] == "three.html"
    assert data["days"] == 3
    assert data["red_days"] >= 1  # the 38.3 °C fever yesterday
    assert data["highest_celsius"] == 38.3


def test_since_sets_the_first_day(cart, set_up):
    first = date.today() - timedelta(days=1)
    data = json.loads(cart("report", "--since", first.isoformat(), "-o", "s.html", "--json").out)
    assert (data["start"], data["days"]) == (first.isoformat(), 2)


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("--days", "0"), "--days"),
        (("--days", "99999"), "--days"),
        (("--days", "3", "--since", "2026-01-01"), "not both"),
        (("--since", "next tuesday please"), ""),
        (("-o", "no-such-folder/r.html"), "does not exist"),
    ],
)
def test_bad_options_are_one_line_errors(cart, set_up, args, says):
    result = cart("report", *args)
    assert_one_line_error(result, 2)
    assert says in result.err
    assert not list(set_up.glob("*.html"))


def test_report_before_setup_says_what_to_do(cart, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = cart("report")
    assert_one_line_error(result, 1)
    assert "cart setup" in result.err
    assert not list(tmp_path.iterdir())
    assert not Path(os.environ["CART_DB"]).exists()  # reading never creates the database


def test_chart_draws_temperature_with_its_lines_at_80_columns(cart, set_up, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("NO_COLOR", "1")
    result = cart("chart")
    assert result.code == 0, result
    lines = result.out.splitlines()
    assert all(len(line) <= 80 for line in lines), max(lines, key=len)
    assert "\x1b[" not in result.out
    text = flat(result.out)
    assert "Temperature (°C)" in text
    assert "38.0 °C fever" in text and "37.5 °C call" in text
    assert result.out.count("●") >= 3  # the three temperatures of the last 7 days


def test_chart_json_lists_the_points(cart, set_up):
    data = json.loads(cart("chart", "bp", "--days", "3", "--json").out)
    assert data["what"] == "bp"
    assert sorted((p["series"], p["value"]) for p in data["points"]) == [("diastolic", 76), ("systolic", 118)]
    assert {g["value"] for g in data["guides"]} == {90, 100}


def test_chart_with_nothing_logged_says_so(cart, set_up):
    result = cart("chart", "spo2")
    assert result.code == 0
    assert "Nothing logged" in result.out


def test_chart_refuses_an_unknown_kind(cart, set_up):
    result = cart("chart", "mood")
    assert_one_line_error(result, 2)
    assert "temp" in result.err


def test_demo_ends_by_saying_how_to_make_its_report(cart):
    result = cart("demo")
    assert result.code == 0
    assert "cart demo --report" in flat(result.out)


def test_demo_report_is_written_and_never_over_a_file(cart, tmp_path):
    target = tmp_path / "demo.html"
    result = cart("demo", "--report", str(target))
    assert result.code == 0, result
    html = target.read_text(encoding="utf-8")
    assert "Demo Haematology Day Unit" in html and "38.4 °C" in html
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    target.write_text("mine", encoding="utf-8")
    refused = cart("demo", "--report", str(target))
    assert_one_line_error(refused, 2)
    assert refused.out == ""  # refused before the demo runs
    assert target.read_text(encoding="utf-8") == "mine"
