"""The add/edit form for one person in the staff register."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from smmod.errors import ConflictError, InputError
from smmod.identity import Actor
from smmod.staff import StaffService
from smmod.staff.eligibility import eligibility, training_expires_on
from smmod.staff.logins import NO_SERVER, LoginPower, LoginRequest
from smmod.staff.service import StaffInput, StaffRecord
from smmod.ui import msgbox
from smmod.ui.staff.model import ROLE_LABELS, format_day
from smmod.ui.staff.server_logins import LoginFields, NewLogin
from smmod.ui.staff.widgets import OptionalDateEdit
from smmod.ui.tasks import TaskRunner

_ERROR_STYLE = "color: #a0281e;"
_HINT_STYLE = "color: palette(placeholder-text);"


class StaffDialog(QDialog):
    """Add a person, or edit one; the save runs on the task runner, off the UI thread.

    A refused save keeps the dialog open with the reason next to the form; a save that
    lost a race with someone else offers to reload the latest details.
    """

    saved = Signal(object)  # StaffRecord
    reloaded = Signal(object)  # StaffRecord, after a conflict
    login_created = Signal(object)  # NewLogin, after adding someone on a server

    def __init__(self, service: StaffService, actor: Actor, runner: TaskRunner, *,
                 expiry_months: int, record: StaffRecord | None = None,
                 today: date, parent: QWidget | None = None,
                 power: LoginPower = NO_SERVER, database_url: str = "") -> None:
        super().__init__(parent)
        self._power, self._database_url = power, database_url
        self._service = service
        self._actor = actor
        self._runner = runner
        self._expiry_months = expiry_months
        self._today = today
        self._record = record
        self._saving = False
        self._login: LoginRequest | None = None
        self.setWindowTitle(f"Edit {record.name}" if record else "Add a person")
        self.setMinimumWidth(560)
        self._init_fields()
        self._init_layout()
        self._connect_signals()
        if record is not None:
            self.load_record(record)
        self._update_preview()

    # -- assembly -----------------------------------------------------------------
    def _init_fields(self) -> None:
        self.name_edit = QLineEdit()
        self.name_edit.setAccessibleName("Full name")
        self.name_edit.setPlaceholderText("e.g. Riley Runner")
        self.username_edit = QLineEdit()
        self.username_edit.setAccessibleName("OS username")
        self.username_edit.setPlaceholderText("their login on the school computers")
        self.email_edit = QLineEdit()
        self.email_edit.setAccessibleName("Email")
        self.email_edit.setPlaceholderText("optional")
        self.role_checks: dict[str, QCheckBox] = {}
        for role, label in ROLE_LABELS.items():
            box = QCheckBox(label)
            box.setObjectName(f"role_{role}")
            box.setAccessibleName(f"Role: {label}")
            self.role_checks[role] = box
        today = lambda: self._today  # noqa: E731
        self.policy_date = OptionalDateEdit("Read on", "Date the policy was read", today=today)
        self.trained_date = OptionalDateEdit("Completed on", "Date training was completed", today=today)
        self.expiry_label = QLabel()
        self.expiry_label.setAccessibleName("Training expiry")
        self.leaving_date = OptionalDateEdit("Leaves on", "Leaving date", today=today)
        self.r12_date = OptionalDateEdit("Declared on", "R12 declaration date", today=today)
        self.notes_edit = QPlainTextEdit()
        self.notes_edit.setAccessibleName("Notes")
        self.notes_edit.setTabChangesFocus(True)
        self.notes_edit.setFixedHeight(64)
        self.preview_label = QLabel()
        self.preview_label.setObjectName("eligibility_preview")
        self.preview_label.setAccessibleName("Eligibility")
        self.preview_label.setWordWrap(True)
        self.error_label = QLabel()
        self.error_label.setObjectName("form_error")
        self.error_label.setAccessibleName("Problem with the form")
        self.error_label.setStyleSheet(_ERROR_STYLE)
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        # On a server, a new person's own login: created here by the database's owner;
        # anyone else is told who can, and the line they run.
        adding_on_server = self._record is None and self._power.on_server
        self.login_fields: LoginFields | None = None
        self.login_note: QLabel | None = None
        if adding_on_server and self._power.may_create:
            self.login_fields = LoginFields()
        elif adding_on_server:
            self.login_note = QLabel(self._power.who_may())
            self.login_note.setObjectName("login_note")
            self.login_note.setWordWrap(True)
            self.login_note.setStyleSheet(_HINT_STYLE)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText("&Save changes" if self._record else "&Add person")
        self.save_button.setAccessibleName(self.save_button.text().replace("&", ""))

    def _init_layout(self) -> None:
        roles = QGridLayout()
        roles.setContentsMargins(0, 0, 0, 0)
        for number, box in enumerate(self.role_checks.values()):
            roles.addWidget(box, number // 3, number % 3)
        roles_widget = QWidget()
        roles_widget.setLayout(roles)
        training = QWidget()
        row = QGridLayout(training)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.trained_date, 0, 0)
        row.addWidget(self.expiry_label, 0, 1)
        row.setColumnStretch(0, 1)
        r12_hint = QLabel("Declared that they do not follow or engage with current or "
                          "former students from personal accounts.")
        r12_hint.setWordWrap(True)
        r12_hint.setStyleSheet(_HINT_STYLE)
        r12_hint.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        dates = (self.policy_date, self.trained_date, self.leaving_date, self.r12_date)
        check_width = max(d.check.sizeHint().width() for d in dates)
        for field in dates:  # line the date boxes up under each other
            field.check.setFixedWidth(check_width)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        form.addRow(self._label("Full &name:", self.name_edit, required=True), self.name_edit)
        form.addRow(self._label("&Username:", self.username_edit, required=True),
                    self.username_edit)
        form.addRow(self._label("&Email:", self.email_edit), self.email_edit)
        form.addRow(self._label("&Roles:", self.role_checks["slt"], required=True), roles_widget)
        form.addRow(self._label("&Policy read:", self.policy_date), self.policy_date)
        form.addRow(self._label("&Training:", self.trained_date), training)
        form.addRow(self._label("&Leaving date:", self.leaving_date), self.leaving_date)
        r12 = QWidget()
        r12_layout = QVBoxLayout(r12)
        r12_layout.setContentsMargins(0, 0, 0, 0)
        r12_layout.setSpacing(2)
        r12_layout.addWidget(self.r12_date)
        r12_layout.addWidget(r12_hint)
        form.addRow(self._label("R&12 declaration:", self.r12_date), r12)
        form.addRow(self._label("N&otes:", self.notes_edit), self.notes_edit)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        for extra in (self.login_fields, self.login_note):
            if extra is not None:
                layout.addWidget(extra)
        layout.addSpacing(6)
        layout.addWidget(self.preview_label)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)

    @staticmethod
    def _label(text: str, buddy: QWidget, *, required: bool = False) -> QLabel:
        label = QLabel(f"{text}<span style='color:#a0281e'> *</span>" if required else text)
        label.setTextFormat(Qt.TextFormat.RichText if required else Qt.TextFormat.AutoText)
        label.setBuddy(buddy)
        return label

    def _connect_signals(self) -> None:
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        for field in (self.policy_date, self.trained_date, self.leaving_date):
            field.date_changed.connect(self._on_dates_changed)
        if self.login_note is not None:
            self.username_edit.textChanged.connect(self._on_username_text_changed)

    # -- public -------------------------------------------------------------------
    def load_record(self, record: StaffRecord) -> None:
        self._record = record
        self.name_edit.setText(record.name)
        self.username_edit.setText(record.username)
        self.email_edit.setText(record.email or "")
        for role, box in self.role_checks.items():
            box.setChecked(role in record.roles)
        self.policy_date.set_value(record.policy_read_on)
        self.trained_date.set_value(record.trained_on)
        self.leaving_date.set_value(record.leaving_on)
        self.r12_date.set_value(record.r12_declared_on)
        self.notes_edit.setPlainText(record.notes)
        self._update_preview()

    def staff_input(self) -> StaffInput:
        return StaffInput(
            name=self.name_edit.text().strip(),
            username=self.username_edit.text().strip(),
            roles=frozenset(r for r, box in self.role_checks.items() if box.isChecked()),
            email=self.email_edit.text().strip() or None,
            policy_read_on=self.policy_date.value(),
            trained_on=self.trained_date.value(),
            leaving_on=self.leaving_date.value(),
            r12_declared_on=self.r12_date.value(),
            notes=self.notes_edit.toPlainText().strip(),
        )

    def error_text(self) -> str:
        return self.error_label.text() if self.error_label.isVisibleTo(self) else ""

    def is_saving(self) -> bool:
        return self._saving

    # -- saving -------------------------------------------------------------------
    @Slot()
    def _on_buttons_accepted(self) -> None:
        if self._saving:
            return
        data = self.staff_input()
        record = self._record
        service, actor = self._service, self._actor
        login: LoginRequest | None = None
        if self.login_fields is not None:
            try:
                login, _generated = self.login_fields.request(data.username)
            except InputError as exc:
                self._show_error(exc.reason, exc.field)
                return
        self._login = login
        if record is None:
            def work() -> StaffRecord:
                return service.add(actor, data, login=login)
        else:
            staff_id, version_id = record.id, record.version_id

            def work() -> StaffRecord:
                return service.update(actor, staff_id, version_id, data)
        self._set_saving(True)
        self._runner.run(work, self._on_save_succeeded, self._on_save_failed)

    def _on_save_succeeded(self, record: StaffRecord) -> None:
        self._set_saving(False)
        self._record = record
        self.saved.emit(record)
        self.accept()
        if self._login is not None:
            self.login_created.emit(NewLogin.of(record.name, self._login, self._database_url))

    def _on_save_failed(self, exc: BaseException) -> None:
        self._set_saving(False)
        if isinstance(exc, ConflictError) and self._record is not None:
            question = (f"{self._record.name} was changed by someone else while you were "
                        "editing.\n\nReload their latest details? The changes you made in "
                        "this form will be lost.")
            if msgbox.confirm(self, "Changed elsewhere", question):
                staff_id = self._record.id
                self._runner.run(lambda: self._service.get(staff_id), self._on_reload_succeeded,
                                 lambda err: msgbox.show_error(self, err))
            return
        if isinstance(exc, InputError):
            self._show_error(exc.reason if exc.field else str(exc), exc.field)
            return
        msgbox.show_error(self, exc, title=self.windowTitle())

    def _on_reload_succeeded(self, record: StaffRecord) -> None:
        self.load_record(record)
        self._show_error("Reloaded the latest details; make your changes again.", None)
        self.reloaded.emit(record)

    def _show_error(self, text: str, field: str | None) -> None:
        widgets: dict[str, QWidget] = {
            "name": self.name_edit, "username": self.username_edit, "email": self.email_edit,
            "roles": self.role_checks["slt"],
        }
        labels = {"name": "Full name", "username": "Username", "email": "Email",
                  "roles": "Roles", "db-role": "New login's name",
                  "existing-role": "Existing server login", "password": "Password"}
        prefix = f"{labels.get(field, field)}: " if field else ""
        self.error_label.setText(prefix + text)
        self.error_label.show()
        if field in widgets:
            widgets[field].setFocus()

    def _set_saving(self, saving: bool) -> None:
        self._saving = saving
        self.buttons.setEnabled(not saving)
        if saving:
            self.error_label.hide()

    def reject(self) -> None:  # QDialog.reject
        if not self._saving:
            super().reject()

    @Slot(str)
    def _on_username_text_changed(self, text: str) -> None:
        assert self.login_note is not None
        self.login_note.setText(self._power.who_may(text.strip() or "USERNAME"))

    # -- live preview -------------------------------------------------------------
    @Slot(object)
    def _on_dates_changed(self, _day: object) -> None:
        self._update_preview()

    def _update_preview(self) -> None:
        trained = self.trained_date.value()
        expires = training_expires_on(trained, self._expiry_months)
        if expires is None:
            self.expiry_label.setText("")
        else:
            verb = "expired" if expires <= self._today else "expires"
            self.expiry_label.setText(f"Training {verb} {format_day(expires)}")
        result = eligibility(active=self._record.active if self._record else True,
                             policy_read_on=self.policy_date.value(), trained_on=trained,
                             leaving_on=self.leaving_date.value(), today=self._today,
                             expiry_months=self._expiry_months)
        if result.eligible:
            self.preview_label.setText("<span style='color:#1b5e20'>✔ Eligible to run "
                                       "school accounts (R4)</span>")
        else:
            self.preview_label.setText("<span style='color:#a0281e'>✖ Not eligible to run "
                                       f"accounts: {'; '.join(result.reasons)}</span>")
