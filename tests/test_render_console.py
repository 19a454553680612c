"""The screens show what was typed, character for character."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("typed", [":smile:", ":thumbs_up: better today", "ward said :-) fine"])
def test_emoji_names_in_a_note_are_shown_as_typed(cart, typed):
    """Rich would turn ":smile:" into an emoji; cart shows the person's words as they are."""
    assert cart("log", "temp", "36.8", "--note", typed).code == 0
    shown = cart("history", "--limit", "1")
    assert shown.code == 0
    assert typed in " ".join(shown.out.split()), shown
    assert "\N{SMILING FACE WITH OPEN MOUTH AND SMILING EYES}" not in shown.out
    assert "\N{THUMBS UP SIGN}" not in shown.out
