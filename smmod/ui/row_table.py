"""A read-only table of whole rows, one selected at a time: the list in a dialog."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QAbstractItemView, QTableWidget


def row_table(headers: Sequence[str], name: str, accessible: str) -> QTableWidget:
    """An empty table with ``headers``: rows selected whole, one at a time, never edited in
    place, without row numbers; ``name`` for tests, ``accessible`` for screen readers."""
    table = QTableWidget(0, len(headers))
    table.setObjectName(name)
    table.setAccessibleName(accessible)
    table.setHorizontalHeaderLabels(headers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().hide()
    return table
