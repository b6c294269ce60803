"""Why a deadline is what it is, in words: for ``smmod sla due`` and tooltips (R7)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import holidays

from smmod import formatting as fmt
from smmod.sla import RESPONSE_WINDOW, WorkingCalendar, due_at


@dataclass(frozen=True)
class DueExplanation:
    received_at: datetime  # aware, as given
    due_at: datetime  # UTC
    received_working_day: bool
    received_reason: str | None  # why the day of receipt is not a working day
    rule: str  # "24h", "next_working_day" or "rolled"
    calendar: WorkingCalendar
    skipped: tuple[tuple[date, str], ...] = ()  # weekdays passed over, and why

    def local(self, when: datetime) -> datetime:
        return when.astimezone(self.calendar.zone)

    def summary(self) -> str:
        received = self.local(self.received_at)
        due = self.local(self.due_at)
        lines = [
            f"Received: {_stamp(received)}"
            + (
                f" (not a working day: {self.received_reason})"
                if self.received_reason
                else " (a working day)"
            )
        ]
        if self.rule == "24h":
            why = "24 hours after it was received"
        elif self.rule == "next_working_day":
            why = f"end of the next working day, {self.calendar.end_of_day:%H:%M}"
        else:
            why = "24 hours would land on a non-working day, so it moves to the end of the next working day"
        lines.append(f"Due:      {_stamp(due)} ({why})")
        for day, reason in self.skipped:
            shown = fmt.day(day, weekday=True, year=False)
            lines.append(f"          {shown} is not a working day ({reason})")
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        return {
            "received_at": self.received_at.isoformat(),
            "received_local": self.local(self.received_at).isoformat(),
            "received_working_day": self.received_working_day,
            "received_reason": self.received_reason,
            "due_at": self.due_at.astimezone(UTC).isoformat(),
            "due_local": self.local(self.due_at).isoformat(),
            "rule": self.rule,
            "timezone": self.calendar.tz,
            "nation": self.calendar.nation,
            "end_of_day": self.calendar.end_of_day.strftime("%H:%M"),
            "skipped": [{"date": d.isoformat(), "reason": r} for d, r in self.skipped],
        }


def _stamp(when: datetime) -> str:
    return fmt.when(when, weekday=True, zone_name=True)


def non_working_reason(day: date, cal: WorkingCalendar) -> str | None:
    """Why ``day`` is not a working day, or None when it is one."""
    if cal.is_working_day(day):
        return None
    if day.weekday() >= 5:
        return "weekend"
    if day in cal.closures:
        return "school closure"
    name = holidays.country_holidays("GB", subdiv=cal.nation, years=day.year).get(day)
    return f"bank holiday: {name}" if name else "bank holiday"


def explain_due(received_at: datetime, cal: WorkingCalendar) -> DueExplanation:
    due = due_at(received_at, cal)
    reason = non_working_reason(received_at.astimezone(cal.zone).date(), cal)
    if reason is not None:
        rule = "next_working_day"
    elif due == received_at.astimezone(UTC) + RESPONSE_WINDOW:
        rule = "24h"
    else:
        rule = "rolled"
    first = received_at.astimezone(cal.zone).date()
    last = due.astimezone(cal.zone).date()
    skipped = []
    day = first + timedelta(days=1)
    while day < last:
        why = non_working_reason(day, cal)
        if why is not None and why != "weekend":
            skipped.append((day, why))
        day += timedelta(days=1)
    return DueExplanation(received_at, due, reason is None, reason, rule, cal, tuple(skipped))
