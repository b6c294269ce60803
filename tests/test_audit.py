"""The audit trail: append-only in the database, tamper-evident by its hash chain."""

from __future__ import annotations

import csv
import hashlib
import itertools
import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy.exc
from sqlalchemy import text

from smmod import audit
from smmod.audit_sign import SIGNER_INFO
from smmod.cli import main
from smmod.clock import FrozenClock
from smmod.context import AppContext
from tests.dbraw import (
    as_utc,
    audit_guard_names,
    drop_audit_guards,
    everything_stored,
    raw_connection,
    refused_error,
)


def write_entries(ctx: AppContext, count: int) -> None:
    for n in range(count):
        with ctx.session_factory.begin() as session:
            audit.record(session, actor="head", action="test.step", subject=f"thing:{n}",
                         details={"n": n, "note": "café ☕"}, reason=f"reason {n}")


@contextmanager
def attacker(ctx: AppContext) -> Iterator[Any]:
    """The database's own driver, no smmod, triggers dropped: as someone with the SQLite
    file, or the owner's login to the server, would do."""
    ctx.database.dispose()
    with raw_connection(ctx) as conn:
        drop_audit_guards(ctx, conn)
        yield conn
        conn.commit()


def cli_verify(capsys: pytest.CaptureFixture[str]) -> tuple[int, dict[str, object]]:
    capsys.readouterr()
    code = main(["audit", "verify", "--json"])
    document = json.loads(capsys.readouterr().out)
    # whether this computer keeps an anchor depends on a keyring being here
    assert document.pop("anchor_kept") in (True, False)
    return code, document


def test_chain_links_each_entry_to_the_previous(ctx: AppContext) -> None:
    write_entries(ctx, 3)
    with ctx.session_factory() as session:
        rows = session.execute(text(
            "SELECT id, prev_hash, hash FROM audit_entries ORDER BY id")).all()
    assert [r.id for r in rows] == [1, 2, 3, 4]  # 1 is the first-run entry
    assert rows[0].prev_hash == audit.GENESIS
    for before, after in itertools.pairwise(rows):
        assert after.prev_hash == before.hash
    assert len({r.hash for r in rows}) == 4
    result = audit.verify(ctx.session_factory)
    assert result == audit.VerifyResult(True, 4)
    assert result.to_dict() == {"ok": True, "entries": 4, "first_bad_id": None, "problem": None}


def test_empty_trail_verifies(smmod_home: Path) -> None:
    from smmod.context import open_context

    context = open_context(str(smmod_home))
    try:
        assert audit.verify(context.session_factory) == audit.VerifyResult(True, 0)
    finally:
        context.close()


def test_record_survives_a_round_trip_exactly(ctx: AppContext, clock: FrozenClock) -> None:
    clock.advance(timedelta(minutes=7, microseconds=123))
    with ctx.session_factory.begin() as session:
        entry = audit.record(session, actor="head", action="staff.edit", subject="staff:1",
                             details={"b": 1, "a": ["x", None], "when": datetime(2026, 1, 2,
                                                                                  tzinfo=UTC)})
        entry_id = entry.id
    (found,) = [r for r in audit.query(ctx.session_factory) if r.id == entry_id]
    assert found.details == {"a": ["x", None], "b": 1, "when": "2026-01-02 00:00:00+00:00"}
    assert found.at.tzinfo is not None
    assert found.at == clock.now()  # stamped by the context's clock, not the computer's


@pytest.mark.parametrize("sql", [
    "UPDATE audit_entries SET reason = 'edited' WHERE id = 1",
    "UPDATE audit_entries SET hash = hash",
    "DELETE FROM audit_entries WHERE id = 1",
    "DELETE FROM audit_entries",
])
def test_database_refuses_update_and_delete(ctx: AppContext, sql: str) -> None:
    write_entries(ctx, 2)
    with pytest.raises(sqlalchemy.exc.DBAPIError, match="append-only"):
        with ctx.database.engine.begin() as conn:
            conn.execute(text(sql))
    # Also through the plain driver on the file or server, bypassing smmod entirely.
    with raw_connection(ctx) as raw:
        with pytest.raises(refused_error(ctx), match="append-only"):
            raw.execute(sql)
        raw.rollback()
        assert raw.execute("SELECT count(*) FROM audit_entries").fetchone() == (3,)
        assert raw.execute("SELECT reason FROM audit_entries WHERE id = 1").fetchone() == (None,)
    assert audit.verify(ctx.session_factory).ok


def test_altered_reason_is_detected(ctx: AppContext, capsys: pytest.CaptureFixture[str]) -> None:
    write_entries(ctx, 4)
    assert cli_verify(capsys) == (0, {"ok": True, "entries": 5, "first_bad_id": None,
                                      "problem": None, "problems": []})
    with attacker(ctx) as conn:
        conn.execute("UPDATE audit_entries SET reason = 'nothing to see' WHERE id = 3")
    result = audit.verify(ctx.session_factory)
    assert (result.ok, result.first_bad_id, result.problem) == (False, 3, "content was altered")
    code, document = cli_verify(capsys)
    assert code == 1
    assert document["ok"] is False and document["first_bad_id"] == 3


@pytest.mark.parametrize("column", ["actor", "action", "subject", "details", "at"])
def test_any_altered_column_is_detected(ctx: AppContext, column: str) -> None:
    write_entries(ctx, 3)
    new_value = "2020-01-01 00:00:00.000000" if column == "at" else '{"n": 99}'
    with attacker(ctx) as conn:
        conn.execute(f"UPDATE audit_entries SET {column} = ? WHERE id = 2", (new_value,))
    result = audit.verify(ctx.session_factory)
    assert (result.ok, result.first_bad_id) == (False, 2)


def test_deleted_middle_entry_is_detected(ctx: AppContext,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    write_entries(ctx, 4)
    with attacker(ctx) as conn:
        conn.execute("DELETE FROM audit_entries WHERE id = 3")
    result = audit.verify(ctx.session_factory)
    assert (result.ok, result.first_bad_id) == (False, 4)
    assert result.problem == "entry 3 is missing (found 4 next)"
    code, document = cli_verify(capsys)
    assert (code, document["first_bad_id"]) == (1, 4)


def test_deleted_and_renumbered_entries_are_detected(ctx: AppContext) -> None:
    write_entries(ctx, 4)
    with attacker(ctx) as conn:
        conn.execute("DELETE FROM audit_entries WHERE id = 3")
        conn.execute("UPDATE audit_entries SET id = id - 1 WHERE id > 3")
    result = audit.verify(ctx.session_factory)
    assert (result.ok, result.first_bad_id) == (False, 3)
    assert result.problem == "does not follow the previous entry (removed or reordered)"


def test_swapped_entries_are_detected(ctx: AppContext, capsys: pytest.CaptureFixture[str]) -> None:
    write_entries(ctx, 4)
    columns = "at, actor, action, subject, details, reason, prev_hash, hash"
    with attacker(ctx) as conn:
        two = conn.execute(f"SELECT {columns} FROM audit_entries WHERE id = 2").fetchone()
        three = conn.execute(f"SELECT {columns} FROM audit_entries WHERE id = 3").fetchone()
        assignments = ", ".join(f"{c.strip()} = ?" for c in columns.split(","))
        # hash is UNIQUE: park entry 2's hash first.
        conn.execute("UPDATE audit_entries SET hash = 'x' WHERE id = 2")
        conn.execute(f"UPDATE audit_entries SET {assignments} WHERE id = 3", two)
        conn.execute(f"UPDATE audit_entries SET {assignments} WHERE id = 2", three)
    result = audit.verify(ctx.session_factory)
    assert (result.ok, result.first_bad_id) == (False, 2)
    code, document = cli_verify(capsys)
    assert (code, document["first_bad_id"]) == (1, 2)


def test_swapped_content_keeping_the_hashes_is_detected(ctx: AppContext) -> None:
    write_entries(ctx, 4)
    columns = ("actor", "action", "subject", "details", "reason")
    with attacker(ctx) as conn:
        select = f"SELECT {', '.join(columns)} FROM audit_entries WHERE id = ?"
        two, three = (conn.execute(select, (n,)).fetchone() for n in (2, 3))
        assignments = ", ".join(f"{c} = ?" for c in columns)
        conn.execute(f"UPDATE audit_entries SET {assignments} WHERE id = 2", three)
        conn.execute(f"UPDATE audit_entries SET {assignments} WHERE id = 3", two)
    result = audit.verify(ctx.session_factory)
    assert (result.ok, result.first_bad_id, result.problem) == (False, 2, "content was altered")


@pytest.fixture
def unsigned_ctx(smmod_home: Path) -> Iterator[AppContext]:
    """Like ``ctx``, but writing the trail as before signatures (no signer), whether or
    not a keyring is here."""
    from smmod.context import open_context
    from smmod.staff.service import StaffInput

    context = open_context(str(smmod_home))
    context.session_factory.set_info(SIGNER_INFO, None)
    context.staff.create_first(StaffInput(name="Hannah Head", username="head", roles=frozenset()))
    context.refresh_actor("head")
    yield context
    context.close()


def test_rehashed_forgery_breaks_the_next_link(unsigned_ctx: AppContext) -> None:
    """Recomputing the altered entry's own hash is not enough: the next entry names it.
    (A trail from before signatures; signed ones: tests/test_audit_signatures.py.)"""
    ctx = unsigned_ctx
    write_entries(ctx, 4)
    with attacker(ctx) as conn:
        row = conn.execute("SELECT id, at, actor, action, subject, details, prev_hash "
                           "FROM audit_entries WHERE id = 3").fetchone()
        at = as_utc(row[1])
        forged = json.dumps([row[0], at.isoformat(timespec="microseconds"), row[2], row[3],
                             row[4], row[5], "forged", row[6]],
                            ensure_ascii=False, separators=(",", ":"))
        digest = hashlib.sha256(forged.encode("utf-8")).hexdigest()
        conn.execute("UPDATE audit_entries SET reason = 'forged', hash = ? WHERE id = 3",
                     (digest,))
    result = audit.verify(ctx.session_factory)
    assert (result.ok, result.first_bad_id) == (False, 4)
    assert result.problem == "does not follow the previous entry (removed or reordered)"


def test_verify_text_output(ctx: AppContext, capsys: pytest.CaptureFixture[str]) -> None:
    write_entries(ctx, 1)
    assert main(["audit", "verify"]) == 0
    assert capsys.readouterr().out.strip() == "Audit trail intact: 2 entries."
    with attacker(ctx) as conn:
        conn.execute("UPDATE audit_entries SET actor = 'someone' WHERE id = 2")
    assert main(["audit", "verify"]) == 1
    assert capsys.readouterr().err.strip().splitlines() == [
        "Audit trail BROKEN at entry 2: content was altered",
        *(f"Audit trail BROKEN: the append-only trigger {name} is missing: "
          "the trail can be edited or cut" for name in audit_guard_names(ctx))]


@pytest.mark.parametrize("details", [
    {"password": "hunter2"},
    {"Password": "hunter2"},
    {"new_secret": "x"},
    {"api_token": "x"},
    {"passphrase": "x"},
    {"credential": {"password": "hunter2"}},
    {"changes": [{"field": "x"}, {"token": "abc"}]},
])
def test_secrets_in_details_are_refused(ctx: AppContext, details: dict[str, object]) -> None:
    with pytest.raises(ValueError, match="must not carry secrets"):
        with ctx.session_factory.begin() as session:
            audit.record(session, actor="head", action="vault.store", subject="credential:1",
                         details=details)
    assert audit.verify(ctx.session_factory) == audit.VerifyResult(True, 1)
    assert "hunter2" not in everything_stored(ctx)


def test_metadata_about_secrets_is_allowed(ctx: AppContext) -> None:
    with ctx.session_factory.begin() as session:
        audit.record(session, actor="head", action="vault.rotate", subject="credential:1",
                     details={"password_rotated_at": "2026-11-24", "token_id": 3,
                              "secret_key_name": "cred-abc", "login": "office@school"})
    assert audit.verify(ctx.session_factory).entries == 2


def test_an_entry_rolls_back_with_its_change(ctx: AppContext) -> None:
    with pytest.raises(RuntimeError):
        with ctx.session_factory.begin() as session:
            audit.record(session, actor="head", action="test", subject="x")
            raise RuntimeError("the change failed")
    assert audit.verify(ctx.session_factory) == audit.VerifyResult(True, 1)
    write_entries(ctx, 1)
    assert audit.verify(ctx.session_factory) == audit.VerifyResult(True, 2)


def test_query_history_and_export(ctx: AppContext, tmp_path: Path) -> None:
    write_entries(ctx, 3)
    newest_first = audit.query(ctx.session_factory, audit.AuditFilter(action="test."))
    assert [r.subject for r in newest_first] == ["thing:2", "thing:1", "thing:0"]
    assert [r.subject for r in audit.history(ctx.session_factory, "thing:1")] == ["thing:1"]
    actors, actions = audit.distinct_values(ctx.session_factory)
    assert actors == ["head"] and actions == ["staff.init", "test.step"]
    out = tmp_path / "audit.csv"
    assert audit.export_csv(newest_first, out) == 3
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    with out.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == ["id", "at_utc", "actor", "action", "subject", "reason", "details"]
    assert rows[1][4:6] == ["thing:2", "reason 2"]
    assert json.loads(rows[1][6]) == {"n": 2, "note": "café ☕"}
