"""Server logins from the Staff page (issue 14): the fields for a new or linked login
role, "Give a server login…" for someone already in the register, and the dialog that
shows a new login's password once.

Everything goes through ``smmod.staff.logins``, the code ``smmod staff add`` and
``smmod staff login`` use.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Signal, Slot
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from smmod.errors import InputError
from smmod.identity import Actor
from smmod.staff import logins
from smmod.staff.logins import LoginRequest
from smmod.staff.service import StaffRecord
from smmod.store.engine import SessionFactory
from smmod.ui import form_parts, msgbox
from smmod.ui.accounts.clipboard import ClipboardGuard
from smmod.ui.tasks import TaskRunner

_HINT_STYLE = "color: palette(placeholder-text);"


@dataclass(frozen=True)
class NewLogin:
    """A login role just created or linked for ``name``: what to tell them."""

    name: str
    role: str
    password: str | None  # None: linked (it has its own way to log in)
    line: str  # what they run on their computer

    @classmethod
    def of(cls, name: str, request: LoginRequest, database_url: str) -> NewLogin:
        return cls(name, request.role, None if request.existing else request.password,
                   logins.workstation_line(database_url, request.role,
                                           linked=request.existing))


class LoginFields(QGroupBox):
    """A new login role's name (default: the username) or an existing one to link."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Server login", parent)
        self.setObjectName("server_login_fields")
        self.role_edit = QLineEdit()
        self.role_edit.setObjectName("login_role_edit")
        self.role_edit.setAccessibleName("New login's name")
        self.role_edit.setPlaceholderText("the username")
        self.existing_edit = QLineEdit()
        self.existing_edit.setObjectName("login_existing_edit")
        self.existing_edit.setAccessibleName("Link an existing server login")
        self.existing_edit.setPlaceholderText("e.g. a Kerberos login created by IT")
        hint = QLabel("smmod creates their own login on the server, with a new password "
                      "shown once. To link a login that already exists instead (Kerberos), "
                      "name it below.")
        hint.setWordWrap(True)
        hint.setStyleSheet(_HINT_STYLE)
        form = QFormLayout(self)
        form.addRow(hint)
        form.addRow("New login's &name:", self.role_edit)
        form.addRow("&Link an existing server login…", self.existing_edit)
        self.existing_edit.textChanged.connect(self._on_existing_text_changed)

    def request(self, username: str) -> tuple[LoginRequest, bool]:
        """What to create or link for ``username``; whether a password was generated."""
        return logins.new_request(username, role=self.role_edit.text(),
                                  existing=self.existing_edit.text().strip() or None)

    @Slot(str)
    def _on_existing_text_changed(self, text: str) -> None:
        self.role_edit.setEnabled(not text.strip())


class GiveLoginDialog(QDialog):
    """``smmod staff login`` for the selected person: create or link their login role."""

    given = Signal(object)  # NewLogin

    def __init__(self, session_factory: SessionFactory, actor: Actor, runner: TaskRunner,
                 record: StaffRecord, database_url: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._sf, self._actor, self._runner = session_factory, actor, runner
        self._record, self._url = record, database_url
        self._saving = False
        self.setWindowTitle(f"Give {record.name} a server login")
        self.setMinimumWidth(480)
        self.fields = LoginFields()
        self.error_label = form_parts.error_label()
        self.buttons, self.save_button = form_parts.save_cancel("&Give login")
        layout = QVBoxLayout(self)
        layout.addWidget(self.fields)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)

    def error_text(self) -> str:
        return self.error_label.text() if self.error_label.isVisibleTo(self) else ""

    @Slot()
    def _on_buttons_accepted(self) -> None:
        if self._saving:
            return
        try:
            request, _generated = self.fields.request(self._record.username)
        except InputError as exc:
            self._show_error(exc.reason)
            return
        sf, actor, username = self._sf, self._actor, self._record.username
        self._saving = True
        self.buttons.setEnabled(False)
        self.error_label.hide()
        self._runner.run(lambda: logins.link(sf, actor, username, request),
                         lambda _role: self._on_given(request), self._on_failed)

    def _on_given(self, request: LoginRequest) -> None:
        self._saving = False
        self.accept()
        self.given.emit(NewLogin.of(self._record.name, request, self._url))

    def _on_failed(self, exc: BaseException) -> None:
        self._saving = False
        self.buttons.setEnabled(True)
        if isinstance(exc, InputError):
            self._show_error(exc.reason)
            return
        msgbox.show_error(self, exc, title=self.windowTitle())

    def _show_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.show()

    def reject(self) -> None:  # QDialog.reject
        if not self._saving:
            super().reject()


class NewLoginDialog(QDialog):
    """The new login's password, shown this once, with Copy; the line to run on their
    computer. A linked login shows only the line (it has its own way to log in)."""

    def __init__(self, login: NewLogin, clear_seconds: int,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._login, self._seconds = login, clear_seconds
        self._clipboard = ClipboardGuard(self)
        self.setWindowTitle(f"Server login for {login.name}")
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        if login.password is None:
            intro = (f"Linked {login.name} to the existing login role '{login.role}'. "
                     "On their computer they run (with no password if they log in with "
                     "Kerberos):")
        else:
            intro = (f"Created the login role '{login.role}' for {login.name}. Its password "
                     "is shown this once: give it to them privately. On their computer they "
                     "run this line, typing the password in place of PASSWORD (it goes into "
                     "their keyring, never into a file):")
        self.intro_label = QLabel(intro)
        self.intro_label.setWordWrap(True)
        layout.addWidget(self.intro_label)
        self.line_edit = self._shown(login.line, "The line")
        self.copy_line_button = QPushButton("Copy &line")
        self.copy_line_button.clicked.connect(self._on_copy_line_clicked)
        layout.addLayout(self._row(self.line_edit, self.copy_line_button))
        self.password_edit: QLineEdit | None = None
        self.copy_button: QPushButton | None = None
        if login.password is not None:
            self.password_edit = self._shown(login.password, "Password, shown once")
            self.copy_button = QPushButton("&Copy password")
            self.copy_button.clicked.connect(self._on_copy_clicked)
            layout.addWidget(QLabel("Password:"))
            layout.addLayout(self._row(self.password_edit, self.copy_button))
        self.copied_label = QLabel()
        self.copied_label.setStyleSheet(_HINT_STYLE)
        layout.addWidget(self.copied_label)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    @staticmethod
    def _shown(text: str, name: str) -> QLineEdit:
        edit = QLineEdit(text)
        edit.setReadOnly(True)
        edit.setAccessibleName(name)
        edit.setCursorPosition(0)
        return edit

    @staticmethod
    def _row(edit: QLineEdit, button: QPushButton) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addWidget(edit, 1)
        row.addWidget(button)
        return row

    @Slot()
    def _on_copy_clicked(self) -> None:
        assert self._login.password is not None
        self._clipboard.put(self._login.password, self._seconds)
        self.copied_label.setText(f"Password copied. The clipboard is cleared in "
                                  f"{self._seconds} seconds.")

    @Slot()
    def _on_copy_line_clicked(self) -> None:
        clipboard = QGuiApplication.clipboard()
        if clipboard is not None:
            clipboard.setText(self.line_edit.text())
        self.copied_label.setText("Line copied.")

    def done(self, result: int) -> None:  # QDialog.done: take the password off the clipboard
        self._clipboard.clear_now()
        super().done(result)
