"""The queue model never runs down None's reference count (PySide6 6.12 drops one
reference each time a QVariant-returning override gives None back to C++; at a million
items the view process died with "deallocating None")."""

from __future__ import annotations

import sys
from array import array
from collections.abc import Sequence

from PySide6.QtCore import QSortFilterProxyModel, Qt

from smmod.queue.records import QueueRow
from smmod.ui.queue.model import QueueTableModel
from tests.conftest import SUITE_NOW

ROLES = [Qt.ItemDataRole.DecorationRole, Qt.ItemDataRole.CheckStateRole, Qt.ItemDataRole.SizeHintRole,
         Qt.ItemDataRole.FontRole, Qt.ItemDataRole.WhatsThisRole]


class RowsGone:
    """Three ids whose rows were deleted meanwhile: every role but the text is None."""

    def ids(self, flt: object = None, sort: object = None, now: object = None) -> array[int]:
        return array("q", [1, 2, 3])

    def rows(self, ids: Sequence[int]) -> dict[int, QueueRow]:
        return {}


def test_none_returned_to_qt_keeps_its_reference(qtbot, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    model = QueueTableModel(RowsGone(), now=lambda: SUITE_NOW)
    model.set_query(model.query[0])
    qtmodeltester.check(model)
    proxy = QSortFilterProxyModel()  # its data() and headerData() call the model's from C++
    proxy.setSourceModel(model)
    index = proxy.index(0, 0)
    assert index.data(Qt.ItemDataRole.DecorationRole) is None
    before = sys.getrefcount(None)
    for _ in range(200):
        for role in ROLES:
            index.data(role)
        proxy.headerData(0, Qt.Orientation.Vertical)
        proxy.headerData(0, Qt.Orientation.Horizontal, Qt.ItemDataRole.DecorationRole)
    assert sys.getrefcount(None) >= before
