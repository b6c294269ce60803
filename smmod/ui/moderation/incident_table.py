"""The incidents table view: sortable, one incident at a time, titles elided with tooltips."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtWidgets import QAbstractItemView, QTableView, QWidget

from smmod.moderation.records import IncidentSummary
from smmod.ui.column_fit import ColumnFitter, Fit
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

# Floors and caps: each column sized to its contents, the title takes what is left. When
# it needs the room, the police column gives way first, then the category (both are in
# the detail's header in full), so the lead's name and the date stay whole.
FITS = {
    COL_ID: Fit(30, 56),
    COL_CATEGORY: Fit(80, 200, give=1),
    COL_SEVERITY: Fit(56, 90),
    COL_LEAD: Fit(70, 150),
    COL_POLICE: Fit(52, 100, give=2),
    COL_OPENED: Fit(72, 110),
    COL_ITEMS: Fit(40, 60),
    COL_STATUS: Fit(50, 90),
}
TITLE_MIN = 150


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
        self.setColumnHidden(COL_ITEMS, True)  # shown in the detail's Evidence tab
        self.column_fitter = ColumnFitter(self, FITS, COL_TITLE, stretch_min=TITLE_MIN)
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
