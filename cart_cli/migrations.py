"""The schema, as named migrations (sqlite-utils ``Migrations``) applied in order on open.

Tables a person can read with ``sqlite-utils`` or Datasette:

``entries``  one row per reading or symptom. ``kind`` says which columns are used:
             temp -> celsius; symptom -> symptom, severity, other; fatigue -> score;
             bp -> systolic, diastolic, pulse; fluids -> litres.
             ``recorded_at`` is when it was taken and ``logged_at`` when it was typed, both
             ISO 8601 in UTC with an explicit ``+00:00`` offset (so text order is time order);
             the program shows them in local time. ``uid`` identifies an entry across
             exports and imports.
``plan``     a single row (id = 1): infusion date, hospital, 24-hour number, thresholds.

``PRAGMA user_version`` mirrors how many migrations have run, so a normal start-up reads
one integer instead of loading sqlite-utils; a database from a newer ``cart`` is refused.
Never edit a migration that has shipped: add a new one.
"""

from __future__ import annotations

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


def names() -> list[str]:
    """Every migration's name, in order (what an empty database would apply)."""
    return [m.name for m in migrations.pending(Database(memory=True))]


def apply(conn, stop_before: str | None = None) -> list[str]:
    """Apply pending migrations on ``conn`` (already inside the caller's transaction).

    Returns the names applied. ``stop_before`` exists for tests that build older schemas.
    """
    db = Database(conn)
    before = {m.name for m in migrations.applied(db)}
    migrations.apply(db, stop_before=stop_before)
    return [m.name for m in migrations.applied(db) if m.name not in before]
