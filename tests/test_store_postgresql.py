"""The store on PostgreSQL: the one migration chain builds exactly the models there too,
goes down and up again, and what only PostgreSQL has (timestamptz, the tsvector search
column, the plpgsql guard, the advisory lock on the audit chain) is there and works.

These tests open their own database on the throwaway server (``tests/pg_support.py``),
so they run in the SQLite pass of the suite too, wherever PostgreSQL is installed.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
import sqlalchemy.exc
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

from smmod import audit
from smmod.clock import FrozenClock
from smmod.store.base import Base
from smmod.store.database import (
    Database,
    alembic_config,
    head_revision,
    migrate,
    open_database,
)
from smmod.store.dialect import driver_url
from smmod.store.search import include_in_schema_check
from tests.pg_mode import fresh_database
from tests.pg_support import PgServer


@pytest.fixture
def server_db(pg_server: PgServer, tmp_path) -> Iterator[Database]:  # type: ignore[no-untyped-def]
    """A database migrated from nothing by ``open_database`` (not copied from a template)."""
    with fresh_database(pg_server) as url:
        database = open_database(tmp_path / "unused.sqlite3", tmp_path / "backups", url=url,
                                 clock=FrozenClock(datetime(2026, 12, 2, 10, tzinfo=UTC)))
        try:
            yield database
        finally:
            database.dispose()


def differences(database: Database) -> list[object]:
    with database.engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "include_name": include_in_schema_check})
        return list(compare_metadata(context, Base.metadata))


def test_a_bare_postgresql_url_means_psycopg_3() -> None:
    assert driver_url("postgresql://u@h/db").drivername == "postgresql+psycopg"
    assert driver_url("sqlite+pysqlite:////x.sqlite3").drivername == "sqlite+pysqlite"


def test_migrations_build_exactly_the_models(server_db: Database) -> None:
    assert not server_db.is_sqlite
    assert server_db.current_revision() == head_revision()
    assert differences(server_db) == []
    assert server_db.integrity() == "not checked (server database)"


def test_times_are_timestamptz(server_db: Database) -> None:
    with server_db.engine.connect() as conn:
        types = set(conn.execute(text(
            "SELECT data_type FROM information_schema.columns WHERE table_schema = 'public' "
            "AND (column_name LIKE '%\\_at' OR column_name = 'at')")).scalars())
    assert types == {"timestamp with time zone"}


def test_the_search_column_and_guard_exist(server_db: Database) -> None:
    columns = {c["name"] for c in inspect(server_db.engine).get_columns("queue_items")}
    assert "search" in columns
    with server_db.engine.connect() as conn:
        method = conn.execute(text(
            "SELECT am.amname FROM pg_class c JOIN pg_am am ON am.oid = c.relam "
            "WHERE c.relname = 'ix_queue_items_search'")).scalar_one()
        triggers = set(conn.execute(text(
            "SELECT tgname FROM pg_trigger WHERE tgrelid = 'audit_entries'::regclass "
            "AND NOT tgisinternal")).scalars())
    assert method == "gin"
    assert triggers == {"audit_entries_append_only", "audit_entries_actor_is_session_user"}


def test_the_trail_refuses_update_on_the_server(server_db: Database) -> None:
    with server_db.session_factory.begin() as session:
        audit.record(session, actor="head", action="test", subject="x")
    with pytest.raises(sqlalchemy.exc.DBAPIError, match="append-only"):
        with server_db.engine.begin() as conn:
            conn.execute(text("UPDATE audit_entries SET actor = 'someone'"))


def test_migrations_go_down_to_nothing_and_back(server_db: Database) -> None:
    cfg = alembic_config()
    with server_db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "base")
    assert set(inspect(server_db.engine).get_table_names()) <= {"alembic_version"}
    assert server_db.current_revision() is None
    migrate(server_db.engine)
    assert server_db.current_revision() == head_revision()
    assert differences(server_db) == []


def test_writers_extend_the_audit_chain_one_at_a_time(server_db: Database) -> None:
    """Many connections appending at once: the advisory lock keeps the chain whole."""
    writers, each = 6, 10
    failures: list[BaseException] = []
    start = threading.Barrier(writers)

    def write(n: int) -> None:
        try:
            start.wait()
            for i in range(each):
                with server_db.session_factory.begin() as session:
                    audit.record(session, actor=f"w{n}", action="test.step", subject=f"t:{i}")
        except BaseException as exc:
            failures.append(exc)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert audit.verify(server_db.session_factory) == audit.VerifyResult(True, writers * each)


def test_a_second_writer_waits_for_the_first_and_readers_do_not(server_db: Database) -> None:
    """PostgreSQL's BEGIN IMMEDIATE: write transactions queue up on one advisory lock,
    and the one that waits says so (as on SQLite)."""
    sf = server_db.session_factory
    heard: list[str] = []
    sf.on_write_wait(heard.append)
    second_done, second_began = threading.Event(), threading.Event()
    failures: list[BaseException] = []

    def second_writer() -> None:
        try:
            with sf.begin() as session:
                session.execute(text("SELECT 1"))  # its first statement: the lock is taken
                second_began.set()
                audit.record(session, actor="second", action="test", subject="b")
        except BaseException as exc:
            failures.append(exc)
        second_done.set()

    with sf.begin() as first:
        audit.record(first, actor="first", action="test", subject="a")
        thread = threading.Thread(target=second_writer)
        thread.start()
        for _ in range(500):  # until the second writer says it is waiting for the lock
            with sf() as reader:  # a reader is not held up by the open write
                assert reader.execute(text("SELECT count(*) FROM audit_entries")).scalar_one() == 0
            if heard or second_began.is_set():
                break
            second_began.wait(0.01)
        assert heard == ["waiting for another change to the database to finish…"]
        assert not second_began.is_set()
    thread.join()
    assert failures == []
    assert heard == ["waiting for another change to the database to finish…", ""]
    actors = [r.actor for r in audit.query(sf)]
    assert actors == ["second", "first"]  # newest first: the second wrote after the first
