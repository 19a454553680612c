"""Issue 9, hardening: each test reproduces one attack that used to succeed, through real
`cart` processes wherever processes, pipes, signals or locales are part of the attack."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import pytest
from helpers import run_process

from cart_cli.safe_text import printable

FAKE_GREEN = "\x1b[2J\x1b[HGREEN: NOTHING NEEDS ACTION"


def entry_count(db: Path) -> int:
    if not db.exists():
        return 0
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT count(*) FROM entries").fetchone()[0]
    finally:
        conn.close()


# -- item 4: terminal injection --------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ("log", "temp", "37.1", "--note", FAKE_GREEN),
        ("log", "temp", "37.1", "--note", "ring\x07the bell"),
        ("log", "symptom", "--other", "sore\x7f toe"),
        ("log", "symptom", "--other", "sore\x1b[31m toe"),
        ("log", "symptom", "--other", "txet \u202eesrever"),
        ("setup", "--infusion-date", "2026-11-03", "--hospital", "St X\x1b]0;title\x07"),
    ],
    ids=["ESC note", "BEL note", "DEL other", "ESC other", "RLO other", "OSC hospital"],
)
def test_control_characters_are_refused_at_input_and_nothing_is_written(db_path, args):
    """A real process given control characters in free text: exit 2, one clear line naming
    the character, nothing stored (no entry, no plan)."""
    done = run_process(*args)
    assert done.returncode == 2, done
    assert "control character" in done.stderr and done.stderr.count("\n") == 1
    assert entry_count(db_path) == 0
    if db_path.exists():
        with sqlite3.connect(db_path) as conn:
            assert conn.execute("SELECT count(*) FROM plan").fetchone()[0] == 0
        conn.close()


def test_nul_in_a_note_is_refused(cart, db_path):
    """NUL cannot pass through a real process's arguments, but can reach run() from a script."""
    result = cart("log", "temp", "37.1", "--note", "ok\x00then")
    assert result.code == 2 and "U+0000" in result.err
    assert entry_count(db_path) == 0


@pytest.mark.parametrize("field", ["note", "other"])
def test_an_import_with_control_characters_is_refused_whole(db_path, tmp_path, field):
    item = {"id": 1, "uid": "a" * 32, "kind": "symptom", "symptom": "other", "severity": None,
            "other": "sore toe", "note": None, "recorded_at": "2026-11-20T10:00:00+00:00"}  # fmt: skip
    item[field] = FAKE_GREEN
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"format": "cart-export", "version": 1, "plan": None, "entries": [item]}))
    done = run_process("import", str(path))
    assert done.returncode == 2, done
    assert "control character" in done.stderr and "U+001B" in done.stderr
    assert entry_count(db_path) == 0


def test_stored_control_characters_are_escaped_on_output_by_check_and_history(db_path):
    """An older database (or another program) may already hold a note with ESC: `history`
    and `check` show it as a visible escape, never as raw bytes the terminal would obey."""
    assert run_process("log", "symptom", "--other", "sore toe", "--note", "placeholder").returncode == 0
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE entries SET other = ?, note = ?", (FAKE_GREEN, FAKE_GREEN))
    conn.close()
    for args in (("history",), ("check",), ("history", "--kind", "symptom")):
        done = run_process(*args, env_extra={"COLUMNS": "200"})
        assert "\x1b" not in done.stdout + done.stderr, (args, done)
        assert "\\x1b[2J" in done.stdout, (args, done.stdout)


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("plain text, café 🙂", "plain text, café 🙂"),
        ("\x1b[2J", "\\x1b[2J"),
        ("a\x00b", "a\\x00b"),
        ("one\ntwo\tthree\rGREEN", "one two three\\x0dGREEN"),
        ("\u202eabc", "\\u202eabc"),
        ("\x9b31m", "\\x9b31m"),  # the one-byte CSI of 8-bit terminals
    ],
)
def test_printable_escapes_only_what_a_terminal_would_act_on(text, shown):
    assert printable(text) == shown


def test_a_note_may_span_lines_but_is_shown_on_one(db_path):
    """Notes keep newlines (a script may log several lines), but no output line can start
    inside a note: `history` shows it with the newline as a space."""
    done = run_process("log", "temp", "37.1", "--note", "slept badly\nGREEN: NOTHING NEEDS ACTION")
    assert done.returncode == 0, done
    shown = run_process("history", env_extra={"COLUMNS": "200"}).stdout
    assert not any(line.lstrip().startswith("GREEN") for line in shown.splitlines()), shown
