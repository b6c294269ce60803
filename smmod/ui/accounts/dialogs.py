"""The account form: draft a new account, edit one, or register one that already runs.

The form shows the R1, R2 and R4 problems live as the person types, using the same
rule functions the service enforces, so the words match the refusal they would get.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from smmod.accounts import AccountInput, AccountRecord, AccountRulesError, AccountService, Person
from smmod.accounts.rules import business_case_problems, is_staff_member, people_problems
from smmod.errors import SmmodError
from smmod.identity import Actor
from smmod.staff.service import StaffRecord
from smmod.store.models import PLATFORMS
from smmod.ui import msgbox
from smmod.ui.platforms import PLATFORM_LABELS
from smmod.ui.staff.widgets import OptionalDateEdit
from smmod.ui.tasks import TaskRunner

_ERROR_STYLE = "color: #a0281e;"
_PROBLEM_STYLE = ("background: #fff4e5; color: #663c00; border: 1px solid #f3d19e;"
                  " border-radius: 4px; padding: 6px;")
_OK_STYLE = "color: #1b5e20;"
TITLES = {"draft": "Draft a new account", "edit": "Edit account",
          "register": "Register an existing account"}


def _person_text(staff: StaffRecord) -> str:
    return staff.name if staff.eligibility.eligible else f"{staff.name} (not eligible)"


def _person_tip(staff: StaffRecord) -> str:
    if staff.eligibility.eligible:
        return f"{staff.name} may run accounts (R4)."
    return f"{staff.name} may not run accounts yet (R4): {staff.eligibility.summary}."


class AccountDialog(QDialog):
    """``mode`` is "draft", "edit" or "register"; the save runs off the UI thread."""

    saved = Signal(object)  # AccountRecord

    def __init__(self, service: AccountService, actor: Actor, runner: TaskRunner,
                 staff: list[StaffRecord], *, mode: str, record: AccountRecord | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._service, self._actor, self._runner = service, actor, runner
        self._staff = {s.id: s for s in staff if s.active}
        self._mode, self._record = mode, record
        self._saving = False
        self.setWindowTitle(TITLES[mode] + (f": {record.label}" if record else ""))
        self.setMinimumWidth(640)
        self._init_fields()
        self._init_layout()
        self._connect_signals()
        if record is not None:
            self.load(record)
        self._update_preview()
        self.resize(self.sizeHint())

    # -- assembly -----------------------------------------------------------------
    def _init_fields(self) -> None:
        self.platform_combo = QComboBox()
        self.platform_combo.setAccessibleName("Platform")
        for key in PLATFORMS:
            self.platform_combo.addItem(PLATFORM_LABELS[key], key)
        self.handle_edit = QLineEdit()
        self.handle_edit.setAccessibleName("Handle or page name")
        self.handle_edit.setPlaceholderText("e.g. @oakfield_pe or “Oakfield School PE”")
        self.url_edit = QLineEdit()
        self.url_edit.setAccessibleName("Web address")
        self.url_edit.setPlaceholderText("https://… (optional until it exists)")
        self.aim_edit = self._text_box("Aim: what the account is for")
        self.audience_edit = self._text_box("Intended audience")
        self.promotion_edit = self._text_box("How it will be promoted")
        self.open_radio = QRadioButton("&Open: anyone can see it")
        self.private_radio = QRadioButton("&Private: only approved followers")
        self.visibility_group = QButtonGroup(self)
        for radio in (self.open_radio, self.private_radio):
            radio.setAccessibleName(radio.text().replace("&", ""))
            self.visibility_group.addButton(radio)
        self.lead_combo = QComboBox()
        self.lead_combo.setAccessibleName("Lead member of staff")
        self.lead_combo.addItem("— choose the lead —", None)
        self.runners_list = self._people_list("Runners")
        self.admins_list = self._people_list("Administrators")
        for staff in sorted(self._staff.values(), key=lambda s: s.name):
            self.lead_combo.addItem(_person_text(staff), staff.id)
            self.lead_combo.setItemData(self.lead_combo.count() - 1, _person_tip(staff),
                                        Qt.ItemDataRole.ToolTipRole)
            for box in (self.runners_list, self.admins_list):
                item = QListWidgetItem(_person_text(staff))
                item.setData(Qt.ItemDataRole.UserRole, staff.id)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Unchecked)
                item.setToolTip(_person_tip(staff))
                box.addItem(item)
        self.review_date = OptionalDateEdit("Review on", "Review date", today=self._service.today,
                                            unset_text="A year after it goes live")
        self.attestation_edit = QLineEdit()
        self.attestation_edit.setAccessibleName("Who approved it, and when")
        self.attestation_edit.setPlaceholderText("e.g. approved by the head at SLT, May 2024")
        self.accept_check = QCheckBox("Register it anyway: the problems above will show as "
                                      "“at risk” until they are fixed")
        self.accept_check.setObjectName("accept_problems")
        self.preview_label = QLabel()
        self.preview_label.setObjectName("rule_preview")
        self.preview_label.setAccessibleName("Policy check")
        self.preview_label.setWordWrap(True)
        self.error_label = QLabel()
        self.error_label.setObjectName("form_error")
        self.error_label.setAccessibleName("Problem with the form")
        self.error_label.setStyleSheet(_ERROR_STYLE)
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText({"draft": "&Save draft", "edit": "&Save changes",
                                  "register": "&Register as active"}[self._mode])

    @staticmethod
    def _text_box(name: str) -> QPlainTextEdit:
        box = QPlainTextEdit()
        box.setAccessibleName(name)
        box.setTabChangesFocus(True)
        box.setFixedHeight(52)
        return box

    @staticmethod
    def _people_list(name: str) -> QListWidget:
        box = QListWidget()
        box.setAccessibleName(name)
        box.setFixedHeight(124)
        return box

    def _init_layout(self) -> None:
        visibility = QHBoxLayout()
        visibility.setContentsMargins(0, 0, 0, 0)
        visibility.addWidget(self.open_radio)
        visibility.addWidget(self.private_radio)
        visibility.addStretch(1)
        visibility_widget = QWidget()
        visibility_widget.setLayout(visibility)
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        people = QHBoxLayout()
        people.setContentsMargins(0, 0, 0, 0)
        for text, box in (("R&unners (besides the lead)", self.runners_list),
                          ("Ad&ministrators on the platform", self.admins_list)):
            column = QVBoxLayout()
            label = QLabel(text)
            label.setBuddy(box)
            column.addWidget(label)
            column.addWidget(box)
            people.addLayout(column)
        people_widget = QWidget()
        people_widget.setLayout(people)
        rows: list[tuple[str, QWidget]] = [
            ("&Platform:", self.platform_combo), ("&Handle:", self.handle_edit),
            ("&Web address:", self.url_edit), ("&Aim:", self.aim_edit),
            ("Au&dience:", self.audience_edit), ("Pro&motion:", self.promotion_edit),
            ("Open or private:", visibility_widget), ("&Lead:", self.lead_combo),
            ("People:", people_widget), ("Re&view:", self.review_date)]
        if self._mode == "register":
            rows.append(("Approval &attested:", self.attestation_edit))
        for text, field in rows:
            label = QLabel(text)
            label.setBuddy(field if not isinstance(field, OptionalDateEdit) else field.check)
            if field is visibility_widget:
                label.setBuddy(self.open_radio)
            if field is people_widget:
                label.setBuddy(self.runners_list)
            form.addRow(label, field)
        hint = QLabel("R1: the aim, audience, promotion, who runs it and open or private make "
                      "the business case. R2: two staff run it (the lead counts). R4: "
                      "everyone who runs it has read the policy and is trained.")
        hint.setWordWrap(True)
        hint.setStyleSheet("color: palette(placeholder-text);")
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(self.preview_label)
        layout.addWidget(self.accept_check)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.accept_check.setVisible(self._mode == "register")

    def _connect_signals(self) -> None:
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        for box in (self.aim_edit, self.audience_edit, self.promotion_edit):
            box.textChanged.connect(self._on_field_changed)
        self.lead_combo.currentIndexChanged.connect(self._on_field_changed)
        self.visibility_group.buttonToggled.connect(self._on_field_changed)
        self.runners_list.itemChanged.connect(self._on_field_changed)

    # -- values ---------------------------------------------------------------------
    def load(self, record: AccountRecord) -> None:
        self.platform_combo.setCurrentIndex(self.platform_combo.findData(record.platform))
        self.handle_edit.setText(record.handle)
        self.url_edit.setText(record.url)
        self.aim_edit.setPlainText(record.aim)
        self.audience_edit.setPlainText(record.audience)
        self.promotion_edit.setPlainText(record.promotion)
        self.open_radio.setChecked(record.visibility == "open")
        self.private_radio.setChecked(record.visibility == "private")
        lead = record.lead
        self.lead_combo.setCurrentIndex(self.lead_combo.findData(lead.staff_id) if lead else 0)
        self.set_checked(self.runners_list, [p.staff_id for p in record.runners])
        self.set_checked(self.admins_list, [p.staff_id for p in record.administrators])
        self.review_date.set_value(record.review_on)

    @staticmethod
    def set_checked(box: QListWidget, ids: list[int]) -> None:
        for row in range(box.count()):
            item = box.item(row)
            wanted = item.data(Qt.ItemDataRole.UserRole) in ids
            item.setCheckState(Qt.CheckState.Checked if wanted else Qt.CheckState.Unchecked)

    @staticmethod
    def _checked(box: QListWidget) -> tuple[int, ...]:
        return tuple(box.item(r).data(Qt.ItemDataRole.UserRole) for r in range(box.count())
                     if box.item(r).checkState() == Qt.CheckState.Checked)

    def value(self) -> AccountInput:
        visibility = ("open" if self.open_radio.isChecked() else
                      "private" if self.private_radio.isChecked() else None)
        return AccountInput(
            platform=self.platform_combo.currentData(), handle=self.handle_edit.text(),
            url=self.url_edit.text(), aim=self.aim_edit.toPlainText(),
            audience=self.audience_edit.toPlainText(),
            promotion=self.promotion_edit.toPlainText(), visibility=visibility,
            lead=self.lead_combo.currentData(), runners=self._checked(self.runners_list),
            administrators=self._checked(self.admins_list), review_on=self.review_date.value())

    def _problems(self) -> list[str]:
        data = self.value()
        people = []
        if data.lead is not None:
            people.append(self._person(data.lead, "lead"))
        people += [self._person(i, "runner") for i in data.runners if i != data.lead]
        rules = people_problems(people)
        if self._mode != "register":
            rules = business_case_problems(data.aim, data.audience, data.promotion,
                                           data.visibility, data.lead is not None) + rules
        return [str(p) for p in rules]

    def _person(self, staff_id: int, role: str) -> Person:
        staff = self._staff[staff_id]
        return Person(staff.id, staff.name, staff.username, role, staff.eligibility,
                      is_staff_member(staff.roles))

    # -- slots ----------------------------------------------------------------------
    @Slot()
    def _on_field_changed(self) -> None:
        self._update_preview()

    def _update_preview(self) -> None:
        problems = self._problems()
        if problems:
            when = ("before it can be submitted" if self._mode != "register"
                    else "(R2 and R4 still apply to running accounts)")
            self.preview_label.setText(f"To fix {when}:\n• " + "\n• ".join(problems))
            self.preview_label.setStyleSheet(_PROBLEM_STYLE)
        else:
            self.preview_label.setText("✓ Meets R1, R2 and R4: ready to submit."
                                       if self._mode != "register" else "✓ Meets R2 and R4.")
            self.preview_label.setStyleSheet(_OK_STYLE)
        self.accept_check.setEnabled(bool(problems))
        if not problems:
            self.accept_check.setChecked(False)

    @Slot()
    def _on_buttons_accepted(self) -> None:
        if self._saving:
            return
        self._saving = True
        self.save_button.setEnabled(False)
        self.error_label.hide()
        data, service, actor = self.value(), self._service, self._actor
        record, mode = self._record, self._mode
        accept, attestation = self.accept_check.isChecked(), self.attestation_edit.text()

        def work() -> AccountRecord:
            if mode == "draft":
                return service.draft(actor, data)
            if mode == "register":
                return service.register_existing(actor, data, attestation=attestation,
                                                 accept_problems=accept)
            assert record is not None
            return service.update(actor, record.id, record.version_id, data)

        self._runner.run(work, self._on_save_succeeded, self._on_save_failed)

    def _on_save_succeeded(self, record: AccountRecord) -> None:
        self._saving = False
        self.saved.emit(record)
        self.accept()

    def _on_save_failed(self, exc: BaseException) -> None:
        self._saving = False
        self.save_button.setEnabled(True)
        if not isinstance(exc, SmmodError):
            msgbox.show_error(self, exc, title=self.windowTitle())
            return
        text = str(exc)
        if isinstance(exc, AccountRulesError):
            text = "\n".join(str(p) for p in exc.problems)
            if self._mode == "register":
                text += "\nTick “Register it anyway” if the account really runs like this."
        self.error_label.setText(text)
        self.error_label.show()
