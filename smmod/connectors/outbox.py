"""The outbox: an action asked of a connector waits here until the platform confirms it.

1. ``submit`` checks the request, stores it (with a fresh idempotency key) and commits,
   before anything is sent: a crash mid-send still leaves it on record.
2. One attempt claims the entry (a conditional UPDATE, so two processes never send the
   same entry at once), calls the connector outside any transaction, then records the
   moderation action and marks the entry done in one transaction.
3. A failure that can pass (no network, 429, 5xx) leaves it pending with a back-off;
   one that cannot (401, 403, deleted status) marks it failed for a person to see. When
   an attempt may have reached the platform, the next one checks the platform first.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import Table, or_, select, update

from smmod import audit
from smmod.connectors.errors import ConnectorError, RateLimited
from smmod.errors import InputError, NotFound, SmmodError
from smmod.identity import Actor
from smmod.moderation.actions import ModerationService, validate
from smmod.moderation.connectors import PlatformConnector, PlatformOutcome, PlatformRequest
from smmod.moderation.records import ActionRequest
from smmod.platforms import platform_label
from smmod.queue.access import account_ref, require_moderator
from smmod.store.engine import SessionFactory
from smmod.store.models import Account, OutboxEntry, QueueItem, Staff

log = logging.getLogger("smmod.connectors.outbox")

_OUTBOX = cast(Table, OutboxEntry.__table__)
FIRST_BACKOFF = timedelta(minutes=1)
MAX_BACKOFF = timedelta(hours=1)
STALE_SENDING = timedelta(minutes=15)  # a "sending" entry this old was left by a crash
OPEN_STATUSES = ("pending", "sending", "failed")


@dataclass(frozen=True)
class OutboxInfo:
    id: int
    item_id: int
    account: str
    kind: str
    status: str
    attempts: int
    created_at: datetime
    next_attempt_at: datetime | None
    last_error: str | None
    platform_ref: str | None
    action_id: int | None
    checked_first: bool

    @property
    def done(self) -> bool:
        return self.status == "done"

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "item": self.item_id,
            "account": self.account,
            "action": self.kind,
            "status": self.status,
            "attempts": self.attempts,
            "created_at": self.created_at.isoformat(),
            "next_attempt_at": self.next_attempt_at.isoformat() if self.next_attempt_at else None,
            "last_error": self.last_error,
            "platform_ref": self.platform_ref,
            "action_id": self.action_id,
        }


def backoff(attempts: int) -> timedelta:
    """1, 2, 4 … minutes after each failed attempt, at most an hour."""
    return min(FIRST_BACKOFF * 2 ** max(attempts - 1, 0), MAX_BACKOFF)


class OutboxService:
    def __init__(
        self,
        session_factory: SessionFactory,
        moderation: ModerationService,
        connector_for: Callable[[str], PlatformConnector | None],
        *,
        now: Callable[[], datetime],
    ) -> None:
        self._sf = session_factory
        self._moderation = moderation
        self._connector_for = connector_for
        self._now = now

    # -- asking ----------------------------------------------------------------------
    def submit(self, actor: Actor, request: ActionRequest) -> OutboxInfo:
        """Queue one platform action and try it at once; the entry says how it went."""
        request = validate(request)
        with self._sf.begin() as session:
            item = session.get(QueueItem, request.item_id)
            if item is None:
                raise NotFound(f"no queue item #{request.item_id}")
            account = account_ref(session, item.account_id)
            require_moderator(session, actor, account, "act on queue items")
            connector = self._connector_for(account.platform)
            if connector is None or not connector.can_perform(request.kind, account.platform):
                why = getattr(connector, "refusal", lambda kind: None)(request.kind)
                where = platform_label(account.platform)
                raise InputError(
                    f"smmod cannot {request.kind.replace('_', ' ')} on {where} itself"
                    + (f" ({why})" if why else "")
                    + "; do it on the platform and record it with --manual",
                    field="action",
                )
            entry = OutboxEntry(
                item_id=item.id,
                account_id=account.id,
                actor_id=actor.staff_id,
                kind=request.kind,
                reason=request.reason or None,
                audience_notice=request.audience_notice or None,
                reply_text=request.reply_text or None,
                template=request.template,
                idempotency_key=uuid.uuid4().hex,
                status="pending",
                progress="{}",
                attempts=0,
                maybe_sent=False,
                next_attempt_at=self._now(),
            )
            session.add(entry)
            session.flush()
            audit.record(
                session,
                actor=actor.username,
                action="connector.action_queued",
                subject=f"queue_item:{item.id}",
                details={"outbox": entry.id, "kind": request.kind, "account": account.label},
                reason=request.reason or None,
            )
            entry_id = entry.id
        return self.attempt(entry_id)

    # -- sending ---------------------------------------------------------------------
    def drain(self, account_id: int | None = None) -> list[OutboxInfo]:
        """Try every entry whose back-off has passed (what each sync does first)."""
        now = self._now()
        with self._sf() as session:
            stmt = select(OutboxEntry.id).where(
                or_(
                    (OutboxEntry.status == "pending") & (OutboxEntry.next_attempt_at <= now),
                    (OutboxEntry.status == "sending") & (OutboxEntry.updated_at <= now - STALE_SENDING),
                )
            )
            if account_id is not None:
                stmt = stmt.where(OutboxEntry.account_id == account_id)
            ids = list(session.execute(stmt.order_by(OutboxEntry.id)).scalars())
        return [self.attempt(entry_id) for entry_id in ids]

    def attempt(self, entry_id: int) -> OutboxInfo:
        claimed = self._claim(entry_id)
        if claimed is None:
            return self.get(entry_id)
        actor, action, platform_request, connector = claimed
        try:
            outcome = connector.perform(platform_request)
        except ConnectorError as error:
            self._failed(entry_id, error)
        except Exception:
            log.exception("outbox entry %d: the connector failed unexpectedly", entry_id)
            self._failed(
                entry_id,
                ConnectorError(
                    "something went wrong while sending; the details are in the log", maybe_done=True
                ),
            )
        else:
            self._record(entry_id, actor, action, outcome)
        return self.get(entry_id)

    def _claim(self, entry_id: int) -> tuple[Actor, ActionRequest, PlatformRequest, PlatformConnector] | None:
        now = self._now()
        with self._sf.begin() as session:
            before = session.execute(
                select(OutboxEntry.status).where(OutboxEntry.id == entry_id)
            ).scalar_one_or_none()
            stale = now - STALE_SENDING
            result = session.execute(
                update(_OUTBOX)
                .where(
                    _OUTBOX.c.id == entry_id,
                    or_(
                        _OUTBOX.c.status == "pending",
                        (_OUTBOX.c.status == "sending") & (_OUTBOX.c.updated_at <= stale),
                    ),
                )
                .values(status="sending", attempts=_OUTBOX.c.attempts + 1, updated_at=now)
                .execution_options(synchronize_session=False)
            )
            if not result.rowcount:  # type: ignore[attr-defined]
                return None
            entry = session.get(OutboxEntry, entry_id)
            item = session.get(QueueItem, entry.item_id) if entry else None
            account = session.get(Account, entry.account_id) if entry else None
            staff = session.get(Staff, entry.actor_id) if entry else None
            assert entry is not None and item is not None and account is not None and staff is not None
            # An earlier attempt may have got through, or a crash left it "sending": look first.
            check_first = entry.maybe_sent or before == "sending"
            actor = Actor(staff.username, staff.id, staff.name, staff.role_names)
            action = ActionRequest(
                item.id,
                entry.kind,
                entry.reason or "",
                entry.audience_notice or "",
                entry.reply_text or "",
                entry.template,
            )
            platform_request = PlatformRequest(
                entry.kind,
                account.platform,
                account.handle,
                item.platform_item_id,
                item.author_handle,
                entry.reason or "",
                entry.reply_text,
                entry.audience_notice,
                idempotency_key=entry.idempotency_key,
                check_first=check_first,
            )
            entry.maybe_sent = check_first
            connector = self._connector_for(account.platform)
            if connector is None:
                entry.status = "pending"
                entry.last_error = f"{platform_label(account.platform)} is not connected"
                entry.next_attempt_at = now + backoff(entry.attempts)
                return None
            return actor, action, platform_request, connector

    def _record(self, entry_id: int, actor: Actor, action: ActionRequest, outcome: PlatformOutcome) -> None:
        try:
            with self._sf.begin() as session:
                result = self._moderation.act(actor, action, session=session, performed=outcome)
                entry = session.get(OutboxEntry, entry_id)
                assert entry is not None
                entry.status = "done"
                entry.platform_ref = outcome.platform_ref
                entry.action_id = result.record.id
                entry.last_error = None
                entry.next_attempt_at = None
        except SmmodError as error:
            # Done on the platform but not recorded: keep it, and let a retry find it there.
            with self._sf.begin() as session:
                entry = session.get(OutboxEntry, entry_id)
                assert entry is not None
                entry.status = "failed"
                entry.maybe_sent = True
                entry.platform_ref = outcome.platform_ref
                entry.last_error = f"done on the platform ({outcome.platform_ref}) but not recorded: {error}"
        log.info("outbox entry %d done: %s", entry_id, outcome.platform_ref)

    def _failed(self, entry_id: int, error: ConnectorError) -> None:
        now = self._now()
        with self._sf.begin() as session:
            entry = session.get(OutboxEntry, entry_id)
            assert entry is not None
            entry.maybe_sent = entry.maybe_sent or error.maybe_done
            entry.last_error = str(error)
            if error.retryable:
                entry.status = "pending"
                wait = now + backoff(entry.attempts)
                if isinstance(error, RateLimited) and error.retry_at is not None:
                    wait = max(wait, error.retry_at)
                entry.next_attempt_at = wait
            else:
                entry.status = "failed"
                entry.next_attempt_at = None
        log.info("outbox entry %d not done: %s", entry_id, error)

    # -- people looking after it -----------------------------------------------------
    def list(self, statuses: tuple[str, ...] = OPEN_STATUSES) -> list[OutboxInfo]:
        with self._sf() as session:
            stmt = select(OutboxEntry).order_by(OutboxEntry.id)
            if statuses:
                stmt = stmt.where(OutboxEntry.status.in_(statuses))
            return [self._info(session, e) for e in session.execute(stmt).scalars()]

    def get(self, entry_id: int) -> OutboxInfo:
        with self._sf() as session:
            entry = session.get(OutboxEntry, entry_id)
            if entry is None:
                raise NotFound(f"no outbox entry #{entry_id}")
            return self._info(session, entry)

    def retry(self, actor: Actor, entry_id: int, *, not_sent: bool = False) -> OutboxInfo:
        """Put a failed entry back; ``not_sent``: a person checked it did not happen."""
        self._change(actor, entry_id, "pending", not_sent=not_sent)
        return self.attempt(entry_id)

    def cancel(self, actor: Actor, entry_id: int, reason: str) -> OutboxInfo:
        if not (reason or "").strip():
            raise InputError("say why it is cancelled", field="reason")
        self._change(actor, entry_id, "cancelled", reason=reason.strip())
        return self.get(entry_id)

    def _change(
        self, actor: Actor, entry_id: int, status: str, *, not_sent: bool = False, reason: str | None = None
    ) -> None:
        with self._sf.begin() as session:
            entry = session.get(OutboxEntry, entry_id)
            if entry is None:
                raise NotFound(f"no outbox entry #{entry_id}")
            require_moderator(session, actor, account_ref(session, entry.account_id), "change the outbox")
            if entry.status not in ("pending", "failed"):
                raise InputError(f"outbox entry #{entry_id} is {entry.status}", field="entry")
            entry.status = status
            entry.next_attempt_at = self._now() if status == "pending" else None
            if not_sent:
                entry.maybe_sent = False
            audit.record(
                session,
                actor=actor.username,
                action=f"connector.outbox_{status}",
                subject=f"queue_item:{entry.item_id}",
                details={"outbox": entry_id, "not_sent": not_sent},
                reason=reason,
            )

    @staticmethod
    def _info(session: Any, entry: OutboxEntry) -> OutboxInfo:
        return OutboxInfo(
            entry.id,
            entry.item_id,
            account_ref(session, entry.account_id).label,
            entry.kind,
            entry.status,
            entry.attempts,
            entry.created_at,
            entry.next_attempt_at,
            entry.last_error,
            entry.platform_ref,
            entry.action_id,
            entry.maybe_sent,
        )
