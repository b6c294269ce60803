"""The incidents report (R9): what was opened in a period, how serious, and how it ended.

Outcomes are written as free text when SLT close an incident, and may name pupils, so the
report never shows them: it counts incidents still open, closed within school, and
closed with outside agencies involved. Titles are never shown either.
"""

from __future__ import annotations

from collections import Counter
from statistics import median

from sqlalchemy import Connection, select

from smmod.reports.records import IncidentsReport, Line, Scope
from smmod.sla import WorkingCalendar
from smmod.store.models import (
    INCIDENT_CATEGORIES,
    SEVERITIES,
    Incident,
    IncidentEvidence,
    QueueItem,
)

OUTCOMES = ("still open", "closed within school", "closed, outside agencies involved")


def outcome_of(status: str, external_agencies: str | None) -> str:
    if status != "closed":
        return OUTCOMES[0]
    return OUTCOMES[2] if (external_agencies or "").strip() else OUTCOMES[1]


def incidents_query(scope: Scope, calendar: WorkingCalendar):  # type: ignore[no-untyped-def]
    start, end = scope.period.bounds(calendar.zone)
    stmt = select(Incident.id, Incident.category, Incident.severity, Incident.status,
                  Incident.police_advised, Incident.police_suggested, Incident.external_agencies,
                  Incident.lead_id, Incident.opened_at, Incident.closed_at).where(
        Incident.opened_at >= start, Incident.opened_at < end)
    if scope.account_id is not None:
        touching = (select(IncidentEvidence.incident_id)
                    .join(QueueItem, QueueItem.id == IncidentEvidence.item_id)
                    .where(QueueItem.account_id == scope.account_id))
        stmt = stmt.where(Incident.id.in_(touching))
    return stmt.order_by(Incident.opened_at, Incident.id)


def incidents_report(conn: Connection, scope: Scope, calendar: WorkingCalendar,
                     staff: dict[int, str]) -> IncidentsReport:
    # Incidents are few (a school has tens a year), so one row each is fine here.
    rows = conn.execute(incidents_query(scope, calendar)).all()
    start, end = scope.period.bounds(calendar.zone)
    categories, severities, outcomes = Counter[str](), Counter[str](), Counter[str]()
    leads: dict[int, Counter[str]] = {}
    days_to_close = []
    for row in rows:
        categories[row.category] += 1
        severities[row.severity] += 1
        outcome = outcome_of(row.status, row.external_agencies)
        outcomes[outcome] += 1
        lead = leads.setdefault(row.lead_id, Counter())
        lead["led"] += 1
        lead["open" if row.status != "closed" else "closed"] += 1
        if row.closed_at is not None:
            days_to_close.append((row.closed_at - row.opened_at).total_seconds() / 86400)
    closed_in_period = conn.execute(
        select(Incident.id).where(Incident.closed_at >= start, Incident.closed_at < end)).all()
    by_lead = sorted((Line(k, staff.get(k, f"staff #{k}"), dict(v)) for k, v in leads.items()),
                     key=lambda line: line.label.lower())
    return IncidentsReport(
        scope=scope, opened=len(rows), closed=sum(1 for r in rows if r.status == "closed"),
        closed_in_period=len(closed_in_period),
        still_open=sum(1 for r in rows if r.status != "closed"),
        police_advised=sum(1 for r in rows if r.police_advised),
        police_suggested=sum(1 for r in rows if r.police_suggested),
        by_category={c: categories.get(c, 0) for c in INCIDENT_CATEGORIES},
        by_severity={s: severities.get(s, 0) for s in SEVERITIES},
        by_outcome={name: outcomes.get(name, 0) for name in OUTCOMES},
        by_lead=tuple(by_lead),
        median_days_to_close=round(median(days_to_close), 2) if days_to_close else None,
        max_days_to_close=round(max(days_to_close), 2) if days_to_close else None,
        incident_ids=tuple(int(r.id) for r in rows),
    )
