"""Parts every form dialog has: the line that says what is wrong, and Save / Cancel."""

from __future__ import annotations

from PySide6.QtWidgets import QDialogButtonBox, QLabel, QPushButton

ERROR_STYLE = "color: #a0281e;"


def error_label() -> QLabel:
    """Hidden until a save is refused; then it says why, next to the form."""
    label = QLabel()
    label.setObjectName("form_error")
    label.setAccessibleName("Problem with the form")
    label.setStyleSheet(ERROR_STYLE)
    label.setWordWrap(True)
    label.hide()
    return label


def save_cancel(save_text: str) -> tuple[QDialogButtonBox, QPushButton]:
    """Save (named ``save_text``) and Cancel; the box and its Save button."""
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                               | QDialogButtonBox.StandardButton.Cancel)
    save = buttons.button(QDialogButtonBox.StandardButton.Save)
    save.setText(save_text)
    save.setAccessibleName(save_text.replace("&", ""))
    return buttons, save
