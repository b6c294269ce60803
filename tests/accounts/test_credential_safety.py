"""Where rotating or deleting a credential could lose its password (R5).

The new secret goes in force as the last step before the database commits, and a
deleted secret goes before the row does; if the database then fails, the keyring must
be put back as it was, and if the keyring refuses even that, the error must name the
credential. Also: another writer changing the credential between staging and the commit
(optimistic locking) leaves the keyring as that writer left it.

On the real Secret Service keyring (marked ``keyring``); ``FaultyKeyring`` injects the
keyring's refusals, a ``before_commit`` hook the database's.
"""

from __future__ import annotations

import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import pytest
from keyring.backend import KeyringBackend
from sqlalchemy import event, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from smmod.accounts import CredentialService
from smmod.accounts.records import CredentialRecord
from smmod.context import AppContext
from smmod.errors import ConflictError
from smmod.store.models import Credential
from smmod.vault import Vault, VaultError
from tests.accounts.helpers import TODAY, active_account, make_accounts
from tests.dbraw import db_dump, refuse_the_commit
from tests.keyring_support import FaultyKeyring, keyring_items

pytestmark = pytest.mark.keyring

OLD = "Old-Secret-in-force-8812!"
NEW = "New-Secret-being-set-3390?"
LABEL = "pe@oakfield.sch.uk on @oakfield_pe (Instagram)"


@pytest.fixture
def faulty(real_keyring: KeyringBackend) -> FaultyKeyring:
    return FaultyKeyring(real_keyring)


@pytest.fixture
def vault(faulty: FaultyKeyring, keyring_service: str) -> Vault:
    return Vault(faulty, service=keyring_service)


@pytest.fixture
def creds(ctx: AppContext, vault: Vault) -> CredentialService:
    return CredentialService(ctx.session_factory, vault)  # the context's (test) clock


@pytest.fixture
def cred(ctx: AppContext, people, creds: CredentialService) -> CredentialRecord:
    account_id = active_account(make_accounts(ctx), people)
    record = creds.add(people["head"], account_id, login_name="pe@oakfield.sch.uk", secret=OLD)
    return record


@pytest.fixture
def stored(real_keyring: KeyringBackend, keyring_service: str):
    return lambda: keyring_items(real_keyring, keyring_service)


def dump(ctx: AppContext) -> dict[str, list[tuple[object, ...]]]:
    return db_dump(ctx)


@contextmanager
def commit_fails(ctx: AppContext, how: str, credential_id: int) -> Iterator[None]:
    """The next write transaction fails at its COMMIT, after all its work was done.

    ``refused``: the database refuses the commit (``tests.dbraw.refuse_the_commit``).
    ``stale``: another writer changed the credential just before (its version moved on),
    as optimistic locking finds on a server database: the commit's flush hits no row.
    """
    fired: list[str] = []

    def before_commit(session: Session) -> None:
        if fired:
            return
        fired.append(how)
        if how == "refused":
            first_role = session.execute(text("SELECT min(id) FROM account_roles")).scalar_one()
            refuse_the_commit(session, "account_roles", "staff_id", first_role)
        else:
            session.execute(text("UPDATE credentials SET version_id = version_id + 1 "
                                 "WHERE id = :id"), {"id": credential_id})
            credential = session.get(Credential, credential_id)
            assert credential is not None
            credential.note = "touched"

    target = ctx.session_factory._write  # the sessionmaker of write transactions
    event.listen(target, "before_commit", before_commit)
    try:
        yield
    finally:
        event.remove(target, "before_commit", before_commit)
    assert fired, "the commit was never reached"


def assert_names_without_secrets(error: BaseException) -> None:
    shown = "".join(traceback.format_exception(error))
    assert LABEL in str(error)
    for secret in (OLD, NEW):
        assert secret not in shown


# -- rotating --------------------------------------------------------------------------
def test_a_credential_edited_elsewhere_between_staging_and_commit_keeps_its_password(
        ctx, people, creds, vault, cred, stored, monkeypatch):
    """Alex edits the credential after the new secret was staged: the re-check in the
    transaction refuses, the staged copy goes, the old secret stays in force."""
    real_stage = vault.stage
    after_other: dict[str, object] = {}

    def stage_then_someone_edits(key, secret):
        staged = real_stage(key, secret)
        assert stored()[key + ":staged"] == NEW
        current = creds.get(cred.id)
        creds.edit(people["admin2"], cred.id, current.version_id, login_name=current.login_name,
                   note="2FA moved to the office phone", rotate_by=current.rotate_by)
        after_other["db"] = dump(ctx)
        return staged

    monkeypatch.setattr(vault, "stage", stage_then_someone_edits)
    with pytest.raises(ConflictError, match="changed elsewhere"):
        creds.rotate(people["head"], cred.id, cred.version_id, NEW)
    assert dump(ctx) == after_other["db"]  # Alex's edit, and nothing of the rotation
    assert stored() == {cred.keyring_key: OLD}


@pytest.mark.parametrize(("how", "raised"), [("stale", ConflictError),
                                             ("refused", IntegrityError)])
def test_a_commit_that_fails_after_the_swap_puts_the_old_password_back(
        ctx, people, creds, cred, stored, how, raised):
    before = dump(ctx)
    with commit_fails(ctx, how, cred.id), pytest.raises(raised) as caught:
        creds.rotate(people["head"], cred.id, cred.version_id, NEW,
                     rotate_by=TODAY + timedelta(days=90))
    if how == "stale":
        assert "changed elsewhere" in str(caught.value)
    assert dump(ctx) == before
    assert stored() == {cred.keyring_key: OLD}
    assert creds.reveal(people["head"], cred.id) == OLD


def test_an_old_password_the_keyring_will_not_take_back_is_named(
        ctx, people, creds, cred, faulty, stored):
    before = dump(ctx)
    real_commit = faulty.real.set_password

    def refuse_after_the_swap(service, key, password):
        real_commit(service, key, password)
        if key == cred.keyring_key:  # the swap went through; the put-back will not
            faulty.refuse("set", cred.keyring_key)

    faulty.real.set_password = refuse_after_the_swap  # type: ignore[method-assign]
    try:
        with commit_fails(ctx, "refused", cred.id), pytest.raises(VaultError) as caught:
            creds.rotate(people["head"], cred.id, cred.version_id, NEW)
    finally:
        faulty.real.set_password = real_commit  # type: ignore[method-assign]
    assert faulty.refused == [("set", cred.keyring_key)]
    assert str(caught.value).startswith(
        f"Rotating the password of {LABEL} failed and nothing was saved in the database, "
        "but the keyring refused to put back the password it held before: it may now hold "
        "the new password")
    assert str(caught.value).endswith("Why it failed: an unexpected error (IntegrityError)")
    assert_names_without_secrets(caught.value)
    assert dump(ctx) == before
    assert stored() == {cred.keyring_key: NEW}  # what the message warns of; nothing staged


@pytest.mark.parametrize("when", ["re-check", "commit"])
def test_a_staged_copy_the_keyring_will_not_discard_leaves_the_old_password_in_force(
        ctx, people, creds, vault, cred, faulty, stored, monkeypatch, when):
    """The rotation fails on a stale version, found by the re-check in the transaction
    (before the swap) or at the commit (after it), and the keyring refuses every delete:
    the old password is in force, the error is the conflict, not the keyring."""
    real_stage = vault.stage
    after_other: dict[str, object] = {}

    def stage_then_someone_edits(key, secret):
        staged = real_stage(key, secret)
        current = creds.get(cred.id)
        creds.edit(people["admin2"], cred.id, current.version_id, login_name=current.login_name,
                   note="2FA moved to the office phone", rotate_by=current.rotate_by)
        after_other["db"] = dump(ctx)
        return staged

    faulty.refuse("delete")
    if when == "re-check":
        monkeypatch.setattr(vault, "stage", stage_then_someone_edits)
        with pytest.raises(ConflictError, match="changed elsewhere"):
            creds.rotate(people["head"], cred.id, cred.version_id, NEW)
        assert dump(ctx) == after_other["db"]
    else:
        before = dump(ctx)
        with commit_fails(ctx, "stale", cred.id), pytest.raises(ConflictError):
            creds.rotate(people["head"], cred.id, cred.version_id, NEW)
        assert dump(ctx) == before
    assert ("delete", cred.keyring_key + ":staged") in faulty.refused
    assert stored() == {cred.keyring_key: OLD, cred.keyring_key + ":staged": NEW}
    assert creds.reveal(people["head"], cred.id) == OLD  # the one in force
    faulty.allow()
    monkeypatch.undo()
    current = creds.get(cred.id)
    creds.rotate(people["head"], cred.id, current.version_id, NEW)
    assert stored() == {cred.keyring_key: NEW}


# -- deleting --------------------------------------------------------------------------
def test_a_delete_the_database_refuses_puts_the_password_back(ctx, people, creds, cred,
                                                              stored):
    before = dump(ctx)
    with commit_fails(ctx, "refused", cred.id), pytest.raises(IntegrityError):
        creds.delete(people["head"], cred.id, cred.version_id, reason="account merged")
    assert dump(ctx) == before
    assert [c.id for c in creds.list()] == [cred.id]
    assert stored() == {cred.keyring_key: OLD}
    assert creds.reveal(people["head"], cred.id) == OLD


def test_a_deleted_password_the_keyring_will_not_take_back_is_named(ctx, people, creds, cred,
                                                                    faulty, stored):
    before = dump(ctx)
    faulty.refuse("set", cred.keyring_key)
    with commit_fails(ctx, "refused", cred.id), pytest.raises(VaultError) as caught:
        creds.delete(people["head"], cred.id, cred.version_id)
    assert faulty.refused == [("set", cred.keyring_key)]
    assert str(caught.value).startswith(
        f"Deleting the credential {LABEL} failed and nothing was saved in the database, but "
        "the keyring refused to put back the password it held before: smmod still lists the "
        "credential but the keyring no longer holds its password")
    assert_names_without_secrets(caught.value)
    assert dump(ctx) == before
    assert stored() == {}
