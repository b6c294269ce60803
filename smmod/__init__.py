"""smmod: school social media moderation, local-first."""

__version__ = "0.1.0"
