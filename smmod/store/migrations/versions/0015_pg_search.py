"""PostgreSQL full-text search of queue items: a generated tsvector column, GIN-indexed.

SQLite already searches through its FTS5 table (0003); this migration does nothing
there. On PostgreSQL ``queue_items.search`` is computed by the server from the same
three columns FTS5 indexes, so no trigger or import step keeps it up to date. The
column and index are raw DDL that the models do not list: ``alembic check`` skips them
(``smmod.store.search.include_in_schema_check``).

Revision ID: 0015
Revises: 0014
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Like FTS5's 'unicode61 remove_diacritics 2': words split and lower-cased, accents
# dropped ("cafe" finds "café"), no stemming or stop words (names, handles, any language).
# ``unaccent`` ships with PostgreSQL (contrib) and is a trusted extension, so the
# database's owner may create it.
CONFIG = "smmod_search"
DOCUMENT = (f"to_tsvector('{CONFIG}'::regconfig, coalesce(text, '') || ' ' || "
            "coalesce(author_name, '') || ' ' || coalesce(author_handle, ''))")


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    from smmod.store.dialect import require_extension

    require_extension(op.get_bind(), "unaccent", "searching the queue")
    op.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
    op.execute(f"CREATE TEXT SEARCH CONFIGURATION {CONFIG} (COPY = pg_catalog.simple)")
    op.execute(f"ALTER TEXT SEARCH CONFIGURATION {CONFIG} ALTER MAPPING FOR "
               "hword, hword_part, word WITH unaccent, simple")
    op.execute(f"ALTER TABLE queue_items ADD COLUMN search tsvector "
               f"GENERATED ALWAYS AS ({DOCUMENT}) STORED")
    op.execute("CREATE INDEX ix_queue_items_search ON queue_items USING gin (search)")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP INDEX IF EXISTS ix_queue_items_search")
    op.execute("ALTER TABLE queue_items DROP COLUMN IF EXISTS search")
    op.execute(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {CONFIG}")
