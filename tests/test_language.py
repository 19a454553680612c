"""The one normaliser and medicine names (cart_cli/language; docs/clinical-basis.md section 4; T16, T24)."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import confusable_homoglyphs
import pytest

from cart_cli.language.medicines import (
    contains_paracetamol,
    fever_hiding,
    fever_hiding_class,
    is_known_medicine,
)
from cart_cli.language.normalise import APOSTROPHES, fold, tokens


@pytest.mark.parametrize(
    ("typed", "folded"),
    [
        ("Can't WAKE him", "can't wake him"),
        ("can\u00b4t wake him", "can't wake him"),  # acute accent typed as an apostrophe
        ("sei\u00adzure", "seizure"),  # soft hyphen from a web page
        ("col\u200blapsed", "collapsed"),  # zero-width space
        ("\uff46\uff49\uff54", "fit"),  # fullwidth letters
        ("f\u0456t", "fit"),  # Cyrillic i
        ("\u0455\u0435\u0456zur\u0435", "seizure"),  # Cyrillic look-alikes
        ("\u03bd\u03bfmit", "vomit"),  # Greek nu and omicron
        ("Parac\u00e9tamol", "paracetamol"),
        ("caf\u00e9", "cafe"),
        ("  two   spaces ", "two spaces"),
        ("\u201cquoted\u201d", '"quoted"'),
    ],
)
def test_fold_reads_pasted_text_and_other_keyboards_as_plain_words(typed, folded):
    """Invisible characters, look-alike letters, fullwidth forms, accents and case do not change a word."""
    assert fold(typed) == folded


@pytest.mark.parametrize("apostrophe", [*list(APOSTROPHES), "'", "＇"])
def test_every_apostrophe_variant_reads_as_an_apostrophe(apostrophe):
    """´ ‘ ’ ʼ ′ ＇ and the backtick all read as '."""
    assert fold(f"can{apostrophe}t") == "can't"


def test_every_format_character_is_removed():
    """Every invisible format character (Unicode Cf) inside a word is dropped for matching."""
    import sys

    hidden = [chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Cf"]
    assert len(hidden) > 100
    for char in hidden:
        assert fold(f"fe{char}ver") == "fever", hex(ord(char))


def _latin_confusables() -> dict[str, str]:
    """Cyrillic and Greek letters whose TR39 confusable is one Latin letter (the library's data)."""
    data = json.loads((Path(confusable_homoglyphs.__file__).parent / "confusables.json").read_text("utf-8"))
    table = {}
    for char, homoglyphs in data.items():
        name = unicodedata.name(char, "") if len(char) == 1 else ""
        if not name.startswith(("CYRILLIC", "GREEK")):
            continue
        for glyph in homoglyphs:
            if len(glyph["c"]) == 1 and glyph["c"].isascii() and glyph["c"].isalpha():
                table[char] = glyph["c"]
                break
    return table


def test_look_alike_letters_match_the_unicode_confusables_data():
    """Every Cyrillic or Greek letter that Unicode lists as confusable with one Latin letter reads as it."""
    table = _latin_confusables()
    assert len(table) > 50
    wrong = {char: (fold(char), latin) for char, latin in table.items() if fold(char) != latin.casefold()}
    assert wrong == {}


def test_tokens_keep_apostrophes_and_mark_clause_ends():
    """Words keep their apostrophes; punctuation that ends a clause is a token of its own."""
    assert tokens(fold("No fever, can’t wake him? light-headed")) == [
        "no", "fever", ",", "can't", "wake", "him", "?", "light", "headed",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "generic", "kind"),
    [
        ("paracetamol", "paracetamol", "paracetamol"),
        ("Acetaminophen", "paracetamol", "paracetamol"),
        ("paracetomol", "paracetamol", "paracetamol"),  # misspelt
        ("parcetamol 500mg", "paracetamol", "paracetamol"),
        ("Parac\u00e9tamol 1 g", "paracetamol", "paracetamol"),  # French
        ("Tylenol", "paracetamol", "paracetamol"),
        ("Calpol 5ml", "paracetamol", "paracetamol"),
        ("Doliprane", "paracetamol", "paracetamol"),
        ("Efferalgan", "paracetamol", "paracetamol"),
        ("Dafalgan", "paracetamol", "paracetamol"),
        ("co-codamol 30/500", "paracetamol", "paracetamol"),
        ("Night Nurse", "paracetamol", "paracetamol"),  # a cold and flu remedy
        ("Lemsip Max", "paracetamol", "paracetamol"),
        ("Anadin Extra", "paracetamol", "paracetamol"),  # paracetamol and aspirin
        ("ibuprofen 400 mg", "ibuprofen", "nsaid"),
        ("Ibuprofeno", "ibuprofen", "nsaid"),  # Spanish
        ("ibuprophen", "ibuprofen", "nsaid"),
        ("Nurofen", "ibuprofen", "nsaid"),
        ("Advil", "ibuprofen", "nsaid"),
        ("naproxen", "naproxen", "nsaid"),
        ("diclofenac", "diclofenac", "nsaid"),
        ("Voltarol", "diclofenac", "nsaid"),
        ("aspirin", "aspirin", "nsaid"),
        ("dexamethasone", "dexamethasone", "steroid"),
        ("dexamethazone 8mg", "dexamethasone", "steroid"),
        ("prednisolone", "prednisolone", "steroid"),
        ("methylprednisolone", "methylprednisolone", "steroid"),
        ("hydrocortisone", "hydrocortisone", "steroid"),
    ],
)
def test_medicines_that_hide_a_fever_are_known_by_any_name(name, generic, kind):
    """Paracetamol, NSAIDs and steroids are known by brand, language and common misspelling."""
    found = fever_hiding(name)
    assert found is not None and found.generic == generic
    assert fever_hiding_class(name) == kind
    assert contains_paracetamol(name) == (kind == "paracetamol")
    assert is_known_medicine(name)


@pytest.mark.parametrize("name", ["omeprazole", "aciclovir", "Keppra", "tramadol", "ondansetron", ""])
def test_other_medicines_do_not_hide_a_fever(name):
    """Medicines that do not bring a temperature down are not read as ones that do."""
    assert fever_hiding(name) is None
    assert fever_hiding_class(name) is None
    assert not contains_paracetamol(name)


@pytest.mark.parametrize("name", ["Zyntelor", "Mystery tablets", "xq-17"])
def test_an_unknown_medicine_is_not_known(name):
    """A name cart does not know is said to be unknown (so cart can say it cannot tell)."""
    assert fever_hiding(name) is None
    assert not is_known_medicine(name)


def test_the_stored_patterns_are_the_patterns_the_tables_compile_to():
    """The reader loads its patterns from ``language/patterns_data.py`` instead of compiling
    them at the first phrase: they must be exactly what the tables compile to today (each
    pattern's concept, parts, anchors and negative form, in the same order)."""
    from cart_cli.language import reader

    compiled = reader.compile_patterns()
    loaded = reader._patterns()
    hint = "a table changed: write cart_cli/language/patterns_data.py again from reader.patterns_data"
    assert len(loaded) == len(compiled), hint
    for stored, fresh in zip(loaded, compiled, strict=True):
        assert stored.concept is fresh.concept, hint
        assert stored == fresh, hint


def test_every_table_of_the_stored_patterns_is_what_the_tables_give():
    """Each literal in ``language/patterns_data.py`` (the patterns' parts, the index of first
    words, the known stems, the words a pattern never skips) equals what the reader's tables
    give today; when one differs, write the file again from ``reader.patterns_data``."""
    from cart_cli.language import patterns_data, reader

    for name, value in reader.patterns_data(reader.compile_patterns()).items():
        assert getattr(patterns_data, name) == value, f"{name}: write patterns_data.py again"
