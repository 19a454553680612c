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


@pytest.mark.parametrize("screen", [("check",), (), ("timeline",)])
def test_emoji_names_in_markup_lines_are_shown_as_typed(cart, screen):
    """The lines drawn from markup (the team's name beside its number, the phrase a finding
    quotes, the timeline's milestones) keep ":fire:" as typed too, as the console does."""
    setup = cart(
        "setup", "--infusion-date", "5 days ago", "--hospital", "Ward 7 :fire: team", "--phone", "0123"
    )
    assert setup.code == 0, setup
    assert cart("log", "symptom", "hot :fire: and shivery", "--no-ask").code == 0
    assert cart("appt", "add", "Bloods :fire: clinic", "tomorrow 10:00").code == 0
    shown = cart(*screen)
    assert ":fire:" in shown.out, shown
    assert "\N{FIRE}" not in shown.out
