"""The list behind a figure: a dialog of rows loaded off the UI thread."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from smmod.reports.drill_records import Drill


class DrillDialog(QDialog):
    """Shows a ``Drill``: a title, how many rows there are, and the rows."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(900, 480)
        self.heading = QLabel(f"<b>{title}</b>")
        self.count = QLabel("Loading…")
        self.count.setObjectName("drill_count")
        self.table = QTableWidget(0, 0)
        self.table.setObjectName("drill_table")
        self.table.setAccessibleName(title)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (self.heading, self.count, self.table, buttons):
            layout.addWidget(widget)
        self.drill: Drill | None = None

    def show_drill(self, drill: Drill) -> None:
        self.drill = drill
        self.setWindowTitle(drill.title)
        self.heading.setText(f"<b>{drill.title}</b>")
        shown = len(drill.rows)
        self.count.setText(f"{drill.total} in all" if shown == drill.total
                           else f"The first {shown} of {drill.total}: narrow the period or choose "
                                "one account to see the rest")
        self.table.setColumnCount(len(drill.columns))
        self.table.setHorizontalHeaderLabels(list(drill.columns))
        self.table.setRowCount(shown)
        for r, row in enumerate(drill.rows):
            for c, value in enumerate(row):
                self.table.setItem(r, c, QTableWidgetItem(value))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)

    def show_error(self, message: str) -> None:
        self.count.setText(message)


def open_drill(parent: QWidget, title: str, load: Callable[[], Drill],
               run: Callable[..., None]) -> DrillDialog:
    """Open the dialog at once and fill it when the rows arrive."""
    dialog = DrillDialog(title, parent)
    dialog.setModal(False)
    dialog.show()
    run(load, dialog.show_drill, lambda exc: dialog.show_error(str(exc)))
    return dialog
