"""The queue page's "Waiting to be sent (N)": shown only while the outbox holds something."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QPushButton, QWidget

from smmod.connectors.outbox import OutboxInfo
from smmod.context import AppContext
from smmod.ui.tasks import TaskRunner

log = logging.getLogger("smmod.ui.queue")


class OutboxIndicator(QPushButton):
    loaded = Signal(int)  # how many wait

    def __init__(self, ctx: AppContext, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("outbox_indicator")
        self.setAutoDefault(False)
        self.setStyleSheet("color: #8a5a00;")
        self._ctx = ctx
        self._runner = runner
        self.dialog: QWidget | None = None
        self.clicked.connect(self._on_clicked)
        self.show_count(0)

    def show_count(self, count: int) -> None:
        self.setText(f"Waiting to be sent ({count})")
        self.setToolTip("Actions asked of a platform that it has not confirmed yet")
        self.setVisible(count > 0)
        self.loaded.emit(count)

    @Slot()
    def reload(self) -> None:
        outbox = self._ctx.connectors.outbox
        self._runner.run(outbox.list, self._on_listed, self._on_failed)

    def _on_failed(self, exc: BaseException) -> None:
        log.error("reading the outbox failed", exc_info=exc)

    def _on_listed(self, entries: Sequence[OutboxInfo]) -> None:
        self.show_count(len(entries))

    @Slot()
    def _on_clicked(self) -> None:
        from smmod.ui.moderation.outbox_dialog import OutboxDialog

        dialog = OutboxDialog(self._ctx, self._runner, self.window())
        dialog.changed.connect(self.reload)
        self.dialog = dialog
        dialog.open()
        dialog.reload()
