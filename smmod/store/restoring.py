"""What ``restore`` checks before it replaces anything.

A file is restorable only when all of this holds:

* SQLite's full ``PRAGMA integrity_check`` says "ok";
* its schema revision is one this smmod knows, and every table of that revision is
  there (an SQLite file with three empty tables named like smmod's is not a register);
* its own audit trail is whole (the same check as ``smmod audit verify``): a backup whose
  trail was edited is refused.

The checks run on the very copy that will be put in place, so nothing can change
between the check and the restore.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from smmod.errors import InputError
from smmod.wording import count

if TYPE_CHECKING:
    from smmod.audit import VerifyResult


@dataclass(frozen=True)
class Restorable:
    """A checked copy: its schema revision and how many audit entries it holds."""

    revision: str
    audit_entries: int


def _ro(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)


@cache
def tables_at(revision: str) -> frozenset[str]:
    """The tables smmod's schema has at ``revision`` (built once, in memory)."""
    from alembic import command
    from sqlalchemy import create_engine, inspect

    from smmod.store.database import alembic_config

    engine = create_engine("sqlite://")
    try:
        with engine.begin() as conn:
            cfg = alembic_config()
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, revision)
            return frozenset(inspect(conn).get_table_names())
    finally:
        engine.dispose()


def check_copy(path: Path, shown: str) -> Restorable:
    """Check the copy at ``path`` (``shown`` is the name messages give); InputError if bad."""
    from smmod.store.database import known_revisions

    def refuse(reason: str) -> InputError:
        return InputError(f"cannot restore: the file {reason}; nothing was changed", file=shown)

    try:
        conn = _ro(path)
        try:
            rows = conn.execute("PRAGMA integrity_check").fetchall()
            if rows != [("ok",)]:
                raise refuse(f"fails SQLite's integrity check ({rows[0][0]})")
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            revisions = (conn.execute("SELECT version_num FROM alembic_version").fetchall()
                         if "alembic_version" in tables else [])
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise refuse(f"cannot be read as a database ({exc})") from None
    if len(revisions) != 1:
        raise refuse("has no schema revision: it is not an smmod database")
    revision = str(revisions[0][0])
    if revision not in known_revisions():
        raise refuse(f"has schema revision {revision}, which this smmod does not know "
                     "(a newer smmod wrote it?)")
    missing = sorted(tables_at(revision) - tables)
    if missing:
        shown_missing = ", ".join(missing[:8]) + (" …" if len(missing) > 8 else "")
        raise refuse(f"lacks {count(len(missing), 'table')} of schema {revision}: {shown_missing}")
    chain = _verify_chain(path)
    if not chain.ok:
        raise refuse(f"has a broken audit trail at entry {chain.first_bad_id} ({chain.problem})")
    return Restorable(revision, chain.entries)


def _verify_chain(path: Path) -> VerifyResult:
    """``audit.verify`` on the copy, through a read-only engine (nothing is written)."""
    from smmod.audit import verify
    from smmod.store.engine import SessionFactory, make_engine, sqlite_url

    engine = make_engine(sqlite_url(str(path)), immediate=False, read_only=True)
    try:
        return verify(SessionFactory(engine, engine))
    finally:
        engine.dispose()


def audit_entries(path: Path) -> int | None:
    """How many audit entries the database at ``path`` holds (None if it cannot tell)."""
    try:
        conn = _ro(path)
        try:
            return int(conn.execute("SELECT count(*) FROM audit_entries").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.Error:
        return None


def rolled_back(replaced: Path, restored: Path) -> tuple[tuple[int, str], int, tuple[str, ...]] | None:
    """What putting ``restored`` in place of ``replaced`` rolls back of the latter's trail:
    its head (count, hash), the first entry the two trails do not share, and the hashes of
    the replaced trail from there on, in order (None if it cannot tell, or it is empty)."""
    def hashes(path: Path) -> list[str]:
        conn = _ro(path)
        try:
            return [str(row[0]) for row in
                    conn.execute("SELECT hash FROM audit_entries ORDER BY id").fetchall()]
        finally:
            conn.close()

    try:
        old, new = hashes(replaced), hashes(restored)
    except sqlite3.Error:
        return None
    if not old:
        return None
    shared = 0
    while shared < min(len(old), len(new)) and old[shared] == new[shared]:
        shared += 1
    return (len(old), old[-1]), shared + 1, tuple(old[shared:])
