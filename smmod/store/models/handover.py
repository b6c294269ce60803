"""Handovers (R6): a departing person's accounts, credentials and work, passed on as one.

A handover is saved as a draft while the wizard runs, so it can be resumed or discarded.
``plan`` holds the choices made so far and ``basis`` the version ids of everything the
plan was built on, both as JSON. Neither ever holds a secret: new passwords live only in
the wizard's memory until they are written to the keyring at apply time.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from smmod.store.base import Base, UTCDateTime, stamped_column

HANDOVER_STATUSES = ("draft", "applied", "discarded")
HANDOVER_OUTCOMES = ("transferred", "closed")
TASK_STATES = ("done", "deferred")


class Handover(Base):
    __tablename__ = "handovers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    leaving_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="draft")
    plan: Mapped[str] = mapped_column(Text, default="{}")
    basis: Mapped[str] = mapped_column(Text, default="{}")
    started_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    started_at: Mapped[datetime] = stamped_column()
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    updated_at: Mapped[datetime] = stamped_column()
    applied_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    applied_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    discarded_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    discarded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # R2: an SLT member let the plan leave a live account short of two eligible runners.
    override_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    override_reason: Mapped[str | None] = mapped_column(Text)
    # The handover record: its HTML (no secrets), kept so the PDF can always be printed
    # again, and the PDF's file name inside the records folder.
    record_html: Mapped[str | None] = mapped_column(Text)
    record_file: Mapped[str | None] = mapped_column(String(300))
    version_id: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": version_id}
    __table_args__ = (Index("ix_handovers_staff_id_status", "staff_id", "status"),)


class HandoverAccount(Base):
    """What an applied handover did to one account; links the record from the account."""

    __tablename__ = "handover_accounts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    handover_id: Mapped[int] = mapped_column(ForeignKey("handovers.id", ondelete="CASCADE"))
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    outcome: Mapped[str] = mapped_column(String(20))
    summary: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (
        Index("ix_handover_accounts_handover_id", "handover_id"),
        Index("ix_handover_accounts_account_id", "account_id"),
    )


class HandoverTask(Base):
    """One step of closing an account: ticked at handover, or deferred to a due date."""

    __tablename__ = "handover_tasks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    handover_id: Mapped[int] = mapped_column(ForeignKey("handovers.id", ondelete="CASCADE"))
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    step: Mapped[str] = mapped_column(String(30))
    state: Mapped[str] = mapped_column(String(20))
    due_on: Mapped[date | None] = mapped_column(Date)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    done_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))

    __table_args__ = (
        Index("ix_handover_tasks_handover_id", "handover_id"),
        Index("ix_handover_tasks_state_due_on", "state", "due_on"),
    )
