"""Reading import dates: formats, zones, clock changes and impossible values."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from smmod.errors import InputError
from smmod.queue.dates import DateProblem, DateReader

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


def reader(tz: str = "Europe/London") -> DateReader:
    return DateReader(tz, now=NOW)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-11-20T09:15:00Z", datetime(2026, 11, 20, 9, 15, tzinfo=UTC)),
        ("2026-11-20T09:15:00+0000", datetime(2026, 11, 20, 9, 15, tzinfo=UTC)),
        ("2026-07-20T09:15:00+01:00", datetime(2026, 7, 20, 8, 15, tzinfo=UTC)),
        ("2026-11-20T09:15:00.250-05:00", datetime(2026, 11, 20, 14, 15, 0, 250000, tzinfo=UTC)),
        ("Fri, 20 Nov 2026 09:15:00 GMT", datetime(2026, 11, 20, 9, 15, tzinfo=UTC)),
        ("Mon, 20 Jul 2026 09:15:00 +0100", datetime(2026, 7, 20, 8, 15, tzinfo=UTC)),
        ("20 Jul 2026 09:15:00 -0000", datetime(2026, 7, 20, 9, 15, tzinfo=UTC)),
        ("Mon, 6 Jul 2026 09:15:00 +0000", datetime(2026, 7, 6, 9, 15, tzinfo=UTC)),
    ],
)
def test_dates_with_a_zone_are_exact_and_not_assumed(value: str, expected: datetime) -> None:
    dates = reader()
    assert dates.read(value) == expected
    assert dates.read(value).tzinfo is UTC
    assert dates.assumed_local is False


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        # November: London is on GMT.
        ("24/11/2026 10:05", datetime(2026, 11, 24, 10, 5, tzinfo=UTC)),
        ("24/11/2026 10:05:33", datetime(2026, 11, 24, 10, 5, 33, tzinfo=UTC)),
        ("2026-11-24 10:05", datetime(2026, 11, 24, 10, 5, tzinfo=UTC)),
        ("2026-11-24T10:05:00", datetime(2026, 11, 24, 10, 5, tzinfo=UTC)),
        ("4/11/2026 9:05", datetime(2026, 11, 4, 9, 5, tzinfo=UTC)),
        ("4/11/2026 2:05 pm", datetime(2026, 11, 4, 14, 5, tzinfo=UTC)),
        ("4/11/2026 12:05 am", datetime(2026, 11, 4, 0, 5, tzinfo=UTC)),
        ("24/11/26 10:05", datetime(2026, 11, 24, 10, 5, tzinfo=UTC)),
        ("24/11/2026", datetime(2026, 11, 24, 0, 0, tzinfo=UTC)),
        # July: London is on BST, one hour ahead of UTC.
        ("20/07/2026 14:05", datetime(2026, 7, 20, 13, 5, tzinfo=UTC)),
        ("Mon, 20 Jul 2026 14:05:00", datetime(2026, 7, 20, 13, 5, tzinfo=UTC)),
    ],
)
def test_dates_without_a_zone_are_taken_in_london(value: str, expected: datetime) -> None:
    dates = reader()
    assert dates.read(value) == expected
    assert dates.assumed_local is True


def test_the_configured_zone_is_used_for_dates_without_one() -> None:
    assert reader("America/New_York").read("20/07/2026 14:05") == datetime(2026, 7, 20, 18, 5, tzinfo=UTC)
    assert reader("UTC").read("20/07/2026 14:05") == datetime(2026, 7, 20, 14, 5, tzinfo=UTC)


def test_epoch_seconds_are_utc() -> None:
    moment = datetime(2026, 11, 20, 9, 15, tzinfo=UTC)
    dates = reader()
    assert dates.read(str(int(moment.timestamp()))) == moment
    assert dates.read(f"{int(moment.timestamp())}.5") == moment + timedelta(milliseconds=500)
    assert dates.assumed_local is False


def test_spring_gap_reads_with_the_offset_before_the_change() -> None:
    # 29 March 2026: London clocks jump from 01:00 GMT to 02:00 BST; 01:30 never happens.
    assert reader().read("29/03/2026 01:30") == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    assert reader().read("2026-03-29 01:30") == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)


def test_autumn_fold_reads_the_first_occurrence() -> None:
    # 25 October 2026: 01:30 happens twice, first in BST (00:30 UTC), then in GMT.
    assert reader().read("25/10/2026 01:30") == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    # Either side of the fold is unambiguous.
    assert reader().read("25/10/2026 00:59") == datetime(2026, 10, 24, 23, 59, tzinfo=UTC)
    assert reader().read("25/10/2026 02:00") == datetime(2026, 10, 25, 2, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("31/02/2026", "'31/02/2026' is not a real date or time"),
        ("31/02/2026 10:00", "is not a real date or time"),
        ("11/24/2026 10:00", "dates are read day first"),
        ("2026-02-31", "is not a real date or time"),
        ("2026-11-24T25:00", "is not a real date or time"),
        ("24/11/2026 13:05 pm", "is not a real time"),
        ("Tue, 31 Feb 2026 10:00:00 GMT", "is not a real date or time"),
        ("01/01/2099 10:00", "is more than a day in the future"),
        ("2099-01-01T00:00:00Z", "is more than a day in the future"),
        ("31/12/1999 23:59", "is before 2000"),
        ("946684799", "is before 2000"),
        ("next Tuesday", "'next Tuesday' is not a date smmod understands"),
        ("2026-11-24Tnoon", "is not a date smmod understands"),
        ("   ", "is empty"),
    ],
)
def test_bad_dates_say_why(value: str, reason: str) -> None:
    with pytest.raises(DateProblem, match=reason):
        reader().read(value)


def test_a_day_ahead_is_allowed_but_not_more() -> None:
    dates = reader()
    assert dates.read((NOW + timedelta(hours=23)).isoformat()) == NOW + timedelta(hours=23)
    with pytest.raises(DateProblem, match="future"):
        dates.read((NOW + timedelta(hours=25)).isoformat())


def test_huge_values_are_shortened_in_the_reason() -> None:
    with pytest.raises(DateProblem) as caught:
        reader().read("9" * 5000 + "x")
    assert len(str(caught.value)) < 200


def test_cached_values_still_mark_local_time() -> None:
    first = reader()
    first.read("24/11/2026 10:05")
    assert first.assumed_local
    first.read("24/11/2026 10:05")
    second = reader()
    second.read("2026-11-24T10:05:00Z")
    assert second.assumed_local is False


def test_mixed_formats_in_one_file_all_read() -> None:
    dates = reader()
    values = ["24/11/2026 10:05", "2026-11-24T10:05:00Z", "24/11/2026 10:05", "1795000000"]
    results = [dates.read(v) for v in values]
    assert results[0] == results[1] == results[2]
    assert results[3] == datetime.fromtimestamp(1795000000, tz=UTC)


def test_unknown_time_zone_is_an_input_error() -> None:
    with pytest.raises(InputError, match="unknown time zone 'Europe/Londn'"):
        DateReader("Europe/Londn")
