"""Confirming the faces of a post's image without leaving the Publish page (issue 19).

The same face cards and answers as the Images page (``CheckDetail`` with its
``ReviewController``), through the same image service: each answer is saved and audited
there, and the post is checked again when the dialog closes.
"""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from smmod.dnp import CheckRecord
from smmod.ui.images.check_detail import CheckDetail
from smmod.ui.images.review import ReviewController
from smmod.ui.pages import PageDeps


class FaceDialog(QDialog):
    def __init__(self, deps: PageDeps, record: CheckRecord, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Confirm the faces in {record.file_name}")
        self.answered = 0
        layout = QVBoxLayout(self)
        self.detail = CheckDetail([])
        layout.addWidget(self.detail, 1)
        self.notice = QLabel("")
        self.notice.setAccessibleName("What was saved")
        layout.addWidget(self.notice)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.review = ReviewController(deps, self.detail, self)
        self.review.notice.connect(self.notice.setText)
        self.review.face_confirmed.connect(self._on_confirmed)
        self.review.reload_references()
        self.review.show_entry(record)
        self.resize(1000, 640)

    def _on_confirmed(self, record: CheckRecord) -> None:
        self.answered += 1

    def done(self, result: int) -> None:
        self.review.wait()
        super().done(result)
