"""SLT's decisions on an incident (R9): its lead, its classification, closing and reopening.

Only SLT may make them; the handover wizard reassigns leads inside its own transaction.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from smmod import audit
from smmod.errors import InputError
from smmod.identity import Actor, require
from smmod.moderation.incident_base import (
    MAX_TITLE,
    IncidentBase,
    check_choice,
    clean,
    staff_name,
    subject,
)
from smmod.moderation.records import IncidentChanges
from smmod.moderation.vocabulary import INCIDENT_CATEGORIES, MAX_NOTE, MAX_REASON, SEVERITIES


class SltDecisions(IncidentBase):
    def change_lead(
        self,
        actor: Actor,
        incident_id: int,
        version_id: int | None,
        lead_id: int,
        reason: str = "",
        *,
        session: Session | None = None,
        handover: bool = False,
    ) -> None:
        """Only SLT (R9); pass ``session`` to do it inside another transaction.

        ``handover=True`` is the R6 exception: when a lead leaves, the administrator
        running the handover may hand their open incidents to another SLT member.
        """
        if handover:
            require(actor, "slt", "administrator", doing="reassign incidents in a handover")
        else:
            require(actor, "slt", doing="change an incident's lead")
        reason = clean(reason, "reason", MAX_REASON)

        def apply(s: Session) -> None:
            incident = self._locked(s, incident_id, version_id)
            self._require_lead(s, lead_id)
            if incident.lead_id == lead_id:
                return
            before = incident.lead_id
            incident.lead_id = lead_id
            incident.updated_at = self._now()
            s.flush()
            audit.record(
                s,
                actor=actor.username,
                action="moderation.incident_lead_changed",
                subject=subject(incident_id),
                reason=reason or None,
                details={
                    "from": staff_name(s, before),
                    "to": staff_name(s, lead_id),
                    "via": "handover" if handover else None,
                },
            )

        self._write(apply, session)

    def update(
        self, actor: Actor, incident_id: int, version_id: int, changes: IncidentChanges, reason: str = ""
    ) -> None:
        """SLT change the category, severity, police advised, agencies or title."""
        require(actor, "slt", doing="change an incident's classification")
        reason = clean(reason, "reason", MAX_REASON)
        if changes.category is not None:
            check_choice(changes.category, INCIDENT_CATEGORIES, "category")
        if changes.severity is not None:
            check_choice(changes.severity, SEVERITIES, "severity")
        agencies = (
            None
            if changes.external_agencies is None
            else clean(changes.external_agencies, "external_agencies", MAX_REASON)
        )
        title = None if changes.title is None else clean(changes.title, "title", MAX_TITLE, required=True)

        def apply(s: Session) -> None:
            incident = self._locked(s, incident_id, version_id)
            changed: dict[str, object] = {}
            for name, value in (
                ("category", changes.category),
                ("severity", changes.severity),
                ("police_advised", changes.police_advised),
                ("external_agencies", agencies),
                ("title", title),
            ):
                if value is not None and getattr(incident, name) != value:
                    changed[name] = {"from": getattr(incident, name), "to": value}
                    setattr(incident, name, value)
            if not changed:
                return
            incident.updated_at = self._now()
            s.flush()
            audit.record(
                s,
                actor=actor.username,
                action="moderation.incident_updated",
                subject=subject(incident_id),
                details=changed,
                reason=reason or None,
            )

        self._write(apply, None)

    def close(self, actor: Actor, incident_id: int, version_id: int, outcome: str) -> None:
        """Only SLT close an incident, and only with an outcome (R9)."""
        require(actor, "slt", doing="close an incident")
        outcome = clean(outcome, "outcome", MAX_NOTE, required=True)

        def apply(s: Session) -> None:
            incident = self._locked(s, incident_id, version_id)
            if incident.status == "closed":
                raise InputError(f"incident #{incident_id} is already closed", field="status")
            now = self._now()
            incident.status, incident.outcome = "closed", outcome
            incident.closed_at, incident.closed_by, incident.updated_at = now, actor.staff_id, now
            s.flush()
            self._refresh_items(s, incident_id)
            audit.record(
                s,
                actor=actor.username,
                action="moderation.incident_closed",
                subject=subject(incident_id),
                details={"outcome": outcome},
            )

        self._write(apply, None)

    def reopen(self, actor: Actor, incident_id: int, version_id: int, reason: str) -> None:
        require(actor, "slt", doing="reopen an incident")
        reason = clean(reason, "reason", MAX_REASON, required=True)

        def apply(s: Session) -> None:
            incident = self._locked(s, incident_id, version_id)
            if incident.status == "open":
                raise InputError(f"incident #{incident_id} is already open", field="status")
            incident.status, incident.closed_at, incident.closed_by = "open", None, None
            incident.updated_at = self._now()
            s.flush()
            self._refresh_items(s, incident_id)
            audit.record(
                s,
                actor=actor.username,
                action="moderation.incident_reopened",
                subject=subject(incident_id),
                details={"outcome was": incident.outcome},
                reason=reason,
            )

        self._write(apply, None)
