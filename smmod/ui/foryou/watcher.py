"""For you at start-up and in the background: the list opens when smmod starts, and a
desktop notification (the system tray) tells of each new item after that.

Notifications carry only what ``smmod.reports.foryou`` writes: accounts, staff names, ids,
dates and counts, never comment text or pupils' names (a screen may be projected).
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QSize, QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QSystemTrayIcon,
    QVBoxLayout,
    QWidget,
)

from smmod.context import AppContext
from smmod.reports.foryou import ForYouItem, new_items, notification, split_decisions
from smmod.ui.foryou.page import go_to
from smmod.ui.foryou.view import ForYouList
from smmod.ui.icons import app_icon
from smmod.ui.screen import fit_to_screen
from smmod.ui.tasks import TaskRunner

log = logging.getLogger("smmod.ui.foryou")
CHECK_MS = 120_000


class ForYouDialog(QDialog):
    """What waits for you, shown at start-up (not modal: work can start at once)."""

    def __init__(self, items: list[ForYouItem], parent: QWidget) -> None:
        super().__init__(parent)
        decisions, _others = split_decisions(items)
        self.setWindowTitle("For you: waiting for your decision" if decisions else "For you")
        fit_to_screen(self, QSize(680, 440))
        self.list = ForYouList(self._open)
        self.list.show_items(items)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.page_button = buttons.addButton("Open the For you page",
                                             QDialogButtonBox.ButtonRole.ActionRole)
        self.page_button.clicked.connect(lambda: self._open("foryou"))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        mine = (f", {len(decisions)} of them for your decision" if len(items) > len(decisions)
                else f": {'it needs' if len(items) == 1 else 'all need'} your decision")
        self.summary = QLabel(f"<b>{len(items)} thing{'s' if len(items) != 1 else ''} "
                              f"wait{'' if len(items) != 1 else 's'} for you"
                              f"{mine if decisions else ''}</b>")
        self.summary.setObjectName("foryou_start_summary")
        layout.addWidget(self.summary)
        layout.addWidget(self.list, 1)
        layout.addWidget(buttons)

    def _open(self, page: str) -> None:
        parent = self.parentWidget()
        if parent is not None:
            go_to(parent, page)
        self.accept()


class ForYouWatcher(QObject):
    """Checks the list every two minutes and notifies of what is new since the last check."""

    notified = Signal(str, str)  # title, message

    def __init__(self, ctx: AppContext, runner: TaskRunner, parent: QWidget, *,
                 tray_available: bool | None = None, interval_ms: int = CHECK_MS) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._runner = runner
        self._window = parent
        self.seen: dict[str, int] = {}
        self.first = True
        self.dialog: ForYouDialog | None = None
        self.tray = QSystemTrayIcon(app_icon(), self)
        self.tray.setToolTip("smmod")
        self.tray_available = (QSystemTrayIcon.isSystemTrayAvailable() if tray_available is None
                               else tray_available)
        if self.tray_available and QSystemTrayIcon.isSystemTrayAvailable():
            self.tray.show()
        self.tray.messageClicked.connect(lambda: go_to(self._window, "foryou"))
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.check)

    def start(self) -> None:
        self.check()
        self._timer.start()

    def check(self) -> None:
        service, actor = self._ctx.reports.for_you, self._ctx.actor
        self._runner.run(lambda: service.items(actor), self._on_items,
                         lambda exc: log.warning("For you could not be checked: %s", exc))

    def _on_items(self, items: list[ForYouItem]) -> None:
        fresh = new_items(items, self.seen)
        self.seen = {i.key: i.count for i in items}
        if self.first:
            self.first = False
            if items:  # at start-up the whole list is shown, not notified
                self.dialog = ForYouDialog(items, self._window)
                self.dialog.setModal(False)
                self.dialog.show()
            return
        message = notification(fresh)
        if message is None:
            return
        title, text = message
        if self.tray_available:
            self.tray.showMessage(title, text, QSystemTrayIcon.MessageIcon.Information, 10_000)
        self.notified.emit(title, text)


def start_for_you(ctx: AppContext, window: QWidget, runner: TaskRunner) -> ForYouWatcher | None:
    """Called once the window is attached: the list now, notifications from then on."""
    if ctx.actor.read_only:
        return None
    watcher = ForYouWatcher(ctx, runner, window)
    watcher.start()
    return watcher
