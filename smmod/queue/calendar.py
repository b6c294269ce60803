"""The working calendar (R7) as the user configured it, and a fingerprint of it.

Due times are stored on each item so the triage view can sort and filter on them in
SQL. They therefore go stale when the calendar settings change; the fingerprint tells
the queue service that it must recompute them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import date, time, timedelta
from typing import Any

from smmod.errors import InputError
from smmod.sla import WorkingCalendar

# A closure range longer than this is almost certainly a typo (2026 for 2062).
MAX_CLOSURE_DAYS = 400


def closure_dates(entries: Iterable[str]) -> frozenset[date]:
    """Expand 'YYYY-MM-DD' and 'YYYY-MM-DD..YYYY-MM-DD' entries into dates."""
    days: set[date] = set()
    for entry in entries:
        chunk = str(entry).strip()
        try:
            if ".." in chunk:
                first, last = (date.fromisoformat(p.strip()) for p in chunk.split("..", 1))
            else:
                first = last = date.fromisoformat(chunk)
        except ValueError:
            raise InputError(
                f"'{chunk}' is not a date (YYYY-MM-DD) or range (YYYY-MM-DD..YYYY-MM-DD)",
                field="sla.closures",
            ) from None
        span = (last - first).days
        if span < 0:
            raise InputError(f"'{chunk}' ends before it starts", field="sla.closures")
        if span >= MAX_CLOSURE_DAYS:
            raise InputError(
                f"'{chunk}' is {span + 1} days long; a closure is at most {MAX_CLOSURE_DAYS} days",
                field="sla.closures",
            )
        days.update(first + timedelta(days=n) for n in range(span + 1))
    return frozenset(days)


def calendar_from_settings(settings: Any) -> WorkingCalendar:
    """Build the calendar from ``sla.*`` settings (anything with ``get(key)``)."""
    try:
        end_of_day = time.fromisoformat(str(settings.get("sla.end_of_day")))
    except ValueError:
        raise InputError("expected a time of day like 17:00", field="sla.end_of_day") from None
    return WorkingCalendar(
        nation=str(settings.get("sla.nation")),
        closures=closure_dates(settings.get("sla.closures") or []),
        tz=str(settings.get("sla.timezone")),
        end_of_day=end_of_day,
        roll_deadline_off_non_working_day=bool(settings.get("sla.roll_non_working")),
    )


def fingerprint(cal: WorkingCalendar) -> str:
    """A stable digest of everything that changes a due time."""
    parts = [
        cal.nation,
        cal.tz,
        cal.end_of_day.isoformat(),
        "roll" if cal.roll_deadline_off_non_working_day else "no-roll",
        ",".join(d.isoformat() for d in sorted(cal.closures)),
    ]
    return hashlib.sha256("|".join(parts).encode("utf-8")).hexdigest()
