"""`smmod settings set database.url`: checked before it is saved, never a lock-out, and its
password kept in the keyring, never shown or written to settings.toml."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import psycopg
import pytest
from keyring.backend import KeyringBackend

from smmod import audit, dburl
from smmod.audit import AuditFilter
from smmod.context import AppContext, database_url
from smmod.paths import resolve_paths
from smmod.settings import Settings
from tests.keyring_support import keyring_items
from tests.pg_support import PgServer, free_port
from tests.test_cli_core import one_line_error, run

SECRET = "Tr0ub4dor&3-not-shown"


@pytest.mark.parametrize(("url", "says"), [
    ("mysql://u@h/db", "'mysql' databases are not supported"),
    ("not a url", "this is not a database URL"),
    ("sqlite:///relative.sqlite3", "give the SQLite file's full path"),
    ("sqlite://", "give the path of the SQLite file"),
    ("sqlite:////no/such/folder/smmod.sqlite3", "the folder /no/such/folder does not exist"),
    (f"postgresql+psycopg2://u:{SECRET}@h/db", "the driver 'psycopg2' is not supported"),
    (f"postgresql://u:{SECRET}@127.0.0.1/", "name the database after the server"),
])
def test_a_bad_database_url_is_refused_before_it_is_saved(
        ctx: AppContext, capsys: pytest.CaptureFixture[str], url: str, says: str) -> None:
    code, out, err = run(capsys, "settings", "set", "database.url", url)
    assert (code, out) == (2, "")
    assert "field 'database.url'" in one_line_error(err) and says in err
    assert SECRET not in err
    assert not ctx.paths.settings_file.exists()
    assert audit.query(ctx.session_factory, AuditFilter(action="settings.set")) == []


def test_a_server_that_does_not_answer_is_refused(
        ctx: AppContext, capsys: pytest.CaptureFixture[str]) -> None:
    port = free_port()
    code, out, err = run(capsys, "settings", "set", "database.url",
                         f"postgresql://smmod:{SECRET}@127.0.0.1:{port}/smmod")
    assert (code, out) == (2, "")
    assert (f"field 'database.url': the server of postgresql+psycopg://smmod:***@127.0.0.1:"
            f"{port}/smmod did not answer") in one_line_error(err)
    assert "Connection refused" in err and SECRET not in err
    assert not ctx.paths.settings_file.exists()
    assert run(capsys, "staff", "list")[0] == 0


@pytest.mark.sqlite_only  # the setting, which SMMOD_DATABASE_URL overrides
def test_a_writable_sqlite_file_is_accepted_and_audited(
        ctx: AppContext, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    target = tmp_path / "shared" / "smmod.sqlite3"
    target.parent.mkdir()
    code, out, err = run(capsys, "settings", "set", "database.url", f"sqlite:///{target}")
    assert (code, out, err) == (0, f"database.url = sqlite+pysqlite:///{target}\n", "")
    [entry] = audit.query(ctx.session_factory, AuditFilter(action="settings.set"))
    assert entry.details == {"from": "", "to": f"sqlite+pysqlite:///{target}"}


@pytest.mark.sqlite_only  # the setting, which SMMOD_DATABASE_URL overrides
def test_clearing_a_dead_database_url_always_works(
        ctx: AppContext, capsys: pytest.CaptureFixture[str]) -> None:
    """A URL saved by an earlier smmod whose server is gone: every command fails, and
    `settings set database.url ""` is the way back."""
    dead = f"postgresql+psycopg://smmod@127.0.0.1:{free_port()}/smmod"
    ctx.paths.settings_file.write_text(f'[database]\nurl = "{dead}"\n', encoding="utf-8")
    code, out, err = run(capsys, "staff", "list")
    assert (code, out) == (2, "")
    assert f"The database {dead} (setting database.url) could not be reached: " \
        in one_line_error(err)
    assert "Connection refused" in err and 'smmod settings set database.url ""' in err
    code, out, err = run(capsys, "settings", "set", "database.url", "")
    assert (code, out) == (0, "database.url = \n")
    assert "not in the audit trail" in one_line_error(err)
    assert tomllib.loads(ctx.paths.settings_file.read_text(encoding="utf-8")) == {}
    code, out, _ = run(capsys, "staff", "list")
    assert code == 0 and "Hannah Head" in out


def test_a_password_in_the_settings_file_is_refused_and_never_shown(
        smmod_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = resolve_paths().settings_file
    path.parent.mkdir(parents=True)
    path.write_text(f'[database]\nurl = "postgresql://smmod:{SECRET}@db.example/smmod"\n',
                    encoding="utf-8")
    code, out, err = run(capsys, "sla", "due", "2026-12-02T10:00Z")
    assert code == 2 and "password does not belong in the settings file" in one_line_error(err)
    for argv in (["settings", "list"], ["settings", "list", "--json"],
                 ["settings", "get", "database.url"]):
        code, out, err = run(capsys, *argv)
        assert code == 1 and SECRET not in out + err, argv
        assert "smmod:***@db.example" in out
    code, out, err = run(capsys, "settings", "set", "database.url", "")
    assert code == 0 and SECRET not in out + err
    assert path.read_text(encoding="utf-8") == ""


def test_a_wrong_password_is_refused_without_echoing_it(pg_server: PgServer, smmod_home: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    """The server answers, but refuses the password: nothing is saved, nothing echoed."""
    code, _, err = run(capsys, "settings", "set", "database.url", pg_server.url("wrong-pw"))
    assert code == 2 and "did not answer" in one_line_error(err)
    assert "password authentication failed" in err and "wrong-pw" not in err
    assert not resolve_paths().settings_file.exists()


@pytest.mark.sqlite_only  # the setting, which SMMOD_DATABASE_URL overrides
@pytest.mark.keyring
def test_the_password_goes_in_the_keyring_and_nowhere_else(
        pg_server: PgServer, smmod_home: Path, app_keyring: KeyringBackend,
        keyring_service: str, capsys: pytest.CaptureFixture[str]) -> None:
    url = pg_server.url()
    code, out, err = run(capsys, "settings", "set", "database.url", url)
    stored = (f"postgresql+psycopg://{pg_server.user}@{pg_server.host}:{pg_server.port}/"
              f"{pg_server.database}")
    assert (code, out, err) == (0, f"database.url = {stored}\n", "")
    settings_file = resolve_paths().settings_file
    assert pg_server.password not in settings_file.read_text(encoding="utf-8")
    assert tomllib.loads(settings_file.read_text(encoding="utf-8")) == {
        "database": {"url": stored}}
    assert keyring_items(app_keyring, keyring_service) == {
        dburl.PASSWORD_ITEM: pg_server.password}
    for argv in (["settings", "list"], ["settings", "list", "--json"],
                 ["settings", "get", "database.url"]):
        code, out, err = run(capsys, *argv)
        assert code == 0 and pg_server.password not in out + err, argv
    assert json.loads(run(capsys, "settings", "list", "--json")[1])["database.url"]["value"] \
        == stored

    # Opening the database puts the password back, from the keyring.
    opened = database_url(Settings.load(settings_file))
    assert opened is not None and pg_server.password in opened
    with psycopg.connect(opened.replace("+psycopg", ""), connect_timeout=5) as conn:
        assert conn.execute("SELECT 1").fetchone() == (1,)

    assert run(capsys, "settings", "set", "database.url", "")[0] == 0
    assert keyring_items(app_keyring, keyring_service) == {}


def test_smmod_database_url_is_still_honoured(smmod_home: Path, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite+pysqlite:///{tmp_path / 'elsewhere.sqlite3'}"
    monkeypatch.setenv(dburl.ENV, url)
    assert database_url(Settings.load(resolve_paths().settings_file)) == url
