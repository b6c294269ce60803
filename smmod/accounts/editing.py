"""Checking and applying what a person typed about an account (shared by every way in)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from smmod.accounts.reading import Judge, is_current
from smmod.accounts.records import VISIBILITIES, AccountInput
from smmod.errors import InputError
from smmod.platforms import platform_label
from smmod.store.models import PLATFORMS, Account, AccountRole

MAX_HANDLE = 200
MAX_URL = 500


def validate(data: AccountInput, judge: Judge) -> AccountInput:
    """The input tidied (trimmed, people de-duplicated), or an InputError naming the field."""
    platform = data.platform.strip().lower()
    if platform not in PLATFORMS:
        # machine form: as typed
        raise InputError(f"'{data.platform}' is not a platform smmod knows; choose one of: "
                         f"{', '.join(PLATFORMS)}", field="platform")
    handle = data.handle.strip()
    if not handle:
        raise InputError("the account's handle or page name is required", field="handle")
    if len(handle) > MAX_HANDLE or not handle.isprintable():
        raise InputError(f"the handle must be printable text of at most {MAX_HANDLE} "
                         "characters", field="handle")
    url = data.url.strip()
    if url and (not url.lower().startswith(("https://", "http://")) or len(url) > MAX_URL
                or any(c.isspace() for c in url)):
        raise InputError("the address must be a web address starting https:// "
                         f"(at most {MAX_URL} characters, no spaces)", field="url")
    visibility = data.visibility.strip().lower() if data.visibility else None
    if visibility is not None and visibility not in VISIBILITIES:
        raise InputError(f"'{data.visibility}' is neither open nor private", field="visibility")
    for role, ids in (("lead", [data.lead] if data.lead is not None else []),
                      ("runners", data.runners), ("administrators", data.administrators)):
        for staff_id in ids:
            if staff_id not in judge.staff:
                raise InputError(f"no staff member with id {staff_id}", field=role)
    runners = tuple(i for i in dict.fromkeys(data.runners) if i != data.lead)
    return replace(data, platform=platform, handle=handle, url=url, aim=data.aim.strip(),
                   audience=data.audience.strip(), promotion=data.promotion.strip(),
                   visibility=visibility, runners=runners,
                   administrators=tuple(dict.fromkeys(data.administrators)))


def refuse_duplicate(session: Session, platform: str, handle: str,
                     ignore_id: int | None = None) -> None:
    stmt = select(Account.id, Account.status).where(
        Account.platform == platform, func.lower(Account.handle) == handle.strip().lower())
    if ignore_id is not None:
        stmt = stmt.where(Account.id != ignore_id)
    clash = session.execute(stmt).first()
    if clash:
        raise InputError(f"{handle} on {platform_label(platform)} is already in the register "
                         f"({clash.status})", field="handle")


def apply_input(account: Account, data: AccountInput, today: date) -> None:
    """Copy the input onto the row; people no longer named stop holding their role today.

    Before an account is live its people are simply replaced. Once it is approved, a
    role is ended (``to_on``) rather than deleted, so the handover and the history can
    still see who held it.
    """
    account.platform = data.platform
    account.handle = data.handle
    account.url = data.url
    account.aim = data.aim
    account.audience = data.audience
    account.promotion = data.promotion
    account.visibility = data.visibility
    account.is_private = data.visibility == "private"
    account.review_on = data.review_on
    wanted = {(data.lead, "lead")} if data.lead is not None else set()
    wanted |= {(i, "runner") for i in data.runners}
    wanted |= {(i, "administrator") for i in data.administrators}
    live = account.status not in ("draft", "submitted", "rejected")
    held: set[tuple[int, str]] = set()
    for role in list(account.roles):
        if not is_current(role, today):
            continue
        key = (role.staff_id, role.role)
        if key in wanted:
            held.add(key)
        elif live and (role.from_on is None or role.from_on < today):
            role.to_on = today
        else:
            account.roles.remove(role)
    for staff_id, role_name in sorted(wanted - held, key=lambda k: (k[1], k[0])):
        account.roles.append(AccountRole(staff_id=staff_id, role=role_name, from_on=today))


def details(data: AccountInput, judge: Judge) -> dict[str, Any]:
    """The input as the audit trail records it: usernames, not ids."""
    def user(staff_id: int | None) -> str | None:
        if staff_id is None:
            return None
        staff = judge.staff.get(staff_id)
        return staff.username if staff else f"#{staff_id}"

    return {
        "platform": data.platform, "handle": data.handle, "url": data.url,
        "aim": data.aim, "audience": data.audience, "promotion": data.promotion,
        "visibility": data.visibility, "lead": user(data.lead),
        "runners": [user(i) for i in data.runners],
        "administrators": [user(i) for i in data.administrators],
        "review_on": data.review_on.isoformat() if data.review_on else None,
    }
