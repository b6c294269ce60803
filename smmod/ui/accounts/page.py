"""The Accounts page: the register with its filters, one account's detail, and the vault."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QSortFilterProxyModel, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from smmod.accounts import (
    STATUS_LABELS,
    AccountFilter,
    AccountRecord,
    AccountService,
    CredentialService,
    Reminder,
)
from smmod.staff.service import StaffRecord
from smmod.store.models import PLATFORMS
from smmod.ui import msgbox
from smmod.ui.accounts.columns import HANDLE_MIN, account_fits, add_column_choice
from smmod.ui.accounts.credentials_panel import VAULT_SHORTCUTS
from smmod.ui.accounts.detail import AccountDetail, AccountView
from smmod.ui.accounts.dialogs import AccountDialog
from smmod.ui.accounts.model import (
    COL_HANDLE,
    AccountTableModel,
    ObjectRole,
    SortRole,
)
from smmod.ui.accounts.reminders import reminder_text
from smmod.ui.accounts.workflow import AccountWorkflow
from smmod.ui.column_fit import ColumnFitter
from smmod.ui.pages import PageDeps
from smmod.ui.platforms import PLATFORM_LABELS

_BANNER = ("background: #fff4e5; color: #663c00; border: 1px solid #f3d19e;"
           " border-radius: 4px; padding: 6px 10px;")


class AccountsPage(QWidget):
    accounts_loaded = Signal(int)  # rows in the model
    detail_loaded = Signal(int)  # account id now shown
    account_changed = Signal()  # after any successful change

    def __init__(self, deps: PageDeps) -> None:
        super().__init__()
        self._ctx, self._runner = deps.ctx, deps.runner
        self._model = AccountTableModel(self)
        self._proxy = QSortFilterProxyModel(self)
        self._proxy.setSourceModel(self._model)
        self._proxy.setSortRole(SortRole)
        self._dialog: QDialog | None = None
        self._select_after_load: int | None = None
        self._resetting = False
        self.workflow = AccountWorkflow(lambda: self._ctx.accounts, lambda: self._ctx.actor,
                                        self._runner, self)
        self.detail = AccountDetail(self._ctx, self._runner, lambda: self._ctx.credentials)
        self._init_widgets()
        self._init_layout()
        self._connect_signals()
        self._update_buttons()

    # -- assembly -----------------------------------------------------------------
    def _init_widgets(self) -> None:
        self.title_label = QLabel("Accounts")
        self.title_label.setStyleSheet("font-size: 16pt; font-weight: 600;")
        self.summary_label = QLabel("Loading…")
        self.summary_label.setObjectName("accounts_summary")
        self.summary_label.setStyleSheet("color: palette(placeholder-text);")
        self.notice_label = QLabel()
        self.notice_label.setObjectName("accounts_notice")
        self.notice_label.setStyleSheet("color: #1b5e20;")
        self._notice_timer = QTimer(self)
        self._notice_timer.setSingleShot(True)
        self._notice_timer.setInterval(10_000)
        self.reminder_label = QLabel()
        self.reminder_label.setObjectName("credential_reminders")
        self.reminder_label.setStyleSheet(_BANNER)
        self.reminder_label.setWordWrap(True)
        self.reminder_label.hide()
        self.new_action = QAction("&New draft…", self)
        self.new_action.setShortcut(QKeySequence("Ctrl+N"))
        self.register_action = QAction("&Register existing…", self)
        self.register_action.setShortcut(QKeySequence("Ctrl+Shift+N"))
        self.find_action = QAction("&Find", self)
        self.find_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Find))
        for action in (self.new_action, self.register_action, self.find_action):
            self.addAction(action)
        self.new_button = self._button(self.new_action, "accounts_new_button")
        self.register_button = self._button(self.register_action, "accounts_register_button")
        self.status_combo = QComboBox()
        self.status_combo.setAccessibleName("Filter by status")
        self.status_combo.addItem("All statuses", None)
        for key, label in STATUS_LABELS.items():
            self.status_combo.addItem(label, key)
        self.platform_combo = QComboBox()
        self.platform_combo.setAccessibleName("Filter by platform")
        self.platform_combo.addItem("All platforms", None)
        for key in PLATFORMS:
            self.platform_combo.addItem(PLATFORM_LABELS[key], key)
        self.at_risk_check = QCheckBox("Only at ris&k")
        self.at_risk_check.setAccessibleName("Only accounts at risk")
        self.search_edit = QLineEdit()
        self.search_edit.setAccessibleName("Search accounts")
        self.search_edit.setPlaceholderText("Search handle or address  (Ctrl+F)")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setMinimumWidth(240)
        self.table = QTableView()
        self.table.setObjectName("accounts_table")
        self.table.setAccessibleName("Account register")
        self.table.setModel(self._proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(COL_HANDLE, Qt.SortOrder.AscendingOrder)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(30)
        header = self.table.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        # The account's name takes the spare width; the others fit their contents and give
        # way (elided, in full in the tooltip) so the list never scrolls sideways.
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        add_column_choice(self.table)
        self.column_fitter = ColumnFitter(self.table, account_fits(self.table), COL_HANDLE,
                                          stretch_min=HANDLE_MIN)
        self.detail_scroll = QScrollArea()
        self.detail_scroll.setWidgetResizable(True)
        self.detail_scroll.setWidget(self.detail)
        self.detail_scroll.setFrameShape(QScrollArea.Shape.NoFrame)

    @staticmethod
    def _button(action: QAction, name: str) -> QPushButton:
        button = QPushButton(action.text())
        button.setObjectName(name)
        button.setAccessibleName(action.text().replace("&", "").rstrip("…"))
        button.clicked.connect(action.trigger)
        return button

    def _init_layout(self) -> None:
        heading = QHBoxLayout()
        heading.addWidget(self.title_label)
        heading.addSpacing(12)
        heading.addWidget(self.summary_label, 0, Qt.AlignmentFlag.AlignBottom)
        heading.addStretch(1)
        heading.addWidget(self.notice_label, 0, Qt.AlignmentFlag.AlignBottom)
        tools = QHBoxLayout()
        tools.addWidget(self.new_button)
        tools.addWidget(self.register_button)
        tools.addStretch(1)
        filters: tuple[QWidget, ...] = (self.status_combo, self.platform_combo,
                                        self.at_risk_check, self.search_edit)
        for widget in filters:
            tools.addWidget(widget)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.table)
        splitter.addWidget(self.detail_scroll)
        # The detail gets the larger share: its labels wrap, but a narrow pane is a long one.
        # The list keeps enough for its columns to fit without scrolling sideways.
        splitter.setStretchFactor(0, 5)
        splitter.setStretchFactor(1, 6)
        splitter.setSizes([500, 600])
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 14, 16, 12)
        layout.setSpacing(10)
        layout.addLayout(heading)
        layout.addWidget(self.reminder_label)
        layout.addLayout(tools)
        layout.addWidget(splitter, 1)

    def _connect_signals(self) -> None:
        self.new_action.triggered.connect(self._on_new_triggered)
        self.register_action.triggered.connect(self._on_register_triggered)
        self.find_action.triggered.connect(self._on_find_triggered)
        self.status_combo.currentIndexChanged.connect(self._on_filter_changed)
        self.platform_combo.currentIndexChanged.connect(self._on_filter_changed)
        self.at_risk_check.toggled.connect(self._on_filter_changed)
        self.search_edit.textChanged.connect(self._on_filter_changed)
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.detail.action_requested.connect(self._on_detail_action_requested)
        self.detail.credentials_panel.changed.connect(self._on_credentials_changed)
        self.detail.credentials_panel.notice.connect(self._show_notice)
        self.workflow.succeeded.connect(self._on_workflow_succeeded)
        self.workflow.failed.connect(self._on_workflow_failed)
        self._notice_timer.timeout.connect(self.notice_label.clear)

    # -- page protocol ------------------------------------------------------------
    def refresh(self) -> None:
        """Reload the register and the credential reminders (shown at start-up)."""
        ctx, flt = self._ctx, self.current_filter()

        def load() -> tuple[list[AccountRecord], list[Reminder]]:
            return ctx.accounts.list(flt), ctx.credentials.reminders()

        self._runner.run(load, self._on_list_loaded, self._on_task_failed)

    def shortcuts(self) -> list[tuple[str, str]]:
        return [("Ctrl+N", "Draft a new account"), ("Ctrl+Shift+N", "Register an existing account"),
                ("Ctrl+F", "Search accounts"), *VAULT_SHORTCUTS]

    # -- public -------------------------------------------------------------------
    @property
    def model(self) -> AccountTableModel:
        return self._model

    @property
    def proxy(self) -> QSortFilterProxyModel:
        return self._proxy

    def current_dialog(self) -> QDialog | None:
        return self._dialog

    def current_filter(self) -> AccountFilter:
        return AccountFilter(status=self.status_combo.currentData(),
                             platform=self.platform_combo.currentData(),
                             at_risk=self.at_risk_check.isChecked(),
                             text=self.search_edit.text())

    def selected_record(self) -> AccountRecord | None:
        rows = self.table.selectionModel().selectedRows()
        record = rows[0].data(ObjectRole) if rows else None
        return record if isinstance(record, AccountRecord) else None

    def select_account(self, account_id: int) -> bool:
        row = self._model.row_where(lambda r: r.id == account_id)
        if row < 0:
            return False
        index = self._proxy.mapFromSource(self._model.index(row, COL_HANDLE))
        flags = (QItemSelectionModel.SelectionFlag.ClearAndSelect
                 | QItemSelectionModel.SelectionFlag.Rows)
        self.table.selectionModel().setCurrentIndex(index, flags)
        self.table.scrollTo(index)
        return True

    def reload_detail(self) -> None:
        record = self.selected_record()
        if record is None:
            self.detail.show_view(None)
            return
        ctx, account_id = self._ctx, record.id

        def load() -> AccountView:
            credentials: CredentialService = ctx.credentials
            accounts: AccountService = ctx.accounts
            return AccountView(accounts.get(account_id), accounts.history(account_id),
                               credentials.list(account_id), credentials.status())

        self._runner.run(load, self._on_detail_loaded, self._on_task_failed)

    # -- loading ------------------------------------------------------------------
    def _on_list_loaded(self, result: tuple[list[AccountRecord], list[Reminder]]) -> None:
        records, reminders = result
        keep = self._select_after_load
        if keep is None:
            current = self.selected_record()
            keep = current.id if current else None
        self._select_after_load = None
        self._resetting = True  # one detail reload below, not one per selection change
        try:
            self._model.set_records(records)
            kept = keep is not None and self.select_account(keep)
        finally:
            self._resetting = False
        if kept:
            self.reload_detail()
        else:
            self.detail.show_view(None)
        at_risk = sum(1 for r in records if r.at_risk)
        overdue = sum(1 for r in records if r.review_overdue)
        parts = [f"{len(records)} account{'s' if len(records) != 1 else ''}"]
        if at_risk:
            parts.append(f"{at_risk} at risk")
        if overdue:
            parts.append(f"{overdue} review overdue")
        self.summary_label.setText("  ·  ".join(parts))
        self.reminder_label.setText(reminder_text(reminders))
        self.reminder_label.setVisible(bool(reminders))
        self._update_buttons()
        self.accounts_loaded.emit(len(records))

    def _on_detail_loaded(self, view: AccountView) -> None:
        current = self.selected_record()
        if current is None or current.id != view.record.id:
            return  # the selection moved on meanwhile
        previous = self.detail.view
        self.detail.show_view(view)
        if previous is None or previous.record.id != view.record.id:
            self.detail_scroll.verticalScrollBar().setValue(0)  # a new account: from the top
        self.detail_loaded.emit(view.record.id)

    def _on_task_failed(self, exc: BaseException) -> None:
        msgbox.show_error(self, exc, title="Accounts")

    def _update_buttons(self) -> None:
        actor = self._ctx.actor
        self.new_action.setEnabled(actor.known)
        self.register_action.setEnabled(actor.has("slt", "administrator"))
        self.new_button.setEnabled(self.new_action.isEnabled())
        self.register_button.setEnabled(self.register_action.isEnabled())
        self.register_button.setToolTip("" if self.register_action.isEnabled() else
                                        "Only SLT or administrators register existing accounts.")
        self.detail.update_actions()

    @Slot(str)
    def _show_notice(self, text: str) -> None:
        self.notice_label.setText(text)
        self._notice_timer.start()

    # -- dialogs ------------------------------------------------------------------
    def _open_account_dialog(self, mode: str, record: AccountRecord | None) -> None:
        if self._dialog is not None:
            return
        ctx = self._ctx

        def open_with(staff: list[StaffRecord]) -> None:
            dialog = AccountDialog(ctx.accounts, ctx.actor, self._runner, staff, mode=mode,
                                   record=record, parent=self)
            dialog.saved.connect(self._on_dialog_saved)
            dialog.finished.connect(self._on_dialog_finished)
            self._dialog = dialog
            dialog.open()

        self._runner.run(lambda: ctx.staff.list(), open_with, self._on_task_failed)

    @Slot(int)
    def _on_dialog_finished(self, _result: int) -> None:
        dialog = self.sender()
        if dialog is self._dialog:
            self._dialog = None
        if isinstance(dialog, QDialog):
            dialog.deleteLater()

    @Slot(object)
    def _on_dialog_saved(self, record: AccountRecord) -> None:
        self._after_change(record, f"Saved {record.label}.")

    # -- slots --------------------------------------------------------------------
    @Slot()
    def _on_new_triggered(self) -> None:
        if self.new_action.isEnabled():
            self._open_account_dialog("draft", None)

    @Slot()
    def _on_register_triggered(self) -> None:
        if self.register_action.isEnabled():
            self._open_account_dialog("register", None)

    @Slot()
    def _on_find_triggered(self) -> None:
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    @Slot()
    def _on_filter_changed(self) -> None:
        self.refresh()

    @Slot()
    def _on_selection_changed(self) -> None:
        if not self._resetting:
            self.reload_detail()

    @Slot(str)
    def _on_detail_action_requested(self, action: str) -> None:
        view = self.detail.view
        if view is None:
            return
        if action == "edit":
            self._open_account_dialog("edit", view.record)
        else:
            self.workflow.run(action, view.record)

    @Slot(object, str)
    def _on_workflow_succeeded(self, record: AccountRecord, notice: str) -> None:
        self._after_change(record, notice)

    @Slot(object)
    def _on_workflow_failed(self, exc: BaseException) -> None:
        msgbox.show_error(self, exc, title="Accounts")
        self.refresh()

    @Slot()
    def _on_credentials_changed(self) -> None:
        self.refresh()  # the reminders may change; re-selecting reloads the detail

    def _after_change(self, record: AccountRecord, notice: str) -> None:
        self._select_after_load = record.id
        self._show_notice(notice)
        self.account_changed.emit()
        self.refresh()  # re-selects the account, which reloads its detail
