"""Audit entries as a table model.

The page asks the service for at most a few thousand entries at a time (newest first),
so the model holds that list of AuditRecord dataclasses and only formats them.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)

from smmod import formatting as fmt
from smmod.audit import AuditRecord
from smmod.audit_words import action_words
from smmod.ui.table_model import ListTableModel
from smmod.ui.variant import none_safe

COL_ID = 0
COL_WHEN = 1
COL_WHO = 2
COL_ACTION = 3
COL_SUBJECT = 4
COL_REASON = 5
COL_DETAILS = 6

HEADERS = {
    COL_ID: "#",
    COL_WHEN: "When",
    COL_WHO: "Who",
    COL_ACTION: "Action",
    COL_SUBJECT: "Subject",
    COL_REASON: "Reason",
    COL_DETAILS: "Details",
}
HEADER_TIPS = {
    COL_ID: "Entry number in the chain",
    COL_WHEN: "Local time on this computer",
    COL_WHO: "The person who did it (their login is in each row's tooltip)",
    COL_ACTION: "What they did (the action's key, as exports and filters use it, is in "
                "each row's tooltip)",
    COL_SUBJECT: "What it was done to",
}

_FIRST_KEYS = ("name", "username", "file", "rows")

ObjectRole = Qt.ItemDataRole.UserRole + 1
SortRole = Qt.ItemDataRole.UserRole + 2
_Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()


def format_when(record: AuditRecord) -> str:
    return fmt.when(record.at, fmt.SCHOOL, seconds=True)


def _short(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, list):
        return ", ".join(_short(v) for v in value) or "—"
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def details_text(record: AuditRecord) -> str:
    """One line of ``key: value`` pairs, names first and empty values left out.

    An edit's ``[before, after]`` pairs read "before → after"; the tooltip and the
    details pane show everything.
    """
    parts = []
    editing = record.action.endswith(".edit")
    keys = sorted(record.details, key=lambda k: (k not in _FIRST_KEYS, k))
    for key in keys:
        value = record.details[key]
        if editing and isinstance(value, list) and len(value) == 2:
            parts.append(f"{key}: {_short(value[0])} → {_short(value[1])}")
        elif value not in (None, "", [], {}):
            parts.append(f"{key}: {_short(value)}")
    return "; ".join(parts)


def details_full(record: AuditRecord) -> str:
    return json.dumps(record.details, ensure_ascii=False, indent=2, sort_keys=True)


@none_safe
class AuditTableModel(ListTableModel):
    """Rows are AuditRecord dataclasses, newest first; ``ObjectRole`` gives the record."""

    headers = HEADERS
    header_tips = HEADER_TIPS

    def row_items(self) -> Sequence[object]:
        return self._records


    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._records: list[AuditRecord] = []

    def set_records(self, records: list[AuditRecord]) -> None:
        self.beginResetModel()
        self._records = list(records)
        self.endResetModel()

    def record(self, row: int) -> AuditRecord | None:
        return self._records[row] if 0 <= row < len(self._records) else None

    def records(self) -> list[AuditRecord]:
        return list(self._records)

    # -- QAbstractTableModel ------------------------------------------------------
    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # QAbstractItemModel.data
        record = self.record(index.row()) if index.isValid() else None
        if record is None:
            return None
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._display(record, column)
        if role == ObjectRole:
            return record
        if role == SortRole:
            if column == COL_ID:
                return record.id
            if column == COL_WHEN:
                return record.at.timestamp()
            return (self._display(record, column) or "").lower()
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == COL_DETAILS and record.details:
                return f"<pre>{_escape(details_full(record))}</pre>"
            if column == COL_REASON and record.reason:
                return record.reason
            if column == COL_WHEN:
                return f"{record.at.isoformat(timespec='seconds')} (UTC)"
            if column == COL_WHO:
                return f"<p>Login: {_escape(record.actor)}</p>"  # rich text, so never guessed
            if column == COL_ACTION:
                return f"<p>{_escape(action_words(record.action))}<br>" \
                       f"Action key: {_escape(record.action)}</p>"
            if column == COL_SUBJECT and record.subject:
                return f"<p>{_escape(record.subject)}</p>"
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole and column == COL_ID:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:  # QAbstractItemModel.flags
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                | Qt.ItemFlag.ItemNeverHasChildren)

    @staticmethod
    def _display(record: AuditRecord, column: int) -> str | None:
        if column == COL_ID:
            return str(record.id)
        if column == COL_WHEN:
            return format_when(record)
        if column == COL_WHO:
            return record.who
        if column == COL_ACTION:
            return action_words(record.action)
        if column == COL_SUBJECT:
            return record.subject
        if column == COL_REASON:
            return record.reason or ""
        if column == COL_DETAILS:
            return details_text(record)
        return None


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
