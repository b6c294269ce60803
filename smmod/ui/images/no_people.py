"""When no face was found: one look at the image, one click to say no pupil is shown (R11).

"No faces found" is not "clear": the detector may have missed a face, and a missed face
is the most dangerous failure the checker can have. So the image waits for a person,
whose confirmation is recorded with their name in the audit trail.
"""

from __future__ import annotations

from datetime import UTC

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from smmod import formatting as fmt
from smmod.dnp import CheckRecord
from smmod.ui.images.models import TONES

PROMPT = "No faces were found. Check that no pupil is shown."
_HELP = (
    "Look at the whole image. If no pupil is shown in it, say so below: your answer is "
    "recorded with your name. If a pupil is shown, the checker missed them: do not publish "
    "this image; crop it or choose another photo, and check that."
)


BLOCKED_HELP = (
    "This image is blocked for the reason given under Why, so there is nothing to confirm "
    "here: it cannot be published as it is."
)


def asks_no_people(record: CheckRecord) -> bool:
    """The image waits for a person to say that no pupil is shown (not when it is blocked
    anyway: then the answer would change nothing)."""
    return record.awaits_no_people and record.verdict != "blocked"


class NoPeoplePanel(QFrame):
    """The question for an image with no face found, or who answered it and when."""

    confirm_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("no_people_panel")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet(
            "QFrame#no_people_panel { border: 1px solid palette(mid); border-radius: 6px;"
            " background: palette(base); }"
        )
        self.prompt_label = QLabel(PROMPT)
        self.prompt_label.setObjectName("no_people_prompt")
        self.prompt_label.setWordWrap(True)
        self.help_label = QLabel(_HELP)
        self.help_label.setObjectName("no_people_help")
        self.help_label.setWordWrap(True)
        self.confirm_button = QPushButton("No pupil is shown")
        self.confirm_button.setObjectName("no_people_button")
        self.confirm_button.setAccessibleName("Confirm that no pupil is shown in this image")
        self.confirm_button.setMinimumHeight(30)
        self.confirm_button.setCheckable(True)
        self.confirm_button.clicked.connect(self._on_confirm_button_clicked)
        row = QHBoxLayout()
        row.addWidget(self.confirm_button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.setSpacing(8)
        layout.addWidget(self.prompt_label)
        layout.addWidget(self.help_label)
        layout.addLayout(row)
        layout.addStretch(1)

    def show_record(self, record: CheckRecord, why_not: str | None) -> None:
        self.confirm_button.setVisible(True)
        if record.no_people_by is None and record.verdict == "blocked":
            # Blocked for another reason (a name, a copy of a blocked image): whether a
            # pupil is shown changes nothing, so nobody is asked.
            self.prompt_label.setText("No faces were found.")
            self.prompt_label.setStyleSheet("font-size: 12pt; font-weight: 600;")
            self.help_label.setText(BLOCKED_HELP)
            self.confirm_button.setChecked(False)
            self.confirm_button.setEnabled(False)
            self.confirm_button.setVisible(False)
            return
        if record.no_people_by is None:
            self.prompt_label.setText(PROMPT)
            self.prompt_label.setStyleSheet(
                f"color: {TONES['review'].fg.name()}; font-size: 12pt; font-weight: 600;"
            )
            self.help_label.setText(_HELP)
            self.confirm_button.setText("No pupil is shown (N)")
            self.confirm_button.setChecked(False)
            self.confirm_button.setEnabled(why_not is None)
            self.confirm_button.setToolTip(why_not or "Confirm that no pupil is shown in this image")
            return
        when = fmt.when(record.no_people_at, UTC, at=" at ") + " UTC" if record.no_people_at else ""
        self.prompt_label.setText("No faces were found. A person confirmed that no pupil is shown.")
        self.prompt_label.setStyleSheet(
            f"color: {TONES['clear'].fg.name()}; font-size: 12pt; font-weight: 600;"
        )
        self.help_label.setText(f"Confirmed by {record.no_people_by_who} on {when}.")
        self.help_label.setToolTip(f"Login: {record.no_people_by}")
        self.confirm_button.setText("✓ No pupil is shown")
        self.confirm_button.setChecked(True)
        self.confirm_button.setEnabled(False)
        self.confirm_button.setToolTip("")

    def set_enabled_answer(self, enabled: bool) -> None:
        if not self.confirm_button.isChecked() and not self.confirm_button.isHidden():
            self.confirm_button.setEnabled(enabled)

    @Slot()
    def _on_confirm_button_clicked(self) -> None:
        self.confirm_button.setChecked(False)  # checked once the answer is saved
        self.confirm_requested.emit()
