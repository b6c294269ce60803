"""Dialogs that take typing safely: focus where the typing goes, and Escape that asks.

A moderator opens "Hide" from the queue and starts typing the reason at once. Every
key must land in the form: the dialog opens with the focus in the first field a person
types in (never on a button, where a space would press it and the rest of the sentence
would fall through to the queue's single-key commands), and an Escape pressed half-way
through a sentence does not throw the sentence away: the first one says what a second
one would do, and typing goes on in the same field.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QDialog, QLabel, QLineEdit, QPlainTextEdit, QTextEdit, QWidget

ESCAPE_AGAIN = "Press Esc again to close without saving what you typed."

_TextField = QLineEdit | QPlainTextEdit | QTextEdit


def _text(field: QWidget) -> str:
    if isinstance(field, QLineEdit):
        return field.text()
    if isinstance(field, QPlainTextEdit | QTextEdit):
        return field.toPlainText()
    return ""


class TypingGuard(QObject):
    """Installed on a dialog: focuses ``first`` when it opens and guards Escape.

    ``note`` is a label in the dialog where the Escape warning is shown.
    """

    def __init__(self, dialog: QDialog, first: QWidget, note: QLabel) -> None:
        super().__init__(dialog)
        self._dialog = dialog
        self._first = first
        self._note = note
        self._armed = False
        self._initial: dict[QWidget, str] = {}
        note.setTextFormat(Qt.TextFormat.PlainText)
        note.setWordWrap(True)
        note.hide()
        first.setFocus(Qt.FocusReason.OtherFocusReason)  # kept when the dialog is shown
        for field in self._fields():
            if isinstance(field, _TextField):
                field.textChanged.connect(self._disarm)
        dialog.installEventFilter(self)

    @property
    def armed(self) -> bool:
        """True after one Escape on a form with typing in it."""
        return self._armed

    def typed(self) -> bool:
        """Whether any text field differs from what it held when the dialog opened."""
        return any(_text(f) != self._initial.get(f, "") for f in self._fields())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # QObject.eventFilter
        if watched is not self._dialog:
            return False
        if event.type() == QEvent.Type.Show:
            self._initial = {f: _text(f) for f in self._fields()}
            self._disarm()
            self._first.setFocus(Qt.FocusReason.OtherFocusReason)
        elif (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Escape
            and event.modifiers() == Qt.KeyboardModifier.NoModifier
            and not self._armed
            and self.typed()
        ):
            self._armed = True
            self._note.setText(ESCAPE_AGAIN)
            self._note.show()
            event.accept()
            return True
        return False

    def _fields(self) -> list[QWidget]:
        found: list[QWidget] = [
            w for w in self._dialog.findChildren(QWidget) if isinstance(w, _TextField) and not w.isReadOnly()
        ]
        return found

    def _disarm(self) -> None:
        if self._armed or self._note.isVisible():
            self._armed = False
            self._note.hide()
            self._note.clear()
