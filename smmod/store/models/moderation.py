"""Moderation (R8–R10): actions on queue items, incidents for SLT, and screening data.

Actions and incident evidence are append-only: a mistake is reversed by a new action
(``reopen``, pointing at the one it reverses), never by editing or deleting a row.
Evidence rows copy an item as it was at escalation, so the incident keeps it even when
the item is later deleted on the platform, edited or removed from the queue.

Screening rules, word lists and reply templates are data that schools edit, so they
live here too; the shipped defaults in ``resources/`` apply until someone edits them.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from smmod.store.base import Base, UTCDateTime, stamped_column

ACTION_KINDS = (
    "acknowledge",
    "reply",
    "hide",
    "delete",
    "block",
    "mute",
    "report_to_platform",
    "escalate",
    "resolve",
    "reopen",
)
INCIDENT_STATUSES = ("open", "closed")
INCIDENT_CATEGORIES = (
    "bullying",
    "harassment",
    "defamation",
    "discrimination",
    "threat_of_violence",
    "data_protection_breach",
    "copyright",
    "safeguarding",
    "other",
)
SEVERITIES = ("low", "medium", "high", "critical")
TEMPLATE_KINDS = ("reply", "notice")


class Action(Base):
    """One thing a moderator did (or recorded doing on the platform) to an item."""

    __tablename__ = "actions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("queue_items.id"))
    actor_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    kind: Mapped[str] = mapped_column(String(30))
    reason: Mapped[str | None] = mapped_column(Text)
    audience_notice: Mapped[str | None] = mapped_column(Text)
    reply_text: Mapped[str | None] = mapped_column(Text)
    template: Mapped[str | None] = mapped_column(String(64))
    # Who carried it out on the platform: "manual" (the moderator, by hand) or a connector.
    performed_via: Mapped[str] = mapped_column(String(40), default="manual")
    platform_ref: Mapped[str | None] = mapped_column(String(2000))
    reverses_id: Mapped[int | None] = mapped_column(ForeignKey("actions.id"))
    incident_id: Mapped[int | None] = mapped_column(ForeignKey("incidents.id"))
    at: Mapped[datetime] = stamped_column()

    __table_args__ = (
        Index("ix_actions_item_id", "item_id", "at"),
        # Blocked authors are found from the (few) block actions.
        Index("ix_actions_kind", "kind", "item_id"),
        Index("ix_actions_incident_id", "incident_id"),
        Index("ix_actions_reverses_id", "reverses_id"),
    )


class Incident(Base):
    """An investigation led by SLT (R9), built from one or more escalated items."""

    __tablename__ = "incidents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(40))
    severity: Mapped[str] = mapped_column(String(20))
    police_advised: Mapped[bool] = mapped_column(Boolean, default=False)
    # What screening suggested at escalation (R9); a person decides police_advised.
    police_suggested: Mapped[bool] = mapped_column(Boolean, default=False)
    external_agencies: Mapped[str] = mapped_column(Text, default="")
    lead_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    status: Mapped[str] = mapped_column(String(10), default="open")
    outcome: Mapped[str | None] = mapped_column(Text)
    opened_at: Mapped[datetime] = stamped_column()
    opened_by: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    updated_at: Mapped[datetime] = stamped_column(on_update=True)
    version_id: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": version_id}
    __table_args__ = (
        Index("ix_incidents_status", "status", "opened_at"),
        Index("ix_incidents_lead_id", "lead_id"),
        Index("ix_incidents_category", "category"),
    )


class IncidentEvidence(Base):
    """An escalated item exactly as it was at escalation: never updated afterwards."""

    __tablename__ = "incident_evidence"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"))
    # SET NULL: the snapshot outlives the queue row.
    item_id: Mapped[int | None] = mapped_column(ForeignKey("queue_items.id", ondelete="SET NULL"))
    added_at: Mapped[datetime] = stamped_column()
    added_by: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    account_label: Mapped[str] = mapped_column(String(300))
    platform: Mapped[str] = mapped_column(String(30))
    platform_item_id: Mapped[str | None] = mapped_column(String(2000))
    url: Mapped[str | None] = mapped_column(String(2000))
    author_name: Mapped[str] = mapped_column(String(2000))
    author_handle: Mapped[str | None] = mapped_column(String(2000))
    author_kind: Mapped[str] = mapped_column(String(20))
    item_kind: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    imported_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    first_response_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    flags: Mapped[str] = mapped_column(Text, default="[]")  # JSON list
    screening: Mapped[str] = mapped_column(Text, default="[]")  # JSON: what matched, by rule

    __table_args__ = (
        UniqueConstraint("incident_id", "item_id"),
        Index("ix_incident_evidence_item_id", "item_id"),
    )


class IncidentNote(Base):
    __tablename__ = "incident_notes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"))
    author_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    at: Mapped[datetime] = stamped_column()
    text: Mapped[str] = mapped_column(Text)

    __table_args__ = (Index("ix_incident_notes_incident_id", "incident_id", "at"),)


class ScreeningRule(Base):
    """One screening rule; ``body`` is its JSON form (``smmod.screening.Rule.to_dict``)."""

    __tablename__ = "screening_rules"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    rule_id: Mapped[str] = mapped_column(String(64), unique=True)
    position: Mapped[int] = mapped_column(Integer)
    body: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = stamped_column(on_update=True)
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    version_id: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": version_id}


class ScreeningWordList(Base):
    """A school's version of a word list; it replaces the shipped list of the same name."""

    __tablename__ = "screening_wordlists"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    body: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = stamped_column(on_update=True)
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    version_id: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": version_id}


class ScreeningMatch(Base):
    """Why a rule fired on an item: the words or spans it matched, and its effects."""

    __tablename__ = "screening_matches"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("queue_items.id", ondelete="CASCADE"))
    rule_id: Mapped[str] = mapped_column(String(64))
    rule_name: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(Integer, default=0)
    flag: Mapped[str | None] = mapped_column(String(40))
    matched: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of the text as written
    spans: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of [start, end]
    suggest: Mapped[str] = mapped_column(Text, default="[]")  # JSON list: "action[:template]"
    priority: Mapped[int | None] = mapped_column(Integer)
    screened_at: Mapped[datetime] = stamped_column()

    __table_args__ = (
        Index("ix_screening_matches_item_id", "item_id"),
        Index("ix_screening_matches_rule_id", "rule_id"),
    )


class ScreeningOverride(Base):
    """A moderator said a rule's flag on an item was wrong; counted per rule."""

    __tablename__ = "screening_overrides"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("queue_items.id", ondelete="CASCADE"))
    rule_id: Mapped[str] = mapped_column(String(64))
    flag: Mapped[str] = mapped_column(String(40))
    reason: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = stamped_column()
    by: Mapped[int] = mapped_column(ForeignKey("staff.id"))

    __table_args__ = (
        UniqueConstraint("item_id", "rule_id", "flag"),
        Index("ix_screening_overrides_rule_id", "rule_id"),
    )


class ReplyTemplate(Base):
    """A school's version of a reply or audience-notice template (shipped ones in resources)."""

    __tablename__ = "moderation_templates"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = stamped_column(on_update=True)
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    version_id: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": version_id}


class ModerationMeta(Base):
    """Small facts, e.g. that the default screening rules were put in once."""

    __tablename__ = "moderation_meta"

    key: Mapped[str] = mapped_column(String(50), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
