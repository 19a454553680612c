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
import json
import os
import select
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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
