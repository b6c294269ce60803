"""Who is connected, as the PostgreSQL server sees it (issue 14).

On a server where ``smmod server init`` has run, each person connects as their own
login role; the database maps its ``session_user`` to their staff record (the functions
of migration 0017) and smmod asks it rather than trusting the OS login or
``SMMOD_USER``. On SQLite, and on a PostgreSQL database not set up for identities,
everything here answers None and smmod works as before.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass

from sqlalchemy import Connection, text
from sqlalchemy.orm import Session

from smmod.errors import InputError, PermissionDenied
from smmod.store import dialect

#: A login role name smmod creates: PostgreSQL's own identifier rules, lower case.
_ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_.-]{0,62}$")
PASSWORD_BYTES = 18  # token_urlsafe: 24 characters


@dataclass(frozen=True)
class ServerLogin:
    """The connected login on a server that enforces identities."""

    login: str  # session_user
    staff_id: int | None  # their active staff record, if any
    owner: bool  # the database owner (or a superuser): IT, not a member of staff


def identities_on(bind: Session | Connection) -> bool:
    """True on a PostgreSQL database where ``smmod server init`` has run."""
    if not dialect.is_postgresql(bind):
        return False
    return bool(bind.execute(text("SELECT smmod_identities_on()")).scalar())


def server_login(bind: Session | Connection) -> ServerLogin | None:
    """The connected login, or None where the database enforces no identities."""
    if not identities_on(bind):
        return None
    row = bind.execute(text(
        "SELECT session_user::text, smmod_staff_id(), smmod_is_owner()")).one()
    return ServerLogin(row[0], row[1], bool(row[2]))


def audit_actor(bind: Session | Connection) -> str | None:
    """The name the database will accept as an audit entry's actor (None: any)."""
    if not dialect.is_postgresql(bind):
        return None
    value = bind.execute(text("SELECT smmod_audit_actor()")).scalar()
    return str(value) if value is not None else None


def check_role_name(name: str, field: str = "db-role") -> str:
    name = name.strip()
    if not _ROLE_NAME.match(name):
        raise InputError(f"'{name}' cannot be a login role name: use lower-case letters, "
                         "digits, '_', '.' or '-', starting with a letter, at most 63",
                         field=field)
    return name


def role_exists(bind: Session | Connection, name: str) -> bool:
    return bool(bind.execute(text("SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :n)"),
                             {"n": name}).scalar())


def new_password() -> str:
    return secrets.token_urlsafe(PASSWORD_BYTES)


def create_login(session: Session, name: str, password: str) -> None:
    """CREATE ROLE name LOGIN PASSWORD …, inside the caller's transaction (so it goes if
    the staff record is not saved). The password never travels: libpq turns it into its
    SCRAM-SHA-256 verifier here, and only that reaches the server (and its logs)."""
    if role_exists(session, name):
        raise InputError(f"the login role '{name}' already exists on the server: link it "
                         f"with --existing-role {name}, or choose another name", field="db-role")
    import psycopg
    from psycopg import sql

    _require_owner(session, "create a login role")
    raw = session.connection().connection.driver_connection
    assert raw is not None
    verifier = raw.pgconn.encrypt_password(password.encode(), name.encode(), b"scram-sha-256")
    statement = sql.SQL("CREATE ROLE {} LOGIN PASSWORD {}").format(
        sql.Identifier(name), sql.Literal(verifier.decode("ascii")))
    try:
        raw.execute(statement)
    except psycopg.Error as exc:  # the server's refusal, never the statement
        reason = exc.diag.message_primary or type(exc).__name__
        raise PermissionDenied(f"the server refused to create the login role '{name}': "
                               f"{reason}. The database owner needs the CREATEROLE "
                               "privilege (see docs/server.md)") from None


def require_existing(session: Session, name: str) -> None:
    if not role_exists(session, name):
        raise InputError(f"there is no login role '{name}' on the server: create it first "
                         "(for Kerberos, named as the person's principal maps), or leave out "
                         "--existing-role", field="existing-role")
    _require_owner(session, "link a login role")


def _require_owner(session: Session, doing: str) -> None:
    if not session.execute(text("SELECT smmod_is_owner()")).scalar():
        raise PermissionDenied(f"only the database owner may {doing}: run this as the "
                               "owner (see docs/server.md)")


#: SQLSTATE of a privilege the login lacks (a grant, a policy or smmod's triggers).
INSUFFICIENT_PRIVILEGE = "42501"


def server_refusal(exc: BaseException) -> str | None:
    """The server's own words when it refused an action for lack of privilege, else None."""
    cause = getattr(exc, "orig", None)
    if getattr(cause, "sqlstate", None) != INSUFFICIENT_PRIVILEGE:
        return None
    primary = getattr(getattr(cause, "diag", None), "message_primary", None) or str(cause)
    return ("the database server refused this: " + primary.removeprefix("smmod: ")
            + " (your login's privileges on the server; see docs/server.md)")
