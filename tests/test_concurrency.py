"""Several `cart` processes at once, and a process killed in the middle of a write.

The store promises (see the docstring of ``cart_cli.store``): WAL, a busy timeout and short
``BEGIN IMMEDIATE`` transactions, so writers queue instead of failing, and a write is all or
nothing, so a crash never leaves half a transaction behind. These tests use REAL processes
(``python -m cart_cli``, or a child Python that uses ``Store``), never threads in one process,
because the locks that matter are SQLite's file locks between processes.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest
from helpers import REPO, child_env, run_process

from cart_cli import migrations
from cart_cli.store import SCHEMA_VERSION

# Every test here races real processes:
# CI runs them (`pytest -m slow`), so the default run stays fast.
pytestmark = pytest.mark.slow

# A child that waits until an agreed moment, then runs the real `cart` entry point: every
# child has already paid for its imports, so they all reach Store.open within a millisecond
# or two of each other instead of being spread out by interpreter start-up.
GATED_CART = textwrap.dedent(
    """
    import sys, time
    from cart_cli.cli import main
    start_at = float(sys.argv[1])
    time.sleep(max(0.0, start_at - time.time()))
    sys.argv = ["cart", *sys.argv[2:]]
    main()
    """
)


def run_cart(db: Path, *args: str) -> subprocess.CompletedProcess:
    """One real `cart` process on ``db``, as a person would start it."""
    return run_process(*args, db=db)


def start_gated(db: Path, argv_list: list[list[str]], delay_s: float = 1.0) -> list[subprocess.Popen]:
    """Start one gated `cart` per argv; they all begin their command at the same moment."""
    start_at = time.time() + delay_s
    processes = []
    for argv in argv_list:
        command = [sys.executable, "-c", GATED_CART, repr(start_at), *argv]
        processes.append(
            subprocess.Popen(
                command,
                env=child_env(db),
                cwd=REPO,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
        )
    return processes


def finish(processes: list[subprocess.Popen]) -> list[tuple[int, str, str]]:
    """Wait for every process; (exit status, stdout, stderr) of each, in order."""
    results = []
    for process in processes:
        out, err = process.communicate(timeout=60)
        results.append((process.returncode, out, err))
    return results


def ids_and_notes(db: Path) -> list[tuple[int, str]]:
    """Every stored entry's (id, note), in id order (the tests use notes to tell entries apart)."""
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT id, note FROM entries ORDER BY id").fetchall()
    finally:
        conn.close()


def notes_in(db: Path) -> list[str]:
    """Every stored entry's note, in id order."""
    return [note for _id, note in ids_and_notes(db)]


def integrity(db: Path) -> str:
    """SQLite's own check of the whole file: "ok" or a list of problems."""
    conn = sqlite3.connect(db)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()


# -- many writers ---------------------------------------------------------------------------

LANES = 8
LOGS_PER_LANE = 10


def test_eight_processes_logging_ten_entries_each_all_succeed_and_all_are_stored(db_path):
    """8 lanes x 10 real `cart log` processes, started together: all exit 0, all 80 entries stored."""
    first = run_process("log", "fluids", "250ml", "--note", "before the race", db=db_path)
    assert first.returncode == 0, first.stderr
    barrier = threading.Barrier(LANES)
    failures: list[str] = []

    def lane(number: int) -> None:
        barrier.wait()
        for index in range(LOGS_PER_LANE):
            # A distinct value per lane, a distinct note per entry, so each one can be found.
            celsius = f"{36.0 + number / 10:.1f}"
            done = run_process("log", "temp", celsius, "--note", f"lane {number} log {index}", db=db_path)
            if done.returncode != 0 or "Stored #" not in done.stdout or done.stderr:
                failures.append(f"lane {number} log {index}: {done.returncode} {done.stderr!r}")

    threads = [threading.Thread(target=lane, args=(number,)) for number in range(LANES)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    expected = {f"lane {n} log {i}" for n in range(LANES) for i in range(LOGS_PER_LANE)}
    notes = notes_in(db_path)
    assert len(notes) == 1 + LANES * LOGS_PER_LANE
    assert set(notes) == expected | {"before the race"}
    with sqlite3.connect(db_path) as conn:
        temps = conn.execute("SELECT note, celsius FROM entries WHERE kind = 'temp'").fetchall()
    assert all(celsius == pytest.approx(36.0 + int(note.split()[1]) / 10) for note, celsius in temps)
    assert integrity(db_path) == "ok"


@pytest.mark.parametrize("round_number", range(2))
def test_processes_racing_on_a_brand_new_database_all_succeed(tmp_path, round_number):
    """8 processes start the same moment on a file that does not exist yet: one migrates, all store."""
    db = tmp_path / "new" / "cart.db"  # the folder does not exist either
    argv_list = [["log", "temp", "36.8", "--note", f"racer {n}"] for n in range(LANES)]
    results = finish(start_gated(db, argv_list))

    for code, out, err in results:
        assert (code, err) == (0, ""), out
        assert "Stored #" in out
    assert sorted(notes_in(db)) == sorted(f"racer {n}" for n in range(LANES))
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        applied = [row[0] for row in conn.execute("SELECT name FROM _sqlite_migrations ORDER BY id")]
    assert applied == migrations.names()  # each migration ran once, not once per racer
    assert integrity(db) == "ok"
    assert not list(db.parent.glob("*.bak"))  # a new file has nothing to back up


# Opens a brand-new file per round, all racers at the same moment each round, and stores one
# entry; prints a line for any round where Store.open or the write was refused.
STORE_RACER = textwrap.dedent(
    """
    import sys, time
    from datetime import datetime, timezone
    from pathlib import Path
    from cart_cli.errors import CartError
    from cart_cli.models import Entry
    from cart_cli.store import Store

    folder, start_at, rounds, spacing, name = (
        Path(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), sys.argv[5])
    now = datetime(2026, 11, 20, 12, 0, tzinfo=timezone.utc)
    for number in range(rounds):
        time.sleep(max(0.0, start_at + number * spacing - time.time()))
        try:
            with Store.open(folder / f"round {number}" / "cart.db", now=now) as store:
                store.add([Entry(kind="temp", recorded_at=now, celsius=36.6, note=name)], now)
        except CartError as error:
            print(f"round {number}: {error.message}", flush=True)
    """
)
STORE_ROUNDS = 20


def test_store_open_racing_on_brand_new_files_round_after_round_never_refuses(tmp_path):
    """8 processes open 20 brand-new files in step (a tight race each time): no open is refused."""
    start_at = time.time() + 1.0
    racers = [
        subprocess.Popen(
            [sys.executable, "-c", STORE_RACER, str(tmp_path), repr(start_at), str(STORE_ROUNDS), "0.12",
             f"racer {n}"],
            env=child_env(tmp_path / "unused.db"), cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(LANES)
    ]  # fmt: skip
    results = finish(racers)

    assert [(code, out, err) for code, out, err in results if (code, out, err) != (0, "", "")] == []
    for number in range(STORE_ROUNDS):
        db = tmp_path / f"round {number}" / "cart.db"
        assert sorted(notes_in(db)) == sorted(f"racer {n}" for n in range(LANES)), number
        assert integrity(db) == "ok"


def make_schema_1_database(db: Path, notes: list[str]) -> None:
    """A file as the first release wrote it (migration 1 only), holding a few entries."""
    db.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(db, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("BEGIN")
        migrations.apply(conn, stop_before="m002_entry_uid")
        conn.execute("PRAGMA user_version = 1")
        conn.executemany(
            "INSERT INTO entries (kind, recorded_at, logged_at, celsius, note) "
            "VALUES ('temp', '2026-11-01T08:00:00+00:00', '2026-11-01T08:00:00+00:00', 36.9, ?)",
            [(note,) for note in notes],
        )
        conn.execute("COMMIT")
    finally:
        conn.close()


def test_processes_racing_to_upgrade_an_old_database_all_succeed_and_keep_one_backup(tmp_path):
    """8 processes start together on a schema-1 file: all store, old entries kept, one backup made."""
    db = tmp_path / "cart.db"
    old_notes = ["old 1", "old 2", "old 3"]
    make_schema_1_database(db, old_notes)
    argv_list = [["log", "temp", "36.8", "--note", f"racer {n}"] for n in range(LANES)]
    results = finish(start_gated(db, argv_list))

    for code, out, _err in results:
        assert code == 0, _err
        assert "Stored #" in out
    assert sorted(notes_in(db)) == sorted(old_notes + [f"racer {n}" for n in range(LANES)])
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert conn.execute("SELECT count(*) FROM entries WHERE uid IS NULL").fetchone()[0] == 0
    backups = list(tmp_path.glob("cart.db.before-schema-*.bak"))
    assert len(backups) == 1  # the one process that migrated kept the copy; no leftovers
    assert not list(tmp_path.glob(".*.partial"))
    with sqlite3.connect(backups[0]) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
        assert sorted(row[0] for row in conn.execute("SELECT note FROM entries")) == old_notes
    told = [err for _code, _out, err in results if "upgraded" in err]
    assert len(told) == 1 and str(backups[0]) in told[0]  # said once, by the one that did it


# -- killed in the middle of a write ------------------------------------------------------------

ROWS_PER_BATCH = 5

# Commits batches of ROWS_PER_BATCH entries in a loop, printing each batch's ids after commit.
WRITER_LOOP = textwrap.dedent(
    """
    import sys
    from datetime import datetime, timezone
    from pathlib import Path
    from cart_cli.models import Entry
    from cart_cli.store import Store

    now = datetime(2026, 11, 20, 12, 0, tzinfo=timezone.utc)
    rows = int(sys.argv[2])
    store = Store.open(Path(sys.argv[1]), now=now)
    batch = 0
    while True:
        entries = [Entry(kind="temp", recorded_at=now, celsius=36.6, note=f"batch {batch} row {row}")
                   for row in range(rows)]
        stored = store.add(entries, now)
        print(batch, *[entry.id for entry in stored], flush=True)
        batch += 1
    """
)

# Commits one small batch, then starts one big transaction that never finishes: after writing
# enough rows to spill uncommitted pages into the -wal file it says "mid" and waits to be killed.
WRITER_BIG_TRANSACTION = textwrap.dedent(
    """
    import sys, time
    from datetime import datetime, timezone
    from pathlib import Path
    from cart_cli.models import Entry
    from cart_cli.store import Store

    now = datetime(2026, 11, 20, 12, 0, tzinfo=timezone.utc)
    big_rows = int(sys.argv[2])
    store = Store.open(Path(sys.argv[1]), now=now)
    stored = store.add([Entry(kind="fatigue", recorded_at=now, score=3, note=f"committed {n}")
                        for n in range(3)], now)
    print("committed", *[entry.id for entry in stored], flush=True)

    def big_batch():
        for n in range(big_rows):
            yield Entry(kind="temp", recorded_at=now, celsius=36.6, note=f"uncommitted {n} " + "x" * 200)
        print("mid", flush=True)
        time.sleep(120)  # still inside the transaction when the parent kills us

    store.add(big_batch(), now)
    print("finished", flush=True)
    """
)


def start_writer(db: Path, script: str, *args: str) -> subprocess.Popen:
    """A child Python running one of the writer scripts above on ``db``."""
    return subprocess.Popen(
        [sys.executable, "-c", script, str(db), *args],
        env=child_env(db), cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def kill_and_collect(process: subprocess.Popen) -> tuple[list[str], str]:
    """SIGKILL the child, then read every line it managed to print before dying."""
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL
    # Read through the same buffered streams the caller's readline() used: communicate()
    # reads the pipes underneath them and would miss lines readline() had already buffered.
    # The child is dead, so both pipes are at end of file and neither read can block.
    rest = process.stdout.read()
    err = process.stderr.read()
    process.stdout.close()
    process.stderr.close()
    return rest.splitlines(), err


@pytest.mark.parametrize("batches_before_kill", [1, 7, 40])
def test_a_writer_killed_mid_loop_leaves_every_committed_entry_and_no_partial_batch(
    tmp_path, batches_before_kill
):
    """SIGKILL during a loop of commits: file intact, every reported id there, no half batch."""
    db = tmp_path / "cart.db"
    writer = start_writer(db, WRITER_LOOP, str(ROWS_PER_BATCH))
    lines = [writer.stdout.readline()]
    time.sleep(0.3)  # let the child print more, so readline() takes several lines at once
    lines += [writer.stdout.readline() for _ in range(batches_before_kill - 1)]
    assert all(lines), writer.stderr.read() if writer.poll() is not None else "writer stopped printing"
    more, _err = kill_and_collect(writer)
    reported = {int(word) for line in lines + more for word in line.split()[1:]}

    assert integrity(db) == "ok"
    rows = ids_and_notes(db)
    assert reported <= {row_id for row_id, _note in rows}  # nothing committed was lost
    per_batch: dict[str, int] = {}
    for _id, note in rows:
        batch = note.split(" row ")[0]
        per_batch[batch] = per_batch.get(batch, 0) + 1
    assert set(per_batch.values()) == {ROWS_PER_BATCH}  # every batch whole: no partial commit
    # At most one batch can have committed without the child living to report it.
    assert len(reported) <= len(rows) <= len(reported) + ROWS_PER_BATCH
    after = run_process("log", "temp", "36.7", "--note", "after the crash", db=db)
    assert after.returncode == 0, after.stderr
    assert notes_in(db)[-1] == "after the crash"


def test_a_writer_killed_inside_a_big_transaction_leaves_none_of_it_visible(tmp_path):
    """SIGKILL with thousands of uncommitted rows (spilled into the -wal): none visible, rest intact."""
    db = tmp_path / "cart.db"
    writer = start_writer(db, WRITER_BIG_TRANSACTION, "30000")
    committed_line = writer.stdout.readline()
    assert committed_line.startswith("committed"), writer.stderr.read()
    mid_line = writer.stdout.readline()
    assert mid_line == "mid\n", writer.stderr.read()
    wal = db.with_name(db.name + "-wal")
    wal_bytes_mid_transaction = wal.stat().st_size
    more, _err = kill_and_collect(writer)
    assert "finished" not in more
    # The transaction was big enough that SQLite had to write uncommitted pages to the -wal
    # (its page cache is about 2 MB), so recovery really had frames to ignore.
    assert wal_bytes_mid_transaction > 2_000_000

    committed_ids = {int(word) for word in committed_line.split()[1:]}
    assert integrity(db) == "ok"
    rows = ids_and_notes(db)
    assert {row_id for row_id, _note in rows} == committed_ids
    assert [note for _id, note in rows] == ["committed 0", "committed 1", "committed 2"]
    history = run_process("history", "--json", db=db)
    assert history.returncode == 0, history.stderr
    assert "uncommitted" not in history.stdout


# -- read-modify-write races (issue 9, items 1-3) -----------------------------------------


@pytest.mark.parametrize("round_number", range(4))
def test_two_setups_at_once_changing_different_settings_both_keep_their_change(tmp_path, round_number):
    """`setup --phone` and `setup --fever-threshold` started at the same moment: both changes
    are in the plan afterwards (the plan is read and written in one transaction)."""
    db = tmp_path / "cart.db"
    first = run_cart(db, "setup", "--infusion-date", "2026-11-03", "--phone", "01234 000000")
    assert first.returncode == 0, first.stderr
    phone = f"07700 90000{round_number}"
    results = finish(start_gated(db, [["setup", "--phone", phone], ["setup", "--fever-threshold", "37.5"]]))
    assert [code for code, _out, _err in results] == [0, 0], results
    with sqlite3.connect(db) as conn:
        saved = conn.execute("SELECT phone, fever_threshold_c FROM plan").fetchall()
    conn.close()
    assert saved == [(phone, 37.5)]


def _read_until(fd: int, wanted: str, timeout_s: float = 30.0) -> str:
    """Read a pty until ``wanted`` appears (or the child closes it); return all that was read."""
    import select

    seen = b""
    deadline = time.monotonic() + timeout_s
    while wanted.encode() not in seen and time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(fd, 4096)
            except OSError:  # the child has gone: the pty is closed
                break
            if not chunk:
                break
            seen += chunk
    return seen.decode("utf-8", "replace")


def test_a_delete_waiting_at_its_prompt_never_removes_an_entry_that_took_the_shown_id(tmp_path):
    """`cart delete 1` waits for its answer at a real terminal; meanwhile #1 is undone and a
    file importing a fever with id 1 is loaded into the now empty database. Answering yes
    must not remove the fever: delete removes the entry it showed (by uid) or nothing."""
    import pty

    db = tmp_path / "cart.db"
    assert run_cart(db, "log", "fatigue", "3", "--note", "the one shown").returncode == 0
    fever_file = tmp_path / "fever.json"
    fever = {
        "id": 1, "uid": "f" * 32, "kind": "temp", "celsius": 39.0, "note": "the fever",
        "recorded_at": "2026-11-20T10:00:00+00:00",
    }  # fmt: skip
    fever_file.write_text(
        json.dumps({"format": "cart-export", "version": 1, "plan": None, "entries": [fever]})
    )

    controller, terminal = pty.openpty()
    deleting = subprocess.Popen(
        [sys.executable, "-m", "cart_cli", "delete", "1"],
        env=child_env(db), cwd=REPO, stdin=terminal, stdout=terminal, stderr=terminal,
    )  # fmt: skip
    os.close(terminal)
    try:
        prompt = _read_until(controller, "[y/N]")
        assert "fatigue 3/10" in prompt, prompt
        undone = run_cart(db, "undo", "--yes")
        assert undone.returncode == 0, undone.stderr
        imported = run_cart(db, "import", str(fever_file))
        assert imported.returncode == 0, imported.stderr
        os.write(controller, b"y\n")
        answer = _read_until(controller, "\x00never")  # everything until the child ends
        assert deleting.wait(timeout=30) == 1, answer
    finally:
        if deleting.poll() is None:
            deleting.kill()
        os.close(controller)
    assert notes_in(db) == ["the fever"]  # the fever is still there
    assert "removed by something else" in answer and "nothing was removed" in answer


# -- never overwrite, even in a race (issue 9, item 10) ---------------------------------------


def test_ten_exports_to_the_same_new_file_at_once_exactly_one_writes_it(db_path, tmp_path):
    """Ten `cart export --output same.json` at the same moment, no --force: one succeeds, nine
    are refused with "already exists", and the file is one whole export."""
    assert run_cart(db_path, "log", "temp", "36.9").returncode == 0
    target = tmp_path / "same.json"
    results = finish(start_gated(db_path, [["export", "--output", str(target)]] * 10))
    codes = sorted(code for code, _out, _err in results)
    assert codes == [0] + [2] * 9, results
    assert sum("already exists" in err for _code, _out, err in results) == 9
    assert json.loads(target.read_text())["format"] == "cart-export"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".same")] == []  # no partial left


def test_ten_backups_in_the_same_second_make_ten_distinct_files(db_path):
    """Ten plain `cart backup` at once: ten "Saved" lines naming ten different files, all there."""
    assert run_cart(db_path, "log", "temp", "36.9").returncode == 0
    results = finish(start_gated(db_path, [["backup"]] * 10))
    assert [code for code, _out, _err in results] == [0] * 10, results
    reported = {out.strip().rsplit(" to ", 1)[1] for _code, out, _err in results}
    assert len(reported) == 10
    for name in reported:
        with sqlite3.connect(f"file:{name}?mode=ro", uri=True) as copy:
            assert copy.execute("SELECT count(*) FROM entries").fetchone()[0] == 1
        copy.close()
    assert len(list(db_path.parent.glob("cart-backup-*.db"))) == 10
