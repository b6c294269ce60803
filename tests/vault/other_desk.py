"""A second administrator at a second computer: another process, another D-Bus session,
another GNOME Keyring daemon, the same database.

``OtherDesk`` starts ``scripts/with-keyring.sh python -m tests.vault.other_desk USER``,
which gives this process a private session bus and a keyring of its own (nothing the
test process wrote to its keyring can be read here, and the other way round). The
database is the test's own: the child inherits ``SMMOD_HOME`` (and ``SMMOD_DATABASE_URL``
on PostgreSQL) and ``SMMOD_NOW``, so it opens the same database on the same clock.

It answers one JSON request per line on stdin with one JSON line on stdout:
``whoami``, ``register``, ``store``, ``reveal``, ``unwrap_all``, ``keyring``, ``quit``.
Secrets go over the pipe to the test only; nothing here logs them.
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any

from tests.workstation import Desk


class OtherDesk(Desk):
    """The test's end of the pipe to the other administrator's process."""

    def __init__(self, username: str) -> None:
        super().__init__("tests.vault.other_desk", username)

    def ask(self, do: str, **args: Any) -> dict[str, Any]:
        return self._ask({"do": do, **args})


def _serve(username: str) -> None:
    from sqlalchemy import select

    from smmod.accounts import CredentialService
    from smmod.context import open_context
    from smmod.errors import SmmodError
    from smmod.store.models import VaultWrap
    from smmod.vault_shared import SharedSecrets, crypto
    from smmod.vault_shared.keys import load_identity, unwrap_row
    from tests.keyring_support import keyring_items

    ctx = open_context(os.environ["SMMOD_HOME"], daily_backup=False)
    actor = ctx.refresh_actor(username)

    def credentials() -> CredentialService:
        return CredentialService(ctx.session_factory, SharedSecrets(ctx.shared_vault,
                                                                    lambda: actor))

    def handle(request: dict[str, Any]) -> dict[str, Any]:
        do = request["do"]
        if do == "whoami":
            return {"bus": os.environ.get("DBUS_SESSION_BUS_ADDRESS"),
                    "keyring": ctx.vault.status().name}
        if do == "register":
            return {"fingerprint": ctx.shared_vault.register(actor).fingerprint}
        if do == "store":
            record = credentials().add(actor, request["account"], login_name=request["login"],
                                       secret=request["secret"])
            return {"id": record.id}
        if do == "reveal":
            return {"secret": credentials().reveal(actor, request["credential"])}
        if do == "unwrap_all":
            # Every wrapped copy of the vault key in the database, tried with this
            # person's private key: how many open.
            private = load_identity(ctx.vault, username)
            assert private is not None
            opened = 0
            with ctx.session_factory() as session:
                rows = list(session.execute(select(VaultWrap)).scalars())
                for row in rows:
                    try:
                        unwrap_row(row, private)
                        opened += 1
                    except crypto.CannotOpen:
                        pass
            return {"wraps": len(rows), "opened": opened}
        if do == "keyring":
            return {"items": sorted(keyring_items(ctx.vault.backend, ctx.vault.service))}
        raise ValueError(f"unknown request {do!r}")

    try:
        for line in sys.stdin:
            request = json.loads(line)
            if request["do"] == "quit":
                print(json.dumps({"bye": True}), flush=True)
                break
            try:
                answer = handle(request)
            except SmmodError as exc:
                answer = {"error": type(exc).__name__, "message": str(exc)}
            print(json.dumps(answer), flush=True)
    finally:
        for item in keyring_items(ctx.vault.backend, ctx.vault.service):
            ctx.vault.backend.delete_password(ctx.vault.service, item)
        ctx.close()


if __name__ == "__main__":
    _serve(sys.argv[1])
