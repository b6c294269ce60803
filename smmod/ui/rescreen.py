"""Screening the open items again in the background, with progress, and what changed.

``RescreenWatcher.check()`` is called after the screening rules, the word lists or the
do-not-publish register may have changed (and once at start-up, for changes made from
the command line or another computer). When something did change it runs the re-screen
through the task runner one chunk at a time, so other database work goes in between the
chunks and the app stays usable. ``RescreenStatus`` shows the progress in the status bar
with a Stop button and afterwards the summary, with a button that lists the items that
gained or lost a flag.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from smmod.context import AppContext
from smmod.moderation.rescreen import CHUNK, ROLES, RescreenReport, RescreenRun
from smmod.moderation.vocabulary import flag_label
from smmod.ui import msgbox
from smmod.ui.tasks import TaskRunner

log = logging.getLogger("smmod.ui")

MAX_ROWS = 2_000


class RescreenWatcher(QObject):
    """Starts a re-screen when screening's inputs changed; one run at a time."""

    started = Signal(int)  # open items to screen
    progressed = Signal(int, int)  # done, total
    finished = Signal(object)  # RescreenReport

    def __init__(self, ctx: AppContext, runner: TaskRunner, *, chunk: int = CHUNK,
                 parent: QObject | None = None) -> None:
        super().__init__(parent if parent is not None else runner)
        self._ctx = ctx
        self._runner = runner
        self._chunk = chunk
        self._run: RescreenRun | None = None
        self._busy = False
        self._again = False
        self._stop = False
        self.last_report: RescreenReport | None = None

    @property
    def running(self) -> bool:
        return self._busy

    def check(self) -> None:
        """Re-screen the open items if the rules, word lists or register changed."""
        actor = self._ctx.actor
        if actor.read_only or not actor.has(*ROLES):
            return  # someone who may re-screen will do it
        if self._busy:
            self._again = True  # look again once this run is over
            return
        self._busy, self._again, self._stop = True, False, False
        rescreen, chunk = self._ctx.rescreen, self._chunk

        def start() -> RescreenRun | None:
            return rescreen.start(actor, chunk=chunk) if rescreen.pending() else None

        self._runner.run(start, self._on_start_done, self._on_failed)

    def stop(self) -> None:
        """Stop after the chunk being screened; what was done stays done."""
        if self._run is not None:
            self._stop = True

    def _next(self) -> None:
        run = self._run
        assert run is not None
        if self._stop:
            self._runner.run(run.cancel, self._on_done, self._on_failed)
        else:
            self._runner.run(run.step, self._on_step_done, self._on_failed)

    def _on_start_done(self, run: RescreenRun | None) -> None:
        if run is None:
            self._end()
            return
        self._run = run
        self.started.emit(run.total)
        self._next()

    def _on_step_done(self, finished: bool) -> None:
        run = self._run
        assert run is not None
        self.progressed.emit(run.screened, max(run.total, run.screened))
        if finished:
            self._on_done(run.report())
        else:
            self._next()

    def _on_done(self, report: RescreenReport) -> None:
        self.last_report = report
        self._end()
        self.finished.emit(report)

    def _on_failed(self, exc: BaseException) -> None:
        self._end()
        msgbox.show_error(None, exc, title="Screening the queue again")

    def _end(self) -> None:
        self._run, self._busy, self._stop = None, False, False
        if self._again:
            self.check()


class RescreenStatus(QWidget):
    """The status bar's line: progress with Stop, then the summary with "Show changes"."""

    def __init__(self, watcher: RescreenWatcher, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("rescreen_status")
        self.watcher = watcher
        self.dialog: RescreenDialog | None = None
        self.label = QLabel()
        self.label.setObjectName("rescreen_label")
        self.label.setAccessibleName("Screening the queue again")
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.stop_button = QPushButton("Stop")
        self.stop_button.setAccessibleName("Stop screening the queue again")
        self.show_button = QPushButton("Show changes…")
        self.show_button.setAccessibleName("Show the items whose flags changed")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.stop_button)
        layout.addWidget(self.show_button)
        self.stop_button.hide()
        self.show_button.hide()
        self.hide()
        watcher.started.connect(self._on_watcher_started)
        watcher.progressed.connect(self._on_watcher_progressed)
        watcher.finished.connect(self._on_watcher_finished)
        self.stop_button.clicked.connect(self._on_stop_clicked)
        self.show_button.clicked.connect(self._on_show_clicked)

    @Slot(int)
    def _on_watcher_started(self, total: int) -> None:
        self.label.setText(f"Screening {total:,} open items again…")
        self.stop_button.setEnabled(True)
        self.stop_button.show()
        self.show_button.hide()
        self.show()

    @Slot(int, int)
    def _on_watcher_progressed(self, done: int, total: int) -> None:
        self.label.setText(f"Screening open items again: {done:,} of {total:,}…")

    @Slot(object)
    def _on_watcher_finished(self, report: RescreenReport) -> None:
        self.label.setText(report.summary)
        self.stop_button.hide()
        self.show_button.setVisible(bool(report.changes))
        self.show()

    @Slot()
    def _on_stop_clicked(self) -> None:
        self.stop_button.setEnabled(False)
        self.label.setText("Stopping after this batch…")
        self.watcher.stop()

    @Slot()
    def _on_show_clicked(self) -> None:
        report = self.watcher.last_report
        if report is None:
            return
        self.dialog = RescreenDialog(report, self.window())
        self.dialog.open()


class RescreenDialog(QDialog):
    """Which items gained or lost a flag when the open items were screened again."""

    def __init__(self, report: RescreenReport, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("rescreen_dialog")
        self.setWindowTitle("Screening changes")
        self.resize(900, 460)
        summary = QLabel(report.summary)
        summary.setTextFormat(Qt.TextFormat.PlainText)
        summary.setWordWrap(True)
        self.table = QTableWidget(0, 5)
        self.table.setObjectName("rescreen_table")
        self.table.setAccessibleName("Items whose flags changed")
        self.table.setHorizontalHeaderLabels(["Item", "Author", "Gained", "Lost", "Text"])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        shown = report.changes[:MAX_ROWS]
        self.table.setRowCount(len(shown))
        for row, change in enumerate(shown):
            cells = (f"#{change.item_id}", change.author, ", ".join(flag_label(f) for f in change.gained),
                     ", ".join(flag_label(f) for f in change.lost), change.excerpt)
            for column, text in enumerate(cells):
                cell = QTableWidgetItem(text)  # plain text: outside text is never rich text
                self.table.setItem(row, column, cell)
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        layout.addWidget(self.table)
        if len(report.changes) > len(shown):
            more = QLabel(f"The first {len(shown):,} of {len(report.changes):,} are listed; "
                          "`smmod queue rescreen --json` lists them all.")
            more.setTextFormat(Qt.TextFormat.PlainText)
            layout.addWidget(more)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.table.setFocus()
