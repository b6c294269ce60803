"""The command line against the fake Mastodon: the issue's "done means", end to end.

Connect an account (browser sign-in), sync three mentions in and then nothing new, reply
and block through smmod, and a server error that waits in the outbox until the next
sync performs it exactly once.
"""

from __future__ import annotations

import io
import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from smmod.cli import main
from smmod.store.models import Action, QueueItem
from tests.connectors.conftest import School
from tests.connectors.test_connect import approve_in_browser

STATUSES = "/api/v1/statuses"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    out = capsys.readouterr().out
    return code, out


def item_for(school: School, status_id: str) -> int:
    with school.ctx.session_factory() as session:
        return session.execute(
            select(QueueItem.id).where(QueueItem.platform_item_id == status_id)
        ).scalar_one()


def test_done_means(school: School, capsys, monkeypatch, clock) -> None:
    fake = school.fake
    mentions = [fake.add_mention(t) for t in ("When is sports day?", "You are all useless", "Lost coat")]
    monkeypatch.setattr("webbrowser.open", approve_in_browser(fake, []))

    code, out = run(capsys, "connect", "mastodon", "--account", "@oakfield", "--instance", fake.url)
    assert code == 0 and "Connected mastodon: @oakfield" in out
    [token] = [t for t in fake.tokens if t != fake.token]  # the token the sign-in issued

    monkeypatch.setenv("SMMOD_USER", "mod1")
    code, out = run(capsys, "sync", "--json")
    assert code == 0 and json.loads(out)["accounts"][0]["imported"] == 3
    code, out = run(capsys, "sync", "--json")
    assert code == 0 and json.loads(out)["accounts"][0]["imported"] == 0

    # A reply made in smmod arrives as a reply to the right status, with the right token.
    first = mentions[0]["id"]
    code, out = run(
        capsys,
        "queue",
        "act",
        str(item_for(school, first)),
        "reply",
        "--text",
        "Sports day is on 3 July.",
        "--json",
    )
    assert code == 0 and json.loads(out)["recorded"] is True
    [posted] = fake.seen("POST", STATUSES)
    assert posted.one("in_reply_to_id") == first
    assert posted.headers["authorization"] == f"Bearer {token}"

    # A block with its audience notice does too.
    rude = mentions[1]["id"]
    code, out = run(
        capsys,
        "queue",
        "act",
        str(item_for(school, rude)),
        "block",
        "--reason",
        "Abuse of staff",
        "--notice",
        "This account was blocked for abusing staff.",
        "--json",
    )
    assert code == 0 and json.loads(out)["recorded"] is True
    [block] = fake.seen("POST", "/api/v1/accounts/2001/block")
    assert block.headers["authorization"] == f"Bearer {token}"
    [notice] = fake.replies_by_school(rude)
    assert "blocked for abusing staff" in notice["content"]
    assert fake.seen("POST", STATUSES)[-1].headers["authorization"] == f"Bearer {token}"

    # A server error leaves the action in the outbox; the next sync performs it once.
    coat = mentions[2]["id"]
    fake.force("POST", STATUSES, 500, 500, 500, 500)
    code, out = run(
        capsys,
        "queue",
        "act",
        str(item_for(school, coat)),
        "reply",
        "--text",
        "It is in lost property.",
        "--json",
    )
    waiting = json.loads(out)
    assert code == 1 and waiting["recorded"] is False and waiting["status"] == "pending"
    code, out = run(capsys, "outbox", "list", "--json")
    assert [e["id"] for e in json.loads(out)["entries"]] == [waiting["id"]]
    assert fake.replies_by_school(coat) == []

    clock.advance(timedelta(minutes=2))
    code, out = run(capsys, "sync", "--json")
    [account] = json.loads(out)["accounts"]
    assert code == 0 and [e["status"] for e in account["outbox"]] == ["done"]
    clock.advance(timedelta(hours=1))
    run(capsys, "sync")
    assert len(fake.replies_by_school(coat)) == 1
    with school.ctx.session_factory() as session:
        kinds = list(session.execute(select(Action.kind).order_by(Action.id)).scalars())
    assert kinds == ["reply", "block", "reply"]
    code, out = run(capsys, "outbox", "list")
    assert "The outbox is empty" in out


def test_connect_with_a_token_on_stdin(school: School, capsys, monkeypatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(school.fake.token + "\n"))
    code, out = run(
        capsys,
        "connect",
        "mastodon",
        "--account",
        "oakfield",
        "--instance",
        school.fake.url,
        "--token-stdin",
        "--json",
    )
    assert code == 0 and json.loads(out)["api_base"] == school.fake.url
    assert school.fake.token not in out


def test_bad_input_exits_2_with_one_line(school: School, capsys, monkeypatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("\n"))
    code = main(
        ["connect", "mastodon", "--account", "oakfield", "--instance", school.fake.url, "--token-stdin"]
    )
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and "no token" in err
    code = main(["sync", "--account", "oakfield"])
    err = capsys.readouterr().err
    assert code == 2 and "not connected" in err


def test_a_failed_sync_exits_1(school: School, capsys) -> None:
    school.connect()
    school.fake.tokens.clear()
    code, out = run(capsys, "sync")
    assert code == 1 and "FAILED" in out and "connect the account again" in out


def test_manual_actions_are_recorded_without_the_platform(school: School, capsys) -> None:
    status = school.fake.add_mention("hi")
    school.connect()
    school.sync()
    code, out = run(
        capsys,
        "queue",
        "act",
        str(item_for(school, status["id"])),
        "hide",
        "--reason",
        "Rude",
        "--manual",
        "--json",
    )
    assert code == 0 and json.loads(out)["recorded"] is True
    assert school.fake.seen("POST", STATUSES) == []
