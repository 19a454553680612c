"""Local time: the right UTC offset for every moment, and one way of writing dates and times.

conftest.py runs the suite with TZ=Europe/London, so British Summer Time starts on
2026-03-29 at 01:00 UTC and ends on 2026-10-25 at 01:00 UTC.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from cart_cli.timefmt import LOCAL, SystemLocalTime, format_date, local_time, named_zone
from cart_cli.verdict import window_start as _hours_before

UTC = UTC


@pytest.mark.parametrize(
    ("utc", "offset_hours"),
    [
        (datetime(2026, 1, 15, 12, 0, tzinfo=UTC), 0),
        (datetime(2026, 3, 29, 0, 59, tzinfo=UTC), 0),  # a minute before the clocks go forward
        (datetime(2026, 3, 29, 1, 0, tzinfo=UTC), 1),
        (datetime(2026, 7, 1, 12, 0, tzinfo=UTC), 1),
        (datetime(2026, 10, 25, 0, 59, tzinfo=UTC), 1),
        (datetime(2026, 10, 25, 1, 0, tzinfo=UTC), 0),  # the clocks go back
    ],
)
def test_each_moment_gets_its_own_offset(utc, offset_hours):
    """Converting to LOCAL uses the offset in force at that moment, not today's."""
    local = utc.astimezone(LOCAL)
    assert local.utcoffset() == timedelta(hours=offset_hours)
    assert local.astimezone(UTC) == utc


@pytest.mark.parametrize(
    ("wall", "utc"),
    [
        (datetime(2026, 10, 24, 21, 30), datetime(2026, 10, 24, 20, 30, tzinfo=UTC)),  # summer
        (datetime(2026, 10, 25, 21, 30), datetime(2026, 10, 25, 21, 30, tzinfo=UTC)),  # winter
    ],
)
def test_wall_clock_times_either_side_of_a_clock_change(wall, utc):
    """'yesterday 21:30' typed the morning after the clocks change keeps its own offset."""
    assert wall.replace(tzinfo=LOCAL).astimezone(UTC) == utc


@pytest.mark.parametrize(
    ("fold", "utc_hour"),
    [(0, 0), (1, 1)],  # 01:30 BST is 00:30 UTC; 01:30 GMT an hour later is 01:30 UTC
)
def test_the_repeated_hour_follows_fold(fold, utc_hour):
    """In the hour the clocks go back, fold picks the first or second 01:30 (PEP 495)."""
    wall = datetime(2026, 10, 25, 1, 30, fold=fold, tzinfo=LOCAL)
    assert wall.astimezone(UTC) == datetime(2026, 10, 25, utc_hour, 30, tzinfo=UTC)


def test_a_time_in_the_skipped_hour_is_read_with_the_offset_before_the_change():
    """01:30 on the night the clocks go forward does not exist: read as GMT, it is 02:30 BST."""
    wall = datetime(2026, 3, 29, 1, 30, tzinfo=LOCAL)
    assert wall.astimezone(UTC) == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)


def test_a_summer_entry_is_shown_at_its_summer_time_in_winter():
    """An entry taken at 14:00 BST still shows as 14:00 when looked at in December."""
    entry = datetime(2026, 7, 1, 13, 0, tzinfo=UTC)
    now = datetime(2026, 12, 1, 9, 0, tzinfo=LOCAL)
    assert local_time(entry, now) == "Wed 1 Jul 14:00"


@pytest.mark.parametrize(
    ("moment", "now", "expected"),
    [
        (datetime(2026, 11, 27, 8, 5, tzinfo=LOCAL), datetime(2026, 11, 27, 9, 0, tzinfo=LOCAL), "08:05"),
        (
            datetime(2026, 11, 26, 23, 59, tzinfo=LOCAL),
            datetime(2026, 11, 27, 0, 1, tzinfo=LOCAL),
            "Thu 26 Nov 23:59",
        ),
        (
            datetime(2025, 12, 31, 20, 0, tzinfo=LOCAL),
            datetime(2026, 1, 1, 9, 0, tzinfo=LOCAL),
            "Wed 31 Dec 2025 20:00",
        ),
    ],
)
def test_local_time_names_the_day_only_when_it_is_not_today(moment, now, expected):
    """Times today are HH:MM; other days add weekday and date, and the year if it differs."""
    assert local_time(moment, now) == expected


@pytest.mark.parametrize(
    ("day", "expected"),
    [(date(2027, 2, 3), "Wed 3 Feb 2027"), (date(2028, 2, 29), "Tue 29 Feb 2028")],
)
def test_format_date(day, expected):
    """Dates read as weekday, day without a leading zero, month, year."""
    assert format_date(day) == expected


def test_hours_before_counts_real_hours_across_a_clock_change():
    """The check's 24-hour window is 24 real hours, even on the night the clocks go back."""
    now = datetime(2026, 10, 25, 12, 0, tzinfo=LOCAL)  # 12:00 GMT, the day the clocks go back
    start = _hours_before(now, 24)
    assert now.astimezone(UTC) - start.astimezone(UTC) == timedelta(hours=24)
    assert start.hour == 13  # 24 h before 12:00 UTC is 12:00 UTC the day before: 13:00 BST


@pytest.mark.parametrize(
    ("celsius", "shown"),
    [(38.0, "38.0 °C"), (37.5, "37.5 °C"), (37.46, "37.46 °C"), (37.94, "37.94 °C"), (36.6, "36.6 °C")],
)
def test_temperatures_are_never_rounded_onto_a_threshold(celsius, shown):
    """37.46 °C is shown as such, not as 37.5 °C (which would look amber but is not)."""
    from cart_cli.models import format_celsius

    assert format_celsius(celsius) == shown


# -- the fast path (zoneinfo) gives the C library's answers ----------------------------------

C_LIBRARY = SystemLocalTime(named=False)
ZONEINFO = SystemLocalTime(named=True)


def _changes(year: int) -> list[datetime]:
    """Midnight UTC before each clock change of ``year`` (the C library's offset differs at
    the next midnight)."""
    days = [datetime(year, 1, 1, tzinfo=UTC) + timedelta(days=n) for n in range(367)]
    offsets = [day.astimezone(C_LIBRARY).utcoffset() for day in days]
    return [days[n] for n in range(366) if offsets[n] != offsets[n + 1]]


@pytest.mark.parametrize(
    "name",
    [
        "Europe/London",
        "America/New_York",
        "Australia/Sydney",  # clocks change the other way round the year
        "Australia/Lord_Howe",  # a change of half an hour
        "America/Sao_Paulo",  # had summer time until 2019, none since
        "Asia/Kolkata",  # no changes, an offset of 5:30
    ],
)
@pytest.mark.parametrize("year", [2018, 2026])
def test_named_zones_answer_as_the_c_library_does_across_clock_changes(zone, name, year):
    """Around every clock change of the year (and on an ordinary day), every quarter of an
    hour: converting from UTC, and reading a wall-clock time with fold 0 and 1 (the repeated
    and the skipped hour), give the same offsets, names, folds and summer time on both paths."""
    zone(name)
    assert named_zone(name) is not None, name
    changes = _changes(year)
    days = [*changes, datetime(year, 6, 10, tzinfo=UTC), datetime(year, 12, 10, tzinfo=UTC)]
    for day in days:
        for quarter in range(-8, 4 * 26):  # from 2 hours before to 2 hours after that day
            utc = day + timedelta(minutes=15 * quarter)
            fast, slow = utc.astimezone(ZONEINFO), utc.astimezone(C_LIBRARY)
            assert (fast.replace(tzinfo=None), fast.fold) == (slow.replace(tzinfo=None), slow.fold), utc
            assert (fast.utcoffset(), fast.tzname()) == (slow.utcoffset(), slow.tzname()), utc
            # Summer time or not (the C library cannot say by how much: it answers an hour).
            assert bool(fast.dst()) == bool(slow.dst()), utc
            for fold in (0, 1):
                wall = utc.replace(tzinfo=None, fold=fold)
                here, there = wall.replace(tzinfo=ZONEINFO), wall.replace(tzinfo=C_LIBRARY)
                assert here.utcoffset() == there.utcoffset(), (wall, fold)
                assert here.astimezone(UTC) == there.astimezone(UTC), (wall, fold)


@pytest.mark.parametrize(
    ("tz", "named"),
    [
        ("Europe/London", True),
        (":Europe/London", True),
        ("/usr/share/zoneinfo/Europe/London", True),
        ("CET-1CEST,M3.5.0,M10.5.0/3", False),  # a POSIX rule: the C library reads it
        ("Europe/Londn", False),  # unknown: the C library's answer (cart says so, see cli.py)
        ("", False),
    ],
)
def test_which_time_zones_take_the_fast_path(tz, named):
    """A zone name or a zone file's path is read with zoneinfo; anything else by the C library."""
    assert (named_zone(tz) is not None) is named


def test_a_posix_rule_in_tz_still_changes_the_clocks(zone):
    """TZ=CET-1CEST,... (no zone name): local time follows the rule, through the C library."""
    zone("CET-1CEST,M3.5.0,M10.5.0/3")
    assert datetime(2026, 7, 1, 12, 0, tzinfo=UTC).astimezone(ZONEINFO).utcoffset() == timedelta(hours=2)
    assert datetime(2026, 12, 1, 12, 0, tzinfo=UTC).astimezone(ZONEINFO).utcoffset() == timedelta(hours=1)


def test_local_time_turns_to_zoneinfo_after_its_first_conversions(zone):
    """LOCAL answers through the C library at first and through zoneinfo after NAMED_AFTER
    conversions; the answers across a clock change are the same before and after."""
    from cart_cli.timefmt import NAMED_AFTER

    zone("America/New_York")
    local = SystemLocalTime()
    moments = [datetime(2026, 11, 1, 5, 0, tzinfo=UTC) + timedelta(minutes=15 * n) for n in range(8)]
    first = [m.astimezone(local) for m in moments]
    assert local._zone() is None  # still the C library
    for _ in range(NAMED_AFTER):
        datetime(2026, 1, 1, tzinfo=UTC).astimezone(local)
    assert local._zone() is not None
    later = [m.astimezone(local) for m in moments]
    assert [(m.replace(tzinfo=None), m.fold, m.utcoffset()) for m in first] == [
        (m.replace(tzinfo=None), m.fold, m.utcoffset()) for m in later
    ]
