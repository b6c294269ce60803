"""Putting validated items into the queue: duplicates out, due times in, threads linked.

Everything here runs inside the caller's transaction, so an import is all or nothing.
Rows go in with one executemany per chunk: an import of 100,000 comments must stay close
to the speed of raw inserts (see bench/bench_queue.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import (
    Dialect,
    Table,
    and_,
    column,
    exists,
    insert,
    select,
    table,
    update,
)
from sqlalchemy.orm import Session, aliased

from smmod.queue import screening_hook
from smmod.queue.bulk import SqliteBulk
from smmod.queue.duetimes import DueTimes
from smmod.queue.parsers import ParsedItem
from smmod.sla import WorkingCalendar
from smmod.store.models import QueueItem

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


class IngestRun:
    """Stores one import chunk by chunk, inside the caller's single transaction.

    Each ``add`` inserts a chunk's new items (one executemany) and screens them; items
    already in the account, or earlier in the same import, count as duplicates.
    ``finish`` completes the text index, links replies to their parents and, on SQLite,
    rebuilds what ``SqliteBulk`` set aside. Memory stays that of one chunk, whatever the
    file's size. Use it as a context manager, so the connection is put back as it was.
    """

    def __init__(
        self,
        session: Session,
        *,
        account_id: int,
        source: str,
        source_ref: str,
        calendar: WorkingCalendar,
        now: datetime,
        staff_id: int | None,
        feed_id: int | None = None,
        keep_keys: bool = False,
    ) -> None:
        self._session = session
        self._account_id = account_id
        self._head = (account_id, source, source_ref[:300], feed_id)
        self._staff_id = staff_id
        self._due = DueTimes(calendar)
        dialect = session.get_bind().dialect
        self._to_db = _stored_time(dialect)
        self._stamp = self._to_db(now)
        self._bulk = SqliteBulk(session) if dialect.name == "sqlite" else None
        self._keys: list[str] | None = [] if keep_keys else None
        self._screening = screening_hook.current()  # none registered: stop before any write
        self._screener: object | None = None
        self.imported = 0
        self.duplicates = 0

    def __enter__(self) -> IngestRun:
        return self

    def __exit__(self, *_exc: object) -> None:
        if self._bulk is not None:
            self._bulk.close()

    def add(self, items: Sequence[ParsedItem]) -> None:
        if self._bulk is not None:
            self._bulk.before_chunk(items, self.imported)
        fresh, duplicates = _fresh(self._session, self._account_id, items)
        self.duplicates += duplicates
        if not fresh:
            return
        to_db, due, stamp = self._to_db, self._due, self._stamp
        account_id, source, ref, feed_id = self._head
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
                self._staff_id,
                stamp,
                1,
            )
            for item in fresh
        ]
        if self._bulk is not None:
            self._bulk.before_insert(len(rows))
        _executemany(self._session, rows)
        if self._screener is None:
            self._screener = self._screening.prepare(self._session)
        # Screening rules run on arrival (R8, R9), through the hook the moderation package registered.
        self._screening.screen_parsed(self._session, account_id, fresh, self._screener)
        self.imported += len(fresh)
        if self._keys is not None:
            self._keys.extend(item_key(i) for i in fresh)

    def finish(self) -> StoreOutcome:
        if self._bulk is not None:
            self._bulk.finish(self._account_id)
        if self.imported:
            link_threads(self._session, self._account_id)  # cheap: only replies without a parent
        return StoreOutcome(self.imported, self.duplicates, tuple(self._keys or ()))


def _stored_time(dialect: Dialect) -> Callable[[datetime], Any]:
    """Aware datetimes in their stored form, as the column type would store them.

    Converting here and inserting through untyped columns saves SQLAlchemy converting a
    million values one by one. On SQLite this is the text ``UTCDateTime`` stores (a test
    keeps the two equal); elsewhere the column type's own converter.
    """
    if dialect.name == "sqlite":
        return _sqlite_time
    to_db = _ITEMS.c.received_at.type.dialect_impl(dialect).bind_processor(dialect)
    return to_db or _same


def _sqlite_time(value: datetime) -> str:
    if value.tzinfo is None:
        raise ValueError("naive datetime given to a UTC column")
    # "2026-11-20 10:00:00.000000+00:00" without its offset
    return value.astimezone(UTC).isoformat(" ", "microseconds")[:26]


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
    with IngestRun(session, account_id=account_id, source=source, source_ref=source_ref,
                   calendar=calendar, now=now, staff_id=staff_id, feed_id=feed_id,
                   keep_keys=True) as run:
        run.add(items)
        return run.finish()


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
