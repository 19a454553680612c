"""No writer of a file ever writes over the database, the files SQLite keeps beside it, or
a backup (issue 19 item 3): `report`, `export` (every format), `calendar` and `backup`,
each with --force, through the real CLI. One check does it (files.refuse_database_files)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from cart_cli.exporters import EXPORT_FORMATS

WRITERS = {
    "report": ["report", "--output", "{}", "--force"],
    **{
        f"export {name}": ["export", "--format", name, "--output", "{}", "--force"] for name in EXPORT_FORMATS
    },
    "calendar": ["calendar", "--output", "{}", "--force"],
    "backup": ["backup", "{}", "--force"],
}
TARGETS = ["database", "-wal", "-shm", "-journal", "backup file", "other database"]


def make_target(cart, db_path: Path, tmp_path: Path, which: str) -> Path:
    if which == "database":
        return db_path
    if which.startswith("-"):
        return db_path.with_name(db_path.name + which)
    if which == "backup file":
        target = tmp_path / "copy.db"
        assert cart("backup", str(target)).code == 0
        return target
    target = tmp_path / "photos.sqlite"
    with sqlite3.connect(target) as conn:
        conn.execute("CREATE TABLE photos (name TEXT)")
    conn.close()
    return target


@pytest.mark.parametrize("which", TARGETS)
@pytest.mark.parametrize("writer", sorted(WRITERS))
def test_no_writer_replaces_the_database_its_files_or_a_backup(cart, db_path, tmp_path, writer, which):
    """Refused in one line (exit 2), the file untouched and the database still whole; only
    `backup --force` may replace an older copy (that is what it is for)."""
    assert cart("setup", "--infusion-date", "2026-11-20", "--phone", "0123 456 789").code == 0
    assert cart("log", "temp", "37.2").code == 0
    target = make_target(cart, db_path, tmp_path, which)
    before = target.read_bytes() if target.exists() else None
    result = cart(*[part.format(target) for part in WRITERS[writer]])
    if writer == "backup" and which in ("backup file", "other database"):
        assert result.code == 0, result
    else:
        assert result.code == 2 and "database" in result.err and result.err.count("\n") == 1, result
        assert (target.read_bytes() if target.exists() else None) == before
    history = cart("history", "--json")
    assert history.code == 0 and "37.2" in history.out, history
