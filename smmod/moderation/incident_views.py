"""Reading incidents: the list, one incident in full, and its timeline.

The timeline is built, not stored: the evidence's receipt times, every action on the
escalated items (including those before the escalation), the notes, and the audit
trail of the incident and its items. So nothing can be missing from it that happened
through smmod.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from smmod.audit_words import action_words
from smmod.errors import NotFound
from smmod.moderation.connectors import platform_name
from smmod.moderation.itemstate import action_record
from smmod.moderation.records import (
    ActionRecord,
    Evidence,
    IncidentDetail,
    IncidentFilter,
    IncidentSummary,
    NoteRecord,
    TimelineEntry,
)
from smmod.moderation.vocabulary import (
    ACTION_KINDS,
    ACTION_LABELS,
    CATEGORY_LABELS,
    SEVERITY_LABELS,
    flag_label,
)
from smmod.store.models import Action, AuditEntry, Incident, IncidentEvidence, IncidentNote, Staff
from smmod.wording import count

_AUDIT_WORDS = {
    "moderation.incident_opened": "Incident opened",
    "moderation.incident_items_added": "Items added to the incident",
    "moderation.incident_lead_changed": "Lead changed",
    "moderation.incident_updated": "Details changed",
    "moderation.incident_closed": "Incident closed",
    "moderation.incident_reopened": "Incident reopened",
    "moderation.incident_exported": "Report exported",
    "moderation.flag_marked_wrong": "Screening flag marked wrong",
    "queue.claim": "Claimed",
    "queue.release": "Claim released",
    "queue.first_response": "First response recorded",
    "queue.import": "Imported",
    "queue.add_manual": "Entered by hand",
}
# Covered by the actions and notes tables, which hold the full text.
_SKIP_AUDIT = {f"moderation.{kind}" for kind in ACTION_KINDS} | {"moderation.incident_note"}
_MAX_DETAIL = 300


def names_of(session: Session, ids: Iterable[int | None]) -> dict[int, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = session.execute(select(Staff.id, Staff.name).where(Staff.id.in_(wanted)))
    return dict(rows.all())


def summaries(session: Session, flt: IncidentFilter) -> list[IncidentSummary]:
    counts = (
        select(IncidentEvidence.incident_id, func.count().label("n"))
        .group_by(IncidentEvidence.incident_id)
        .subquery()
    )
    stmt = (
        select(Incident, func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.incident_id == Incident.id)
        .order_by(Incident.status.desc(), Incident.opened_at.desc(), Incident.id.desc())
    )
    if flt.status:
        stmt = stmt.where(Incident.status == flt.status)
    if flt.category:
        stmt = stmt.where(Incident.category == flt.category)
    if flt.lead_id is not None:
        stmt = stmt.where(Incident.lead_id == flt.lead_id)
    if flt.text.strip():
        like = f"%{flt.text.strip()}%"
        stmt = stmt.where(
            or_(
                Incident.title.ilike(like),
                Incident.id.in_(
                    select(IncidentEvidence.incident_id).where(
                        or_(IncidentEvidence.text.ilike(like), IncidentEvidence.author_name.ilike(like))
                    )
                ),
            )
        )
    rows = session.execute(stmt).all()
    names = names_of(session, [i.lead_id for i, _ in rows] + [i.opened_by for i, _ in rows])
    return [summary(incident, int(count), names) for incident, count in rows]


def summary(incident: Incident, items: int, names: dict[int, str]) -> IncidentSummary:
    return IncidentSummary(
        incident.id,
        incident.title,
        incident.category,
        incident.severity,
        incident.status,
        incident.police_advised,
        incident.police_suggested,
        incident.lead_id,
        names.get(incident.lead_id, f"staff #{incident.lead_id}"),
        incident.opened_at,
        names.get(incident.opened_by, f"staff #{incident.opened_by}"),
        incident.closed_at,
        items,
        incident.version_id,
    )


def detail(session: Session, incident_id: int) -> IncidentDetail:
    incident = session.get(Incident, incident_id)
    if incident is None:
        raise NotFound(f"no incident #{incident_id}")
    evidence_rows = (
        session.execute(
            select(IncidentEvidence)
            .where(IncidentEvidence.incident_id == incident_id)
            .order_by(IncidentEvidence.received_at, IncidentEvidence.id)
        )
        .scalars()
        .all()
    )
    note_rows = (
        session.execute(
            select(IncidentNote)
            .where(IncidentNote.incident_id == incident_id)
            .order_by(IncidentNote.at, IncidentNote.id)
        )
        .scalars()
        .all()
    )
    item_ids = [e.item_id for e in evidence_rows if e.item_id is not None]
    action_rows = (
        session.execute(
            select(Action)
            .where(or_(Action.item_id.in_(item_ids), Action.incident_id == incident_id))
            .order_by(Action.at, Action.id)
        )
        .scalars()
        .all()
        if item_ids
        else []
    )
    names = names_of(
        session,
        [
            incident.lead_id,
            incident.opened_by,
            incident.closed_by,
            *(e.added_by for e in evidence_rows),
            *(n.author_id for n in note_rows),
            *(a.actor_id for a in action_rows),
        ],
    )
    reversed_by = {a.reverses_id: a.id for a in action_rows if a.reverses_id is not None}
    actions = tuple(action_record(a, names, reversed_by.get(a.id)) for a in action_rows)
    evidence = tuple(_evidence(e, names) for e in evidence_rows)
    notes = tuple(NoteRecord(n.id, n.at, names.get(n.author_id, "?"), n.text) for n in note_rows)
    timeline = _timeline(session, incident_id, evidence, notes, actions, item_ids)
    return IncidentDetail(
        summary(incident, len(evidence), names),
        incident.external_agencies,
        incident.outcome,
        names.get(incident.closed_by) if incident.closed_by else None,
        evidence,
        notes,
        actions,
        timeline,
    )


def _evidence(e: IncidentEvidence, names: dict[int, str]) -> Evidence:
    return Evidence(
        e.id,
        e.item_id,
        e.added_at,
        names.get(e.added_by, "?"),
        e.account_label,
        e.platform,
        e.platform_item_id,
        e.url,
        e.author_name,
        e.author_handle,
        e.author_kind,
        e.item_kind,
        e.text,
        e.received_at,
        e.first_response_at,
        tuple(json.loads(e.flags or "[]")),
        tuple(json.loads(e.screening or "[]")),
    )


def _clip(text: str | None) -> str:
    flat = " ".join((text or "").split())
    return flat if len(flat) <= _MAX_DETAIL else flat[: _MAX_DETAIL - 1] + "…"


def _timeline(
    session: Session,
    incident_id: int,
    evidence: tuple[Evidence, ...],
    notes: tuple[NoteRecord, ...],
    actions: Iterable[ActionRecord],
    item_ids: list[int],
) -> tuple[TimelineEntry, ...]:
    # (entry, rank): within one second, receipts, item history, the incident's own entries,
    # actions, then notes: the order they happen in when someone escalates.
    entries: list[tuple[TimelineEntry, int]] = []
    for e in evidence:
        entries.append(
            (
                TimelineEntry(
                    e.received_at,
                    e.author_name,
                    f"{e.item_kind.capitalize()} received on {e.account_label}",
                    _clip(e.text),
                    e.item_id,
                ),
                0,
            )
        )
    for a in actions:
        bits = [a.reason or ""]
        if a.audience_notice:
            bits.append(f"Audience notice: {a.audience_notice}")
        if a.reply_text:
            bits.append(f"Reply: {a.reply_text}")
        if a.reverses_id:
            bits.append(f"Reverses action {a.reverses_id}")
        what = ACTION_LABELS.get(a.kind, a.kind)
        if a.reversed:
            what += " (later reversed)"
        entries.append(
            (
                TimelineEntry(
                    a.at,
                    a.actor_name,
                    f"{what} (item #{a.item_id})",
                    _clip(" · ".join(b for b in bits if b)),
                    a.item_id,
                ),
                3,
            )
        )
    for n in notes:
        entries.append((TimelineEntry(n.at, n.author_name, "Note", _clip(n.text)), 4))
    subjects = [f"incident:{incident_id}", *(f"queue_item:{i}" for i in item_ids)]
    audit_rows = (
        session.execute(select(AuditEntry).where(AuditEntry.subject.in_(subjects)).order_by(AuditEntry.id))
        .scalars()
        .all()
    )
    people = (
        dict(
            session.execute(
                select(Staff.username, Staff.name).where(Staff.username.in_({r.actor for r in audit_rows}))
            ).all()
        )
        if audit_rows
        else {}
    )
    for row in audit_rows:
        if row.action in _SKIP_AUDIT:
            continue
        if row.subject.startswith("queue_item:") and row.action.startswith("moderation.incident"):
            continue  # the incident's own entry says it
        item_id = int(row.subject.split(":", 1)[1]) if row.subject.startswith("queue_item:") else None
        word = _AUDIT_WORDS.get(row.action) or action_words(row.action)
        if item_id is not None:
            word += f" (item #{item_id})"
        entries.append(
            (
                TimelineEntry(
                    row.at, people.get(row.actor, row.actor), word, _clip(_audit_detail(row)), item_id,
                    row.actor,
                ),
                2 if item_id is None else 1,
            )
        )
    entries.sort(key=lambda pair: (pair[0].at.replace(microsecond=0), pair[1], pair[0].at))
    return tuple(entry for entry, _rank in entries)


_FIELD_NAMES = {
    "category": "Category",
    "severity": "Severity",
    "lead": "Led by",
    "police_advised": "Police advised",
    "police_suggested": "Screening suggested police advised",
    "external_agencies": "External agencies",
    "title": "Title",
    "items": "Items",
    "outcome": "Outcome",
    "outcome was": "Outcome before",
    "flag": "Flag",
    "rules": "Rules",
    "file": "File",
    "pages": "Pages",
    "via": "How",
    "characters": "Length",
}
_SKIP_FIELDS = {"at", "lead_id", "action_id"}


def _value(key: str, value: object) -> str:
    """A stored value as a person reads it: labels for codes, yes/no, item numbers."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if value is None or value == "":
        return "none"
    if key == "category":
        return CATEGORY_LABELS.get(str(value), str(value))
    if key == "severity":
        return SEVERITY_LABELS.get(str(value), str(value))
    if key == "flag":
        return flag_label(str(value))
    if key == "via":
        return {"handover": "in a handover"}.get(str(value), ACTION_LABELS.get(str(value), str(value)))
    if key == "account" and isinstance(value, str) and ": " in value:
        platform, _, handle = value.partition(": ")
        return f"{platform_name(platform)} ({handle})"
    if key == "kind":
        return str(value).capitalize()
    if key == "items" and isinstance(value, list):
        return ", ".join(f"#{v}" for v in value)
    if key == "characters":
        return count(int(value), "character") if isinstance(value, int) else str(value)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def _audit_detail(row: AuditEntry) -> str:
    """The details of an audit entry in words: "Police advised: yes (was no)"."""
    try:
        data = json.loads(row.details or "{}")
    except ValueError:
        data = {}
    bits = []
    if {"from", "to"} <= data.keys():  # one thing changed, e.g. the lead
        bits.append(f"{_value('', data.pop('to'))} (was {_value('', data.pop('from'))})")
    data.pop("from", None)  # a claim taken over: the staff id says nothing to a reader
    order = list(_FIELD_NAMES)  # the trail stores keys sorted; people read them in this order
    for key in sorted(data, key=lambda k: (order.index(k) if k in order else len(order), k)):
        value = data[key]
        if value in (None, "", [], {}) or key.endswith("_id") or key in _SKIP_FIELDS:
            continue
        name = _FIELD_NAMES.get(key, key.replace("_", " ").capitalize())
        if isinstance(value, dict) and {"from", "to"} <= value.keys():
            shown = f"{_value(key, value['to'])} (was {_value(key, value['from'])})"
        else:
            shown = _value(key, value)
        bits.append(f"{name}: {shown}")
    text = "; ".join(bits)
    if row.reason:
        text = f"{text} — {row.reason}" if text else row.reason
    return text
