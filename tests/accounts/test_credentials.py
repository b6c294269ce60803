"""The credential vault service (R5): metadata in the database, secrets in the keyring only.

Every test here runs on the real Secret Service keyring (the ``backend`` fixture, marked
``keyring``: skipped without one, failing under SMMOD_REQUIRE_KEYRING=1 as in CI), under
this run's throwaway service. A test that needs the keyring to refuse something wraps the
real one in ``FaultyKeyring``; only the "no secure keyring at all" test uses another
backend (keyring's own ``fail`` backend).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail
from sqlalchemy import select, text

from smmod import audit
from smmod.accounts import AccountService, CredentialService
from smmod.errors import InputError, KeyringUnavailable, NotFound, PolicyError
from smmod.staff.service import StaffInput
from smmod.store.models import Credential, CredentialRotation
from smmod.vault import Vault, VaultError
from tests.accounts.helpers import (
    TODAY,
    active_account,
    draft_input,
    make_accounts,
    make_credentials,
)
from tests.keyring_support import FaultyKeyring, keyring_items

SECRET = "Kx7!pQ2-correct-horse"


@pytest.fixture
def accounts(ctx) -> AccountService:
    return make_accounts(ctx)


@pytest.fixture(params=[pytest.param("real", marks=pytest.mark.keyring, id="keyring")])
def backend(request: pytest.FixtureRequest) -> KeyringBackend:
    """The real Secret Service keyring (cleaned up after the test)."""
    return request.getfixturevalue("real_keyring")


@pytest.fixture
def service(keyring_service: str) -> str:
    return keyring_service


@pytest.fixture
def stored(backend, service):
    """What the keyring holds under this run's service, every item of it, by key."""
    return lambda: keyring_items(backend, service)


@pytest.fixture
def creds(ctx, backend, service) -> CredentialService:
    return make_credentials(ctx, backend, service)


@pytest.fixture
def account_id(accounts, people) -> int:
    return active_account(accounts, people)


def _audit_actions(ctx) -> list[str]:
    return [e.action for e in reversed(audit.query(ctx.session_factory))]


def test_add_keeps_the_secret_in_the_keyring_and_metadata_in_the_database(
        ctx, creds, stored, people, account_id):
    record = creds.add(people["head"], account_id, login_name="pe@oakfield.sch.uk",
                       secret=SECRET, note="2FA on the PE office phone")
    assert record.keyring_key.startswith("cred-") and "oakfield" not in record.keyring_key
    assert stored() == {record.keyring_key: SECRET}
    assert (record.login_name, record.kind, record.created_by) == (
        "pe@oakfield.sch.uk", "password", "Hannah Head")
    assert record.rotate_by == TODAY + timedelta(days=365)
    assert record.rotation_state == "ok"
    with ctx.session_factory() as session:
        row = session.execute(text("SELECT * FROM credentials")).one()
    assert SECRET not in repr(tuple(row))
    assert creds.list(account_id) == [record]


def test_only_administrators_store_secrets(ctx, creds, stored, people, account_id):
    with pytest.raises(PolicyError) as caught:
        creds.add(people["slt2"], account_id, login_name="x", secret=SECRET)
    assert caught.value.rule == "R5"
    assert "only administrators store and use account passwords" in str(caught.value)
    assert stored() == {}
    assert creds.list() == []


def test_no_credentials_before_approval(accounts, creds, people):
    draft = accounts.draft(people["mod1"], draft_input(people))
    with pytest.raises(InputError, match="approved or active accounts; this one is draft"):
        creds.add(people["head"], draft.id, login_name="x", secret=SECRET)


@pytest.mark.parametrize(("fields", "field"), [
    ({"login_name": "  "}, "login_name"),
    ({"login_name": "a\nb"}, "login_name"),
    ({"kind": "cookie"}, "kind"),
    ({"note": "n" * 2001}, "note"),
    ({"rotate_by": TODAY}, "rotate_by"),
    ({"secret": ""}, "secret"),
])
def test_bad_credential_fields_are_refused(creds, stored, people, account_id, fields, field):
    values = {"login_name": "office@school", "secret": SECRET, **fields}
    with pytest.raises(InputError) as caught:
        creds.add(people["head"], account_id, **values)
    assert caught.value.field == field
    assert stored() == {}
    assert SECRET not in str(caught.value)


def test_reveal_and_copy_are_audited_without_the_secret(ctx, creds, people, account_id):
    record = creds.add(people["head"], account_id, login_name="pe", secret=SECRET)
    assert creds.reveal(people["admin2"], record.id) == SECRET
    assert creds.reveal(people["head"], record.id, purpose="copy") == SECRET
    entries = audit.query(ctx.session_factory)
    assert [(e.action, e.actor) for e in entries[:2]] == [
        ("credential.copy", "head"), ("credential.reveal", "admin2")]
    assert entries[0].subject == f"account:{account_id}/credential:{record.id}"
    assert all(SECRET not in repr(e) for e in entries)
    with pytest.raises(InputError, match="purpose"):
        creds.reveal(people["head"], record.id, purpose="print")


def test_only_administrators_reveal_and_access_ends_at_once(ctx, creds, people, account_id):
    record = creds.add(people["head"], account_id, login_name="pe", secret=SECRET)
    for who in ("slt2", "mod1", "run1"):
        with pytest.raises(PolicyError, match=r"R5: .*cannot reveal a password"):
            creds.reveal(people[who], record.id)
    # admin2's Actor still says administrator, but the register no longer does.
    admin = ctx.staff.by_username("admin2")
    ctx.staff.update(people["head"], admin.id, admin.version_id, StaffInput(
        name=admin.name, username="admin2", roles=frozenset({"staff"})))
    with pytest.raises(PolicyError, match="R5"):
        creds.reveal(people["admin2"], record.id, purpose="copy")
    assert "credential.reveal" not in _audit_actions(ctx)


def test_rotation_replaces_the_secret_and_records_who_and_when(ctx, creds, stored, people,
                                                               account_id):
    record = creds.add(people["head"], account_id, login_name="pe", secret=SECRET)
    new = creds.generate("instagram")
    rotated = creds.rotate(people["admin2"], record.id, record.version_id, new)
    assert creds.reveal(people["head"], record.id) == new
    assert stored() == {record.keyring_key: new}  # no old value, no staged copy left
    assert (rotated.rotated_by, rotated.rotate_by) == ("Alex Admin", TODAY + timedelta(days=365))
    history = creds.rotations(record.id)
    assert [(r.by, r.status) for r in history] == [("Alex Admin", "done")]
    later = creds.rotate(people["head"], record.id, rotated.version_id, creds.generate("x"),
                         rotate_by=TODAY + timedelta(days=30))
    assert later.rotate_by == TODAY + timedelta(days=30)
    assert [r.by for r in creds.rotations(record.id)] == ["Hannah Head", "Alex Admin"]


def test_a_failed_rotation_changes_nothing(ctx, backend, service, stored, people, account_id):
    """The keyring refuses every write (a prompt dismissed mid-write)."""
    backend.set_password(service, "cred-existing", SECRET)
    faulty = FaultyKeyring(backend)
    faulty.refuse("set")
    creds = make_credentials(ctx, faulty, service)
    with ctx.session_factory.begin() as session:
        session.add(Credential(account_id=account_id, login_name="pe", keyring_key="cred-existing"))
    record = creds.list(account_id)[0]
    with pytest.raises(VaultError, match="refused to store"):
        creds.rotate(people["head"], record.id, record.version_id, "New-secret-123!")
    assert faulty.refused == [("set", "cred-existing:staged")]
    assert stored() == {"cred-existing": SECRET}
    assert creds.get(record.id) == record
    assert creds.rotations(record.id) == []


def test_pending_rotation_is_a_reminder_until_confirmed(creds, people, account_id):
    record = creds.add(people["head"], account_id, login_name="pe", secret=SECRET)
    creds.rotate(people["head"], record.id, record.version_id, "Rotated-harbour-kettle-9!", pending=True)
    reminders = creds.reminders()
    assert [(r.state, r.login_name) for r in reminders] == [("pending", "pe")]
    assert "not yet confirmed" in reminders[0].message
    rotation = creds.rotations(record.id)[0]
    confirmed = creds.confirm_rotation(people["admin2"], rotation.id)
    assert (confirmed.status, confirmed.confirmed_by) == ("done", "Alex Admin")
    assert creds.reminders() == []
    with pytest.raises(InputError, match="already confirmed"):
        creds.confirm_rotation(people["admin2"], rotation.id)


def test_reminders_list_expired_and_due_within_seven_days(ctx, accounts, creds, people,
                                                          account_id):
    days = {"overdue": -3, "today": 0, "week": 7, "later": 8}
    for name, offset in days.items():
        creds.add(people["head"], account_id, login_name=name, secret=SECRET,
                  rotate_by=TODAY + timedelta(days=30))
        with ctx.session_factory.begin() as session:
            row = session.execute(select(Credential).where(Credential.login_name == name)).scalar_one()
            row.rotate_by = TODAY + timedelta(days=offset)
    reminders = creds.reminders()
    assert [(r.login_name, r.state) for r in reminders] == [
        ("overdue", "expired"), ("today", "due"), ("week", "due")]
    assert reminders[0].message.endswith("rotation overdue by 3 days")
    assert reminders[1].message.endswith("due for rotation today")
    assert reminders[2].message.endswith("due for rotation in 7 days")
    record = accounts.get(account_id)
    accounts.close(people["head"], account_id, record.version_id, reason="closed")
    assert creds.reminders() == []  # a closed account's credentials need no reminder


def test_delete_removes_the_keyring_item_and_the_metadata(ctx, creds, stored, people,
                                                          account_id):
    record = creds.add(people["head"], account_id, login_name="pe", secret=SECRET)
    creds.rotate(people["head"], record.id, record.version_id, creds.generate("x"))
    record = creds.get(record.id)
    creds.delete(people["head"], record.id, record.version_id, reason="account merged")
    assert stored() == {}
    assert creds.list() == []
    with ctx.session_factory() as session:
        assert session.execute(select(CredentialRotation)).first() is None
    entry = audit.query(ctx.session_factory)[0]
    assert (entry.action, entry.details["keyring_item"]) == ("credential.delete", "deleted")
    with pytest.raises(NotFound):
        creds.get(record.id)


def test_a_refused_keyring_delete_keeps_the_metadata(ctx, backend, service, stored, people,
                                                     account_id):
    """The keyring says no to deleting (as keyring reports it: PasswordDeleteError)."""
    faulty = FaultyKeyring(backend)
    creds = make_credentials(ctx, faulty, service)
    record = creds.add(people["head"], account_id, login_name="pe", secret=SECRET)
    faulty.refuse("delete")
    with pytest.raises(VaultError, match=r"refused to delete the secret .* still stored"):
        creds.delete(people["head"], record.id, record.version_id)
    assert faulty.refused == [("delete", record.keyring_key)]
    assert creds.get(record.id) == record
    assert stored() == {record.keyring_key: SECRET}
    assert "credential.delete" not in _audit_actions(ctx)


def test_a_keyring_item_already_gone_still_lets_the_metadata_go(ctx, creds, backend, service,
                                                                 stored, people, account_id):
    record = creds.add(people["head"], account_id, login_name="pe", secret=SECRET)
    backend.delete_password(service, record.keyring_key)  # removed in the keyring manager
    assert stored() == {}
    creds.delete(people["head"], record.id, record.version_id)
    assert creds.list() == []
    assert audit.query(ctx.session_factory)[0].details["keyring_item"] == "was already missing"


def test_no_secure_keyring_refuses_in_plain_words_and_saves_nothing(ctx, people, account_id):
    creds = make_credentials(ctx, fail.Keyring())
    status = creds.status()
    assert not status.secure
    assert status.reason is not None
    for words in ("no secure keyring is available", "Linux", "macOS", "Windows"):
        assert words in status.reason
    with pytest.raises(KeyringUnavailable) as caught:
        creds.add(people["head"], account_id, login_name="pe", secret=SECRET)
    assert "no secure keyring" in str(caught.value)
    assert creds.list() == []
    assert "credential.add" not in _audit_actions(ctx)


def test_generated_passwords_respect_the_platform_limit(creds):
    assert len(creds.generate("instagram")) == 20
    assert len(creds.generate("tiktok", length=20)) == 20
    with pytest.raises(InputError, match="longer than the platform allows"):
        creds.generate("tiktok", length=30)
    digits = creds.generate("facebook", length=16, lower=False, upper=False, symbols=False)
    assert digits.isdigit() and len(digits) == 16
    assert len({creds.generate("x") for _ in range(20)}) == 20


def test_generated_length_is_capped_by_a_short_platform(ctx, backend, service):
    creds = CredentialService(ctx.session_factory, Vault(backend, service=service),
                              password_length=lambda: 40)
    assert len(creds.generate("tiktok")) == 20
    assert len(creds.generate("youtube")) == 40


def test_edit_metadata_is_audited(ctx, creds, people, account_id):
    record = creds.add(people["head"], account_id, login_name="pe", secret=SECRET)
    edited = creds.edit(people["head"], record.id, record.version_id, login_name="pe-office",
                        note="shared inbox", rotate_by=TODAY + timedelta(days=90))
    assert (edited.login_name, edited.note) == ("pe-office", "shared inbox")
    entry = audit.query(ctx.session_factory)[0]
    assert entry.details["login_name"] == ["pe", "pe-office"]


@pytest.mark.keyring
def test_real_keyring_round_trip(ctx, people, account_id, real_keyring, keyring_service):
    """Set, get, rotate and delete against the real Secret Service (CI runs this)."""
    creds = make_credentials(ctx, real_keyring, service=keyring_service)
    record = creds.add(people["head"], account_id, login_name="pe", secret=SECRET)
    assert real_keyring.get_password(keyring_service, record.keyring_key) == SECRET
    assert creds.reveal(people["head"], record.id) == SECRET
    new = creds.generate("mastodon")
    record = creds.rotate(people["head"], record.id, record.version_id, new)
    assert creds.reveal(people["admin2"], record.id, purpose="copy") == new
    assert real_keyring.get_password(keyring_service, record.keyring_key + ":staged") is None
    creds.delete(people["head"], record.id, record.version_id)
    assert real_keyring.get_password(keyring_service, record.keyring_key) is None
    assert creds.list() == []
