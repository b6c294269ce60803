"""Everything a departing person holds, read inside the caller's session.

"Credentials they knew" is deliberately generous: anyone who held any role on an account
since its password was last rotated, anyone who revealed or copied the password since
(the audit trail says so), and every password when they are an administrator, because
an administrator could reveal any of them. Rotating one password too many costs a few
minutes; missing one leaves a former colleague able to log in.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from smmod import formatting as fmt
from smmod.accounts.reading import Judge, is_current
from smmod.accounts.rules import is_staff_member
from smmod.errors import NotFound
from smmod.handover.records import (
    Candidate,
    ClaimedItem,
    Departing,
    HeldAccount,
    Holdings,
    KnownCredential,
    LedIncident,
)
from smmod.handover.tokens import held_connections
from smmod.platforms import readable_handle_label
from smmod.staff.eligibility import eligibility
from smmod.store.models import Account, AccountRole, AuditEntry, Credential, QueueItem, Staff
from smmod.store.models.moderation import Incident

REVEAL_ACTIONS = {"credential.reveal": "revealed", "credential.copy": "copied"}
EXCERPT = 80


def departing(session: Session, staff_id: int) -> Staff:
    staff = session.get(Staff, staff_id)
    if staff is None:
        raise NotFound(f"no staff member with id {staff_id}")
    return staff


def holdings(session: Session, staff_id: int, *, today: date, expiry_months: int) -> Holdings:
    staff = departing(session, staff_id)
    judge = Judge.load(session, today, expiry_months)
    person = Departing(staff.id, staff.name, staff.username, staff.role_names, staff.leaving_on,
                       staff.active, staff.version_id)
    accounts = _accounts(session, staff.id, judge)
    return Holdings(person, accounts, _credentials(session, staff, today),
                    _items(session, staff.id), _incidents(session, staff.id),
                    held_connections(session, staff.id, accounts))


def _accounts(session: Session, staff_id: int, judge: Judge) -> tuple[HeldAccount, ...]:
    roles = session.execute(select(AccountRole).where(AccountRole.staff_id == staff_id)).scalars()
    held: dict[int, list[str]] = defaultdict(list)
    for role in roles:
        if is_current(role, judge.today) and role.role not in held[role.account_id]:
            held[role.account_id].append(role.role)
    if not held:
        return ()
    order = {"lead": 0, "runner": 1, "administrator": 2}
    rows = session.execute(
        select(Account).options(selectinload(Account.roles))
        .where(Account.id.in_(held), Account.status != "closed")
        .order_by(Account.platform, Account.handle)).scalars()
    out = []
    for account in rows:
        record = judge.record(account)
        others = tuple(p for p in record.people if p.staff_id != staff_id)
        out.append(HeldAccount(account.id, account.platform, account.handle, account.status,
                               tuple(sorted(held[account.id], key=order.__getitem__)),
                               others, account.version_id))
    return tuple(out)


def _credentials(session: Session, staff: Staff, today: date) -> tuple[KnownCredential, ...]:
    rows = session.execute(
        select(Credential, Account).join(Account, Account.id == Credential.account_id)
        .where(Account.status != "closed")
        .order_by(Account.platform, Account.handle, Credential.login_name)).all()
    if not rows:
        return ()
    reasons: dict[int, list[str]] = defaultdict(list)
    if "administrator" in staff.role_names:
        for credential, _account in rows:
            reasons[credential.id].append("could reveal any password as an administrator")
    by_account: dict[int, list[AccountRole]] = defaultdict(list)
    for role in session.execute(select(AccountRole).where(AccountRole.staff_id == staff.id)
                                ).scalars():
        by_account[role.account_id].append(role)
    for credential, _account in rows:
        since = credential.rotated_at.astimezone(fmt.SCHOOL).date() if credential.rotated_at else None
        held = sorted({r.role for r in by_account.get(credential.account_id, [])
                       if since is None or r.to_on is None or r.to_on > since})
        if held:
            reasons[credential.id].append(f"{' and '.join(held)} of the account "
                                          "since the password was last set")
    for credential_id, verb, at in _reveals(session, staff.username):
        revealed = next((c for c, _ in rows if c.id == credential_id), None)
        if revealed is not None and (revealed.rotated_at is None or at > revealed.rotated_at):
            reasons[credential_id].append(f"{verb} it on {fmt.day(at.astimezone(fmt.SCHOOL).date())}")
    out = []
    for credential, account in rows:
        if credential.id in reasons:
            out.append(KnownCredential(
                # machine form (handover --json)
                credential.id, account.id, f"{account.handle} ({account.platform})",
                account.platform, credential.login_name, credential.kind,
                credential.rotated_at, tuple(dict.fromkeys(reasons[credential.id])),
                credential.version_id))
    return tuple(out)


def _reveals(session: Session, username: str) -> list[tuple[int, str, datetime]]:
    """(credential id, "revealed"/"copied", when) from the audit trail, newest first."""
    entries = session.execute(
        select(AuditEntry.subject, AuditEntry.action, AuditEntry.at)
        .where(AuditEntry.actor == username, AuditEntry.action.in_(REVEAL_ACTIONS))
        .order_by(AuditEntry.id.desc())).all()
    out = []
    for subject, action, at in entries:
        _, _, tail = subject.rpartition("credential:")
        if tail.isdigit():
            out.append((int(tail), REVEAL_ACTIONS[action], at))
    return out


def _items(session: Session, staff_id: int) -> tuple[ClaimedItem, ...]:
    rows = session.execute(
        select(QueueItem, Account.handle, Account.platform)
        .join(Account, Account.id == QueueItem.account_id)
        .where(QueueItem.claimed_by == staff_id, QueueItem.status != "resolved")
        .order_by(QueueItem.due_at, QueueItem.id)).all()
    out = []
    for item, handle, platform in rows:
        text = " ".join(item.text.split())
        excerpt = text if len(text) <= EXCERPT else text[:EXCERPT - 1] + "…"
        # machine form (handover --json)
        out.append(ClaimedItem(item.id, item.account_id, f"{handle} ({platform})",
                               item.author_name, excerpt, item.status, item.due_at,
                               item.version_id))
    return tuple(out)


def _incidents(session: Session, staff_id: int) -> tuple[LedIncident, ...]:
    rows = session.execute(
        select(Incident).where(Incident.lead_id == staff_id, Incident.status != "closed")
        .order_by(Incident.id)).scalars()
    return tuple(LedIncident(i.id, i.title, i.status, i.version_id) for i in rows)


def candidates(session: Session, departing_id: int, *, today: date, expiry_months: int
               ) -> list[Candidate]:
    """Everyone active who could take something over, eligible or not, with the reason."""
    rows = session.execute(select(Staff).where(Staff.active.is_(True), Staff.id != departing_id)
                           .order_by(Staff.name)).scalars()
    out = []
    for s in rows:
        e = eligibility(active=s.active, policy_read_on=s.policy_read_on,
                        trained_on=s.trained_on, leaving_on=s.leaving_on, today=today,
                        expiry_months=expiry_months)
        out.append(Candidate(s.id, s.name, s.username, s.role_names, e.eligible, e.reasons,
                             is_staff_member(s.role_names), s.leaving_on))
    return out


def changes(basis_json: str, now: Holdings) -> tuple[str, ...]:
    """What changed since a handover was saved, in words a person can check."""
    try:
        old = json.loads(basis_json or "{}")
    except ValueError:
        old = {}
    if not old:
        return ()
    new = now.basis()
    out: list[str] = []
    if old.get("staff") != new["staff"]:
        out.append(f"{now.person.name}'s staff record was edited.")
    old_accounts, new_accounts = old.get("accounts", {}), new["accounts"]
    for key, (_version, _roles, label) in new_accounts.items():
        if key not in old_accounts:
            out.append(f"They now also hold {readable_handle_label(label)}.")
        elif old_accounts[key] != new_accounts[key]:
            out.append(f"{readable_handle_label(label)} was changed.")
    for key, value in old_accounts.items():
        if key not in new_accounts:
            out.append(f"They no longer hold {readable_handle_label(value[2])}.")
    old_creds, new_creds = old.get("credentials", {}), new["credentials"]
    labels = {str(c.credential_id): f"{c.login_name} on {c.account_shown}"
              for c in now.credentials}
    for key in new_creds:
        if key not in old_creds:
            out.append(f"A password to rotate was added: {labels[key]}.")
        elif old_creds[key] != new_creds[key]:
            out.append(f"The password for {labels[key]} was changed.")
    gone = len(set(old_creds) - set(new_creds))
    if gone:
        out.append(f"{gone} password{'s' if gone != 1 else ''} no longer need rotating.")
    _count(out, old.get("items", {}), new["items"], "claimed queue item")
    _count(out, old.get("incidents", {}), new["incidents"], "incident they lead")
    return tuple(out)


def _count(out: list[str], old: dict[str, object], new: dict[str, object], noun: str) -> None:
    added = len(set(new) - set(old))
    gone = len(set(old) - set(new))
    edited = sum(1 for k in set(new) & set(old) if new[k] != old[k])
    for n, what in ((added, "new"), (gone, "no longer theirs"), (edited, "changed")):
        if n:
            out.append(f"{n} {noun}{'s' if n != 1 else ''} {what} since this was saved.")
