"""The Audit trail page: who did what, when and why; filter it, export it, verify it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from pathlib import Path

from PySide6.QtCore import QItemSelection, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSplitter,
    QStackedWidget,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from smmod import audit
from smmod import formatting as fmt
from smmod.audit import AuditFilter, AuditRecord, VerifyResult
from smmod.audit_words import action_words
from smmod.ui import msgbox
from smmod.ui.audit.columns import fit_columns
from smmod.ui.audit.model import (
    AuditTableModel,
    ObjectRole,
    details_full,
    format_when,
)
from smmod.ui.flow import FlowLayout
from smmod.ui.pages import PageDeps
from smmod.ui.staff.widgets import OptionalDateEdit

_TITLE_STYLE = "font-size: 16pt; font-weight: 600;"
_MUTED_STYLE = "color: palette(placeholder-text);"
_ANYONE = "Anyone"
_ANY_ACTION = "Any action"
EXPORT_ALL = 10**9


def choose_export_path(parent: QWidget | None, suggested: str) -> Path | None:
    """Ask where to save the export; tests replace this function."""
    name, _ = QFileDialog.getSaveFileName(parent, "Export audit trail", suggested,
                                          "CSV files (*.csv)")
    if not name:
        return None
    path = Path(name)
    return path if path.suffix else path.with_suffix(".csv")


def local_day_start(day: date) -> datetime:
    """Midnight at the start of ``day`` on this computer's clock, as an aware datetime."""
    return datetime.combine(day, time(), tzinfo=fmt.SCHOOL)


class AuditPage(QWidget):
    """Shows the newest entries first; loads run on the task runner, off the UI thread."""

    entries_loaded = Signal(int)

    def __init__(self, deps: PageDeps) -> None:
        super().__init__()
        self._ctx = deps.ctx
        self._runner = deps.runner
        self._model = AuditTableModel(self)
        self._generation = 0
        self._loaded_once = False
        self.row_limit = AuditFilter().limit
        self._reload_timer = QTimer(self)
        self._reload_timer.setSingleShot(True)
        self._reload_timer.setInterval(250)
        self._init_actions()
        self._init_header()
        self._init_filters()
        self._init_table()
        self._init_layout()
        self._connect_signals()

    # -- assembly -----------------------------------------------------------------
    def _init_actions(self) -> None:
        self.refresh_action = QAction("&Refresh", self)
        self.refresh_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Refresh))
        self.refresh_action.setToolTip("Load the latest entries (F5)")
        self.export_action = QAction("&Export CSV…", self)
        self.export_action.setShortcut(QKeySequence("Ctrl+E"))
        self.export_action.setToolTip("Save the entries matching the filters as CSV (Ctrl+E)")
        self.verify_action = QAction("&Verify chain", self)
        self.verify_action.setToolTip(
            "Re-check every entry's hash: shows whether anything was altered or removed")
        for action in (self.refresh_action, self.export_action, self.verify_action):
            self.addAction(action)

    def _init_header(self) -> None:
        self.title_label = QLabel("Audit trail")
        self.title_label.setStyleSheet(_TITLE_STYLE)
        self.status_label = QLabel("Loading…")
        self.status_label.setObjectName("audit_status")
        self.status_label.setStyleSheet(_MUTED_STYLE)
        self.buttons: dict[str, QToolButton] = {}
        for key, action in (("refresh", self.refresh_action), ("export", self.export_action),
                            ("verify", self.verify_action)):
            button = QToolButton()
            button.setObjectName(f"audit_{key}_button")
            button.setDefaultAction(action)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            button.setMinimumHeight(28)
            button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            self.buttons[key] = button

    def _init_filters(self) -> None:
        self.actor_combo = QComboBox()
        self.actor_combo.setObjectName("audit_actor")
        self.actor_combo.setAccessibleName("Filter by who")
        self.actor_combo.addItem(_ANYONE, "")
        self.actor_combo.setMinimumWidth(140)
        self.action_combo = QComboBox()
        self.action_combo.setObjectName("audit_action")
        self.action_combo.setAccessibleName("Filter by action")
        self.action_combo.addItem(_ANY_ACTION, "")
        self.action_combo.setMinimumWidth(160)
        self.subject_edit = QLineEdit()
        self.subject_edit.setObjectName("audit_subject")
        self.subject_edit.setAccessibleName("Filter by subject")
        self.subject_edit.setPlaceholderText("Subject starts with, e.g. staff:12")
        self.subject_edit.setClearButtonEnabled(True)
        self.subject_edit.setMinimumWidth(200)
        today = self._ctx.clock.today
        self.from_date = OptionalDateEdit("From", "From date", today=today, unset_text="Any")
        self.to_date = OptionalDateEdit("To", "To date", today=today, unset_text="Any")
        self.from_date.setObjectName("audit_from")
        self.to_date.setObjectName("audit_to")
        self.clear_button = QToolButton()
        self.clear_button.setText("Clear filters")
        self.clear_button.setObjectName("audit_clear_filters")
        self.clear_button.setAccessibleName("Clear filters")
        self.clear_button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.clear_button.setMinimumHeight(28)

    def _init_table(self) -> None:
        self.table = QTableView()
        self.table.setObjectName("audit_table")
        self.table.setAccessibleName("Audit entries")
        self.table.setModel(self._model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(28)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.column_fitter = fit_columns(self.table)
        self.details_view = QPlainTextEdit()
        self.details_view.setObjectName("audit_details")
        self.details_view.setAccessibleName("Selected entry")
        self.details_view.setReadOnly(True)
        self.details_view.setPlaceholderText("Select an entry to see everything it recorded.")
        self.empty_label = QLabel("No entries match these filters.")
        self.empty_label.setObjectName("audit_empty")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setStyleSheet(_MUTED_STYLE + " font-size: 11pt;")
        self._table_stack = QStackedWidget()
        self._table_stack.addWidget(self.table)
        self._table_stack.addWidget(self.empty_label)

    def _init_layout(self) -> None:
        heading = QHBoxLayout()
        heading.addWidget(self.title_label)
        heading.addSpacing(12)
        heading.addWidget(self.status_label, 0, Qt.AlignmentFlag.AlignBottom)
        heading.addStretch(1)
        for button in self.buttons.values():
            heading.addWidget(button)
        # The filters wrap onto a second line on a narrow window (1280 px and a side bar).
        filters = FlowLayout(spacing=8)
        for text, widget in (("&Who:", self.actor_combo), ("&Action:", self.action_combo),
                             ("&Subject:", self.subject_edit)):
            label = QLabel(text)
            label.setBuddy(widget)
            pair = QWidget()
            row = QHBoxLayout(pair)
            row.setContentsMargins(0, 0, 0, 0)
            row.setSpacing(6)
            row.addWidget(label)
            row.addWidget(widget, 1)
            filters.add(pair, stretch=widget is self.subject_edit)
        filters.add(self.from_date)
        filters.add(self.to_date)
        filters.add(self.clear_button)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self._table_stack)
        splitter.addWidget(self.details_view)
        splitter.setStretchFactor(0, 4)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        splitter.setSizes([540, 96])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 14, 16, 12)
        layout.setSpacing(10)
        layout.addLayout(heading)
        layout.addLayout(filters)
        layout.addWidget(splitter, 1)

    def _connect_signals(self) -> None:
        self.refresh_action.triggered.connect(self._on_refresh_triggered)
        self.export_action.triggered.connect(self._on_export_triggered)
        self.verify_action.triggered.connect(self._on_verify_triggered)
        self.actor_combo.currentIndexChanged.connect(self._on_filter_changed)
        self.action_combo.currentIndexChanged.connect(self._on_filter_changed)
        self.from_date.date_changed.connect(self._on_filter_changed)
        self.to_date.date_changed.connect(self._on_filter_changed)
        self.subject_edit.textChanged.connect(self._on_subject_text_changed)
        self.clear_button.clicked.connect(self._on_clear_clicked)
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self._reload_timer.timeout.connect(self.reload)

    # -- page protocol ------------------------------------------------------------
    def refresh(self) -> None:
        """Reload the filter choices and the entries (called when the page is shown)."""
        sf = self._ctx.session_factory
        self._runner.run(lambda: (*audit.distinct_values(sf), audit.actor_names(sf)),
                         self._on_values_loaded, self._on_task_failed)
        self.reload()

    def shortcuts(self) -> list[tuple[str, str]]:
        return [("F5", "Reload the audit trail"), ("Ctrl+E", "Export the audit trail as CSV")]

    # -- public -------------------------------------------------------------------
    @property
    def model(self) -> AuditTableModel:
        return self._model

    def current_filter(self) -> AuditFilter:
        start, end = self.from_date.value(), self.to_date.value()
        return AuditFilter(
            actor=str(self.actor_combo.currentData() or "") or None,
            action=str(self.action_combo.currentData() or "") or None,
            subject=self.subject_edit.text().strip() or None,
            since=local_day_start(start) if start else None,
            until=local_day_start(end + timedelta(days=1)) if end else None,
            limit=self.row_limit,
        )

    @Slot()
    def reload(self) -> None:
        self._reload_timer.stop()
        self._generation += 1
        generation = self._generation
        flt = self.current_filter()
        sf = self._ctx.session_factory
        self.status_label.setText("Loading…")
        self._runner.run(lambda: audit.query(sf, flt),
                         lambda records: self._on_query_loaded(generation, flt, records),
                         self._on_task_failed)

    # -- results ------------------------------------------------------------------
    def _on_query_loaded(self, generation: int, flt: AuditFilter,
                         records: list[AuditRecord]) -> None:
        if generation != self._generation:
            return  # the filters changed again; a newer load is on its way
        self._loaded_once = True
        self._model.set_records(records)
        self.details_view.clear()
        if len(records) >= flt.limit:
            self.status_label.setText(f"Showing latest {flt.limit:,} — refine the filters")
        elif records:
            self.status_label.setText(f"{len(records):,} entr{'y' if len(records) == 1 else 'ies'}")
        else:
            self.status_label.setText("No entries")
        self._table_stack.setCurrentWidget(self.table if records else self.empty_label)
        self.entries_loaded.emit(len(records))

    def _on_values_loaded(self, values: tuple[list[str], list[str], dict[str, str]]) -> None:
        actors, actions, names = values
        self._refill(self.actor_combo, _ANYONE, actors,
                     lambda login: f"{names[login]} ({login})" if login in names else login)
        self._refill(self.action_combo, _ANY_ACTION,
                     sorted(actions, key=lambda a: action_words(a).lower()), action_words)

    @staticmethod
    def _refill(combo: QComboBox, any_text: str, values: list[str],
                label: Callable[[str], str] = str) -> None:
        current = str(combo.currentData() or "")
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(any_text, "")
        for value in values:
            combo.addItem(label(value), value)
        if current and combo.findData(current) < 0:
            combo.addItem(label(current), current)
        combo.setCurrentIndex(max(0, combo.findData(current)))
        combo.blockSignals(False)

    def _on_task_failed(self, exc: BaseException) -> None:
        self.status_label.setText("Could not load the audit trail")
        msgbox.show_error(self, exc, title="Audit trail")

    # -- slots --------------------------------------------------------------------
    @Slot()
    def _on_refresh_triggered(self) -> None:
        self.refresh()

    @Slot()
    def _on_filter_changed(self) -> None:
        self.reload()

    @Slot(str)
    def _on_subject_text_changed(self, _text: str) -> None:
        self._reload_timer.start()

    @Slot()
    def _on_clear_clicked(self) -> None:
        for widget in (self.actor_combo, self.action_combo, self.subject_edit,
                       self.from_date, self.to_date):
            widget.blockSignals(True)
        self.actor_combo.setCurrentIndex(0)
        self.action_combo.setCurrentIndex(0)
        self.subject_edit.clear()
        self.from_date.set_value(None)
        self.to_date.set_value(None)
        for widget in (self.actor_combo, self.action_combo, self.subject_edit,
                       self.from_date, self.to_date):
            widget.blockSignals(False)
        self.reload()

    @Slot(QItemSelection, QItemSelection)
    def _on_selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        rows = self.table.selectionModel().selectedRows()
        record = rows[0].data(ObjectRole) if rows else None
        if not isinstance(record, AuditRecord):
            self.details_view.clear()
            return
        who = f"{record.actor_name} ({record.actor})" if record.actor_name else record.actor
        lines = [f"Entry {record.id} · {format_when(record)} · {who} · "
                 f"{action_words(record.action)} · {record.subject}"]
        if record.reason:
            lines.append(f"Reason: {record.reason}")
        if record.details:
            lines.append(details_full(record))
        self.details_view.setPlainText("\n".join(lines))

    @Slot()
    def _on_export_triggered(self) -> None:
        suggested = f"audit-{self._ctx.clock.today().isoformat()}.csv"
        path = choose_export_path(self, suggested)
        if path is None:
            return
        flt = replace(self.current_filter(), limit=EXPORT_ALL)
        sf = self._ctx.session_factory
        self._runner.run(lambda: audit.export_csv(audit.query(sf, flt), path),
                         lambda count: self._on_export_succeeded(path, count),
                         self._on_export_failed)

    def _on_export_succeeded(self, path: Path, count: int) -> None:
        msgbox.info(self, "Export audit trail",
                    f"Exported {count:,} entr{'y' if count == 1 else 'ies'} to\n{path}")

    def _on_export_failed(self, exc: BaseException) -> None:
        if isinstance(exc, OSError):
            msgbox.warning(self, "Export audit trail",
                           f"Could not write {exc.filename or 'the file'}: {exc.strerror}")
            return
        msgbox.show_error(self, exc, title="Export audit trail")

    @Slot()
    def _on_verify_triggered(self) -> None:
        sf = self._ctx.session_factory
        self.verify_action.setEnabled(False)
        self._runner.run(lambda: audit.verify(sf), self._on_verify_finished,
                         self._on_verify_failed)

    def _on_verify_finished(self, result: VerifyResult) -> None:
        self.verify_action.setEnabled(True)
        if result.ok:
            msgbox.info(self, "Audit trail intact",
                        f"The audit trail is intact: all {result.entries:,} entries check out.")
            return
        msgbox.warning(self, "Audit trail broken",
                       f"The audit trail is broken at entry {result.first_bad_id}: "
                       f"{result.problem}.\n\nEntries before it check out. Keep a copy of the "
                       "database and tell your data protection lead.")

    def _on_verify_failed(self, exc: BaseException) -> None:
        self.verify_action.setEnabled(True)
        msgbox.show_error(self, exc, title="Verify audit trail")
