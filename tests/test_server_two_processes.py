"""Issue 14, "done means": two people at two computers share one PostgreSQL register.

The school's IT sets the server up with ``smmod server init`` and adds a member of staff
and an SLT member with ``smmod staff add`` (each gets a login role and a password shown
once). Each person's computer is a separate keyring daemon and data folder
(``tests/workstation.py``); there they run the line ``staff add`` printed, which keeps
their password in their own keyring, and from then on every ``smmod`` process they start
connects as their own login role, whatever ``SMMOD_USER`` claims. One proposes an
account, the other approves it; nobody approves their own submission; the audit trail
names each person for what they did and checks out.

Runs wherever PostgreSQL is installed, in both passes, with the keyring tests
(``scripts/with-keyring.sh``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from tests.conftest import SUITE_NOW, SUITE_TODAY
from tests.workstation import Workstation

pytestmark = [pytest.mark.keyring, pytest.mark.slow]

TRAINED = (SUITE_TODAY - timedelta(days=78)).isoformat()
PEOPLE = {  # username: (name, role)
    "run1": ("Riley Runner", "staff"),
    "run2": ("Robin Runner", "staff"),
    "slt2": ("Sam Senior", "slt"),
}


@pytest.fixture
def desks(tmp_path: Path) -> Iterator[dict[str, Workstation]]:
    # Everyone's computer claims to be the head teacher's: on a server that changes nothing.
    env = {"SMMOD_NOW": SUITE_NOW.isoformat(), "SMMOD_USER": "head"}
    opened = {who: Workstation(tmp_path / who, **env) for who in ("it", "run1", "slt2")}
    yield opened
    for desk in opened.values():
        desk.close()


def _ok(result: tuple[int, str, str]) -> str:
    code, out, err = result
    assert (code, err) == (0, ""), f"exit {code}: {err}"
    return out


def _set_up(it: Workstation, server_url: str) -> dict[str, str]:
    """IT's part: tables, group roles, three people with logins; each person's line to
    run on their own computer, with their password in it."""
    database = make_url(server_url).database
    _ok(it.smmod("settings", "set", "database.url", server_url))
    assert "Created the group roles" in _ok(it.smmod("server", "init"))
    lines = {}
    for username, (name, role) in PEOPLE.items():
        out = _ok(it.smmod("staff", "add", "--name", name, "--username", username,
                           "--role", role, "--trained", TRAINED, "--policy-read", TRAINED,
                           "--db-role", f"{database}_{username}"))
        password = re.search(r"shown this once \(give it to them privately\): (\S+)", out)
        line = re.search(r"smmod settings set database\.url '([^']+)'", out)
        assert password and line, out
        assert ":PASSWORD@" in line[1]
        lines[username] = line[1].replace(":PASSWORD@", f":{password[1]}@", 1)
    return lines


def _propose(desk: Workstation, handle: str, lead: str, runner: str) -> tuple[int, str, str]:
    return desk.smmod("accounts", "propose", "--platform", "instagram", "--handle", handle,
                      "--lead", lead, "--runner", runner, "--open",
                      "--url", f"https://instagram.com/{handle.lstrip('@')}",
                      "--aim", "Celebrate PE fixtures and results",
                      "--audience", "Parents and pupils in years 7-11",
                      "--promotion", "Newsletter and the school website")


def _status(desk: Workstation, handle: str) -> str:
    accounts = json.loads(_ok(desk.smmod("accounts", "list", "--json")))
    return next(a["status"] for a in accounts if a["handle"] == handle)


def test_two_processes_each_under_their_own_login(desks: dict[str, Workstation],
                                                  server_url: str) -> None:
    riley, sam = desks["run1"], desks["slt2"]
    assert len({desk.bus() for desk in desks.values()}) == 3  # three keyrings
    lines = _set_up(desks["it"], server_url)
    for username, desk in (("run1", riley), ("slt2", sam)):
        _ok(desk.smmod("settings", "set", "database.url", lines[username]))
        stored = _ok(desk.smmod("settings", "get", "database.url"))
        assert "PASSWORD" not in stored and lines[username].split(":")[2] not in stored

    # Riley (staff) proposes; Riley may not approve it, nor may Sam approve Sam's own.
    assert "Submitted @oakfield_pe (Instagram) for an SLT decision." in _ok(
        _propose(riley, "@oakfield_pe", "run1", "run2"))
    code, out, err = riley.smmod("accounts", "approve", "@oakfield_pe", "--reason", "mine")
    assert (code, out) == (2, "") and "only SLT members approve or reject an account" in err
    _ok(_propose(sam, "@oakfield_music", "run2", "run1"))
    code, out, err = sam.smmod("accounts", "approve", "@oakfield_music", "--reason", "fine")
    assert (code, out) == (2, "") and "nobody approves or rejects their own submission" in err
    assert _status(riley, "@oakfield_music") == "submitted"

    # Sam (SLT), in another process, approves Riley's.
    assert "is approved" in _ok(sam.smmod("accounts", "approve", "@oakfield_pe",
                                          "--reason", "Business case complete"))
    assert _status(riley, "@oakfield_pe") == "approved"

    trail = json.loads(_ok(sam.smmod("audit", "list", "--action", "account", "--json")))
    done = sorted((e["actor"], e["actor_name"], e["action"], e["subject"]) for e in trail)
    pe, music = (next(e["subject"] for e in trail if e["action"] == "account.draft"
                      and e["actor"] == who) for who in ("run1", "slt2"))
    assert done == sorted([
        ("run1", "Riley Runner", "account.draft", pe),
        ("run1", "Riley Runner", "account.submit", pe),
        ("slt2", "Sam Senior", "account.draft", music),
        ("slt2", "Sam Senior", "account.submit", music),
        ("slt2", "Sam Senior", "account.approve", pe),
    ])
    staff_added = json.loads(_ok(riley.smmod("audit", "list", "--action", "staff.add",
                                             "--json")))
    assert {e["actor"] for e in staff_added} == {str(make_url(server_url).username)}
    for desk in (riley, sam):
        verified = json.loads(_ok(desk.smmod("audit", "verify", "--json")))
        assert verified["ok"] is True, verified
