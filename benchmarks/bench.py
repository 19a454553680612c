"""How fast `cart` answers, measured against floors built here, and whether long work stays bounded.

Run from the repository root with the virtual environment's Python:

    python benchmarks/bench.py              # 100 and 1,000,000 entries, 15 pairs a command
    python benchmarks/bench.py --quick      # 100 and 10,000 entries, 5 pairs: about a minute
    python benchmarks/bench.py --pairs 25 --entries 200000

What it measures, and the targets (issue 23):

1. Start-up, against two floors this script writes and runs itself: F1, a minimal Typer app
   that opens an SQLite file (WAL, synchronous=FULL) and inserts one row; F2, F1 that also
   prints a small table with rich.console. Each command is run in interleaved pairs with its
   floor (at least 15 pairs; the order within a pair alternates), and gated on the median of
   the pairs' CPU-time ratios (user + system, from the kernel's accounting of each child), so
   a busy machine slows both runs of a pair alike and does not flip the result. Wall time is
   reported too. Targets: `cart log` <= 1.25x F1 (a log whose check screen is drawn, as
   for an emergency phrase, <= 1.25x F2: only F2 prints with Rich); `cart --help` <= 1.0x F1; check, timeline,
   history, the dashboard, chart and calendar <= 1.1x F2; `cart report` <= 1.3x F2.
2. The same commands against a database of 1,000,000 entries, paired with the run at 100:
   within 1.2x (the queries use indexes, so history size should not matter), and
   `cart report --days 365` within 2x (beyond 90 days the report reads per-day aggregates).
3. Long work at 1,000,000 entries, each the CPU time and peak RSS of its own process: exports
   (CSV <= 3 s; FHIR <= 10 s, < 50 MB; JSON measured), `cart history --limit 100000` (<= 5 s),
   import into a new database (<= 21 s) and into one that already has entries (<= 20 s,
   < 100 MB), and the round trip export -> import -> export. Peak memory under 150 MB throughout.
4. EXPLAIN QUERY PLAN of the queries those commands run, taken from the store itself: none
   may scan the entries table or sort it.
5. `cart serve` (issue 21) at 100 and 1,000,000 entries through a real HTTP client
   (http.client): the home page and a logged reading (the post and the verdict page it leads
   to) each under 50 ms (median), and the home page with its style sheet under 100 KB.

Every cart process and floor runs with a private HOME and an explicit CART_DB, and with its
bytecode cached (PYTHONPYCACHEPREFIX, in the temporary folder) as an installed program's is,
even where PYTHONDONTWRITEBYTECODE is set. The databases: the schema comes from
``Store.open`` (so it is exactly what cart creates), the rows are inserted directly with
sqlite3 in one transaction, to build a million rows in seconds. The newest 100 entries are the
same in both databases: about a fortnight of realistic logging (3 temperatures a day,
fatigue, blood pressure, fluids, a symptom every few days) up to an hour ago, with a plan
whose infusion was 20 days ago. The big database adds the older history before them: the
same mix of kinds spread over the previous 12 years (denser than one person would type, to
reach the size). No ANALYZE is run: a real user's file has no statistics either. Everything
lives in a temporary folder removed at the end; your own data is never touched. Only the
standard library and cart itself are used (the floors use Typer and Rich, cart's own
dependencies).

To add a measurement: a start-up command is one more ``Command`` line in ``COMMANDS``; other
work is a function returning ``Row``s, called from ``main`` (see ``measure_transfer``).
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import re
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # this checkout's cart, installed or not (children: PYTHONPATH)

from cart_cli.models import Plan  # noqa: E402
from cart_cli.store import Store, to_db_time  # noqa: E402

SCALE_TARGET = 1.2  # at the big size, at most this many times the CPU time at the small size
REPORT_YEAR_SCALE_TARGET = 2.0  # `cart report --days 365`: big / small
EXPORT_RSS_TARGET_MB = 150
SMALL_ENTRIES = 100
RECENT_ENTRIES = SMALL_ENTRIES  # the newest entries, identical in both databases
HISTORY_YEARS = 12
SEED = 20261120  # fixed, so every run builds the same data

# -- the floors -------------------------------------------------------------------------------

F1_SOURCE = """
import os, sqlite3
import typer

app = typer.Typer(add_completion=False)


@app.command()
def log(kind: str, value: float) -> None:
    conn = sqlite3.connect(os.environ["FLOOR_DB"], isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("CREATE TABLE IF NOT EXISTS entries (id INTEGER PRIMARY KEY, kind TEXT, value REAL)")
    conn.execute("BEGIN IMMEDIATE")
    row = conn.execute("INSERT INTO entries (kind, value) VALUES (?, ?)", (kind, value)).lastrowid
    conn.execute("COMMIT")
    conn.close()
    typer.echo(f"Stored #{row}: {kind} {value}")
    show(kind, value)


def show(kind: str, value: float) -> None:
    pass


if __name__ == "__main__":
    app()
"""

F2_SOURCE = F1_SOURCE.replace(
    """def show(kind: str, value: float) -> None:
    pass
""",
    """def show(kind: str, value: float) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title="Today")
    for column in ("time", "kind", "value"):
        table.add_column(column)
    for hour in ("08:00", "14:00", "21:00"):
        table.add_row(hour, kind, f"{value:.1f}")
    Console().print(table)
""",
)
FLOORS = {"F1": F1_SOURCE, "F2": F2_SOURCE}
FLOOR_ARGS = ("temp", "37.1")


@dataclass(frozen=True)
class Command:
    """A start-up measurement: `cart ARGS`, paired with ``floor``, at most ``limit`` times its
    CPU time. ``{out}`` in an argument is a file in the temporary folder."""

    label: str
    args: tuple[str, ...]
    floor: str
    limit: float
    exit_codes: frozenset[int] = frozenset({0})
    scale: float | None = SCALE_TARGET  # big / small limit; None: not compared across sizes


# 30 words a carer might type: negation, a hedge, everyday words, a typing slip (issue 17)
PHRASE = (
    "no fever but hes been sleepy since lunch and keeps nodding off, his lips look a bit "
    "blue and he hasnt had a wee all day, cant catch his breath"
)
READ_TARGET_MS = 5.0  # reading a 30-word phrase (issue 17)
ANY_LEVEL = frozenset({0, 1, 2, 3})  # check exits 0/1/2/3 for green/amber/red/unknown: all are answers
COMMANDS = (
    Command("cart log temp 37.1", ("log", "temp", "37.1"), "F1", 1.25),
    # A phrase in the person's own words: loads the reader (issue 17), and its check is an
    # emergency, so `cart log` draws the check screen with Rich, which F1 never imports. Its
    # gate is the same 1.25x against F2, the floor that prints with Rich; the ratio to F1 is
    # shown beside it (not gated, scale not compared twice).
    Command("cart log symptom PHRASE", ("log", "symptom", PHRASE, "--no-ask"), "F2", 1.25),
    Command(
        "cart log symptom PHRASE (to F1)",
        ("log", "symptom", PHRASE, "--no-ask"),
        "F1",
        float("inf"),
        scale=None,
    ),
    Command("cart --help", ("--help",), "F1", 1.0, scale=None),
    Command("cart check", ("check",), "F2", 1.1, ANY_LEVEL),
    Command("cart timeline", ("timeline",), "F2", 1.1),
    Command("cart history --limit 20", ("history", "--limit", "20"), "F2", 1.1),
    Command("cart (dashboard)", (), "F2", 1.1),
    Command("cart chart", ("chart",), "F2", 1.1),
    Command("cart calendar", ("calendar", "--output", "{out}.ics", "--force"), "F2", 1.1),
    Command("cart report", ("report", "--days", "7", "--output", "{out}.html", "--force"), "F2", 1.3),
    Command(
        "cart report --days 365",
        ("report", "--days", "365", "--output", "{out}.html", "--force"),
        "F2",
        float("inf"),  # no start-up target: what counts is its growth with the data
        scale=REPORT_YEAR_SCALE_TARGET,
    ),
)


@dataclass
class Sample:
    cpu: float  # seconds, user + system
    wall: float


@dataclass
class Samples:
    """Every run of one command (or floor) at one size."""

    runs: list[Sample] = field(default_factory=list)

    def median_ms(self, what: str = "cpu") -> float:
        return statistics.median(getattr(run, what) for run in self.runs) * 1000


def spread(values: list[float]) -> str:
    """The middle half of ``values`` (quartiles), or their range when there are few."""
    ordered = sorted(values)
    if len(ordered) < 4:
        return f"{ordered[0]:.2f}-{ordered[-1]:.2f}"
    q1, _, q3 = statistics.quantiles(ordered, n=4)
    return f"{q1:.2f}-{q3:.2f}"


# -- how cart is started ----------------------------------------------------------------------


def cart_launcher() -> tuple[list[str], str]:
    """The `cart` console script next to this Python if there is one (what people run),
    else ``python -m cart_cli``; and a sentence saying which."""
    script = Path(sys.executable).with_name("cart.exe" if os.name == "nt" else "cart")
    where = "with this checkout first on PYTHONPATH"
    if script.is_file() and os.access(script, os.X_OK):
        return [str(script)], f"the `cart` console script next to this Python, {where}"
    # The report names no path on the machine it ran on: the interpreter's file name is enough.
    name = Path(sys.executable).name
    return [sys.executable, "-m", "cart_cli"], f"`{name} -m cart_cli` (no `cart` script), {where}"


def child_env(workdir: Path, db: Path) -> dict[str, str]:
    """A private HOME and an explicit CART_DB, so the real data folder is never touched.

    Bytecode caching is on, as after ``pip install`` (which compiles every module): with
    PYTHONDONTWRITEBYTECODE set, as some shells and containers do, each start would compile
    cart's sources again and the benchmark would time the compiler. The cache goes to a
    folder of the temporary directory, so the checkout is left as it was.
    """
    env = dict(os.environ)
    home = workdir / "home"
    env.update(HOME=str(home), XDG_DATA_HOME=str(home / ".local" / "share"), CART_DB=str(db), COLUMNS="100")
    env.update(PYTHONPYCACHEPREFIX=str(workdir / "pycache"), FLOOR_DB=str(workdir / "floor.db"))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.pop("NO_COLOR", None)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    return env


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def time_process(argv: list[str], env: dict[str, str], exit_codes: frozenset[int] = frozenset({0})) -> Sample:
    """CPU and wall seconds of one process (its output is thrown away). The CPU time is the
    kernel's account of that child alone: the benchmark runs one child at a time."""
    cpu_before = children_cpu()
    started = time.perf_counter()
    done = subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
    wall = time.perf_counter() - started
    cpu = children_cpu() - cpu_before
    err = done.stderr.decode("utf-8", "replace")
    if done.returncode not in exit_codes or "Traceback" in err or "went wrong" in err:
        raise SystemExit(f"bench: {' '.join(argv)} failed with exit {done.returncode}:\n{err}")
    return Sample(cpu, wall)


# -- building the databases --------------------------------------------------------------------

INSERT = (
    "INSERT INTO entries (uid, kind, recorded_at, logged_at, celsius, symptom, severity, other, "
    "score, systolic, diastolic, pulse, litres, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
SYMPTOMS = ("headache", "cough", "diarrhoea", "shivering", "tremor", "nausea")  # names cart knows
NOTES = (None,) * 9 + ("after paracetamol",)  # free text, where free text is meant


def check_names_are_known() -> None:
    """The benchmark's data must be data cart itself would store, so that an export of it
    imports back: every symptom name is one `cart symptoms` lists."""
    from cart_cli.symptoms import by_name

    for name in (*SYMPTOMS, *YEAR_SYMPTOMS):
        if by_name(name).name != name:
            raise SystemExit(f"bench: symptom {name!r} is not a name cart stores")


def entry_row(rng: random.Random, kind: str, moment: datetime) -> tuple:
    """One row for INSERT, with plausible values for its kind."""
    at = to_db_time(moment)
    celsius = symptom = severity = score = systolic = diastolic = pulse = litres = None
    if kind == "temp":
        celsius = round(rng.uniform(36.2, 37.4), 1)
    elif kind == "fatigue":
        score = rng.randint(2, 6)
    elif kind == "bp":
        systolic, diastolic, pulse = rng.randint(108, 132), rng.randint(68, 84), rng.randint(66, 96)
    elif kind == "fluids":
        litres = round(rng.uniform(1.4, 2.6), 1)
    else:
        symptom, severity = rng.choice(SYMPTOMS), rng.choice(("mild", "moderate"))
    uid = uuid.UUID(int=rng.getrandbits(128), version=4).hex  # as cart makes them (uuid4().hex), seeded
    # One row in the column order of INSERT, kept on two lines as a row of a table.
    return (uid, kind, at, at, celsius, symptom, severity, None, score, systolic, diastolic, pulse,
            litres, rng.choice(NOTES))  # fmt: skip


# A day of realistic logging: (hour, minute, kind). A symptom is added every third day.
DAY_PATTERN = (
    (8, 0, "temp"),
    (9, 0, "fatigue"),
    (9, 30, "bp"),
    (14, 0, "temp"),
    (20, 0, "fluids"),
    (21, 0, "temp"),
)


def recent_rows(rng: random.Random, now: datetime, count: int) -> list[tuple]:
    """The newest ``count`` entries, day by day back from an hour ago, oldest first."""
    newest_allowed = now - timedelta(hours=1)
    moments: list[tuple[datetime, str]] = []
    day = newest_allowed.replace(hour=0, minute=0, second=0, microsecond=0)
    while len(moments) < count:
        todays = [(day.replace(hour=h, minute=m), kind) for h, m, kind in DAY_PATTERN]
        if day.toordinal() % 3 == 0:
            todays.append((day.replace(hour=12), "symptom"))
        moments += [(at, kind) for at, kind in sorted(todays, reverse=True) if at <= newest_allowed]
        day -= timedelta(days=1)
    chosen = sorted(moments[:count])
    return [entry_row(rng, kind, moment) for moment, kind in chosen]


# The older history's mix of kinds, in the same proportions as a day above (plus symptoms).
HISTORY_MIX = ("temp",) * 9 + ("fatigue",) * 3 + ("bp",) * 3 + ("fluids",) * 3 + ("symptom",)


def history_rows(rng: random.Random, before: datetime, count: int):
    """``count`` older entries evenly spread over the HISTORY_YEARS before ``before``, oldest first."""
    span = timedelta(days=365.25 * HISTORY_YEARS)
    start = before - span
    step = span / max(count, 1)
    for index in range(count):
        yield entry_row(rng, HISTORY_MIX[index % len(HISTORY_MIX)], start + step * index)


def build_database(path: Path, total: int, now: datetime) -> None:
    """A database of ``total`` entries and a plan, built as described in the module docstring."""
    rng = random.Random(SEED)
    recent = recent_rows(rng, now, min(total, RECENT_ENTRIES))
    with Store.open(path, now=now) as store:  # the schema exactly as cart makes it
        store.save_plan(
            Plan(
                infusion_date=(now - timedelta(days=20)).date(),
                hospital="Bench Haematology",
                phone="01234 567890",
            ),
            now,
        )
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA synchronous = OFF")  # building only; cart itself uses FULL
        conn.execute("PRAGMA cache_size = -262144")
        conn.execute("BEGIN")
        oldest_recent = datetime.fromisoformat(recent[0][2])
        conn.executemany(INSERT, history_rows(rng, oldest_recent, total - len(recent)))
        conn.executemany(INSERT, recent)
        conn.execute("COMMIT")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # as a long-used file would be
    finally:
        conn.close()


# -- query plans ------------------------------------------------------------------------------


@dataclass(frozen=True)
class QueryPlan:
    what: str
    sql: str
    plan: tuple[str, ...]
    steps: int  # SQLite virtual-machine instructions run to answer it: the work done

    @property
    def scans_or_sorts(self) -> bool:
        # A bare "SCAN entries" reads the whole table, unless it walks the rowid (id) itself
        # in order with a LIMIT: then it stops after LIMIT rows from that end.
        walks_rowid = re.search(r"ORDER BY id (ASC|DESC) LIMIT", self.sql) is not None
        return any(
            (re.fullmatch(r"SCAN entries", line) and not walks_rowid) or "TEMP B-TREE" in line
            for line in self.plan
        )


def query_plans(db: Path, now: datetime) -> list[QueryPlan]:
    """The queries that check, the dashboard, log, history and undo run, with their plans
    and the work each one takes.

    The SQL is captured from the store itself (trace callback), so these are the real
    queries, not copies. The work is counted with a progress handler called on every
    virtual-machine instruction; comparing it across database sizes shows directly whether
    a query reads more as the file grows.
    """
    store = Store.open_existing(db, now=now)
    assert store is not None, f"no database at {db}"
    captured: list[str] = []
    store.conn.set_trace_callback(captured.append)
    window_start = now - timedelta(hours=24) - timedelta(days=3)  # as `cart check` asks
    calls = [
        (
            "check / dashboard / log: the rules' window",
            lambda: store.entries(since=window_start, until=now, newest_first=False),
        ),
        ("history --limit 20", lambda: store.entries(limit=20)),
        ("history --kind temp --limit 20", lambda: store.entries(kind="temp", limit=20)),
        ("undo: the entry logged last", store.last_logged),
        ("the plan", store.plan),
    ]
    results = []
    steps = [0]

    def count_step() -> int:
        steps[0] += 1
        return 0  # carry on

    try:
        for what, call in calls:
            captured.clear()
            steps[0] = 0
            store.conn.set_progress_handler(count_step, 1)
            call()
            store.conn.set_progress_handler(None, 1)
            sql = next(s for s in captured if s.lstrip().upper().startswith("SELECT"))
            plan = tuple(row[3] for row in store.conn.execute(f"EXPLAIN QUERY PLAN {sql}"))
            results.append(QueryPlan(what, sql, plan, steps[0]))
    finally:
        store.close()
    return results


def report_query_plans(db: Path, now: datetime) -> list[QueryPlan]:
    """Every query a per-day report (`cart report --days 365`) runs to read its period
    (``report.days``), each once, with its plan. Their work follows the readings of each day,
    not the size of the file; the report's time at both sizes is measured with the commands."""
    from cart_cli.report.days import period_entries
    from cart_cli.store import ENTRY_COLUMNS

    store = Store.open_existing(db, now=now)
    assert store is not None, f"no database at {db}"
    plan = store.plan()
    assert plan is not None
    captured: list[str] = []
    store.conn.set_trace_callback(captured.append)
    try:
        period_entries(store, plan, now.date() - timedelta(days=364), now)
    finally:
        store.conn.set_trace_callback(None)
    results = []
    seen: set[str] = set()
    for sql in captured:
        if not sql.lstrip().upper().startswith("SELECT"):
            continue
        shape = re.sub(r"'[^']*'", "?", sql).replace(", ".join(ENTRY_COLUMNS), "<every column>")
        shape = re.sub(r"\?(, \?)+", "?", shape)  # a list of values is one query however long
        if shape in seen:
            continue
        seen.add(shape)
        plan_rows = tuple(row[3] for row in store.conn.execute(f"EXPLAIN QUERY PLAN {sql}"))
        results.append(QueryPlan(shape, sql, plan_rows, 0))
    store.close()
    return results


# -- long work ----------------------------------------------------------------------------------

# Runs one command and reports its peak RSS and CPU time: RUSAGE_CHILDREN of this small helper
# process covers exactly that one child, whatever the benchmark ran before.
RSS_PROBE = """
import resource, subprocess, sys
with open(sys.argv[1], "wb") as out:
    code = subprocess.run(sys.argv[2:], stdout=out).returncode
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(code, usage.ru_maxrss, usage.ru_utime + usage.ru_stime)
"""

EXPORT_SECONDS_TARGET = {"csv": 3.0, "fhir": 10.0}  # issue 23; JSON is measured, with no time target
# issue 23: the FHIR bundle is streamed entry by entry; the other exports have the general limit
EXPORT_RSS_TARGETS_MB = {"fhir": 50}
IMPORT_EXISTING_SECONDS_TARGET = 20.0  # issue 23: into a database that already has entries
IMPORT_EXISTING_RSS_TARGET_MB = 100
IMPORT_NEW_SECONDS_TARGET = 21.0  # issue 14
HISTORY_SECONDS_TARGET = 5.0  # `cart history --limit 100000`: "a few seconds"
HISTORY_LIMIT = 100_000


@dataclass(frozen=True)
class Row:
    """One piece of long work: its peak memory, CPU and wall time, and its targets. A time
    target is checked against CPU time (a busy machine stretches the wall time of everything
    on it; both are shown)."""

    what: str
    megabytes: float
    cpu: float
    wall: float
    target_s: float | None  # None: measured, no time target
    target_mb: float = EXPORT_RSS_TARGET_MB
    detail: str = ""
    ok_extra: bool = True  # any other condition of the row (every entry written, identical)

    @property
    def ok(self) -> bool:
        in_time = self.target_s is None or self.cpu <= self.target_s
        return self.megabytes < self.target_mb and in_time and self.ok_extra


def run_probed(argv: list[str], env: dict[str, str], output: Path) -> tuple[float, float, float]:
    """(peak RSS in MB, CPU seconds, wall seconds) of one cart process, its stdout written to
    ``output``."""
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", RSS_PROBE, str(output), *argv],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    wall = time.perf_counter() - started
    code, max_rss, cpu = done.stdout.split()
    if int(code) != 0:
        raise SystemExit(f"bench: {' '.join(argv)} failed with exit {code}:\n{done.stderr}")
    # Linux reports KiB, macOS bytes.
    rss = int(max_rss) / (1024 * 1024) if sys.platform == "darwin" else int(max_rss) / 1024
    return rss, float(cpu), wall


def without_ids(path: Path) -> list[bytes]:
    """An export's lines without the export time and the entries' ids (which the importing
    database gives), for comparing two exports of the same entries."""
    lines = []
    with path.open("rb") as file:
        for line in file:
            if line.lstrip().startswith(b'"exported_at"'):
                continue
            lines.append(re.sub(rb'^(\s*)\{"id":[0-9]+,', rb"\1{", line))
    return lines


def count_lines(path: Path) -> int:
    with path.open("rb") as file:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: file.read(1 << 20), b""))


def measure_transfer(
    launcher: list[str], envs: dict[int, dict[str, str]], workdir: Path, big: int
) -> list[Row]:
    """Exports (CSV, JSON, FHIR), history --limit 100000, import of the JSON export into a new
    database and into a copy of the small one, and the round trip export -> import -> export
    (identical but for the ids)."""
    env = envs[big]
    rows = []
    outputs = {}
    for name in ("csv", "json", "fhir"):
        target = workdir / f"transfer.{name}"
        argv = [*launcher, "export", "--format", name, "--output", str(target)]
        megabytes, cpu, wall = run_probed(argv, env, workdir / "out.txt")
        outputs[name] = target
        detail = f"{target.stat().st_size / 1e6:.0f} MB file"
        complete = True
        if name == "csv":
            lines = count_lines(target)
            complete = lines > big  # a header and a line per entry (plus the timing runs' logs)
            detail += f", {lines:,} lines"
        limit = EXPORT_SECONDS_TARGET.get(name)
        rows.append(
            Row(
                f"`cart export --format {name}`",
                megabytes,
                cpu,
                wall,
                limit,
                target_mb=EXPORT_RSS_TARGETS_MB.get(name, EXPORT_RSS_TARGET_MB),
                detail=detail,
                ok_extra=complete,
            )
        )
        print(f"  export {name}: {cpu:.1f} s CPU, {wall:.1f} s wall, {megabytes:.0f} MB", file=sys.stderr)
    listed = workdir / "history.txt"
    megabytes, cpu, wall = run_probed([*launcher, "history", "--limit", str(HISTORY_LIMIT)], env, listed)
    lines = count_lines(listed)
    label = f"`cart history --limit {HISTORY_LIMIT:,}`"
    complete = min(HISTORY_LIMIT, big) <= lines <= HISTORY_LIMIT  # `cart log` in the timing runs adds a few
    rows.append(
        Row(label, megabytes, cpu, wall, HISTORY_SECONDS_TARGET, detail=f"{lines:,} lines", ok_extra=complete)
    )
    # Into a new database (issue 14's target), then export again for the round trip.
    second_db = workdir / "imported.db"
    second_env = {**env, "CART_DB": str(second_db)}
    megabytes, cpu, wall = run_probed(
        [*launcher, "import", str(outputs["json"])], second_env, workdir / "out.txt"
    )
    rows.append(Row("`cart import` of that JSON export into a new database", megabytes, cpu, wall,
                    IMPORT_NEW_SECONDS_TARGET))  # fmt: skip
    print(f"  import (new): {cpu:.1f} s CPU, {wall:.1f} s wall, {megabytes:.0f} MB", file=sys.stderr)
    # Into a database that already has entries: a copy of the small one (its newest entries
    # are the big one's, so those are found already stored and skipped).
    existing_db = workdir / "existing.db"
    with (
        sqlite3.connect(Path(envs[SMALL_ENTRIES]["CART_DB"])) as source,
        sqlite3.connect(existing_db) as copy,
    ):
        source.backup(copy)
    existing_env = {**env, "CART_DB": str(existing_db)}
    megabytes, cpu, wall = run_probed(
        [*launcher, "import", str(outputs["json"])], existing_env, workdir / "out.txt"
    )
    stored = sqlite3.connect(existing_db)
    try:
        count = stored.execute("SELECT count(*) FROM entries").fetchone()[0]
    finally:
        stored.close()
    rows.append(Row("`cart import` of that JSON export into a database with entries", megabytes, cpu, wall,
                    IMPORT_EXISTING_SECONDS_TARGET, IMPORT_EXISTING_RSS_TARGET_MB, f"{count:,} entries after",
                    count >= big))  # fmt: skip
    print(f"  import (existing): {cpu:.1f} s CPU, {wall:.1f} s wall, {megabytes:.0f} MB", file=sys.stderr)
    again = workdir / "export-again.json"
    run_probed(
        [*launcher, "export", "--format", "json", "--output", str(again)], second_env, workdir / "out.txt"
    )
    same = without_ids(outputs["json"]) == without_ids(again)
    label = "round trip: export -> import into a new database -> export"
    rows.append(Row(label, 0.0, 0.0, 0.0, None, detail="" if same else "**DIFFERENT**", ok_extra=same))
    return rows


def transfer_section(rows: list[Row], big: int) -> int:
    """Print the long work's results; return how many targets failed."""
    print(f"\n| at {big:,} entries | peak RSS | CPU | wall | target | |")
    print("| --- | ---: | ---: | ---: | --- | :---: |")
    for row in rows:
        if row.what.startswith("round trip"):
            print(f"| {row.what} | | | | identical apart from ids | {verdict(row.ok)} |")
            continue
        target = f"< {row.target_mb:g} MB" + (
            f", ≤ {row.target_s:g} s CPU" if row.target_s is not None else ""
        )
        detail = f" ({row.detail})" if row.detail else ""
        print(
            f"| {row.what}{detail} | {row.megabytes:.0f} MB | {row.cpu:.1f} s | {row.wall:.1f} s "
            f"| {target} | {verdict(row.ok)} |"
        )
    print(
        "\nThe round trip compares the two JSON exports line by line without the `exported_at` line "
        "and the entries' ids: ids are given by the database that stores an entry, so the importing "
        "database numbers them afresh; everything else (uids, times, values, notes, the plan) is identical."
    )
    return sum(not row.ok for row in rows)


# -- the clinic report in-process (issue 11) -----------------------------------------------------

REPORT_YEAR_TARGET_S = 0.5  # "well under a second" for a year of readings, 10 a day
YEAR_SYMPTOMS = ("headache", "cough", "diarrhoea", "tremor")  # canonical names, as cart stores them
YEAR_KINDS = ("temp", "temp", "temp", "temp", "bp", "fatigue", "fluids", "fluids", "spo2", "symptom")


def year_of_readings(now: datetime) -> tuple[Plan, list]:
    """365 days of 10 entries a day (4 temperatures, BP, fatigue, 2 fluids, SpO2, a symptom)."""
    from cart_cli.models import Entry

    rng = random.Random(SEED)
    plan = Plan(
        infusion_date=(now - timedelta(days=400)).date(), hospital="Bench Haematology", phone="01234 567890"
    )
    entries = []
    start = now.replace(hour=7, minute=0, second=0, microsecond=0) - timedelta(days=364)
    for day in range(365):
        for slot, kind in enumerate(YEAR_KINDS):
            at = start + timedelta(days=day, minutes=90 * slot)
            if at > now:
                continue
            values: dict = {
                "temp": {"celsius": round(rng.uniform(36.2, 37.9), 1)},
                "bp": {
                    "systolic": rng.randint(95, 135),
                    "diastolic": rng.randint(60, 85),
                    "pulse": rng.randint(60, 110),
                },
                "fatigue": {"score": rng.randint(2, 8)},
                "fluids": {"litres": round(rng.uniform(0.2, 0.8), 1)},
                "spo2": {"spo2": rng.randint(93, 99)},
                "symptom": {
                    "symptom": rng.choice(YEAR_SYMPTOMS),
                    "severity": rng.choice(("mild", "moderate")),
                },
            }[kind]
            entries.append(Entry(kind=kind, recorded_at=at, note=rng.choice(NOTES), **values))
    return plan, entries


def measure_report_year(workdir: Path, runs: int) -> tuple[float, int]:
    """Median CPU seconds to query, build, render and write a 365-day report of a year of
    readings (in-process: the work itself, not Python's start-up); and the entry count."""
    from cart_cli.commands.report import write_report

    now = datetime.now().astimezone()
    plan, entries = year_of_readings(now)
    with Store.open(workdir / "year.db", now=now) as store:
        store.save_plan(plan, now)
        store.add(entries, now)
        start = now.date() - timedelta(days=364)
        times = []
        for _ in range(runs):
            began = time.process_time()
            write_report(store, plan, now, start, workdir / "year.html", force=True)
            times.append(time.process_time() - began)
    return statistics.median(times), len(entries)


def report_year_section(year: tuple[float, int]) -> int:
    seconds, count = year
    ok = seconds < REPORT_YEAR_TARGET_S
    print("\n| `cart report` in-process | result | target | |")
    print("| --- | --- | --- | :---: |")
    print(
        f"| a year, 10 readings a day ({count:,} entries), 365-day report: query, build, render, write "
        f"| {seconds * 1000:.0f} ms CPU | < {REPORT_YEAR_TARGET_S * 1000:.0f} ms | {verdict(ok)} |"
    )
    return not ok


# -- start-up: commands paired with their floors ----------------------------------------------


def write_floors(workdir: Path) -> dict[str, list[str]]:
    """F1 and F2 as scripts in the temporary folder; the command line that runs each."""
    argvs = {}
    for name, source in FLOORS.items():
        path = workdir / f"floor_{name.lower()}.py"
        path.write_text(source, encoding="utf-8")
        argvs[name] = [sys.executable, str(path), *FLOOR_ARGS]
    return argvs


@dataclass
class Startup:
    """Every run of the floors and of each command at each size."""

    floor: dict[str, Samples] = field(default_factory=dict)  # by command label: its paired floor runs
    small: dict[str, Samples] = field(default_factory=dict)
    big: dict[str, Samples] = field(default_factory=dict)


def cart_argv(launcher: list[str], command: Command, workdir: Path, size: int) -> list[str]:
    out = str(workdir / f"out-{size}")
    return [*launcher, *(arg.replace("{out}", out) for arg in command.args)]


def measure_startup(
    launcher: list[str],
    floors: dict[str, list[str]],
    envs: dict[int, dict[str, str]],
    pairs: int,
    workdir: Path,
) -> Startup:
    """Each command with its floor (at the small size) and at the big size, round by round, so
    that any drift in the machine's speed falls on all of them alike. Within a round the order
    of a command's runs alternates."""
    small, big = sorted(envs)
    result = Startup()
    for command in COMMANDS:  # warm-up: page cache, bytecode cache
        time_process(floors[command.floor], envs[small])
        for size in (small, big):
            time_process(cart_argv(launcher, command, workdir, size), envs[size], command.exit_codes)
    for round_number in range(pairs):
        print(f"  pair {round_number + 1} of {pairs}", file=sys.stderr)
        for command in COMMANDS:
            runs = [
                ("floor", floors[command.floor], envs[small], frozenset({0})),
                ("small", cart_argv(launcher, command, workdir, small), envs[small], command.exit_codes),
            ]
            if command.scale is not None:
                runs.append(
                    ("big", cart_argv(launcher, command, workdir, big), envs[big], command.exit_codes)
                )
            if round_number % 2:
                runs.reverse()
            for where, argv, env, codes in runs:
                getattr(result, where).setdefault(command.label, Samples()).runs.append(
                    time_process(argv, env, codes)
                )
    return result


def ratios(numerator: Samples, denominator: Samples, what: str = "cpu") -> list[float]:
    """The ratio within each pair (runs of the same round)."""
    return [
        getattr(a, what) / getattr(b, what) for a, b in zip(numerator.runs, denominator.runs, strict=True)
    ]


def startup_section(startup: Startup, big: int, pairs: int) -> int:
    """Print the start-up results; return how many targets failed."""
    failures = 0
    print(
        f"\nStart-up at {SMALL_ENTRIES} entries, {pairs} interleaved pairs a command. CPU ms and wall ms: "
        "medians; ratio: the median of the pairs' CPU ratios (the middle half of them in brackets).\n"
    )
    print("| command | floor | CPU ms | floor CPU ms | CPU ratio | target | wall ms | floor wall ms | |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | :---: |")
    for command in COMMANDS:
        mine, floor = startup.small[command.label], startup.floor[command.label]
        pair_ratios = ratios(mine, floor)
        ratio = statistics.median(pair_ratios)
        gated = command.limit != float("inf")
        ok = ratio <= command.limit
        failures += gated and not ok
        target = f"≤ {command.limit:.2f}x" if gated else "-"
        print(
            f"| `{command.label}` | {command.floor} | {mine.median_ms():.0f} | {floor.median_ms():.0f} "
            f"| {ratio:.2f}x ({spread(pair_ratios)}) | {target} | {mine.median_ms('wall'):.0f} "
            f"| {floor.median_ms('wall'):.0f} | {verdict(ok) if gated else ''} |"
        )
    print(f"\nThe same commands at {big:,} entries, paired with the run at {SMALL_ENTRIES} in each round:\n")
    print(
        f"| command | CPU ms at {SMALL_ENTRIES} | CPU ms at {big:,} | ratio | target | wall ms at {big:,} | |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | :---: |")
    for command in COMMANDS:
        if command.scale is None:
            continue
        small, large = startup.small[command.label], startup.big[command.label]
        pair_ratios = ratios(large, small)
        ratio = statistics.median(pair_ratios)
        ok = ratio <= command.scale
        failures += not ok
        print(
            f"| `{command.label}` | {small.median_ms():.0f} | {large.median_ms():.0f} "
            f"| {ratio:.2f}x ({spread(pair_ratios)}) | ≤ {command.scale:.1f}x "
            f"| {large.median_ms('wall'):.0f} | {verdict(ok)} |"
        )
    return failures


# -- the run ----------------------------------------------------------------------------------


def machine() -> dict[str, str]:
    """What the numbers were measured on, and how busy it was."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    load = " / ".join(f"{value:.1f}" for value in os.getloadavg()) if hasattr(os, "getloadavg") else "?"
    return {
        "CPU": cpu,
        "cores (nproc)": str(cores),
        "load average at the end (1 / 5 / 15 min)": load,
        "OS": platform.platform(),
        "Python": f"{platform.python_version()} ({platform.python_implementation()})",
        "SQLite": sqlite3.sqlite_version,
    }


# -- cart serve over real HTTP (issue 21) --------------------------------------------------------

SERVE_TARGET_MS = 50  # the home page, and a logged reading (the post and the page it leads to)
PAGE_WEIGHT_TARGET_KB = 100  # a page without charts, with its style sheet


@dataclass(frozen=True)
class ServeTimes:
    home_ms: list[float]
    log_ms: list[float]  # the post: stored durably (fsync), answered with the redirect
    log_and_page_ms: list[float]  # the post and the verdict page it leads to
    weight_kb: float


def measure_serve(launcher: list[str], envs: dict[int, dict[str, str]], runs: int) -> dict[int, ServeTimes]:
    """`cart serve` at each size, through a real HTTP client (http.client, one kept-alive
    connection, as a phone's browser keeps one): pair with the printed link, then time the home
    page and logging a temperature (the post and the page with the verdict it redirects to)."""
    import http.client
    from urllib.parse import urlencode, urlsplit

    results = {}
    for size, env in envs.items():
        server = subprocess.Popen(
            [*launcher, "serve", "--port", "0"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            assert server.stdout is not None
            link = ""
            while not link:
                line = server.stdout.readline()
                if not line:
                    said = server.stderr.read() if server.stderr else ""
                    raise SystemExit(f"bench: cart serve stopped: {said}")
                found = re.search(r"http://\S+/pair\?token=\S+", line)
                link = found.group(0) if found else ""
            where = urlsplit(link)
            conn = http.client.HTTPConnection(where.hostname or "127.0.0.1", where.port or 80, timeout=30)

            def get(
                path: str, headers: dict[str, str], conn: http.client.HTTPConnection = conn
            ) -> http.client.HTTPResponse:
                conn.request("GET", path, headers=headers)
                answer = conn.getresponse()
                answer.read()
                return answer

            conn.request("GET", f"{where.path}?{where.query}")
            paired = conn.getresponse()
            paired.read()
            cookie = {"Cookie": (paired.getheader("set-cookie") or "").split(";")[0]}
            for _ in range(3):  # warm up: templates compiled, the database file in the page cache
                get("/", cookie)
            home = []
            for _ in range(runs):
                began = time.perf_counter()
                get("/", cookie)
                home.append((time.perf_counter() - began) * 1000)
            conn.request("GET", "/", headers=cookie)
            page = conn.getresponse().read()
            conn.request("GET", "/static/app.css", headers=cookie)
            style = conn.getresponse().read()
            conn.request("GET", "/log/temp", headers=cookie)
            form = conn.getresponse().read().decode()
            csrf = re.search(r'name="csrf" value="([^"]+)"', form)
            if csrf is None:
                raise SystemExit("bench: the temperature form has no CSRF token")
            logged, logged_and_page = [], []
            for _ in range(runs):
                body = urlencode({"value": "36.9", "csrf": csrf.group(1), "note": "bench"})
                began = time.perf_counter()
                conn.request(
                    "POST", "/log/temp", body=body,
                    headers={**cookie, "Content-Type": "application/x-www-form-urlencoded"},
                )  # fmt: skip
                answer = conn.getresponse()
                answer.read()
                if answer.status != 303:
                    raise SystemExit(f"bench: logging answered {answer.status}")
                logged.append((time.perf_counter() - began) * 1000)
                get(answer.getheader("location") or "/", cookie)
                logged_and_page.append((time.perf_counter() - began) * 1000)
            conn.close()
            results[size] = ServeTimes(home, logged, logged_and_page, (len(page) + len(style)) / 1024)
        finally:
            server.send_signal(2)  # Ctrl-C, as a person stops it
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
    return results


def serve_section(serve: dict[int, ServeTimes], big: int) -> int:
    """Print the web server's times; return how many targets failed."""
    count = len(serve[big].home_ms)
    print(f"\n`cart serve`, over HTTP on 127.0.0.1 (median of {count} requests; quartiles):\n")
    print(f"| | at {SMALL_ENTRIES} | at {big:,} | target | |")
    print("| --- | ---: | ---: | --- | :---: |")
    failures = 0
    for what, pick, gated in (
        ("home page", "home_ms", True),
        ("logged reading (the post: stored, fsync'd, answered)", "log_ms", True),
        ("logged reading and the verdict page after it", "log_and_page_ms", False),
    ):
        small_ms, big_ms = getattr(serve[SMALL_ENTRIES], pick), getattr(serve[big], pick)
        ok = statistics.median(big_ms) < SERVE_TARGET_MS or not gated
        failures += not ok
        print(
            f"| {what} | {statistics.median(small_ms):.1f} ms ({spread(small_ms)}) "
            f"| {statistics.median(big_ms):.1f} ms ({spread(big_ms)}) "
            f"| {f'< {SERVE_TARGET_MS} ms' if gated else 'shown'} | {verdict(ok) if gated else ''} |"
        )
    weight = serve[big].weight_kb
    ok = weight < PAGE_WEIGHT_TARGET_KB
    failures += not ok
    print(f"| home page + style sheet | | {weight:.1f} KB | < {PAGE_WEIGHT_TARGET_KB} KB | {verdict(ok)} |")
    return failures


def verdict(ok: bool) -> str:
    return "PASS" if ok else "**FAIL**"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="10,000 entries and 5 pairs (about a minute)")
    parser.add_argument("--pairs", type=int, help="pairs per command (default 15, or 5 with --quick)")
    parser.add_argument("--entries", type=int, help="size of the big database (default 1,000,000)")
    parser.add_argument("--startup-only", action="store_true", help="only the start-up pairs (no long work)")
    args = parser.parse_args(argv)
    pairs = args.pairs or (5 if args.quick else 15)
    big = args.entries or (10_000 if args.quick else 1_000_000)
    if big <= SMALL_ENTRIES or pairs < 1:
        parser.error(f"--entries must be more than {SMALL_ENTRIES} and --pairs at least 1")

    check_names_are_known()
    launcher, launcher_text = cart_launcher()
    now = datetime.now().astimezone()
    command_line = " ".join(["python", *sys.argv]) if argv is None else "bench.main(...)"
    started_at = datetime.now().astimezone()
    workdir = Path(tempfile.mkdtemp(prefix="cart-bench-"))
    try:
        (workdir / "home").mkdir()
        sizes = {SMALL_ENTRIES: workdir / "small.db", big: workdir / "big.db"}
        for count, path in sizes.items():
            began = time.perf_counter()
            build_database(path, count, now)
            size_mb = path.stat().st_size / 1e6
            print(
                f"built {count:,} entries in {time.perf_counter() - began:.1f} s ({size_mb:.1f} MB)",
                file=sys.stderr,
            )
        envs = {count: child_env(workdir, path) for count, path in sizes.items()}
        floors = write_floors(workdir)

        print(f"timing {pairs} pairs of each command ...", file=sys.stderr)
        startup = measure_startup(launcher, floors, envs, pairs, workdir)
        asked_at = datetime.now().astimezone()
        plans = {count: query_plans(path, asked_at) for count, path in sizes.items()}
        report_plans = report_query_plans(sizes[big], asked_at)
        rows: list[Row] = []
        year = None
        if not args.startup_only:
            print("measuring export, import, history and the round trip ...", file=sys.stderr)
            rows = measure_transfer(launcher, envs, workdir, big)
            print("measuring cart report in-process ...", file=sys.stderr)
            year = measure_report_year(workdir, min(pairs, 5))
        print("measuring cart serve over HTTP ...", file=sys.stderr)
        serve = measure_serve(launcher, envs, max(20, pairs * 2))

        print("## cart benchmark\n")
        print(f"Command: `{command_line}`, started {started_at:%Y-%m-%d %H:%M %Z}  ")
        print(
            f"cart was run as {launcher_text}; bytecode cached (PYTHONPYCACHEPREFIX), as after pip install.\n"
        )
        for name, value in machine().items():
            print(f"- {name}: {value}")
        failures = startup_section(startup, big, pairs)
        failures += reading_section(*measure_reading())
        failures += plans_section(plans, big)
        failures += report_plans_section(report_plans, big)
        failures += serve_section(serve, big)
        if not args.startup_only:
            failures += transfer_section(rows, big)
            assert year is not None
            failures += report_year_section(year)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print()
    print("All targets met." if not failures else f"{failures} target(s) missed.")
    return 1 if failures else 0


def measure_reading(runs: int = 200) -> tuple[float, float, int]:
    """Reading a 30-word phrase in-process: the median ms of one reading (the cache cleared
    each time), the ms the first reading takes to build the patterns, and the word count."""
    began = time.perf_counter()
    from cart_cli.language.reader import read

    read("warm up")
    build_ms = (time.perf_counter() - began) * 1000
    times = []
    for _ in range(runs):
        read.cache_clear()
        started = time.perf_counter()
        read(PHRASE)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), build_ms, len(PHRASE.split())


def reading_section(median_ms: float, build_ms: float, words: int) -> int:
    """Print the reading speed; return 1 if it misses its target."""
    ok = median_ms <= READ_TARGET_MS
    print(f"\nReading a {words}-word phrase in the person's own words (in-process, median of 200):\n")
    print("| what | ms | target | |")
    print("| --- | ---: | ---: | :---: |")
    print(f"| one reading | {median_ms:.2f} | ≤ {READ_TARGET_MS:.0f} | {verdict(ok)} |")
    print(f"| first reading, building the patterns (import included) | {build_ms:.0f} | | |")
    return 0 if ok else 1


def plans_section(plans: dict[int, list[QueryPlan]], big: int) -> int:
    """Print the query plans; return how many failed (a scan or sort, or work that grows)."""
    failures = 0
    print(
        f"\nQueries, planned on the {big:,}-entry database; work in SQLite VM steps at each size "
        f"(target: no full scan or sort, and work within {SCALE_TARGET}x):\n"
    )
    print(f"| query | plan | steps at {SMALL_ENTRIES} | steps at {big:,} | result |")
    print("| --- | --- | ---: | ---: | :---: |")
    for at_small, at_big in zip(plans[SMALL_ENTRIES], plans[big], strict=True):
        ok = not at_big.scans_or_sorts and at_big.steps <= SCALE_TARGET * at_small.steps
        failures += not ok
        print(
            f"| {at_big.what} | {'; '.join(at_big.plan)} | {at_small.steps:,} | {at_big.steps:,} "
            f"| {verdict(ok)} |"
        )
    print(
        "\n`SCAN entries USING INDEX` with a LIMIT walks the index from the newest end and stops "
        "after the rows it needs; the steps columns show the work does not grow with the file."
    )
    return failures


def report_plans_section(plans: list[QueryPlan], big: int) -> int:
    """Print the per-day report's query plans; return how many scan or sort the entries."""
    print(
        f"\nThe queries of a per-day report (`cart report --days 365`, report/days.py), planned on "
        f"the {big:,}-entry database (target: no full scan or sort of the entries):\n"
    )
    print("| query | plan | result |")
    print("| --- | --- | :---: |")
    failures = 0
    for query in plans:
        ok = not query.scans_or_sorts
        failures += not ok
        print(f"| `{query.what}` | {'; '.join(query.plan)} | {verdict(ok)} |")
    return failures


if __name__ == "__main__":
    sys.exit(main())
