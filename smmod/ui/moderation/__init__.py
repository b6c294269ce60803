"""Moderation widgets: the action panel for the queue, the incidents page, the editors."""

from smmod.ui.moderation.install import install
from smmod.ui.moderation.panel import ActionPanel
from smmod.ui.moderation.registry import ModerationAction, shortcut_rows

__all__ = ["ActionPanel", "ModerationAction", "install", "shortcut_rows"]
