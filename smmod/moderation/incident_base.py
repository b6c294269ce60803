"""What the incident services share: the clock, the session, locking and permissions."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from smmod.errors import ConflictError, InputError, NotFound, PermissionDenied
from smmod.identity import Actor, require
from smmod.moderation.itemstate import load_item, refresh_status
from smmod.queue.service import QueueService
from smmod.store.engine import SessionFactory
from smmod.store.models import Incident, IncidentEvidence, Staff

VIEW_ROLES = ("moderator", "slt", "administrator")
MAX_TITLE = 200


def clean(value: str | None, field: str, limit: int, *, required: bool = False) -> str:
    text = (value or "").replace("\r\n", "\n").strip()
    if required and not text:
        raise InputError("must not be empty", field=field)
    if len(text) > limit:
        raise InputError(f"is {len(text):,} characters; the limit is {limit:,}", field=field)
    return text


def check_choice(value: str | None, allowed: Sequence[str], field: str) -> None:
    if value not in allowed:
        raise InputError(f"'{value}' is not one of {', '.join(allowed)}", field=field)


def subject(incident_id: int) -> str:
    return f"incident:{incident_id}"


def staff_name(session: Session, staff_id: int) -> str:
    person = session.get(Staff, staff_id)
    return person.name if person else f"staff #{staff_id}"


class IncidentBase:
    def __init__(
        self, session_factory: SessionFactory, queue: QueueService, *,
        now: Callable[[], datetime] | None = None,
    ) -> None:
        self._sf = session_factory
        self._queue = queue
        self._now = now or session_factory.clock.now

    def _write(self, apply: Callable[[Session], None], session: Session | None) -> None:
        if session is not None:
            apply(session)
            return
        try:
            with self._sf.begin() as own:
                apply(own)
        except StaleDataError:
            raise ConflictError("the incident was changed elsewhere — reload") from None

    @staticmethod
    def _incident(session: Session, incident_id: int) -> Incident:
        incident = session.get(Incident, incident_id)
        if incident is None:
            raise NotFound(f"no incident #{incident_id}")
        return incident

    def _locked(self, session: Session, incident_id: int, version_id: int | None) -> Incident:
        incident = self._incident(session, incident_id)
        if version_id is not None and incident.version_id != version_id:
            raise ConflictError(f"incident #{incident_id} was changed elsewhere — reload")
        return incident

    @staticmethod
    def _require_view(actor: Actor, incident: Incident) -> None:
        if actor.staff_id is not None and actor.staff_id in (incident.opened_by, incident.lead_id):
            return
        require(actor, *VIEW_ROLES, doing="see or add notes to incidents")

    @staticmethod
    def _require_lead(session: Session, lead_id: int) -> None:
        person = session.get(Staff, lead_id)
        if person is None or not person.active:
            raise InputError("choose an active member of staff", field="lead")
        if "slt" not in person.role_names:
            raise PermissionDenied(f"{person.name} is not SLT; an incident is led by SLT (R9)")

    @staticmethod
    def _refresh_items(session: Session, incident_id: int) -> None:
        ids = session.execute(
            select(IncidentEvidence.item_id).where(
                IncidentEvidence.incident_id == incident_id, IncidentEvidence.item_id.is_not(None)
            )
        )
        for item_id in ids.scalars():
            if item_id is None:
                continue
            item = load_item(session, item_id)
            if item.status != "resolved":
                refresh_status(session, item)
        session.flush()
