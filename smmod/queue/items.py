"""Changes to single items inside the caller's transaction: manual entry, claims, flags.

``QueueService`` wraps each in one transaction; the moderation feature can call them
inside its own (an action and its effects commit together).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from smmod import audit
from smmod.errors import ConflictError, InputError, NotFound
from smmod.identity import Actor
from smmod.queue.access import account_ref, require_moderator
from smmod.queue.parsers import AUTHOR_KINDS, KINDS, content_hash
from smmod.queue.records import ManualItem
from smmod.sla import WorkingCalendar, due_at
from smmod.store.models import QueueItem, QueueItemFlag, Staff

EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
FUTURE_SLACK = timedelta(days=1)
MAX_TEXT = 100_000
MAX_FIELD = 2_000


def subject(item_id: int) -> str:
    """How the audit trail names an item."""
    return f"queue_item:{item_id}"


def required(value: str | None, name: str, limit: int) -> str:
    clean = (value or "").strip()
    if not clean:
        raise InputError("must not be empty", field=name)
    if len(clean) > limit:
        raise InputError(f"is {len(clean):,} characters; the limit is {limit:,}", field=name)
    return clean


def _check_entry(entry: ManualItem, now: datetime) -> tuple[str, str, str | None]:
    text = required(entry.text, "text", MAX_TEXT).replace("\r\n", "\n")
    author = required(entry.author_name, "author_name", MAX_FIELD)
    if entry.kind not in KINDS:
        raise InputError(f"'{entry.kind}' is not a kind; use one of {', '.join(sorted(KINDS))}", field="kind")
    if entry.author_kind not in AUTHOR_KINDS:
        raise InputError(
            f"'{entry.author_kind}' is not an author kind; use one of {', '.join(sorted(AUTHOR_KINDS))}",
            field="author_kind",
        )
    received = entry.received_at
    if not isinstance(received, datetime) or received.tzinfo is None:
        raise InputError("needs a date and time with a time zone", field="received_at")
    if received < EARLIEST:
        raise InputError(f"{received.isoformat()} is before 2000", field="received_at")
    if received > now + FUTURE_SLACK:
        raise InputError(f"{received.isoformat()} is more than a day in the future", field="received_at")
    url = (entry.url or "").strip() or None
    if url and not url.lower().startswith(("http://", "https://")):
        raise InputError("is not a web address (http or https)", field="url")
    return text, author, url


def insert_manual(
    session: Session, actor: Actor, entry: ManualItem, calendar: WorkingCalendar, now: datetime
) -> int:
    """Validate and add an item typed or pasted by a moderator; returns its id."""
    text, author, url = _check_entry(entry, now)
    platform_id = (entry.platform_item_id or "").strip() or None
    account = account_ref(session, entry.account_id)
    require_moderator(session, actor, account, "add items to this account's queue")
    parent = None
    if entry.parent_id is not None:
        parent = session.get(QueueItem, entry.parent_id)
        if parent is None or parent.account_id != account.id:
            raise InputError(f"item #{entry.parent_id} is not in this account's queue", field="parent_id")
    if platform_id:
        clash = session.execute(
            select(QueueItem.id).where(
                QueueItem.account_id == account.id, QueueItem.platform_item_id == platform_id
            )
        ).scalar_one_or_none()
        if clash is not None:
            raise InputError(f"is already in the queue as item #{clash}", field="platform_item_id")
    received = entry.received_at
    item = QueueItem(
        account_id=account.id,
        source="manual",
        source_ref="entered by hand",
        platform_item_id=platform_id,
        parent_platform_id=parent.platform_item_id if parent else None,
        parent_id=parent.id if parent else None,
        author_name=author,
        author_handle=(entry.author_handle or "").strip() or None,
        author_kind=entry.author_kind,
        text=text,
        url=url,
        content_hash=content_hash(author, text, received),
        received_at=received,
        kind=entry.kind,
        status="new",
        priority=0,
        due_at=due_at(received, calendar),
        imported_at=now,
        imported_by=actor.staff_id,
        updated_at=now,
    )
    session.add(item)
    session.flush()
    audit.record(
        session,
        actor=actor.username,
        action="queue.add_manual",
        subject=subject(item.id),
        details={"account": account.label, "kind": entry.kind},
    )
    return item.id


def set_claims(
    session: Session,
    actor: Actor,
    items: Sequence[tuple[int, int]],
    *,
    claim: bool,
    take_over: bool,
    now: datetime,
) -> int:
    """Claim or release items seen at the given versions; any conflict refuses them all."""
    doing = "claim items" if claim else "release items"
    problems: list[str] = []
    changed = 0
    for item_id, version_id in items:
        item = session.get(QueueItem, item_id)
        if item is None:
            raise NotFound(f"no queue item #{item_id}")
        require_moderator(session, actor, account_ref(session, item.account_id), doing)
        if item.version_id != version_id:
            problems.append(f"#{item_id} was changed elsewhere")
            continue
        holder = item.claimed_by
        if (claim and holder == actor.staff_id) or (not claim and holder is None):
            continue
        if holder is not None and holder != actor.staff_id and not take_over:
            person = session.get(Staff, holder)
            problems.append(f"#{item_id} is claimed by {person.name if person else 'someone else'}")
            continue
        item.claimed_by = actor.staff_id if claim else None
        item.claimed_at = now if claim else None
        item.updated_at = now
        audit.record(
            session,
            actor=actor.username,
            action="queue.claim" if claim else "queue.release",
            subject=subject(item_id),
            details={"from": holder} if holder else {},
        )
        changed += 1
    if problems:
        more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
        done = "claimed" if claim else "released"
        raise ConflictError(
            f"{'; '.join(problems[:5])}{more}. Nothing was {done}: reload to see the change, then try again."
        )
    session.flush()
    return changed


def set_flag(
    session: Session, item_id: int, flag: str, *, source: str, staff_id: int | None, now: datetime
) -> None:
    """Label an item (idempotent); the item counts as changed, so open views notice."""
    name = required(flag, "flag", 40).lower()
    item = session.get(QueueItem, item_id)
    if item is None:
        raise NotFound(f"no queue item #{item_id}")
    if session.get(QueueItemFlag, (item_id, name)) is None:
        session.add(
            QueueItemFlag(item_id=item_id, flag=name, source=source[:100], set_at=now, set_by=staff_id)
        )
        item.updated_at = now
        session.flush()


def clear_flag(session: Session, item_id: int, flag: str, *, now: datetime) -> None:
    found = session.get(QueueItemFlag, (item_id, flag.strip().lower()))
    if found is not None:
        session.delete(found)
        item = session.get(QueueItem, item_id)
        if item is not None:
            item.updated_at = now
        session.flush()
