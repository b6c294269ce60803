"""Principle 1 for connectors: the token and the client secret are only in the keyring.

Connects through the browser sign-in, syncs, acts (successes and failures of every
kind, which put platform errors in messages, the outbox and the log), lists everything
as JSON, disconnects; then searches every file smmod wrote (database, its journal,
logs, backups) and everything it printed for the secrets' bytes.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from smmod import logsetup
from smmod.cli import main
from smmod.store.models import QueueItem
from tests.connectors.conftest import School
from tests.connectors.fake_mastodon import Forced
from tests.connectors.test_connect import approve_in_browser


@pytest.fixture(params=["memory", "real"])
def keyring_backend(request: pytest.FixtureRequest) -> object:
    if request.param == "real":
        return request.getfixturevalue("app_keyring")
    return request.getfixturevalue("memory_keyring")


@pytest.fixture
def debug_log(smmod_home: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Everything smmod logs, down to DEBUG, goes to a file in its home (also after the
    CLI sets up its own logging, which would put the level back to INFO)."""
    logger = logging.getLogger("smmod")
    level = logger.level
    path = smmod_home / "debug.log"
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setLevel(logging.DEBUG)
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    real_configure = logsetup.configure

    def configure(log_file: Path, *, level: int = logging.INFO) -> None:
        real_configure(log_file, level=logging.DEBUG)

    monkeypatch.setattr(logsetup, "configure", configure)
    yield path
    logger.removeHandler(handler)
    handler.close()
    logger.setLevel(level)


def test_the_token_is_in_no_file_log_or_output(
    school: School, smmod_home: Path, capsys, monkeypatch, clock, debug_log: Path, keyring_backend
) -> None:
    fake = school.fake
    for text in ("one", "two", "three"):
        fake.add_mention(text)
    monkeypatch.setattr("webbrowser.open", approve_in_browser(fake, []))
    printed: list[str] = []

    def run(*argv: str) -> int:
        code = main(list(argv))
        captured = capsys.readouterr()
        printed.extend([captured.out, captured.err])
        return code

    assert run("connect", "mastodon", "--account", "@oakfield", "--instance", fake.url, "--json") == 0
    [token] = [t for t in fake.tokens if t != fake.token]
    [app] = fake.apps.values()
    secrets = [token, app["secret"]]
    assert run("sync", "--json") == 0
    with school.ctx.session_factory() as session:
        ids = list(session.execute(select(QueueItem.id).order_by(QueueItem.id)).scalars())

    assert run("queue", "act", str(ids[0]), "reply", "--text", "Thanks", "--json") == 0
    fake.force("POST", "/api/v1/statuses", 500, 500, 500, 500)
    assert run("queue", "act", str(ids[1]), "reply", "--text", "Later", "--json") == 1
    fake.force(
        "POST", "/api/v1/accounts", Forced(403, b'{"error": "This action is outside the authorized scopes"}')
    )
    assert (
        run("queue", "act", str(ids[2]), "block", "--reason", "Abuse", "--notice", "Blocked.", "--json") == 1
    )
    fake.force("GET", "/api/v1/notifications", Forced(200, b"[{broken"))
    assert run("sync", "--json") == 1
    clock.advance(timedelta(minutes=5))
    assert run("sync", "--json") == 0
    assert run("outbox", "list", "--all", "--json") == 0
    fake.force("POST", "/oauth/revoke", Forced(500), Forced(500), Forced(500), Forced(500))
    assert run("disconnect", "mastodon", "--account", "@oakfield") == 2  # could not revoke
    assert run("disconnect", "mastodon", "--account", "@oakfield") == 0
    assert fake.revoked == [token]

    database = school.ctx.paths.database
    school.ctx.close()  # checkpoint the journal into the database file
    files = [p for p in smmod_home.rglob("*") if p.is_file()]
    assert database in files and database.stat().st_size > 0
    assert debug_log.stat().st_size > 0
    for path in files:
        data = path.read_bytes()
        for n, secret in enumerate(secrets):
            assert secret.encode() not in data, f"{path.relative_to(smmod_home)} holds secret #{n}"
    output = "".join(printed)
    assert '"imported": 3' in output  # the JSON really was captured
    for secret in secrets:
        assert secret not in output
