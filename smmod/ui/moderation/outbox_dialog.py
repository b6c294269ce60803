"""The outbox, for a moderator: actions asked of a platform that are not done yet.

Each pending or failed entry is listed with its last error; Retry sends it again now,
Cancel (after asking why) drops it so nothing more is sent. Both run in the background.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from smmod.connectors.outbox import OutboxInfo
from smmod.context import AppContext
from smmod.ui import msgbox
from smmod.ui.tasks import TaskRunner

_KINDS = {"report_to_platform": "report"}


def describe(entry: OutboxInfo) -> str:
    kind = _KINDS.get(entry.kind, entry.kind)
    state = "failed" if entry.status == "failed" else "waiting"
    where = f"{kind} on item #{entry.item_id} ({entry.account})"
    return f"#{entry.id}  {where} — {state}: {entry.last_error or ''}"


class OutboxDialog(QDialog):
    changed = Signal()  # an entry was retried or cancelled

    def __init__(self, ctx: AppContext, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("outbox_dialog")
        self.setWindowTitle("Waiting to be sent")
        self.setMinimumWidth(560)
        self._ctx = ctx
        self._runner = runner
        self.entries = QListWidget()
        self.entries.setObjectName("outbox_entries")
        self.result_label = QLabel()
        self.result_label.setWordWrap(True)
        self.retry_button = QPushButton("Retry")
        self.retry_button.setObjectName("outbox_retry")
        self.cancel_button = QPushButton("Cancel action…")
        self.cancel_button.setObjectName("outbox_cancel")
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        row = QHBoxLayout()
        row.addWidget(self.retry_button)
        row.addWidget(self.cancel_button)
        row.addStretch(1)
        row.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Actions asked of a platform that it has not confirmed yet:"))
        layout.addWidget(self.entries)
        layout.addWidget(self.result_label)
        layout.addLayout(row)
        close.rejected.connect(self.reject)
        self.retry_button.clicked.connect(self._on_retry_clicked)
        self.cancel_button.clicked.connect(self._on_cancel_clicked)
        self.entries.currentRowChanged.connect(lambda _row: self._enable())
        self.show_entries(())

    def show_entries(self, entries: Sequence[OutboxInfo]) -> None:
        self.entries.clear()
        for entry in entries:
            line = QListWidgetItem(describe(entry))
            line.setData(256, entry.id)  # Qt.UserRole
            self.entries.addItem(line)
        if entries:
            self.entries.setCurrentRow(0)
        self._enable()

    def reload(self) -> None:
        outbox = self._ctx.connectors.outbox
        self._runner.run(outbox.list, self.show_entries, self._failed)

    def selected_id(self) -> int | None:
        item = self.entries.currentItem()
        return int(item.data(256)) if item is not None else None

    def _enable(self) -> None:
        chosen = self.selected_id() is not None
        self.retry_button.setEnabled(chosen)
        self.cancel_button.setEnabled(chosen)

    @Slot()
    def _on_retry_clicked(self) -> None:
        entry_id = self.selected_id()
        if entry_id is None:
            return
        actor, outbox = self._ctx.actor, self._ctx.connectors.outbox

        def done(entry: OutboxInfo) -> None:
            if entry.done:
                self.result_label.setText(f"#{entry.id} done on the platform ({entry.platform_ref}).")
            else:
                self.result_label.setText(f"#{entry.id} not done yet: {entry.last_error}")
            self._after_change()

        self._runner.run(lambda: outbox.retry(actor, entry_id), done, self._failed)

    @Slot()
    def _on_cancel_clicked(self) -> None:
        entry_id = self.selected_id()
        if entry_id is None:
            return
        reason = msgbox.ask_text(
            self,
            "Cancel action",
            f"Cancel outbox #{entry_id}? Nothing more will be sent for it. Why?",
        )
        if not reason:
            return
        actor, outbox = self._ctx.actor, self._ctx.connectors.outbox

        def done(entry: OutboxInfo) -> None:
            self.result_label.setText(f"#{entry.id} cancelled; nothing more will be sent for it.")
            self._after_change()

        self._runner.run(lambda: outbox.cancel(actor, entry_id, reason), done, self._failed)

    def _after_change(self) -> None:
        self.changed.emit()
        self.reload()

    def _failed(self, exc: BaseException) -> None:
        msgbox.show_error(self, exc, title="Waiting to be sent")
