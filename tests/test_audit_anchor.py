"""The audit trail against an insider (issue 15): truncation and rollback caught by anchors
kept outside the database (this computer's keyring, the backups' sidecars), and missing
append-only triggers reported by ``audit verify`` and ``doctor``.

Each test plays the insider with raw sqlite3 on the file, triggers dropped by hand.
"""

from __future__ import annotations

import json
import shutil

import pytest

from smmod import audit
from smmod import formatting as fmt
from smmod.audit_anchor import anchor_key, backup_heads, missing_guards
from smmod.cli import main
from smmod.context import AppContext
from smmod.store import backup as backups
from smmod.vault import Vault
from tests.conftest import SUITE_NOW
from tests.test_audit import attacker, write_entries


def _verify(capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["audit", "verify"])
    return code, capsys.readouterr().err


def _head(ctx: AppContext, position: int) -> str:
    with ctx.session_factory() as session:
        from sqlalchemy import text
        return str(session.execute(text("SELECT hash FROM audit_entries WHERE id = :i"),
                                   {"i": position}).scalar_one())


def _entries(ctx: AppContext) -> int:
    return audit.verify(ctx.session_factory).entries


@pytest.mark.keyring
def test_deleting_the_last_ten_entries_is_caught_by_this_computers_anchor(
        ctx: AppContext, app_keyring, keyring_service: str,
        capsys: pytest.CaptureFixture[str]) -> None:
    write_entries(ctx, 48 - _entries(ctx))
    assert _entries(ctx) == 48
    assert _verify(capsys) == (0, "")  # this computer now keeps entry 48 as its anchor
    kept = json.loads(Vault(app_keyring, service=keyring_service)
                      .get_secret(anchor_key(ctx.database.url)))
    assert (kept["count"], kept["hash"]) == (48, _head(ctx, 48))
    hash48 = kept["hash"]
    for side in ctx.paths.backups.glob("*.head.json"):
        side.unlink()  # only the keyring's anchor is left to catch it
    with attacker(ctx) as conn:
        conn.execute("DELETE FROM audit_entries WHERE id > 38")
    assert audit.verify(ctx.session_factory).ok  # the chain alone cannot tell
    code, err = _verify(capsys)
    assert code == 1
    assert (f"the trail ends at entry 38 but this computer saw entry 48 (hash {hash48[:12]}…) "
            f"on {fmt.day(SUITE_NOW.date())}: entries 39–48 are missing") in err
    assert "trigger audit_entries_no_delete is missing" in err


@pytest.mark.keyring
def test_a_tail_rewritten_past_the_anchor_is_caught(
        ctx: AppContext, app_keyring, capsys: pytest.CaptureFixture[str]) -> None:
    write_entries(ctx, 48 - _entries(ctx))
    assert _verify(capsys)[0] == 0
    with attacker(ctx) as conn:
        conn.execute("DELETE FROM audit_entries WHERE id > 38")
    write_entries(ctx, 15)  # a longer, internally valid trail that differs from entry 39
    assert _entries(ctx) == 53 and audit.verify(ctx.session_factory).ok
    code, err = _verify(capsys)
    assert code == 1
    assert "entry 48 is not the one this computer saw" in err


def test_restoring_an_older_backup_is_caught_by_a_newer_backups_sidecar(
        ctx: AppContext, capsys: pytest.CaptureFixture[str]) -> None:
    assert ctx.database.path is not None
    keep = int(ctx.settings.get("backup.keep"))
    older = backups.make_backup(ctx.database.path, ctx.paths.backups, "manual", keep)
    assert older is not None
    write_entries(ctx, 47)
    newer = backups.make_backup(ctx.database.path, ctx.paths.backups, "manual", keep)
    assert newer is not None
    side = json.loads(backups.head_sidecar(newer).read_text(encoding="utf-8"))
    assert (side["count"], side["hash"]) == (_entries(ctx), _head(ctx, _entries(ctx)))
    with attacker(ctx):
        pass  # triggers dropped, as the insider did; then the old file is put in place
    ctx.database.dispose()
    for extra in ("-wal", "-shm"):
        ctx.database.path.with_name(ctx.database.path.name + extra).unlink(missing_ok=True)
    shutil.copyfile(older, ctx.database.path)
    assert audit.verify(ctx.session_factory).ok  # the old chain is whole in itself
    code, err = _verify(capsys)
    assert code == 1
    assert f"but the backup {newer.name} saw entry {side['count']}" in err


def test_a_sound_trail_with_its_backups_is_intact(
        ctx: AppContext, capsys: pytest.CaptureFixture[str]) -> None:
    assert ctx.database.path is not None
    backups.make_backup(ctx.database.path, ctx.paths.backups, "manual", 5)
    write_entries(ctx, 3)  # the trail goes on past the backup: that is no gap
    assert len(backup_heads(ctx.paths.backups)) >= 1
    capsys.readouterr()
    assert main(["audit", "verify"]) == 0
    assert capsys.readouterr().out.startswith("Audit trail intact:")


def test_dropped_triggers_are_reported_by_verify_and_doctor(
        ctx: AppContext, capsys: pytest.CaptureFixture[str]) -> None:
    assert missing_guards(ctx.session_factory) == []
    with attacker(ctx):
        pass
    assert missing_guards(ctx.session_factory) == ["audit_entries_no_update",
                                                   "audit_entries_no_delete"]
    code, err = _verify(capsys)
    assert code == 1
    assert "the append-only trigger audit_entries_no_update is missing" in err
    capsys.readouterr()
    assert main(["doctor", "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is False
    assert report["audit_guards"] == {"ok": False, "missing": ["audit_entries_no_update",
                                                               "audit_entries_no_delete"]}
    assert main(["doctor"]) == 1
    assert "MISSING append-only triggers audit_entries_no_update" in capsys.readouterr().out
