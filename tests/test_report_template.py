"""The report's page comes from ``report_html``, a module made from templates/report.html.j2 by
``python -m cart_cli.report.compile_template``: it must be up to date, give exactly Jinja2's
page for every kind of report, and spare `cart report` importing Jinja2."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from cart_cli.models import Entry, Plan
from cart_cli.report import render_html, template
from cart_cli.report.build import DETAIL_DAYS, build_report
from cart_cli.report.compile_template import MODULE_PATH, Unsupported, compiled_source, environment

TZ = timezone(timedelta(hours=1))
NOW = datetime(2026, 6, 21, 20, 0, tzinfo=TZ)
ODD = "<b>bold</b> & \"quoted\" 'single' </td><script>alert(1)</script>"


def at(day: int, hour: int) -> datetime:
    return datetime(2026, 6, 1, hour, tzinfo=TZ) + timedelta(days=day)


def entries() -> list[Entry]:
    made = [
        Entry(kind="temp", recorded_at=at(15, 8), celsius=38.4, note=ODD),
        Entry(kind="temp", recorded_at=at(16, 8), celsius=37.6, site="armpit"),
        Entry(kind="bp", recorded_at=at(17, 9), systolic=95, diastolic=60, pulse=120),
        Entry(kind="symptom", recorded_at=at(18, 10), symptom="cough", severity="severe"),
        Entry(kind="symptom", recorded_at=at(18, 11), symptom="other", other=ODD),
        Entry(kind="call", recorded_at=at(18, 12), outcome=ODD, note="rang the ward"),
        Entry(kind="med", recorded_at=at(19, 8), medicine="paracetamol 1g"),
        Entry(kind="fluids", recorded_at=at(19, 9), litres=1.5),
        Entry(kind="fatigue", recorded_at=at(19, 10), score=9),
        Entry(kind="bloods", recorded_at=at(19, 11), neutrophils=0.4, crp=85.0),
        Entry(kind="temp", recorded_at=NOW + timedelta(hours=3), celsius=36.5),  # dated after now
    ]
    return [replace(e, id=i + 1) for i, e in enumerate(made)]


PLANS = {
    "plain": Plan(infusion_date=date(2026, 6, 1)),
    "odd text": Plan(
        infusion_date=date(2026, 6, 1),
        hospital=ODD,
        phone="01632 960 111",
        diagnosis="lymphoma",
        fever_threshold_c=37.5,
        reading_gap_hours=6,
        sentence="The quick brown fox",
    ),
}


@pytest.mark.parametrize("plan", PLANS.values(), ids=PLANS.keys())
@pytest.mark.parametrize(
    "start", [date(2026, 6, 21), date(2026, 6, 1), date(2026, 6, 21) - timedelta(days=DETAIL_DAYS + 5)]
)
@pytest.mark.parametrize("logged", ["none", "some"])
def test_the_module_gives_exactly_jinjas_page(plan, start, logged):
    """No entries or some, a day or a detailed month or a per-day period, user text with
    markup in it: the same bytes as Jinja2 rendering the template."""
    report = build_report(entries() if logged == "some" else [], plan, NOW, start)
    page = render_html(report)
    assert page == template().render(r=report)
    assert "<script>alert" not in page


def test_the_module_is_up_to_date_with_the_template():
    """Run `python -m cart_cli.report.compile_template` after changing the template."""
    assert MODULE_PATH.read_text(encoding="utf-8") == compiled_source()


@pytest.mark.parametrize(
    "construct",
    ["{{ r|title }}", "{% for x in r %}{{ loop.index }}{% endfor %}", "{% macro m() %}{% endmacro %}",
     "{{ ('a' if r) ~ 'b' }}", "{{ r(key=1) }}"],
)  # fmt: skip
def test_a_construct_the_compiler_does_not_know_fails_loudly(construct):
    """A template construct it cannot render exactly stops the compiler; nothing is guessed."""
    from cart_cli.report.compile_template import _Writer

    tree = environment().parse(construct)
    with pytest.raises(Unsupported):
        _Writer().body(tree.body, 1)


def test_cart_report_imports_no_jinja(tmp_path: Path):
    """A real `cart report` process finishes without Jinja2 or markupsafe in its modules."""
    probe = (
        "import sys, runpy\n"
        "sys.argv = ['cart', 'report', '--output', sys.argv[1]]\n"
        "try:\n"
        "    runpy.run_module('cart_cli', run_name='__main__')\n"
        "except SystemExit as done:\n"
        "    assert not done.code, done.code\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('jinja2', 'markupsafe')))\n"
    )
    env = {"HOME": str(tmp_path), "CART_DB": str(tmp_path / "cart.db"), "PATH": "/usr/bin:/bin"}
    root = Path(__file__).resolve().parent.parent
    env["PYTHONPATH"] = str(root)
    setup = [sys.executable, "-m", "cart_cli", "setup", "--infusion-date", "2026-11-01"]
    subprocess.run(setup, env=env, check=True, capture_output=True)
    done = subprocess.run(
        [sys.executable, "-c", probe, str(tmp_path / "r.html")], env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"
    assert (tmp_path / "r.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
