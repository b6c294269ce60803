"""Posts for the school's accounts: checked as a whole, signed off, published, logged
(issue 19)."""

from smmod.posts.records import (
    BLOCKED,
    CHECKLIST,
    CHECKLIST_KEYS,
    CLEAR,
    REVIEW,
    STATUS_LABELS,
    Draft,
    DraftImage,
    ImageVerdict,
    PostCheck,
    PostRecord,
    Reason,
)
from smmod.posts.service import Package, PostService

__all__ = [
    "BLOCKED",
    "CHECKLIST",
    "CHECKLIST_KEYS",
    "CLEAR",
    "REVIEW",
    "STATUS_LABELS",
    "Draft",
    "DraftImage",
    "ImageVerdict",
    "Package",
    "PostCheck",
    "PostRecord",
    "PostService",
    "Reason",
]
