"""The shared vault's life: create it, let people in, take them out, recover it (R5).

- ``create`` makes the vault key, wraps it for its creator and for a new recovery key,
  and returns the recovery kit (shown once: only its public half is kept).
- ``register`` puts a person's public key in the database (the private key stays in
  their keyring); ``grant`` wraps the vault key for a registered administrator.
- ``revoke`` takes someone out in one transaction: their wrapped key and public key
  go, a new vault key seals every secret again and is wrapped for everyone left (and for
  the recovery key), and every credential they could read is flagged for rotation.
- ``recover`` opens the vault with the recovery key and wraps it for the person using it.

Every one of them is audited, with names and fingerprints, never key material.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from smmod import audit
from smmod.errors import InputError, NotFound, SmmodError
from smmod.identity import Actor
from smmod.platforms import platform_label
from smmod.store.base import session_clock
from smmod.store.engine import SessionFactory
from smmod.store.models import (
    Account,
    Credential,
    Staff,
    VaultKey,
    VaultMember,
    VaultRotationFlag,
    VaultSecret,
    VaultWrap,
)
from smmod.vault import Vault
from smmod.vault_shared import crypto, items
from smmod.vault_shared.keys import (
    NoAccess,
    OpenKey,
    add_wrap,
    current_key_row,
    ensure_identity,
    open_vault,
    require_admin,
    unwrap_row,
    wrap_row,
)

log = logging.getLogger("smmod.vault")


@dataclass(frozen=True)
class RecoveryKit:
    """What the recovery kit prints; ``recovery_key`` exists only here and on paper."""

    vault_id: str
    recovery_key: str
    created_at: datetime
    created_by: str


@dataclass(frozen=True)
class MemberRecord:
    staff_id: int
    username: str
    name: str
    fingerprint: str
    has_access: bool
    registered_at: datetime


@dataclass(frozen=True)
class RevokeResult:
    staff_id: int
    epoch: int
    secrets_resealed: int
    flagged_credentials: tuple[int, ...]


class VaultService:
    def __init__(self, session_factory: SessionFactory, keyring: Vault) -> None:
        self._sf = session_factory
        self.keyring = keyring

    @property
    def session_factory(self) -> SessionFactory:
        return self._sf

    # -- reading -------------------------------------------------------------------------
    def exists(self) -> bool:
        with self._sf() as session:
            return session.execute(select(VaultKey.epoch).limit(1)).first() is not None

    def members(self) -> list[MemberRecord]:
        with self._sf() as session:
            epoch = session.execute(select(VaultKey.epoch).order_by(VaultKey.epoch.desc())
                                    .limit(1)).scalar()
            access = set(session.execute(select(VaultWrap.staff_id)
                                         .where(VaultWrap.epoch == epoch)).scalars())
            rows = session.execute(select(VaultMember, Staff).join(
                Staff, Staff.id == VaultMember.staff_id).order_by(Staff.name)).all()
            return [MemberRecord(s.id, s.username, s.name, crypto.fingerprint(m.public_key),
                                 s.id in access, m.registered_at) for m, s in rows]

    def readable_credentials(self) -> list[str]:
        """What a revoke flags for rotation: every credential with a secret in the vault,
        as "login on handle (platform)"."""
        with self._sf() as session:
            stored = set(session.execute(select(VaultSecret.item_key)).scalars())
            rows = session.execute(select(Credential, Account).join(
                Account, Account.id == Credential.account_id).order_by(Credential.id)).all()
            return [f"{c.login_name} on {a.handle} ({platform_label(a.platform)})" for c, a in rows
                    if c.keyring_key in stored]

    def open_key(self, session: Session, actor: Actor, doing: str) -> OpenKey:
        return open_vault(session, self.keyring, actor, doing)

    # -- changing ------------------------------------------------------------------------
    def register(self, actor: Actor) -> MemberRecord:
        """Publish ``actor``'s public key (made and kept in their keyring if new)."""
        with self._sf() as session:
            require_admin(session, actor, "register for the shared vault")
        private = ensure_identity(self.keyring, actor.username)
        with self._sf.begin() as session:
            self._register(session, actor, crypto.public_bytes(private))
        return next(m for m in self.members() if m.staff_id == actor.staff_id)

    def _register(self, session: Session, actor: Actor, public: bytes) -> None:
        require_admin(session, actor, "register for the shared vault")
        member = session.get(VaultMember, actor.staff_id)
        if member is not None and member.public_key == public:
            return
        if member is not None:
            # A new key pair (a new computer, a lost keyring): the old wrapped keys are
            # useless to anyone and must be granted again.
            session.execute(delete(VaultWrap).where(VaultWrap.staff_id == actor.staff_id))
            session.delete(member)
            session.flush()
        session.add(VaultMember(staff_id=actor.staff_id, public_key=public,
                                registered_at=session_clock(session).now()))
        audit.record(session, actor=actor.username, action="vault.register",
                     subject=f"staff:{actor.staff_id}",
                     details={"fingerprint": crypto.fingerprint(public),
                              "replaced": member is not None})

    def create(self, actor: Actor) -> RecoveryKit:
        """Make the vault; the recovery key is returned once, and never stored."""
        with self._sf() as session:
            require_admin(session, actor, "create the shared vault")
        private = ensure_identity(self.keyring, actor.username)
        recovery_text, recovery_public = crypto.new_recovery_key()
        vault_id = uuid.uuid4().hex
        with self._sf.begin() as session:
            if session.execute(select(VaultKey.epoch).limit(1)).first() is not None:
                raise InputError("the shared vault already exists; to let someone in, grant "
                                 "them access ('smmod vault grant USER')")
            self._register(session, actor, crypto.public_bytes(private))
            key = crypto.new_vault_key()
            row = VaultKey(epoch=1, vault_id=vault_id, recovery_public=recovery_public,
                           created_by=actor.staff_id)
            session.add(row)
            session.flush()
            add_wrap(session, 1, key, crypto.public_bytes(private), actor.staff_id, actor.staff_id)
            add_wrap(session, 1, key, recovery_public, None, actor.staff_id)
            audit.record(session, actor=actor.username, action="vault.create",
                         subject=f"vault:{vault_id}",
                         details={"recovery_kit": "printed once, not stored"})
            created_at = row.created_at
        return RecoveryKit(vault_id, recovery_text, created_at, actor.name or actor.username)

    def grant(self, actor: Actor, username: str) -> MemberRecord:
        with self._sf.begin() as session:
            key = self.open_key(session, actor, "grant access to the shared vault")
            staff = _staff(session, username)
            if not staff.active or "administrator" not in staff.role_names:
                raise InputError(f"{staff.name} is not an active administrator; only "
                                 "administrators use the shared vault", field="username")
            member = session.get(VaultMember, staff.id)
            if member is None:
                raise InputError(f"{staff.name} has not registered a vault key yet: they run "
                                 "'smmod vault register' on their own computer first",
                                 field="username")
            add_wrap(session, key.epoch, key.key, member.public_key, staff.id, actor.staff_id)
            audit.record(session, actor=actor.username, action="vault.grant",
                         subject=f"staff:{staff.id}",
                         details={"username": staff.username,
                                  "fingerprint": crypto.fingerprint(member.public_key)})
            staff_id = staff.id
        return next(m for m in self.members() if m.staff_id == staff_id)

    def revoke(self, actor: Actor, username: str, *, reason: str) -> RevokeResult:
        """Take ``username`` out: new vault key, secrets resealed, credentials flagged."""
        reason = (reason or "").strip()
        if not reason:
            raise InputError("say why access ends (for example 'handover' or 'role ended')",
                             field="reason")
        with self._sf.begin() as session:
            old = self.open_key(session, actor, "revoke access to the shared vault")
            staff = _staff(session, username)
            old_row = current_key_row(session)
            if wrap_row(session, old.epoch, staff.id) is None:
                raise InputError(f"{staff.name} has no access to the shared vault",
                                 field="username")
            remaining = [(m.staff_id, m.public_key) for m in session.execute(
                select(VaultMember).join(VaultWrap, VaultWrap.staff_id == VaultMember.staff_id)
                .where(VaultWrap.epoch == old.epoch, VaultMember.staff_id != staff.id)).scalars()]
            if not remaining:
                raise InputError(f"{staff.name} is the last person with access: grant "
                                 "another administrator access first", field="username")
            new = OpenKey(old.epoch + 1, crypto.new_vault_key())
            session.add(VaultKey(epoch=new.epoch, vault_id=old_row.vault_id,
                                 recovery_public=old_row.recovery_public,
                                 created_by=actor.staff_id))
            session.flush()
            resealed = items.reseal_all(session, old, new)
            for staff_id, public in remaining:
                add_wrap(session, new.epoch, new.key, public, staff_id, actor.staff_id)
            add_wrap(session, new.epoch, new.key, old_row.recovery_public, None, actor.staff_id)
            session.execute(delete(VaultWrap).where(VaultWrap.epoch == old.epoch))
            session.execute(delete(VaultWrap).where(VaultWrap.staff_id == staff.id))
            session.execute(delete(VaultKey).where(VaultKey.epoch == old.epoch))
            member = session.get(VaultMember, staff.id)
            if member is not None:
                session.delete(member)
            flagged = _flag_readable(session, staff.id,
                                     f"{staff.name} could read it until access was revoked: "
                                     f"{reason}")
            audit.record(session, actor=actor.username, action="vault.revoke",
                         subject=f"staff:{staff.id}", reason=reason,
                         details={"username": staff.username, "new_epoch": new.epoch,
                                  "items_resealed": resealed,
                                  "credentials_flagged": list(flagged)})
            return RevokeResult(staff.id, new.epoch, resealed, flagged)

    def recover(self, actor: Actor, recovery_key: str) -> MemberRecord:
        """Open the vault with the recovery kit and give ``actor`` access again."""
        recovery = crypto.parse_recovery_key(recovery_key)
        with self._sf() as session:
            require_admin(session, actor, "recover the shared vault")
            current_key_row(session)
        private = ensure_identity(self.keyring, actor.username)
        with self._sf.begin() as session:
            row = current_key_row(session)
            wrap = wrap_row(session, row.epoch, None)
            if wrap is None or crypto.public_bytes(recovery) != row.recovery_public:
                raise InputError("this recovery key is not the one of this vault",
                                 field="recovery_key")
            try:
                key = unwrap_row(wrap, recovery)
            except crypto.CannotOpen:
                raise SmmodError("the recovery copy of the vault key does not open: the "
                                 "database was changed; restore a backup") from None
            self._register(session, actor, crypto.public_bytes(private))
            add_wrap(session, row.epoch, key, crypto.public_bytes(private), actor.staff_id,
                     actor.staff_id)
            audit.record(session, actor=actor.username, action="vault.recover",
                         subject=f"vault:{row.vault_id}",
                         details={"fingerprint": crypto.fingerprint(crypto.public_bytes(private))})
        return next(m for m in self.members() if m.staff_id == actor.staff_id)


def _staff(session: Session, username: str) -> Staff:
    staff = session.execute(select(Staff).where(Staff.username == username)).scalar()
    if staff is None:
        raise NotFound(f"nobody on the staff register has the username '{username}'")
    return staff


def _flag_readable(session: Session, staff_id: int, reason: str) -> tuple[int, ...]:
    """Flag every credential with a secret in the vault, and make it due for rotation today."""
    stored = set(session.execute(select(VaultSecret.item_key)).scalars())
    today = session_clock(session).today()
    now = session_clock(session).now()
    flagged = []
    for credential in session.execute(select(Credential).order_by(Credential.id)).scalars():
        if credential.keyring_key not in stored:
            continue
        session.add(VaultRotationFlag(credential_id=credential.id, staff_id=staff_id,
                                      reason=reason, flagged_at=now))
        if credential.rotate_by is None or credential.rotate_by > today:
            credential.rotate_by = today
        flagged.append(credential.id)
    session.flush()
    return tuple(flagged)


__all__ = ["MemberRecord", "NoAccess", "RecoveryKit", "RevokeResult", "VaultService"]
