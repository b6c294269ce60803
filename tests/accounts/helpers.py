"""Shared set-up for the account and vault tests (imported by tests/ui too)."""

from __future__ import annotations

from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError, PasswordSetError

from smmod.accounts import AccountInput, AccountService, CredentialService
from smmod.context import AppContext
from smmod.identity import Actor
from smmod.vault import Vault
from tests.conftest import SUITE_TODAY
from tests.keyring_support import MemoryKeyring

# "Today" is the test clock's date (tests/conftest.py), never the computer's: every
# service made here reads the context's frozen clock, and dates in these tests are
# written relative to TODAY, so they hold whichever day SMMOD_TEST_NOW puts the suite on.
TODAY = SUITE_TODAY
# For the tests that still use an in-memory keyring (tests/ui); the account and handover
# tests use the real one under ``keyring_service`` (tests/keyring_support.py).
TEST_SERVICE = "smmod-test-accounts"

__all__ = ["TEST_SERVICE", "TODAY", "MemoryKeyring", "ReadOnlyKeyring", "StubbornKeyring",
           "active_account", "draft_input", "make_accounts", "make_credentials"]


class StubbornKeyring(MemoryKeyring):
    """Refuses to delete (a keyring that says no), so the metadata must stay."""

    def delete_password(self, service: str, username: str) -> None:
        raise PasswordDeleteError("refused by the keyring")


class ReadOnlyKeyring(MemoryKeyring):
    """Refuses every write, as a keyring does when a prompt is dismissed mid-write."""

    def set_password(self, service: str, username: str, password: str) -> None:
        raise PasswordSetError("write refused")


def make_accounts(ctx: AppContext) -> AccountService:
    service = AccountService(ctx.session_factory, expiry_months=lambda: 12)  # the test clock
    ctx.__dict__["accounts"] = service  # the pages and the CLI read ctx.accounts
    return service


def make_credentials(ctx: AppContext, backend: KeyringBackend,
                     service: str = TEST_SERVICE) -> CredentialService:
    credentials = CredentialService(ctx.session_factory, Vault(backend, service=service),
                                    rotate_days=lambda: 365, password_length=lambda: 20)
    ctx.__dict__["credentials"] = credentials
    return credentials


def draft_input(people: dict[str, Actor], **changes: object) -> AccountInput:
    """A complete business case run by run1 (lead) and run2, as an R1–R4-clean draft."""
    values: dict[str, object] = dict(
        platform="instagram", handle="@oakfield_pe", url="https://instagram.com/oakfield_pe",
        aim="Celebrate PE fixtures and results", audience="Parents and pupils in years 7-11",
        promotion="Newsletter and the school website", visibility="open",
        lead=people["run1"].staff_id, runners=(people["run2"].staff_id,),
        administrators=(people["admin2"].staff_id,), review_on=None)
    values.update(changes)
    return AccountInput(**values)  # type: ignore[arg-type]


def active_account(accounts: AccountService, people: dict[str, Actor], **changes: object
                   ) -> int:
    """Draft (mod1), submit, approve (slt2), activate (admin2): an active account's id."""
    record = accounts.draft(people["mod1"], draft_input(people, **changes))
    record = accounts.submit(people["mod1"], record.id, record.version_id)
    record = accounts.approve(people["slt2"], record.id, record.version_id, reason="Good case")
    record = accounts.activate(people["admin2"], record.id, record.version_id)
    return record.id
