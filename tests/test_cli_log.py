"""End-to-end tests of `cart setup`, `cart log`, `cart history`, `cart delete` and `cart undo`.

Every test runs the real command line in-process (the ``cart`` fixture) against a database in
a temp folder; a few run ``python -m cart_cli`` as a real process to prove the console entry
works. Expected values come from the seed page, docs/clinical-basis.md and plain
arithmetic (e.g. °F to °C), never from the program's own output.

Bad input of any kind must give exactly one line on stderr, exit 2 (typed something we cannot
accept) or 1 (cart could not do its job), no traceback, and write nothing.
"""

from __future__ import annotations

import io
import json
import re
import sqlite3
import sys
from contextlib import contextmanager
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from helpers import assert_one_line_error, entry_count, flat, run_process

REPO = Path(__file__).resolve().parents[1]
PHONE = "01632 960 123"  # a UK number reserved for examples
CSI = "\x1b["  # every ANSI escape sequence for colour or style starts with this


# --- helpers -------------------------------------------------------------------------------


def today() -> date:
    """The local calendar date (conftest fixes the time zone to Europe/London)."""
    return datetime.now().astimezone().date()


def days_ago(days: int) -> str:
    return (today() - timedelta(days=days)).isoformat()


def set_up(cart, days_since_infusion: int = 20, *extra: str):
    """Save a plan whose infusion was ``days_since_infusion`` days ago, with a phone number."""
    result = cart("setup", "--infusion-date", days_ago(days_since_infusion), "--phone", PHONE, *extra)
    assert result.code == 0, result
    return result


def saved_plan(db: Path) -> dict | None:
    """The plan row, read directly from SQLite."""
    if not db.exists():
        return None
    conn = sqlite3.connect(db)
    try:
        cursor = conn.execute("SELECT * FROM plan WHERE id = 1")
        row = cursor.fetchone()
        columns = [column[0] for column in cursor.description]
    finally:
        conn.close()
    if row is None:
        return None
    return {name: value for name, value in zip(columns, row, strict=True) if name != "updated_at"}


def history(cart, *args: str) -> list[dict]:
    result = cart("history", "--json", "--limit", "1000", *args)
    assert result.code == 0, result
    return json.loads(result.out)


def logged(cart, *args: str) -> list[dict]:
    """Log with --json and return the stored entries."""
    result = cart("log", *args, "--json")
    assert result.code == 0, result
    return json.loads(result.out)["stored"]


def fahrenheit_to_celsius(fahrenheit: float) -> float:
    return round((fahrenheit - 32) * 5 / 9, 2)


class TerminalInput(io.StringIO):
    """Typed answers on stdin that claim to come from a terminal, so cart may ask questions."""

    def isatty(self) -> bool:
        return True


def run_at_terminal(monkeypatch, capsys, answers: str, *args: str):
    from cart_cli.cli import run

    monkeypatch.setattr(sys, "stdin", TerminalInput(answers))
    capsys.readouterr()
    code = run(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


# --- setup -----------------------------------------------------------------------------------


@pytest.mark.parametrize("style", ["iso", "words"])
def test_setup_accepts_the_infusion_date_as_iso_or_in_words(cart, db_path, style):
    """`--infusion-date` takes 2026-11-03 and '3 Nov 2026' forms and stores the same day."""
    infusion = today() - timedelta(days=12)
    typed = infusion.isoformat() if style == "iso" else f"{infusion.day} {infusion:%b %Y}"
    result = cart("setup", "--infusion-date", typed, "--phone", PHONE)
    assert result.code == 0, result
    assert saved_plan(db_path)["infusion_date"] == infusion.isoformat()
    assert "day 12" in flat(result.out)


def test_setup_update_changes_only_what_is_given(cart, db_path):
    """Running setup again with one option keeps every other saved field."""
    set_up(cart, 20, "--hospital", "St Elsewhere Haematology", "--diagnosis", "myeloma")
    before = saved_plan(db_path)
    result = cart("setup", "--fever-threshold", "37.5")
    assert result.code == 0, result
    after = saved_plan(db_path)
    assert after["fever_threshold_c"] == 37.5
    assert {k: v for k, v in after.items() if k != "fever_threshold_c"} == {
        k: v for k, v in before.items() if k != "fever_threshold_c"
    }


def test_setup_show_and_json_print_the_saved_plan_and_change_nothing(cart, db_path):
    """`setup --show` and `setup --json` print the plan (JSON with its day) and write nothing."""
    set_up(cart, 20, "--hospital", "St Elsewhere Haematology")
    before = saved_plan(db_path)
    shown = cart("setup", "--show")
    assert shown.code == 0, shown
    assert PHONE in flat(shown.out) and "St Elsewhere Haematology" in flat(shown.out)
    as_json = cart("setup", "--json")
    assert as_json.code == 0, as_json
    data = json.loads(as_json.out)
    assert data["infusion_date"] == days_ago(20)
    assert data["phone"] == PHONE
    assert data["fever_threshold_c"] == 38.0  # seed: a fever is 38 °C or above
    assert data["emergency_number"] == "999"  # the seed is a UK page
    assert data["day"] == 20
    assert saved_plan(db_path) == before


def test_setup_show_before_setup_is_a_clear_error_that_creates_nothing(cart, db_path):
    """`setup --show` with nothing saved says how to set up, and leaves no file behind."""
    result = cart("setup", "--show")
    assert_one_line_error(result, 1)
    assert "cart setup" in result.err
    assert not db_path.exists()


@pytest.mark.parametrize(
    "args",
    [
        ("setup", "--phone", PHONE),
        ("setup",),
        ("setup", "--hospital", "St Elsewhere"),
    ],
)
def test_first_setup_without_infusion_date_and_no_terminal_writes_nothing(cart, db_path, args):
    """With no terminal to ask at, a first setup without --infusion-date exits 2 and creates no file."""
    result = cart(*args)
    assert_one_line_error(result, 2)
    assert "--infusion-date" in result.err
    assert not db_path.exists()
    assert not db_path.parent.exists()


def test_first_setup_without_phone_is_saved_and_says_how_to_add_it(cart, db_path):
    """A plan with no 24-hour number is saved, with a note on how to add the number."""
    result = cart("setup", "--infusion-date", days_ago(5))
    assert result.code == 0, result
    assert "cart setup --phone" in flat(result.out)
    assert saved_plan(db_path)["phone"] is None


def test_first_setup_at_a_terminal_asks_for_what_is_missing(monkeypatch, capsys, db_path):
    """At a terminal, first setup asks for the infusion date, hospital, phone number, the fever
    threshold the hospital gave and the diagnosis (a wrong answer is asked again)."""
    infusion = today() - timedelta(days=3)
    answers = f"{infusion.isoformat()}\nSt Elsewhere\n{PHONE}\n39\n37.5\nDLBCL\n"
    code, out, err = run_at_terminal(monkeypatch, capsys, answers, "setup")
    assert code == 0, (out, err)
    plan = saved_plan(db_path)
    assert (plan["infusion_date"], plan["hospital"], plan["phone"]) == (
        infusion.isoformat(), "St Elsewhere", PHONE,
    )  # fmt: skip
    assert (plan["fever_threshold_c"], plan["diagnosis"]) == (37.5, "lymphoma")
    assert "above 38.0" in err


def test_first_setup_at_a_terminal_can_skip_threshold_and_diagnosis(monkeypatch, capsys, db_path):
    """Enter at the fever-threshold and diagnosis questions keeps 38.0 °C and no diagnosis."""
    infusion = today() - timedelta(days=3)
    code, out, err = run_at_terminal(monkeypatch, capsys, f"{infusion.isoformat()}\n\n{PHONE}\n\n\n", "setup")
    assert code == 0, (out, err)
    plan = saved_plan(db_path)
    assert (plan["fever_threshold_c"], plan["diagnosis"]) == (38.0, None)


def test_first_setup_asks_again_for_a_hospital_name_it_cannot_take(monkeypatch, capsys, db_path):
    """A hospital name with a control character is explained and asked again at the prompt,
    like every other question, instead of ending the set-up."""
    infusion = today() - timedelta(days=3)
    answers = f"{infusion.isoformat()}\nSt \x1b[2J Elsewhere\nSt Elsewhere\n{PHONE}\n\n\n"
    code, out, err = run_at_terminal(monkeypatch, capsys, answers, "setup")
    assert code == 0, (out, err)
    assert saved_plan(db_path)["hospital"] == "St Elsewhere"
    assert "hospital name" in err


@pytest.mark.parametrize(
    ("offset_days", "yes", "accepted"),
    [
        (365, False, True),  # a year away is still plausible
        (-365, False, True),
        (366, False, False),  # more than a year away: ask for --yes
        (-366, False, False),
        (366, True, True),
        (-366, True, True),
        (-3000, True, True),  # years ago, e.g. someone in long-term follow-up
    ],
)
def test_infusion_date_more_than_a_year_away_needs_yes(cart, db_path, offset_days, yes, accepted):
    """An infusion date more than 365 days from today is refused without --yes, kept with it."""
    infusion = today() + timedelta(days=offset_days)
    args = ["setup", "--infusion-date", infusion.isoformat(), "--phone", PHONE]
    result = cart(*args, *(["--yes"] if yes else []))
    if accepted:
        assert result.code == 0, result
        assert saved_plan(db_path)["infusion_date"] == infusion.isoformat()
    else:
        assert_one_line_error(result, 2)
        assert "--yes" in result.err
        assert not db_path.exists()


def test_implausible_infusion_date_on_update_keeps_the_old_plan(cart, db_path):
    """Changing a saved plan to a date over a year away without --yes changes nothing."""
    set_up(cart, 20)
    before = saved_plan(db_path)
    result = cart("setup", "--infusion-date", (today() + timedelta(days=400)).isoformat())
    assert_one_line_error(result, 2)
    assert saved_plan(db_path) == before


@pytest.mark.parametrize(
    ("typed", "accepted"),
    [
        ("37.5", True),  # docs/clinical-basis.md T1: many UK hospitals call from 37.5
        ("37.0", True),
        ("38.0", True),
        ("38.1", False),  # above the seed's 38 °C line: it would hide a fever
        ("36.9", False),
        ("39", False),
        ("warm", False),
    ],
)
def test_fever_threshold_is_limited_to_37_to_38(cart, db_path, typed, accepted):
    """`--fever-threshold` accepts 37.0-38.0 °C and refuses anything that could hide a fever."""
    set_up(cart, 20)
    before = saved_plan(db_path)
    result = cart("setup", "--fever-threshold", typed)
    if accepted:
        assert result.code == 0, result
        assert saved_plan(db_path)["fever_threshold_c"] == float(typed)
    else:
        assert_one_line_error(result, 2)
        assert saved_plan(db_path) == before


def test_setup_json_prints_the_plan_it_saved(cart):
    """`setup ... --json` prints the saved plan as JSON."""
    result = cart(
        "setup", "--infusion-date", days_ago(2), "--phone", PHONE, "--emergency-number", "112", "--json"
    )
    assert result.code == 0, result
    data = json.loads(result.out)
    assert (data["infusion_date"], data["phone"], data["emergency_number"]) == (days_ago(2), PHONE, "112")


# --- log: every kind ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "unit", "celsius", "says_fahrenheit"),
    [
        ("37.2", None, 37.2, False),
        ("37,2", None, 37.2, False),
        ("38.2C", None, 38.2, False),
        ("100.4F", None, fahrenheit_to_celsius(100.4), True),  # = 38.0 °C, the seed's fever line
        ("99.5", "f", fahrenheit_to_celsius(99.5), True),  # = 37.5 °C
        ("101.3", None, fahrenheit_to_celsius(101.3), True),  # no unit, but only °F makes sense
    ],
)
def test_log_temp_stores_celsius_and_says_when_it_converted(cart, typed, unit, celsius, says_fahrenheit):
    """Temperatures are stored in °C; a °F reading is converted and the output says so."""
    args = ["log", "temp", typed, *(["--unit", unit] if unit else [])]
    result = cart(*args)
    assert result.code == 0, result
    (entry,) = history(cart)
    assert entry["kind"] == "temp"
    assert entry["celsius"] == pytest.approx(celsius, abs=0.005)
    if says_fahrenheit:
        assert "°F" in result.out and f"{celsius:.1f} °C" in result.out
    else:
        assert "°F" not in result.out


@pytest.mark.parametrize(
    ("typed", "litres"),
    [("1.5", 1.5), ("500ml", 0.5), ("250 mL", 0.25), ("2 litres", 2.0), ("0,75", 0.75)],
)
def test_log_fluids_stores_litres(cart, typed, litres):
    """Fluids are stored in litres, whether typed in litres or millilitres."""
    (entry,) = logged(cart, "fluids", typed)
    assert entry["litres"] == pytest.approx(litres)
    assert history(cart)[0]["litres"] == pytest.approx(litres)


def test_log_fluids_in_millilitres_says_how_it_was_read(cart):
    """`500ml` is confirmed as 0.5 L, so a slip of the unit is visible."""
    result = cart("log", "fluids", "500ml")
    assert result.code == 0, result
    assert "0.5 L" in result.out


@pytest.mark.parametrize(
    ("args", "values"),
    [
        (("118/76",), {"systolic": 118, "diastolic": 76, "pulse": None}),
        (("118/76", "--pulse", "88"), {"systolic": 118, "diastolic": 76, "pulse": 88}),
        (("120 / 80 mmHg", "--pulse", "72 bpm"), {"systolic": 120, "diastolic": 80, "pulse": 72}),
    ],
)
def test_log_bp_stores_both_numbers_and_the_pulse(cart, args, values):
    """Blood pressure keeps systolic, diastolic and, with --pulse, the pulse."""
    logged(cart, "bp", *args)
    (entry,) = history(cart)
    assert {key: entry[key] for key in values} == values


@pytest.mark.parametrize(("typed", "score"), [("0", 0), ("6", 6), ("10", 10), ("7/10", 7)])
def test_log_fatigue_stores_the_score_and_zero_stays_zero(cart, typed, score):
    """Fatigue 0-10 is stored as typed; 0 is a real score, never turned into nothing."""
    logged(cart, "fatigue", typed)
    (entry,) = history(cart)
    assert entry["score"] == score and entry["score"] is not None


@pytest.mark.parametrize(
    ("words", "names"),
    [
        (("cough",), ["cough"]),
        (("runny", "poo"), ["diarrhoea"]),  # unquoted multi-word alias
        (("runny poo",), ["diarrhoea"]),  # quoted
        (("being sick",), ["vomiting"]),  # seed: "being sick"
        (("shaking",), ["tremor"]),  # seed: "shaking (tremor)"
        (("the shivers",), ["shivering"]),
        (("Diarrhea",), ["diarrhoea"]),  # US spelling, any case
    ],
)
def test_log_symptom_understands_aliases(cart, words, names):
    """A symptom name or alias, quoted or not, in any case, is stored as that symptom."""
    stored = logged(cart, "symptom", *words)
    assert [entry["symptom"] for entry in stored] == names
    assert sorted(entry["symptom"] for entry in history(cart)) == sorted(names)


@pytest.mark.parametrize(
    ("words", "concepts"),
    [
        (("runny", "poo", "headache"), ["diarrhoea", "headache"]),
        (("cough", "headache", "rash"), ["cough", "headache", "rash"]),
        (("cough, sore head",), ["cough", "headache"]),
        (("cough", "coughing"), ["cough"]),  # the same sign twice is named once
    ],
)
def test_several_names_in_one_phrase_are_one_entry_with_each_sign(cart, words, concepts):
    """One thing said is one entry (issue 18): its words, with each sign it names recognised."""
    stored = logged(cart, "symptom", *words)
    assert [(entry["symptom"], entry["other"]) for entry in stored] == [("other", " ".join(words))]
    (entry,) = history(cart)
    assert [sign["concept"] for sign in entry["recognised"]] == concepts


def test_log_symptom_other_keeps_the_persons_words(cart):
    """`--other` stores a symptom that is not on the list in the person's own words."""
    stored = logged(cart, "symptom", "--other", "sore big toe")
    assert [(e["symptom"], e["other"]) for e in stored] == [("other", "sore big toe")]


def test_log_symptom_other_that_names_a_listed_symptom_is_stored_as_it(cart):
    """`--other 'sore mouth'` is on the list now, so it is stored as that symptom."""
    stored = logged(cart, "symptom", "--other", "sore mouth")
    assert [(e["symptom"], e["other"]) for e in stored] == [("sore mouth", None)]


def test_log_symptom_names_and_other_with_severity_share_it(cart):
    """Names plus --other are stored together, each with the --severity given."""
    stored = logged(cart, "symptom", "cough", "--other", "sore big toe", "--severity", "Severe")
    assert sorted((e["symptom"], e["severity"]) for e in stored) == [("cough", "severe"), ("other", "severe")]
    assert len(history(cart)) == 2


def test_log_note_is_kept(cart):
    """`--note` is stored with the entry and shown by history."""
    logged(cart, "temp", "36.9", "--note", "after a nap")
    assert history(cart)[0]["note"] == "after a nap"
    assert "after a nap" in flat(cart("history").out)


def _local(moment: datetime) -> datetime:
    return moment.astimezone()


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("now", lambda now: now),
        ("2h ago", lambda now: now - timedelta(hours=2)),
        ("45m ago", lambda now: now - timedelta(minutes=45)),
        ("90 min ago", lambda now: now - timedelta(minutes=90)),
        ("today 00:00", lambda now: now.replace(hour=0, minute=0, second=0, microsecond=0)),
        (
            "yesterday 21:30",
            lambda now: (now - timedelta(days=1)).replace(hour=21, minute=30, second=0, microsecond=0),
        ),
    ],
)
def test_log_at_accepts_relative_forms(cart, typed, expected):
    """`--at` takes now, 'Nh ago', 'Nm ago', 'today HH:MM' and 'yesterday HH:MM'."""
    now = datetime.now().astimezone()
    (entry,) = logged(cart, "temp", "36.8", "--at", typed)
    recorded = datetime.fromisoformat(entry["recorded_at"])
    want = expected(now)
    if want.tzinfo is None:
        want = want.astimezone()
    assert abs((recorded - want).total_seconds()) < 5


@pytest.mark.parametrize(
    "fmt",
    [
        lambda m: m.strftime("%Y-%m-%d %H:%M"),
        lambda m: f"{m.day} {m:%b %H:%M}",
        lambda m: m.astimezone(timezone(timedelta(hours=5))).isoformat(timespec="minutes"),
    ],
    ids=["iso-local", "day-month-time", "iso-with-offset"],
)
def test_log_at_accepts_a_date_and_time(cart, fmt):
    """`--at` takes a full date and time, in local time or with an explicit offset."""
    now = datetime.now().astimezone()
    # Two days back, but not into last year: a date typed without a year means this year.
    start_of_year = now.replace(month=1, day=1, hour=0, minute=0, second=0, microsecond=0)
    moment = max(now - timedelta(days=2), start_of_year).replace(second=0, microsecond=0)
    (entry,) = logged(cart, "temp", "36.8", "--at", fmt(moment))
    assert datetime.fromisoformat(entry["recorded_at"]) == moment


# --- history -----------------------------------------------------------------------------------


def test_history_json_has_one_shape_per_entry(cart):
    """history --json lists id, kind, recorded_at (ISO with offset), value fields and note."""
    logged(cart, "temp", "100.4F", "--note", "evening")
    logged(cart, "fatigue", "0")
    logged(cart, "bp", "118/76", "--pulse", "88")
    logged(cart, "fluids", "500ml")
    logged(cart, "symptom", "cough", "--severity", "mild")
    entries = history(cart)
    by_kind = {entry["kind"]: entry for entry in entries}
    assert set(by_kind) == {"temp", "fatigue", "bp", "fluids", "symptom"}
    for entry in entries:
        assert isinstance(entry["id"], int)
        assert "note" in entry
        assert datetime.fromisoformat(entry["recorded_at"]).utcoffset() is not None
    assert by_kind["temp"]["celsius"] == pytest.approx(38.0, abs=0.005)  # 100.4 °F
    assert by_kind["temp"]["note"] == "evening"
    assert by_kind["fatigue"]["score"] == 0
    assert (by_kind["bp"]["systolic"], by_kind["bp"]["diastolic"], by_kind["bp"]["pulse"]) == (118, 76, 88)
    assert by_kind["fluids"]["litres"] == pytest.approx(0.5)
    assert (by_kind["symptom"]["symptom"], by_kind["symptom"]["severity"]) == ("cough", "mild")


def test_history_is_newest_first_and_filters_by_kind_since_and_limit(cart):
    """history lists newest first; --kind, --since and --limit narrow it."""
    old = logged(cart, "temp", "36.5", "--at", "5h ago")[0]["id"]
    middle = logged(cart, "fatigue", "3", "--at", "3h ago")[0]["id"]
    new = logged(cart, "temp", "36.9", "--at", "1h ago")[0]["id"]
    assert [e["id"] for e in history(cart)] == [new, middle, old]
    assert [e["id"] for e in history(cart, "--kind", "temp")] == [new, old]
    assert [e["id"] for e in history(cart, "--kind", " TEMP ")] == [new, old]
    assert [e["id"] for e in history(cart, "--since", "4h ago")] == [new, middle]
    assert [e["id"] for e in history(cart, "--limit", "1")] == [new]


def test_history_text_shows_each_entry(cart):
    """The history table shows each entry's id and value in plain words."""
    logged(cart, "temp", "37.3")
    logged(cart, "bp", "118/76", "--pulse", "88")
    result = cart("history")
    assert result.code == 0, result
    assert "37.3 °C" in result.out and "118/76" in result.out and "88" in result.out


def test_history_with_no_database_is_empty_and_creates_nothing(cart, db_path):
    """history before anything is logged prints an empty list and leaves no file behind."""
    assert history(cart) == []
    assert cart("history").code == 0
    assert not db_path.exists()


# --- delete and undo ---------------------------------------------------------------------------


def test_delete_with_yes_removes_only_that_entry(cart, db_path):
    """`delete ID --yes` removes that entry and says which; the others stay."""
    first = logged(cart, "temp", "36.6")[0]["id"]
    second = logged(cart, "temp", "36.7")[0]["id"]
    result = cart("delete", str(first), "--yes")
    assert result.code == 0, result
    assert f"#{first}" in result.out
    assert [e["id"] for e in history(cart)] == [second]


def test_delete_accepts_the_id_with_a_hash(cart):
    """`delete '#3'` works as history shows ids with a #."""
    entry_id = logged(cart, "temp", "36.6")[0]["id"]
    assert cart("delete", f"#{entry_id}", "-y").code == 0
    assert history(cart) == []


def test_undo_with_yes_removes_the_newest_entry(cart):
    """`undo --yes` removes the newest entry and keeps the rest."""
    keep = logged(cart, "temp", "36.6", "--at", "1h ago")[0]["id"]
    newest = logged(cart, "temp", "36.7")[0]["id"]
    result = cart("undo", "--yes")
    assert result.code == 0, result
    assert f"#{newest}" in result.out
    assert [e["id"] for e in history(cart)] == [keep]


def test_undo_takes_back_the_entry_typed_last_even_if_backdated(cart):
    """After a slip such as a wrong --at, `undo` removes that entry, not the latest reading."""
    current = logged(cart, "temp", "36.6")[0]["id"]
    slip = logged(cart, "temp", "39.0", "--at", "3h ago")[0]["id"]
    result = cart("undo", "--yes")
    assert result.code == 0, result
    assert f"#{slip}" in result.out
    assert [e["id"] for e in history(cart)] == [current]


@pytest.mark.parametrize("args", [("delete", "1"), ("undo",)])
def test_removing_without_yes_and_no_terminal_removes_nothing(cart, db_path, args):
    """Without --yes and with no terminal to ask at, delete/undo exit 2 and remove nothing."""
    logged(cart, "temp", "36.6")
    result = cart(*args)
    assert_one_line_error(result, 2)
    assert "--yes" in result.err
    assert entry_count(db_path) == 1


@pytest.mark.parametrize(("answer", "removed"), [("y\n", True), ("n\n", False), ("\n", False)])
def test_delete_at_a_terminal_asks_first(cart, db_path, monkeypatch, capsys, answer, removed):
    """At a terminal, delete asks; only a yes removes the entry (the default is no)."""
    entry_id = logged(cart, "temp", "36.6")[0]["id"]
    code, out, err = run_at_terminal(monkeypatch, capsys, answer, "delete", str(entry_id))
    assert entry_count(db_path) == (0 if removed else 1)
    assert code == (0 if removed else 1), (out, err)
    assert "Traceback" not in out + err


# --- bad input: one line, documented exit code, nothing written ----------------------------------


def two_hours_from_now() -> str:
    """A reading time in the future, worked out when the test runs."""
    return (datetime.now().astimezone() + timedelta(hours=2)).strftime("%Y-%m-%d %H:%M")


BAD_INPUT = [
    # values
    ("log", "temp", "abc"),
    ("log", "temp", ""),
    ("log", "temp", "50"),  # too hot for °C, too cold for °F
    ("log", "temp", "29"),
    ("log", "temp", "120"),
    ("log", "temp", "38", "--unit", "k"),
    ("log", "temp", "100F", "--unit", "c"),
    ("log", "fatigue", "11"),
    ("log", "fatigue", "5.5"),
    ("log", "fatigue", "tired"),
    ("log", "bp", "120"),
    ("log", "bp", "80/120"),
    ("log", "bp", "300/80"),
    ("log", "bp", "120/80", "--pulse", "300"),
    ("log", "bp", "120/80", "--pulse", "fast"),
    ("log", "fluids", "0"),
    ("log", "fluids", "6"),
    ("log", "fluids", "500"),  # 500 litres: surely millilitres
    ("log", "fluids", "1,500ml"),
    ("log", "fluids", "2 gallons"),
    ("log", "temp", "37", "--note", "x" * 1001),
    # symptoms
    ("log", "symptom"),
    ("log", "symptom", "cough", "--severity", "extreme"),
    ("log", "symptom", "--other", "   "),
    # times
    ("log", "temp", "37", "--at", "banana"),
    ("log", "temp", "37", "--at", "tomorrow"),
    ("log", "temp", "37", "--at", "2h"),
    ("log", "temp", "37", "--at", "10 years ago"),
    ("log", "temp", "37", "--at", "03/04/2026 10:00"),  # 3 April or 4 March?
    ("log", "temp", "37", "--at", two_hours_from_now),
    ("history", "--since", "banana"),
    ("history", "--kind", "weight"),
    ("history", "--limit", "0"),
    # ids
    ("delete", "abc", "--yes"),
    ("delete", "999", "--yes"),
    ("delete", "-1", "--yes"),
    # set-up values
    ("setup", "--infusion-date", "banana"),
    ("setup", "--infusion-date", "03/11/2026"),  # 3 Nov or 11 Mar?
    ("setup", "--infusion-date", "1999-01-01", "--yes"),
    ("setup", "--phone", "call the ward"),
    ("setup", "--diagnosis", "flu"),
    ("setup", "--no-driving-weeks", "0"),
    ("setup", "--fever-threshold", "38.5"),
    ("setup", "--emergency-number", "nine"),
    # commands and options
    ("frobnicate",),
    ("log", "weight", "70"),
    ("log", "temp", "37", "--bogus"),
]


def _resolve(args) -> list[str]:
    return [arg() if callable(arg) else arg for arg in args]


def _id(args) -> str:
    return " ".join("<2h from now>" if callable(a) else (a if len(a) < 20 else a[:8] + "...") for a in args)


@pytest.mark.parametrize("args", BAD_INPUT, ids=[_id(a) for a in BAD_INPUT])
def test_bad_input_is_one_line_exit_2_and_writes_nothing(cart, db_path, args):
    """Every invalid value, unit, symptom, time, id or option: one stderr line, exit 2, no change."""
    set_up(cart, 20)
    logged(cart, "temp", "36.8")
    plan_before = saved_plan(db_path)
    result = cart(*_resolve(args))
    assert_one_line_error(result, 2)
    assert entry_count(db_path) == 1
    assert saved_plan(db_path) == plan_before


@pytest.mark.parametrize("args", BAD_INPUT, ids=[_id(a) for a in BAD_INPUT])
def test_bad_input_on_a_fresh_install_creates_no_database(cart, db_path, args):
    """The same bad input before any set-up leaves no database file (and no folder) behind."""
    result = cart(*_resolve(args))
    assert_one_line_error(result, 2)
    assert not db_path.exists()
    assert not db_path.parent.exists()


def test_undo_with_nothing_stored_says_so(cart, db_path):
    """`undo` with no entries says there is nothing to undo (exit 1) and creates no file."""
    result = cart("undo", "--yes")
    assert_one_line_error(result, 1)
    assert not db_path.exists()


# --- bad databases ---------------------------------------------------------------------------------

# (command, the exit code when the database cannot be used). `check` says UNKNOWN (3).
DATABASE_COMMANDS = [
    (("log", "temp", "37.1"), 1),
    (("log", "symptom", "cough"), 1),
    (("setup", "--phone", PHONE), 1),
    (("setup", "--show"), 1),
    (("history",), 1),
    (("delete", "1", "--yes"), 1),
    (("undo", "--yes"), 1),
    (("timeline",), 1),
    (("check",), 3),
    ((), 1),  # the dashboard
]
WRITE_COMMANDS = [
    (("log", "temp", "37.1"), 1),
    (("log", "symptom", "cough"), 1),
    (("setup", "--phone", PHONE), 1),
    (("delete", "1", "--yes"), 1),
    (("undo", "--yes"), 1),
]
# Commands that create the database when there is none.
CREATING_COMMANDS = [
    ("log", "temp", "37.1"),
    ("log", "fluids", "500ml"),
    ("setup", "--infusion-date", "INFUSION", "--phone", PHONE),
]


def _ids(table) -> list[str]:
    return [" ".join(args) or "dashboard" for args, _ in table]


def _make_real_database(cart, db_path: Path) -> None:
    set_up(cart, 20)
    logged(cart, "temp", "36.8")


@pytest.mark.parametrize(("args", "code"), DATABASE_COMMANDS, ids=_ids(DATABASE_COMMANDS))
def test_a_file_that_is_not_sqlite_is_refused_and_left_alone(cart, db_path, args, code):
    """A CART_DB that is not a SQLite file: one line, exit 1 (check 3), the file unchanged."""
    db_path.parent.mkdir(parents=True)
    content = b"These are my notes, not a database.\n" * 50
    db_path.write_bytes(content)
    result = cart(*args)
    assert_one_line_error(result, code)
    assert "not a cart database" in result.err
    assert db_path.read_bytes() == content


@pytest.mark.parametrize(("args", "code"), DATABASE_COMMANDS, ids=_ids(DATABASE_COMMANDS))
def test_a_database_path_that_is_a_folder_is_one_line(cart, db_path, args, code):
    """A CART_DB that names a folder: one line saying so, exit 1 (check 3), nothing created in it."""
    db_path.mkdir(parents=True)
    result = cart(*args)
    assert_one_line_error(result, code)
    assert "folder" in result.err
    assert list(db_path.iterdir()) == []


@pytest.mark.parametrize(("args", "code"), DATABASE_COMMANDS, ids=_ids(DATABASE_COMMANDS))
def test_a_database_from_a_newer_cart_is_refused_and_left_alone(cart, db_path, args, code):
    """A database with a newer schema: one line naming the problem, exit 1 (check 3), nothing changed."""
    _make_real_database(cart, db_path)
    with sqlite3.connect(db_path) as conn:
        conn.execute("PRAGMA user_version = 99")
    plan_before = saved_plan(db_path)
    result = cart(*args)
    assert_one_line_error(result, code)
    assert "newer version" in result.err
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 99
    assert entry_count(db_path) == 1
    assert saved_plan(db_path) == plan_before


@pytest.mark.parametrize("args", CREATING_COMMANDS, ids=[" ".join(a) for a in CREATING_COMMANDS])
def test_a_data_folder_that_cannot_be_created_is_one_line(cart, tmp_path, monkeypatch, args):
    """CART_DB under a plain file (so no folder can be made): one line, exit 1, nothing created."""
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where a folder should be\n")
    monkeypatch.setenv("CART_DB", str(blocker / "cart" / "cart.db"))
    result = cart(*[days_ago(3) if arg == "INFUSION" else arg for arg in args])
    assert_one_line_error(result, 1)
    assert "cannot create" in result.err
    assert blocker.read_text() == "a file where a folder should be\n"


@pytest.fixture
def short_busy_timeout(monkeypatch):
    """cart waits 10 s for a busy database; a twentieth of a second is enough to prove the message."""
    import cart_cli.store

    monkeypatch.setattr(cart_cli.store, "BUSY_TIMEOUT_S", 0.05)


@contextmanager
def exclusive_lock(db_path):
    """Another program holding the database's EXCLUSIVE lock for the length of the block."""
    holder = sqlite3.connect(db_path, isolation_level=None)
    try:
        holder.execute("BEGIN EXCLUSIVE")
        yield
    finally:
        holder.execute("ROLLBACK")
        holder.close()


@pytest.mark.parametrize(("args", "code"), WRITE_COMMANDS, ids=_ids(WRITE_COMMANDS))
def test_a_locked_database_refuses_writes_with_one_line(cart, db_path, short_busy_timeout, args, code):
    """While another program holds a write lock, writing commands exit 1 with one line and write nothing."""
    _make_real_database(cart, db_path)
    plan_before = saved_plan(db_path)
    with exclusive_lock(db_path):
        result = cart(*args)
    assert_one_line_error(result, code)
    assert "busy" in result.err
    assert entry_count(db_path) == 1
    assert saved_plan(db_path) == plan_before


@pytest.mark.parametrize(("args", "code"), DATABASE_COMMANDS, ids=_ids(DATABASE_COMMANDS))
def test_a_database_locked_even_for_reading_gives_one_line(cart, db_path, short_busy_timeout, args, code):
    """A rollback-journal database held EXCLUSIVE blocks even reads: one line, exit 1 (check 3)."""
    _make_real_database(cart, db_path)
    with sqlite3.connect(db_path, isolation_level=None) as conn:
        assert conn.execute("PRAGMA journal_mode = DELETE").fetchone()[0] == "delete"
    with exclusive_lock(db_path):
        result = cart(*args)
    assert_one_line_error(result, code)
    assert "busy" in result.err
    assert entry_count(db_path) == 1


# --- the real console entry, as a separate process ----------------------------------------------


def test_python_m_cart_cli_logs_and_reads_back_in_real_processes(db_path):
    """`python -m cart_cli` stores an entry a second process can read back."""
    stored = run_process("log", "temp", "36.9")
    assert stored.returncode == 0, stored
    back = run_process("history", "--json")
    assert back.returncode == 0, back
    assert [entry["celsius"] for entry in json.loads(back.stdout)] == [36.9]


def test_a_real_process_exits_2_with_one_line_for_bad_input(db_path):
    """A bad value gives exit status 2 and a single stderr line from the real process."""
    done = run_process("log", "temp", "hot")
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr
    assert not db_path.exists()


def test_piped_output_has_no_escape_codes(cart, db_path):
    """Output piped to another program has no colour or style codes, even for a red alert."""
    assert cart("setup", "--infusion-date", days_ago(20), "--phone", PHONE).code == 0
    done = run_process("log", "temp", "38.6")
    assert done.returncode == 0, done
    assert PHONE in flat(done.stdout)
    assert CSI not in done.stdout + done.stderr


def test_cart_log_alone_shows_readable_help(cart):
    """`cart log` with no kind prints the log help as normal multi-line help, and exits 0."""
    result = cart("log")
    assert result.code == 0, result
    assert "Usage:" in result.out
    assert re.search(r"^\s*cart log temp 38\.2\s*$", result.out, flags=re.MULTILINE), result.out
