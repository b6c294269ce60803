"""posts: drafts for the school's accounts, their images and the addresses they were published at

A post's images keep the image check and the export they went out as, so that the
retro-check can name the posts to take down when a pupil is added to the register.

Revision ID: 0014
Revises: 0013
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import smmod.store.base

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('posts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('controversial', sa.Boolean(), nullable=False),
    sa.Column('suggested', sa.Boolean(), nullable=False),
    sa.Column('checklist', sa.Text(), nullable=False),
    sa.Column('verdict', sa.String(length=10), nullable=False),
    sa.Column('reasons', sa.Text(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('decided_by', sa.Integer(), nullable=True),
    sa.Column('decided_at', smmod.store.base.UTCDateTime(), nullable=True),
    sa.Column('decision', sa.String(length=10), nullable=True),
    sa.Column('decision_reason', sa.Text(), nullable=True),
    sa.Column('decision_hash', sa.String(length=64), nullable=True),
    sa.Column('export_dir', sa.Text(), nullable=True),
    sa.Column('exported_at', smmod.store.base.UTCDateTime(), nullable=True),
    sa.Column('published_at', smmod.store.base.UTCDateTime(), nullable=True),
    sa.Column('created_at', smmod.store.base.UTCDateTime(), nullable=False),
    sa.Column('updated_at', smmod.store.base.UTCDateTime(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['staff.id'], name=op.f('fk_posts_author_id_staff')),
    sa.ForeignKeyConstraint(['decided_by'], ['staff.id'], name=op.f('fk_posts_decided_by_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_posts'))
    )
    with op.batch_alter_table('posts', schema=None) as batch_op:
        batch_op.create_index('ix_posts_status', ['status'], unique=False)

    op.create_table('post_accounts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('url', sa.Text(), nullable=True),
    sa.Column('recorded_by', sa.Integer(), nullable=True),
    sa.Column('recorded_at', smmod.store.base.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_post_accounts_account_id_accounts')),
    sa.ForeignKeyConstraint(['post_id'], ['posts.id'], name=op.f('fk_post_accounts_post_id_posts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by'], ['staff.id'], name=op.f('fk_post_accounts_recorded_by_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_post_accounts')),
    sa.UniqueConstraint('post_id', 'account_id', name=op.f('uq_post_accounts_post_id'))
    )
    op.create_table('post_images',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('path', sa.Text(), nullable=False),
    sa.Column('not_ours', sa.Boolean(), nullable=False),
    sa.Column('pixelate', sa.Boolean(), nullable=False),
    sa.Column('check_id', sa.Integer(), nullable=True),
    sa.Column('export_id', sa.Integer(), nullable=True),
    sa.Column('export_sha256', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['check_id'], ['image_checks.id'], name=op.f('fk_post_images_check_id_image_checks')),
    sa.ForeignKeyConstraint(['export_id'], ['image_exports.id'], name=op.f('fk_post_images_export_id_image_exports')),
    sa.ForeignKeyConstraint(['post_id'], ['posts.id'], name=op.f('fk_post_images_post_id_posts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_post_images'))
    )
    with op.batch_alter_table('post_images', schema=None) as batch_op:
        batch_op.create_index('ix_post_images_export_id', ['export_id'], unique=False)
        batch_op.create_index('ix_post_images_post_id', ['post_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('post_images', schema=None) as batch_op:
        batch_op.drop_index('ix_post_images_post_id')
        batch_op.drop_index('ix_post_images_export_id')

    op.drop_table('post_images')
    op.drop_table('post_accounts')
    with op.batch_alter_table('posts', schema=None) as batch_op:
        batch_op.drop_index('ix_posts_status')

    op.drop_table('posts')
