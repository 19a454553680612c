"""Reading a large JSON file as a stream, one value at a time, in little memory.

The structure of the top-level object and of one list in it is walked here; every value
inside them (one entry, the plan) is decoded by Python's own C decoder as soon as it is
complete. A file that is not a regular file, not UTF-8 text or not valid JSON is named as
a ``FileProblem`` saying where (the byte, or the line and column). What the values mean is
for ``import_checks``; what to do with them is for ``transfer``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO


class FileProblem(Exception):
    """Something wrong in the file; the caller adds where it is."""


class NotANumber(FileProblem):
    """NaN or Infinity, which JSON does not allow."""


class BadJson(FileProblem):
    """Not valid JSON; the message already says where (line and column)."""


MAX_IMPORT_BYTES = 1 << 30  # 1 GiB: millions of entries; more is not a cart export
MAX_VALUE_CHARS = 1 << 20  # one entry (or the plan) is a few kB at most: 1 MB is not a cart entry
READ_CHUNK = 1 << 20  # bytes read from the file at once
_NOT_WHITESPACE = re.compile("[^ \t\n\r]")  # JSON's white space is these four only
ENTRY = "entry"  # what document yields for each item of the streamed list


@contextmanager
def opened(path: Path) -> Iterator[BinaryIO]:
    """The file, opened for reading only if it can be an export: a regular file (``/dev/zero``,
    ``/dev/urandom`` or a pipe would be read for ever) of at most ``MAX_IMPORT_BYTES``."""
    import stat

    # O_NONBLOCK: opening a named pipe must not wait for a writer before we can refuse it.
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    with os.fdopen(fd, "rb") as file:
        info = os.fstat(file.fileno())
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError(path)
        if not stat.S_ISREG(info.st_mode):
            raise FileProblem("it is not a regular file (a device, a pipe or a socket cannot be imported)")
        if info.st_size > MAX_IMPORT_BYTES:
            raise FileProblem(f"it is larger than {MAX_IMPORT_BYTES >> 20} MB, far more than a cart export")
        yield file


class FileText:
    """The file's text, chunk by chunk: the first byte that is not UTF-8, or is a NUL, is
    named by its position (reading stops there, so a huge binary file costs one chunk)."""

    def __init__(self, file: BinaryIO) -> None:
        import codecs

        self.file = file
        self.decoder = codecs.getincrementaldecoder("utf-8-sig")()
        self.offset = 0
        self.done = False

    def read(self) -> str:
        """The next piece of text; "" once the file is read to the end."""
        while not self.done:
            chunk = self.file.read(READ_CHUNK)
            if not chunk:
                self.done = True
                try:
                    return self.decoder.decode(b"", final=True)
                except UnicodeDecodeError:
                    raise FileProblem(
                        "it ends in the middle of a UTF-8 character (is it complete?)"
                    ) from None
            nul = chunk.find(b"\0")
            try:
                text = self.decoder.decode(chunk if nul < 0 else chunk[:nul])
            except UnicodeDecodeError as error:
                raise FileProblem(
                    f"byte {self.offset + error.start + 1} is not UTF-8 text (is it a cart JSON export?)"
                ) from None
            if nul >= 0:
                raise FileProblem(
                    f"byte {self.offset + nul + 1} is a NUL byte: it is not text (is it a cart JSON export?)"
                )
            self.offset += len(chunk)
            if text:
                return text
        return ""


class JsonStream:
    """A JSON document read as a stream: the structure of the top-level object and of its
    "entries" list is walked here, and every value inside them (one entry, the plan) is
    decoded by Python's own C decoder (``raw_decode``) as soon as it is complete in the
    buffer. Any valid layout is read (one entry per line as cart writes it, everything on
    one line, indented, keys in any order); memory holds one buffer, never the document."""

    def __init__(self, text: FileText) -> None:
        import json

        def no_constants(name: str) -> object:
            raise NotANumber(f"{name} is not a number")

        self.text = text
        self.decoder = json.JSONDecoder(parse_constant=no_constants)
        self.buffer = ""
        self.pos = 0
        self.eof = False
        self.lines_before = 0  # newlines in the text already dropped from the buffer
        self.column_before = 0  # characters after the last of them

    def _fill(self) -> bool:
        """Read more text into the buffer (dropping what is consumed); False at the end."""
        if self.eof:
            return False
        if self.pos > READ_CHUNK:
            dropped = self.buffer[: self.pos]
            newlines = dropped.count("\n")
            if newlines:
                self.lines_before += newlines
                self.column_before = len(dropped) - dropped.rindex("\n") - 1
            else:
                self.column_before += len(dropped)
            self.buffer = self.buffer[self.pos :]
            self.pos = 0
        more = self.text.read()
        if not more:
            self.eof = True
            return False
        self.buffer += more
        return True

    def where(self, pos: int) -> str:
        """``line L, column C`` of a position in the buffer (1-based, as json says it)."""
        before = self.buffer[:pos]
        newlines = before.count("\n")
        column = pos - before.rindex("\n") if newlines else self.column_before + pos + 1
        return f"line {self.lines_before + newlines + 1}, column {column}"

    def error(self, message: str, pos: int | None = None) -> BadJson:
        return BadJson(f"it is not valid JSON ({self.where(self.pos if pos is None else pos)}: {message})")

    def peek(self) -> str:
        """The next character that is not white space ("" at the end), not consumed."""
        while True:
            found = _NOT_WHITESPACE.search(self.buffer, self.pos)
            if found is not None:
                self.pos = found.start()
                return self.buffer[self.pos]
            self.pos = len(self.buffer)
            if not self._fill():
                return ""

    def expect(self, characters: str, message: str) -> str:
        char = self.peek()
        if not char or char not in characters:
            raise self.error(message)
        self.pos += 1
        return char

    def value(self) -> object:
        """The next complete JSON value. It is decoded once the buffer holds all of it: a
        value that stops at the buffer's end (a number may go on) waits for more text."""
        import json

        self.peek()
        while True:
            try:
                value, end = self.decoder.raw_decode(self.buffer, self.pos)
            except json.JSONDecodeError as error:
                if len(self.buffer) - self.pos <= MAX_VALUE_CHARS and self._fill():
                    continue
                raise self.error(error.msg, error.pos) from None
            except RecursionError:
                raise self.error("nested too deeply") from None
            except ValueError:  # Python refuses to read an integer thousands of digits long
                raise self.error("a number in it is far too long") from None
            if end < len(self.buffer) or not self._fill():
                self.pos = end
                return value


def document(stream: JsonStream, *, streamed: str, not_an_object: str) -> Iterator[tuple[str, object]]:
    """The top-level object's members in file order, ``(key, value)``, except that the
    list named ``streamed`` is given item by item as ``(ENTRY, item)``, then as
    ``(streamed, None)``. ``not_an_object`` is the problem when the top is valid JSON but
    not an object."""
    first = stream.peek()
    if first != "{":
        if first and first in '["0123456789-tfn':  # valid JSON, but not an object
            stream.value()
            raise FileProblem(not_an_object)
        raise stream.error("Expecting value")
    stream.pos += 1
    seen: set[str] = set()
    if stream.peek() == "}":
        stream.pos += 1
    else:
        while True:
            if stream.peek() != '"':
                raise stream.error("Expecting property name enclosed in double quotes")
            key = stream.value()
            assert isinstance(key, str)
            if key in seen:
                raise FileProblem(f"{shown(key)} appears twice at the top of the file")
            seen.add(key)
            stream.expect(":", "Expecting ':' delimiter")
            if key == streamed:
                if stream.peek() != "[":
                    stream.value()  # invalid JSON is named as such first
                    raise FileProblem(f"{shown(streamed)} must be a list")
                stream.pos += 1
                if stream.peek() == "]":
                    stream.pos += 1
                else:
                    while True:
                        yield ENTRY, stream.value()
                        if stream.expect(",]", "Expecting ',' delimiter") == "]":
                            break
                yield streamed, None
            else:
                yield key, stream.value()
            if stream.expect(",}", "Expecting ',' delimiter") == "}":
                break
    if stream.peek():
        raise stream.error("Extra data")


def shown(value: object) -> str:
    """A value from the file for a one-line message: JSON-looking and short."""
    import json

    if isinstance(value, (dict, list)):
        return "a JSON object" if isinstance(value, dict) else "a list"
    text = json.dumps(value, ensure_ascii=False)
    text = text if len(text) <= 40 else text[:39] + "…"
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)
