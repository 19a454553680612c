"""`cart handover` (issue 22 item 1): SBAR order, the alert-card facts, the one verdict (read,
never recomputed), readings of the last 24 hours with times, symptoms with when they began,
fever-hiding medicines marked, calls, ICE, handwriting and bloods; one screen at 80 columns;
JSON; and the HTML page, in a real browser (Debian's Chromium via Playwright), on one page.

Expected values come from what each test logs and the issue's wording, not from running cart.
"""

from __future__ import annotations

import io
import json

import pytest
from helpers import flat

PHONE = "01632 960 123"
SCREEN_LINES = 40  # a terminal window at 80 columns; the hand-over must fit without scrolling


def fever_night(cart) -> None:
    """A carer's night: set up (day 9, Yescarta), a cough since two days ago, a raised then a
    high armpit temperature, paracetamol, a low-ish BP, blood results, an ICE score, a call."""
    assert cart("setup", "--infusion-date", "9 days ago", "--phone", PHONE, "--hospital", "Haematology Unit",
                "--product", "Yescarta", "--diagnosis", "lymphoma").code == 0  # fmt: skip
    for args in (
        ("symptom", "cough", "--at", "2 days ago 09:00"),
        ("temp", "37.6", "--at", "3h ago"),
        ("med", "paracetamol 1g", "--at", "2h ago"),
        ("temp", "38.4 under arm", "--at", "an hour ago"),
        ("bp", "98/60", "--pulse", "104", "--at", "30m ago"),
        ("symptom", "cough", "--severity", "moderate", "--at", "20m ago"),
        ("bloods", "--neutrophils", "0.4", "--crp", "85", "--at", "2 days ago 10:00"),
        ("ice", "10", "--at", "15m ago"),
        ("handwriting", "same", "--at", "15m ago"),
        ("call", "--outcome", "come in to the day unit", "--at", "10m ago"),
    ):
        result = cart("log", *args)
        assert result.code == 0, (args, result)


def test_handover_says_it_in_sbar_order_within_one_screen(cart):
    fever_night(cart)
    result = cart("handover")
    assert result.code == 0, result
    lines = result.out.splitlines()
    assert len(lines) <= SCREEN_LINES, result.out
    assert all(len(line) <= 80 for line in lines), [line for line in lines if len(line) > 80]
    headings = [line for line in lines if line[:1] in "SBAR" and line[1:3] == "  "]
    assert [h.split()[1] for h in headings] == ["SITUATION", "BACKGROUND", "ASSESSMENT", "RECOMMENDATION"]
    text = flat(result.out)
    # Alert-card facts: product, infusion date, day N, treating centre and its 24-hour number.
    assert "Yescarta (axicabtagene ciloleucel)" in text and "day 9" in text.lower()
    assert "Haematology Unit" in text and PHONE in text
    # Readings with times, the site, the fever-hiding medicine marked, symptom onset, the rest.
    assert "38.4 °C at" in text and "(armpit" in text and "37.6 °C at" in text
    assert "BP 98/60, pulse 104 at" in text
    assert "paracetamol 1g at" in text and "CAN HIDE A FEVER" in text
    assert "cough (moderate) since" in text
    assert "ICE score 10/10" in text and "handwriting same" in text
    assert "neutrophils 0.4 x10^9/L, CRP 85 mg/L" in text
    assert '"come in to the day unit"' in text
    assert "oxygen (SpO2)" in text and "breathing rate" in text  # not measured: said so


def test_handover_reads_the_one_verdict(cart):
    """The level and headline are exactly what `cart check --json` says, never its own."""
    fever_night(cart)
    check = json.loads(cart("check", "--json").out)
    handed = json.loads(cart("handover", "--json").out)
    assert handed["level"] == check["level"].upper()
    assert handed["headline"] == check["headline"]
    assert list(handed)[:4] == ["made_at", "level", "headline", "situation"]
    assert {"situation", "background", "assessment", "recommendation"} <= set(handed)


def test_handover_before_setup_still_helps(cart):
    result = cart("handover")
    assert result.code == 0, result
    assert "not set up" in result.out


def test_check_banners_point_to_the_handover(cart):
    assert cart("setup", "--infusion-date", "9 days ago", "--phone", PHONE).code == 0
    assert cart("log", "temp", "37.6").code == 0  # amber
    assert "cart handover" in flat(cart("check").out)
    cart("log", "temp", "38.5")  # red now
    red = cart("check")
    assert "RED" in red.out and "cart handover" in flat(red.out)


def test_green_check_does_not_push_the_handover(cart):
    assert cart("setup", "--infusion-date", "9 days ago", "--phone", PHONE).code == 0
    assert cart("log", "temp", "36.8").code == 0
    assert "cart handover" not in flat(cart("check").out)


def test_handover_html_is_escaped_and_refuses_to_overwrite(cart, tmp_path):
    fever_night(cart)
    assert cart("log", "symptom", "--other", "<script>alert(1)</script>").code == 0
    page = tmp_path / "handover.html"
    result = cart("handover", "--output", str(page))
    assert result.code == 0, result
    html = page.read_text(encoding="utf-8")
    assert "<script>alert(1)" not in html and "&lt;script&gt;" in html
    assert 'id="s"' in html and 'id="r"' in html
    assert cart("handover", "--output", str(page)).code != 0  # exists: needs --force
    assert cart("handover", "--output", str(page), "--force").code == 0


@pytest.mark.slow
def test_handover_page_in_a_real_browser_is_one_printed_page(cart, tmp_path):
    """Chromium loads the page offline (nothing fetched, nothing logged) and prints it to a
    single A4 page holding the SBAR headings."""
    from browser import launched
    from pypdf import PdfReader

    fever_night(cart)
    page = tmp_path / "handover.html"
    assert cart("handover", "--output", str(page)).code == 0
    with launched() as chromium:
        context = chromium.new_context(viewport={"width": 390, "height": 844})
        try:
            tab = context.new_page()
            seen: list[str] = []
            tab.on("console", lambda message: seen.append(message.text))
            tab.on("request", lambda request: seen.append(request.url))
            tab.goto(page.resolve().as_uri(), wait_until="load")
            assert seen == [page.resolve().as_uri()]
            wide = tab.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
            assert wide, "the page scrolls sideways at phone width"
            pdf = tab.pdf(format="A4", prefer_css_page_size=True)
        finally:
            context.close()
    pages = PdfReader(io.BytesIO(pdf)).pages
    assert len(pages) == 1
    text = pages[0].extract_text() or ""
    for heading in ("Situation", "Background", "Assessment", "Recommendation"):
        assert heading in text
