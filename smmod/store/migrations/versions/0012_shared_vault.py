"""shared vault: account passwords as ciphertext in the database, shared by administrators

Five new tables: the vault key's generations (wrapped only), each person's X25519 public
key, the wrapped keys, the sealed secrets, and the credentials flagged for rotation when
someone loses access. No plaintext secret is ever written to any of them.

Revision ID: 0012
Revises: 0011
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import smmod.store.base

revision: str = '0012'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('vault_keys',
    sa.Column('epoch', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('vault_id', sa.String(length=40), nullable=False),
    sa.Column('recovery_public', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', smmod.store.base.UTCDateTime(), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by'], ['staff.id'], name=op.f('fk_vault_keys_created_by_staff')),
    sa.PrimaryKeyConstraint('epoch', name=op.f('pk_vault_keys'))
    )
    op.create_table('vault_members',
    sa.Column('staff_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('public_key', sa.LargeBinary(), nullable=False),
    sa.Column('registered_at', smmod.store.base.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_vault_members_staff_id_staff')),
    sa.PrimaryKeyConstraint('staff_id', name=op.f('pk_vault_members'))
    )
    op.create_table('vault_secrets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_key', sa.String(length=200), nullable=False),
    sa.Column('slot', sa.String(length=20), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('epoch', sa.Integer(), nullable=False),
    sa.Column('nonce', sa.LargeBinary(), nullable=False),
    sa.Column('ciphertext', sa.LargeBinary(), nullable=False),
    sa.Column('written_at', smmod.store.base.UTCDateTime(), nullable=False),
    sa.Column('written_by', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['written_by'], ['staff.id'], name=op.f('fk_vault_secrets_written_by_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_vault_secrets')),
    sa.UniqueConstraint('item_key', 'slot', 'version', name=op.f('uq_vault_secrets_item_key'))
    )
    with op.batch_alter_table('vault_secrets', schema=None) as batch_op:
        batch_op.create_index('ix_vault_secrets_item_key', ['item_key'], unique=False)

    op.create_table('vault_wraps',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('epoch', sa.Integer(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=True),
    sa.Column('ephemeral_public', sa.LargeBinary(), nullable=False),
    sa.Column('nonce', sa.LargeBinary(), nullable=False),
    sa.Column('ciphertext', sa.LargeBinary(), nullable=False),
    sa.Column('granted_by', sa.Integer(), nullable=True),
    sa.Column('granted_at', smmod.store.base.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['epoch'], ['vault_keys.epoch'], name=op.f('fk_vault_wraps_epoch_vault_keys'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['granted_by'], ['staff.id'], name=op.f('fk_vault_wraps_granted_by_staff')),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_vault_wraps_staff_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_vault_wraps')),
    sa.UniqueConstraint('epoch', 'staff_id', name=op.f('uq_vault_wraps_epoch'))
    )
    with op.batch_alter_table('vault_wraps', schema=None) as batch_op:
        batch_op.create_index('ix_vault_wraps_staff_id', ['staff_id'], unique=False)

    op.create_table('vault_rotation_flags',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('credential_id', sa.Integer(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('flagged_at', smmod.store.base.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['credential_id'], ['credentials.id'], name=op.f('fk_vault_rotation_flags_credential_id_credentials'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_vault_rotation_flags_staff_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_vault_rotation_flags'))
    )
    with op.batch_alter_table('vault_rotation_flags', schema=None) as batch_op:
        batch_op.create_index('ix_vault_rotation_flags_credential_id', ['credential_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('vault_rotation_flags', schema=None) as batch_op:
        batch_op.drop_index('ix_vault_rotation_flags_credential_id')

    op.drop_table('vault_rotation_flags')
    with op.batch_alter_table('vault_wraps', schema=None) as batch_op:
        batch_op.drop_index('ix_vault_wraps_staff_id')

    op.drop_table('vault_wraps')
    with op.batch_alter_table('vault_secrets', schema=None) as batch_op:
        batch_op.drop_index('ix_vault_secrets_item_key')

    op.drop_table('vault_secrets')
    op.drop_table('vault_members')
    op.drop_table('vault_keys')
