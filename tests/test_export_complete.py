"""A JSON export holds everything of the person's (issue 19 items 1 and 2): the entries,
every field of the plan, the appointments and the medicine schedule; `cart import` puts all
of it back, and importing a file into the database it came from changes and "differs" nothing."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import fields, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from cart_cli import exporters, transfer
from cart_cli.import_checks import plan_checks
from cart_cli.models import Plan
from cart_cli.store import SCHEDULE_TABLES, Store

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 12, 5, 13, 0, tzinfo=LONDON)
FIXTURE_V1 = Path(__file__).parent / "fixtures" / "export-v1.json"

# A value for every field of the plan that is NOT its default (infusion_date has none).
# A field added to Plan without a row here fails test_every_plan_field_has_a_sample_and_a_check.
PLAN_SAMPLES: dict[str, object] = {
    "infusion_date": date(2026, 11, 20),
    "hospital": "Ward 7, St Elsewhere",
    "phone": "020 7946 0000",
    "diagnosis": "myeloma",
    "fever_threshold_c": 37.6,
    "no_driving_weeks": 10,
    "emergency_number": "112",
    "reading_gap_hours": 6.5,
    "sentence": "The quick brown fox",
    "neuro_days": 30,
    "temp_times": "07:30,19:30",
    "product": "tisagenlecleucel",
    "home_since": date(2026, 12, 2),
    "volume_units": "us",
    "paracetamol_max_mg": 3000,
    "person_id": "0123456789abcdef" * 2,
}

# `cart setup` options for the same plan (what a person would type).
SETUP = [
    "setup", "--infusion-date", "2026-11-20", "--hospital", "Ward 7, St Elsewhere",
    "--phone", "020 7946 0000", "--diagnosis", "myeloma", "--fever-threshold", "37.6",
    "--no-driving-weeks", "10", "--emergency-number", "112", "--reading-gap", "6.5",
    "--sentence", "The quick brown fox", "--neuro-days", "30", "--temp-times", "07:30,19:30",
    "--product", "Kymriah", "--home-since", "2026-12-02", "--volume-units", "us",
    "--paracetamol-max", "3g",
]  # fmt: skip


def test_every_plan_field_has_a_sample_and_a_check():
    """Walk Plan's fields: each has a sample above that differs from its default, and the
    import checks it (a new field cannot be forgotten by the export or the import)."""
    names = [f.name for f in fields(Plan)]
    assert sorted(PLAN_SAMPLES) == sorted(names)
    default = Plan(infusion_date=date(2000, 1, 1))
    for name in names:
        assert getattr(default, name) != PLAN_SAMPLES[name], name
    assert sorted(plan_checks()) == sorted(names)


def test_every_plan_field_survives_export_and_import(tmp_path):
    """The plan with every field changed comes back equal from a new database, and
    importing it again says "same"."""
    plan = Plan(**PLAN_SAMPLES)  # type: ignore[arg-type]
    path = tmp_path / "export.json"
    with Store.open(tmp_path / "first.db", now=NOW) as first:
        first.save_plan(plan, NOW)
        with path.open("w", encoding="utf-8") as out:
            exporters.export_json(first, out, NOW)
        assert transfer.import_entries(first, path, NOW).plan == "same"
    with Store.open(tmp_path / "second.db", now=NOW) as second:
        assert transfer.import_entries(second, path, NOW).plan == "added"
        assert second.plan() == plan
        assert second.plan().person_id == plan.person_id  # type: ignore[union-attr]  # not compared by ==
        assert transfer.import_entries(second, path, NOW).plan == "same"


# person_id is not a setting (Plan compares without it): a plan differing only there is the same
@pytest.mark.parametrize("name", [n for n in PLAN_SAMPLES if n not in ("infusion_date", "person_id")])
@pytest.mark.parametrize("replace_plan", [False, True])
def test_a_plan_differing_in_any_one_field_is_kept_or_replaced(tmp_path, name, replace_plan):
    """A plan that differs in one field only (reading gap, temperature times...) is seen as
    different: kept without --replace-plan, replaced with it."""
    theirs = Plan(**PLAN_SAMPLES)  # type: ignore[arg-type]
    ours = replace(theirs, **{name: getattr(Plan(infusion_date=date(2026, 11, 20)), name)})
    path = tmp_path / "export.json"
    with Store.open(tmp_path / "theirs.db", now=NOW) as store:
        store.save_plan(theirs, NOW)
        with path.open("w", encoding="utf-8") as out:
            exporters.export_json(store, out, NOW)
    with Store.open(tmp_path / "ours.db", now=NOW) as store:
        store.save_plan(ours, NOW)
        result = transfer.import_entries(store, path, NOW, replace_plan=replace_plan)
        assert result.plan == ("replaced" if replace_plan else "kept")
        assert store.plan() == (theirs if replace_plan else ours)


def fill(cart) -> None:
    assert cart(*SETUP, "--yes").code == 0
    assert cart("log", "temp", "37.1", "--at", "20h ago").code == 0
    assert cart("appt", "add", "bloods", "20 Dec 10:30", "--where", "Day unit", "--note", "fasting").code == 0
    assert cart("appt", "add", "scan", "22 Dec 09:00", "--replaces", "first_checkup").code == 0
    assert cart("med", "add", "aciclovir", "--dose", "400 mg", "--times", "08:00,20:00").code == 0
    assert cart("med", "add", "co-trimoxazole", "--times", "09:00", "--until", "2027-03-01").code == 0
    assert cart("med", "add", "fluconazole", "--times", "10:00").code == 0
    assert cart("med", "stop", "fluconazole").code == 0


def views(cart, db: str) -> dict[str, object]:
    """What the person sees of their plan and schedule, and what the check says."""

    def shown(*args: str) -> object:
        result = cart("--db", db, *args)
        assert result.code == 0, result
        return json.loads(result.out)

    def without_ids(rows: object) -> object:
        assert isinstance(rows, list)
        return [{k: v for k, v in row.items() if k != "id"} for row in rows]

    return {
        "plan": shown("setup", "--show", "--json"),
        "appointments": without_ids(shown("appt", "list", "--json")),
        "medicines": without_ids(shown("med", "list", "--json")),
        "check": cart("--db", db, "check").code,
        "calendar": [
            line
            for line in cart("--db", db, "calendar").out.splitlines()
            if not line.startswith(("DTSTAMP", "UID:cart-temp", "UID:cart-milestone"))
        ],
    }


def test_cli_round_trip_restores_plan_appointments_and_medicines(cart, tmp_path, db_path):
    """Export, import into a new database: the plan (every field), the appointments, the
    medicine schedule (a stopped medicine too), the check's answer and the calendar are
    the same; importing back into the first database adds nothing and says the plan is the same."""
    fill(cart)
    path = tmp_path / "everything.json"
    assert cart("export", "--output", str(path)).code == 0
    other = str(tmp_path / "restored.db")
    result = cart("--db", other, "import", str(path))
    assert result.code == 0 and "Added 2 appointments and 3 medicines" in result.out, result
    assert views(cart, other) == views(cart, str(db_path))

    again = cart("import", str(path))
    assert again.code == 0, again
    assert "Imported 0 entries" in again.out and "Added 0 appointments and 0 medicines" in again.out
    assert "differs" not in again.out and "same as your saved plan" in again.out


def test_an_export_of_the_current_format_version_1_still_imports(cart, db_path):
    """A version-1 export (kept in tests/fixtures) imports: its entries and every plan field
    it holds (the reading gap and temperature times included); it has no schedule."""
    data = json.loads(FIXTURE_V1.read_text(encoding="utf-8"))
    assert data["version"] == 1 and "appointments" not in data
    result = cart("import", str(FIXTURE_V1))
    assert result.code == 0 and f"Imported {len(data['entries'])} entries" in result.out, result
    plan = json.loads(cart("setup", "--show", "--json").out)
    for name, value in data["plan"].items():
        assert plan[name] == value, name
    assert json.loads(cart("appt", "list", "--json").out) == []


def test_the_export_says_its_version_and_holds_every_table(cart, tmp_path):
    """The JSON export is version 2, with the appointments and medicines lists."""
    fill(cart)
    data = json.loads(cart("export").out)
    assert data["version"] == exporters.EXPORT_VERSION == 2
    assert [len(data[table]) for table in SCHEDULE_TABLES] == [2, 3]
    assert all("id" not in row for table in SCHEDULE_TABLES for row in data[table])


BAD_ROWS = [
    ("appointments", {"title": None}, "appointments 1: title is missing"),
    ("appointments", {"starts_at": "2026-12-20 10:30"}, "has no UTC offset"),
    ("appointments", {"colour": "red"}, '"colour" is not a column'),
    ("appointments", {"title": "x" * 500}, "title is longer than"),
    ("appointments", {"uid": "../../etc"}, "uid"),
    ("medicines", {"times": "25:00"}, "medicines 1:"),
    ("medicines", {"until": "someday"}, "until must be a date"),
    ("medicines", {"name": "aciclovir\u001b[2J"}, "control character"),
]


@pytest.mark.parametrize(("table", "change", "message"), BAD_ROWS)
def test_a_bad_appointment_or_medicine_refuses_the_whole_file(cart, tmp_path, table, change, message):
    """One bad row of the schedule refuses the file whole, naming the row and the problem."""
    fill(cart)
    data = json.loads(cart("export").out)
    data[table][0].update(change)
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    other = tmp_path / "other.db"
    result = cart("--db", str(other), "import", str(path))
    assert result.code == 2 and message in result.err and "Nothing was imported" in result.err, result
    assert not other.exists()


def test_a_uid_twice_in_the_schedule_is_refused(cart, tmp_path):
    fill(cart)
    data = json.loads(cart("export").out)
    data["medicines"][1]["uid"] = data["medicines"][0]["uid"]
    path = tmp_path / "twice.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    result = cart("--db", str(tmp_path / "other.db"), "import", str(path))
    assert result.code == 2 and "medicines 2: uid" in result.err and "also used by medicines 1" in result.err


def test_a_column_added_by_a_later_migration_round_trips_without_more_code(tmp_path):
    """The schedule is exported and imported column by column from the table itself: a new
    column (as a migration would add) comes back with its value."""
    path = tmp_path / "export.json"
    dbs = [tmp_path / "first.db", tmp_path / "second.db"]
    for db in dbs:
        Store.open(db, now=NOW).close()
        with sqlite3.connect(db) as conn:
            conn.execute("ALTER TABLE medicines ADD COLUMN refills INTEGER NOT NULL DEFAULT 1")
            conn.execute("ALTER TABLE appointments ADD COLUMN room TEXT")
    with sqlite3.connect(dbs[0]) as conn:
        conn.execute(
            "INSERT INTO medicines (uid, name, times, created_at, refills) "
            "VALUES ('m1', 'aciclovir', '08:00', '2026-12-01T08:00:00+00:00', 2)"
        )
        conn.execute(
            "INSERT INTO appointments (uid, title, starts_at, created_at, room) "
            "VALUES ('a1', 'bloods', '2026-12-20T10:30:00+00:00', '2026-12-01T08:00:00+00:00', 'B12')"
        )
    with Store.open(dbs[0], now=NOW) as first, path.open("w", encoding="utf-8") as out:
        exporters.export_json(first, out, NOW)
    with Store.open(dbs[1], now=NOW) as second:
        result = transfer.import_entries(second, path, NOW)
        assert (result.appointments, result.medicines) == (1, 1)
        assert second.table_rows("medicines")[0]["refills"] == 2
        assert second.table_rows("appointments")[0]["room"] == "B12"


# -- item 4: a device whose clock was fast --------------------------------------------------


@pytest.mark.parametrize(
    ("ahead", "imported"),
    [
        (timedelta(hours=3), True),  # the phone, 3 hours fast
        (timedelta(hours=24), True),  # the limit itself
        (timedelta(hours=24, minutes=1), False),  # beyond: refused whole
    ],
)
def test_entries_up_to_a_day_ahead_are_imported_flagged_and_counted_as_now(cart, tmp_path, ahead, imported):
    """A fever from a phone whose clock was fast reaches the check (red, exit 2) and the
    import says how many entries are ahead; further than 24 hours ahead nothing is imported."""
    now = datetime.now().astimezone()
    data = {
        "format": "cart-export",
        "version": 2,
        "plan": {"infusion_date": (now.date() - timedelta(days=10)).isoformat(), "phone": "0123 456 789"},
        "entries": [
            {
                "uid": "a" * 32,
                "kind": "temp",
                "recorded_at": (now - timedelta(hours=1)).isoformat(),
                "celsius": 36.8,
            },
            {"uid": "b" * 32, "kind": "temp", "recorded_at": (now + ahead).isoformat(), "celsius": 38.6},
        ],
    }
    path = tmp_path / "fast-phone.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    result = cart("import", str(path))
    if not imported:
        assert result.code == 2 and "entry 2" in result.err and "more than 24 hours after now" in result.err
        assert "Nothing was imported" in result.err
        return
    assert result.code == 0 and "1 entry is dated after now" in result.out, result
    check = cart("check")
    assert check.code == 2 and "38.6" in check.out, check


def test_a_medicine_already_on_the_schedule_is_not_doubled_by_an_import(cart, tmp_path):
    """The file's aciclovir (another uid, other times) meets the aciclovir on this schedule:
    the one here is kept as it is, the schedule holds it once; a new medicine is added."""
    other = str(tmp_path / "other.db")
    assert cart("--db", other, "setup", "--infusion-date", "2026-11-20").code == 0
    assert cart("--db", other, "med", "add", "Aciclovir", "--times", "09:00").code == 0
    assert cart("--db", other, "med", "add", "fluconazole", "--times", "10:00").code == 0
    path = tmp_path / "other.json"
    assert cart("--db", other, "export", "--output", str(path)).code == 0
    assert cart("setup", "--infusion-date", "2026-11-20").code == 0
    assert cart("med", "add", "aciclovir", "--times", "08:00,20:00").code == 0
    result = cart("import", str(path))
    assert result.code == 0 and "Added 0 appointments and 1 medicine" in result.out, result
    medicines = json.loads(cart("med", "list", "--json").out)
    assert sorted((m["name"], tuple(m["times"])) for m in medicines) == [
        ("aciclovir", ("08:00", "20:00")),
        ("fluconazole", ("10:00",)),
    ]
