"""End-to-end tests of `cart check` and of the advice `cart log` gives straight away.

Each row of the trigger table is one trigger from docs/clinical-basis.md section 3,
logged through the real command line; the expected level is the one that table names. The exit
codes are the documented ones: 0 green, 1 amber, 2 red (an emergency is red too), 3 unknown,
and 3 as well when `cart check` itself cannot run, so a script never reads a failure as red or
as all clear.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from datetime import date, datetime, timedelta

import pytest
from helpers import CART_COMMAND, REPO, assert_one_line_error, child_env, flat, run_process

PHONE = "01632 960 123"  # a UK number reserved for examples
CHECK_EXIT = {"green": 0, "amber": 1, "red": 2, "emergency": 2, "unknown": 3}
LEVEL_WORD = {
    "green": "GREEN",
    "amber": "AMBER",
    "red": "RED",
    "emergency": "EMERGENCY",
    "unknown": "UNKNOWN",
}
NORMAL = ("temp", "36.8")  # a normal temperature, so a quiet window can be green


def today() -> date:
    return datetime.now().astimezone().date()


def set_up(cart, days_since_infusion: int = 20, *extra: str, phone: str | None = PHONE) -> None:
    infusion = (today() - timedelta(days=days_since_infusion)).isoformat()
    args = ["setup", "--infusion-date", infusion, "--yes", *extra]
    if phone:
        args += ["--phone", phone]
    result = cart(*args)
    assert result.code == 0, result


def log(cart, *args: str) -> list[int]:
    """Log an entry and return the ids stored."""
    result = cart("log", *args, "--json")
    assert result.code == 0, result
    return [entry["id"] for entry in json.loads(result.out)["stored"]]


def check_json(cart, *args: str) -> tuple[int, dict]:
    result = cart("check", "--json", *args)
    assert "Traceback" not in result.err, result
    return result.code, json.loads(result.out)


# --- every trigger in the triage table --------------------------------------------------------

# (id, days since infusion or None for no set-up, extra setup options, entries to log, the
# entry that is the trigger (index into entries, or None), the level the table names).
# fmt: off
TRIGGERS = [
    # RED: temperature at or above the fever threshold (default 38.0, settable)
    ("fever at 38.0", 20, (), [("temp", "38.0")], 0, "red"),
    ("fever at 39.4", 20, (), [("temp", "39.4")], 0, "red"),
    ("fever typed as 100.4F", 20, (), [("temp", "100.4F")], 0, "red"),
    ("fever at a 37.5 threshold", 20, ("--fever-threshold", "37.5"), [("temp", "37.5")], 0, "red"),
    # RED: any sign of infection from the seed's list
    *[
        (f"infection sign: {words}", 20, (), [NORMAL, ("symptom", words)], 1, "red")
        for words in (
            "shivering", "cough", "chest pain", "breathlessness", "extreme tiredness",
            "central line redness", "central line pain", "central line discharge", "being sick",
            "tummy pain", "pain passing urine", "smelly urine", "diarrhoea", "blood in stool",
            "feeling unwell",
        )
    ],
    # RED: flu-like symptoms
    ("flu-like symptoms", 20, (), [NORMAL, ("symptom", "flu-like symptoms")], 1, "red"),
    # RED: systolic 90 or less (NICE, T11), pulse above 130
    ("systolic 89", 20, (), [NORMAL, ("bp", "89/60")], 1, "red"),
    ("systolic 90", 20, (), [NORMAL, ("bp", "90/60")], 1, "red"),
    ("pulse 131", 20, (), [NORMAL, ("bp", "120/80", "--pulse", "131")], 1, "red"),
    # RED: breathing 25 or more a minute (T19, T27)
    ("breaths 25", 20, (), [NORMAL, ("breaths", "25")], 1, "red"),
    ("breaths 40", 20, (), [NORMAL, ("breaths", "40/min")], 1, "red"),
    # RED at any time: altered mental state or a new speech problem (T19)
    *[
        (f"at any time, day {day}: {words}", day, (), [NORMAL, ("symptom", words)], 1, "red")
        for day in (57, 400)
        for words in ("confusion", "drowsy", "seeing things", "talking nonsense", "slurred speech")
    ],
    # RED: not keeping fluids or medicines down (T22)
    ("fluids not kept down", 20, (), [NORMAL, ("symptom", "can't keep anything down")], 1, "red"),
    ("fluids not kept down, a year on", 400, (), [NORMAL, ("symptom", "not keeping fluids down")], 1, "red"),
    # RED, not an emergency: a fever with a nervous-system symptom other than an altered mental state
    ("fever with a headache", 20, (), [("temp", "38.4"), ("symptom", "headache")], 0, "red"),
    ("fever with a tremor", 20, (), [("temp", "38.4"), ("symptom", "tremor")], 0, "red"),
    # RED: any neurological symptom within 8 weeks (56 days) of infusion
    *[
        (f"neuro on day 20: {words}", 20, (), [NORMAL, ("symptom", words)], 1, "red")
        for words in ("confusion", "shaking", "headache", "slurred speech", "unsteady", "handwriting change", "dizzy")
    ],
    ("neuro on day 56", 56, (), [NORMAL, ("symptom", "confusion")], 1, "red"),
    ("neuro before the infusion", -3, (), [NORMAL, ("symptom", "tremor")], 1, "red"),
    # RED: signs of an allergic reaction
    *[
        (f"allergic: {words}", 20, (), [NORMAL, ("symptom", words)], 1, "red")
        for words in ("allergic reaction", "rash", "hives", "itching", "swollen face", "wheezing")
    ],
    # RED: fatigue 9-10 ("extreme tiredness")
    ("fatigue 9", 20, (), [NORMAL, ("fatigue", "9")], 1, "red"),
    ("fatigue 10", 20, (), [NORMAL, ("fatigue", "10")], 1, "red"),
    # RED: two or more AMBER findings from different rules (T2)
    ("two ambers: raised temp and borderline bp", 20, (), [("temp", "37.6"), ("bp", "95/60")], 1, "red"),
    ("two ambers: low temp and raised pulse", 20, (), [("temp", "35.9"), ("bp", "120/80", "--pulse", "105")], 1, "red"),
    # RED, emergency
    ("emergency: seizure", 20, (), [NORMAL, ("symptom", "seizure")], 1, "emergency"),
    ("emergency: a fit", 20, (), [NORMAL, ("symptom", "fit")], 1, "emergency"),
    ("emergency: very hard to wake", 20, (), [NORMAL, ("symptom", "very hard to wake")], 1, "emergency"),
    ("emergency: breathless at rest", 20, (), [NORMAL, ("symptom", "breathless at rest")], 1, "emergency"),
    ("emergency: chest pain with breathlessness", 20, (), [NORMAL, ("symptom", "chest pain", "breathlessness")], 1, "emergency"),
    ("emergency late on", 400, (), [NORMAL, ("symptom", "seizure")], 1, "emergency"),
    ("emergency: swollen lips", 20, (), [NORMAL, ("symptom", "swollen lips")], 1, "emergency"),
    # RED, emergency: the signs the revised reference adds (T19-T21, T27)
    ("emergency: breaths 8", 20, (), [NORMAL, ("breaths", "8")], 1, "emergency"),
    ("emergency: breaths 0", 20, (), [NORMAL, ("breaths", "0")], 1, "emergency"),
    *[
        (f"emergency: {words}", 400, (), [NORMAL, ("symptom", words)], 1, "emergency")
        for words in (
            "blue lips", "grey skin", "mottled skin", "ashen", "non-blanching rash",
            "rash that doesn't fade under a glass", "face drooping", "weak on one side",
        )
    ],
    # RED, emergency: possible sepsis, an infection sign with a high-risk sign (T14, T19)
    ("sepsis: fever + breaths 25", 20, (), [("temp", "38.2"), ("breaths", "25")], 0, "emergency"),
    ("sepsis: shivering + confusion", 20, (), [NORMAL, ("symptom", "rigors"), ("symptom", "confusion")], 1, "emergency"),
    ("sepsis: temp 35.9 + drowsy", 20, (), [("temp", "35.9"), ("symptom", "drowsy")], 0, "emergency"),
    ("sepsis: feverish + no urine", 20, (), [NORMAL, ("symptom", "feverish"), ("symptom", "no urine")], 1, "emergency"),
    # AMBER: temperature 37.5 up to the threshold, or below 36.0
    ("temp 37.5", 20, (), [("temp", "37.5")], 0, "amber"),
    ("temp 37.9", 20, (), [("temp", "37.9")], 0, "amber"),
    ("temp 35.9", 20, (), [("temp", "35.9")], 0, "amber"),
    # AMBER: systolic 91-100, pulse 91-130 (T19)
    ("systolic 91", 20, (), [NORMAL, ("bp", "91/60")], 1, "amber"),
    ("systolic 100", 20, (), [NORMAL, ("bp", "100/60")], 1, "amber"),
    ("pulse 91", 20, (), [NORMAL, ("bp", "120/80", "--pulse", "91")], 1, "amber"),
    ("pulse 91 on its own", 20, (), [NORMAL, ("pulse", "91")], 1, "amber"),
    ("pulse 101", 20, (), [NORMAL, ("bp", "120/80", "--pulse", "101")], 1, "amber"),
    # AMBER: breathing 21-24 or 9-11 a minute (T19, T27)
    *[(f"breaths {n}", 20, (), [NORMAL, ("breaths", n)], 1, "amber") for n in ("9", "11", "21", "24")],
    ("pulse 130", 20, (), [NORMAL, ("bp", "120/80", "--pulse", "130")], 1, "amber"),
    # AMBER: a neurological symptom after 8 weeks
    ("neuro on day 57", 57, (), [NORMAL, ("symptom", "tremor")], 1, "amber"),
    ("neuro a year on", 400, (), [NORMAL, ("symptom", "headache")], 1, "amber"),
    # AMBER: fatigue 7-8 that is new or worse than the past few days
    ("fatigue 7, new", 20, (), [NORMAL, ("fatigue", "7")], 1, "amber"),
    ("fatigue 8, new", 20, (), [NORMAL, ("fatigue", "8")], 1, "amber"),
    ("fatigue 8, up from 5", 20, (), [NORMAL, ("fatigue", "5", "--at", "30h ago"), ("fatigue", "8")], 2, "amber"),
    # AMBER: a symptom the tool does not recognise
    ("unrecognised symptom", 20, (), [NORMAL, ("symptom", "--other", "sore mouth")], 1, "amber"),
    # GREEN: everything else
    ("normal temperature", 20, (), [NORMAL], None, "green"),
    ("temp 36.0", 20, (), [("temp", "36.0")], None, "green"),
    ("temp 37.4", 20, (), [("temp", "37.4")], None, "green"),
    ("temp 37.4 at a 37.5 threshold", 20, ("--fever-threshold", "37.5"), [("temp", "37.4")], None, "green"),
    ("systolic 101, pulse 90", 20, (), [NORMAL, ("bp", "101/70", "--pulse", "90")], None, "green"),
    ("breaths 12", 20, (), [NORMAL, ("breaths", "12")], None, "green"),
    ("breaths 20", 20, (), [NORMAL, ("breaths", "20 breaths a minute")], None, "green"),
    ("fatigue 6", 20, (), [NORMAL, ("fatigue", "6")], None, "green"),
    ("fatigue 8, same as before", 20, (), [NORMAL, ("fatigue", "8", "--at", "30h ago"), ("fatigue", "8")], None, "green"),
    ("fatigue 7, down from 9", 20, (), [NORMAL, ("fatigue", "9", "--at", "30h ago"), ("fatigue", "7")], None, "green"),
    ("fluids only", 20, (), [NORMAL, ("fluids", "1.5")], None, "green"),
    # UNKNOWN: no set-up, or no temperature in the window
    ("not set up", None, (), [NORMAL], None, "unknown"),
    ("set up, nothing logged", 20, (), [], None, "unknown"),
    ("no temperature in the window", 20, (), [("temp", "36.8", "--at", "25h ago")], None, "unknown"),
    ("only fatigue and fluids", 20, (), [("fatigue", "3"), ("fluids", "1")], None, "unknown"),
]
# fmt: on


def _log_rows(cart, days, setup_extra, entries) -> list[list[int]]:
    if days is not None:
        set_up(cart, days, *setup_extra)
    return [log(cart, *entry) for entry in entries]


@pytest.mark.parametrize(
    ("days", "setup_extra", "entries", "trigger", "level"),
    [row[1:] for row in TRIGGERS],
    ids=[row[0] for row in TRIGGERS],
)
def test_check_gives_the_level_the_triage_table_names(cart, days, setup_extra, entries, trigger, level):
    """Each trigger in docs/clinical-basis.md section 3 gives its level and exit code through the CLI."""
    ids = _log_rows(cart, days, setup_extra, entries)
    code, data = check_json(cart)
    assert code == CHECK_EXIT[level], data
    assert data["level"] == level
    if trigger is None:
        assert data["findings"] == []
    else:
        cited = [f for f in data["findings"] if f["level"] == level]
        assert cited, data["findings"]
        assert any(set(ids[trigger]) <= set(f["entry_ids"]) for f in cited), data["findings"]
    if level == "unknown":
        assert data["missing"], data
    text = cart("check")
    assert text.code == code, text
    assert LEVEL_WORD[level] in text.out


def test_a_finding_is_never_hidden_by_missing_setup(cart):
    """With no set-up, a fever is still RED (missing information never lowers a finding)."""
    log(cart, "temp", "38.5")
    code, data = check_json(cart)
    assert (code, data["level"]) == (2, "red")
    assert data["missing"], "the missing set-up is still reported"


def test_neuro_without_infusion_date_errs_towards_red(cart):
    """Without an infusion date, a nervous-system symptom counts as within 8 weeks: RED."""
    log(cart, "temp", "36.8")
    log(cart, "symptom", "confusion")
    code, data = check_json(cart)
    assert (code, data["level"]) == (2, "red")


# --- what the screen says ------------------------------------------------------------------------


def test_red_shows_the_hospital_number(cart):
    """On RED, the hospital team's 24-hour number is on screen."""
    set_up(cart, 20, "--hospital", "St Elsewhere Haematology")
    log(cart, "temp", "38.3")
    result = cart("check")
    assert result.code == 2
    assert PHONE in flat(result.out) and "St Elsewhere Haematology" in flat(result.out)


@pytest.mark.parametrize("level_entry", [("temp", "38.3"), ("temp", "37.6"), ("temp", "36.8")])
def test_with_no_number_saved_check_says_how_to_save_it(cart, level_entry):
    """With no phone number saved, red, amber and green all say how to save one."""
    set_up(cart, 20, phone=None)
    log(cart, *level_entry)
    result = cart("check")
    assert "cart setup --phone" in flat(result.out)


@pytest.mark.parametrize(("setup_extra", "number"), [((), "999"), (("--emergency-number", "112"), "112")])
def test_emergency_shows_the_emergency_number_before_the_team(cart, setup_extra, number):
    """On an emergency sign, the emergency number (999 or as set) comes before the team's number."""
    set_up(cart, 20, *setup_extra)
    log(cart, "temp", "36.8")
    log(cart, "symptom", "seizure")
    result = cart("check")
    assert result.code == 2
    screen = flat(result.out)
    assert number in screen and PHONE in screen
    assert screen.index(number) < screen.index(PHONE)
    _, data = check_json(cart)
    assert data["contact"]["emergency_number"] == number
    assert data["contact"]["phone"] == PHONE


def test_green_still_says_the_team_can_be_called_any_time(cart):
    """GREEN never only reassures: it says the team can be called at any time, and how."""
    set_up(cart, 20)
    log(cart, "temp", "36.8")
    result = cart("check")
    assert result.code == 0
    assert "GREEN" in result.out
    assert "any time" in flat(result.out).lower()
    assert PHONE in flat(result.out)


@pytest.mark.parametrize(
    ("set_up_first", "says"),
    [(False, "cart setup"), (True, "temperature")],
)
def test_unknown_says_what_is_missing(cart, set_up_first, says):
    """UNKNOWN names what is missing: the set-up, or a temperature in the window."""
    if set_up_first:
        set_up(cart, 20)
    result = cart("check")
    assert result.code == 3
    assert "UNKNOWN" in result.out
    assert says in flat(result.out)
    assert "any time" in flat(result.out).lower()


def test_check_json_shape(cart):
    """check --json has level, day, findings (level, rule, message, entry_ids) and contact."""
    set_up(cart, 20, "--hospital", "St Elsewhere Haematology")
    (fever,) = log(cart, "temp", "38.4")
    code, data = check_json(cart)
    assert code == 2
    assert {"level", "day", "findings", "contact"} <= set(data)
    assert data["level"] == "red"
    assert data["day"] == 20
    for finding in data["findings"]:
        assert {"level", "rule", "message", "entry_ids"} <= set(finding)
        assert isinstance(finding["message"], str) and finding["message"]
    assert any(fever in f["entry_ids"] for f in data["findings"])
    assert data["contact"] == {
        "hospital": "St Elsewhere Haematology",
        "phone": PHONE,
        "emergency_number": "999",
    }


def test_check_json_before_setup_has_no_day_and_the_default_emergency_number(cart, db_path):
    """Before set-up, check --json has day null, contact with 999, and creates no database."""
    code, data = check_json(cart)
    assert code == 3
    assert data["level"] == "unknown" and data["day"] is None
    assert data["contact"]["emergency_number"] == "999"
    assert not db_path.exists()


# --- the window ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("window", "at", "level"),
    [
        ((), "1439m ago", "red"),  # default 24 hours: just inside
        ((), "1441m ago", "unknown"),  # just outside: no temperature in the window
        (("--hours", "2"), "119m ago", "red"),
        (("--hours", "2"), "121m ago", "unknown"),
        (("--hours", "48"), "47h ago", "red"),
        (("--since", "2h ago"), "119m ago", "red"),
        (("--since", "2h ago"), "121m ago", "unknown"),
    ],
)
def test_check_window_includes_entries_just_inside_and_not_just_outside(cart, window, at, level):
    """--hours and --since set the window: a fever a minute inside counts, a minute outside does not."""
    set_up(cart, 20)
    log(cart, "temp", "38.5", "--at", at)
    code, data = check_json(cart, *window)
    assert (code, data["level"]) == (CHECK_EXIT[level], level)


# --- a check that cannot run says UNKNOWN (3) ----------------------------------------------------------


def _two_hours_from_now() -> str:
    return (datetime.now().astimezone() + timedelta(hours=2)).strftime("%Y-%m-%d %H:%M")


CHECK_USAGE_ERRORS = [
    ("check", "--bogus"),
    ("check", "extra"),
    ("check", "--hours", "x"),
    ("check", "--hours", "0"),
    ("check", "--hours", "-5"),
    ("check", "--hours", "10000"),
    ("check", "--hours", "5", "--since", "1h ago"),
    ("check", "--since", "banana"),
    ("check", "--since", _two_hours_from_now),
    ("check", "--json", "--hours"),
    ("--db", "somewhere.db", "check", "--bogus"),
]


@pytest.mark.parametrize(
    "args",
    CHECK_USAGE_ERRORS,
    ids=[" ".join(a if isinstance(a, str) else "<future>" for a in args) for args in CHECK_USAGE_ERRORS],
)
def test_check_usage_errors_exit_3_never_red_or_green(cart, args):
    """A mistyped check exits 3 (UNKNOWN) with one line, so a script cannot read it as red or green."""
    set_up(cart, 20)
    log(cart, "temp", "36.8")
    result = cart(*[a() if callable(a) else a for a in args])
    assert_one_line_error(result, 3)


# --- advice at log time --------------------------------------------------------------------------------


def test_logging_a_fever_prints_red_advice_with_the_number(cart):
    """`cart log temp 38.6` says RED and shows the team's number straight away."""
    set_up(cart, 20)
    result = cart("log", "temp", "38.6")
    assert result.code == 0, result
    assert "RED" in result.out
    assert PHONE in flat(result.out)


def test_logging_a_raised_temperature_prints_amber_advice_to_recheck(cart):
    """`cart log temp 37.6` says AMBER and to take the temperature again within the hour."""
    set_up(cart, 20)
    result = cart("log", "temp", "37.6")
    assert result.code == 0, result
    assert "AMBER" in result.out
    assert re.search(r"within (the|an) hour", flat(result.out))


def test_logging_a_normal_temperature_prints_no_advice(cart):
    """`cart log temp 36.8` only confirms the entry: no level, no advice."""
    set_up(cart, 20)
    result = cart("log", "temp", "36.8")
    assert result.code == 0, result
    for word in ("RED", "AMBER", "EMERGENCY", "call"):
        assert word not in result.out
    assert "36.8" in result.out


def test_a_second_amber_from_another_rule_turns_red_at_log_time(cart):
    """Logging a second amber sign from a different rule prints RED advice at once."""
    set_up(cart, 20)
    first = cart("log", "temp", "37.6")
    assert "AMBER" in first.out and "RED" not in first.out
    second = cart("log", "bp", "95/60", "--json")
    data = json.loads(second.out)
    reds = [f for f in data["findings"] if f["level"] == "red"]
    assert reds, data
    text = cart("log", "bp", "96/60")
    assert "RED" in text.out


def test_logging_a_seizure_gives_the_emergency_number(cart):
    """`cart log symptom seizure` says to call the emergency number straight away."""
    set_up(cart, 20, "--emergency-number", "112")
    result = cart("log", "symptom", "seizure")
    assert result.code == 0, result
    assert "112" in flat(result.out) and "EMERGENCY" in result.out


# --- neurological symptoms around week 8, through the CLI -----------------------------------------------


@pytest.mark.parametrize(
    ("days", "level"), [(0, "red"), (28, "red"), (56, "red"), (57, "amber"), (200, "amber")]
)
def test_neuro_symptom_is_red_up_to_day_56_and_amber_from_day_57(cart, days, level):
    """Seed: nervous-system problems can come up to 8 weeks after infusion (day 56): red, then amber."""
    set_up(cart, days)
    log(cart, "temp", "36.8")
    log(cart, "symptom", "headache")
    code, data = check_json(cart)
    assert (code, data["level"], data["day"]) == (CHECK_EXIT[level], level, days)


# --- real processes: exit codes and colour -------------------------------------------------------------


@pytest.mark.parametrize(
    ("temperature", "level"), [(None, "unknown"), ("36.8", "green"), ("37.7", "amber"), ("38.2", "red")]
)
def test_check_exit_status_reaches_the_shell(cart, db_path, temperature, level):
    """A real `python -m cart_cli check` exits 0/1/2/3 for green/amber/red/unknown (set up
    and logged in-process: only the check's exit status is about the process)."""
    infusion = (today() - timedelta(days=20)).isoformat()
    assert cart("setup", "--infusion-date", infusion, "--phone", PHONE).code == 0
    if temperature:
        assert cart("log", "temp", temperature).code == 0
    done = run_process("check")
    assert done.returncode == CHECK_EXIT[level], done
    assert LEVEL_WORD[level] in done.stdout


def _run_in_terminal(args: list[str], env: dict) -> tuple[int, bytes]:
    """Run cart with a pseudo-terminal as stdout, so Rich believes a person is watching."""
    pty = pytest.importorskip("pty")
    master, slave = pty.openpty()
    process = subprocess.Popen(
        [*CART_COMMAND, *args], stdin=slave, stdout=slave, stderr=slave, env=env, cwd=REPO
    )
    os.close(slave)
    output = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the child closed its end
            break
        if not chunk:
            break
        output += chunk
    os.close(master)
    return process.wait(timeout=60), output


# SGR parameters that set a colour: 30-37, 38;..., 39, 40-47, 48;..., 49, 90-97, 100-107.
_COLOUR_SGR = re.compile(rb"\x1b\[([0-9;]*)m")


def _colour_codes(output: bytes) -> list[str]:
    found = []
    for match in _COLOUR_SGR.finditer(output):
        for part in match.group(1).decode().split(";"):
            if part and (30 <= int(part) <= 49 or 90 <= int(part) <= 107):
                found.append(part)
    return found


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_no_color_removes_colour_even_at_a_terminal(cart, db_path):
    """With NO_COLOR set, a red alert at a real terminal has no colour codes (and still says RED)."""
    infusion = (today() - timedelta(days=20)).isoformat()
    assert cart("setup", "--infusion-date", infusion, "--phone", PHONE).code == 0
    assert cart("log", "temp", "38.2").code == 0
    env = child_env()
    code, coloured = _run_in_terminal(["check"], env)
    assert code == 2
    assert _colour_codes(coloured), "at a terminal without NO_COLOR the alert is coloured"
    code, plain = _run_in_terminal(["check"], dict(env, NO_COLOR="1"))
    assert code == 2
    assert b"RED" in plain
    assert _colour_codes(plain) == []


def test_check_piped_has_no_escape_codes(cart, db_path):
    """`cart check | less`: piped output carries no escape codes at all."""
    infusion = (today() - timedelta(days=20)).isoformat()
    assert cart("setup", "--infusion-date", infusion, "--phone", PHONE).code == 0
    assert cart("log", "symptom", "seizure").code == 0
    done = run_process("check")
    assert done.returncode == 2
    assert "\x1b[" not in done.stdout


@pytest.mark.parametrize(("setup_extra", "number"), [((), "999"), (("--emergency-number", "112"), "112")])
def test_logging_an_emergency_sign_shows_the_emergency_number_then_the_team(cart, setup_extra, number):
    """`cart log symptom seizure` shows the emergency number, then the team's number (reference §3)."""
    infusion = (datetime.now().astimezone().date() - timedelta(days=20)).isoformat()
    assert cart("setup", "--infusion-date", infusion, "--phone", PHONE, *setup_extra).code == 0
    result = cart("log", "symptom", "seizure")
    assert result.code == 0, result
    screen = flat(result.out)
    assert number in screen and PHONE in screen, screen
    assert screen.index(number) < screen.index(PHONE)


def test_a_crash_inside_check_exits_unknown_without_a_traceback(cart, monkeypatch):
    """If `cart check` itself fails, it exits 3 (UNKNOWN) with one line and no traceback."""
    from cart_cli import rules

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(rules, "evaluate", broken)
    result = cart("check")
    assert result.code == 3, result
    assert "Traceback" not in result.err
    assert len(result.err.strip().splitlines()) == 1
    assert "call your hospital team" in result.err


def test_an_amber_reading_logged_after_a_fever_shows_the_whole_red_check(cart):
    """Logging 37.6 °C hours after a 38.4 °C fever prints the red advice with both readings."""
    infusion = (datetime.now().astimezone().date() - timedelta(days=20)).isoformat()
    assert cart("setup", "--infusion-date", infusion, "--phone", PHONE).code == 0
    assert cart("log", "temp", "38.4", "--at", "3h ago").code == 0
    result = cart("log", "temp", "37.6")
    assert result.code == 0, result
    screen = flat(result.out)
    assert "CALL YOUR HOSPITAL TEAM NOW" in screen
    assert "38.4 °C" in screen and "37.6 °C" in screen
    assert PHONE in screen


def test_a_narrow_screen_shows_the_hospital_number_once_in_plain_text(cart, monkeypatch):
    """When the large digits do not fit (40 columns), the number is shown once, plainly."""
    monkeypatch.setenv("COLUMNS", "40")
    infusion = (datetime.now().astimezone().date() - timedelta(days=20)).isoformat()
    assert cart("setup", "--infusion-date", infusion, "--phone", PHONE).code == 0
    assert cart("log", "temp", "38.5").code == 0
    result = cart("check")
    assert result.code == 2, result
    lines = [line.strip() for line in result.out.splitlines()]
    assert lines.count(PHONE) == 1  # the number on a line of its own, once (not twice)
    assert "███" not in result.out
