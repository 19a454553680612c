"""Debian's Chromium, driven by Playwright for Python, for the browser tests.

Playwright never downloads a browser here (`playwright install` is not run): it launches the
system ``chromium`` (`.ci/run` installs it). A ``Watch`` records what a page did that a user
would not see: console errors, page errors, and every request, so a test can say that no
page asked another origin for anything. axe-core comes from ``tests/js`` (`npm ci`), never
from the network, and is run through the DevTools protocol, which the page's
Content-Security-Policy does not block.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

AXE = Path(__file__).resolve().parent / "js" / "node_modules" / "axe-core" / "axe.min.js"
ARGS = [
    "--headless",
    "--no-sandbox",  # CI runs as root
    "--disable-gpu",
    "--disable-dev-shm-usage",  # small /dev/shm in containers
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--no-first-run",
    "--no-default-browser-check",
    "--hide-scrollbars",
]
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "has_touch": True,
    "is_mobile": True,
    "device_scale_factor": 2,
}


def chromium_or_skip() -> str:
    """The system Chromium. In CI (CI=true) a missing browser or axe-core is a failure:
    `.ci/run` installs both, so the browser tests never silently skip there."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    missing = [
        what for what, ok in (("chromium", found), ("tests/js axe-core (npm ci)", AXE.exists())) if not ok
    ]
    if missing:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but {', '.join(missing)} missing: .ci/run should have installed it")
        pytest.skip(f"{', '.join(missing)} missing (apt-get install chromium; npm ci in tests/js)")
    assert found is not None
    return found


@contextlib.contextmanager
def launched() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    executable = chromium_or_skip()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class Watch:
    """What the pages of one browser tab did."""

    errors: list[str] = field(default_factory=list)  # console errors and page errors
    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def attach(self, page: Any) -> Any:
        page.on("console", lambda m: self.errors.append(m.text) if m.type in ("error", "warning") else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        return page

    def foreign(self, origin: str) -> list[str]:
        """Requests to anywhere but ``origin`` (a page's own tel: links are never fetched)."""
        return [url for url in self.requests if not url.startswith(origin + "/")]


def axe_problems(page: Any) -> list[tuple[str, str, int]]:
    """axe-core's serious and critical violations on the page: (rule, impact, how many)."""
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8") + ";0")
    found = page.evaluate(
        "axe.run(document, {resultTypes: ['violations']})"
        ".then(r => r.violations.map(v => [v.id, v.impact, v.nodes.length]))"
    )
    return [tuple(item) for item in found if item[1] in ("serious", "critical")]


def layout_problems(page: Any, min_target: int = 44) -> list[str]:
    """Sideways scrolling, and tap targets smaller than ``min_target`` CSS pixels."""
    return list(
        page.evaluate(
            """(min) => {
                const out = [];
                const width = document.documentElement.clientWidth;
                if (document.documentElement.scrollWidth > width + 1)
                    out.push(`page scrolls sideways: ${document.documentElement.scrollWidth} > ${width}`);
                for (const el of document.querySelectorAll(
                        'main a, nav a, button, input[type=text], textarea, label.check')) {
                    const box = el.getBoundingClientRect();
                    if (box.width === 0 && box.height === 0) continue;  // hidden (the skip link)
                    const name = `${el.tagName} "${el.textContent.trim().slice(0, 30)}"`;
                    if (box.height < min - 0.5 || box.width < min - 0.5)
                        out.push(`${name} ${box.width}x${box.height}`);
                    if (box.right > width + 1) out.push(`${name} clipped`);
                }
                return out;
            }""",
            min_target,
        )
    )


def keyboard_problems(page: Any) -> list[str]:
    """What the Tab key cannot reach: every visible link, button, text box and check box, and
    each group of radio buttons (arrow keys move within a group), in one pass from the top;
    and any focused element drawn without a visible outline."""
    expected = page.evaluate(
        """() => {
            let n = 0;
            const groups = new Set();
            for (const el of document.querySelectorAll('a[href], button, input, textarea, select')) {
                const box = el.getBoundingClientRect();
                if (el.type === 'hidden' || (box.width === 0 && box.height === 0 && el.className !== 'skip'))
                    continue;
                if (el.type === 'radio') {
                    if (groups.has(el.name)) continue;
                    groups.add(el.name);
                }
                el.dataset.kbd = String(n++);
            }
            document.activeElement && document.activeElement.blur();
            return n;
        }"""
    )
    reached: set[str] = set()
    unmarked: list[str] = []
    for _ in range(expected + 3):
        page.keyboard.press("Tab")
        found = page.evaluate(
            """() => {
                const el = document.activeElement;
                if (!el || el === document.body) return null;
                const style = getComputedStyle(el);
                const seen = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
                const name = (el.textContent || el.name || '').trim().slice(0, 30);
                return [el.dataset.kbd || '', seen, `${el.tagName} ${name}`];
            }"""
        )
        if found is None:
            continue
        key, seen, name = found
        if key:
            reached.add(key)
        if not seen:
            unmarked.append(f"no visible focus: {name}")
    missing = [f"not reached by Tab: #{n}" for n in range(expected) if str(n) not in reached]
    return missing + sorted(set(unmarked))
