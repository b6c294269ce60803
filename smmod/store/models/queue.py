"""The moderation queue: items to answer (R7), alert feeds (R14) and their bookkeeping.

Actions taken on an item (acknowledge, reply, hide…) live in their own table, added by
the moderation feature; they reach the item through ``QueueItem.id`` and stop its clock
through ``first_response_at``.

Item text is also indexed by an SQLite FTS5 table (``FTS_TABLE``) kept up to date by
triggers. It is created by the migration, not by the metadata, because it only exists
on SQLite; ``is_fts_table`` lets schema comparisons ignore it and its shadow tables.
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
from sqlalchemy import text as sql_text  # the model has a column called "text"
from sqlalchemy.orm import Mapped, mapped_column

from smmod.store.base import Base, UTCDateTime, stamped_column

ITEM_KINDS = ("comment", "reply", "message", "mention", "review")
AUTHOR_KINDS = ("parent", "student", "staff", "public", "unknown")
# "new" until the first response; the moderation feature moves items on from there:
# answered, hidden or deleted on the platform, its author blocked (R8), escalated to an
# incident (R9), or resolved.
ITEM_STATUSES = ("new", "responded", "hidden", "deleted", "blocked", "escalated", "resolved")
ITEM_SOURCES = ("csv", "graph-json", "feed", "manual")

FTS_TABLE = "queue_items_fts"
# Items whose response clock is still running. Spelt out once: the partial index below
# is only used by queries whose WHERE clause contains exactly these terms.
AWAITING_SQL = "first_response_at IS NULL AND status != 'resolved'"
# The priority order (``smmod.queue.triage``): the danger group while the item still needs
# someone (0 threats and police advised, 1 discriminatory, 2 pupils' personal data, 3 the
# rest), plus HANDLED once it does not. Kept up to date by ``smmod.queue.triage``.
TRIAGE_OTHER = 3
TRIAGE_HANDLED = 4
# Replies whose parent is not (yet) in the queue: few, and looked for after each import.
ORPHAN_SQL = "parent_id IS NULL AND parent_platform_id IS NOT NULL"


def is_fts_table(name: str | None) -> bool:
    """True for the FTS5 table and the shadow tables SQLite creates beside it.

    For Alembic's ``include_name`` hook: these tables are made by raw DDL in the
    migration, so the metadata never lists them and ``alembic check`` must skip them.
    """
    return bool(name) and (name == FTS_TABLE or str(name).startswith(f"{FTS_TABLE}_"))


class QueueItem(Base):
    """One comment, message, mention or review waiting for (or given) a response."""

    __tablename__ = "queue_items"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    source: Mapped[str] = mapped_column(String(20))
    source_ref: Mapped[str] = mapped_column(String(300), default="")  # file or feed name
    feed_id: Mapped[int | None] = mapped_column(ForeignKey("queue_feeds.id", ondelete="SET NULL"))
    platform_item_id: Mapped[str | None] = mapped_column(String(2000))
    parent_platform_id: Mapped[str | None] = mapped_column(String(2000))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("queue_items.id", ondelete="SET NULL"))
    author_name: Mapped[str] = mapped_column(String(2000))
    author_handle: Mapped[str | None] = mapped_column(String(2000))
    author_kind: Mapped[str] = mapped_column(String(20), default="unknown")
    text: Mapped[str] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(String(2000))
    # SHA-256 of author, text and time: identity for items that have no platform id.
    content_hash: Mapped[str] = mapped_column(String(64))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    kind: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default="new")
    priority: Mapped[int] = mapped_column(Integer, default=0)
    triage: Mapped[int] = mapped_column(
        Integer, default=TRIAGE_OTHER, server_default=sql_text(str(TRIAGE_OTHER))
    )
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    first_response_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    first_response_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    claimed_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    imported_at: Mapped[datetime] = stamped_column()
    imported_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    # Bumped by every change, so an open view can notice new or changed items cheaply.
    updated_at: Mapped[datetime] = stamped_column(on_update=True)
    version_id: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": version_id}
    __table_args__ = (
        # Re-importing is harmless: one row per platform id in an account (NULLs differ).
        UniqueConstraint("account_id", "platform_item_id"),
        Index("ix_queue_items_account_hash", "account_id", "content_hash"),
        # The triage view sorts by due time, alone or within one status or account.
        Index("ix_queue_items_due_at", "due_at"),
        # "Needs a response" and "overdue", by due time, without touching the table.
        Index(
            "ix_queue_items_awaiting_due",
            "due_at",
            sqlite_where=sql_text(AWAITING_SQL),
            postgresql_where=sql_text(AWAITING_SQL),
        ),
        Index("ix_queue_items_status_due", "status", "due_at"),
        # The priority order, on its own and within "needs a response".
        Index("ix_queue_items_triage_due", "triage", "due_at"),
        Index(
            "ix_queue_items_awaiting_triage",
            "triage",
            "due_at",
            sqlite_where=sql_text(AWAITING_SQL),
            postgresql_where=sql_text(AWAITING_SQL),
        ),
        Index("ix_queue_items_account_due", "account_id", "due_at"),
        Index("ix_queue_items_claimed_by", "claimed_by"),
        Index("ix_queue_items_parent_id", "parent_id"),
        Index(
            "ix_queue_items_orphans",
            "account_id",
            "parent_platform_id",
            sqlite_where=sql_text(ORPHAN_SQL),
            postgresql_where=sql_text(ORPHAN_SQL),
        ),
        Index("ix_queue_items_updated_at", "updated_at"),
        # Reports count what arrived in a period (R7).
        Index("ix_queue_items_received_at", "received_at"),
    )


class QueueItemFlag(Base):
    """A label on an item (set by a person or a screening rule), e.g. ``offensive``."""

    __tablename__ = "queue_item_flags"

    item_id: Mapped[int] = mapped_column(ForeignKey("queue_items.id", ondelete="CASCADE"), primary_key=True)
    flag: Mapped[str] = mapped_column(String(40), primary_key=True)
    source: Mapped[str] = mapped_column(String(100), default="manual")  # "manual", "rule:…"
    set_at: Mapped[datetime] = stamped_column()
    set_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))

    __table_args__ = (Index("ix_queue_item_flags_flag", "flag", "item_id"),)


class QueueFeed(Base):
    """An RSS or Atom alert feed whose entries become ``mention`` items (R14)."""

    __tablename__ = "queue_feeds"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    name: Mapped[str] = mapped_column(String(200))
    url: Mapped[str] = mapped_column(String(2000))
    interval_minutes: Mapped[int] = mapped_column(Integer, default=60)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = stamped_column()
    created_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    last_polled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_ok_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    last_new_count: Mapped[int] = mapped_column(Integer, default=0)
    # The entries the last read left out, with why: a JSON list of messages.
    last_skipped: Mapped[str | None] = mapped_column(Text)
    # HTTP validators of the last good read, sent back so an unchanged feed costs a 304.
    etag: Mapped[str | None] = mapped_column(String(500))
    last_modified: Mapped[str | None] = mapped_column(String(500))
    version_id: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": version_id}
    __table_args__ = (Index("ix_queue_feeds_account_id", "account_id"),)


class QueueFeedSeen(Base):
    """An entry a feed has already delivered, so polling never brings it back."""

    __tablename__ = "queue_feed_seen"

    feed_id: Mapped[int] = mapped_column(ForeignKey("queue_feeds.id", ondelete="CASCADE"), primary_key=True)
    entry_key: Mapped[str] = mapped_column(String(64), primary_key=True)  # SHA-256 hex
    seen_at: Mapped[datetime] = stamped_column()


class QueueCsvMapping(Base):
    """The column mapping a person confirmed for one shape of CSV export."""

    __tablename__ = "queue_csv_mappings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    header_key: Mapped[str] = mapped_column(String(64), unique=True)  # SHA-256 of the headers
    headers: Mapped[str] = mapped_column(Text)  # JSON list, for display
    mapping: Mapped[str] = mapped_column(Text)  # JSON object: field -> column header
    updated_at: Mapped[datetime] = stamped_column(on_update=True)


class QueueMeta(Base):
    """Small facts about the queue as a whole, e.g. the calendar the due times use."""

    __tablename__ = "queue_meta"

    key: Mapped[str] = mapped_column(String(50), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
