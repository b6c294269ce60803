"""Moderation widgets: the action panel for the queue, the incidents page, the editors."""

from smmod.ui.moderation.install import install
from smmod.ui.moderation.panel import ActionPanel, ModerationAction

__all__ = ["ActionPanel", "ModerationAction", "install"]
