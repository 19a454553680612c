"""A phrase in the person's own words, end to end through the real CLI (issues 17 and 18 item 3):
one entry, what was recognised in history and `--json`, and the concept named in the check."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from helpers import flat

PHONE = "01632 960 123"


def set_up(cart, days: int = 10) -> None:
    infusion = (datetime.now().astimezone().date() - timedelta(days=days)).isoformat()
    assert cart("setup", "--infusion-date", infusion, "--phone", PHONE, "--yes").code == 0


def test_a_sign_in_words_joins_the_sepsis_combination_and_the_check_names_its_concept(cart):
    """38.5 °C with "talking nonsense" is CALL 999, as with "confusion"; the finding names the concept."""
    set_up(cart)
    assert cart("log", "temp", "38.5").code == 0
    assert cart("log", "symptom", "he's talking nonsense").code == 0
    result = cart("check", "--json")
    data = json.loads(result.out)
    assert data["level"] == "emergency" and result.code == 2
    (sepsis,) = [f for f in data["findings"] if f["rule"] == "possible-sepsis"]
    assert sepsis["concept"] == "altered_mental_state"
    assert sepsis["concepts"][0]["words"] == "talking nonsense"


def test_a_phrase_is_one_entry_shown_once_with_what_was_recognised(cart):
    """ "hes a bit muddled" is one entry: history shows it once, read as confusion, hedged."""
    set_up(cart)
    assert cart("log", "symptom", "hes a bit muddled").code == 0
    (entry,) = json.loads(cart("history", "--json").out)
    assert (entry["symptom"], entry["other"]) == ("other", "hes a bit muddled")
    assert [(s["concept"], s["status"]) for s in entry["recognised"]] == [("altered_mental_state", "hedged")]
    shown = flat(cart("history").out)
    assert shown.count("hes a bit muddled") == 1 and "read as: confused or not making sense" in shown


def test_a_denied_sign_is_amber_and_the_screen_says_what_was_read_as_not_present(cart):
    """ "no fever" alone is AMBER (not green), never feeds a combination, and the screen says so."""
    set_up(cart)
    assert cart("log", "temp", "36.8").code == 0
    logged = cart("log", "symptom", "no fever, no cough")
    assert 'read as not present: "fever", "cough"' in flat(logged.out)
    data = json.loads(cart("check", "--json").out)
    assert data["level"] == "amber"
    (finding,) = data["findings"]
    assert finding["rule"] == "denied-sign"
    assert {c["concept"] for c in finding["concepts"]} == {"fever", "cough"}
