"""server identities: each person's login role, and what the database itself enforces

Both databases get ``staff.db_role`` (the person's PostgreSQL login role) and the
``server_groups`` table (which group role carries each staff role). On SQLite both stay
empty: one OS login, one file.

On PostgreSQL the functions and triggers below do nothing until ``smmod server init``
has filled ``server_groups``. From then on the database itself:

- maps ``session_user`` to its staff record (``smmod_actor()``) and refuses an audit
  entry written under anyone else's name;
- refuses approving or rejecting an account one drafted or submitted, and a decision by
  anyone but an SLT member in their own name;
- lets only the database owner link a person to a login role;
- keeps each login's group roles matching the person's staff roles and whether they
  are active (a leaver keeps no privileges).

Revision ID: 0017
Revises: 0016
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Functions that read staff or server_groups run as their owner (SECURITY DEFINER), so
# they answer the same whatever the caller may read; each fixes its search_path.
_DEFINER = "STABLE SECURITY DEFINER SET search_path FROM CURRENT"

FUNCTIONS = [
    f"""CREATE OR REPLACE FUNCTION smmod_identities_on() RETURNS boolean LANGUAGE sql {_DEFINER}
    AS $$ SELECT EXISTS (SELECT 1 FROM server_groups) $$""",
    """CREATE OR REPLACE FUNCTION smmod_is_owner() RETURNS boolean LANGUAGE sql STABLE
    AS $$ SELECT pg_has_role(session_user, d.datdba, 'MEMBER')
          FROM pg_database d WHERE d.datname = current_database() $$""",
    f"""CREATE OR REPLACE FUNCTION smmod_staff_id() RETURNS integer LANGUAGE sql {_DEFINER}
    AS $$ SELECT id FROM staff WHERE db_role = session_user AND active $$""",
    f"""CREATE OR REPLACE FUNCTION smmod_actor() RETURNS text LANGUAGE sql {_DEFINER}
    AS $$ SELECT COALESCE(
            (SELECT username FROM staff WHERE db_role = session_user AND active),
            CASE WHEN smmod_is_owner() THEN session_user::text END) $$""",
    f"""CREATE OR REPLACE FUNCTION smmod_audit_actor() RETURNS text LANGUAGE sql {_DEFINER}
    AS $$ SELECT CASE WHEN smmod_identities_on() THEN smmod_actor() END $$""",
    f"""CREATE OR REPLACE FUNCTION smmod_in_group(staff_role text) RETURNS boolean
    LANGUAGE sql {_DEFINER}
    AS $$ SELECT EXISTS (SELECT 1 FROM server_groups g WHERE g.role = staff_role
                         AND pg_has_role(session_user, g.db_group, 'MEMBER')) $$""",
    """CREATE OR REPLACE FUNCTION smmod_revoke_all(login text) RETURNS void LANGUAGE plpgsql
    SECURITY DEFINER SET search_path FROM CURRENT AS $$
    DECLARE g record;
    BEGIN
      FOR g IN SELECT s.db_group FROM server_groups s
               JOIN pg_roles r ON r.rolname = s.db_group
               JOIN pg_auth_members m ON m.roleid = r.oid
               JOIN pg_roles u ON u.oid = m.member AND u.rolname = login LOOP
        EXECUTE format('REVOKE %I FROM %I', g.db_group, login);
      END LOOP;
    END $$""",
    """CREATE OR REPLACE FUNCTION smmod_sync_grants(person integer) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
    DECLARE login text; live boolean; g record; wanted boolean; has boolean;
    BEGIN
      SELECT db_role, active INTO login, live FROM staff WHERE id = person;
      IF login IS NULL OR NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = login) THEN
        RETURN;
      END IF;
      FOR g IN SELECT role, db_group FROM server_groups WHERE role <> 'member' LOOP
        wanted := live AND EXISTS (SELECT 1 FROM staff_roles
                                   WHERE staff_id = person AND role = g.role);
        has := EXISTS (SELECT 1 FROM pg_auth_members m
                       JOIN pg_roles r ON r.oid = m.roleid AND r.rolname = g.db_group
                       JOIN pg_roles u ON u.oid = m.member AND u.rolname = login);
        IF wanted AND NOT has THEN
          EXECUTE format('GRANT %I TO %I', g.db_group, login);
        ELSIF has AND NOT wanted THEN
          EXECUTE format('REVOKE %I FROM %I', g.db_group, login);
        END IF;
      END LOOP;
    END $$""",
    """CREATE OR REPLACE FUNCTION audit_entries_actor_check() RETURNS trigger
    LANGUAGE plpgsql AS $$
    DECLARE me text;
    BEGIN
      IF NOT smmod_identities_on() THEN RETURN NEW; END IF;
      me := smmod_actor();
      IF me IS NULL THEN
        RAISE EXCEPTION 'smmod: the login % has no active staff record here, so it may not '
                        'write to the audit trail', session_user
          USING ERRCODE = 'insufficient_privilege';
      END IF;
      IF NEW.actor IS DISTINCT FROM me THEN
        RAISE EXCEPTION 'smmod: an audit entry is written in the name of the person '
                        'connected (%), not %', me, NEW.actor
          USING ERRCODE = 'insufficient_privilege';
      END IF;
      RETURN NEW;
    END $$""",
    """CREATE OR REPLACE FUNCTION accounts_decision_check() RETURNS trigger
    LANGUAGE plpgsql AS $$
    DECLARE me integer;
    BEGIN
      IF NEW.status NOT IN ('approved', 'rejected') THEN RETURN NEW; END IF;
      IF TG_OP = 'UPDATE' AND OLD.status = NEW.status THEN RETURN NEW; END IF;
      IF NEW.decided_by IS NOT NULL
         AND NEW.decided_by IN (NEW.submitted_by, NEW.created_by) THEN
        RAISE EXCEPTION 'smmod (R3): nobody approves or rejects their own submission'
          USING ERRCODE = 'insufficient_privilege';
      END IF;
      IF smmod_identities_on() AND NOT smmod_is_owner() THEN
        me := smmod_staff_id();
        IF me IS NULL OR me = NEW.submitted_by OR me = NEW.created_by THEN
          RAISE EXCEPTION 'smmod (R3): nobody approves or rejects their own submission'
            USING ERRCODE = 'insufficient_privilege';
        END IF;
        IF NEW.decided_by IS DISTINCT FROM me OR NOT smmod_in_group('slt') THEN
          RAISE EXCEPTION 'smmod (R3): only an SLT member decides an account, in their own name'
            USING ERRCODE = 'insufficient_privilege';
        END IF;
      END IF;
      RETURN NEW;
    END $$""",
    """CREATE OR REPLACE FUNCTION staff_db_role_guard() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
      IF (TG_OP = 'INSERT' AND NEW.db_role IS NOT NULL
          OR TG_OP = 'UPDATE' AND NEW.db_role IS DISTINCT FROM OLD.db_role)
         AND smmod_identities_on() AND NOT smmod_is_owner() THEN
        RAISE EXCEPTION 'smmod: only the database owner links a person to a login role'
          USING ERRCODE = 'insufficient_privilege';
      END IF;
      RETURN NEW;
    END $$""",
    """CREATE OR REPLACE FUNCTION staff_grants_sync() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
    BEGIN
      IF smmod_identities_on() THEN
        IF TG_OP = 'UPDATE' AND OLD.db_role IS NOT NULL
           AND OLD.db_role IS DISTINCT FROM NEW.db_role THEN
          PERFORM smmod_revoke_all(OLD.db_role);
        END IF;
        PERFORM smmod_sync_grants(NEW.id);
      END IF;
      RETURN NULL;
    END $$""",
    """CREATE OR REPLACE FUNCTION staff_roles_grants_sync() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
    BEGIN
      IF smmod_identities_on() THEN
        IF TG_OP <> 'DELETE' THEN PERFORM smmod_sync_grants(NEW.staff_id); END IF;
        IF TG_OP <> 'INSERT' THEN PERFORM smmod_sync_grants(OLD.staff_id); END IF;
      END IF;
      RETURN NULL;
    END $$""",
]

TRIGGERS = {
    "audit_entries_actor_is_session_user": (
        "audit_entries", "BEFORE INSERT", "audit_entries_actor_check()"),
    "accounts_no_self_approval": (
        "accounts", "BEFORE INSERT OR UPDATE", "accounts_decision_check()"),
    "staff_db_role_owner_only": (
        "staff", "BEFORE INSERT OR UPDATE", "staff_db_role_guard()"),
    "staff_grants": (
        "staff", "AFTER INSERT OR UPDATE OF active, db_role", "staff_grants_sync()"),
    "staff_roles_grants": (
        "staff_roles", "AFTER INSERT OR UPDATE OR DELETE", "staff_roles_grants_sync()"),
}

FUNCTION_NAMES = ["staff_roles_grants_sync()", "staff_grants_sync()", "staff_db_role_guard()",
                  "accounts_decision_check()", "audit_entries_actor_check()",
                  "smmod_sync_grants(integer)", "smmod_revoke_all(text)",
                  "smmod_in_group(text)", "smmod_audit_actor()", "smmod_actor()",
                  "smmod_staff_id()", "smmod_is_owner()", "smmod_identities_on()"]


def upgrade() -> None:
    # A plain ADD COLUMN and a unique index: no rebuild of the staff table, which half the
    # register's foreign keys point at.
    op.add_column("staff", sa.Column("db_role", sa.String(length=63), nullable=True))
    op.create_index("ix_staff_db_role", "staff", ["db_role"], unique=True)
    op.create_table(
        "server_groups",
        sa.Column("role", sa.String(length=30), nullable=False),
        sa.Column("db_group", sa.String(length=63), nullable=False),
        sa.PrimaryKeyConstraint("role", name=op.f("pk_server_groups")),
        sa.UniqueConstraint("db_group", name=op.f("uq_server_groups_db_group")),
    )
    if op.get_bind().dialect.name != "postgresql":
        return
    for statement in FUNCTIONS:
        op.execute(statement)
    for name, (table, when, function) in TRIGGERS.items():
        op.execute(f"CREATE TRIGGER {name} {when} ON {table} "
                   f"FOR EACH ROW EXECUTE FUNCTION {function}")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for name, (table, _when, _function) in TRIGGERS.items():
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
        for function in FUNCTION_NAMES:
            op.execute(f"DROP FUNCTION IF EXISTS {function}")
    op.drop_table("server_groups")
    op.drop_index("ix_staff_db_role", table_name="staff")
    # Not a batch rebuild: that drops and re-creates "staff", which the rows of every table
    # referring to a person forbid while foreign keys are on. SQLite (3.35+) drops a plain
    # column in place.
    op.execute("ALTER TABLE staff DROP COLUMN db_role")
