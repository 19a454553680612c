"""Output that every terminal can show: advice must never be lost to an encoding error.

A terminal set to ASCII (``LC_ALL=C`` on older systems, ``PYTHONIOENCODING=ascii``, some
cron mailers) or to Latin-1 cannot show a degree sign, a dash or the block characters of the large
phone number; Python would stop the command with ``UnicodeEncodeError`` half-way through
its advice. ``protect_streams`` fixes that once, at the output layer, for every command and
for text added later: characters the terminal cannot show are written as plain ASCII from
``ASCII_FALLBACK`` (degree sign -> ``deg``, dashes -> ``-``, ``>=``, block -> ``#``), and
anything else as ``?``. UTF-8 terminals are left exactly as they are.
"""

from __future__ import annotations

import codecs
import errno
import io
import os
import sys
import unicodedata
from typing import TextIO

ERRORS = "cart-ascii"  # the codecs error handler registered below
ASCII_CODEC = "cart-ascii"  # ASCII with the same fallback, for terminals that are ASCII

ASCII_FALLBACK: dict[str, str] = {
    "\u00b0": "deg", "\u00ba": "deg", "\u02da": "deg",  # degree signs
    "\u2013": "-", "\u2014": "-", "\u2010": "-", "\u2011": "-", "\u2212": "-",  # dashes, minus
    "\u2265": ">=", "\u2264": "<=", "\u2192": "->", "\u2190": "<-", "\u00d7": "x", "\u00b1": "+/-",
    "\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2026": "...", "\u2022": "*", "\u25cf": "*", "\u00b7": ".",  # ellipsis, bullets
    "\u25cb": "o", "\u25c6": "+", "\u2605": "*",  # chart markers (open circle, diamond), own items
    "\u2713": "v", "\u2714": "v", "\u2717": "x", "\u2718": "x",  # ticks and crosses
    "\u00a0": " ", "\u202f": " ", "\u00bd": "1/2", "\u00b5": "u",
}  # fmt: skip


def ascii_for(char: str) -> str:
    """Plain ASCII for one character cart may print."""
    if char in ASCII_FALLBACK:
        return ASCII_FALLBACK[char]
    code = ord(char)
    if 0x2580 <= code <= 0x259F:  # block elements: the large digits, bars
        return " " if char == "\u2591" else "#"
    if 0x2500 <= code <= 0x257F:  # box drawing
        name = unicodedata.name(char, "")
        if "VERTICAL" in name and "HORIZONTAL" not in name:
            return "|"
        if "HORIZONTAL" in name and "VERTICAL" not in name and "AND" not in name:
            return "-"
        return "+"
    decomposed = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode()
    return decomposed or "?"  # é -> e; anything else a question mark


def _fallback(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    text = error.object[error.start : error.end]
    return "".join(ascii_for(char) for char in text), error.end


def _search(name: str) -> codecs.CodecInfo | None:
    if name.replace("-", "_") != ASCII_CODEC.replace("-", "_"):
        return None

    ascii_codec = codecs.lookup("ascii")  # reading is plain ASCII; only writing falls back

    def encode(text: str, errors: str = "strict") -> tuple[bytes, int]:
        return text.encode("ascii", ERRORS), len(text)

    class Encoder(codecs.IncrementalEncoder):
        def encode(self, text: str, final: bool = False) -> bytes:
            return text.encode("ascii", ERRORS)

    class Writer(codecs.StreamWriter):
        def encode(self, text: str, errors: str = "strict") -> tuple[bytes, int]:
            return encode(text)

    return codecs.CodecInfo(
        encode,
        ascii_codec.decode,
        streamreader=ascii_codec.streamreader,
        streamwriter=Writer,
        incrementalencoder=Encoder,
        incrementaldecoder=ascii_codec.incrementaldecoder,
        name=ASCII_CODEC.replace("-", "_"),
    )


_registered = False


def register() -> None:
    """Register the error handler and the ASCII codec (once per process)."""
    global _registered
    if not _registered:
        codecs.register_error(ERRORS, _fallback)
        codecs.register(_search)
        _registered = True


def protect_streams() -> None:
    """Make stdout and stderr write what they cannot encode as ASCII instead of failing.

    An ASCII stream is re-opened with the ``cart-ascii`` codec (Click would otherwise send
    UTF-8 bytes to a terminal that said it takes ASCII); any other non-UTF-8 stream keeps its
    encoding (Latin-1 shows ``°`` itself) and only falls back for what it cannot show.
    """
    register()
    for name in ("stdout", "stderr"):
        _stand_in_for_closed(name)
        stream = getattr(sys, name)
        encoding = getattr(stream, "encoding", None)
        if not isinstance(stream, io.TextIOWrapper) or not encoding:
            continue  # closed (None), or replaced by a test harness: leave it alone
        codec = codecs.lookup(encoding).name
        if codec.startswith("utf"):
            continue
        stream.flush()
        if codec == "ascii":
            replacement = io.TextIOWrapper(
                stream.buffer,
                encoding=ASCII_CODEC,
                errors="strict",
                line_buffering=stream.line_buffering,
                write_through=stream.write_through,
            )
            setattr(sys, name, replacement)
        else:
            stream.reconfigure(errors=ERRORS)


class _ClosedOutput(io.RawIOBase):
    """Stands in for a stdout or stderr that was closed before cart started: every write
    fails as writing to a closed descriptor does, until ``silence_stdout`` is called, so a
    command learns that nothing it printed was seen instead of succeeding in silence."""

    silenced = False

    def writable(self) -> bool:
        return True

    def write(self, data: object) -> int:
        if _ClosedOutput.silenced:
            return len(data)  # type: ignore[arg-type]
        raise OSError(errno.EBADF, "the output is closed")


def _stand_in_for_closed(name: str) -> None:
    if getattr(sys, name) is None:
        writer = io.BufferedWriter(_ClosedOutput())
        setattr(sys, name, io.TextIOWrapper(writer, encoding="utf-8", line_buffering=True))


def is_output_failure(error: BaseException) -> bool:
    """A failure to write to stdout (closed, a reader that went away), not a bug in cart."""
    if isinstance(error, OSError):
        return error.errno in (errno.EPIPE, errno.EBADF, errno.EINVAL) or isinstance(error, BrokenPipeError)
    return isinstance(error, ValueError) and "closed file" in str(error)


def silence_stdout() -> None:
    """After stdout failed: send whatever is still buffered nowhere, so Python's own flush at
    exit cannot fail again (and print a traceback or change the exit status)."""
    _ClosedOutput.silenced = True
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError, io.UnsupportedOperation):
        pass


class TerminalGate(io.TextIOBase):
    """stdout or stderr with ``safe_text.terminal_safe`` applied to everything written:
    the gate no stored text passes raw (``cli.run`` puts it in place for every command).
    ``raw`` is the stream itself, for Rich (which sends its text through the same gate and
    its colours, which it makes itself, around it) and for data a script reads from a pipe."""

    def __init__(self, raw: TextIO) -> None:
        super().__init__()
        self.raw = raw

    def write(self, text: str) -> int:
        from cart_cli.safe_text import terminal_safe

        self.raw.write(terminal_safe(text))
        return len(text)

    def flush(self) -> None:
        self.raw.flush()

    def isatty(self) -> bool:
        return self.raw.isatty()

    def fileno(self) -> int:
        return self.raw.fileno()

    def writable(self) -> bool:
        return True

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self.raw, "encoding", None) or "utf-8"

    @property
    def errors(self) -> str | None:  # type: ignore[override]
        return getattr(self.raw, "errors", None)


def raw_stream(stream: TextIO) -> TextIO:
    """The stream under a ``TerminalGate`` (itself if it is not one)."""
    return stream.raw if isinstance(stream, TerminalGate) else stream
