"""The ``desk`` fixture (see ``tests.moderation.helpers``)."""

from tests.moderation.helpers import desk

__all__ = ["desk"]
