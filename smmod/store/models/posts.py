"""Posts the school prepares, checks, has signed off and publishes (issue 19).

A post is written for one or more accounts; each image keeps the image check it was
judged by and, once exported for publishing, the export (so the retro-check can name the
posts to take down when a pupil is added to the do-not-publish register). The address
each platform gave the post is recorded per account.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column

from smmod.store.base import Base, UTCDateTime, stamped_column

POST_STATUSES = ("draft", "awaiting_signoff", "refused", "ready", "exported", "published",
                 "taken_down", "deleted")


class Post(Base):
    __tablename__ = "posts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    text: Mapped[str] = mapped_column(Text, default="")
    author_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    status: Mapped[str] = mapped_column(String(20), default="draft")
    controversial: Mapped[bool] = mapped_column(Boolean, default=False)  # said by the author
    suggested: Mapped[bool] = mapped_column(Boolean, default=False)  # said by the checks
    checklist: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of ticked keys
    verdict: Mapped[str] = mapped_column(String(10), default="review")
    reasons: Mapped[str] = mapped_column(Text, default="[]")  # JSON, the last check's reasons
    content_hash: Mapped[str] = mapped_column(String(64), default="")
    # Sign-off (or refusal) by SLT, for exactly the content whose hash it names.
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decision: Mapped[str | None] = mapped_column(String(10))  # signed_off | refused
    decision_reason: Mapped[str | None] = mapped_column(Text)
    decision_hash: Mapped[str | None] = mapped_column(String(64))
    export_dir: Mapped[str | None] = mapped_column(Text)
    exported_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = stamped_column()
    updated_at: Mapped[datetime] = stamped_column(on_update=True)
    version_id: Mapped[int] = mapped_column(Integer, nullable=False)
    deleted_from: Mapped[str | None] = mapped_column(String(20))  # the status before deleting

    __mapper_args__ = {"version_id_col": version_id}
    __table_args__ = (Index("ix_posts_status", "status"),)


class PostAccount(Base):
    __tablename__ = "post_accounts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    url: Mapped[str | None] = mapped_column(Text)  # the address the platform gave the post
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    recorded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Published through a connector: the platform's id for the post, and the key every
    # attempt carries so that a retry never posts twice.
    platform_post_id: Mapped[str | None] = mapped_column(String(200))
    publish_key: Mapped[str | None] = mapped_column(String(64))
    publish_error: Mapped[str | None] = mapped_column(Text)  # why the last attempt failed
    publish_tried_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # the first attempt
    # the last attempt may have reached the platform although it did not confirm
    publish_uncertain: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    taken_down_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    taken_down_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))

    __table_args__ = (UniqueConstraint("post_id", "account_id"),)


class PostImage(Base):
    __tablename__ = "post_images"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer, default=0)
    path: Mapped[str] = mapped_column(Text)
    not_ours: Mapped[bool] = mapped_column(Boolean, default=False)  # needs a credit (copyright)
    pixelate: Mapped[bool] = mapped_column(Boolean, default=False)  # export with faces pixelated
    check_id: Mapped[int | None] = mapped_column(ForeignKey("image_checks.id"))
    export_id: Mapped[int | None] = mapped_column(ForeignKey("image_exports.id"))
    export_sha256: Mapped[str | None] = mapped_column(String(64))

    __table_args__ = (Index("ix_post_images_post_id", "post_id"),
                      Index("ix_post_images_export_id", "export_id"))
