"""The reports service: figures for SLT and governors on how the policy is kept.

Each report is a read over one session, computed with SQL aggregates; it returns plain
dataclasses (``smmod.reports.records``). The UI, the command line and the termly PDF all
call these methods. Nothing here shows comment text or pupils' names.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from functools import cached_property
from typing import TYPE_CHECKING

from sqlalchemy import Connection, select

from smmod.errors import InputError, NotFound
from smmod.platforms import account_label
from smmod.reports.drill_records import Drill, Figure
from smmod.reports.period import Period
from smmod.reports.records import (
    DeadlineReport,
    ImagesReport,
    IncidentsReport,
    MonitoringReport,
    PeopleReport,
    Scope,
)
from smmod.sla import WorkingCalendar
from smmod.store.engine import SessionFactory
from smmod.store.models import Account, Staff

if TYPE_CHECKING:
    from smmod.reports.foryou import ForYouService

REPORTS = ("deadline", "monitoring", "incidents", "people", "images")


@dataclass(frozen=True)
class TermlyReport:
    """Everything the governors' termly report shows."""

    school: str
    scope: Scope
    generated_at: datetime
    deadline: DeadlineReport
    monitoring: MonitoringReport
    incidents: IncidentsReport
    people: PeopleReport
    images: ImagesReport

    def to_dict(self) -> dict[str, object]:
        return {"school": self.school, "scope": self.scope.to_dict(),
                "generated_at": self.generated_at.isoformat(),
                **{name: getattr(self, name).to_dict() for name in REPORTS}}


class ReportService:
    def __init__(self, session_factory: SessionFactory, *,
                 calendar: Callable[[], WorkingCalendar] = WorkingCalendar,
                 stale_days: Callable[[], int] = lambda: 1,
                 expiry_months: Callable[[], int] = lambda: 12,
                 policy_months: Callable[[], int] = lambda: 12,
                 school: Callable[[], str] = lambda: "Our School") -> None:
        self._sf = session_factory
        self.calendar = calendar
        self.stale_days = stale_days
        self.expiry_months = expiry_months
        self.policy_months = policy_months
        self.school = school

    @cached_property
    def for_you(self) -> ForYouService:
        """What waits for the signed-in person (the For you page and notifications)."""
        from smmod.reports.foryou import ForYouService

        return ForYouService(self._sf, expiry_months=self.expiry_months,
                             policy_months=self.policy_months)

    # -- time ------------------------------------------------------------------------
    def now(self) -> datetime:
        return self._sf.clock.now()

    def today(self) -> date:
        return self.now().astimezone(self.calendar().zone).date()

    @contextmanager
    def _connection(self) -> Iterator[Connection]:
        with self._sf() as session:
            yield session.connection()

    # -- what a report covers ----------------------------------------------------------
    def scope(self, period: Period, account: str | int | None = None) -> Scope:
        """The period and, when given, one account ('@handle', 'platform:handle' or id)."""
        if account is None or account == "":
            return Scope(period)
        with self._sf() as session:
            if isinstance(account, int):
                row = session.get(Account, account)
                if row is None:
                    raise InputError(f"no account with id {account}", field="account")
                return Scope(period, row.id, account_label(row.platform, row.handle))
            from smmod.queue.access import resolve_account

            try:
                ref = resolve_account(session, account)
            except NotFound as exc:
                raise InputError(str(exc), field="account") from None
            return Scope(period, ref.id, ref.display)

    def account_choices(self) -> list[tuple[int, str]]:
        with self._sf() as session:
            rows = session.execute(select(Account.id, Account.platform, Account.handle)
                                   .order_by(Account.platform, Account.handle)).all()
        return [(r.id, account_label(r.platform, r.handle)) for r in rows]

    @staticmethod
    def _labels(conn: Connection) -> tuple[dict[int, str], dict[int, str]]:
        accounts = {r.id: account_label(r.platform, r.handle)
                    for r in conn.execute(select(Account.id, Account.platform, Account.handle))}
        staff = {r.id: r.name for r in conn.execute(select(Staff.id, Staff.name))}
        return accounts, staff

    # -- the reports ---------------------------------------------------------------------
    def deadline(self, scope: Scope) -> DeadlineReport:
        from smmod.reports.deadline import deadline_report

        with self._connection() as conn:
            accounts, staff = self._labels(conn)
            return deadline_report(conn, scope, self.calendar(), self.now(), accounts, staff)

    def monitoring(self, scope: Scope) -> MonitoringReport:
        from smmod.reports.monitoring import monitoring_report

        with self._connection() as conn:
            accounts, staff = self._labels(conn)
            return monitoring_report(conn, scope, self.calendar(), self.now(),
                                     int(self.stale_days()), accounts, staff)

    def incidents(self, scope: Scope) -> IncidentsReport:
        from smmod.reports.incidents import incidents_report

        with self._connection() as conn:
            _, staff = self._labels(conn)
            return incidents_report(conn, scope, self.calendar(), staff)

    def people(self, scope: Scope) -> PeopleReport:
        from smmod.reports.people import people_report

        with self._sf() as session:
            return people_report(session, scope, self.today(), int(self.expiry_months()),
                                 int(self.policy_months()))

    def images(self, scope: Scope) -> ImagesReport:
        from smmod.reports.images import images_report

        with self._connection() as conn:
            return images_report(conn, scope, self.calendar())

    def report(self, name: str, scope: Scope) -> object:
        if name not in REPORTS:
            raise InputError(f"'{name}' is not a report; choose one of {', '.join(REPORTS)}",
                             field="report")
        return getattr(self, name)(scope)

    def termly(self, scope: Scope) -> TermlyReport:
        return TermlyReport(self.school(), scope, self.now(), self.deadline(scope),
                            self.monitoring(scope), self.incidents(scope), self.people(scope),
                            self.images(scope))

    # -- drill-down --------------------------------------------------------------------
    def drill(self, scope: Scope, figure: Figure) -> Drill:
        """The rows behind one figure of a report (items, checks, incidents, people)."""
        from smmod.reports.drill import drill

        with self._connection() as conn:
            accounts, staff = self._labels(conn)
            return drill(conn, scope, figure, calendar=self.calendar(), now=self.now(),
                         accounts=accounts, staff=staff, service=self)
