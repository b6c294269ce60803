"""The dialog for a bug: a plain apology, and the details ready to copy."""

from __future__ import annotations

import traceback

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from smmod.logsetup import tail
from smmod.paths import resolve_paths


class ErrorDialog(QDialog):
    def __init__(self, exc: BaseException, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Something went wrong")
        self.resize(640, 420)
        log_file = resolve_paths().log_file
        message = QLabel(
            "<b>Something went wrong.</b><br>Your work up to the last saved step is safe. "
            "Please copy the details below and send them to your IT support.<br>"
            f"The full log is at <code>{log_file}</code>."
        )
        message.setWordWrap(True)
        # The traceback names code, never a secret: services never put secrets in messages.
        details = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
        self._details = QPlainTextEdit(details + "\n--- log ---\n" + tail(log_file, 8000))
        self._details.setReadOnly(True)
        self._details.setAccessibleName("Error details")
        copy = QPushButton("&Copy details")
        copy.clicked.connect(self._on_copy_clicked)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(copy, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(message)
        layout.addWidget(self._details, 1)
        layout.addWidget(buttons)

    def _on_copy_clicked(self) -> None:
        QGuiApplication.clipboard().setText(self._details.toPlainText())
