"""comment photos: photos attached to comments that came in through a connector

Each is downloaded with a size limit, checked to be an image and run through the image
checker; the row keeps the check it made, the faces found, or why it was skipped.

Revision ID: 0019
Revises: 0018
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import smmod.store.base

revision: str = '0019'
down_revision: str | None = '0018'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('comment_photos',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('media_ref', sa.String(length=100), nullable=False),
    sa.Column('url', sa.String(length=2000), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=True),
    sa.Column('file', sa.String(length=1000), nullable=True),
    sa.Column('image_check_id', sa.Integer(), nullable=True),
    sa.Column('faces', sa.Integer(), nullable=True),
    sa.Column('fetched_at', smmod.store.base.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['image_check_id'], ['image_checks.id'], name=op.f('fk_comment_photos_image_check_id_image_checks'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['item_id'], ['queue_items.id'], name=op.f('fk_comment_photos_item_id_queue_items'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_comment_photos'))
    )
    with op.batch_alter_table('comment_photos', schema=None) as batch_op:
        batch_op.create_index('ix_comment_photos_item', ['item_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('comment_photos', schema=None) as batch_op:
        batch_op.drop_index('ix_comment_photos_item')

    op.drop_table('comment_photos')
