"""A full disk (issue 19 item 10): a backup onto it leaves nothing behind (no hidden
.partial-journal, -wal or -shm), the sweep removes what a killed cart left, and `log` says
"the disk is full" rather than "disk I/O error".

A real full disk: a small tmpfs mounted in a private mount namespace of the child
(`unshare --mount --map-root-user`, no root needed where user namespaces are allowed; nothing
is mounted outside the child). Where that is not allowed, the same failure is injected."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cart_cli.store import Store

UNSHARE = shutil.which("unshare")


def run_on_full_disk(script: str, env: dict[str, str]) -> subprocess.CompletedProcess[str] | None:
    """Run ``script`` (sh) in a private mount namespace; None where that is not allowed."""
    if UNSHARE is None:
        return None
    probe = subprocess.run([UNSHARE, "--mount", "--map-root-user", "true"], capture_output=True)
    if probe.returncode != 0:
        return None
    return subprocess.run(
        [UNSHARE, "--mount", "--map-root-user", "sh", "-c", script],
        capture_output=True,
        text=True,
        env={**os.environ, **env, "PYTHONPATH": str(Path(__file__).resolve().parents[1])},
        timeout=120,
    )


def test_a_backup_onto_a_full_disk_says_so_and_leaves_nothing(cart, db_path, tmp_path, monkeypatch):
    """Backups onto disks of several sizes around the database's size: each fails with
    "the disk is full" and leaves the folder empty."""
    assert cart("setup", "--infusion-date", "2026-11-20").code == 0
    for n in range(40):
        assert cart("log", "fatigue", str(n % 10), "--note", "x" * 900).code == 0
    size_kb = db_path.stat().st_size // 1024
    full = tmp_path / "stick"
    full.mkdir()
    script = (
        'mount -t tmpfs -o size="$SIZE"k tmpfs "$FULL" || exit 99\n'
        '"$PY" -m cart_cli backup "$FULL/"; echo "rc=$?"\n'
        'ls -A "$FULL"\n'
    )
    tried = 0
    namespaces = True
    for size in range(max(8, size_kb - 16), size_kb + 48, 8):
        env = {"SIZE": str(size), "FULL": str(full), "PY": sys.executable, "CART_DB": str(db_path)}
        done = run_on_full_disk(script, env)
        if done is None:
            namespaces = False
            break
        assert done.returncode == 0, done
        if "rc=0" in done.stdout:  # room enough: the backup alone is there
            assert [line for line in done.stdout.splitlines() if not line.startswith("Saved")] == [
                "rc=0",
                f"cart-backup-{done.stdout.split('cart-backup-')[1].split('.db')[0]}.db",
            ], done
            continue
        assert done.stdout.splitlines() == ["rc=1"], (size, done)  # nothing listed after it
        assert "the disk is full" in done.stderr and done.stderr.count("\n") == 1, (size, done)
        tried += 1
    if namespaces:
        assert tried >= 3  # sizes from too small for anything to nearly enough
        return
    # No mount namespace here: SQLite's failure half-way is injected instead.
    real_backup = sqlite3.Connection.backup

    def fails_half_way(self: Store, target: Path, **options: object) -> Path:
        class HalfWritten:
            def __init__(self, conn: sqlite3.Connection) -> None:
                self.conn = conn

            def backup(self, copy: sqlite3.Connection) -> None:
                copy.execute("PRAGMA journal_mode = WAL")
                copy.execute("CREATE TABLE t (x)")  # the -wal and -shm files now exist
                raise sqlite3.OperationalError("disk I/O error")

        self.conn = HalfWritten(self.conn)  # type: ignore[assignment]
        try:
            return real_backup_to(self, target, **options)  # type: ignore[arg-type]
        finally:
            self.conn = self.conn.conn  # type: ignore[attr-defined]

    assert real_backup is not None
    real_backup_to = Store.backup_to
    monkeypatch.setattr(Store, "backup_to", fails_half_way)
    monkeypatch.setattr(shutil, "disk_usage", lambda path: shutil._ntuple_diskusage(1000, 1000, 0))  # type: ignore[attr-defined]
    result = cart("backup", str(full))
    assert result.code == 1 and "the disk is full" in result.err, result
    assert list(full.iterdir()) == []


def test_log_on_a_full_disk_says_the_disk_is_full(tmp_path, monkeypatch, cart, db_path):
    """`cart log` when the database's disk is full: one line, "the disk is full", exit 1."""
    full = tmp_path / "full"
    full.mkdir()
    script = (
        'mount -t tmpfs -o size=512k tmpfs "$FULL" || exit 99\n'
        'export CART_DB="$FULL/cart.db"\n'
        '"$PY" -m cart_cli log temp 37.0 > /dev/null || exit 98\n'
        'dd if=/dev/zero of="$FULL/filler" bs=4k 2> /dev/null\n'
        'for n in 1 2 3 4 5 6 7 8; do "$PY" -m cart_cli log temp 37.2 --note "$NOTE" || echo "rc=$?"; done\n'
    )
    env = {"FULL": str(full), "PY": sys.executable, "NOTE": "y" * 1000}
    done = run_on_full_disk(script, env)
    if done is not None:
        assert done.returncode == 0, done
        assert "rc=1" in done.stdout, done  # at least one write met the full disk
        lines = done.stderr.splitlines()
        assert lines and all("the disk is full" in line for line in lines), done
        assert "disk I/O error" not in done.stderr
        return
    # No mount namespace here: the write's failure is injected.
    assert cart("log", "temp", "37.0").code == 0
    real_add = Store.add

    def add_on_full_disk(self: Store, entries: object, now: object) -> object:
        with self._write():
            raise sqlite3.OperationalError("disk I/O error")
        return real_add  # pragma: no cover

    monkeypatch.setattr(Store, "add", add_on_full_disk)
    monkeypatch.setattr(shutil, "disk_usage", lambda path: shutil._ntuple_diskusage(1000, 1000, 0))  # type: ignore[attr-defined]
    result = cart("log", "temp", "37.2")
    assert result.code == 1 and "the disk is full" in result.err and result.err.count("\n") == 1, result


@pytest.mark.parametrize("suffix", ["", "-journal", "-wal", "-shm"])
def test_the_sweep_removes_stale_partial_files_and_their_sqlite_files(cart, tmp_path, suffix):
    """What a killed backup left (an hour old or more) is removed by the next write there;
    a young one (another cart may be writing it) and other people's names are kept."""
    assert cart("log", "temp", "37.0").code == 0
    folder = tmp_path / "backups"
    folder.mkdir()
    stale = folder / f".cart-backup-20261205-101010.db.ab3_xk9q.partial{suffix}"
    young = folder / f".cart-backup-20261205-101011.db.zz3_xk9q.partial{suffix}"
    other = folder / f"notes.partial{suffix}"
    for path in (stale, young, other):
        path.write_bytes(b"x")
    hours_ago = time.time() - 2 * 3600
    os.utime(stale, (hours_ago, hours_ago))
    os.utime(other, (hours_ago, hours_ago))
    assert cart("backup", str(folder)).code == 0
    assert not stale.exists() and young.exists() and other.exists()
