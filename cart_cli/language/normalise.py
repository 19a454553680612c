"""Text folded for matching, and split into words.

Pasted or typed on any keyboard, a word must read the same: ``can\u00b4t`` and ``can't``,
``sei\u00adzure`` (a soft hyphen from a web page) and ``seizure``, ``\uff46\uff49\uff54`` (fullwidth) and
``fit``, ``f\u0456t`` (a Cyrillic ``\u0456``) and ``fit``. ``fold`` does, in order: every apostrophe
and quote variant to ``'`` or ``"``; invisible format characters (Unicode category Cf: soft
hyphen, zero-width space and joiners, direction marks, BOM) removed; Unicode NFKC
(fullwidth and other compatibility forms); accents removed; Cyrillic and Greek letters that
look like Latin ones read as those (Unicode TR39 confusables, ``_CONFUSABLES``); case folded.

The stored text is always what the person typed: folding is for matching only.
"""

from __future__ import annotations

import re
import unicodedata

# Apostrophes and single quotes people's keyboards and phones produce, read as "'".
APOSTROPHES = (
    "\u00b4\u2018\u2019\u201a\u201b\u02bc\u02b9\u02bb\u02bd\u2032\u2035\uff07`\u275b\u275c\u02c8\ua78c"
)
# Double quotes, read as '"'.
DOUBLE_QUOTES = "\u201c\u201d\u201e\u201f\u2033\u2036\uff02\u275d\u275e\u00ab\u00bb"

# Cyrillic and Greek letters whose Unicode TR39 confusable is one Latin letter (derived from
# the Unicode confusables data; tests/test_language.py checks it against that data).
_CONFUSABLE_FROM = "\u03b1\u0430\u0391\u0410\u042c\u0392\u0412\u03f2\u0441\u03f9\u0421\u0501\u0435\u04bd\u0395\u0415\u03dc\u050c\u04bb\u0397\u041d\u03b9\u03b9\u037a\u0456\ua647\u04cf\u03f3\u0458\u037f\u0408\u039a\u041a\u0399\u0406\u04c0\u039c\u03fa\u041c\u039d\u03bf\u03c3\u043e\u039f\u041e\u03c1\u03f1\u0440\u03a1\u0420\u051b\u1d26\u0433\u0455\u0405\u03a4\u0422\u03c5\u03bd\u0475\u0474\u0461\u051d\u051c\u0445\u03a7\u0425\u03b3\u0443\u04af\u03a5\u03d2\u0423\u04ae\u0396"
_CONFUSABLE_TO = "aaAAbBBccCCdeeEEFGhHHiiiiiijjJJKKlllMMMNoooOOpppPPqrrsSTTuvvVwwWxXXyyyYYYYZ"
_CONFUSABLE_FROM += "\U0001d213\U0001d22a\U0001d216\U0001d20d"  # Greek musical symbols
_CONFUSABLE_TO += "FLRV"

_TRANSLATE = str.maketrans(
    {
        **dict.fromkeys(APOSTROPHES, "'"),
        **dict.fromkeys(DOUBLE_QUOTES, '"'),
        **dict(zip(_CONFUSABLE_FROM, _CONFUSABLE_TO, strict=True)),
        # dashes and hyphens of every kind read as a hyphen
        **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63\uff0d", "-"),
    }
)


def fold(text: str) -> str:
    """``text`` folded for matching: see the module docstring. Never raises."""
    text = text.translate(_TRANSLATE)  # before NFKC, which turns the acute accent into a space
    if not text.isascii():
        text = "".join(char for char in text if unicodedata.category(char) != "Cf")
        text = unicodedata.normalize("NFKC", text)
        text = "".join(char for char in unicodedata.normalize("NFD", text) if not unicodedata.combining(char))
        text = text.translate(_TRANSLATE)  # look-alikes NFKC or NFD revealed
    return " ".join(text.casefold().split())


# A word: letters and digits, with an apostrophe inside (can't, o'clock) kept as part of it.
# Anything else between words is a separator; some separators end a clause.
_TOKEN = re.compile(r"[^\W_]+(?:'[^\W_]+)*|[.;:!?,()\[\]{}|/\n\u2026]|(?<=\s)-+|-+(?=\s)")
CLAUSE_BREAKS = frozenset(".;:!?,()[]{}|/\n\u2026-")


def tokens(folded: str) -> list[str]:
    """Words of folded text in order, with clause-ending punctuation as tokens of their own
    (``"no fever, can't wake him?"`` gives ``no fever , can't wake him ?``); a hyphen between
    two words joins nothing (``light-headed`` gives ``light headed``)."""
    found = []
    for token in _TOKEN.findall(folded):
        if token[0] == "-":
            token = "-"
        found.append(token)
    return found
