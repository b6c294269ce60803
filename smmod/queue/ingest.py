"""Putting validated items into the queue: duplicates out, due times in, threads linked.

Everything here runs inside the caller's transaction, so an import is all or nothing.
Rows go in with one executemany: an import of 100,000 comments must stay close to the
speed of raw inserts (see bench/bench_queue.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, delete, exists, func, insert, select, text, update
from sqlalchemy.orm import Session, aliased

from smmod.queue.duetimes import DueTimes
from smmod.queue.parsers import ParsedItem
from smmod.sla import WorkingCalendar
from smmod.store.models import QueueItem, QueueMeta
from smmod.store.models.queue import FTS_TABLE

_CHUNK = 500  # bound parameters per IN (...) query
_ITEMS = QueueItem.__table__
# Above this many rows the FTS index is filled in one statement after the insert.
_DEFER_FTS_FROM = 200
FTS_DEFERRED = "fts.deferred"


@dataclass(frozen=True)
class StoreOutcome:
    imported: int
    duplicates: int
    new_keys: tuple[str, ...]  # the identity of each stored item (platform id or hash)


def item_key(item: ParsedItem) -> str:
    """How re-imports recognise an item: its platform id, else its content hash."""
    if item.platform_item_id:
        return f"id:{item.platform_item_id}"
    return f"hash:{item.content_hash}"


def _chunks(values: Sequence[str]) -> Iterator[Sequence[str]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]


def _existing(session: Session, account_id: int, column: Any, values: Sequence[str]) -> set[str]:
    found: set[str] = set()
    for chunk in _chunks(values):
        stmt = select(column).where(_ITEMS.c.account_id == account_id, column.in_(chunk))
        found.update(session.execute(stmt).scalars())
    return found


def _fresh(session: Session, account_id: int, items: Iterable[ParsedItem]) -> tuple[
    list[ParsedItem], int
]:
    """The items not already in the account (nor earlier in the same batch)."""
    unique: dict[str, ParsedItem] = {}
    duplicates = 0
    for item in items:
        key = item_key(item)
        if key in unique:
            duplicates += 1
        else:
            unique[key] = item
    ids = [i.platform_item_id for i in unique.values() if i.platform_item_id]
    hashes = [i.content_hash for i in unique.values() if not i.platform_item_id]
    known_ids = _existing(session, account_id, _ITEMS.c.platform_item_id, ids) if ids else set()
    known_hashes = (
        _existing(session, account_id, _ITEMS.c.content_hash, hashes) if hashes else set()
    )
    fresh = [
        item
        for item in unique.values()
        if (item.platform_item_id not in known_ids if item.platform_item_id
            else item.content_hash not in known_hashes)
    ]
    return fresh, duplicates + len(unique) - len(fresh)


def store_parsed(
    session: Session,
    items: Sequence[ParsedItem],
    *,
    account_id: int,
    source: str,
    source_ref: str,
    calendar: WorkingCalendar,
    now: datetime,
    staff_id: int | None,
    feed_id: int | None = None,
) -> StoreOutcome:
    """Insert the new items with their due times; count the ones already present."""
    fresh, duplicates = _fresh(session, account_id, items)
    if fresh:
        due = DueTimes(calendar)
        rows = [
            {
                "account_id": account_id,
                "source": source,
                "source_ref": source_ref[:300],
                "feed_id": feed_id,
                "platform_item_id": item.platform_item_id,
                "parent_platform_id": item.parent_platform_id,
                "author_name": item.author_name,
                "author_handle": item.author_handle,
                "author_kind": item.author_kind,
                "text": item.text,
                "url": item.url,
                "content_hash": item.content_hash,
                "received_at": item.received_at,
                "kind": item.kind,
                "status": "new",
                "priority": 0,
                "due_at": due(item.received_at),
                "imported_at": now,
                "imported_by": staff_id,
                "updated_at": now,
                "version_id": 1,
            }
            for item in fresh
        ]
        _insert(session, rows)
        if any(item.parent_platform_id for item in fresh):
            link_threads(session, account_id)
    return StoreOutcome(len(fresh), duplicates, tuple(item_key(i) for i in fresh))


def link_threads(session: Session, account_id: int) -> int:
    """Point replies at their parent item once both are in the queue.

    Runs after every import, so a reply imported before its parent is linked when the
    parent arrives.
    """
    parent = aliased(QueueItem)
    parent_id = (
        select(parent.id)
        .where(
            parent.account_id == _ITEMS.c.account_id,
            parent.platform_item_id == _ITEMS.c.parent_platform_id,
        )
        .scalar_subquery()
    )
    stmt = (
        update(_ITEMS)
        .where(
            _ITEMS.c.account_id == account_id,
            _ITEMS.c.parent_platform_id.is_not(None),
            _ITEMS.c.parent_id.is_(None),
            exists().where(
                and_(
                    parent.account_id == _ITEMS.c.account_id,
                    parent.platform_item_id == _ITEMS.c.parent_platform_id,
                )
            ),
        )
        .values(parent_id=parent_id)
        .execution_options(synchronize_session=False)
    )
    return int(session.execute(stmt).rowcount or 0)  # type: ignore[attr-defined]


def _has_fts(session: Session) -> bool:
    if session.get_bind().dialect.name != "sqlite":
        return False
    found = session.execute(
        text("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = :name"),
        {"name": FTS_TABLE},
    ).first()
    return found is not None


def _insert(session: Session, rows: list[dict[str, object]]) -> None:
    """One executemany; for a big batch the text index is filled afterwards in bulk."""
    if len(rows) < _DEFER_FTS_FROM or not _has_fts(session):
        session.execute(insert(_ITEMS), rows)
        return
    # We hold the write lock (BEGIN IMMEDIATE), so new ids are all above this one and
    # the marker row is never seen by another connection.
    before = session.execute(select(func.coalesce(func.max(_ITEMS.c.id), 0))).scalar_one()
    session.execute(insert(QueueMeta).values(key=FTS_DEFERRED, value="import"))
    session.execute(insert(_ITEMS), rows)
    session.execute(
        text(
            f"INSERT INTO {FTS_TABLE}(rowid, text, author_name, author_handle) "
            "SELECT id, text, author_name, author_handle FROM queue_items WHERE id > :before"
        ),
        {"before": before},
    )
    session.execute(delete(QueueMeta).where(QueueMeta.key == FTS_DEFERRED))
