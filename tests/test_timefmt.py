"""Local time: the right UTC offset for every moment, and one way of writing dates and times.

conftest.py runs the suite with TZ=Europe/London, so British Summer Time starts on
2026-03-29 at 01:00 UTC and ends on 2026-10-25 at 01:00 UTC.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from cart_cli.timefmt import LOCAL, format_date, local_time
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
