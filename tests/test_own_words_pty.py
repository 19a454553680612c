"""Questions about words cart cannot read, driven through a real pseudo-terminal (issue 17).

`cart log symptom` at a terminal asks a few yes / no / not sure questions when a phrase has
words cart could not read or that deny a sign: "yes" counts the sign with the phrase, "no" is
kept as asked and answered, "not sure" counts the sign but never makes an emergency on its
own, Enter is "not sure", Ctrl-C stores nothing. A medicine cart does not know gets asked
about too. In a script nothing is asked and the check lists the questions as text.
"""

from __future__ import annotations

import json
import os
import sys
from datetime import datetime, timedelta

import pexpect
import pytest
from helpers import REPO, flat, run_process

pytestmark = pytest.mark.slow  # real processes in a pseudo-terminal: CI runs them with -m slow

PHONE = "01632 960 123"
TIMEOUT = 30
PROMPT = "[y = yes, n = no, Enter = not sure] "
PHRASE = "no fever, his feet look funny"  # a denial, and words cart cannot read


def set_up(days: int = 10) -> None:
    infusion = (datetime.now().astimezone().date() - timedelta(days=days)).isoformat()
    done = run_process("setup", "--infusion-date", infusion, "--phone", PHONE, "--yes")
    assert done.returncode == 0, done.stderr
    done = run_process("log", "temp", "36.8")
    assert done.returncode == 0, done.stderr


def stored(kind: str = "symptom") -> list[dict]:
    done = run_process("history", "--json", "--kind", kind)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def check() -> dict:
    done = run_process("check", "--json")
    return json.loads(done.stdout)


@pytest.fixture
def cart_tty():
    """Start `cart ARGS` in a pseudo-terminal; closed at the end."""
    env = dict(os.environ, PYTHONPATH=str(REPO), NO_COLOR="1", TERM="dumb", COLUMNS="100")
    children: list[pexpect.spawn] = []

    def start(*args: str) -> pexpect.spawn:
        child = pexpect.spawn(
            sys.executable, ["-m", "cart_cli", *args], env=env, cwd=str(REPO), encoding="utf-8",
            codec_errors="replace", timeout=TIMEOUT, dimensions=(50, 100),
        )  # fmt: skip
        children.append(child)
        return child

    yield start
    for child in children:
        child.close(force=True)


def answer(child: pexpect.spawn, question: str, typed: str) -> None:
    child.expect_exact(question)
    child.expect_exact(PROMPT)
    child.sendline(typed)


def finish(child: pexpect.spawn) -> tuple[int, str]:
    child.expect(pexpect.EOF)
    child.close()
    return child.exitstatus, child.before


def test_yes_to_an_emergency_sign_counts_it_with_the_phrase_and_stops_asking(cart_tty):
    """'yes' to "very hard to wake" logs that sign with the phrase: one entry, CALL 999."""
    set_up()
    child = cart_tty("log", "symptom", PHRASE)
    child.expect_exact('read as not present "fever"')
    answer(child, "very hard to wake", "y")
    code, rest = finish(child)
    assert code == 0, rest
    assert "struggling to breathe" not in rest  # nothing more could raise the advice
    assert "CALL 999 NOW" in flat(rest)
    (entry,) = stored()
    assert entry["other"] == PHRASE and entry["answers"] == "unresponsive=yes"
    assert {(s["concept"], s["status"]) for s in entry["recognised"]} >= {
        ("fever", "denied"),
        ("unresponsive", "yes"),
    }
    assert check()["level"] == "emergency"


def test_no_to_every_question_is_stored_as_asked_and_answered(cart_tty):
    """'no' to each question keeps the phrase amber, and the answers are stored with it."""
    set_up()
    child = cart_tty("log", "symptom", PHRASE)
    for _ in range(9):
        index = child.expect_exact([PROMPT, pexpect.EOF])
        if index == 1:
            break
        child.sendline("n")
    else:
        child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    (entry,) = stored()
    answers = dict(part.split("=") for part in entry["answers"].split(";"))
    assert set(answers.values()) == {"no"} and "unresponsive" in answers and "no_urine" in answers
    verdict = check()
    assert verdict["level"] == "amber"
    assert not any("cart could not read all of" in line for line in verdict["reminders"])
    history = run_process("history").stdout
    assert "answered no:" in flat(history)


def test_not_sure_counts_the_sign_but_never_makes_an_emergency_on_its_own(cart_tty):
    """'not sure' about "very hard to wake" counts as red, not an emergency; Enter is not sure too."""
    set_up()
    child = cart_tty("log", "symptom", PHRASE)
    answer(child, "very hard to wake", "not sure")
    answer(child, "struggling to breathe", "")  # Enter: not sure
    for _ in range(7):
        index = child.expect_exact([PROMPT, pexpect.EOF])
        if index == 1:
            break
        child.sendline("n")
    else:
        child.expect(pexpect.EOF)
    child.close()
    (entry,) = stored()
    assert entry["answers"].startswith("unresponsive=unsure;breathing_difficulty=unsure;")
    assert check()["level"] == "red"


def test_a_word_that_is_no_answer_is_asked_again(cart_tty):
    """An answer that is not yes, no or not sure is asked again, never a crash."""
    set_up()
    child = cart_tty("log", "symptom", PHRASE)
    answer(child, "very hard to wake", "perhaps later")
    child.expect_exact("Please type y (yes) or n (no)")
    child.expect_exact(PROMPT)
    child.sendline("yes")
    code, rest = finish(child)
    assert code == 0 and "Traceback" not in rest
    assert stored()[0]["answers"] == "unresponsive=yes"


def test_ctrl_c_at_a_question_stores_nothing(cart_tty):
    """Ctrl-C at a question stores nothing at all."""
    set_up()
    child = cart_tty("log", "symptom", PHRASE)
    child.expect_exact(PROMPT)
    child.sendintr()
    code, rest = finish(child)
    assert code == 130, rest
    assert "nothing was stored" in flat(rest) and "Traceback" not in rest
    assert stored() == []


def test_no_ask_and_a_script_ask_nothing_and_the_check_lists_the_questions(cart_tty):
    """--no-ask at a terminal, or a script, is never asked: the check lists the questions as text."""
    set_up()
    child = cart_tty("log", "symptom", PHRASE, "--no-ask")
    code, rest = finish(child)
    assert code == 0 and PROMPT not in rest
    done = run_process("log", "symptom", "something odd about his skin")  # no terminal
    assert done.returncode == 0 and PROMPT not in done.stdout
    reminders = " ".join(check()["reminders"])
    assert f'cart could not read all of "{PHRASE}". If any of these is true, call 999 now:' in reminders
    assert "If any of these is true, call your team now: Are they confused" in reminders


def test_an_unknown_medicine_is_asked_about_and_the_answer_counts(cart_tty):
    """A medicine cart does not know: one line, and at a terminal the question; yes hides a fever."""
    set_up()
    child = cart_tty("log", "med", "Zyntelor 20mg")
    child.expect_exact("cart cannot tell whether Zyntelor 20mg lowers a temperature")
    answer(child, "contain paracetamol", "y")
    code, rest = finish(child)
    assert code == 0, rest
    (entry,) = stored("med")
    assert entry["answers"] == "fever_hiding=yes"
    assert any(f["rule"] == "fever-medicine" for f in check()["findings"])
    done = run_process("log", "med", "Quelmara")  # a script: the line, no question
    assert "cart cannot tell whether Quelmara lowers a temperature" in flat(done.stdout)
