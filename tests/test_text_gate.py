"""One gate for stored text on its way to a terminal (issue 19 item 5): text another program
stored (sqlite-utils, Datasette) in any field reaches no terminal raw, through any command.

Every text column of the plan, the appointments, the medicines and the entries is given a
hostile value (an escape sequence, a right-to-left override, a bell, Rich markup); then every
command that shows stored text runs. Nothing a terminal would act on may come out, and Rich
markup is shown as typed, never applied."""

from __future__ import annotations

import os
import pty
import sqlite3
import subprocess
import sys
import unicodedata

import pytest
from helpers import REPO, child_env

# ESC [2J clears a screen; U+202E reverses what follows; BEL rings; [b]..[/b] is Rich markup.
HOSTILE = "\x1b[2J\u202eQZ[b]VW[/b]\x07"
APPLIED_MARKUP = "QZVW"  # what a terminal shows if the markup was applied instead of shown

TEXT_COLUMNS = {
    "plan": ("hospital", "phone", "sentence", "emergency_number"),
    "appointments": ("title", "where_text", "note"),
    "medicines": ("name", "dose"),
    "entries": ("note", "other", "outcome", "medicine"),
}

COMMANDS = [
    [],
    ["check"],
    ["check", "--json"],
    ["history"],
    ["history", "--kind", "med"],
    ["timeline"],
    ["appt", "list"],
    ["med", "list"],
    ["setup", "--show"],
    ["chart", "temp"],
    ["log", "temp", "36.8"],
    ["log", "temp", "38.6"],
    ["appt", "remove", "1", "--yes"],
]


def unsafe(text: str) -> list[str]:
    """Characters a terminal acts on or hides: controls but newline, and format characters."""
    return sorted(
        {char for char in text if char not in "\n" and unicodedata.category(char) in ("Cc", "Cf", "Cs")}
    )


@pytest.fixture
def hostile_database(cart, db_path):
    """A set-up database with one of everything, then every text column made hostile."""
    assert (
        cart("setup", "--infusion-date", "2026-11-20", "--hospital", "Ward 7", "--phone", "0123 456 789").code
        == 0
    )
    assert cart("setup", "--sentence", "The quick brown fox").code == 0
    assert cart("appt", "add", "bloods", "20 Dec 10:30", "--where", "Day unit", "--note", "fasting").code == 0
    assert cart("med", "add", "aciclovir", "--dose", "400 mg", "--times", "08:00,20:00").code == 0
    assert cart("log", "temp", "37.2", "--note", "hot").code == 0
    assert cart("log", "symptom", "--other", "odd feeling").code == 0
    assert cart("log", "call", "--outcome", "wait and see").code == 0
    assert cart("log", "med", "aciclovir").code == 0
    with sqlite3.connect(db_path) as conn:
        for table, columns in TEXT_COLUMNS.items():
            for column in columns:
                conn.execute(f"UPDATE {table} SET {column} = coalesce({column}, '') || ?", (HOSTILE,))
    conn.close()
    return db_path


@pytest.mark.parametrize("argv", COMMANDS, ids=lambda argv: " ".join(argv) or "dashboard")
def test_no_stored_text_reaches_the_terminal_raw(cart, hostile_database, argv):
    """Whatever the command prints (stdout and stderr), no control or format character
    and no applied markup; the command itself does not crash."""
    result = cart(*argv)
    assert "something went wrong" not in result.err, result
    out = result.out + result.err
    assert unsafe(out) == [], (argv, unsafe(out), out[:2000])
    assert APPLIED_MARKUP not in out.replace("\n", ""), (argv, out[:2000])


def at_a_terminal(argv: list[str], db) -> str:
    """Run ``cart ARGV`` as a real process whose stdout and stderr are a pseudo-terminal."""
    leader, follower = pty.openpty()
    env = {**child_env(db), "NO_COLOR": "1", "TERM": "dumb", "COLUMNS": "100"}
    child = subprocess.Popen(
        [sys.executable, "-m", "cart_cli", *argv], stdout=follower, stderr=follower, stdin=subprocess.DEVNULL,
        env=env, cwd=REPO,
    )  # fmt: skip
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    assert child.wait(timeout=60) == 0
    return b"".join(chunks).decode("utf-8", errors="replace").replace("\r\n", "\n")


@pytest.mark.parametrize(
    "argv", [["calendar"], ["export", "--format", "csv"], ["export"], ["appt", "list"], ["med", "list"]]
)
def test_files_printed_to_a_terminal_pass_the_gate_and_a_pipe_gets_them_exactly(cart, hostile_database, argv):
    """`calendar` and `export` at a terminal: escaped like everything else; into a pipe (a
    script, a file) the data is exactly what is stored."""
    shown = at_a_terminal(argv, hostile_database)
    assert unsafe(shown) == [], (argv, unsafe(shown), shown[:2000])
    if argv[0] in ("calendar", "export"):
        piped = subprocess.run(
            [sys.executable, "-m", "cart_cli", *argv], capture_output=True, text=True,
            env=child_env(hostile_database), cwd=REPO, timeout=60,
        )  # fmt: skip
        assert piped.returncode == 0 and "\u202e" in piped.stdout, piped
