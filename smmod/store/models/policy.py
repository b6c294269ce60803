"""School policy settings: one row per setting that differs from its default."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from smmod.store.base import Base, UTCDateTime


class PolicySetting(Base):
    """A school policy value (the deadline rules, training expiry, the image checker...).

    ``value`` is the JSON of the typed value; who changed it and when is also in the
    audit trail, with the value before.
    """

    __tablename__ = "policy_settings"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    changed_by: Mapped[str] = mapped_column(String(100))
