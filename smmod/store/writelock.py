"""Waiting for SQLite's one writer, and saying so.

SQLite lets any number of connections read at once (WAL), but only one write. smmod's
writes start with ``BEGIN IMMEDIATE``, so a writer takes the lock before it changes
anything and never fails half way. When another connection holds the lock (most often a
long import), the writer first tries briefly; then it tells whoever listens ("waiting for
the import in progress…": the command line prints it on stderr, the app shows it in the
status bar) and keeps waiting, up to a limit, after which it gives a ``DatabaseBusy``
error that says what to do. It never fails with a bare "database is locked".

A writer that will hold the lock for long announces what it is doing in a small note
beside the database (``smmod.sqlite3-writer``), so the waiting message can name it.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from smmod.errors import DatabaseBusy
from smmod.wording import count

log = logging.getLogger("smmod.store")

#: The engine execution option that carries an engine's ``WriteGate``.
GATE_OPTION = "smmod_write_gate"
#: A connection execution option: take the lock only if it is free (see ``acquire``).
NO_WAIT_OPTION = "smmod_no_wait"
#: How long a writer waits quietly: ordinary writes take milliseconds.
QUIET_WAIT_MS = 300
#: How long each attempt waits before the message is brought up to date.
SLICE_MS = 1000
#: How long a writer waits in all before giving up with ``DatabaseBusy``.
DEFAULT_LIMIT_S = 600.0
#: The ordinary busy timeout, restored once the lock is taken.
BUSY_TIMEOUT_MS = 10_000

Listener = Callable[[str], None]


@dataclass(frozen=True)
class Holder:
    """What the connection holding the write lock said it is doing."""

    what: str  # "the import"
    detail: str  # "comments.csv, started by head"
    pid: int

    def describe(self) -> str:
        return f"{self.what} in progress ({self.detail})" if self.detail else f"{self.what} in progress"


#: For a lock met anywhere else (it should not happen: reads never wait, writes wait here).
BUSY_MESSAGE = (
    "the database is busy with another change (an import, perhaps), so nothing was "
    "changed; try again when it has finished"
)


def _busy(exc: BaseException) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
    return "database is locked" in str(exc) or "database table is locked" in str(exc)


def is_locked(exc: BaseException) -> bool:
    """True for SQLite's "database is locked" (raw, or wrapped by SQLAlchemy)."""
    return _busy(getattr(exc, "orig", None) or exc)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if os.name != "posix":
        return True  # no cheap, harmless check; the note is removed when the writer ends
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class WriteGate:
    """How writers on one SQLite database take the write lock (shared by its connections)."""

    def __init__(self, note_path: Path | None, limit_s: float | None = None) -> None:
        self.note_path = note_path
        self.limit_s = DEFAULT_LIMIT_S if limit_s is None else limit_s
        self._listeners: list[Listener] = []
        self._lock = threading.Lock()

    # -- who hears about a wait ----------------------------------------------------
    def listen(self, listener: Listener) -> None:
        """Call ``listener(message)`` when a write starts waiting, and ``listener("")``
        when the wait is over (the lock was taken, or the writer gave up)."""
        with self._lock:
            self._listeners.append(listener)

    def unlisten(self, listener: Listener) -> None:
        with self._lock, suppress(ValueError):
            self._listeners.remove(listener)

    def _tell(self, message: str) -> None:
        with self._lock:
            listeners = list(self._listeners)
        for listener in listeners:
            try:
                listener(message)
            except Exception:  # a listener must never break a write
                log.exception("a write-wait listener failed")

    # -- the note a long writer leaves ---------------------------------------------
    def holder(self) -> Holder | None:
        """What the current lock holder announced, if it announced anything."""
        if self.note_path is None:
            return None
        try:
            data = json.loads(self.note_path.read_text(encoding="utf-8"))
            found = Holder(str(data["what"]), str(data.get("detail", "")), int(data["pid"]))
        except (OSError, ValueError, KeyError, TypeError):
            return None
        return found if _alive(found.pid) else None

    @contextmanager
    def announce(self, what: str, detail: str = "") -> Iterator[None]:
        """Leave a note saying what this writer is doing; call it while holding the lock."""
        if self.note_path is None:
            yield
            return
        token = uuid.uuid4().hex
        note = {"what": what, "detail": detail, "pid": os.getpid(), "token": token}
        temp = self.note_path.with_name(f"{self.note_path.name}.{token}")
        try:
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump(note, out)
            os.replace(temp, self.note_path)
        except OSError:
            log.warning("could not write %s; waiting writers will not see what this one does",
                        self.note_path, exc_info=True)
            temp.unlink(missing_ok=True)
        try:
            yield
        finally:
            self._remove_note(token)

    def _remove_note(self, token: str) -> None:
        assert self.note_path is not None
        try:
            current = json.loads(self.note_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return
        if isinstance(current, dict) and current.get("token") == token:  # not the next writer's
            self.note_path.unlink(missing_ok=True)

    # -- taking the lock -----------------------------------------------------------
    def waiting_message(self) -> str:
        holder = self.holder()
        if holder is not None:
            return f"waiting for {holder.describe()}…"
        return "waiting for another change to the database to finish…"

    def acquire(self, raw: Any, *, wait: bool = True) -> None:
        """``BEGIN IMMEDIATE`` on the DB-API connection ``raw``, waiting as described above.

        With ``wait=False`` (bookkeeping that a read brings along, which can be done
        later) a busy lock raises ``DatabaseBusy`` at once, and no one is told.
        """
        started = time.monotonic()
        try:
            if self._try(raw, QUIET_WAIT_MS):
                return
            if not wait:
                raise DatabaseBusy(f"The database is busy with {self._what()}; try again later.")
            shown = self.waiting_message()
            log.info("write waiting: %s", shown)
            self._tell(shown)
            try:
                while True:
                    left = self.limit_s - (time.monotonic() - started)
                    if left <= 0:
                        raise DatabaseBusy(self._gave_up_message(time.monotonic() - started))
                    if self._try(raw, int(min(SLICE_MS, left * 1000)) or 1):
                        log.info("write went ahead after waiting %.1f s", time.monotonic() - started)
                        return
                    message = self.waiting_message()
                    if message != shown:
                        shown = message
                        self._tell(shown)
            finally:
                self._tell("")
        finally:
            self._settle(raw)

    def _settle(self, raw: Any) -> None:
        """Once the lock is taken (or given up): the ordinary busy timeout again."""
        raw.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")

    def _try(self, raw: Any, timeout_ms: int) -> bool:
        """Take the lock within ``timeout_ms``; False if another writer still holds it."""
        raw.execute(f"PRAGMA busy_timeout={timeout_ms}")
        try:
            raw.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if _busy(exc):
                return False
            raise
        return True

    def _what(self) -> str:
        holder = self.holder()
        return holder.describe() if holder else "another change"

    def _gave_up_message(self, waited_s: float) -> str:
        what = self._what()
        waited = (count(round(waited_s / 60), "minute") if waited_s >= 90
                  else count(round(waited_s), "second"))
        return (
            f"The database is still busy with {what} after {waited}, so nothing was "
            "changed. Try again when it has finished."
        )
