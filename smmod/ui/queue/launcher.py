"""Opening the Queue page's dialogs: import, add by hand, feeds, and the shortcuts overlay.

Dialogs are opened window-modal with ``open()``, never ``exec()``, so the event loop
(and the tests) keep running; ``accepted`` tells the page to catch up.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWidgets import QDialog, QWidget

from smmod.context import AppContext
from smmod.queue.records import QueueRow
from smmod.ui.tasks import TaskRunner


class DialogLauncher(QObject):
    accepted = Signal()

    def __init__(self, ctx: AppContext, runner: TaskRunner, page: QWidget) -> None:
        super().__init__(page)
        self._ctx = ctx
        self._runner = runner
        self._page = page
        self.dialog: QDialog | None = None  # the one open now (for tests)
        self.overlay: QDialog | None = None

    def open_import(self) -> None:
        from smmod.ui.queue.import_dialog import ImportDialog

        self._open(ImportDialog(self._ctx, self._runner, self._page))

    def open_manual(self, reply_to: QueueRow | None) -> None:
        from smmod.ui.queue.manual_dialog import ManualEntryDialog

        self._open(ManualEntryDialog(self._ctx, self._runner, reply_to, self._page))

    def open_feeds(self) -> None:
        from smmod.ui.queue.feeds_dialog import FeedsDialog

        self._open(FeedsDialog(self._ctx, self._runner, self._page))

    def open_shortcuts(self, rows: list[tuple[str, str]]) -> None:
        from smmod.ui.dialogs.shortcuts import ShortcutsDialog

        self.overlay = ShortcutsDialog([], rows, self._page)
        self.overlay.setObjectName("queue_shortcuts_overlay")
        self.overlay.setWindowTitle("Queue shortcuts")
        self.overlay.open()

    def _open(self, dialog: QDialog) -> None:
        self.dialog = dialog
        dialog.finished.connect(self._on_dialog_finished)
        dialog.open()

    @Slot(int)
    def _on_dialog_finished(self, result: int) -> None:
        if result == QDialog.DialogCode.Accepted:
            self.accepted.emit()
