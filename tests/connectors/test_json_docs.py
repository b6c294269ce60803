"""The connector commands' --json documents against docs/json.md (tests/cli/test_json_docs.py
checks every other command)."""

from __future__ import annotations

import io
import json

import pytest

from smmod.cli import main
from tests.connectors.conftest import School
from tests.connectors.test_cli import STATUSES, item_for
from tests.json_docs import assert_documented


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> object:
    capsys.readouterr()
    code = main([*argv, "--json"])
    out = capsys.readouterr().out
    assert code in (0, 1), (argv, code)
    return json.loads(out)


def test_connector_documents_are_as_documented(school: School, capsys, monkeypatch) -> None:
    fake = school.fake
    mentions = [fake.add_mention(t) for t in ("When is sports day?", "Lost coat")]
    monkeypatch.setattr("sys.stdin", io.StringIO(fake.token + "\n"))
    assert_documented("connect", run_json(capsys, "connect", "mastodon", "--account", "oakfield",
                                          "--instance", fake.url, "--token-stdin"))
    monkeypatch.setenv("SMMOD_USER", "mod1")
    assert_documented("sync", run_json(capsys, "sync"))
    first, coat = (item_for(school, m["id"]) for m in mentions)
    sent = run_json(capsys, "queue", "act", str(first), "reply", "--text", "On 3 July.")
    assert_documented("queue act", sent)
    assert "id" in sent  # through the outbox
    by_hand = run_json(capsys, "queue", "act", str(first), "resolve", "--reason", "answered")
    assert_documented("queue act", by_hand)
    assert "kind" in by_hand  # recorded by hand
    fake.force("POST", STATUSES, 500, 500, 500, 500, 500, 500, 500, 500)
    waiting = run_json(capsys, "queue", "act", str(coat), "reply", "--text", "Lost property.")
    assert isinstance(waiting, dict) and waiting["status"] == "pending"
    assert_documented("outbox retry", run_json(capsys, "outbox", "retry", str(waiting["id"])))
