"""The vault administrators share (issue 15): one stores, another reveals; revoke, recover."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from smmod.errors import InputError, PermissionDenied, PolicyError
from smmod.store.models import Credential, VaultRotationFlag, VaultSecret
from smmod.vault_shared.items import Tampered
from smmod.vault_shared.keys import NoAccess
from tests.keyring_support import keyring_items

SECRET = "Shared-Staffroom-Secret-7741!"
OTHER = "Another-Good-Password-2203?"


@pytest.fixture
def shared(desks):
    """head created the vault and granted admin2, who registered on their own computer."""
    kit = desks["head"].vault.create(desks["head"].actor)
    desks["admin2"].vault.register(desks["admin2"].actor)
    desks["head"].vault.grant(desks["head"].actor, "admin2")
    return kit


def test_one_administrator_stores_and_the_other_reveals(desks, shared, account_id, ctx):
    record = desks["head"].credentials.add(desks["head"].actor, account_id,
                                           login_name="pe", secret=SECRET)
    assert desks["admin2"].credentials.reveal(desks["admin2"].actor, record.id) == SECRET
    # The keyrings hold only each person's private key; the secret is ciphertext in the DB.
    for name, d in desks.items():
        assert list(keyring_items(d.keyring.backend, d.keyring.service)) == [
            f"vault-identity:{name}"]
    with ctx.session_factory() as session:
        rows = list(session.execute(select(VaultSecret)).scalars())
    assert [r.slot for r in rows] == ["current"]
    assert SECRET.encode() not in rows[0].ciphertext


def test_someone_not_granted_cannot_read(desks, account_id):
    desks["head"].vault.create(desks["head"].actor)
    record = desks["head"].credentials.add(desks["head"].actor, account_id,
                                           login_name="pe", secret=SECRET)
    desks["admin2"].vault.register(desks["admin2"].actor)
    with pytest.raises(NoAccess, match="ask an administrator who has access to grant"):
        desks["admin2"].credentials.reveal(desks["admin2"].actor, record.id)


def test_grant_needs_a_registered_administrator(desks, people):
    desks["head"].vault.create(desks["head"].actor)
    with pytest.raises(InputError, match="has not registered a vault key"):
        desks["head"].vault.grant(desks["head"].actor, "admin2")
    with pytest.raises(InputError, match="not an active administrator"):
        desks["head"].vault.grant(desks["head"].actor, "mod1")


def test_a_moderator_cannot_register(desks, people, ctx, real_keyring, keyring_service):
    from tests.vault.conftest import desk

    moderator = desk(ctx, real_keyring, people["mod1"], f"{keyring_service}-mod1")
    with pytest.raises(PolicyError, match="only administrators"):
        moderator.vault.register(people["mod1"])


def test_revoking_rotates_the_key_and_flags_every_credential(desks, shared, account_id, ctx):
    head, admin2 = desks["head"], desks["admin2"]
    first = head.credentials.add(head.actor, account_id, login_name="pe", secret=SECRET)
    second = head.credentials.add(head.actor, account_id, login_name="pe2", secret=OTHER)
    assert admin2.credentials.reveal(admin2.actor, first.id) == SECRET
    with ctx.session_factory() as session:
        before = {r.id: (r.nonce, r.ciphertext, r.epoch) for r in
                  session.execute(select(VaultSecret)).scalars()}

    result = head.vault.revoke(head.actor, "admin2", reason="handover: left the school")

    assert set(result.flagged_credentials) == {first.id, second.id}
    with ctx.session_factory() as session:
        after = {r.id: (r.nonce, r.ciphertext, r.epoch) for r in
                 session.execute(select(VaultSecret)).scalars()}
        flags = {f.credential_id for f in session.execute(select(VaultRotationFlag)).scalars()}
        due = {c.id: c.rotate_by for c in session.execute(select(Credential)).scalars()}
    assert flags == {first.id, second.id}
    assert set(due.values()) == {ctx.clock.today()}
    assert all(after[i][2] == before[i][2] + 1 and after[i][1] != before[i][1] for i in before)
    for record in (first, second):
        with pytest.raises(NoAccess):
            admin2.credentials.reveal(admin2.actor, record.id)
    assert head.credentials.reveal(head.actor, first.id) == SECRET
    # Their old wrapped key and private key cannot open the new ciphertext either: the old
    # vault key is gone from the database, and the rows were sealed again.
    reminders = {r.credential_id for r in head.credentials.reminders()}
    assert reminders == {first.id, second.id}
    # A rotation answers the flag.
    fresh = head.credentials.get(first.id)
    head.credentials.rotate(head.actor, first.id, fresh.version_id, "Brand-New-Secret-5521#")
    with ctx.session_factory() as session:
        flags = {f.credential_id for f in session.execute(select(VaultRotationFlag)).scalars()}
    assert flags == {second.id}


def test_the_last_person_with_access_cannot_be_revoked(desks):
    desks["head"].vault.create(desks["head"].actor)
    with pytest.raises(InputError, match="last person with access"):
        desks["head"].vault.revoke(desks["head"].actor, "head", reason="testing")


def test_recovery_kit_restores_access_when_every_keyring_is_lost(desks, shared, account_id):
    head, admin2 = desks["head"], desks["admin2"]
    record = admin2.credentials.add(admin2.actor, account_id, login_name="pe", secret=SECRET)
    head.wipe()
    admin2.wipe()
    for d in (head, admin2):
        with pytest.raises(PermissionDenied):
            d.credentials.reveal(d.actor, record.id)
    with pytest.raises(InputError, match="not a recovery key"):
        head.vault.recover(head.actor, shared.recovery_key[:-3] + "AAA")
    head.vault.recover(head.actor, shared.recovery_key.lower().replace("-", " "))
    assert head.credentials.reveal(head.actor, record.id) == SECRET
    # Registering afresh after a lost keyring, then a grant, lets admin2 back in.
    admin2.vault.register(admin2.actor)
    head.vault.grant(head.actor, "admin2")
    assert admin2.credentials.reveal(admin2.actor, record.id) == SECRET


def test_recovery_still_works_after_a_revocation(desks, shared, account_id):
    head = desks["head"]
    record = head.credentials.add(head.actor, account_id, login_name="pe", secret=SECRET)
    head.vault.revoke(head.actor, "admin2", reason="role ended")
    head.wipe()
    head.vault.recover(head.actor, shared.recovery_key)
    assert head.credentials.reveal(head.actor, record.id) == SECRET


def test_a_row_copied_onto_another_credential_does_not_open(desks, shared, account_id, ctx):
    head = desks["head"]
    a = head.credentials.add(head.actor, account_id, login_name="pe", secret=SECRET)
    b = head.credentials.add(head.actor, account_id, login_name="pe2", secret=OTHER)
    with ctx.session_factory.begin() as session:
        rows = {r.item_key: r for r in session.execute(select(VaultSecret)).scalars()}
        ra, rb = rows[a.keyring_key], rows[b.keyring_key]
        rb.nonce, rb.ciphertext = ra.nonce, ra.ciphertext
    with pytest.raises(Tampered, match="does not open"):
        head.credentials.reveal(head.actor, b.id)
    assert head.credentials.reveal(head.actor, a.id) == SECRET
