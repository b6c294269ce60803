"""What the post service takes and returns: drafts, reasons, verdicts and posts (issue 19)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

CLEAR, REVIEW, BLOCKED = "clear", "review", "blocked"
_RANK = {CLEAR: 0, REVIEW: 1, BLOCKED: 2}

#: The policy's Do's and Don'ts, ticked by the author before a post goes out.
CHECKLIST: tuple[tuple[str, str], ...] = (
    ("who_posting", "It is clear who is posting (the school, not a person)"),
    ("copyright", "Copyright is respected and every author is credited"),
    ("confidential", "Nothing confidential is in the text or the images"),
    ("tagging_off", "Tagging is turned off on the platform"),
    ("no_dnp", "No pupil on the do-not-publish list is named or shown"),
    ("slt_if_controversial", "Anything controversial has been checked with SLT"),
)
CHECKLIST_KEYS = tuple(key for key, _ in CHECKLIST)

#: A post's status as people write it (the stored words are for machines and the CLI).
STATUS_LABELS = {
    "draft": "Draft",
    "awaiting_signoff": "Waiting for sign-off",
    "refused": "Refused",
    "ready": "Ready to publish",
    "exported": "Exported",
    "published": "Published",
    "taken_down": "Taken down",
    "deleted": "Deleted",
}
DECISION_LABELS = {"signed_off": "Signed off", "refused": "Refused"}


def worst(verdicts: list[str]) -> str:
    return max(verdicts, key=_RANK.__getitem__, default=CLEAR)


@dataclass(frozen=True)
class DraftImage:
    path: str
    not_ours: bool = False  # the school did not take it: the text needs a credit line
    pixelate: bool = False  # export with the flagged faces pixelated


@dataclass(frozen=True)
class Draft:
    accounts: tuple[str, ...]  # handles
    text: str
    images: tuple[DraftImage, ...] = ()
    controversial: bool = False  # the author thinks it may be
    checklist: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Reason:
    """One finding of the checks: what kind, how serious, and why, in words."""

    kind: str  # dnp_name | pupil_name | tagging | personal_data | screening | link | credit
    # | length | image | checklist | signoff
    verdict: str  # review | blocked
    message: str
    image: str | None = None  # the image's path, for image findings
    suggests_controversial: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "verdict": self.verdict, "message": self.message,
                "image": self.image}


@dataclass(frozen=True)
class ImageVerdict:
    path: str
    verdict: str  # the post's view: clear once pixelating makes it publishable
    check_id: int | None
    check_verdict: str | None  # the image checker's own verdict
    may_pixelate: bool = False
    pixelate: bool = False
    reasons: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "verdict": self.verdict, "check_id": self.check_id,
                "check_verdict": self.check_verdict, "pixelate": self.pixelate,
                "reasons": list(self.reasons)}


@dataclass(frozen=True)
class PostCheck:
    verdict: str
    reasons: tuple[Reason, ...]
    images: tuple[ImageVerdict, ...] = ()
    lengths: dict[str, tuple[int, int | None]] = field(default_factory=dict)  # handle: (used, limit)

    @property
    def suggests_controversial(self) -> bool:
        return any(r.suggests_controversial for r in self.reasons)

    def to_dict(self) -> dict[str, Any]:
        return {"verdict": self.verdict, "reasons": [r.to_dict() for r in self.reasons],
                "images": [i.to_dict() for i in self.images],
                "suggests_controversial": self.suggests_controversial,
                "lengths": {h: {"used": u, "limit": lim} for h, (u, lim) in self.lengths.items()}}


@dataclass(frozen=True)
class PostAddress:
    account: str  # handle
    platform: str
    url: str | None
    recorded_at: datetime | None
    platform_id: str | None = None  # the platform's own id, when smmod published it
    publish_error: str | None = None  # why the last attempt through the connector failed
    taken_down_at: datetime | None = None


@dataclass(frozen=True)
class PostImageRecord:
    path: str
    not_ours: bool
    pixelate: bool
    check_id: int | None
    export_id: int | None
    export_path: str | None
    export_sha256: str | None


@dataclass(frozen=True)
class PostRecord:
    id: int
    text: str
    author: str  # username
    author_id: int
    status: str
    controversial: bool
    suggested: bool
    checklist: frozenset[str]
    verdict: str
    reasons: tuple[Reason, ...]
    accounts: tuple[PostAddress, ...]
    images: tuple[PostImageRecord, ...]
    decision: str | None
    decided_by: str | None
    decision_reason: str | None
    decision_current: bool  # the sign-off or refusal was about this very content
    created_at: datetime
    published_at: datetime | None
    version_id: int
    author_name: str = ""  # the staff member's name, for people; ``author`` is the login
    decided_by_name: str | None = None

    @property
    def status_label(self) -> str:
        """"Waiting for sign-off", "Signed off", "Ready to publish", "Published"…"""
        if self.status == "ready" and self.signed_off:
            return "Signed off"
        return STATUS_LABELS.get(self.status, self.status.replace("_", " ").capitalize())

    @property
    def decision_label(self) -> str | None:
        return DECISION_LABELS.get(self.decision, self.decision) if self.decision else None

    @property
    def needs_signoff(self) -> bool:
        return self.controversial or self.suggested

    @property
    def signed_off(self) -> bool:
        return self.decision == "signed_off" and self.decision_current

    @property
    def checklist_done(self) -> bool:
        return set(CHECKLIST_KEYS) <= self.checklist

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "status": self.status, "author": self.author, "text": self.text,
            "verdict": self.verdict, "reasons": [r.to_dict() for r in self.reasons],
            "controversial": self.controversial, "suggested_controversial": self.suggested,
            "checklist": sorted(self.checklist),
            "signoff": ({"decision": self.decision, "by": self.decided_by,
                         "reason": self.decision_reason, "current": self.decision_current}
                        if self.decision else None),
            "accounts": [{"account": a.account, "platform": a.platform, "url": a.url,
                          "recorded_at": a.recorded_at.isoformat() if a.recorded_at else None,
                          "platform_id": a.platform_id, "publish_error": a.publish_error,
                          "taken_down_at": (a.taken_down_at.isoformat()
                                            if a.taken_down_at else None)}
                         for a in self.accounts],
            "images": [{"path": i.path, "not_ours": i.not_ours, "pixelate": i.pixelate,
                        "check_id": i.check_id, "export_id": i.export_id,
                        "export_path": i.export_path, "export_sha256": i.export_sha256}
                       for i in self.images],
            "created_at": self.created_at.isoformat(),
            "published_at": self.published_at.isoformat() if self.published_at else None,
        }
