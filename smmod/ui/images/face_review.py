"""Face by face: each face found, beside the register's reference photos, with one click
to say "not a protected pupil" or "this is …" (R11, face-check mode).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QImage, QMouseEvent, QPixmap
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from smmod.dnp import CheckRecord, PupilRecord
from smmod.dnp.checks import NOT_PROTECTED, FaceView
from smmod.ui.images.models import TONES, face_state
from smmod.ui.images.no_people import NoPeoplePanel

CROP_SIDE = 100
REFERENCE_HEIGHT = 84
_MUTED = "color: palette(placeholder-text);"


@dataclass(frozen=True)
class Reference:
    """A pupil on the register and thumbnails of their decrypted reference photos."""

    pupil: PupilRecord
    images: list[QImage] = field(default_factory=list)


def pupil_label(pupil: PupilRecord) -> str:
    return f"{pupil.name} ({pupil.year_group})" if pupil.year_group else pupil.name


class _ReferenceTile(QFrame):
    def __init__(self, reference: Reference, image: QImage, note: str) -> None:
        super().__init__()
        self.setObjectName("reference_tile")
        picture = QLabel()
        picture.setFixedHeight(REFERENCE_HEIGHT)
        picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        picture.setPixmap(QPixmap.fromImage(image))
        picture.setFixedWidth(max(60, image.width()))
        name = QLabel(reference.pupil.name)
        name.setAlignment(Qt.AlignmentFlag.AlignCenter)
        name.setStyleSheet("font-weight: 600;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.setSpacing(2)
        layout.addWidget(picture, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(name)
        if note:
            extra = QLabel(note)
            extra.setAlignment(Qt.AlignmentFlag.AlignCenter)
            extra.setStyleSheet(f"color: {TONES['blocked'].fg.name()}; font-size: 8pt;")
            layout.addWidget(extra)
        restriction = reference.pupil.restriction.replace("_", " ")
        self.setToolTip(f"{pupil_label(reference.pupil)} — {restriction}")
        self.setAccessibleName(f"Reference photo of {reference.pupil.name}")


class FaceCard(QFrame):
    """One face: its crop, what is known about it, the two answers, the references."""

    not_protected_clicked = Signal(int)  # face index
    pupil_chosen = Signal(int, int)  # face index, pupil id
    activated = Signal(int)  # face index

    def __init__(
        self,
        face: FaceView,
        crop: QImage,
        references: list[Reference],
        note: str,
        why_not: str | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.face = face
        self.setObjectName(f"face_card_{face.index}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self._init_widgets(crop, references, why_not)
        self._init_layout(self._reference_strip(references, note))
        self.set_current(False)

    def _init_widgets(self, crop: QImage, references: list[Reference], why_not: str | None) -> None:
        face = self.face
        self.crop_label = QLabel()
        self.crop_label.setFixedSize(CROP_SIDE, CROP_SIDE)
        self.crop_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.crop_label.setStyleSheet("background: #26282c; border-radius: 4px;")
        self.crop_label.setAccessibleName(f"Face {face.index}")
        if not crop.isNull():
            self.crop_label.setPixmap(QPixmap.fromImage(crop))
        self.title_label = QLabel(f"Face {face.index}")
        self.title_label.setStyleSheet("font-size: 12pt; font-weight: 600;")
        text, tone = face_state(face)
        self.state_label = QLabel(text)
        self.state_label.setObjectName(f"face_state_{face.index}")
        self.state_label.setWordWrap(True)
        self.state_label.setStyleSheet(f"color: {TONES[tone].fg.name()}; font-weight: 600;")
        self.small_label = QLabel("Too small to compare: look closely")
        self.small_label.setObjectName(f"too_small_{face.index}")
        self.small_label.setWordWrap(True)
        self.small_label.setToolTip(
            "This face is under 40 px wide in the photo: too small to compare reliably with "
            "the reference photos. Look at the photo itself, enlarged if you can."
        )
        self.small_label.setStyleSheet(f"color: {TONES['review'].fg.name()};")
        self.small_label.setVisible(face.too_small)
        self.not_protected_button = QPushButton("Not a protected pupil")
        self.not_protected_button.setObjectName(f"not_protected_{face.index}")
        self.not_protected_button.setAccessibleName(f"Face {face.index}: not a protected pupil")
        self.not_protected_button.setCheckable(True)
        self.not_protected_button.setChecked(face.confirmed == NOT_PROTECTED)
        if face.confirmed == NOT_PROTECTED:
            self.not_protected_button.setText("✓ Not a protected pupil")
        self.this_is_button = QToolButton()
        self.this_is_button.setObjectName(f"this_is_{face.index}")
        pupil_named = face.confirmed and face.confirmed != NOT_PROTECTED
        self.this_is_button.setText(
            f"✓ This is {face.confirmed_name or 'a pupil'}" if pupil_named else "This is…"
        )
        self.this_is_button.setAccessibleName(f"Face {face.index}: this is a protected pupil")
        self.this_is_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.this_is_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.this_is_button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.menu = QMenu(self.this_is_button)
        for ref in references:
            action = QAction(pupil_label(ref.pupil), self.menu)
            action.setData(ref.pupil.id)
            action.setCheckable(True)
            action.setChecked(face.confirmed == f"pupil:{ref.pupil.id}")
            action.triggered.connect(self._on_pupil_action_triggered)
            self.menu.addAction(action)
        if not references:
            empty = self.menu.addAction("The register is empty")
            empty.setEnabled(False)
        self.this_is_button.setMenu(self.menu)
        for button in (self.not_protected_button, self.this_is_button):
            button.setMinimumHeight(28)
            button.setEnabled(why_not is None)
            button.setToolTip(why_not or "")
        self.not_protected_button.clicked.connect(self._on_not_protected_clicked)

    def _init_layout(self, strip: QWidget) -> None:
        answers = QVBoxLayout()
        answers.setSpacing(6)
        answers.addWidget(self.title_label)
        answers.addWidget(self.state_label)
        answers.addWidget(self.small_label)
        answers.addStretch(1)
        answers.addWidget(self.not_protected_button)
        answers.addWidget(self.this_is_button)
        column = QWidget()
        column.setLayout(answers)
        column.setFixedWidth(200)
        answers.setContentsMargins(0, 0, 0, 0)
        line = QFrame()
        line.setFrameShape(QFrame.Shape.VLine)
        line.setStyleSheet("color: palette(mid);")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(12)
        layout.addWidget(self.crop_label, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(column)
        layout.addWidget(line)
        layout.addWidget(strip, 1)

    def _reference_strip(self, references: list[Reference], note: str) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        heading = QLabel("Compare with the register:")
        heading.setStyleSheet(_MUTED)
        layout.addWidget(heading)
        with_photos = [r for r in references if r.images]
        if note or not with_photos:
            text = note or (
                "No pupils are on the do-not-publish register yet."
                if not references
                else "No pupil on the register has a reference photo."
            )
            message = QLabel(text)
            message.setObjectName("reference_note")
            message.setWordWrap(True)
            message.setStyleSheet(_MUTED)
            layout.addWidget(message)
        else:
            layout.addWidget(self._tiles(with_photos))
        without = [r.pupil.name for r in references if not r.images]
        if without and not note:
            others = QLabel("Also on the register, with no photo: " + ", ".join(without))
            others.setObjectName("reference_without_photo")
            others.setWordWrap(True)
            others.setStyleSheet(_MUTED)
            layout.addWidget(others)
        layout.addStretch(1)
        return box

    def _tiles(self, references: list[Reference]) -> QScrollArea:
        tiles = QWidget()
        row = QHBoxLayout(tiles)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(8)
        best = self.face.best_match
        for ref in sorted(references, key=lambda r: r.pupil.id != best):
            closest = "closest match" if best == ref.pupil.id else ""
            for image in ref.images:
                row.addWidget(_ReferenceTile(ref, image, closest))
        row.addStretch(1)
        scroll = QScrollArea()
        scroll.setObjectName(f"references_{self.face.index}")
        scroll.setAccessibleName(f"Reference photos to compare with face {self.face.index}")
        scroll.setWidget(tiles)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setStyleSheet("QScrollArea, QScrollArea > QWidget > QWidget { background: transparent; }")
        scroll.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setFixedHeight(
            tiles.sizeHint().height() + scroll.horizontalScrollBar().sizeHint().height() + 2
        )
        return scroll

    def set_current(self, current: bool) -> None:
        colour = "palette(highlight)" if current else "palette(mid)"
        width = 2 if current else 1
        self.setStyleSheet(
            f"QFrame#{self.objectName()} {{ border: {width}px solid {colour};"
            " border-radius: 6px; background: palette(base); }"
        )

    def mousePressEvent(self, event: QMouseEvent) -> None:  # QWidget.mousePressEvent
        self.activated.emit(self.face.index)
        super().mousePressEvent(event)

    @Slot()
    def _on_not_protected_clicked(self) -> None:
        self.not_protected_button.setChecked(self.face.confirmed == NOT_PROTECTED)
        self.activated.emit(self.face.index)
        self.not_protected_clicked.emit(self.face.index)

    @Slot()
    def _on_pupil_action_triggered(self) -> None:
        action = self.sender()
        if isinstance(action, QAction):
            self.activated.emit(self.face.index)
            self.pupil_chosen.emit(self.face.index, int(action.data()))


class FaceReviewPanel(QWidget):
    """All faces of one image as cards; the page decides what an answer does."""

    not_protected_requested = Signal(int)  # face index
    pupil_requested = Signal(int, int)  # face index, pupil id
    face_selected = Signal(int)
    no_people_requested = Signal()  # no face was found: "no pupil is shown"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.cards: dict[int, FaceCard] = {}
        self._current = 0
        self.heading = QLabel()
        self.heading.setObjectName("faces_heading")
        self.heading.setStyleSheet("font-weight: 600;")
        self._cards_box = QWidget()
        self._cards_layout = QVBoxLayout(self._cards_box)
        self._cards_layout.setContentsMargins(0, 0, 4, 0)
        self._cards_layout.setSpacing(8)
        self._cards_layout.addStretch(1)
        self.scroll_area = QScrollArea()
        self.scroll_area.setObjectName("faces_scroll")
        self.scroll_area.setAccessibleName("Faces to confirm")
        self.scroll_area.setWidget(self._cards_box)
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.no_people = NoPeoplePanel()
        self.no_people.confirm_requested.connect(self.no_people_requested)
        self.no_people.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self.heading)
        layout.addWidget(self.scroll_area, 1)
        layout.addWidget(self.no_people, 1)
        # New cards change the scroll range once laid out: keep the current one in view.
        self.scroll_area.verticalScrollBar().rangeChanged.connect(self._scroll_to_current)

    def show_faces(
        self,
        record: CheckRecord,
        crops: dict[int, QImage],
        references: list[Reference],
        note: str,
        why_not: str | None,
        *,
        current: int | None = None,
    ) -> None:
        """Cards for every face; ``current`` (default: the first unconfirmed) is picked.

        If the keyboard was on a card, it moves to the picked card's first answer, so a
        keyboard user goes on from face to face.
        """
        focus = QApplication.focusWidget()
        had_focus = focus is not None and self.isAncestorOf(focus)
        self._clear_cards()
        left = len(record.unconfirmed_faces)
        small = sum(1 for f in record.faces if f.too_small)
        if not record.faces:
            self.heading.setText("Faces: none found")
        elif left:
            self.heading.setText(f"Faces: confirm each one ({left} of {len(record.faces)} still to confirm)")
        else:
            self.heading.setText(f"Faces: all {len(record.faces)} confirmed")
        if small:
            self.heading.setText(f"{self.heading.text()}; {small} too small to compare")
        for face in record.faces:
            card = FaceCard(face, crops.get(face.index, QImage()), references, note, why_not)
            card.not_protected_clicked.connect(self.not_protected_requested)
            card.pupil_chosen.connect(self.pupil_requested)
            card.activated.connect(self.set_current_face)
            self._cards_layout.insertWidget(self._cards_layout.count() - 1, card)
            self.cards[face.index] = card
        self.scroll_area.setVisible(bool(record.faces))
        self.no_people.setVisible(not record.faces)
        if not record.faces:
            self.no_people.show_record(record, why_not)
            if had_focus and self.no_people.confirm_button.isEnabled():
                self.no_people.confirm_button.setFocus()
        if current in self.cards:
            self.set_current_face(current, announce=False)
        elif record.faces:
            self.set_current_face((record.unconfirmed_faces or record.faces)[0].index, announce=False)
        if had_focus and self._current in self.cards:
            self.cards[self._current].not_protected_button.setFocus()

    def clear(self, text: str = "") -> None:
        self._clear_cards()
        self.heading.setText(text)
        self.scroll_area.setVisible(False)
        self.no_people.setVisible(False)

    def current_face(self) -> int:
        return self._current

    def set_enabled_answers(self, enabled: bool) -> None:
        for card in self.cards.values():
            card.not_protected_button.setEnabled(enabled)
            card.this_is_button.setEnabled(enabled)
        self.no_people.set_enabled_answer(enabled)

    @Slot(int)
    def set_current_face(self, index: int, announce: bool = True) -> None:
        if index not in self.cards:
            return
        self._current = index
        for number, card in self.cards.items():
            card.set_current(number == index)
        # After new cards were laid out, so the scroll position is right.
        QTimer.singleShot(0, self, self._scroll_to_current)
        if announce:
            self.face_selected.emit(index)

    @Slot()
    def _scroll_to_current(self) -> None:
        card = self.cards.get(self._current)
        if card is not None:
            self.scroll_area.ensureWidgetVisible(card, 0, 0)

    def _clear_cards(self) -> None:
        for card in self.cards.values():
            card.hide()
            card.deleteLater()
        self.cards.clear()
