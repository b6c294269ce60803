"""post publishing: what the platform said, the idempotency key, take-downs and deletion

A post published through a connector keeps, per account, the platform's own id for it,
the idempotency key every attempt carries (so a retry never posts twice), the reason the
last attempt failed, and when it was taken down. A deleted draft keeps the status it had
(``deleted_from``) so that deleting it can be undone.

Revision ID: 0020
Revises: 0019
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import smmod.store.base

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("post_accounts") as batch:
        batch.add_column(sa.Column("platform_post_id", sa.String(length=200), nullable=True))
        batch.add_column(sa.Column("publish_key", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("publish_error", sa.Text(), nullable=True))
        batch.add_column(sa.Column("publish_tried_at", smmod.store.base.UTCDateTime(), nullable=True))
        batch.add_column(sa.Column("publish_uncertain", sa.Boolean(), nullable=False,
                                   server_default=sa.false()))
        batch.add_column(sa.Column("taken_down_at", smmod.store.base.UTCDateTime(), nullable=True))
        batch.add_column(sa.Column("taken_down_by", sa.Integer(), nullable=True))
        batch.create_foreign_key("fk_post_accounts_taken_down_by", "staff", ["taken_down_by"], ["id"])
    with op.batch_alter_table("posts") as batch:
        batch.add_column(sa.Column("deleted_from", sa.String(length=20), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("posts") as batch:
        batch.drop_column("deleted_from")
    with op.batch_alter_table("post_accounts") as batch:
        batch.drop_constraint("fk_post_accounts_taken_down_by", type_="foreignkey")
        batch.drop_column("taken_down_by")
        batch.drop_column("taken_down_at")
        batch.drop_column("publish_uncertain")
        batch.drop_column("publish_tried_at")
        batch.drop_column("publish_error")
        batch.drop_column("publish_key")
        batch.drop_column("platform_post_id")
