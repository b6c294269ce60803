"""Time arithmetic inside SQL, the same on SQLite and PostgreSQL.

``epoch(col)`` is seconds since 1970 of a stored UTC time. ``WorkingClock`` puts the
school's days in a small temporary table (one row per local day: where it starts in
UTC, whether it is a working day, and how many working seconds came before it), so that
the working time between two instants is two indexed look-ups per row, never a Python
loop over 100,000 items.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Connection, text

from smmod.sla import WorkingCalendar
from smmod.store.dialect import create_temp_table, epoch, epoch_sql
from smmod.store.engine import scratch_tables

__all__ = ["DAYS_TABLE", "WorkingClock", "epoch", "epoch_sql", "seconds", "working_time_sql"]

DAYS_TABLE = "smmod_report_days"
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def seconds(value: datetime) -> float:
    return (value.astimezone(UTC) - _EPOCH).total_seconds()


def working_time_sql(instant: str) -> str:
    """SQL for the working seconds before ``instant`` (an epoch expression), from the table."""
    return (f"(SELECT wd.cum + wd.working * ({instant} - wd.start) FROM {DAYS_TABLE} wd "
            f"WHERE wd.start <= {instant} ORDER BY wd.start DESC LIMIT 1)")


class WorkingClock:
    """Fill the days table for ``first``..``last`` (local dates) on ``conn``."""

    def __init__(self, calendar: WorkingCalendar) -> None:
        self.calendar = calendar

    def rows(self, first: date, last: date) -> list[dict[str, float | int]]:
        zone = self.calendar.zone
        out: list[dict[str, float | int]] = []
        cum = 0.0
        day = first - timedelta(days=1)  # one day of margin either side
        while day <= last + timedelta(days=1):
            start = datetime.combine(day, time(0), zone)
            after = datetime.combine(day + timedelta(days=1), time(0), zone)
            working = self.calendar.is_working_day(day)
            out.append({"start": int(seconds(start)), "cum": cum, "working": int(working)})
            if working:
                cum += seconds(after) - seconds(start)
            day += timedelta(days=1)
        return out

    def install(self, conn: Connection, first: date, last: date) -> None:
        """Fill the days table; a read connection may write it (it is its own TEMP table)."""
        with scratch_tables(conn):
            self._install(conn, first, last)

    def _install(self, conn: Connection, first: date, last: date) -> None:
        create_temp_table(conn, DAYS_TABLE, "start BIGINT PRIMARY KEY, cum DOUBLE PRECISION NOT NULL, "
                          "working INTEGER NOT NULL")
        conn.execute(text(f"INSERT INTO {DAYS_TABLE} (start, cum, working) VALUES (:start, :cum, :working)"),
                     self.rows(first, last))
