"""Who can open the vault: each person's key pair, and the vault key wrapped for them.

A person's X25519 private key is kept only in their own OS keyring (through the keyring
``Vault``, which refuses anything but a secure backend); the public key is in the
database so that another administrator can wrap the vault key for them.
"""

from __future__ import annotations

import base64
import logging
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from sqlalchemy import select
from sqlalchemy.orm import Session

from smmod.errors import NotFound, PermissionDenied, PolicyError, SmmodError
from smmod.identity import Actor
from smmod.store.base import session_clock
from smmod.store.models import Staff, VaultKey, VaultMember, VaultWrap
from smmod.vault import Vault
from smmod.vault_shared import crypto

log = logging.getLogger("smmod.vault")

RECOVERY = "recovery"
NO_VAULT = ("the shared vault has not been created yet: an administrator creates it with "
            "'smmod vault init' (which also prints the recovery kit)")


class NoAccess(PermissionDenied):
    """This person cannot open the shared vault (no wrapped key, or no private key here)."""


def identity_item(username: str) -> str:
    return f"vault-identity:{username}"


def load_identity(keyring: Vault, username: str) -> X25519PrivateKey | None:
    try:
        raw = keyring.get_secret(identity_item(username))
    except NotFound:
        return None
    try:
        return crypto.load_private(base64.b64decode(raw, validate=True))
    except ValueError:
        log.warning("the vault key pair of %s in the keyring is damaged", username)
        return None


def ensure_identity(keyring: Vault, username: str) -> X25519PrivateKey:
    """This person's private key from their keyring, made and kept there if missing."""
    private = load_identity(keyring, username)
    if private is None:
        private = crypto.new_private_key()
        keyring.set_secret(identity_item(username),
                           base64.b64encode(crypto.private_bytes(private)).decode("ascii"))
    return private


def require_admin(session: Session, actor: Actor, doing: str) -> Staff:
    """The staff register now, not the roles read at start-up: access ends at once (R5)."""
    staff = session.get(Staff, actor.staff_id) if actor.staff_id is not None else None
    if staff is None or not staff.active or "administrator" not in staff.role_names:
        raise PolicyError("R5", f"only administrators use the shared vault, so you cannot "
                                f"{doing}. Ask an administrator.")
    return staff


def current_key_row(session: Session) -> VaultKey:
    row = session.execute(select(VaultKey).order_by(VaultKey.epoch.desc()).limit(1)).scalar()
    if row is None:
        raise NotFound(NO_VAULT)
    return row


def wrap_row(session: Session, epoch: int, staff_id: int | None) -> VaultWrap | None:
    stmt = select(VaultWrap).where(VaultWrap.epoch == epoch)
    stmt = stmt.where(VaultWrap.staff_id.is_(None) if staff_id is None
                      else VaultWrap.staff_id == staff_id)
    return session.execute(stmt).scalar()


def recipient(staff_id: int | None) -> str:
    return RECOVERY if staff_id is None else f"staff:{staff_id}"


def add_wrap(session: Session, epoch: int, vault_key: bytes, public: bytes,
             staff_id: int | None, granted_by: int | None) -> None:
    wrapped = crypto.wrap(vault_key, public, crypto.wrap_aad(epoch, recipient(staff_id)))
    existing = wrap_row(session, epoch, staff_id)
    if existing is not None:
        session.delete(existing)
        session.flush()
    session.add(VaultWrap(epoch=epoch, staff_id=staff_id, ephemeral_public=wrapped.ephemeral_public,
                          nonce=wrapped.nonce, ciphertext=wrapped.ciphertext,
                          granted_by=granted_by, granted_at=session_clock(session).now()))


def unwrap_row(row: VaultWrap, private: X25519PrivateKey) -> bytes:
    wrapped = crypto.Wrapped(row.ephemeral_public, row.nonce, row.ciphertext)
    return crypto.unwrap(wrapped, private, crypto.wrap_aad(row.epoch, recipient(row.staff_id)))


@dataclass(frozen=True)
class OpenKey:
    epoch: int
    key: bytes


def open_vault(session: Session, keyring: Vault, actor: Actor, doing: str) -> OpenKey:
    """The vault key, unwrapped with ``actor``'s private key from their keyring."""
    require_admin(session, actor, doing)
    row = current_key_row(session)
    wrap = wrap_row(session, row.epoch, actor.staff_id)
    if wrap is None:
        raise NoAccess(f"you have no access to the shared vault, so you cannot {doing}: ask "
                       "an administrator who has access to grant it to you "
                       f"('smmod vault grant {actor.username}')")
    private = load_identity(keyring, actor.username)
    member = session.get(VaultMember, actor.staff_id)
    if private is None or member is None or crypto.public_bytes(private) != member.public_key:
        raise NoAccess(f"this computer's keyring does not hold your vault key, so you cannot "
                       f"{doing}: run 'smmod vault register' here, then ask an administrator "
                       "with access to grant it again (or use the recovery kit)")
    try:
        return OpenKey(row.epoch, unwrap_row(wrap, private))
    except crypto.CannotOpen:
        raise SmmodError("your wrapped copy of the vault key does not open with your key: "
                         "ask an administrator with access to grant it again") from None
