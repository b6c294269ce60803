"""The ``database.url`` setting: which database smmod uses, checked before it is saved.

A URL is accepted only when smmod can use it: ``sqlite:////absolute/path.sqlite3`` in a
folder that exists and can be written, or ``postgresql://`` (driver psycopg) whose
server answers. Its password never goes in settings.toml: it is kept in the OS keyring,
and put back into the URL only when the database is opened. No message, log line or
audit entry shows it.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING

from smmod.errors import InputError, KeyringUnavailable, NotFound, SmmodError, clip

if TYPE_CHECKING:
    from sqlalchemy.engine import URL

    from smmod.vault import Vault

log = logging.getLogger("smmod.dburl")

KEY = "database.url"
ENV = "SMMOD_DATABASE_URL"
#: The keyring item (in smmod's keyring service) that holds the database's password.
PASSWORD_ITEM = "database-url-password"  # noqa: S105 (a keyring item name)
CONNECT_TIMEOUT_S = 5
_EXAMPLES = ("sqlite:////path/to/smmod.sqlite3 or "
             "postgresql://user@server/database (empty: this computer's own file)")


def _refuse(reason: str) -> InputError:
    return InputError(reason, field=KEY)


def parse(text: str) -> URL:
    """The URL, checked for its form only (nothing is opened); InputError otherwise.

    ``postgresql`` means the psycopg driver, the one smmod ships with.
    """
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        url = make_url(text.strip())
    except (ArgumentError, ValueError):
        raise _refuse(f"this is not a database URL; expected {_EXAMPLES}") from None
    backend, driver = url.get_backend_name(), url.get_driver_name()
    shown = clip(url.render_as_string(hide_password=True), 200)
    if backend == "sqlite":
        if url.drivername not in ("sqlite", "sqlite+pysqlite"):
            raise _refuse(f"{shown}: smmod opens SQLite files with the pysqlite driver only")
        if not url.database or url.database == ":memory:" or url.database.startswith("file:"):
            raise _refuse(f"{shown}: give the path of the SQLite file, e.g. {_EXAMPLES}")
        if not Path(url.database).is_absolute():
            raise _refuse(f"{shown}: give the SQLite file's full path (sqlite://// then the "
                          "path from the root), not one relative to the current folder")
        return url.set(drivername="sqlite+pysqlite")
    if backend == "postgresql":
        if url.drivername not in ("postgresql", "postgresql+psycopg"):
            raise _refuse(f"{shown}: the driver '{driver}' is not supported; "
                          "use postgresql:// or postgresql+psycopg://")
        if not url.database:
            raise _refuse(f"{shown}: name the database after the server, "
                          "e.g. postgresql://user@server/smmod")
        return url.set(drivername="postgresql+psycopg")
    raise _refuse(f"'{url.drivername}' databases are not supported; expected {_EXAMPLES}")


def check_answers(url: URL) -> None:
    """Refuse, saying why, unless smmod can use ``url`` now (the server answers, or the
    SQLite file's folder exists and can be written)."""
    shown = clip(url.render_as_string(hide_password=True), 200)
    if url.get_backend_name() == "sqlite":
        assert url.database is not None
        path = Path(url.database)
        if not path.parent.is_dir():
            raise _refuse(f"{shown}: the folder {path.parent} does not exist")
        if not os.access(path.parent, os.W_OK | os.X_OK):
            raise _refuse(f"{shown}: the folder {path.parent} cannot be written by you")
        if path.exists() and (not path.is_file() or not os.access(path, os.R_OK | os.W_OK)):
            raise _refuse(f"{shown}: {path} is not a file you can read and write")
        return
    from sqlalchemy import create_engine, text
    from sqlalchemy.pool import NullPool

    try:
        engine = create_engine(url, poolclass=NullPool,
                               connect_args={"connect_timeout": CONNECT_TIMEOUT_S})
        try:
            with engine.connect() as conn:
                conn.execute(text("SELECT 1"))
        finally:
            engine.dispose()
    except Exception as exc:
        reason = _server_reason(exc, url.password)
    else:
        return
    raise _refuse(f"the server of {shown} did not answer: {reason}")


def _server_reason(exc: Exception, password: str | None) -> str:
    """The driver's complaint on one line, with the password blanked should it appear."""
    cause = getattr(exc, "orig", None) or exc
    lines = [line.strip() for line in str(cause).splitlines() if line.strip()]
    reason = " ".join(lines) if lines else type(cause).__name__
    if len(reason) > 300:
        reason = reason[:299] + "…"
    return reason.replace(password, "***") if password else reason


def unreachable(url: str, exc: Exception) -> str:
    """Why the database at ``url`` could not be opened, and the way back to the own file."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    from_env = bool(os.environ.get(ENV))
    way_back = f"unset {ENV}" if from_env else f"smmod settings set {KEY} \"\""
    return (f"The database {parsed.render_as_string(hide_password=True)} "
            f"({ENV if from_env else f'setting {KEY}'}) could not be reached: "
            f"{_server_reason(exc, parsed.password)}. Try again when it answers, or use this "
            f"computer's own file with: {way_back}")


def prepare(text: str, vault: Vault) -> str:
    """What to save for ``database.url`` after checking ``text`` is usable.

    Empty text always succeeds (back to this computer's own file), so a bad URL never
    locks anyone out. A password is moved into the keyring; the returned URL has none.
    Nothing is stored anywhere when the URL is refused.
    """
    if not text.strip():
        _forget_password(vault)
        return ""
    url = parse(text)
    check_answers(url)
    password = url.password
    stored = _without_password(url).render_as_string(hide_password=False)
    if password:
        try:
            vault.set_secret(PASSWORD_ITEM, str(password))
        except KeyringUnavailable as exc:
            raise KeyringUnavailable(
                f"The database password is kept in the keyring, which cannot be used: {exc}"
            ) from None
    else:
        _forget_password(vault)
    return stored


def _without_password(url: URL) -> URL:
    from sqlalchemy.engine import URL as Url

    return Url.create(url.drivername, url.username, None, url.host, url.port, url.database,
                      url.query)


def for_person(url: str, username: str | None) -> str:
    """``url`` as ``username`` would write it (no password; ``postgresql://``): for the
    lines smmod prints for a workstation's set-up or the server's pg_dump."""
    from sqlalchemy.engine import make_url

    bare = _without_password(make_url(url)).set(drivername="postgresql")
    if username is not None:
        bare = bare.set(username=username)
    return bare.render_as_string(hide_password=False)


def _forget_password(vault: Vault) -> None:
    try:
        vault.delete_secret(PASSWORD_ITEM)
    except NotFound:
        pass
    except SmmodError as exc:  # no keyring: there is no password in it either
        log.info("could not remove the database password from the keyring: %s", exc)


def with_password(stored: str, vault: Vault) -> str:
    """The saved URL with its password from the keyring, for opening the database."""
    from sqlalchemy.engine import make_url

    url = make_url(stored)
    if url.password is not None or not url.username:
        return stored
    try:
        password = vault.get_secret(PASSWORD_ITEM)
    except NotFound:
        return stored  # the server lets this user in without one (trust, peer, .pgpass)
    except SmmodError as exc:
        log.info("database password unavailable from the keyring: %s", exc)
        return stored
    return url.set(password=password).render_as_string(hide_password=False)


def shown(url: str) -> str:
    """The URL for people and logs: any password hidden."""
    if not url:
        return ""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        return make_url(url).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):
        return "(not a database URL)"
