"""History the reports need that no other table keeps.

``AccountCheck`` is one row per account, person and local day on which that person
looked at the account's queue (R13): ``accounts.last_checked_at`` only says when it was
last looked at, which cannot show how regular the checking was. ``RetroFinding`` keeps
what re-checking the export log found when a pupil was added to the do-not-publish
register (R11), as kinds and ids only: never the pupil's name.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from smmod.store.base import Base, UTCDateTime, stamped_column

RETRO_KINDS = ("named", "faces")  # a name in the file name or caption; faces to look at again


class AccountCheck(Base):
    __tablename__ = "account_checks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    on_day: Mapped[date] = mapped_column(Date)  # the school's local date
    first_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_at: Mapped[datetime] = mapped_column(UTCDateTime)
    times: Mapped[int] = mapped_column(Integer, default=1)

    __table_args__ = (
        UniqueConstraint("account_id", "staff_id", "on_day"),
        Index("ix_account_checks_on_day", "on_day", "account_id"),
    )


class RetroFinding(Base):
    __tablename__ = "image_retro_findings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pupil_id: Mapped[int] = mapped_column(ForeignKey("pupils.id", ondelete="CASCADE"))
    export_id: Mapped[int] = mapped_column(ForeignKey("image_exports.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(10))
    found_at: Mapped[datetime] = stamped_column()

    __table_args__ = (
        UniqueConstraint("pupil_id", "export_id"),
        Index("ix_image_retro_findings_found_at", "found_at"),
    )
