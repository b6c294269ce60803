"""The image being checked, with a numbered box around every face it found."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QImage,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QPixmap,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from smmod.dnp import CheckRecord
from smmod.ui.images.models import TONES, face_state

_BACKGROUND = QColor(38, 40, 44)
_MESSAGE = QColor(200, 200, 200)


class FaceImageView(QWidget):
    """Paints the photo scaled to fit and the face boxes on top; click a box to pick it."""

    face_clicked = Signal(int)  # face index (1-based)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._pixmap = QPixmap()
        self._record: CheckRecord | None = None
        self._message = "Select an image to see it here."
        self._current = 0
        self.setObjectName("image_view")
        self.setAccessibleName("Image being checked")
        self.setMinimumSize(260, 200)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMouseTracking(True)

    # -- public -------------------------------------------------------------------
    def show_image(self, image: QImage, record: CheckRecord) -> None:
        self._pixmap = QPixmap.fromImage(image)
        self._record = record
        self._message = ""
        self._describe()
        self.update()

    def show_message(self, text: str) -> None:
        self._pixmap = QPixmap()
        self._record = None
        self._message = text
        self.setAccessibleDescription(text)
        self.update()

    def update_record(self, record: CheckRecord) -> None:
        """New confirmations for the image already shown: recolour the boxes."""
        if self._record is not None and self._record.id == record.id:
            self._record = record
            self._describe()
            self.update()

    def set_current_face(self, index: int) -> None:
        self._current = index
        self.update()

    def has_image(self) -> bool:
        return not self._pixmap.isNull()

    def face_rect(self, index: int) -> QRectF:
        """Where face ``index`` is drawn, in widget coordinates (empty if not shown)."""
        if self._record is None or self._pixmap.isNull():
            return QRectF()
        target = self._target()
        scale = target.width() / max(1, self._record.width)
        for face in self._record.faces:
            if face.index == index:
                left, top, right, bottom = face.box
                return QRectF(
                    target.left() + left * scale,
                    target.top() + top * scale,
                    (right - left) * scale,
                    (bottom - top) * scale,
                )
        return QRectF()

    # -- QWidget ------------------------------------------------------------------
    def sizeHint(self) -> QSize:  # QWidget.sizeHint
        return QSize(560, 420)

    def paintEvent(self, _event: QPaintEvent) -> None:  # QWidget.paintEvent
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        painter.fillRect(self.rect(), _BACKGROUND)
        if self._pixmap.isNull() or self._record is None:
            painter.setPen(_MESSAGE)
            painter.drawText(
                self.rect().adjusted(24, 24, -24, -24),
                int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap),
                self._message,
            )
            return
        target = self._target()
        painter.drawPixmap(target, self._pixmap, QRectF(self._pixmap.rect()))
        for face in self._record.faces:
            self._paint_face(painter, face.index, TONES[face_state(face)[1]].fg, dashed=face.too_small)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # QWidget.mousePressEvent
        if self._record is not None and event.button() == Qt.MouseButton.LeftButton:
            for face in self._record.faces:
                if self.face_rect(face.index).adjusted(-6, -6, 6, 6).contains(event.position()):
                    self.face_clicked.emit(face.index)
                    return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # QWidget.mouseMoveEvent
        over = self._record is not None and any(
            self.face_rect(f.index).contains(event.position()) for f in self._record.faces
        )
        self.setCursor(Qt.CursorShape.PointingHandCursor if over else Qt.CursorShape.ArrowCursor)
        super().mouseMoveEvent(event)

    # -- helpers ------------------------------------------------------------------
    def _target(self) -> QRectF:
        area = QRectF(self.rect()).adjusted(10, 10, -10, -10)
        size = self._pixmap.size().toSizeF().scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
        return QRectF(area.center() - QPointF(size.width() / 2, size.height() / 2), size)

    def _paint_face(self, painter: QPainter, index: int, colour: QColor, *, dashed: bool = False) -> None:
        """A box, numbered; dashed when the face is too small to compare."""
        rect = self.face_rect(index)
        current = index == self._current
        painter.setBrush(Qt.BrushStyle.NoBrush)
        if current:  # a light halo so the chosen face stands out on any photo
            painter.setPen(QPen(QColor(255, 255, 255, 220), 7))
            painter.drawRoundedRect(rect, 4, 4)
        pen = QPen(colour, 4 if current else 3)
        if dashed:
            pen.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.drawRoundedRect(rect, 4, 4)
        font = QFont(self.font())
        font.setBold(True)
        font.setPointSizeF(max(9.0, font.pointSizeF() + 1))
        painter.setFont(font)
        badge = QRectF(0, 0, 26, 24)
        above = rect.top() - badge.height() - 3 >= 0
        badge.moveTopLeft(QPointF(rect.left(), rect.top() - badge.height() - 3 if above else rect.top() + 3))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        painter.drawRoundedRect(badge, 5, 5)
        painter.setPen(QColor("white"))
        painter.drawText(badge, int(Qt.AlignmentFlag.AlignCenter), str(index))

    def _describe(self) -> None:
        record = self._record
        if record is None:
            return
        if not record.faces:
            self.setAccessibleDescription(f"{record.file_name}: no faces found; check that no pupil is shown")
            return
        parts = [
            f"face {f.index}: {face_state(f)[0]}" + (", too small to compare" if f.too_small else "")
            for f in record.faces
        ]
        self.setAccessibleDescription(f"{record.file_name}; " + "; ".join(parts))
