"""Item models of the Images page: the checked images and the do-not-publish register.

Both lists are small (a batch of event photos, a register of tens of pupils), so the
models hold the dataclasses the services returned; ``data()`` only formats them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush, QColor

from smmod import formatting as fmt
from smmod.dnp import CheckRecord, PupilRecord
from smmod.dnp.checks import NOT_PROTECTED, FaceView
from smmod.images import FileError

ObjectRole = Qt.ItemDataRole.UserRole + 1
VerdictRole = Qt.ItemDataRole.UserRole + 2

_Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()

Entry = CheckRecord | FileError


@dataclass(frozen=True)
class Tone:
    """How a verdict looks: words first, colour second (never colour alone)."""

    label: str
    fg: QColor
    bg: QColor


TONES: dict[str, Tone] = {
    "blocked": Tone("Blocked", QColor(160, 40, 30), QColor(253, 236, 234)),
    "review": Tone("Review", QColor(138, 75, 0), QColor(255, 244, 229)),
    "clear": Tone("Clear", QColor(27, 94, 32), QColor(232, 245, 233)),
    "error": Tone("Unreadable", QColor(85, 85, 85), QColor(238, 238, 238)),
}

RESTRICTION_LABELS = {
    "no_images": "No images at all",
    "no_social_media": "No social media",
    "internal_only": "Internal use only",
}


def verdict_of(entry: Entry) -> str:
    return entry.verdict if isinstance(entry, CheckRecord) else "error"


def entry_name(entry: Entry) -> str:
    if isinstance(entry, CheckRecord):
        return entry.file_name
    return entry.path.replace("\\", "/").rsplit("/", 1)[-1]


def faces_text(entry: Entry) -> str:
    if not isinstance(entry, CheckRecord):
        return "—"
    if not entry.faces:
        return "none, to do" if entry.awaits_no_people else "none, done"
    left = len(entry.unconfirmed_faces)
    return f"{len(entry.faces)}, {left} to do" if left else f"{len(entry.faces)}, done"


def face_state(face: FaceView) -> tuple[str, str]:
    """What is known about one face, in words, and the tone (a TONES key) to show it in."""
    if face.confirmed and face.confirmed != NOT_PROTECTED:
        return f"Confirmed: this is {face.confirmed_name or 'a protected pupil'}", "blocked"
    if face.status == "matched":
        who = face.best_match_name or "a protected pupil"
        distance = f" (distance {face.distance:.2f})" if face.distance is not None else ""
        return f"Matches {who}{distance}: blocked", "blocked"
    if face.confirmed == NOT_PROTECTED:
        return "Confirmed: not a protected pupil", "clear"
    if face.status == "near":
        who = face.best_match_name or "a protected pupil"
        distance = f" (distance {face.distance:.2f})" if face.distance is not None else ""
        return f"Looks like {who}{distance}: please decide", "review"
    return "Not yet confirmed", "review"


# -- checked images --------------------------------------------------------------------
COL_VERDICT = 0
COL_FILE = 1
COL_FACES = 2
CHECK_HEADERS = ("Verdict", "Image", "Faces")


class CheckListModel(QAbstractTableModel):
    """Checked images, newest batch first; ``ObjectRole`` gives the record or error."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._entries: list[Entry] = []

    # -- public -------------------------------------------------------------------
    def set_entries(self, entries: list[Entry]) -> None:
        self.beginResetModel()
        self._entries = list(entries)
        self.endResetModel()

    def prepend(self, entries: list[Entry]) -> None:
        """A new batch goes on top; an image checked again replaces nothing (new check)."""
        if not entries:
            return
        self.beginInsertRows(_ROOT, 0, len(entries) - 1)
        self._entries[0:0] = entries
        self.endInsertRows()

    def replace(self, record: CheckRecord) -> int:
        """Put an updated record (after a confirmation) in place; its row, or -1."""
        row = self.row_of(record.id)
        if row >= 0:
            self._entries[row] = record
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(CHECK_HEADERS) - 1))
        return row

    def entry(self, row: int) -> Entry | None:
        return self._entries[row] if 0 <= row < len(self._entries) else None

    def entries(self) -> list[Entry]:
        return list(self._entries)

    def row_of(self, check_id: int) -> int:
        for row, entry in enumerate(self._entries):
            if isinstance(entry, CheckRecord) and entry.id == check_id:
                return row
        return -1

    def counts(self) -> dict[str, int]:
        out = dict.fromkeys(TONES, 0)
        for entry in self._entries:
            out[verdict_of(entry)] += 1
        return out

    # -- QAbstractTableModel ------------------------------------------------------
    def rowCount(self, parent: _Index = _ROOT) -> int:  # QAbstractItemModel.rowCount
        return 0 if parent.isValid() else len(self._entries)

    def columnCount(self, parent: _Index = _ROOT) -> int:  # QAbstractItemModel.columnCount
        return 0 if parent.isValid() else len(CHECK_HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:  # QAbstractItemModel
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(CHECK_HEADERS)
        ):
            return CHECK_HEADERS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # QAIM.data
        entry = self.entry(index.row()) if index.isValid() else None
        if entry is None:
            return None
        column = index.column()
        tone = TONES[verdict_of(entry)]
        if role == ObjectRole:
            return entry
        if role == VerdictRole:
            return verdict_of(entry)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            if column == COL_VERDICT:
                return tone.label
            if column == COL_FILE:
                return entry_name(entry)
            if column == COL_FACES:
                return faces_text(entry)
        if role == Qt.ItemDataRole.ToolTipRole:
            if isinstance(entry, CheckRecord):
                return f"{entry.path}\n\n" + "\n".join(f"• {r}" for r in entry.reasons)
            return f"{entry.path}\n\nCould not be checked: {entry.reason}"
        if role == Qt.ItemDataRole.ForegroundRole and column == COL_VERDICT:
            return QBrush(tone.fg)
        if role == Qt.ItemDataRole.BackgroundRole and column == COL_VERDICT:
            return QBrush(tone.bg)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == COL_FACES:
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
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


# -- the register ------------------------------------------------------------------------
COL_NAME = 0
COL_YEAR = 1
COL_RESTRICTION = 2
COL_REVIEW = 3
COL_PHOTOS = 4
COL_CONSENT = 5
PUPIL_HEADERS = ("Name", "Year or class", "Restriction", "Review by", "Reference photos", "Biometric consent")


def consent_text(pupil: PupilRecord) -> str:
    if pupil.consent_on is None:
        return "None (face check only)"
    day = fmt.day(pupil.consent_on)
    return f"{day}" + (" · template kept" if pupil.has_template else " · no template yet")


class PupilTableModel(QAbstractTableModel):
    """Pupils on the register; ``ObjectRole`` gives the PupilRecord."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pupils: list[PupilRecord] = []

    def set_pupils(self, pupils: list[PupilRecord]) -> None:
        self.beginResetModel()
        self._pupils = list(pupils)
        self.endResetModel()

    def pupil(self, row: int) -> PupilRecord | None:
        return self._pupils[row] if 0 <= row < len(self._pupils) else None

    def pupils(self) -> list[PupilRecord]:
        return list(self._pupils)

    def row_of(self, pupil_id: int) -> int:
        return next((row for row, p in enumerate(self._pupils) if p.id == pupil_id), -1)

    def rowCount(self, parent: _Index = _ROOT) -> int:  # QAbstractItemModel.rowCount
        return 0 if parent.isValid() else len(self._pupils)

    def columnCount(self, parent: _Index = _ROOT) -> int:  # QAbstractItemModel.columnCount
        return 0 if parent.isValid() else len(PUPIL_HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:  # QAbstractItemModel
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(PUPIL_HEADERS)
        ):
            return PUPIL_HEADERS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # QAIM.data
        pupil = self.pupil(index.row()) if index.isValid() else None
        if pupil is None:
            return None
        if role == ObjectRole:
            return pupil
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._text(pupil, index.column())
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == COL_CONSENT:
            return QBrush(TONES["clear"].fg if pupil.consent_on else QColor(110, 110, 110))
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == COL_CONSENT:
            return (
                "Written parental consent with no objection is on record: assisted "
                "matching may use this pupil's face template."
                if pupil.consent_on
                else "No biometric consent: no face template is kept. The pupil is still "
                "protected: every face is shown to a person beside the reference photos."
            )
        return None

    @staticmethod
    def _text(pupil: PupilRecord, column: int) -> str | None:
        if column == COL_NAME:
            return pupil.name
        if column == COL_YEAR:
            return pupil.year_group or "—"
        if column == COL_RESTRICTION:
            return RESTRICTION_LABELS.get(pupil.restriction, pupil.restriction)
        if column == COL_REVIEW:
            return fmt.day(pupil.review_on) if pupil.review_on else "—"
        if column == COL_PHOTOS:
            return str(pupil.photos) if pupil.photos else "none"
        if column == COL_CONSENT:
            return consent_text(pupil)
        return None
