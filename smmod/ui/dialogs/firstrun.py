"""First run: create the first person (SLT + administrator) for this OS login."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from smmod.errors import SmmodError
from smmod.staff import StaffService
from smmod.staff.service import StaffInput
from smmod.ui import msgbox


class FirstRunDialog(QDialog):
    def __init__(self, staff: StaffService, username: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._staff = staff
        self._username = username
        self.setWindowTitle("Welcome to smmod")
        intro = QLabel(
            "<h3>Set up smmod</h3><p>smmod keeps this school's social media register, "
            "moderation queue and passwords. You will be the first person in it, with the "
            "<b>SLT</b> and <b>administrator</b> roles, so you can add everyone else.</p>"
            f"<p>You are signed in to this computer as <b>{username}</b>; smmod will "
            "recognise you by that login from now on.</p>"
        )
        intro.setWordWrap(True)
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("firstrun_name")
        self.name_edit.setAccessibleName("Your full name")
        self.email_edit = QLineEdit()
        self.email_edit.setObjectName("firstrun_email")
        self.email_edit.setAccessibleName("Your email")
        form = QFormLayout()
        form.addRow("Your full &name:", self.name_edit)
        form.addRow("&Email (optional):", self.email_edit)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Create")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.resize(480, 300)

    def accept(self) -> None:  # QDialog.accept
        try:
            self._staff.create_first(StaffInput(
                name=self.name_edit.text(), username=self._username, roles=frozenset(),
                email=self.email_edit.text() or None))
        except SmmodError as exc:
            msgbox.warning(self, "Set up smmod", str(exc))
            return
        super().accept()
