"""Reading the dates found in imported files into aware UTC datetimes.

Exports mix ISO 8601, UK day-first spreadsheet dates, RFC 2822 (feeds, e-mail style)
and Unix epoch seconds, often without a zone. One ``DateReader`` serves one import: it
remembers which format worked last and caches recent strings, because a 100,000-row
file almost always uses a single format and often repeats the same minute.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime, parsedate_tz
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from smmod.clock import SystemClock, iso_reason
from smmod.errors import InputError

EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
FUTURE_SLACK = timedelta(days=1)
_MAX_DATE_CHARS = 64
_CACHE_SIZE = 4096


class DateProblem(ValueError):
    """A date that cannot be used; ``str()`` is the reason to show the user."""


class _NotThisFormat(Exception):
    """The string does not have the shape of the format being tried."""


def shorten(value: str, limit: int = 40) -> str:
    """Keep user messages readable when a field holds something huge."""
    return value if len(value) <= limit else value[: limit - 1] + "…"


def _iso(value: str) -> tuple[datetime, bool]:
    # Shape check first so that "2026-02-31" reads as an impossible date, not as
    # "some other format".
    if len(value) < 10 or value[4] != "-" or value[7] != "-":
        raise _NotThisFormat
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError as err:
        if "Invalid isoformat" in str(err):
            raise DateProblem(f"'{shorten(value)}' is not a date smmod understands") from err
        raise DateProblem(f"'{shorten(value)}' is not a real date or time "
                          f"({iso_reason(value, err) or 'not ISO 8601'})") from err
    return parsed, parsed.tzinfo is None


def _day_first(value: str) -> tuple[datetime, bool]:
    """UK spreadsheet style: 24/11/2026, optionally with 14:05, 14:05:33 or 2:05 pm."""
    if "/" not in value:
        raise _NotThisFormat
    if len(value) in (16, 19) and value[2] == "/" and value[5] == "/" and value[10] == " ":
        # The usual spreadsheet shape, rearranged for the C ISO parser: several times
        # faster than splitting in Python. Anything odd falls through to the full reading.
        try:
            fast = datetime.fromisoformat(f"{value[6:10]}-{value[3:5]}-{value[0:2]}T{value[11:]}")
        except ValueError:
            fast = None
        if fast is not None and fast.tzinfo is None:
            return fast, True
    date_part, _, time_part = value.strip().partition(" ")
    pieces = date_part.split("/")
    if len(pieces) != 3 or not all(p.isdigit() for p in pieces):
        raise _NotThisFormat
    day, month, year = (int(p) for p in pieces)
    if len(pieces[2]) == 2:
        year += 2000
    elif len(pieces[2]) != 4:
        raise _NotThisFormat
    hour = minute = second = 0
    time_part = time_part.strip().lower()
    if time_part:
        meridiem = ""
        if time_part.endswith(("am", "pm")):
            meridiem, time_part = time_part[-2:], time_part[:-2].strip()
        clock = time_part.split(":")
        if len(clock) not in (2, 3) or not all(p.isdigit() for p in clock):
            raise _NotThisFormat
        hour, minute = int(clock[0]), int(clock[1])
        second = int(clock[2]) if len(clock) == 3 else 0
        if meridiem:
            if not 1 <= hour <= 12:
                raise DateProblem(f"'{shorten(value)}' is not a real time")
            hour = hour % 12 + (12 if meridiem == "pm" else 0)
    try:
        return datetime(year, month, day, hour, minute, second), True
    except ValueError as err:
        raise DateProblem(
            f"'{shorten(value)}' is not a real date or time ({err}; dates are read day first)"
        ) from err


_MONTHS = {
    name: f"{number:02d}"
    for number, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"),
        start=1,
    )
}
_UTC_NAMES = frozenset({"gmt", "utc", "ut", "z", "+0000"})


def _rfc2822_usual(value: str) -> datetime | None:
    """The shape feeds nearly always use, "Thu, 19 Nov 2026 08:30:00 +0000", done fast."""
    parts = value.split()
    if len(parts) != 6 or not parts[0].endswith(","):
        return None
    _, day, month, year, clock, zone = parts
    number = _MONTHS.get(month.lower())
    zone = zone.lower()
    if number is None or len(year) != 4 or len(clock) != 8:
        return None
    if zone in _UTC_NAMES:
        zone = "+00:00"
    elif len(zone) != 5 or zone[0] not in "+-" or zone == "-0000":
        return None
    try:
        return datetime.fromisoformat(f"{year}-{number}-{day.zfill(2)}T{clock}{zone}")
    except ValueError:
        return None


def _rfc2822(value: str) -> tuple[datetime, bool]:
    usual = _rfc2822_usual(value)
    if usual is not None:
        return usual.astimezone(UTC), False
    if parsedate_tz(value) is None:
        raise _NotThisFormat
    try:
        parsed = parsedate_to_datetime(value)
    except ValueError as err:
        raise DateProblem(f"'{shorten(value)}' is not a real date or time "
                          f"({iso_reason(value, err) or 'not ISO 8601'})") from err
    if parsed.tzinfo is not None:
        return parsed.astimezone(UTC), False
    if value.rstrip().endswith("-0000"):
        # RFC 2822: -0000 is UTC with no statement about the sender's zone.
        return parsed.replace(tzinfo=UTC), False
    return parsed, True


def _epoch(value: str) -> tuple[datetime, bool]:
    whole, _, fraction = value.partition(".")
    if not whole.isdigit() or (fraction and not fraction.isdigit()):
        raise _NotThisFormat
    try:
        return datetime.fromtimestamp(float(value), tz=UTC), False
    except (OverflowError, OSError, ValueError) as err:
        raise DateProblem(f"'{shorten(value)}' is not a usable Unix time") from err


_FORMATS: tuple[Callable[[str], tuple[datetime, bool]], ...] = (
    _iso,
    _day_first,
    _epoch,
    _rfc2822,
)


def load_zone(tz: str) -> ZoneInfo:
    """Fail early, as bad input, when the configured zone name is wrong."""
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError) as err:
        raise InputError(f"unknown time zone '{shorten(tz)}'", field="tz") from err


class DateReader:
    """Reads date strings for one import and notes whether any needed a guessed zone.

    A time with no zone is taken in ``tz``. Across a clock change the reading is fixed:
    a time that happens twice (autumn) is the first, earlier one; a time that never
    happens (spring gap) is read with the offset in force before the change, so
    01:30 on the spring-forward Sunday in London becomes 01:30 UTC (02:30 BST).
    """

    def __init__(self, tz: str = "Europe/London", now: datetime | None = None) -> None:
        self._zone = load_zone(tz)
        current = now if now is not None else SystemClock().now()
        if current.tzinfo is None:
            raise ValueError("now must be an aware datetime")
        self.now = current
        self._latest = current + FUTURE_SLACK
        self._order = list(_FORMATS)
        self._cache: dict[str, tuple[datetime, bool]] = {}
        self.assumed_local = False

    def read(self, value: str) -> datetime:
        """Return ``value`` as an aware UTC datetime, or raise ``DateProblem``."""
        hit = self._cache.get(value)
        if hit is None:
            hit = self._parse(value)
            if len(self._cache) >= _CACHE_SIZE:
                self._cache.clear()
            self._cache[value] = hit
        when, assumed = hit
        if assumed:
            self.assumed_local = True
        return when

    def _parse(self, value: str) -> tuple[datetime, bool]:
        text = value.strip()
        if not text:
            raise DateProblem("is empty")
        if len(text) > _MAX_DATE_CHARS:
            raise DateProblem(f"'{shorten(text)}' is not a date smmod understands")
        parsed = self._try_formats(text)
        when, assumed = parsed
        if assumed:
            when = when.replace(tzinfo=self._zone, fold=0)
        when = when.astimezone(UTC)
        if when < EARLIEST:
            raise DateProblem(f"'{shorten(text)}' is before 2000")
        if when > self._latest:
            raise DateProblem(f"'{shorten(text)}' is more than a day in the future")
        return when, assumed

    def _try_formats(self, text: str) -> tuple[datetime, bool]:
        for index, reader in enumerate(self._order):
            try:
                result = reader(text)
            except _NotThisFormat:
                continue
            if index:
                # Move the format that worked to the front: the next row almost
                # certainly uses it too.
                self._order.insert(0, self._order.pop(index))
            return result
        raise DateProblem(
            f"'{shorten(text)}' is not a date smmod understands (use e.g. "
            "2026-11-24T14:05:00Z, 24/11/2026 14:05 or Tue, 24 Nov 2026 14:05:00 GMT)"
        )
