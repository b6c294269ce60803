"""A PostgreSQL database set up as a school's IT would (``smmod server init``, then
``staff add`` for each person), with everyone's own login role.

Roles are shared by the whole throwaway cluster, so every name here starts with the
test database's own name; the roles go when the test ends, with the database.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import psycopg
import pytest
from psycopg import sql
from sqlalchemy.engine import make_url

from smmod import server
from smmod.clock import FrozenClock
from smmod.context import AppContext, open_context
from smmod.staff.logins import LoginRequest
from smmod.staff.service import StaffInput
from tests.pg_mode import fresh_database
from tests.pg_support import PgServer

#: username -> (name, staff roles): the school's people, each with a login of their own.
PEOPLE = {
    "head": ("Hannah Head", {"slt", "administrator"}),
    "slt2": ("Sam Senior", {"slt"}),
    "admin2": ("Alex Admin", {"administrator"}),
    "mod1": ("Morgan Moderator", {"moderator"}),
    "run1": ("Riley Runner", {"staff"}),
    "run2": ("Robin Runner", {"staff"}),
    "vol1": ("Val Volunteer", {"parent_volunteer"}),
}


@dataclass
class StaffedServer:
    pg: PgServer
    url: str  # the owner's (the cluster's superuser, as in a fresh install)
    database: str
    passwords: dict[str, str] = field(default_factory=dict)  # username -> login password
    ids: dict[str, int] = field(default_factory=dict)

    def login(self, username: str) -> str:
        return f"{self.database}_{username}"

    def url_for(self, username: str) -> str:
        return make_url(self.url).set(username=self.login(username),
                                      password=self.passwords[username]).render_as_string(
                                          hide_password=False)

    def connect(self, username: str) -> psycopg.Connection:
        """psycopg straight to the server as ``username``'s login: no smmod code between."""
        return psycopg.connect(host=self.pg.host, port=self.pg.port, dbname=self.database,
                               user=self.login(username), password=self.passwords[username],
                               autocommit=True)

    def owner(self) -> psycopg.Connection:
        return psycopg.connect(host=self.pg.host, port=self.pg.port, dbname=self.database,
                               user=self.pg.user, password=self.pg.password, autocommit=True)


@contextmanager
def opened(home: Path, url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[AppContext]:
    """smmod as a workstation opens it: its own data folder, the server's URL."""
    with monkeypatch.context() as env:
        env.setenv("SMMOD_DATABASE_URL", url)
        ctx = open_context(str(home))
    try:
        yield ctx
    finally:
        ctx.close()


@contextmanager
def server_database(pg: PgServer, template: str | None) -> Iterator[str]:
    """A fresh database's URL (as the owner); afterwards the database goes, then every role
    named after it (roles outlive a database, and a role cannot go while it holds grants)."""
    databases: list[str] = []
    try:
        with fresh_database(pg, template) as url:
            databases.append(str(make_url(url).database))
            yield url
    finally:
        for database in databases:
            drop_roles(pg, database)


@pytest.fixture
def server_url(pg_server: PgServer, pg_template: str) -> Iterator[str]:
    """A fresh, migrated database on which ``smmod server init`` has not run yet."""
    with server_database(pg_server, pg_template) as url:
        yield url


@pytest.fixture
def staffed_server(pg_server: PgServer, pg_template: str, tmp_path: Path,
                   monkeypatch: pytest.MonkeyPatch, clock: FrozenClock
                   ) -> Iterator[StaffedServer]:
    trained = clock.today() - timedelta(days=78)  # policy read and trained this year
    with server_database(pg_server, pg_template) as url:
        setup = StaffedServer(pg_server, url, str(make_url(url).database))
        with opened(tmp_path / "it", url, monkeypatch) as ctx:
            server.init(ctx.database)
            ctx.refresh_actor()
            for username, (name, roles) in PEOPLE.items():
                password = secrets.token_urlsafe(12)
                record = ctx.staff.add(ctx.actor, StaffInput(
                    name=name, username=username, roles=frozenset(roles),
                    policy_read_on=trained, trained_on=trained),
                    login=LoginRequest(setup.login(username), password))
                setup.passwords[username] = password
                setup.ids[username] = record.id
        yield setup


def drop_roles(pg: PgServer, database: str) -> None:
    with psycopg.connect(host=pg.host, port=pg.port, dbname=pg.database, user=pg.user,
                         password=pg.password, autocommit=True) as conn:
        names = conn.execute("SELECT rolname FROM pg_roles WHERE rolname LIKE %s",
                             (database.replace("_", r"\_") + r"\_%",)).fetchall()
        for (name,) in names:
            conn.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(name)))
