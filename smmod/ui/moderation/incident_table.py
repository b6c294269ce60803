"""The incidents table view: sortable, one incident at a time, titles elided with tooltips."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from smmod.moderation.records import IncidentSummary
from smmod.ui.moderation.incident_model import (
    COL_CATEGORY,
    COL_ID,
    COL_ITEMS,
    COL_LEAD,
    COL_OPENED,
    COL_POLICE,
    COL_SEVERITY,
    COL_STATUS,
    COL_TITLE,
    IncidentTableModel,
    ObjectRole,
    SortRole,
)

COLUMN_WIDTHS = {
    COL_ID: 34,
    COL_CATEGORY: 118,
    COL_SEVERITY: 60,
    COL_LEAD: 100,
    COL_POLICE: 68,
    COL_OPENED: 84,
    COL_ITEMS: 44,
    COL_STATUS: 56,
}


class IncidentTable(QTableView):
    def __init__(self, zone: ZoneInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("incidents_table")
        self.setAccessibleName("Incidents")
        self.source = IncidentTableModel(zone, self)
        self._proxy = QSortFilterProxyModel(self)
        self._proxy.setSourceModel(self.source)
        self._proxy.setSortRole(SortRole)
        self.setModel(self._proxy)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setAlternatingRowColors(True)
        self.setShowGrid(False)
        self.setSortingEnabled(True)
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.verticalHeader().hide()
        self.verticalHeader().setDefaultSectionSize(26)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, width in COLUMN_WIDTHS.items():
            header.resizeSection(column, width)
        header.setSectionResizeMode(COL_TITLE, QHeaderView.ResizeMode.Stretch)
        self.setColumnHidden(COL_ITEMS, True)  # shown in the detail's Evidence tab
        self.sortByColumn(COL_ID, Qt.SortOrder.DescendingOrder)

    def summary_at(self, index: QModelIndex) -> IncidentSummary | None:
        if not index.isValid():
            return None
        value = self._proxy.data(index.siblingAtColumn(COL_CATEGORY), ObjectRole)
        return value if isinstance(value, IncidentSummary) else None

    def current_id(self) -> int | None:
        summary = self.summary_at(self.currentIndex())
        return summary.id if summary else None

    def select(self, incident_id: int) -> None:
        row = self.source.row_of(incident_id)
        if row is None:
            return
        index = self._proxy.mapFromSource(self.source.index(row, 0))
        self.selectRow(index.row())
        self.scrollTo(index)
