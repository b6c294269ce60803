"""Engines and the session factory.

On SQLite there are two engines on the same file. The write engine opens every
transaction with ``BEGIN IMMEDIATE`` (so two writers queue up instead of failing half
way, and the audit chain grows one writer at a time); when another connection holds the
lock, it waits and says so (``smmod.store.writelock``). The read engine's connections are
``query_only`` and open ordinary deferred transactions: with WAL they never wait for a
writer, so reading and starting up work throughout a long import. Everything else stays
dialect-neutral so the same code runs on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.sql.dml import UpdateBase

from smmod.clock import Clock, SystemClock
from smmod.errors import NotSaved
from smmod.store import dialect
from smmod.store.writelock import (
    BUSY_TIMEOUT_MS,
    GATE_OPTION,
    NO_WAIT_OPTION,
    Listener,
    WriteGate,
)

__all__ = ["BUSY_TIMEOUT_MS", "SessionFactory", "make_engine", "make_session_factory",
           "masked_url", "scratch_tables", "sqlite_url", "write_gate"]


class ReadSession(Session):
    """A session that reads on the read engine.

    Services write through ``SessionFactory.begin()``; should a reading session write all
    the same (flush changes, or execute an INSERT, UPDATE or DELETE), the write goes to
    the write engine and takes its turn there like any other.
    """

    def get_bind(self, mapper: Any = None, *, clause: Any = None, bind: Any = None,
                 **kw: Any) -> Any:
        if bind is None and (self._flushing or isinstance(clause, UpdateBase)):
            return self.info["write_engine"]
        return super().get_bind(mapper, clause=clause, bind=bind, **kw)


class SessionFactory:
    """Sessions for reading (``sf()``) and, through ``begin()``, for writing.

    Services read with ``with sf() as session`` and write with ``with sf.begin() as
    session``. Reads use the read engine and never take a write lock.
    """

    def __init__(self, engine: Engine, read_engine: Engine | None = None,
                 clock: Clock | None = None) -> None:
        self.engine = engine
        self.read_engine = read_engine or engine
        self.clock: Clock = clock or SystemClock()
        self.write_gate: WriteGate | None = write_gate(engine)
        info = {"clock": self.clock}  # read back by store.base.session_clock
        self._write = sessionmaker(engine, expire_on_commit=False, info=info)
        self._read = sessionmaker(self.read_engine, class_=ReadSession, expire_on_commit=False,
                                  info={**info, "write_engine": engine})

    def __call__(self) -> Session:
        return self._read()

    def set_info(self, key: str, value: Any) -> None:
        """Give every session opened from now on ``session.info[key] = value`` (the audit
        trail's signer and anchor keeper travel this way, like the clock)."""
        for maker in (self._write, self._read):
            maker.kw["info"][key] = value

    def get_info(self, key: str) -> Any:
        """What ``set_info`` gave sessions under ``key`` (None if nothing)."""
        return self._write.kw["info"].get(key)

    def begin(self, *, announce: tuple[str, str] | None = None,
              wait: bool = True) -> AbstractContextManager[Session]:
        """A write transaction. On SQLite the write lock is taken at once (waiting its
        turn), so nothing in the block runs until the change can be made whole.

        ``announce`` = (what, detail) for long writes such as an import, so that writers
        waiting meanwhile can say what they wait for. ``wait=False`` is for bookkeeping
        a read brings along (noting a queue was looked at): when another write holds the
        database it raises ``DatabaseBusy`` at once instead of waiting.
        """
        if self.engine.dialect.name != "sqlite":
            return self._on_server(wait)
        if self.write_gate is None:
            return self._write.begin()
        return self._locked(self.write_gate, announce, wait)

    @contextmanager
    def _on_server(self, wait: bool) -> Iterator[Session]:
        """A server transaction; losing the server is a ``NotSaved`` saying what happened."""
        committing = False
        try:
            with self._write(info={NO_WAIT_OPTION: not wait}) as session, session.begin():
                yield session
                session.flush()
                committing = True  # only COMMIT itself is left: its outcome may be unknown
        except DBAPIError as exc:
            if not dialect.connection_lost(exc):
                raise
            raise NotSaved(dialect.not_saved_message(committing)) from exc

    @contextmanager
    def _locked(self, gate: WriteGate, announce: tuple[str, str] | None,
                wait: bool) -> Iterator[Session]:
        with self._write.begin() as session:
            # BEGIN IMMEDIATE now: the lock is ours from here on.
            session.connection(execution_options={NO_WAIT_OPTION: not wait})
            if announce is None:
                yield session
            else:
                with gate.announce(*announce):
                    yield session

    def on_write_wait(self, listener: Listener) -> None:
        """``listener(message)`` when a write has to wait for another, ``("")`` when it stops."""
        if self.write_gate is not None:
            self.write_gate.listen(listener)

    def off_write_wait(self, listener: Listener) -> None:
        if self.write_gate is not None:
            self.write_gate.unlisten(listener)

    def dispose(self) -> None:
        if self.read_engine is not self.engine:
            self.read_engine.dispose()


@contextmanager
def scratch_tables(conn: Connection) -> Iterator[Connection]:
    """Let a reading connection fill its own TEMP tables (a report's calendar, say).

    The read engine's SQLite connections are ``query_only``, which refuses writes to
    temporary tables too. Inside this block it is lifted; only this connection's
    private TEMP tables may be written there: they live outside the database file, so no
    write lock is taken and no one waits.
    """
    raw = conn.connection.driver_connection if conn.dialect.name == "sqlite" else None
    query_only = raw is not None and raw.execute("PRAGMA query_only").fetchone()[0] == 1
    if not query_only:
        yield conn
        return
    assert raw is not None
    raw.execute("PRAGMA query_only=OFF")
    try:
        yield conn
    finally:
        raw.execute("PRAGMA query_only=ON")


def sqlite_url(path: str) -> str:
    """The URL of a SQLite file, escaped so that '?', '#' or '%' in a folder name survive."""
    return URL.create("sqlite+pysqlite", database=path).render_as_string(hide_password=False)


def masked_url(url: str | URL) -> str:
    """The URL with any password hidden, for display and logs."""
    return make_url(url).render_as_string(hide_password=True)


def _file_database(url: URL) -> Path | None:
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    if url.database.startswith("file:"):
        return None
    return Path(url.database)


def write_gate(engine: Engine) -> WriteGate | None:
    """The gate through which ``engine``'s writers take SQLite's lock (None elsewhere)."""
    gate = engine.get_execution_options().get(GATE_OPTION)
    return gate if isinstance(gate, WriteGate) else None


def make_engine(url: str | URL, *, immediate: bool = True, read_only: bool = False,
                **kwargs: Any) -> Engine:
    """An engine; on SQLite ``immediate`` makes every transaction a write transaction that
    waits its turn (see ``writelock``), and ``read_only`` makes every connection
    ``query_only``."""
    parsed = dialect.driver_url(url)
    if parsed.get_backend_name() != "sqlite":
        return dialect.make_server_engine(parsed, **kwargs)

    db_file = _file_database(parsed)
    gate = None
    if immediate and not read_only:
        note = db_file.with_name(db_file.name + "-writer") if db_file else None
        gate = WriteGate(note)
        kwargs["execution_options"] = {**kwargs.get("execution_options", {}), GATE_OPTION: gate}
    engine = create_engine(
        parsed, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000}, **kwargs
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event, not the driver, open transactions.
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        pragmas = ["PRAGMA foreign_keys=ON", f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}"]
        if read_only:
            pragmas.append("PRAGMA query_only=ON")
        else:
            pragmas += ["PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL"]
        for pragma in pragmas:
            cursor.execute(pragma)
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        if gate is None:
            conn.exec_driver_sql("BEGIN")
        else:
            no_wait = bool(conn.get_execution_options().get(NO_WAIT_OPTION))
            gate.acquire(conn.connection.driver_connection, wait=not no_wait)

    return engine


def make_session_factory(engine: Engine, clock: Clock | None = None) -> SessionFactory:
    if engine.dialect.name != "sqlite":
        factory = SessionFactory(engine, clock=clock)
        factory.write_gate = dialect.ServerWriteGate()
        dialect.one_writer_at_a_time(factory._write, factory.write_gate)  # as BEGIN IMMEDIATE
        return factory
    if _file_database(engine.url) is None:
        return SessionFactory(engine, clock=clock)
    return SessionFactory(engine, make_engine(engine.url, immediate=False, read_only=True), clock)
