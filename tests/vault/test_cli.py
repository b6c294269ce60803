"""`smmod vault` with two administrators, each with their own keyring, on one database.

Each command runs as one person (``SMMOD_USER``) against their own keyring service
(``SMMOD_KEYRING_SERVICE``), as on two computers. A random secret is then searched for in
the database, its -wal file, the logs, the backups, the kit PDF and every JSON printed.
"""

from __future__ import annotations

import io
import json
import secrets
import sys
import uuid
from pathlib import Path

import pytest
from sqlalchemy import select

from smmod import audit
from smmod.cli import main
from smmod.context import AppContext
from smmod.store.base import Base
from tests.dbmode import suite_on_postgresql
from tests.json_docs import assert_documented
from tests.keyring_support import keyring_items

pytestmark = pytest.mark.keyring


@pytest.fixture
def as_person(monkeypatch, capsys, real_keyring, keyring_service, smmod_home):
    run = uuid.uuid4().hex[:8]
    services: dict[str, str] = {}

    def call(user: str, *argv: str, stdin: str = "") -> tuple[int, str, str]:
        services.setdefault(user, f"{keyring_service}-cli-{user}-{run}")
        monkeypatch.setenv("SMMOD_USER", user)
        monkeypatch.setenv("SMMOD_KEYRING_SERVICE", services[user])
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        capsys.readouterr()
        try:
            code = main(["--home", str(smmod_home), *argv])
        except SystemExit as exc:
            code = int(exc.code or 0)
        out, err = capsys.readouterr()
        return code, out, err

    yield call
    for service in services.values():
        for item in keyring_items(real_keyring, service):
            real_keyring.delete_password(service, item)


def test_two_administrators_share_a_password_through_the_cli(
        as_person, ctx: AppContext, people, account_id, tmp_path: Path):
    secret = f"Plant-{secrets.token_urlsafe(18)}-9!"
    kit = tmp_path / "kit.pdf"
    code, out, err = as_person("head", "vault", "init", "--kit", str(kit))
    assert code == 0, err
    assert kit.read_bytes().startswith(b"%PDF")
    assert as_person("admin2", "vault", "register")[0] == 0
    assert as_person("head", "vault", "grant", "admin2")[0] == 0
    code, out, err = as_person("head", "vault", "store", str(account_id), "--login", "pe",
                               "--password-stdin", stdin=secret + "\n")
    assert code == 0, err

    code, out, err = as_person("admin2", "vault", "reveal", "1")
    assert code == 2 and "--stdout" in err and out == ""
    code, out, err = as_person("admin2", "vault", "reveal", "1", "--stdout")
    assert (code, out) == (0, secret + "\n"), err

    printed: list[str] = []
    for argv in (("vault", "list", "--json"), ("vault", "members", "--json")):
        code, out, err = as_person("admin2", *argv)
        assert code == 0, err
        assert_documented(" ".join(argv[:2]), json.loads(out))
        printed.append(out)
    newer = f"Newer-{secrets.token_urlsafe(18)}-3?"
    assert as_person("admin2", "vault", "rotate", "1", "--pending", "--password-stdin",
                     stdin=newer + "\n")[0] == 0
    assert as_person("head", "vault", "reveal", "1", "--stdout")[1] == secret + "\n"
    assert as_person("head", "vault", "reveal", "1", "--pending", "--stdout")[1] == newer + "\n"
    assert as_person("head", "vault", "confirm", "1")[0] == 0
    code, out, err = as_person("head", "vault", "history", "1", "--json")
    document = json.loads(out)
    assert_documented("vault history", document)
    printed.append(out)
    (earlier,) = document["earlier"]
    code, out, err = as_person("head", "vault", "history", "1", "--reveal",
                               str(earlier["version"]), "--reason", "check", "--stdout")
    assert (code, out) == (0, secret + "\n"), err

    code, out, err = as_person("head", "vault", "revoke", "admin2", "--reason", "left")
    assert code == 0 and "1 credential is flagged" in out, err
    code, out, err = as_person("admin2", "vault", "reveal", "1", "--stdout")
    assert code == 2 and "no access" in err and newer not in out + err

    actions = {r.action for r in audit.query(ctx.session_factory)}
    assert {"vault.create", "vault.register", "vault.grant", "credential.add",
            "credential.reveal", "vault.list", "vault.members", "credential.rotate",
            "credential.confirm_rotation", "vault.history", "credential.reveal_history",
            "vault.revoke", "vault.migrate"} <= actions

    home = ctx.paths
    # On SQLite the file and its -wal; on PostgreSQL every row of every table, as text.
    assert home.database.is_file() or suite_on_postgresql()
    rows = repr(_every_row(ctx))
    assert "credential.reveal" in rows  # the dump holds the database's contents
    for plain in (secret, newer):
        assert plain not in rows  # text columns, and bytes ones (repr shows them plainly)
    places = [home.database, Path(f"{home.database}-wal"), *home.log_dir.rglob("*"),
              *home.backups.rglob("*"), kit]
    for place in places:
        if place.is_file():
            data = place.read_bytes()
            for plain in (secret, newer):
                assert plain.encode() not in data, place
    for out in printed:
        assert secret not in out and newer not in out


def _every_row(ctx: AppContext) -> list[tuple[object, ...]]:
    """Every row of every table smmod keeps, read back through the database itself."""
    with ctx.session_factory() as session:
        return [tuple(row) for table in Base.metadata.sorted_tables
                for row in session.execute(select(table))]
