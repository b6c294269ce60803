"""The staff register as a table model, plus the search/"show deactivated" filter.

The register is a few hundred people at most, so the model holds the whole list of
StaffRecord dataclasses the service returned; ``data()`` only formats them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QFont

from smmod import formatting as fmt
from smmod.staff.service import StaffRecord
from smmod.ui.table_model import ListTableModel
from smmod.ui.variant import none_safe

COL_NAME = 0
COL_USERNAME = 1
COL_ROLES = 2
COL_POLICY = 3
COL_TRAINED = 4
COL_EXPIRES = 5
COL_LEAVING = 6
COL_R12 = 7
COL_ELIGIBLE = 8

HEADERS = {
    COL_NAME: "Name",
    COL_USERNAME: "Username",
    COL_ROLES: "Roles",
    COL_POLICY: "Policy read",
    COL_TRAINED: "Trained",
    COL_EXPIRES: "Training expires",
    COL_LEAVING: "Leaving",
    COL_R12: "R12 declared",
    COL_ELIGIBLE: "Eligible to run accounts",
}
HEADER_TIPS = {
    COL_POLICY: "When they read the school's social media policy",
    COL_TRAINED: "When they completed social media training",
    COL_EXPIRES: "Training must be renewed by this date",
    COL_LEAVING: "The date they leave (or left) the school",
    COL_R12: "R12: declared they do not follow or engage with current or former "
             "students from personal accounts",
    COL_ELIGIBLE: "R4: only people who have read the policy and are trained may run accounts",
}
ROLE_LABELS = {
    "slt": "SLT",
    "administrator": "Administrator",
    "moderator": "Moderator",
    "staff": "Staff",
    "volunteer": "Volunteer",
    "parent_volunteer": "Parent volunteer",
}

ObjectRole = Qt.ItemDataRole.UserRole + 1
SortRole = Qt.ItemDataRole.UserRole + 2

# Subtle tints: readable on the light palette, and the text still says it in words.
_OK_BG = QColor(232, 245, 233)
_OK_FG = QColor(27, 94, 32)
_BAD_BG = QColor(253, 236, 234)
_BAD_FG = QColor(160, 40, 30)
_MUTED_FG = QColor(120, 120, 120)
DATE_COLUMNS = (COL_POLICY, COL_TRAINED, COL_EXPIRES, COL_LEAVING, COL_R12)
_Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()


def format_day(day: date | None) -> str:
    return fmt.day(day) if day else "—"


def roles_label(roles: frozenset[str]) -> str:
    return ", ".join(label for key, label in ROLE_LABELS.items() if key in roles)


def eligibility_text(record: StaffRecord) -> str:
    if record.eligibility.eligible:
        return "Yes"
    reasons = record.eligibility.reasons
    return "No — " + "; ".join(reasons) if reasons else "No"


def summary_text(records: list[StaffRecord]) -> str:
    active = [r for r in records if r.active]
    eligible = sum(1 for r in active if r.eligibility.eligible)
    inactive = len(records) - len(active)
    parts = [f"{len(active):,} {'person' if len(active) == 1 else 'people'}",
             f"{eligible:,} eligible to run accounts"]
    if inactive:
        parts.append(f"{inactive:,} deactivated")
    return "  ·  ".join(parts)


def empty_text(search: str, total: int) -> str:
    """What an empty table means: a search with no match, only deactivated people, or none."""
    if search.strip():
        return f"No one in the register matches “{search.strip()}”."
    if total:
        return "Everyone in the register is deactivated.\nTick “Show deactivated” to see them."
    return ("The staff register is empty.\n"
            "Add a person (Ctrl+N) or import a CSV file (Ctrl+I).")


@none_safe
class StaffTableModel(ListTableModel):
    """Rows are StaffRecord dataclasses; ``ObjectRole`` gives the record itself."""

    headers = HEADERS
    header_tips = HEADER_TIPS

    def row_items(self) -> Sequence[object]:
        return self._records


    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._records: list[StaffRecord] = []

    # -- public -------------------------------------------------------------------
    def set_records(self, records: list[StaffRecord]) -> None:
        self.beginResetModel()
        self._records = list(records)
        self.endResetModel()

    def record(self, row: int) -> StaffRecord | None:
        return self._records[row] if 0 <= row < len(self._records) else None

    def row_of(self, staff_id: int) -> int:
        for row, record in enumerate(self._records):
            if record.id == staff_id:
                return row
        return -1

    def records(self) -> list[StaffRecord]:
        return list(self._records)

    # -- QAbstractTableModel ------------------------------------------------------
    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # QAbstractItemModel.data
        record = self.record(index.row()) if index.isValid() else None
        if record is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(record, column)
        if role == ObjectRole:
            return record
        if role == SortRole:
            return self._sort_key(record, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(record, column)
        if role == Qt.ItemDataRole.BackgroundRole and column == COL_ELIGIBLE:
            return QBrush(_OK_BG if record.eligibility.eligible else _BAD_BG)
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._foreground(record, column)
        if role == Qt.ItemDataRole.FontRole and not record.active:
            font = QFont()
            font.setItalic(True)
            return font
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return self._display(record, column)
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:  # QAbstractItemModel.flags
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    # -- formatting ---------------------------------------------------------------
    @staticmethod
    def _display(record: StaffRecord, column: int) -> str | None:
        if column == COL_NAME:
            return record.name if record.active else f"{record.name} (deactivated)"
        if column == COL_USERNAME:
            return record.username
        if column == COL_ROLES:
            return roles_label(record.roles)
        if column == COL_POLICY:
            return format_day(record.policy_read_on)
        if column == COL_TRAINED:
            return format_day(record.trained_on)
        if column == COL_EXPIRES:
            return format_day(record.training_expires_on)
        if column == COL_LEAVING:
            return format_day(record.leaving_on)
        if column == COL_R12:
            return format_day(record.r12_declared_on)
        if column == COL_ELIGIBLE:
            return eligibility_text(record)
        return None

    @staticmethod
    def _sort_key(record: StaffRecord, column: int) -> Any:
        days = {
            COL_POLICY: record.policy_read_on, COL_TRAINED: record.trained_on,
            COL_EXPIRES: record.training_expires_on, COL_LEAVING: record.leaving_on,
            COL_R12: record.r12_declared_on,
        }
        if column in days:
            day = days[column]
            return day.isoformat() if day else ""
        if column == COL_ELIGIBLE:
            return f"{int(not record.eligibility.eligible)} {record.name.lower()}"
        text = StaffTableModel._display(record, column) or ""
        return text.lower()

    @staticmethod
    def _tooltip(record: StaffRecord, column: int) -> str | None:
        if column == COL_ELIGIBLE:
            if record.eligibility.eligible:
                return f"{record.name} may run school accounts (R4)."
            lines = "".join(f"<li>{reason}</li>" for reason in record.eligibility.reasons)
            return f"<b>{record.name} may not run school accounts (R4):</b><ul>{lines}</ul>"
        if column == COL_NAME:
            parts = [record.name, record.email or "no email recorded"]
            if not record.active:
                parts.append("deactivated")
            return "\n".join(parts)
        if column == COL_EXPIRES and record.training_expires_on:
            return f"Training must be renewed by {format_day(record.training_expires_on)}"
        return None

    @staticmethod
    def _foreground(record: StaffRecord, column: int) -> QBrush | None:
        if column == COL_ELIGIBLE:
            return QBrush(_OK_FG if record.eligibility.eligible else _BAD_FG)
        if not record.active:
            return QBrush(_MUTED_FG)
        if column in DATE_COLUMNS and StaffTableModel._display(record, column) == "—":
            return QBrush(_MUTED_FG)
        if (column == COL_EXPIRES and record.training_expires_on
                and any("training expired" in r for r in record.eligibility.reasons)):
            return QBrush(_BAD_FG)
        return None


class StaffFilterProxy(QSortFilterProxyModel):
    """Search by name, username, email or role; hide deactivated people unless asked."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._needle = ""
        self._show_inactive = False
        self.setSortRole(SortRole)
        self.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)

    def set_search(self, text: str) -> None:
        self._refilter(lambda: setattr(self, "_needle", text.strip().lower()))

    def set_show_inactive(self, show: bool) -> None:
        self._refilter(lambda: setattr(self, "_show_inactive", show))

    def _refilter(self, change: Callable[[], None]) -> None:
        if hasattr(self, "beginFilterChange"):  # Qt 6.10+
            self.beginFilterChange()
            change()
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            change()
            self.invalidateRowsFilter()

    def search_text(self) -> str:
        return self._needle

    # QSortFilterProxyModel.filterAcceptsRow
    def filterAcceptsRow(self, source_row: int, source_parent: _Index) -> bool:
        model = self.sourceModel()
        if not isinstance(model, StaffTableModel):
            return True
        record = model.record(source_row)
        if record is None:
            return False
        if not record.active and not self._show_inactive:
            return False
        if not self._needle:
            return True
        haystack = " ".join((record.name, record.username, record.email or "",
                             roles_label(record.roles), " ".join(record.roles))).lower()
        return all(word in haystack for word in self._needle.split())
