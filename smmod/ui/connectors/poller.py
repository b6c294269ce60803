"""While the app runs, every connected account is synced on a schedule.

A QTimer (``connectors.poll_minutes``, read again at each round so a change in the
settings applies at the next one) starts a round: the connected accounts are listed,
then each is synced on a background thread of its own (``net``), one account at a time
and never twice at once: an account still syncing is skipped, and so is a round while
the last one is still listing. Results come back as signals for the window: new items
(the queue refreshes) and failures (the status bar; For you lists failing connections).
"""

from __future__ import annotations

import logging
from functools import partial

from PySide6.QtCore import QObject, QTimer, Signal

from smmod.connectors.sync import SyncResult
from smmod.context import AppContext
from smmod.errors import PermissionDenied
from smmod.ui.tasks import TaskRunner

log = logging.getLogger("smmod.ui.connectors")
MINUTE_MS = 60_000


class Poller(QObject):
    synced = Signal(object)  # SyncResult, after each account's round
    new_items = Signal(int)  # how many came in, when any did
    failed = Signal(str)  # "account: why", for the status bar
    round_finished = Signal()  # every account of the round is done

    def __init__(self, ctx: AppContext, net: TaskRunner | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.net = net or TaskRunner(self)
        self.timer = QTimer(self)
        self.timer.setObjectName("connector_poll_timer")
        self.timer.timeout.connect(self.tick)
        self.in_flight: set[int] = set()
        self.listing = False
        self._apply_interval()

    def _apply_interval(self) -> None:
        minutes = int(self._ctx.settings.get("connectors.poll_minutes"))
        self.timer.setInterval(minutes * MINUTE_MS)

    def start(self) -> None:
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def tick(self) -> None:
        """One round (the timer calls it; so can a test)."""
        self._apply_interval()
        actor = self._ctx.actor
        if self.listing or not actor.known:  # a read-only person: nothing may be written
            return
        self.listing = True
        connections = self._ctx.connectors.connections
        self.net.run(lambda: [c.account_id for c in connections.all()], self._on_listed, self._on_list_failed)

    def _on_listed(self, ids: list[int]) -> None:
        self.listing = False
        todo = [i for i in ids if i not in self.in_flight]
        if not todo:
            self.round_finished.emit()
            return
        sync, actor = self._ctx.connectors.sync, self._ctx.actor
        left = set(todo)
        for account_id in todo:
            self.in_flight.add(account_id)

            def done(results: list[SyncResult], account_id: int = account_id) -> None:
                self._finish(account_id, left)
                for result in results:
                    self.synced.emit(result)
                    if not result.ok:
                        self.failed.emit(f"{result.display}: {result.error}")
                    elif result.imported:
                        self.new_items.emit(result.imported)

            def failed(error: BaseException, account_id: int = account_id) -> None:
                self._finish(account_id, left)
                if isinstance(error, PermissionDenied):  # not this person's account to sync
                    log.info("not polling account %d: %s", account_id, error)
                    return
                log.warning("polling account %d failed: %s", account_id, error)
                self.failed.emit(str(error))

            self.net.run(partial(sync.sync, actor, account_id), done, failed)

    def _finish(self, account_id: int, left: set[int]) -> None:
        self.in_flight.discard(account_id)
        left.discard(account_id)
        if not left:
            self.round_finished.emit()

    def _on_list_failed(self, error: BaseException) -> None:
        self.listing = False
        log.warning("could not list the connected accounts: %s", error)
        self.failed.emit(str(error))
        self.round_finished.emit()

    def wait(self, msecs: int = 30_000) -> bool:
        return self.net.wait(msecs)
