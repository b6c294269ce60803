"""queue: items, flags, alert feeds, remembered CSV mappings, and text search.

On SQLite the item text is also indexed by an external-content FTS5 table kept in step
by triggers. It is raw DDL here, not metadata, so ``alembic check`` has to skip it (see
``smmod.store.models.queue.is_fts_table``). Other databases search with LIKE instead.

Note for later migrations: a batch operation that *recreates* ``queue_items`` on SQLite
drops its triggers; recreate them with the DDL below and run the FTS 'rebuild' command.

Revision ID: 0003
Revises: 0002
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import smmod.store.base

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

AWAITING_SQL = "first_response_at IS NULL AND status != 'resolved'"
ORPHAN_SQL = "parent_id IS NULL AND parent_platform_id IS NOT NULL"
FTS_DDL = (
    "CREATE VIRTUAL TABLE queue_items_fts USING fts5("
    "text, author_name, author_handle, content='queue_items', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 2')",
    # A bulk import fills the index in one statement instead (one trigger call per row
    # makes FTS5 flush a tiny segment per row: 100,000 rows took 9 s instead of 2 s); it
    # sets the 'fts.deferred' marker inside its own transaction, so no one else sees it.
    "CREATE TRIGGER queue_items_fts_ai AFTER INSERT ON queue_items "
    "WHEN NOT EXISTS (SELECT 1 FROM queue_meta WHERE key = 'fts.deferred') BEGIN "
    "INSERT INTO queue_items_fts(rowid, text, author_name, author_handle) "
    "VALUES (new.id, new.text, new.author_name, new.author_handle); END",
    "CREATE TRIGGER queue_items_fts_ad AFTER DELETE ON queue_items BEGIN "
    "INSERT INTO queue_items_fts(queue_items_fts, rowid, text, author_name, author_handle) "
    "VALUES ('delete', old.id, old.text, old.author_name, old.author_handle); END",
    # Only the searched columns: claiming or acknowledging must not rewrite the index.
    "CREATE TRIGGER queue_items_fts_au AFTER UPDATE OF text, author_name, author_handle "
    "ON queue_items BEGIN "
    "INSERT INTO queue_items_fts(queue_items_fts, rowid, text, author_name, author_handle) "
    "VALUES ('delete', old.id, old.text, old.author_name, old.author_handle); "
    "INSERT INTO queue_items_fts(rowid, text, author_name, author_handle) "
    "VALUES (new.id, new.text, new.author_name, new.author_handle); END",
)


def _utc() -> smmod.store.base.UTCDateTime:
    return smmod.store.base.UTCDateTime()


def upgrade() -> None:
    op.create_table(
        "queue_csv_mappings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("header_key", sa.String(length=64), nullable=False),
        sa.Column("headers", sa.Text(), nullable=False),
        sa.Column("mapping", sa.Text(), nullable=False),
        sa.Column("updated_at", _utc(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_queue_csv_mappings")),
        sa.UniqueConstraint("header_key", name=op.f("uq_queue_csv_mappings_header_key")),
    )
    op.create_table(
        "queue_meta",
        sa.Column("key", sa.String(length=50), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_queue_meta")),
    )
    op.create_table(
        "queue_feeds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=False),
        sa.Column("interval_minutes", sa.Integer(), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("created_at", _utc(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("last_polled_at", _utc(), nullable=True),
        sa.Column("last_ok_at", _utc(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("last_new_count", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name=op.f("fk_queue_feeds_account_id_accounts")
        ),
        sa.ForeignKeyConstraint(["created_by"], ["staff.id"], name=op.f("fk_queue_feeds_created_by_staff")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_queue_feeds")),
    )
    with op.batch_alter_table("queue_feeds", schema=None) as batch_op:
        batch_op.create_index("ix_queue_feeds_account_id", ["account_id"], unique=False)

    op.create_table(
        "queue_feed_seen",
        sa.Column("feed_id", sa.Integer(), nullable=False),
        sa.Column("entry_key", sa.String(length=64), nullable=False),
        sa.Column("seen_at", _utc(), nullable=False),
        sa.ForeignKeyConstraint(
            ["feed_id"],
            ["queue_feeds.id"],
            name=op.f("fk_queue_feed_seen_feed_id_queue_feeds"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("feed_id", "entry_key", name=op.f("pk_queue_feed_seen")),
    )
    op.create_table(
        "queue_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("source_ref", sa.String(length=300), nullable=False),
        sa.Column("feed_id", sa.Integer(), nullable=True),
        sa.Column("platform_item_id", sa.String(length=2000), nullable=True),
        sa.Column("parent_platform_id", sa.String(length=2000), nullable=True),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("author_name", sa.String(length=2000), nullable=False),
        sa.Column("author_handle", sa.String(length=2000), nullable=True),
        sa.Column("author_kind", sa.String(length=20), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=True),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("received_at", _utc(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("priority", sa.Integer(), nullable=False),
        sa.Column("due_at", _utc(), nullable=False),
        sa.Column("first_response_at", _utc(), nullable=True),
        sa.Column("first_response_by", sa.Integer(), nullable=True),
        sa.Column("claimed_by", sa.Integer(), nullable=True),
        sa.Column("claimed_at", _utc(), nullable=True),
        sa.Column("imported_at", _utc(), nullable=False),
        sa.Column("imported_by", sa.Integer(), nullable=True),
        sa.Column("updated_at", _utc(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name=op.f("fk_queue_items_account_id_accounts")
        ),
        sa.ForeignKeyConstraint(["claimed_by"], ["staff.id"], name=op.f("fk_queue_items_claimed_by_staff")),
        sa.ForeignKeyConstraint(
            ["feed_id"],
            ["queue_feeds.id"],
            name=op.f("fk_queue_items_feed_id_queue_feeds"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["first_response_by"], ["staff.id"], name=op.f("fk_queue_items_first_response_by_staff")
        ),
        sa.ForeignKeyConstraint(["imported_by"], ["staff.id"], name=op.f("fk_queue_items_imported_by_staff")),
        sa.ForeignKeyConstraint(
            ["parent_id"],
            ["queue_items.id"],
            name=op.f("fk_queue_items_parent_id_queue_items"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_queue_items")),
        sa.UniqueConstraint("account_id", "platform_item_id", name=op.f("uq_queue_items_account_id")),
    )
    with op.batch_alter_table("queue_items", schema=None) as batch_op:
        batch_op.create_index("ix_queue_items_account_due", ["account_id", "due_at"])
        batch_op.create_index("ix_queue_items_account_hash", ["account_id", "content_hash"])
        batch_op.create_index("ix_queue_items_claimed_by", ["claimed_by"])
        batch_op.create_index("ix_queue_items_due_at", ["due_at"])
        batch_op.create_index(
            "ix_queue_items_awaiting_due",
            ["due_at"],
            sqlite_where=sa.text(AWAITING_SQL),
            postgresql_where=sa.text(AWAITING_SQL),
        )
        batch_op.create_index("ix_queue_items_parent_id", ["parent_id"])
        batch_op.create_index(
            "ix_queue_items_orphans",
            ["account_id", "parent_platform_id"],
            sqlite_where=sa.text(ORPHAN_SQL),
            postgresql_where=sa.text(ORPHAN_SQL),
        )
        batch_op.create_index("ix_queue_items_status_due", ["status", "due_at"])
        batch_op.create_index("ix_queue_items_updated_at", ["updated_at"])

    op.create_table(
        "queue_item_flags",
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("flag", sa.String(length=40), nullable=False),
        sa.Column("source", sa.String(length=100), nullable=False),
        sa.Column("set_at", _utc(), nullable=False),
        sa.Column("set_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["queue_items.id"],
            name=op.f("fk_queue_item_flags_item_id_queue_items"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["set_by"], ["staff.id"], name=op.f("fk_queue_item_flags_set_by_staff")),
        sa.PrimaryKeyConstraint("item_id", "flag", name=op.f("pk_queue_item_flags")),
    )
    with op.batch_alter_table("queue_item_flags", schema=None) as batch_op:
        batch_op.create_index("ix_queue_item_flags_flag", ["flag", "item_id"])

    if op.get_bind().dialect.name == "sqlite":
        for statement in FTS_DDL:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for trigger in ("queue_items_fts_ai", "queue_items_fts_ad", "queue_items_fts_au"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS queue_items_fts")
    with op.batch_alter_table("queue_item_flags", schema=None) as batch_op:
        batch_op.drop_index("ix_queue_item_flags_flag")
    op.drop_table("queue_item_flags")
    with op.batch_alter_table("queue_items", schema=None) as batch_op:
        for name in (
            "ix_queue_items_orphans",
            "ix_queue_items_awaiting_due",
            "ix_queue_items_updated_at",
            "ix_queue_items_status_due",
            "ix_queue_items_parent_id",
            "ix_queue_items_due_at",
            "ix_queue_items_claimed_by",
            "ix_queue_items_account_hash",
            "ix_queue_items_account_due",
        ):
            batch_op.drop_index(name)
    op.drop_table("queue_items")
    op.drop_table("queue_feed_seen")
    with op.batch_alter_table("queue_feeds", schema=None) as batch_op:
        batch_op.drop_index("ix_queue_feeds_account_id")
    op.drop_table("queue_feeds")
    op.drop_table("queue_meta")
    op.drop_table("queue_csv_mappings")
