"""Keyring-only secrets move into the vault; rotation and history go through it."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from smmod.accounts import CredentialService
from smmod.errors import InputError
from smmod.store.models import VaultSecret
from smmod.vault_shared.migrate import migrate_keyring
from tests.keyring_support import keyring_items

OLD = "Old-working-Secret-in-force-8812!"
NEW = "New-pending-Secret-being-set-3390?"


def test_keyring_secrets_move_in_and_each_item_goes_only_once_verified(
        desks, account_id, ctx):
    head = desks["head"]
    legacy = CredentialService(ctx.session_factory, head.keyring)  # before issue 15
    first = legacy.add(head.actor, account_id, login_name="pe", secret=OLD)
    legacy.rotate(head.actor, first.id, first.version_id, NEW, pending=True)
    second = legacy.add(head.actor, account_id, login_name="pe2", secret="Second-Secret-4410=")
    assert set(keyring_items(head.keyring.backend, head.keyring.service)) == {
        first.keyring_key, first.keyring_key + ":pending", second.keyring_key}

    head.vault.create(head.actor)
    report = migrate_keyring(head.vault, head.keyring, head.actor)

    assert len(report.moved) == 3 and report.kept == []
    assert list(keyring_items(head.keyring.backend, head.keyring.service)) == [
        "vault-identity:head"]
    assert head.credentials.reveal(head.actor, first.id) == OLD
    assert head.credentials.reveal(head.actor, first.id, which="pending") == NEW
    assert head.credentials.reveal(head.actor, second.id) == "Second-Secret-4410="


def test_a_keyring_item_that_disagrees_with_the_vault_is_kept(desks, account_id, ctx):
    head = desks["head"]
    head.vault.create(head.actor)
    record = head.credentials.add(head.actor, account_id, login_name="pe", secret=OLD)
    head.keyring.set_secret(record.keyring_key, "A-different-old-copy-7720!")
    report = migrate_keyring(head.vault, head.keyring, head.actor)
    assert report.moved == [] and "different password" in report.kept[0]
    assert head.keyring.get_secret(record.keyring_key) == "A-different-old-copy-7720!"
    assert head.credentials.reveal(head.actor, record.id) == OLD


def test_pending_rotation_keeps_the_current_password_until_confirmed(desks, account_id, ctx):
    head, admin2 = desks["head"], desks["admin2"]
    head.vault.create(head.actor)
    admin2.vault.register(admin2.actor)
    head.vault.grant(head.actor, "admin2")
    record = head.credentials.add(head.actor, account_id, login_name="pe", secret=OLD)
    record = head.credentials.rotate(head.actor, record.id, record.version_id, NEW, pending=True)
    assert admin2.credentials.reveal(admin2.actor, record.id) == OLD
    assert admin2.credentials.reveal(admin2.actor, record.id, which="pending") == NEW
    rotation = admin2.credentials.pending_rotation(record.id)
    assert rotation is not None
    admin2.credentials.confirm_rotation(admin2.actor, rotation.id)
    assert head.credentials.reveal(head.actor, record.id) == NEW
    # The old password is history now: kept sealed, revealed only with a reason.
    history = head.credentials.secret_history(record.id)
    assert len(history) == 1
    assert head.credentials.reveal_history(head.actor, record.id, history[0].version,
                                           reason="the platform still wants the old one") == OLD
    with pytest.raises(InputError, match="reason"):
        head.credentials.reveal_history(head.actor, record.id, history[0].version, reason=" ")
    with ctx.session_factory() as session:
        slots = sorted(r.slot for r in session.execute(select(VaultSecret)).scalars())
    assert slots == ["current", "history"]


def test_weak_passwords_are_still_refused(desks, account_id):
    head = desks["head"]
    head.vault.create(head.actor)
    with pytest.raises(InputError):
        head.credentials.add(head.actor, account_id, login_name="pe", secret="a")
