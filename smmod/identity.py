"""Who is acting, mapped to a Staff row, and role checks.

On SQLite the person is the OS login (``SMMOD_USER`` stands in for it in tests). On a
PostgreSQL server set up with ``smmod server init`` it is the database's
``session_user``: the login role the person connected with, whatever ``SMMOD_USER`` says
(``smmod.store.identities``).
"""

from __future__ import annotations

import getpass
import os
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from smmod.errors import PermissionDenied
from smmod.store.engine import SessionFactory
from smmod.store.identities import ServerLogin, server_login
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
    #: The server database's owner with no staff record of their own (the trust's IT):
    #: may do what an administrator does to set people up, and is audited by login.
    owner: bool = False

    @property
    def known(self) -> bool:
        return self.staff_id is not None

    @property
    def read_only(self) -> bool:
        return not self.known and not self.owner

    def has(self, *roles: str) -> bool:
        return bool(self.roles & set(roles))

    @property
    def display(self) -> str:
        if self.owner and not self.known:
            return f"{self.username} (database owner)"
        if not self.known:
            return f"{self.username} (no staff record: read-only)"
        return f"{self.name} ({', '.join(sorted(self.roles))})"


def resolve_actor(session_factory: SessionFactory, username: str | None = None) -> Actor:
    """The person acting. On a server the database says who it is: ``username`` and
    ``SMMOD_USER`` are not asked."""
    with session_factory() as session:
        login = server_login(session)
        if login is not None:
            return _server_actor(session, login)
        username = username or current_username()
        staff = session.execute(
            select(Staff).where(Staff.username == username, Staff.active.is_(True))
        ).scalar_one_or_none()
        if staff is None:
            return Actor(username)
        return Actor(username, staff.id, staff.name, staff.role_names)


def _server_actor(session: Session, login: ServerLogin) -> Actor:
    staff = session.get(Staff, login.staff_id) if login.staff_id is not None else None
    if staff is not None:
        return Actor(staff.username, staff.id, staff.name, staff.role_names, owner=login.owner)
    if login.owner:
        return Actor(login.login, None, login.login, frozenset({"administrator"}), owner=True)
    return Actor(login.login)


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
