"""Each person's own login role on a PostgreSQL server (issue 14).

``smmod staff add`` on a server creates the person's login role (or links one that
exists, such as a Kerberos principal's) together with their staff record, in one
transaction: either both are there or neither. The database then keeps the role's
group memberships matching the person's staff roles (migration 0017).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from smmod import audit
from smmod.errors import InputError, NotFound
from smmod.identity import Actor, require
from smmod.store import identities
from smmod.store.engine import SessionFactory
from smmod.store.models import Staff


@dataclass(frozen=True)
class LoginRequest:
    """A new login role ``role`` with ``password``, or (``existing``) one already there."""

    role: str
    password: str | None = None
    existing: bool = False

    def __post_init__(self) -> None:
        if not self.existing and not self.password:
            raise InputError("a new login role needs a password", field="password")


#: The shortest password accepted for a new login role.
MIN_PASSWORD = 12


@dataclass(frozen=True)
class LoginPower:
    """What the person using smmod may do about server logins."""

    on_server: bool  # a PostgreSQL server set up with ``smmod server init``
    may_create: bool  # the database's owner: creates and links login roles

    def who_may(self, username: str = "USERNAME") -> str:
        """Who can give ``username`` a login, and the line they run, in plain words."""
        return (f"Only the database's owner (the school's IT, who ran 'smmod server init') "
                f"can create server logins. They give this person one with: "
                f"smmod staff login {username}")


#: A register on this computer (or a server without identities): no logins to give.
NO_SERVER = LoginPower(on_server=False, may_create=False)


def power(session_factory: SessionFactory, actor: Actor) -> LoginPower:
    """Whether this register is on a server, and whether ``actor`` may create logins
    there (what ``smmod staff add`` and ``staff login`` need)."""
    server = on_server(session_factory)
    return LoginPower(server, server and actor.owner)


def new_request(username: str, *, role: str | None = None, password: str | None = None,
                existing: str | None = None) -> tuple[LoginRequest, bool]:
    """The login to create (``role``, default from ``username``; ``password``, default a
    new one) or to link (``existing``); whether the password was generated here."""
    if existing:
        if role or password:
            raise InputError("linking an existing login role uses that role's own way to "
                             "log in: leave out the new role's name and password",
                             field="existing-role")
        return LoginRequest(existing.strip(), existing=True), False
    name = (role or "").strip() or default_role_name(username)
    if password is not None:
        if len(password) < MIN_PASSWORD:
            raise InputError(f"the password is shorter than {MIN_PASSWORD} characters",
                             field="password")
        return LoginRequest(name, password), False
    return LoginRequest(name, identities.new_password()), True


def workstation_line(database_url: str, role: str, *, linked: bool = False) -> str:
    """The line the person runs on their own computer, ``PASSWORD`` standing for theirs.

    A ``linked`` login (one IT created, as for Kerberos) has no password from smmod: the
    line has none, and asks for GSSAPI encryption, which the server's ``hostgssenc`` line
    in docs/server.md requires.
    """
    from sqlalchemy.engine import make_url

    from smmod.dburl import for_person

    url = for_person(database_url, role)
    if linked:
        kerberos = make_url(url).update_query_dict({"gssencmode": "require"})
        return f"smmod settings set database.url '{kerberos.render_as_string(False)}'"
    return f"smmod settings set database.url '{url.replace('@', ':PASSWORD@', 1)}'"


def default_role_name(username: str) -> str:
    """The login role smmod proposes for a staff username."""
    return username.strip().lower()


def on_server(session_factory: SessionFactory) -> bool:
    """Whether this database enforces identities (``smmod server init`` has run)."""
    with session_factory() as session:
        return identities.identities_on(session)


def attach(session: Session, staff: Staff, request: LoginRequest) -> dict[str, str]:
    """Create or link ``request``'s login role for ``staff`` (not yet flushed or flushed);
    the audit details to record. Refused unless the database enforces identities."""
    if not identities.identities_on(session):
        raise InputError("login roles are only for a PostgreSQL server set up with "
                         "'smmod server init'", field="existing-role")
    name = identities.check_role_name(request.role,
                                      "existing-role" if request.existing else "db-role")
    holder = select(Staff.username).where(Staff.db_role == name)
    if staff.id is not None:
        holder = holder.where(Staff.id != staff.id)
    taken = session.execute(holder).scalar()
    if taken is not None:
        raise InputError(f"the login role '{name}' is already {taken}'s", field="db-role")
    if request.existing:
        identities.require_existing(session, name)
    else:
        assert request.password is not None
        identities.create_login(session, name, request.password)
    staff.db_role = name
    return {"login_role": name, "login": "linked" if request.existing else "created"}


def link(session_factory: SessionFactory, actor: Actor, username: str,
         request: LoginRequest) -> str:
    """Give someone already in the register a login role; the role's name."""
    require(actor, "administrator", doing="give someone a login")
    with session_factory.begin() as session:
        staff = session.execute(select(Staff).where(Staff.username == username.strip())
                                ).scalar_one_or_none()
        if staff is None:
            raise NotFound(f"nobody in the staff register has the username '{username}'")
        details = attach(session, staff, request)
        session.flush()
        audit.record(session, actor=actor.username, action="staff.login",
                     subject=f"staff:{staff.id}", details=details)
        return details["login_role"]
