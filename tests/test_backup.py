"""Backups: on demand, daily, before migrations; retention; restore; broken databases."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from alembic import command

from smmod.cli import main
from smmod.context import AppContext, open_context
from smmod.errors import DatabaseUnusable, InputError, SmmodError
from smmod.identity import Actor
from smmod.staff.service import StaffInput
from smmod.store import backup
from smmod.store.database import alembic_config, head_revision
from smmod.store.engine import make_engine, sqlite_url


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    try:
        code = main(list(argv))
    except SystemExit as exc:
        code = int(exc.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def staff_in(path: Path) -> int:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return int(conn.execute("SELECT count(*) FROM staff").fetchone()[0])
    finally:
        conn.close()


def revision_in(path: Path) -> str:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return str(conn.execute("SELECT version_num FROM alembic_version").fetchone()[0])
    finally:
        conn.close()


def add_person(ctx: AppContext, username: str) -> None:
    ctx.staff.add(ctx.actor, StaffInput(name=username.title(), username=username,
                                        roles=frozenset({"staff"})))


# -- taking backups -----------------------------------------------------------------------


def test_backup_command(ctx: AppContext, people: dict[str, Actor],
                        capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "backup")
    assert (code, err) == (0, "")
    written = Path(out.strip().removeprefix("Backup written to "))
    assert written.parent == ctx.paths.backups
    assert written.name.startswith("smmod-") and written.name.endswith("-manual.sqlite3")
    assert staff_in(written) == 7
    assert backup.validate_backup(written) is None
    infos = backup.list_backups(ctx.paths.backups)
    assert "manual" in {i.reason for i in infos}


def test_backup_to_a_file(ctx: AppContext, people: dict[str, Actor], tmp_path: Path,
                          capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "usb stick" / "smmod copy.sqlite3"
    code, out, _ = run(capsys, "backup", "--to", str(target))
    assert code == 0 and str(target) in out
    assert staff_in(target) == 7
    # One self-contained file (rollback journal, not WAL): reading it leaves nothing behind,
    # so it can be validated or restored from read-only media.
    assert target.read_bytes()[18:20] == b"\x01\x01"
    assert backup.validate_backup(target) is None
    assert sorted(p.name for p in target.parent.iterdir()) == ["smmod copy.sqlite3"]


@pytest.mark.parametrize("where", ["folder", "database", "wal"])
def test_backup_to_refuses_a_folder_or_the_live_database(
    ctx: AppContext, tmp_path: Path, capsys: pytest.CaptureFixture[str], where: str
) -> None:
    target = {"folder": tmp_path, "database": ctx.paths.database,
              "wal": ctx.paths.database.with_name("smmod.sqlite3-wal")}[where]
    before = ctx.paths.database.read_bytes()
    code, out, err = run(capsys, "backup", "--to", str(target))
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("smmod: ")
    assert ctx.paths.database.read_bytes() == before


def test_retention_keeps_backup_keep_files(ctx: AppContext,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "settings", "set", "backup.keep", "3")[0] == 0
    written = []
    for _ in range(5):
        code, out, _ = run(capsys, "backup")
        assert code == 0
        written.append(Path(out.strip().removeprefix("Backup written to ")))
    remaining = sorted(ctx.paths.backups.glob("smmod-*.sqlite3"))
    assert remaining == sorted(written[-3:])


def test_prune_keeps_the_newest(tmp_path: Path, ctx: AppContext) -> None:
    folder = tmp_path / "b"
    made = [backup.make_backup(ctx.paths.database, folder, f"r{n}", keep=10) for n in range(4)]
    (folder / "notes.txt").write_text("not a backup", encoding="utf-8")
    backup.prune(folder, 2)
    kept = [p for p in made[-2:] if p]
    assert sorted(folder.iterdir()) == sorted([folder / "notes.txt", *kept,
                                               *(backup.head_sidecar(p) for p in kept)])
    assert [b.reason for b in backup.list_backups(folder)] == ["r3", "r2"]


def test_daily_backup(smmod_home: Path) -> None:
    open_context(str(smmod_home)).close()  # creates the database: nothing to back up yet
    paths = open_context(str(smmod_home))
    paths.close()
    assert [b.reason for b in backup.list_backups(paths.paths.backups)] == ["daily"]
    open_context(str(smmod_home)).close()  # not due again within a day
    infos = backup.list_backups(paths.paths.backups)
    assert len(infos) == 1
    assert not backup.daily_backup_due(paths.paths.backups)
    assert backup.daily_backup_due(paths.paths.backups,
                                   now=infos[0].taken_at + timedelta(days=1, seconds=1))
    assert not backup.daily_backup_due(paths.paths.backups,
                                       now=infos[0].taken_at + timedelta(hours=23))


def test_backup_before_migration(ctx: AppContext, people: dict[str, Actor],
                                 smmod_home: Path) -> None:
    ctx.close()
    engine = make_engine(sqlite_url(str(ctx.paths.database)))
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0001")
    engine.dispose()
    assert revision_in(ctx.paths.database) == "0001"

    reopened = open_context(str(smmod_home))
    try:
        assert reopened.database.current_revision() == head_revision()
        before = [b for b in backup.list_backups(reopened.paths.backups)
                  if b.reason == "before-migration-0001"]
        assert len(before) == 1
        assert revision_in(before[0].path) == "0001"
        assert staff_in(before[0].path) == 7
        assert reopened.staff.count() == 7
    finally:
        reopened.close()


# -- restoring ------------------------------------------------------------------------------


@pytest.fixture
def not_smmod(tmp_path: Path) -> Path:
    path = tmp_path / "recipes.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE recipes (name TEXT)")
    conn.commit()
    conn.close()
    return path


@pytest.mark.parametrize(("kind", "says"), [
    ("text", "is not an SQLite database"),
    ("foreign", "is an SQLite file but not an smmod database"),
    ("empty", "is empty"),
    ("missing", "does not exist"),
    ("truncated", "is damaged"),
])
def test_restore_validates_first_and_changes_nothing(
    ctx: AppContext, people: dict[str, Actor], tmp_path: Path, not_smmod: Path,
    capsys: pytest.CaptureFixture[str], kind: str, says: str,
) -> None:
    good = backup.make_backup(ctx.paths.database, ctx.paths.backups, "manual", 14)
    assert good is not None
    source = tmp_path / f"{kind}.sqlite3"
    if kind == "text":
        source.write_text("name,username\nA,a\n", encoding="utf-8")
    elif kind == "foreign":
        source = not_smmod
    elif kind == "empty":
        source.write_bytes(b"")
    elif kind == "truncated":
        source.write_bytes(good.read_bytes()[: 4096 * 3])
    ctx.close()
    before = ctx.paths.database.read_bytes()
    backups_before = sorted(ctx.paths.backups.iterdir())
    with pytest.raises(InputError) as err:
        backup.restore(source, ctx.paths.database, ctx.paths.lock_file, ctx.paths.backups, 14)
    assert says in str(err.value) and str(source) in str(err.value)
    code, _, stderr = run(capsys, "restore", str(source))
    assert code == 2 and says in stderr and stderr.count("\n") == 1
    assert ctx.paths.database.read_bytes() == before
    assert sorted(ctx.paths.backups.iterdir()) == backups_before


HOLD_LOCK = """
import sys
from pathlib import Path
from smmod.store.backup import instance_lock
lock = instance_lock(Path(sys.argv[1]))
lock.acquire()
print("held", flush=True)
sys.stdin.read()
"""


def test_restore_refuses_while_another_smmod_holds_the_lock(
    ctx: AppContext, people: dict[str, Actor], capsys: pytest.CaptureFixture[str]
) -> None:
    good = backup.make_backup(ctx.paths.database, ctx.paths.backups, "manual", 14)
    assert good is not None
    add_person(ctx, "late")
    ctx.close()
    before = ctx.paths.database.read_bytes()
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(ctx.paths.lock_file)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with pytest.raises(SmmodError, match="smmod is running and has the database open"):
            backup.restore(good, ctx.paths.database, ctx.paths.lock_file, ctx.paths.backups, 14)
        code, _, err = run(capsys, "restore", str(good))
        assert code == 2 and "smmod is running" in err
        assert ctx.paths.database.read_bytes() == before
    finally:
        holder.communicate(timeout=30)
    backup.restore(good, ctx.paths.database, ctx.paths.lock_file, ctx.paths.backups, 14)
    assert staff_in(ctx.paths.database) == 7


def test_the_running_app_itself_may_restore(ctx: AppContext, people: dict[str, Actor]) -> None:
    """The app holds the instance lock when it offers to restore a broken database."""
    good = backup.make_backup(ctx.paths.database, ctx.paths.backups, "manual", 14)
    assert good is not None
    add_person(ctx, "late")
    ctx.close()
    lock = backup.instance_lock(ctx.paths.lock_file)
    lock.acquire()
    try:
        backup.restore(good, ctx.paths.database, ctx.paths.lock_file, ctx.paths.backups, 14)
        assert lock.is_locked
    finally:
        lock.release()
    assert staff_in(ctx.paths.database) == 7


def test_restore_replaces_the_database_and_keeps_the_old_one(
    ctx: AppContext, people: dict[str, Actor], smmod_home: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    good = backup.make_backup(ctx.paths.database, ctx.paths.backups, "manual", 14)
    assert good is not None
    add_person(ctx, "late")
    ctx.close()
    code, out, err = run(capsys, "restore", str(good))
    assert (code, err) == (0, "") and "Restored" in out
    kept = [b for b in backup.list_backups(ctx.paths.backups) if b.reason == "before-restore"]
    assert len(kept) == 1 and staff_in(kept[0].path) == 8
    reopened = open_context(str(smmod_home), daily_backup=False)
    try:
        assert reopened.staff.count() == 7
        assert reopened.database.integrity() == "ok"
    finally:
        reopened.close()


# -- broken databases --------------------------------------------------------------------------


def moved_aside(db: Path) -> list[Path]:
    """The broken database itself (its -wal and -shm are moved beside it)."""
    return [p for p in db.parent.glob(f"{db.name}.broken-*") if not p.name.endswith(("-wal", "-shm"))]


def corrupt_middle(path: Path) -> bytes:
    data = bytearray(path.read_bytes())
    third = len(data) // 3
    data[third : 2 * third] = b"\xa5\x5a" * ((2 * third - third) // 2) + b"\xa5" * (third % 2)
    path.write_bytes(bytes(data))
    return bytes(data)


def test_a_corrupt_database_is_moved_aside_and_the_newest_good_backup_named(
    ctx: AppContext, people: dict[str, Actor], smmod_home: Path
) -> None:
    older = backup.make_backup(ctx.paths.database, ctx.paths.backups, "daily", 14)
    time.sleep(0.01)
    newest = backup.make_backup(ctx.paths.database, ctx.paths.backups, "manual", 14)
    assert older and newest
    ctx.close()
    db = ctx.paths.database
    assert not db.with_name("smmod.sqlite3-wal").exists()
    broken = corrupt_middle(db)
    with pytest.raises(DatabaseUnusable) as err:
        open_context(str(smmod_home))
    message = str(err.value)
    assert str(db) in message and "is damaged" in message
    assert f"The newest good backup is {newest}" in message
    assert f"smmod restore {newest}" in message
    assert err.value.backup.path == newest  # type: ignore[attr-defined]
    (moved,) = moved_aside(db)
    assert moved.name in message
    assert moved.read_bytes() == broken
    assert not db.exists()
    assert sorted(p for p in ctx.paths.backups.iterdir()) == sorted(
        [older, newest, backup.head_sidecar(older), backup.head_sidecar(newest)])


def test_a_text_file_in_place_of_the_database(smmod_home: Path, ctx: AppContext) -> None:
    ctx.close()
    for extra in ctx.paths.backups.iterdir():
        extra.unlink()
    db = ctx.paths.database
    db.write_text("this is not a database\n", encoding="utf-8")
    with pytest.raises(DatabaseUnusable) as err:
        open_context(str(smmod_home))
    assert "is not an SQLite database" in str(err.value)
    assert "No good backup was found" in str(err.value)
    (moved,) = moved_aside(db)
    assert moved.read_text(encoding="utf-8") == "this is not a database\n"


def test_a_broken_newest_backup_is_skipped(ctx: AppContext, smmod_home: Path) -> None:
    older = backup.make_backup(ctx.paths.database, ctx.paths.backups, "daily", 14)
    time.sleep(0.01)
    newest = backup.make_backup(ctx.paths.database, ctx.paths.backups, "manual", 14)
    assert older and newest
    newest.write_text("oops", encoding="utf-8")
    ctx.close()
    ctx.paths.database.write_text("oops", encoding="utf-8")
    with pytest.raises(DatabaseUnusable) as err:
        open_context(str(smmod_home))
    assert f"The newest good backup is {older}" in str(err.value)


def test_the_cli_reports_a_broken_database_in_one_line(
    ctx: AppContext, capsys: pytest.CaptureFixture[str]
) -> None:
    ctx.close()
    ctx.paths.database.write_bytes(b"SQLite format 3\x00" + b"\x00" * 50)
    code, out, err = run(capsys, "staff", "list", "--json")
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "moved aside" in err


def test_databases_moved_aside_never_replace_each_other(tmp_path: Path) -> None:
    db = tmp_path / "smmod.sqlite3"
    moved = []
    for n in range(3):
        db.write_text(f"broken {n}", encoding="utf-8")
        moved.append(backup.move_aside(db))
    assert len(set(moved)) == 3
    assert sorted(p.read_text(encoding="utf-8") for p in moved) == [
        "broken 0", "broken 1", "broken 2"]


@pytest.mark.parametrize("folder", ["Year 7 #1", "100% safe", "what?"])
def test_data_folders_with_uri_characters(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                          folder: str) -> None:
    """'#', '%' and '?' must not cut the path short: the real file is checked and copied."""
    home = tmp_path / folder / "smmod"
    monkeypatch.setenv("SMMOD_HOME", str(home))
    first = open_context(str(home))
    first.staff.create_first(StaffInput(name="Hannah Head", username="head",
                                        roles=frozenset()))
    first.close()
    second = open_context(str(home))  # checks the file, then takes the daily backup
    try:
        assert second.staff.count() == 1
        assert not list(second.paths.data_dir.glob("*.broken-*"))
        (daily,) = backup.list_backups(second.paths.backups)
        assert staff_in(daily.path) == 1
        assert backup.validate_backup(daily.path) is None
    finally:
        second.close()
    assert sorted(p.name for p in (tmp_path / folder).iterdir()) == ["smmod"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [folder]


def test_a_locked_database_is_not_mistaken_for_a_damaged_one(
    ctx: AppContext, people: dict[str, Actor], smmod_home: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Moving aside a file another smmod has open would split the data in two."""
    good = backup.make_backup(ctx.paths.database, ctx.paths.backups, "manual", 14)
    assert good is not None
    ctx.close()
    # A just-restored database is in rollback-journal mode until smmod opens it, so an
    # exclusive transaction elsewhere keeps every reader out.
    backup.restore(good, ctx.paths.database, ctx.paths.lock_file, ctx.paths.backups, 14)
    monkeypatch.setattr(backup, "CHECK_TIMEOUT_S", 0.2)
    other = sqlite3.connect(ctx.paths.database, isolation_level=None)
    try:
        other.execute("BEGIN EXCLUSIVE")
        with pytest.raises(SmmodError) as err:
            open_context(str(smmod_home))
        assert not isinstance(err.value, DatabaseUnusable)
        assert "could not be checked (database is locked)" in str(err.value)
        assert "has not been changed" in str(err.value)
        assert ctx.paths.database.exists()
        assert moved_aside(ctx.paths.database) == []
        other.execute("ROLLBACK")
    finally:
        other.close()
    reopened = open_context(str(smmod_home))
    try:
        assert reopened.staff.count() == 7
    finally:
        reopened.close()


def test_restore_over_a_broken_database_keeps_the_broken_one(
    ctx: AppContext, people: dict[str, Actor], smmod_home: Path
) -> None:
    good = backup.make_backup(ctx.paths.database, ctx.paths.backups, "manual", 14)
    assert good is not None
    ctx.close()
    ctx.paths.database.write_text("garbage", encoding="utf-8")
    backup.restore(good, ctx.paths.database, ctx.paths.lock_file, ctx.paths.backups, 14)
    (moved,) = moved_aside(ctx.paths.database)
    assert moved.read_text(encoding="utf-8") == "garbage"
    assert staff_in(ctx.paths.database) == 7
