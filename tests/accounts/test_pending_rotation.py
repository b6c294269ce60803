"""A pending rotation keeps the working password (issue 15), on the real keyring.

The current password stays in force until someone confirms the platform was changed; the
pending one is kept beside it and both can be revealed, each labelled. Confirming makes
the new one current (the old one is gone); cancelling discards the new one.
"""

from __future__ import annotations

import pytest
from keyring.backend import KeyringBackend

from smmod import audit
from smmod.accounts import CredentialService
from smmod.errors import InputError, NotFound
from smmod.vault import VaultError
from tests.accounts.helpers import active_account, make_accounts, make_credentials
from tests.keyring_support import FaultyKeyring, keyring_items

OLD = "Old-working-Secret-in-force-8812!"
NEW = "New-pending-Secret-being-set-3390?"


@pytest.fixture(params=[pytest.param("real", marks=pytest.mark.keyring, id="keyring")])
def backend(request: pytest.FixtureRequest) -> KeyringBackend:
    return request.getfixturevalue("real_keyring")


@pytest.fixture
def creds(ctx, backend, keyring_service) -> CredentialService:
    return make_credentials(ctx, backend, keyring_service)


@pytest.fixture
def pending(creds, people, ctx):
    account_id = active_account(make_accounts(ctx), people)
    record = creds.add(people["head"], account_id, login_name="pe", secret=OLD)
    record = creds.rotate(people["head"], record.id, record.version_id, NEW, pending=True)
    return record


def test_a_pending_rotation_keeps_the_current_password_in_force(
        creds, people, pending, backend, keyring_service):
    assert creds.reveal(people["head"], pending.id) == OLD
    assert creds.reveal(people["admin2"], pending.id, which="pending") == NEW
    items = keyring_items(backend, keyring_service)
    assert items == {pending.keyring_key: OLD, pending.keyring_key + ":pending": NEW}
    assert creds.get(pending.id).pending_rotation


def test_confirming_makes_the_new_password_current_and_forgets_the_old(
        ctx, creds, people, pending, backend, keyring_service):
    rotation = creds.pending_rotation(pending.id)
    assert rotation is not None
    done = creds.confirm_rotation(people["admin2"], rotation.id)
    assert (done.status, done.confirmed_by) == ("done", "Alex Admin")
    assert creds.reveal(people["head"], pending.id) == NEW
    assert keyring_items(backend, keyring_service) == {pending.keyring_key: NEW}
    with pytest.raises(NotFound, match="has no pending password"):
        creds.reveal(people["head"], pending.id, which="pending")
    assert audit.query(ctx.session_factory)[1].action == "credential.confirm_rotation"


def test_cancelling_discards_the_pending_password(ctx, creds, people, pending, backend,
                                                  keyring_service):
    rotation = creds.pending_rotation(pending.id)
    assert rotation is not None
    cancelled = creds.cancel_rotation(people["head"], rotation.id, reason="platform locked us out")
    assert cancelled.status == "cancelled"
    assert keyring_items(backend, keyring_service) == {pending.keyring_key: OLD}
    assert creds.reveal(people["head"], pending.id) == OLD
    assert creds.reminders() == []
    entry = next(e for e in audit.query(ctx.session_factory)
                 if e.action == "credential.cancel_rotation")
    assert entry.reason == "platform locked us out"
    with pytest.raises(InputError, match="already cancelled"):
        creds.confirm_rotation(people["head"], rotation.id)


def test_a_second_rotation_waits_for_the_pending_one(creds, people, pending):
    with pytest.raises(InputError, match="waiting for confirmation: confirm or cancel it first"):
        creds.rotate(people["head"], pending.id, pending.version_id, creds.generate("x"))


def test_the_keyring_refusing_during_confirm_leaves_the_old_password_working(
        ctx, creds, people, pending, backend, keyring_service):
    rotation = creds.pending_rotation(pending.id)
    assert rotation is not None
    faulty = FaultyKeyring(backend)
    faulty.refuse("set", pending.keyring_key)
    refusing = make_credentials(ctx, faulty, keyring_service)
    with pytest.raises(VaultError) as err:
        refusing.confirm_rotation(people["admin2"], rotation.id)
    assert faulty.refused  # the failure really happened
    assert NEW not in str(err.value) and OLD not in str(err.value)
    assert creds.reveal(people["head"], pending.id) == OLD  # still the one in force
    assert creds.reveal(people["head"], pending.id, which="pending") == NEW  # still kept
    again = creds.pending_rotation(pending.id)
    assert again is not None and again.id == rotation.id  # still pending: confirm again
    assert "credential.confirm_rotation" not in [e.action for e in audit.query(ctx.session_factory)]
    creds.confirm_rotation(people["admin2"], rotation.id)
    assert creds.reveal(people["head"], pending.id) == NEW


def test_nothing_about_either_password_reaches_the_audit_trail(ctx, creds, people, pending):
    creds.reveal(people["head"], pending.id, which="pending")
    rotation = creds.pending_rotation(pending.id)
    assert rotation is not None
    creds.confirm_rotation(people["head"], rotation.id)
    dump = repr([(e.action, e.reason, e.details) for e in audit.query(ctx.session_factory)])
    assert OLD not in dump and NEW not in dump
    assert "'which': 'pending'" in dump


def test_a_rotation_whose_password_is_already_in_force_cannot_be_cancelled(
        creds, people, pending, backend, keyring_service):
    backend.delete_password(keyring_service, pending.keyring_key + ":pending")  # as a handover
    rotation = creds.pending_rotation(pending.id)
    assert rotation is not None
    with pytest.raises(InputError, match="already in force"):
        creds.cancel_rotation(people["head"], rotation.id)
    assert creds.confirm_rotation(people["head"], rotation.id).status == "done"
    assert creds.reveal(people["head"], pending.id) == OLD  # nothing pending to put in force
