"""Text typed by a person, or read from a file, made safe to show on a terminal.

Control characters (ESC, NUL, newline, ...) and invisible format characters (such as the
right-to-left override U+202E) can move the cursor, clear the screen or reorder what is
shown: a note holding them could draw a fake "GREEN" over a real red. Input refuses them
(``parsing.parse_text``, the import checks); ``printable`` is the last line of defence for
anything already stored: call it on free text wherever it is displayed.

``terminal_safe`` is the one gate every character cart writes to a terminal goes through
(``output.TerminalGate`` on stdout and stderr, and the Rich console's text): whatever
another program stored (sqlite-utils, Datasette), no control or format character reaches
the terminal; it is shown as a visible ``\\u202e``. Newlines and tabs lay text out and pass.
"""

from __future__ import annotations

import unicodedata

# Invisible characters that change the order or look of the text around them.
_BIDI_AND_INVISIBLE = frozenset(
    "\u061c\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2060\u2066\u2067\u2068\u2069\ufeff"
)


def unsafe_characters(text: str, *, lines: bool = False) -> list[str]:
    """The characters in ``text`` a terminal would act on or hide, in order, each once.
    With ``lines`` (a note), newline and tab are allowed: they only lay text out."""
    found: dict[str, None] = {}
    for char in text:
        if lines and char in "\n\t":
            continue
        if char in _BIDI_AND_INVISIBLE or unicodedata.category(char) in ("Cc", "Cf", "Cs"):
            found[char] = None
    return list(found)


def strip_invisible(text: str) -> tuple[str, list[str]]:
    """``text`` without its invisible format characters (Unicode category Cf: zero-width
    spaces and joiners, the soft hyphen, bidi marks, tag characters...), and those removed,
    in order, each once. What a person logs about their health is never refused for one:
    "un\u200bconscious" is stored (and read) as "unconscious"."""
    if text.isprintable() or not any(unicodedata.category(char) == "Cf" for char in text):
        return text, []
    removed = list(dict.fromkeys(char for char in text if unicodedata.category(char) == "Cf"))
    return "".join(char for char in text if unicodedata.category(char) != "Cf"), removed


def describe_character(char: str) -> str:
    """``U+001B`` and, when Python knows it, the character's name."""
    name = unicodedata.name(char, "")
    return f"U+{ord(char):04X}" + (f" ({name.lower()})" if name else "")


def printable(text: str) -> str:
    """``text`` on one line, with every character a terminal would act on (or that is not
    printable at all) written as a visible escape such as ``\\x1b`` or ``\\u202e``. A
    newline or tab (allowed in notes) becomes a space, so nothing can start a line of its
    own; spaces and printable characters, accents and emoji included, are kept."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() or c == " " else " " if c in "\n\t" else _escaped(c) for c in text)


# What a terminal acts on or hides: controls, format characters (bidi overrides, zero-width
# and invisible ones, tags), surrogates, private-use and unassigned code points, and the
# line and paragraph separators.
_HIDDEN_CATEGORIES = frozenset(("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"))


def terminal_safe(text: str) -> str:
    """The one gate for text on its way to a terminal: every character a terminal would act
    on or hide is written as a visible escape (``\\x1b``, ``\\u202e``; beyond the BMP as
    its UTF-16 pair, so JSON stays valid JSON); newlines and tabs are kept."""
    if text.isprintable():
        return text
    return "".join(
        _escaped(char) if char not in "\n\t" and unicodedata.category(char) in _HIDDEN_CATEGORIES else char
        for char in text
    )


def _escaped(char: str) -> str:
    code = ord(char)
    if code < 0x100:
        return f"\\x{code:02x}"
    if code < 0x10000:
        return f"\\u{code:04x}"
    high, low = divmod(code - 0x10000, 0x400)
    return f"\\u{0xD800 + high:04x}\\u{0xDC00 + low:04x}"
