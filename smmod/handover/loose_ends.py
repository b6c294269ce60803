"""What deactivating someone now would leave behind: the reason to run a handover first.

Deactivating a person who still runs accounts, may know passwords, leads incidents or
has claimed queue items leaves those accounts at risk and that work with nobody (R6).
A handover settles each of them; what it settled (roles given an end date, passwords
rotated when it was applied, work reassigned) is not counted again here.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from smmod.handover.inventory import departing, holdings
from smmod.store.models import Account, AccountRole, Handover

_LISTED = 5


@dataclass(frozen=True)
class LooseEnds:
    name: str
    accounts: tuple[str, ...]  # "lead of @oakfield_pe (instagram)"
    credentials: tuple[str, ...]  # "pe@oakfield.sch.uk on @oakfield_pe (instagram)"
    incidents: tuple[str, ...]  # "Incident #3: Abusive comments…"
    items: tuple[int, ...]  # claimed queue items

    def __bool__(self) -> bool:
        return bool(self.accounts or self.credentials or self.incidents or self.items)

    def lines(self) -> list[str]:
        """One line per kind of thing held, for a message or a dialog."""
        out = []
        if self.accounts:
            out.append("runs " + _listed(self.accounts))
        if self.credentials:
            out.append(f"may know {_count(len(self.credentials), 'password')} that must be "
                       f"rotated: {_listed(self.credentials)}")
        if self.incidents:
            out.append("leads " + _listed(self.incidents))
        if self.items:
            out.append(f"has claimed {_count(len(self.items), 'queue item')} "
                       + _listed(tuple(f"#{i}" for i in self.items)))
        return out

    @property
    def message(self) -> str:
        return (f"{self.name} still " + "; ".join(self.lines()) + ". Deactivating them now "
                "would leave these with nobody: run a handover for them first (R6), or "
                "deactivate them anyway and give the reason.")

    def to_dict(self) -> dict[str, Any]:
        return {"accounts": list(self.accounts), "credentials": list(self.credentials),
                "incidents": list(self.incidents), "queue_items": list(self.items)}


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _listed(values: tuple[str, ...]) -> str:
    shown = ", ".join(values[:_LISTED])
    more = len(values) - _LISTED
    return shown + (f" and {more} more" if more > 0 else "")


def loose_ends(session: Session, staff_id: int, *, today: date, expiry_months: int) -> LooseEnds:
    staff = departing(session, staff_id)
    held = holdings(session, staff_id, today=today, expiry_months=expiry_months)
    handed_over = session.scalar(select(func.max(Handover.applied_at)).where(
        Handover.staff_id == staff_id, Handover.status == "applied"))
    roles: dict[str, list[str]] = defaultdict(list)
    rows = session.execute(
        select(AccountRole.role, Account.handle, Account.platform)
        .join(Account, Account.id == AccountRole.account_id)
        .where(AccountRole.staff_id == staff_id, AccountRole.to_on.is_(None),
               Account.status != "closed")
        .order_by(Account.platform, Account.handle, AccountRole.role)).all()
    for role, handle, platform in rows:  # a role with an end date was planned already
        label = f"{handle} ({platform})"  # machine form (handover --json)
        if role not in roles[label]:
            roles[label].append(role)
    accounts = tuple(f"{' and '.join(r)} of {label}" for label, r in roles.items())
    credentials = tuple(
        f"{c.login_name} on {c.account_label}" for c in held.credentials
        if handed_over is None or c.rotated_at is None or c.rotated_at < handed_over)
    return LooseEnds(staff.name, accounts, credentials,
                     tuple(i.label for i in held.incidents),
                     tuple(i.item_id for i in held.items))
