"""Who is acting: the OS login, mapped to a Staff row, and role checks."""

from __future__ import annotations

import getpass
import os
from dataclasses import dataclass

from sqlalchemy import select

from smmod.errors import PermissionDenied
from smmod.store.engine import SessionFactory
from smmod.store.models import Staff


def current_username() -> str:
    """The OS login (``SMMOD_USER`` overrides it, for tests and shared kiosks)."""
    return os.environ.get("SMMOD_USER") or getpass.getuser()


@dataclass(frozen=True)
class Actor:
    username: str
    staff_id: int | None = None
    name: str = ""
    roles: frozenset[str] = frozenset()

    @property
    def known(self) -> bool:
        return self.staff_id is not None

    @property
    def read_only(self) -> bool:
        return not self.known

    def has(self, *roles: str) -> bool:
        return bool(self.roles & set(roles))

    @property
    def display(self) -> str:
        if not self.known:
            return f"{self.username} (no staff record: read-only)"
        return f"{self.name} ({', '.join(sorted(self.roles))})"


def resolve_actor(session_factory: SessionFactory, username: str | None = None) -> Actor:
    username = username or current_username()
    with session_factory() as session:
        staff = session.execute(
            select(Staff).where(Staff.username == username, Staff.active.is_(True))
        ).scalar_one_or_none()
        if staff is None:
            return Actor(username)
        return Actor(username, staff.id, staff.name, staff.role_names)


def require(actor: Actor, *roles: str, doing: str) -> None:
    """Refuse unless the actor holds one of ``roles``; the message says who may."""
    if actor.read_only:
        raise PermissionDenied(
            f"You ({actor.username}) have no staff record, so smmod is read-only for you. "
            f"Ask an administrator to add you before {doing}."
        )
    if not actor.has(*roles):
        raise PermissionDenied(
            f"Only {' or '.join(r.upper() if r == 'slt' else r for r in roles)} staff can {doing}."
        )
