"""Adding an item by hand: a comment that arrived by phone, email or a screenshot."""

from __future__ import annotations

from datetime import datetime
from typing import cast
from zoneinfo import ZoneInfo

from PySide6.QtCore import QDate, QDateTime, QTime, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from smmod.context import AppContext
from smmod.errors import SmmodError
from smmod.queue.records import ManualItem, QueueRow
from smmod.sla import localise
from smmod.store.models.queue import AUTHOR_KINDS, ITEM_KINDS
from smmod.ui import msgbox
from smmod.ui.tasks import TaskRunner


class ManualEntryDialog(QDialog):
    added = Signal(int)

    def __init__(
        self,
        ctx: AppContext,
        runner: TaskRunner,
        reply_to: QueueRow | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._runner = runner
        self._reply_to = reply_to
        self.item_id: int | None = None
        self.setWindowTitle("Add an item by hand")
        self.setObjectName("queue_manual_dialog")
        self.resize(520, 480)
        self.account = QComboBox()
        self.account.setObjectName("manual_account")
        self.account.setAccessibleName("Account")
        for ref in ctx.queue.read.accounts():
            self.account.addItem(ref.label, ref.id)
        self.author_name = QLineEdit()
        self.author_name.setObjectName("manual_author_name")
        self.author_handle = QLineEdit()
        self.author_handle.setObjectName("manual_author_handle")
        self.author_kind = QComboBox()
        self.author_kind.setObjectName("manual_author_kind")
        self.author_kind.addItems(list(AUTHOR_KINDS))
        self.author_kind.setCurrentText("unknown")
        self.kind = QComboBox()
        self.kind.setObjectName("manual_kind")
        self.kind.addItems(list(ITEM_KINDS))
        local_now = ctx.clock.now().astimezone(ZoneInfo(ctx.calendar().tz))
        self.received = QDateTimeEdit(QDateTime(
            QDate(local_now.year, local_now.month, local_now.day),
            QTime(local_now.hour, local_now.minute)))
        self.received.setObjectName("manual_received")
        self.received.setDisplayFormat("dd/MM/yyyy HH:mm")
        self.received.setCalendarPopup(True)
        self.reply = QCheckBox()
        self.reply.setObjectName("manual_reply")
        self.text = QPlainTextEdit()
        self.text.setObjectName("manual_text")
        self.text.setPlaceholderText("Paste the comment here")
        self.error = QLabel()
        self.error.setObjectName("manual_error")
        self.error.setStyleSheet("color: #9e1616;")
        self.error.setWordWrap(True)
        form = QFormLayout()
        form.addRow("&Account:", self.account)
        form.addRow("Author &name:", self.author_name)
        form.addRow("Author &handle:", self.author_handle)
        form.addRow("Author &is:", self.author_kind)
        form.addRow("&Kind:", self.kind)
        zone = ctx.calendar().tz
        form.addRow(f"&Received ({zone} time):", self.received)
        if reply_to is not None:
            self.reply.setText(f"Reply to {reply_to.author_name}: {reply_to.excerpt[:50]}")
            form.addRow("Thread:", self.reply)
        form.addRow("&Text:", self.text)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self._on_save_clicked)
        self.buttons.rejected.connect(self.reject)

    def entry(self) -> ManualItem:
        naive = cast(datetime, self.received.dateTime().toPython())
        received = localise(naive.replace(tzinfo=None, microsecond=0), self._ctx.calendar())
        reply = self._reply_to if self.reply.isChecked() else None
        kind = self.kind.currentText()
        if reply is not None and kind == "comment":
            kind = "reply"
        return ManualItem(
            account_id=int(self.account.currentData() or 0),
            author_name=self.author_name.text(),
            text=self.text.toPlainText(),
            received_at=received,
            kind=kind,
            author_handle=self.author_handle.text() or None,
            author_kind=self.author_kind.currentText(),
            parent_id=reply.id if reply is not None else None,
        )

    @Slot()
    def _on_save_clicked(self) -> None:
        try:
            entry = self.entry()
        except SmmodError as exc:
            self.error.setText(str(exc))
            return
        queue, actor = self._ctx.queue, self._ctx.actor
        self.setEnabled(False)
        self._runner.run(lambda: queue.add_manual(actor, entry), self._on_saved, self._on_failed)

    def _on_saved(self, item_id: int) -> None:
        self.setEnabled(True)
        self.item_id = item_id
        self.added.emit(item_id)
        self.accept()

    def _on_failed(self, exc: BaseException) -> None:
        self.setEnabled(True)
        if isinstance(exc, SmmodError):
            self.error.setText(str(exc))
        else:
            msgbox.show_error(self, exc, title="Add an item")
