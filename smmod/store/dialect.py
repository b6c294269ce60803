"""What differs between SQLite and PostgreSQL, in one place.

Services build their queries with SQLAlchemy and stay dialect-neutral; the few things
the two databases spell differently (which driver, full-text search, serialising the
writers of one chain) are answered here, from the connection or session in hand.
"""

from __future__ import annotations

import re
import time
from typing import Any

from sqlalchemy import Connection, Engine, Float, create_engine, event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from smmod.store.writelock import NO_WAIT_OPTION, WriteGate

SQLITE = "sqlite"
POSTGRESQL = "postgresql"
#: The PostgreSQL driver smmod ships with (psycopg 3).
PG_DRIVER = "postgresql+psycopg"

#: PostgreSQL's text search configuration for the queue's tsvector (``store.search``).
SEARCH_CONFIG = "smmod_search"  # 'simple' plus unaccent (migration 0012)
_WORD = re.compile(r"\w+", re.UNICODE)


def driver_url(url: str | URL) -> URL:
    """``url`` with smmod's driver: a bare ``postgresql://`` means psycopg 3."""
    parsed = make_url(url)
    if parsed.drivername == POSTGRESQL:
        return parsed.set(drivername=PG_DRIVER)
    return parsed


def make_server_engine(url: URL, **kwargs: Any) -> Engine:
    """A PostgreSQL engine whose sessions work in UTC (times in SQL read the same
    everywhere) and check a pooled connection before handing it out."""
    options = f"-c timezone=UTC -c lock_timeout={LOCK_TIMEOUT_MS}"
    connect_args = {"options": options, **kwargs.pop("connect_args", {})}
    return create_engine(url, pool_pre_ping=True, connect_args=connect_args, **kwargs)


def name_of(bind: Connection | Engine | Session) -> str:
    """The dialect name (``sqlite`` or ``postgresql``) of a connection, engine or session."""
    if isinstance(bind, Session):
        return bind.get_bind().dialect.name
    return bind.dialect.name


def is_sqlite(bind: Connection | Engine | Session) -> bool:
    return name_of(bind) == SQLITE


def is_postgresql(bind: Connection | Engine | Session) -> bool:
    return name_of(bind) == POSTGRESQL


def search_words(user_text: str, limit: int = 20) -> list[str]:
    """The words of a search, as both databases' full-text indexes split them."""
    return _WORD.findall(user_text)[:limit]


def fts5_query(words: list[str]) -> str:
    """SQLite FTS5: each word a quoted prefix term, all required (safe from its syntax)."""
    return " ".join('"' + w.replace('"', '""') + '"*' for w in words)


def tsquery(words: list[str]) -> str:
    """PostgreSQL ``to_tsquery``: each word a quoted prefix lexeme, all required.

    Quoting each word (and doubling quotes and backslashes inside it) keeps the
    tsquery operators ``& | ! ( ) :`` out of what the user typed.
    """
    quoted = ("'" + w.lower().replace("\\", "\\\\").replace("'", "''") + "':*" for w in words)
    return " & ".join(quoted)


class epoch(FunctionElement[float]):
    """Seconds since 1970-01-01 UTC of a UTC time column, as a float."""

    type = Float()
    inherit_cache = True


@compiles(epoch, "sqlite")
def _epoch_sqlite(element: epoch, compiler: SQLCompiler, **kw: Any) -> str:
    return epoch_sql(compiler.process(element.clauses, **kw), SQLITE)


@compiles(epoch)
def _epoch_default(element: epoch, compiler: SQLCompiler, **kw: Any) -> str:
    return epoch_sql(compiler.process(element.clauses, **kw), POSTGRESQL)


def epoch_sql(column: str, dialect_name: str) -> str:
    """The same as ``epoch`` for hand-written SQL."""
    if dialect_name == SQLITE:
        return f"((julianday({column}) - 2440587.5) * 86400.0)"
    return f"EXTRACT(EPOCH FROM {column})"


def create_temp_table(conn: Connection, name: str, columns: str) -> None:
    """A temporary table of this connection, emptied if it was there already.

    ``columns`` is written in PostgreSQL's types; SQLite accepts them by affinity.
    On PostgreSQL the rows go at commit too.
    """
    suffix = " ON COMMIT DELETE ROWS" if is_postgresql(conn) else ""
    conn.execute(text(f"CREATE TEMP TABLE IF NOT EXISTS {name} ({columns}){suffix}"))
    conn.execute(text(f"DELETE FROM {name}"))


#: Keys for ``pg_advisory_xact_lock``: all writers, and each chain that must grow one
#: writer at a time.
ADVISORY_LOCKS = {"audit": 7263551, "writers": 7263552}
#: How long a PostgreSQL writer waits for the one before it, like SQLite's busy timeout.
LOCK_TIMEOUT_MS = 10_000


def serialise_writers(bind: Connection | Session, chain: str) -> None:
    """Let one transaction at a time extend ``chain`` until it commits or rolls back.

    On SQLite every write transaction already begins with ``BEGIN IMMEDIATE``, so the
    writers queue up there; PostgreSQL takes a transaction-level advisory lock.
    """
    if is_postgresql(bind):
        bind.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": ADVISORY_LOCKS[chain]})


class ServerWriteGate(WriteGate):
    """The writers' advisory lock on a PostgreSQL server, waited for as ``WriteGate``
    waits for SQLite's write lock: quietly at first, then saying so ("waiting for another
    change to the database to finish…": the server does not say what the holder does),
    up to the limit, after which ``DatabaseBusy`` says nothing was changed. It polls
    ``pg_try_advisory_xact_lock``, so the server's ``lock_timeout`` never cuts it short.
    """

    POLL_S = 0.05

    def __init__(self, limit_s: float | None = None) -> None:
        super().__init__(None, limit_s)

    def _settle(self, raw: Any) -> None:
        """Nothing to settle on a server: the advisory lock ends with its transaction."""

    def _try(self, raw: Any, timeout_ms: int) -> bool:
        deadline = time.monotonic() + timeout_ms / 1000
        while True:
            taken = raw.execute(text("SELECT pg_try_advisory_xact_lock(:key)"),
                                {"key": ADVISORY_LOCKS["writers"]}).scalar()
            left = deadline - time.monotonic()
            if taken or left <= 0:
                return bool(taken)
            time.sleep(min(self.POLL_S, left))


def one_writer_at_a_time(write_sessions: sessionmaker[Session], gate: ServerWriteGate) -> None:
    """PostgreSQL's ``BEGIN IMMEDIATE``: each write transaction first takes one advisory
    lock through ``gate``, held until it commits or rolls back, so writers queue up as
    they do on SQLite and a read-then-write (the next number, the last hash) is never
    raced. Readers, on their own sessions, never wait. A session whose ``info`` has
    ``NO_WAIT_OPTION`` set gives ``DatabaseBusy`` at once instead of waiting.
    """

    def take(session: Session, _transaction: Any, connection: Connection) -> None:
        gate.acquire(connection, wait=not session.info.get(NO_WAIT_OPTION, False))

    event.listen(write_sessions, "after_begin", take)


def require_extension(conn: Connection, name: str, needed_for: str) -> None:
    """Refuse, naming the fix, unless ``CREATE EXTENSION name`` can work here: it is
    installed in this database already, or it is on the server and this login may
    create it (a trusted extension needs CREATE on the database; others a superuser)."""
    from smmod.errors import DatabaseUnusable

    row = conn.execute(text(
        "SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = :n), "
        "(SELECT count(*) FROM pg_available_extension_versions WHERE name = :n), "
        "(SELECT bool_or(trusted) FROM pg_available_extension_versions WHERE name = :n), "
        "has_database_privilege(current_database(), 'CREATE'), "
        "(SELECT rolsuper FROM pg_roles WHERE rolname = current_user), "
        "current_database(), current_user"), {"n": name}).one()
    installed, available, trusted, may_create, superuser, database, login = row
    if installed:
        return
    fix = (f"ask a superuser to run CREATE EXTENSION {name}; in the database '{database}' "
           f"(smmod needs it for {needed_for})")
    if not available:
        raise DatabaseUnusable(
            f"The PostgreSQL server has no '{name}' extension: install the server's contrib "
            f"modules (on Debian or Ubuntu the postgresql-contrib package), then {fix}.")
    if not (superuser or (trusted and may_create)):
        raise DatabaseUnusable(
            f"The database '{database}' lacks the '{name}' extension and '{login}' may not "
            f"create it: {fix}, or connect as the database's owner.")


def connection_lost(exc: DBAPIError) -> bool:
    """The server went away (shut down, restarted, the network dropped) rather than
    refusing the statement."""
    import psycopg

    if exc.connection_invalidated:
        return True
    orig = getattr(exc, "orig", None)
    if isinstance(orig, psycopg.errors.AdminShutdown | psycopg.errors.CannotConnectNow):
        return True
    return isinstance(orig, psycopg.OperationalError) and (
        getattr(orig, "sqlstate", None) in (None, "08000", "08003", "08006", "57P01", "57P03"))


def not_saved_message(committing: bool) -> str:
    if committing:
        return ("The database server went away at the moment of saving, so this change may "
                "or may not have been saved. Once smmod has reconnected, look before doing "
                "it again.")
    return ("The database server could not be reached, so this change was not saved. smmod "
            "reconnects by itself; try again in a moment.")


def server_away(exc: BaseException) -> bool:
    """``exc`` says the database server went away (a lost connection, or ``NotSaved``)."""
    from smmod.errors import NotSaved

    return isinstance(exc, NotSaved) or (isinstance(exc, DBAPIError) and connection_lost(exc))
