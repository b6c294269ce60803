"""Live platform connectors: which accounts are connected, and the outbox of actions.

A connection holds where the platform's API is and how far the last sync got; its
token is in the OS keyring, found by the opaque ``token_key`` (principle 1). The outbox
keeps every action a moderator asked a connector to do until the platform confirms
it, so a failure (no network, 429, 5xx) loses nothing and a retry never does it twice.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from smmod.store.base import Base, UTCDateTime, stamped_column

OUTBOX_STATUSES = ("pending", "sending", "done", "failed", "cancelled")


class Connection(Base):
    """One account connected to its platform's API (at most one per account)."""

    __tablename__ = "connections"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), unique=True)
    platform: Mapped[str] = mapped_column(String(20))
    api_base: Mapped[str] = mapped_column(String(500))
    # Opaque keyring keys (``cred-<hex>``): the token, and the OAuth client's secret.
    token_key: Mapped[str] = mapped_column(String(100), unique=True)
    client_id: Mapped[str | None] = mapped_column(String(200))
    client_secret_key: Mapped[str | None] = mapped_column(String(100))
    scopes: Mapped[str] = mapped_column(String(500), default="")
    # YouTube: the refresh token's keyring key; the access token's expiry (Graph: shown).
    refresh_token_key: Mapped[str | None] = mapped_column(String(100))
    token_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The channel, Page or Instagram account id the token acts for.
    platform_account_id: Mapped[str | None] = mapped_column(String(100))
    # How far sync has read (Mastodon: the newest notification id seen).
    cursor: Mapped[str | None] = mapped_column(String(200))
    connected_at: Mapped[datetime] = stamped_column()
    connected_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    last_sync_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_ok_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    last_new_count: Mapped[int] = mapped_column(Integer, default=0)


class OutboxEntry(Base):
    """An action to carry out on the platform, kept until the platform confirms it.

    ``idempotency_key`` goes with every attempt, so the platform (and the connector's
    check before a retry) can tell a repeat from a new request. ``progress`` records the
    steps already confirmed (e.g. the audience notice of a block), as JSON.
    """

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("queue_items.id"))
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    actor_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    kind: Mapped[str] = mapped_column(String(30))
    reason: Mapped[str | None] = mapped_column(Text)
    audience_notice: Mapped[str | None] = mapped_column(Text)
    reply_text: Mapped[str | None] = mapped_column(Text)
    template: Mapped[str | None] = mapped_column(String(64))
    idempotency_key: Mapped[str] = mapped_column(String(64), unique=True)
    status: Mapped[str] = mapped_column(String(20), default="pending")
    progress: Mapped[str] = mapped_column(Text, default="{}")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    # True once an attempt may have reached the platform: a retry checks first.
    maybe_sent: Mapped[bool] = mapped_column(default=False)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    platform_ref: Mapped[str | None] = mapped_column(String(2000))
    action_id: Mapped[int | None] = mapped_column(ForeignKey("actions.id"))
    created_at: Mapped[datetime] = stamped_column()
    updated_at: Mapped[datetime] = stamped_column(on_update=True)

    __table_args__ = (
        Index("ix_outbox_status_next", "status", "next_attempt_at"),
        Index("ix_outbox_item_id", "item_id"),
    )


PHOTO_STATUSES = ("checked", "skipped")


class CommentPhoto(Base):
    """A photo attached to a comment that came in through a connector, and what became of it.

    ``checked``: downloaded into the data folder (``file``, readable by its owner only)
    and run through the image checker (``image_check_id``, ``faces``). ``skipped``: not
    downloaded or not an image; ``note`` says why, for the moderator.
    """

    __tablename__ = "comment_photos"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("queue_items.id", ondelete="CASCADE"))
    media_ref: Mapped[str] = mapped_column(String(100))  # the platform's id for the attachment
    url: Mapped[str] = mapped_column(String(2000))
    status: Mapped[str] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(String(500))
    file: Mapped[str | None] = mapped_column(String(1000))
    image_check_id: Mapped[int | None] = mapped_column(ForeignKey("image_checks.id", ondelete="SET NULL"))
    faces: Mapped[int | None] = mapped_column(Integer)
    fetched_at: Mapped[datetime] = stamped_column()

    __table_args__ = (Index("ix_comment_photos_item", "item_id"),)
