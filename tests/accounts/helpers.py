"""Shared set-up for the account and vault tests (imported by tests/ui too)."""

from __future__ import annotations

from datetime import date

from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError, PasswordSetError

from smmod.accounts import AccountInput, AccountService, CredentialService
from smmod.context import AppContext
from smmod.identity import Actor
from smmod.vault import Vault

# A fixed "today", so eligibility (training from 2026-09-01, valid 12 months) and due
# dates do not drift with the calendar.
TODAY = date(2026, 11, 24)
TEST_SERVICE = "smmod-test-accounts"


class MemoryKeyring(KeyringBackend):
    """A secure-looking keyring kept in memory, for tests that do not need D-Bus.

    ``viable = False`` keeps keyring from ever choosing it on its own.
    """

    priority = 1  # type: ignore[assignment]
    viable = False

    def __init__(self) -> None:
        super().__init__()
        self.items: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.items.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.items[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.items.pop((service, username), None) is None:
            raise PasswordDeleteError("No such password!")


class StubbornKeyring(MemoryKeyring):
    """Refuses to delete (a keyring that says no), so the metadata must stay."""

    def delete_password(self, service: str, username: str) -> None:
        raise PasswordDeleteError("refused by the keyring")


class ReadOnlyKeyring(MemoryKeyring):
    """Refuses every write, as a keyring does when a prompt is dismissed mid-write."""

    def set_password(self, service: str, username: str, password: str) -> None:
        raise PasswordSetError("write refused")


def make_accounts(ctx: AppContext) -> AccountService:
    service = AccountService(ctx.session_factory, expiry_months=lambda: 12, today=lambda: TODAY)
    ctx.__dict__["accounts"] = service  # the pages and the CLI read ctx.accounts
    return service


def make_credentials(ctx: AppContext, backend: KeyringBackend,
                     service: str = TEST_SERVICE) -> CredentialService:
    credentials = CredentialService(ctx.session_factory, Vault(backend, service=service),
                                    rotate_days=lambda: 365, password_length=lambda: 20,
                                    today=lambda: TODAY)
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
