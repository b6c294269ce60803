"""First run: the school's name and the first person (SLT + administrator) for this login."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

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
from smmod.staff.service import StaffInput
from smmod.ui import msgbox
from smmod.ui.staff.widgets import OptionalDateEdit, to_qdate

if TYPE_CHECKING:
    from smmod.context import AppContext

_TITLE = "Set up smmod"


class FirstRunDialog(QDialog):
    """Asks for what smmod cannot guess: the school's name and who you are."""

    def __init__(self, ctx: AppContext, username: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._username = username
        self.setWindowTitle("Welcome to smmod")
        intro = QLabel(
            "<h3>Set up smmod</h3><p>smmod keeps this school's social media register, "
            "moderation queue and passwords. You will be the first person in it, with the "
            "<b>SLT</b> and <b>administrator</b> roles, so you can add everyone else.</p>"
            f"<p>You are signed in to this computer as <b>{escape(username)}</b>; smmod will "
            "recognise you by that login from now on.</p>"
        )
        intro.setWordWrap(True)
        self.school_edit = QLineEdit()
        self.school_edit.setObjectName("firstrun_school")
        self.school_edit.setAccessibleName("The school's name")
        self.school_edit.setPlaceholderText("as parents know it, e.g. Oakfield Academy")
        school_hint = QLabel("Used in replies, audience notices and reports.")
        school_hint.setStyleSheet("color: palette(placeholder-text);")
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("firstrun_name")
        self.name_edit.setAccessibleName("Your full name")
        self.email_edit = QLineEdit()
        self.email_edit.setObjectName("firstrun_email")
        self.email_edit.setAccessibleName("Your email")
        today = ctx.clock.today
        self.policy_date = OptionalDateEdit("Read on", "The day you read the social media policy",
                                            today=today)
        self.trained_date = OptionalDateEdit("Completed on", "The day you completed the training",
                                             today=today)
        check_width = max(f.check.sizeHint().width() for f in (self.policy_date, self.trained_date))
        for field in (self.policy_date, self.trained_date):
            field.edit.setMaximumDate(to_qdate(today()))
            field.check.setFixedWidth(check_width)  # the two date boxes line up
        r4_hint = QLabel("Nobody runs an account before reading the policy and completing the "
                         "training (R4), you included. Record yours now if you have; otherwise "
                         "later, on the Staff page.")
        r4_hint.setWordWrap(True)
        r4_hint.setStyleSheet("color: palette(placeholder-text);")
        self.form = QFormLayout()
        self.form.addRow("The &school's name:", self.school_edit)
        self.form.addRow("", school_hint)
        self.form.addRow("Your full &name:", self.name_edit)
        self.form.addRow("&Email (optional):", self.email_edit)
        self.form.addRow("&Policy read:", self.policy_date)
        self.form.addRow("&Training:", self.trained_date)
        self.form.addRow("", r4_hint)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Create")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(self.form)
        layout.addWidget(buttons)
        self.school_edit.setFocus()
        self.resize(560, 440)

    def accept(self) -> None:  # QDialog.accept
        school = self.school_edit.text().strip()
        if not school:
            msgbox.warning(self, _TITLE, "Type the school's name: replies, notices and "
                                         "reports use it.")
            self.school_edit.setFocus()
            return
        try:
            self._ctx.set_up(self._first_person(), school=school)
        except SmmodError as exc:
            msgbox.warning(self, _TITLE, str(exc))
            return
        super().accept()

    def _first_person(self) -> StaffInput:
        return StaffInput(name=self.name_edit.text(), username=self._username, roles=frozenset(),
                          email=self.email_edit.text().strip() or None,
                          policy_read_on=self.policy_date.value(),
                          trained_on=self.trained_date.value())
