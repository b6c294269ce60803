"""The shared vault (R5, issue 15): ciphertext, wrapped keys and public keys only.

Nothing here can be read without a private key that lives in someone's OS keyring (or
the recovery key printed on paper): secrets are AES-256-GCM ciphertext under the vault
key, and the vault key is stored only wrapped, once per person and once for recovery.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from smmod.store.base import Base, UTCDateTime, stamped_column


class VaultKey(Base):
    """One generation (epoch) of the vault key; only the current one is kept."""

    __tablename__ = "vault_keys"

    epoch: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    vault_id: Mapped[str] = mapped_column(String(40))
    recovery_public: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = stamped_column()
    created_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))


class VaultMember(Base):
    """A person's X25519 public key; the private key is only in their own keyring."""

    __tablename__ = "vault_members"

    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), primary_key=True,
                                          autoincrement=False)
    public_key: Mapped[bytes] = mapped_column(LargeBinary)
    registered_at: Mapped[datetime] = mapped_column(UTCDateTime)


class VaultWrap(Base):
    """The vault key of one epoch, wrapped for one person (``staff_id`` None: recovery)."""

    __tablename__ = "vault_wraps"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    epoch: Mapped[int] = mapped_column(ForeignKey("vault_keys.epoch", ondelete="CASCADE"))
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    ephemeral_public: Mapped[bytes] = mapped_column(LargeBinary)
    nonce: Mapped[bytes] = mapped_column(LargeBinary)
    ciphertext: Mapped[bytes] = mapped_column(LargeBinary)
    granted_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (UniqueConstraint("epoch", "staff_id"),
                      Index("ix_vault_wraps_staff_id", "staff_id"))


class VaultSecret(Base):
    """One sealed secret: a credential's current, pending, staged or earlier password."""

    __tablename__ = "vault_secrets"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_key: Mapped[str] = mapped_column(String(200))  # the credential's keyring_key
    slot: Mapped[str] = mapped_column(String(20))
    version: Mapped[int] = mapped_column(Integer)
    epoch: Mapped[int] = mapped_column(Integer)
    nonce: Mapped[bytes] = mapped_column(LargeBinary)
    ciphertext: Mapped[bytes] = mapped_column(LargeBinary)
    written_at: Mapped[datetime] = mapped_column(UTCDateTime)
    written_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))

    __table_args__ = (UniqueConstraint("item_key", "slot", "version"),
                      Index("ix_vault_secrets_item_key", "item_key"))


class VaultRotationFlag(Base):
    """A credential someone who lost access could read: it must be rotated."""

    __tablename__ = "vault_rotation_flags"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    credential_id: Mapped[int] = mapped_column(ForeignKey("credentials.id", ondelete="CASCADE"))
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    reason: Mapped[str] = mapped_column(Text, default="")
    flagged_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (Index("ix_vault_rotation_flags_credential_id", "credential_id"),)
