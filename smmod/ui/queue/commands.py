"""The writes the Queue page asks for, run on the task runner, answered by signals.

Claims and acknowledgements of several selected items are one transaction each (the
service's ``claim_many`` and ``acknowledge_many``). A conflict (the item was changed
elsewhere) comes back as ``conflicted`` so the page can offer to reload.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QObject, Signal

from smmod.errors import ConflictError
from smmod.identity import Actor
from smmod.queue.records import QueueRow
from smmod.queue.service import QueueService
from smmod.ui.tasks import TaskRunner
from smmod.wording import count


class QueueCommands(QObject):
    changed = Signal(str, list)  # what was done, for the status line; the item ids
    conflicted = Signal(str)
    failed = Signal(object)  # an exception for msgbox.show_error
    feeds_polled = Signal(list)  # list[FeedPollResult]

    def __init__(
        self,
        queue: QueueService,
        actor: Callable[[], Actor],
        runner: TaskRunner,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._queue = queue
        self._actor = actor
        self._runner = runner

    def claim(self, rows: Sequence[QueueRow]) -> None:
        actor, queue = self._actor(), self._queue
        pairs = [(r.id, r.version_id) for r in rows]
        self._run(lambda: queue.claim_many(actor, pairs), f"Claimed {_which(rows)}.", rows)

    def release(self, rows: Sequence[QueueRow]) -> None:
        actor, queue = self._actor(), self._queue
        mine = [r for r in rows if r.claimed_by == actor.staff_id]

        def work() -> None:
            for r in mine:
                queue.release(actor, r.id, r.version_id)

        if mine:
            self._run(work, f"Released your claim on {_which(mine)}.", mine)

    def poll_feeds(self, *, due_only: bool) -> None:
        actor, feeds = self._actor(), self._queue.feeds
        work = (lambda: feeds.poll_due(actor)) if due_only else (lambda: feeds.poll_all(actor))
        self._runner.run(work, self.feeds_polled.emit, self.failed.emit)

    def _run(self, work: Callable[[], Any], done: str, rows: Sequence[QueueRow]) -> None:
        if not rows:
            return
        ids = [r.id for r in rows]

        def fail(exc: BaseException) -> None:
            if isinstance(exc, ConflictError):
                self.conflicted.emit(str(exc))
            else:
                self.failed.emit(exc)

        self._runner.run(work, lambda _result: self.changed.emit(done, ids), fail)


def _which(rows: Sequence[QueueRow]) -> str:
    """"#12" for one item, "3 items" for several."""
    return f"#{rows[0].id}" if len(rows) == 1 else count(len(rows), "item")


def feeds_text(results: Sequence[Any]) -> str:
    """What a check of the alert feeds found, for the status line."""
    if not results:
        return "No alert feeds to check: add or turn one on in Feeds…"
    new = sum(r.imported for r in results)
    text = f"Feeds checked: {count(new, 'new item', zero='no new items')}"
    skipped = sum(r.skipped_entries for r in results if r.ok)
    if skipped:
        text += f"; {count(skipped, 'entry', 'entries')} skipped (see Alert feeds)"
    failed = [r for r in results if not r.ok]
    if failed:
        text += ". Failed: " + "; ".join(f"{r.name} ({r.error})" for r in failed)
    return text + "."
