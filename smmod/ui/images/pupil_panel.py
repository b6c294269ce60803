"""Beside the register: the selected pupil's details and their reference photos."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from smmod import formatting as fmt
from smmod.dnp import DnpService, PupilRecord
from smmod.errors import SmmodError
from smmod.ui.images.models import RESTRICTION_LABELS, consent_text
from smmod.ui.images.pixmaps import from_bytes
from smmod.ui.tasks import TaskRunner
from smmod.wording import count

PHOTO_HEIGHT = 150
_SHOWN = 4
_MUTED_STYLE = "color: palette(placeholder-text);"


class PupilPanel(QFrame):
    photos_shown = Signal(int)  # pupil id

    def __init__(self, dnp: DnpService, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pupil_panel")
        self.setMinimumWidth(300)
        self._dnp = dnp
        self._runner = runner
        self._pupil: PupilRecord | None = None
        self.title_label = QLabel()
        self.title_label.setObjectName("pupil_title")
        self.title_label.setStyleSheet("font-size: 13pt; font-weight: 600;")
        self.details_label = QLabel()
        self.details_label.setObjectName("pupil_details")
        self.details_label.setWordWrap(True)
        self.photos_box = QWidget()
        self._photos_layout = QHBoxLayout(self.photos_box)
        self._photos_layout.setContentsMargins(0, 4, 0, 0)
        self.photos_label = QLabel()
        self.photos_label.setObjectName("pupil_photos_note")
        self.photos_label.setWordWrap(True)
        self.photos_label.setStyleSheet(_MUTED_STYLE)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 0, 0, 0)
        layout.addWidget(self.title_label)
        layout.addWidget(self.details_label)
        layout.addWidget(self.photos_box)
        layout.addWidget(self.photos_label)
        layout.addStretch(1)

    def photo_labels(self) -> list[QLabel]:
        return [w for w in self.photos_box.findChildren(QLabel) if w.pixmap() and not w.pixmap().isNull()]

    def show_pupil(self, pupil: PupilRecord | None, *, register_empty: bool) -> None:
        self._pupil = pupil
        self._clear_photos()
        if pupil is None:
            self.title_label.setText("The register is empty" if register_empty else "No pupil selected")
            self.details_label.setText(
                "Add the pupils whose parents asked that they do not appear in the school's images (Ctrl+N)."
                if register_empty
                else ""
            )
            self.photos_label.clear()
            return
        self.title_label.setText(pupil.name)
        review = fmt.day(pupil.review_on) if pupil.review_on else "not set"
        self.details_label.setText(
            f"{pupil.year_group or 'No year or class'} · "
            f"{RESTRICTION_LABELS.get(pupil.restriction, pupil.restriction)}\n"
            f"Review by: {review}\nBiometric consent: {consent_text(pupil)}"
        )
        if not pupil.photos:
            self.photos_label.setText(
                "No reference photo. Faces are still shown to a person, "
                "but there is nothing to compare them with."
            )
            return
        self.photos_label.setText("Loading the reference photos…")
        dnp, pupil_id = self._dnp, pupil.id
        self._runner.run(
            lambda: [from_bytes(b, PHOTO_HEIGHT) for b in dnp.reference_photos(pupil_id)[:_SHOWN]],
            lambda images: self._on_photos_loaded(pupil_id, images),
            lambda exc: self._on_photos_failed(pupil_id, exc),
        )

    def _on_photos_loaded(self, pupil_id: int, images: list[QImage]) -> None:
        pupil = self._pupil
        if pupil is None or pupil.id != pupil_id:
            return
        self._clear_photos()
        for image in images:
            label = QLabel()
            label.setPixmap(QPixmap.fromImage(image))
            label.setAccessibleName(f"Reference photo of {pupil.name}")
            self._photos_layout.addWidget(label)
        self._photos_layout.addStretch(1)
        more = f" The first {_SHOWN} are shown." if pupil.photos > _SHOWN else ""
        self.photos_label.setText(f"{count(pupil.photos, 'reference photo')}, stored encrypted.{more}")
        self.photos_shown.emit(pupil_id)

    def _on_photos_failed(self, pupil_id: int, exc: BaseException) -> None:
        if self._pupil is not None and self._pupil.id == pupil_id:
            self.photos_label.setText(
                f"The reference photos cannot be shown. {exc}"
                if isinstance(exc, SmmodError)
                else "The reference photos cannot be shown."
            )

    def _clear_photos(self) -> None:
        while self._photos_layout.count():
            item = self._photos_layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()
                widget.deleteLater()
