"""staff job titles: the school's edits to the table that maps MIS job titles to roles

One new table. The shipped defaults are in ``smmod.staff.titles``; a row here replaces
the default of the same key (a row with no roles takes a title out of the table).

Revision ID: 0011
Revises: 0010
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import smmod.store.base

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "staff_job_titles",
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("roles", sa.String(length=200), nullable=False),
        sa.Column("updated_at", smmod.store.base.UTCDateTime(), nullable=False),
        sa.Column("updated_by", sa.Integer(), nullable=True),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["updated_by"], ["staff.id"],
                                name=op.f("fk_staff_job_titles_updated_by_staff")),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_staff_job_titles")),
    )


def downgrade() -> None:
    op.drop_table("staff_job_titles")
