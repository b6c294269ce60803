"""Files only their owner can read: smmod holds pupils' names, the queue and the audit trail.

On Linux and macOS smmod's folders are 0700 and its files 0600, whatever the user's
umask: ``private_umask()`` makes every file the process creates private (the database
and its -wal/-shm, backups, PDFs, exports, logs, settings), and ``tighten()`` puts right
folders and files that an earlier smmod created open to other users. On Windows both do
nothing: a user's profile folders are private there already.
"""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

log = logging.getLogger("smmod.private")

PRIVATE_UMASK = 0o077
FOLDER_MODE = 0o700
FILE_MODE = 0o600
ENABLED = os.name == "posix"


@contextmanager
def private_umask() -> Iterator[None]:
    """Everything created inside is readable by its owner only; the umask is put back."""
    if not ENABLED:
        yield
        return
    before = os.umask(PRIVATE_UMASK)
    try:
        yield
    finally:
        os.umask(before)


def make_folder(folder: Path) -> None:
    """Create ``folder`` (and missing parents) private, or make it private if it exists."""
    folder.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
    _restrict(folder, FOLDER_MODE)


def make_file(path: Path) -> None:
    """Make an existing file readable and writable by its owner only."""
    _restrict(path, FILE_MODE)


def _restrict(path: Path, mode: int) -> None:
    if not ENABLED:
        return
    try:
        current = stat.S_IMODE(path.lstat().st_mode)
        if stat.S_ISLNK(path.lstat().st_mode) or current & 0o077 == 0:
            return
        path.chmod((current & ~0o077) | (mode & 0o700))
    except FileNotFoundError:
        return
    except OSError as exc:  # not ours to change (another owner, read-only media)
        log.warning("could not make %s private: %s", path, exc.strerror)
        return
    log.info("made %s private (was %o)", path, current)


def tighten(folders: Iterable[Path], files: Iterable[Path], trees: Iterable[Path]) -> None:
    """Folders to 0700, files to 0600, and every folder and file under each of ``trees``."""
    if not ENABLED:
        return
    for folder in folders:
        make_folder(folder)
    for path in files:
        make_file(path)
    for tree in trees:
        if not tree.is_dir():
            continue
        for root, dirs, names in os.walk(tree):
            base = Path(root)
            _restrict(base, FOLDER_MODE)
            for name in dirs:
                _restrict(base / name, FOLDER_MODE)
            for name in names:
                _restrict(base / name, FILE_MODE)
