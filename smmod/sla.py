"""When a response is due (rule R7) and how close an item is to breaching it.

The policy promises a response within 24 hours, or by the end of the next working day
for items received on a non-working day. "24 hours" means 24 real hours, so all
arithmetic is done in UTC; only the choice of *day* is made in the school's local time.
See "SLA (R7), exactly" in docs/design.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone
from functools import lru_cache
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays

from smmod.clock import iso_reason
from smmod.errors import InputError, clip

NATIONS = ("ENG", "WLS", "SCT", "NIR")
RESPONSE_WINDOW = timedelta(hours=24)
AMBER_AT = 0.75  # share of the window used at which an item turns amber

_ISO_HELP = "expected ISO 8601, e.g. 2026-05-24T10:00, 2026-05-24T10:00+01:00 or 2026-05-24T09:00Z"


@lru_cache(maxsize=512)
def _bank_holidays(nation: str, year: int) -> frozenset[date]:
    """One year of bank holidays; cached because every due date consults it."""
    return frozenset(holidays.country_holidays("GB", subdiv=nation, years=year).keys())


@dataclass(frozen=True)
class WorkingCalendar:
    """The school's working days and local clock; every field is a user setting."""

    nation: str = "ENG"
    closures: frozenset[date] = frozenset()
    tz: str = "Europe/London"
    end_of_day: time = time(17, 0)
    roll_deadline_off_non_working_day: bool = False

    def __post_init__(self) -> None:
        if self.nation not in NATIONS:
            raise InputError(
                f"'{self.nation}' is not a UK nation; use one of {', '.join(NATIONS)}",
                field="nation",
            )
        try:
            ZoneInfo(self.tz)
        except (ZoneInfoNotFoundError, ValueError, TypeError):
            raise InputError(
                f"'{self.tz}' is not a known time zone (e.g. Europe/London)", field="tz"
            ) from None
        if not isinstance(self.end_of_day, time) or self.end_of_day.tzinfo is not None:
            raise InputError(
                "must be a local time of day without a time zone, e.g. 17:00",
                field="end_of_day",
            )
        if not isinstance(self.roll_deadline_off_non_working_day, bool):
            raise InputError("must be true or false", field="roll_deadline_off_non_working_day")
        try:
            closures = frozenset(self.closures)
        except TypeError:
            raise InputError("must be a collection of dates", field="closures") from None
        for day in closures:
            if isinstance(day, datetime) or not isinstance(day, date):
                raise InputError(f"{day!r} is not a date", field="closures")
        # Accept any set-like input but store it frozen, so the calendar stays hashable.
        object.__setattr__(self, "closures", closures)

    @property
    def zone(self) -> ZoneInfo:
        """The local zone; ZoneInfo caches instances, so this is cheap."""
        return ZoneInfo(self.tz)

    def is_working_day(self, d: date) -> bool:
        """Monday to Friday, minus bank holidays for the nation and school closures."""
        if isinstance(d, datetime):
            # A datetime never equals a date, so holidays would silently not match.
            raise InputError("pass a local date, not a datetime", field="d")
        return (
            d.weekday() < 5
            and d not in self.closures
            and d not in _bank_holidays(self.nation, d.year)
        )

    def next_working_day(self, d: date) -> date:
        """The first working day strictly after ``d``."""
        day = d
        try:
            while True:
                day = day + timedelta(days=1)
                if self.is_working_day(day):
                    return day
        except OverflowError:
            raise InputError(f"no working day after {d.isoformat()} in the calendar") from None


def localise(naive: datetime, cal: WorkingCalendar) -> datetime:
    """Read a wall-clock time as the school's local time.

    Clock changes make some wall times ambiguous or impossible. Following PEP 495 with
    the default ``fold=0``: an ambiguous time (autumn, the hour repeats) is the *first*
    occurrence, which gives the earlier, stricter deadline; a time in the spring gap
    (01:30 in London on the change day) is read with the offset in force before the gap,
    so it moves forward by the gap's length (01:30 becomes 02:30 BST). A caller that
    knows better may set ``fold=1`` and it is honoured.

    The result carries a fixed UTC offset, not the zone: Python never finds a zoned time
    inside the autumn fold equal to a time in another zone (PEP 495), a trap for callers.
    """
    if not isinstance(naive, datetime):
        raise InputError(f"{naive!r} is not a date and time")
    if naive.tzinfo is not None:
        raise InputError(
            f"{naive.isoformat()} already has a time zone; localise needs a naive time"
        )
    try:
        real = naive.replace(tzinfo=cal.zone).astimezone(UTC).astimezone(cal.zone)
        return real.replace(tzinfo=timezone(real.utcoffset() or timedelta(0)))
    except OverflowError:
        raise InputError(f"{naive.isoformat()} is out of the supported range") from None


def _require_aware(value: datetime, field: str) -> datetime:
    if not isinstance(value, datetime):
        raise InputError(f"{value!r} is not a date and time", field=field)
    if value.tzinfo is None or value.utcoffset() is None:
        raise InputError(
            f"{value.isoformat()} has no time zone; localise it first "
            "(smmod.sla.localise reads it as the school's local time)",
            field=field,
        )
    return value.astimezone(UTC)


def _end_of_day(day: date, cal: WorkingCalendar) -> datetime:
    return localise(datetime.combine(day, cal.end_of_day), cal).astimezone(UTC)


def due_at(received_at: datetime, cal: WorkingCalendar) -> datetime:
    """The response deadline for an item received at ``received_at`` (aware), in UTC."""
    received = _require_aware(received_at, "received_at")
    try:
        local_day = received.astimezone(cal.zone).date()
        if not cal.is_working_day(local_day):
            return _end_of_day(cal.next_working_day(local_day), cal)
        due = received + RESPONSE_WINDOW
        if cal.roll_deadline_off_non_working_day:
            due_day = due.astimezone(cal.zone).date()
            if not cal.is_working_day(due_day):
                return _end_of_day(cal.next_working_day(due_day), cal)
        return due
    except (OverflowError, InputError):
        raise InputError(
            f"{received_at.isoformat()} is too close to the end of the calendar to have a deadline",
            field="received_at",
        ) from None


@dataclass(frozen=True)
class SlaState:
    """How far an item is through its response window, for display."""

    fraction_used: float
    state: Literal["ok", "amber", "red", "stopped"]
    remaining: timedelta  # negative once breached (or, when stopped, if answered late)
    met: bool | None = None  # only set once stopped: was the first response on time?


def sla_state(
    received_at: datetime,
    due_at: datetime,
    now: datetime,
    first_response_at: datetime | None = None,
) -> SlaState:
    """Where an item stands; the clock stops at the first response.

    ``now`` before ``received_at`` (a platform clock running ahead of ours) counts as
    no time used rather than an error, so a queue view never fails on it. A first
    response before the item was received is a data error and is refused.
    """
    received = _require_aware(received_at, "received_at")
    due = _require_aware(due_at, "due_at")
    current = _require_aware(now, "now")
    if due <= received:
        raise InputError(
            f"{due_at.isoformat()} is not after received_at {received_at.isoformat()}",
            field="due_at",
        )
    window = due - received
    if first_response_at is not None:
        responded = _require_aware(first_response_at, "first_response_at")
        if responded < received:
            raise InputError(
                f"{first_response_at.isoformat()} is before received_at {received_at.isoformat()}",
                field="first_response_at",
            )
        return SlaState(
            (responded - received) / window, "stopped", due - responded, met=responded <= due
        )
    elapsed = max(current - received, timedelta(0))
    if current > due:
        state: Literal["ok", "amber", "red"] = "red"
    elif elapsed * 4 >= window * 3:  # exact integer comparison for the 75 % boundary
        state = "amber"
    else:
        state = "ok"
    return SlaState(elapsed / window, state, due - current)


def _span(delta: timedelta) -> str:
    minutes = abs(delta) // timedelta(minutes=1)
    if minutes == 0:
        return "under 1 min"
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return f"{days} d {hours} h" if hours else f"{days} d"
    if hours:
        return f"{hours} h {mins} min" if mins else f"{hours} h"
    return f"{mins} min"


def describe(state: SlaState) -> str:
    """A short phrase for the queue and the CLI; times are floored to whole minutes."""
    if state.state == "stopped":
        if state.met:
            return "responded on time"
        return f"responded late by {_span(state.remaining)}"
    if state.state == "red":
        return f"overdue by {_span(state.remaining)}"
    return f"due in {_span(state.remaining)}"


def parse_datetime_arg(text: str, cal: WorkingCalendar) -> datetime:
    """Read the DATETIME of ``smmod sla due``: ISO 8601, local time when no offset is given.

    A bare date means midnight local time. The result has a fixed UTC offset: the one
    given, or the local one in force at that time.
    """
    if not isinstance(text, str) or not text.strip():
        raise InputError(f"a date and time is needed; {_ISO_HELP}", field="DATETIME")
    value = text.strip()
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError as exc:
        reason = iso_reason(value, exc)
        detail = f" ({reason})" if reason else ""
        raise InputError(
            f"'{clip(value)}' is not a valid date and time{detail}; {_ISO_HELP}", field="DATETIME"
        ) from None
    if parsed.tzinfo is None:
        try:
            return localise(parsed, cal)
        except InputError as exc:
            raise InputError(exc.reason, field="DATETIME") from None
    return parsed
