"""Every file chooser of the Images page goes through here.

Tests monkeypatch this one module instead of driving native file dialogs, the same way
``smmod.ui.msgbox`` stands in for message boxes.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget

from smmod.dnp.checks import IMAGE_SUFFIXES

IMAGE_FILTER = "Images (" + " ".join(f"*{s}" for s in IMAGE_SUFFIXES) + ");;All files (*)"


def images_to_check(parent: QWidget | None) -> list[Path]:
    files, _ = QFileDialog.getOpenFileNames(parent, "Add images to check", "", IMAGE_FILTER)
    return [Path(f) for f in files]


def folder_to_check(parent: QWidget | None) -> Path | None:
    folder = QFileDialog.getExistingDirectory(parent, "Check every image in a folder")
    return Path(folder) if folder else None


def reference_photos(parent: QWidget | None) -> list[Path]:
    files, _ = QFileDialog.getOpenFileNames(
        parent, "Choose reference photos (a clear, front-facing photo works best)", "", IMAGE_FILTER
    )
    return [Path(f) for f in files]


def export_target(parent: QWidget | None, suggested: Path) -> Path | None:
    suffix = suggested.suffix.lower()
    kind = "JPEG image (*.jpg *.jpeg)" if suffix in (".jpg", ".jpeg") else "PNG image (*.png)"
    path, _ = QFileDialog.getSaveFileName(parent, "Save the copy for publishing as", str(suggested), kind)
    return Path(path) if path else None


def export_folder(parent: QWidget | None, suggested: Path) -> Path | None:
    folder = QFileDialog.getExistingDirectory(
        parent, "Export every clear image into this folder", str(suggested)
    )
    return Path(folder) if folder else None
