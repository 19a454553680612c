"""Text typed by a person, or read from a file, made safe to show on a terminal.

Control characters (ESC, NUL, newline, ...) and invisible format characters (such as the
right-to-left override U+202E) can move the cursor, clear the screen or reorder what is
shown: a note holding them could draw a fake "GREEN" over a real red. Input refuses them
(``parsing.parse_text``, the import checks); ``printable`` is the last line of defence for
anything already stored: call it on free text wherever it is displayed.
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
        if char in _BIDI_AND_INVISIBLE or unicodedata.category(char) in ("Cc", "Cs"):
            found[char] = None
    return list(found)


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


def _escaped(char: str) -> str:
    code = ord(char)
    if code < 0x100:
        return f"\\x{code:02x}"
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"
