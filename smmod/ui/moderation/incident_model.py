"""The incidents table: a small list model of ``IncidentSummary`` rows.

A school has tens or hundreds of incidents, not 100,000, so the model holds the
summaries the service returned; filtering happens in the service's query.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from smmod import formatting as fmt
from smmod.moderation.records import IncidentSummary
from smmod.moderation.vocabulary import CATEGORY_LABELS, SEVERITY_LABELS
from smmod.ui.plain import tip
from smmod.ui.table_model import ListTableModel
from smmod.ui.variant import none_safe

COL_ID, COL_TITLE, COL_CATEGORY, COL_SEVERITY, COL_LEAD, COL_POLICE, COL_OPENED, COL_ITEMS, COL_STATUS = (
    range(9)
)
HEADERS = ("#", "Title", "Category", "Severity", "SLT lead", "Police", "Opened", "Items", "Status")
ObjectRole = Qt.ItemDataRole.UserRole + 1
SortRole = Qt.ItemDataRole.UserRole + 2
_SEVERITY_ORDER = {"low": 0, "medium": 1, "high": 2, "critical": 3}
_SEVERITY_COLOURS = {"high": "#8a4b00", "critical": "#9e1616"}

Index = QModelIndex | QPersistentModelIndex


@none_safe
class IncidentTableModel(ListTableModel):
    headers = HEADERS

    def row_items(self) -> Sequence[object]:
        return self._rows

    def __init__(self, zone: ZoneInfo, parent: Any = None) -> None:
        super().__init__(parent)
        self._zone = zone
        self._rows: list[IncidentSummary] = []

    def set_rows(self, rows: list[IncidentSummary]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def summary(self, row: int) -> IncidentSummary | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, incident_id: int) -> int | None:
        return next((i for i, s in enumerate(self._rows) if s.id == incident_id), None)

    # -- QAbstractTableModel -------------------------------------------------------------
    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        s = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(s, column)
        if role == ObjectRole:
            return s
        if role == SortRole:
            return self._sort_key(s, column)
        if role == Qt.ItemDataRole.ToolTipRole and column in (COL_TITLE, COL_CATEGORY, COL_POLICE):
            return tip(self._display(s, column))  # titles quote authors' names
        if role == Qt.ItemDataRole.ToolTipRole and column == COL_OPENED:
            return fmt.when(s.opened_at, self._zone, zone_name=True)
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == COL_POLICE and s.police_advised:
                return QBrush(QColor("#9e1616"))
            if column == COL_SEVERITY and s.severity in _SEVERITY_COLOURS:
                return QBrush(QColor(_SEVERITY_COLOURS[s.severity]))
            if s.status == "closed":
                return QBrush(QColor("#6b7280"))
        if role == Qt.ItemDataRole.ToolTipRole and column == COL_POLICE and s.police_suggested:
            return "Screening suggested police advised (R9)"
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (COL_ID, COL_ITEMS):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _display(self, s: IncidentSummary, column: int) -> str:
        if column == COL_ID:
            return str(s.id)
        if column == COL_TITLE:
            return s.title
        if column == COL_CATEGORY:
            return CATEGORY_LABELS.get(s.category, s.category)
        if column == COL_SEVERITY:
            return SEVERITY_LABELS.get(s.severity, s.severity)
        if column == COL_LEAD:
            return s.lead_name
        if column == COL_POLICE:
            if s.police_advised:
                return "Advised"
            return "Suggested" if s.police_suggested else "—"
        if column == COL_OPENED:
            return fmt.day(s.opened_at.astimezone(self._zone).date())
        if column == COL_ITEMS:
            return str(s.items)
        if column == COL_STATUS:
            return s.status.capitalize()
        return ""

    @staticmethod
    def _sort_key(s: IncidentSummary, column: int) -> Any:
        if column == COL_ID:
            return s.id
        if column == COL_SEVERITY:
            return _SEVERITY_ORDER.get(s.severity, 0)
        if column == COL_OPENED:
            return s.opened_at.timestamp()
        if column == COL_ITEMS:
            return s.items
        if column == COL_POLICE:
            return int(s.police_advised) * 2 + int(s.police_suggested)
        return str(IncidentTableModel._display_static(s, column)).casefold()

    @staticmethod
    def _display_static(s: IncidentSummary, column: int) -> str:
        return {
            COL_TITLE: s.title,
            COL_CATEGORY: CATEGORY_LABELS.get(s.category, s.category),
            COL_LEAD: s.lead_name,
            COL_STATUS: s.status,
        }.get(column, "")
