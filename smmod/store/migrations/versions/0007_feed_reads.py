"""feed reads: conditional GET validators and the entries the last read left out.

Three nullable columns on queue_feeds (ETag, Last-Modified, the skipped entries), added
in place: no table is rebuilt and the queue's FTS triggers are untouched.

Revision ID: 0007
Revises: 0006
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("queue_feeds", schema=None) as batch_op:
        batch_op.add_column(sa.Column("last_skipped", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("etag", sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column("last_modified", sa.String(length=500), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("queue_feeds", schema=None) as batch_op:
        batch_op.drop_column("last_modified")
        batch_op.drop_column("etag")
        batch_op.drop_column("last_skipped")
