"""Every message box and question goes through here.

Tests monkeypatch this one module instead of clicking real modal boxes, and business
code never calls ``exec()`` on a dialog.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog, QLineEdit, QMessageBox, QWidget

from smmod.errors import SmmodError

log = logging.getLogger("smmod.ui")


def info(parent: QWidget | None, title: str, text: str) -> None:
    QMessageBox.information(parent, title, text)


def warning(parent: QWidget | None, title: str, text: str) -> None:
    QMessageBox.warning(parent, title, text)


def confirm(parent: QWidget | None, title: str, text: str, *, destructive: bool = False) -> bool:
    box = QMessageBox(QMessageBox.Icon.Warning if destructive else QMessageBox.Icon.Question,
                      title, text, QMessageBox.StandardButton.Yes
                      | QMessageBox.StandardButton.Cancel, parent)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel if destructive
                         else QMessageBox.StandardButton.Yes)
    return box.exec() == QMessageBox.StandardButton.Yes


def choose(parent: QWidget | None, title: str, text: str, choices: list[str]) -> int | None:
    """One of several ways on (button texts, the first is the default); None for Cancel."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.NoButton,
                      parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    buttons = [box.addButton(choice, QMessageBox.ButtonRole.AcceptRole) for choice in choices]
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(buttons[0] if buttons else cancel)
    box.setEscapeButton(cancel)
    box.exec()
    clicked = box.clickedButton()
    return next((n for n, b in enumerate(buttons) if b is clicked), None)


def ask_text(parent: QWidget | None, title: str, label: str, *, default: str = "",
             required: bool = True) -> str | None:
    """A line of text (a reason, a name); None when cancelled."""
    while True:
        text, ok = QInputDialog.getText(parent, title, label, QLineEdit.EchoMode.Normal, default)
        if not ok:
            return None
        if text.strip() or not required:
            return text.strip()
        warning(parent, title, "This cannot be empty.")


def show_error(parent: QWidget | None, exc: BaseException, *, title: str = "smmod") -> None:
    """A known error shows its message; a bug shows "something went wrong" + copy log."""
    if isinstance(exc, SmmodError):
        warning(parent, title, str(exc))
        return
    from smmod.store.identities import server_refusal

    refused = server_refusal(exc)  # a server's grants or triggers said no: not a bug
    if refused is not None:
        warning(parent, title, refused[0].upper() + refused[1:])
        return
    log.error("unexpected error", exc_info=exc)
    from smmod.ui.dialogs.error import ErrorDialog

    ErrorDialog(exc, parent).exec()
