"""Issue 15's insider tests: someone with the database file (or the server's owner login)
drops the append-only triggers by hand and changes the trail. Each change is caught by
`audit verify` (exit 1, naming the gap or the entry) and by `doctor`. A restore done
through smmod, and a new register after a damaged one, are recorded by signed entries
and verify clean.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from smmod import audit
from smmod.audit import AuditFilter
from smmod.audit_anchor import anchor_key
from smmod.context import AppContext, open_context
from smmod.errors import DatabaseUnusable
from smmod.store import backup as backups
from smmod.vault import Vault
from tests.test_audit import attacker
from tests.test_audit_signatures import doctor_cli, rehash_all, verify_cli, write_as
from tests.test_backup import corrupt_middle, run

pytestmark = pytest.mark.keyring


def kept_anchor(app_keyring: Any, service: str, ctx: AppContext) -> dict[str, Any]:
    """This computer's anchor once the command in ``ctx`` has ended (it is written to
    the keyring at most every few seconds, and at the end)."""
    keeper = ctx.session_factory.get_info(audit.KEEPER_INFO)
    if keeper is not None:
        keeper.flush()
    return dict(json.loads(Vault(app_keyring, service=service)
                           .get_secret(anchor_key(ctx.database.url))))


def entries(ctx: AppContext) -> int:
    return audit.verify(ctx.session_factory).entries


def backup_now(ctx: AppContext) -> Path:
    assert ctx.database.path is not None
    made = backups.make_backup(ctx.database.path, ctx.paths.backups, "manual", 14)
    assert made is not None
    return made


def put_in_place(ctx: AppContext, source: Path) -> None:
    """Copy a file over the live database by hand, as an insider would (no smmod)."""
    assert ctx.database.path is not None
    ctx.database.dispose()
    for extra in ("-wal", "-shm"):
        ctx.database.path.with_name(ctx.database.path.name + extra).unlink(missing_ok=True)
    shutil.copyfile(source, ctx.database.path)


def test_deleting_the_last_ten_entries_is_caught(
        app_keyring, keyring_service: str, ctx: AppContext,
        capsys: pytest.CaptureFixture[str]) -> None:
    write_as(ctx, "head", 30)
    total = entries(ctx)
    # no `audit verify` was run: the anchor followed the commits by itself
    assert kept_anchor(app_keyring, keyring_service, ctx)["count"] == total
    with attacker(ctx) as conn:
        conn.execute("DELETE FROM audit_entries WHERE id > ?", (total - 10,))
    assert audit.verify(ctx.session_factory).ok  # what is left is whole and signed
    code, err = verify_cli(capsys)
    assert code == 1
    assert (f"the trail ends at entry {total - 10} but this computer saw entry {total}"
            in err and f"entries {total - 9}–{total} are missing" in err)
    code, trail = doctor_cli(capsys)
    assert code == 1 and not trail["ok"]
    assert any(f"entries {total - 9}–{total} are missing" in p for p in trail["problems"])


@pytest.mark.sqlite_only  # the SQLite file copied in by hand
def test_an_older_backup_copied_in_by_hand_is_caught(
        app_keyring, keyring_service: str, ctx: AppContext, capsys: pytest.CaptureFixture[str]) -> None:
    older = backup_now(ctx)
    write_as(ctx, "head", 12)
    total = entries(ctx)
    assert kept_anchor(app_keyring, keyring_service, ctx)["count"] == total
    with attacker(ctx):
        pass  # the triggers go first, as the insider did
    put_in_place(ctx, older)
    assert audit.verify(ctx.session_factory).ok  # the old trail is whole in itself
    code, err = verify_cli(capsys)
    assert code == 1
    assert f"this computer saw entry {total}" in err
    code, trail = doctor_cli(capsys)
    assert code == 1 and any(f"this computer saw entry {total}" in p for p in trail["problems"])


@pytest.mark.sqlite_only  # smmod's backups are SQLite files
def test_an_edited_backup_is_refused_by_restore_and_caught_when_copied_in(
        app_keyring, ctx: AppContext, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_as(ctx, "deputy", 2)
    write_as(ctx, "head", 2)
    edited = tmp_path / "edited.sqlite3"
    shutil.copyfile(backup_now(ctx), edited)
    conn = sqlite3.connect(edited)
    try:
        for trigger in ("audit_entries_no_update", "audit_entries_no_delete"):
            conn.execute(f"DROP TRIGGER {trigger}")
        swap = {"head": "deputy", "deputy": "head"}
        rehash_all(conn, lambda row: swap[row[2]])
        conn.commit()
    finally:
        conn.close()
    code, _, err = run(capsys, "restore", str(edited))
    assert code == 2
    assert "has a broken audit trail at entry 1 (is not signed by 'deputy'" in err
    put_in_place(ctx, edited)
    code, err = verify_cli(capsys)
    assert code == 1 and "Audit trail BROKEN at entry 1: is not signed by 'deputy'" in err
    code, trail = doctor_cli(capsys)
    assert code == 1 and trail["first_bad_id"] == 1


@pytest.mark.sqlite_only  # `smmod restore` puts back a SQLite backup
def test_a_restore_through_smmod_is_recorded_and_verifies_clean(
        app_keyring, keyring_service: str, ctx: AppContext, smmod_home: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    older = backup_now(ctx)
    point = entries(ctx)
    write_as(ctx, "head", 5)
    backup_now(ctx)  # a backup in between: its head is rolled back too
    write_as(ctx, "head", 5)
    before = kept_anchor(app_keyring, keyring_service, ctx)
    ctx.close()
    code, out, err = run(capsys, "restore", str(older))
    assert (code, err) == (0, "") and "10 later entries rolled back" in out
    code, err = verify_cli(capsys)
    assert (code, err) == (0, "")
    reopened = open_context(str(smmod_home))
    try:
        (entry,) = audit.query(reopened.session_factory, AuditFilter(action="database.restored"))
        assert entry.details["head_before"] == {"count": before["count"], "hash": before["hash"]}
        assert entry.details["rolled_back_from"] == point + 1
        assert len(entry.details["rolled_back_hashes"]) == 10
        assert entry.details["rolled_back_hashes"][-1] == before["hash"]
        # signed by the person who restored, and this computer's anchor is now the new head
        assert audit.verify(reopened.session_factory).ok
        assert kept_anchor(app_keyring, keyring_service, reopened)["count"] == entry.id
        _, trail = doctor_cli(capsys)
        assert trail["ok"] is True
        # exactly those: a backup head beyond the restore point that the entry does not
        # name (a sidecar forged to excuse a cut) is still reported
        forged = reopened.paths.backups / "smmod-20261201T000000000000Z-manual.sqlite3.head.json"
        forged.write_text(json.dumps({"count": point + 1, "hash": "f" * 64,
                                      "seen_at": "2026-12-01T00:00:00+00:00"}), encoding="utf-8")
        code, err = verify_cli(capsys)
        assert code == 1 and f"entry {point + 1} is not the one the backup" in err
    finally:
        reopened.close()


@pytest.mark.sqlite_only  # a damaged SQLite file moved aside
def test_a_new_register_retires_the_old_anchors_and_verifies_clean(
        app_keyring, keyring_service: str, ctx: AppContext, smmod_home: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    write_as(ctx, "head", 8)
    backup_now(ctx)
    old = kept_anchor(app_keyring, keyring_service, ctx)
    ctx.close()
    corrupt_middle(ctx.paths.database)
    with pytest.raises(DatabaseUnusable):
        open_context(str(smmod_home))
    code, out, err = run(capsys, "init", "--name", "New Head", "--new-register")
    assert (code, err) == (0, "") and "Created New Head" in out
    code, err = verify_cli(capsys)
    assert (code, err) == (0, "")
    reopened = open_context(str(smmod_home))
    try:
        (entry,) = audit.query(reopened.session_factory,
                               AuditFilter(action="database.new_register"))
        retired = {(a["count"], a["hash"]) for a in entry.details["retired_anchors"]}
        assert (old["count"], old["hash"]) in retired
        assert len(retired) == 1  # the backup's head was the same as this computer's
        assert kept_anchor(app_keyring, keyring_service, reopened)["count"] == entry.id
    finally:
        reopened.close()
