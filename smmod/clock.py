"""The one clock every part of smmod reads the time from.

Deadlines, training expiry, audit stamps and "today" all come from a single ``Clock``
built with the application context and passed to each service, so that a test, a
training session or a demo can fix the time for the whole program at once. Nothing
else in ``smmod`` calls ``datetime.now()`` or ``date.today()`` (``scripts/check_clock.py``
enforces that); code that measures durations uses ``time.perf_counter()`` or
``time.monotonic()`` instead.

``SMMOD_NOW=2027-10-31T00:30:00Z`` freezes the clock at that instant, for tests and for
training on a fixed day.
"""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Protocol
from zoneinfo import ZoneInfo

from smmod.errors import InputError

ENV_NOW = "SMMOD_NOW"
SCHOOL_ZONE = "Europe/London"


class Clock(Protocol):
    def now(self) -> datetime:
        """The current instant, aware, in UTC."""
        ...

    def today(self) -> date:
        """The school's calendar date now (in the school's time zone, not the PC's)."""
        ...


class SystemClock:
    """The computer's clock."""

    def __init__(self, zone: str | tzinfo = SCHOOL_ZONE) -> None:
        self.zone = ZoneInfo(zone) if isinstance(zone, str) else zone

    def now(self) -> datetime:
        return wall_time()

    def today(self) -> date:
        return self.now().astimezone(self.zone).date()

    def __repr__(self) -> str:
        return f"SystemClock({self.zone})"


class FrozenClock:
    """A clock that stands still until it is set or moved on (tests, training, demos)."""

    def __init__(self, at: datetime, zone: str | tzinfo = SCHOOL_ZONE) -> None:
        self.zone = ZoneInfo(zone) if isinstance(zone, str) else zone
        self._at = _aware(at)

    def now(self) -> datetime:
        return self._at

    def today(self) -> date:
        return self._at.astimezone(self.zone).date()

    def set(self, at: datetime) -> None:
        self._at = _aware(at)

    def advance(self, by: timedelta) -> datetime:
        self._at += by
        return self._at

    def __repr__(self) -> str:
        return f"FrozenClock({self._at.isoformat()}, {self.zone})"


def wall_time() -> datetime:
    """The computer's real time, for what must follow the real world even when the clock
    is frozen: the names and order of backup files on disk.
    """
    return datetime.now(UTC)


def _aware(at: datetime) -> datetime:
    if at.tzinfo is None:
        raise ValueError("a clock needs an aware datetime (with a time zone)")
    return at.astimezone(UTC)


def parse_instant(text: str) -> datetime:
    """An ISO 8601 instant with its offset (``Z`` allowed); naive text is refused."""
    value = datetime.fromisoformat(text.strip().replace("Z", "+00:00").replace("z", "+00:00"))
    if value.tzinfo is None:
        raise ValueError(f"{text!r} has no time zone: add Z or an offset such as +00:00")
    return value.astimezone(UTC)


def from_environment(zone: str | tzinfo = SCHOOL_ZONE) -> Clock:
    """The system clock, or a frozen one when ``SMMOD_NOW`` is set."""
    fixed = os.environ.get(ENV_NOW, "").strip()
    if not fixed:
        return SystemClock(zone)
    try:
        return FrozenClock(parse_instant(fixed), zone)
    except ValueError as exc:
        raise InputError(f"{exc} (give an ISO 8601 instant such as 2027-10-31T00:30:00Z, "
                         "or unset it to use the computer's clock)", field=ENV_NOW) from None
