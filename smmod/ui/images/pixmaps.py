"""Images for display: upright, scaled, cropped. QtGui only, so safe off the UI thread.

QImage (unlike QPixmap) may be built on a worker thread, so the slow part of showing a
12-megapixel photo or decrypting reference photos never runs on the UI thread.
"""

from __future__ import annotations

import io
from pathlib import Path

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QImage, QImageReader, QTransform

#: Longest side of an image kept for display; the checker works on 1024 px anyway.
DISPLAY_MAX_SIDE = 1600


def load_upright(path: str | Path, max_side: int = DISPLAY_MAX_SIDE) -> QImage:
    """The image as a person sees it (EXIF orientation applied), at most ``max_side``.

    Returns a null QImage when the file cannot be read.
    """
    reader = QImageReader(str(path))
    reader.setAutoTransform(True)
    image = reader.read()
    if image.isNull():
        return image
    return fit(image, max_side)


def from_bytes(data: bytes, height: int) -> QImage:
    """A thumbnail of image file bytes (a decrypted reference photo), ``height`` px high."""
    reader_image = QImage.fromData(data)
    if reader_image.isNull():
        return reader_image
    return reader_image.scaledToHeight(height, Qt.TransformationMode.SmoothTransformation)


def fit(image: QImage, max_side: int) -> QImage:
    if max(image.width(), image.height()) <= max_side:
        return image
    return image.scaled(
        QSize(max_side, max_side),
        Qt.AspectRatioMode.KeepAspectRatio,
        Qt.TransformationMode.SmoothTransformation,
    )


def face_crop(
    image: QImage, box: tuple[int, int, int, int], full_width: int, side: int, angle: int = 0
) -> QImage:
    """The face in ``box`` (full-size pixels) with some margin, as a ``side`` px square,
    turned ``angle`` degrees counter-clockwise so that it is upright."""
    if image.isNull() or full_width <= 0:
        return QImage()
    scale = image.width() / full_width
    left, top, right, bottom = (round(v * scale) for v in box)
    width, height = right - left, bottom - top
    grow = round(max(width, height) * 0.2)
    square = max(width, height) + 2 * grow
    cx, cy = (left + right) // 2, (top + bottom) // 2
    rect = QRect(cx - square // 2, cy - square // 2, square, square).intersected(image.rect())
    if rect.isEmpty():
        return QImage()
    crop = image.copy(rect)
    if angle:  # QTransform turns clockwise on screen (y points down)
        crop = crop.transformed(QTransform().rotate(-angle), Qt.TransformationMode.SmoothTransformation)
    return crop.scaled(
        side, side, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
    )


def face_thumbnail(data: bytes, side: int) -> QImage:
    """The largest face in a reference photo as a ``side`` px square, for comparing face
    with face; the whole photo when no face is found.

    This is face detection only (where is a face), as the check does for every image;
    nothing is compared or stored.
    """
    from PIL import Image, ImageOps, UnidentifiedImageError

    from smmod.images import faces as facelib

    try:
        with Image.open(io.BytesIO(data)) as opened:
            image = ImageOps.exif_transpose(opened).convert("RGB")
    except (OSError, UnidentifiedImageError, ValueError):
        return from_bytes(data, side)
    image.thumbnail((facelib.ANALYSIS_MAX_SIDE, facelib.ANALYSIS_MAX_SIDE))
    rects = facelib.detect_faces(facelib.dlib_array(image))
    if not rects:
        return from_bytes(data, side)
    rect = max(rects, key=lambda r: r.width() * r.height())
    half = max(rect.width(), rect.height()) * 0.8
    cx, cy = (rect.left() + rect.right()) / 2, (rect.top() + rect.bottom()) / 2
    box = (
        max(0, round(cx - half)),
        max(0, round(cy - half)),
        min(image.width, round(cx + half)),
        min(image.height, round(cy + half)),
    )
    crop = image.crop(box)
    crop.thumbnail((side, side), Image.Resampling.LANCZOS)
    return QImage(crop.tobytes(), crop.width, crop.height, 3 * crop.width, QImage.Format.Format_RGB888).copy()
