"""End-to-end tests for issue 8, through the real command line: every example from the issue,
and each new command and threshold, against a private temporary database.

Expected levels come from docs/clinical-basis.md section 3 (the triage table) and section 4
(words people use). Exit codes of `cart check`: 0 green, 1 amber, 2 red (an emergency too),
3 unknown.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest
from helpers import assert_one_line_error, flat

PHONE = "01632 960 123"
EXIT = {"green": 0, "amber": 1, "red": 2, "emergency": 2, "unknown": 3}


def now_local() -> datetime:
    return datetime.now().astimezone()


def set_up(cart, days: int = 20, *extra: str) -> None:
    infusion = (now_local().date() - timedelta(days=days)).isoformat()
    result = cart("setup", "--infusion-date", infusion, "--phone", PHONE, "--yes", *extra)
    assert result.code == 0, result


def log_json(cart, *args: str) -> dict:
    result = cart("log", *args, "--json")
    assert result.code == 0, result
    return json.loads(result.out)


def check_json(cart, *args: str) -> tuple[int, dict]:
    result = cart("check", "--json", *args)
    assert "Traceback" not in result.err, result
    return result.code, json.loads(result.out)


def level_of(data: dict) -> str:
    return data["level"]


# --- free text is never refused and never under-graded --------------------------------------


def test_other_text_is_graded_as_red_as_the_symptom_it_describes(cart):
    """`--other "confused, can't find words, handwriting gone shaky"` is RED, as `confusion` is."""
    set_up(cart)
    log_json(cart, "temp", "36.8")
    result = cart("log", "symptom", "--other", "confused, can't find words, handwriting gone shaky")
    assert result.code == 0, result
    code, data = check_json(cart)
    assert (code, data["level"]) == (2, "red")
    assert "AMBER" not in flat(result.out).split("Read")[0]  # the log line is not amber


@pytest.mark.parametrize(
    ("typed", "level"),
    [
        ("hard to wake up", "emergency"),
        ("can't wake him", "emergency"),
        ("shortness of breath at rest", "emergency"),
        ("confused and sleepy", "red"),
        ("cough and fever", "red"),
        ("having a fit", "emergency"),
        ("passed out", "emergency"),
        ("collapsed", "emergency"),
    ],
)
def test_phrases_that_were_refused_are_stored_and_graded(cart, typed, level):
    """Each phrase from the issue is stored (exit 0), advice is printed, and the check agrees."""
    set_up(cart)
    log_json(cart, "temp", "36.8")
    result = cart("log", "symptom", typed)
    assert result.code == 0, result
    screen = flat(result.out)
    assert f'Read "{typed}" as:' in screen
    assert ("EMERGENCY: CALL 999 NOW" in screen) == (level == "emergency")
    assert "RED" in screen or "EMERGENCY" in screen
    code, data = check_json(cart)
    assert (code, level_of(data)) == (EXIT[level], level)


def test_the_log_line_says_how_cart_read_the_words(cart):
    """The log line says how cart read the words."""
    set_up(cart)
    result = cart("log", "symptom", "can't wake him")
    assert (
        'Read "can\'t wake him" as: very hard to wake or not responding ("can\'t wake") - emergency.'
    ) in flat(result.out)
    result = cart("log", "symptom", "very hard to wake")
    assert 'Read "very hard to wake" as: very hard to wake - emergency.' in flat(result.out)
    result = cart("log", "symptom", "no fever, keeps nodding off")
    assert (
        'Read "no fever, keeps nodding off" as: drowsy or hard to rouse ("nodding off") - red; '
        'read as not present: "fever".'
    ) in flat(result.out)


def test_a_typo_is_kept_as_typed_and_graded_by_the_word_it_is_close_to(cart):
    """A typo is kept as typed and graded by the word it is close to."""
    set_up(cart)
    log_json(cart, "temp", "36.8")
    data = log_json(cart, "symptom", "collasped")
    assert [(e["symptom"], e["other"]) for e in data["stored"]] == [("other", "collasped")]
    assert data["check_level"] == "emergency"
    assert any('"collasped" read as "collapsed"' in line for line in data["read_as"])
    code, check = check_json(cart)
    assert check["level"] == "emergency" and code == 2


def test_unknown_words_are_amber_never_refused(cart):
    """Words naming no sign are stored as typed and graded amber, never refused."""
    set_up(cart)
    log_json(cart, "temp", "36.8")
    data = log_json(cart, "symptom", "sore big toe")
    assert data["stored"][0]["other"] == "sore big toe"
    assert check_json(cart)[0] == 1


def test_a_phrase_of_only_small_words_is_kept_as_typed(cart):
    """A phrase of only small words is kept as typed."""
    set_up(cart)
    data = log_json(cart, "symptom", "he is not himself")
    assert [(e["symptom"], e["other"]) for e in data["stored"]] == [("other", "he is not himself")]
    data = log_json(cart, "symptom", "him and her")
    assert [(e["symptom"], e["other"]) for e in data["stored"]] == [("other", "him and her")]


@pytest.mark.parametrize("typed", [",", " ; ", "..."])
def test_punctuation_alone_is_refused_and_nothing_is_stored(cart, db_path, typed):
    """Punctuation alone is refused and nothing is stored."""
    set_up(cart)
    assert_one_line_error(cart("log", "symptom", typed), 2)
    assert json.loads(cart("history", "--json").out) == []


def test_a_phrase_mixing_names_and_own_words_is_one_entry(cart):
    """A phrase mixing names and own words is one entry, with the sign it names recognised."""
    set_up(cart)
    data = log_json(cart, "symptom", "cough, odd taste in mouth")
    assert [(e["symptom"], e["other"]) for e in data["stored"]] == [("other", "cough, odd taste in mouth")]
    assert [sign["concept"] for sign in data["stored"][0]["recognised"]] == ["cough"]


def test_very_long_own_words_are_kept_in_pieces_not_refused(cart, tmp_path, monkeypatch):
    """Very long own words are kept in pieces not refused."""
    set_up(cart)
    words = " ".join(["tingly"] * 60)  # 419 characters
    data = log_json(cart, "symptom", "--other", words)
    assert " ".join(e["other"] for e in data["stored"]) == words
    assert all(len(e["other"]) <= 200 for e in data["stored"])
    exported = cart("export").out
    monkeypatch.setenv("CART_DB", str(tmp_path / "copy.db"))
    (tmp_path / "export.json").write_text(exported)
    assert cart("import", str(tmp_path / "export.json")).code == 0  # every piece fits an entry


def test_cart_symptoms_lists_the_new_vocabulary(cart):
    """`cart symptoms` lists the vocabulary of section 4 and says how own words are handled."""
    result = cart("symptoms", "--json")
    data = json.loads(result.out)
    names = {s["name"] for group in data.values() for s in group}
    assert {
        "nausea",
        "sore throat",
        "bleeding",
        "bruising",
        "nosebleed",
        "collapse",
        "hallucinations",
        "no urine",
        "stiff neck",
        "numbness",
        "blurred vision",
        "swollen tongue or throat",
    } <= names
    assert "own words" in flat(cart("symptoms").out)


# --- the revised triage table, through the CLI -------------------------------------------------


@pytest.mark.parametrize(
    ("value", "level"), [("91", "red"), ("92", "red"), ("93", "amber"), ("94%", "amber"), ("95", "green")]
)
def test_log_spo2_boundaries(cart, value, level):
    """`cart log spo2`: 92% or less is red, 93-94% amber, 95% or more green (T13)."""
    set_up(cart)
    log_json(cart, "temp", "36.8")
    stored = log_json(cart, "spo2", value)["stored"][0]
    assert stored["kind"] == "spo2" and stored["spo2"] == int(value.rstrip("%"))
    code, data = check_json(cart)
    assert (code, data["level"]) == (EXIT[level], level)


@pytest.mark.parametrize(
    ("value", "level"), [("90", "green"), ("91", "amber"), ("130", "amber"), ("131", "red")]
)
def test_log_pulse_on_its_own_boundaries(cart, value, level):
    """`cart log pulse`: above 130 red, 91-130 amber, 90 or less green (T6, T19)."""
    set_up(cart)
    log_json(cart, "temp", "36.8")
    assert log_json(cart, "pulse", value)["stored"][0]["pulse"] == int(value)
    assert check_json(cart)[1]["level"] == level


@pytest.mark.parametrize(
    ("args", "level"),
    [
        (("bp", "90/60"), "red"),
        (("bp", "91/60"), "amber"),
        (("temp", "34.9"), "red"),
        (("temp", "35.0"), "red"),
        (("temp", "35.1"), "amber"),
    ],
)
def test_bp_90_and_temperature_35_are_red(cart, args, level):
    """NICE: systolic 90 or less is high risk (90/60 was amber); 35.0 °C or less is red (34.9 was amber)."""
    set_up(cart)
    if args[0] != "temp":
        log_json(cart, "temp", "36.8")
    log_json(cart, *args)
    assert check_json(cart)[1]["level"] == level


@pytest.mark.parametrize(
    "entries",
    [
        [("symptom", "swollen tongue"), ("symptom", "wheeze")],
        [("temp", "38.6"), ("bp", "85/50", "--pulse", "135"), ("symptom", "confusion")],
    ],
    ids=["swollen tongue with wheeze", "fever, systolic 85, pulse 135, confusion"],
)
def test_the_issue_emergencies_say_999(cart, entries):
    """The issue's two emergencies (swollen tongue with wheeze; a fever with systolic 85, pulse
    135 and confusion) say 999."""
    set_up(cart)
    log_json(cart, "temp", "36.8", "--at", "1h ago")
    for entry in entries:
        log_json(cart, *entry)
    code, data = check_json(cart)
    assert code == 2 and data["level"] == "emergency"
    assert data["headline"] == "CALL 999 NOW"


@pytest.mark.parametrize(("setup_extra", "number"), [((), "999"), (("--emergency-number", "112"), "112")])
def test_an_emergency_has_one_banner_emergency_number_first_then_the_team(cart, setup_extra, number):
    """An emergency has one banner emergency number first then the team."""
    set_up(cart, 20, *setup_extra)
    log_json(cart, "symptom", "seizure")
    result = cart("check")
    screen = flat(result.out)
    assert f"EMERGENCY: CALL {number} NOW" in screen
    assert "RED: CALL YOUR HOSPITAL TEAM NOW" not in screen
    assert screen.index(number) < screen.index(PHONE)
    from cart_cli.render.check import BigNumber

    assert BigNumber(number).lines()[0] in result.out  # the emergency number in large digits
    assert BigNumber(PHONE).lines()[0] not in result.out  # the team's number only in plain text
    assert "A&E" in result.out.strip().splitlines()[-2] + result.out.strip().splitlines()[-1]


@pytest.mark.parametrize("args", [("temp", "38.5"), ("symptom", "seizure"), ("bp", "85/50")])
def test_every_red_screen_ends_with_the_fallback_line(cart, args):
    """Every red screen ends with the fall-back line."""
    set_up(cart)
    for command in (("log", *args), ("check",)):
        result = cart(*command)
        tail = " ".join(result.out.strip().splitlines()[-3:])
        assert "A&E" in tail and "CAR-T" in tail, result.out


def test_the_dashboard_on_red_ends_with_the_fallback_line(cart):
    """`cart` alone, with a fever in the last 24 hours, ends with what to do if the team cannot be reached."""
    set_up(cart)
    log_json(cart, "temp", "38.5")
    tail = " ".join(cart().out.strip().splitlines()[-3:])
    assert "A&E" in tail and "CAR-T" in tail


def test_amber_says_call_the_24_hour_line_not_today(cart):
    """Amber says call the 24-hour line not today."""
    set_up(cart)
    result = cart("log", "temp", "37.7")
    screen = flat(result.out)
    assert "24-HOUR LINE FOR ADVICE" in screen and "24-hour line" in screen
    assert "today" not in screen.lower()


# --- old, future and missing readings ------------------------------------------------------------


def test_a_fever_with_the_wrong_year_says_so_and_log_agrees_with_check(cart):
    """A fever typed with last year's date is stored, the log says it is outside the window and
    before the infusion, and log-time advice is exactly what check says (no RED at either)."""
    set_up(cart)
    a_year_ago = now_local() - timedelta(days=365)
    result = cart("log", "temp", "38.6", "--at", f"{a_year_ago:%Y-%m-%d} 03:00")
    assert result.code == 0, result
    screen = flat(result.out)
    assert "365 days ago" in screen or "364 days ago" in screen
    assert "before your infusion" in screen
    assert "`cart check` looks at the last 24 hours" in screen
    assert "RED" not in screen
    code, data = check_json(cart)
    assert data["findings"] == [] and code == 3


def test_log_time_advice_is_the_check_screen(cart):
    """What `cart log` says after a finding is what `cart check` says: same level, same findings."""
    set_up(cart)
    log_json(cart, "temp", "37.8", "--at", "3h ago")
    logged = log_json(cart, "bp", "95/60")
    _code, checked = check_json(cart)
    assert logged["check_level"] == checked["level"] == "red"
    assert {f["rule"] for f in logged["findings"]} <= {f["rule"] for f in checked["findings"]}
    text = flat(cart("log", "pulse", "110").out)
    for finding in check_json(cart)[1]["findings"]:
        assert finding["message"][:60] in text


def test_a_fever_stored_in_the_future_is_counted_as_now_and_flagged(cart, db_path):
    """A fever a few minutes ahead (a fast clock, another device) is RED, not skipped."""
    from cart_cli.models import Entry
    from cart_cli.store import Store

    set_up(cart)
    now = now_local()
    with Store.open(db_path, now=now) as store:
        (entry,) = store.add([Entry(kind="temp", recorded_at=now + timedelta(minutes=10), celsius=38.5)], now)
    code, data = check_json(cart)
    assert (code, data["level"]) == (2, "red")
    assert data["future_entry_ids"] == [entry.id]
    assert any("later than now" in line for line in data["reminders"])
    assert "later than now" in flat(cart("check").out)


def test_one_temperature_from_23_hours_ago_is_unknown_not_green(cart):
    """One temperature from 23 hours ago is unknown not green."""
    set_up(cart)
    log_json(cart, "temp", "36.8", "--at", "23h ago")
    code, data = check_json(cart)
    assert (code, data["level"]) == (3, "unknown")
    assert any("take your temperature now" in line for line in data["missing"])
    assert "take your temperature now" in flat(cart("check").out)


@pytest.mark.parametrize(
    ("gap", "age", "level"),
    [
        ("4", "230m ago", "green"),
        ("4", "250m ago", "unknown"),
        ("24", "23h ago", "green"),
        ("12", "11h ago", "green"),
        ("12", "13h ago", "unknown"),
    ],
)
def test_setup_reading_gap(cart, gap, age, level):
    """With `--reading-gap H` a latest temperature older than H hours makes the check UNKNOWN."""
    set_up(cart, 20, "--reading-gap", gap)
    log_json(cart, "temp", "36.8", "--at", age)
    assert check_json(cart)[1]["level"] == level


@pytest.mark.parametrize("gap", ["3", "25", "twelve"])
def test_setup_reading_gap_out_of_range_is_refused(cart, gap):
    """Setup reading gap out of range is refused."""
    infusion = (now_local().date() - timedelta(days=20)).isoformat()
    assert_one_line_error(cart("setup", "--infusion-date", infusion, "--reading-gap", gap), 2)


def test_setup_show_has_the_reading_gap(cart):
    """Setup show has the reading gap."""
    set_up(cart, 20, "--reading-gap", "8")
    data = json.loads(cart("setup", "--show", "--json").out)
    assert data["reading_gap_hours"] == 8
    assert "8 hours" in flat(cart("setup", "--show").out)


def test_dashboard_shows_unknown_when_the_reading_gap_has_passed(cart):
    """Dashboard shows unknown when the reading gap has passed."""
    set_up(cart)
    log_json(cart, "temp", "36.8", "--at", "13h ago")
    screen = flat(cart().out)
    assert "UNKNOWN" in screen and "take your temperature now" in screen


def test_a_37_6_twelve_hours_ago_says_overdue_not_within_the_hour(cart):
    """A 37.6 twelve hours ago says overdue not within the hour."""
    set_up(cart)
    log_json(cart, "temp", "37.6", "--at", "12h ago")
    _code, data = check_json(cart)
    assert data["level"] == "amber"
    assert "within the hour" not in json.dumps(data)
    assert any(line.startswith("Re-check overdue") for line in data["reminders"])
    assert "Re-check overdue" in flat(cart("check").out)
    assert "Re-check overdue" in flat(cart().out)  # the dashboard too


def test_a_fresh_amber_temperature_says_when_the_recheck_is_due(cart):
    """A fresh amber temperature says when the re-check is due."""
    set_up(cart)
    log_json(cart, "temp", "37.6")
    _, data = check_json(cart)
    assert any(line.startswith("Re-check due") for line in data["reminders"])


# --- calls to the team ---------------------------------------------------------------------


def test_a_call_after_a_fever_shows_it_as_reported_and_keeps_the_level(cart):
    """A call after a fever shows it as reported and keeps the level."""
    set_up(cart)
    log_json(cart, "temp", "38.6", "--at", "20h ago")
    call = log_json(cart, "call", "--outcome", "called the ward, told to stay home", "--at", "19h ago")
    assert call["stored"][0]["kind"] == "call"
    assert call["stored"][0]["outcome"] == "called the ward, told to stay home"
    log_json(cart, "temp", "36.9", "--at", "1h ago")
    code, data = check_json(cart)
    assert (code, data["level"]) == (2, "red")
    assert all(f["reported"] for f in data["findings"])
    assert [c["outcome"] for c in data["calls"]] == ["called the ward, told to stay home"]
    assert set(data["calls"][0]) == {"id", "recorded_at", "outcome", "recheck_minutes"}
    result = cart("check")
    assert result.code == 2
    screen = flat(result.out)
    assert "Reported to your team at" in screen and "told to stay home" in screen
    assert "███" not in result.out


def test_a_sign_logged_after_the_call_is_graded_as_usual_and_shown_first(cart):
    """A sign logged after the call is graded as usual and shown first."""
    set_up(cart)
    log_json(cart, "temp", "38.6", "--at", "5h ago")
    log_json(cart, "call", "--at", "4h ago")
    log_json(cart, "symptom", "cough")
    _code, data = check_json(cart)
    by_rule = {f["rule"]: f for f in data["findings"]}
    assert by_rule["fever"]["reported"] and not by_rule["infection-sign"]["reported"]
    screen = flat(cart("check").out)
    assert screen.index("A sign of infection") < screen.index("Reported to your team")
    assert screen.index("Reported to your team") < screen.index("Temperature at or above")


def test_calls_and_medicines_appear_in_history_and_export(cart):
    """Calls and medicines appear in history and export."""
    set_up(cart)
    log_json(cart, "call", "--outcome", "111 said go to A&E")
    log_json(cart, "med", "paracetamol")
    log_json(cart, "spo2", "97")
    log_json(cart, "pulse", "80")
    rows = json.loads(cart("history", "--json").out)
    values = {row["kind"]: row for row in rows}
    assert values["call"]["outcome"] == "111 said go to A&E"
    assert values["med"]["medicine"] == "paracetamol"
    assert values["spo2"]["spo2"] == 97
    assert values["pulse"]["pulse"] == 80
    exported = json.loads(cart("export").out)
    assert {e["kind"] for e in exported["entries"]} >= {"call", "med", "spo2", "pulse"}
    text = flat(cart("history").out)
    assert "call to the team" in text and "medicine: paracetamol" in text


def test_an_export_with_the_new_kinds_imports_into_a_new_database(cart, tmp_path, monkeypatch):
    """An export with the new kinds imports into a new database."""
    set_up(cart)
    for args in (("call", "--outcome", "fine"), ("med", "ibuprofen"), ("spo2", "95"), ("pulse", "77")):
        log_json(cart, *args)
    exported = tmp_path / "export.json"
    assert cart("export", "--output", str(exported)).code == 0
    monkeypatch.setenv("CART_DB", str(tmp_path / "other.db"))
    assert cart("import", str(exported)).code == 0, cart("import", str(exported))
    kinds = sorted(row["kind"] for row in json.loads(cart("history", "--json").out))
    assert kinds == ["call", "med", "pulse", "spo2"]


@pytest.mark.parametrize(
    ("kind", "field", "value"),
    [
        ("spo2", "spo2", 49),
        ("spo2", "spo2", "96"),
        ("pulse", "pulse", 251),
        ("med", "medicine", ""),
        ("call", "outcome", 5),
    ],
)
def _export_file(tmp_path, item: dict):
    path = tmp_path / "export.json"
    data = {
        "format": "cart-export",
        "version": 1,
        "exported_at": "2026-01-02T10:00:00+00:00",
        "plan": None,
        "entries": [{"id": 1, "uid": "a1", "recorded_at": "2026-01-01T10:00:00+00:00", "note": None, **item}],
    }
    path.write_text(json.dumps(data))
    return path


@pytest.mark.parametrize(
    "item",
    [
        {"kind": "spo2", "spo2": 50},
        {"kind": "pulse", "pulse": 250},
        {"kind": "call", "outcome": None},
        {"kind": "call", "outcome": "stay home"},
        {"kind": "med", "medicine": "paracetamol"},
    ],
)
def test_import_accepts_the_new_kinds(cart, tmp_path, item):
    """Import accepts the new kinds."""
    result = cart("import", str(_export_file(tmp_path, item)))
    assert result.code == 0, result
    (row,) = json.loads(cart("history", "--json").out)
    assert {key: row[key] for key in item} == item


@pytest.mark.parametrize(
    "item",
    [
        {"kind": "spo2", "spo2": 49},
        {"kind": "spo2", "spo2": "96"},
        {"kind": "spo2"},
        {"kind": "pulse", "pulse": 251},
        {"kind": "med", "medicine": ""},
        {"kind": "med"},
        {"kind": "call", "outcome": 5},
        {"kind": "call", "outcome": "x" * 501},
    ],
)
def test_import_refuses_bad_values_of_the_new_kinds(cart, tmp_path, db_path, item):
    """Import refuses bad values of the new kinds."""
    result = cart("import", str(_export_file(tmp_path, item)))
    assert_one_line_error(result, 2)
    assert "Nothing was imported" in result.err


# --- medicines that hide a fever ------------------------------------------------------------


def test_a_fever_medicine_is_amber_and_marks_later_temperatures(cart):
    """A fever medicine is amber and marks later temperatures."""
    set_up(cart)
    log_json(cart, "med", "Calpol", "--at", "2h ago")
    log_json(cart, "temp", "37.7", "--at", "1h ago")
    code, data = check_json(cart)
    rules = {f["rule"]: f for f in data["findings"]}
    assert "fever-medicine" in rules
    assert "may be lower than it really is" in rules["raised-temperature"]["message"]
    assert code == 2  # two amber signs from different rules (T2)
    assert "may be lower than it really is" in flat(cart("history").out)


def test_another_medicine_is_just_recorded(cart):
    """A medicine that does not lower a temperature is recorded with no finding."""
    set_up(cart)
    log_json(cart, "temp", "36.8")
    data = log_json(cart, "med", "aciclovir 400mg")
    assert data["findings"] == [] and data["check_level"] == "green"


# --- small things that mislead ---------------------------------------------------------------


def test_a_normal_reading_while_red_says_the_check_is_still_red(cart):
    """A normal reading while red says the check is still red."""
    set_up(cart)
    log_json(cart, "temp", "38.6", "--at", "2h ago")
    result = cart("log", "temp", "36.9")
    lines = result.out.strip().splitlines()
    assert lines[0].startswith("Stored #") and "36.9 °C" in lines[0]
    assert "The check is still RED" in lines[1] and "38.6 °C" in lines[1] and "cart check" in lines[1]


def test_a_normal_reading_while_green_prints_only_the_stored_line(cart):
    """A normal reading while green prints only the stored line."""
    set_up(cart)
    result = cart("log", "temp", "36.9")
    assert len(result.out.strip().splitlines()) == 1


def test_ids_are_never_reused_after_undo(cart):
    """After `cart undo` the next entry gets a new number, never the one taken back."""
    set_up(cart)
    first = log_json(cart, "temp", "36.8")["stored"][0]["id"]
    second = log_json(cart, "temp", "36.9")["stored"][0]["id"]
    assert cart("undo", "--yes").code == 0
    third = log_json(cart, "temp", "37.0")["stored"][0]["id"]
    assert first < second < third


def test_window_line_reads_as_a_range_with_both_dates(cart):
    """Window line reads as a range with both dates."""
    set_up(cart)
    log_json(cart, "temp", "36.8")
    screen = flat(cart("check").out)
    now = now_local()
    yesterday = now - timedelta(hours=24)
    assert (
        f"from {yesterday:%a} {yesterday.day} {yesterday:%b} {yesterday:%H:%M} to {now:%a} {now.day} {now:%b}"
        in screen
    )


@pytest.mark.parametrize("command", [("log", "temperature", "37.1"), ("log", "temp", "37.1")])
def test_log_temperature_is_an_alias_of_log_temp(cart, command):
    """Log temperature is an alias of log temp."""
    set_up(cart)
    result = cart(*command, "--json")
    assert result.code == 0, result
    assert json.loads(result.out)["stored"][0]["celsius"] == 37.1


@pytest.mark.parametrize(
    ("typed", "kind"),
    [
        ("temperature", "temp"),
        ("Blood pressure", "bp"),
        ("oxygen", "spo2"),
        ("medicine", "med"),
        ("calls", "call"),
        ("temp", "temp"),
    ],
)
def test_history_kind_aliases(cart, typed, kind):
    """`cart history --kind` takes everyday names for the kinds (temperature, oxygen, ...)."""
    set_up(cart)
    for args in (("temp", "36.8"), ("bp", "120/80"), ("spo2", "97"), ("med", "paracetamol"), ("call",)):
        log_json(cart, *args)
    rows = json.loads(cart("history", "--kind", typed, "--json").out)
    assert rows and {row["kind"] for row in rows} == {kind}


def test_log_temp_382_suggests_38_2(cart):
    """Log temp 382 suggests 38.2."""
    set_up(cart)
    result = cart("log", "temp", "382")
    assert_one_line_error(result, 2)
    assert "did you mean 38.2?" in result.err


def test_import_of_a_csv_says_it_reads_the_json_export(cart, tmp_path):
    """Import of a CSV says it reads the JSON export."""
    path = tmp_path / "entries.csv"
    path.write_text("id,kind,recorded_at\n1,temp,2026-01-01T10:00:00+00:00\n")
    result = cart("import", str(path))
    assert_one_line_error(result, 2)
    assert "JSON export" in result.err


@pytest.mark.parametrize("option", ["--since", "--at"])
def test_since_and_at_accept_a_plain_date_and_days_ago_with_a_time(cart, option):
    """`--since` and `--at` take a plain date (start of that day) and "2 days ago 09:00"."""
    set_up(cart)
    yesterday = (now_local() - timedelta(days=1)).date()
    if option == "--since":
        log_json(cart, "temp", "38.3", "--at", "1 days ago 10:00")
        _code, data = check_json(cart, "--since", yesterday.isoformat())
        assert data["since"].startswith(f"{yesterday.isoformat()}T00:00:00")
        assert data["level"] == "red"
    else:
        data = log_json(cart, "temp", "36.8", "--at", yesterday.isoformat())
        assert data["stored"][0]["recorded_at"].startswith(f"{yesterday.isoformat()}T00:00:00")
        data = log_json(cart, "temp", "36.8", "--at", "2 days ago 09:00")
        two_days = (now_local() - timedelta(days=2)).date()
        assert data["stored"][0]["recorded_at"].startswith(f"{two_days.isoformat()}T09:00:00")
