"""policy settings in the database; PostgreSQL tells open copies of the app what changed

``policy_settings`` holds the school's policy (the deadline rules, closures, training
expiry, school name, DPIA reference and image-checker mode), which used to live in each
person's settings file.

On PostgreSQL, statement-level triggers send one ``NOTIFY smmod`` per changed table and
statement, with the ids of up to 100 rows (an import sends the table alone). The
notification is delivered when, and only if, the transaction commits, so every other
open copy of the app refreshes what changed within a second (``smmod.store.live``).
SQLite keeps its polling; nothing is created there. The triggers are raw DDL that the
models do not list, so ``alembic check`` does not see them.

Revision ID: 0018
Revises: 0017
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import smmod.store.base

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CHANNEL = "smmod"
MAX_IDS = 100
#: Tables whose changes other people see at once, with the column that names a row.
NOTIFIED = {"queue_items": "id", "actions": "id", "accounts": "id", "account_roles": "id",
            "posts": "id", "incidents": "id", "handovers": "id", "handover_tasks": "id",
            "staff": "id", "staff_roles": "staff_id", "policy_settings": "key"}
_OPS = {"INSERT": "NEW TABLE AS changed_rows", "UPDATE": "NEW TABLE AS changed_rows",
        "DELETE": "OLD TABLE AS changed_rows"}

FUNCTION = f"""
CREATE OR REPLACE FUNCTION smmod_notify_change() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    n integer;
    ids text[];
BEGIN
    SELECT count(*), array_agg(k) INTO n, ids
      FROM (SELECT to_jsonb(r) ->> TG_ARGV[0] AS k FROM changed_rows r
            LIMIT {MAX_IDS + 1}) picked;
    IF n = 0 THEN
        RETURN NULL;
    END IF;
    IF n > {MAX_IDS} THEN
        ids := NULL;
    END IF;
    PERFORM pg_notify('{CHANNEL}', json_build_object(
        'table', TG_TABLE_NAME, 'kind', lower(TG_OP), 'ids', ids,
        'by', session_user)::text);
    RETURN NULL;
END $$
"""


def upgrade() -> None:
    op.create_table(
        "policy_settings",
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("changed_at", smmod.store.base.UTCDateTime(), nullable=False),
        sa.Column("changed_by", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_policy_settings")),
    )
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(FUNCTION)
    for table, column in NOTIFIED.items():
        for operation, transition in _OPS.items():
            op.execute(f"CREATE TRIGGER smmod_notify_{operation.lower()} AFTER {operation} "
                       f"ON {table} REFERENCING {transition} FOR EACH STATEMENT "
                       f"EXECUTE FUNCTION smmod_notify_change('{column}')")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in NOTIFIED:
            for operation in _OPS:
                op.execute(f"DROP TRIGGER IF EXISTS smmod_notify_{operation.lower()} ON {table}")
        op.execute("DROP FUNCTION IF EXISTS smmod_notify_change()")
    op.drop_table("policy_settings")
