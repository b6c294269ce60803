"""``smmod posts …`` (issue 19): exit codes, the verdict, sign-off by a second person."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from smmod.context import AppContext
from smmod.dnp import PupilRecord
from smmod.identity import Actor
from tests.posts.conftest import INSTA, PUPIL, X, copy
from tests.test_cli_staff import refused, run


def test_check_exit_codes(post_ctx: AppContext, pupil: PupilRecord,
                          capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "posts", "check", "--account", X, "--text", "Great match today!")
    assert code == 0 and "Verdict: clear" in out
    code, out, _ = run(capsys, "posts", "check", "--account", X, "--text",
                       f"Well played {PUPIL}!", "--json")
    document = json.loads(out)
    assert code == 1 and document["verdict"] == "blocked"
    assert document["reasons"][0]["kind"] == "dnp_name"
    code, out, _ = run(capsys, "posts", "check", "--account", X, "--text", "x" * 281)
    assert code == 1 and "[blocked] 281 characters" in out
    assert "no open account with the handle '@nope'" in refused(
        capsys, "posts", "check", "--account", "@nope", "--text", "hi")
    assert "no such image file" in refused(
        capsys, "posts", "check", "--account", X, "--text", "hi", "--image", "/nowhere.jpg")


def test_a_photo_of_a_dnp_pupil_is_blocked(post_ctx: AppContext, pupil: PupilRecord,
                                           capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    photo = copy("obama2.jpg", tmp_path)
    code, out, _ = run(capsys, "posts", "check", "--account", INSTA, "--text", "Sports day",
                       "--image", str(photo), "--json")
    assert code == 1
    (image,) = json.loads(out)["images"]
    assert image["verdict"] == "blocked"


def test_sign_off_from_the_command_line(post_ctx: AppContext, people: dict[str, Actor],
                                        capsys: pytest.CaptureFixture[str],
                                        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SMMOD_USER", "head")
    ticks = [a for key in ("who_posting", "copyright", "confidential", "tagging_off", "no_dnp",
                           "slt_if_controversial") for a in ("--tick", key)]
    code, out, _ = run(capsys, "posts", "draft", "--account", X, "--text", "Our statement",
                       "--controversial", *ticks, "--json")
    post = json.loads(out)
    assert code == 0 and post["status"] == "awaiting_signoff"
    assert "R3: you wrote this post" in refused(capsys, "posts", "signoff", str(post["id"]),
                                               "--reason", "ok")
    monkeypatch.setenv("SMMOD_USER", "slt2")
    assert run(capsys, "posts", "signoff", str(post["id"]), "--reason", "Agreed")[1] == \
        f"Post {post['id']}: ready\n"
    monkeypatch.setenv("SMMOD_USER", "head")
    code, out, _ = run(capsys, "posts", "export", str(post["id"]), "--out", str(tmp_path))
    assert code == 0 and "Our statement" in out
    run(capsys, "posts", "address", str(post["id"]), "--url", "https://x.com/oak_news/status/9")
    (listed,) = json.loads(run(capsys, "posts", "list", "--json")[1])
    assert listed["status"] == "published" and listed["signoff"]["by"] == "slt2"
    assert listed["accounts"][0]["url"] == "https://x.com/oak_news/status/9"
