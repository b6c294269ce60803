"""``smmod handover plan STAFF [--json]``: what a departure touches, from the shell."""

from __future__ import annotations

import json

import pytest

from smmod import formatting as fmt
from smmod.cli import main
from tests.handover.helpers import LEAVING


@pytest.fixture
def shell(scene, capsys):
    """The CLI opens its own context, on the test clock like every other (tests/conftest.py)."""
    capsys.readouterr()

    def run(*argv: str) -> tuple[int, str, str]:
        code = main(list(argv))
        out, err = capsys.readouterr()
        return code, out, err

    return run


def test_plan_json_lists_accounts_by_role_passwords_and_work(shell, scene):
    code, out, err = shell("handover", "plan", "run1", "--json")
    assert (code, err) == (0, "")
    doc = json.loads(out)
    assert doc["staff"] == {"id": scene.leaver.staff_id, "name": "Riley Runner",
                            "username": "run1", "roles": ["staff"], "leaving_on": None}
    lead = {a["handle"]: a for a in doc["accounts"]["lead"]}
    assert set(lead) == {"@oakfield_pe", "@oakfield_music"}
    assert lead["@oakfield_pe"]["eligible_staff_left_running"] == ["Robin Runner"]
    assert lead["@oakfield_pe"]["r2_short"] is True
    assert doc["accounts"]["runner"] == doc["accounts"]["administrator"] == []
    assert [c["login_name"] for c in doc["credentials"]] == ["music@oakfield.sch.uk",
                                                             "pe@oakfield.sch.uk"]
    assert [i["id"] for i in doc["claimed_items"]] == scene.items
    assert doc["incidents"] == [{"id": scene.incident, "status": "open",
                                 "title": "Abusive comments on the fixtures post"}]
    assert "mod1" in doc["eligible_successors"] and "vol1" not in doc["eligible_successors"]
    assert "run1" not in doc["eligible_successors"]
    assert doc["saved_handover"] is None


def test_plan_text_for_people_and_by_full_name(shell, scene):
    scene.handover.start(scene.people["head"], scene.leaver.staff_id, LEAVING)
    code, out, err = shell("handover", "plan", "Riley Runner")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == f"Riley Runner (run1), leaving on {fmt.day(LEAVING)}"
    assert lines[1].startswith("A handover for them is saved")
    assert any(line.startswith("@oakfield_pe (instagram)") and "R2: name another runner" in line
               for line in lines)
    assert "Claimed queue items: 2 (#1, #2)" in lines
    assert "Incidents they lead: 1 (Incident #1: Abusive comments on the fixtures post)" in lines


def test_someone_with_nothing_gets_a_short_answer(shell):
    code, out, _ = shell("handover", "plan", "slt2")
    assert code == 0
    assert "Accounts: none" in out and "Passwords to rotate: none" in out


@pytest.mark.parametrize(("who", "message"), [
    ("nobody", "no one with username or name 'nobody' is in the staff register"),
    ("  ", "field 'staff': name the person who is leaving"),
])
def test_unknown_people_are_usage_errors(shell, who, message):
    code, out, err = shell("handover", "plan", who, "--json")
    assert (code, out) == (2, "")
    assert err == f"smmod: {message}\n"


def test_staff_is_required(shell):
    with pytest.raises(SystemExit) as caught:
        shell("handover", "plan")
    assert caught.value.code == 2
