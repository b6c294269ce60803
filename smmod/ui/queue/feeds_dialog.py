"""Alert feeds (R14): add, pause, remove and check the feeds that bring in mentions."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from smmod.context import AppContext
from smmod.errors import SmmodError
from smmod.queue.records import FeedInfo
from smmod.ui import msgbox
from smmod.ui.plain import tip
from smmod.ui.queue.columns import local_text
from smmod.ui.tasks import TaskRunner
from smmod.wording import count

COLUMNS = ("Name", "Account", "Address", "Every", "On", "Last checked", "Status")
_BAD = QColor(158, 22, 22)


class FeedsDialog(QDialog):
    feeds_loaded = Signal(int)
    polled = Signal(list)

    def __init__(self, ctx: AppContext, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._runner = runner
        self._feeds: list[FeedInfo] = []
        self._zone = ZoneInfo(ctx.calendar().tz)
        self.setWindowTitle("Alert feeds")
        self.setObjectName("queue_feeds_dialog")
        self.resize(900, 520)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("feeds_table")
        self.table.setAccessibleName("Feeds")
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(6, QHeaderView.ResizeMode.Stretch)
        self.check_button = QPushButton("Check &selected now")
        self.check_all_button = QPushButton("Check &all now")
        self.toggle_button = QPushButton("&Pause / resume")
        self.remove_button = QPushButton("&Remove")
        row = QHBoxLayout()
        for button in (self.check_button, self.check_all_button, self.toggle_button, self.remove_button):
            row.addWidget(button)
        row.addStretch(1)
        self.name = QLineEdit()
        self.name.setObjectName("feed_name")
        self.url = QLineEdit()
        self.url.setObjectName("feed_url")
        self.url.setPlaceholderText("https://… (an RSS or Atom address)")
        self.account = QComboBox()
        self.account.setObjectName("feed_account")
        for ref in ctx.queue.read.accounts():
            self.account.addItem(ref.label, ref.id)
        self.interval = QSpinBox()
        self.interval.setObjectName("feed_interval")
        self.interval.setRange(5, 7 * 24 * 60)
        self.interval.setValue(60)
        self.interval.setSuffix(" min")
        self.add_button = QPushButton("Add &feed")
        self.add_button.setObjectName("feed_add")
        add_box = QGroupBox("Add a feed (mentions go into the account's queue)")
        form = QFormLayout(add_box)
        form.addRow("&Name:", self.name)
        form.addRow("Add&ress:", self.url)
        form.addRow("A&ccount:", self.account)
        form.addRow("Check &every:", self.interval)
        form.addRow("", self.add_button)
        self.message = QLabel()
        self.message.setTextFormat(Qt.TextFormat.PlainText)  # feed names and errors
        self.message.setObjectName("feeds_message")
        self.message.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        layout.addWidget(add_box)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.add_button.clicked.connect(self._on_add_clicked)
        self.check_button.clicked.connect(self._on_check_clicked)
        self.check_all_button.clicked.connect(self._on_check_all_clicked)
        self.toggle_button.clicked.connect(self._on_toggle_clicked)
        self.remove_button.clicked.connect(self._on_remove_clicked)
        self.reload()

    # -- public -------------------------------------------------------------------
    def reload(self) -> None:
        feeds = self._ctx.queue.feeds
        self._runner.run(feeds.list_feeds, self._on_loaded, self._on_failed)

    def feeds(self) -> list[FeedInfo]:
        return list(self._feeds)

    # -- helpers ------------------------------------------------------------------
    def _selected(self) -> FeedInfo | None:
        row = self.table.currentRow()
        return self._feeds[row] if 0 <= row < len(self._feeds) else None

    def _run(self, work: Any, done_text: str) -> None:
        def done(result: Any) -> None:
            self.message.setStyleSheet("")
            self.message.setText(done_text)
            if isinstance(result, list):
                self._report(result)
            self.reload()

        self._runner.run(work, done, self._on_failed)

    def _report(self, results: list[Any]) -> None:
        failed = [r for r in results if not r.ok]
        new = sum(r.imported for r in results)
        text = f"Checked {count(len(results), 'feed')}: {count(new, 'new item', zero='no new items')}."
        skipped = [r for r in results if r.ok and r.skipped]
        if skipped:
            text += " Entries skipped: " + "; ".join(f"{r.name}: {r.skipped_entries}" for r in skipped) + "."
        if failed:
            text += " Failed: " + "; ".join(f"{r.name}: {r.error}" for r in failed)
        if failed or skipped:
            self.message.setStyleSheet("color: #9e1616;")
        self.message.setText(text)
        self.polled.emit(results)

    # -- slots --------------------------------------------------------------------
    def _on_loaded(self, feeds: list[FeedInfo]) -> None:
        self._feeds = feeds
        self.table.setRowCount(len(feeds))
        for row, f in enumerate(feeds):
            status = _status(f)
            cells = (
                f.name,
                f.account_label,
                f.url,
                f"{f.interval_minutes} min",
                "yes" if f.enabled else "paused",
                local_text(f.last_polled_at, self._zone),
                status,
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(tip(text))
                if column == 6 and (f.last_error or f.last_skipped):
                    item.setForeground(QBrush(_BAD))
                    # Each entry the last read left out, with why, on hover.
                    item.setToolTip(tip("\n".join([text, *map(str, f.last_skipped)])))
                item.setData(Qt.ItemDataRole.UserRole, f.id)
                self.table.setItem(row, column, item)
        self.table.resizeColumnsToContents()
        self.feeds_loaded.emit(len(feeds))

    @Slot()
    def _on_add_clicked(self) -> None:
        account_id = self.account.currentData()
        if account_id is None:
            self._show_error("Register an account first: feeds bring mentions into its queue.")
            return
        feeds, actor = self._ctx.queue.feeds, self._ctx.actor
        name, url, every = self.name.text(), self.url.text(), self.interval.value()
        self._run(
            lambda: feeds.add(actor, int(account_id), name, url, every), f"Added the feed '{name.strip()}'."
        )

    @Slot()
    def _on_check_clicked(self) -> None:
        feed = self._selected()
        if feed is None:
            return
        feeds, actor = self._ctx.queue.feeds, self._ctx.actor
        self._run(lambda: [feeds.poll(actor, feed.id)], "Checked.")

    @Slot()
    def _on_check_all_clicked(self) -> None:
        feeds, actor = self._ctx.queue.feeds, self._ctx.actor
        self._run(lambda: feeds.poll_all(actor), "Checked.")

    @Slot()
    def _on_toggle_clicked(self) -> None:
        feed = self._selected()
        if feed is None:
            return
        feeds, actor = self._ctx.queue.feeds, self._ctx.actor
        self._run(
            lambda: feeds.update(actor, feed.id, feed.version_id, enabled=not feed.enabled),
            f"'{feed.name}' is {'paused' if feed.enabled else 'on again'}.",
        )

    @Slot()
    def _on_remove_clicked(self) -> None:
        feed = self._selected()
        if feed is None:
            return
        if not msgbox.confirm(
            self,
            "Remove feed",
            f"Stop checking '{feed.name}'? Items it already brought in stay in the queue.",
            destructive=True,
        ):
            return
        feeds, actor = self._ctx.queue.feeds, self._ctx.actor
        self._run(lambda: feeds.remove(actor, feed.id, feed.version_id), f"Removed '{feed.name}'.")

    def _show_error(self, text: str) -> None:
        self.message.setStyleSheet("color: #9e1616;")
        self.message.setText(text)

    def _on_failed(self, exc: BaseException) -> None:
        if isinstance(exc, SmmodError):
            self._show_error(str(exc))
        else:
            msgbox.show_error(self, exc, title="Alert feeds")


def _status(feed: FeedInfo) -> str:
    if feed.last_error:
        return f"Failed: {feed.last_error}"
    if not feed.last_ok_at:
        return "Not checked yet"
    status = f"OK ({feed.last_new_count} new last time)"
    if feed.last_skipped_entries:
        status += f"; {count(feed.last_skipped_entries, 'entry', 'entries')} skipped: hover for why"
    return status
