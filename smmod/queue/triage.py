"""The priority order of the queue: the most dangerous items first.

Every item carries a small number, ``queue_items.triage``, and the "priority" sort is
``ORDER BY triage, due_at`` on an index, so it costs no more than sorting by deadline.

* 0: a threat of violence, or an item in an incident marked "police advised" (R9);
* 1: racist or discriminatory content;
* 2: personal data, a pupil on the do-not-publish list named (R11), or a photo of people;
* 3: everything else;

plus ``TRIAGE_HANDLED`` (4) once the item no longer needs anyone: it has had its
response (R7) or was resolved, and is not in an open incident. Each group is in
deadline order.

The number follows the item's flags, incidents and status without anyone having to
remember it: every transaction that changes one of them (through the ORM, or through
``mark`` after a bulk insert) recomputes it for the items concerned, in one UPDATE just
before the commit.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Final, cast

from sqlalchemy import Table, and_, case, event, exists, literal_column, or_, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import get_history
from sqlalchemy.sql.elements import ColumnElement

from smmod.store.base import session_clock
from smmod.store.models import Incident, IncidentEvidence, QueueItem, QueueItemFlag
from smmod.store.models.queue import TRIAGE_HANDLED, TRIAGE_OTHER

ITEMS = cast(Table, QueueItem.__table__)
FLAGS = cast(Table, QueueItemFlag.__table__)
EVIDENCE = cast(Table, IncidentEvidence.__table__)
INCIDENTS = cast(Table, Incident.__table__)

#: The danger groups in order, each with the flags that put an item in it.
GROUP_FLAGS: Final = (
    ("threat",),
    ("discriminatory",),
    ("personal_data", "names_protected_pupil", "photo_people"),
)
GROUP_NAMES: Final = (
    "Threats and police advised",
    "Racist or discriminatory",
    "Personal data about pupils",
    "Everything else",
)
DESCRIPTION: Final = (
    "Priority: threats and items marked police advised first, then racist or "
    "discriminatory content, then personal data about pupils, then everything else; "
    "each group by deadline. Items that need nothing more come after them."
)

_PENDING = "smmod.triage.items"
_PENDING_INCIDENTS = "smmod.triage.incidents"
_CHUNK = 500


def _has_flag(names: Iterable[str]) -> ColumnElement[bool]:
    return exists().where(FLAGS.c.item_id == ITEMS.c.id, FLAGS.c.flag.in_(sorted(names)))


def _police_advised() -> ColumnElement[bool]:
    return exists().where(
        EVIDENCE.c.item_id == ITEMS.c.id,
        INCIDENTS.c.id == EVIDENCE.c.incident_id,
        INCIDENTS.c.police_advised.is_(True),
    )


def triage_value() -> ColumnElement[int]:
    """The SQL for an item's place in the priority order (see the module docstring)."""
    threat, discriminatory, pupils = GROUP_FLAGS
    group = case(
        (or_(_has_flag(threat), _police_advised()), 0),
        (_has_flag(discriminatory), 1),
        (_has_flag(pupils), 2),
        else_=TRIAGE_OTHER,
    )
    needs_someone = or_(
        and_(ITEMS.c.first_response_at.is_(None), ITEMS.c.status != literal_column("'resolved'")),
        ITEMS.c.status == literal_column("'escalated'"),
    )
    return group + case((needs_someone, 0), else_=TRIAGE_HANDLED)


def refresh(session: Session, item_ids: Iterable[int]) -> int:
    """Recompute the order of these items now; returns how many moved.

    An item that moves is stamped as changed, so open views reorder it.
    """
    ids = sorted(set(item_ids))
    if not ids:
        return 0
    value = triage_value()
    now = session_clock(session).now()
    moved = 0
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        stmt = (
            update(ITEMS)
            .where(ITEMS.c.id.in_(chunk), ITEMS.c.triage != value)
            .values(triage=value, updated_at=now)
            .execution_options(synchronize_session=False)
        )
        result: Any = session.execute(stmt)
        moved += int(result.rowcount or 0)
    return moved


def mark(session: Session, item_ids: Iterable[int]) -> None:
    """Recompute these items' order before the transaction commits (after bulk writes
    the ORM does not see, such as flags inserted by screening an import)."""
    pending: set[int] = session.info.setdefault(_PENDING, set())
    pending.update(i for i in item_ids if i is not None)


def _changed(obj: object, *names: str) -> bool:
    return any(get_history(obj, name).has_changes() for name in names)


@event.listens_for(Session, "after_flush")
def _collect(session: Session, _flush_context: Any) -> None:
    """After each flush: note the items whose flags, incidents or status changed."""
    items: set[int] = set()
    incidents: set[int] = set()
    for obj in session.new:
        if isinstance(obj, QueueItem):
            items.add(obj.id)
        elif isinstance(obj, QueueItemFlag | IncidentEvidence) and obj.item_id is not None:
            items.add(obj.item_id)
    for obj in session.dirty:
        if isinstance(obj, QueueItem) and _changed(obj, "first_response_at", "status"):
            items.add(obj.id)
        elif isinstance(obj, Incident) and _changed(obj, "police_advised"):
            incidents.add(obj.id)
    for obj in session.deleted:
        if isinstance(obj, QueueItemFlag):
            items.add(obj.item_id)
    if items:
        mark(session, items)
    if incidents:
        session.info.setdefault(_PENDING_INCIDENTS, set()).update(incidents)


@event.listens_for(Session, "before_commit")
def _apply(session: Session) -> None:
    """Before the commit: recompute the order of everything noted in this transaction."""
    session.flush()
    items: set[int] = session.info.pop(_PENDING, set())
    incidents: set[int] = session.info.pop(_PENDING_INCIDENTS, set())
    if incidents:
        found = session.execute(
            select(EVIDENCE.c.item_id).where(
                EVIDENCE.c.incident_id.in_(sorted(incidents)), EVIDENCE.c.item_id.is_not(None)
            )
        ).scalars()
        items.update(found)
    refresh(session, items)


@event.listens_for(Session, "after_rollback")
def _forget(session: Session, *_args: Any) -> None:
    session.info.pop(_PENDING, None)
    session.info.pop(_PENDING_INCIDENTS, None)

