"""Setting up a PostgreSQL server for a school or a trust (issue 14; docs/server.md).

``init`` is what ``smmod server init`` does: the group roles, grants and row-level
security of ``smmod.store.server_setup``, in one transaction, put in the audit trail
under the owner's login. It refuses on SQLite, which has one user (the OS login).
"""

from __future__ import annotations

from smmod import audit
from smmod.errors import InputError
from smmod.store import dialect
from smmod.store.database import Database
from smmod.store.server_setup import ServerSetup, init_server

SQLITE_REFUSAL = ("smmod server init is for a PostgreSQL database: this computer's own "
                  "SQLite file has a single user, the OS login (point database.url at the "
                  "server first; see docs/server.md)")


def init(database: Database) -> ServerSetup:
    if dialect.is_sqlite(database.engine):
        raise InputError(SQLITE_REFUSAL, field="database.url")
    with database.session_factory.begin() as session:
        setup = init_server(session.connection())
        audit.record(session, actor="", action="server.init", subject="database",
                     details={"groups": sorted(setup.groups.values()),
                              "created": setup.created})
        return setup


def backup_refusal(database: Database) -> str:
    """What ``smmod backup`` says on a server: the server's own tools do it."""
    from smmod.dburl import for_person

    target = for_person(database.url, None)
    return (f"the database is on a server ({target}): backups are the server's job, not "
            f"smmod's. Its administrator runs, for example: pg_dump --format=custom "
            f"--file=smmod-$(date +%F).dump '{target}' (or sets up point-in-time recovery; "
            f"see docs/server.md)")


def restore_refusal(url: str) -> str:
    """What ``smmod restore`` says on a server: smmod's backups are SQLite files, and the
    server's data comes back with the server's own tools."""
    from smmod.dburl import for_person

    target = for_person(url, None)
    return (f"the database is on a server ({target}): restoring it is the server's job, "
            f"not smmod's, and this computer's SQLite backups are not used there. Its "
            f"administrator restores a pg_dump with pg_restore into an empty database, then "
            f"runs smmod server init again (see docs/server.md)")
