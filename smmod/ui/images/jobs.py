"""The image check runs on its own thread, so the UI stays responsive and can cancel it.

It does not go through the page's TaskRunner: a folder of photos takes many seconds,
and the runner's single thread must stay free for quick work (confirming a face,
loading reference photos) meanwhile. The check itself fans out to a process pool.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QObject, QThread, Signal

from smmod.dnp import ImageService
from smmod.identity import Actor


class CheckJob(QThread):
    """One batch: ``progressed(done, total)`` while it runs, then exactly one of
    ``succeeded(outcomes)`` or ``failed(exception)``."""

    progressed = Signal(int, int)
    succeeded = Signal(object)  # list[CheckRecord | FileError]
    failed = Signal(object)  # BaseException

    def __init__(
        self,
        service: ImageService,
        actor: Actor,
        paths: Sequence[Path],
        *,
        caption: str | None = None,
        workers: int | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._actor = actor
        self._paths = list(paths)
        self._caption = caption
        self._workers = workers
        self._cancel = threading.Event()

    @property
    def paths(self) -> list[Path]:
        return list(self._paths)

    def cancel(self) -> None:
        """Start no new file; the files already being checked finish first."""
        self._cancel.set()

    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def run(self) -> None:  # QThread.run
        try:
            outcomes = self._service.check(
                self._actor,
                self._paths,
                caption=self._caption,
                workers=self._workers,
                progress=self._on_progress,
                cancel=self._cancel,
            )
        except BaseException as exc:  # reported on the UI thread, never lost
            self.failed.emit(exc)
        else:
            self.succeeded.emit(outcomes)

    def _on_progress(self, done: int, total: int) -> None:
        self.progressed.emit(done, total)
