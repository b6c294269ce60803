"""reports: the history of queue checks (R13) and of retro-checks of exports (R11)

Two new tables and an index on ``queue_items.received_at`` (reports count what arrived
in a period). The last check of each account already recorded becomes its first row of
history, so the monitoring report does not start from nothing.

Revision ID: 0010
Revises: 0009
"""

from collections.abc import Sequence
from datetime import UTC
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op

import smmod.store.base

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHOOL_ZONE = ZoneInfo("Europe/London")

def upgrade() -> None:
    checks = op.create_table(
        "account_checks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.Column("on_day", sa.Date(), nullable=False),
        sa.Column("first_at", smmod.store.base.UTCDateTime(), nullable=False),
        sa.Column("last_at", smmod.store.base.UTCDateTime(), nullable=False),
        sa.Column("times", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"], name=op.f("fk_account_checks_account_id_accounts"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["staff_id"], ["staff.id"], name=op.f("fk_account_checks_staff_id_staff")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_account_checks")),
        sa.UniqueConstraint("account_id", "staff_id", "on_day", name=op.f("uq_account_checks_account_id")),
    )
    with op.batch_alter_table("account_checks", schema=None) as batch_op:
        batch_op.create_index("ix_account_checks_on_day", ["on_day", "account_id"], unique=False)

    op.create_table(
        "image_retro_findings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pupil_id", sa.Integer(), nullable=False),
        sa.Column("export_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("found_at", smmod.store.base.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["export_id"], ["image_exports.id"], name=op.f("fk_image_retro_findings_export_id_image_exports"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["pupil_id"], ["pupils.id"], name=op.f("fk_image_retro_findings_pupil_id_pupils"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_image_retro_findings")),
        sa.UniqueConstraint("pupil_id", "export_id", name=op.f("uq_image_retro_findings_pupil_id")),
    )
    with op.batch_alter_table("image_retro_findings", schema=None) as batch_op:
        batch_op.create_index("ix_image_retro_findings_found_at", ["found_at"], unique=False)

    # A plain CREATE INDEX: a batch rebuild of queue_items would drop its FTS triggers.
    op.create_index("ix_queue_items_received_at", "queue_items", ["received_at"], unique=False)

    accounts = sa.table("accounts", sa.column("id", sa.Integer()),
                        sa.column("last_checked_at", smmod.store.base.UTCDateTime()))
    bind = op.get_bind()
    rows = []
    for account_id, at in bind.execute(sa.select(accounts.c.id, accounts.c.last_checked_at)
                                       .where(accounts.c.last_checked_at.is_not(None))):
        at = at if at.tzinfo else at.replace(tzinfo=UTC)
        rows.append({"account_id": account_id, "staff_id": None,
                     "on_day": at.astimezone(SCHOOL_ZONE).date(), "first_at": at, "last_at": at,
                     "times": 1})
    if rows:
        op.bulk_insert(checks, rows)

def downgrade() -> None:
    op.drop_index("ix_queue_items_received_at", table_name="queue_items")
    with op.batch_alter_table("image_retro_findings", schema=None) as batch_op:
        batch_op.drop_index("ix_image_retro_findings_found_at")
    op.drop_table("image_retro_findings")
    with op.batch_alter_table("account_checks", schema=None) as batch_op:
        batch_op.drop_index("ix_account_checks_on_day")
    op.drop_table("account_checks")
