"""Two people, two copies of smmod, one PostgreSQL register: each is known by the login
role they connect with, never by ``SMMOD_USER``, and the audit trail says so.

Runs wherever PostgreSQL is installed (``tests/server_support.py``), in both passes.
"""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest
import sqlalchemy.exc

from smmod import audit
from smmod.accounts import AccountInput, AccountService
from smmod.audit import AuditFilter
from smmod.context import AppContext
from smmod.errors import PolicyError
from smmod.staff.service import StaffInput
from tests.server_support import StaffedServer, opened


def _accounts(ctx: AppContext) -> AccountService:
    return AccountService(ctx.session_factory, expiry_months=lambda: 12)


def _case(server: StaffedServer) -> AccountInput:
    return AccountInput(
        platform="instagram", handle="@oakfield_pe", url="https://instagram.com/oakfield_pe",
        aim="Celebrate PE fixtures and results", audience="Parents and pupils in years 7-11",
        promotion="Newsletter and the school website", visibility="open",
        lead=server.ids["run1"], runners=(server.ids["run2"],),
        administrators=(server.ids["admin2"],))


def test_one_submits_another_approves_each_under_their_own_role(
        staffed_server: StaffedServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Both workstations claim to be the head teacher: on a server that changes nothing.
    monkeypatch.setenv("SMMOD_USER", "head")
    with (opened(tmp_path / "riley", staffed_server.url_for("run1"), monkeypatch) as riley,
          opened(tmp_path / "sam", staffed_server.url_for("slt2"), monkeypatch) as sam):
        assert (riley.actor.username, riley.actor.roles) == ("run1", frozenset({"staff"}))
        assert (sam.actor.username, sam.actor.roles) == ("slt2", frozenset({"slt"}))
        assert riley.refresh_actor("head").username == "run1"  # asking by name: the same

        record = _accounts(riley).draft(riley.actor, _case(staffed_server))
        record = _accounts(riley).submit(riley.actor, record.id, record.version_id)
        with pytest.raises(PolicyError):  # Riley is not SLT
            _accounts(riley).approve(riley.actor, record.id, record.version_id, reason="mine")
        record = _accounts(sam).approve(sam.actor, record.id, record.version_id,
                                        reason="Clear aim, two trained runners")
        assert (record.status, record.decided_by) == ("approved", "Sam Senior")

        trail = audit.query(sam.session_factory, AuditFilter(subject=f"account:{record.id}"))
        assert [(r.action, r.actor) for r in reversed(trail)] == [
            ("account.draft", "run1"), ("account.submit", "run1"),
            ("account.approve", "slt2")]
        assert audit.verify(sam.session_factory).ok


def test_the_database_names_the_actor_whatever_the_client_writes(
        staffed_server: StaffedServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with opened(tmp_path / "riley", staffed_server.url_for("run1"), monkeypatch) as riley:
        with riley.session_factory.begin() as session:
            entry = audit.record(session, actor="head", action="test.claim", subject="x")
        assert entry.actor == "run1"  # asked of the database, then hashed
        assert audit.verify(riley.session_factory).ok
        # a client that writes the row itself, past smmod's audit module, is refused
        with pytest.raises(sqlalchemy.exc.DBAPIError, match="not head"):
            with riley.session_factory.begin() as session:
                session.execute(sqlalchemy.text(
                    "INSERT INTO audit_entries (id, at, actor, action, subject, details, "
                    "prev_hash, hash) SELECT max(id) + 1, now(), 'head', 'forged', 'x', '{}', "
                    "'', '' FROM audit_entries"))


def test_someone_without_a_staff_record_is_read_only(
        staffed_server: StaffedServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with staffed_server.owner() as conn:  # a login linked to nobody, in a smmod group
        conn.execute(f'CREATE ROLE "{staffed_server.login("visitor")}" LOGIN PASSWORD '
                     f"'visitor-password' IN ROLE \"{staffed_server.database}_staff\"")
    staffed_server.passwords["visitor"] = "visitor-password"
    monkeypatch.setenv("SMMOD_USER", "head")
    with opened(tmp_path / "v", staffed_server.url_for("visitor"), monkeypatch) as visitor:
        assert visitor.actor.read_only
        assert visitor.actor.username == staffed_server.login("visitor")
        with pytest.raises(sqlalchemy.exc.DBAPIError, match="no active staff record"):
            with visitor.session_factory.begin() as session:
                audit.record(session, actor="head", action="test", subject="x")


def test_role_changes_and_leaving_in_smmod_change_the_grants(
        staffed_server: StaffedServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def member_of(username: str, role: str) -> bool:
        with staffed_server.owner() as conn:
            return bool(conn.execute("SELECT pg_has_role(%s, %s, 'MEMBER')", (
                staffed_server.login(username), f"{staffed_server.database}_{role}")
                                     ).fetchone()[0])

    assert not member_of("vol1", "moderator")
    with opened(tmp_path / "hannah", staffed_server.url_for("head"), monkeypatch) as hannah:
        vol = hannah.staff.by_username("vol1")
        hannah.staff.update(hannah.actor, vol.id, vol.version_id, StaffInput(
            name=vol.name, username=vol.username, roles=frozenset({"moderator"}),
            policy_read_on=vol.policy_read_on, trained_on=vol.trained_on))
        assert member_of("vol1", "moderator") and not member_of("vol1", "parent_volunteer")

        robin = hannah.staff.by_username("run2")
        hannah.staff.set_active(hannah.actor, robin.id, robin.version_id, False,
                                reason="left at Christmas")
    assert not member_of("run2", "staff")
    with pytest.raises(psycopg.OperationalError, match="CONNECT privilege"):
        staffed_server.connect("run2").close()
