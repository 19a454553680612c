"""`cart serve` in a real browser: Debian's Chromium driven by Playwright, at phone size
(390 x 844, touch), against the real server process over the same database as the CLI.

Every page visited is checked the same way: no console error, no request to any other
origin, no sideways scrolling, tap targets of 44 px, and no serious or critical axe-core
violation.
"""

from __future__ import annotations

import io
import json
import os
import queue
import re
import subprocess
import threading
import time
from datetime import date, timedelta
from pathlib import Path

import pytest
from browser import PHONE, Watch, axe_problems, keyboard_problems, launched, layout_problems
from helpers import CART_COMMAND, REPO, child_env, run_process

pytestmark = pytest.mark.slow  # a real browser and a real server: CI runs them with -m slow

SCREENSHOT = REPO / "docs" / "serve-phone.png"
TEAM = "01632 960 111"


class Server:
    """`cart serve --port 0` as a real process; its pairing links are read from its output."""

    def __init__(self, db: Path, *extra: str) -> None:
        python, *module = CART_COMMAND
        self.process = subprocess.Popen(
            [python, *module, "serve", "--port", "0", *extra],
            env=child_env(db),
            cwd=REPO,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.output: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()
        self.origin = ""

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.output.append(line)
            self.lines.put(line)

    def next_link(self) -> str:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=1)
            except queue.Empty:
                assert self.process.poll() is None, self.process.stderr.read() if self.process.stderr else ""
                continue
            found = re.search(r"(http://[\d.:]+)/pair\?token=\S+", line)
            if found:
                self.origin = found.group(1)
                return found.group(0)
        raise AssertionError(f"no pairing link in {self.output}")

    def stop(self) -> tuple[int, str]:
        self.process.send_signal(2)  # Ctrl-C
        try:
            code = self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise
        err = self.process.stderr.read() if self.process.stderr else ""
        return code, err


@pytest.fixture(scope="module")
def chromium():
    with launched() as browser:
        yield browser


@pytest.fixture
def server(cart, db_path):
    infusion = (date.today() - timedelta(days=10)).isoformat()
    assert cart("setup", "--infusion-date", infusion, "--phone", TEAM).code == 0
    running = Server(db_path)
    yield running
    if running.process.poll() is None:
        code, err = running.stop()
        assert code == 0, err
        assert "Traceback" not in err


def phone(chromium, server):
    """A phone-sized tab, paired with the server's current link."""
    context = chromium.new_context(**PHONE)
    watch = Watch()
    page = watch.attach(context.new_page())
    page.goto(server.next_link())
    assert page.url == server.origin + "/", page.url
    return page, watch


def go(page, target) -> None:
    """Tap a link or a button and wait for the page it leads to."""
    with page.expect_navigation():
        target.tap()


def assert_good_page(page, watch, server) -> None:
    assert watch.errors == [], watch.errors
    assert watch.foreign(server.origin) == [], watch.foreign(server.origin)
    assert layout_problems(page) == [], (page.url, layout_problems(page))
    assert axe_problems(page) == [], (page.url, axe_problems(page))


def test_pair_log_38_4_and_see_red_with_the_number(chromium, server):
    page, watch = phone(chromium, server)
    assert_good_page(page, watch, server)
    go(page, page.get_by_role("link", name="Log a temperature"))
    assert page.get_attribute("#f-value", "inputmode") == "decimal"  # a number keypad
    assert_good_page(page, watch, server)
    page.fill("#f-value", "38.4")
    go(page, page.get_by_role("button", name="Save"))
    banner = page.locator(".banner").inner_text()
    assert "RED" in banner and "CALL YOUR HOSPITAL TEAM NOW" in banner
    call = page.locator("a.call-team-now")
    assert call.get_attribute("href") == "tel:01632960111"
    assert TEAM in call.inner_text()
    assert page.locator(".saved").inner_text().startswith("Saved: 38.4 °C")
    assert_good_page(page, watch, server)
    if os.environ.get("CART_UPDATE_SCREENSHOT") == "1":  # how docs/serve-phone.png is made
        page.screenshot(path=str(SCREENSHOT), full_page=False)


def test_hard_to_wake_says_call_999(chromium, server):
    page, watch = phone(chromium, server)
    page.goto(server.origin + "/log/symptom")
    assert_good_page(page, watch, server)
    page.get_by_label("Very hard to wake, or not responding to you").check()
    go(page, page.get_by_role("button", name="Save").first)
    assert "CALL 999" in page.locator(".banner").inner_text()
    assert page.locator("a.call-emergency").get_attribute("href") == "tel:999"
    assert_good_page(page, watch, server)


def test_own_words_get_the_level_the_cli_gives(chromium, server, cart, tmp_path):
    typed = "can't get any sense out of him"
    page, watch = phone(chromium, server)
    page.goto(server.origin + "/log/symptom")
    page.fill("#f-words", typed)
    go(page, page.get_by_role("button", name="Save").first)
    banner = page.locator(".banner").inner_text()
    twin = tmp_path / "cli.db"
    infusion = (date.today() - timedelta(days=10)).isoformat()
    assert cart("--db", str(twin), "setup", "--infusion-date", infusion, "--phone", TEAM).code == 0
    cart("--db", str(twin), "log", "symptom", typed)
    cli = json.loads(cart("--db", str(twin), "check", "--json").out)
    assert cli["headline"] in banner
    assert cli["level"].upper() in banner
    assert_good_page(page, watch, server)


def test_delete_and_undo_in_the_browser(chromium, server, cart):
    assert cart("log", "temp", "37.1").code == 0  # logged in the terminal, shown on the phone
    page, watch = phone(chromium, server)
    page.goto(server.origin + "/history")
    assert "37.1 °C" in page.locator("ol.history").inner_text()
    assert_good_page(page, watch, server)
    go(page, page.get_by_role("button", name=re.compile("Remove #1 ")))
    assert "Removed: 37.1 °C" in page.locator(".saved").inner_text()
    assert json.loads(cart("history", "--json").out) == []
    assert_good_page(page, watch, server)
    go(page, page.get_by_role("button", name="Undo: put it back"))
    assert "Put back" in page.locator(".saved").inner_text()
    assert [row["celsius"] for row in json.loads(cart("history", "--json").out)] == [37.1]


def test_the_guided_check_in_the_browser(chromium, server, cart):
    page, watch = phone(chromium, server)
    page.goto(server.origin + "/neuro")
    assert_good_page(page, watch, server)
    for radio in page.get_by_role("radio", name="Right").all():
        radio.check()
    page.get_by_role("radio", name="The same").check()
    go(page, page.get_by_role("button", name="Save the check"))
    assert "Saved: ICE score 10/10" in page.locator(".saved").inner_text()
    rows = json.loads(cart("history", "--json").out)
    assert [r["score"] for r in rows if r["kind"] == "ice"] == [10]
    assert_good_page(page, watch, server)


def test_every_page_is_clean_and_works_with_the_keyboard_only(chromium, server):
    page, watch = phone(chromium, server)
    for path in (
        "/",
        "/log",
        "/log/temp",
        "/log/symptom",
        "/log/bp",
        "/log/call",
        "/neuro",
        "/history",
        "/timeline",
    ):
        page.goto(server.origin + path)
        assert_good_page(page, watch, server)
        assert keyboard_problems(page) == [], path
    # Keyboard only: from the top of the home page, Tab to "Log a temperature", Enter, type, Enter.
    page.goto(server.origin + "/")
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "Log a temperature":
            break
    else:
        raise AssertionError("Tab never reached 'Log a temperature'")
    page.keyboard.press("Enter")
    page.wait_for_url(server.origin + "/log/temp")
    assert page.evaluate("document.activeElement.id") == "f-value"  # the field has the focus
    page.keyboard.type("37.0")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/\?saved="))
    assert "Saved: 37.0 °C" in page.locator(".saved").inner_text()


def test_the_report_at_phone_width_and_as_pdf(chromium, server, cart):
    from pypdf import PdfReader

    for value in ("37.2", "37.9", "38.3"):
        cart("log", "temp", value)
    page, watch = phone(chromium, server)
    page.goto(server.origin + "/report")
    assert watch.errors == [], watch.errors
    assert watch.foreign(server.origin) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 391
    assert axe_problems(page) == []
    pdf = page.pdf(format="A4")
    text = " ".join(" ".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages).split())
    assert "Temperature" in text and "not a medical device" in text


def test_the_cli_and_two_phones_log_at_once_and_every_entry_is_stored_once(chromium, server, db_path):
    """The CLI logs in a loop while two paired browsers log: each success is stored once."""
    first, _ = phone(chromium, server)
    second, _ = phone(chromium, server)
    stop = threading.Event()
    cli_notes: list[str] = []

    def cli_loop() -> None:
        n = 0
        while not stop.is_set() and n < 15:
            note = f"cli-{n}"
            if run_process("log", "temp", "36.8", "--note", note, db=db_path).returncode == 0:
                cli_notes.append(note)
            n += 1

    worker = threading.Thread(target=cli_loop)
    worker.start()
    web_notes = []
    try:
        for n in range(6):
            for name, page in (("a", first), ("b", second)):
                page.goto(server.origin + "/log/temp")
                page.fill("#f-value", "36.9")
                page.fill("#f-note", f"web-{name}-{n}")
                go(page, page.get_by_role("button", name="Save"))
                if page.locator(".saved").count():
                    web_notes.append(f"web-{name}-{n}")
    finally:
        stop.set()
        worker.join(timeout=120)
    rows = json.loads(run_process("history", "--limit", "1000", "--json", db=db_path).stdout)
    stored = sorted(row["note"] for row in rows)
    assert len(web_notes) == 12 and len(cli_notes) >= 1
    assert stored == sorted(cli_notes + web_notes)


def test_ctrl_c_stops_cleanly(server):
    server.next_link()
    code, err = server.stop()
    assert code == 0 and err == ""
    assert "cart serve: stopped." in "".join(server.output)


def test_the_pairing_page_works_by_keyboard_for_a_device_not_yet_paired(chromium, server):
    """A device without the link sees the pairing page (and no health data), passes axe, and
    can pair by typing the code with the keyboard only."""
    link = server.next_link()
    context = chromium.new_context(**PHONE)
    watch = Watch()
    page = watch.attach(context.new_page())
    page.goto(server.origin + "/")
    assert page.locator("h1").inner_text() == "Pair this device"
    assert TEAM not in page.content()
    assert watch.errors == [
        "Failed to load resource: the server responded with a status of 401 (Unauthorized)"
    ]
    watch.errors.clear()
    assert axe_problems(page) == []
    assert layout_problems(page) == []
    page.locator("#f-code").focus()
    page.keyboard.type(link.split("token=")[1])
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == server.origin + "/"
    assert TEAM in page.locator("main").inner_text()
    assert watch.foreign(server.origin) == []


def test_the_page_checks_catch_what_they_look_for(chromium):
    """The harness itself: a link Tab skips, a button with no visible focus, a too-small
    button and an image without words are each caught, so a clean page above means something."""
    context = chromium.new_context(**PHONE)
    page = context.new_page()
    page.set_content(
        '<!DOCTYPE html><html lang="en"><title>t</title><main><a href="#x" tabindex="-1">skipped</a>'
        '<button style="outline: none">no ring</button><button style="height: 20px">tiny</button>'
        '<img src="data:,"></main></html>'
    )
    assert any("not reached by Tab" in p for p in keyboard_problems(page))
    assert any("no visible focus" in p and "no ring" in p for p in keyboard_problems(page))
    assert any("tiny" in p for p in layout_problems(page))
    assert ("image-alt", "critical", 1) in axe_problems(page)
    context.close()
