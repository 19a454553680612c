"""How fast `cart` answers, and whether that still holds with 1,000,000 entries stored.

Run from the repository root with the virtual environment's Python:

    python benchmarks/bench.py              # 100 and 1,000,000 entries, median of 15 runs
    python benchmarks/bench.py --quick      # 100 and 10,000 entries, 3 runs: under a minute
    python benchmarks/bench.py --runs 25 --entries 200000

What it measures, and the targets (from the issue):

1. Whole processes, as a person runs them: `cart log temp 37.1`, `cart check`,
   `cart timeline`, `cart history --limit 20` and the dashboard (`cart` alone). Each median
   is compared with the "import floor" measured in the same run: a Python process that only
   imports cart's stack (`import typer, rich.console, sqlite_utils, dateutil.parser`).
   Target: every command at or below 1.0x the floor (cart imports lazily, so it should cost
   less than its dependencies would if imported eagerly).
2. The same commands against a database of 1,000,000 entries. Target: within 1.2x of the
   time at 100 entries (the queries use indexes, so history size should not matter).
3. Peak memory (max RSS) of `cart export --format csv` over the big database. Target: under
   150 MB, i.e. the export streams instead of loading every entry.
4. EXPLAIN QUERY PLAN of the queries those commands run, taken from the store itself: none
   may scan the entries table or sort it.

The databases: the schema comes from ``Store.open`` (so it is exactly what cart creates), the
rows are inserted directly with sqlite3 in one transaction, to build a million rows in
seconds. The newest 100 entries are the same in both databases: about a fortnight of
realistic logging (3 temperatures a day, fatigue, blood pressure, fluids, a symptom every few
days) up to an hour ago, with a plan whose infusion was 20 days ago. The big database adds
the older history before them: the same mix of kinds spread over the previous 12 years
(denser than one person would type, to reach the size). So `cart check` sees the same recent
entries in both, and any slowdown is the cost of size alone. No ANALYZE is run: a real
user's file has no statistics either. Everything lives in a temporary folder removed at the
end; your own data is never touched. Only the standard library and cart itself are used.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
try:
    import cart_cli  # noqa: F401  (installed into this Python)

    CART_INSTALLED = True
except ImportError:  # running from a checkout without installing: use the sources here
    sys.path.insert(0, str(REPO))
    CART_INSTALLED = False

from cart_cli.models import Plan  # noqa: E402
from cart_cli.store import Store, to_db_time  # noqa: E402

FLOOR_IMPORTS = "import typer, rich.console, sqlite_utils, dateutil.parser"
FLOOR_TARGET = 1.0  # a command may take at most this many times the import floor
SCALE_TARGET = 1.2  # at the big size, at most this many times the time at the small size
EXPORT_RSS_TARGET_MB = 150
SMALL_ENTRIES = 100
RECENT_ENTRIES = SMALL_ENTRIES  # the newest entries, identical in both databases
HISTORY_YEARS = 12
SEED = 20261120  # fixed, so every run builds the same data


@dataclass(frozen=True)
class Command:
    label: str
    args: tuple[str, ...]
    exit_codes: frozenset[int] = frozenset({0})


COMMANDS = (
    Command("cart log temp 37.1", ("log", "temp", "37.1")),
    # check exits 0/1/2/3 for green/amber/red/unknown: all are answers, not failures.
    Command("cart check", ("check",), frozenset({0, 1, 2, 3})),
    Command("cart timeline", ("timeline",)),
    Command("cart history --limit 20", ("history", "--limit", "20")),
    Command("cart (dashboard)", ()),
)


@dataclass
class Timings:
    """Wall-clock seconds of every run, by label."""

    runs: dict[str, list[float]] = field(default_factory=dict)

    def add(self, label: str, seconds: float) -> None:
        self.runs.setdefault(label, []).append(seconds)

    def median_ms(self, label: str) -> float:
        return statistics.median(self.runs[label]) * 1000


# -- how cart is started ----------------------------------------------------------------------


def cart_launcher() -> tuple[list[str], str]:
    """The `cart` console script next to this Python if there is one (what people run),
    else ``python -m cart_cli``; and a sentence saying which."""
    script = Path(sys.executable).with_name("cart.exe" if os.name == "nt" else "cart")
    if script.is_file() and os.access(script, os.X_OK):
        return [str(script)], f"the `cart` console script ({script})"
    return [sys.executable, "-m", "cart_cli"], (
        f"`{sys.executable} -m cart_cli` (no `cart` script next to this Python"
        + ("" if CART_INSTALLED else "; cart not installed, sources from the checkout")
        + ")"
    )


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
    env.update(PYTHONPYCACHEPREFIX=str(workdir / "pycache"))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.pop("NO_COLOR", None)
    if not CART_INSTALLED:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    return env


def time_process(argv: list[str], env: dict[str, str], exit_codes: frozenset[int]) -> float:
    """Seconds from start to exit of one process (its output is thrown away)."""
    started = time.perf_counter()
    done = subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
    seconds = time.perf_counter() - started
    err = done.stderr.decode("utf-8", "replace")
    if done.returncode not in exit_codes or "Traceback" in err or "went wrong" in err:
        raise SystemExit(f"bench: {' '.join(argv)} failed with exit {done.returncode}:\n{err}")
    return seconds


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
    uid = f"{rng.getrandbits(128):032x}"
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


# -- export memory ----------------------------------------------------------------------------

# Runs one command and reports its peak RSS: RUSAGE_CHILDREN of this small helper process
# covers exactly that one child, whatever the benchmark ran before.
RSS_PROBE = """
import resource, subprocess, sys
with open(sys.argv[1], "wb") as out:
    code = subprocess.run(sys.argv[2:], stdout=out).returncode
print(code, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def export_available(launcher: list[str], env: dict[str, str]) -> bool:
    """Whether this cart has `cart export --format` (it arrived after the other commands)."""
    done = subprocess.run([*launcher, "export", "--help"], env=env, capture_output=True, check=False)
    return done.returncode == 0 and b"--format" in done.stdout


def measure_export(launcher: list[str], env: dict[str, str], target: Path) -> tuple[float, float, int]:
    """(peak RSS in MB, seconds, lines written) of `cart export --format csv` into ``target``."""
    megabytes, seconds = run_probed([*launcher, "export", "--format", "csv"], env, target)
    with target.open("rb") as written:  # a header and a line per entry: was it all written?
        lines = sum(chunk.count(b"\n") for chunk in iter(lambda: written.read(1 << 20), b""))
    return megabytes, seconds, lines


# -- transfer at scale (issue 14) ------------------------------------------------------------

TRANSFER_SECONDS_TARGET = {"csv": 4.0, "json": 4.0}  # export of the big database
IMPORT_SECONDS_TARGET = 21.0  # half of the 42 s an import took before it streamed
HISTORY_SECONDS_TARGET = 5.0  # `cart history --limit 100000`: "a few seconds"
HISTORY_LIMIT = 100_000


@dataclass(frozen=True)
class TransferRow:
    what: str
    megabytes: float
    seconds: float
    target_s: float | None  # None: measured, no time target
    detail: str = ""
    ok_extra: bool = True  # any other condition of the row (every entry written, identical)


def run_probed(argv: list[str], env: dict[str, str], output: Path) -> tuple[float, float]:
    """(peak RSS in MB, seconds) of one cart process, its stdout written to ``output``."""
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", RSS_PROBE, str(output), *argv],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    seconds = time.perf_counter() - started
    code, max_rss = (int(word) for word in done.stdout.split())
    if code != 0:
        raise SystemExit(f"bench: {' '.join(argv)} failed with exit {code}:\n{done.stderr}")
    # Linux reports KiB, macOS bytes.
    return (max_rss / (1024 * 1024) if sys.platform == "darwin" else max_rss / 1024), seconds


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


def measure_transfer(launcher: list[str], env: dict[str, str], workdir: Path, big: int) -> list[TransferRow]:
    """Exports (CSV, JSON, FHIR), history --limit 100000, import of the JSON export into a new
    database, and the round trip export -> import -> export (identical but for the ids)."""
    rows = []
    outputs = {}
    for name in ("csv", "json", "fhir"):
        target = workdir / f"transfer.{name}"
        megabytes, seconds = run_probed(
            [*launcher, "export", "--format", name, "--output", str(target)], env, workdir / "out.txt"
        )
        outputs[name] = target
        size = f"{target.stat().st_size / 1e6:.0f} MB file"
        limit = TRANSFER_SECONDS_TARGET.get(name)
        rows.append(TransferRow(f"`cart export --format {name}`", megabytes, seconds, limit, size))
        print(f"  export {name}: {seconds:.1f} s, {megabytes:.0f} MB", file=sys.stderr)
    listed = workdir / "history.txt"
    megabytes, seconds = run_probed([*launcher, "history", "--limit", str(HISTORY_LIMIT)], env, listed)
    with listed.open("rb") as file:
        lines = sum(1 for _ in file)
    label = f"`cart history --limit {HISTORY_LIMIT:,}`"
    complete = min(HISTORY_LIMIT, big) <= lines <= HISTORY_LIMIT  # `cart log` in the timing runs adds a few
    rows.append(TransferRow(label, megabytes, seconds, HISTORY_SECONDS_TARGET, f"{lines:,} lines", complete))
    second_db = workdir / "imported.db"
    second_env = {**env, "CART_DB": str(second_db)}
    megabytes, seconds = run_probed(
        [*launcher, "import", str(outputs["json"])], second_env, workdir / "out.txt"
    )
    rows.append(TransferRow("`cart import` of that JSON export into a new database", megabytes, seconds,
                            IMPORT_SECONDS_TARGET))  # fmt: skip
    print(f"  import: {seconds:.1f} s, {megabytes:.0f} MB", file=sys.stderr)
    again = workdir / "export-again.json"
    run_probed(
        [*launcher, "export", "--format", "json", "--output", str(again)], second_env, workdir / "out.txt"
    )
    same = without_ids(outputs["json"]) == without_ids(again)
    label = "round trip: export -> import into a new database -> export"
    rows.append(TransferRow(label, 0.0, 0.0, None, "" if same else "**DIFFERENT**", same))
    return rows


def transfer_section(rows: list[TransferRow], big: int) -> int:
    """Print the transfer results; return how many targets failed."""
    failures = 0
    print(f"\n| at {big:,} entries | peak RSS | time | target | |")
    print("| --- | ---: | ---: | --- | :---: |")
    for row in rows:
        if row.what.startswith("round trip"):
            failures += not row.ok_extra
            print(f"| {row.what} | | | identical apart from ids | {verdict(row.ok_extra)} |")
            continue
        ok = row.megabytes < EXPORT_RSS_TARGET_MB and row.ok_extra
        target = f"< {EXPORT_RSS_TARGET_MB} MB"
        if row.target_s is not None:
            ok = ok and row.seconds <= row.target_s
            target += f", ≤ {row.target_s:g} s"
        failures += not ok
        detail = f" ({row.detail})" if row.detail else ""
        measured = f"{row.megabytes:.0f} MB | {row.seconds:.1f} s"
        print(f"| {row.what}{detail} | {measured} | {target} | {verdict(ok)} |")
    print(
        "\nThe round trip compares the two JSON exports line by line without the `exported_at` line "
        "and the entries' ids: ids are given by the database that stores an entry, so the importing "
        "database numbers them afresh; everything else (uids, times, values, notes, the plan) is identical."
    )
    return failures


# -- the clinic report (issue 11) -------------------------------------------------------------

REPORT_YEAR_TARGET_S = 0.5  # "well under a second" for a year of readings, 10 a day
REPORT_DAYS = 7  # with the rules' week of history: inside the newest entries, the same at every size
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
    """Median seconds to query, build, render and write a 365-day report of a year of
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
            began = time.perf_counter()
            write_report(store, plan, now, start, workdir / "year.html", force=True)
            times.append(time.perf_counter() - began)
    return statistics.median(times), len(entries)


def measure_report_scale(
    launcher: list[str], envs: dict[int, dict[str, str]], workdir: Path, runs: int
) -> dict[int, float]:
    """Median ms of the whole `cart report --days 7` process at each database size."""
    result = {}
    for count, env in envs.items():
        argv = [
            *launcher,
            "report",
            "--days",
            str(REPORT_DAYS),
            "--output",
            str(workdir / f"r{count}.html"),
            "--force",
        ]
        time_process(argv, env, frozenset({0}))  # warm-up
        result[count] = statistics.median(time_process(argv, env, frozenset({0})) for _ in range(runs)) * 1000
    return result


def report_section(year: tuple[float, int], scale: dict[int, float], big: int) -> int:
    """Print the report's results; return how many targets failed."""
    seconds, count = year
    small_ms, big_ms = scale[SMALL_ENTRIES], scale[big]
    year_ok = seconds < REPORT_YEAR_TARGET_S
    scale_ok = big_ms <= SCALE_TARGET * small_ms
    print("\n| `cart report` | result | target | |")
    print("| --- | --- | --- | :---: |")
    print(
        f"| a year, 10 readings a day ({count:,} entries), 365-day report: query, build, render, write "
        f"| {seconds * 1000:.0f} ms | < {REPORT_YEAR_TARGET_S * 1000:.0f} ms | {verdict(year_ok)} |"
    )
    print(
        f"| `cart report --days {REPORT_DAYS}` (whole process) at {SMALL_ENTRIES} and {big:,} entries "
        f"| {small_ms:.1f} ms / {big_ms:.1f} ms ({big_ms / small_ms:.2f}x) "
        f"| ≤ {SCALE_TARGET:.1f}x | {verdict(scale_ok)} |"
    )
    return (not year_ok) + (not scale_ok)


# -- the run ----------------------------------------------------------------------------------


def machine() -> dict[str, str]:
    """What the numbers were measured on."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {
        "CPU": cpu,
        "cores (nproc)": str(cores),
        "OS": platform.platform(),
        "Python": f"{platform.python_version()} ({sys.executable})",
        "SQLite": sqlite3.sqlite_version,
    }


def measure(launcher: list[str], envs: dict[int, dict[str, str]], runs: int) -> dict[int, Timings]:
    """Timings of the floor and every command at every database size, interleaved round by
    round, so that any drift in the machine's speed falls on all of them alike."""
    floor = [sys.executable, "-c", FLOOR_IMPORTS]
    timings = {count: Timings() for count in envs}
    for env in envs.values():  # warm-up: page cache, bytecode cache
        time_process(floor, env, frozenset({0}))
        for command in COMMANDS:
            time_process([*launcher, *command.args], env, command.exit_codes)
    for round_number in range(runs):
        print(f"  round {round_number + 1} of {runs}", file=sys.stderr)
        for count, env in envs.items():
            timings[count].add("floor", time_process(floor, env, frozenset({0})))
            for command in COMMANDS:
                seconds = time_process([*launcher, *command.args], env, command.exit_codes)
                timings[count].add(command.label, seconds)
    return timings


def verdict(ok: bool) -> str:
    return "PASS" if ok else "**FAIL**"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="10,000 entries and 3 runs (under a minute)")
    parser.add_argument("--runs", type=int, help="runs per command (default 15, or 3 with --quick)")
    parser.add_argument("--entries", type=int, help="size of the big database (default 1,000,000)")
    args = parser.parse_args(argv)
    runs = args.runs or (3 if args.quick else 15)
    big = args.entries or (10_000 if args.quick else 1_000_000)
    if big < SMALL_ENTRIES or runs < 1:
        parser.error(f"--entries must be at least {SMALL_ENTRIES} and --runs at least 1")

    check_names_are_known()
    launcher, launcher_text = cart_launcher()
    now = datetime.now().astimezone()
    command_line = " ".join(["python", *sys.argv]) if argv is None else "bench.main(...)"
    workdir = Path(tempfile.mkdtemp(prefix="cart-bench-"))
    try:
        (workdir / "home").mkdir()
        sizes = {SMALL_ENTRIES: workdir / "small.db", big: workdir / "big.db"}
        for count, path in sizes.items():
            started = time.perf_counter()
            build_database(path, count, now)
            size_mb = path.stat().st_size / 1e6
            print(
                f"built {count:,} entries in {time.perf_counter() - started:.1f} s ({size_mb:.1f} MB)",
                file=sys.stderr,
            )

        print(f"timing {runs} runs of each command at each size ...", file=sys.stderr)
        envs = {count: child_env(workdir, path) for count, path in sizes.items()}
        timings = measure(launcher, envs, runs)

        asked_at = datetime.now().astimezone()
        plans = {count: query_plans(path, asked_at) for count, path in sizes.items()}

        export_row = None
        if export_available(launcher, envs[big]):
            print("measuring cart export --format csv ...", file=sys.stderr)
            export_row = measure_export(launcher, envs[big], workdir / "export.csv")
        print("measuring export, import, history and the round trip ...", file=sys.stderr)
        transfer_rows = measure_transfer(launcher, envs[big], workdir, big)

        print("measuring cart report ...", file=sys.stderr)
        report_year = measure_report_year(workdir, runs)
        report_scale = measure_report_scale(launcher, envs, workdir, runs)

        failures = report(timings, big, runs, plans, export_row, launcher_text, command_line)
        failures += report_section(report_year, report_scale, big)
        failures += transfer_section(transfer_rows, big)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return 1 if failures else 0


def report(timings, big, runs, plans, export_row, launcher_text, command_line) -> int:
    """Print the results as markdown; return how many targets failed."""
    failures = 0
    small = timings[SMALL_ENTRIES]
    large = timings[big]
    floor_ms = small.median_ms("floor")
    print("## cart benchmark\n")
    print(f"Command: `{command_line}`  ")
    print(
        f"cart was run as {launcher_text}; median of {runs} runs each, whole processes, "
        "bytecode cache on (as after pip install).  "
    )
    print(f'Import floor: `python -c "{FLOOR_IMPORTS}"`, measured in the same run.\n')
    for name, value in machine().items():
        print(f"- {name}: {value}")
    print()
    print(
        f"| command | {SMALL_ENTRIES} entries (ms) | ÷ import floor | ≤ {FLOOR_TARGET:.1f}x floor "
        f"| {big:,} entries (ms) | {big:,} ÷ {SMALL_ENTRIES} | ≤ {SCALE_TARGET:.1f}x |"
    )
    print("| --- | ---: | ---: | :---: | ---: | ---: | :---: |")
    print(
        f"| import floor | {floor_ms:.1f} | 1.00x | | {large.median_ms('floor'):.1f} | "
        f"{large.median_ms('floor') / floor_ms:.2f}x | |"
    )
    for command in COMMANDS:
        at_small = small.median_ms(command.label)
        at_big = large.median_ms(command.label)
        floor_ratio = at_small / floor_ms
        scale_ratio = at_big / at_small
        failures += (floor_ratio > FLOOR_TARGET) + (scale_ratio > SCALE_TARGET)
        print(
            f"| `{command.label}` | {at_small:.1f} | {floor_ratio:.2f}x "
            f"| {verdict(floor_ratio <= FLOOR_TARGET)} "
            f"| {at_big:.1f} | {scale_ratio:.2f}x | {verdict(scale_ratio <= SCALE_TARGET)} |"
        )
    print()
    print(f"| export | {big:,} entries | target | result |")
    print("| --- | --- | --- | :---: |")
    if export_row is None:
        print(
            f"| `cart export --format csv` | not available in this cart "
            f"| < {EXPORT_RSS_TARGET_MB} MB peak RSS | - |"
        )
    else:
        megabytes, seconds, lines = export_row
        ok = megabytes < EXPORT_RSS_TARGET_MB and lines > big  # and every entry was written
        failures += not ok
        print(
            f"| `cart export --format csv` | peak RSS {megabytes:.1f} MB; {seconds:.1f} s; "
            f"{lines:,} lines | < {EXPORT_RSS_TARGET_MB} MB peak RSS | {verdict(ok)} |"
        )
    print()
    print(
        f"Queries, planned on the {big:,}-entry database; work in SQLite VM steps at each size "
        "(target: no full scan or sort, and work within the same 1.2x):\n"
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
    print()
    print("All targets met." if not failures else f"{failures} target(s) missed.")
    return failures


if __name__ == "__main__":
    sys.exit(main())
