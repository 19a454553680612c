"""The schema, as named migrations (sqlite-utils ``Migrations``) applied in order on open.

Tables a person can read with ``sqlite-utils`` or Datasette:

``entries``  one row per reading or symptom. ``kind`` says which columns are used:
             temp -> celsius; symptom -> symptom, severity, other; fatigue -> score;
             bp -> systolic, diastolic, pulse; fluids -> litres; and, since m003, m006 and m007,
             spo2, pulse, call -> outcome and recheck_minutes (when the team asked for a
             re-check, after the call), med -> medicine, ice -> score and items, handwriting,
             breaths (breaths a minute).
             ``recorded_at`` is when it was taken and ``logged_at`` when it was typed, both
             ISO 8601 in UTC with an explicit ``+00:00`` offset (so text order is time order);
             the program shows them in local time. ``uid`` identifies an entry across
             exports and imports.
``plan``     a single row (id = 1): infusion date, hospital, 24-hour number, thresholds,
             and the settings for reminders (reading gap, nervous-system check, the
             times of day to take a temperature).
``appointments``  the person's own appointments (m004); ``replaces`` names a milestone.
``medicines``     the medicine schedule (m004): name, dose, daily ``times``, ``until``;
                  its pattern (weekdays, every N days or hours) or as-needed limits (m005).

Since m003 the entry ids use ``AUTOINCREMENT``: an id is never used twice, even after a
delete or an undo, so "entry #31" always means the same entry.

``PRAGMA user_version`` mirrors how many migrations have run, so a normal start-up reads
one integer instead of loading sqlite-utils; a database from a newer ``cart`` is refused.
Never edit a migration that has shipped: add a new one.
"""

from __future__ import annotations

import sqlite3

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("cart")


@migrations()
def m001_initial(db: Database) -> None:
    db.execute(
        """
        CREATE TABLE entries (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL CHECK (kind IN ('temp', 'symptom', 'fatigue', 'bp', 'fluids')),
            recorded_at TEXT NOT NULL,
            logged_at TEXT NOT NULL,
            celsius REAL,
            symptom TEXT,
            severity TEXT CHECK (severity IN ('mild', 'moderate', 'severe')),
            other TEXT,
            score INTEGER CHECK (score BETWEEN 0 AND 10),
            systolic INTEGER,
            diastolic INTEGER,
            pulse INTEGER,
            litres REAL,
            note TEXT
        )
        """
    )
    db.execute("CREATE INDEX idx_entries_recorded_at ON entries (recorded_at)")
    db.execute("CREATE INDEX idx_entries_kind_recorded_at ON entries (kind, recorded_at)")
    db.execute(
        """
        CREATE TABLE plan (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            infusion_date TEXT NOT NULL,
            hospital TEXT,
            phone TEXT,
            diagnosis TEXT,
            fever_threshold_c REAL NOT NULL DEFAULT 38.0,
            no_driving_weeks INTEGER NOT NULL DEFAULT 8,
            emergency_number TEXT NOT NULL DEFAULT '999',
            updated_at TEXT NOT NULL
        )
        """
    )


@migrations()
def m002_entry_uid(db: Database) -> None:
    """Give every entry a stable identity so importing the same export twice adds nothing."""
    db.execute("ALTER TABLE entries ADD COLUMN uid TEXT")
    db.execute("UPDATE entries SET uid = lower(hex(randomblob(16))) WHERE uid IS NULL")
    db.execute("CREATE UNIQUE INDEX idx_entries_uid ON entries (uid)")


@migrations()
def m003_more_kinds_and_ids_never_reused(db: Database) -> None:
    """New kinds of entry (spo2, pulse, call, med, ice, handwriting) with their columns;
    ``AUTOINCREMENT`` so an id that was deleted is never given to a new entry; and the
    plan settings for the reading gap and the nervous-system check.

    SQLite cannot change a CHECK constraint or add AUTOINCREMENT in place, so the table is
    rebuilt: created anew, every row copied with its id and uid, the old one dropped.
    """
    db.execute(
        """
        CREATE TABLE entries_new (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            kind TEXT NOT NULL CHECK (kind IN ('temp', 'symptom', 'fatigue', 'bp', 'fluids',
                'spo2', 'pulse', 'call', 'med', 'ice', 'handwriting')),
            recorded_at TEXT NOT NULL,
            logged_at TEXT NOT NULL,
            celsius REAL,
            symptom TEXT,
            severity TEXT CHECK (severity IN ('mild', 'moderate', 'severe')),
            other TEXT,
            score INTEGER CHECK (score BETWEEN 0 AND 10),
            systolic INTEGER,
            diastolic INTEGER,
            pulse INTEGER,
            litres REAL,
            spo2 INTEGER CHECK (spo2 BETWEEN 50 AND 100),
            outcome TEXT,
            medicine TEXT,
            handwriting TEXT CHECK (handwriting IN ('same', 'changed', 'first')),
            items TEXT,
            note TEXT,
            uid TEXT
        )
        """
    )
    old = (
        "id, kind, recorded_at, logged_at, celsius, symptom, severity, other, score, systolic, "
        "diastolic, pulse, litres, note, uid"
    )
    db.execute(f"INSERT INTO entries_new ({old}) SELECT {old} FROM entries")
    # Ids already used (even by entries deleted since) are never handed out again.
    highest = db.execute("SELECT max(id) FROM entries").fetchone()[0]
    db.execute("DROP TABLE entries")
    db.execute("ALTER TABLE entries_new RENAME TO entries")
    if highest is not None:
        db.execute("INSERT INTO sqlite_sequence (name, seq) VALUES ('entries', ?)", [highest])
    db.execute("CREATE INDEX idx_entries_recorded_at ON entries (recorded_at)")
    db.execute("CREATE INDEX idx_entries_kind_recorded_at ON entries (kind, recorded_at)")
    db.execute("CREATE UNIQUE INDEX idx_entries_uid ON entries (uid)")
    db.execute("ALTER TABLE plan ADD COLUMN reading_gap_hours REAL NOT NULL DEFAULT 12.0")
    db.execute("ALTER TABLE plan ADD COLUMN sentence TEXT")
    db.execute("ALTER TABLE plan ADD COLUMN neuro_days INTEGER NOT NULL DEFAULT 28")


@migrations()
def m004_appointments_and_medicines(db: Database) -> None:
    """The person's own schedule (issue 13): appointments, the medicine schedule, and the
    times of day to take a temperature (for the calendar's reminders).

    Times are stored like entries' (UTC, explicit offset); a medicine's ``times`` are
    local wall-clock times (``08:00,20:00``), because a dose at 08:00 stays at 08:00 when
    the clocks change. A stopped medicine keeps its row, so the calendar can end its
    reminders rather than leave them ringing.
    """
    db.execute(
        """
        CREATE TABLE appointments (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            uid TEXT NOT NULL UNIQUE,
            title TEXT NOT NULL,
            starts_at TEXT NOT NULL,
            where_text TEXT,
            note TEXT,
            replaces TEXT,
            created_at TEXT NOT NULL
        )
        """
    )
    db.execute("CREATE INDEX idx_appointments_starts_at ON appointments (starts_at)")
    db.execute(
        """
        CREATE TABLE medicines (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            uid TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL,
            dose TEXT,
            times TEXT NOT NULL,
            until TEXT,
            stopped_at TEXT,
            created_at TEXT NOT NULL
        )
        """
    )
    db.execute("ALTER TABLE plan ADD COLUMN temp_times TEXT NOT NULL DEFAULT '08:00,14:00,20:00'")


@migrations()
def m005_medicine_patterns_and_person_id(db: Database) -> None:
    """Medicines as they are prescribed (issue 20): on some weekdays (``weekdays``:
    ``mon,wed,fri``) or every N days (``every_days``), every N hours (``every_hours``, kept
    to say the schedule in words: its ``times`` are stored as for any medicine), or as
    needed (``as_needed``, then ``times`` is empty) with limits: a minimum gap in minutes,
    doses and mg in 24 hours.

    The plan gains ``person_id``, a random id made once (here for an existing plan, at
    setup otherwise) that makes the calendar's UIDs unique to the person yet stable from one
    file to the next, and ``paracetamol_max_mg``, the day's paracetamol maximum (T23).
    """
    db.execute("ALTER TABLE medicines ADD COLUMN weekdays TEXT")
    db.execute("ALTER TABLE medicines ADD COLUMN every_days INTEGER NOT NULL DEFAULT 1")
    db.execute("ALTER TABLE medicines ADD COLUMN every_hours INTEGER")
    db.execute("ALTER TABLE medicines ADD COLUMN as_needed INTEGER NOT NULL DEFAULT 0")
    db.execute("ALTER TABLE medicines ADD COLUMN min_gap_minutes INTEGER")
    db.execute("ALTER TABLE medicines ADD COLUMN max_per_day INTEGER")
    db.execute("ALTER TABLE medicines ADD COLUMN max_mg INTEGER")
    db.execute("ALTER TABLE plan ADD COLUMN person_id TEXT NOT NULL DEFAULT ''")
    db.execute("UPDATE plan SET person_id = lower(hex(randomblob(16))) WHERE person_id = ''")
    db.execute("ALTER TABLE plan ADD COLUMN paracetamol_max_mg INTEGER NOT NULL DEFAULT 4000")


@migrations()
def m006_call_recheck(db: Database) -> None:
    """When the team asked for a re-check on a call (issue 18): ``recheck_minutes`` after the
    call's ``recorded_at``, or NULL. At most a day later: a re-check is about the same episode."""
    db.execute(
        "ALTER TABLE entries ADD COLUMN recheck_minutes INTEGER CHECK (recheck_minutes BETWEEN 1 AND 1440)"
    )


@migrations()
def m007_breathing_rate(db: Database) -> None:
    """A new kind of entry, ``breaths`` (breathing rate, breaths a minute), in its own column.

    The kind list is a CHECK constraint, which SQLite cannot change in place, so the table is
    rebuilt as m003 did: every row copied with its id and uid, and the id sequence kept, so an
    id that was used (even by a deleted entry) is still never given out again.
    """
    db.execute(
        """
        CREATE TABLE entries_new (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            kind TEXT NOT NULL CHECK (kind IN ('temp', 'symptom', 'fatigue', 'bp', 'fluids',
                'spo2', 'pulse', 'call', 'med', 'ice', 'handwriting', 'breaths')),
            recorded_at TEXT NOT NULL,
            logged_at TEXT NOT NULL,
            celsius REAL,
            symptom TEXT,
            severity TEXT CHECK (severity IN ('mild', 'moderate', 'severe')),
            other TEXT,
            score INTEGER CHECK (score BETWEEN 0 AND 10),
            systolic INTEGER,
            diastolic INTEGER,
            pulse INTEGER,
            litres REAL,
            spo2 INTEGER CHECK (spo2 BETWEEN 50 AND 100),
            outcome TEXT,
            medicine TEXT,
            handwriting TEXT CHECK (handwriting IN ('same', 'changed', 'first')),
            items TEXT,
            note TEXT,
            uid TEXT,
            recheck_minutes INTEGER CHECK (recheck_minutes BETWEEN 1 AND 1440),
            breaths INTEGER CHECK (breaths BETWEEN 0 AND 80)
        )
        """
    )
    old = (
        "id, kind, recorded_at, logged_at, celsius, symptom, severity, other, score, systolic, "
        "diastolic, pulse, litres, spo2, outcome, medicine, handwriting, items, note, uid, recheck_minutes"
    )
    db.execute(f"INSERT INTO entries_new ({old}) SELECT {old} FROM entries")
    row = db.execute("SELECT seq FROM sqlite_sequence WHERE name = 'entries'").fetchone()
    highest = max(row[0] if row else 0, db.execute("SELECT coalesce(max(id), 0) FROM entries").fetchone()[0])
    db.execute("DROP TABLE entries")
    db.execute("ALTER TABLE entries_new RENAME TO entries")
    db.execute("DELETE FROM sqlite_sequence WHERE name IN ('entries', 'entries_new')")
    if highest:
        db.execute("INSERT INTO sqlite_sequence (name, seq) VALUES ('entries', ?)", [highest])
    db.execute("CREATE INDEX idx_entries_recorded_at ON entries (recorded_at)")
    db.execute("CREATE INDEX idx_entries_kind_recorded_at ON entries (kind, recorded_at)")
    db.execute("CREATE UNIQUE INDEX idx_entries_uid ON entries (uid)")


@migrations()
def m008_handover(db: Database) -> None:
    """Issue 22: blood results (a new kind with neutrophils, CRP, platelets, haemoglobin);
    where a temperature was taken (``site``); corrections (``corrected_at`` and ``was``, the
    entry as it was before, as JSON, so `cart undo` can restore it); three plan settings: the
    CAR-T ``product``, the day the person came home (``home_since``) and whether pints and
    cups are UK or US measures (``volume_units``); and ``asked``, when a question cart puts
    at a terminal was last asked, so it is not asked at every log.

    The kind list is a CHECK constraint, so the table is rebuilt as m007 did: every row
    copied with its id and uid, and the id sequence kept.
    """
    db.execute(
        """
        CREATE TABLE entries_new (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            kind TEXT NOT NULL CHECK (kind IN ('temp', 'symptom', 'fatigue', 'bp', 'fluids',
                'spo2', 'pulse', 'call', 'med', 'ice', 'handwriting', 'breaths', 'bloods')),
            recorded_at TEXT NOT NULL,
            logged_at TEXT NOT NULL,
            celsius REAL,
            symptom TEXT,
            severity TEXT CHECK (severity IN ('mild', 'moderate', 'severe')),
            other TEXT,
            score INTEGER CHECK (score BETWEEN 0 AND 10),
            systolic INTEGER,
            diastolic INTEGER,
            pulse INTEGER,
            litres REAL,
            spo2 INTEGER CHECK (spo2 BETWEEN 50 AND 100),
            outcome TEXT,
            medicine TEXT,
            handwriting TEXT CHECK (handwriting IN ('same', 'changed', 'first')),
            items TEXT,
            note TEXT,
            uid TEXT,
            recheck_minutes INTEGER CHECK (recheck_minutes BETWEEN 1 AND 1440),
            breaths INTEGER CHECK (breaths BETWEEN 0 AND 80),
            site TEXT CHECK (site IN ('mouth', 'ear', 'armpit', 'forehead')),
            neutrophils REAL,
            crp REAL,
            platelets REAL,
            hb REAL,
            corrected_at TEXT,
            was TEXT
        )
        """
    )
    old = (
        "id, kind, recorded_at, logged_at, celsius, symptom, severity, other, score, systolic, "
        "diastolic, pulse, litres, spo2, outcome, medicine, handwriting, items, note, uid, recheck_minutes, "
        "breaths"
    )
    db.execute(f"INSERT INTO entries_new ({old}) SELECT {old} FROM entries")
    row = db.execute("SELECT seq FROM sqlite_sequence WHERE name = 'entries'").fetchone()
    highest = max(row[0] if row else 0, db.execute("SELECT coalesce(max(id), 0) FROM entries").fetchone()[0])
    db.execute("DROP TABLE entries")
    db.execute("ALTER TABLE entries_new RENAME TO entries")
    db.execute("DELETE FROM sqlite_sequence WHERE name IN ('entries', 'entries_new')")
    if highest:
        db.execute("INSERT INTO sqlite_sequence (name, seq) VALUES ('entries', ?)", [highest])
    db.execute("CREATE INDEX idx_entries_recorded_at ON entries (recorded_at)")
    db.execute("CREATE INDEX idx_entries_kind_recorded_at ON entries (kind, recorded_at)")
    db.execute("CREATE UNIQUE INDEX idx_entries_uid ON entries (uid)")
    db.execute("ALTER TABLE plan ADD COLUMN product TEXT")
    db.execute("ALTER TABLE plan ADD COLUMN home_since TEXT")
    db.execute("ALTER TABLE plan ADD COLUMN volume_units TEXT NOT NULL DEFAULT 'uk'")
    # When cart last asked a question it should not repeat every time (e.g. "are you home?").
    db.execute("CREATE TABLE asked (question TEXT PRIMARY KEY, asked_on TEXT NOT NULL)")


@migrations()
def m009_answers(db: Database) -> None:
    """Answers to cart's questions (issue 17), kept with what they are about: on a symptom in
    the person's own words, ``concept=yes|no|unsure`` for each sign asked about; on a medicine,
    ``fever_hiding=...`` (does it hold paracetamol, an anti-inflammatory or a steroid)."""
    db.execute("ALTER TABLE entries ADD COLUMN answers TEXT")


def names() -> list[str]:
    """Every migration's name, in order (what an empty database would apply)."""
    return [m.name for m in migrations.pending(Database(memory=True))]


def apply(conn: sqlite3.Connection, stop_before: str | None = None) -> list[str]:
    """Apply pending migrations on ``conn`` (already inside the caller's transaction).

    Returns the names applied. ``stop_before`` exists for tests that build older schemas.
    """
    db = Database(conn)
    before = {m.name for m in migrations.applied(db)}
    migrations.apply(db, stop_before=stop_before)
    return [m.name for m in migrations.applied(db) if m.name not in before]
