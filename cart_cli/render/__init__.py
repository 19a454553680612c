"""Everything Rich draws: one module per view.

The views take plain data from the core and return Rich renderables; only the CLI prints
them. Rich honours ``NO_COLOR`` and plain pipes by itself, and every level is written in
words as well as colour, so nothing depends on seeing colour.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.console import Console, JustifyMethod
from rich.segment import Segment
from rich.text import Text


class GatedConsole(Console):
    """A Rich console whose every piece of text passes ``safe_text.terminal_safe`` (the
    terminal gate) while its own colours and cursor moves do not: it writes to the stream
    under the gate, so its colour codes reach the terminal and nothing else does."""

    def _render_buffer(self, buffer: Iterable[Segment]) -> str:
        from cart_cli.safe_text import terminal_safe

        return super()._render_buffer(
            segment if segment.control else Segment(terminal_safe(segment.text), segment.style)
            for segment in buffer
        )


def console() -> Console:
    """The console commands print to (``highlight=False``: no surprise colouring of numbers;
    ``emoji=False``: text is shown as typed, ":smile:" in a note stays those characters, and
    Rich's table of emoji names is not loaded on every start)."""
    import sys

    from cart_cli.output import raw_stream

    return GatedConsole(highlight=False, emoji=False, file=raw_stream(sys.stdout))


def markup(text: str, *, justify: JustifyMethod | None = None) -> Text:
    """Rich markup made into Text with Rich's emoji names off, as the console has them: what a
    person typed (":smile:" in a phrase or a hospital's name) is shown as typed, and Rich's
    table of emoji names is never loaded."""
    return Text.from_markup(text, emoji=False, justify=justify)
