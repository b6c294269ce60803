"""DNP register and image checks: pupils, encrypted reference photos and templates,
consent, the check log, face confirmations and the export log (R11).

Revision ID: 0004
Revises: 0003
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import smmod.store.base

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('image_checks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('file_name', sa.String(length=500), nullable=False),
    sa.Column('path', sa.Text(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('phash', sa.String(length=16), nullable=False),
    sa.Column('dhash', sa.String(length=16), nullable=False),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('height', sa.Integer(), nullable=False),
    sa.Column('caption', sa.Text(), nullable=False),
    sa.Column('assisted', sa.Boolean(), nullable=False),
    sa.Column('verdict', sa.String(length=10), nullable=False),
    sa.Column('reasons', sa.Text(), nullable=False),
    sa.Column('faces', sa.Text(), nullable=False),
    sa.Column('findings', sa.Text(), nullable=False),
    sa.Column('has_location', sa.Boolean(), nullable=False),
    sa.Column('checked_at', smmod.store.base.UTCDateTime(), nullable=False),
    sa.Column('checked_by', sa.String(length=100), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_image_checks'))
    )
    with op.batch_alter_table('image_checks', schema=None) as batch_op:
        batch_op.create_index('ix_image_checks_sha256', ['sha256'], unique=False)

    op.create_table('pupils',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('year_group', sa.String(length=50), nullable=False),
    sa.Column('restriction', sa.String(length=30), nullable=False),
    sa.Column('review_on', sa.Date(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('added_at', smmod.store.base.UTCDateTime(), nullable=False),
    sa.Column('added_by', sa.Integer(), nullable=True),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['added_by'], ['staff.id'], name=op.f('fk_pupils_added_by_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pupils'))
    )
    op.create_table('biometric_consents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pupil_id', sa.Integer(), nullable=False),
    sa.Column('consent_on', sa.Date(), nullable=False),
    sa.Column('recorded_by', sa.Integer(), nullable=False),
    sa.Column('recorded_at', smmod.store.base.UTCDateTime(), nullable=False),
    sa.Column('no_objection', sa.Boolean(), nullable=False),
    sa.Column('withdrawn_at', smmod.store.base.UTCDateTime(), nullable=True),
    sa.Column('withdrawn_by', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['pupil_id'], ['pupils.id'], name=op.f('fk_biometric_consents_pupil_id_pupils'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by'], ['staff.id'], name=op.f('fk_biometric_consents_recorded_by_staff')),
    sa.ForeignKeyConstraint(['withdrawn_by'], ['staff.id'], name=op.f('fk_biometric_consents_withdrawn_by_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_biometric_consents'))
    )
    with op.batch_alter_table('biometric_consents', schema=None) as batch_op:
        batch_op.create_index('ix_biometric_consents_pupil_id', ['pupil_id'], unique=False)

    op.create_table('face_confirmations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('check_id', sa.Integer(), nullable=False),
    sa.Column('face_index', sa.Integer(), nullable=False),
    sa.Column('pupil_id', sa.Integer(), nullable=True),
    sa.Column('by_staff_id', sa.Integer(), nullable=False),
    sa.Column('at', smmod.store.base.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['by_staff_id'], ['staff.id'], name=op.f('fk_face_confirmations_by_staff_id_staff')),
    sa.ForeignKeyConstraint(['check_id'], ['image_checks.id'], name=op.f('fk_face_confirmations_check_id_image_checks'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['pupil_id'], ['pupils.id'], name=op.f('fk_face_confirmations_pupil_id_pupils')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_face_confirmations'))
    )
    with op.batch_alter_table('face_confirmations', schema=None) as batch_op:
        batch_op.create_index('ix_face_confirmations_check_id', ['check_id'], unique=False)

    op.create_table('image_exports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('check_id', sa.Integer(), nullable=False),
    sa.Column('out_path', sa.Text(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('phash', sa.String(length=16), nullable=False),
    sa.Column('dhash', sa.String(length=16), nullable=False),
    sa.Column('pixelated_faces', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=True),
    sa.Column('exported_by', sa.String(length=100), nullable=False),
    sa.Column('exported_at', smmod.store.base.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_image_exports_account_id_accounts')),
    sa.ForeignKeyConstraint(['check_id'], ['image_checks.id'], name=op.f('fk_image_exports_check_id_image_checks')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_image_exports'))
    )
    with op.batch_alter_table('image_exports', schema=None) as batch_op:
        batch_op.create_index('ix_image_exports_check_id', ['check_id'], unique=False)

    op.create_table('reference_photos',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pupil_id', sa.Integer(), nullable=False),
    sa.Column('ciphertext', sa.LargeBinary(), nullable=False),
    sa.Column('added_at', smmod.store.base.UTCDateTime(), nullable=False),
    sa.Column('added_by', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['added_by'], ['staff.id'], name=op.f('fk_reference_photos_added_by_staff')),
    sa.ForeignKeyConstraint(['pupil_id'], ['pupils.id'], name=op.f('fk_reference_photos_pupil_id_pupils'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reference_photos'))
    )
    with op.batch_alter_table('reference_photos', schema=None) as batch_op:
        batch_op.create_index('ix_reference_photos_pupil_id', ['pupil_id'], unique=False)

    op.create_table('face_templates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pupil_id', sa.Integer(), nullable=False),
    sa.Column('photo_id', sa.Integer(), nullable=False),
    sa.Column('ciphertext', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', smmod.store.base.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['photo_id'], ['reference_photos.id'], name=op.f('fk_face_templates_photo_id_reference_photos'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['pupil_id'], ['pupils.id'], name=op.f('fk_face_templates_pupil_id_pupils'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_face_templates'))
    )
    with op.batch_alter_table('face_templates', schema=None) as batch_op:
        batch_op.create_index('ix_face_templates_pupil_id', ['pupil_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('face_templates', schema=None) as batch_op:
        batch_op.drop_index('ix_face_templates_pupil_id')

    op.drop_table('face_templates')
    with op.batch_alter_table('reference_photos', schema=None) as batch_op:
        batch_op.drop_index('ix_reference_photos_pupil_id')

    op.drop_table('reference_photos')
    with op.batch_alter_table('image_exports', schema=None) as batch_op:
        batch_op.drop_index('ix_image_exports_check_id')

    op.drop_table('image_exports')
    with op.batch_alter_table('face_confirmations', schema=None) as batch_op:
        batch_op.drop_index('ix_face_confirmations_check_id')

    op.drop_table('face_confirmations')
    with op.batch_alter_table('biometric_consents', schema=None) as batch_op:
        batch_op.drop_index('ix_biometric_consents_pupil_id')

    op.drop_table('biometric_consents')
    op.drop_table('pupils')
    with op.batch_alter_table('image_checks', schema=None) as batch_op:
        batch_op.drop_index('ix_image_checks_sha256')

    op.drop_table('image_checks')
