"""The image check runs on its own thread, so the UI stays responsive and can cancel it.

It does not go through the page's TaskRunner: a folder of photos takes many seconds,
and the runner's single thread must stay free for quick work (confirming a face,
loading reference photos) meanwhile. The check itself fans out to a process pool.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QObject, QThread, Signal

from smmod.dnp import CheckRecord, ImageService
from smmod.dnp.carry import file_identity
from smmod.dnp.folder_export import FolderExport, export_to_folder
from smmod.dnp.records import expand_paths
from smmod.identity import Actor
from smmod.images import FileError


@dataclass
class BatchOutcome:
    """What one batch gave: the new checks, and the files already in the list (left alone)."""

    outcomes: list[CheckRecord | FileError]
    already: list[str] = field(default_factory=list)  # resolved paths
    recheck: bool = False  # checked again for a new caption, not added


class CheckJob(QThread):
    """One batch: ``progressed(done, total)`` while it runs, then exactly one of
    ``succeeded(BatchOutcome)`` or ``failed(exception)``.

    Files in ``known`` (resolved path → SHA-256: the list's files) with the same path or
    the same content are not checked again but reported as already there; ``recheck``
    checks every path as given (the caption changed).
    """

    progressed = Signal(int, int)
    succeeded = Signal(object)  # BatchOutcome
    failed = Signal(object)  # BaseException

    def __init__(
        self,
        service: ImageService,
        actor: Actor,
        paths: Sequence[Path],
        *,
        caption: str | None = None,
        workers: int | None = None,
        known: Mapping[str, str] | None = None,
        recheck: bool = False,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._known = dict(known or {})
        self.recheck = recheck
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
            todo, already = self._paths, list[str]()
            if self._known:
                todo, already = self._split(expand_paths(self._paths))
            outcomes = self._service.check(
                self._actor,
                todo,
                caption=self._caption,
                workers=self._workers,
                progress=self._on_progress,
                cancel=self._cancel,
            ) if todo else []
        except BaseException as exc:  # reported on the UI thread, never lost
            self.failed.emit(exc)
        else:
            self.succeeded.emit(BatchOutcome(outcomes, already, self.recheck))

    def _split(self, files: list[Path]) -> tuple[list[Path], list[str]]:
        """(files to check, resolved paths of list rows these files already are)."""
        by_content = {sha: path for path, sha in self._known.items()}
        todo: list[Path] = []
        already: list[str] = []
        for file in files:
            identity = file_identity(file)
            if identity is None:
                todo.append(file)  # the check reports why it cannot be read
            elif self._known.get(identity[0]) == identity[1]:
                already.append(identity[0])
            elif identity[0] not in self._known and identity[1] in by_content:
                already.append(by_content[identity[1]])
            else:
                todo.append(file)  # new, or changed since: checked again
        return todo, already

    def _on_progress(self, done: int, total: int) -> None:
        self.progressed.emit(done, total)


class ExportJob(QThread):
    """Export several checked images into a folder: ``progressed(done, total)``, then
    ``succeeded(FolderExport)`` or ``failed(exception)``."""

    progressed = Signal(int, int)
    succeeded = Signal(object)  # FolderExport
    failed = Signal(object)

    def __init__(
        self,
        service: ImageService,
        actor: Actor,
        records: Sequence[CheckRecord],
        folder: Path,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._actor = actor
        self._records = list(records)
        self._folder = folder
        self._cancel = threading.Event()

    def cancel(self) -> None:
        self._cancel.set()

    def run(self) -> None:  # QThread.run
        try:
            result: FolderExport = export_to_folder(
                self._service, self._actor, self._records, self._folder,
                progress=self.progressed.emit, cancel=self._cancel,
            )
        except BaseException as exc:  # reported on the UI thread, never lost
            self.failed.emit(exc)
        else:
            self.succeeded.emit(result)
