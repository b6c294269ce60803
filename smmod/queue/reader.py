"""Read-only access to the queue for the triage view, the dashboard and the CLI.

Everything here runs on the session factory's read engine, whose connections are
``query_only`` and never begin a write transaction: with WAL, browsing the queue never
waits for an import or any other write.
"""

from __future__ import annotations

import json
from array import array
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, func, select

from smmod.audit_words import action_words
from smmod.errors import NotFound
from smmod.queue import listing
from smmod.queue.idstream import ArrayStream, IdStream
from smmod.queue.listing import ITEMS
from smmod.queue.records import (
    AccountLoad,
    AccountRef,
    ChangeToken,
    Dashboard,
    HistoryEntry,
    ItemDetail,
    QueueFilter,
    QueueRow,
    QueueSort,
)
from smmod.store.engine import SessionFactory
from smmod.store.models import Account, AuditEntry, Staff
from smmod.store.models.queue import FTS_TABLE
from smmod.vocabulary import ACTION_LABELS, CATEGORY_LABELS, flag_label

DUE_SOON = timedelta(hours=4)
NO_FILTER = QueueFilter()  # frozen: safe as a default
BY_DUE = QueueSort()
MAX_REPLIES = 50

_ARRIVALS = frozenset({"queue.import", "queue.add_manual"})
_ACTION_WORDS = {
    "queue.import": "imported",
    "queue.add_manual": "entered by hand",
    "queue.claim": "claimed",
    "queue.release": "released",
    "queue.first_response": "first response recorded",
}


class QueueReader:
    def __init__(
        self, session_factory: SessionFactory, *, now: Callable[[], datetime], stale_days: Callable[[], int]
    ) -> None:
        self._engine = session_factory.read_engine
        self._now = now
        self._stale_days = stale_days
        self._fts: bool | None = None

    def close(self) -> None:
        """Nothing of its own to release: the engine belongs to the session factory."""

    def _use_fts(self, conn: Connection) -> bool:
        if self._fts is None:
            if conn.dialect.name != "sqlite":
                # PostgreSQL's search column is made by migration 0012.
                self._fts = conn.dialect.name == "postgresql"
            else:
                found = conn.exec_driver_sql(
                    "SELECT 1 FROM sqlite_master WHERE type='table' AND name=?", (FTS_TABLE,)
                ).first()
                self._fts = found is not None
        return self._fts

    # -- the triage view -------------------------------------------------------------
    def ids(
        self, flt: QueueFilter = NO_FILTER, sort: QueueSort = BY_DUE, now: datetime | None = None
    ) -> array[int]:
        """Every matching item id, in display order."""
        with self._engine.connect() as conn:
            return listing.ordered_ids(conn, flt, sort, now or self._now(), self._use_fts(conn))

    def open_ids(
        self, flt: QueueFilter = NO_FILTER, sort: QueueSort = BY_DUE, now: datetime | None = None
    ) -> IdStream | ArrayStream:
        """The same ids as ``ids()``, counted at once and read in slices on demand.

        On SQLite a text search is read whole: counting would run the match twice, and
        matches are few enough to read at once. On PostgreSQL it streams like the rest,
        with the planner's estimate for a total until every match is in (at a million
        items counting the matches takes longer than showing the first of them).
        """
        if flt.text.strip() and self._engine.dialect.name != "postgresql":
            return ArrayStream(self.ids(flt, sort, now))
        statement = listing.ids_statement(flt, sort, now or self._now(), self._fts_ready())
        return IdStream(self._engine, statement, costly_count=bool(flt.text.strip()))

    def _fts_ready(self) -> bool:
        if self._fts is None:
            with self._engine.connect() as conn:
                return self._use_fts(conn)
        return self._fts

    def rows(self, ids: Sequence[int]) -> dict[int, QueueRow]:
        with self._engine.connect() as conn:
            return listing.rows_by_id(conn, ids)

    def row(self, item_id: int) -> QueueRow:
        found = self.rows([item_id]).get(item_id)
        if found is None:
            raise NotFound(f"no queue item #{item_id}")
        return found

    def count(self, flt: QueueFilter = NO_FILTER, now: datetime | None = None) -> int:
        with self._engine.connect() as conn:
            return listing.count(conn, flt, now or self._now(), self._use_fts(conn))

    def list_rows(
        self, flt: QueueFilter = NO_FILTER, sort: QueueSort = BY_DUE, limit: int = 500
    ) -> tuple[list[QueueRow], int]:
        """The first ``limit`` matching rows and how many match in all (for the CLI)."""
        ids = self.ids(flt, sort)
        page = list(ids[:limit])
        found = self.rows(page)
        return [found[i] for i in page if i in found], len(ids)

    def change_token(self) -> ChangeToken:
        with self._engine.connect() as conn:
            return listing.change_token(conn)

    def accounts(self) -> list[AccountRef]:
        with self._engine.connect() as conn:
            return listing.accounts(conn)

    def flags(self) -> list[str]:
        with self._engine.connect() as conn:
            return listing.flags_in_use(conn)

    # -- one item --------------------------------------------------------------------
    def detail(self, item_id: int) -> ItemDetail:
        """Full text, author, thread (parent and replies) and history of one item."""
        with self._engine.connect() as conn:
            rows = listing.rows_by_id(conn, [item_id])
            if item_id not in rows:
                raise NotFound(f"no queue item #{item_id}")
            row = rows[item_id]
            extra = conn.execute(
                select(
                    ITEMS.c.text,
                    ITEMS.c.url,
                    ITEMS.c.platform_item_id,
                    ITEMS.c.source,
                    ITEMS.c.source_ref,
                    ITEMS.c.imported_at,
                    Staff.name,
                )
                .select_from(ITEMS.outerjoin(Staff, Staff.id == ITEMS.c.imported_by))
                .where(ITEMS.c.id == item_id)
            ).one()
            parent = None
            if row.parent_id is not None:
                parent = listing.rows_by_id(conn, [row.parent_id]).get(row.parent_id)
            replies = listing.rows_where(
                conn, [ITEMS.c.parent_id == item_id], MAX_REPLIES, [ITEMS.c.received_at, ITEMS.c.id]
            )
            reply_count = conn.execute(
                select(func.count()).select_from(ITEMS).where(ITEMS.c.parent_id == item_id)
            ).scalar_one()
            history = self._history(conn, item_id, extra)
        return ItemDetail(
            row,
            extra.text,
            extra.url,
            extra.platform_item_id,
            extra.source,
            extra.source_ref,
            extra.imported_at,
            extra.name,
            parent,
            tuple(replies),
            int(reply_count),
            tuple(history),
        )

    @staticmethod
    def _history(conn: Connection, item_id: int, extra: Any) -> list[HistoryEntry]:
        how = "entered by hand" if extra.source == "manual" else f"imported from {extra.source_ref}"
        entries = [HistoryEntry(extra.imported_at, extra.name or "smmod", "received", how)]
        stmt = (
            select(AuditEntry.at, AuditEntry.actor, AuditEntry.action, AuditEntry.details, AuditEntry.reason)
            .where(AuditEntry.subject == f"queue_item:{item_id}")
            .order_by(AuditEntry.id)
        )
        found = list(conn.execute(stmt))
        actors = {r.actor for r in found}
        people = select(Staff.username, Staff.name).where(Staff.username.in_(actors))
        names: dict[str, str] = {u: n for u, n in conn.execute(people)} if actors else {}
        for at, actor, action, details, reason in found:
            if action in _ARRIVALS:
                continue  # the "received" line above already says it
            summary = _summary(action, details, reason)
            entries.append(HistoryEntry(at, names.get(actor, actor), action, summary, actor))
        return entries

    # -- the dashboard strip and R13 -------------------------------------------------
    def dashboard(self, now: datetime | None = None) -> Dashboard:
        """Per account: due within 4 h, overdue, not acknowledged; and when last checked."""
        current = now or self._now()
        stale_after = timedelta(days=int(self._stale_days()))
        with self._engine.connect() as conn:
            loads = listing.load_by_account(conn, current, DUE_SOON)
            checked = dict(conn.execute(select(Account.id, Account.last_checked_at)).all())
            refs = listing.accounts(conn)
        lines = []
        for ref in refs:
            if ref.status != "active" and ref.id not in loads:
                continue
            soon, late, waiting = loads.get(ref.id, (0, 0, 0))
            last = checked.get(ref.id)
            stale = ref.status == "active" and (last is None or current - last > stale_after)
            lines.append(AccountLoad(ref, soon, late, waiting, last, stale))
        return Dashboard(tuple(lines), stale_after.days, int(DUE_SOON.total_seconds() // 3600))


def _word(action: str) -> str:
    """ "claimed", "hidden", "escalated to an incident": what an audit entry records."""
    if action in _ACTION_WORDS:
        return _ACTION_WORDS[action]
    kind = action.removeprefix("moderation.")
    if kind in ACTION_LABELS:
        return ACTION_LABELS[kind].lower()
    words = action_words(action)  # any other action, as the audit trail names it
    return words[:1].lower() + words[1:]


def _summary(action: str, details: str, reason: str | None) -> str:
    """What happened, in words: no field names or ids from the audit trail."""
    try:
        data = json.loads(details) if details else {}
    except ValueError:
        data = {}
    bits = []
    if data.get("via") in ACTION_LABELS:
        bits.append(f"by the {ACTION_LABELS[data['via']].lower()} action")
    if data.get("incident"):
        bits.append(f"incident #{data['incident']}")
    if data.get("category"):
        bits.append(CATEGORY_LABELS.get(str(data["category"]), str(data["category"])))
    if data.get("flag"):
        bits.append(f"flag “{flag_label(str(data['flag']))}”")
    if data.get("template"):
        bits.append(f"template “{str(data['template']).replace('_', ' ')}”")
    if data.get("audience_notice"):
        bits.append(f"notice: “{data['audience_notice']}”")
    if data.get("done_by"):
        bits.append(f"done by the {data['done_by']}" if data["done_by"].startswith("moderator") else "")
    text = _word(action) + (f" ({', '.join(b for b in bits if b)})" if any(bits) else "")
    return f"{text} — {reason}" if reason else text
