"""Backups with SQLite's online backup API, retention, validation and restore.

A backup is a complete, consistent copy taken while the app may be writing. Restoring
validates the copy first and refuses while another smmod has the database open, so a
good database is never replaced by a bad one or pulled from under a running app.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from filelock import FileLock, Timeout

from smmod.clock import wall_time
from smmod.errors import DatabaseUnusable, InputError, SmmodError

log = logging.getLogger("smmod.store.backup")

SQLITE_MAGIC = b"SQLite format 3\x00"
PREFIX = "smmod-"
SUFFIX = ".sqlite3"


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    taken_at: datetime
    reason: str
    size: int


def instance_lock(lock_file: Path) -> FileLock:
    """The lock a running smmod holds on its data folder.

    One lock object per file and process (``is_singleton``): the app that holds it can
    still restore a backup, while any other process is refused.
    """
    lock_file.parent.mkdir(parents=True, exist_ok=True)
    return FileLock(str(lock_file), timeout=0, is_singleton=True)


def _read_only_uri(path: Path) -> str:
    # as_uri() percent-escapes '#', '?' and '%', which would otherwise cut the path short
    # (and open, or even create, a different file).
    return f"{path.resolve().as_uri()}?mode=ro"


# Seconds to wait for another connection's lock before giving up on a check.
CHECK_TIMEOUT_S = 5.0
# Only these SQLite errors say the file itself is bad. Others (busy, locked, cannot open,
# I/O) say nothing about the content, and a file in use must never be moved aside.
_DAMAGED = {sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB}


def _not_checkable(path: Path, why: object) -> SmmodError:
    return SmmodError(
        f"The database {path} could not be checked ({why}). Another program may be using "
        "it, or its folder may not be readable: close other copies of smmod and try again. "
        "The file has not been changed."
    )


def check_sqlite_file(path: Path) -> str | None:
    """Why ``path`` is not a usable SQLite database, or None when it is.

    Raises SmmodError when the file cannot be checked at all (locked, unreadable): that
    is no reason to treat it as damaged.
    """
    try:
        with path.open("rb") as fh:
            header = fh.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise _not_checkable(path, exc.strerror) from None
    if path.stat().st_size == 0:
        return None  # an empty file is a new database
    if header != SQLITE_MAGIC:
        return "is not an SQLite database"
    try:
        conn = sqlite3.connect(_read_only_uri(path), uri=True, timeout=CHECK_TIMEOUT_S)
        try:
            rows = conn.execute("PRAGMA quick_check").fetchall()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        code = getattr(exc, "sqlite_errorcode", None)
        if code is not None and code & 0xFF not in _DAMAGED:
            raise _not_checkable(path, exc) from None
        return f"is damaged ({exc})"
    if rows != [("ok",)]:
        return f"is damaged ({rows[0][0]})"
    return None


def backup_file(source: Path, dest: Path) -> Path:
    """Copy a live database consistently to ``dest`` (written atomically).

    The copy is switched out of WAL mode so it is one self-contained file: reading it
    later (to validate or restore it, even from read-only media) leaves no -wal or -shm
    files behind.
    """
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(dest.name + ".part")
    src = sqlite3.connect(_read_only_uri(source), uri=True)
    try:
        out = sqlite3.connect(tmp)
        try:
            src.backup(out)
            out.execute("PRAGMA journal_mode=DELETE")
        finally:
            out.close()
    finally:
        src.close()
    os.replace(tmp, dest)
    return dest


HEAD_SIDECAR = ".head.json"


def head_sidecar(backup: Path) -> Path:
    """Where a backup's audit-trail head is kept: ``<backup>.head.json``."""
    return backup.with_name(backup.name + HEAD_SIDECAR)


def write_head_sidecar(backup: Path, taken_at: str) -> None:
    """Record the head of the audit trail inside ``backup`` (its count and hash) beside it,
    so a later trail that ends before it, or differs there, is noticed (issue 15)."""
    conn = sqlite3.connect(_read_only_uri(backup), uri=True)
    try:
        row = conn.execute("SELECT id, hash FROM audit_entries ORDER BY id DESC LIMIT 1").fetchone()
    except sqlite3.OperationalError:
        row = None  # a database from before the audit trail
    finally:
        conn.close()
    if row is not None:
        head_sidecar(backup).write_text(
            json.dumps({"count": row[0], "hash": row[1], "seen_at": taken_at}), encoding="utf-8")


def make_backup(db_path: Path, backups_dir: Path, reason: str, keep: int) -> Path | None:
    """A timestamped backup in the backups folder, then prune to ``keep`` files."""
    if not db_path.exists() or db_path.stat().st_size == 0:
        return None
    taken = wall_time()
    stamp = taken.strftime("%Y%m%dT%H%M%S%fZ")
    dest = backups_dir / f"{PREFIX}{stamp}-{reason}{SUFFIX}"
    backup_file(db_path, dest)
    write_head_sidecar(dest, taken.isoformat())
    log.info("backup written: %s", dest.name)
    prune(backups_dir, keep)
    return dest


def list_backups(backups_dir: Path) -> list[BackupInfo]:
    """Backups, newest first."""
    found: list[BackupInfo] = []
    if not backups_dir.exists():
        return found
    for path in backups_dir.glob(f"{PREFIX}*{SUFFIX}"):
        stem = path.name[len(PREFIX) : -len(SUFFIX)]
        stamp, _, reason = stem.partition("-")
        try:
            taken = datetime.strptime(stamp, "%Y%m%dT%H%M%S%fZ").replace(tzinfo=UTC)
        except ValueError:
            continue
        found.append(BackupInfo(path, taken, reason, path.stat().st_size))
    return sorted(found, key=lambda b: b.taken_at, reverse=True)


def prune(backups_dir: Path, keep: int) -> None:
    for old in list_backups(backups_dir)[keep:]:
        old.path.unlink(missing_ok=True)
        for extra in ("-wal", "-shm", HEAD_SIDECAR):
            old.path.with_name(old.path.name + extra).unlink(missing_ok=True)


def daily_backup_due(backups_dir: Path, now: datetime | None = None) -> bool:
    now = now or wall_time()
    newest = next(iter(list_backups(backups_dir)), None)
    return newest is None or now - newest.taken_at > timedelta(days=1)


def newest_good_backup(backups_dir: Path) -> BackupInfo | None:
    for info in list_backups(backups_dir):
        try:
            if validate_backup(info.path, raise_error=False) is None:
                return info
        except SmmodError:
            continue  # cannot be checked now: not one to recommend
    return None


def validate_backup(path: Path, *, raise_error: bool = True) -> str | None:
    """Why ``path`` cannot be restored (None when it can)."""
    problem: str | None
    if not path.is_file():
        problem = "does not exist"
    elif path.stat().st_size == 0:
        problem = "is empty"
    else:
        problem = check_sqlite_file(path)
        if problem is None:
            conn = sqlite3.connect(_read_only_uri(path), uri=True)
            try:
                tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
            finally:
                conn.close()
            if not {"alembic_version", "staff", "audit_entries"} <= tables:
                problem = "is an SQLite file but not an smmod database"
    if problem and raise_error:
        raise InputError(f"cannot restore: the file {problem}", file=str(path))
    return problem


def move_aside(db_path: Path) -> Path:
    """Rename a broken database (and its WAL files) so it is kept, never overwritten."""
    stamp = wall_time().strftime("%Y%m%dT%H%M%SZ")
    target = db_path.with_name(f"{db_path.name}.broken-{stamp}")
    counter = 1
    while target.exists():  # never replace a database moved aside earlier
        counter += 1
        target = db_path.with_name(f"{db_path.name}.broken-{stamp}-{counter}")
    os.replace(db_path, target)
    for extra in ("-wal", "-shm"):
        side = db_path.with_name(db_path.name + extra)
        if side.exists():
            os.replace(side, target.with_name(target.name + extra))
    log.warning("moved unusable database aside to %s", target.name)
    return target


@dataclass(frozen=True)
class Restored:
    """A restore done: what came back, and what it replaced."""

    path: Path
    backup: Path
    revision: str
    audit_entries: int  # in the backup, now the database
    replaced_entries: int | None  # in the database it replaced (None: none, or damaged)
    replaced_head: tuple[int, str] | None = None  # its newest entry (count, hash)
    rolled_back_from: int | None = None  # its first entry the backup does not have
    rolled_back_hashes: tuple[str, ...] = ()  # its entries from there on, in order

    @property
    def rolled_back(self) -> int | None:
        """Audit entries of the replaced database that the backup does not have."""
        if self.replaced_entries is None:
            return None
        if self.replaced_head is not None:
            return len(self.rolled_back_hashes)
        return max(0, self.replaced_entries - self.audit_entries)


def restore(backup: Path, db_path: Path, lock_file: Path, backups_dir: Path, keep: int) -> Restored:
    """Replace the database with a backup, once a copy of it has passed every check
    (``smmod.store.restoring``); the current database is backed up first (or, if damaged,
    moved aside). Nothing is changed when a check fails."""
    from smmod.store import damaged, restoring

    validate_backup(backup)
    lock = instance_lock(lock_file)
    try:
        lock.acquire()
    except Timeout:
        raise SmmodError(
            "smmod is running and has the database open: close it, then restore again"
        ) from None
    tmp = db_path.with_name(db_path.name + ".restoring")
    try:
        shutil.copyfile(backup, tmp)
        checked = restoring.check_copy(tmp, str(backup))
        replaced = tail = None
        if db_path.exists():
            if check_sqlite_file(db_path) is None:
                replaced = restoring.audit_entries(db_path)
                tail = restoring.rolled_back(db_path, tmp)
                make_backup(db_path, backups_dir, "before-restore", keep + 1)
            else:
                move_aside(db_path)
        for extra in ("-wal", "-shm"):
            db_path.with_name(db_path.name + extra).unlink(missing_ok=True)
        os.replace(tmp, db_path)
        damaged.clear_note(db_path)  # a good register is back: commands may open it again
    finally:
        tmp.unlink(missing_ok=True)
        lock.release()
    log.info("database restored from %s", backup.name)
    return Restored(db_path, backup, checked.revision, checked.audit_entries, replaced,
                    *(tail if tail else (None, None, ())))


def unusable(db_path: Path, problem: str, backups_dir: Path) -> DatabaseUnusable:
    """The error for a broken database: it has been moved aside, and a note left so that
    no later command starts an empty register in its place (``smmod.store.damaged``)."""
    from smmod.store import damaged

    moved = move_aside(db_path)
    damaged.leave_note(db_path, moved, problem)
    refused = damaged.refusal(db_path, backups_dir)
    assert refused is not None
    return refused
