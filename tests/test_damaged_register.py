"""A damaged database is never replaced silently: once it is moved aside, every command
refuses (naming the file moved aside and the newest good backup) until `smmod restore
FILE` or `smmod init --new-register`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from smmod import audit
from smmod.audit import AuditFilter
from smmod.context import AppContext, open_context
from smmod.errors import DatabaseUnusable
from smmod.store import backup, damaged
from tests.test_backup import corrupt_middle, moved_aside, run, staff_in

pytestmark = pytest.mark.sqlite_only  # a damaged SQLite file moved aside, and its backups


@pytest.fixture
def broken(ctx: AppContext, smmod_home: Path) -> tuple[Path, Path, Path]:
    """A register with two people and a backup, damaged and then moved aside by the first
    command that met it: (the database's path, the backup, the file moved aside)."""
    good = backup.make_backup(ctx.paths.database, ctx.paths.backups, "manual", 14)
    assert good is not None
    ctx.close()
    db = ctx.paths.database
    corrupt_middle(db)
    with pytest.raises(DatabaseUnusable):
        open_context(str(smmod_home))
    (moved,) = moved_aside(db)
    return db, good, moved


@pytest.mark.parametrize("argv", [
    ("audit", "verify"), ("staff", "list", "--json"), ("queue", "list"),
    ("init", "--name", "New Head"), ("settings", "set", "monitoring.stale_days", "3"),
])
def test_every_command_refuses_after_a_move_aside(broken, capsys, argv):
    db, good, moved = broken
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == ""
    assert err.count("\n") == 1
    assert str(moved) in err and f"smmod restore {good}" in err
    assert "smmod init --new-register" in err
    assert not db.exists()  # no empty register took its place


def test_the_app_start_up_refuses_too_and_offers_the_backup(broken, smmod_home):
    db, good, moved = broken
    for _ in range(2):  # the second start is refused just like the first
        with pytest.raises(DatabaseUnusable) as err:
            open_context(str(smmod_home))
        assert err.value.backup.path == good  # type: ignore[attr-defined]
        assert err.value.moved_to == moved  # type: ignore[attr-defined]
    assert not db.exists()


def test_restore_ends_the_refusal(broken, capsys):
    db, good, _ = broken
    code, _, _ = run(capsys, "restore", str(good))
    assert code == 0 and staff_in(db) == 1
    assert not damaged.note_path(db).exists()
    code, out, err = run(capsys, "staff", "list", "--json")
    assert (code, err) == (0, "") and [s["username"] for s in json.loads(out)] == ["head"]


def test_a_new_register_only_when_asked_and_the_trail_says_why(broken, capsys, smmod_home):
    db, _, moved = broken
    code, out, err = run(capsys, "init", "--name", "New Head", "--new-register")
    assert (code, err) == (0, "") and "Created New Head" in out
    assert not damaged.note_path(db).exists()
    ctx = open_context(str(smmod_home))
    try:
        (entry,) = audit.query(ctx.session_factory, AuditFilter(action="database.new_register"))
        assert entry.details["moved_aside"] == moved.name
        assert "is damaged" in entry.details["problem"]
    finally:
        ctx.close()


def test_new_register_is_refused_when_nothing_was_moved_aside(ctx, capsys):
    code, out, err = run(capsys, "init", "--name", "Someone", "--new-register")
    assert code == 2 and out == ""
    assert "new-register" in err and "none was" in err
    assert ctx.staff.count() == 1
