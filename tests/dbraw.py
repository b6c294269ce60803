"""A plain driver connection to a context's database, with no smmod code in between:
what someone with the SQLite file, or a login on the server, could do behind smmod's back.

Both kinds take SQLite's ``?`` placeholders, so one test body serves both databases.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import psycopg
from sqlalchemy.engine import make_url

from smmod.context import AppContext


class _PgConnection:
    """psycopg with ``?`` placeholders, shaped like a ``sqlite3.Connection``."""

    def __init__(self, conn: psycopg.Connection[Any]) -> None:
        self._conn = conn

    def execute(self, sql: str, params: Sequence[Any] = ()) -> psycopg.Cursor[Any]:
        return self._conn.execute(sql.replace("%", "%%").replace("?", "%s"), tuple(params))

    def commit(self) -> None:
        self._conn.commit()

    def rollback(self) -> None:
        self._conn.rollback()

    def close(self) -> None:
        self._conn.close()


def pg_connect(url: str) -> psycopg.Connection[Any]:
    parsed = make_url(url)
    return psycopg.connect(host=parsed.host, port=parsed.port, user=parsed.username,
                           password=parsed.password, dbname=parsed.database,
                           options="-c timezone=UTC")


@contextmanager
def raw_connection(ctx: AppContext) -> Iterator[Any]:
    """sqlite3 on the file, or psycopg on the server; closed (not committed) at the end."""
    if ctx.database.is_sqlite:
        assert ctx.database.path is not None
        conn: Any = sqlite3.connect(ctx.database.path)
    else:
        conn = _PgConnection(pg_connect(ctx.database.url))
    try:
        yield conn
    finally:
        conn.close()


def refused_error(ctx: AppContext) -> type[Exception]:
    """The driver's exception for a statement a trigger refuses."""
    return sqlite3.IntegrityError if ctx.database.is_sqlite else psycopg.errors.RaiseException


def drop_audit_guards(ctx: AppContext, conn: Any) -> None:
    """Drop the append-only triggers, as an attacker with the file or the owner's login could."""
    if ctx.database.is_sqlite:
        conn.execute("DROP TRIGGER audit_entries_no_update")
        conn.execute("DROP TRIGGER audit_entries_no_delete")
    else:
        conn.execute("DROP TRIGGER audit_entries_append_only ON audit_entries")


def audit_guard_names(ctx: AppContext) -> tuple[str, ...]:
    """The append-only triggers this database has (their names differ by dialect)."""
    from smmod.audit_anchor import POSTGRES_GUARDS, SQLITE_GUARDS

    return SQLITE_GUARDS if ctx.database.is_sqlite else POSTGRES_GUARDS


def as_utc(value: Any) -> datetime:
    """A stored time as read by the plain driver: text on SQLite, timestamptz on PostgreSQL."""
    if isinstance(value, datetime):
        return value.astimezone(UTC)
    return datetime.fromisoformat(value).replace(tzinfo=UTC)


def everything_stored(ctx: AppContext) -> str:
    """All that the database keeps, as text: the SQLite file's bytes, or every row of every
    table on the server, for checking that a secret is nowhere in it."""
    if ctx.database.is_sqlite:
        assert ctx.database.path is not None
        return ctx.database.path.read_bytes().decode("latin-1")
    with raw_connection(ctx) as conn:
        tables = [r[0] for r in conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'").fetchall()]
        return "\n".join(str(row[0]) for table in tables
                         for row in conn.execute(f'SELECT t::text FROM "{table}" t').fetchall())
