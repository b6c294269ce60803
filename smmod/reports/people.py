"""People and accounts (R2, R4): accounts at risk, reviews due, training and policy
reading that expire soon.

Judged with the same rules as the account register (``smmod.accounts.reading``), so the
report and the Accounts page never disagree about which account is at risk. Staff and
accounts number in the tens or hundreds, so they are read as rows.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from smmod.accounts.reading import Judge, is_current, load_accounts
from smmod.accounts.records import LIVE_STATUSES
from smmod.platforms import account_label
from smmod.reports.records import AccountRisk, Expiring, PeopleReport, ReviewDue, Scope
from smmod.staff.eligibility import add_months
from smmod.store.models import Staff

WINDOWS = (30, 60)
REVIEW_SOON_DAYS = 30


def within(expires: date, today: date) -> int | None:
    """0 when already expired, 30 or 60 when it expires within that many days, else None."""
    if expires <= today:
        return 0
    for days in WINDOWS:
        if expires <= today + timedelta(days=days):
            return days
    return None


def people_report(session: Session, scope: Scope, today: date, expiry_months: int,
                  policy_months: int) -> PeopleReport:
    judge = Judge.load(session, today, expiry_months)
    accounts = load_accounts(session, ids=[scope.account_id] if scope.account_id else None)
    at_risk, reviews = [], []
    running: dict[int, int] = {}
    live = 0
    for account in accounts:
        if account.status not in LIVE_STATUSES:
            continue
        live += 1
        record = judge.record(account)
        label = account_label(account.platform, account.handle)
        for role in account.roles:
            if role.role in ("lead", "runner") and is_current(role, today):
                running[role.staff_id] = running.get(role.staff_id, 0) + 1
        if record.at_risk:
            rules = tuple(sorted({p.rule for p in record.problems if p.rule in ("R2", "R4")}))
            at_risk.append(AccountRisk(account.id, label, rules,
                                       tuple(p.message for p in record.problems
                                             if p.rule in ("R2", "R4"))))
        if account.review_on is not None and account.review_on <= today + timedelta(
                days=REVIEW_SOON_DAYS):
            reviews.append(ReviewDue(account.id, label, account.review_on,
                                     account.review_on < today))
    expiring = []
    people = session.execute(select(Staff).where(Staff.active.is_(True))).scalars()
    for person in people:
        if scope.account_id is not None and person.id not in running:
            continue
        checks = [("training", person.trained_on, expiry_months)]
        if policy_months:
            checks.append(("policy reading", person.policy_read_on, policy_months))
        for what, done_on, months in checks:
            if done_on is None:
                continue
            expires = add_months(done_on, months)
            window = within(expires, today)
            if window is not None:
                expiring.append(Expiring(person.id, person.name, what, expires, window,
                                         running.get(person.id, 0)))
    expiring.sort(key=lambda e: (e.on, e.name.lower(), e.what))
    reviews.sort(key=lambda r: (r.review_on, r.account.lower()))
    at_risk.sort(key=lambda r: r.account.lower())
    return PeopleReport(scope, today, tuple(at_risk), tuple(reviews), tuple(expiring), live,
                        len(running))
