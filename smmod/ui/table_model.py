"""A table model over a plain Python list, with fixed column headers.

The list pages (incidents, staff, audit trail, images, pupils) each show a list of
records in fixed columns; this base gives them the row and column counts and the
headers, with an optional tooltip per header, so each model only says what its cells
show.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from smmod.ui.variant import none_safe

Index = QModelIndex | QPersistentModelIndex
ROOT = QModelIndex()


@none_safe
class ListTableModel(QAbstractTableModel):
    """Subclasses set ``headers`` (a sequence, or a mapping from column number) and
    optionally ``header_tips``, and return their rows from ``row_items``."""

    headers: Sequence[str] | Mapping[int, str] = ()
    header_tips: Mapping[int, str] = {}

    def row_items(self) -> Sequence[object]:
        raise NotImplementedError

    def rowCount(self, parent: Index = ROOT) -> int:  # QAbstractItemModel.rowCount
        return 0 if parent.isValid() else len(self.row_items())

    def columnCount(self, parent: Index = ROOT) -> int:  # QAbstractItemModel.columnCount
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # QAbstractItemModel.headerData
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.headers):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.headers[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.header_tips.get(section)
        return None
