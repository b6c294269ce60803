"""``smmod accounts add | propose | approve | reject | list | import | reminders`` through
``smmod.cli.main``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from smmod.cli import main
from tests.json_docs import assert_documented


@pytest.fixture
def shell(ctx, people, capsys):
    """The staff room exists; training stays current for years so the clock cannot bite."""
    ctx.settings.set("training.expiry_months", 60)
    capsys.readouterr()

    def run(*argv: str) -> tuple[int, str, str]:
        code = main(list(argv))
        out, err = capsys.readouterr()
        return code, out, err

    return run


def test_add_registers_an_existing_account(shell):
    code, out, err = shell("accounts", "add", "--platform", "facebook", "--handle",
                           "Oakfield School", "--lead", "run1", "--runner", "run2",
                           "--attestation", "Approved by the head in 2023")
    assert (code, err) == (0, "")
    assert out.startswith("Registered Oakfield School (Facebook) as active; approval "
                          "attested by Hannah Head.")
    assert "to fix: R1: the business case is not complete" in out
    code, out, _ = shell("accounts", "list", "--json")
    [account] = json.loads(out)
    assert (account["status"], account["lead"], account["runners"]) == (
        "active", "run1", ["run2"])
    assert account["attestation"] == "Approved by the head in 2023"
    assert [p["rule"] for p in account["problems"]] == ["R1"]


def test_add_with_a_full_business_case_has_no_problems(shell):
    code, out, _ = shell("accounts", "add", "--platform", "x", "--handle", "@oakfield",
                         "--lead", "run1", "--runner", "run2", "--runner", "mod1",
                         "--admin", "admin2", "--aim", "News", "--audience", "Parents",
                         "--promotion", "Website", "--private", "--review", "01/09/2027",
                         "--json")
    assert code == 0
    account = json.loads(out)
    assert account["problems"] == [] and account["visibility"] == "private"
    assert account["review_on"] == "2027-09-01"
    assert account["administrators"] == ["admin2"]


def test_add_refuses_an_ineligible_runner_unless_accepted(shell):
    argv = ["accounts", "add", "--platform", "x", "--handle", "@pta", "--lead", "run1",
            "--runner", "vol1"]
    code, out, err = shell(*argv)
    assert code == 2 and out == ""
    assert err.startswith("smmod: R2: at least 2 staff members")
    assert "R4: Val Volunteer (runner) may not run an account" in err
    assert err.count("\n") == 1
    code, out, err = shell(*argv, "--accept-problems")
    assert code == 0
    assert "to fix: R4: Val Volunteer" in out
    code, out, _ = shell("accounts", "list", "--at-risk")
    assert "@pta" in out and "active (at risk)" in out


def test_add_names_unknown_people(shell):
    code, _, err = shell("accounts", "add", "--platform", "x", "--handle", "@a", "--lead",
                         "ghost", "--runner", "run2", "--runner", "nobody")
    assert code == 2
    assert err == ("smmod: field 'username': not in the staff register: ghost, nobody "
                   "(add them with 'smmod staff add' first)\n")


def test_add_by_someone_without_the_role_is_refused(shell, monkeypatch):
    monkeypatch.setenv("SMMOD_USER", "mod1")
    code, _, err = shell("accounts", "add", "--platform", "x", "--handle", "@a", "--lead",
                         "run1", "--runner", "run2")
    assert code == 2 and "Only SLT or administrator staff can register" in err


@pytest.mark.parametrize(("argv", "words"), [
    (["--platform", "myspace", "--handle", "@a", "--lead", "run1", "--runner", "run2"],
     "invalid choice: 'myspace'"),
    (["--platform", "x", "--handle", "@a", "--lead", "run1"], "--runner"),
    (["--platform", "x", "--handle", "@a", "--lead", "run1", "--runner", "run2", "--open",
      "--private"], "not allowed with argument"),
])
def test_add_usage_errors_exit_2(shell, capsys, argv, words):
    with pytest.raises(SystemExit) as caught:
        shell("accounts", "add", *argv)
    assert caught.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("smmod: ") and words in err


def test_list_shows_status_lead_runners_and_problems(shell):
    shell("accounts", "add", "--platform", "x", "--handle", "@oakfield", "--lead", "run1",
          "--runner", "run2")
    code, out, _ = shell("accounts", "list")
    header, row = out.splitlines()
    assert header.split() == ["handle", "platform", "status", "lead", "runners", "review",
                              "problems"]
    assert row.split()[:5] == ["@oakfield", "x", "active", "run1", "run2"]
    assert "R1: the business case is not complete" in row
    code, out, _ = shell("accounts", "list", "--status", "draft", "--json")
    assert code == 0 and json.loads(out) == []


def test_import_all_or_nothing(shell, tmp_path: Path):
    good = tmp_path / "accounts.csv"
    good.write_text("platform,handle,lead,runners\nx,@one,run1,run2\nyoutube,@two,run2,run1\n",
                    encoding="utf-8")
    code, out, _ = shell("accounts", "import", str(good), "--json")
    assert code == 0 and json.loads(out)["imported"] == 2
    bad = tmp_path / "bad.csv"
    bad.write_text("platform,handle,lead,runners\nx,@three,run1,run2\nfoo,@four,run1,run2\n"
                   "x,@five,ghost,run2\n", encoding="utf-8")
    code, out, err = shell("accounts", "import", str(bad))
    assert code == 2
    assert "bad.csv: 2 bad rows, nothing imported: row 3, field 'platform'" in err
    assert "row 4, field 'lead': 'ghost' is not in the staff register" in err
    code, out, _ = shell("accounts", "list", "--json")
    assert [a["handle"] for a in json.loads(out)] == ["@one", "@two"]


def test_import_with_a_bad_map_is_a_usage_error(shell, tmp_path: Path):
    path = tmp_path / "a.csv"
    path.write_text("p,h,l,r\nx,@a,run1,run2\n", encoding="utf-8")
    code, _, err = shell("accounts", "import", str(path), "--map", "platform")
    assert code == 2 and "--map expects FIELD=COLUMN" in err
    code, out, _ = shell("accounts", "import", str(path), "--map", "platform=p", "--map",
                         "handle=h", "--map", "lead=l", "--map", "runners=r")
    assert code == 0 and "Imported 1 account from" in out


def test_reminders_with_nothing_due(shell):
    code, out, _ = shell("accounts", "reminders")
    assert (code, out) == (0, "No credential is due for rotation in the next 7 days.\n")
    code, out, _ = shell("accounts", "reminders", "--json")
    assert json.loads(out) == []


def _propose(shell, *extra: str):
    return shell("accounts", "propose", "--platform", "x", "--handle", "@oak_pe", "--lead",
                 "run1", "--runner", "run2", *extra)


CASE = ("--aim", "PE news", "--audience", "Parents", "--promotion", "Website", "--open")


def test_propose_with_an_incomplete_case_saves_nothing(shell, monkeypatch):
    monkeypatch.setenv("SMMOD_USER", "run1")
    code, out, err = _propose(shell)
    assert (code, out) == (2, "")
    assert err.startswith("smmod: R1: the business case is not complete")
    assert "Nothing was saved" in err
    assert json.loads(shell("accounts", "list", "--json")[1]) == []


def test_propose_then_approve_by_another_slt_member(shell, monkeypatch):
    monkeypatch.setenv("SMMOD_USER", "slt2")
    code, out, err = _propose(shell, *CASE)
    assert (code, err) == (0, "")
    assert out == "Submitted @oak_pe (X) for an SLT decision.\n"
    code, out, err = shell("accounts", "approve", "@oak_pe", "--reason", "fine")
    assert code == 2 and "nobody approves or rejects their own submission" in err
    monkeypatch.setenv("SMMOD_USER", "run2")
    code, out, err = shell("accounts", "reject", "oak_pe", "--reason", "no")
    assert code == 2 and "only SLT members approve or reject" in err
    monkeypatch.setenv("SMMOD_USER", "head")
    code, out, err = shell("accounts", "approve", "@OAK_PE", "--reason", "  ")
    assert code == 2 and "say why you approve it" in err
    code, out, err = shell("accounts", "approve", "@nobody", "--reason", "fine")
    assert code == 2 and "no account with handle '@nobody'" in err
    code, out, err = shell("accounts", "approve", "@oak_pe", "--reason", "Case complete")
    assert (code, err, out) == (0, "", "@oak_pe (X) is approved.\n")
    [account] = json.loads(shell("accounts", "list", "--json")[1])
    assert (account["status"], account["decision_reason"]) == ("approved", "Case complete")


def test_propose_and_decide_print_the_account_as_json(shell, monkeypatch):
    monkeypatch.setenv("SMMOD_USER", "slt2")
    code, out, err = _propose(shell, *CASE, "--json")
    assert (code, err) == (0, "")
    proposed = json.loads(out)
    assert (proposed["handle"], proposed["status"]) == ("@oak_pe", "submitted")
    assert proposed["submitted_by"] == "Sam Senior"
    assert proposed["business_case"] == {"aim": "PE news", "audience": "Parents",
                                         "promotion": "Website"}
    assert_documented("accounts propose", proposed)
    monkeypatch.setenv("SMMOD_USER", "head")
    code, out, err = shell("accounts", "reject", "@oak_pe", "--reason", "Not now", "--json")
    assert (code, err) == (0, "")
    rejected = json.loads(out)
    assert (rejected["id"], rejected["status"]) == (proposed["id"], "rejected")
    assert rejected["decision_reason"] == "Not now"
    assert_documented("accounts reject", rejected)
    # a refusal is one line on stderr and no JSON on stdout
    code, out, err = shell("accounts", "approve", "@oak_pe", "--reason", "Yes", "--json")
    assert (code, out) == (2, "")
    assert err.startswith("smmod: ") and err.count("\n") == 1


def test_approve_prints_the_approved_account_as_json(shell, monkeypatch):
    monkeypatch.setenv("SMMOD_USER", "slt2")
    assert _propose(shell, *CASE)[0] == 0
    monkeypatch.setenv("SMMOD_USER", "head")
    code, out, err = shell("accounts", "approve", "@oak_pe", "--reason", "Case complete",
                           "--json")
    assert (code, err) == (0, "")
    approved = json.loads(out)
    assert (approved["status"], approved["decided_by"]) == ("approved", "Hannah Head")
    assert_documented("accounts approve", approved)
