"""Building blocks of the Queue page: the triage table, the conflict banner, the title row."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QAction, QFont, QFontMetrics, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QToolButton,
    QWidget,
)

from smmod.ui.column_fit import ColumnFitter, Fit, elide_middle
from smmod.ui.queue.actions import QueueAction
from smmod.ui.queue.columns import (
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
    STATUS_SHORT,
)
from smmod.ui.queue.flag_icons import icon_size
from smmod.ui.queue.model import QueueTableModel

# Right-click the header to show these columns. The kind is in the detail pane and the
# Kind filter; at 1280 px its width is what lets the account and the author be read.
HIDDEN_COLUMNS = frozenset({COL_RECEIVED, COL_KIND})
TITLE_BUTTONS = (
    (QueueAction.IMPORT, "Import…"),
    (QueueAction.ADD, "Add item…"),
    (QueueAction.FEEDS, "Feeds…"),
    (QueueAction.CHECK_FEEDS, "Check feeds now"),
    (QueueAction.HELP, "Shortcuts (?)"),
)
_BANNER_STYLE = (
    "QFrame#queue_conflict { background: #fff4e5; border: 1px solid #f3d19e;"
    " border-radius: 4px; } QLabel { color: #663c00; }"
)


TEXT_MIN = 200  # the comment's text: never squeezed narrower than this


class QueueTable(QTableView):
    """The triage table. Letters that are not one of its shortcuts do nothing here.

    A plain QTableView jumps to the row whose text starts with what was typed; in a
    list worked by single-key commands that only moves the selection under the
    moderator's hands.
    """

    column_fitter: ColumnFitter

    def keyboardSearch(self, search: str) -> None:  # QAbstractItemView.keyboardSearch
        return


def make_table(model: QueueTableModel) -> QTableView:
    """Dense rows, whole-row and multi-row selection, in priority order."""
    table = QueueTable()
    table.setObjectName("queue_table")
    table.setAccessibleName("Queue items")
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.setShowGrid(False)
    table.setIconSize(icon_size())
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(26)
    table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    header = table.horizontalHeader()
    header.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
    for column, title in HEADERS.items():
        toggle = QAction(f"Show {title}", header)
        toggle.setCheckable(True)
        toggle.setChecked(column not in HIDDEN_COLUMNS)
        toggle.setEnabled(column not in (COL_DEADLINE, COL_TEXT))
        toggle.toggled.connect(lambda on, c=column: table.setColumnHidden(c, not on))
        header.addAction(toggle)
        table.setColumnHidden(column, column in HIDDEN_COLUMNS)
    header.setSortIndicator(COL_FLAGS, Qt.SortOrder.AscendingOrder)  # priority
    table.setSortingEnabled(True)
    elide_middle(table, COL_ACCOUNT, COL_AUTHOR, COL_CLAIMED)
    table.column_fitter = ColumnFitter(table, column_fits(table), COL_TEXT, stretch_min=TEXT_MIN,
                                        screen_only=True)
    return table


def column_fits(table: QTableView) -> dict[int, Fit]:
    """Each column's floor and cap. The flags, deadline and status are never cut (the
    flags column holds four badges, more become "+n"). When the text needs the room, who
    claimed it gives way first, then the received time, then the author's name, then the
    account (cut in the middle, in full in the tooltip): there are few accounts, told
    apart by the end of their handles, and the selected author's name is in the detail
    pane."""
    metrics = table.fontMetrics()
    bold = QFont(table.font())
    bold.setBold(True)
    deadline = QFontMetrics(bold).horizontalAdvance("Overdue 23 h 59 min") + 16
    status = max(metrics.horizontalAdvance(s) for s in STATUS_SHORT.values()) + 12
    flags = icon_size().width() + 8
    return {
        COL_DEADLINE: Fit(deadline, deadline + 20),
        COL_FLAGS: Fit(flags, flags),
        COL_STATUS: Fit(status, status + 20),
        COL_ACCOUNT: Fit(64, 190, give=1),
        COL_KIND: Fit(metrics.horizontalAdvance("Message") + 12, 100),
        COL_AUTHOR: Fit(64, 170, give=2),
        COL_CLAIMED: Fit(56, 140, give=4),
        COL_RECEIVED: Fit(64, 160, give=3),
    }


_MODIFIER_KEYS = frozenset(
    {Qt.Key.Key_Shift, Qt.Key.Key_Control, Qt.Key.Key_Alt, Qt.Key.Key_Meta, Qt.Key.Key_AltGr}
)


class StatusLine(QLabel):
    """What the last command did ("Claimed #12."), until the moderator does something else.

    A key or a click in a watched widget (the list) clears it, so it never describes a
    situation that is over. Feed names and errors are shown as plain text.
    """

    cleared = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("queue_status_message")
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setStyleSheet("color: palette(placeholder-text);")

    def watch(self, *widgets: QWidget) -> None:
        for widget in widgets:
            widget.installEventFilter(self)

    def clear_now(self) -> None:
        self.clear()
        self.cleared.emit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # QObject.eventFilter
        kind = event.type()
        if kind in (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride):
            if isinstance(event, QKeyEvent) and event.key() not in _MODIFIER_KEYS:
                self.clear_now()
        elif kind == QEvent.Type.MouseButtonPress:
            self.clear_now()
        return False


class ConflictBanner(QFrame):
    """ "Changed elsewhere — reload": shown instead of silently overwriting a change."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("queue_conflict")
        self.setStyleSheet(_BANNER_STYLE)
        self.label = QLabel()
        self.label.setObjectName("queue_conflict_text")
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setWordWrap(True)
        self.reload_button = QPushButton("Reload")
        self.reload_button.setObjectName("queue_conflict_reload")
        row = QHBoxLayout(self)
        row.setContentsMargins(10, 6, 10, 6)
        row.addWidget(self.label, 1)
        row.addWidget(self.reload_button)
        self.hide()

    def show_message(self, text: str) -> None:
        self.label.setText(text)
        self.show()


def title_row() -> tuple[QHBoxLayout, dict[QueueAction, QToolButton]]:
    title = QLabel("Moderation queue")
    title.setStyleSheet("font-size: 16pt; font-weight: 600;")
    row = QHBoxLayout()
    row.addWidget(title)
    row.addStretch(1)
    buttons: dict[QueueAction, QToolButton] = {}
    for action_id, text in TITLE_BUTTONS:
        button = QToolButton()
        button.setObjectName(f"queue_button_{action_id}")
        button.setText(text)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        buttons[action_id] = button
        row.addWidget(button)
    return row, buttons
