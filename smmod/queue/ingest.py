"""Putting validated items into the queue: duplicates out, due times in, threads linked.

Everything here runs inside the caller's transaction, so an import is all or nothing.
Rows go in with one executemany: an import of 100,000 comments must stay close to the
speed of raw inserts (see bench/bench_queue.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import (
    Table,
    and_,
    column,
    delete,
    exists,
    func,
    insert,
    select,
    table,
    text,
    update,
)
from sqlalchemy.orm import Session, aliased

from smmod.moderation.screening import screen_parsed
from smmod.queue.duetimes import DueTimes
from smmod.queue.parsers import ParsedItem
from smmod.sla import WorkingCalendar
from smmod.store.models import QueueItem, QueueMeta
from smmod.store.models.queue import FTS_TABLE

_CHUNK = 500  # bound parameters per IN (...) query
_WHOLE_ACCOUNT_FROM = 5_000
_ITEMS = cast(Table, QueueItem.__table__)
# The order of the values in each inserted row; the columns are untyped, because the
# values are already in their stored form.
_ROW = (
    "account_id",
    "source",
    "source_ref",
    "feed_id",
    "platform_item_id",
    "parent_platform_id",
    "author_name",
    "author_handle",
    "author_kind",
    "text",
    "url",
    "content_hash",
    "received_at",
    "kind",
    "status",
    "priority",
    "due_at",
    "imported_at",
    "imported_by",
    "updated_at",
    "version_id",
)
_RAW_ITEMS = table(_ITEMS.name, *(column(name) for name in _ROW))
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
    """Which of ``values`` the account already has: by chunks, or for a big batch in one
    index-only pass over the account (cheaper than hundreds of IN queries)."""
    if len(values) > _WHOLE_ACCOUNT_FROM:
        stmt = select(column).where(_ITEMS.c.account_id == account_id, column.is_not(None))
        return set(session.execute(stmt).scalars()) & set(values)
    found: set[str] = set()
    for chunk in _chunks(values):
        stmt = select(column).where(_ITEMS.c.account_id == account_id, column.in_(chunk))
        found.update(session.execute(stmt).scalars())
    return found


def _fresh(session: Session, account_id: int, items: Iterable[ParsedItem]) -> tuple[list[ParsedItem], int]:
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
    known_hashes = _existing(session, account_id, _ITEMS.c.content_hash, hashes) if hashes else set()
    fresh = [
        item
        for item in unique.values()
        if (
            item.platform_item_id not in known_ids
            if item.platform_item_id
            else item.content_hash not in known_hashes
        )
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
        # Times are converted to their stored form here, with the column type's own
        # converter, and inserted through untyped columns: the same values, without
        # SQLAlchemy converting 400,000 of them one by one (the constant "now" once).
        dialect = session.get_bind().dialect
        to_db = _ITEMS.c.received_at.type.dialect_impl(dialect).bind_processor(dialect)
        if to_db is None:
            to_db = _same
        stamp = to_db(now)
        ref = source_ref[:300]
        rows = [
            (
                account_id,
                source,
                ref,
                feed_id,
                item.platform_item_id,
                item.parent_platform_id,
                item.author_name,
                item.author_handle,
                item.author_kind,
                item.text,
                item.url,
                item.content_hash,
                to_db(item.received_at),
                item.kind,
                "new",
                0,
                to_db(due(item.received_at)),
                stamp,
                staff_id,
                stamp,
                1,
            )
            for item in fresh
        ]
        # We hold SQLite's write lock (BEGIN IMMEDIATE): every new id is above this one.
        before = session.execute(select(func.coalesce(func.max(_ITEMS.c.id), 0))).scalar_one()
        _insert(session, rows, before)
        link_threads(session, account_id)  # cheap: only replies still without a parent
        screen_parsed(session, account_id, fresh)  # screening rules run on arrival (R8, R9)
    return StoreOutcome(len(fresh), duplicates, tuple(item_key(i) for i in fresh))


def link_threads(session: Session, account_id: int) -> int:
    """Point replies at their parent item once both are in the queue.

    Runs after every import, so a reply imported before its parent is linked when the
    parent arrives. Only replies still without a parent are looked at, through the small
    partial index ``ix_queue_items_orphans``.
    """
    parent = aliased(QueueItem)
    same_parent = and_(
        parent.account_id == _ITEMS.c.account_id,
        parent.platform_item_id == _ITEMS.c.parent_platform_id,
    )
    stmt = (
        update(_ITEMS)
        .where(
            _ITEMS.c.account_id == account_id,
            _ITEMS.c.parent_id.is_(None),
            _ITEMS.c.parent_platform_id.is_not(None),
            exists().where(same_parent),
        )
        .values(parent_id=select(parent.id).where(same_parent).scalar_subquery())
        .execution_options(synchronize_session=False)
    )
    return int(session.execute(stmt).rowcount or 0)  # type: ignore[attr-defined]


def _same(value: Any) -> Any:
    return value


def _has_fts(session: Session) -> bool:
    if session.get_bind().dialect.name != "sqlite":
        return False
    found = session.execute(
        text("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = :name"),
        {"name": FTS_TABLE},
    ).first()
    return found is not None


def _executemany(session: Session, rows: list[tuple[Any, ...]]) -> None:
    """Hand the rows to the driver's executemany in the dialect's own parameter style.

    Going through ``session.execute`` costs SQLAlchemy about 6 µs a row to rebuild each
    parameter set; the statement is still compiled by SQLAlchemy for the dialect.
    """
    conn = session.connection()
    compiled = insert(_RAW_ITEMS).compile(dialect=conn.dialect, column_keys=list(_ROW))
    order = compiled.positiontup  # type: ignore[attr-defined]
    if order is None:  # a named parameter style
        params: list[Any] = [dict(zip(_ROW, row, strict=True)) for row in rows]
    elif list(order) == list(_ROW):
        params = rows
    else:
        index = [_ROW.index(name) for name in order]
        params = [tuple(row[i] for i in index) for row in rows]
    conn.exec_driver_sql(compiled.string, params)


def _insert(session: Session, rows: list[tuple[Any, ...]], before: int) -> None:
    """One executemany; for a big batch the text index is filled afterwards in bulk.

    The marker row that stops the per-row trigger lives only inside this transaction,
    so no other connection ever sees it.
    """
    if len(rows) < _DEFER_FTS_FROM or not _has_fts(session):
        _executemany(session, rows)
        return
    session.execute(insert(QueueMeta).values(key=FTS_DEFERRED, value="import"))
    _executemany(session, rows)
    session.execute(
        text(
            f"INSERT INTO {FTS_TABLE}(rowid, text, author_name, author_handle) "
            "SELECT id, text, author_name, author_handle FROM queue_items WHERE id > :before"
        ),
        {"before": before},
    )
    session.execute(delete(QueueMeta).where(QueueMeta.key == FTS_DEFERRED))
