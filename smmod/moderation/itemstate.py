"""An item's moderation state: loading it, its status after an action, its clock on undo.

Shared by the action and incident services, inside their transactions.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from smmod.errors import NotFound
from smmod.moderation.records import ActionRecord, ItemContext
from smmod.moderation.vocabulary import FIRST_RESPONSE_KINDS, REMOVAL_STATUS
from smmod.platforms import account_label
from smmod.store.models import (
    Account,
    Action,
    Incident,
    IncidentEvidence,
    QueueItem,
    QueueItemFlag,
)

_SAME_MOMENT = timedelta(seconds=1)


def load_item(session: Session, item_id: int) -> QueueItem:
    item = session.get(QueueItem, item_id)
    if item is None:
        raise NotFound(f"no queue item #{item_id}")
    return item


def open_incidents_of(session: Session, item_id: int) -> tuple[int, ...]:
    stmt = (
        select(Incident.id)
        .join(IncidentEvidence, IncidentEvidence.incident_id == Incident.id)
        .where(IncidentEvidence.item_id == item_id, Incident.status == "open")
        .order_by(Incident.id)
    )
    return tuple(session.execute(stmt).scalars())


def item_context(session: Session, item_id: int) -> ItemContext:
    item = load_item(session, item_id)
    account = session.get(Account, item.account_id)
    if account is None:
        raise NotFound(f"no account with id {item.account_id}")
    flags = tuple(
        session.execute(
            select(QueueItemFlag.flag).where(QueueItemFlag.item_id == item_id).order_by(QueueItemFlag.flag)
        ).scalars()
    )
    return ItemContext(
        item.id,
        item.version_id,
        account.platform,
        account_label(account.platform, account.handle),
        account.handle,
        item.author_name,
        item.author_handle,
        item.author_kind,
        item.kind,
        item.status,
        item.text,
        item.received_at,
        item.first_response_at,
        flags,
        open_incidents_of(session, item_id),
        account.id,
    )


def standing_kinds(session: Session, item_id: int) -> set[str]:
    """The kinds of action that stand on the item: recorded and not reversed."""
    reversed_ids = select(Action.reverses_id).where(
        Action.item_id == item_id, Action.reverses_id.is_not(None)
    )
    stmt = select(Action.kind).where(
        Action.item_id == item_id, Action.kind != "reopen", Action.id.not_in(reversed_ids)
    )
    return set(session.execute(stmt).scalars())


def removal_kinds(session: Session, item_id: int) -> set[str]:
    """Which of hide, delete and block stand on the item."""
    return standing_kinds(session, item_id) & set(REMOVAL_STATUS)


def still_useful(suggestion: str, done: set[str], item: QueueItem) -> bool:
    """Whether screening's suggestion still makes sense after what was done to the item.

    Nothing is suggested twice, a deleted comment cannot be hidden, replied to or
    reported, an answered item needs no acknowledgement and an escalated one no second
    escalation.
    """
    action = suggestion.split(":", 1)[0]
    if action in done:
        return False
    if "delete" in done and action in ("hide", "reply", "report_to_platform"):
        return False
    if action == "acknowledge" and item.first_response_at is not None:
        return False
    return not (action == "escalate" and item.status == "escalated")


def refresh_status(session: Session, item: QueueItem) -> None:
    """The status an item has when nothing closes it.

    An open incident comes first (SLT are on it); then what was done to the item on the
    platform, the strongest first: deleted, hidden, its author blocked (R8); then
    responded or new.
    """
    removed = removal_kinds(session, item.id)
    if open_incidents_of(session, item.id):
        item.status = "escalated"
    elif removed:
        kind = next(k for k in ("delete", "hide", "block") if k in removed)
        item.status = REMOVAL_STATUS[kind]
    elif item.first_response_at is not None:
        item.status = "responded"
    else:
        item.status = "new"


def restart_clock_if_needed(session: Session, item: QueueItem, reversed_action: Action) -> None:
    """Undo of the response that stopped the clock: the next remaining one counts, or none.

    A clock stopped some other way (e.g. the queue's own acknowledgement) is left alone.
    """
    if reversed_action.kind not in FIRST_RESPONSE_KINDS or item.first_response_at is None:
        return
    if abs(item.first_response_at - reversed_action.at) > _SAME_MOMENT:
        return
    reversed_ids = set(
        session.execute(
            select(Action.reverses_id).where(Action.item_id == item.id, Action.reverses_id.is_not(None))
        ).scalars()
    )
    reversed_ids.add(reversed_action.id)
    remaining = (
        session.execute(
            select(Action)
            .where(
                Action.item_id == item.id,
                Action.kind.in_(FIRST_RESPONSE_KINDS),
                Action.id.not_in(reversed_ids),
            )
            .order_by(Action.at, Action.id)
        )
        .scalars()
        .first()
    )
    if remaining is None:
        item.first_response_at = None
        item.first_response_by = None
    else:
        item.first_response_at = max(remaining.at, item.received_at)
        item.first_response_by = remaining.actor_id


def action_record(row: Action, names: dict[int, str], reversed_by: int | None = None) -> ActionRecord:
    return ActionRecord(
        row.id,
        row.item_id,
        row.kind,
        row.actor_id,
        names.get(row.actor_id, f"staff #{row.actor_id}"),
        row.at,
        row.reason,
        row.audience_notice,
        row.reply_text,
        row.template,
        row.performed_via,
        row.platform_ref,
        row.reverses_id,
        row.incident_id,
        reversed_by,
    )
