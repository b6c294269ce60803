"""Time arithmetic inside SQL, the same on SQLite and PostgreSQL.

``epoch(col)`` is seconds since 1970 of a stored UTC time. ``WorkingClock`` puts the
school's days in a small temporary table (one row per local day: where it starts in
UTC, whether it is a working day, and how many working seconds came before it), so that
the working time between two instants is two indexed look-ups per row, never a Python
loop over 100,000 items.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Connection, Float, text
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from smmod.sla import WorkingCalendar

DAYS_TABLE = "smmod_report_days"
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class epoch(FunctionElement[float]):
    """Seconds since 1970-01-01 UTC of a UTC time column, as a float."""

    type = Float()
    inherit_cache = True


@compiles(epoch, "sqlite")
def _epoch_sqlite(element: epoch, compiler: SQLCompiler, **kw: Any) -> str:
    return f"((julianday({compiler.process(element.clauses, **kw)}) - 2440587.5) * 86400.0)"


@compiles(epoch)
def _epoch_default(element: epoch, compiler: SQLCompiler, **kw: Any) -> str:
    return f"EXTRACT(EPOCH FROM {compiler.process(element.clauses, **kw)})"


def epoch_sql(column: str, dialect: str) -> str:
    """The same as ``epoch`` for hand-written SQL."""
    if dialect == "sqlite":
        return f"((julianday({column}) - 2440587.5) * 86400.0)"
    return f"EXTRACT(EPOCH FROM {column})"


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
        if conn.dialect.name == "postgresql":
            conn.execute(text(f"CREATE TEMP TABLE IF NOT EXISTS {DAYS_TABLE} (start BIGINT PRIMARY KEY, "
                              "cum DOUBLE PRECISION NOT NULL, working INTEGER NOT NULL) "
                              "ON COMMIT DELETE ROWS"))
        else:
            conn.execute(text(f"CREATE TEMP TABLE IF NOT EXISTS {DAYS_TABLE} (start INTEGER PRIMARY KEY, "
                              "cum REAL NOT NULL, working INTEGER NOT NULL)"))
        conn.execute(text(f"DELETE FROM {DAYS_TABLE}"))
        conn.execute(text(f"INSERT INTO {DAYS_TABLE} (start, cum, working) VALUES (:start, :cum, :working)"),
                     self.rows(first, last))
