"""Read side of the queue: the ids of a filtered, sorted view, and rows by id.

The triage view never holds 100,000 objects: it asks for the ids in display order
(one indexed query into a compact array) and then for small pages of rows by id.
Text search uses the database's full-text index (``smmod.store.search``: FTS5 on
SQLite, a tsvector on PostgreSQL) when there is one, and LIKE otherwise.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta
from itertools import chain
from typing import Any, cast

from sqlalchemy import (
    Connection,
    Table,
    and_,
    case,
    func,
    literal_column,
    or_,
    select,
)
from sqlalchemy.sql.elements import ColumnElement

from smmod.queue import triage  # noqa: F401  (keeps the priority order up to date)
from smmod.queue.records import (
    SORT_COLUMNS,
    AccountRef,
    ChangeToken,
    QueueFilter,
    QueueRow,
    QueueSort,
)
from smmod.store.dialect import search_words
from smmod.store.models import Account, Action, QueueItem, QueueItemFlag, Staff
from smmod.store.search import item_text_match

ITEMS = cast(Table, QueueItem.__table__)
FLAGS = cast(Table, QueueItemFlag.__table__)
ACCOUNTS = cast(Table, Account.__table__)
STAFF = cast(Table, Staff.__table__)
ACTIONS = cast(Table, Action.__table__)
EXCERPT_CHARS = 240
_WORD = re.compile(r"\w+", re.UNICODE)


def awaiting_response() -> ColumnElement[bool]:
    """The clock is running: no first response yet, and not closed some other way.

    Rendered with a literal, not a bound value, so SQLite sees that it matches the
    partial index ``ix_queue_items_awaiting_due`` (``AWAITING_SQL``).
    """
    return and_(ITEMS.c.first_response_at.is_(None), ITEMS.c.status != literal_column("'resolved'"))


def _like_terms(user_text: str) -> list[str]:
    words = _WORD.findall(user_text) or [user_text.strip()]
    out = []
    for word in words[:20]:
        escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        out.append(f"%{escaped}%")
    return out


def _text_condition(user_text: str, use_fts: bool) -> ColumnElement[bool] | None:
    if not user_text.strip():
        return None
    words = search_words(user_text) if use_fts else []
    if words:
        return item_text_match(ITEMS.c.id, words)
    searched = (ITEMS.c.text, ITEMS.c.author_name, ITEMS.c.author_handle)
    return and_(*(or_(*(c.ilike(term, escape="\\") for c in searched)) for term in _like_terms(user_text)))


def conditions(flt: QueueFilter, now: datetime, use_fts: bool) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = []
    if flt.statuses:
        where.append(ITEMS.c.status.in_(sorted(flt.statuses)))
    if flt.awaiting_response or flt.overdue:
        where.append(awaiting_response())
    if flt.overdue:
        where.append(ITEMS.c.due_at < now)
    if flt.account_ids:
        where.append(ITEMS.c.account_id.in_(sorted(flt.account_ids)))
    if flt.kinds:
        where.append(ITEMS.c.kind.in_(sorted(flt.kinds)))
    if flt.flag:
        where.append(ITEMS.c.id.in_(select(FLAGS.c.item_id).where(FLAGS.c.flag == flt.flag)))
    if flt.claimed_by is not None:
        where.append(ITEMS.c.claimed_by == flt.claimed_by)
    matched = _text_condition(flt.text, use_fts)
    if matched is not None:
        where.append(matched)
    return where


def _order(sort: QueueSort) -> tuple[list[Any], bool, bool]:
    """ORDER BY terms, and whether the accounts or staff table must be joined."""
    if sort.column not in SORT_COLUMNS:
        raise ValueError(f"unknown sort column {sort.column!r}")
    keys: dict[str, list[Any]] = {
        "priority": [ITEMS.c.triage, ITEMS.c.due_at],
        "due": [ITEMS.c.due_at],
        "received": [ITEMS.c.received_at],
        "status": [ITEMS.c.status, ITEMS.c.due_at],
        "account": [ACCOUNTS.c.platform, ACCOUNTS.c.handle, ITEMS.c.due_at],
        "kind": [ITEMS.c.kind, ITEMS.c.due_at],
        "author": [func.lower(ITEMS.c.author_name), ITEMS.c.due_at],
        "claimed": [STAFF.c.name, ITEMS.c.due_at],
    }
    terms = [k.desc() if sort.descending else k.asc() for k in keys[sort.column]]
    if sort.column == "claimed":
        terms[0] = terms[0].nulls_last()
    terms.append(ITEMS.c.id.desc() if sort.descending else ITEMS.c.id.asc())
    return terms, sort.column == "account", sort.column == "claimed"


def ids_statement(flt: QueueFilter, sort: QueueSort, now: datetime, use_fts: bool) -> Any:
    """SELECT id … ORDER BY …: the one indexed query behind the triage view."""
    terms, join_accounts, join_staff = _order(sort)
    source: Any = ITEMS
    if join_accounts:
        source = source.join(ACCOUNTS, ACCOUNTS.c.id == ITEMS.c.account_id)
    if join_staff:
        source = source.outerjoin(STAFF, STAFF.c.id == ITEMS.c.claimed_by)
    stmt = select(ITEMS.c.id).select_from(source).where(*conditions(flt, now, use_fts))
    return stmt.order_by(*terms)


def id_rows(result: Any) -> Iterator[tuple[int]]:
    """The rows of an id query straight from the driver's cursor.

    Building 100,000 SQLAlchemy Row objects would double the time the view takes to open.
    """
    cursor = getattr(result, "cursor", None)
    return iter(cursor) if cursor is not None else ((i,) for i in result.scalars())


def ordered_ids(
    conn: Connection, flt: QueueFilter, sort: QueueSort, now: datetime, use_fts: bool
) -> array[int]:
    """Every matching id in display order, as a compact array (8 bytes an item)."""
    result = conn.execute(ids_statement(flt, sort, now, use_fts))
    try:
        return array("q", chain.from_iterable(id_rows(result)))
    finally:
        result.close()


def _row_columns() -> list[Any]:
    return [
        ITEMS.c.id,
        ITEMS.c.version_id,
        ITEMS.c.account_id,
        ACCOUNTS.c.platform,
        ACCOUNTS.c.handle,
        ITEMS.c.kind,
        ITEMS.c.status,
        ITEMS.c.author_name,
        ITEMS.c.author_handle,
        ITEMS.c.author_kind,
        func.substr(ITEMS.c.text, 1, EXCERPT_CHARS).label("excerpt"),
        ITEMS.c.received_at,
        ITEMS.c.due_at,
        ITEMS.c.first_response_at,
        ITEMS.c.claimed_by,
        STAFF.c.name.label("claimed_by_name"),
        ITEMS.c.priority,
        ITEMS.c.parent_id,
        ITEMS.c.platform_item_id,
        ITEMS.c.url,
    ]


def _rows_stmt() -> Any:
    return select(*_row_columns()).select_from(
        ITEMS.join(ACCOUNTS, ACCOUNTS.c.id == ITEMS.c.account_id).outerjoin(
            STAFF, STAFF.c.id == ITEMS.c.claimed_by
        )
    )


def one_line(value: str) -> str:
    return " ".join(value.split())


def author_key(handle: str | None, name: str) -> str:
    """Who wrote an item, for "this author is blocked": the handle, else the name."""
    clean = (handle or "").strip().lstrip("@").casefold()
    return f"@{clean}" if clean else " ".join(name.split()).casefold()


def blocked_authors(conn: Connection, account_ids: Sequence[int]) -> set[tuple[int, str]]:
    """(account id, author key) of every author blocked on these accounts (R8).

    An author is blocked by a block action on any of their items that was not reversed;
    block actions are few, and found through ``ix_actions_kind``.
    """
    if not account_ids:
        return set()
    reversals = ACTIONS.alias("reversal")
    stmt = (
        select(ITEMS.c.account_id, ITEMS.c.author_handle, ITEMS.c.author_name)
        .select_from(ACTIONS.join(ITEMS, ITEMS.c.id == ACTIONS.c.item_id))
        .where(
            ACTIONS.c.kind == literal_column("'block'"),
            ITEMS.c.account_id.in_(sorted(set(account_ids))),
            ~select(reversals.c.id).where(reversals.c.reverses_id == ACTIONS.c.id).exists(),
        )
    )
    return {(a, author_key(h, n)) for a, h, n in conn.execute(stmt)}


def _to_row(r: Any, flags: tuple[str, ...], blocked: set[tuple[int, str]] | None = None) -> QueueRow:
    return QueueRow(
        r.id,
        r.version_id,
        r.account_id,
        f"{r.platform}: {r.handle}",  # machine form: `queue list --json` documents it
        r.kind,
        r.status,
        r.author_name,
        r.author_handle,
        r.author_kind,
        one_line(r.excerpt or ""),
        r.received_at,
        r.due_at,
        r.first_response_at,
        r.claimed_by,
        r.claimed_by_name,
        r.priority,
        r.parent_id,
        flags,
        (r.account_id, author_key(r.author_handle, r.author_name)) in blocked if blocked else False,
        r.platform_item_id,
        r.url,
    )


def flags_for(conn: Connection, ids: Sequence[int]) -> dict[int, tuple[str, ...]]:
    if not ids:
        return {}
    found: dict[int, list[str]] = {}
    stmt = select(FLAGS.c.item_id, FLAGS.c.flag).where(FLAGS.c.item_id.in_(list(ids)))
    for item_id, flag in conn.execute(stmt.order_by(FLAGS.c.item_id, FLAGS.c.flag)):
        found.setdefault(item_id, []).append(flag)
    return {k: tuple(v) for k, v in found.items()}


def rows_by_id(conn: Connection, ids: Sequence[int]) -> dict[int, QueueRow]:
    """Rows for one page of the view (a few hundred ids at most)."""
    if not ids:
        return {}
    wanted = list(ids)
    flags = flags_for(conn, wanted)
    result = list(conn.execute(_rows_stmt().where(ITEMS.c.id.in_(wanted))))
    blocked = blocked_authors(conn, [r.account_id for r in result])
    return {r.id: _to_row(r, flags.get(r.id, ()), blocked) for r in result}


def rows_where(
    conn: Connection, where: Sequence[ColumnElement[bool]], limit: int, order: Sequence[Any] = ()
) -> list[QueueRow]:
    stmt = _rows_stmt().where(*where).order_by(*(order or [ITEMS.c.due_at, ITEMS.c.id]))
    rows = list(conn.execute(stmt.limit(limit)))
    flags = flags_for(conn, [r.id for r in rows])
    blocked = blocked_authors(conn, [r.account_id for r in rows])
    return [_to_row(r, flags.get(r.id, ()), blocked) for r in rows]


def count(conn: Connection, flt: QueueFilter, now: datetime, use_fts: bool) -> int:
    stmt = select(func.count()).select_from(ITEMS).where(*conditions(flt, now, use_fts))
    return int(conn.execute(stmt).scalar_one())


def change_token(conn: Connection) -> ChangeToken:
    """Two index lookups; the flags count catches a flag set on an unchanged item."""
    max_id = select(func.max(ITEMS.c.id)).scalar_subquery()
    last = select(func.max(ITEMS.c.updated_at)).scalar_subquery()
    flags = select(func.count()).select_from(FLAGS).scalar_subquery()
    row = conn.execute(select(max_id, last, flags)).one()
    last_update = row[1]
    if isinstance(last_update, str):  # a scalar subquery loses the column type on SQLite
        last_update = datetime.fromisoformat(last_update)
    return ChangeToken(int(row[0] or 0), last_update, (int(row[2] or 0),))


def accounts(conn: Connection) -> list[AccountRef]:
    stmt = select(ACCOUNTS.c.id, ACCOUNTS.c.platform, ACCOUNTS.c.handle, ACCOUNTS.c.status)
    return [AccountRef(*r) for r in conn.execute(stmt.order_by(ACCOUNTS.c.platform, ACCOUNTS.c.handle))]


def flags_in_use(conn: Connection) -> list[str]:
    return list(conn.execute(select(FLAGS.c.flag).distinct().order_by(FLAGS.c.flag)).scalars())


def load_by_account(conn: Connection, now: datetime, window: timedelta) -> dict[int, tuple[int, int, int]]:
    """Per account: due within ``window``, overdue, not yet acknowledged."""
    soon = case((and_(ITEMS.c.due_at >= now, ITEMS.c.due_at < now + window), 1), else_=0)
    late = case((ITEMS.c.due_at < now, 1), else_=0)
    stmt = (
        select(ITEMS.c.account_id, func.sum(soon), func.sum(late), func.count())
        .where(awaiting_response())
        .group_by(ITEMS.c.account_id)
    )
    return {r[0]: (int(r[1] or 0), int(r[2] or 0), int(r[3] or 0)) for r in conn.execute(stmt)}
