"""Moving keyring-only secrets (before issue 15) into the shared vault.

For each credential, the current and pending items in this person's keyring are sealed
into the vault and committed; then they are read back through a new session, opened and
compared, and only a secret that came back identical has its keyring item deleted. A
keyring item whose credential already has a different secret in the vault is left
alone and reported, never overwritten.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from sqlalchemy import select

from smmod import audit
from smmod.errors import NotFound, SmmodError
from smmod.identity import Actor
from smmod.store.models import Credential
from smmod.vault import Vault
from smmod.vault_shared import items
from smmod.vault_shared.service import VaultService

log = logging.getLogger("smmod.vault")


@dataclass
class MigrationReport:
    moved: list[str] = field(default_factory=list)  # "credential 3 (current)"
    already: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # left in the keyring, with why

    def to_dict(self) -> dict[str, list[str]]:
        return {"moved": self.moved, "already_in_vault": self.already, "kept": self.kept}


def migrate_keyring(vault: VaultService, legacy: Vault, actor: Actor) -> MigrationReport:
    report = MigrationReport()
    with vault.session_factory() as session:
        vault.open_key(session, actor, "move passwords into the shared vault")
        credentials = [(c.id, c.keyring_key) for c in
                       session.execute(select(Credential).order_by(Credential.id)).scalars()]
    for credential_id, key in credentials:
        for slot in ("current", "pending"):
            name = f"credential {credential_id} ({slot})"
            try:
                value = _read(legacy, key, slot)
            except SmmodError as exc:
                report.kept.append(f"{name}: the keyring could not be read ({exc})")
                continue
            if value is None:
                continue
            with vault.session_factory.begin() as session:
                opened = vault.open_key(session, actor, "move passwords into the shared vault")
                stored = items.read(session, opened, key, slot)
                if stored is None:
                    items.write(session, opened, key, slot, value, actor.staff_id)
                elif stored != value:
                    report.kept.append(f"{name}: the vault already holds a different "
                                       "password; the keyring item was left as it is")
                    continue
            with vault.session_factory() as session:  # read back what was committed
                opened = vault.open_key(session, actor, "move passwords into the shared vault")
                verified = items.read(session, opened, key, slot) == value
            if not verified:
                report.kept.append(f"{name}: the copy in the vault did not read back the "
                                   "same; the keyring item was left as it is")
                continue
            try:
                if slot == "current":
                    legacy.delete_secret(key)
                else:
                    legacy.discard_pending(key)
            except SmmodError as exc:
                report.kept.append(f"{name}: moved, but the keyring item could not be "
                                   f"deleted ({exc})")
                continue
            (report.already if stored is not None else report.moved).append(name)
    with vault.session_factory.begin() as session:
        audit.record(session, actor=actor.username, action="vault.migrate",
                     subject="vault", details={"moved": len(report.moved),
                                               "already_in_vault": len(report.already),
                                               "kept_in_keyring": len(report.kept)})
    log.info("moved %d keyring secrets into the shared vault (%d kept)", len(report.moved),
             len(report.kept))
    return report


def _read(legacy: Vault, key: str, slot: str) -> str | None:
    if slot == "pending":
        return legacy.get_pending(key)
    try:
        return legacy.get_secret(key)
    except NotFound:
        return None
