"""connection refresh: refresh token, token expiry and the platform's own account id

YouTube access tokens last an hour and are renewed with a refresh token (kept in the
keyring, found by ``refresh_token_key``); Graph API tokens have an expiry smmod shows.
``platform_account_id`` is the channel, Page or Instagram account the token is for.

Revision ID: 0013
Revises: 0012
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import smmod.store.base

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("connections") as batch:
        batch.add_column(sa.Column("refresh_token_key", sa.String(length=100), nullable=True))
        batch.add_column(sa.Column("token_expires_at", smmod.store.base.UTCDateTime(), nullable=True))
        batch.add_column(sa.Column("platform_account_id", sa.String(length=100), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("connections") as batch:
        batch.drop_column("platform_account_id")
        batch.drop_column("token_expires_at")
        batch.drop_column("refresh_token_key")
