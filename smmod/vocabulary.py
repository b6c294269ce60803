"""What each moderation action needs (R8), and the words incidents use (R9).

Shared by the queue and the moderation package (which re-exports it as
``smmod.moderation.vocabulary``).

The rules about required fields live here once, so the service, the dialogs and the
tests agree on them.
"""

from __future__ import annotations

from typing import Final

from smmod.store.models.moderation import (
    ACTION_KINDS,
    INCIDENT_CATEGORIES,
    INCIDENT_STATUSES,
    SEVERITIES,
)

__all__ = [
    "ACTION_KINDS",
    "ACTION_LABELS",
    "AUTHOR_KIND_LABELS",
    "CATEGORY_LABELS",
    "FIRST_RESPONSE_KINDS",
    "FLAG_LABELS",
    "INCIDENT_CATEGORIES",
    "INCIDENT_STATUSES",
    "NOTICE_ALLOWED",
    "NOTICE_REQUIRED",
    "PLATFORM_KINDS",
    "REASON_REQUIRED",
    "SEVERITIES",
    "SEVERITY_LABELS",
    "author_kind_label",
    "flag_label",
]

# R8: every action records its reason; these cannot be recorded without one.
REASON_REQUIRED: Final = frozenset({"hide", "delete", "block", "mute", "report_to_platform", "reopen"})
# R8: a short public statement of exactly why the action was taken.
NOTICE_REQUIRED: Final = frozenset({"delete", "block"})
NOTICE_ALLOWED: Final = frozenset({"hide", "delete", "block"})
# The SLA clock stops at the first of these (R7). Hiding, deleting or blocking is how
# offensive content is dealt with (R8), so it is the response the policy asks for.
FIRST_RESPONSE_KINDS: Final = frozenset({"acknowledge", "reply", "escalate", "hide", "delete", "block"})
# What hiding, deleting and blocking leave the item as (R8); see ``itemstate.refresh_status``.
REMOVAL_STATUS: Final = {"delete": "deleted", "hide": "hidden", "block": "blocked"}
# Done on the platform (by the moderator today, by a connector one day).
PLATFORM_KINDS: Final = frozenset({"reply", "hide", "delete", "block", "mute", "report_to_platform"})

ACTION_LABELS: Final = {
    "acknowledge": "Acknowledged",
    "reply": "Replied",
    "hide": "Hidden",
    "delete": "Deleted",
    "block": "Author blocked",
    "mute": "Author muted",
    "report_to_platform": "Reported to the platform",
    "escalate": "Escalated to an incident",
    "resolve": "Resolved",
    "reopen": "Reopened",
}

CATEGORY_LABELS: Final = {
    "bullying": "Bullying",
    "harassment": "Harassment",
    "defamation": "Defamation",
    "discrimination": "Discrimination or racism",
    "threat_of_violence": "Threat of violence",
    "data_protection_breach": "Data protection breach",
    "copyright": "Copyright",
    "safeguarding": "Safeguarding concern",
    "other": "Other",
}

# Screening flags by their human names (the stored names are for rules and machines).
FLAG_LABELS: Final = {
    "threat": "Threat of violence",
    "discriminatory": "Racist or discriminatory",
    "offensive": "Offensive language",
    "personal_data": "Personal data",
    "names_protected_pupil": "Names a do-not-publish pupil",
    "police_advised_suggested": "Suggests police advised",
    "link": "Contains a link",
    "complaint": "Complaint",
    "inappropriate": "Inappropriate post",
    "spam": "Spam",
    "photo_people": "Photo shows people",
}

SEVERITY_LABELS: Final = {
    "low": "Low",
    "medium": "Medium",
    "high": "High",
    "critical": "Critical",
}

# Screening flags that point at an incident category (a suggestion for the dialog).
FLAG_CATEGORIES: Final = {
    "threat": "threat_of_violence",
    "discriminatory": "discrimination",
    "names_protected_pupil": "safeguarding",
    "personal_data": "data_protection_breach",
    "self_harm": "safeguarding",
    "sexual_content": "safeguarding",
    "abuse_of_pupil": "bullying",
    "abuse_of_staff": "harassment",
}

MAX_REASON: Final = 2_000
MAX_NOTICE: Final = 1_000
MAX_REPLY: Final = 10_000
MAX_NOTE: Final = 20_000


# Who wrote an item (``author_kind``), as people say it.
AUTHOR_KIND_LABELS: Final = {
    "parent": "parent or carer",
    "student": "student",
    "staff": "staff",
    "public": "member of the public",
    "unknown": "author type not known",
}


def author_kind_label(kind: str) -> str:
    """"member of the public" for ``public``; an unknown kind reads as it is stored."""
    return AUTHOR_KIND_LABELS.get(kind, kind)


def flag_label(flag: str) -> str:
    """"Threat of violence" for ``threat``; a flag set by hand reads as it was typed."""
    known = FLAG_LABELS.get(flag)
    if known is not None:
        return known
    words = flag.replace("_", " ").strip()
    return words[:1].upper() + words[1:]
