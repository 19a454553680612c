"""`cart neuro` driven through a real pseudo-terminal (pexpect), as a carer would use it:
a full 10/10 run, a 7/10 run that ends RED with the team's number, Ctrl-C half-way (nothing
stored), and wrong answers typed at a prompt (asked again, never a crash).

Each test runs ``python -m cart_cli neuro`` as a real process on a private database.
"""

from __future__ import annotations

import json
import os
import sys
from datetime import datetime, timedelta

import pexpect
import pytest
from helpers import REPO, flat, run_process

# Every test here drives a real `cart neuro` through a pseudo-terminal:
# CI runs them (`pytest -m slow`), so the default run stays fast.
pytestmark = pytest.mark.slow

PHONE = "01632 960 123"
TIMEOUT = 30


def set_up(days_since_infusion: int, *extra: str) -> None:
    infusion = (datetime.now().astimezone().date() - timedelta(days=days_since_infusion)).isoformat()
    done = run_process("setup", "--infusion-date", infusion, "--phone", PHONE, *extra)
    assert done.returncode == 0, done.stderr


def stored() -> list[dict]:
    done = run_process("history", "--json", "--limit", "100")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.fixture
def neuro():
    """Start `cart neuro` in a pseudo-terminal 100 columns wide; closed at the end."""
    env = dict(os.environ, PYTHONPATH=str(REPO), NO_COLOR="1", TERM="dumb", COLUMNS="100")
    children: list[pexpect.spawn] = []

    def start() -> pexpect.spawn:
        child = pexpect.spawn(
            sys.executable,
            ["-m", "cart_cli", "neuro"],
            env=env,
            cwd=str(REPO),
            encoding="utf-8",
            codec_errors="replace",
            timeout=TIMEOUT,
            dimensions=(50, 100),
        )
        children.append(child)
        return child

    yield start
    for child in children:
        child.close(force=True)


def answer(child: pexpect.spawn, right: bool) -> None:
    child.expect_exact("Right? [y/n]: ")
    child.sendline("y" if right else "n")


def finish(child: pexpect.spawn) -> tuple[int, str]:
    """Read to the end; the exit status and everything printed since the last prompt."""
    child.expect(pexpect.EOF)
    child.close()
    return child.exitstatus, child.before


def test_a_full_run_scores_10_and_stores_it(neuro):
    set_up(5, "--hospital", "Ward 7", "--sentence", "Boats float on the lake.")
    child = neuro()
    child.expect_exact("Nervous-system check")
    child.expect_exact('"What year is it?"')
    child.expect_exact(f"Right if they say {datetime.now().year}.")
    for _ in range(3):  # year, month, city
        answer(child, True)
    child.expect_exact("(cart has: Ward 7)")
    for _ in range(7):  # the hospital, and the rest
        answer(child, True)
    child.expect_exact('("Boats float on the lake.")')
    child.expect_exact("[same/changed/first/skip]: ")
    child.sendline("first")
    code, rest = finish(child)
    text = flat(rest)
    assert code == 0, rest
    assert "ICE score: 10 out of 10" in text
    assert "There is no earlier ICE score to compare with." in text
    assert "Nothing in this check needs action" in text
    assert "CALL" not in text
    kinds = {e["kind"]: e for e in stored()}
    assert kinds["ice"]["score"] == 10
    assert kinds["ice"]["items"] == "orientation=4,naming=3,command=1,writing=1,counting=1"
    assert kinds["handwriting"]["handwriting"] == "first"


def test_a_7_out_of_10_run_ends_red_with_the_teams_number(neuro):
    set_up(12)
    assert run_process("log", "ice", "10", "--at", "yesterday 09:00").returncode == 0
    child = neuro()
    wrong = {4, 7, 9}  # one object not named, the command not followed, counting not done
    for number in range(10):
        answer(child, number not in wrong)
    child.expect_exact("[same/changed/first/skip]: ")
    child.sendline("same")
    code, rest = finish(child)
    text = flat(rest)
    assert code == 0, rest
    assert "ICE score: 7 out of 10" in text
    assert "Best score before this: 10/10" in text
    assert "RED: CALL YOUR HOSPITAL TEAM NOW" in text
    assert PHONE in text
    ice = [e for e in stored() if e["kind"] == "ice"]
    assert [e["score"] for e in ice] == [7, 10]
    assert ice[0]["items"] == "orientation=4,naming=2,command=0,writing=1,counting=0"


def test_ctrl_c_half_way_stores_nothing(neuro):
    set_up(3)
    child = neuro()
    for _ in range(5):
        answer(child, True)
    child.expect_exact("Right? [y/n]: ")
    child.sendintr()
    code, rest = finish(child)
    assert code == 130, rest
    assert "Nothing was stored" in flat(rest)
    assert "Traceback" not in rest
    assert stored() == []


def test_ctrl_d_at_the_handwriting_question_stores_nothing(neuro):
    set_up(3)
    child = neuro()
    for _ in range(10):
        answer(child, True)
    child.expect_exact("[same/changed/first/skip]: ")
    child.sendeof()
    code, rest = finish(child)
    assert code == 130, rest
    assert "Nothing was stored" in flat(rest)
    assert stored() == []


def test_wrong_answers_are_asked_again(neuro):
    set_up(3)
    child = neuro()
    for typed in ("maybe", "", "12", "yess", "\x1b[A", "ñ"):
        child.expect_exact("Right? [y/n]: ")
        child.sendline(typed)
        child.expect_exact("Please type y if it was right, or n if not.")
    child.expect_exact("Right? [y/n]: ")
    os.write(child.child_fd, b"\xff\xfe\n")  # not valid UTF-8
    child.expect_exact("Please type y if it was right, or n if not.")
    child.expect_exact("Right? [y/n]: ")
    child.sendline("Yes")
    for _ in range(9):
        answer(child, True)
    for typed in ("dunno", "10", ""):
        child.expect_exact("[same/changed/first/skip]: ")
        child.sendline(typed)
        child.expect_exact("Please type same, changed, first")
    child.expect_exact("[same/changed/first/skip]: ")
    child.sendline("skip")
    code, rest = finish(child)
    assert code == 0, rest
    assert "Traceback" not in rest
    assert [(e["kind"], e["score"]) for e in stored()] == [("ice", 10)]


def test_a_changed_handwriting_is_red_within_8_weeks(neuro):
    set_up(20)
    child = neuro()
    for _ in range(10):
        answer(child, True)
    child.expect_exact("[same/changed/first/skip]: ")
    child.sendline("changed")
    code, rest = finish(child)
    text = flat(rest)
    assert code == 0, rest
    assert "ICE score: 10 out of 10" in text
    assert "RED: CALL YOUR HOSPITAL TEAM NOW" in text
    assert "Handwriting changed" in text
    assert "Nothing in this check needs action" not in text


@pytest.mark.parametrize(("signal_name", "code"), [("SIGHUP", 129), ("SIGTERM", 143)])
def test_a_signal_half_way_stores_nothing_and_exits_128_plus_its_number(neuro, signal_name, code):
    """The terminal closing (SIGHUP) or a stop request (SIGTERM) half-way: nothing stored, and
    the exit status shells use for that signal (128 + its number), as the README says."""
    import signal

    set_up(3)
    child = neuro()
    for _ in range(3):
        answer(child, True)
    child.expect_exact("Right? [y/n]: ")
    child.kill(getattr(signal, signal_name))
    code_seen, rest = finish(child)
    assert code_seen == code, rest
    assert "Traceback" not in rest
    assert stored() == []
