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
from smmod.ui.table_model import ListTableModel
from smmod.ui.variant import none_safe
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


def _item_models() -> list[type]:
    """Every item model class smmod's pages define (imported, then found by subclassing)."""
    import importlib
    import pkgutil

    from PySide6.QtCore import QAbstractItemModel

    import smmod.ui

    for info in pkgutil.walk_packages(smmod.ui.__path__, "smmod.ui."):
        importlib.import_module(info.name)
    found: list[type] = []
    todo = list(QAbstractItemModel.__subclasses__())
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if cls.__module__.startswith("smmod.ui."):
            found.append(cls)
    return found


def test_every_model_of_the_app_hands_none_to_qt_safely() -> None:
    models = _item_models()
    assert len(models) >= 8  # queue, accounts, staff, audit, incidents, images…
    unsafe = [f"{cls.__module__}.{cls.__qualname__}.{name}" for cls in models
              for name in ("data", "headerData")
              if name in cls.__dict__ and not hasattr(cls.__dict__[name], "__wrapped__")
              and "for_qt" not in cls.__dict__[name].__code__.co_names]
    assert unsafe == []


class Listing(ListTableModel):
    headers = ("Name", "Role")

    def row_items(self) -> list[object]:
        return ["a", "b"]

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):  # type: ignore[no-untyped-def]
        return None  # every cell empty, as a list page's cell is for most roles


def test_a_list_page_model_keeps_none_s_reference(qtbot) -> None:  # type: ignore[no-untyped-def]
    proxy = QSortFilterProxyModel()
    proxy.setSourceModel(none_safe(Listing)())
    index = proxy.index(0, 0)
    before = sys.getrefcount(None)
    for _ in range(200):
        for role in ROLES:
            index.data(role)
        proxy.headerData(5, Qt.Orientation.Horizontal)
    assert sys.getrefcount(None) >= before
