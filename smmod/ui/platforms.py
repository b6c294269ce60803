"""Platform names as people read them: in full, and short where a list is narrow.

The short names (IG, FB, X, YT) are what the queue's account cards and Account column
use; wherever a short name is shown, the full one is in its tooltip.
"""

from __future__ import annotations

from smmod.platforms import PLATFORM_LABELS, platform_label

__all__ = ["PLATFORM_LABELS", "PLATFORM_SHORT", "platform_label", "short_platform",
           "with_platform"]
PLATFORM_SHORT = {
    "facebook": "FB",
    "instagram": "IG",
    "x": "X",
    "youtube": "YT",
    "linkedin": "in",
    "tiktok": "TT",
    "mastodon": "Masto",
    "other": "",
}


def short_platform(platform: str) -> str:
    """``"instagram"`` → "IG"; "" for "other"."""
    return PLATFORM_SHORT.get(platform, platform)


def with_platform(platform: str, handle: str) -> str:
    """``("instagram", "brookfield_pe")`` → "IG brookfield_pe"."""
    return f"{short_platform(platform)} {handle}".strip()
