"""Two administrators, two keyrings (two GNOME Keyring daemons in two D-Bus sessions),
one database (SQLite, or PostgreSQL with SMMOD_TEST_DATABASE=postgresql): one stores, the
other reveals; revoking one leaves them unable to decrypt anything and flags every
credential they could read (issue 15, "Done means")."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from sqlalchemy import select

from smmod.store.models import VaultRotationFlag
from tests.accounts.helpers import active_account, make_accounts
from tests.keyring_support import keyring_items
from tests.vault.other_desk import OtherDesk

pytestmark = pytest.mark.keyring

HEAD_SECRET = "Staffroom-Harbour-Kettle-6620!"
SECOND = "Minibus-Lantern-Otter-3197?"
THEIRS = "Sports-Day-Heron-Paddle-4402#"


@pytest.fixture
def other(ctx, people, app_keyring) -> Iterator[OtherDesk]:
    ctx.shared_vault.create(people["head"])  # head, at this computer
    desk = OtherDesk("admin2")
    yield desk
    desk.close()


def test_one_stores_the_other_reveals_and_a_revoke_shuts_them_out(ctx, people, other,
                                                                   app_keyring):
    head = people["head"]
    # Two keyrings: the other process has a session bus and a keyring daemon of its own.
    them = other.ask("whoami")
    assert them["bus"] and them["bus"] != os.environ.get("DBUS_SESSION_BUS_ADDRESS")
    # keyring's Secret Service backend, as smmod uses it (one D-Bus connection a thread)
    assert them["keyring"] == "smmod.keyring_connection.SharedConnectionKeyring"

    fingerprint = other.ask("register")["fingerprint"]
    member = ctx.shared_vault.grant(head, "admin2")
    assert member.fingerprint == fingerprint and member.has_access
    account_id = active_account(make_accounts(ctx), people)
    credentials = ctx.credentials
    mine = [credentials.add(head, account_id, login_name=login, secret=secret).id
            for login, secret in (("pe", HEAD_SECRET), ("minibus", SECOND))]

    # One stores, the other reveals, both ways.
    assert other.ask("reveal", credential=mine[0]) == {"secret": HEAD_SECRET}
    assert other.ask("reveal", credential=mine[1]) == {"secret": SECOND}
    theirs = other.ask("store", account=account_id, login="sportsday", secret=THEIRS)["id"]
    assert credentials.reveal(head, theirs) == THEIRS

    # Each keyring holds only its owner's private key; no password is in either.
    service = ctx.vault.service
    assert sorted(keyring_items(app_keyring, service)) == ["vault-identity:head"]
    assert other.ask("keyring") == {"items": ["vault-identity:admin2"]}

    before = other.ask("unwrap_all")  # their key opens their own wrapped copy, for now
    assert before["opened"] == 1

    result = ctx.shared_vault.revoke(head, "admin2", reason="handover: left the school")

    assert set(result.flagged_credentials) == {*mine, theirs}
    with ctx.session_factory() as session:
        flagged = {f.credential_id for f in session.execute(select(VaultRotationFlag)).scalars()}
    assert flagged == {*mine, theirs}
    for credential_id in (*mine, theirs):
        answer = other.ask("reveal", credential=credential_id)
        assert answer["error"] == "NoAccess", answer
        assert "no access to the shared vault" in answer["message"]
    # Not one wrapped copy of the vault key left in the database opens with their key.
    wraps = other.ask("unwrap_all")
    assert wraps["wraps"] >= 2 and wraps["opened"] == 0
    # The one who stays still reads everything.
    assert [credentials.reveal(head, i) for i in (*mine, theirs)] == [HEAD_SECRET, SECOND,
                                                                       THEIRS]
