"""No invisible character is ever stored or shown (issue 19 item 7). Every Unicode format
character (category Cf) is tried in every text field:

- what a person logs about their health (symptom words, own words, notes, what the team
  said, a medicine taken) is stored without it, and cart says so: never refused for one;
- settings and the schedule (hospital, sentence, phone, appointment, medicine schedule)
  refuse it with a line naming it; an import refuses it (a file is imported exactly or not);
- the terminal gate shows any that is stored already as a visible escape."""

from __future__ import annotations

import json
import sys
import unicodedata

import pytest

from cart_cli.errors import InvalidInput
from cart_cli.parsing import parse_text
from cart_cli.safe_text import strip_invisible, terminal_safe, unsafe_characters

FORMAT_CHARACTERS = [
    chr(code) for code in range(sys.maxunicode + 1) if unicodedata.category(chr(code)) == "Cf"
]
ALL = "".join(FORMAT_CHARACTERS)


def test_there_are_many_format_characters_including_those_the_issue_names():
    names = {
        0x00AD,
        0x180E,
        0x2061,
        0x2064,
        0x206A,
        0x206F,
        0xFFF9,
        0xFFFB,
        0xE0001,
        0xE007F,
        0x1D173,
        0x1D17A,
    }
    assert {ord(char) for char in FORMAT_CHARACTERS} >= names - {0x180E} and len(FORMAT_CHARACTERS) > 150


@pytest.mark.parametrize("char", FORMAT_CHARACTERS, ids=lambda c: f"U+{ord(c):04X}")
def test_each_format_character_is_stripped_refused_and_escaped(char):
    """Stripped from health text, refused in settings, escaped on the way to a terminal."""
    assert strip_invisible(f"un{char}conscious") == ("unconscious", [char])
    with pytest.raises(InvalidInput, match="invisible character"):
        parse_text(f"Ward{char} 7", "hospital name", 120)
    assert unsafe_characters(f"a{char}b") == [char]
    shown = terminal_safe(f"a{char}b")
    assert char not in shown and shown.startswith("a\\") and shown.endswith("b") and len(shown) > 4


HEALTH_FIELDS = [
    (["log", "symptom", f"un{ALL}conscious"], "symptom words"),
    (["log", "symptom", "--other", f"odd{ALL} feeling"], "--other text"),
    (["log", "temp", "37.0", "--note", f"after{ALL} lunch"], "note"),
    (["log", "call", "--outcome", f"wait{ALL} and see"], "outcome"),
    (["log", "med", f"aciclovir{ALL}"], "medicine name"),
]


@pytest.mark.parametrize(("argv", "what"), HEALTH_FIELDS, ids=lambda v: v if isinstance(v, str) else v[1])
def test_health_text_is_stored_without_them_and_cart_says_so(cart, argv, what):
    """Every Cf character at once: stored without any, said on stderr, nothing refused."""
    assert cart("setup", "--infusion-date", "2026-11-20", "--phone", "0123 456 789").code == 0
    result = cart(*argv, "--no-ask") if argv[1] == "symptom" else cart(*argv)
    assert result.code in (0, 1, 2) and "Stored #" in result.out, result  # the exit says the check's level
    assert f"the {what} held {len(FORMAT_CHARACTERS)} invisible characters" in result.err, result.err[:300]
    stored = json.dumps(json.loads(cart("history", "--json").out), ensure_ascii=False)
    assert not any(char in stored for char in FORMAT_CHARACTERS)
    if argv[1] == "symptom" and "unconscious" in argv[2].replace(ALL, ""):
        assert cart("check").code == 2  # read as "unconscious": the emergency is not lost


SETTINGS_FIELDS = [
    ["setup", "--hospital", f"Ward{ALL} 7"],
    ["setup", "--sentence", f"The{ALL} quick fox"],
    ["setup", "--phone", f"0123{ALL} 456"],
    ["appt", "add", f"bloods{ALL}", "20 Dec 10:30"],
    ["appt", "add", "bloods", "20 Dec 10:30", "--where", f"Day{ALL} unit"],
    ["med", "add", f"aciclovir{ALL}", "--times", "08:00"],
    ["med", "add", "aciclovir", "--dose", f"400{ALL} mg", "--times", "08:00"],
]


@pytest.mark.parametrize("argv", SETTINGS_FIELDS, ids=lambda argv: " ".join(argv[:2]))
def test_settings_and_the_schedule_refuse_them_in_one_line(cart, argv):
    assert cart("setup", "--infusion-date", "2026-11-20").code == 0
    result = cart(*argv)
    assert result.code == 2 and result.err.count("\n") == 1, result
    assert "invisible character" in result.err or "phone number" in result.err, result


def test_an_import_refuses_them_naming_the_entry(cart, tmp_path):
    data = {
        "format": "cart-export",
        "version": 2,
        "entries": [
            {"uid": "a" * 32, "kind": "temp", "recorded_at": "2026-12-01T10:00:00+00:00", "celsius": 37.0,
             "note": f"x{FORMAT_CHARACTERS[-1]}y"},
        ],
    }  # fmt: skip
    path = tmp_path / "hidden.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    result = cart("import", str(path))
    assert result.code == 2 and "entry 1" in result.err and "U+" in result.err, result


def test_a_phrase_of_nothing_but_invisible_characters_is_refused_in_one_line(cart):
    """Nothing visible is left, so nothing is stored: one line says so, and no second line claims
    that the character was 'left out of what is stored'."""
    result = cart("log", "symptom", "\u202a\u200b")
    assert result.code == 2, result
    assert result.err.count("\n") == 1, result.err
    assert "left out of what is stored" not in result.err


@pytest.mark.parametrize("typed", ["\x08\u00ad", "?\u00ad", "\u200b\x1b[2J"])
def test_a_phrase_refused_for_another_reason_gets_only_its_refusal(cart, typed):
    """The note about invisible characters left out is said once something is stored; a phrase
    refused for another reason (a control character, no symptom) gets one line."""
    result = cart("log", "symptom", typed)
    assert result.code == 2, result
    assert result.err.count("\n") == 1, result.err
    assert "left out of what is stored" not in result.err


def test_the_note_is_said_once_even_when_the_text_is_read_twice(cart):
    result = cart("log", "call", "--outcome", "come\u200b in")
    assert result.code == 0, result
    assert result.err.count("left out of what is stored") == 1
