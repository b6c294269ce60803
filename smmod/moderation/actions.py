"""Recording moderation actions on queue items (R8, R10), with their reasons and notices.

Every action is a new row in ``actions`` plus an audit entry, in one transaction; an
action recorded by mistake is reversed by a ``reopen`` that names it, so the history
keeps both. Acknowledge and reply stop the item's response clock (R7) through the
queue's own ``record_first_response``; escalation does too, in ``IncidentService``.

Platform-side actions (reply, hide, delete, block, report) go through a
``PlatformConnector``: today the moderator does them by hand and smmod records them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from smmod import audit
from smmod.errors import ConflictError, InputError, NotFound, PolicyError
from smmod.identity import Actor
from smmod.moderation import screening
from smmod.moderation.connectors import (
    ManualConnector,
    PlatformConnector,
    PlatformOutcome,
    PlatformRequest,
)
from smmod.moderation.itemstate import (
    action_record,
    item_context,
    load_item,
    refresh_status,
    restart_clock_if_needed,
)
from smmod.moderation.records import (
    ActionOutcome,
    ActionRecord,
    ActionRequest,
    BulkOutcome,
    ItemContext,
    ItemScreening,
)
from smmod.moderation.rulestore import RuleStore
from smmod.moderation.templates import TemplateStore, unfilled
from smmod.moderation.vocabulary import (
    ACTION_KINDS,
    FIRST_RESPONSE_KINDS,
    MAX_NOTICE,
    MAX_REASON,
    MAX_REPLY,
    NOTICE_ALLOWED,
    NOTICE_REQUIRED,
    PLATFORM_KINDS,
    REASON_REQUIRED,
    REMOVAL_STATUS,
)
from smmod.moderation.wordliststore import WordListStore
from smmod.queue.access import account_ref, require_moderator
from smmod.queue.service import QueueService
from smmod.store.engine import SessionFactory
from smmod.store.models import Action, QueueItem, QueueItemFlag, ScreeningMatch, ScreeningOverride, Staff

log = logging.getLogger("smmod.moderation")


def _text(value: str | None, field: str, limit: int, *, required: bool) -> str:
    clean = (value or "").replace("\r\n", "\n").strip()
    if required and not clean:
        raise InputError("is required for this action", field=field)
    if len(clean) > limit:
        raise InputError(f"is {len(clean):,} characters; the limit is {limit:,}", field=field)
    return clean


def validate(request: ActionRequest) -> ActionRequest:
    """Check the fields an action needs (R8) before anything is touched.

    Returns the request with its texts trimmed. Raises ``InputError`` naming the field.
    """
    kind = request.kind
    if kind not in ACTION_KINDS:
        raise InputError(f"'{kind}' is not an action; use one of {', '.join(ACTION_KINDS)}", field="kind")
    if kind == "escalate":
        raise InputError("escalate by creating or choosing an incident", field="kind")
    reason = _text(request.reason, "reason", MAX_REASON, required=kind in REASON_REQUIRED)
    notice = _text(request.audience_notice, "audience_notice", MAX_NOTICE, required=kind in NOTICE_REQUIRED)
    if notice and kind not in NOTICE_ALLOWED:
        raise InputError(
            f"an audience notice only goes with {', '.join(sorted(NOTICE_ALLOWED))}", field="audience_notice"
        )
    reply = _text(request.reply_text, "reply_text", MAX_REPLY, required=kind == "reply")
    if reply and kind != "reply":
        raise InputError("reply text only goes with a reply", field="reply_text")
    for text, field in ((notice, "audience_notice"), (reply, "reply_text")):
        left = unfilled(text)
        if left:
            words = "placeholder" if len(left) == 1 else "placeholders"
            raise InputError(f"still has the {words} {', '.join(left)}", field=field)
    if request.reverses_id is not None and kind != "reopen":
        raise InputError("only a reopen reverses another action", field="reverses_id")
    return ActionRequest(
        request.item_id,
        kind,
        reason,
        notice,
        reply,
        request.template or None,
        request.version_id,
        request.reverses_id,
    )


class ModerationService:
    """Actions on items, screening explanations, rules, word lists and templates."""

    def __init__(
        self,
        session_factory: SessionFactory,
        queue: QueueService,
        *,
        school: Callable[[], str],
        connector: PlatformConnector | None = None,
        now: Callable[[], datetime] | None = None,
    ) -> None:
        self._sf = session_factory
        self._queue = queue
        self._now = now or session_factory.clock.now
        self.connector: PlatformConnector = connector or ManualConnector()
        self.templates = TemplateStore(session_factory, school=school)
        self.rules = RuleStore(session_factory)
        self.wordlists = WordListStore(session_factory)

    # -- reading -----------------------------------------------------------------------
    def context(self, item_id: int) -> ItemContext:
        with self._sf() as session:
            return item_context(session, item_id)

    def actions_for(self, item_id: int) -> list[ActionRecord]:
        """The item's actions, oldest first, each saying whether it was reversed."""
        with self._sf() as session:
            rows = (
                session.execute(
                    select(Action).where(Action.item_id == item_id).order_by(Action.at, Action.id)
                )
                .scalars()
                .all()
            )
            names = _names(session, {r.actor_id for r in rows})
            reversed_by = {r.reverses_id: r.id for r in rows if r.reverses_id is not None}
            return [action_record(r, names, reversed_by.get(r.id)) for r in rows]

    def screening_for(self, item_id: int) -> ItemScreening:
        with self._sf() as session:
            if session.get(QueueItem, item_id) is None:
                raise NotFound(f"no queue item #{item_id}")
            return screening.item_screening(session, item_id)

    def render_template(self, key: str, item_id: int) -> str:
        """A template filled in for this item's account and author."""
        ctx = self.context(item_id)
        return self.templates.render(key, account=ctx.account_handle, author=ctx.author_name)

    # -- recording ---------------------------------------------------------------------
    def act(
        self,
        actor: Actor,
        request: ActionRequest,
        *,
        session: Session | None = None,
        performed: PlatformOutcome | None = None,
    ) -> ActionOutcome:
        """Record one action (performing it through the connector when it can).

        ``performed`` is an outcome the platform already confirmed (the outbox sends
        first, outside any transaction, then records): it is recorded as it is and the
        connector is not called. Pass ``session`` to record inside your transaction.
        """
        request = validate(request)
        if session is not None:
            return self._act_in(session, actor, request, performed)
        try:
            with self._sf.begin() as own:
                return self._act_in(own, actor, request, performed)
        except StaleDataError:
            raise ConflictError(f"#{request.item_id} was changed elsewhere — reload") from None

    def _act_in(
        self, session: Session, actor: Actor, request: ActionRequest, performed: PlatformOutcome | None
    ) -> ActionOutcome:
        item = load_item(session, request.item_id)
        require_moderator(session, actor, account_ref(session, item.account_id), "act on queue items")
        if request.version_id is not None and item.version_id != request.version_id:
            raise ConflictError(f"#{item.id} was changed elsewhere — reload and try again")
        if performed is not None:
            done, via, ref, message = True, performed.via, performed.platform_ref, performed.message
        else:
            done, via, ref, message = self._perform(session, item, request)
        row = self._record(session, actor, item, request, via=via, ref=ref)
        record = action_record(row, {actor.staff_id or 0: actor.name or actor.username})
        return ActionOutcome(record, done, message)

    def acknowledge_many(self, actor: Actor, item_ids: Sequence[int], reason: str = "") -> BulkOutcome:
        """Acknowledge a selection in one transaction; answered or resolved items are skipped."""
        return self._bulk(actor, item_ids, "acknowledge", reason)

    def resolve_many(self, actor: Actor, item_ids: Sequence[int], reason: str = "") -> BulkOutcome:
        """Resolve a selection in one transaction; already resolved items are skipped."""
        return self._bulk(actor, item_ids, "resolve", reason)

    def mark_flag_wrong(self, actor: Actor, item_id: int, flag: str, reason: str = "") -> int:
        """Say a rule's flag on an item is wrong: the flag goes, the rule's count goes up."""
        reason = _text(reason, "reason", MAX_REASON, required=False)
        with self._sf.begin() as session:
            item = load_item(session, item_id)
            require_moderator(
                session, actor, account_ref(session, item.account_id), "correct screening flags"
            )
            rules = sorted(
                set(
                    session.execute(
                        select(ScreeningMatch.rule_id).where(
                            ScreeningMatch.item_id == item_id, ScreeningMatch.flag == flag
                        )
                    ).scalars()
                )
            )
            if not rules:
                raise InputError(f"#{item_id} has no flag '{flag}' set by a screening rule", field="flag")
            already = set(
                session.execute(
                    select(ScreeningOverride.rule_id).where(
                        ScreeningOverride.item_id == item_id, ScreeningOverride.flag == flag
                    )
                ).scalars()
            )
            for rule_id in rules:
                if rule_id not in already:
                    session.add(
                        ScreeningOverride(
                            item_id=item_id,
                            rule_id=rule_id,
                            flag=flag,
                            reason=reason,
                            by=actor.staff_id,
                            at=self._now(),
                        )
                    )
            found = session.get(QueueItemFlag, (item_id, flag))
            if found is not None:
                session.delete(found)
            item.updated_at = self._now()
            session.flush()
            audit.record(
                session,
                actor=actor.username,
                action="moderation.flag_marked_wrong",
                subject=f"queue_item:{item_id}",
                details={"flag": flag, "rules": rules},
                reason=reason or None,
            )
            return len(set(rules) - already)

    # -- internals ---------------------------------------------------------------------
    def _bulk(self, actor: Actor, item_ids: Sequence[int], kind: str, reason: str) -> BulkOutcome:
        reason = _text(reason, "reason", MAX_REASON, required=False)
        ids = list(dict.fromkeys(item_ids))
        if not ids:
            raise InputError("select at least one item", field="items")
        recorded, stopped = 0, 0
        skipped: list[int] = []
        try:
            with self._sf.begin() as session:
                for item_id in ids:
                    item = load_item(session, item_id)
                    require_moderator(
                        session, actor, account_ref(session, item.account_id), "act on queue items"
                    )
                    if item.status == "resolved" or (kind == "acknowledge" and item.first_response_at):
                        skipped.append(item_id)
                        continue
                    had_response = item.first_response_at is not None
                    self._record(session, actor, item, ActionRequest(item_id, kind, reason))
                    recorded += 1
                    stopped += int(not had_response and item.first_response_at is not None)
        except StaleDataError:
            raise ConflictError("an item was changed elsewhere — reload and try again") from None
        return BulkOutcome(recorded, tuple(skipped), stopped)

    def _perform(
        self, session: Session, item: QueueItem, request: ActionRequest
    ) -> tuple[bool, str, str | None, str]:
        ref = account_ref(session, item.account_id)
        if request.kind not in PLATFORM_KINDS:
            return False, "smmod", None, ""
        platform_request = PlatformRequest(
            request.kind,
            ref.platform,
            ref.handle,
            item.platform_item_id,
            item.author_handle,
            request.reason,
            request.reply_text or None,
            request.audience_notice or None,
        )
        if self.connector.can_perform(request.kind, ref.platform):
            outcome = self.connector.perform(platform_request)
            log.info("%s performed %s on #%d", outcome.via, request.kind, item.id)
        else:
            outcome = ManualConnector().perform(platform_request)
        return outcome.performed, outcome.via, outcome.platform_ref, outcome.message

    def _record(
        self,
        session: Session,
        actor: Actor,
        item: QueueItem,
        request: ActionRequest,
        *,
        via: str = "smmod",
        ref: str | None = None,
    ) -> Action:
        """Write the action and its effects on the item, and the audit entry."""
        now = self._now()
        kind = request.kind
        reversed_action = self._check_state(session, item, request)
        row = Action(
            item_id=item.id,
            actor_id=actor.staff_id,
            kind=kind,
            reason=request.reason or None,
            audience_notice=request.audience_notice or None,
            reply_text=request.reply_text or None,
            template=request.template,
            performed_via=via,
            platform_ref=ref,
            reverses_id=request.reverses_id,
            at=now,
        )
        session.add(row)
        session.flush()
        if kind in FIRST_RESPONSE_KINDS:
            self._queue.record_first_response(
                item.id, max(now, item.received_at), actor=actor, session=session, via=kind
            )
        if kind == "resolve":
            item.status = "resolved"
        elif kind == "reopen":
            if reversed_action is not None:
                restart_clock_if_needed(session, item, reversed_action)
            refresh_status(session, item)
        elif kind in REMOVAL_STATUS:
            refresh_status(session, item)  # hidden, deleted or author blocked (R8)
        item.updated_at = now
        session.flush()
        details: dict[str, object] = {"action_id": row.id}
        if request.template:
            details["template"] = request.template
        if request.audience_notice:
            details["audience_notice"] = request.audience_notice
        if request.reverses_id:
            details["reverses"] = request.reverses_id
        if kind in PLATFORM_KINDS:
            details["done_by"] = "moderator on the platform" if via == "manual" else via
            if ref:
                details["platform_ref"] = ref
        audit.record(
            session,
            actor=actor.username,
            action=f"moderation.{kind}",
            subject=f"queue_item:{item.id}",
            details=details,
            reason=request.reason or None,
        )
        return row

    @staticmethod
    def _check_state(session: Session, item: QueueItem, request: ActionRequest) -> Action | None:
        kind = request.kind
        if kind == "acknowledge" and item.first_response_at is not None:
            raise InputError(f"#{item.id} was already answered; nothing to acknowledge", field="kind")
        if kind == "resolve" and item.status == "resolved":
            raise InputError(f"#{item.id} is already resolved", field="kind")
        if kind != "reopen":
            return None
        if request.reverses_id is None:
            if item.status != "resolved":
                raise InputError(
                    f"#{item.id} is not resolved; choose the action to reverse", field="reverses_id"
                )
            return None
        target = session.get(Action, request.reverses_id)
        if target is None or target.item_id != item.id:
            raise NotFound(f"#{item.id} has no action {request.reverses_id}")
        if target.kind == "reopen":
            raise InputError(
                "a reopen cannot itself be reversed; record the action again", field="reverses_id"
            )
        if target.kind == "escalate":
            raise PolicyError(
                "R9", "an escalation stays with its incident; SLT close the incident with an outcome instead"
            )
        done = session.execute(select(Action.id).where(Action.reverses_id == target.id)).first()
        if done is not None:
            raise InputError(f"action {target.id} was already reversed", field="reverses_id")
        return target


def _names(session: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    return dict(session.execute(select(Staff.id, Staff.name).where(Staff.id.in_(ids))).all())
