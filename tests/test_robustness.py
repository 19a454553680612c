"""Whatever is typed after `cart log`, cart answers cleanly and stores exactly what it says.

The contract (README, exit codes): a log command exits 0 and prints one "Stored #" line per
entry it stored, or exits 2 with one line on stderr and stores nothing. Never exit 1 (a crash
inside cart), never a traceback. Hypothesis drives the real CLI in-process with arbitrary
text and with fragments that look like real input; a few real processes check the bytes a
shell can pass that are not valid UTF-8.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import entry_count, run_process
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

# Options each log subcommand accepts (see `cart log KIND --help`).
OPTIONS = {
    "temp": ("--at", "--note", "--unit"),
    "symptom": ("--at", "--note", "--severity", "--other"),
    "fatigue": ("--at", "--note"),
    "bp": ("--at", "--note", "--pulse"),
    "fluids": ("--at", "--note"),
}
ALL_OPTIONS = ("--at", "--note", "--unit", "--severity", "--pulse", "--other")

# Pieces of what people really type, valid and nearly valid, for values and option values.
FRAGMENTS = (
    "37.1", "38", "38.0", "37,5", "100.4F", "99.5", "36.6c", "45.1", "29.9", "-1", "0", "1e308",
    "nan", "inf", "-inf", "1_000", "0x10", "½", "３７.１", "118/76", "95/60", "300/20", "80/120",
    "1.5", "500ml", "1,500ml", "5.001", "0.0001", "6", "10", "11", "6/10", "cough", "runny poo",
    "headache", "fever", "fit", "confusion", "shivering", "Cough,", ",", "other", "mild",
    "Severe", "f", "c", "K", "now", "2h ago", "45m ago", "-2h ago", "999999h ago", "today 08:00",
    "yesterday 21:30", "tomorrow 08:00", "2026-11-20 14:30", "31/02/2026 10:00", "03/11/2026",
    "9999-12-31 23:59", "0001-01-01 00:00", "1970-01-01T00:00:00+14:00", "24:61", "--", "-",
    "-h", "--json", "--at", "", " ", "\t", "\n", "\x00", "é", "🙂", "\u202e", "x" * 81, "y" * 1001,
)  # fmt: skip
fragment = st.sampled_from(FRAGMENTS)
typed_text = st.one_of(
    fragment,
    st.text(max_size=40),
    st.lists(fragment, min_size=2, max_size=3).map(" ".join),
    st.tuples(fragment, st.text(max_size=5)).map("".join),
)


# What a person would most likely type in each place; every slot also gets arbitrary text.
PLAUSIBLE = {
    "temp": ("37.1", "38.2", "36", "99.5F", "35.9", "38"),
    "symptom": ("cough", "headache", "runny poo", "shivering", "cough, headache", "Tummy pain"),
    "fatigue": ("6", "0", "10", "7/10"),
    "bp": ("118/76", "95/60", "140/90 mmHg"),
    "fluids": ("500ml", "1.5", "2 litres"),
    "--at": ("now", "2h ago", "45m ago", "yesterday 21:30", "today 00:00"),
    "--note": ("slept badly", "after paracetamol", ""),
    "--unit": ("c", "f", "C"),
    "--severity": ("mild", "moderate", "severe"),
    "--pulse": ("88", "104", "131"),
    "--other": ("sore mouth", "itchy skin"),
}


def slot(name: str, tidy: bool) -> st.SearchStrategy[str]:
    """Something plausible for this place; unless ``tidy``, sometimes anything at all."""
    plausible = st.sampled_from(PLAUSIBLE[name])
    return plausible if tidy else st.one_of(plausible, typed_text)


@st.composite
def log_commands(draw) -> list[str]:
    """A `cart log KIND ...` argument list: values and options in any order."""
    kind = draw(st.sampled_from(sorted(OPTIONS)))
    tidy = draw(st.integers(0, 2)) == 0  # a third of commands typed carefully, so many succeed
    # Usually the one value the command needs (several names for symptom); sometimes none or two.
    how_many = draw(st.sampled_from((1, 1, 1, 2, 3, 0) if kind == "symptom" else (1, 1, 1, 1, 2, 0)))
    positionals = [draw(slot(kind, tidy)) for _ in range(how_many)]
    names = draw(st.lists(st.sampled_from(OPTIONS[kind]), max_size=3, unique=True))
    if draw(st.integers(0, 9)) == 0:  # now and then an option this command does not take
        names.append(draw(st.sampled_from(ALL_OPTIONS)))
    pairs = iter([[name, draw(slot(name, tidy))] for name in names])
    # Positionals interleaved with whole option pairs, as a person might order them.
    order = draw(st.permutations(positionals + [None] * len(names)))
    args: list[str] = []
    for word in order:
        args += next(pairs) if word is None else [word]
    return ["log", kind, *args]


def reported_count(out: str) -> int:
    """How many entries the output says were stored: "Stored #" lines, or the length of
    the "stored" list when the command printed JSON (``--json``, wherever it was typed)."""
    import json

    if out.lstrip().startswith("{"):
        return len(json.loads(out)["stored"])
    return out.count("Stored #")


@pytest.fixture(scope="module")
def shared_db(tmp_path_factory) -> Path:
    """One database for every hypothesis example; each example counts before and after."""
    return tmp_path_factory.mktemp("robust") / "cart.db"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(command=log_commands())
@example(command=["log", "temp", "37.1", "--json"])  # JSON says what was stored, not "Stored #"
@example(command=["log", "symptom", "cough", "--json", "--note", "x"])
def test_any_log_command_exits_0_or_2_and_stores_exactly_what_it_reports(cart, shared_db, command):
    """Exit 0 with one "Stored #" line per new row, or exit 2 with nothing stored; no crash."""
    before = entry_count(shared_db, missing=0)
    result = cart("--db", str(shared_db), *command)
    after = entry_count(shared_db, missing=0)

    event(f"exit {result.code}, stored {after - before}")  # shows the mix with --hypothesis-show-statistics
    assert result.code in (0, 2), result
    assert "Traceback" not in result.err and "Traceback" not in result.out
    assert "something went wrong" not in result.err
    reported = reported_count(result.out)
    if result.code == 0:
        assert after - before == reported
        assert reported >= 1 or result.out.startswith("Usage:")  # only --help succeeds storing nothing
    else:
        assert after == before and reported == 0
        assert result.err.startswith("cart") and result.err.count("\n") == 1  # one line, no dump


# -- real processes: bytes that are not UTF-8 ---------------------------------------------------


NOT_UTF8 = b"\xff\xfe caf\xe9"  # Latin-1 bytes, as an old terminal or a script might send


@pytest.mark.parametrize(
    "args",
    [
        (b"log", b"temp", NOT_UTF8),
        (b"log", b"temp", b"37.1", b"--note", NOT_UTF8),
        (b"log", b"temp", b"37.1", b"--at", NOT_UTF8),
        (b"log", b"temp", b"37.1", b"--unit", NOT_UTF8),
        (b"log", b"symptom", NOT_UTF8),
        (b"log", b"symptom", b"cough", b"--severity", NOT_UTF8),
        (b"log", b"symptom", b"--other", NOT_UTF8),
        (b"log", b"fatigue", b"6", b"--note", NOT_UTF8),
        (b"log", b"bp", b"118/76", b"--pulse", NOT_UTF8),
        (b"log", b"fluids", NOT_UTF8),
    ],
    ids=lambda args: " ".join(a.decode("ascii", "replace") for a in args),
)
def test_arguments_that_are_not_utf8_get_a_clean_answer_from_a_real_process(db_path, args):
    """Undecodable bytes in any argument: exit 0 or 2, no traceback, count matches what was said."""
    before = entry_count(db_path, missing=0)
    done = run_process(*args, db=db_path, text=False)
    out = done.stdout.decode("utf-8", "replace")
    err = done.stderr.decode("utf-8", "replace")
    after = entry_count(db_path, missing=0)

    assert done.returncode in (0, 2), (done.returncode, out, err)
    assert "Traceback" not in err and "something went wrong" not in err
    assert after - before == out.count("Stored #")
