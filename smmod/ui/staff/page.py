"""The Staff page: the register, who may run accounts (R4), and the editing actions."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QStackedWidget,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from smmod.staff import logins
from smmod.staff.logins import NO_SERVER, LoginPower
from smmod.staff.service import ImportResult, StaffRecord, StaffService
from smmod.ui import msgbox
from smmod.ui.pages import PageDeps
from smmod.ui.staff.actions import StaffActions, why_not_editable
from smmod.ui.staff.deactivate import DeactivateFlow
from smmod.ui.staff.dialogs import StaffDialog
from smmod.ui.staff.importer import StaffImportFlow
from smmod.ui.staff.model import (
    COL_ELIGIBLE,
    COL_NAME,
    COL_ROLES,
    DATE_COLUMNS,
    ObjectRole,
    StaffFilterProxy,
    StaffTableModel,
    empty_text,
    summary_text,
)
from smmod.ui.staff.server_logins import GiveLoginDialog, NewLogin, NewLoginDialog

_TITLE_STYLE = "font-size: 16pt; font-weight: 600;"
_MUTED_STYLE = "color: palette(placeholder-text);"
_BANNER_STYLE = ("background: #fff4e5; color: #663c00; border: 1px solid #f3d19e;"
                 " border-radius: 4px; padding: 6px 10px;")


class StaffPage(QWidget):
    """Lists everyone in the register; SLT and administrators add, edit and deactivate."""

    records_loaded = Signal(int)  # rows now in the model
    register_changed = Signal()  # after a save, import or (de)activation

    def __init__(self, deps: PageDeps) -> None:
        super().__init__()
        self._ctx = deps.ctx
        self._runner = deps.runner
        self._service: StaffService = deps.ctx.staff
        self._model = StaffTableModel(self)
        self._proxy = StaffFilterProxy(self)
        self._proxy.setSourceModel(self._model)
        self._dialog: QDialog | None = None
        self._loaded_once = False
        self._select_after_load: int | None = None
        self._power: LoginPower = NO_SERVER
        self._init_table()
        self.staff_actions = StaffActions(self, self.table)
        self._importer = StaffImportFlow(self._service, self._runner, self._open_dialog, self)
        self.deactivation = DeactivateFlow(self._ctx, self._runner, self)
        self._init_header()
        self._init_toolbar()
        self._init_layout()
        self._connect_signals()
        self._update_actions()

    # -- assembly -----------------------------------------------------------------
    def _init_header(self) -> None:
        self.title_label = QLabel("Staff register")
        self.title_label.setStyleSheet(_TITLE_STYLE)
        self.summary_label = QLabel("Loading…")
        self.summary_label.setObjectName("staff_summary")
        self.summary_label.setStyleSheet(_MUTED_STYLE)
        self.notice_label = QLabel()
        self.notice_label.setObjectName("staff_notice")
        self.notice_label.setStyleSheet("color: #1b5e20;")
        self._notice_timer = QTimer(self)
        self._notice_timer.setSingleShot(True)
        self._notice_timer.setInterval(10_000)
        self.readonly_banner = QLabel()
        self.readonly_banner.setObjectName("staff_readonly_banner")
        self.readonly_banner.setStyleSheet(_BANNER_STYLE)
        self.readonly_banner.setWordWrap(True)
        self.readonly_banner.hide()
        self.server_note = QLabel()  # on a server, to those who cannot create logins
        self.server_note.setObjectName("staff_server_note")
        self.server_note.setWordWrap(True)
        self.server_note.setStyleSheet(_MUTED_STYLE)
        self.server_note.hide()

    def _init_toolbar(self) -> None:
        self.buttons: dict[str, QToolButton] = {}
        a = self.staff_actions
        for key, action in (("add", a.add), ("edit", a.edit), ("deactivate", a.deactivate),
                            ("import", a.import_csv), ("give_login", a.give_login)):
            button = QToolButton()
            button.setObjectName(f"staff_{key}_button")
            button.setDefaultAction(action)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            button.setMinimumHeight(28)
            button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            self.buttons[key] = button
        self.search_edit = QLineEdit()
        self.search_edit.setObjectName("staff_search")
        self.search_edit.setAccessibleName("Search staff")
        self.search_edit.setPlaceholderText("Search name, username, role…  (Ctrl+F)")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setMinimumWidth(280)
        self.show_inactive_check = QCheckBox("Show &deactivated")
        self.show_inactive_check.setObjectName("staff_show_inactive")
        self.show_inactive_check.setAccessibleName("Show deactivated people")

    def _init_table(self) -> None:
        self.table = QTableView()
        self.table.setObjectName("staff_table")
        self.table.setAccessibleName("Staff register")
        self.table.setModel(self._proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(COL_NAME, Qt.SortOrder.AscendingOrder)
        self.table.setWordWrap(False)
        self.table.setShowGrid(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(30)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        header.setMinimumSectionSize(60)
        self.empty_label = QLabel()
        self.empty_label.setObjectName("staff_empty")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setStyleSheet(_MUTED_STYLE + " font-size: 11pt;")
        self.empty_label.setWordWrap(True)
        self._table_stack = QStackedWidget()
        self._table_stack.addWidget(self.table)
        self._table_stack.addWidget(self.empty_label)

    def _init_layout(self) -> None:
        heading = QHBoxLayout()
        heading.addWidget(self.title_label)
        heading.addSpacing(12)
        heading.addWidget(self.summary_label, 0, Qt.AlignmentFlag.AlignBottom)
        heading.addStretch(1)
        heading.addWidget(self.notice_label, 0, Qt.AlignmentFlag.AlignBottom)
        tools = QHBoxLayout()
        tools.setSpacing(6)
        for button in self.buttons.values():
            tools.addWidget(button)
        tools.addStretch(1)
        tools.addWidget(self.search_edit)
        tools.addSpacing(8)
        tools.addWidget(self.show_inactive_check)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 14, 16, 12)
        layout.setSpacing(10)
        layout.addLayout(heading)
        layout.addWidget(self.readonly_banner)
        layout.addWidget(self.server_note)
        layout.addLayout(tools)
        layout.addWidget(self._table_stack, 1)
        self.setTabOrder(self.search_edit, self.show_inactive_check)
        self.setTabOrder(self.show_inactive_check, self.table)

    def _connect_signals(self) -> None:
        a = self.staff_actions
        a.add.triggered.connect(self._on_add_triggered)
        a.edit.triggered.connect(self._on_edit_triggered)
        a.deactivate.triggered.connect(self._on_deactivate_triggered)
        a.import_csv.triggered.connect(self._on_import_triggered)
        a.find.triggered.connect(self._on_find_triggered)
        a.give_login.triggered.connect(self._on_give_login_triggered)
        self._importer.imported.connect(self._on_importer_imported)
        self.deactivation.changed.connect(self._on_set_active_succeeded)
        self.deactivation.failed.connect(self._on_set_active_failed)
        self.deactivation.handed_over.connect(self._on_handed_over)
        self.search_edit.textChanged.connect(self._on_search_text_changed)
        self.show_inactive_check.toggled.connect(self._on_show_inactive_toggled)
        self.table.doubleClicked.connect(self._on_table_double_clicked)
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self._proxy.modelReset.connect(self._on_proxy_rows_changed)
        self._proxy.rowsInserted.connect(self._on_proxy_rows_changed)
        self._proxy.rowsRemoved.connect(self._on_proxy_rows_changed)
        self._proxy.layoutChanged.connect(self._on_proxy_rows_changed)
        self._notice_timer.timeout.connect(self.notice_label.clear)

    # -- page protocol ------------------------------------------------------------
    def refresh(self) -> None:
        """Reload the register in the background (called when the page is shown)."""
        service, sf, actor = self._service, self._ctx.session_factory, self._ctx.actor

        def load() -> tuple[list[StaffRecord], LoginPower]:
            return service.list(include_inactive=True), logins.power(sf, actor)

        self._runner.run(load, self._on_list_loaded, self._on_task_failed)

    def shortcuts(self) -> list[tuple[str, str]]:
        return StaffActions.shortcuts()

    # -- public -------------------------------------------------------------------
    @property
    def model(self) -> StaffTableModel:
        return self._model

    @property
    def proxy(self) -> StaffFilterProxy:
        return self._proxy

    def current_dialog(self) -> QDialog | None:
        return self._dialog

    def selected_record(self) -> StaffRecord | None:
        index = self.table.selectionModel().currentIndex()
        rows = self.table.selectionModel().selectedRows()
        if rows:
            index = rows[0]
        if not index.isValid():
            return None
        record = index.data(ObjectRole)
        return record if isinstance(record, StaffRecord) else None

    def select_staff(self, staff_id: int) -> bool:
        row = self._model.row_of(staff_id)
        if row < 0:
            return False
        index = self._proxy.mapFromSource(self._model.index(row, COL_NAME))
        if not index.isValid():
            return False
        flags = (QItemSelectionModel.SelectionFlag.ClearAndSelect
                 | QItemSelectionModel.SelectionFlag.Rows)
        self.table.selectionModel().setCurrentIndex(index, flags)
        self.table.scrollTo(index)
        return True

    def _why_not_editable(self) -> str | None:
        return why_not_editable(self._ctx.actor)

    def _update_actions(self) -> None:
        why = self._why_not_editable()
        self.readonly_banner.setText(why or "")
        self.readonly_banner.setVisible(why is not None)
        self.staff_actions.update(why, self.selected_record(), self._power)
        self.buttons["give_login"].setVisible(self._power.on_server)
        on_server_without = self._power.on_server and not self._power.may_create
        self.server_note.setText(self._power.who_may() if on_server_without else "")
        self.server_note.setVisible(on_server_without and why is None)

    # -- loading ------------------------------------------------------------------
    def _on_list_loaded(self, loaded: tuple[list[StaffRecord], LoginPower]) -> None:
        records, self._power = loaded
        keep = self._select_after_load
        if keep is None:
            current = self.selected_record()
            keep = current.id if current else None
        self._select_after_load = None
        first = not self._loaded_once
        self._loaded_once = True
        self._model.set_records(records)
        if first:
            self._fit_columns()
        if keep is not None:
            self.select_staff(keep)
        self.summary_label.setText(summary_text(records))
        self._update_actions()
        self.records_loaded.emit(len(records))

    def _fit_columns(self) -> None:
        """Dates get just their width; the eligibility column (the point) gets the rest."""
        header = self.table.horizontalHeader()
        metrics = self.table.fontMetrics()
        pad = 24
        self.table.resizeColumnsToContents()
        for column in range(self._model.columnCount()):
            title = str(self._model.headerData(column, Qt.Orientation.Horizontal))
            title_width = header.fontMetrics().horizontalAdvance(title) + pad
            if column in DATE_COLUMNS:
                width = max(metrics.horizontalAdvance("30 Sep 2026") + pad, title_width)
            elif column == COL_NAME:
                width = max(header.sectionSize(column) + 8, 140)  # room for the eligibility
            elif column == COL_ROLES:
                width = min(max(header.sectionSize(column) + 8, 120), 220)
            elif column == COL_ELIGIBLE:
                continue
            else:
                width = max(header.sectionSize(column) + 8, title_width)
            header.resizeSection(column, width)

    def _show_notice(self, text: str) -> None:
        self.notice_label.setText(text)
        self._notice_timer.start()

    def _on_task_failed(self, exc: BaseException) -> None:
        msgbox.show_error(self, exc, title="Staff")

    # -- dialogs ------------------------------------------------------------------
    def _open_dialog(self, dialog: QDialog) -> None:
        self._dialog = dialog
        dialog.finished.connect(self._on_dialog_finished)
        dialog.open()

    @Slot(int)
    def _on_dialog_finished(self, _result: int) -> None:
        dialog = self.sender()
        if dialog is self._dialog:
            self._dialog = None
        if isinstance(dialog, QDialog):
            dialog.deleteLater()

    def _staff_dialog(self, record: StaffRecord | None) -> StaffDialog:
        dialog = StaffDialog(self._service, self._ctx.actor, self._runner,
                             expiry_months=self._ctx.settings.training_expiry_months,
                             record=record, today=self._ctx.clock.today(), parent=self,
                             power=self._power, database_url=self._ctx.database.url)
        dialog.saved.connect(self._on_staff_dialog_saved)
        dialog.login_created.connect(self._on_login_created)
        dialog.reloaded.connect(self._on_staff_dialog_reloaded)
        return dialog

    # -- slots --------------------------------------------------------------------
    @Slot()
    def _on_add_triggered(self) -> None:
        if self._why_not_editable() is None and self._dialog is None:
            self._open_dialog(self._staff_dialog(None))

    @Slot()
    def _on_edit_triggered(self) -> None:
        record = self.selected_record()
        if record is None or self._why_not_editable() is not None or self._dialog is not None:
            return
        self._open_dialog(self._staff_dialog(record))

    @Slot(QModelIndex)
    def _on_table_double_clicked(self, _index: QModelIndex) -> None:
        self._on_edit_triggered()

    @Slot(object)
    def _on_staff_dialog_saved(self, record: StaffRecord) -> None:
        self._select_after_load = record.id
        self._show_notice(f"Saved {record.name}.")
        self.register_changed.emit()
        self.refresh()

    @Slot(object)
    def _on_staff_dialog_reloaded(self, record: StaffRecord) -> None:
        self._select_after_load = record.id
        self.refresh()

    @Slot()
    def _on_deactivate_triggered(self) -> None:
        record = self.selected_record()
        if record is None or self._why_not_editable() is not None:
            return
        self.deactivation.start(record)

    def _on_set_active_succeeded(self, record: StaffRecord) -> None:
        self._select_after_load = record.id
        self._show_notice(f"{record.name} {'reactivated' if record.active else 'deactivated'}.")
        self.register_changed.emit()
        self.refresh()

    def _on_set_active_failed(self, exc: BaseException) -> None:
        msgbox.show_error(self, exc, title="Staff")
        self.refresh()

    def _on_handed_over(self, staff_id: int) -> None:
        self._select_after_load = staff_id
        self.register_changed.emit()
        self.refresh()

    @Slot()
    def _on_give_login_triggered(self) -> None:
        record = self.selected_record()
        if record is None or not self._power.may_create or self._dialog is not None:
            return
        dialog = GiveLoginDialog(self._ctx.session_factory, self._ctx.actor, self._runner,
                                 record, self._ctx.database.url, self)
        dialog.given.connect(self._on_login_created)
        self._open_dialog(dialog)

    @Slot(object)
    def _on_login_created(self, login: NewLogin) -> None:
        self.register_changed.emit()
        self.refresh()
        seconds = int(self._ctx.settings.get("vault.clipboard_clear_seconds"))
        self._open_dialog(NewLoginDialog(login, seconds, self))

    @Slot()
    def _on_import_triggered(self) -> None:
        if self._why_not_editable() is None and self._dialog is None:
            self._importer.start(self._ctx.actor)

    @Slot(object)
    def _on_importer_imported(self, result: ImportResult) -> None:
        new = len(result.created)
        self._show_notice(f"Imported {new:,} new {'person' if new == 1 else 'people'}, "
                          f"updated {len(result.updated):,}, deactivated "
                          f"{len(result.deactivated):,}.")
        self.register_changed.emit()
        self.refresh()

    @Slot()
    def _on_find_triggered(self) -> None:
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    @Slot(str)
    def _on_search_text_changed(self, text: str) -> None:
        self._proxy.set_search(text)
        self._update_empty_state()

    @Slot(bool)
    def _on_show_inactive_toggled(self, show: bool) -> None:
        self._proxy.set_show_inactive(show)
        self._update_empty_state()

    @Slot()
    def _on_selection_changed(self) -> None:
        self._update_actions()

    @Slot()
    def _on_proxy_rows_changed(self) -> None:
        self._update_empty_state()

    def _update_empty_state(self) -> None:
        if self._proxy.rowCount() or not self._loaded_once:
            self._table_stack.setCurrentWidget(self.table)
            return
        self.empty_label.setText(empty_text(self.search_edit.text(), self._model.rowCount()))
        self._table_stack.setCurrentWidget(self.empty_label)
        self._update_actions()
