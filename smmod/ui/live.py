"""Other people's changes, shown as they commit (PostgreSQL's LISTEN/NOTIFY).

``LiveUpdates`` runs ``smmod.store.live.Listener`` and turns what it hears into Qt
signals on the GUI thread: ``changed(table, ids)`` once per table per short moment
(an import of a thousand rows is one refresh, not a thousand), and
``connection_changed(up)`` when the server goes away and comes back.
"""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from smmod.store.live import EVERYTHING, Change, Listener

#: How long changes are gathered before the views are told (well inside one second).
GATHER_MS = 100


class LiveUpdates(QObject):
    changed = Signal(str, list)  # table (EVERYTHING after a reconnect), ids ([]: any row)
    connection_changed = Signal(bool)  # False: the server went away; True: back
    _arrived = Signal()  # from the listener's thread: something is waiting in _pending
    _state = Signal(bool)

    def __init__(self, url: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._lock = threading.Lock()
        self._pending: dict[str, set[str] | None] = {}
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(GATHER_MS)
        self._timer.timeout.connect(self._flush)
        self._arrived.connect(self._on_arrived)
        self._state.connect(self.connection_changed)
        self._listener = Listener(url, self._heard, self._state.emit)

    def start(self) -> None:
        self._listener.start()

    def wait_listening(self, timeout: float = 5.0) -> bool:
        return self._listener.wait_listening(timeout)

    def stop(self) -> None:
        self._listener.stop()
        self._timer.stop()

    def _heard(self, change: Change) -> None:  # on the listener's thread
        with self._lock:
            if change.table == EVERYTHING:
                self._pending = {EVERYTHING: None}
            elif EVERYTHING not in self._pending:
                known = self._pending.get(change.table, set())
                if change.ids is None or (change.table in self._pending and known is None):
                    self._pending[change.table] = None
                else:
                    self._pending[change.table] = (known or set()) | set(change.ids)
        self._arrived.emit()

    @Slot()
    def _on_arrived(self) -> None:
        if not self._timer.isActive():
            self._timer.start()

    @Slot()
    def _flush(self) -> None:
        with self._lock:
            pending, self._pending = self._pending, {}
        for table, ids in pending.items():
            self.changed.emit(table, sorted(ids) if ids else [])
