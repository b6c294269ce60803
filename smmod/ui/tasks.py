"""Background work off the UI thread.

Database operations run one at a time on a single worker thread (SQLite has one writer
anyway); callbacks come back on the UI thread through a queued signal.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

log = logging.getLogger("smmod.ui.tasks")


def _alive(callback: Callable[..., None] | None) -> bool:
    """False when ``callback`` is a method of a widget or object Qt has already deleted
    (its window closed while the work ran): the answer then has nowhere to go."""
    owner = getattr(callback, "__self__", None)
    return not isinstance(owner, QObject) or shiboken6.isValid(owner)


class _Relay(QObject):
    finished = Signal(object, object)  # result, error


class _Job(QRunnable):
    def __init__(self, fn: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self._fn = fn
        self._relay = relay

    def run(self) -> None:  # QRunnable.run
        try:
            result = self._fn()
        except BaseException as exc:
            self._relay.finished.emit(None, exc)
        else:
            self._relay.finished.emit(result, None)


class TaskRunner(QObject):
    """Runs callables on one background thread; the callbacks run on the UI thread."""

    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._pending = 0
        self._relays: set[_Relay] = set()

    def run(self, fn: Callable[[], Any], on_success: Callable[[Any], None] | None = None,
            on_failure: Callable[[BaseException], None] | None = None) -> None:
        relay = _Relay()
        self._relays.add(relay)

        @Slot(object, object)
        def done(result: Any, error: BaseException | None) -> None:
            self._relays.discard(relay)
            self._pending -= 1
            if not self._pending:
                self.busy_changed.emit(False)
            if not (_alive(on_success) and _alive(on_failure)):
                log.debug("a background task finished after its window closed")
                return
            if error is not None:
                if on_failure is not None:
                    on_failure(error)
                else:
                    log.error("background task failed", exc_info=error)
            elif on_success is not None:
                on_success(result)

        relay.finished.connect(done)
        self._pending += 1
        if self._pending == 1:
            self.busy_changed.emit(True)
        self._pool.start(_Job(fn, relay))

    def wait(self, msecs: int = 30_000) -> bool:
        return self._pool.waitForDone(msecs)
