"""Headless Chromium driven over the DevTools protocol, for the report's browser tests.

Why this way: ``--remote-debugging-pipe`` gives the DevTools protocol on two file
descriptors (3: commands in, 4: answers and events out, JSON messages ended by a NUL byte),
so no websocket client, port or extra package is needed, and the test sees the browser's own
record of what happened: every console message and page error (``Runtime`` and ``Log``
events) and every request the page made (``Network.requestWillBeSent``), instead of guessing
from log text. The same session takes the screenshot and prints the PDF.
"""

from __future__ import annotations

import base64
import contextlib
import io
import json
import os
import select
import shutil
import subprocess
import tempfile
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

# Every test here starts a real headless Chromium:
# CI runs them (`pytest -m slow`), so the default run stays fast.
pytestmark = pytest.mark.slow

BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome", "chrome")
TIMEOUT_S = 60.0


def find_browser() -> str | None:
    for name in BROWSER_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


@dataclass
class PageRun:
    """What the browser saw while loading one page."""

    console: list[dict[str, Any]] = field(default_factory=list)  # Runtime.consoleAPICalled
    errors: list[dict[str, Any]] = field(default_factory=list)  # Runtime.exceptionThrown
    log: list[dict[str, Any]] = field(default_factory=list)  # Log.entryAdded (CSP, network errors...)
    requests: list[str] = field(default_factory=list)  # every URL the page asked for
    screenshot: bytes = b""
    pdf: bytes = b""


class Browser:
    def __init__(self, executable: str) -> None:
        self.profile = tempfile.mkdtemp(prefix="cart-chromium-")
        to_browser_r, self._to_browser = os.pipe()
        self._from_browser, from_browser_w = os.pipe()

        def wire_fds() -> None:  # in the child: the protocol's fds are 3 (in) and 4 (out)
            os.dup2(to_browser_r, 3)
            os.dup2(from_browser_w, 4)

        self.process = subprocess.Popen(
            [
                executable,
                "--headless",
                "--no-sandbox",  # CI runs as root
                "--disable-gpu",
                "--disable-dev-shm-usage",  # small /dev/shm in containers
                "--remote-debugging-pipe",
                f"--user-data-dir={self.profile}",
                "--no-first-run",
                "--no-default-browser-check",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-extensions",
                "--hide-scrollbars",
                "--window-size=1100,1400",
                "about:blank",
            ],
            env=dict(os.environ, HOME=self.profile),  # nothing written to the real home (~/.pki, caches)
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=wire_fds,  # only dup2, before exec
            pass_fds=(3, 4),
        )
        os.close(to_browser_r)
        os.close(from_browser_w)
        self._next_id = 0
        self._buffer = b""
        self.events: list[dict[str, Any]] = []

    def close(self) -> None:
        with contextlib.suppress(OSError, RuntimeError, TimeoutError):
            self.send("Browser.close")
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self._to_browser)
        os.close(self._from_browser)
        shutil.rmtree(self.profile, ignore_errors=True)

    def _read_message(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self._from_browser], [], [], left)[0]:
                raise TimeoutError("the browser did not answer in time")
            chunk = os.read(self._from_browser, 1 << 20)
            if not chunk:
                raise RuntimeError("the browser closed the DevTools pipe")
            self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        message: dict[str, Any] = json.loads(raw)
        return message

    def send(
        self, method: str, params: dict[str, Any] | None = None, session: str | None = None
    ) -> dict[str, Any]:
        """Send one command and wait for its answer; events that arrive meanwhile are kept."""
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + TIMEOUT_S
        while True:
            reply = self._read_message(deadline)
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                result: dict[str, Any] = reply.get("result", {})
                return result
            if "method" in reply:
                self.events.append(reply)

    def wait_for(self, method: str, session: str) -> None:
        deadline = time.monotonic() + TIMEOUT_S
        while not any(e["method"] == method and e.get("sessionId") == session for e in self.events):
            message = self._read_message(deadline)
            if "method" in message:
                self.events.append(message)

    def load(self, page: Path) -> PageRun:
        """Open ``page`` in a new tab, wait for it to load, screenshot it and print it to PDF."""
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.send(f"{domain}.enable", session=session)
        self.events.clear()
        self.send("Page.navigate", {"url": page.resolve().as_uri()}, session=session)
        self.wait_for("Page.loadEventFired", session)
        run = PageRun()
        run.screenshot = base64.b64decode(
            self.send("Page.captureScreenshot", {"format": "png"}, session=session)["data"]
        )
        run.pdf = base64.b64decode(
            self.send(
                "Page.printToPDF",
                {"paperWidth": 8.27, "paperHeight": 11.69, "preferCSSPageSize": True},
                session=session,
            )["data"]
        )
        for event in self.events:
            if event.get("sessionId") != session:
                continue
            params = event["params"]
            if event["method"] == "Runtime.consoleAPICalled":
                run.console.append(params)
            elif event["method"] == "Runtime.exceptionThrown":
                run.errors.append(params)
            elif event["method"] == "Log.entryAdded":
                run.log.append(params["entry"])
            elif event["method"] == "Network.requestWillBeSent":
                run.requests.append(params["request"]["url"])
        self.send("Target.closeTarget", {"targetId": target})
        return run

    def screenshot_full(self, page: Path, width: int = 1000) -> bytes:
        """A PNG of the whole page at ``width`` CSS pixels (for the README's picture)."""
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        self.send("Page.enable", session=session)
        self.send(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": 1400, "deviceScaleFactor": 1, "mobile": False},
            session=session,
        )
        self.events.clear()
        self.send("Page.navigate", {"url": page.resolve().as_uri()}, session=session)
        self.wait_for("Page.loadEventFired", session)
        data = self.send("Page.captureScreenshot", {"format": "png"}, session=session)["data"]
        self.send("Target.closeTarget", {"targetId": target})
        return base64.b64decode(data)


# -- the tests ------------------------------------------------------------------------------

ATTACK = "<script>alert(1)</script><img src=x onerror=alert(2)>"
SCREENSHOT = Path(__file__).resolve().parents[1] / "docs" / "report.png"


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium for this module. In CI (CI=true) a missing browser is a failure:
    `.ci/run` installs it, so these tests never silently skip there."""
    executable = find_browser()
    if executable is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but no Chromium on PATH: .ci/run should have installed Debian's chromium")
        pytest.skip("no Chromium or Chrome on PATH (apt-get install chromium) to run the report in a browser")
    running = Browser(executable)
    yield running
    running.close()


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
    """No console message, no page error, no browser log entry (CSP or network errors land
    there), and no request but the page itself."""
    assert run.console == [], run.console
    assert run.errors == [], run.errors
    assert run.log == [], run.log
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
    assert not any(e["method"] == "Page.javascriptDialogOpening" for e in browser.events)
    _, text = pdf_text(run.pdf)
    assert ATTACK.replace(" ", "") in "".join(text.split())  # the PDF's text may wrap the note


def test_the_checks_catch_a_page_that_misbehaves(browser, tmp_path):
    """The harness itself: a page that logs an error and asks the network for an image is
    caught, so a clean result above means something."""
    page = tmp_path / "bad.html"
    page.write_text(
        "<!DOCTYPE html><title>bad</title><p>bad</p>"
        '<img src="http://cart-test.invalid/x.png"><script>console.error("boom")</script>',
        encoding="utf-8",
    )
    run = browser.load(page)
    assert [m["type"] for m in run.console] == ["error"]
    assert "http://cart-test.invalid/x.png" in run.requests
    _, text = pdf_text(run.pdf)
    assert "bad" in text
