"""Signed audit entries (issue 15): each entry's key id and signature (and, on the entry
that registers a key, the public key), and the table of the people's public keys.

Plain ``ADD COLUMN`` (no batch rebuild), so the append-only triggers on
``audit_entries`` stay as they are; existing entries keep empty signatures (legacy).

Revision ID: 0016
Revises: 0015
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from smmod.store.base import UTCDateTime

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("audit_entries", sa.Column("key_id", sa.String(length=32), nullable=True))
    op.add_column("audit_entries", sa.Column("signature", sa.String(length=100), nullable=True))
    op.add_column("audit_entries", sa.Column("public_key", sa.String(length=64), nullable=True))
    op.create_table(
        "audit_actor_keys",
        sa.Column("key_id", sa.String(length=32), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("public_key", sa.String(length=64), nullable=False),
        sa.Column("registered_entry", sa.Integer(), nullable=False),
        sa.Column("registered_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("key_id", name=op.f("pk_audit_actor_keys")),
    )
    op.create_index(op.f("ix_audit_actor_keys_actor"), "audit_actor_keys", ["actor"],
                    unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_audit_actor_keys_actor"), table_name="audit_actor_keys")
    op.drop_table("audit_actor_keys")
    with op.batch_alter_table("audit_entries", recreate="never") as batch_op:
        batch_op.drop_column("public_key")
        batch_op.drop_column("signature")
        batch_op.drop_column("key_id")
