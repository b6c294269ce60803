"""The moderation actions, created once from a registry keyed by an enum.

Each has its menu text, its button text and its single-key shortcut, so the buttons,
the keyboard and the shortcuts overlay agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget


class ModerationAction(StrEnum):
    ACKNOWLEDGE = "acknowledge"
    REPLY = "reply"
    ESCALATE = "escalate"
    RESOLVE = "resolve"
    HIDE = "hide"
    DELETE = "delete"
    BLOCK = "block"
    REPORT = "report_to_platform"
    UNDO = "reopen"


@dataclass(frozen=True)
class Spec:
    text: str
    button: str
    key: str | None
    bulk: bool = False  # works on a selection of several items


SPECS: dict[ModerationAction, Spec] = {
    ModerationAction.ACKNOWLEDGE: Spec(
        "&Acknowledge (stops the response clock)", "Acknowledge", None, bulk=True
    ),
    ModerationAction.REPLY: Spec("&Reply from a template…", "Reply…", "R"),
    ModerationAction.ESCALATE: Spec("&Escalate to an incident…", "Escalate…", "E", bulk=True),
    ModerationAction.RESOLVE: Spec("Resol&ve (nothing more to do)", "Resolve", "X", bulk=True),
    ModerationAction.HIDE: Spec("&Hide…", "Hide…", "H"),
    ModerationAction.DELETE: Spec("&Delete with a notice…", "Delete…", "D"),
    ModerationAction.BLOCK: Spec("&Block the author…", "Block…", "B"),
    ModerationAction.REPORT: Spec("Re&port to the platform…", "Report…", "P"),
    ModerationAction.UNDO: Spec("&Undo or reopen…", "Undo…", "U"),
}
GROUPS = (
    (
        ModerationAction.ACKNOWLEDGE,
        ModerationAction.REPLY,
        ModerationAction.ESCALATE,
        ModerationAction.RESOLVE,
    ),
    (ModerationAction.HIDE, ModerationAction.DELETE, ModerationAction.BLOCK, ModerationAction.REPORT),
    (ModerationAction.UNDO,),
)
DONE = {
    "hide": "Hidden",
    "delete": "Deleted",
    "block": "Author blocked",
    "report_to_platform": "Reported",
    "reply": "Reply",
    "reopen": "Reopened",
}


def shortcut_rows() -> list[tuple[str, str]]:
    return [(spec.key, spec.text.replace("&", "")) for spec in SPECS.values() if spec.key]


def create_actions(owner: QWidget, *, widget_only: bool) -> dict[ModerationAction, QAction]:
    """One QAction per action on ``owner``; ``widget_only`` keeps single keys to it alone."""
    actions: dict[ModerationAction, QAction] = {}
    for action_id, spec in SPECS.items():
        action = QAction(spec.text, owner)
        action.setObjectName(f"moderation_action_{action_id}")
        if spec.key:
            action.setShortcut(QKeySequence(spec.key))
            action.setShortcutContext(
                Qt.ShortcutContext.WidgetShortcut
                if widget_only
                else Qt.ShortcutContext.WidgetWithChildrenShortcut
            )
        owner.addAction(action)
        actions[action_id] = action
    return actions
