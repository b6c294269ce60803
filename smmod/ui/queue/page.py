"""The Queue page: keyboard-first triage of every comment, message and mention.

The page assembles the parts (dashboard strip, filter bar, lazy table, detail pane)
and wires them. Reads for the table are quick indexed queries on the UI thread; writes
(claims, acknowledgements, imports, feed polls) run on the task runner.
"""

from __future__ import annotations

import logging
import time
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QPoint, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QBoxLayout,
    QHBoxLayout,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from smmod.queue.records import PRIORITY, QueueRow
from smmod.ui import msgbox
from smmod.ui.pages import PageDeps
from smmod.ui.queue.actions import QueueAction, create_actions, shortcut_rows
from smmod.ui.queue.commands import QueueCommands, feeds_text
from smmod.ui.queue.dashboard import DashboardStrip
from smmod.ui.queue.detail import DetailPane
from smmod.ui.queue.filterbar import FilterBar
from smmod.ui.queue.launcher import DialogLauncher
from smmod.ui.queue.model import QueueTableModel
from smmod.ui.queue.outbox_indicator import OutboxIndicator
from smmod.ui.queue.widgets import ConflictBanner, StatusLine, make_table, title_row

log = logging.getLogger("smmod.ui.queue")

CHANGE_POLL_MS = 5_000
COUNTDOWN_MS = 30_000
FEED_POLL_MS = 60_000
CHECKED_EVERY = timedelta(minutes=5)

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
        self._model = QueueTableModel(
            self._queue.read, now=self._queue.now, zone=self._zone, sort=PRIORITY, parent=self
        )
        self._token: Any = None
        self._loaded = False
        self._last_checked: datetime | None = None
        self.dialogs = DialogLauncher(self._ctx, self._runner, self)
        self._commands = QueueCommands(self._queue, lambda: self._ctx.actor, self._runner, self)
        self._init_widgets()
        self._init_moderation(deps)
        self._actions = create_actions(self, self.table)
        self._init_timers()
        self._connect_signals()
        self._refreshed_at = -1e9
        self._checking_feeds = False
        self._feed_timer.start()  # feeds are polled whether or not the page is open

    # -- assembly -----------------------------------------------------------------
    def _init_moderation(self, deps: PageDeps) -> None:
        """The action panel (R8–R10): reply, hide, delete, block, report, escalate…"""
        from smmod.ui.moderation import install

        layout = self.layout()
        assert isinstance(layout, QBoxLayout)
        self.moderation = install(
            self, deps, layout=layout, index=layout.count() - 1,
            selection=self.selected_rows,
            selection_changed=self.table.selectionModel().selectionChanged,
            keys_owner=self.table, on_recorded=self._on_moderation_recorded)

    @Slot(list)
    def _on_moderation_recorded(self, ids: list[int]) -> None:
        self._after_write(ids)

    def _school_zone(self) -> ZoneInfo:
        try:
            return ZoneInfo(self._ctx.calendar().tz)
        except Exception:
            log.exception("the configured time zone is unusable; showing Europe/London")
            return ZoneInfo("Europe/London")

    def _init_widgets(self) -> None:
        self.dashboard = DashboardStrip()
        self.filters = FilterBar()
        self.table = make_table(self._model)
        self.detail = DetailPane(self._zone)
        self.conflict = ConflictBanner()
        self.conflict_label = self.conflict.label
        self.reload_button = self.conflict.reload_button
        self.status_label = StatusLine()
        self.outbox_indicator = OutboxIndicator(self._ctx, self._runner)
        splitter = QSplitter()
        splitter.addWidget(self.table)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([1000, 240])  # at 1280 px the detail pane starts at its narrowest
        splitter.setChildrenCollapsible(False)
        titles, self._buttons = title_row()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 6)
        layout.addLayout(titles)
        layout.addWidget(self.dashboard)
        layout.addWidget(self.filters)
        layout.addWidget(self.conflict)
        layout.addWidget(splitter, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status_label, 1)
        bottom.addWidget(self.outbox_indicator)
        layout.addLayout(bottom)

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
        a[QueueAction.IMPORT].triggered.connect(self.dialogs.open_import)
        a[QueueAction.ADD].triggered.connect(self._on_add_triggered)
        a[QueueAction.FEEDS].triggered.connect(self.dialogs.open_feeds)
        self.dialogs.accepted.connect(self._on_dialogs_accepted)
        a[QueueAction.CHECK_FEEDS].triggered.connect(self._on_check_feeds_triggered)
        for action_id, button in self._buttons.items():
            button.clicked.connect(a[action_id].trigger)
        self.filters.filter_changed.connect(self._on_filters_filter_changed)
        self.table.selectionModel().currentRowChanged.connect(self._on_table_current_changed)
        self._model.modelReset.connect(self._on_model_reset)
        self._model.ids_loaded.connect(self._on_model_ids_loaded)
        # A reset or a removal can drop selected rows without a selectionChanged signal.
        self._model.rowsRemoved.connect(self._sync_panel)
        self._model.layoutChanged.connect(self._sync_panel)
        self.status_label.watch(self.table, self.table.viewport())
        self.status_label.cleared.connect(self.moderation.clear_result)
        self.moderation.outbox_changed.connect(self.outbox_indicator.reload)
        self.detail.item_requested.connect(self.go_to_item)
        self.reload_button.clicked.connect(self._on_reload_triggered)
        self._change_timer.timeout.connect(self.check_for_changes)
        self._countdown_timer.timeout.connect(self._on_countdown_timeout)
        self._feed_timer.timeout.connect(self._on_feed_timer_timeout)
        self._commands.changed.connect(self._on_commands_changed)
        self._commands.conflicted.connect(self._on_commands_conflicted)
        self._commands.failed.connect(self._on_background_failed)
        self._commands.feeds_polled.connect(self._on_commands_feeds_polled)

    # -- public -------------------------------------------------------------------
    @property
    def model(self) -> QueueTableModel:
        return self._model

    def action(self, action_id: QueueAction) -> QAction:
        return self._actions[action_id]

    def shortcuts(self) -> list[tuple[str, str]]:
        from smmod.ui.moderation.registry import shortcut_rows as moderation_rows

        return shortcut_rows() + moderation_rows()

    def refresh(self) -> None:
        """Called when the page is shown: load once, then catch up with changes."""
        now = time.monotonic()
        if now - self._refreshed_at < 1.0:  # shown and navigated to in the same moment
            return
        self._refreshed_at = now
        if not self._loaded:
            self._loaded = True
            self._load_choices()
            self._apply_filter()
            self._change_timer.start()
            self._countdown_timer.start()
        else:
            self.check_for_changes()
        self._runner.run(lambda: self._queue.ensure_due_current(wait=False), self._on_due_checked,
                         self._on_bookkeeping_failed)
        self._mark_checked()
        self._refresh_dashboard()
        self.outbox_indicator.reload()

    def selected_rows(self) -> list[QueueRow]:
        """The rows shown and selected: the only ones any command acts on.

        Never the current row on its own, and never an item the filter hides.
        """
        total = self._model.rowCount()
        rows = sorted(i.row() for i in self.table.selectionModel().selectedRows() if i.row() < total)
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
        if not self.isVisible():
            return  # caught up with by refresh() when the page is shown again
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
                self.table.scrollTo(self._model.index(row, 0), QAbstractItemView.ScrollHint.PositionAtTop)
        self._after_load()
        if current is not None and current == self.current_item_id():
            self._show_detail(current)
        self._refresh_dashboard()
        if self.isVisible():
            self._mark_checked()

    def changed_elsewhere(self) -> None:
        """The server said someone committed a change to the queue: reload, even when the
        change token reads the same (two changes within one clock tick)."""
        self._token = None
        self.check_for_changes()

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
        self.filters.set_count(self._model.rowCount(), about=self._model.is_estimate())
        self.items_reloaded.emit(self._model.rowCount())

    def _top_item_id(self) -> int | None:
        index = self.table.indexAt(QPoint(0, 0))
        return self._model.item_id(index.row()) if index.isValid() else None

    def _select_row(self, row: int, *, extend: bool = False) -> None:
        if not 0 <= row < self._model.rowCount():
            return
        index = self._model.index(row, 0)
        flags = QItemSelectionModel.SelectionFlag.Rows | (
            QItemSelectionModel.SelectionFlag.Select
            if extend
            else QItemSelectionModel.SelectionFlag.ClearAndSelect
        )
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

        self._runner.run(load, self._on_dashboard_loaded, self._on_bookkeeping_failed)

    def _mark_checked(self) -> None:
        now = self._queue.now()
        if self._last_checked is not None and now - self._last_checked < CHECKED_EVERY:
            return
        self._last_checked = now
        accounts = self._model.query[0].account_ids
        actor, queue = self._ctx.actor, self._queue
        self._runner.run(
            lambda: queue.mark_checked(actor, sorted(accounts) or None, wait=False),
            lambda _n: self._refresh_dashboard(),
            self._on_bookkeeping_failed,
        )

    # -- writes -------------------------------------------------------------------
    @Slot(str, list)
    def _on_commands_changed(self, done: str, ids: list[int]) -> None:
        self.status_label.setText(done)
        self._after_write(ids)

    def _after_write(self, ids: list[int]) -> None:
        """Items were changed here: show the new state without losing the selection."""
        self.conflict.hide()
        # Not only ``ids``: blocking an author shows on all their items.
        self._model.forget_all()
        current = self.current_item_id()
        if current is not None:
            self._show_detail(current)
        self.items_changed.emit()
        self.check_for_changes()

    @Slot(str)
    def _on_commands_conflicted(self, text: str) -> None:
        self.conflict.show_message(text)
        self.conflict_shown.emit(text)

    # -- slots --------------------------------------------------------------------
    @Slot()
    def _on_filters_filter_changed(self) -> None:
        self.status_label.clear_now()
        self._apply_filter()

    @Slot(int)
    def _on_model_ids_loaded(self, count: int) -> None:
        self.filters.set_count(count)  # the exact count once every id is in

    @Slot()
    def _on_model_reset(self) -> None:
        self._after_load()
        if self._model.rowCount():
            self._select_row(0)
        else:
            self._show_detail(None)
        self._sync_panel()

    @Slot()
    def _sync_panel(self) -> None:
        self.moderation.set_rows(self.selected_rows())

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
        self._commands.claim(self.selected_rows())

    @Slot()
    def _on_release_triggered(self) -> None:
        self._commands.release(self.selected_rows())

    @Slot()
    def _on_acknowledge_triggered(self) -> None:
        # Through the action panel, so the acknowledgement is an Action row too.
        self.moderation.acknowledge_selected()

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
        self.dialogs.open_shortcuts(self.shortcuts())

    @Slot()
    def _on_add_triggered(self) -> None:
        selected = self.selected_rows()
        self.dialogs.open_manual(selected[0] if len(selected) == 1 else None)

    @Slot()
    def _on_check_feeds_triggered(self) -> None:
        self.status_label.setText("Checking feeds…")
        self._checking_feeds = True
        self._commands.poll_feeds(due_only=False)

    @Slot()
    def _on_feed_timer_timeout(self) -> None:
        self._commands.poll_feeds(due_only=True)

    @Slot(list)
    def _on_commands_feeds_polled(self, results: list[Any]) -> None:
        asked, self._checking_feeds = self._checking_feeds, False
        if results or asked:
            self.status_label.setText(feeds_text(results))
        self.feeds_polled.emit(results)
        self.check_for_changes()
        self._refresh_dashboard()

    @Slot()
    def _on_countdown_timeout(self) -> None:
        self._model.tick()

    def _on_due_checked(self, moved: int | None) -> None:
        if moved:
            self._token = None
            self.check_for_changes()

    def _on_dashboard_loaded(self, loaded: Any) -> None:
        dash, feeds = loaded
        self.dashboard.show_dashboard(dash, self._queue.now())
        self.dashboard.show_feeds(feeds)

    def _on_background_failed(self, exc: BaseException) -> None:
        if self.status_label.text() == "Checking feeds…":
            self.status_label.clear()
        self._checking_feeds = False
        msgbox.show_error(self, exc, title="Queue")

    def _on_bookkeeping_failed(self, exc: BaseException) -> None:
        """Work nobody asked for (the dashboard, deadlines, "checked" marks) that met a
        server gone away: the status bar already says "Reconnecting…", and it is done
        again once back, so no box each time. Anything else is shown."""
        from smmod.store.dialect import server_away

        if server_away(exc):
            log.info("queue bookkeeping skipped while the server is away: %s", exc)
            return
        self._on_background_failed(exc)

    @Slot()
    def _on_dialogs_accepted(self) -> None:
        self._load_choices()
        self.check_for_changes()
        self._refresh_dashboard()
