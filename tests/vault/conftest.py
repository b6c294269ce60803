"""Two administrators on one database, each with a keyring of their own.

Each person's keyring is the real GNOME Keyring under a service name of their own (the
way two computers each have their own keyring): nothing one of them writes can be read
through the other's ``Vault``. ``wipe`` empties a person's keyring, as a lost laptop does.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import pytest
from keyring.backend import KeyringBackend

from smmod.accounts import CredentialService
from smmod.context import AppContext
from smmod.identity import Actor
from smmod.vault import Vault
from smmod.vault_shared import SharedSecrets, VaultService
from tests.accounts.helpers import active_account, make_accounts
from tests.keyring_support import keyring_items

pytestmark = pytest.mark.keyring


@dataclass
class Desk:
    """One administrator at their own computer."""

    actor: Actor
    keyring: Vault
    vault: VaultService
    credentials: CredentialService

    def wipe(self) -> None:
        for item in keyring_items(self.keyring.backend, self.keyring.service):
            self.keyring.backend.delete_password(self.keyring.service, item)


def desk(ctx: AppContext, backend: KeyringBackend, actor: Actor, service: str) -> Desk:
    keyring = Vault(backend, service=service)
    vault = VaultService(ctx.session_factory, keyring)
    credentials = CredentialService(ctx.session_factory, SharedSecrets(vault, lambda: actor),
                                    rotate_days=lambda: 365, password_length=lambda: 20)
    return Desk(actor, keyring, vault, credentials)


@pytest.fixture
def desks(ctx, people, real_keyring, keyring_service):
    run = uuid.uuid4().hex[:8]
    made = {name: desk(ctx, real_keyring, people[name], f"{keyring_service}-{name}-{run}")
            for name in ("head", "admin2")}
    yield made
    for d in made.values():
        d.wipe()


@pytest.fixture
def account_id(ctx, people) -> int:
    return active_account(make_accounts(ctx), people)
