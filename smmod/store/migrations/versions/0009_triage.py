"""triage: the queue's priority order, and items hidden, deleted or blocked say so.

* ``queue_items.triage``: the item's place in the priority order (threats and police
  advised, discriminatory, pupils' personal data, the rest; then items that need nothing
  more), with an index for the whole queue and one within "needs a response".
* ``ix_actions_kind``: block actions are looked up to show that an author is blocked.
* Items already hidden, deleted or whose author was blocked (and not undone) get the
  status that says so, and the action counts as their response (R7, R8), as it does
  for actions recorded from now on.

The column is added in place (no table rebuild), so the queue's FTS triggers stay.

Revision ID: 0009
Revises: 0008
"""

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from alembic import op

import smmod.store.base

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

AWAITING_SQL = "first_response_at IS NULL AND status != 'resolved'"
REMOVAL_STATUS = {"delete": "deleted", "hide": "hidden", "block": "blocked"}
TRIAGE_SQL = """
UPDATE queue_items SET triage = (
    CASE
        WHEN EXISTS (SELECT 1 FROM queue_item_flags f
                     WHERE f.item_id = queue_items.id AND f.flag = 'threat')
          OR EXISTS (SELECT 1 FROM incident_evidence e JOIN incidents i ON i.id = e.incident_id
                     WHERE e.item_id = queue_items.id AND i.police_advised)
        THEN 0
        WHEN EXISTS (SELECT 1 FROM queue_item_flags f
                     WHERE f.item_id = queue_items.id AND f.flag = 'discriminatory')
        THEN 1
        WHEN EXISTS (SELECT 1 FROM queue_item_flags f WHERE f.item_id = queue_items.id
                     AND f.flag IN ('names_protected_pupil', 'personal_data'))
        THEN 2
        ELSE 3
    END
    + CASE
        WHEN (first_response_at IS NULL AND status != 'resolved') OR status = 'escalated' THEN 0
        ELSE 4
    END
)
"""

_items = sa.table(
    "queue_items",
    sa.column("id", sa.Integer()),
    sa.column("status", sa.String()),
    sa.column("received_at", smmod.store.base.UTCDateTime()),
    sa.column("first_response_at", smmod.store.base.UTCDateTime()),
    sa.column("first_response_by", sa.Integer()),
)
_actions = sa.table(
    "actions",
    sa.column("id", sa.Integer()),
    sa.column("item_id", sa.Integer()),
    sa.column("actor_id", sa.Integer()),
    sa.column("kind", sa.String()),
    sa.column("reverses_id", sa.Integer()),
    sa.column("at", smmod.store.base.UTCDateTime()),
)


def _removed_items() -> None:
    """Hidden, deleted and blocked items: their status, and their clock stopped."""
    conn = op.get_bind()
    reversal = _actions.alias("reversal")
    standing = conn.execute(
        sa.select(_actions.c.item_id, _actions.c.kind, _actions.c.at, _actions.c.actor_id)
        .where(
            _actions.c.kind.in_(sorted(REMOVAL_STATUS)),
            ~sa.select(reversal.c.id).where(reversal.c.reverses_id == _actions.c.id).exists(),
        )
        .order_by(_actions.c.at, _actions.c.id)
    ).all()
    by_item: dict[int, list[tuple[str, datetime, int]]] = {}
    for item_id, kind, at, actor_id in standing:
        by_item.setdefault(item_id, []).append((kind, at, actor_id))
    for item_id, done in by_item.items():
        item = conn.execute(sa.select(_items).where(_items.c.id == item_id)).one()
        values: dict[str, object] = {}
        if item.first_response_at is None:
            _kind, at, actor_id = done[0]
            values["first_response_at"] = max(at, item.received_at)
            values["first_response_by"] = actor_id
        if item.status not in ("escalated", "resolved"):
            kinds = {kind for kind, _at, _actor in done}
            strongest = next(k for k in ("delete", "hide", "block") if k in kinds)
            values["status"] = REMOVAL_STATUS[strongest]
        if values:
            conn.execute(sa.update(_items).where(_items.c.id == item_id).values(**values))


def upgrade() -> None:
    op.add_column(
        "queue_items", sa.Column("triage", sa.Integer(), server_default=sa.text("3"), nullable=False)
    )
    _removed_items()
    op.execute(TRIAGE_SQL)
    op.create_index("ix_queue_items_triage_due", "queue_items", ["triage", "due_at"], unique=False)
    op.create_index(
        "ix_queue_items_awaiting_triage",
        "queue_items",
        ["triage", "due_at"],
        unique=False,
        sqlite_where=sa.text(AWAITING_SQL),
        postgresql_where=sa.text(AWAITING_SQL),
    )
    op.create_index("ix_actions_kind", "actions", ["kind", "item_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_actions_kind", table_name="actions")
    op.drop_index("ix_queue_items_awaiting_triage", table_name="queue_items")
    op.drop_index("ix_queue_items_triage_due", table_name="queue_items")
    op.drop_column("queue_items", "triage")  # in place: a rebuild would drop the FTS triggers
