"""``smmod server init``: the group roles, grants and row-level security of a server.

Each staff role gets a group role named after the database (``<database>_moderator``…),
all of them members of ``<database>_member``, which holds what everyone may do. A
person's login role is made a member of the groups of their staff roles (migration
0017 keeps that true when their roles change or they leave). Running it again puts
every grant back as below: it is how a server catches up after an upgrade adds tables.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import Connection, inspect, text

from smmod.errors import PermissionDenied
from smmod.store.models import ROLES

MEMBER = "member"
#: Roles that check images, and so may read the do-not-publish register.
IMAGE_CHECKERS = ("slt", "administrator", "moderator", "staff")
#: Who may change the staff register (the app asks the same: ``StaffService``).
STAFF_EDITORS = ("slt", "administrator")

AUDIT = "audit_entries"
#: Each person's public signing key: registered by its owner only, never changed.
AUDIT_KEYS = "audit_actor_keys"
READ_ONLY = ("alembic_version", "server_groups")
#: Only SLT and administrators change these: the staff register and the school's policy.
STAFF_TABLES = ("staff", "staff_roles", "staff_job_titles", "policy_settings")
#: The do-not-publish register: for anyone else its rows are not there (so a page they
#: open shows an empty register rather than failing), and they can change nothing.
DNP_TABLES = ("pupils", "reference_photos", "biometric_consents", "face_templates",
              "face_confirmations")
#: Credential metadata: administrators change it; administrators and SLT (who oversee
#: handovers, R6) see its rows; for anyone else the rows are not there.
CREDENTIAL_TABLES = ("credentials", "credential_rotations", "vault_rotation_flags")
#: The shared vault's wrapped keys and ciphertext: administrators only. ``vault_keys``
#: (a public key and the vault's id) stays readable, so everyone can tell a vault exists.
VAULT_TABLES = ("vault_members", "vault_wraps", "vault_secrets")
VAULT_PUBLIC = "vault_keys"


@dataclass(frozen=True)
class ServerSetup:
    database: str
    groups: dict[str, str]  # staff role (or "member") -> group role
    created: list[str]  # group roles that did not exist before


def group_names(database: str) -> dict[str, str]:
    prefix = re.sub(r"[^a-z0-9_]", "_", database.lower())
    names = {role: f"{prefix}_{role}" for role in (MEMBER, *ROLES)}
    too_long = [n for n in names.values() if len(n) > 63]
    if too_long:
        raise PermissionDenied(f"the database name '{database}' is too long to name its group "
                               f"roles after (PostgreSQL allows 63 characters: {too_long[0]})")
    return names


def _q(conn: Connection, name: str) -> str:
    return conn.dialect.identifier_preparer.quote(name)


def init_server(conn: Connection) -> ServerSetup:
    """Create or repair the groups, grants and policies, inside the caller's transaction."""
    row = conn.execute(text(
        "SELECT current_database(), session_user::text, smmod_is_owner(), "
        "(SELECT rolcreaterole OR rolsuper FROM pg_roles WHERE rolname = session_user)")).one()
    database, login, owner, may_create_roles = row
    if not owner:
        raise PermissionDenied(f"smmod server init must be run by the owner of the database "
                               f"'{database}' (you are connected as '{login}')")
    if not may_create_roles:
        raise PermissionDenied(f"'{login}' owns the database but may not create roles: a "
                               f"superuser runs ALTER ROLE {login} CREATEROLE first")
    groups = group_names(database)
    created = _ensure_groups(conn, groups)
    _grant(conn, database, groups)
    _policies(conn)
    conn.execute(text("DELETE FROM server_groups"))
    for role, group in groups.items():
        conn.execute(text("INSERT INTO server_groups (role, db_group) VALUES (:r, :g)"),
                     {"r": role, "g": group})
    for person in conn.execute(text("SELECT id FROM staff WHERE db_role IS NOT NULL")).scalars():
        conn.execute(text("SELECT smmod_sync_grants(:id)"), {"id": person})
    return ServerSetup(database, groups, created)


def _ensure_groups(conn: Connection, groups: dict[str, str]) -> list[str]:
    created = []
    for role, group in groups.items():
        found = conn.execute(text("SELECT rolcanlogin FROM pg_roles WHERE rolname = :n"),
                             {"n": group}).first()
        if found is None:
            conn.execute(text(f"CREATE ROLE {_q(conn, group)} NOLOGIN"))
            created.append(group)
        elif found[0]:
            raise PermissionDenied(f"'{group}' already exists as a login role; smmod needs that "
                                   "name for a group: rename or drop that role first")
        if role != MEMBER:
            conn.execute(text(f"GRANT {_q(conn, groups[MEMBER])} TO {_q(conn, group)}"))
    return created


def _grant(conn: Connection, database: str, groups: dict[str, str]) -> None:
    q = lambda name: _q(conn, name)  # noqa: E731
    member = q(groups[MEMBER])
    everyone = ", ".join(q(g) for g in groups.values())
    tables = inspect(conn).get_table_names()
    run = lambda sql: conn.execute(text(sql))  # noqa: E731
    run(f"REVOKE CONNECT, TEMPORARY ON DATABASE {q(database)} FROM PUBLIC")
    run(f"GRANT CONNECT, TEMPORARY ON DATABASE {q(database)} TO {member}")
    run(f"GRANT USAGE ON SCHEMA public TO {member}")
    run(f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {everyone}")
    run(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {member}")
    special = {AUDIT, AUDIT_KEYS, *READ_ONLY, *STAFF_TABLES, *DNP_TABLES, *CREDENTIAL_TABLES,
               *VAULT_TABLES, VAULT_PUBLIC}
    for table in tables:
        if table not in special:
            run(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {q(table)} TO {member}")
    for table in (AUDIT, AUDIT_KEYS):
        run(f"GRANT SELECT, INSERT ON {q(table)} TO {member}")  # never UPDATE or DELETE
    for table in (*READ_ONLY, *STAFF_TABLES, *CREDENTIAL_TABLES, *VAULT_TABLES, VAULT_PUBLIC,
                  *DNP_TABLES):
        run(f"GRANT SELECT ON {q(table)} TO {member}")
    editors = ", ".join(q(groups[r]) for r in STAFF_EDITORS)
    for table in STAFF_TABLES:
        run(f"GRANT INSERT, UPDATE, DELETE ON {q(table)} TO {editors}")
    administrators = q(groups["administrator"])
    for table in (*CREDENTIAL_TABLES, *VAULT_TABLES, VAULT_PUBLIC):
        run(f"GRANT INSERT, UPDATE, DELETE ON {q(table)} TO {administrators}")
    checkers = ", ".join(q(groups[r]) for r in IMAGE_CHECKERS)
    for table in DNP_TABLES:
        run(f"GRANT INSERT, UPDATE, DELETE ON {q(table)} TO {checkers}")


def _policies(conn: Connection) -> None:
    """Row-level security (the owner, who runs migrations, is not subject to it)."""
    sees = {table: "smmod_in_group('administrator') OR smmod_in_group('slt')"
            for table in CREDENTIAL_TABLES}
    sees.update({table: "smmod_in_group('administrator')" for table in VAULT_TABLES})
    for table, who in sees.items():
        _policy(conn, table, "read", f"FOR SELECT USING ({who})")
        _policy(conn, table, "write", "FOR ALL USING (smmod_in_group('administrator')) "
                                      "WITH CHECK (smmod_in_group('administrator'))")
    checks = " OR ".join(f"smmod_in_group('{role}')" for role in IMAGE_CHECKERS)
    for table in DNP_TABLES:
        _policy(conn, table, "read", f"FOR SELECT USING ({checks})")
        _policy(conn, table, "write", f"FOR ALL USING ({checks}) WITH CHECK ({checks})")
    for table in (AUDIT, AUDIT_KEYS):
        _policy(conn, table, "read", "FOR SELECT USING (true)")
        _policy(conn, table, "write", "FOR INSERT WITH CHECK (actor = smmod_actor())")


def _policy(conn: Connection, table: str, name: str, body: str) -> None:
    policy = _q(conn, f"smmod_{name}")
    conn.execute(text(f"ALTER TABLE {_q(conn, table)} ENABLE ROW LEVEL SECURITY"))
    conn.execute(text(f"DROP POLICY IF EXISTS {policy} ON {_q(conn, table)}"))
    conn.execute(text(f"CREATE POLICY {policy} ON {_q(conn, table)} {body}"))
