"""Keeping stored due times right (R7), and stopping the clock at the first response.

Due times are stored so the triage view can sort and filter in SQL. When the calendar
settings change (nation, zone, end of day, closures, rolling), every item whose clock
is still running gets its due time recomputed from its receipt time. Items already
answered keep theirs: whether they were answered on time is history.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from smmod.errors import InputError, NotFound
from smmod.queue.calendar import fingerprint
from smmod.queue.listing import ITEMS, awaiting_response
from smmod.sla import WorkingCalendar, due_at
from smmod.store.models import QueueItem, QueueMeta

CALENDAR_KEY = "sla.calendar"
_BATCH = 5_000


def stored_fingerprint(session: Session) -> str | None:
    return session.execute(select(QueueMeta.value).where(QueueMeta.key == CALENDAR_KEY)).scalar_one_or_none()


def _store_fingerprint(session: Session, value: str) -> None:
    meta = session.get(QueueMeta, CALENDAR_KEY)
    if meta is None:
        session.add(QueueMeta(key=CALENDAR_KEY, value=value))
    else:
        meta.value = value


def recompute_due(session: Session, calendar: WorkingCalendar, now: datetime) -> int:
    """Recompute due times of items awaiting a response; return how many moved."""
    stmt = select(ITEMS.c.id, ITEMS.c.received_at, ITEMS.c.due_at).where(awaiting_response())
    changed: list[dict[str, object]] = []
    moved = 0
    update_stmt = (
        update(ITEMS)
        .where(ITEMS.c.id == bindparam("item_id"))
        .values(due_at=bindparam("new_due"), updated_at=now)
    )
    for item_id, received, old_due in session.execute(stmt).all():
        new_due = due_at(received, calendar)
        if new_due != old_due:
            changed.append({"item_id": item_id, "new_due": new_due})
        if len(changed) >= _BATCH:
            session.execute(update_stmt, changed)
            moved += len(changed)
            changed = []
    if changed:
        session.execute(update_stmt, changed)
        moved += len(changed)
    _store_fingerprint(session, fingerprint(calendar))
    return moved


def due_times_current(session: Session, calendar: WorkingCalendar) -> bool:
    return stored_fingerprint(session) == fingerprint(calendar)


def bring_up_to_date(session: Session, calendar: WorkingCalendar, now: datetime) -> int:
    """Recompute due times if the calendar changed since they were stored; how many moved."""
    if due_times_current(session, calendar):
        return 0
    return recompute_due(session, calendar, now)


def remember_calendar(session: Session, calendar: WorkingCalendar) -> None:
    """Note the calendar the stored due times were computed with."""
    if not due_times_current(session, calendar):
        _store_fingerprint(session, fingerprint(calendar))


def stop_clock(
    session: Session, item_id: int, at: datetime, staff_id: int | None, now: datetime | None = None
) -> bool:
    """Record the first response; an earlier one already recorded is kept.

    Returns True when this call stopped the clock (or moved it to an earlier time).
    """
    if at.tzinfo is None or at.utcoffset() is None:
        raise InputError("the response time has no time zone", field="at")
    item = session.get(QueueItem, item_id)
    if item is None:
        raise NotFound(f"no queue item #{item_id}")
    if at < item.received_at:
        raise InputError(
            f"a response at {at.isoformat()} would be before the item was received "
            f"({item.received_at.isoformat()})",
            field="at",
        )
    if item.first_response_at is not None and item.first_response_at <= at:
        return False
    item.first_response_at = at
    item.first_response_by = staff_id
    if now is not None:
        item.updated_at = now
    if item.status == "new":
        item.status = "responded"
    session.flush()
    return True
