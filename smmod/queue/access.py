"""Who may work an account's queue, and finding an account by what people type."""

from __future__ import annotations

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from smmod.errors import InputError, NotFound, PermissionDenied
from smmod.identity import Actor
from smmod.queue.records import AccountRef
from smmod.store.base import session_clock
from smmod.store.models import Account, AccountRole

# Moderators work every account's queue; so do SLT and administrators, who cover.
MODERATING_ROLES = ("moderator", "slt", "administrator")


def account_ref(session: Session, account_id: int) -> AccountRef:
    account = session.get(Account, account_id)
    if account is None:
        raise NotFound(f"no account with id {account_id}")
    return AccountRef(account.id, account.platform, account.handle, account.status)


def require_moderator(session: Session, actor: Actor, account: AccountRef, doing: str) -> None:
    """Moderating roles, or a current lead/runner/administrator of this account."""
    if actor.read_only:
        raise PermissionDenied(
            f"You ({actor.username}) have no staff record, so smmod is read-only for you. "
            f"Ask an administrator to add you before you {doing}."
        )
    if actor.has(*MODERATING_ROLES):
        return
    today = session_clock(session).today()
    holds = session.execute(
        select(AccountRole.id).where(
            AccountRole.account_id == account.id,
            AccountRole.staff_id == actor.staff_id,
            or_(AccountRole.from_on.is_(None), AccountRole.from_on <= today),
            or_(AccountRole.to_on.is_(None), AccountRole.to_on >= today),
        )
    ).first()
    if holds is None:
        raise PermissionDenied(
            f"Only moderators, SLT, administrators or the people who run {account.display} can {doing}."
        )


def resolve_account(session: Session, wanted: str) -> AccountRef:
    """An account from 'handle', '@handle' or 'platform:handle' (case does not matter)."""
    text = (wanted or "").strip()
    if not text:
        raise InputError("name the account, e.g. @ourschool or facebook:ourschool", field="account")
    platform, sep, handle = text.partition(":")
    if not sep or "/" in platform:
        platform, handle = "", text
    handle = handle.strip().lstrip("@").casefold()
    stmt = select(Account).where(func.lower(func.ltrim(Account.handle, "@")) == handle)
    if platform:
        stmt = stmt.where(func.lower(Account.platform) == platform.strip().casefold())
    found = list(session.execute(stmt.order_by(Account.platform)).scalars())
    if not found:
        known = session.execute(
            select(Account.platform, Account.handle).order_by(Account.platform).limit(20)
        ).all()
        listed = ", ".join(f"{p}:{h}" for p, h in known) or "none registered yet"
        raise InputError(f"no account '{text}'; known accounts: {listed}", field="account")
    if len(found) > 1:
        options = ", ".join(f"{a.platform}:{a.handle}" for a in found)  # machine form: to type
        raise InputError(
            f"'{text}' matches several accounts ({options}); add the platform, e.g. facebook:handle",
            field="account",
        )
    a = found[0]
    return AccountRef(a.id, a.platform, a.handle, a.status)
