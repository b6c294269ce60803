"""`smmod doctor` looks and never touches: it creates no database, exits 1 when a check
fails (a keyring that cannot keep passwords is a failure), and names missing audit
triggers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from keyring.backends import fail

from smmod.context import AppContext, open_context
from smmod.errors import DatabaseUnusable
from smmod.paths import resolve_paths
from smmod.store import backup
from tests.dbraw import audit_guard_names, pg_connect, raw_connection
from tests.pg_mode import fresh_database
from tests.pg_support import PgServer
from tests.test_backup import corrupt_middle, moved_aside, run


def doctor(capsys: pytest.CaptureFixture[str]) -> tuple[int, dict, str]:  # type: ignore[type-arg]
    code, out, err = run(capsys, "doctor", "--json")
    return code, json.loads(out), err


@pytest.mark.sqlite_only  # no SQLite file there; test_doctor_never_migrates_... for a server
def test_doctor_never_creates_a_database(smmod_home: Path, capsys) -> None:
    paths = resolve_paths(str(smmod_home))
    code, report, err = doctor(capsys)
    assert code == 1 and err == "" and report["ok"] is False
    assert "there is no database" in report["database_problem"]
    assert "smmod init" in report["database_problem"]
    assert not paths.database.exists()
    assert not paths.data_dir.exists() or not list(paths.data_dir.glob("smmod.sqlite3*"))
    code, out, _ = run(capsys, "doctor")
    assert code == 1 and "NOT USABLE: there is no database" in out
    assert not paths.database.exists()


def test_doctor_never_migrates_an_empty_server_database(
        pg_server: PgServer, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    with fresh_database(pg_server) as url:
        monkeypatch.setenv("SMMOD_DATABASE_URL", url)
        code, report, err = doctor(capsys)
        assert code == 1 and err == "" and report["ok"] is False
        assert report["schema"]["current"] is None and report["schema"]["at_head"] is False
        assert "there is no smmod database" in report["database_problem"]
        assert "smmod init" in report["database_problem"]
        assert pg_server.password not in json.dumps(report)
        code, out, _ = run(capsys, "doctor")
        assert code == 1 and "NOT USABLE" in out
        with pg_connect(url) as conn:
            tables = conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public'").fetchall()
        assert tables == []


@pytest.mark.sqlite_only  # a SQLite file moved aside
def test_doctor_reports_a_moved_aside_database_and_leaves_everything_as_it_is(
        ctx: AppContext, smmod_home: Path, capsys) -> None:
    good = backup.make_backup(ctx.paths.database, ctx.paths.backups, "manual", 14)
    ctx.close()
    corrupt_middle(ctx.paths.database)
    with pytest.raises(DatabaseUnusable):
        open_context(str(smmod_home))
    (moved,) = moved_aside(ctx.paths.database)
    code, report, _ = doctor(capsys)
    assert code == 1 and report["ok"] is False
    assert str(moved) in report["database_problem"] and str(good) in report["database_problem"]
    assert not ctx.paths.database.exists()


@pytest.mark.sqlite_only  # a damaged SQLite file
def test_doctor_does_not_move_a_damaged_database(ctx: AppContext, capsys) -> None:
    ctx.close()
    damaged = corrupt_middle(ctx.paths.database)
    code, report, _ = doctor(capsys)
    assert code == 1 and "is damaged" in report["database_problem"]
    assert ctx.paths.database.read_bytes() == damaged and not moved_aside(ctx.paths.database)


@pytest.mark.usefixtures("real_keyring")  # the doctor checks the machine's keyring
def test_a_keyring_that_cannot_store_passwords_fails_the_doctor(
        ctx: AppContext, capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    code, report, _ = doctor(capsys)
    assert code == 0 and report["keyring"]["secure"] is True  # the real keyring stores one
    monkeypatch.setattr("keyring.get_keyring", lambda: fail.Keyring())
    code, report, _ = doctor(capsys)
    assert code == 1 and report["ok"] is False
    assert report["keyring"]["secure"] is False and "cannot store" in report["keyring"]["problem"]
    code, out, _ = run(capsys, "doctor")
    assert code == 1 and "NOT USABLE" in out


def test_doctor_names_missing_audit_triggers(ctx: AppContext, capsys) -> None:
    ctx.close()
    dropped = audit_guard_names(ctx)[-1]
    with raw_connection(ctx) as conn:
        conn.execute(f"DROP TRIGGER {dropped}"
                     + ("" if ctx.database.is_sqlite else " ON audit_entries"))
        conn.commit()
    code, out, _ = run(capsys, "doctor")
    assert code == 1
    assert f"MISSING append-only triggers {dropped}" in out
