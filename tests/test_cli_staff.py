"""`smmod staff add | list | import`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from smmod.cli import main
from smmod.context import AppContext
from smmod.identity import Actor

DATA = Path(__file__).resolve().parent / "data" / "staff"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    try:
        code = main(list(argv))
    except SystemExit as exc:
        code = int(exc.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> Any:
    code, out, err = run(capsys, *argv)
    assert (code, err) == (0, ""), err
    return json.loads(out)


def refused(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    """Run a command that must fail with exit 2 and one line on stderr; return that line."""
    code, out, err = run(capsys, *argv)
    assert code == 2, (code, out, err)
    assert out == ""
    assert err.startswith("smmod: ") and err.count("\n") == 1 and err.endswith("\n"), err
    return err


def usernames(capsys: pytest.CaptureFixture[str], *extra: str) -> list[str]:
    return [p["username"] for p in run_json(capsys, "staff", "list", "--json", *extra)]


def test_add_and_list(ctx: AppContext, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "staff", "add", "--name", "Riley Runner", "--username", "riley",
                         "--role", "staff", "--role", "moderator", "--email", "r@school.example",
                         "--policy-read", "01/09/2026", "--trained", "2026-09-02",
                         "--r12-declared", "2026-09-02")
    assert (code, err) == (0, "")
    assert out.startswith("Added Riley Runner (riley): ")
    people = {p["username"]: p for p in run_json(capsys, "staff", "list", "--json")}
    riley = people["riley"]
    assert riley["roles"] == ["moderator", "staff"]
    assert riley["policy_read_on"] == "2026-09-01"
    assert riley["trained_on"] == "2026-09-02"
    assert riley["training_expires_on"] == "2027-09-02"
    assert riley["r12_declared_on"] == "2026-09-02"
    assert riley["email"] == "r@school.example"
    assert riley["active"] is True
    assert set(riley) >= {"eligible", "ineligible_because", "leaving_on", "id"}


def test_list_shows_r4_eligibility(ctx: AppContext, people: dict[str, Actor],
                                   capsys: pytest.CaptureFixture[str]) -> None:
    listed = {p["username"]: p for p in run_json(capsys, "staff", "list", "--json")}
    assert listed["vol1"]["eligible"] is False
    assert listed["vol1"]["ineligible_because"] == ["has not read the social media policy",
                                                    "has not completed training"]
    code, out, _ = run(capsys, "staff", "list")
    assert code == 0
    (vol_line,) = [line for line in out.splitlines() if " vol1 " in f" {line} "]
    assert "no: has not read the social media policy" in vol_line
    assert out.splitlines()[0].split()[:3] == ["name", "username", "roles"]


def test_list_all_includes_deactivated(ctx: AppContext, people: dict[str, Actor],
                                       capsys: pytest.CaptureFixture[str]) -> None:
    run2 = ctx.staff.by_username("run2")
    ctx.staff.set_active(ctx.actor, run2.id, run2.version_id, False)
    assert "run2" not in usernames(capsys)
    everyone = {p["username"]: p for p in run_json(capsys, "staff", "list", "--json", "--all")}
    assert everyone["run2"]["active"] is False
    assert "deactivated" in everyone["run2"]["ineligible_because"]


@pytest.mark.parametrize(("extra", "says"), [
    (["--role", "headteacher"], "argument --role: invalid choice: 'headteacher'"),
    (["--role", "staff", "--trained", "31/02/2026"],
     "argument --trained: '31/02/2026' is not a date"),
    (["--role", "staff", "--leaving", "next week"], "argument --leaving: 'next week' is not"),
    ([], "the following arguments are required: --role"),
    (["--role", "staff", "--email", "riley"], "'riley' is not an email address"),
])
def test_add_bad_input(ctx: AppContext, capsys: pytest.CaptureFixture[str], extra: list[str],
                       says: str) -> None:
    err = refused(capsys, "staff", "add", "--name", "Riley", "--username", "riley", *extra)
    assert says in err
    assert usernames(capsys) == ["head"]


def test_add_duplicate_username(ctx: AppContext, people: dict[str, Actor],
                                capsys: pytest.CaptureFixture[str]) -> None:
    err = refused(capsys, "staff", "add", "--name", "Another", "--username", "RUN1",
                  "--role", "staff")
    assert "'RUN1' is already in the staff register" in err


def test_a_moderator_cannot_add_staff(ctx: AppContext, people: dict[str, Actor],
                                      capsys: pytest.CaptureFixture[str],
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SMMOD_USER", "mod1")
    err = refused(capsys, "staff", "add", "--name", "Riley", "--username", "riley",
                  "--role", "staff")
    assert "Only administrator or SLT staff can add staff" in err
    assert "riley" not in usernames(capsys)


def test_an_unknown_os_user_is_read_only(ctx: AppContext, capsys: pytest.CaptureFixture[str],
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SMMOD_USER", "stranger")
    err = refused(capsys, "staff", "add", "--name", "Riley", "--username", "riley",
                  "--role", "staff")
    assert "You (stranger) have no staff record, so smmod is read-only for you" in err
    assert usernames(capsys) == ["head"]  # reading still works


def test_import_json(ctx: AppContext, capsys: pytest.CaptureFixture[str]) -> None:
    document = run_json(capsys, "staff", "import", str(DATA / "mis_export.csv"), "--json", "--yes")
    assert document["applied"] is True
    assert document["imported"] == 5
    assert sorted(p["username"] for p in document["staff"]) == [
        "akhan", "bokafor", "devans", "emorgan", "jcarter"]
    assert len(usernames(capsys)) == 6


def test_import_text(ctx: AppContext, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "staff", "import", str(DATA / "cp1252.csv"), "--yes")
    assert (code, err) == (0, "")
    assert "  + Zoë Williams (zwilliams): staff\n" in out
    assert out.endswith(f"Imported 2 new, updated 0, deactivated 0 from {DATA / 'cp1252.csv'}.\n")


def test_import_with_map(ctx: AppContext, capsys: pytest.CaptureFixture[str]) -> None:
    document = run_json(capsys, "staff", "import", str(DATA / "custom_columns.csv"), "--json",
                        "--yes", "--map", "name=Forename Surname", "--map", "username = Login Code",
                        "--map", "roles=Post")
    assert {p["username"]: p["roles"] for p in document["staff"]} == {
        "pshah": ["moderator"], "treid": ["staff"]}


@pytest.mark.parametrize(("argv", "says"), [
    (["missing.csv"], "cannot be read (No such file or directory)"),
    (["empty.csv"], "the file is empty"),
    (["header_only.csv"], "no rows after the header"),
    (["invalid_bytes.csv"], "is neither UTF-8 nor Windows-1252 text"),
    (["missing_username.csv"], "required field not mapped: username"),
    (["custom_columns.csv", "--map", "name"], "--map expects FIELD=COLUMN, got 'name'"),
    (["custom_columns.csv", "--map", "nmae=Forename Surname", "--map", "username=Login Code"],
     "unknown field in the column mapping: nmae"),
    (["custom_columns.csv", "--map", "name=Surname", "--map", "username=Login Code"],
     "column not in the file: Surname"),
])
def test_import_bad_input(ctx: AppContext, capsys: pytest.CaptureFixture[str],
                          argv: list[str], says: str) -> None:
    path = DATA / argv[0]
    err = refused(capsys, "staff", "import", str(path), *argv[1:], "--json")
    assert says in err
    assert str(path) in err or "--map" in says
    assert usernames(capsys) == ["head"]


def test_import_permission(ctx: AppContext, people: dict[str, Actor],
                           capsys: pytest.CaptureFixture[str],
                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SMMOD_USER", "run1")
    err = refused(capsys, "staff", "import", str(DATA / "mis_export.csv"))
    assert "Only administrator or SLT staff can import staff" in err
