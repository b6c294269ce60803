"""Incidents for SLT (R9): escalation with evidence, notes, lead, closing with an outcome.

Escalating is one transaction: the incident, a snapshot of each item as it is now
(text, author, times, flags and what screening matched), an ``escalate`` action per
item that stops its response clock (R7), and the audit entries. The snapshot is never
updated, so the evidence stays as it was when the item is later deleted on the
platform, edited, or removed from the queue.

Permissions live here, not in the dialogs: moderators (and the people who run the
item's account) escalate and add notes; only SLT change the lead, edit the
classification, close or reopen an incident.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from smmod import audit
from smmod.errors import ConflictError, InputError, NotFound
from smmod.identity import Actor, require
from smmod.moderation import incident_views, screening
from smmod.moderation.connectors import platform_name
from smmod.moderation.incident_base import (
    MAX_TITLE,
    VIEW_ROLES,
    check_choice,
    clean,
    staff_name,
    subject,
)
from smmod.moderation.incident_slt import SltDecisions
from smmod.moderation.itemstate import load_item, open_incidents_of
from smmod.moderation.records import (
    EscalationInput,
    IncidentDetail,
    IncidentFilter,
    IncidentSummary,
    PoliceSuggestion,
    StaffChoice,
)
from smmod.moderation.vocabulary import (
    FLAG_CATEGORIES,
    INCIDENT_CATEGORIES,
    MAX_NOTE,
    MAX_REASON,
    SEVERITIES,
)
from smmod.platforms import account_label
from smmod.queue.access import account_ref, require_moderator
from smmod.screening.vocabulary import POLICE_ADVISED
from smmod.store.models import (
    Account,
    Action,
    Incident,
    IncidentEvidence,
    IncidentNote,
    QueueItem,
    QueueItemFlag,
    Staff,
)
from smmod.wording import count

MAX_ITEMS = 500


class IncidentService(SltDecisions):
    """Escalation, notes and reading; SLT's decisions come from ``SltDecisions``."""

    # -- reading -----------------------------------------------------------------------
    def list_incidents(self, actor: Actor, flt: IncidentFilter | None = None) -> list[IncidentSummary]:
        require(actor, *VIEW_ROLES, doing="see incidents")
        with self._sf() as session:
            return incident_views.summaries(session, flt or IncidentFilter())

    def detail(self, actor: Actor, incident_id: int) -> IncidentDetail:
        with self._sf() as session:
            incident = session.get(Incident, incident_id)
            if incident is None:
                raise NotFound(f"no incident #{incident_id}")
            self._require_view(actor, incident)
            return incident_views.detail(session, incident_id)

    def slt_choices(self) -> list[StaffChoice]:
        """Active SLT members, who may lead an incident."""
        with self._sf() as session:
            rows = session.execute(select(Staff).where(Staff.active.is_(True)).order_by(Staff.name))
            return [StaffChoice(s.id, s.name) for s in rows.scalars() if "slt" in s.role_names]

    def police_suggestion(self, item_ids: Sequence[int]) -> PoliceSuggestion:
        """What screening says about these items (R9): shown on escalation, never acted on."""
        reasons: list[str] = []
        category = None
        with self._sf() as session:
            for item_id in item_ids:
                found = screening.item_screening(session, item_id)
                live = {f.flag for f in found.flags}
                if category is None:
                    category = next(
                        (
                            FLAG_CATEGORIES[f]
                            for f in (
                                "threat",
                                "discriminatory",
                                "self_harm",
                                "sexual_content",
                                "abuse_of_pupil",
                                "names_protected_pupil",
                                "personal_data",
                                "abuse_of_staff",
                            )
                            if f in live
                        ),
                        None,
                    )
                if POLICE_ADVISED not in live:
                    continue
                for f in found.flags:
                    if f.flag in ("threat", "discriminatory") and f.rule_name:
                        words = ", ".join(f"“{m}”" for m in f.matched[:5])
                        reasons.append(f"#{item_id}: {f.rule_name} — {words}")
        return PoliceSuggestion(bool(reasons), tuple(dict.fromkeys(reasons)), category)

    # -- escalating --------------------------------------------------------------------
    def escalate(self, actor: Actor, data: EscalationInput) -> IncidentSummary:
        """Open an incident from one or more items, in one transaction."""
        check_choice(data.category, INCIDENT_CATEGORIES, "category")
        check_choice(data.severity, SEVERITIES, "severity")
        ids = self._item_ids(data.item_ids)
        notes = clean(data.notes, "notes", MAX_NOTE)
        agencies = clean(data.external_agencies, "external_agencies", MAX_REASON)
        reason = clean(data.reason, "reason", MAX_REASON)
        title = clean(data.title, "title", MAX_TITLE)
        now = self._now()
        try:
            with self._sf.begin() as session:
                self._require_lead(session, data.lead_id)
                items = [self._escalatable(session, actor, i, data.versions.get(i)) for i in ids]
                suggested = session.execute(
                    select(QueueItemFlag.item_id).where(
                        QueueItemFlag.item_id.in_(ids), QueueItemFlag.flag == POLICE_ADVISED
                    )
                ).first()
                first = items[0]
                incident = Incident(
                    title=title or default_title(first.author_name, self._account(session, first), len(ids)),
                    category=data.category,
                    severity=data.severity,
                    police_advised=bool(data.police_advised),
                    police_suggested=suggested is not None,
                    external_agencies=agencies,
                    lead_id=data.lead_id,
                    status="open",
                    opened_at=now,
                    opened_by=actor.staff_id,
                    updated_at=now,
                )
                session.add(incident)
                session.flush()
                if notes:
                    session.add(
                        IncidentNote(incident_id=incident.id, author_id=actor.staff_id, at=now, text=notes)
                    )
                audit.record(
                    session,
                    actor=actor.username,
                    action="moderation.incident_opened",
                    subject=subject(incident.id),
                    reason=reason or None,
                    details={
                        "category": data.category,
                        "severity": data.severity,
                        "lead_id": data.lead_id,
                        "lead": staff_name(session, data.lead_id),
                        "police_advised": incident.police_advised,
                        "police_suggested": incident.police_suggested,
                        "items": ids,
                    },
                )
                self._attach(session, actor, incident, ids, reason, now)
                names = incident_views.names_of(session, [incident.lead_id, incident.opened_by])
                return incident_views.summary(incident, len(ids), names)
        except StaleDataError:
            raise ConflictError("an item was changed elsewhere — reload and try again") from None

    def add_items(
        self,
        actor: Actor,
        incident_id: int,
        item_ids: Sequence[int],
        reason: str = "",
        versions: dict[int, int] | None = None,
    ) -> IncidentSummary:
        """Escalate more items into an open incident."""
        ids = self._item_ids(item_ids)
        reason = clean(reason, "reason", MAX_REASON)
        now = self._now()
        try:
            with self._sf.begin() as session:
                incident = self._incident(session, incident_id)
                if incident.status != "open":
                    raise InputError(
                        f"incident #{incident_id} is closed; SLT can reopen it", field="incident"
                    )
                for i in ids:
                    self._escalatable(session, actor, i, (versions or {}).get(i))
                audit.record(
                    session,
                    actor=actor.username,
                    action="moderation.incident_items_added",
                    subject=subject(incident_id),
                    details={"items": ids},
                    reason=reason or None,
                )
                self._attach(session, actor, incident, ids, reason, now)
                incident.updated_at = now
                session.flush()
                count = session.execute(
                    select(IncidentEvidence.id).where(IncidentEvidence.incident_id == incident_id)
                ).all()
                names = incident_views.names_of(session, [incident.lead_id, incident.opened_by])
                return incident_views.summary(incident, len(count), names)
        except StaleDataError:
            raise ConflictError("changed elsewhere — reload and try again") from None

    # -- working the incident ------------------------------------------------------------
    def add_note(self, actor: Actor, incident_id: int, text: str) -> None:
        """Moderators and SLT add notes, open or closed; notes are never edited."""
        text = clean(text, "note", MAX_NOTE, required=True)
        with self._sf.begin() as session:
            incident = self._incident(session, incident_id)
            self._require_view(actor, incident)
            now = self._now()
            session.add(IncidentNote(incident_id=incident_id, author_id=actor.staff_id, at=now, text=text))
            audit.record(
                session,
                actor=actor.username,
                action="moderation.incident_note",
                subject=subject(incident_id),
                details={"characters": len(text)},
            )

    def record_export(self, actor: Actor, incident_id: int, file_name: str, pages: int) -> None:
        """An exported report carries personal data out of smmod: say who and when."""
        with self._sf.begin() as session:
            incident = self._incident(session, incident_id)
            self._require_view(actor, incident)
            audit.record(
                session,
                actor=actor.username,
                action="moderation.incident_exported",
                subject=subject(incident_id),
                details={"file": file_name, "pages": pages},
            )

    # -- internals ---------------------------------------------------------------------
    @staticmethod
    def _item_ids(item_ids: Sequence[int]) -> list[int]:
        ids = list(dict.fromkeys(item_ids))
        if not ids:
            raise InputError("choose at least one item to escalate", field="items")
        if len(ids) > MAX_ITEMS:
            raise InputError(f"{len(ids):,} items; at most {MAX_ITEMS} at once", field="items")
        return ids

    @staticmethod
    def _account(session: Session, item: QueueItem) -> str:
        account = session.get(Account, item.account_id)
        if account is None:
            return "an unknown account"
        return f"{platform_name(account.platform)} ({account.handle.strip()})"

    @staticmethod
    def _escalatable(session: Session, actor: Actor, item_id: int, version_id: int | None) -> QueueItem:
        item = load_item(session, item_id)
        require_moderator(session, actor, account_ref(session, item.account_id), "escalate items")
        if version_id is not None and item.version_id != version_id:
            raise ConflictError(f"#{item_id} was changed elsewhere — reload and try again")
        already = open_incidents_of(session, item_id)
        if already:
            raise InputError(f"#{item_id} is already in open incident #{already[0]}", field="items")
        return item

    def _attach(
        self, session: Session, actor: Actor, incident: Incident, ids: list[int], reason: str, now: datetime
    ) -> None:
        for item_id in ids:
            item = load_item(session, item_id)
            account = session.get(Account, item.account_id)
            flags = sorted(
                session.execute(select(QueueItemFlag.flag).where(QueueItemFlag.item_id == item_id)).scalars()
            )
            session.add(
                IncidentEvidence(
                    incident_id=incident.id,
                    item_id=item_id,
                    added_at=now,
                    added_by=actor.staff_id,
                    account_label=account_label(account.platform, account.handle) if account else "?",
                    platform=account.platform if account else "other",
                    platform_item_id=item.platform_item_id,
                    url=item.url,
                    author_name=item.author_name,
                    author_handle=item.author_handle,
                    author_kind=item.author_kind,
                    item_kind=item.kind,
                    text=item.text,
                    received_at=item.received_at,
                    imported_at=item.imported_at,
                    first_response_at=item.first_response_at,
                    flags=json.dumps(flags),
                    screening=json.dumps(screening.screening_snapshot(session, item_id), ensure_ascii=False),
                )
            )
            session.add(
                Action(
                    item_id=item_id,
                    actor_id=actor.staff_id,
                    kind="escalate",
                    reason=reason or None,
                    performed_via="smmod",
                    incident_id=incident.id,
                    at=now,
                )
            )
            session.flush()
            self._queue.record_first_response(
                item_id, max(now, item.received_at), actor=actor, session=session, via="escalate"
            )
            item.status = "escalated"
            item.updated_at = now
            audit.record(
                session,
                actor=actor.username,
                action="moderation.escalate",
                subject=f"queue_item:{item_id}",
                reason=reason or None,
                details={"incident": incident.id, "category": incident.category},
            )
        session.flush()


def default_title(author: str, account: str, items: int) -> str:
    """ "Pat Parent on Facebook (oakfieldschool) and 2 other items": who, where, how many.

    Cut to the title's length on a word, never in the middle of one.
    """
    others = items - 1
    more = f" and {count(others, 'other item')}" if others else ""
    name = " ".join(author.split()) or "An unnamed author"
    title = f"{name} on {account}{more}"
    if len(title) <= MAX_TITLE:
        return title
    keep = MAX_TITLE - len(more) - 1
    head = f"{name} on {account}"[:keep].rsplit(" ", 1)[0]
    return f"{head}…{more}"
