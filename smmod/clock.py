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
import re
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Protocol
from zoneinfo import ZoneInfo

from smmod.errors import InputError, clip

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


_OFFSET_AT_END = re.compile(r"[+-]\d{2}(?::?\d{2}(?::?\d{2}(?:\.\d+)?)?)?$")


def iso_reason(text: str, err: ValueError) -> str | None:
    """Why ``datetime.fromisoformat(text)`` refused ``text``, in words, or None when it
    says no more than "not ISO 8601" (never Python's ``timedelta`` internals)."""
    message = str(err)
    if "offset must be a timedelta" in message:
        found = _OFFSET_AT_END.search(text.strip())
        offset = f" {found.group()}" if found else ""
        return f"the UTC offset{offset} is out of range: it must be from -23:59 to +23:59"
    if "out of range" in message or "must be in" in message:
        return message  # "month must be in 1..12", "day is out of range for month"
    return None


def parse_instant(text: str) -> datetime:
    """An ISO 8601 instant with its offset (``Z`` allowed); naive text is refused.

    ValueError says why in words, quoting at most the start of ``text``.
    """
    cleaned = text.strip().replace("Z", "+00:00").replace("z", "+00:00")
    try:
        value = datetime.fromisoformat(cleaned)
    except ValueError as err:
        reason = iso_reason(cleaned, err)
        raise ValueError(f"'{clip(text.strip())}' is not an ISO 8601 instant"
                         + (f": {reason}" if reason else "")) from None
    if value.tzinfo is None:
        raise ValueError(f"'{clip(text.strip())}' has no time zone: add Z or an offset such "
                         "as +00:00")
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
