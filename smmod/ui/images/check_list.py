"""The list of checked images: one row per file, newest first.

A file is one row, however often it is checked: a new check of it (the caption changed,
or it was added again after it changed) replaces its row. Rows can be removed and put
back (undo). A row whose verdict is out of date because the caption changed is "stale"
until its new check arrives: it keeps its old verdict, greyed, and cannot be exported.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QFont

from smmod.dnp import CheckRecord
from smmod.ui.images.models import (
    TONES,
    Entry,
    ObjectRole,
    VerdictRole,
    entry_name,
    faces_text,
    verdict_of,
    why_not_export,
)
from smmod.ui.table_model import ListTableModel
from smmod.ui.variant import none_safe

COL_VERDICT = 0
COL_FILE = 1
COL_FACES = 2
CHECK_HEADERS = ("Verdict", "Image", "Faces")

_Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()
_STALE_FG = QColor(110, 110, 110)
STALE_NOTE = "Checking again with the new caption: this verdict is out of date."


def key_of(entry: Entry) -> str:
    """Which file a row is: its resolved path."""
    return str(Path(entry.path).resolve())


@dataclass(frozen=True)
class Removed:
    """Rows taken out of the list, with where they were, for undo."""

    rows: list[tuple[int, Entry]]


@none_safe
class CheckListModel(ListTableModel):
    """Checked images, newest first; ``ObjectRole`` gives the record or error."""

    headers = CHECK_HEADERS

    def row_items(self) -> Sequence[object]:
        return self._entries


    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._entries: list[Entry] = []
        self._keys: list[str] = []
        self._stale: set[str] = set()

    # -- public -------------------------------------------------------------------
    def set_entries(self, entries: list[Entry]) -> None:
        """Entries newest first; an older entry of a file already listed is left out."""
        self.beginResetModel()
        self._entries, self._keys = [], []
        for entry in entries:
            key = key_of(entry)
            if key not in self._keys:
                self._entries.append(entry)
                self._keys.append(key)
        self._stale.clear()
        self.endResetModel()

    def merge(self, entries: list[Entry], *, add_new: bool = True) -> tuple[int, int]:
        """Put new checks in: a file already listed gets its row replaced, others go on top
        (unless ``add_new`` is false: results for rows removed meanwhile are dropped).
        Returns (rows added, rows replaced)."""
        fresh: list[tuple[str, Entry]] = []
        replaced = 0
        for entry in entries:
            key = key_of(entry)
            row = self.row_of_key(key)
            if row >= 0:
                self._entries[row] = entry
                self._stale.discard(key)
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(CHECK_HEADERS) - 1))
                replaced += 1
            elif add_new and all(key != k for k, _ in fresh):
                fresh.append((key, entry))
        if fresh:
            self.beginInsertRows(_ROOT, 0, len(fresh) - 1)
            self._keys[0:0] = [k for k, _ in fresh]
            self._entries[0:0] = [e for _, e in fresh]
            self.endInsertRows()
        return len(fresh), replaced

    def prepend(self, entries: list[Entry]) -> None:
        self.merge(entries)

    def replace(self, record: CheckRecord) -> int:
        """Put an updated record (after a confirmation) in place; its row, or -1."""
        row = self.row_of(record.id)
        if row >= 0:
            self._entries[row] = record
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(CHECK_HEADERS) - 1))
        return row

    def remove(self, rows: list[int]) -> Removed:
        taken = [(r, self._entries[r]) for r in sorted(set(rows)) if 0 <= r < len(self._entries)]
        for row, _entry in reversed(taken):
            self.beginRemoveRows(_ROOT, row, row)
            del self._entries[row]
            self._stale.discard(self._keys.pop(row))
            self.endRemoveRows()
        return Removed(taken)

    def restore(self, removed: Removed) -> list[Entry]:
        """Put removed rows back where they were (unless their file is listed again)."""
        back = []
        for row, entry in removed.rows:
            key = key_of(entry)
            if key in self._keys:
                continue
            at = min(row, len(self._entries))
            self.beginInsertRows(_ROOT, at, at)
            self._entries.insert(at, entry)
            self._keys.insert(at, key)
            self.endInsertRows()
            back.append(entry)
        return back

    def entry(self, row: int) -> Entry | None:
        return self._entries[row] if 0 <= row < len(self._entries) else None

    def entries(self) -> list[Entry]:
        return list(self._entries)

    def row_of(self, check_id: int) -> int:
        for row, entry in enumerate(self._entries):
            if isinstance(entry, CheckRecord) and entry.id == check_id:
                return row
        return -1

    def row_of_key(self, key: str) -> int:
        try:
            return self._keys.index(key)
        except ValueError:
            return -1

    def known_files(self) -> dict[str, str]:
        """Resolved path → SHA-256 of every readable file in the list."""
        return {k: e.sha256 for k, e in zip(self._keys, self._entries, strict=True)
                if isinstance(e, CheckRecord)}

    def set_caption(self, caption: str) -> list[Entry]:
        """Mark stale every check made with another caption; those entries."""
        stale: list[Entry] = [
            e for e in self._entries if isinstance(e, CheckRecord) and e.caption != caption
        ]
        self._stale = {key_of(e) for e in stale}
        if self._entries:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._entries) - 1, COL_VERDICT))
        return stale

    def stale_entries(self) -> list[Entry]:
        return [e for k, e in zip(self._keys, self._entries, strict=True) if k in self._stale]

    def is_stale(self, entry: Entry) -> bool:
        return key_of(entry) in self._stale

    def exportable(self) -> list[CheckRecord]:
        return [e for k, e in zip(self._keys, self._entries, strict=True)
                if isinstance(e, CheckRecord) and k not in self._stale and why_not_export(e) is None]

    def counts(self) -> dict[str, int]:
        out = dict.fromkeys(TONES, 0)
        for entry in self._entries:
            out[verdict_of(entry)] += 1
        return out

    # -- QAbstractTableModel ------------------------------------------------------
    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # QAIM.data
        entry = self.entry(index.row()) if index.isValid() else None
        if entry is None:
            return None
        column = index.column()
        tone = TONES[verdict_of(entry)]
        stale = self._keys[index.row()] in self._stale
        if role == ObjectRole:
            return entry
        if role == VerdictRole:
            return verdict_of(entry)
        if role == Qt.ItemDataRole.DisplayRole:
            if column == COL_VERDICT:
                return tone.label
            if column == COL_FILE:
                return entry_name(entry)
            if column == COL_FACES:
                return faces_text(entry)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            if column == COL_VERDICT:
                return f"{tone.label}, out of date: checking again" if stale else tone.label
            return self.data(index, Qt.ItemDataRole.DisplayRole)
        if role == Qt.ItemDataRole.ToolTipRole:
            head = f"{STALE_NOTE}\n\n" if stale else ""
            if isinstance(entry, CheckRecord):
                return head + f"{entry.path}\n\n" + "\n".join(f"• {r}" for r in entry.reasons)
            return f"{entry.path}\n\nCould not be checked: {entry.reason}"
        if column != COL_VERDICT:
            return None
        if role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(_STALE_FG if stale else tone.fg)
        if role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(QColor(240, 240, 240) if stale else tone.bg)
        if role == Qt.ItemDataRole.FontRole and stale:
            font = QFont()
            font.setItalic(True)
            return font
        return None


SHOW_CHOICES = (
    ("All images", ""),
    ("Blocked", "blocked"),
    ("To review", "review"),
    ("Clear", "clear"),
    ("Unreadable", "error"),
)


class CheckFilterProxy(QSortFilterProxyModel):
    """Show one verdict only (e.g. "To review", to work through the faces)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._verdict = ""

    def set_verdict(self, verdict: str) -> None:
        if hasattr(self, "beginFilterChange"):  # Qt 6.10+
            self.beginFilterChange()
            self._verdict = verdict
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self._verdict = verdict
            self.invalidateRowsFilter()

    def filterAcceptsRow(self, row: int, parent: _Index) -> bool:  # QSortFilterProxyModel
        if not self._verdict:
            return True
        index = self.sourceModel().index(row, COL_VERDICT, parent)
        return index.data(VerdictRole) == self._verdict
