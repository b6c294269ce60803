"""The right-hand side of the Check tab: one image, why it got its verdict, its faces."""

from __future__ import annotations

import html
from datetime import UTC

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from smmod import formatting as fmt
from smmod.dnp import CheckRecord
from smmod.dnp.checks import NOT_PROTECTED
from smmod.dnp.export_rules import may_export_pixelated
from smmod.images import FileError
from smmod.ui.images.face_review import CROP_SIDE, FaceReviewPanel, Reference
from smmod.ui.images.face_view import FaceImageView
from smmod.ui.images.models import TONES, Entry, entry_name, verdict_of
from smmod.ui.images.pixmaps import face_crop
from smmod.wording import count

_MUTED = "color: palette(placeholder-text);"
#: The Why pane is never narrower than this: its reasons wrap, they are never cut.
WHY_MIN_WIDTH = 320


def pill_style(verdict: str) -> str:
    tone = TONES[verdict]
    return (
        f"background: {tone.bg.name()}; color: {tone.fg.name()}; font-weight: 700;"
        f" border: 1px solid {tone.fg.name()}; border-radius: 9px; padding: 2px 10px;"
    )


PIXELATED_ACTION = "Export with faces pixelated…"


def _progress_line(record: CheckRecord) -> str:
    """Where the image stands now; the checker's reasons below do not change."""
    confirmed_pupil = any(f.confirmed and f.confirmed != NOT_PROTECTED for f in record.faces)
    left = len(record.unconfirmed_faces)
    pixelable = may_export_pixelated(record)
    if record.findings.get("names") or record.findings.get("blocked_for") == "names":
        return "A pupil on the do-not-publish list is named: this image cannot be published."
    if confirmed_pupil or any(f.status == "matched" for f in record.faces):
        if pixelable:
            return (
                "A face is a pupil on the do-not-publish list. Only a copy with that face "
                f"pixelated may be published: use {PIXELATED_ACTION}"
            )
        return "A face is a pupil on the do-not-publish list: this image cannot be published."
    if record.verdict == "blocked":
        if pixelable:
            return (
                "This is a copy of an image that was blocked. Only a copy with its faces "
                f"pixelated may be published: use {PIXELATED_ACTION}"
            )
        return "This is a copy of an image that was blocked: it cannot be published."
    if record.faces and left:
        return (
            f"{left} of {count(len(record.faces), 'face')} still to confirm, below. Or publish a copy "
            f"with {'it' if left == 1 else 'them'} pixelated: {PIXELATED_ACTION}"
        )
    if record.faces and record.verdict == "clear":
        return "Every face was confirmed as not a protected pupil: clear to export."
    if record.awaits_no_people:
        return ""  # the reason below says it, and the panel under the image asks it
    if not record.faces and record.verdict == "clear":
        return f"{record.no_people_by_who} confirmed that no pupil is shown: clear to export."
    return ""


def reasons_text(record: CheckRecord) -> str:
    """The verdict's story in plain text (the Why pane's tooltip)."""
    line = _progress_line(record)
    checked = f"Checked by {record.checked_by_who} (login: {record.checked_by})"
    return "\n".join([*([line] if line else []), *(f"• {r}" for r in record.reasons), checked])


def _reasons_html(record: CheckRecord) -> str:
    line = _progress_line(record)
    head = f"<p><b>{html.escape(line)}</b></p>" if line else ""
    items = "".join(f"<li style='margin-bottom:4px'>{html.escape(r)}</li>" for r in record.reasons)
    extra = []
    if record.caption:
        extra.append(f"Caption checked: “{html.escape(record.caption)}”")
    extra.append(
        f"Checked by {html.escape(record.checked_by_who)} on "
        f"{fmt.when(record.checked_at, UTC, at=' at ')} UTC · "
        f"{'assisted matching' if record.assisted else 'face check'}"
    )
    foot = "".join(f"<p style='color:gray'>{line}</p>" for line in extra)
    return f"{head}<ul style='margin-left:-20px'>{items}</ul>{foot}"


class CheckDetail(QWidget):
    """Shows an entry of the results list; the tab feeds it the loaded image."""

    def __init__(self, export_buttons: list[QToolButton], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("check_detail")
        self.export_buttons = export_buttons
        self.record: CheckRecord | None = None
        self.title_label = QLabel()
        self.title_label.setObjectName("detail_title")
        self.title_label.setStyleSheet("font-size: 13pt; font-weight: 600;")
        self.title_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.verdict_label = QLabel()
        self.verdict_label.setObjectName("detail_verdict")
        self.verdict_label.setAccessibleName("Verdict")
        self.path_label = QLabel()
        self.path_label.setObjectName("detail_path")
        self.path_label.setStyleSheet(_MUTED)
        self.path_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.image_view = FaceImageView()
        self.reasons_label = QLabel()
        self.reasons_label.setObjectName("detail_reasons")
        self.reasons_label.setAccessibleName("Why this verdict")
        self.reasons_label.setWordWrap(True)
        self.reasons_label.setTextFormat(Qt.TextFormat.RichText)
        self.reasons_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.reasons_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.faces = FaceReviewPanel()
        self.faces.setMinimumHeight(235)
        self._init_layout()
        self.show_nothing()

    def _init_layout(self) -> None:
        heading = QHBoxLayout()
        heading.setSpacing(10)
        heading.addWidget(self.title_label)
        heading.addWidget(self.verdict_label, 0, Qt.AlignmentFlag.AlignVCenter)
        heading.addStretch(1)
        for button in self.export_buttons:
            heading.addWidget(button)
        self.why_title = why_title = QLabel("Why")
        why_title.setStyleSheet("font-weight: 600;")
        why = QWidget()
        why_layout = QVBoxLayout(why)
        why_layout.setContentsMargins(8, 0, 0, 0)
        why_layout.addWidget(why_title)
        why_layout.addWidget(self.reasons_label, 1)
        why_scroll = QScrollArea()
        why_scroll.setWidget(why)
        why_scroll.setWidgetResizable(True)
        why_scroll.setFrameShape(QFrame.Shape.NoFrame)
        why_scroll.setMinimumWidth(WHY_MIN_WIDTH)
        why_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.why_scroll = why_scroll
        self.top_splitter = top = QSplitter(Qt.Orientation.Horizontal)
        top.addWidget(self.image_view)
        top.addWidget(why_scroll)
        top.setStretchFactor(0, 1)
        top.setStretchFactor(1, 1)
        top.setChildrenCollapsible(False)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(top)
        self.splitter.addWidget(self.faces)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 0)
        self.splitter.setSizes([330, 250])
        self.splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(heading)
        layout.addWidget(self.path_label)
        layout.addWidget(self.splitter, 1)

    # -- public -------------------------------------------------------------------
    def show_nothing(self) -> None:
        self.record = None
        self.title_label.setText("No image selected")
        self.verdict_label.hide()
        self.why_title.hide()
        self.path_label.clear()
        self.reasons_label.clear()
        self.reasons_label.setToolTip("")
        self.image_view.show_message("Select an image in the list to see it here.")
        self.faces.clear("")

    def show_entry(self, entry: Entry) -> None:
        """Header and reasons now; the picture arrives later through ``show_image``."""
        verdict = verdict_of(entry)
        self.title_label.setText(entry_name(entry))
        self.verdict_label.setText(TONES[verdict].label)
        self.verdict_label.setStyleSheet(pill_style(verdict))
        self.verdict_label.show()
        self.why_title.show()
        if isinstance(entry, FileError):
            self.record = None
            self.path_label.setText(entry.path)
            self.reasons_label.setToolTip("")
            self.reasons_label.setText(
                f"<p>This file could not be checked:</p>"
                f"<p><b>{html.escape(entry.reason)}</b></p>"
                "<p>The rest of the batch was checked.</p>"
            )
            self.image_view.show_message("This file could not be read as an image.")
            self.faces.clear("")
            return
        self.record = entry
        self.path_label.setText(entry.path)
        self._show_reasons(entry)
        self.image_view.show_message("Loading…")
        self.faces.clear("Loading…")

    def show_image(
        self,
        image: QImage,
        references: list[Reference],
        note: str,
        why_not: str | None,
        *,
        current: int | None = None,
    ) -> None:
        record = self.record
        if record is None:
            return
        if image.isNull():
            self.image_view.show_message(
                f"The original is no longer at {record.path}, so it "
                "cannot be shown or exported. Check it again where it "
                "is now."
            )
            self.faces.clear("The image cannot be shown, so its faces cannot be confirmed.")
            return
        self.image_view.show_image(image, record)
        crops = {f.index: face_crop(image, f.box, record.width, CROP_SIDE, f.angle) for f in record.faces}
        self.faces.show_faces(record, crops, references, note, why_not, current=current)
        self.image_view.set_current_face(self.faces.current_face())

    def set_stale(self, stale: bool) -> None:
        """The verdict shown is out of date: the image is being checked again."""
        record = self.record
        if record is None:
            return
        if stale:
            self.verdict_label.setText(f"{TONES[record.verdict].label} · checking again…")
            self.verdict_label.setStyleSheet(
                "background: #f0f0f0; color: #555555; font-style: italic; font-weight: 600;"
                " border: 1px dashed #777777; border-radius: 9px; padding: 2px 10px;"
            )
            self.verdict_label.setToolTip(
                "The caption changed, so this image is being checked again. "
                "Until then this verdict is out of date."
            )
        else:
            self.verdict_label.setText(TONES[record.verdict].label)
            self.verdict_label.setStyleSheet(pill_style(record.verdict))
            self.verdict_label.setToolTip("")

    def update_record(self, record: CheckRecord) -> None:
        """Same image, new verdict or confirmations (the cards are rebuilt by the tab)."""
        self.record = record
        self.verdict_label.setText(TONES[record.verdict].label)
        self.verdict_label.setStyleSheet(pill_style(record.verdict))
        self._show_reasons(record)
        self.image_view.update_record(record)

    def _show_reasons(self, record: CheckRecord) -> None:
        self.reasons_label.setText(_reasons_html(record))
        # Rich text, so a reason quoting outside text is never taken as markup.
        tip = html.escape(reasons_text(record))
        self.reasons_label.setToolTip(f"<p style='white-space:pre-wrap'>{tip}</p>")
