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
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

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


def db_dump(ctx: AppContext) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, read on a separate plain connection (what is committed)."""
    with raw_connection(ctx) as conn:
        if ctx.database.is_sqlite:
            listing = "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
        else:
            listing = "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
        tables = [r[0] for r in conn.execute(listing).fetchall()]
        dump = {t: [tuple(bytes(v) if isinstance(v, memoryview) else v for v in row)
                    for row in conn.execute(f'SELECT * FROM "{t}"').fetchall()]
                for t in tables}
    return {t: sorted(rows, key=repr) for t, rows in dump.items()}


def refuse_the_commit(session: Session, table: str, column: str, row_id: int) -> None:
    """Make the database itself refuse this transaction's COMMIT, after all its work.

    SQLite: a foreign key checked only at commit (``defer_foreign_keys``) made to point
    nowhere. PostgreSQL checks its foreign keys at once, so a constraint trigger deferred
    to the commit raises the same error there (it is undone with the transaction).
    """
    if session.get_bind().dialect.name == "sqlite":
        session.execute(text("PRAGMA defer_foreign_keys = ON"))
        session.execute(text(f"UPDATE {table} SET {column} = 9999 WHERE id = :id"), {"id": row_id})
        return
    session.execute(text(
        "CREATE FUNCTION smmod_test_refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "RAISE foreign_key_violation USING MESSAGE = 'FOREIGN KEY constraint failed'; END $$"))
    session.execute(text(
        f"CREATE CONSTRAINT TRIGGER smmod_test_refuse AFTER UPDATE ON {table} "
        "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION smmod_test_refuse()"))
    session.execute(text(f"UPDATE {table} SET {column} = {column} WHERE id = :id"), {"id": row_id})


def stored_bytes(ctx: AppContext) -> bytes:
    """All that the database keeps, as bytes: the SQLite file and its write-ahead log as
    they lie on disk, or every value of every row on the server (bytea as it is)."""
    if ctx.database.is_sqlite:
        path = ctx.database.path
        assert path is not None
        wal = path.with_name(path.name + "-wal")
        return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")
    out = bytearray()
    for rows in db_dump(ctx).values():
        for row in rows:
            for value in row:
                out += value if isinstance(value, bytes) else str(value).encode("utf-8")
                out += b"\0"
    return bytes(out)
