"""What the moderation and incident services hand out: frozen dataclasses, never ORM rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class ActionRequest:
    """One action on one item, as the moderator filled it in.

    ``version_id`` is the item's version as the moderator saw it: when given, an item
    changed elsewhere meanwhile is a ``ConflictError`` instead of a silent overwrite.
    ``reverses_id`` (reopen only) names the action recorded by mistake.
    """

    item_id: int
    kind: str
    reason: str = ""
    audience_notice: str = ""
    reply_text: str = ""
    template: str | None = None
    version_id: int | None = None
    reverses_id: int | None = None


@dataclass(frozen=True)
class ActionRecord:
    id: int
    item_id: int
    kind: str
    actor_id: int
    actor_name: str
    at: datetime
    reason: str | None
    audience_notice: str | None
    reply_text: str | None
    template: str | None
    performed_via: str
    platform_ref: str | None
    reverses_id: int | None
    incident_id: int | None
    reversed_by: int | None = None  # the reopen that reversed this action, if any

    @property
    def reversed(self) -> bool:
        return self.reversed_by is not None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "item_id": self.item_id,
            "kind": self.kind,
            "actor": self.actor_name,
            "at": self.at.isoformat(),
            "reason": self.reason,
            "audience_notice": self.audience_notice,
            "reply_text": self.reply_text,
            "template": self.template,
            "performed_via": self.performed_via,
            "reverses_id": self.reverses_id,
            "incident_id": self.incident_id,
            "reversed_by": self.reversed_by,
        }


@dataclass(frozen=True)
class ActionOutcome:
    """A recorded action and what the moderator still has to do on the platform."""

    record: ActionRecord
    performed_on_platform: bool
    message: str  # e.g. "Delete the comment on Facebook yourself, then …"


@dataclass(frozen=True)
class BulkOutcome:
    recorded: int
    skipped: tuple[int, ...] = ()  # items left alone (already answered or resolved)
    clocks_stopped: int = 0


@dataclass(frozen=True)
class ItemContext:
    """What a dialog needs to know about an item to prefill texts and labels."""

    item_id: int
    version_id: int
    platform: str
    account_label: str
    account_handle: str
    author_name: str
    author_handle: str | None
    author_kind: str
    kind: str
    status: str
    text: str
    received_at: datetime
    first_response_at: datetime | None
    flags: tuple[str, ...]
    incident_ids: tuple[int, ...]  # open incidents holding this item
    account_id: int


@dataclass(frozen=True)
class FlagExplanation:
    """One flag on an item and exactly why it is there."""

    flag: str
    source: str  # "manual" or "rule:<id>"
    rule_id: str | None
    rule_name: str | None
    matched: tuple[str, ...]
    spans: tuple[tuple[int, int], ...]
    marked_wrong: bool = False
    why: str = ""  # set by something other than a rule: what it found, in words
    image_check_id: int | None = None  # a photo's flag: the image check that found the people


@dataclass(frozen=True)
class PhotoNote:
    """A photo attached to the item: its image check and the faces in it, or why it was
    not checked (too large, not an image, not found)."""

    image_check_id: int | None
    faces: int | None
    note: str | None


@dataclass(frozen=True)
class ItemScreening:
    flags: tuple[FlagExplanation, ...]
    suggestions: tuple[str, ...]  # "action" or "action:template", in rule order
    police_suggested: bool
    wrong: tuple[FlagExplanation, ...] = ()  # flags a moderator marked as wrong
    photos: tuple[PhotoNote, ...] = ()  # photos attached to the comment (connectors)

    @property
    def suggested_templates(self) -> tuple[str, ...]:
        return tuple(s.split(":", 1)[1] for s in self.suggestions if s.startswith("reply:"))


@dataclass(frozen=True)
class TemplateInfo:
    key: str
    kind: str  # "reply" or "notice"
    title: str
    body: str
    edited: bool  # a school's version from the database, not the shipped file
    shipped_body: str | None
    version_id: int | None


@dataclass(frozen=True)
class RuleInfo:
    """A stored rule with how often it fired and how often it was marked wrong."""

    rule: Any  # smmod.screening.Rule
    position: int
    version_id: int
    hits: int
    marked_wrong: int
    updated_at: datetime | None
    updated_by: str | None

    @property
    def wrong_ratio(self) -> float:
        return self.marked_wrong / self.hits if self.hits else 0.0


@dataclass(frozen=True)
class WordListInfo:
    name: str
    text: str
    edited: bool
    shipped: bool
    version_id: int | None
    terms: int
    used_by: tuple[str, ...]  # rule ids


@dataclass(frozen=True)
class StaffChoice:
    id: int
    name: str


@dataclass(frozen=True)
class EscalationInput:
    item_ids: tuple[int, ...]
    category: str
    severity: str
    lead_id: int
    police_advised: bool
    external_agencies: str = ""
    notes: str = ""
    reason: str = ""
    title: str = ""
    versions: dict[int, int] = field(default_factory=dict)  # item id -> version seen


@dataclass(frozen=True)
class IncidentChanges:
    """SLT edits to an incident's classification (None leaves a field alone)."""

    category: str | None = None
    severity: str | None = None
    police_advised: bool | None = None
    external_agencies: str | None = None
    title: str | None = None


@dataclass(frozen=True)
class IncidentFilter:
    status: str | None = None  # "open" | "closed" | None for both
    category: str | None = None
    lead_id: int | None = None
    text: str = ""


@dataclass(frozen=True)
class IncidentSummary:
    id: int
    title: str
    category: str
    severity: str
    status: str
    police_advised: bool
    police_suggested: bool
    lead_id: int
    lead_name: str
    opened_at: datetime
    opened_by_name: str
    closed_at: datetime | None
    items: int
    version_id: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "category": self.category,
            "severity": self.severity,
            "status": self.status,
            "police_advised": self.police_advised,
            "police_suggested": self.police_suggested,
            "lead": self.lead_name,
            "opened_at": self.opened_at.isoformat(),
            "closed_at": self.closed_at.isoformat() if self.closed_at else None,
            "items": self.items,
        }


@dataclass(frozen=True)
class Evidence:
    """An escalated item as it was at escalation."""

    id: int
    item_id: int | None
    added_at: datetime
    added_by_name: str
    account_label: str
    platform: str
    platform_item_id: str | None
    url: str | None
    author_name: str
    author_handle: str | None
    author_kind: str
    item_kind: str
    text: str
    received_at: datetime
    first_response_at: datetime | None
    flags: tuple[str, ...]
    screening: tuple[dict[str, Any], ...]  # {"rule", "name", "flags", "matched"}


@dataclass(frozen=True)
class NoteRecord:
    id: int
    at: datetime
    author_name: str
    text: str


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    actor: str
    what: str
    detail: str = ""
    item_id: int | None = None
    login: str | None = None  # who, as the audit trail records them (their login)


@dataclass(frozen=True)
class IncidentDetail:
    summary: IncidentSummary
    external_agencies: str
    outcome: str | None
    closed_by_name: str | None
    evidence: tuple[Evidence, ...]
    notes: tuple[NoteRecord, ...]
    actions: tuple[ActionRecord, ...]
    timeline: tuple[TimelineEntry, ...]


@dataclass(frozen=True)
class PoliceSuggestion:
    """R9: screening's suggestion, shown on escalation; a person decides."""

    suggested: bool
    reasons: tuple[str, ...]
    category: str | None  # a suggested incident category, if the flags point to one
