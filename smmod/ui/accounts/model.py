"""Item models for the accounts page: the register, the people on one account, credentials.

The register is tens of accounts, so each model holds the dataclasses the service
returned; ``data()`` only formats them and never queries anything.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor

from smmod import formatting as fmt
from smmod.accounts import AccountRecord, CredentialRecord, Person
from smmod.ui.platforms import PLATFORM_LABELS, with_platform
from smmod.ui.variant import none_safe

ObjectRole = Qt.ItemDataRole.UserRole + 1
SortRole = Qt.ItemDataRole.UserRole + 2
ShortRole = Qt.ItemDataRole.UserRole + 3  # a shorter text, for a column too narrow for the full one

COL_HANDLE, COL_PLATFORM, COL_STATUS, COL_LEAD, COL_RUNNERS, COL_REVIEW, COL_PROBLEMS = range(7)
PCOL_NAME, PCOL_ROLE, PCOL_ELIGIBLE = range(3)
CCOL_LOGIN, CCOL_KIND, CCOL_ROTATED, CCOL_ROTATE_BY, CCOL_NOTE = range(5)

ROLE_LABELS = {"lead": "Lead", "runner": "Runner", "administrator": "Administrator"}

OK_FG, OK_BG = QColor(27, 94, 32), QColor(232, 245, 233)
WARN_FG, WARN_BG = QColor(122, 72, 0), QColor(255, 243, 224)
BAD_FG, BAD_BG = QColor(160, 40, 30), QColor(253, 236, 234)
MUTED_FG = QColor(117, 117, 117)
STATUS_COLOURS = {
    "draft": (MUTED_FG, None), "submitted": (QColor(21, 101, 192), QColor(227, 242, 253)),
    "approved": (QColor(74, 20, 140), QColor(243, 229, 245)), "rejected": (BAD_FG, BAD_BG),
    "active": (OK_FG, OK_BG), "closed": (MUTED_FG, None),
}

_Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()
T = TypeVar("T")


def format_day(day: date | None) -> str:
    return fmt.day(day) if day else "—"


def format_when(moment: datetime | None) -> str:
    if moment is None:
        return "—"
    return fmt.when(moment, fmt.SCHOOL, at=", ")


@none_safe
class _RecordModel(QAbstractTableModel, Generic[T]):
    """A table over a list of records; subclasses say how each cell looks."""

    HEADERS: Sequence[str] = ()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._records: list[T] = []

    def set_records(self, records: Sequence[T]) -> None:
        self.beginResetModel()
        self._records = list(records)
        self.endResetModel()

    def records(self) -> list[T]:
        return list(self._records)

    def record_at(self, row: int) -> T | None:
        return self._records[row] if 0 <= row < len(self._records) else None

    def row_where(self, match: Callable[[T], bool]) -> int:
        return next((n for n, r in enumerate(self._records) if match(r)), -1)

    def rowCount(self, parent: _Index = _ROOT) -> int:  # QAbstractItemModel.rowCount
        return 0 if parent.isValid() else len(self._records)

    def columnCount(self, parent: _Index = _ROOT) -> int:  # QAbstractItemModel.columnCount
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # QAbstractItemModel
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                and 0 <= section < len(self.HEADERS)):
            return self.HEADERS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """QAbstractItemModel.data: never raises, never queries."""
        if not index.isValid():
            return None
        record = self.record_at(index.row())
        if record is None or not 0 <= index.column() < len(self.HEADERS):
            return None
        if role == ObjectRole:
            return record
        return self.cell(record, index.column(), role)

    def cell(self, record: T, column: int, role: int) -> Any:
        raise NotImplementedError


class AccountTableModel(_RecordModel[AccountRecord]):
    HEADERS = ("Account", "Platform", "Status", "Lead", "Runners", "Review", "Problems")

    def cell(self, r: AccountRecord, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(r, column)
        if role == SortRole:
            if column == COL_REVIEW:
                return r.review_on.isoformat() if r.review_on else "9999"
            if column == COL_RUNNERS:
                return len(r.runners) + (1 if r.lead else 0)
            if column == COL_HANDLE:
                return r.handle.lower()
            return self._text(r, column).lower()
        if role == ShortRole:
            if column == COL_REVIEW and r.review_on:
                return f"⚠ {fmt.month(r.review_on)}" if r.review_overdue else fmt.month(r.review_on)
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == COL_HANDLE:
                return f"{r.handle} on {PLATFORM_LABELS.get(r.platform, r.platform)}"
            if column == COL_PROBLEMS and r.problems:
                return "\n".join(str(p) for p in r.problems)
            if column == COL_REVIEW and r.review_overdue:
                return "The review date has passed: review the account and set the next date."
            if column == COL_STATUS and r.at_risk:
                return f"At risk: {r.risk_text}"
            if column == COL_STATUS and r.handover_note:
                return f"Planned: {r.handover_note}. The people named take over on that day."
            if column == COL_RUNNERS:
                return "\n".join(f"{p.name} ({p.role})" for p in r.people
                                 if p.role != "administrator") or None
            return self._text(r, column)  # in full, where the column is too narrow
        if role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(self._foreground(r, column)) if self._foreground(r, column) else None
        if role == Qt.ItemDataRole.BackgroundRole:
            background = self._background(r, column)
            return QBrush(background) if background else None
        if role == Qt.ItemDataRole.AccessibleTextRole:
            if column == COL_HANDLE:
                return f"{r.handle} on {PLATFORM_LABELS.get(r.platform, r.platform)}"
            if column == COL_PROBLEMS:
                return " ".join(dict.fromkeys(p.rule for p in r.problems)) or "No problems"
            return self._text(r, column)
        return None

    @staticmethod
    def _text(r: AccountRecord, column: int) -> str:
        if column == COL_HANDLE:  # "IG brookfield_pe", as the queue names accounts
            return with_platform(r.platform, r.handle)
        if column == COL_PLATFORM:
            return PLATFORM_LABELS.get(r.platform, r.platform)
        if column == COL_STATUS:
            if r.at_risk:
                return r.status_label + " · at risk"
            return r.status_label + (f" · {r.handover_note}" if r.handover_note else "")
        if column == COL_LEAD:
            return r.lead.name if r.lead else "—"
        if column == COL_RUNNERS:
            return str(len(r.runners) + (1 if r.lead else 0))
        if column == COL_REVIEW:
            text = format_day(r.review_on)
            return f"⚠ {text} (overdue)" if r.review_overdue else text
        if column == COL_PROBLEMS:  # a compact badge: "R4", "R1 +2"; all of them in the tooltip
            rules = list(dict.fromkeys(p.rule for p in r.problems))
            return f"{rules[0]} +{len(rules) - 1}" if len(rules) > 1 else (rules[0] if rules else "—")
        return ""

    @staticmethod
    def _foreground(r: AccountRecord, column: int) -> QColor | None:
        if column == COL_STATUS:
            return BAD_FG if r.at_risk else STATUS_COLOURS.get(r.status, (None, None))[0]
        if column == COL_REVIEW and r.review_overdue:
            return WARN_FG
        if column == COL_PROBLEMS:
            return BAD_FG if r.problems else MUTED_FG
        return None

    @staticmethod
    def _background(r: AccountRecord, column: int) -> QColor | None:
        if column == COL_STATUS:
            return BAD_BG if r.at_risk else STATUS_COLOURS.get(r.status, (None, None))[1]
        if column == COL_REVIEW and r.review_overdue:
            return WARN_BG
        if column == COL_PROBLEMS and r.problems:
            return BAD_BG
        return None


class PeopleModel(_RecordModel[Person]):
    """Lead, runners and administrators of one account, with whether each may run it (R4)."""

    HEADERS = ("Name", "Role", "May run accounts (R4)")

    def cell(self, p: Person, column: int, role: int) -> Any:
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            if column == PCOL_NAME:
                return f"{p.name} ({p.username})"
            if column == PCOL_ROLE:
                label = ROLE_LABELS.get(p.role, p.role)
                return label if p.is_staff else f"{label} (volunteer)"
            return "✓ Eligible" if p.eligibility.eligible else f"✗ {p.eligibility.summary}"
        if column == PCOL_ELIGIBLE and role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(OK_FG if p.eligibility.eligible else BAD_FG)
        if role == Qt.ItemDataRole.ToolTipRole and column == PCOL_ELIGIBLE:
            return p.eligibility.summary
        return None


class CredentialTableModel(_RecordModel[CredentialRecord]):
    """Credential metadata only: the model never holds a secret."""

    HEADERS = ("Login name", "Kind", "Last rotated", "Rotate by", "Note")

    def cell(self, c: CredentialRecord, column: int, role: int) -> Any:
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._text(c, column)
        if role == Qt.ItemDataRole.ForegroundRole and column == CCOL_ROTATE_BY:
            colour = BAD_FG if c.flagged else {"expired": BAD_FG, "due": WARN_FG}.get(
                c.rotation_state)
            return QBrush(colour) if colour else None
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == CCOL_ROTATE_BY and c.flagged:
                return f"Flagged for rotation: {c.flagged}"
            if column == CCOL_ROTATED:  # in full: the column may be cut
                return self._text(c, column)
            if column == CCOL_LOGIN:
                return f"Stored {format_when(c.created_at)} by {c.created_by or 'unknown'}"
        return None

    @staticmethod
    def _text(c: CredentialRecord, column: int) -> str:
        if column == CCOL_LOGIN:
            return c.login_name
        if column == CCOL_KIND:
            return "API token" if c.kind == "token" else "Password"
        if column == CCOL_ROTATED:
            if c.rotated_at is None:
                return "Never (stored " + format_day(c.created_at.astimezone(fmt.SCHOOL).date()) + ")"
            pending = " · awaiting confirmation" if c.pending_rotation else ""
            return f"{format_day(c.rotated_at.astimezone(fmt.SCHOOL).date())} by {c.rotated_by}{pending}"
        if column == CCOL_ROTATE_BY:
            if c.flagged:
                return "⚠ Now: flagged after a revoke"
            state = {"expired": " (overdue)", "due": " (due soon)"}.get(c.rotation_state, "")
            return format_day(c.rotate_by) + state
        return c.note.replace("\n", " ")
