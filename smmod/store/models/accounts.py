"""The account register (R1–R3) and credential metadata (R5).

The secret of a credential is never here: only the opaque keyring key that finds it.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from smmod.store.base import Base, UTCDateTime, stamped_column

PLATFORMS = ("facebook", "x", "instagram", "youtube", "linkedin", "tiktok", "mastodon", "other")
ACCOUNT_STATUSES = ("draft", "submitted", "approved", "rejected", "active", "closed")
ACCOUNT_ROLES = ("lead", "runner", "administrator")


class Account(Base):
    __tablename__ = "accounts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform: Mapped[str] = mapped_column(String(20))
    handle: Mapped[str] = mapped_column(String(200))
    url: Mapped[str] = mapped_column(String(500), default="")
    # The business case (R1).
    aim: Mapped[str] = mapped_column(Text, default="")
    audience: Mapped[str] = mapped_column(Text, default="")
    promotion: Mapped[str] = mapped_column(Text, default="")
    is_private: Mapped[bool] = mapped_column(Boolean, default=False)
    # "open" or "private", None until the drafter has chosen: R1 needs an explicit choice,
    # which a boolean defaulting to open cannot tell apart from "not decided yet".
    visibility: Mapped[str | None] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(20), default="draft")
    review_on: Mapped[date | None] = mapped_column(Date)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    submitted_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decision_reason: Mapped[str | None] = mapped_column(Text)
    # Activation (R3): an administrator created it on the platform after approval.
    activated_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    activated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    platform_created_on: Mapped[date | None] = mapped_column(Date)
    # An account that was running before smmod: who attested it had been approved, and when.
    attested_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    attested_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attestation: Mapped[str | None] = mapped_column(Text)
    closed_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = stamped_column()
    # R13: when a moderator last looked at this account's queue.
    last_checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    version_id: Mapped[int] = mapped_column(Integer, nullable=False)

    roles: Mapped[list[AccountRole]] = relationship(
        back_populates="account", cascade="all, delete-orphan"
    )

    __mapper_args__ = {"version_id_col": version_id}
    __table_args__ = (UniqueConstraint("platform", "handle"),)


class AccountRole(Base):
    __tablename__ = "account_roles"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    role: Mapped[str] = mapped_column(String(20))
    from_on: Mapped[date | None] = mapped_column(Date)
    to_on: Mapped[date | None] = mapped_column(Date)

    account: Mapped[Account] = relationship(back_populates="roles")

    __table_args__ = (
        Index("ix_account_roles_account_id", "account_id"),
        Index("ix_account_roles_staff_id", "staff_id"),
    )


class Credential(Base):
    __tablename__ = "credentials"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    login_name: Mapped[str] = mapped_column(String(320))
    kind: Mapped[str] = mapped_column(String(20), default="password")
    note: Mapped[str] = mapped_column(Text, default="")
    keyring_key: Mapped[str] = mapped_column(String(100), unique=True)
    created_at: Mapped[datetime] = stamped_column()
    created_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    rotated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    rotated_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    rotate_by: Mapped[date | None] = mapped_column(Date)
    version_id: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": version_id}
    __table_args__ = (Index("ix_credentials_account_id", "account_id"),)


class CredentialRotation(Base):
    """Who rotated a credential and when; old values are never kept."""

    __tablename__ = "credential_rotations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    credential_id: Mapped[int] = mapped_column(ForeignKey("credentials.id", ondelete="CASCADE"))
    at: Mapped[datetime] = stamped_column()
    by_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    # pending until someone confirms the change was made on the platform (handover).
    status: Mapped[str] = mapped_column(String(20), default="done")
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    confirmed_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))

    __table_args__ = (Index("ix_credential_rotations_credential_id", "credential_id"),)
