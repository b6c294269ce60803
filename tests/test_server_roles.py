"""What the database itself refuses each role, seen through psycopg with no smmod code in
between: the privileges hold against any client, not only against smmod's own checks.

The database is set up as a school's IT would (``tests/server_support.py``): ``smmod
server init``, then ``smmod staff add`` for each person, each with a login of their own.
These tests run wherever PostgreSQL is installed, in both passes of the suite.
"""

from __future__ import annotations

import psycopg
import pytest
from psycopg import errors

from tests.server_support import PEOPLE, StaffedServer

EVERYONE = list(PEOPLE)


def _account(server: StaffedServer, by: str) -> int:
    """An account drafted and submitted by ``by`` (put straight in by the owner)."""
    with server.owner() as conn:
        return int(conn.execute(
            "INSERT INTO accounts (platform, handle, url, aim, audience, promotion, "
            "is_private, visibility, status, created_by, submitted_by, submitted_at, "
            "created_at, version_id) VALUES ('instagram', %s, '', 'aim', 'parents', 'web', "
            "false, 'open', 'submitted', %s, %s, now(), now(), 1) RETURNING id",
            (f"@{by}_case", server.ids[by], server.ids[by])).fetchone()[0])


def _credential(server: StaffedServer) -> None:
    account = _account(server, "run1")
    with server.owner() as conn:
        conn.execute("INSERT INTO credentials (account_id, login_name, kind, note, keyring_key, "
                     "created_at, version_id) VALUES (%s, 'pe@school.example', 'password', '', "
                     "'k-1', now(), 1)", (account,))


@pytest.mark.parametrize("who", EVERYONE)
def test_nobody_may_change_or_remove_the_audit_trail(staffed_server: StaffedServer,
                                                     who: str) -> None:
    with staffed_server.connect(who) as conn:
        entries = conn.execute("SELECT count(*) FROM audit_entries").fetchone()[0]
        assert entries >= len(PEOPLE)  # server.init and each staff.add: everyone reads it
        with pytest.raises(errors.InsufficientPrivilege):
            conn.execute("UPDATE audit_entries SET reason = 'tidied'")
        with pytest.raises(errors.InsufficientPrivilege):
            conn.execute("DELETE FROM audit_entries")
        with pytest.raises(errors.InsufficientPrivilege):
            conn.execute("TRUNCATE audit_entries")


@pytest.mark.parametrize("who", EVERYONE)
def test_an_audit_entry_in_someone_elses_name_is_refused(staffed_server: StaffedServer,
                                                         who: str) -> None:
    other = "slt2" if who != "slt2" else "head"
    insert = ("INSERT INTO audit_entries (id, at, actor, action, subject, details, prev_hash, "
              "hash) VALUES ((SELECT max(id) + 1 FROM audit_entries), now(), %s, 'forged', "
              "'x', '{}', '', '')")
    with staffed_server.connect(who) as conn:
        with pytest.raises(errors.InsufficientPrivilege, match=f"not {other}"):
            conn.execute(insert, (other,))
        assert conn.execute("SELECT smmod_actor()").fetchone()[0] == who


@pytest.mark.parametrize("who", ["mod1", "admin2"])
def test_a_signing_key_is_registered_only_by_its_owner_and_never_changed(
        staffed_server: StaffedServer, who: str) -> None:
    insert = ("INSERT INTO audit_actor_keys (key_id, actor, public_key, registered_entry, "
              "registered_at) VALUES (%s, %s, %s, 1, now())")
    with staffed_server.connect(who) as conn:
        with pytest.raises(errors.InsufficientPrivilege):  # a key in someone else's name
            conn.execute(insert, (f"forged-{who}", "head", "a" * 64))
    with staffed_server.connect(who) as conn:
        conn.execute(insert, (f"own-{who}", who, "b" * 64))
        for sql in ("UPDATE audit_actor_keys SET public_key = 'c'",
                    "DELETE FROM audit_actor_keys"):
            with pytest.raises(errors.InsufficientPrivilege):
                conn.execute(sql)


def test_credential_metadata_is_for_administrators(staffed_server: StaffedServer) -> None:
    _credential(staffed_server)
    seen = {}
    for who in EVERYONE:
        with staffed_server.connect(who) as conn:
            seen[who] = conn.execute("SELECT count(*) FROM credentials").fetchone()[0]
            if "administrator" not in PEOPLE[who][1]:
                with pytest.raises(errors.InsufficientPrivilege):
                    conn.execute("UPDATE credentials SET note = 'mine now'")
                with pytest.raises(errors.InsufficientPrivilege):
                    conn.execute("DELETE FROM vault_secrets")
                with pytest.raises(errors.InsufficientPrivilege):  # the recovery key stays
                    conn.execute("UPDATE vault_keys SET recovery_public = ''")
                assert conn.execute("SELECT count(*) FROM vault_keys").fetchone()[0] == 0
    # Administrators see it; SLT see it too (they oversee handovers, R6); for a moderator,
    # a member of staff or a volunteer the rows are not there.
    assert seen == {"head": 1, "slt2": 1, "admin2": 1, "mod1": 0, "run1": 0, "run2": 0,
                    "vol1": 0}
    with staffed_server.connect("admin2") as conn:
        conn.execute("UPDATE credentials SET note = 'checked'")  # an administrator may


def _pupil(server: StaffedServer) -> None:
    with server.owner() as conn:
        conn.execute("INSERT INTO pupils (name, year_group, restriction, active, added_at, "
                     "version_id) VALUES ('Ada Pupil', 'Year 7', 'no_images', true, now(), 1)")


@pytest.mark.parametrize("who", EVERYONE)
def test_the_do_not_publish_register_is_for_those_who_check_images(
        staffed_server: StaffedServer, who: str) -> None:
    _pupil(staffed_server)
    with staffed_server.connect(who) as conn:
        names = [r[0] for r in conn.execute("SELECT name FROM pupils")]
        if PEOPLE[who][1] & {"slt", "administrator", "moderator", "staff"}:
            assert names == ["Ada Pupil"]
            conn.execute("UPDATE pupils SET year_group = 'Year 8'")
        else:  # a volunteer: the register's rows are not there, and nothing can be added
            assert names == []
            for change in ("UPDATE pupils SET year_group = 'Year 8'", "DELETE FROM pupils",
                           "INSERT INTO pupils (name, year_group, restriction, active, "
                           "added_at, version_id) VALUES ('X', '', 'no_images', true, now(), 1)"):
                with pytest.raises(errors.InsufficientPrivilege):
                    conn.execute(change)


def test_approving_your_own_submission_is_refused_by_the_database(
        staffed_server: StaffedServer) -> None:
    own = _account(staffed_server, "slt2")
    other = _account(staffed_server, "run1")
    approve = "UPDATE accounts SET status = 'approved', decided_by = %s WHERE id = %s"
    with staffed_server.connect("slt2") as conn:
        with pytest.raises(errors.InsufficientPrivilege, match="own submission"):
            conn.execute(approve, (staffed_server.ids["slt2"], own))
        # nor by writing someone else's name as the decider
        with pytest.raises(errors.InsufficientPrivilege, match="own submission"):
            conn.execute(approve, (staffed_server.ids["head"], own))
    with staffed_server.connect("mod1") as conn:  # not SLT at all
        with pytest.raises(errors.InsufficientPrivilege, match="only an SLT member"):
            conn.execute(approve, (staffed_server.ids["mod1"], other))
    with staffed_server.connect("head") as conn:
        with pytest.raises(errors.InsufficientPrivilege, match="in their own name"):
            conn.execute(approve, (staffed_server.ids["slt2"], other))
        conn.execute(approve, (staffed_server.ids["head"], other))  # another SLT member may
    with staffed_server.owner() as conn:
        assert conn.execute("SELECT status FROM accounts WHERE id = %s", (own,)
                            ).fetchone()[0] == "submitted"


def test_only_slt_and_administrators_change_the_staff_register(
        staffed_server: StaffedServer) -> None:
    with staffed_server.connect("mod1") as conn:
        with pytest.raises(errors.InsufficientPrivilege):
            conn.execute("INSERT INTO staff_roles (staff_id, role) VALUES (%s, 'slt')",
                         (staffed_server.ids["mod1"],))
        with pytest.raises(errors.InsufficientPrivilege):
            conn.execute("UPDATE staff SET name = 'Someone Else'")
    with staffed_server.connect("admin2") as conn:  # may edit people, not their logins
        with pytest.raises(errors.InsufficientPrivilege, match="database owner"):
            conn.execute("UPDATE staff SET db_role = %s WHERE username = 'head'",
                         (staffed_server.login("admin2"),))


def test_only_slt_and_administrators_change_the_school_policy(
        staffed_server: StaffedServer) -> None:
    with staffed_server.connect("mod1") as conn:  # may read the policy, not change it
        conn.execute("SELECT key, value FROM policy_settings").fetchall()
        with pytest.raises(errors.InsufficientPrivilege):
            conn.execute("INSERT INTO policy_settings (key, value, changed_at, changed_by) "
                         "VALUES ('policy.training_expiry_months', '60', now(), 'mod1')")
    with staffed_server.connect("head") as conn:
        conn.execute("INSERT INTO policy_settings (key, value, changed_at, changed_by) "
                     "VALUES ('policy.training_expiry_months', '12', now(), 'head')")
        assert conn.execute("SELECT value FROM policy_settings WHERE key = "
                            "'policy.training_expiry_months'").fetchone() == ("12",)


def test_grants_follow_role_changes_and_leaving(staffed_server: StaffedServer) -> None:
    with staffed_server.connect("admin2") as conn:
        conn.execute("INSERT INTO staff_roles (staff_id, role) VALUES (%s, 'staff')",
                     (staffed_server.ids["vol1"],))
    _pupil(staffed_server)
    with staffed_server.connect("vol1") as conn:  # now checks images: may read the register
        assert conn.execute("SELECT count(*) FROM pupils").fetchone()[0] == 1
    with staffed_server.connect("head") as conn:
        conn.execute("UPDATE staff SET active = false WHERE id = %s",
                     (staffed_server.ids["run2"],))
    with pytest.raises(psycopg.OperationalError, match="CONNECT privilege"):
        staffed_server.connect("run2").close()  # a leaver holds no group: not even CONNECT
    with staffed_server.connect("head") as conn:
        conn.execute("UPDATE staff SET active = true WHERE id = %s",
                     (staffed_server.ids["run2"],))
    with staffed_server.connect("run2") as conn:  # back again, with their roles' grants
        assert conn.execute("SELECT smmod_actor()").fetchone()[0] == "run2"


def test_a_login_from_another_database_cannot_connect(staffed_server: StaffedServer) -> None:
    with staffed_server.owner() as conn:
        conn.execute("CREATE ROLE stranger_i14 LOGIN PASSWORD 'not-on-the-list'")
    try:
        with pytest.raises(psycopg.OperationalError, match="permission denied"):
            psycopg.connect(host=staffed_server.pg.host, port=staffed_server.pg.port,
                            dbname=staffed_server.database, user="stranger_i14",
                            password="not-on-the-list").close()
    finally:
        with staffed_server.owner() as conn:
            conn.execute("DROP ROLE stranger_i14")
