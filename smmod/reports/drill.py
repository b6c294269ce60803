"""Drill-down: the items, checks, incidents or people behind one figure of a report.

Rows carry ids, accounts, times and people, never comment text, incident titles or
outcomes, pupils' names or image file names: a report may be on a projected screen.
At most ``LIMIT`` rows come back, with the true total.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, and_, func, select
from sqlalchemy.sql.elements import ColumnElement

from smmod import formatting as fmt
from smmod.errors import InputError
from smmod.reports.drill_records import Drill, Figure
from smmod.reports.records import LATE_BUCKETS, Scope
from smmod.sla import WorkingCalendar
from smmod.store.models import (
    AccountCheck,
    ImageCheck,
    ImageExport,
    Pupil,
    QueueItem,
    RetroFinding,
)

if TYPE_CHECKING:
    from smmod.reports.service import ReportService

LIMIT = 2000
Q = QueueItem


def _span(seconds: float) -> str:
    minutes = int(seconds // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return f"{days} d {hours} h"
    return f"{hours} h {mins:02d} min"


def _deadline_condition(name: str, now: datetime, value: str | None) -> ColumnElement[bool]:
    answered, unanswered = Q.first_response_at.is_not(None), Q.first_response_at.is_(None)
    open_ = and_(unanswered, Q.status != "resolved")
    conditions: dict[str, ColumnElement[bool]] = {
        "answered": answered,
        "on_time": and_(answered, Q.first_response_at <= Q.due_at),
        "late_answered": Q.first_response_at > Q.due_at,
        "late_open": and_(open_, Q.due_at < now),
        "breached": (Q.first_response_at > Q.due_at) | and_(open_, Q.due_at < now),
        "pending": and_(open_, Q.due_at >= now),
        "closed_unanswered": and_(unanswered, Q.status == "resolved"),
    }
    if name == "received":
        return Q.id.is_not(None)
    if name in conditions:
        return conditions[name]
    raise InputError(f"'{name}' is not a figure of the deadline report", field="figure")


def _deadline(conn: Connection, scope: Scope, figure: Figure, calendar: WorkingCalendar,
              now: datetime, accounts: dict[int, str], staff: dict[int, str]) -> Drill:
    start, end = scope.period.bounds(calendar.zone)
    if figure.name == "late_bucket":
        return _late_bucket(conn, scope, figure, calendar, now, accounts, staff)
    where = [Q.received_at >= start, Q.received_at < end,
             _deadline_condition(figure.name, now, figure.value)]
    if scope.account_id is not None:
        where.append(Q.account_id == scope.account_id)
    if figure.group == "account" and figure.key is not None:
        where.append(Q.account_id == figure.key)
    if figure.group == "moderator":
        where.append(Q.first_response_by.is_(None) if figure.nobody or figure.key is None
                     else Q.first_response_by == figure.key)
    total = conn.execute(select(func.count()).select_from(Q).where(*where)).scalar_one()
    rows = conn.execute(select(Q.id, Q.account_id, Q.received_at, Q.due_at, Q.first_response_at,
                               Q.first_response_by, Q.status).where(*where)
                        .order_by(Q.received_at, Q.id).limit(LIMIT)).all()
    zone = calendar.zone
    out = []
    for r in rows:
        late = ""
        if r.first_response_at is not None and r.first_response_at > r.due_at:
            late = _span((r.first_response_at - r.due_at).total_seconds())
        elif r.first_response_at is None and r.status != "resolved" and r.due_at < now:
            late = _span((now - r.due_at).total_seconds()) + " (still open)"
        out.append((f"#{r.id}", accounts.get(r.account_id, ""), fmt.when(r.received_at, zone),
                    fmt.when(r.due_at, zone),
                    fmt.when(r.first_response_at, zone) if r.first_response_at else "—",
                    staff.get(r.first_response_by, "") if r.first_response_by else "—", late))
    return Drill(_title(figure, "Items"), ("Item", "Account", "Received", "Due", "First response",
                                           "By", "Late by"),
                 tuple(out), int(total), tuple(int(r.id) for r in rows))


def _late_bucket(conn: Connection, scope: Scope, figure: Figure, calendar: WorkingCalendar,
                 now: datetime, accounts: dict[int, str], staff: dict[int, str]) -> Drill:
    from smmod.reports.deadline import worst_breaches

    index = int(figure.value or 0)
    if not 0 <= index < len(LATE_BUCKETS):
        raise InputError(f"no lateness band {index}", field="figure")
    low = 0 if index == 0 else LATE_BUCKETS[index - 1][1] or 0
    high = LATE_BUCKETS[index][1]
    breaches = [b for b in worst_breaches(conn, scope, calendar, now, accounts, staff, None)
                if b.late_seconds > low and (high is None or b.late_seconds <= high)]
    zone = calendar.zone
    rows = tuple((f"#{b.item_id}", b.account, fmt.when(b.received_at, zone), fmt.when(b.due_at, zone),
                  fmt.when(b.responded_at, zone) if b.responded_at else "—", b.responder or "—",
                  _span(b.late_seconds)) for b in breaches[:LIMIT])
    return Drill(f"Items late by {LATE_BUCKETS[index][0]}",
                 ("Item", "Account", "Received", "Due", "First response", "By", "Late by"),
                 rows, len(breaches), tuple(b.item_id for b in breaches[:LIMIT]))


def _monitoring(conn: Connection, scope: Scope, figure: Figure, calendar: WorkingCalendar,
                now: datetime, accounts: dict[int, str], staff: dict[int, str],
                service: ReportService) -> Drill:
    if figure.name == "stale":
        report = service.monitoring(scope)
        stale = tuple((line.label, fmt.when(line.figures.last_checked_at, calendar.zone)
                       if line.figures.last_checked_at else "never")
                      for line in report.by_account if line.figures.stale_now)
        return Drill("Accounts not checked recently", ("Account", "Last checked"), stale, len(stale))
    if figure.name != "days_checked":
        raise InputError(f"'{figure.name}' is not a figure of the monitoring report", field="figure")
    today = now.astimezone(calendar.zone).date()
    where = [AccountCheck.on_day >= scope.period.start,
             AccountCheck.on_day <= min(scope.period.end, today)]
    if scope.account_id is not None:
        where.append(AccountCheck.account_id == scope.account_id)
    if figure.group == "account" and figure.key is not None:
        where.append(AccountCheck.account_id == figure.key)
    if figure.group == "moderator":
        where.append(AccountCheck.staff_id.is_(None) if figure.nobody or figure.key is None
                     else AccountCheck.staff_id == figure.key)
    total = conn.execute(select(func.count()).select_from(AccountCheck).where(*where)).scalar_one()
    checks = conn.execute(select(AccountCheck.on_day, AccountCheck.account_id, AccountCheck.staff_id,
                                 AccountCheck.times).where(*where).order_by(
        AccountCheck.on_day, AccountCheck.account_id).limit(LIMIT)).all()
    out = tuple((fmt.day(c.on_day, weekday=True), accounts.get(c.account_id, ""),
                 staff.get(c.staff_id, "") if c.staff_id else "—", str(c.times)) for c in checks)
    return Drill(_title(figure, "Days checked"), ("Day", "Account", "Checked by", "Times"), out,
                 int(total))


def _incidents(conn: Connection, scope: Scope, figure: Figure, calendar: WorkingCalendar,
               staff: dict[int, str]) -> Drill:
    from smmod.moderation.vocabulary import CATEGORY_LABELS, SEVERITY_LABELS
    from smmod.reports.incidents import incidents_query, outcome_of

    rows = conn.execute(incidents_query(scope, calendar)).all()
    tests: dict[str, Any] = {
        "opened": lambda r: True,
        "closed": lambda r: r.status == "closed",
        "still_open": lambda r: r.status != "closed",
        "police_advised": lambda r: r.police_advised,
        "police_suggested": lambda r: r.police_suggested,
        "category": lambda r: r.category == figure.value,
        "severity": lambda r: r.severity == figure.value,
        "outcome": lambda r: outcome_of(r.status, r.external_agencies) == figure.value,
        "lead": lambda r: r.lead_id == figure.key,
    }
    if figure.name not in tests:
        raise InputError(f"'{figure.name}' is not a figure of the incidents report", field="figure")
    chosen = [r for r in rows if tests[figure.name](r)
              and (figure.group != "lead" or figure.key is None or r.lead_id == figure.key)]
    zone = calendar.zone
    out = tuple((f"#{r.id}", CATEGORY_LABELS.get(r.category, r.category),
                 SEVERITY_LABELS.get(r.severity, r.severity), staff.get(r.lead_id, ""),
                 fmt.when(r.opened_at, zone), fmt.when(r.closed_at, zone) if r.closed_at else "open",
                 "yes" if r.police_advised else "no") for r in chosen)
    return Drill(_title(figure, "Incidents"),
                 ("Incident", "Category", "Severity", "SLT lead", "Opened", "Closed", "Police advised"),
                 out, len(out))


def _people(scope: Scope, figure: Figure, service: ReportService) -> Drill:
    report = service.people(scope)
    if figure.name == "at_risk":
        risks = tuple((r.account, ", ".join(r.rules), " ".join(r.problems)) for r in report.at_risk)
        return Drill("Accounts at risk (R2, R4)", ("Account", "Rules", "What to do"), risks, len(risks))
    if figure.name == "reviews_due":
        reviews = tuple((r.account, fmt.day(r.review_on), "overdue" if r.overdue else "due soon")
                        for r in report.reviews_due)
        return Drill("Account reviews due", ("Account", "Review by", "State"), reviews, len(reviews))
    if figure.name == "expiring":
        chosen = [e for e in report.expiring
                  if (figure.value is None or e.what == figure.value)
                  and (figure.key is None or e.within == figure.key)
                  and (figure.group != "person" or figure.key is None or e.staff_id == figure.key)]
        rows = tuple((e.name, e.what, fmt.day(e.on), "expired" if e.within == 0
                      else f"within {e.within} days", str(e.runs_accounts)) for e in chosen)
        return Drill(_title(figure, "Training and policy reading"),
                     ("Person", "What", "Expires", "When", "Accounts run"), rows, len(rows))
    raise InputError(f"'{figure.name}' is not a figure of the people report", field="figure")


def _images(conn: Connection, scope: Scope, figure: Figure, calendar: WorkingCalendar) -> Drill:
    start, end = scope.period.bounds(calendar.zone)
    zone = calendar.zone
    if figure.name in ("checked", "verdict"):
        where = [ImageCheck.checked_at >= start, ImageCheck.checked_at < end]
        if figure.name == "verdict":
            where.append(ImageCheck.verdict == figure.value)
        rows = conn.execute(select(ImageCheck.id, ImageCheck.verdict, ImageCheck.checked_at,
                                   ImageCheck.checked_by, ImageCheck.has_location)
                            .where(*where).order_by(ImageCheck.checked_at).limit(LIMIT)).all()
        total = conn.execute(select(func.count()).select_from(ImageCheck).where(*where)).scalar_one()
        out: tuple[tuple[str, ...], ...] = tuple(
            (f"#{r.id}", r.verdict, fmt.when(r.checked_at, zone), r.checked_by,
             "yes" if r.has_location else "no") for r in rows)
        return Drill(_title(figure, "Photos checked"),
                     ("Check", "Verdict", "Checked", "By", "Location data"), out, int(total))
    if figure.name in ("exported", "pixelated"):
        where = [ImageExport.exported_at >= start, ImageExport.exported_at < end]
        if figure.name == "pixelated":
            where.append(ImageExport.pixelated_faces > 0)
        if scope.account_id is not None:
            where.append(ImageExport.account_id == scope.account_id)
        exports = conn.execute(select(ImageExport.id, ImageExport.check_id, ImageExport.exported_at,
                                      ImageExport.exported_by, ImageExport.pixelated_faces)
                               .where(*where).order_by(ImageExport.exported_at).limit(LIMIT)).all()
        out = tuple((f"#{e.id}", f"#{e.check_id}", fmt.when(e.exported_at, zone), e.exported_by,
                     str(e.pixelated_faces)) for e in exports)
        return Drill(_title(figure, "Photos exported"),
                     ("Export", "Check", "Exported", "By", "Faces pixelated"), out, len(out))
    if figure.name == "pupils_added":
        pupils = conn.execute(select(Pupil.id, Pupil.year_group, Pupil.restriction, Pupil.added_at)
                              .where(Pupil.added_at >= start, Pupil.added_at < end)
                              .order_by(Pupil.added_at)).all()
        out = tuple((f"pupil #{p.id}", p.year_group or "—", p.restriction.replace("_", " "),
                     fmt.when(p.added_at, zone)) for p in pupils)
        return Drill("Pupils added to the do-not-publish register (names are on the Images page)",
                     ("Pupil", "Year or class", "Restriction", "Added"), out, len(out))
    if figure.name == "retro":
        where = [RetroFinding.found_at >= start, RetroFinding.found_at < end]
        if figure.value:
            where.append(RetroFinding.kind == figure.value)
        found = conn.execute(select(RetroFinding.export_id, RetroFinding.pupil_id, RetroFinding.kind,
                                    RetroFinding.found_at).where(*where)
                             .order_by(RetroFinding.found_at)).all()
        out = tuple((f"#{f.export_id}", f"pupil #{f.pupil_id}",
                     "named in the file or caption" if f.kind == "named" else "faces to look at again",
                     fmt.when(f.found_at, zone)) for f in found)
        return Drill("Exports to look at again", ("Export", "Pupil", "Found", "When"), out, len(out))
    raise InputError(f"'{figure.name}' is not a figure of the images report", field="figure")


def _title(figure: Figure, noun: str) -> str:
    words = figure.name.replace("_", " ")
    title = f"{noun}: {words}" if figure.name not in ("received", "checked", "opened") else noun
    if figure.value:
        title += f" ({figure.value.replace('_', ' ')})"
    return title


def drill(conn: Connection, scope: Scope, figure: Figure, *, calendar: WorkingCalendar,
          now: datetime, accounts: dict[int, str], staff: dict[int, str],
          service: ReportService) -> Drill:
    if figure.report == "deadline":
        return _deadline(conn, scope, figure, calendar, now, accounts, staff)
    if figure.report == "monitoring":
        return _monitoring(conn, scope, figure, calendar, now, accounts, staff, service)
    if figure.report == "incidents":
        return _incidents(conn, scope, figure, calendar, staff)
    if figure.report == "people":
        return _people(scope, figure, service)
    if figure.report == "images":
        return _images(conn, scope, figure, calendar)
    raise InputError(f"'{figure.report}' is not a report", field="report")
