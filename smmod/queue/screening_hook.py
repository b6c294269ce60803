"""The queue's screening hook: how items are screened on arrival without the queue
knowing who screens them.

Every way in (files, alert feeds, connectors, manual entry) stores items through the
queue's one ingest path (``smmod.queue.ingest``): parse → store → screen → notify, in
one transaction. Screening rules belong to the moderation package, which depends on
the queue, so the queue cannot import it (layers: the dependency points one way). The
moderation package registers its screener here at start-up instead
(``smmod.moderation.register_screening``, called by ``open_context`` for the app and
the command line, and by the tests' fixtures).

Arriving unscreened would break R8 and R9 silently, so an arrival with no screener
registered is a bug that stops the import (``NoScreening``), never a quiet skip.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from typing import Protocol

from sqlalchemy.orm import Session

from smmod.queue.parsers import ParsedItem


class Screening(Protocol):
    """What the queue asks of a screener. ``prepare`` is called once per import and its
    result handed back with each chunk (compiled rules are reused)."""

    def prepare(self, session: Session) -> object: ...

    def screen_parsed(
        self, session: Session, account_id: int, items: Sequence[ParsedItem], prepared: object
    ) -> int: ...

    def screen_items(self, session: Session, item_ids: Iterable[int]) -> int: ...


class NoScreening(RuntimeError):
    def __init__(self) -> None:
        super().__init__(
            "no screening is registered: call smmod.moderation.register_screening() at start-up "
            "(items must be screened as they arrive, R8)"
        )


_lock = threading.Lock()
_screening: Screening | None = None


def register(screening: Screening) -> None:
    """Screen every arrival with ``screening`` from now on (registering it again is harmless)."""
    global _screening
    with _lock:
        _screening = screening


def unregister(screening: Screening) -> None:
    """Take ``screening`` away again, if it is the one registered."""
    global _screening
    with _lock:
        if _screening is screening:
            _screening = None


def current() -> Screening:
    found = _screening
    if found is None:
        raise NoScreening()
    return found


def registered() -> Screening | None:
    return _screening
