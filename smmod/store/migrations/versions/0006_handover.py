"""handover: saved handovers (R6), what each did to an account, and closure steps.

Only new tables, so nothing existing is rebuilt or touched.

Revision ID: 0006
Revises: 0005
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import smmod.store.base

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "handovers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("leaving_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("plan", sa.Text(), nullable=False),
        sa.Column("basis", sa.Text(), nullable=False),
        sa.Column("started_by", sa.Integer(), nullable=True),
        sa.Column("started_at", smmod.store.base.UTCDateTime(), nullable=False),
        sa.Column("updated_by", sa.Integer(), nullable=True),
        sa.Column("updated_at", smmod.store.base.UTCDateTime(), nullable=False),
        sa.Column("applied_by", sa.Integer(), nullable=True),
        sa.Column("applied_at", smmod.store.base.UTCDateTime(), nullable=True),
        sa.Column("discarded_by", sa.Integer(), nullable=True),
        sa.Column("discarded_at", smmod.store.base.UTCDateTime(), nullable=True),
        sa.Column("override_by", sa.Integer(), nullable=True),
        sa.Column("override_reason", sa.Text(), nullable=True),
        sa.Column("record_html", sa.Text(), nullable=True),
        sa.Column("record_file", sa.String(length=300), nullable=True),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["applied_by"], ["staff.id"], name=op.f("fk_handovers_applied_by_staff")),
        sa.ForeignKeyConstraint(["discarded_by"], ["staff.id"], name=op.f("fk_handovers_discarded_by_staff")),
        sa.ForeignKeyConstraint(["override_by"], ["staff.id"], name=op.f("fk_handovers_override_by_staff")),
        sa.ForeignKeyConstraint(["staff_id"], ["staff.id"], name=op.f("fk_handovers_staff_id_staff")),
        sa.ForeignKeyConstraint(["started_by"], ["staff.id"], name=op.f("fk_handovers_started_by_staff")),
        sa.ForeignKeyConstraint(["updated_by"], ["staff.id"], name=op.f("fk_handovers_updated_by_staff")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_handovers")),
    )
    with op.batch_alter_table("handovers", schema=None) as batch_op:
        batch_op.create_index("ix_handovers_staff_id_status", ["staff_id", "status"], unique=False)

    op.create_table(
        "handover_accounts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("handover_id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"], name=op.f("fk_handover_accounts_account_id_accounts")),
        sa.ForeignKeyConstraint(["handover_id"], ["handovers.id"], name=op.f("fk_handover_accounts_handover_id_handovers"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_handover_accounts")),
    )
    with op.batch_alter_table("handover_accounts", schema=None) as batch_op:
        batch_op.create_index("ix_handover_accounts_account_id", ["account_id"], unique=False)
        batch_op.create_index("ix_handover_accounts_handover_id", ["handover_id"], unique=False)

    op.create_table(
        "handover_tasks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("handover_id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("step", sa.String(length=30), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("done_at", smmod.store.base.UTCDateTime(), nullable=True),
        sa.Column("done_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"], name=op.f("fk_handover_tasks_account_id_accounts")),
        sa.ForeignKeyConstraint(["done_by"], ["staff.id"], name=op.f("fk_handover_tasks_done_by_staff")),
        sa.ForeignKeyConstraint(["handover_id"], ["handovers.id"], name=op.f("fk_handover_tasks_handover_id_handovers"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_handover_tasks")),
    )
    with op.batch_alter_table("handover_tasks", schema=None) as batch_op:
        batch_op.create_index("ix_handover_tasks_handover_id", ["handover_id"], unique=False)
        batch_op.create_index("ix_handover_tasks_state_due_on", ["state", "due_on"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("handover_tasks", schema=None) as batch_op:
        batch_op.drop_index("ix_handover_tasks_state_due_on")
        batch_op.drop_index("ix_handover_tasks_handover_id")
    op.drop_table("handover_tasks")
    with op.batch_alter_table("handover_accounts", schema=None) as batch_op:
        batch_op.drop_index("ix_handover_accounts_handover_id")
        batch_op.drop_index("ix_handover_accounts_account_id")
    op.drop_table("handover_accounts")
    with op.batch_alter_table("handovers", schema=None) as batch_op:
        batch_op.drop_index("ix_handovers_staff_id_status")
    op.drop_table("handovers")
