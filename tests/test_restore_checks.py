"""`restore` checks everything before it replaces anything, and the restore is recorded
in the audit trail with how many entries it rolled back."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from smmod import audit
from smmod.audit import AuditFilter
from smmod.context import AppContext, open_context
from smmod.errors import InputError
from smmod.store import backup
from smmod.store.database import head_revision
from tests.test_backup import add_person, run

# smmod restores its SQLite backups only (on a server: test_restore_on_server.py)
pytestmark = pytest.mark.sqlite_only


def good_backup(ctx: AppContext) -> Path:
    made = backup.make_backup(ctx.paths.database, ctx.paths.backups, "manual", 14)
    assert made is not None
    return made


def edit(path: Path, *statements: str) -> None:
    conn = sqlite3.connect(path)
    try:
        for statement in statements:
            conn.execute(statement)
        conn.commit()
    finally:
        conn.close()


def three_empty_tables(path: Path) -> None:
    edit(path, "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)",
         f"INSERT INTO alembic_version VALUES ('{head_revision()}')",
         "CREATE TABLE staff (id INTEGER PRIMARY KEY)",
         "CREATE TABLE audit_entries (id INTEGER PRIMARY KEY)")


def edited_trail(path: Path) -> None:
    edit(path, "DROP TRIGGER audit_entries_no_update",
         "UPDATE audit_entries SET actor = 'someone-else' WHERE id = 1")


def unknown_revision(path: Path) -> None:
    edit(path, "UPDATE alembic_version SET version_num = '9999'")


def missing_table(path: Path) -> None:
    edit(path, "DROP TABLE handovers")


@pytest.mark.parametrize(("damage", "says"), [
    (three_empty_tables, "lacks"),
    (edited_trail, "broken audit trail at entry 1 (content was altered)"),
    (unknown_revision, "schema revision 9999, which this smmod does not know"),
    (missing_table, "lacks 1 table of schema"),
])
def test_a_bad_backup_is_refused_and_nothing_changes(ctx, tmp_path, capsys, damage, says):
    source = tmp_path / "suspect.sqlite3"
    if damage is three_empty_tables:
        damage(source)
    else:
        shutil.copyfile(good_backup(ctx), source)
        damage(source)
    add_person(ctx, "late")
    ctx.close()
    before = ctx.paths.database.read_bytes()
    backups_before = sorted(ctx.paths.backups.iterdir())
    with pytest.raises(InputError) as err:
        backup.restore(source, ctx.paths.database, ctx.paths.lock_file, ctx.paths.backups, 14)
    assert says in str(err.value) and str(source) in str(err.value)
    code, out, stderr = run(capsys, "restore", str(source))
    assert code == 2 and out == "" and says in stderr and stderr.count("\n") == 1
    assert ctx.paths.database.read_bytes() == before
    assert sorted(ctx.paths.backups.iterdir()) == backups_before
    assert not list(ctx.paths.data_dir.glob("*.restoring"))


def test_the_restore_and_the_entries_it_rolled_back_are_audited(ctx, smmod_home, capsys):
    good = good_backup(ctx)
    in_backup = audit.verify(ctx.session_factory).entries
    for name in ("late", "later", "latest"):
        add_person(ctx, name)
    after = audit.verify(ctx.session_factory).entries
    assert after > in_backup
    ctx.close()
    code, out, err = run(capsys, "restore", str(good))
    assert (code, err) == (0, "")
    assert f"{after - in_backup} later entries rolled back" in out
    reopened = open_context(str(smmod_home))
    try:
        (entry,) = audit.query(reopened.session_factory, AuditFilter(action="database.restored"))
        assert entry.details["backup"] == good.name
        assert entry.details["entries_in_backup"] == in_backup
        assert entry.details["entries_rolled_back"] == after - in_backup
        assert entry.actor == "head"
        assert audit.verify(reopened.session_factory).ok
    finally:
        reopened.close()
