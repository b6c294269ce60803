"""Steps 4 and 5: a new password for every credential they knew; their work to named people."""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from smmod.handover import PLATFORM_STEPS
from smmod.handover.records import KnownCredential
from smmod.ui.accounts.clipboard import ClipboardGuard
from smmod.ui.handover.state import WizardState
from smmod.ui.handover.widgets import (
    ERROR_STYLE,
    MUTED_STYLE,
    PersonCombo,
    banner,
    fit_rows,
    heading,
    problems_text,
    title_html,
    why_not,
)
from smmod.ui.plain import tip


class SecretRow(QWidget):
    """A new password, hidden until asked, with Show, New and Copy."""

    def __init__(self, credential: KnownCredential, state: WizardState,
                 clipboard: ClipboardGuard, clipboard_seconds: int) -> None:
        super().__init__()
        self._credential = credential
        self._state = state
        self._clipboard = clipboard
        self._seconds = clipboard_seconds
        key = credential.credential_id
        self.edit = QLineEdit(state.secrets.get(key, ""))
        self.edit.setObjectName(f"handover_secret_{key}")
        self.edit.setAccessibleName(f"New password for {credential.login_name}")
        self.edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.edit.setMinimumWidth(230)
        self.show_button = QToolButton()
        self.show_button.setText("Show")
        self.show_button.setCheckable(True)
        self.show_button.setAccessibleName(f"Show the new password for {credential.login_name}")
        self.new_button = QToolButton()
        self.new_button.setText("New")
        self.new_button.setToolTip("Make another strong password")
        self.new_button.setAccessibleName(f"Make another password for {credential.login_name}")
        self.copy_button = QToolButton()
        self.copy_button.setText("Copy")
        self.copy_button.setToolTip(f"Copy it; the clipboard is cleared after {clipboard_seconds} s")
        self.copy_button.setAccessibleName(f"Copy the new password for {credential.login_name}")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(2, 0, 2, 0)
        layout.addWidget(self.edit, 1)
        for button in (self.show_button, self.new_button, self.copy_button):
            layout.addWidget(button)
        self.edit.textEdited.connect(self._on_edit_text_edited)
        self.show_button.toggled.connect(self._on_show_button_toggled)
        self.new_button.clicked.connect(self._on_new_button_clicked)
        self.copy_button.clicked.connect(self._on_copy_button_clicked)

    @Slot(str)
    def _on_edit_text_edited(self, text: str) -> None:
        self._state.set_secret(self._credential.credential_id, text)

    @Slot(bool)
    def _on_show_button_toggled(self, shown: bool) -> None:
        self.edit.setEchoMode(QLineEdit.EchoMode.Normal if shown
                              else QLineEdit.EchoMode.Password)
        self.show_button.setText("Hide" if shown else "Show")

    @Slot()
    def _on_new_button_clicked(self) -> None:
        secret = self._state.service.new_password(self._credential.platform)
        self.edit.setText(secret)
        self._state.set_secret(self._credential.credential_id, secret)

    @Slot()
    def _on_copy_button_clicked(self) -> None:
        if self.edit.text():
            self._clipboard.put(self.edit.text(), self._seconds)


class CredentialsPage(QWizardPage):
    def __init__(self, state: WizardState, clipboard_seconds: int) -> None:
        super().__init__()
        self._state = state
        self._seconds = clipboard_seconds
        self.clipboard = ClipboardGuard(self)
        self.setTitle(title_html("Rotate every password they knew"))
        self.setSubTitle("Each gets a new, strong password. It is stored in the system keyring "
                         "when the handover is applied, never in the database or the record.")
        self.table = QTableWidget(0, 3)
        self.table.setObjectName("handover_credentials")
        self.table.setAccessibleName("Passwords to rotate")
        self.table.setHorizontalHeaderLabels(["Account", "Login", "New password"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QTableWidget.SelectionMode.NoSelection)
        self.table.verticalHeader().setDefaultSectionSize(36)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        header = self.table.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.checklist = QLabel()
        self.checklist.setObjectName("handover_platform_checklist")
        self.checklist.setWordWrap(True)
        self.checklist.setTextFormat(Qt.TextFormat.RichText)
        self.empty_label = QLabel("They knew no stored passwords: nothing to rotate.")
        self.empty_label.setStyleSheet(MUTED_STYLE)
        layout = QVBoxLayout(self)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.table)
        layout.addSpacing(10)
        layout.addWidget(heading("Then, on each platform"))
        layout.addWidget(self.checklist)
        layout.addStretch(1)

    def initializePage(self) -> None:  # QWizardPage.initializePage
        held = self._state.held
        assert held is not None
        self.table.setRowCount(len(held.credentials))
        for row, credential in enumerate(held.credentials):
            self.table.setItem(row, 0, QTableWidgetItem(credential.account_shown))
            self.table.setItem(row, 1, QTableWidgetItem(credential.login_name))
            self.table.setCellWidget(row, 2, SecretRow(credential, self._state, self.clipboard,
                                                       self._seconds))
        fit_rows(self.table, len(held.credentials))
        self.table.setVisible(bool(held.credentials))
        self.empty_label.setVisible(not held.credentials)
        steps = "".join(f"<li>{label.format(name=held.person.name)}</li>"
                        for _, label in PLATFORM_STEPS)
        self.checklist.setText(
            f"<ol style='margin-left: -20px'>{steps}</ol>"
            "<span style='color: palette(placeholder-text)'>Each rotation stays <b>pending</b> "
            "until someone confirms, on the Handover page, that it was done on the platform. "
            "Pending rotations are listed there and when smmod starts.</span>")

    def isComplete(self) -> bool:  # QWizardPage.isComplete
        return all(self._state.secrets.get(c.credential_id)
                   for c in (self._state.held.credentials if self._state.held else ()))


class WorkPage(QWizardPage):
    def __init__(self, state: WizardState) -> None:
        super().__init__()
        self._state = state
        self.setTitle(title_html("Reassign their work"))
        self.setSubTitle("Claimed queue items go to someone who may work that account's "
                         "queue; incidents go to a member of SLT.")
        self.all_combo = PersonCombo("Give every item to")
        self.all_combo.setObjectName("handover_items_all")
        self.all_button = QPushButton("Give &all items to them")
        self.all_button.setObjectName("handover_items_all_button")
        self.items_table = self._table("handover_items", "Claimed queue items",
                                       ["Item", "Account", "From", "Give to"])
        self.incidents_table = self._table("handover_incidents", "Incidents they lead",
                                           ["Incident", "Status", "Lead from now on"])
        self.problem_label = banner(ERROR_STYLE, "handover_work_problem")
        self.todo_label = QLabel()
        self.todo_label.setObjectName("handover_work_todo")
        self.todo_label.setStyleSheet(MUTED_STYLE)
        self.items_heading = heading("Queue items they have claimed")
        self.incidents_heading = heading("Incidents they lead")
        self.empty_label = QLabel("They have no claimed items and lead no incidents.")
        self.empty_label.setStyleSheet(MUTED_STYLE)
        all_row = QHBoxLayout()
        all_row.addWidget(QLabel("Give every item to:"))
        all_row.addWidget(self.all_combo)
        all_row.addWidget(self.all_button)
        all_row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.items_heading)
        layout.addLayout(all_row)
        layout.addWidget(self.items_table)
        layout.addSpacing(10)
        layout.addWidget(self.incidents_heading)
        layout.addWidget(self.incidents_table)
        layout.addWidget(self.problem_label)
        layout.addWidget(self.todo_label)
        layout.addStretch(1)
        self.all_button.clicked.connect(self._on_all_button_clicked)
        state.plan_changed.connect(self._on_state_plan_changed)

    @staticmethod
    def _table(name: str, accessible: str, headers: list[str]) -> QTableWidget:
        table = QTableWidget(0, len(headers))
        table.setObjectName(name)
        table.setAccessibleName(accessible)
        table.setHorizontalHeaderLabels(headers)
        table.verticalHeader().hide()
        table.verticalHeader().setDefaultSectionSize(36)
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        table.setSelectionMode(QTableWidget.SelectionMode.NoSelection)
        table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        table.setWordWrap(False)
        header = table.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        for column in range(len(headers) - 1):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(len(headers) - 1, QHeaderView.ResizeMode.Stretch)
        return table

    def _runs(self, account_id: int) -> frozenset[int]:
        """Who runs an account once the plan is applied (they may take its items)."""
        assert self._state.held is not None and self._state.plan is not None
        account = self._state.held.account(account_id)
        if account is None:
            return frozenset()
        decision = self._state.plan.decision(account_id)
        added = {sid for sid in (decision.new_lead, decision.new_runner,
                                 decision.new_administrator) if sid is not None}
        return frozenset({p.staff_id for p in account.others} | added)

    def initializePage(self) -> None:  # QWizardPage.initializePage
        held, plan = self._state.held, self._state.plan
        assert held is not None and plan is not None
        people = self._state.people
        self.all_combo.fill(people, lambda c: why_not(c, eligibility=False, need_moderator=True),
                            None)
        self.items_table.setRowCount(len(held.items))
        for row, item in enumerate(held.items):
            runs = self._runs(item.account_id)
            combo = PersonCombo(f"Give item #{item.item_id} to")
            combo.setObjectName(f"handover_item_{item.item_id}")
            combo.fill(people, lambda c, runs=runs: why_not(  # type: ignore[misc]
                c, eligibility=False, need_moderator=True, runs=runs), plan.items.get(item.item_id))
            combo.person_chosen.connect(
                lambda sid, item_id=item.item_id: self._state.set_item(item_id, sid))
            self.items_table.setItem(row, 0, QTableWidgetItem(f"#{item.item_id}"))
            self.items_table.setItem(row, 1, QTableWidgetItem(item.account_shown))
            text = QTableWidgetItem(f"{item.author}: {item.excerpt}")
            text.setToolTip(tip(item.excerpt))
            self.items_table.setItem(row, 2, text)
            self.items_table.setCellWidget(row, 3, combo)
        self.items_table.horizontalHeader().setSectionResizeMode(
            2, QHeaderView.ResizeMode.Interactive)
        self.items_table.setColumnWidth(2, 330)
        self.incidents_table.setRowCount(len(held.incidents))
        for row, incident in enumerate(held.incidents):
            combo = PersonCombo(f"Lead of {incident.label}")
            combo.setObjectName(f"handover_incident_{incident.incident_id}")
            combo.fill(people, lambda c: why_not(c, eligibility=False, need_slt=True),
                       plan.incidents.get(incident.incident_id))
            combo.person_chosen.connect(
                lambda sid, key=incident.incident_id: self._state.set_incident(key, sid))
            self.incidents_table.setItem(row, 0, QTableWidgetItem(incident.label))
            self.incidents_table.setItem(row, 1, QTableWidgetItem(incident.status.capitalize()))
            self.incidents_table.setCellWidget(row, 2, combo)
        fit_rows(self.items_table, min(len(held.items), 8))
        fit_rows(self.incidents_table, min(len(held.incidents), 4))
        for widget in (self.items_heading, self.all_combo, self.all_button, self.items_table):
            widget.setVisible(bool(held.items))
        self.incidents_heading.setVisible(bool(held.incidents))
        self.incidents_table.setVisible(bool(held.incidents))
        self.empty_label.setVisible(not held.items and not held.incidents)
        self._refresh()

    def isComplete(self) -> bool:  # QWizardPage.isComplete
        return not [p for p in self._state.check.blocking
                    if p.where.startswith(("item:", "incident:"))]

    def item_combo(self, item_id: int) -> PersonCombo:
        return self.findChild(PersonCombo, f"handover_item_{item_id}")  # type: ignore[return-value]

    @Slot()
    def _on_all_button_clicked(self) -> None:
        staff_id = self.all_combo.chosen()
        if staff_id is None or self._state.held is None:
            return
        for item in self._state.held.items:
            self.item_combo(item.item_id).choose(staff_id)

    @Slot()
    def _on_state_plan_changed(self) -> None:
        if self.isVisible():
            self._refresh()

    def _refresh(self) -> None:
        problems = [p for p in self._state.check.problems
                    if p.where.startswith(("item:", "incident:"))]
        wrong = [p for p in problems if not p.incomplete]
        todo = len(problems) - len(wrong)
        self.problem_label.setText(problems_text(wrong))
        self.problem_label.setVisible(bool(wrong))
        self.todo_label.setText(f"Choose someone for {todo} more to continue." if todo else "")
        self.completeChanged.emit()
