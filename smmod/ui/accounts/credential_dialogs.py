"""Dialogs of the vault: store or rotate a secret (with a strength meter), edit its details.

A secret typed or generated here goes straight to the service (and from there only to
the vault); the fields are emptied as soon as the dialog is done with it.
"""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QDate, Qt, Signal, Slot
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from smmod.accounts import AccountRecord, CredentialRecord, CredentialService
from smmod.accounts.strength import MIN_SCORE, measure
from smmod.errors import SmmodError
from smmod.identity import Actor
from smmod.platforms import platform_label
from smmod.ui import msgbox
from smmod.ui.tasks import TaskRunner

_ERROR_STYLE = "color: #a0281e;"
_HINT_STYLE = "color: palette(placeholder-text);"
PLATFORM_CHECKLIST = ("Sign in to {platform} and change the password to the new one; "
                      "remove the admin role of anyone who has left; check the recovery "
                      "email and phone; move two-factor authentication if needed.")


class CredentialDialog(QDialog):
    """``mode`` "add" stores a new credential, "rotate" replaces its secret, "edit" its details."""

    saved = Signal(object)  # CredentialRecord

    def __init__(self, service: CredentialService, actor: Actor, runner: TaskRunner, *,
                 account: AccountRecord, mode: str, record: CredentialRecord | None = None,
                 password_length: int = 20, password_limit: int = 64,
                 default_rotate_by: date | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._service, self._actor, self._runner = service, actor, runner
        self._account, self._mode, self._record = account, mode, record
        self._limit = password_limit
        self._saving = False
        title = {"add": "Store a credential", "rotate": "Rotate the password",
                 "edit": "Edit credential details"}[mode]
        self.setWindowTitle(f"{title}: {account.label}")
        self.setMinimumWidth(560)
        self._init_fields(password_length, default_rotate_by)
        self._init_layout()
        self._connect_signals()

    def _init_fields(self, length: int, rotate_by: date | None) -> None:
        record = self._record
        self.login_edit = QLineEdit(record.login_name if record else "")
        self.login_edit.setAccessibleName("Login name")
        self.login_edit.setPlaceholderText("the email or username used to sign in")
        self.login_edit.setReadOnly(self._mode == "rotate")
        self.kind_combo = QComboBox()
        self.kind_combo.setAccessibleName("Kind of secret")
        self.kind_combo.addItem("Password", "password")
        self.kind_combo.addItem("API token", "token")
        self.kind_combo.setEnabled(self._mode == "add")
        if record:
            self.kind_combo.setCurrentIndex(self.kind_combo.findData(record.kind))
        self.note_edit = QPlainTextEdit(record.note if record else "")
        self.note_edit.setAccessibleName("Note")
        self.note_edit.setPlaceholderText("e.g. where the two-factor codes go (never the password)")
        self.note_edit.setTabChangesFocus(True)
        self.note_edit.setFixedHeight(48)
        self.note_edit.setReadOnly(self._mode == "rotate")
        self.secret_edit = QLineEdit()
        self.secret_edit.setObjectName("secret_edit")
        self.secret_edit.setAccessibleName("New password" if self._mode == "rotate" else "Password")
        self.secret_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.secret_edit.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.show_check = QCheckBox("S&how")
        self.show_check.setAccessibleName("Show the password")
        self.generate_button = QPushButton("&Generate")
        self.generate_button.setAccessibleName("Generate a strong password")
        self.length_spin = QSpinBox()
        self.length_spin.setAccessibleName("Length of generated password")
        self.length_spin.setRange(8, self._limit)
        self.length_spin.setValue(min(length, self._limit))
        self.length_spin.setSuffix(" characters")
        self.class_checks = {name: QCheckBox(label) for name, label in (
            ("lower", "a–z"), ("upper", "A–Z"), ("digits", "0–9"), ("symbols", "!#$%"))}
        for check in self.class_checks.values():
            check.setChecked(True)
            check.setAccessibleName(f"Use {check.text()}")
        name = platform_label(self._account.platform)
        self.limit_label = QLabel(f"{name} accepts passwords up to {self._limit} characters.")
        self.limit_label.setStyleSheet(_HINT_STYLE)
        self.rotate_by_edit = QDateEdit()
        self.rotate_by_edit.setAccessibleName("Rotate by")
        self.rotate_by_edit.setCalendarPopup(True)
        self.rotate_by_edit.setDisplayFormat("d MMM yyyy")
        today = self._service.today()
        tomorrow = today + timedelta(days=1)
        self.rotate_by_edit.setMinimumDate(QDate(tomorrow.year, tomorrow.month, tomorrow.day))
        wanted = (record.rotate_by if self._mode == "edit" and record and record.rotate_by
                  else rotate_by or today + timedelta(days=365))
        self.rotate_by_edit.setDate(QDate(wanted.year, wanted.month, wanted.day))
        self.pending_check = QCheckBox("Wait for someone to confirm the change was made on "
                                       f"{name}")
        self.strength_bar = QProgressBar()
        self.strength_bar.setObjectName("strength_bar")
        self.strength_bar.setAccessibleName("Password strength")
        self.strength_bar.setRange(0, 4)
        self.strength_bar.setTextVisible(False)
        self.strength_bar.setFixedHeight(8)
        self.strength_label = QLabel("Strength: type or generate a password.")
        self.strength_label.setObjectName("strength_meter")
        self.strength_label.setWordWrap(True)
        self.strength_label.setStyleSheet(_HINT_STYLE)
        self.weak_reason_edit = QLineEdit()
        self.weak_reason_edit.setObjectName("weak_reason_edit")
        self.weak_reason_edit.setAccessibleName("Reason to keep a weak password")
        self.weak_reason_edit.setPlaceholderText(
            "only if the platform forces a weak password: why (recorded in the audit trail)")
        self.checklist_label = QLabel(PLATFORM_CHECKLIST.format(platform=name))
        self.checklist_label.setWordWrap(True)
        self.checklist_label.setStyleSheet(_HINT_STYLE)
        self.error_label = QLabel()
        self.error_label.setObjectName("form_error")
        self.error_label.setStyleSheet(_ERROR_STYLE)
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText({"add": "&Store in keyring", "rotate": "&Rotate",
                                  "edit": "&Save details"}[self._mode])

    def _init_layout(self) -> None:
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        form.addRow(self._label("&Login name:", self.login_edit), self.login_edit)
        form.addRow(self._label("&Kind:", self.kind_combo), self.kind_combo)
        form.addRow(self._label("&Note:", self.note_edit), self.note_edit)
        if self._mode != "edit":
            secret_row = QHBoxLayout()
            secret_row.addWidget(self.secret_edit, 1)
            secret_row.addWidget(self.show_check)
            generate_row = QHBoxLayout()
            generate_row.addWidget(self.generate_button)
            generate_row.addWidget(self.length_spin)
            for check in self.class_checks.values():
                generate_row.addWidget(check)
            generate_row.addStretch(1)
            label = "New &password:" if self._mode == "rotate" else "&Password:"
            form.addRow(self._label(label, self.secret_edit), secret_row)
            form.addRow("", generate_row)
            form.addRow("", self.strength_bar)
            form.addRow("", self.strength_label)
            form.addRow("", self.limit_label)
            form.addRow(self._label("Keep a &weak one because:", self.weak_reason_edit),
                        self.weak_reason_edit)
        form.addRow(self._label("Rotate &by:", self.rotate_by_edit), self.rotate_by_edit)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        if self._mode == "rotate":
            layout.addWidget(self.checklist_label)
            layout.addWidget(self.pending_check)
        note = QLabel("The password is sealed (encrypted) in the shared vault: only "
                      "administrators with access can open it." if self._service.shared else
                      "The password is kept only in this computer's keyring; smmod's "
                      "database holds the login name and dates.")
        note.setWordWrap(True)
        note.setStyleSheet(_HINT_STYLE)
        layout.addWidget(note)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)

    @staticmethod
    def _label(text: str, buddy: QWidget) -> QLabel:
        label = QLabel(text)
        label.setBuddy(buddy)
        return label

    def _connect_signals(self) -> None:
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        self.generate_button.clicked.connect(self._on_generate_clicked)
        self.show_check.toggled.connect(self._on_show_toggled)
        self.secret_edit.textChanged.connect(self._on_secret_text_changed)
        self.finished.connect(self._on_finished)

    @Slot()
    def _on_generate_clicked(self) -> None:
        flags = {name: check.isChecked() for name, check in self.class_checks.items()}
        try:
            secret = self._service.generate(self._account.platform,
                                            length=self.length_spin.value(), **flags)
        except SmmodError as exc:
            self._show_error(str(exc))
            return
        self.secret_edit.setText(secret)
        self.show_check.setChecked(True)
        self.error_label.hide()

    @Slot(str)
    def _on_secret_text_changed(self, text: str) -> None:
        """zxcvbn's score as the person types: the same check the service makes."""
        if not text:
            self.strength_bar.setValue(0)
            self.strength_label.setText("Strength: type or generate a password.")
            self.strength_label.setStyleSheet(_HINT_STYLE)
            return
        strength = measure(text, hints=(self.login_edit.text().strip(), self._account.handle))
        self.strength_bar.setValue(strength.score)
        colour = "#1b5e20" if strength.strong else "#a0281e"
        self.strength_bar.setStyleSheet(f"QProgressBar::chunk {{ background: {colour}; }}")
        self.strength_label.setStyleSheet(f"color: {colour};")
        if strength.strong:
            self.strength_label.setText(f"Strength {strength.score} of 4: strong enough.")
        else:
            why = strength.warning.rstrip(".") or "it would be guessed quickly"
            self.strength_label.setText(
                f"Strength {strength.score} of 4 (at least {MIN_SCORE} needed): {why}. "
                "It is refused unless you give a reason to keep it below.")

    @Slot(bool)
    def _on_show_toggled(self, show: bool) -> None:
        self.secret_edit.setEchoMode(QLineEdit.EchoMode.Normal if show
                                     else QLineEdit.EchoMode.Password)

    @Slot(int)
    def _on_finished(self, _result: int) -> None:
        self.secret_edit.clear()

    @Slot()
    def _on_buttons_accepted(self) -> None:
        if self._saving:
            return
        self._saving = True
        self.save_button.setEnabled(False)
        self.error_label.hide()
        service, actor, record = self._service, self._actor, self._record
        account_id, mode = self._account.id, self._mode
        login, note, kind = (self.login_edit.text(), self.note_edit.toPlainText(),
                             self.kind_combo.currentData())
        secret, pending = self.secret_edit.text(), self.pending_check.isChecked()
        weak_reason = self.weak_reason_edit.text().strip() or None
        rotate_by: date = self.rotate_by_edit.date().toPython()  # type: ignore[assignment]

        def work() -> CredentialRecord:
            if mode == "add":
                return service.add(actor, account_id, login_name=login, secret=secret,
                                   note=note, kind=kind, rotate_by=rotate_by,
                                   weak_reason=weak_reason)
            assert record is not None
            if mode == "rotate":
                return service.rotate(actor, record.id, record.version_id, secret,
                                      rotate_by=rotate_by, pending=pending,
                                      weak_reason=weak_reason)
            return service.edit(actor, record.id, record.version_id, login_name=login,
                                note=note, rotate_by=rotate_by)

        self._runner.run(work, self._on_save_succeeded, self._on_save_failed)

    def _on_save_succeeded(self, record: CredentialRecord) -> None:
        self._saving = False
        self.saved.emit(record)
        self.accept()

    def _on_save_failed(self, exc: BaseException) -> None:
        self._saving = False
        self.save_button.setEnabled(True)
        if isinstance(exc, SmmodError):
            self._show_error(str(exc))
        else:
            msgbox.show_error(self, exc, title=self.windowTitle())

    def _show_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.show()
