"""``smmod posts publish | takedown | delete | undelete`` (issue 19), against the fake
Mastodon; the --json documents checked against docs/json.md."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from smmod.context import AppContext
from smmod.identity import Actor
from tests.connectors.conftest import no_network, pauses  # noqa: F401 (fixtures)
from tests.connectors.fake_mastodon import FakeMastodon, Forced
from tests.json_docs import assert_documented
from tests.posts.conftest import ALL_TICKED, INSTA
from tests.posts.test_publish import MASTO, masto  # noqa: F401 (fixture)
from tests.test_cli_staff import refused, run

TICKS = [a for key in sorted(ALL_TICKED) for a in ("--tick", key)]


def draft(capsys: pytest.CaptureFixture[str], *accounts: str, text: str = "Concert at 6.") -> int:
    handles = [a for handle in accounts for a in ("--account", handle)]
    code, out, err = run(capsys, "posts", "draft", *handles, "--text", text, *TICKS, "--json")
    assert code == 0, err
    return int(json.loads(out)["id"])


def test_publish_and_take_down_from_the_command_line(
        post_ctx: AppContext, people: dict[str, Actor], masto: FakeMastodon,  # noqa: F811
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SMMOD_USER", "run1")
    post = draft(capsys, MASTO, INSTA)
    masto.force("POST", "/api/v1/statuses", *[Forced(503)] * 4)
    code, out, _ = run(capsys, "posts", "publish", str(post), "--json")
    document = json.loads(out)
    assert code == 1 and document["post"]["status"] == "ready"
    assert_documented("posts publish", document)
    states = {o["account"]: o["state"] for o in document["outcomes"]}
    assert states == {MASTO: "failed", INSTA: "manual"}
    code, out, _ = run(capsys, "posts", "publish", str(post))
    assert code == 0 and f"{MASTO} (Mastodon): Published on {MASTO}: https://" in out
    assert "Instagram's API only publishes an image from a public web address" in out
    (listed,) = json.loads(run(capsys, "posts", "list", "--json")[1])
    masto_row = next(a for a in listed["accounts"] if a["account"] == MASTO)
    assert masto_row["platform_id"] in masto.statuses and masto_row["publish_error"] is None
    assert "reason" in refused(capsys, "posts", "takedown", str(post), "--reason", " ")
    code, out, _ = run(capsys, "posts", "takedown", str(post), "--reason", "Wrong date",
                       "--json")
    document = json.loads(out)
    assert code == 0 and document["outcomes"][0]["state"] == "taken_down"
    assert_documented("posts takedown", document)
    assert masto_row["platform_id"] in masto.deleted
    assert masto.token not in out


def test_delete_and_undelete_a_draft(post_ctx: AppContext, people: dict[str, Actor],
                                     capsys: pytest.CaptureFixture[str],
                                     monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SMMOD_USER", "run1")
    post = draft(capsys, INSTA)
    monkeypatch.setenv("SMMOD_USER", "mod1")
    assert "only the post's author" in refused(capsys, "posts", "delete", str(post))
    monkeypatch.setenv("SMMOD_USER", "run1")
    code, out, _ = run(capsys, "posts", "delete", str(post))
    assert code == 0 and f"undo: smmod posts undelete {post}" in out
    assert json.loads(run(capsys, "posts", "list", "--json")[1]) == []
    (deleted,) = json.loads(run(capsys, "posts", "list", "--status", "deleted", "--json")[1])
    assert deleted["id"] == post
    assert "already deleted" in refused(capsys, "posts", "delete", str(post))
    assert run(capsys, "posts", "undelete", str(post))[1] == f"Post {post}: Ready to publish\n"
    (back,) = json.loads(run(capsys, "posts", "list", "--json")[1])
    assert back["status"] == "ready"
    # A post that has gone out is taken down, not deleted.
    assert run(capsys, "posts", "export", str(post), "--out", str(tmp_path))[0] == 0
    assert "mark it taken down" in refused(capsys, "posts", "delete", str(post))
