"""Live changes on PostgreSQL: LISTEN for what other people's copies of smmod commit.

Migration 0018 adds statement-level triggers that ``pg_notify('smmod', …)`` the table,
the kind of change and the ids of up to 100 rows; PostgreSQL delivers a notification
when, and only if, its transaction commits. ``Listener`` holds one extra connection in
a thread of its own, hands each notification to ``on_change`` and, when the server goes
away, says so through ``on_state(False)``, tries again every second or so, and on
coming back says ``on_state(True)`` followed by a ``Change`` of every table
(``EVERYTHING``): whatever was committed meanwhile was not heard.

SQLite has no such channel; the app keeps polling it. Nothing here imports Qt.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import psycopg
from sqlalchemy.engine import make_url

log = logging.getLogger("smmod.store.live")

CHANNEL = "smmod"
#: The ``table`` of a Change that means "anything may have changed" (after reconnecting).
EVERYTHING = "*"
RETRY_SECONDS = (0.2, 0.5, 1.0, 1.0, 2.0)


@dataclass(frozen=True)
class Change:
    """One committed statement: ``ids`` None means many rows, or unknown."""

    table: str
    kind: str
    ids: tuple[str, ...] | None
    by: str = ""

    @classmethod
    def from_payload(cls, payload: str) -> Change | None:
        try:
            data = json.loads(payload)
            ids = data.get("ids")
            return cls(str(data["table"]), str(data.get("kind", "")),
                       None if ids is None else tuple(str(i) for i in ids), str(data.get("by", "")))
        except (ValueError, KeyError, TypeError, AttributeError):
            log.warning("ignoring a notification smmod did not send: %.80s", payload)
            return None


def connection_arguments(url: str) -> dict[str, Any]:
    """psycopg's keyword arguments for a SQLAlchemy ``postgresql[+psycopg]://`` URL."""
    parsed = make_url(url)
    args: dict[str, Any] = {"host": parsed.host, "port": parsed.port, "user": parsed.username,
                            "password": parsed.password, "dbname": parsed.database,
                            "connect_timeout": 3}
    args.update({k: v for k, v in parsed.query.items() if isinstance(v, str)})
    return {k: v for k, v in args.items() if v is not None}


class Listener:
    """LISTEN on the server in a daemon thread until ``stop``."""

    def __init__(self, url: str, on_change: Callable[[Change], None],
                 on_state: Callable[[bool], None] = lambda _up: None) -> None:
        self._args = connection_arguments(url)
        self._on_change = on_change
        self._on_state = on_state
        self._stopping = threading.Event()
        self._listening = threading.Event()
        self._thread = threading.Thread(target=self._run, name="smmod-live", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def wait_listening(self, timeout: float) -> bool:
        """True once LISTEN is in place (what a change made after this is sure to reach)."""
        return self._listening.wait(timeout)

    def stop(self, timeout: float = 5.0) -> None:
        self._stopping.set()
        if self._thread.is_alive():
            self._thread.join(timeout)

    def _run(self) -> None:
        up = True  # the app opened its database a moment ago
        attempt = 0
        while not self._stopping.is_set():
            try:
                with psycopg.connect(autocommit=True, **self._args) as conn:
                    conn.execute(f"LISTEN {CHANNEL}")
                    self._listening.set()
                    attempt = 0
                    if not up:
                        up = True
                        self._on_state(True)
                        self._on_change(Change(EVERYTHING, "reconnected", None))
                    while not self._stopping.is_set():
                        for notify in conn.notifies(timeout=0.25):
                            change = Change.from_payload(notify.payload)
                            if change is not None:
                                self._on_change(change)
            except psycopg.Error as exc:
                self._listening.clear()
                if self._stopping.is_set():
                    break
                if up:
                    up = False
                    log.warning("lost the database server's notifications: %s", exc)
                    self._on_state(False)
                self._stopping.wait(RETRY_SECONDS[min(attempt, len(RETRY_SECONDS) - 1)])
                attempt += 1
