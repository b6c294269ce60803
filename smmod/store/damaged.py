"""A damaged database is never replaced silently.

When start-up finds the database damaged, it moves the file aside (``backup.move_aside``)
and leaves a note beside where it was (``smmod.sqlite3.moved-aside.json``). While that
note is there, every command and the app refuse to open (and so to create) a database in
its place: an empty register would look like a register in which nothing ever happened
("audit trail intact: 0 entries"). The note names the file moved aside; the refusal also
names the newest good backup. Only ``smmod restore FILE`` or ``smmod init
--new-register`` take the note away.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path

from smmod.clock import wall_time
from smmod.errors import DatabaseUnusable

log = logging.getLogger("smmod.store")

NOTE_SUFFIX = ".moved-aside.json"


@dataclass(frozen=True)
class MovedAside:
    """What the note says: where the damaged file went, when, and why."""

    moved_to: Path
    moved_at: str  # ISO 8601, UTC
    problem: str


def note_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + NOTE_SUFFIX)


def leave_note(db_path: Path, moved_to: Path, problem: str) -> None:
    """Record that ``db_path`` was moved aside to ``moved_to`` (written atomically)."""
    note = note_path(db_path)
    temp = note.with_name(note.name + ".part")
    data = {"moved_to": str(moved_to), "moved_at": wall_time().isoformat(), "problem": problem}
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump(data, out)
    os.replace(temp, note)


def read_note(db_path: Path) -> MovedAside | None:
    """The note for ``db_path``, or None when there is none.

    A note that cannot be read still refuses: it says a database was moved aside, and
    only the two explicit commands may end that.
    """
    note = note_path(db_path)
    if not note.exists():
        return None
    try:
        data = json.loads(note.read_text(encoding="utf-8"))
        return MovedAside(Path(data["moved_to"]), str(data.get("moved_at", "")),
                          str(data.get("problem", "was damaged")))
    except (OSError, ValueError, KeyError, TypeError):
        return MovedAside(Path(f"{db_path.name}.broken-…"), "", f"(the note {note.name} is unreadable)")


def clear_note(db_path: Path) -> MovedAside | None:
    """Remove the note (after a restore or an explicit new register); what it said."""
    found = read_note(db_path)
    note_path(db_path).unlink(missing_ok=True)
    if found is not None:
        log.info("the note about %s being moved aside was removed", found.moved_to.name)
    return found


def refusal(db_path: Path, backups_dir: Path) -> DatabaseUnusable | None:
    """The error every command gives while the note is there, or None when it is not."""
    moved = read_note(db_path)
    if moved is None:
        return None
    from smmod.store.backup import newest_good_backup

    good = newest_good_backup(backups_dir)
    when = f" on {moved.moved_at[:16].replace('T', ' ')} UTC" if moved.moved_at else ""
    hint = (f"The newest good backup is {good.path}: restore it with `smmod restore {good.path}`"
            if good else "No good backup was found: restore another copy with `smmod restore FILE`")
    err = DatabaseUnusable(
        f"The database {db_path} {moved.problem}, so it was moved aside to {moved.moved_to}"
        f"{when}; smmod will not start an empty register in its place. {hint}, or start a "
        "new, empty register with `smmod init --new-register`."
    )
    err.backup = good  # type: ignore[attr-defined]
    err.moved_to = moved.moved_to  # type: ignore[attr-defined]
    return err
