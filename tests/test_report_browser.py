"""The clinic report in a real browser: Debian's Chromium driven by Playwright (tests/browser.py).

The test sees the browser's own record of what happened (every console message, page error
and request the page made) instead of guessing from log text; the same page takes the
screenshot and prints the PDF.
"""

from __future__ import annotations

import io
import os
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from browser import launched

# Every test here starts a real headless Chromium:
# CI runs them (`pytest -m slow`), so the default run stays fast.
pytestmark = pytest.mark.slow

ATTACK = "<script>alert(1)</script><img src=x onerror=alert(2)>"
SCREENSHOT = Path(__file__).resolve().parents[1] / "docs" / "report.png"


@dataclass
class PageRun:
    """What the browser saw while loading one page."""

    console: list[str] = field(default_factory=list)  # every console message (CSP and network errors too)
    errors: list[str] = field(default_factory=list)  # uncaught page errors
    requests: list[str] = field(default_factory=list)  # every URL the page asked for
    dialogs: list[str] = field(default_factory=list)
    screenshot: bytes = b""
    pdf: bytes = b""


class Browser:
    """Loads a report file in a fresh page, screenshots it and prints it to PDF."""

    def __init__(self, chromium: Any) -> None:
        self.chromium = chromium

    def load(self, page_file: Path, width: int = 1100) -> PageRun:
        run = PageRun()
        context = self.chromium.new_context(viewport={"width": width, "height": 1400})
        try:
            page = context.new_page()
            page.on("console", lambda message: run.console.append(f"{message.type}: {message.text}"))
            page.on("pageerror", lambda error: run.errors.append(str(error)))
            page.on("request", lambda request: run.requests.append(request.url))
            page.on("dialog", lambda dialog: (run.dialogs.append(dialog.message), dialog.dismiss()))
            page.goto(page_file.resolve().as_uri(), wait_until="load")
            run.screenshot = page.screenshot()
            run.pdf = page.pdf(width="8.27in", height="11.69in", prefer_css_page_size=True)
        finally:
            context.close()
        return run

    def screenshot_full(self, page_file: Path, width: int = 1000) -> bytes:
        """A PNG of the page at ``width`` CSS pixels (for the README's picture)."""
        context = self.chromium.new_context(viewport={"width": width, "height": 1400})
        try:
            page = context.new_page()
            page.goto(page_file.resolve().as_uri(), wait_until="load")
            png: bytes = page.screenshot()
            return png
        finally:
            context.close()


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium for this module (in CI a missing browser fails, never skips)."""
    with launched() as chromium:
        yield Browser(chromium)


def pixel_variety(png: bytes) -> tuple[int, float]:
    """How many colours a screenshot has, and the share of pixels that are not white."""
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    colours = image.getcolors(maxcolors=1 << 20) or []
    white = sum(count for count, rgb in colours if rgb == (255, 255, 255))
    return len(colours), 1 - white / (image.width * image.height)


def pdf_pages(pdf: bytes) -> list[str]:
    """The text of each page (NFKC: the PDF font's "ﬁ" ligature becomes "fi")."""
    from pypdf import PdfReader

    return [
        unicodedata.normalize("NFKC", page.extract_text() or "") for page in PdfReader(io.BytesIO(pdf)).pages
    ]


def pdf_text(pdf: bytes) -> tuple[int, str]:
    pages = pdf_pages(pdf)
    return len(pages), "\n".join(pages)


def assert_clean(run: PageRun, page: Path) -> None:
    """No console message (CSP or network errors land there), no page error, no dialog, and
    no request but the page itself."""
    assert run.console == [], run.console
    assert run.errors == [], run.errors
    assert run.dialogs == [], run.dialogs
    assert run.requests == [page.resolve().as_uri()], run.requests


def test_demo_report_in_a_real_browser(browser, cart, tmp_path):
    """The demo's report loads offline with nothing fetched and nothing logged, looks like
    something (not a blank page), and prints to a PDF holding the temperature chart's text."""
    page = tmp_path / "demo-report.html"
    assert cart("demo", "--report", str(page)).code == 0
    run = browser.load(page)
    assert_clean(run, page)
    colours, inked = pixel_variety(run.screenshot)
    assert colours > 50 and inked > 0.03, (colours, inked)
    pages, text = pdf_text(run.pdf)
    assert pages >= 2
    words = " ".join(text.split())
    for phrase in ("Temperature", "38.0 °C fever", "37.5 °C call", "d18", "24 Nov", "Days with red findings"):
        assert phrase in words, phrase
    assert "not a medical device" in words
    # A chart is never split across pages: its caption, top label and bottom label share one.
    for caption, first, last in (
        ("Temperature", "Infusion day", "36.0 °C low"),
        ("Blood pressure", "mmHg", "90 systolic"),
    ):
        assert any(caption in p and first in p and last in p for p in pdf_pages(run.pdf)), caption
    if os.environ.get("CART_UPDATE_SCREENSHOT") == "1":  # how docs/report.png is made
        SCREENSHOT.write_bytes(browser.screenshot_full(page))


def test_the_attack_note_is_shown_as_text_in_the_browser(browser, cart, tmp_path, monkeypatch):
    """The note reaches the page as its own characters: printed in the PDF, never run (no
    dialog, no console message, no request for the image 'x')."""
    monkeypatch.chdir(tmp_path)
    cart("setup", "--infusion-date", "2026-01-05", "--phone", "01632 960 111")
    assert cart("log", "temp", "37.9", "--note", ATTACK).code == 0
    assert cart("report", "-o", "attack.html").code == 0
    page = tmp_path / "attack.html"
    run = browser.load(page)
    assert_clean(run, page)
    _, text = pdf_text(run.pdf)
    assert ATTACK.replace(" ", "") in "".join(text.split())  # the PDF's text may wrap the note


def test_the_checks_catch_a_page_that_misbehaves(browser, tmp_path):
    """The harness itself: a page that logs an error, asks the network for an image and opens
    a dialog is caught, so a clean result above means something."""
    page = tmp_path / "bad.html"
    page.write_text(
        "<!DOCTYPE html><title>bad</title><p>bad</p>"
        '<img src="http://cart-test.invalid/x.png"><script>console.error("boom"); alert("hi")</script>',
        encoding="utf-8",
    )
    run = browser.load(page)
    assert "error: boom" in run.console
    assert "http://cart-test.invalid/x.png" in run.requests
    assert run.dialogs == ["hi"]
    _, text = pdf_text(run.pdf)
    assert "bad" in text


# -- at the sizes people use: a phone, and paper (#21, item 5) ---------------------------------


def test_the_report_at_phone_width(browser, cart, tmp_path):
    """At 390 px nothing is clipped or pushed off the side, chart text is readable, and the
    symptom grid starts with the symptoms' names."""
    from browser import PHONE

    page_file = tmp_path / "demo-report.html"
    assert cart("demo", "--report", str(page_file)).code == 0
    context = browser.chromium.new_context(**PHONE)
    try:
        page = context.new_page()
        page.goto(page_file.resolve().as_uri())
        width = page.evaluate("document.documentElement.clientWidth")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        cards = page.evaluate(
            "[...document.querySelectorAll('.summary div')].map(d => d.getBoundingClientRect().right)"
        )
        assert len(cards) == 5 and max(cards) <= width
        smallest = page.evaluate(
            "Math.min(...[...document.querySelectorAll('svg.chart text')]"
            ".map(t => t.getBoundingClientRect().height))"
        )
        assert smallest >= 9, smallest  # was about 5 px when the chart shrank to the screen
        name = page.locator("table.grid td.name").first.bounding_box()
        assert name is not None and 0 <= name["x"] < 60
        assert page.locator("table.grid td.name").first.inner_text().strip() != ""
    finally:
        context.close()


def test_the_printed_report_repeats_grid_headers_and_leaves_no_heading_alone(
    browser, tmp_path, db_path, cart
):
    """Printed to PDF: the symptom grid's day headers are on every page it spans, and no page
    ends with a heading whose content is on the next page."""
    import re
    from datetime import date, datetime, timedelta

    from cart_cli.models import Entry
    from cart_cli.store import Store
    from cart_cli.timefmt import LOCAL

    today = date.today()
    cart("setup", "--infusion-date", (today - timedelta(days=12)).isoformat(), "--phone", "01632 960 111")
    now = datetime.now(LOCAL)
    with Store.open(db_path, now=now) as store:
        store.add(
            [
                Entry(
                    kind="symptom",
                    recorded_at=now - timedelta(days=n % 10, minutes=n),
                    symptom="other",
                    other=f"odd feeling number {n}",
                )
                for n in range(70)
            ],
            now,
        )
    page_file = tmp_path / "long.html"
    assert cart("report", "-o", str(page_file)).code == 0
    run = browser.load(page_file)
    pages = pdf_pages(run.pdf)
    # the grid's rows name the words unquoted; the findings and entry tables quote them
    grid_pages = [p for p in pages if re.search(r"number \d+ \(own words\)", p)]
    assert len(grid_pages) >= 2
    assert all("Symptom" in p for p in grid_pages), [p[:300] for p in grid_pages if "Symptom" not in p]
    html = page_file.read_text(encoding="utf-8")
    headings = {
        " ".join(re.sub(r"<[^>]+>", " ", h).split())
        for h in re.findall(r"<(?:h2|h3|figcaption)[^>]*>(.*?)</(?:h2|h3|figcaption)>", html, re.S)
    }
    for text in pages[:-1]:
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        assert lines and lines[-1] not in headings, lines[-3:]
