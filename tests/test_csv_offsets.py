"""Issue 23: the CSV export writes local times with the zone's offsets worked out once for
each span of time (``exporters.local_offsets``) instead of SQLite's 'localtime' five times a
row. The file must be byte for byte the one 'localtime' gives, in every zone, at every clock
change, and with the day since infusion."""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from cart_cli import export_rows
from cart_cli.exporters import CSV_COLUMNS, _csv_text, local_offsets
from cart_cli.store import Store

ZONES = [
    "Europe/London",
    "America/St_Johns",  # offsets with minutes
    "Australia/Lord_Howe",  # a clock change of 30 minutes
    "Pacific/Apia",  # a day skipped (30 December 2011)
    "Asia/Kathmandu",  # +05:45
    "CET-1CEST,M3.5.0,M10.5.0/3",  # a POSIX rule: the C library alone knows it
    "ABC-5:30:15",  # an offset with seconds: recorded_at is written in UTC
    "UTC",
]


@pytest.fixture(scope="module")
def database(tmp_path_factory) -> Path:
    """Entries over 2011: one a day, and in the months when clocks change (March, April,
    September to December) four every half hour (a second before and on the hour and the
    half hour), so every change in these zones has entries on both sides of its second."""
    path = tmp_path_factory.mktemp("csv-offsets") / "cart.db"
    with Store.open(path, now=datetime(2014, 1, 1, tzinfo=UTC)):
        pass
    moments = []
    day = datetime(2010, 12, 31, tzinfo=UTC)
    while day < datetime(2012, 1, 2, tzinfo=UTC):
        if day.month in (3, 4, 9, 10, 11, 12):
            for half in range(48):
                at = day + timedelta(minutes=30 * half)
                moments += [at - timedelta(seconds=1), at]
        else:
            moments.append(day + timedelta(hours=13, minutes=17, seconds=29))
        day += timedelta(days=1)
    rows = [("temp", m.isoformat(timespec="seconds"), m.isoformat(timespec="seconds"), 37.0, f"{n:032x}")
            for n, m in enumerate(moments)]  # fmt: skip
    with sqlite3.connect(path) as conn:
        conn.executemany(
            "INSERT INTO entries (kind, recorded_at, logged_at, celsius, uid) VALUES (?, ?, ?, ?, ?)", rows
        )
    return path


@pytest.mark.parametrize("name", ZONES)
def test_csv_lines_with_worked_out_offsets_are_the_localtime_ones(database, zone, name):
    zone(name)
    with Store.open(database, now=datetime(2014, 1, 1, tzinfo=UTC)) as store:
        span = export_rows.recorded_range(store)
        assert span is not None
        offsets = local_offsets(*span)
        assert offsets is not None and len(offsets) >= (
            1 if name in ("UTC", "Asia/Kathmandu", "ABC-5:30:15") else 3
        )
        lines = {}
        for way, given in (("localtime", None), ("offsets", offsets)):
            lines[way] = [
                line
                for batch in export_rows.csv_line_batches(
                    store, CSV_COLUMNS, infusion_date=date(2011, 3, 27), text_cell=_csv_text, offsets=given
                )
                for line in batch
            ]
    assert len(lines["offsets"]) == len(lines["localtime"]) > 17_000
    assert lines["offsets"] == lines["localtime"]


def test_times_not_stored_as_cart_stores_them_are_left_to_localtime(tmp_path):
    """An entry whose time is not UTC text of fixed width (written by hand, say) leaves the
    whole export to SQLite's 'localtime': text order would not be time order."""
    path = tmp_path / "cart.db"
    with Store.open(path, now=datetime(2014, 1, 1, tzinfo=UTC)):
        pass
    with sqlite3.connect(path) as conn:
        conn.execute(
            "INSERT INTO entries (kind, recorded_at, logged_at, celsius, uid) "
            "VALUES ('temp', '2012-06-01 10:00:00+01:00', '2012-06-01T09:00:00+00:00', 37.0, 'a')"
        )
    with Store.open(path, now=datetime(2014, 1, 1, tzinfo=UTC)) as store:
        assert export_rows.recorded_range(store) is None


def test_no_offsets_outside_the_years_sqlite_asks_the_c_library_about():
    assert local_offsets(datetime(1969, 12, 31, tzinfo=UTC), datetime(2000, 1, 1, tzinfo=UTC)) is None
    assert local_offsets(datetime(2000, 1, 1, tzinfo=UTC), datetime(2038, 1, 1, tzinfo=UTC)) is None
