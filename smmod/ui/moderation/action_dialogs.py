"""Dialogs that record one action: hide/delete/block/report, a reply, and undo (reopen).

The dialogs only collect what the moderator decided and hand back an ``ActionRequest``;
the action panel runs it through the moderation service, which enforces R8 again.
Platform-side actions say plainly that the moderator does them on the platform and
smmod records them ("Done on Facebook? Record it").
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QWidget,
)

from smmod.moderation.connectors import manual_hint, record_label
from smmod.moderation.records import ActionRequest, FlagExplanation, ItemContext, TemplateInfo
from smmod.moderation.vocabulary import NOTICE_REQUIRED, REASON_REQUIRED
from smmod.ui.moderation.common import (
    MUTED,
    copy_to_clipboard,
    section,
    text_edit,
)
from smmod.ui.moderation.record_dialog import RecordDialog, ReopenDialog

TITLES = {
    "hide": "Hide comment",
    "delete": "Delete comment",
    "block": "Block the author",
    "report_to_platform": "Report to the platform",
}
COMMON_REASONS = (
    "Offensive language",
    "Racist or discriminatory content",
    "Threat or encouragement of violence",
    "Personal information about a pupil, family or member of staff",
    "Names a pupil on the do-not-publish list",
    "Spam or a scam",
    "Bullying or harassment",
    "Repeated abuse after a warning",
)
NOTICE_FOR_FLAG = (
    ("discriminatory", "removed_discriminatory"),
    ("threat", "removed_threat"),
    ("personal_data", "removed_personal_data"),
    ("names_protected_pupil", "removed_personal_data"),
)
Render = Callable[[str], str]


def default_notice(kind: str, flags: Sequence[str], notices: Sequence[TemplateInfo]) -> str | None:
    """The notice template that fits the item's flags best."""
    keys = [t.key for t in notices]
    if kind == "block" and "blocked_author" in keys:
        return "blocked_author"
    for flag, key in NOTICE_FOR_FLAG:
        if flag in flags and key in keys:
            return key
    if "removed_offensive" in keys:
        return "removed_offensive"
    return keys[0] if keys else None


class ActionDialog(RecordDialog):
    """Hide, delete, block or report: a reason (R8), and for delete/block a notice."""

    notice_copied = Signal(str)

    def __init__(
        self,
        kind: str,
        item: ItemContext,
        zone: ZoneInfo,
        *,
        notices: Sequence[TemplateInfo],
        render: Render,
        flags: tuple[FlagExplanation, ...] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(TITLES[kind], item, zone, record_label(item.platform), parent, flags)
        self.kind = kind
        self._render = render
        self.setObjectName(f"action_dialog_{kind}")
        self.reasons = QComboBox()
        self.reasons.setObjectName("common_reasons")
        self.reasons.setAccessibleName("Common reasons")
        self.reasons.addItem("Common reasons…")
        self.reasons.addItems(COMMON_REASONS)
        self.reasons.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.reasons.setMinimumContentsLength(22)
        self.reason = text_edit("reason", "Reason", lines=2)
        self.reason.setPlaceholderText("Why, in a sentence: this is kept with the action.")
        reason_row = QHBoxLayout()
        reason_row.addWidget(section("Reason", required=kind in REASON_REQUIRED))
        reason_row.addStretch(1)
        reason_row.addWidget(self.reasons)
        self.body.addLayout(reason_row)
        self.body.addWidget(self.reason)
        self.notice = text_edit("audience_notice", "Audience notice", lines=4)
        self.templates = QComboBox()
        # On a row of its own, as wide as the dialog: a title is never cut (the popup
        # list is as wide as the longest title, and each title is its own tooltip).
        self.templates.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.templates.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.templates.setObjectName("notice_templates")
        self.templates.setAccessibleName("Notice template")
        self.copy_button = QPushButton("Copy notice")
        self.copy_button.setObjectName("copy_notice")
        wants_notice = kind in NOTICE_REQUIRED or kind == "hide"
        if wants_notice:
            for template in notices:
                self.templates.addItem(template.title, template.key)
                self.templates.setItemData(
                    self.templates.count() - 1, template.title, Qt.ItemDataRole.ToolTipRole
                )
            head = QHBoxLayout()
            head.addWidget(section("Audience notice", required=kind in NOTICE_REQUIRED))
            head.addStretch(1)
            head.addWidget(self.copy_button)
            self.body.addLayout(head)
            chooser = QHBoxLayout()
            template_label = QLabel("&Template:")
            template_label.setBuddy(self.templates)
            chooser.addWidget(template_label)
            chooser.addWidget(self.templates, 1)
            self.body.addLayout(chooser)
            explain = QLabel(
                "A short public statement of exactly why (R8). Edit it as you need; "
                "it is copied to the clipboard ready to paste."
                if kind in NOTICE_REQUIRED
                else "Optional for hiding: a public statement, if you post one."
            )
            explain.setStyleSheet(MUTED)
            explain.setWordWrap(True)
            self.body.addWidget(explain)
            self.body.addWidget(self.notice)
            chosen = default_notice(kind, item.flags, notices) if kind in NOTICE_REQUIRED else None
            if chosen is not None:
                self.templates.setCurrentIndex(self.templates.findData(chosen))
                self.notice.setPlainText(render(chosen))
            elif kind == "hide":
                self.templates.insertItem(0, "No notice", None)
                self.templates.setCurrentIndex(0)
            self.templates.currentIndexChanged.connect(self._on_templates_current_changed)
            self._on_templates_current_changed(self.templates.currentIndex())
        self.set_hint(manual_hint(kind, item.platform))
        self.reasons.activated.connect(self._on_reasons_activated)
        self.reason.textChanged.connect(self._update)
        self.notice.textChanged.connect(self._update)
        self.templates.activated.connect(self._on_templates_activated)
        self.copy_button.clicked.connect(self._on_copy_clicked)
        self._update()
        self.guard_typing(self.reason)

    def request(self) -> ActionRequest:
        return ActionRequest(
            self.item.item_id,
            self.kind,
            reason=self.reason.toPlainText(),
            audience_notice=self.notice.toPlainText(),
            template=self.templates.currentData() if self.notice.toPlainText() else None,
            version_id=self.item.version_id,
        )

    def copy_notice(self) -> str:
        text = self.notice.toPlainText().strip()
        if text:
            copy_to_clipboard(text)
            self.notice_copied.emit(text)
        return text

    def accept(self) -> None:  # QDialog.accept
        if self.record_button.isEnabled() and not self.sends:
            self.copy_notice()
        super().accept()

    @Slot()
    def _update(self) -> None:
        missing = []
        if self.kind in REASON_REQUIRED and not self.reason.toPlainText().strip():
            missing.append("a reason")
        if self.kind in NOTICE_REQUIRED and not self.notice.toPlainText().strip():
            missing.append("an audience notice")
        self.set_missing(missing)
        self.copy_button.setEnabled(bool(self.notice.toPlainText().strip()))

    @Slot(int)
    def _on_reasons_activated(self, index: int) -> None:
        if index > 0:
            self.reason.setPlainText(self.reasons.itemText(index))
            self.reasons.setCurrentIndex(0)
            self.reason.setFocus()

    @Slot(int)
    def _on_templates_activated(self, _index: int) -> None:
        key = self.templates.currentData()
        self.notice.setPlainText(self._render(key) if key else "")

    @Slot(int)
    def _on_templates_current_changed(self, index: int) -> None:
        self.templates.setToolTip(self.templates.itemText(index))

    @Slot()
    def _on_copy_clicked(self) -> None:
        self.copy_notice()


class ReplyDialog(RecordDialog):
    """A reply from a template (R10), filled in, editable, copied to paste."""

    def __init__(
        self,
        item: ItemContext,
        zone: ZoneInfo,
        *,
        replies: Sequence[TemplateInfo],
        render: Render,
        suggested: Sequence[str] = (),
        preselect: str | None = None,
        flags: tuple[FlagExplanation, ...] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            f"Reply to {item.author_name}", item, zone, record_label(item.platform), parent, flags
        )
        self.setObjectName("reply_dialog")
        self._render = render
        self.templates = QComboBox()
        self.templates.setObjectName("reply_templates")
        self.templates.setAccessibleName("Reply template")
        ordered = sorted(replies, key=lambda t: (t.key not in suggested, t.title.casefold()))
        self.templates.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        for template in ordered:
            label = template.title + ("  ★ suggested" if template.key in suggested else "")
            self.templates.addItem(label, template.key)
            self.templates.setItemData(self.templates.count() - 1, label, Qt.ItemDataRole.ToolTipRole)
        self.templates.addItem("Write my own", None)
        self.text = text_edit("reply_text", "Reply text", lines=6)
        self.copy_button = QPushButton("Copy reply")
        self.copy_button.setObjectName("copy_reply")
        head = QHBoxLayout()
        head.addWidget(section("Template"))
        head.addWidget(self.templates, 1)
        self.body.addLayout(head)
        text_head = QHBoxLayout()
        text_head.addWidget(section("Reply", required=True))
        text_head.addStretch(1)
        text_head.addWidget(self.copy_button)
        self.body.addLayout(text_head)
        self.body.addWidget(self.text)
        note = QLabel(
            "The school's name, the account and the author's name are filled in. "
            "A reply stops the response clock (R7)."
        )
        note.setStyleSheet(MUTED)
        note.setWordWrap(True)
        self.body.addWidget(note)
        self.set_hint(manual_hint("reply", item.platform))
        first = preselect if preselect is not None else (suggested[0] if suggested else None)
        index = self.templates.findData(first) if first else 0
        self.templates.setCurrentIndex(max(index, 0))
        self._on_templates_activated(self.templates.currentIndex())
        self.templates.activated.connect(self._on_templates_activated)
        self.templates.currentTextChanged.connect(self.templates.setToolTip)
        self.templates.setToolTip(self.templates.currentText())
        self.text.textChanged.connect(self._update)
        self.copy_button.clicked.connect(self._on_copy_clicked)
        self._update()
        self.guard_typing(self.text)

    def request(self) -> ActionRequest:
        return ActionRequest(
            self.item.item_id,
            "reply",
            reply_text=self.text.toPlainText(),
            template=self.templates.currentData(),
            version_id=self.item.version_id,
        )

    def accept(self) -> None:  # QDialog.accept
        if self.record_button.isEnabled() and not self.sends:
            copy_to_clipboard(self.text.toPlainText().strip())
        super().accept()

    @Slot()
    def _update(self) -> None:
        text = self.text.toPlainText().strip()
        self.set_missing([] if text else ["the reply text"])
        self.copy_button.setEnabled(bool(text))

    @Slot(int)
    def _on_templates_activated(self, _index: int) -> None:
        key = self.templates.currentData()
        self.text.setPlainText(self._render(key) if key else "")

    @Slot()
    def _on_copy_clicked(self) -> None:
        copy_to_clipboard(self.text.toPlainText().strip())


__all__ = ["ActionDialog", "ReopenDialog", "ReplyDialog", "default_notice"]
