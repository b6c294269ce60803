"""The monitoring report (R13): on how many days each account's queue was looked at.

Read from ``account_checks`` (one row per account, person and local day), so the work is
bounded by accounts × days, never by the number of items. Days after today do not
count yet; today counts as unchecked until someone looks.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta

from sqlalchemy import Connection, distinct, func, or_, select

from smmod.reports.records import Line, MonitoringFigures, MonitoringReport, Scope
from smmod.sla import WorkingCalendar
from smmod.store.models import Account, AccountCheck


def longest_gap(days: list[date], first: date, last: date) -> tuple[int, date | None, date | None]:
    """The longest run of days in [first, last] without a check, and where it was."""
    best: tuple[int, date | None, date | None] = (0, None, None)
    previous = first - timedelta(days=1)
    for day in [*sorted(days), last + timedelta(days=1)]:
        run = (day - previous).days - 1
        if run > best[0]:
            best = (run, previous + timedelta(days=1), day - timedelta(days=1))
        previous = max(previous, day)
    return best


def _working_days(calendar: WorkingCalendar, first: date, last: date) -> set[date]:
    out, day = set(), first
    while day <= last:
        if calendar.is_working_day(day):
            out.add(day)
        day += timedelta(days=1)
    return out


def monitoring_report(conn: Connection, scope: Scope, calendar: WorkingCalendar, now: datetime,
                      stale_days: int, accounts: dict[int, str], staff: dict[int, str]
                      ) -> MonitoringReport:
    today = now.astimezone(calendar.zone).date()
    first, last = scope.period.start, min(scope.period.end, today)
    working = _working_days(calendar, first, last) if first <= last else set()
    in_period = (AccountCheck.on_day >= first, AccountCheck.on_day <= last)
    wanted = select(Account.id, Account.status, Account.last_checked_at)
    if scope.account_id is not None:
        wanted = wanted.where(Account.id == scope.account_id)
    else:
        checked_ids = select(AccountCheck.account_id).where(*in_period)
        wanted = wanted.where(or_(Account.status == "active", Account.id.in_(checked_ids)))
    rows = conn.execute(wanted).all()
    days_by_account: dict[int, list[date]] = defaultdict(list)
    stmt = select(AccountCheck.account_id, AccountCheck.on_day).where(*in_period).group_by(
        AccountCheck.account_id, AccountCheck.on_day)
    if scope.account_id is not None:
        stmt = stmt.where(AccountCheck.account_id == scope.account_id)
    for account_id, day in conn.execute(stmt):
        days_by_account[account_id].append(day)
    stale_after = timedelta(days=stale_days)
    lines, stale = [], []
    for account_id, status, last_checked in rows:
        days = days_by_account.get(account_id, [])
        is_stale = status == "active" and (last_checked is None or now - last_checked > stale_after)
        gap = longest_gap(days, first, last) if first <= last else (0, None, None)
        label = accounts.get(account_id, f"account #{account_id}")
        lines.append(Line(account_id, label, MonitoringFigures(
            days_checked=len(days), working_days=len(working),
            working_days_checked=len(working.intersection(days)),
            longest_gap_days=gap[0], gap_from=gap[1], gap_to=gap[2],
            last_checked_at=last_checked, stale_now=is_stale)))
        if is_stale:
            stale.append(label)
    lines.sort(key=lambda line: line.label.lower())
    people = select(AccountCheck.staff_id, func.count(distinct(AccountCheck.on_day)),
                    func.count(distinct(AccountCheck.account_id))).where(*in_period)
    if scope.account_id is not None:
        people = people.where(AccountCheck.account_id == scope.account_id)
    by_person = [
        Line(staff_id, staff.get(staff_id, f"staff #{staff_id}") if staff_id else "before records began",
             {"days_checked": int(days), "accounts": int(count)})
        for staff_id, days, count in conn.execute(people.group_by(AccountCheck.staff_id))]
    by_person.sort(key=lambda line: (line.key is None, line.label.lower()))
    return MonitoringReport(scope, now, stale_days, tuple(lines), tuple(by_person),
                            tuple(sorted(stale, key=str.lower)))
