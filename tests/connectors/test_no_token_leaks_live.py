"""Principle 1 for YouTube and the Graph API: access tokens, refresh tokens and client secrets
are only in the keyring, never in the database, its journal, the logs or the JSON output."""

from __future__ import annotations

import io
import json
from datetime import timedelta
from pathlib import Path

from smmod.cli import main
from tests.accounts.helpers import active_account, make_accounts
from tests.conftest import SUITE_NOW
from tests.connectors.fake_graph import FakeGraph
from tests.connectors.fake_mastodon import Forced
from tests.connectors.fake_youtube import FakeYouTube
from tests.connectors.test_no_token_leaks import debug_log  # noqa: F401 (a fixture)
from tests.dbraw import everything_stored


def _scan(ctx, home: Path, printed: str, secrets: list[str]) -> None:
    on_server = not ctx.database.is_sqlite
    if on_server:  # the server keeps the data: every row of every table is searched
        stored = everything_stored(ctx)
        assert "@oakfieldschool" in stored  # what is stored is really there
        assert [n for n, secret in enumerate(secrets) if secret in stored] == []
    ctx.close()  # checkpoint the journal into the database file
    files = [p for p in home.rglob("*") if p.is_file()]
    assert on_server or ctx.paths.database in files
    for path in files:
        data = path.read_bytes()
        for n, secret in enumerate(secrets):
            assert secret.encode() not in data, f"{path.relative_to(home)} holds secret #{n}"
    for secret in secrets:
        assert secret not in printed


def test_youtube_tokens_are_in_no_file_log_or_output(
    ctx,
    people,
    smmod_home,
    capsys,
    monkeypatch,
    clock,
    pauses,
    memory_keyring,
    request,
    tmp_path,
) -> None:
    request.getfixturevalue("debug_log")  # after ctx made smmod's home
    fake = FakeYouTube()
    fake.posted_at = SUITE_NOW - timedelta(hours=3)
    try:
        active_account(
            make_accounts(ctx),
            people,
            platform="youtube",
            handle="@oakfieldschool",
            url="https://www.youtube.com/@oakfieldschool",
        )
        for text in ("one", "two"):
            fake.add_comment(text)
        client_file = tmp_path / "client.json"
        client_file.write_text(
            json.dumps({"installed": {"client_id": fake.client_id, "client_secret": fake.client_secret}})
        )
        printed: list[str] = []

        def run(*argv: str) -> int:
            code = main(list(argv))
            out = capsys.readouterr()
            printed.extend([out.out, out.err])
            return code

        monkeypatch.setattr("sys.stdin", io.StringIO(f"{fake.token}\n{fake.refresh_token}\n"))
        assert (
            run(
                "connect",
                "youtube",
                "--account",
                "@oakfieldschool",
                "--api-base",
                fake.url,
                "--client-file",
                str(client_file),
                "--token-stdin",
                "--json",
            )
            == 0
        )
        monkeypatch.setenv("SMMOD_USER", "mod1")
        fake.expire_tokens()  # the next call renews the token from the refresh token
        assert run("sync", "--json") == 0
        renewed = list(fake.tokens)
        items = [c for c in fake.comments]
        from sqlalchemy import select

        from smmod.store.models import QueueItem

        with ctx.session_factory() as session:
            ids = list(session.execute(select(QueueItem.id).order_by(QueueItem.id)).scalars())
        assert len(ids) == len(items) == 2
        assert run("queue", "act", str(ids[0]), "reply", "--text", "Thanks", "--json") == 0
        fake.force("POST", "/youtube/v3/comments", Forced(500, b'{"error": {"code": 500, "message": "x"}}'))
        assert run("queue", "act", str(ids[1]), "reply", "--text", "Later", "--json") == 1
        fake.force("GET", "/youtube/v3/commentThreads", Forced(200, b"[{broken"))
        assert run("sync", "--json") == 1
        clock.advance(timedelta(hours=2))
        assert run("sync", "--json") == 0
        assert run("outbox", "list", "--all", "--json") == 0
        monkeypatch.setenv("SMMOD_USER", "head")
        code = run("disconnect", "youtube", "--account", "@oakfieldschool")
        assert code == 0, printed[-1]
        secrets = [fake.token, fake.refresh_token, fake.client_secret, *renewed, *fake.tokens]
        assert '"imported": 2' in "".join(printed)
        _scan(ctx, smmod_home, "".join(printed), secrets)
    finally:
        fake.close()


def test_graph_tokens_are_in_no_file_log_or_output(
    ctx,
    people,
    smmod_home,
    capsys,
    monkeypatch,
    pauses,
    memory_keyring,
    request,
) -> None:
    request.getfixturevalue("debug_log")
    fake = FakeGraph()
    fake.posted_at = SUITE_NOW - timedelta(hours=3)
    try:
        active_account(
            make_accounts(ctx),
            people,
            platform="facebook",
            handle="@oakfieldschool",
            url="https://www.facebook.com/oakfieldschool",
        )
        post = fake.add_post()
        fake.add_comment(post, "hello")
        printed: list[str] = []

        def run(*argv: str) -> int:
            code = main(list(argv))
            out = capsys.readouterr()
            printed.extend([out.out, out.err])
            return code

        monkeypatch.setattr("sys.stdin", io.StringIO(fake.token + "\n"))
        assert (
            run(
                "connect",
                "facebook",
                "--account",
                "@oakfieldschool",
                "--api-base",
                fake.url,
                "--token-stdin",
                "--json",
            )
            == 0
        )
        monkeypatch.setenv("SMMOD_USER", "mod1")
        assert run("sync", "--json") == 0
        fake.tokens.clear()  # expired: the error names what to do, not the token
        assert run("sync", "--json") == 1
        assert "token has expired" in "".join(printed)
        _scan(ctx, smmod_home, "".join(printed), [fake.token])
    finally:
        fake.close()
