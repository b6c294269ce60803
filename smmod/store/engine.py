"""Engine and session factory.

SQLite gets WAL, foreign keys, a busy timeout, ``synchronous=FULL`` and ``BEGIN
IMMEDIATE`` transactions (so two writers queue up instead of failing half way, and the
audit chain is extended by one writer at a time). Everything else stays
dialect-neutral so the same code runs on PostgreSQL.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.orm import Session, sessionmaker

from smmod.clock import Clock, SystemClock


class SessionFactory:
    """Sessions for reading and, through ``begin()``, for writing.

    On SQLite a write transaction starts with ``BEGIN IMMEDIATE`` so writers queue up
    instead of failing half way and the audit chain grows one writer at a time. Reads
    use a second engine with ordinary deferred transactions, so a long import never
    makes the UI wait to read (WAL lets readers and one writer work together).
    """

    def __init__(self, engine: Engine, read_engine: Engine | None = None,
                 clock: Clock | None = None) -> None:
        self.engine = engine
        self.read_engine = read_engine or engine
        self.clock: Clock = clock or SystemClock()
        info = {"clock": self.clock}  # read back by store.base.session_clock
        self._write = sessionmaker(engine, expire_on_commit=False, info=info)
        self._read = sessionmaker(self.read_engine, expire_on_commit=False, info=info)
        self.kw = {"bind": engine}  # as on a sessionmaker

    def __call__(self) -> Session:
        return self._read()

    def begin(self) -> AbstractContextManager[Session]:
        return self._write.begin()

    def dispose(self) -> None:
        if self.read_engine is not self.engine:
            self.read_engine.dispose()

BUSY_TIMEOUT_MS = 10_000


def sqlite_url(path: str) -> str:
    """The URL of a SQLite file, escaped so that '?', '#' or '%' in a folder name survive."""
    return URL.create("sqlite+pysqlite", database=path).render_as_string(hide_password=False)


def masked_url(url: str | URL) -> str:
    """The URL with any password hidden, for display and logs."""
    return make_url(url).render_as_string(hide_password=True)


def make_engine(url: str | URL, *, immediate: bool = True, **kwargs: Any) -> Engine:
    """An engine; on SQLite ``immediate`` makes every transaction a write transaction."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(parsed, pool_pre_ping=True, **kwargs)

    engine = create_engine(
        parsed, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000}, **kwargs
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event, not the driver, open transactions.
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        for pragma in (
            "PRAGMA journal_mode=WAL",
            "PRAGMA foreign_keys=ON",
            f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}",
            "PRAGMA synchronous=FULL",
        ):
            cursor.execute(pragma)
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def make_session_factory(engine: Engine, clock: Clock | None = None) -> SessionFactory:
    if engine.dialect.name != "sqlite":
        return SessionFactory(engine, clock=clock)
    return SessionFactory(engine, make_engine(engine.url, immediate=False), clock)
