"""outbox and connectors: connected accounts and the outbox of platform actions (issue 16).

Only new tables, so nothing existing is rebuilt or touched.


Revision ID: 0008
Revises: 0007
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import smmod.store.base

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "connections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(length=20), nullable=False),
        sa.Column("api_base", sa.String(length=500), nullable=False),
        sa.Column("token_key", sa.String(length=100), nullable=False),
        sa.Column("client_id", sa.String(length=200), nullable=True),
        sa.Column("client_secret_key", sa.String(length=100), nullable=True),
        sa.Column("scopes", sa.String(length=500), nullable=False),
        sa.Column("cursor", sa.String(length=200), nullable=True),
        sa.Column("connected_at", smmod.store.base.UTCDateTime(), nullable=False),
        sa.Column("connected_by", sa.Integer(), nullable=True),
        sa.Column("last_sync_at", smmod.store.base.UTCDateTime(), nullable=True),
        sa.Column("last_ok_at", smmod.store.base.UTCDateTime(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("last_new_count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_connections_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["connected_by"], ["staff.id"], name=op.f("fk_connections_connected_by_staff")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_connections")),
        sa.UniqueConstraint("account_id", name=op.f("uq_connections_account_id")),
        sa.UniqueConstraint("token_key", name=op.f("uq_connections_token_key")),
    )
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("audience_notice", sa.Text(), nullable=True),
        sa.Column("reply_text", sa.Text(), nullable=True),
        sa.Column("template", sa.String(length=64), nullable=True),
        sa.Column("idempotency_key", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("progress", sa.Text(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("maybe_sent", sa.Boolean(), nullable=False),
        sa.Column("next_attempt_at", smmod.store.base.UTCDateTime(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("platform_ref", sa.String(length=2000), nullable=True),
        sa.Column("action_id", sa.Integer(), nullable=True),
        sa.Column("created_at", smmod.store.base.UTCDateTime(), nullable=False),
        sa.Column("updated_at", smmod.store.base.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"], name=op.f("fk_outbox_account_id_accounts")),
        sa.ForeignKeyConstraint(["action_id"], ["actions.id"], name=op.f("fk_outbox_action_id_actions")),
        sa.ForeignKeyConstraint(["actor_id"], ["staff.id"], name=op.f("fk_outbox_actor_id_staff")),
        sa.ForeignKeyConstraint(["item_id"], ["queue_items.id"], name=op.f("fk_outbox_item_id_queue_items")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox")),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_outbox_idempotency_key")),
    )
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.create_index("ix_outbox_item_id", ["item_id"], unique=False)
        batch_op.create_index("ix_outbox_status_next", ["status", "next_attempt_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_status_next")
        batch_op.drop_index("ix_outbox_item_id")

    op.drop_table("outbox")
    op.drop_table("connections")
