"""accounts: the approval workflow's who-and-when columns, and who created a credential.

Every change here only adds nullable columns, on purpose. On SQLite, batch mode would
rebuild ``accounts`` by copying it and dropping the original, and with foreign keys on
(they always are in smmod) dropping it cascades to ``account_roles`` and
``credentials``: every role and every credential's metadata would be deleted. SQLite's
own ``ALTER TABLE ... ADD COLUMN`` keeps the table, and accepts a named foreign key as
long as the column defaults to NULL, so that is what runs on SQLite.

Revision ID: 0002
Revises: 0001
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

import smmod.store.base

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (table, column) -> referenced staff id
STAFF_COLUMNS = (
    ("accounts", "created_by"),
    ("accounts", "activated_by"),
    ("accounts", "attested_by"),
    ("accounts", "closed_by"),
    ("credentials", "created_by"),
)
PLAIN_COLUMNS: tuple[tuple[str, sa.Column[Any]], ...] = (
    ("accounts", sa.Column("visibility", sa.String(length=10), nullable=True)),
    ("accounts", sa.Column("submitted_at", smmod.store.base.UTCDateTime(), nullable=True)),
    ("accounts", sa.Column("activated_at", smmod.store.base.UTCDateTime(), nullable=True)),
    ("accounts", sa.Column("platform_created_on", sa.Date(), nullable=True)),
    ("accounts", sa.Column("attested_at", smmod.store.base.UTCDateTime(), nullable=True)),
    ("accounts", sa.Column("attestation", sa.Text(), nullable=True)),
    ("accounts", sa.Column("closed_at", smmod.store.base.UTCDateTime(), nullable=True)),
    ("accounts", sa.Column("closed_reason", sa.Text(), nullable=True)),
)


def _fk_name(table: str, column: str) -> str:
    return f"fk_{table}_{column}_staff"


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for table, column in PLAIN_COLUMNS:
        op.add_column(table, column)
    for table, name in STAFF_COLUMNS:
        if sqlite:
            op.execute(
                f"ALTER TABLE {table} ADD COLUMN {name} INTEGER "
                f"CONSTRAINT {_fk_name(table, name)} REFERENCES staff (id)"
            )
        else:
            op.add_column(table, sa.Column(name, sa.Integer(), nullable=True))
            op.create_foreign_key(_fk_name(table, name), table, "staff", [name], ["id"])
    # Accounts drafted before this revision said open or private only through is_private.
    op.execute(
        "UPDATE accounts SET visibility = CASE WHEN is_private THEN 'private' ELSE 'open' END"
    )


def downgrade() -> None:
    # SQLite 3.35+ drops a column in place (no table rebuild, so no cascade), provided no
    # index or constraint other than the column's own foreign key names it.
    sqlite = op.get_bind().dialect.name == "sqlite"
    for table, name in reversed(STAFF_COLUMNS):
        if sqlite:
            op.execute(f"ALTER TABLE {table} DROP COLUMN {name}")
        else:
            op.drop_constraint(_fk_name(table, name), table, type_="foreignkey")
            op.drop_column(table, name)
    for table, column in reversed(PLAIN_COLUMNS):
        op.drop_column(table, column.name)
