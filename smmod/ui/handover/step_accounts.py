"""Step 3: transfer or close each account, with R4 on every new person and R2 checked live."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QRadioButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from smmod.accounts.records import STATUS_LABELS
from smmod.handover import CLOSE_STEPS, AccountDecision
from smmod.handover.checks import MIN_RUNNERS, runners_after
from smmod.handover.records import HeldAccount
from smmod.ui.handover.state import WizardState
from smmod.ui.handover.step_person import pydate, qdate
from smmod.ui.handover.widgets import (
    ERROR_STYLE,
    MUTED_STYLE,
    OK_STYLE,
    WARN_STYLE,
    PersonCombo,
    banner,
    problems_text,
    title_html,
    why_not,
)

STEP_CHOICES = (("", "— choose —"), ("done", "Done"), ("deferred", "Defer to…"))


class AccountEditor(QWidget):
    """The decision for one account; every change goes straight into the shared plan."""

    def __init__(self, account: HeldAccount, state: WizardState) -> None:
        super().__init__()
        self.account = account
        self._state = state
        self._loading = False
        key = account.account_id
        others = ", ".join(f"{p.name} ({p.role})" for p in account.others) or "nobody else"
        title = QLabel(account.shown)
        title.setStyleSheet("font-size: 13pt; font-weight: 600;")
        facts = QLabel(f"{STATUS_LABELS.get(account.status, account.status)} · {self._state.leaver_name} is "
                       f"{' and '.join(account.roles)} · also named: {others}")
        facts.setWordWrap(True)
        facts.setStyleSheet(MUTED_STYLE)
        self.transfer_radio = QRadioButton("&Transfer it to someone else")
        self.close_radio = QRadioButton("&Close the account")
        for radio, name in ((self.transfer_radio, "transfer"), (self.close_radio, "close")):
            radio.setObjectName(f"handover_{name}_{key}")
        self._choice = QButtonGroup(self)
        self._choice.addButton(self.transfer_radio)
        self._choice.addButton(self.close_radio)
        self.lead_combo = PersonCombo("New lead")
        self.runner_combo = PersonCombo("Add a runner", empty_text="— nobody new —")
        self.admin_combo = PersonCombo("New administrator", empty_text="— nobody new —")
        for combo, name in ((self.lead_combo, "lead"), (self.runner_combo, "runner"),
                            (self.admin_combo, "admin")):
            combo.setObjectName(f"handover_{name}_{key}")
        self.transfer_box = QGroupBox("Transfer")
        form = QFormLayout(self.transfer_box)
        if "lead" in account.roles:
            form.addRow("New &lead:", self.lead_combo)
        form.addRow("Add a &runner:", self.runner_combo)
        form.addRow("New a&dministrator:", self.admin_combo)
        self.runners_label = QLabel()
        self.runners_label.setObjectName(f"handover_runners_{key}")
        self.runners_label.setWordWrap(True)
        form.addRow(self.runners_label)
        self.close_box = QGroupBox("Close")
        self.reason_edit = QLineEdit()
        self.reason_edit.setObjectName(f"handover_close_reason_{key}")
        self.reason_edit.setAccessibleName("Why it is closed")
        self.reason_edit.setPlaceholderText(f"{self._state.leaver_name} is leaving")
        close_layout = QVBoxLayout(self.close_box)
        reason_row = QFormLayout()
        reason_row.addRow("&Why:", self.reason_edit)
        close_layout.addLayout(reason_row)
        self.step_combos: dict[str, QComboBox] = {}
        self.step_dates: dict[str, QDateEdit] = {}
        if account.needs_checklist:
            close_layout.addWidget(self._checklist())
        else:
            note = QLabel("It is not on the platform yet, so there is nothing to close there.")
            note.setStyleSheet(MUTED_STYLE)
            close_layout.addWidget(note)
        self.problem_label = banner(ERROR_STYLE, f"handover_account_problem_{key}")
        self.todo_label = QLabel()
        self.todo_label.setObjectName(f"handover_account_todo_{key}")
        self.todo_label.setWordWrap(True)
        self.todo_label.setStyleSheet(MUTED_STYLE)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 0, 0, 0)
        layout.addWidget(title)
        layout.addWidget(facts)
        choice = QHBoxLayout()
        choice.addWidget(self.transfer_radio)
        choice.addWidget(self.close_radio)
        choice.addStretch(1)
        layout.addLayout(choice)
        layout.addWidget(self.transfer_box)
        layout.addWidget(self.close_box)
        layout.addWidget(self.problem_label)
        layout.addWidget(self.todo_label)
        layout.addStretch(1)
        self._connect_signals()

    def _checklist(self) -> QWidget:
        box = QWidget()
        grid = QGridLayout(box)
        grid.setContentsMargins(0, 4, 0, 0)
        grid.setColumnStretch(0, 1)
        default_due = qdate(self._state.service.today() + timedelta(days=14))
        for row, (step, label) in enumerate(CLOSE_STEPS):
            combo = QComboBox()
            combo.setObjectName(f"handover_step_{step}_{self.account.account_id}")
            combo.setAccessibleName(label)
            for value, shown in STEP_CHOICES:
                combo.addItem(shown, value)
            due = QDateEdit(default_due)
            due.setObjectName(f"handover_due_{step}_{self.account.account_id}")
            due.setAccessibleName(f"Due date: {label}")
            due.setCalendarPopup(True)
            due.setDisplayFormat("d MMM yyyy")
            policy = due.sizePolicy()
            policy.setRetainSizeWhenHidden(True)  # the rows do not jump when one is deferred
            due.setSizePolicy(policy)
            due.hide()
            text = QLabel(label)
            text.setWordWrap(True)
            text.setBuddy(combo)
            grid.addWidget(text, row, 0)
            grid.addWidget(combo, row, 1)
            grid.addWidget(due, row, 2)
            self.step_combos[step], self.step_dates[step] = combo, due
        return box

    def _connect_signals(self) -> None:
        self.transfer_radio.toggled.connect(self._on_choice_toggled)
        self.close_radio.toggled.connect(self._on_choice_toggled)
        for combo in (self.lead_combo, self.runner_combo, self.admin_combo):
            combo.person_chosen.connect(self._on_person_chosen)
        self.reason_edit.textChanged.connect(self._on_editor_changed)
        for step_combo in self.step_combos.values():
            step_combo.currentIndexChanged.connect(self._on_editor_changed)
        for due in self.step_dates.values():
            due.dateChanged.connect(self._on_editor_changed)

    # -- from the plan to the widgets ------------------------------------------------
    def load(self) -> None:
        assert self._state.plan is not None
        decision = self._state.plan.decision(self.account.account_id)
        self._loading = True
        others = self.account.others
        running = {p.staff_id for p in others if p.role in ("lead", "runner")}
        admins = {p.staff_id for p in others if p.role == "administrator"}
        people = self._state.people
        self.lead_combo.fill(people, why_not, decision.new_lead)
        self.runner_combo.fill(
            people, lambda c: "already runs it" if c.staff_id in running else why_not(c),
            decision.new_runner)
        self.admin_combo.fill(
            people, lambda c: "already an administrator" if c.staff_id in admins
            else why_not(c), decision.new_administrator)
        self.transfer_radio.setChecked(decision.action == "transfer")
        self.close_radio.setChecked(decision.action == "close")
        if not decision.action:
            self._choice.setExclusive(False)
            self.transfer_radio.setChecked(False)
            self.close_radio.setChecked(False)
            self._choice.setExclusive(True)
        self.reason_edit.setText(decision.close_reason)
        for step, combo in self.step_combos.items():
            state = decision.step(step)
            combo.setCurrentIndex(max(combo.findData(state.state), 0))
            if state.due_on is not None:
                self.step_dates[step].setDate(qdate(state.due_on))
            self.step_dates[step].setVisible(state.state == "deferred")
        self._loading = False
        self._show_action(decision.action)
        self.refresh()

    def refresh(self) -> None:
        """Re-show the live rules for this account (called on every plan change)."""
        where = f"account:{self.account.account_id}"
        about = self._state.check.about(where)
        wrong = [p for p in about if not p.overridable and not p.incomplete]
        todo = [p for p in about if p.incomplete]
        self.problem_label.setText(problems_text(wrong))
        self.problem_label.setVisible(bool(wrong))
        self.todo_label.setText(problems_text(todo))
        self.todo_label.setVisible(bool(todo))
        assert self._state.plan is not None
        decision = self._state.plan.decision(self.account.account_id)
        people = {c.staff_id: c for c in self._state.people}
        running = [p for p in runners_after(self.account, decision, people)
                   if p is not None and p.is_staff and p.eligible]
        names = ", ".join(p.name for p in running) or "nobody"
        short = (self.account.live and bool({"lead", "runner"} & set(self.account.roles))
                 and len(running) < MIN_RUNNERS)
        self.runners_label.setText(
            f"After the handover {len(running)} eligible staff member"
            f"{'s' if len(running) != 1 else ''} run it: {names}."
            + (f" R2 needs {MIN_RUNNERS}: add a runner, or an SLT member overrides below."
               if short else ""))
        self.runners_label.setStyleSheet(WARN_STYLE if short else OK_STYLE)

    # -- from the widgets to the plan ------------------------------------------------
    def _decision(self) -> AccountDecision:
        assert self._state.plan is not None
        current = self._state.plan.decision(self.account.account_id)
        action = ("transfer" if self.transfer_radio.isChecked()
                  else "close" if self.close_radio.isChecked() else "")
        decision = replace(current, action=action, new_lead=self.lead_combo.chosen(),
                           new_runner=self.runner_combo.chosen(),
                           new_administrator=self.admin_combo.chosen(),
                           close_reason=self.reason_edit.text().strip())
        for step, combo in self.step_combos.items():
            value = combo.currentData() or ""
            due = pydate(self.step_dates[step].date()) if value == "deferred" else None
            decision = decision.with_step(step, value, due)
        return decision

    def _show_action(self, action: str) -> None:
        self.transfer_box.setVisible(action == "transfer")
        self.close_box.setVisible(action == "close")

    def _push(self) -> None:
        if self._loading:
            return
        for step, combo in self.step_combos.items():
            self.step_dates[step].setVisible(combo.currentData() == "deferred")
        decision = self._decision()
        self._show_action(decision.action)
        self._state.set_decision(decision)

    @Slot(bool)
    def _on_choice_toggled(self, _checked: bool) -> None:
        self._push()

    @Slot(object)
    def _on_person_chosen(self, _staff_id: object) -> None:
        self._push()

    @Slot()
    def _on_editor_changed(self) -> None:
        self._push()


class AccountsPage(QWizardPage):
    def __init__(self, state: WizardState) -> None:
        super().__init__()
        self._state = state
        self.editors: dict[int, AccountEditor] = {}
        self.setTitle(title_html("Transfer or close each account"))
        self.setSubTitle("Only eligible people can take over (R4: policy read, training "
                         "current, not leaving). Two eligible staff must run every live "
                         "account (R2).")
        self.account_list = QListWidget()
        self.account_list.setObjectName("handover_account_list")
        self.account_list.setAccessibleName("Accounts to decide")
        self.account_list.setFixedWidth(215)
        self.account_list.setWordWrap(True)
        self.account_list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.account_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.account_list.setStyleSheet("QListWidget::item { padding: 6px 4px; }")
        self.stack = QStackedWidget()
        self.override_box = QGroupBox("SLT override of the two-runner rule (R2)")
        self.override_box.setObjectName("handover_override_box")
        self.override_text = QLabel()
        self.override_text.setWordWrap(True)
        self.override_edit = QLineEdit()
        self.override_edit.setObjectName("handover_override_reason")
        self.override_edit.setAccessibleName("Reason for the SLT override")
        self.override_edit.setPlaceholderText("Why the account may run with fewer than two "
                                              "for now")
        box = QVBoxLayout(self.override_box)
        box.addWidget(self.override_text)
        box.addWidget(self.override_edit)
        self.empty_label = QLabel("They hold no accounts: there is nothing to decide here.")
        self.empty_label.setStyleSheet(MUTED_STYLE)
        row = QHBoxLayout()
        row.addWidget(self.account_list)
        row.addWidget(self.stack, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.empty_label)
        layout.addLayout(row, 1)
        layout.addWidget(self.override_box)
        self.account_list.currentRowChanged.connect(self.stack.setCurrentIndex)
        self.override_edit.textEdited.connect(self._on_override_edit_text_edited)
        state.plan_changed.connect(self._on_state_plan_changed)

    def initializePage(self) -> None:  # QWizardPage.initializePage
        held = self._state.held
        assert held is not None
        if set(self.editors) != {a.account_id for a in held.accounts}:
            self.account_list.clear()
            while self.stack.count():
                widget = self.stack.widget(0)
                assert widget is not None
                self.stack.removeWidget(widget)
                widget.deleteLater()
            self.editors = {}
            for account in held.accounts:
                editor = AccountEditor(account, self._state)
                self.editors[account.account_id] = editor
                self.stack.addWidget(editor)
                item = QListWidgetItem(account.shown)
                item.setData(Qt.ItemDataRole.UserRole, account.account_id)
                self.account_list.addItem(item)
        for editor in self.editors.values():
            editor.load()
        self.empty_label.setVisible(not held.accounts)
        self.account_list.setVisible(bool(held.accounts))
        if held.accounts and self.account_list.currentRow() < 0:
            self.account_list.setCurrentRow(0)
        assert self._state.plan is not None
        self.override_edit.setText(self._state.plan.override_reason)
        self._refresh()

    def isComplete(self) -> bool:  # QWizardPage.isComplete
        blocking = [p for p in self._state.check.blocking if p.where.startswith("account:")]
        needs = self._state.override_needed and not (
            self._state.plan and self._state.plan.override_reason.strip())
        return not blocking and not needs

    @Slot(str)
    def _on_override_edit_text_edited(self, text: str) -> None:
        self._state.set_override(text)

    @Slot()
    def _on_state_plan_changed(self) -> None:
        if self.editors:
            self._refresh()

    def _refresh(self) -> None:
        check = self._state.check
        for row in range(self.account_list.count()):
            item = self.account_list.item(row)
            account_id = item.data(Qt.ItemDataRole.UserRole)
            editor = self.editors[account_id]
            editor.refresh()
            assert self._state.plan is not None
            action = self._state.plan.decision(account_id).action
            problems = check.about(f"account:{account_id}")
            wrong = any(not p.overridable for p in problems)
            mark = "○" if not action else "⚠" if wrong or problems else "✓"
            verb = {"transfer": "Transfer", "close": "Close", "": "To decide"}[action]
            if problems and action:
                verb += ": R2 override needed" if not wrong else ": not finished"
            item.setText(f"{mark}  {editor.account.shown}\n     {verb}")
            item.setToolTip(problems_text(problems) if problems else "Ready")
        needs = check.needs_override
        self.override_box.setVisible(bool(needs))
        slt = self._state.actor.has("slt")
        self.override_edit.setEnabled(slt)
        self.override_text.setText(
            problems_text(needs) + ("\nAs a member of SLT you may apply it anyway: say why."
                                    if slt else "\nOnly a member of SLT may override this: "
                                    "name more runners, or ask SLT to run this handover."))
        self.completeChanged.emit()
