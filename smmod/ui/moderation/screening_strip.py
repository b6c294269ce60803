"""Why the selected item is flagged, what screening suggests, and "this flag is wrong".

Every flag says exactly what matched (the rule and the words). Suggestions are buttons
that open the matching dialog; a person still decides.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMenu, QPushButton, QToolButton, QWidget

from smmod.moderation.records import ItemScreening
from smmod.moderation.vocabulary import flag_label
from smmod.ui.moderation.common import MUTED, flag_line
from smmod.wording import count

MAX_SUGGESTIONS = 4


def suggestion_text(suggestion: str) -> str:
    action, _, template = suggestion.partition(":")
    if action == "reply" and template:
        return f"Reply: {template.replace('_', ' ')}"
    return {"report_to_platform": "Report", "acknowledge": "Acknowledge"}.get(action, action.capitalize())


class ScreeningStrip(QWidget):
    suggestion_chosen = Signal(str)  # "action" or "reply:<template>"
    wrong_flag_chosen = Signal(str)
    image_check_chosen = Signal(int)  # "open the image check" of a photo on the comment

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.why_label = QLabel()
        self.why_label.setObjectName("moderation_why")
        self.why_label.setTextFormat(Qt.TextFormat.RichText)
        self.why_label.setWordWrap(True)
        self.why_label.setOpenExternalLinks(False)
        self.why_label.linkActivated.connect(self._on_why_label_link_activated)
        self.wrong_button = QToolButton()
        self.wrong_button.setObjectName("moderation_wrong_flag")
        self.wrong_button.setText("Wrong flag?")
        self.wrong_button.setToolTip(
            "Mark a screening flag as wrong: it is removed and counted against its rule, so noisy rules show."
        )
        self.wrong_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.wrong_menu = QMenu(self.wrong_button)
        self.wrong_button.setMenu(self.wrong_menu)
        self.suggest_row = QHBoxLayout()
        self.suggest_row.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.why_label, 1)
        row.addLayout(self.suggest_row)
        row.addWidget(self.wrong_button)
        self.show_screening(None)

    def show_screening(self, found: ItemScreening | None, *, problem: str = "") -> None:
        while self.suggest_row.count():
            entry = self.suggest_row.takeAt(0)
            widget = entry.widget() if entry is not None else None
            if widget is not None:
                widget.hide()
                widget.setParent(None)  # gone from the panel now, not at the next event loop
                widget.deleteLater()
        self.wrong_menu.clear()
        if found is None:
            self.why_label.setText(f"<i>Screening unavailable: {html.escape(problem)}</i>" if problem else "")
            self.wrong_button.hide()
            return
        photos = photo_lines(found)
        if found.flags:
            lines = " &nbsp;·&nbsp; ".join("⚑ " + html.escape(flag_line(f)) for f in found.flags)
            self.why_label.setText(f"<span style='color:#7a4800'>{lines}</span>{photos}")
        else:
            self.why_label.setText(
                "<span style='color:palette(placeholder-text)'>No screening flags on this item.</span>"
                + photos
            )
        rule_flags = sorted({f.flag for f in found.flags if f.rule_id})
        for flag in rule_flags:
            action = self.wrong_menu.addAction(f"“{flag_label(flag)}” is wrong here…")
            action.setData(flag)
            action.triggered.connect(lambda _c=False, f=flag: self.wrong_flag_chosen.emit(f))
        self.wrong_button.setVisible(bool(rule_flags))
        if found.suggestions:
            label = QLabel("Suggested:")
            label.setStyleSheet(MUTED)
            self.suggest_row.addWidget(label)
            label.show()
        for suggestion in found.suggestions[:MAX_SUGGESTIONS]:
            button = QPushButton(suggestion_text(suggestion))
            button.setObjectName(f"suggestion_{suggestion.replace(':', '_')}")
            button.setAutoDefault(False)
            button.setStyleSheet("QPushButton { padding: 2px 8px; }")
            button.clicked.connect(lambda _c=False, s=suggestion: self.suggestion_chosen.emit(s))
            self.suggest_row.addWidget(button)
            button.show()  # the strip may already be visible: new children start hidden

    @Slot(str)
    def _on_why_label_link_activated(self, link: str) -> None:
        kind, _, value = link.partition(":")
        if kind == "image-check" and value.isdigit():
            self.image_check_chosen.emit(int(value))


def photo_lines(found: ItemScreening) -> str:
    """One line a photo on the comment: its faces and a link to its image check, or why
    it was not checked."""
    lines = []
    for n, photo in enumerate(found.photos, start=1):
        name = "Photo" if len(found.photos) == 1 else f"Photo {n}"
        if photo.image_check_id is None:
            lines.append(f"📷 {name}: {html.escape(photo.note or 'not checked')}")
            continue
        faces = count(photo.faces or 0, "face", zero="no face")
        link = f"<a href='image-check:{photo.image_check_id}'>open its image check</a>"
        lines.append(f"📷 {name}: {faces} found · {link}")
    return "".join(f"<br>{line}" for line in lines)
