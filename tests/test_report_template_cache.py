"""A compiled Jinja2 template (the hand-over's, or the report's when rendered by Jinja2) is kept
in the user's cache folder, and is never stale.

Compiling a Jinja2 template took longer than the rest of a small report, so it is compiled
once per version of its text (Jinja2's bytecode cache, keyed by a checksum of the text). These
tests check the cache is used, that a changed template is compiled afresh, and that a cache
that cannot be used is never a reason to fail. `cart report` itself renders the report with
the module made from its template (``report_html``), which needs no cache at all.
"""

from __future__ import annotations

import os
from datetime import date, datetime, timedelta, timezone

import pytest
from jinja2 import DictLoader

from cart_cli.models import Entry, Plan
from cart_cli.report import TEMPLATE, cache_dir, render_html, template, template_cache
from cart_cli.report.build import build_report

TZ = timezone(timedelta(hours=1))
NOW = datetime(2026, 6, 21, 20, 0, tzinfo=TZ)
PLAN = Plan(infusion_date=date(2026, 6, 1), hospital="Ward 5", phone="01632 960 111")
ENTRIES = [Entry(kind="temp", recorded_at=NOW - timedelta(hours=2), celsius=38.4, id=1)]


def _cached_files() -> list[str]:
    folder = cache_dir() / "templates"
    return sorted(os.listdir(folder)) if folder.is_dir() else []


def test_the_cache_lives_in_the_users_cache_folder_which_the_tests_keep_private(private_data_dir):
    """conftest points the cache folder (like the data folder) into the test's own home."""
    assert cache_dir().is_relative_to(private_data_dir)


def test_a_report_written_from_the_cache_is_the_one_compiled_afresh(private_data_dir, tmp_path):
    """The first report compiles the template and stores it; later ones load it; all give
    the same page as a template compiled without any cache."""
    report = build_report(ENTRIES, PLAN, NOW, PLAN.infusion_date)
    assert _cached_files() == []
    first = template().render(r=report)
    stored = _cached_files()
    assert len(stored) == 1
    assert oct((cache_dir() / "templates").stat().st_mode & 0o777) == "0o700"
    again = template().render(r=report)
    assert _cached_files() == stored
    uncached = template(cache=template_cache(tmp_path / "elsewhere")).render(r=report)
    assert first == again == uncached == render_html(report)
    assert "38.4" in first


@pytest.mark.parametrize("edit", ["text", "tags"])
def test_a_changed_template_is_compiled_afresh(tmp_path, edit):
    """The cache is keyed by the template's text: after an edit the new text is used."""
    cache = template_cache(tmp_path / "cache")
    before = "<p>{{ r }}</p>"
    after = "<p>{{ r }}!</p>" if edit == "text" else "{% if r %}<b>{{ r }}</b>{% endif %}"
    assert template(DictLoader({TEMPLATE: before}), cache).render(r="one") == "<p>one</p>"
    changed = template(DictLoader({TEMPLATE: after}), cache).render(r="one")
    assert changed == ("<p>one!</p>" if edit == "text" else "<b>one</b>")
    assert len(os.listdir(tmp_path / "cache")) == 1  # the same name, rewritten


@pytest.mark.parametrize("damage", ["truncated", "garbage", "empty"])
def test_a_damaged_cache_file_is_compiled_again(private_data_dir, damage):
    """A cache file cut short or overwritten is not trusted: the report is still right."""
    report = build_report(ENTRIES, PLAN, NOW, PLAN.infusion_date)
    expected = template().render(r=report)
    (stored,) = _cached_files()
    path = cache_dir() / "templates" / stored
    data = path.read_bytes()
    path.write_bytes({"truncated": data[: len(data) // 2], "garbage": os.urandom(200), "empty": b""}[damage])
    assert template().render(r=report) == expected


def test_a_cache_folder_that_cannot_be_made_only_means_compiling(private_data_dir):
    """Where the cache folder should be there is a file: no cache, and the report is written."""
    cache_dir().parent.mkdir(parents=True, exist_ok=True)
    cache_dir().write_text("not a folder")
    assert template_cache() is None
    assert "38.4" in template().render(r=build_report(ENTRIES, PLAN, NOW, PLAN.infusion_date))


def test_cart_report_needs_no_cache(cart, tmp_path):
    """Through the real CLI: `cart report` renders with the module made from its template, so
    it compiles nothing and writes nothing to the cache folder."""
    assert cart("setup", "--infusion-date", "2026-11-01", "--phone", "01632 960 111").code == 0
    assert cart("log", "temp", "37.0").code == 0
    assert cart("report", "--output", str(tmp_path / "a.html")).code == 0
    assert cart("report", "--output", str(tmp_path / "b.html")).code == 0
    assert _cached_files() == []
    assert (tmp_path / "a.html").read_text(encoding="utf-8").count("37.0 °C") >= 1
