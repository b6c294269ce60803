"""`smmod staff import` as a sync (preview, --dry-run, --yes, confirmation) and
`smmod staff titles`."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from smmod.context import AppContext
from smmod.identity import Actor
from tests.accounts.helpers import active_account, make_accounts
from tests.staff.helpers import SIMS_AUTUMN, SIMS_SPRING, counts, write
from tests.test_cli_staff import run, run_json, usernames

Capsys = pytest.CaptureFixture[str]


def test_preview_by_default_then_apply_with_yes(ctx: AppContext, capsys: Capsys) -> None:
    before = counts(ctx)
    code, out, err = run(capsys, "staff", "import", str(SIMS_AUTUMN))
    assert (code, err) == (0, "")
    assert "New (8):" in out
    assert "  + Toby Oyelaran (toyelaran, Deputy Head (Pastoral)): slt, staff" in out
    assert "Job title 'Forest School Leader' (row 9) is not in the job-title table" in out
    assert out.endswith("Nothing was written (a preview). Run again with --yes to apply it.\n")
    assert counts(ctx) == before
    code, out, _ = run(capsys, "staff", "import", str(SIMS_AUTUMN), "--dry-run", "--yes")
    assert code == 0 and counts(ctx) == before  # --dry-run wins
    code, out, err = run(capsys, "staff", "import", str(SIMS_AUTUMN), "--yes")
    assert (code, err) == (0, "")
    assert out.endswith(f"Imported 8 new, updated 0, deactivated 0 from {SIMS_AUTUMN}.\n")
    assert len(usernames(capsys)) == 9


def test_a_re_import_preview_names_changes_and_people_who_left(
        ctx: AppContext, capsys: Capsys) -> None:
    run(capsys, "staff", "import", str(SIMS_AUTUMN), "--yes")
    code, out, _ = run(capsys, "staff", "import", str(SIMS_SPRING))
    assert code == 0
    assert "New (1):\n  + Olu Adeyemi (oadeyemi, Teacher): staff\n" in out
    assert "  ~ Priya Rowe (prowe): roles staff → slt, staff\n" in out
    assert ("  ~ Sora Nakamura (snakamura): name Sora Nakamura → Sora Nakamura-Bell; email "
            "s.nakamura@oakfield.sch.example → s.nakamura-bell@oakfield.sch.example\n") in out
    assert "Unchanged: 5\n" in out
    assert ("  - Gareth Fitzgerald (gfitzgerald): kept (add --deactivate-missing to "
            "deactivate)\n") in out
    document = run_json(capsys, "staff", "import", str(SIMS_SPRING), "--json")
    assert document["applied"] is False and document["staff"] == []
    assert [p["username"] for p in document["new"]] == ["oadeyemi"]
    assert document["changed"][0]["changes"] == {"roles": [["staff"], ["slt", "staff"]]}
    assert document["missing"][0] == {
        "username": "gfitzgerald", "name": "Gareth Fitzgerald", "roles": ["staff"], "holds": [],
        "handover_suggested": False, "deactivate": False, "kept_because": None}
    assert "oadeyemi" not in usernames(capsys)
    document = run_json(capsys, "staff", "import", str(SIMS_SPRING), "--json", "--yes",
                        "--deactivate-missing")
    assert (document["applied"], document["imported"], document["updated"],
            document["deactivated"]) == (True, 1, 2, 1)
    assert "gfitzgerald" not in usernames(capsys)


def test_a_handover_is_suggested_for_someone_who_leads_an_account(
        ctx: AppContext, people: dict[str, Actor], capsys: Capsys, tmp_path: Path) -> None:
    make_accounts(ctx)
    active_account(ctx.accounts, people)
    path = write(tmp_path, "Legal Surname,Preferred Forename,Network Login,Job Title\n"
                           "Runner,Robin,run2,Teacher\n")
    code, out, _ = run(capsys, "staff", "import", str(path), "--deactivate-missing")
    assert code == 0
    assert ("  - Riley Runner (run1): kept: still runs lead of @oakfield_pe (instagram): run a "
            "handover first (R6); smmod handover plan run1\n") in out
    assert "  - Morgan Moderator (mod1): will be deactivated\n" in out


def test_a_terminal_is_asked_before_anything_is_written(
        ctx: AppContext, capsys: Capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    before = counts(ctx)
    monkeypatch.setattr("sys.stdin", Terminal("n\n"))
    code, out, _ = run(capsys, "staff", "import", str(SIMS_AUTUMN))
    assert code == 0 and "Apply these changes? [y/N] " in out and counts(ctx) == before
    monkeypatch.setattr("sys.stdin", Terminal("y\n"))
    code, out, _ = run(capsys, "staff", "import", str(SIMS_AUTUMN))
    assert code == 0 and "Imported 8 new" in out
    assert len(usernames(capsys)) == 9


def test_map_adds_to_the_guessed_mapping(ctx: AppContext, capsys: Capsys, tmp_path: Path) -> None:
    path = write(tmp_path, "Legal Surname,Preferred Forename,Login Code,Job Title\n"
                           "Shah,Priya,pshah,Deputy Head\n")
    document = run_json(capsys, "staff", "import", str(path), "--json", "--yes",
                        "--map", "username=Login Code")
    assert document["mapping"] == {"surname": "Legal Surname", "preferred_forename":
                                   "Preferred Forename", "job_title": "Job Title",
                                   "username": "Login Code"}
    assert document["staff"][0]["name"] == "Priya Shah"
    assert document["staff"][0]["roles"] == ["slt", "staff"]


def test_every_problem_is_listed_and_rows_are_counted(ctx: AppContext, capsys: Capsys,
                                                      tmp_path: Path) -> None:
    path = write(tmp_path, "name,username,email,trained_on\n"
                           "Good One,good1,,\n"
                           "Bad Twice,two words,not-mail,\n"
                           "Bad Thrice,,nope,2099-01-01\n"
                           "Good Two,good2,,\n")
    before = counts(ctx)
    code, out, err = run(capsys, "staff", "import", str(path), "--yes")
    assert code == 2
    assert err == f"smmod: {path}: 2 bad rows, nothing imported\n"
    assert out.splitlines() == [
        "staff.csv: 2 bad rows (5 problems); nothing was imported. Fix every one and "
        "import again:",
        "  row 3, field 'username': an OS username without spaces is required",
        "  row 3, field 'email': 'not-mail' is not an email address",
        "  row 4, field 'username': an OS username without spaces is required",
        "  row 4, field 'email': 'nope' is not an email address",
        out.splitlines()[5],
    ]
    assert out.splitlines()[5].startswith("  row 4, field 'trained_on': 1 Jan 2099 is in the future")
    code, out, err = run(capsys, "staff", "import", str(path), "--json")
    assert code == 2 and err.endswith("2 bad rows, nothing imported\n")
    document = json.loads(out)
    assert (document["bad_rows"], document["valid_rows"], len(document["problems"])) == (2, 2, 5)
    assert document["problems"][0] == {"row": 3, "column": "username",
                                       "reason": "an OS username without spaces is required"}
    assert counts(ctx) == before


def test_the_bad_rows_file_says_how_many_rows_are_bad(ctx: AppContext, capsys: Capsys) -> None:
    """The file the issue measured: 10 rows, 8 bad with 12 problems between them."""
    bad_rows = Path(__file__).resolve().parent.parent / "data" / "staff" / "bad_rows.csv"
    code, _, err = run(capsys, "staff", "import", str(bad_rows))
    assert code == 2 and err == f"smmod: {bad_rows}: 8 bad rows, nothing imported\n"


def test_titles_list_set_remove(ctx: AppContext, capsys: Capsys) -> None:
    listed = {t["title"]: t for t in run_json(capsys, "staff", "titles", "list", "--json")}
    assert listed["Teaching Assistant"] == {"title": "Teaching Assistant", "roles": ["staff"],
                                            "shipped": True, "edited": False}
    code, out, err = run(capsys, "staff", "titles", "set", "Forest School Leader", "staff",
                         "moderator")
    assert (code, err) == (0, "")
    assert out == "'Forest School Leader' now gives: moderator, staff.\n"
    code, out, _ = run(capsys, "staff", "titles", "remove", "Teacher")
    assert code == 0 and "out of the job-title table" in out
    listed = {t["title"]: t for t in run_json(capsys, "staff", "titles", "list", "--json")}
    assert listed["Forest School Leader"]["roles"] == ["moderator", "staff"]
    assert listed["Teacher"] == {"title": "Teacher", "roles": [], "shipped": True, "edited": True}
    code, out, _ = run(capsys, "staff", "titles", "list")
    assert code == 0 and out.splitlines()[0].split() == ["job", "title", "roles", "source"]
    code, out, err = run(capsys, "staff", "titles", "set", "Teacher", "wizard")
    assert code == 2 and "unknown role wizard" in err
    code, _, err = run(capsys, "staff", "titles", "remove", "Chief Wizard")
    assert code == 2 and "'Chief Wizard' is not in the job-title table" in err
