"""`smmod init`, `doctor`, `settings`, and the exit-code contract of the command line."""

from __future__ import annotations

import importlib.metadata
import json
import tomllib
from pathlib import Path
from typing import Any

import pytest

from smmod import __version__
from smmod.cli import main
from smmod.context import AppContext
from smmod.paths import resolve_paths
from smmod.settings import SCHEMA
from smmod.store.database import head_revision
from smmod.store.engine import masked_url


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    try:
        code = main(list(argv))
    except SystemExit as exc:  # argparse: --version, usage errors
        code = int(exc.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, Any]:
    code, out, err = run(capsys, *argv)
    assert err == "", err
    return code, json.loads(out)


def one_line_error(err: str) -> str:
    assert err.startswith("smmod: ") and err.endswith("\n") and err.count("\n") == 1, err
    return err


# -- init ---------------------------------------------------------------------------------


def test_init_creates_the_first_slt_administrator(smmod_home: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "init", "--name", "Hannah Head", "--email", "hh@school.example")
    assert (code, err) == (0, "")
    assert "Created Hannah Head (head) with roles slt, administrator." in out
    assert str(resolve_paths().database) in out
    code, people = run_json(capsys, "staff", "list", "--json")
    assert code == 0
    assert [(p["username"], p["roles"], p["email"]) for p in people] == [
        ("head", ["administrator", "slt"], "hh@school.example")]


def test_init_refuses_the_second_time(smmod_home: Path, capsys: pytest.CaptureFixture[str],
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    assert run(capsys, "init", "--name", "Hannah Head")[0] == 0
    monkeypatch.setenv("SMMOD_USER", "other")
    code, out, err = run(capsys, "init", "--name", "Someone Else")
    assert code == 2 and out == ""
    assert "already set up" in one_line_error(err)
    code, people = run_json(capsys, "staff", "list", "--json")
    assert [p["username"] for p in people] == ["head"]


@pytest.mark.parametrize(("argv", "says"), [
    (["init"], "the following arguments are required: --name"),
    (["init", "--name", "  "], "a name is required"),
    (["init", "--name", "Hannah", "--email", "nope"], "'nope' is not an email address"),
])
def test_init_bad_input(smmod_home: Path, capsys: pytest.CaptureFixture[str],
                        argv: list[str], says: str) -> None:
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == ""
    assert says in one_line_error(err)


# -- doctor ---------------------------------------------------------------------------------


@pytest.mark.usefixtures("real_keyring")  # the doctor checks the machine's keyring
def test_doctor_json(ctx: AppContext, capsys: pytest.CaptureFixture[str]) -> None:
    code, report = run_json(capsys, "doctor", "--json")
    assert code == 0 and report["ok"] is True
    assert report["smmod"] == __version__
    assert report["data_dir"] == str(ctx.paths.data_dir)
    assert report["config_dir"] == str(ctx.paths.config_dir)
    if ctx.database.is_sqlite:
        assert report["database_url"].startswith("sqlite+pysqlite:///")
        assert report["database_url"].endswith(str(ctx.paths.database))
        assert report["integrity_check"] == "ok"
    else:  # the server's URL, its password hidden; the server checks its own pages
        assert report["database_url"].startswith("postgresql+psycopg://smmod_test:***@")
        assert report["integrity_check"] == "not checked (server database)"
    assert report["schema"] == {"current": head_revision(), "head": head_revision(),
                                "at_head": True}
    assert set(report["keyring"]) == {"backend", "secure", "problem"}
    assert isinstance(report["keyring"]["secure"], bool)
    assert report["keyring"]["backend"]
    if not report["keyring"]["secure"]:
        assert report["keyring"]["problem"]
    assert report["identity"] == {"username": "head", "known": True,
                                  "roles": ["administrator", "slt"]}
    assert report["versions"]["SQLAlchemy"] == importlib.metadata.version("SQLAlchemy")
    assert report["versions"]["alembic"] == importlib.metadata.version("alembic")
    assert set(report["face_models"]) == {"dir", "ok"}


@pytest.mark.usefixtures("real_keyring")  # the doctor checks the machine's keyring
def test_doctor_text(ctx: AppContext, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "doctor")
    assert (code, err) == (0, "")
    lines = dict(line.split(None, 1) for line in out.splitlines() if line.strip()
                 and not line.startswith(("data folder", "face models")))
    assert lines["integrity"] == ("ok" if ctx.database.is_sqlite else "not checked (server database)")
    assert lines["schema"] == f"{head_revision()} (head {head_revision()})"
    assert f"data folder  {ctx.paths.data_dir}" in out


@pytest.mark.usefixtures("real_keyring")  # the doctor checks the machine's keyring
def test_doctor_for_an_unknown_user(ctx: AppContext, capsys: pytest.CaptureFixture[str],
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SMMOD_USER", "stranger")
    code, report = run_json(capsys, "doctor", "--json")
    assert code == 0
    assert report["identity"] == {"username": "stranger", "known": False, "roles": []}


def test_doctor_reports_a_schema_behind_head(ctx: AppContext,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    from smmod.doctor import report

    with ctx.database.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '0001'")
    result = report(ctx)
    assert result["schema"] == {"current": "0001", "head": head_revision(),
                                "at_head": head_revision() == "0001"}
    assert result["ok"] is (head_revision() == "0001")


@pytest.mark.parametrize(("url", "shown"), [
    ("postgresql://u:secret@h/db", "postgresql://u:***@h/db"),
    ("postgresql+psycopg://smmod:p%40ss%3Aword@db.trust.example:5432/smmod",
     "postgresql+psycopg://smmod:***@db.trust.example:5432/smmod"),
    ("sqlite+pysqlite:////data/smmod.sqlite3", "sqlite+pysqlite:////data/smmod.sqlite3"),
])
def test_masked_url_hides_the_password(url: str, shown: str) -> None:
    masked = masked_url(url)
    assert masked == shown
    assert "secret" not in masked and "p%40ss" not in masked and "p@ss" not in masked


# -- settings -------------------------------------------------------------------------------


def test_settings_list_json(smmod_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, document = run_json(capsys, "settings", "list", "--json")
    assert code == 0
    assert list(document) == [s.key for s in SCHEMA]
    assert document["backup.keep"] == {
        "value": 14, "default": 14, "description": "How many automatic backups to keep."}
    assert document["sla.nation"]["choices"] == ["ENG", "WLS", "SCT", "NIR"]


def test_settings_set_get_and_list(smmod_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "settings", "set", "sla.closures", "2026-12-21..2027-01-01")
    assert (code, out, err) == (0, "sla.closures = 2026-12-21..2027-01-01\n", "")
    assert run(capsys, "settings", "set", "sla.roll_non_working", "on")[1] == (
        "sla.roll_non_working = true\n")
    assert run(capsys, "settings", "get", "sla.roll_non_working") == (0, "true\n", "")
    assert run(capsys, "settings", "get", "training.expiry_months") == (0, "12\n", "")
    code, document = run_json(capsys, "settings", "list", "--json")
    assert document["sla.closures"]["value"] == ["2026-12-21..2027-01-01"]
    code, out, _ = run(capsys, "settings", "list")
    assert code == 0
    assert any(line.split()[:2] == ["sla.roll_non_working", "true"] for line in out.splitlines())
    saved = tomllib.loads(resolve_paths().settings_file.read_text(encoding="utf-8"))
    assert saved == {"sla": {"closures": ["2026-12-21..2027-01-01"], "roll_non_working": True}}


@pytest.mark.parametrize(("argv", "says"), [
    (["settings", "set", "sla.nation", "France"], "choose one of: ENG, WLS, SCT, NIR"),
    (["settings", "set", "backup.keep", "lots"], "expected a whole number from 1 to 365"),
    (["settings", "set", "backup.kept", "3"], "unknown setting 'backup.kept'"),
    (["settings", "get", "nope"], "unknown setting 'nope'"),
    (["settings", "set", "images.mode", "assisted"], "set images.dpia_reference first"),
    (["settings", "set", "backup.keep"], "the following arguments are required: value"),
    (["settings", "frobnicate"], "invalid choice: 'frobnicate'"),
])
def test_settings_bad_input(smmod_home: Path, capsys: pytest.CaptureFixture[str],
                            argv: list[str], says: str) -> None:
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == ""
    assert says in one_line_error(err)
    assert not resolve_paths().settings_file.exists()


def test_assisted_mode_after_a_dpia(smmod_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "settings", "set", "images.dpia_reference", "DPIA-2026-07")[0] == 0
    assert run(capsys, "settings", "set", "images.mode", "assisted")[0] == 0
    assert run(capsys, "settings", "get", "images.mode")[1] == "assisted\n"


def test_a_broken_settings_file_is_one_line(smmod_home: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    settings = resolve_paths().settings_file
    settings.parent.mkdir(parents=True)
    settings.write_text("[backup\n", encoding="utf-8")
    for argv in (["settings", "list"], ["staff", "list"]):
        code, out, err = run(capsys, *argv)
        assert code == 2 and out == ""
        assert str(settings) in one_line_error(err) and "not valid TOML" in err


# -- the command line itself ----------------------------------------------------------------


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "--version") == (0, f"smmod {__version__}\n", "")


@pytest.mark.parametrize(("argv", "says"), [
    (["frobnicate"], "invalid choice: 'frobnicate'"),
    (["audit"], "the following arguments are required: audit_verb"),
    (["doctor", "--jsn"], "unrecognized arguments: --jsn"),
])
def test_usage_errors_are_one_line_and_exit_2(capsys: pytest.CaptureFixture[str],
                                              argv: list[str], says: str) -> None:
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == ""
    assert says in one_line_error(err)


def test_no_verb_prints_help_and_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys)
    assert code == 2 and "usage: smmod" in out
