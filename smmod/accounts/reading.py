"""Turning account rows into records: people with their eligibility, problems, risk.

Shared by the lifecycle service and the import, so that the list, the account page and
the command line all judge an account the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from smmod import formatting as fmt
from smmod.accounts.records import LIVE_STATUSES, AccountRecord, Person
from smmod.accounts.rules import business_case_problems, is_staff_member, people_problems
from smmod.staff.eligibility import eligibility
from smmod.store.models import Account, AccountRole, Staff

ROLE_ORDER = {"lead": 0, "runner": 1, "administrator": 2}


def is_current(role: AccountRole, today: date) -> bool:
    """A role counts until its end date (handover sets ``to_on`` to the leaving date)."""
    return role.to_on is None or role.to_on > today


@dataclass
class Judge:
    """Everything needed to judge accounts on one day: the staff room and the rules' clock."""

    staff: dict[int, Staff]
    today: date
    expiry_months: int

    @classmethod
    def load(cls, session: Session, today: date, expiry_months: int,
             ids: Iterable[int] | None = None) -> Judge:
        stmt = select(Staff)
        if ids is not None:
            stmt = stmt.where(Staff.id.in_(set(ids)))
        staff = {s.id: s for s in session.execute(stmt).scalars()}
        return cls(staff, today, expiry_months)

    def name(self, staff_id: int | None) -> str | None:
        if staff_id is None:
            return None
        staff = self.staff.get(staff_id)
        return staff.name if staff else f"staff #{staff_id}"

    def person(self, staff_id: int, role: str, from_on: date | None = None) -> Person:
        staff = self.staff[staff_id]
        return Person(
            staff.id, staff.name, staff.username, role,
            eligibility(active=staff.active, policy_read_on=staff.policy_read_on,
                        trained_on=staff.trained_on, leaving_on=staff.leaving_on,
                        today=self.today, expiry_months=self.expiry_months),
            is_staff_member(staff.role_names), from_on,
        )

    def people_for(self, lead: int | None, runners: Sequence[int],
                   administrators: Sequence[int]) -> tuple[Person, ...]:
        """People as an input names them: the lead, runners (not repeating the lead), admins."""
        out: list[Person] = []
        if lead is not None:
            out.append(self.person(lead, "lead"))
        for staff_id in dict.fromkeys(runners):
            if staff_id != lead:
                out.append(self.person(staff_id, "runner"))
        for staff_id in dict.fromkeys(administrators):
            out.append(self.person(staff_id, "administrator"))
        return tuple(out)

    def planned_exit(self, role: AccountRole) -> bool:
        """A role ending on a set date, held by someone who may run accounts until then
        except that they are leaving (or were deactivated): a handover, not a risk."""
        staff = self.staff.get(role.staff_id)
        if role.to_on is None or staff is None or (staff.active and staff.leaving_on is None):
            return False
        return eligibility(active=True, policy_read_on=staff.policy_read_on,
                           trained_on=staff.trained_on, leaving_on=None, today=self.today,
                           expiry_months=self.expiry_months).eligible

    def handover_note(self, roles: Sequence[AccountRole], people: Sequence[Person]) -> str:
        """What is planned, e.g. "handover to Sam Green on 19 Dec 2026"."""
        notes: dict[str, None] = {}
        for role in roles:
            if not self.planned_exit(role):
                continue
            assert role.to_on is not None
            takers = [p for p in people if p.role == role.role and p.staff_id != role.staff_id
                      and p.from_on is not None and p.from_on > self.today]
            if takers:
                for day in sorted({p.from_on for p in takers if p.from_on is not None}):
                    names = " and ".join(p.name for p in takers if p.from_on == day)
                    notes[f"handover to {names} on {fmt.day(day)}"] = None
            else:
                leaver = self.name(role.staff_id)
                notes[f"{leaver} stops running it on {fmt.day(role.to_on)}"] = None
        return "; ".join(notes)

    def record(self, account: Account) -> AccountRecord:
        roles = sorted((r for r in account.roles if is_current(r, self.today)),
                       key=lambda r: (ROLE_ORDER.get(r.role, 9), r.id or 0))
        people = tuple(self.person(r.staff_id, r.role, r.from_on) for r in roles)
        # The rules judge the account as it will be once planned departures take effect:
        # a lead leaving on a set date with a successor named is a handover, not a risk.
        leaving = {(r.staff_id, r.role) for r in roles if self.planned_exit(r)}
        staying = [p for p in people if (p.staff_id, p.role) not in leaving]
        visibility = account.visibility
        problems = business_case_problems(
            account.aim, account.audience, account.promotion, visibility,
            any(p.role == "lead" for p in staying))
        rule_problems = people_problems(staying)
        live = account.status in LIVE_STATUSES
        problems += rule_problems
        if account.status == "closed":  # nothing left to fix on a closed account
            problems = rule_problems = []
        return AccountRecord(
            id=account.id, platform=account.platform, handle=account.handle, url=account.url,
            status=account.status, aim=account.aim, audience=account.audience,
            promotion=account.promotion, visibility=visibility, review_on=account.review_on,
            people=people, problems=tuple(problems),
            at_risk=live and bool(rule_problems),
            handover_note=self.handover_note(roles, people) if live else "",
            review_overdue=live and account.review_on is not None
            and account.review_on < self.today,
            version_id=account.version_id, created_at=account.created_at,
            created_by=self.name(account.created_by), created_by_id=account.created_by,
            submitted_by=self.name(account.submitted_by), submitted_by_id=account.submitted_by,
            submitted_at=account.submitted_at, decided_by=self.name(account.decided_by),
            decided_at=account.decided_at, decision_reason=account.decision_reason,
            activated_by=self.name(account.activated_by), activated_at=account.activated_at,
            platform_created_on=account.platform_created_on,
            attested_by=self.name(account.attested_by), attested_at=account.attested_at,
            attestation=account.attestation, closed_by=self.name(account.closed_by),
            closed_at=account.closed_at, closed_reason=account.closed_reason,
        )


def load_accounts(session: Session, *, ids: Iterable[int] | None = None) -> list[Account]:
    stmt = (select(Account).options(selectinload(Account.roles))
            .order_by(Account.platform, Account.handle))
    if ids is not None:
        stmt = stmt.where(Account.id.in_(set(ids)))
    return list(session.execute(stmt).scalars())


def judge_factory(today: Callable[[], date], expiry_months: Callable[[], int]
                  ) -> Callable[[Session], Judge]:
    def make(session: Session) -> Judge:
        return Judge.load(session, today(), expiry_months())

    return make
