"""The frame every record-an-action dialog shares, and the undo (reopen) dialog.

The frame shows the item, the body, a plain hint about where the action happens and
the record button, which stays disabled until everything R8 needs is filled in: Enter
presses it only then. Each dialog opens with the focus in the field a moderator types
in first, and Escape asks before throwing typing away (``smmod.ui.typing_guard``).
"""

from __future__ import annotations

from collections.abc import Sequence
from zoneinfo import ZoneInfo

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from smmod.moderation.connectors import platform_name
from smmod.moderation.records import ActionRecord, ActionRequest, FlagExplanation, ItemContext
from smmod.moderation.vocabulary import ACTION_LABELS
from smmod.ui.moderation.common import (
    HINT_STYLE,
    MUTED,
    TITLE_STYLE,
    WARN_TEXT,
    ItemBox,
    local_time,
    section,
    text_edit,
)
from smmod.ui.moderation.platform_route import Route
from smmod.ui.typing_guard import TypingGuard


class RecordDialog(QDialog):
    """Shared frame: title, item box, body, the plain hint, and the record button."""

    def __init__(
        self,
        title: str,
        item: ItemContext,
        zone: ZoneInfo,
        record_text: str,
        parent: QWidget | None,
        flags: tuple[FlagExplanation, ...] = (),
    ) -> None:
        super().__init__(parent)
        self.item = item
        self.setWindowTitle(f"{title} — #{item.item_id}")
        self.setMinimumWidth(620)
        heading = QLabel(title)
        heading.setStyleSheet(TITLE_STYLE)
        self.body = QVBoxLayout()
        self.hint = QLabel()
        self.hint.setObjectName("platform_hint")
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet(HINT_STYLE)
        self.hint.hide()
        self.problem = QLabel()
        self.problem.setObjectName("missing_fields")
        self.problem.setStyleSheet(MUTED)
        self.escape_note = QLabel()
        self.escape_note.setObjectName("escape_note")
        self.escape_note.setStyleSheet(WARN_TEXT)
        self.guard: TypingGuard | None = None
        self.sends = False  # True: the action goes to the platform through its connector
        # Made with the dialog as parent, so the dialog knows its default button (Enter)
        # from the start instead of picking the first button it finds when shown.
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.record_button = QPushButton(record_text, self)
        self.record_button.setObjectName("record_button")
        self.record_button.setDefault(True)
        self.buttons.addButton(self.record_button, QDialogButtonBox.ButtonRole.AcceptRole)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(ItemBox(item, zone, flags=flags))
        layout.addLayout(self.body)
        layout.addWidget(self.hint)
        row = QHBoxLayout()
        notes = QVBoxLayout()
        notes.addWidget(self.problem)
        notes.addWidget(self.escape_note)
        row.addLayout(notes, 1)
        row.addWidget(self.buttons)
        layout.addLayout(row)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

    def guard_typing(self, first: QWidget) -> None:
        """Call last in a subclass: ``first`` gets the focus when the dialog opens."""
        self.guard = TypingGuard(self, first, self.escape_note)

    def set_hint(self, text: str) -> None:
        self.hint.setText(text)
        self.hint.setVisible(bool(text))

    def use_route(self, route: Route) -> None:
        """Sent through the connector ("Reply on Mastodon"), or manual with a line saying why."""
        self.sends = route.send
        if route.send:
            self.record_button.setText(route.button)
            self.set_hint(
                f"smmod does it on {platform_name(route.platform)} for you and records it once "
                f"{platform_name(route.platform)} confirms; until then it waits to be sent."
            )
        elif route.why:
            self.set_hint(f"{route.why} {self.hint.text()}".strip())

    def set_missing(self, missing: list[str]) -> None:
        self.record_button.setEnabled(not missing)
        self.problem.setText("Still needed: " + ", ".join(missing) if missing else "")

    def accept(self) -> None:  # QDialog.accept
        if self.record_button.isEnabled():
            super().accept()


class ReopenDialog(RecordDialog):
    """Undo: reverse one action recorded by mistake, or reopen a resolved item."""

    def __init__(
        self,
        item: ItemContext,
        zone: ZoneInfo,
        *,
        actions: Sequence[ActionRecord],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("Undo or reopen", item, zone, "Reopen", parent)
        self.setObjectName("reopen_dialog")
        self.choices = QButtonGroup(self)
        self.body.addWidget(section("Which action was recorded by mistake?", required=True))
        reversible = [a for a in actions if a.kind not in ("reopen", "escalate") and not a.reversed]
        for action in reversed(reversible):
            why = f" — {action.reason}" if action.reason else ""
            button = QRadioButton(
                f"{ACTION_LABELS.get(action.kind, action.kind)} by "
                f"{action.actor_name}, {local_time(action.at, zone)}{why}"
            )
            button.setObjectName(f"reverse_{action.id}")
            self.choices.addButton(button, action.id)
            self.body.addWidget(button)
        if item.status == "resolved":
            button = QRadioButton("None: reopen the item (it was resolved)")
            button.setObjectName("reverse_none")
            self.choices.addButton(button, 0)
            self.body.addWidget(button)
        if not self.choices.buttons():
            empty = QLabel(
                "Nothing to undo: no action on this item can be reversed. "
                "An escalation stays with its incident (R9)."
            )
            empty.setWordWrap(True)
            empty.setStyleSheet(MUTED)
            self.body.addWidget(empty)
        else:
            self.choices.buttons()[0].setChecked(True)
        self.body.addWidget(section("Reason", required=True))
        self.reason = text_edit("reason", "Reason", lines=2)
        self.body.addWidget(self.reason)
        self.set_hint(
            "Nothing is erased: the original action stays in the history, marked as "
            f"reversed. If it was done on {platform_name(item.platform)}, undo it there too."
        )
        self.reason.textChanged.connect(self._update)
        self.choices.idToggled.connect(lambda _id, _on: self._update())
        self._update()
        self.guard_typing(self.reason)

    def request(self) -> ActionRequest:
        chosen = self.choices.checkedId()
        return ActionRequest(
            self.item.item_id,
            "reopen",
            reason=self.reason.toPlainText(),
            reverses_id=chosen if chosen > 0 else None,
            version_id=self.item.version_id,
        )

    @Slot()
    def _update(self) -> None:
        missing = []
        if self.choices.checkedId() < 0:
            missing.append("the action to undo")
        if not self.reason.toPlainText().strip():
            missing.append("a reason")
        self.set_missing(missing)
