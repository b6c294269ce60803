"""The Queue page: keyboard-first triage of every comment, message and mention.

The page assembles the parts (dashboard strip, filter bar, lazy table, detail pane)
and wires them. Reads for the table are quick indexed queries on the UI thread; writes
(claims, acknowledgements, imports, feed polls) run on the task runner.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QPoint, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from smmod.errors import ConflictError
from smmod.queue.records import QueueRow
from smmod.ui import msgbox
from smmod.ui.pages import PageDeps
from smmod.ui.queue.actions import QueueAction, create_actions, shortcut_rows
from smmod.ui.queue.dashboard import DashboardStrip
from smmod.ui.queue.detail import DetailPane
from smmod.ui.queue.filterbar import FilterBar
from smmod.ui.queue.model import (
    COL_ACCOUNT,
    COL_AUTHOR,
    COL_CLAIMED,
    COL_DEADLINE,
    COL_FLAGS,
    COL_KIND,
    COL_RECEIVED,
    COL_STATUS,
    COL_TEXT,
    HEADERS,
    QueueTableModel,
)

log = logging.getLogger("smmod.ui.queue")

CHANGE_POLL_MS = 5_000
COUNTDOWN_MS = 30_000
FEED_POLL_MS = 60_000
CHECKED_EVERY = timedelta(minutes=5)
COLUMN_WIDTHS = {COL_DEADLINE: 150, COL_STATUS: 95, COL_ACCOUNT: 135, COL_KIND: 72,
                 COL_AUTHOR: 130, COL_CLAIMED: 100, COL_FLAGS: 90, COL_RECEIVED: 120,
                 COL_TEXT: 120}  # the text then stretches into whatever width is left
# Flags also show in the Status cell; right-click the header to show these columns.
HIDDEN_COLUMNS = frozenset({COL_RECEIVED, COL_FLAGS})
_BANNER_STYLE = ("QFrame#queue_conflict { background: #fff4e5; border: 1px solid #f3d19e;"
                 " border-radius: 4px; } QLabel { color: #663c00; }")


class QueuePage(QWidget):
    items_reloaded = Signal(int)  # rows now shown
    item_shown = Signal(int)  # the detail pane shows this item
    items_changed = Signal()  # a claim or acknowledgement was saved
    conflict_shown = Signal(str)
    feeds_polled = Signal(list)  # list[FeedPollResult]

    def __init__(self, deps: PageDeps) -> None:
        super().__init__()
        self._ctx = deps.ctx
        self._runner = deps.runner
        self._queue = deps.ctx.queue
        self._zone = self._school_zone()
        self._model = QueueTableModel(self._queue.read, now=self._queue.now, zone=self._zone,
                                      parent=self)
        self._token: Any = None
        self._loaded = False
        self._last_checked: datetime | None = None
        self._dialog: QDialog | None = None
        self._overlay: QDialog | None = None
        self._init_widgets()
        self._actions = create_actions(self, self.table)
        self._init_timers()
        self._connect_signals()

    # -- assembly -----------------------------------------------------------------
    def _school_zone(self) -> ZoneInfo:
        try:
            return ZoneInfo(self._ctx.calendar().tz)
        except Exception:
            log.exception("the configured time zone is unusable; showing Europe/London")
            return ZoneInfo("Europe/London")

    def _init_widgets(self) -> None:
        self.dashboard = DashboardStrip()
        self.filters = FilterBar()
        self.table = QTableView()
        self.table.setObjectName("queue_table")
        self.table.setAccessibleName("Queue items")
        self.table.setModel(self._model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setShowGrid(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(26)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)  # the text
        for column, width in COLUMN_WIDTHS.items():
            header.resizeSection(column, width)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        for column, title in HEADERS.items():
            toggle = QAction(f"Show {title}", header)
            toggle.setCheckable(True)
            toggle.setChecked(column not in HIDDEN_COLUMNS)
            toggle.setEnabled(column not in (COL_DEADLINE, COL_TEXT))
            toggle.toggled.connect(lambda on, c=column: self.table.setColumnHidden(c, not on))
            header.addAction(toggle)
            self.table.setColumnHidden(column, column in HIDDEN_COLUMNS)
        header.setSortIndicator(COL_DEADLINE, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        self.detail = DetailPane(self._zone)
        self.conflict = self._conflict_banner()
        self.status_label = QLabel()
        self.status_label.setObjectName("queue_status_message")
        self.status_label.setStyleSheet("color: palette(placeholder-text);")
        splitter = QSplitter()
        splitter.addWidget(self.table)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([920, 310])
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 6)
        layout.addLayout(self._title_row())
        layout.addWidget(self.dashboard)
        layout.addWidget(self.filters)
        layout.addWidget(self.conflict)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.status_label)

    def _title_row(self) -> QHBoxLayout:
        title = QLabel("Moderation queue")
        title.setStyleSheet("font-size: 16pt; font-weight: 600;")
        row = QHBoxLayout()
        row.addWidget(title)
        row.addStretch(1)
        self._buttons: dict[QueueAction, QToolButton] = {}
        for action_id, text in ((QueueAction.IMPORT, "Import…"), (QueueAction.ADD, "Add item…"),
                                (QueueAction.FEEDS, "Feeds…"),
                                (QueueAction.CHECK_FEEDS, "Check feeds now"),
                                (QueueAction.HELP, "Shortcuts (?)")):
            button = QToolButton()
            button.setObjectName(f"queue_button_{action_id}")
            button.setText(text)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            self._buttons[action_id] = button
            row.addWidget(button)
        return row

    def _conflict_banner(self) -> QFrame:
        banner = QFrame()
        banner.setObjectName("queue_conflict")
        banner.setStyleSheet(_BANNER_STYLE)
        self.conflict_label = QLabel()
        self.conflict_label.setObjectName("queue_conflict_text")
        self.conflict_label.setWordWrap(True)
        self.reload_button = QPushButton("Reload")
        self.reload_button.setObjectName("queue_conflict_reload")
        row = QHBoxLayout(banner)
        row.setContentsMargins(10, 6, 10, 6)
        row.addWidget(self.conflict_label, 1)
        row.addWidget(self.reload_button)
        banner.hide()
        return banner

    def _init_timers(self) -> None:
        self._change_timer = QTimer(self)
        self._change_timer.setInterval(CHANGE_POLL_MS)
        self._countdown_timer = QTimer(self)
        self._countdown_timer.setInterval(COUNTDOWN_MS)
        self._feed_timer = QTimer(self)
        self._feed_timer.setInterval(FEED_POLL_MS)

    def _connect_signals(self) -> None:
        a = self._actions
        a[QueueAction.NEXT].triggered.connect(self._on_next_triggered)
        a[QueueAction.PREVIOUS].triggered.connect(self._on_previous_triggered)
        a[QueueAction.EXTEND_NEXT].triggered.connect(self._on_extend_next_triggered)
        a[QueueAction.EXTEND_PREVIOUS].triggered.connect(self._on_extend_previous_triggered)
        a[QueueAction.OPEN].triggered.connect(self._on_open_triggered)
        a[QueueAction.CLAIM].triggered.connect(self._on_claim_triggered)
        a[QueueAction.RELEASE].triggered.connect(self._on_release_triggered)
        a[QueueAction.ACKNOWLEDGE].triggered.connect(self._on_acknowledge_triggered)
        a[QueueAction.FILTER].triggered.connect(self.filters.focus_search)
        a[QueueAction.BACK].triggered.connect(self._on_back_triggered)
        a[QueueAction.HELP].triggered.connect(self._on_help_triggered)
        a[QueueAction.RELOAD].triggered.connect(self._on_reload_triggered)
        a[QueueAction.IMPORT].triggered.connect(self._on_import_triggered)
        a[QueueAction.ADD].triggered.connect(self._on_add_triggered)
        a[QueueAction.FEEDS].triggered.connect(self._on_feeds_triggered)
        a[QueueAction.CHECK_FEEDS].triggered.connect(self._on_check_feeds_triggered)
        for action_id, button in self._buttons.items():
            button.clicked.connect(a[action_id].trigger)
        self.filters.filter_changed.connect(self._on_filters_filter_changed)
        self.table.selectionModel().currentRowChanged.connect(self._on_table_current_changed)
        self._model.modelReset.connect(self._on_model_reset)
        self.detail.item_requested.connect(self.go_to_item)
        self.reload_button.clicked.connect(self._on_reload_triggered)
        self._change_timer.timeout.connect(self.check_for_changes)
        self._countdown_timer.timeout.connect(self._on_countdown_timeout)
        self._feed_timer.timeout.connect(self._on_feed_timer_timeout)

    # -- public -------------------------------------------------------------------
    @property
    def model(self) -> QueueTableModel:
        return self._model

    def action(self, action_id: QueueAction) -> QAction:
        return self._actions[action_id]

    def shortcuts(self) -> list[tuple[str, str]]:
        return shortcut_rows()

    def refresh(self) -> None:
        """Called when the page is shown: load once, then catch up with changes."""
        if not self._loaded:
            self._loaded = True
            self._load_choices()
            self._apply_filter()
            self._change_timer.start()
            self._countdown_timer.start()
            self._feed_timer.start()
        else:
            self.check_for_changes()
        self._runner.run(self._queue.ensure_due_current, self._on_due_checked,
                         self._on_background_failed)
        self._mark_checked()
        self._refresh_dashboard()

    def selected_rows(self) -> list[QueueRow]:
        rows = sorted(i.row() for i in self.table.selectionModel().selectedRows())
        if not rows and self.table.currentIndex().isValid():
            rows = [self.table.currentIndex().row()]
        found = (self._model.row_data(r) for r in rows)
        return [r for r in found if r is not None]

    def current_item_id(self) -> int | None:
        index = self.table.currentIndex()
        return self._model.item_id(index.row()) if index.isValid() else None

    @Slot(int)
    def go_to_item(self, item_id: int) -> None:
        row = self._model.row_of(item_id)
        if row is None:  # not in the current filter: show it anyway in the pane
            self._show_detail(item_id)
            return
        self._select_row(row)

    @Slot()
    def check_for_changes(self) -> None:
        """Reload when items arrived or changed, keeping the selection and scroll."""
        try:
            token = self._queue.read.change_token()
        except Exception:
            log.exception("checking the queue for changes failed")
            return
        if token == self._token:
            return
        self._token = token
        top_id = self._top_item_id()
        current = self.current_item_id()
        self._model.reload()
        if top_id is not None:
            row = self._model.row_of(top_id)
            if row is not None:
                self.table.scrollTo(self._model.index(row, 0),
                                    QAbstractItemView.ScrollHint.PositionAtTop)
        self._after_load()
        if current is not None and current == self.current_item_id():
            self._show_detail(current)
        self._refresh_dashboard()
        if self.isVisible():
            self._mark_checked()

    def showEvent(self, event: QShowEvent) -> None:  # QWidget.showEvent
        super().showEvent(event)
        if not self._loaded:  # the first page is shown without a navigation change
            self.refresh()

    # -- loading ------------------------------------------------------------------
    def _load_choices(self) -> None:
        self.filters.set_accounts(self._queue.read.accounts())
        self.filters.set_flags(self._queue.read.flags())

    def _apply_filter(self) -> None:
        flt = self.filters.current_filter(self._ctx.actor.staff_id)
        self._token = self._queue.read.change_token()
        self._model.set_query(flt, self._model.query[1])

    def _after_load(self) -> None:
        self.filters.set_count(self._model.rowCount())
        self.items_reloaded.emit(self._model.rowCount())

    def _top_item_id(self) -> int | None:
        index = self.table.indexAt(QPoint(0, 0))
        return self._model.item_id(index.row()) if index.isValid() else None

    def _select_row(self, row: int, *, extend: bool = False) -> None:
        if not 0 <= row < self._model.rowCount():
            return
        index = self._model.index(row, 0)
        flags = QItemSelectionModel.SelectionFlag.Rows | (
            QItemSelectionModel.SelectionFlag.Select if extend
            else QItemSelectionModel.SelectionFlag.ClearAndSelect)
        self.table.selectionModel().setCurrentIndex(index, flags)
        self.table.scrollTo(index)

    def _show_detail(self, item_id: int | None) -> None:
        if item_id is None:
            self.detail.show_detail(None)
            return
        try:
            detail = self._queue.read.detail(item_id)
        except Exception as exc:
            self.detail.show_detail(None)
            msgbox.show_error(self, exc, title="Queue")
            return
        self.detail.show_detail(detail, self._queue.now())
        self.item_shown.emit(item_id)

    def _refresh_dashboard(self) -> None:
        read, feeds = self._queue.read, self._queue.feeds

        def load() -> Any:
            return read.dashboard(), feeds.list_feeds()

        self._runner.run(load, self._on_dashboard_loaded, self._on_background_failed)

    def _mark_checked(self) -> None:
        now = self._queue.now()
        if self._last_checked is not None and now - self._last_checked < CHECKED_EVERY:
            return
        self._last_checked = now
        accounts = self._model.query[0].account_ids
        actor, queue = self._ctx.actor, self._queue
        self._runner.run(lambda: queue.mark_checked(actor, sorted(accounts) or None),
                         lambda _n: self._refresh_dashboard(), self._on_background_failed)

    # -- writes -------------------------------------------------------------------
    def _run_change(self, work: Callable[[], Any], done_text: str, ids: list[int]) -> None:
        def success(_result: Any) -> None:
            self.conflict.hide()
            self._model.forget(ids)
            self.status_label.setText(done_text)
            current = self.current_item_id()
            if current is not None:
                self._show_detail(current)
            self.items_changed.emit()
            self.check_for_changes()

        self._runner.run(work, success, self._on_change_failed)

    @Slot(object)
    def _on_change_failed(self, exc: BaseException) -> None:
        if isinstance(exc, ConflictError):
            text = f"{exc}"
            self.conflict_label.setText(text)
            self.conflict.show()
            self.conflict_shown.emit(text)
            return
        msgbox.show_error(self, exc, title="Queue")

    # -- slots --------------------------------------------------------------------
    @Slot()
    def _on_filters_filter_changed(self) -> None:
        self._apply_filter()

    @Slot()
    def _on_model_reset(self) -> None:
        self._after_load()
        if self._model.rowCount():
            self._select_row(0)
        else:
            self._show_detail(None)

    @Slot(QModelIndex, QModelIndex)
    def _on_table_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._show_detail(self._model.item_id(current.row()) if current.isValid() else None)

    @Slot()
    def _on_next_triggered(self) -> None:
        self._select_row(self.table.currentIndex().row() + 1)

    @Slot()
    def _on_previous_triggered(self) -> None:
        row = self.table.currentIndex().row()
        self._select_row(row - 1 if row > 0 else 0)

    @Slot()
    def _on_extend_next_triggered(self) -> None:
        self._select_row(self.table.currentIndex().row() + 1, extend=True)

    @Slot()
    def _on_extend_previous_triggered(self) -> None:
        self._select_row(self.table.currentIndex().row() - 1, extend=True)

    @Slot()
    def _on_open_triggered(self) -> None:
        if self.current_item_id() is not None:
            self.detail.focus_text()

    @Slot()
    def _on_back_triggered(self) -> None:
        self.table.setFocus(Qt.FocusReason.ShortcutFocusReason)

    @Slot()
    def _on_claim_triggered(self) -> None:
        rows = self.selected_rows()
        if not rows:
            return
        actor, queue = self._ctx.actor, self._queue
        pairs = [(r.id, r.version_id) for r in rows]
        self._run_change(lambda: queue.claim_many(actor, pairs),
                         f"Claimed {len(rows)} item(s)", [r.id for r in rows])

    @Slot()
    def _on_release_triggered(self) -> None:
        rows = [r for r in self.selected_rows() if r.claimed_by == self._ctx.actor.staff_id]
        if not rows:
            return
        actor, queue = self._ctx.actor, self._queue

        def work() -> None:
            for r in rows:
                queue.release(actor, r.id, r.version_id)

        self._run_change(work, f"Released {len(rows)} item(s)", [r.id for r in rows])

    @Slot()
    def _on_acknowledge_triggered(self) -> None:
        rows = self.selected_rows()
        if not rows:
            return
        actor, queue = self._ctx.actor, self._queue
        ids = [r.id for r in rows]
        self._run_change(lambda: queue.acknowledge_many(actor, ids),
                         f"Acknowledged {len(ids)} item(s): the response clock stopped", ids)

    @Slot()
    def _on_reload_triggered(self) -> None:
        self.conflict.hide()
        current = self.current_item_id()
        self._token = None
        self.check_for_changes()
        if current is not None:
            self._show_detail(current)

    @Slot()
    def _on_help_triggered(self) -> None:
        from smmod.ui.dialogs.shortcuts import ShortcutsDialog

        self._overlay = ShortcutsDialog([], self.shortcuts(), self)
        self._overlay.setObjectName("queue_shortcuts_overlay")
        self._overlay.setWindowTitle("Queue shortcuts")
        self._overlay.open()

    @Slot()
    def _on_import_triggered(self) -> None:
        from smmod.ui.queue.import_dialog import ImportDialog

        self._open_dialog(ImportDialog(self._ctx, self._runner, self))

    @Slot()
    def _on_add_triggered(self) -> None:
        from smmod.ui.queue.manual_dialog import ManualEntryDialog

        current = self.selected_rows()
        self._open_dialog(ManualEntryDialog(self._ctx, self._runner,
                                            current[0] if len(current) == 1 else None, self))

    @Slot()
    def _on_feeds_triggered(self) -> None:
        from smmod.ui.queue.feeds_dialog import FeedsDialog

        self._open_dialog(FeedsDialog(self._ctx, self._runner, self))

    @Slot()
    def _on_check_feeds_triggered(self) -> None:
        actor, feeds = self._ctx.actor, self._queue.feeds
        self.status_label.setText("Checking feeds…")
        self._runner.run(lambda: feeds.poll_all(actor), self._on_feeds_polled,
                         self._on_background_failed)

    @Slot()
    def _on_feed_timer_timeout(self) -> None:
        actor, feeds = self._ctx.actor, self._queue.feeds
        self._runner.run(lambda: feeds.poll_due(actor), self._on_feeds_polled,
                         self._on_background_failed)

    def _on_feeds_polled(self, results: list[Any]) -> None:
        if results:
            failed = [r for r in results if not r.ok]
            new = sum(r.imported for r in results)
            text = f"Feeds checked: {new} new item(s)"
            if failed:
                text += "; failed: " + "; ".join(f"{r.name} ({r.error})" for r in failed)
            self.status_label.setText(text)
        self.feeds_polled.emit(results)
        self.check_for_changes()
        self._refresh_dashboard()

    @Slot()
    def _on_countdown_timeout(self) -> None:
        self._model.tick()

    def _on_due_checked(self, moved: int) -> None:
        if moved:
            self._token = None
            self.check_for_changes()

    def _on_dashboard_loaded(self, loaded: Any) -> None:
        dash, feeds = loaded
        self.dashboard.show_dashboard(dash, self._queue.now())
        self.dashboard.show_feeds(feeds)

    def _on_background_failed(self, exc: BaseException) -> None:
        msgbox.show_error(self, exc, title="Queue")

    def _open_dialog(self, dialog: QDialog) -> None:
        self._dialog = dialog
        dialog.finished.connect(self._on_dialog_finished)
        dialog.open()

    @Slot(int)
    def _on_dialog_finished(self, result: int) -> None:
        if result == QDialog.DialogCode.Accepted:
            self._load_choices()
            self.check_for_changes()
            self._refresh_dashboard()

