"""The Incidents page (R9): the list filtered by status, category and lead, and one in full.

Loads and changes run on the task runner. Every change is checked by the incident
service (only SLT change the lead or close); the page only disables what cannot apply.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from smmod.errors import PermissionDenied
from smmod.moderation.records import IncidentDetail, IncidentFilter, IncidentSummary
from smmod.moderation.vocabulary import CATEGORY_LABELS, INCIDENT_CATEGORIES
from smmod.ui import msgbox
from smmod.ui.moderation import common
from smmod.ui.moderation.common import MUTED
from smmod.ui.moderation.incident_detail import IncidentDetailView
from smmod.ui.moderation.incident_model import (
    IncidentTableModel,
)
from smmod.ui.moderation.incident_table import IncidentTable
from smmod.ui.moderation.install import school_zone
from smmod.ui.pages import PageDeps
from smmod.wording import count as counted

_ANY = None


class IncidentsPage(QWidget):
    incidents_loaded = Signal(int)
    incident_shown = Signal(int)
    incident_changed = Signal(int)
    report_written = Signal(str, int)  # path, pages

    def __init__(self, deps: PageDeps) -> None:
        super().__init__()
        self.setObjectName("incidents_page")
        self._ctx = deps.ctx
        self._runner = deps.runner
        self._zone = school_zone(deps)
        self._generation = 0
        self._wanted: int | None = None
        self._loaded = False
        self.dialog: QDialog | None = None
        self._init_widgets()
        self._init_actions()
        self._connect_signals()

    # -- assembly -----------------------------------------------------------------------
    def _init_widgets(self) -> None:
        title = QLabel("Incidents")
        title.setStyleSheet("font-size: 16pt; font-weight: 600;")
        subtitle = QLabel("Escalated items investigated by SLT (R9). Escalate from the queue.")
        subtitle.setStyleSheet(MUTED)
        self.status = QComboBox()
        self.status.setObjectName("incidents_status")
        self.status.setAccessibleName("Status")
        for text, value in (("Open", "open"), ("Closed", "closed"), ("All", _ANY)):
            self.status.addItem(text, value)
        self.category = QComboBox()
        self.category.setObjectName("incidents_category")
        self.category.setAccessibleName("Category")
        self.category.addItem("Any category", _ANY)
        for key in INCIDENT_CATEGORIES:
            self.category.addItem(CATEGORY_LABELS[key], key)
        self.lead = QComboBox()
        self.lead.setObjectName("incidents_lead")
        self.lead.setAccessibleName("SLT lead")
        self.lead.addItem("Any lead", _ANY)
        self.search = QLineEdit()
        self.search.setObjectName("incidents_search")
        self.search.setPlaceholderText("Search titles, text and authors")
        self.search.setClearButtonEnabled(True)
        self.count = QLabel()
        self.count.setObjectName("incidents_count")
        self.count.setStyleSheet(MUTED)
        self.reload_button = QToolButton()
        self.reload_button.setText("Reload")
        self.table = IncidentTable(self._zone)
        self.detail = IncidentDetailView(self._zone)
        self.message = QLabel()
        self.message.setObjectName("incidents_message")
        self.message.setWordWrap(True)
        self.message.hide()
        filters = QHBoxLayout()
        for label, widget in (("Status", self.status), ("Category", self.category), ("Lead", self.lead)):
            filters.addWidget(QLabel(label))
            filters.addWidget(widget)
        filters.addWidget(self.search, 1)
        filters.addWidget(self.count)
        filters.addWidget(self.reload_button)
        splitter = QSplitter()
        splitter.addWidget(self.table)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([660, 420])  # the list wider: at 1280 px its lead and dates stay whole
        splitter.setChildrenCollapsible(False)
        head = QVBoxLayout()
        head.setSpacing(0)
        head.addWidget(title)
        head.addWidget(subtitle)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 8)
        layout.addLayout(head)
        layout.addLayout(filters)
        layout.addWidget(self.message)
        layout.addWidget(splitter, 1)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(250)

    def _init_actions(self) -> None:
        self._actions: dict[str, QAction] = {}
        for key, text, keys in (
            ("reload", "Reload incidents", "F5"),
            ("search", "Search incidents", "Ctrl+F"),
            ("export", "Export the incident to PDF", "Ctrl+P"),
        ):
            action = QAction(text, self)
            action.setShortcut(QKeySequence(keys))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.addAction(action)
            self._actions[key] = action

    def _connect_signals(self) -> None:
        self.status.currentIndexChanged.connect(self._on_filter_changed)
        self.category.currentIndexChanged.connect(self._on_filter_changed)
        self.lead.currentIndexChanged.connect(self._on_filter_changed)
        self.search.textChanged.connect(self._search_timer.start)
        self._search_timer.timeout.connect(self.reload)
        self.reload_button.clicked.connect(self.reload)
        self._actions["reload"].triggered.connect(self.reload)
        self._actions["search"].triggered.connect(self.search.setFocus)
        self._actions["export"].triggered.connect(self._on_export_requested)
        self.table.selectionModel().currentRowChanged.connect(self._on_table_current_changed)
        self.detail.note_added.connect(self._on_note_added)
        self.detail.lead_change_requested.connect(self._on_lead_change_requested)
        self.detail.edit_requested.connect(self._on_edit_requested)
        self.detail.close_requested.connect(self._on_close_requested)
        self.detail.reopen_requested.connect(self._on_reopen_requested)
        self.detail.export_requested.connect(self._on_export_requested)

    # -- public -------------------------------------------------------------------------
    @property
    def model(self) -> IncidentTableModel:
        return self.table.source

    def shortcuts(self) -> list[tuple[str, str]]:
        return [(a.shortcut().toString(), a.text()) for a in self._actions.values()]

    def refresh(self) -> None:
        """Called when the page is shown."""
        if not self._loaded:
            self._loaded = True
            self._load_leads()
        self.reload()

    def current_filter(self) -> IncidentFilter:
        return IncidentFilter(
            self.status.currentData(),
            self.category.currentData(),
            self.lead.currentData(),
            self.search.text(),
        )

    def show_incident(self, incident_id: int) -> None:
        """Select an incident (switching the status filter to "All" if needed)."""
        self._wanted = incident_id
        if self.table.source.row_of(incident_id) is None and self.status.currentData() is not None:
            self.status.setCurrentIndex(self.status.findData(_ANY))  # reloads
        else:
            self.table.select(incident_id)

    @Slot()
    def reload(self) -> None:
        self._generation += 1
        generation = self._generation
        actor, incidents, flt = self._ctx.actor, self._ctx.incidents, self.current_filter()
        self._runner.run(
            lambda: incidents.list_incidents(actor, flt),
            lambda rows: self._on_loaded(generation, rows),
            self._on_load_failed,
        )

    # -- loading ------------------------------------------------------------------------
    def _load_leads(self) -> None:
        try:
            leads = self._ctx.incidents.slt_choices()
        except Exception as exc:
            msgbox.show_error(self, exc, title="Incidents")
            return
        self.lead.blockSignals(True)
        for choice in leads:
            self.lead.addItem(choice.name, choice.id)
        self.lead.blockSignals(False)

    def _on_loaded(self, generation: int, rows: list[IncidentSummary]) -> None:
        if generation != self._generation:
            return
        current = self.table.current_id()
        self.message.hide()
        self.table.setEnabled(True)
        self.table.source.set_rows(rows)
        self.count.setText(counted(len(rows), "incident"))
        wanted = self._wanted or current
        self._wanted = None
        if wanted is not None and self.table.source.row_of(wanted) is not None:
            self.table.select(wanted)
        elif self.table.model().rowCount():
            self.table.selectRow(0)
        else:
            self.detail.show_detail(None, slt=False)
        self.incidents_loaded.emit(len(rows))

    def _on_load_failed(self, exc: BaseException) -> None:
        if isinstance(exc, PermissionDenied):
            self.table.source.set_rows([])
            self.table.setEnabled(False)
            self.detail.show_detail(None, slt=False)
            self.message.setText(f"{exc} Incidents are open to moderators, administrators and SLT.")
            self.message.setStyleSheet(common.WARN_STYLE)
            self.message.show()
            self.incidents_loaded.emit(0)
            return
        msgbox.show_error(self, exc, title="Incidents")

    def _show(self, incident_id: int) -> None:
        actor, incidents = self._ctx.actor, self._ctx.incidents

        def shown(detail: IncidentDetail) -> None:
            if self.table.current_id() not in (None, detail.summary.id):
                return
            self.detail.show_detail(detail, slt=self._ctx.actor.has("slt"))
            self.incident_shown.emit(detail.summary.id)

        self._runner.run(
            lambda: incidents.detail(actor, incident_id),
            shown,
            lambda exc: msgbox.show_error(self, exc, title="Incidents"),
        )

    # -- changes ------------------------------------------------------------------------
    def _change(self, work: Any, incident_id: int, done: str) -> None:
        def success(_result: Any) -> None:
            self.message.setText(done)
            self.message.setStyleSheet("color: #2e5d2e;")
            self.message.show()
            self._wanted = incident_id
            self.incident_changed.emit(incident_id)
            self.reload()
            self._show(incident_id)

        self._runner.run(work, success, lambda exc: msgbox.show_error(self, exc, title="Incidents"))

    def _open(self, dialog: QDialog, on_accepted: Any) -> None:
        self.dialog = dialog
        dialog.accepted.connect(on_accepted)
        dialog.open()

    # -- slots --------------------------------------------------------------------------
    @Slot()
    def _on_filter_changed(self) -> None:
        self.reload()

    @Slot(QModelIndex, QModelIndex)
    def _on_table_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        summary = self.table.summary_at(current)
        if summary is None:
            self.detail.show_detail(None, slt=False)
            return
        self._show(summary.id)

    @Slot(str)
    def _on_note_added(self, text: str) -> None:
        detail = self.detail.detail
        if detail is None:
            return
        actor, incidents, incident_id = self._ctx.actor, self._ctx.incidents, detail.summary.id
        self.detail.clear_note()
        self._change(
            lambda: incidents.add_note(actor, incident_id, text),
            incident_id,
            f"Note added to incident #{incident_id}.",
        )

    @Slot()
    def _on_lead_change_requested(self) -> None:
        from smmod.ui.moderation.incident_dialogs import ChangeLeadDialog

        detail = self.detail.detail
        if detail is None:
            return
        dialog = ChangeLeadDialog(detail, self._ctx.incidents.slt_choices(), self)
        actor, incidents, s = self._ctx.actor, self._ctx.incidents, detail.summary
        self._open(
            dialog,
            lambda: self._change(
                lambda: incidents.change_lead(
                    actor, s.id, s.version_id, dialog.lead_id(), dialog.reason_text()
                ),
                s.id,
                f"Incident #{s.id} is now led by {dialog.lead.currentText()}.",
            ),
        )

    @Slot()
    def _on_edit_requested(self) -> None:
        from smmod.ui.moderation.incident_dialogs import EditIncidentDialog

        detail = self.detail.detail
        if detail is None:
            return
        dialog = EditIncidentDialog(detail, self)
        actor, incidents, s = self._ctx.actor, self._ctx.incidents, detail.summary
        self._open(
            dialog,
            lambda: self._change(
                lambda: incidents.update(actor, s.id, s.version_id, dialog.changes(), dialog.reason_text()),
                s.id,
                f"Incident #{s.id} updated.",
            ),
        )

    @Slot()
    def _on_close_requested(self) -> None:
        from smmod.ui.moderation.incident_dialogs import CloseIncidentDialog

        detail = self.detail.detail
        if detail is None:
            return
        dialog = CloseIncidentDialog(detail, self)
        actor, incidents, s = self._ctx.actor, self._ctx.incidents, detail.summary
        self._open(
            dialog,
            lambda: self._change(
                lambda: incidents.close(actor, s.id, s.version_id, dialog.outcome_text()),
                s.id,
                f"Incident #{s.id} closed.",
            ),
        )

    @Slot()
    def _on_reopen_requested(self) -> None:
        detail = self.detail.detail
        if detail is None:
            return
        s = detail.summary
        reason = msgbox.ask_text(self, "Reopen incident", f"Why reopen incident #{s.id}?")
        if not reason:
            return
        actor, incidents = self._ctx.actor, self._ctx.incidents
        self._change(
            lambda: incidents.reopen(actor, s.id, s.version_id, reason), s.id, f"Incident #{s.id} reopened."
        )

    @Slot()
    def _on_export_requested(self) -> None:
        from smmod.ui.moderation.pdf import export_incident

        detail = self.detail.detail
        if detail is None:
            return
        try:
            written = export_incident(self._ctx, detail, self._zone, self)
        except Exception as exc:
            msgbox.show_error(self, exc, title="Export incident report")
            return
        if written is None:
            return
        path, pages = written
        actor, incidents, incident_id = self._ctx.actor, self._ctx.incidents, detail.summary.id
        self._runner.run(
            lambda: incidents.record_export(actor, incident_id, path.name, pages),
            None,
            lambda exc: msgbox.show_error(self, exc, title="Incidents"),
        )
        self.message.setText(f"Saved the report ({counted(pages, 'page')}) to {path}.")
        self.message.setStyleSheet("color: #2e5d2e;")
        self.message.show()
        self.report_written.emit(str(path), pages)
