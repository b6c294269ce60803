"""Item models of the Images page: the checked images and the do-not-publish register.

Both lists are small (a batch of event photos, a register of tens of pupils), so the
models hold the dataclasses the services returned; ``data()`` only formats them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor

from smmod import formatting as fmt
from smmod.dnp import CheckRecord, PupilRecord
from smmod.dnp.checks import NOT_PROTECTED, FaceView
from smmod.dnp.export_rules import export_refusal, flagged_faces
from smmod.images import FileError
from smmod.ui.table_model import ListTableModel
from smmod.ui.variant import none_safe
from smmod.wording import count

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


def why_not_export(entry: Entry) -> str | None:
    """Why this entry may not be exported for publishing yet; None when it may."""
    if not isinstance(entry, CheckRecord):
        return f"{entry_name(entry)} could not be read as an image."
    if entry.verdict == "blocked":
        return f"{entry.file_name} is blocked: it cannot be published."
    if entry.awaits_no_people:
        return f"{entry.file_name}: confirm first that no pupil is shown (N)."
    if entry.unconfirmed_faces:
        left = len(entry.unconfirmed_faces)
        return f"{entry.file_name}: {count(left, 'face')} still to confirm."
    if entry.verdict != "clear":
        return f"{entry.file_name} is not yet clear."
    return None


def why_not_pixelated(entry: Entry) -> str | None:
    """Why no copy of this entry with its flagged faces pixelated may be exported; None
    when one may (the service's own rule: ``export(..., blur_flagged=True)``)."""
    if not isinstance(entry, CheckRecord):
        return f"{entry_name(entry)} could not be read as an image."
    refusal = export_refusal(entry, blur_flagged=True)
    if refusal is not None:
        return f"{entry.file_name}: {str(refusal).removeprefix(refusal.rule + ': ')}."
    if not flagged_faces(entry):
        return f"{entry.file_name}: no face needs pixelating."
    return None


def entry_name(entry: Entry) -> str:
    if isinstance(entry, CheckRecord):
        return entry.file_name
    return entry.path.replace("\\", "/").rsplit("/", 1)[-1]


def faces_text(entry: Entry) -> str:
    if not isinstance(entry, CheckRecord):
        return "—"
    if not entry.faces:
        if entry.awaits_no_people and entry.verdict == "blocked":
            return "none"  # blocked for another reason: nothing for a person to confirm
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


@none_safe
class PupilTableModel(ListTableModel):
    """Pupils on the register; ``ObjectRole`` gives the PupilRecord."""

    headers = PUPIL_HEADERS

    def row_items(self) -> Sequence[object]:
        return self._pupils


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
