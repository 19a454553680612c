"""Issue 22 items 2, 3, 4 and 6: the CAR-T product, blood results, corrections (`cart edit`)
and milestones for a person at home. Table-driven at the edges, then through the real CLI.

Expected values come from the issue, the products' published names, the LOINC codes as
published FHIR profiles use them, and unit arithmetic (9.5 g/dL = 95 g/L), never from
running the code.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import date, datetime, timedelta

import pytest
from helpers import assert_one_line_error, flat

from cart_cli.bloods import TEST_BY_NAME, parse_result
from cart_cli.errors import InvalidInput
from cart_cli.models import Plan
from cart_cli.products import parse_product
from cart_cli.timeline import build_timeline, milestones, next_item

PHONE = "01632 960 123"


def today() -> date:
    return datetime.now().astimezone().date()


# --- the product ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "generic", "brand"),
    [
        ("Yescarta", "axicabtagene ciloleucel", "Yescarta"),
        ("axicabtagene ciloleucel", "axicabtagene ciloleucel", "Yescarta"),
        ("axi-cel", "axicabtagene ciloleucel", "Yescarta"),
        ("AXI CEL", "axicabtagene ciloleucel", "Yescarta"),
        ("kymriah", "tisagenlecleucel", "Kymriah"),
        ("tisa-cel", "tisagenlecleucel", "Kymriah"),
        ("Tecartus", "brexucabtagene autoleucel", "Tecartus"),
        ("brexu-cel", "brexucabtagene autoleucel", "Tecartus"),
        ("Breyanzi", "lisocabtagene maraleucel", "Breyanzi"),
        ("liso-cel", "lisocabtagene maraleucel", "Breyanzi"),
        ("Abecma", "idecabtagene vicleucel", "Abecma"),
        ("ide-cel", "idecabtagene vicleucel", "Abecma"),
        ("Carvykti", "ciltacabtagene autoleucel", "Carvykti"),
        ("cilta-cel", "ciltacabtagene autoleucel", "Carvykti"),
        ("Aucatzyl", "obecabtagene autoleucel", "Aucatzyl"),
        ("obe-cel", "obecabtagene autoleucel", "Aucatzyl"),
    ],
)
def test_every_name_of_every_product_is_understood(typed, generic, brand):
    product = parse_product(typed)
    assert (product.generic, product.brand) == (generic, brand)


@pytest.mark.parametrize("typed", ["", "car-t", "yescart", "cel"])
def test_unknown_product_lists_the_known_ones(typed):
    with pytest.raises(InvalidInput) as caught:
        parse_product(typed)
    assert "Yescarta (axi-cel)" in caught.value.message and "Aucatzyl" in caught.value.message


def test_product_in_setup_timeline_report_and_fhir(cart, tmp_path):
    assert cart("setup", "--infusion-date", "6 days ago", "--phone", PHONE, "--product", "axi-cel").code == 0
    assert "Yescarta (axicabtagene ciloleucel)" in flat(cart("setup", "--show").out)
    assert json.loads(cart("setup", "--show", "--json").out)["product"] == "axicabtagene ciloleucel"
    assert "Yescarta (axicabtagene ciloleucel)" in flat(cart("timeline").out)
    assert json.loads(cart("timeline", "--json").out)["product"] == "Yescarta (axicabtagene ciloleucel)"
    report = tmp_path / "report.html"
    assert cart("report", "--output", str(report)).code == 0
    assert "Yescarta (axicabtagene ciloleucel)" in report.read_text(encoding="utf-8")
    cart("log", "temp", "37.0")
    fhir = tmp_path / "out.json"
    assert cart("export", "--format", "fhir", "--output", str(fhir)).code == 0
    bundle = json.loads(fhir.read_text(encoding="utf-8"))
    given = [
        e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "MedicationAdministration"
    ]
    assert len(given) == 1
    assert given[0]["medicationCodeableConcept"] == {
        "text": "Yescarta (axicabtagene ciloleucel), CAR T-cell therapy"
    }
    assert given[0]["effectiveDateTime"] == (today() - timedelta(days=6)).isoformat()


def test_product_round_trips_through_export_and_import(cart, tmp_path, monkeypatch):
    assert cart("setup", "--infusion-date", "6 days ago", "--phone", PHONE, "--product", "Carvykti",
                "--home-since", "yesterday", "--volume-units", "us").code == 0  # fmt: skip
    exported = tmp_path / "all.json"
    assert cart("export", "--format", "json", "--output", str(exported)).code == 0
    monkeypatch.setenv("CART_DB", str(tmp_path / "other.db"))
    assert cart("import", str(exported)).code == 0, cart("import", str(exported))
    plan = json.loads(cart("setup", "--show", "--json").out)
    assert plan["product"] == "ciltacabtagene autoleucel"
    assert plan["home_since"] == (today() - timedelta(days=1)).isoformat()
    assert plan["volume_units"] == "us"


# --- blood results --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "typed", "value", "converted"),
    [
        ("neutrophils", "0.4", 0.4, False),
        ("neutrophils", "0.4 x10^9/L", 0.4, False),
        ("neutrophils", "400/uL", 0.4, True),  # a count per microlitre, as US labs give it
        ("neutrophils", "400", 0.4, True),  # above 100 x10^9/L no blood holds: read per uL, and said
        ("crp", "85", 85.0, False),
        ("crp", "8.5 mg/dL", 85.0, True),
        ("platelets", "30", 30.0, False),
        ("platelets", "30,000/uL", 30.0, True),
        ("hb", "95", 95.0, False),
        ("hb", "9.5 g/dL", 95.0, True),
        ("hb", "9.5", 95.0, True),  # 3-25 can only be g/dL: read so, and said
    ],
)
def test_blood_results_in_the_units_people_get_them(name, typed, value, converted):
    got, remark = parse_result(name, typed)
    assert got == value
    assert (remark is not None) == converted


@pytest.mark.parametrize(
    ("name", "typed"), [("hb", "2"), ("hb", "300"), ("crp", "x"), ("crp", "85 mmol"), ("platelets", "-3")]
)
def test_blood_results_refused(name, typed):
    with pytest.raises(InvalidInput):
        parse_result(name, typed)


def test_loinc_codes_are_the_published_method_independent_ones():
    """Neutrophils 26499-4, CRP 1988-5, platelets 26515-7, haemoglobin 718-7."""
    assert {name: test.loinc for name, test in TEST_BY_NAME.items()} == {
        "neutrophils": "26499-4", "crp": "1988-5", "platelets": "26515-7", "hb": "718-7",
    }  # fmt: skip


def test_log_bloods_everywhere_and_beside_a_fever(cart, tmp_path):
    assert cart("setup", "--infusion-date", "6 days ago", "--phone", PHONE).code == 0
    logged = cart(
        "log", "bloods", "--neutrophils", "0.4", "--crp", "85", "--hb", "9.5g/dL", "--at", "2 days ago 10:00"
    )
    assert logged.code == 0, logged
    assert "95 g/L" in logged.out
    history = json.loads(cart("history", "--json").out)
    assert history[0]["kind"] == "bloods"
    assert (history[0]["neutrophils"], history[0]["crp"], history[0]["platelets"], history[0]["hb"]) == (
        0.4, 85.0, None, 95.0,
    )  # fmt: skip
    assert "neutrophils 0.4 x10^9/L" in flat(cart("history").out)
    # No level of its own; beside a fever the check names the latest results.
    assert "neutrophils" not in cart("check").out
    fever = cart("log", "temp", "38.4")
    check = flat(cart("check").out)
    assert "neutrophils 0.4 x10^9/L" in check and "tell the team" in check
    assert "neutrophils 0.4" in flat(fever.out)
    report = tmp_path / "r.html"
    assert cart("report", "--output", str(report)).code == 0
    assert "neutrophils 0.4 x10^9/L" in report.read_text(encoding="utf-8")
    fhir = tmp_path / "f.json"
    assert cart("export", "--format", "fhir", "--output", str(fhir)).code == 0
    labs = [
        e["resource"] for e in json.loads(fhir.read_text(encoding="utf-8"))["entry"]
        if e["resource"].get("category", [{}])[0].get("coding", [{}])[0].get("code") == "laboratory"
    ]  # fmt: skip
    codes = {r["code"]["coding"][0]["code"]: r["valueQuantity"] for r in labs}
    assert codes["26499-4"]["value"] == 0.4 and codes["26499-4"]["code"] == "10*9/L"
    assert codes["1988-5"]["value"] == 85.0 and codes["1988-5"]["code"] == "mg/L"
    assert codes["718-7"]["value"] == 95.0 and codes["718-7"]["code"] == "g/L"
    assert "26515-7" not in codes  # no platelets were given
    assert len({r["id"] for r in labs}) == 3


def test_log_bloods_with_nothing_given_is_refused(cart, db_path):
    result = cart("log", "bloods")
    assert_one_line_error(result, 2)
    assert "--neutrophils" in result.err


# --- corrections ----------------------------------------------------------------------------


def test_edit_keeps_what_it_was_and_undo_puts_it_back(cart, db_path, tmp_path):
    assert cart("setup", "--infusion-date", "6 days ago", "--phone", PHONE).code == 0
    assert cart("log", "temp", "37.2", "--at", "an hour ago").code == 0
    assert cart("check").code == 0  # green
    edited = cart("edit", "1", "--value", "38.4")
    assert edited.code == 0, edited
    assert "was 37.2 °C" in edited.out
    assert cart("check").code != 0  # the check uses the corrected value: red now
    assert "RED" in cart("check").out
    shown = flat(cart("history").out)
    assert "38.4 °C" in shown and "corrected at" in shown and "was 37.2 °C" in shown
    exported = tmp_path / "e.json"
    assert cart("export", "--format", "json", "--output", str(exported)).code == 0
    entry = json.loads(exported.read_text(encoding="utf-8"))["entries"][0]
    assert entry["celsius"] == 38.4 and json.loads(entry["was"])["celsius"] == 37.2
    assert entry["corrected_at"]
    csv_file = tmp_path / "e.csv"
    assert cart("export", "--format", "csv", "--output", str(csv_file)).code == 0
    assert "corrected_at" in csv_file.read_text(encoding="utf-8").splitlines()[0]
    undone = cart("undo", "--yes")
    assert undone.code == 0, undone
    assert "37.2 °C" in undone.out
    row = sqlite3.connect(db_path).execute("SELECT celsius, corrected_at, was FROM entries").fetchone()
    assert row == (37.2, None, None)
    assert cart("check").code == 0


def test_edit_time_and_note_and_undo_after_a_new_entry_removes_that_entry(cart, db_path):
    assert cart("setup", "--infusion-date", "6 days ago", "--phone", PHONE).code == 0
    assert cart("log", "fluids", "1.5").code == 0
    assert cart("edit", "1", "--at", "this morning 7", "--note", "breakfast").code == 0
    assert cart("log", "pulse", "80").code == 0
    assert "Removed #2" in cart("undo", "--yes").out  # the newer action is the log
    assert "Put back #1" in cart("undo", "--yes").out
    assert sqlite3.connect(db_path).execute("SELECT note FROM entries").fetchone() == (None,)


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("edit", "1"), "--value, --at or --note"),
        (("edit", "1", "--value", "52"), "out of range"),
        (("edit", "1", "--at", "tomorrow 9am"), "time"),
        (("edit", "9", "--value", "38"), "no entry #9"),
        (("edit", "1", "--value", "37.2"), "already says that"),
    ],
)
def test_edit_refusals_change_nothing(cart, db_path, args, says):
    assert cart("setup", "--infusion-date", "6 days ago", "--phone", PHONE).code == 0
    assert cart("log", "temp", "37.2").code == 0
    result = cart(*args)
    assert_one_line_error(result, 2)
    assert says in result.err
    assert sqlite3.connect(db_path).execute("SELECT celsius, was FROM entries").fetchone() == (37.2, None)


@pytest.mark.parametrize(
    ("logged", "value", "allowed"),
    [
        ("paracetamol 1g", "2g", False),  # a bare dose would drop it from the paracetamol count
        ("paracetamol 1g", "ibuprofen 400mg", False),
        ("Calpol 10ml", "co-codamol 30/500", True),  # still paracetamol
        ("ibuprofen 400mg", "nurofen 200mg", True),
        ("paracetamol 1g", "paracetamol 500mg", True),
        ("aciclovir", "valaciclovir", True),  # nothing that hides a fever to keep
    ],
)
def test_a_medicine_correction_never_drops_what_hides_a_fever(cart, db_path, logged, value, allowed):
    assert cart("setup", "--infusion-date", "6 days ago", "--phone", PHONE).code == 0
    assert cart("log", "med", logged).code == 0
    result = cart("edit", "1", "--value", value)
    stored = sqlite3.connect(db_path).execute("SELECT medicine FROM entries").fetchone()[0]
    if allowed:
        assert result.code == 0, result
        assert stored == value
    else:
        assert_one_line_error(result, 2)
        assert "can hide a fever" in result.err
        assert stored == logged


def test_symptom_value_cannot_be_edited_but_its_time_can(cart):
    assert cart("setup", "--infusion-date", "6 days ago", "--phone", PHONE).code == 0
    assert cart("log", "symptom", "cough").code == 0
    assert "cart delete 1" in cart("edit", "1", "--value", "headache").err
    assert cart("edit", "1", "--at", "an hour ago").code == 0


# --- milestones at home ---------------------------------------------------------------------


@pytest.mark.parametrize("infusion_day", [date(2026, 11, 30) + timedelta(days=n) for n in range(7)])
def test_approximate_milestones_never_fall_on_a_weekend(infusion_day):
    """Whatever weekday the infusion was, no approximate milestone (or range end) is on a
    Saturday or Sunday; exact ones (day 0, driving) keep their date."""
    found = milestones(Plan(infusion_date=infusion_day), until=infusion_day + timedelta(days=800))
    for milestone in found:
        if milestone.approximate:
            assert milestone.date.weekday() < 5, milestone
            assert milestone.end_date is None or milestone.end_date.weekday() < 5, milestone
    exact = {m.id: m.date for m in found if not m.approximate}
    assert exact["infusion"] == infusion_day
    assert exact["driving_allowed"] == infusion_day + timedelta(weeks=8)


def test_at_home_the_hospital_stay_is_past_and_next_is_what_comes_after():
    infusion = date(2026, 11, 30)
    plan = Plan(infusion_date=infusion, home_since=date(2026, 12, 5))
    seen = build_timeline(plan, infusion + timedelta(days=6))
    status = {s.milestone.id: s.status for s in seen.milestones}
    assert status["hospital_stay_usual_end"] == "past"
    assert status["hospital_stay_latest"] == "past"
    assert status["home"] == "past"
    assert seen.next is not None and seen.next.milestone.id == "neuro_risk_mostly_over"
    without_home = build_timeline(Plan(infusion_date=infusion), infusion + timedelta(days=6))
    assert without_home.next is not None and without_home.next.milestone.id == "hospital_stay_usual_end"


def test_timeline_dashboard_and_report_name_the_same_next(cart, tmp_path):
    assert (
        cart("setup", "--infusion-date", "12 days ago", "--phone", PHONE, "--home-since", "2 days ago").code
        == 0
    )
    soon = (datetime.now().astimezone() + timedelta(days=2)).strftime("%Y-%m-%d") + " 10:30"
    assert cart("appt", "add", "Bloods at the day unit", soon).code == 0
    timeline = json.loads(cart("timeline", "--json").out)
    assert timeline["next"].startswith("appt-")
    assert "Next: Bloods at the day unit" in flat(cart().out)
    report = tmp_path / "r.html"
    assert cart("report", "--output", str(report)).code == 0
    html = report.read_text(encoding="utf-8")
    assert "<td>Bloods at the day unit</td><td>next</td>" in html
    plan = Plan(infusion_date=today() - timedelta(days=12), home_since=today() - timedelta(days=2))
    assert next_item(plan, today()) is not None


def test_first_log_after_day_7_at_a_terminal_asks_if_home(cart, db_path, monkeypatch):
    """At a terminal, after day 7, `cart log` asks once whether the person is home; the answer
    is saved and the hospital-stay milestones are then past. Not asked again once answered."""
    assert cart("setup", "--infusion-date", "9 days ago", "--phone", PHONE).code == 0
    monkeypatch.setattr("cart_cli.commands.log._at_terminal", lambda: True)
    first = cart("log", "temp", "37.0", stdin="yesterday\n")
    assert first.code == 0, first
    assert "Are you home from the hospital?" in first.out
    plan = json.loads(cart("setup", "--show", "--json").out)
    assert plan["home_since"] == (today() - timedelta(days=1)).isoformat()
    statuses = {m["id"]: m["status"] for m in json.loads(cart("timeline", "--json").out)["milestones"]}
    assert statuses["hospital_stay_usual_end"] == "past"
    assert "Are you home" not in cart("log", "temp", "37.0", stdin="").out


def test_home_question_not_yet_is_not_asked_again_at_once(cart, monkeypatch):
    assert cart("setup", "--infusion-date", "9 days ago", "--phone", PHONE).code == 0
    monkeypatch.setattr("cart_cli.commands.log._at_terminal", lambda: True)
    assert "Are you home" in cart("log", "temp", "37.0", stdin="\n").out
    assert "Are you home" not in cart("log", "temp", "37.0", stdin="\n").out
    assert json.loads(cart("setup", "--show", "--json").out)["home_since"] is None


def test_home_question_waits_while_there_is_something_to_act_on(cart, monkeypatch):
    """A fever shows its advice with no question after it."""
    assert cart("setup", "--infusion-date", "9 days ago", "--phone", PHONE).code == 0
    monkeypatch.setattr("cart_cli.commands.log._at_terminal", lambda: True)
    assert "Are you home" not in cart("log", "temp", "38.6", stdin="\n").out


def test_home_question_not_asked_by_day_7_nor_without_a_terminal(cart, monkeypatch):
    assert cart("setup", "--infusion-date", "7 days ago", "--phone", PHONE).code == 0
    monkeypatch.setattr("cart_cli.commands.log._at_terminal", lambda: True)
    assert "Are you home" not in cart("log", "temp", "37.0", stdin="\n").out
    monkeypatch.setattr("cart_cli.commands.log._at_terminal", lambda: False)
    assert cart("setup", "--infusion-date", "9 days ago").code == 0
    assert "Are you home" not in cart("log", "temp", "37.0").out


def test_setup_refuses_home_before_infusion(cart):
    result = cart("setup", "--infusion-date", "6 days ago", "--phone", PHONE, "--home-since", "8 days ago")
    assert_one_line_error(result, 2)
    assert "before the infusion" in result.err


def test_edit_json_gives_the_corrected_entry_with_what_it_was(cart):
    assert cart("setup", "--infusion-date", "6 days ago", "--phone", PHONE).code == 0
    assert cart("log", "spo2", "95").code == 0
    result = cart("edit", "1", "--value", "91", "--json")
    assert result.code == 0, result
    data = json.loads(result.out)
    assert data["spo2"] == 91 and json.loads(data["was"])["spo2"] == 95 and data["corrected_at"]


@pytest.mark.parametrize(
    ("what", "option", "value", "shown"),
    [
        ("neutrophils", "--neutrophils", "0.4", 0.4),
        ("crp", "--crp", "85", 85.0),
        ("platelets", "--platelets", "30", 30.0),
        ("hb", "--hb", "9.5g/dL", 95.0),
    ],
)
def test_blood_results_are_charted(cart, tmp_path, what, option, value, shown):
    """`cart chart neutrophils` (and crp, platelets, hb) plots the results in their unit;
    the report draws the same chart."""
    assert cart("setup", "--infusion-date", "6 days ago", "--phone", PHONE).code == 0
    assert cart("log", "bloods", option, value, "--at", "yesterday 10:00").code == 0
    data = json.loads(cart("chart", what, "--json").out)
    assert [point["value"] for point in data["points"]] == [shown]
    assert cart("chart", what).code == 0
    report = tmp_path / "r.html"
    assert cart("report", "--output", str(report)).code == 0
    assert "<svg" in report.read_text(encoding="utf-8")


def test_fhir_additions_meet_the_base_r4_definitions(tmp_path):
    """The product's MedicationAdministration, a bloods entry's laboratory observations and a
    corrected temperature with its site all pass the R4 validator the FHIR tests use."""
    import io
    from datetime import UTC

    from test_fhir_profiles import validate

    from cart_cli import exporters
    from cart_cli.corrections import corrected
    from cart_cli.models import Entry
    from cart_cli.store import Store

    now = datetime(2026, 12, 5, 9, 30, tzinfo=UTC)
    with Store.open(tmp_path / "cart.db", now=now) as store:
        store.save_plan(Plan(infusion_date=date(2026, 11, 26), product="tisagenlecleucel"), now)
        temp, _ = store.add(
            [
                Entry(kind="temp", recorded_at=now - timedelta(hours=2), celsius=37.4, site="armpit"),
                Entry(kind="bloods", recorded_at=now - timedelta(hours=1), neutrophils=0.4, crp=85.0,
                      platelets=30.0, hb=95.0),
            ],
            now,
        )  # fmt: skip
        store.replace_entry(temp, corrected(temp, now, value="38.1 ear"))
        out = io.StringIO()
        exporters.export_fhir(store, out, now)
    resources = [item["resource"] for item in json.loads(out.getvalue())["entry"]]
    mine = [
        r for r in resources
        if r["resourceType"] == "MedicationAdministration" or r.get("status") == "amended"
        or r.get("category", [{}])[0].get("coding", [{}])[0].get("code") == "laboratory"
    ]  # fmt: skip
    assert len(mine) == 6  # the product, the amended temperature, four results
    assert validate([(r, None) for r in mine]) == [{"ok": True}] * len(mine)


def test_fhir_carries_the_site_and_marks_a_corrected_reading_amended(cart, tmp_path):
    assert cart("setup", "--infusion-date", "6 days ago", "--phone", PHONE).code == 0
    assert cart("log", "temp", "37.2 under arm", "--at", "an hour ago").code == 0
    assert cart("edit", "1", "--value", "37.9 ear").code == 0
    out = tmp_path / "f.json"
    assert cart("export", "--format", "fhir", "--output", str(out)).code == 0
    (temp,) = [
        e["resource"] for e in json.loads(out.read_text(encoding="utf-8"))["entry"]
        if e["resource"].get("code", {}).get("coding", [{}])[0].get("code") == "8310-5"
    ]  # fmt: skip
    assert temp["status"] == "amended"
    assert temp["valueQuantity"]["value"] == 37.9
    assert temp["bodySite"] == {"text": "ear"}
    assert any("was: 37.2 °C (armpit)" in note["text"] for note in temp["note"])


def test_home_question_never_stands_before_or_on_red_advice(cart, monkeypatch):
    """The home question comes after the advice, and not at all when the check is red or amber:
    a person logging a fever at a terminal sees what to do, and is not asked about logistics."""
    assert cart("setup", "--infusion-date", "9 days ago", "--phone", PHONE).code == 0
    monkeypatch.setattr("cart_cli.commands.log._at_terminal", lambda: True)
    red = cart("log", "temp", "38.4", stdin="yesterday\n")
    assert red.code == 0, red
    assert "Are you home" not in red.out
    assert json.loads(cart("setup", "--show", "--json").out)["home_since"] is None
    green = cart("log", "temp", "37.0", stdin="\n")  # the 38.4 is still in the window: red
    assert "Are you home" not in green.out


def test_home_question_comes_after_the_stored_line(cart, monkeypatch):
    assert cart("setup", "--infusion-date", "9 days ago", "--phone", PHONE).code == 0
    monkeypatch.setattr("cart_cli.commands.log._at_terminal", lambda: True)
    out = cart("log", "temp", "37.0", stdin="\n").out
    assert out.index("Stored #") < out.index("Are you home")
