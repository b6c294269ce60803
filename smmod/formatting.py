"""Dates and times as people read them, the same on every computer.

Every date a person sees in smmod (tables, dialogs, PDF records, the command line) is
written by this module, in British English order ("Mon 1 Jan 2027 14:05 GMT"). It never
goes through ``strftime("%a")`` or ``%b``: those follow the process locale, which Qt
changes when it starts, so the same command printed German day names after the window
had opened and English ones before. Dates for machines (JSON, CSV, file names) are ISO
8601 and do not come through here.
"""

from __future__ import annotations

from datetime import date, datetime, tzinfo
from zoneinfo import ZoneInfo

from smmod.clock import SCHOOL_ZONE

#: Where times are shown when the caller has no zone of its own: the school's, not the PC's.
SCHOOL = ZoneInfo(SCHOOL_ZONE)

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTH_NUMBERS = {name.lower(): i for i, name in enumerate(MONTHS, 1)} | {
    name[:3].lower(): i for i, name in enumerate(MONTHS, 1)} | {"sept": 9}


def day(value: date, *, weekday: bool = False, year: bool = True, long_month: bool = False) -> str:
    """``1 Jan 2027``; with ``weekday`` ``Fri 1 Jan 2027``; ``long_month`` ``1 January 2027``."""
    month = MONTHS[value.month - 1]
    parts = [WEEKDAYS[value.weekday()][:3]] if weekday else []
    parts += [str(value.day), month if long_month else month[:3]]
    if year:
        parts.append(str(value.year))
    return " ".join(parts)


def month(value: date) -> str:
    """``Dec 2027``: a date where only its month matters, or the column is narrow."""
    return f"{MONTHS[value.month - 1][:3]} {value.year}"


def when(value: datetime, zone: tzinfo | None = None, *, weekday: bool = False, year: bool = True,
         zone_name: bool = False, seconds: bool = False, at: str = " ") -> str:
    """``1 Jan 2027 14:05`` in ``zone`` (the value's own zone when None).

    ``zone_name`` appends the abbreviation (GMT, BST) so that a time near a clock
    change cannot be misread; ``at`` joins the date and the time (" at " in prose).
    """
    local = value.astimezone(zone) if zone is not None else value
    text = f"{day(local.date(), weekday=weekday, year=year)}{at}{local.hour:02d}:{local.minute:02d}"
    if seconds:
        text += f":{local.second:02d}"
    if zone_name and local.tzname():
        text += f" {local.tzname()}"
    return text


def month_number(name: str) -> int | None:
    """1–12 for an English month name or its three-letter form, whatever the locale."""
    return _MONTH_NUMBERS.get(name.strip().rstrip(".").lower())
