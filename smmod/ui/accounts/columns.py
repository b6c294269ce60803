"""The account list's columns, fitted to the list's width (no sideways scrolling).

The account ("IG brookfield_pe") takes the spare width. The status is never cut; the
lead's name, the review date and the problems badge fit their contents within a cap
and give way to their floor when the list is narrow. A review date too narrow for
"2 Dec 2027" reads "Dec 2027"; every shortened cell has its full text in the tooltip.
Platform (in full) and Runners are hidden at first: the header's context menu shows
them, and the detail pane always lists the runners.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QStyledItemDelegate, QStyleOptionViewItem, QTableView

from smmod.ui.accounts.model import (
    COL_HANDLE,
    COL_LEAD,
    COL_PLATFORM,
    COL_PROBLEMS,
    COL_REVIEW,
    COL_RUNNERS,
    COL_STATUS,
    ShortRole,
)
from smmod.ui.column_fit import Fit

#: The account's name is readable down to this width (its full name is in the tooltip).
HANDLE_MIN = 150
#: Shown from the header's context menu; the detail pane has both.
HIDDEN_AT_FIRST = (COL_PLATFORM, COL_RUNNERS)
_PADDING = 14


def account_fits(table: QTableView) -> dict[int, Fit]:
    metrics = table.fontMetrics()

    def text(sample: str) -> int:
        return metrics.horizontalAdvance(sample) + _PADDING

    status = text("Active · at risk")
    return {
        COL_PLATFORM: Fit(text("Instagram"), text("Instagram")),
        COL_STATUS: Fit(status, status + 140),
        COL_LEAD: Fit(text("Sam Sen…"), text("Christopher Longname")),
        COL_RUNNERS: Fit(text("Runners"), text("Runners")),
        COL_REVIEW: Fit(text("Dec 2027"), text("⚠ 22 Dec 2027 (overdue)")),
        COL_PROBLEMS: Fit(text("R1 +3"), text("Problems")),
    }


class ShortWhenNarrow(QStyledItemDelegate):
    """Draws the model's ShortRole text when the full text does not fit the cell."""

    def initStyleOption(self, option: QStyleOptionViewItem,  # QStyledItemDelegate
                        index: QModelIndex | QPersistentModelIndex) -> None:
        super().initStyleOption(option, index)
        short = index.data(ShortRole)
        if short and option.fontMetrics.horizontalAdvance(option.text) + _PADDING > option.rect.width():
            option.text = short


def add_column_choice(table: QTableView) -> None:
    """The header's context menu shows or hides every column but the account's name."""
    header = table.horizontalHeader()
    header.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
    model = table.model()
    for column in range(model.columnCount()):
        if column == COL_HANDLE:
            continue
        title = model.headerData(column, Qt.Orientation.Horizontal)
        toggle = QAction(f"Show {title}", header)
        toggle.setObjectName(f"show_column_{column}")
        toggle.setCheckable(True)
        toggle.setChecked(column not in HIDDEN_AT_FIRST)
        toggle.toggled.connect(lambda on, c=column: table.setColumnHidden(c, not on))
        header.addAction(toggle)
        table.setColumnHidden(column, column in HIDDEN_AT_FIRST)
    table.setItemDelegateForColumn(COL_REVIEW, ShortWhenNarrow(table))
