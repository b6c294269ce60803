"""Every window-level action, created once from a registry keyed by an enum.

The menu, the toolbar and the keyboard share one QAction, so a shortcut is defined in
exactly one place and the shortcuts overlay lists them all.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget


class ActionId(StrEnum):
    BACKUP_NOW = "backup_now"
    SETTINGS = "settings"
    QUIT = "quit"
    ABOUT = "about"
    SHORTCUTS = "shortcuts"
    OPEN_LOG_FOLDER = "open_log_folder"


@dataclass(frozen=True)
class ActionSpec:
    text: str
    shortcut: str | QKeySequence.StandardKey | None = None
    tip: str = ""


SPECS: dict[ActionId, ActionSpec] = {
    ActionId.BACKUP_NOW: ActionSpec("&Back up now", "Ctrl+Shift+B", "Back up the database now"),
    ActionId.SETTINGS: ActionSpec("&Settings…", "Ctrl+,", "Change smmod's settings"),
    ActionId.QUIT: ActionSpec("&Quit", QKeySequence.StandardKey.Quit),
    ActionId.ABOUT: ActionSpec("&About smmod"),
    ActionId.SHORTCUTS: ActionSpec("&Keyboard shortcuts", "F1", "Show every keyboard shortcut"),
    ActionId.OPEN_LOG_FOLDER: ActionSpec("Show &log file location"),
}


def create_actions(parent: QWidget) -> dict[ActionId, QAction]:
    actions: dict[ActionId, QAction] = {}
    for action_id, spec in SPECS.items():
        action = QAction(spec.text, parent)
        action.setObjectName(f"action_{action_id}")
        if spec.shortcut is not None:
            action.setShortcut(QKeySequence(spec.shortcut))
        if spec.tip:
            action.setStatusTip(spec.tip)
        parent.addAction(action)
        actions[action_id] = action
    return actions
