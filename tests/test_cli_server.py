"""``smmod server init``, ``smmod staff add`` and ``staff login`` on a server, ``smmod
backup`` there, and a server that lacks the unaccent extension."""

from __future__ import annotations

import io
import re
from pathlib import Path

import psycopg
import pytest
from keyring.backend import KeyringBackend
from sqlalchemy.engine import make_url

from smmod import audit, dburl
from smmod.audit import AuditFilter
from smmod.context import open_context
from smmod.errors import DatabaseUnusable
from smmod.store.database import open_database
from smmod.store.dialect import require_extension
from tests.keyring_support import keyring_items
from tests.pg_mode import fresh_database
from tests.pg_support import PgServer
from tests.server_support import server_database
from tests.test_cli_core import one_line_error, run

CapSys = pytest.CaptureFixture[str]


@pytest.fixture
def on_server(server_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """The CLI pointed at a fresh server database; its name."""
    monkeypatch.setenv("SMMOD_DATABASE_URL", server_url)
    return str(make_url(server_url).database)


def _connect(url: str, user: str, password: str | None) -> psycopg.Connection:
    u = make_url(url)
    return psycopg.connect(host=u.host, port=u.port, dbname=u.database, user=user,
                           password=password, autocommit=True)


def test_server_init_on_sqlite_is_refused_in_one_line(capsys: CapSys,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SMMOD_DATABASE_URL", raising=False)
    code, out, err = run(capsys, "server", "init")
    assert (code, out) == (2, "")
    assert "smmod server init is for a PostgreSQL database" in one_line_error(err)


def test_server_init_sets_up_and_can_run_again(capsys: CapSys, on_server: str,
                                               server_url: str) -> None:
    code, out, err = run(capsys, "server", "init")
    assert (code, err) == (0, "")
    assert f"Created the group roles: {on_server}_member" in out
    assert f"{on_server}_moderator" in out
    code, out, err = run(capsys, "server", "init")
    assert (code, err) == (0, "")
    assert "already there" in out
    ctx = open_context()
    try:
        trail = audit.query(ctx.session_factory, AuditFilter(action="server.init"))
    finally:
        ctx.close()
    assert [r.actor for r in trail] == [str(make_url(server_url).username)] * 2


def test_init_on_a_server_with_identities_points_to_staff_add(capsys: CapSys,
                                                               on_server: str) -> None:
    run(capsys, "server", "init")
    code, out, err = run(capsys, "init", "--name", "Hannah Head")
    assert (code, out) == (2, "")
    assert "the database's owner adds people with 'smmod staff add'" in one_line_error(err)


def _add(capsys: CapSys, username: str, *extra: str) -> tuple[int, str, str]:
    return run(capsys, "staff", "add", "--name", "Jo Bloggs", "--username", username,
               "--role", "moderator", *extra)


def test_staff_add_on_a_server_creates_their_login_and_shows_the_password_once(
        capsys: CapSys, on_server: str, server_url: str) -> None:
    run(capsys, "server", "init")
    username = f"{on_server}_jo"
    code, out, err = _add(capsys, username)
    assert (code, err) == (0, "")
    password = re.search(r"shown this once \(give it to them privately\): (\S+)", out)
    assert password is not None
    assert f"smmod settings set database.url 'postgresql://{username}:PASSWORD@" in out
    assert str(make_url(server_url).password) not in out  # the owner's, never shown
    with _connect(server_url, username, password[1]) as conn:
        assert conn.execute("SELECT smmod_actor()").fetchone()[0] == username
        assert conn.execute("SELECT pg_has_role(session_user, %s, 'MEMBER')",
                            (f"{on_server}_moderator",)).fetchone()[0]
        assert not conn.execute("SELECT pg_has_role(session_user, %s, 'MEMBER')",
                                (f"{on_server}_slt",)).fetchone()[0]
        details = conn.execute("SELECT details FROM audit_entries WHERE action = 'staff.add'"
                               ).fetchone()[0]
    assert f'"login_role": "{username}"' in details and password[1] not in details
    with _connect(server_url, str(make_url(server_url).username),
                  make_url(server_url).password) as conn:  # only a verifier reached the server
        stored = conn.execute("SELECT rolpassword FROM pg_authid WHERE rolname = %s",
                              (username,)).fetchone()[0]
    assert stored.startswith("SCRAM-SHA-256$") and password[1] not in stored


def test_staff_add_reads_the_password_from_stdin_without_showing_it(
        capsys: CapSys, on_server: str, server_url: str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    run(capsys, "server", "init")
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    code, out, err = _add(capsys, f"{on_server}_jo", "--password-stdin")
    assert (code, out) == (2, "")
    assert "shorter than 12 characters" in one_line_error(err)
    chosen = "correct-horse-battery"
    monkeypatch.setattr("sys.stdin", io.StringIO(chosen + "\n"))
    code, out, err = _add(capsys, f"{on_server}_jo", "--password-stdin")
    assert (code, err) == (0, "")
    assert chosen not in out and "shown this once" not in out
    _connect(server_url, f"{on_server}_jo", chosen).close()


def test_staff_add_links_an_existing_role(capsys: CapSys, on_server: str,
                                          server_url: str) -> None:
    run(capsys, "server", "init")
    kerberos = f"{on_server}_krb"
    code, out, err = _add(capsys, f"{on_server}_jo", "--existing-role", kerberos)
    assert (code, out) == (2, "")
    assert f"there is no login role '{kerberos}'" in one_line_error(err)
    with _connect(server_url, str(make_url(server_url).username),
                  make_url(server_url).password) as conn:
        conn.execute(f'CREATE ROLE "{kerberos}" LOGIN')  # authenticated by GSSAPI, say
    code, out, err = _add(capsys, f"{on_server}_jo", "--existing-role", kerberos)
    assert (code, err) == (0, "")
    assert f"Linked to the existing login role '{kerberos}'" in out
    [line] = [row.strip() for row in out.splitlines() if "database.url" in row]
    assert line.startswith(f"smmod settings set database.url 'postgresql://{kerberos}@")
    assert line.endswith("?gssencmode=require'") and "PASSWORD" not in line
    with _connect(server_url, str(make_url(server_url).username),
                  make_url(server_url).password) as conn:
        assert conn.execute("SELECT pg_has_role(%s, %s, 'MEMBER')",
                            (kerberos, f"{on_server}_moderator")).fetchone()[0]


def test_staff_login_gives_someone_already_there_a_login(capsys: CapSys, on_server: str,
                                                         server_url: str) -> None:
    run(capsys, "init", "--name", "Hannah Head")  # a register from before the server...
    code, _out, err = _add(capsys, "jo")
    assert (code, err) == (0, "")
    run(capsys, "server", "init")  # ...set up for identities: Jo has no login yet
    code, out, err = run(capsys, "staff", "login", "jo", "--db-role", f"{on_server}_jo")
    assert (code, err) == (0, "")
    password = re.search(r"shown this once \(give it to them privately\): (\S+)", out)
    assert password is not None
    with _connect(server_url, f"{on_server}_jo", password[1]) as conn:
        assert conn.execute("SELECT smmod_actor()").fetchone()[0] == "jo"


def test_login_options_on_sqlite_are_refused(capsys: CapSys,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SMMOD_DATABASE_URL", raising=False)
    run(capsys, "init", "--name", "Hannah Head")
    code, out, err = _add(capsys, "jo", "--existing-role", "jo")
    assert (code, out) == (2, "")
    assert "only for a PostgreSQL server" in one_line_error(err)


def test_server_init_by_someone_other_than_the_owner_is_refused(
        capsys: CapSys, on_server: str, server_url: str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    run(capsys, "server", "init")
    code, out, _err = _add(capsys, f"{on_server}_jo")
    password = re.search(r"shown this once \(give it to them privately\): (\S+)", out)
    assert code == 0 and password is not None
    jo = make_url(server_url).set(username=f"{on_server}_jo", password=password[1])
    monkeypatch.setenv("SMMOD_DATABASE_URL", jo.render_as_string(hide_password=False))
    code, out, err = run(capsys, "server", "init")
    assert (code, out) == (2, "")
    assert "must be run by the owner of the database" in one_line_error(err)
    # and what the database refuses a moderator is said plainly, not as a crash
    code, out, err = _add(capsys, "someone")
    assert (code, out) == (2, "")
    assert "add staff" in one_line_error(err)


def test_backup_on_a_server_names_pg_dump(capsys: CapSys, on_server: str,
                                          server_url: str) -> None:
    code, out, err = run(capsys, "backup")
    assert (code, out) == (1, "")
    line = one_line_error(err)
    assert "backups are the server's job" in line and "pg_dump --format=custom" in line
    assert on_server in line and str(make_url(server_url).password) not in line


def test_a_server_without_unaccent_names_the_fix(pg_server: PgServer, tmp_path: Path) -> None:
    """The database's owner created it, but smmod connects as a login that may create
    tables and not extensions: the migration stops before changing anything, saying so."""
    with server_database(pg_server, None) as url:
        database = str(make_url(url).database)
        login, password = f"{database}_app", "app-password-123"
        with _connect(url, pg_server.user, pg_server.password) as conn:
            conn.execute(f'CREATE ROLE "{login}" LOGIN PASSWORD \'{password}\'')
            conn.execute(f'GRANT CREATE ON SCHEMA public TO "{login}"')
        app_url = make_url(url).set(username=login, password=password)
        with pytest.raises(DatabaseUnusable) as refused:
            open_database(tmp_path / "unused.sqlite3", tmp_path / "backups",
                          url=app_url.render_as_string(hide_password=False))
        message = str(refused.value)
        assert "lacks the 'unaccent' extension" in message
        assert f"CREATE EXTENSION unaccent; in the database '{database}'" in message
        with _connect(url, pg_server.user, pg_server.password) as conn:  # nothing half-done
            assert conn.execute("SELECT to_regclass('public.staff')").fetchone()[0] is None


def test_a_server_without_the_extension_at_all_names_the_package(pg_server: PgServer) -> None:
    with fresh_database(pg_server) as url:
        from sqlalchemy import create_engine

        engine = create_engine(make_url(url))
        try:
            with engine.connect() as conn, pytest.raises(DatabaseUnusable) as refused:
                require_extension(conn, "smmod_not_shipped", "a test")
        finally:
            engine.dispose()
    assert "postgresql-contrib" in str(refused.value)
    assert "CREATE EXTENSION smmod_not_shipped" in str(refused.value)



@pytest.mark.keyring
def test_a_workstation_connects_with_the_line_staff_add_prints(
        capsys: CapSys, on_server: str, server_url: str, app_keyring: KeyringBackend,
        keyring_service: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    run(capsys, "server", "init")
    username = f"{on_server}_jo"
    _code, out, _err = _add(capsys, username)
    password = re.search(r"shown this once \(give it to them privately\): (\S+)", out)
    line = re.search(r"smmod settings set database.url '([^']+)'", out)
    assert password is not None and line is not None
    # Jo's own computer: their own data folder, the server only in their settings, and an
    # SMMOD_USER that claims to be somebody else.
    monkeypatch.setenv("SMMOD_HOME", str(tmp_path / "jo-pc"))
    monkeypatch.delenv("SMMOD_DATABASE_URL")
    monkeypatch.setenv("SMMOD_USER", "head")
    code, saved, err = run(capsys, "settings", "set", "database.url",
                           line[1].replace("PASSWORD", password[1]))
    assert (code, err) == (0, "") and password[1] not in saved
    assert keyring_items(app_keyring, keyring_service) == {dburl.PASSWORD_ITEM: password[1]}
    ctx = open_context()
    try:
        assert (ctx.actor.username, ctx.actor.roles) == (username, frozenset({"moderator"}))
    finally:
        ctx.close()


def test_the_set_up_in_docs_server_md_with_an_owner_who_is_not_a_superuser(
        capsys: CapSys, pg_server: PgServer, monkeypatch: pytest.MonkeyPatch) -> None:
    """docs/server.md, step by step: a superuser makes the owner (CREATEROLE) and the
    database; the owner does everything else."""
    with server_database(pg_server, None) as url:
        database = str(make_url(url).database)
        owner, secret = f"{database}_owner", "owner-password-123"
        with _connect(url, pg_server.user, pg_server.password) as conn:  # step 1
            conn.execute(f'CREATE ROLE "{owner}" LOGIN CREATEROLE PASSWORD \'{secret}\'')
            conn.execute(f'ALTER DATABASE "{database}" OWNER TO "{owner}"')
            conn.execute(f'ALTER SCHEMA public OWNER TO "{owner}"')
            conn.execute("CREATE EXTENSION unaccent")
        owner_url = make_url(url).set(username=owner, password=secret)
        monkeypatch.setenv("SMMOD_DATABASE_URL", owner_url.render_as_string(hide_password=False))
        code, out, err = run(capsys, "server", "init")  # step 2 (its tables made on the way)
        assert (code, err) == (0, ""), err
        code, out, err = run(capsys, "staff", "add", "--name", "Jo Bloggs", "--username",
                             f"{database}_jo", "--role", "slt")  # step 3
        assert (code, err) == (0, ""), err
        password = re.search(r"shown this once \(give it to them privately\): (\S+)", out)
        assert password is not None
        jo = owner_url.set(username=f"{database}_jo", password=password[1])
        monkeypatch.setenv("SMMOD_DATABASE_URL", jo.render_as_string(hide_password=False))
        ctx = open_context()  # step 4
        try:
            assert ctx.actor.username == f"{database}_jo" and ctx.actor.has("slt")
            with ctx.session_factory.begin() as session:
                assert audit.record(session, actor="x", action="test", subject="x").actor \
                    == f"{database}_jo"
        finally:
            ctx.close()
        code, out, err = run(capsys, "server", "init")  # as Jo: refused, whatever the role
        assert code == 2 and "must be run by the owner" in one_line_error(err)
