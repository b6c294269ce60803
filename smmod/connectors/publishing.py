"""What publishing a post through a connector takes and gives, shared by the platforms.

The platform modules (``mastodon/publish.py``, ``graph/publish.py``) do the calls; the
post service (``smmod.posts.publishing``) decides what to send and records the answer.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ImageFile:
    """One image as it goes out: the exported copy (pixelated where that is the verdict)."""

    name: str
    content: bytes
    mime: str

    def __repr__(self) -> str:
        return f"ImageFile(name={self.name!r}, bytes={len(self.content)})"


@dataclass(frozen=True)
class Published:
    """What the platform confirmed: its own id for the post and the post's address."""

    platform_id: str
    url: str
