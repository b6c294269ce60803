"""The suite on PostgreSQL: ``SMMOD_TEST_DATABASE=postgresql uv run pytest ...``.

Each test that opens a context gets its own fresh database on the throwaway server of
``tests/pg_support.py``, copied (``CREATE DATABASE ... TEMPLATE``) from one migrated
once per run, and given to smmod through ``SMMOD_DATABASE_URL``, exactly as a school
would point smmod at its server. The database is dropped after the test.

``@pytest.mark.sqlite_only`` marks a test of something only SQLite has (its file, FTS5,
PRAGMAs); ``@pytest.mark.postgresql_only`` one of something only PostgreSQL has. Each is
skipped, saying why, when the suite runs on the other database.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from tests.dbmode import TEST_DATABASE_ENV, suite_on_postgresql
from tests.pg_support import PgServer

TEMPLATE = "smmod_template"
_numbers = itertools.count(1)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "sqlite_only: tests something only SQLite has")
    config.addinivalue_line("markers", "postgresql_only: tests something only PostgreSQL has")
    config.addinivalue_line("markers", "no_database: opens no register, so none is made for "
                            "it on a server (tests/screening, by folder)")


def pytest_report_header() -> str:
    return f"smmod test database: {'PostgreSQL' if suite_on_postgresql() else 'SQLite'} " \
           f"({TEST_DATABASE_ENV}={os.environ.get(TEST_DATABASE_ENV, 'sqlite')})"


#: Folders whose tests never open a register: no server database is made for them.
NO_DATABASE_FOLDERS = (Path(__file__).resolve().parent / "screening",)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    on_pg = suite_on_postgresql()
    for item in items:
        if any(folder in item.path.parents for folder in NO_DATABASE_FOLDERS):
            item.add_marker(pytest.mark.no_database)
        if on_pg and item.get_closest_marker("sqlite_only"):
            item.add_marker(pytest.mark.skip(reason="SQLite only; the suite runs on PostgreSQL"))
        if not on_pg and item.get_closest_marker("postgresql_only"):
            item.add_marker(pytest.mark.skip(
                reason=f"PostgreSQL only; run with {TEST_DATABASE_ENV}=postgresql"))


def _admin(server: PgServer) -> psycopg.Connection:
    return psycopg.connect(host=server.host, port=server.port, user=server.user,
                           password=server.password, dbname=server.database, autocommit=True)


def _database_url(server: PgServer, name: str) -> str:
    return f"postgresql+psycopg://{server.user}:{server.password}@{server.host}:{server.port}/{name}"


@pytest.fixture(scope="session")
def pg_template(pg_server: PgServer) -> str:
    """The name of a database migrated to head, to copy for each test."""
    from smmod.store.database import migrate
    from smmod.store.engine import make_engine

    with _admin(pg_server) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(TEMPLATE)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(TEMPLATE)))
    engine = make_engine(_database_url(pg_server, TEMPLATE))
    try:
        migrate(engine)
    finally:
        engine.dispose()
    return TEMPLATE


@contextmanager
def fresh_database(server: PgServer, template: str | None = None) -> Iterator[str]:
    """The URL of a new database (empty, or a copy of ``template``), dropped afterwards."""
    name = f"smmod_test_{os.getpid()}_{next(_numbers)}"
    create = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
    if template:
        create += sql.SQL(" TEMPLATE {}").format(sql.Identifier(template))
    with _admin(server) as conn:
        conn.execute(create)
    try:
        yield _database_url(server, name)
    finally:
        with _admin(server) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(name)))


@pytest.fixture
def pg_database(pg_server: PgServer, pg_template: str) -> Iterator[str]:
    """The URL of a fresh, migrated database of its own, dropped after the test."""
    with fresh_database(pg_server, pg_template) as url:
        yield url
