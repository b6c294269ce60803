"""Moved to ``smmod.vocabulary`` so that the queue can show these words without
importing the moderation package (layers); kept here for the moderation code."""

from __future__ import annotations

from smmod.vocabulary import (
    ACTION_KINDS,
    ACTION_LABELS,
    AUTHOR_KIND_LABELS,
    CATEGORY_LABELS,
    FIRST_RESPONSE_KINDS,
    FLAG_CATEGORIES,
    FLAG_LABELS,
    INCIDENT_CATEGORIES,
    INCIDENT_STATUSES,
    MAX_NOTE,
    MAX_NOTICE,
    MAX_REASON,
    MAX_REPLY,
    NOTICE_ALLOWED,
    NOTICE_REQUIRED,
    PLATFORM_KINDS,
    REASON_REQUIRED,
    REMOVAL_STATUS,
    SEVERITIES,
    SEVERITY_LABELS,
    author_kind_label,
    flag_label,
)

__all__ = [
    "ACTION_KINDS",
    "ACTION_LABELS",
    "AUTHOR_KIND_LABELS",
    "CATEGORY_LABELS",
    "FIRST_RESPONSE_KINDS",
    "FLAG_CATEGORIES",
    "FLAG_LABELS",
    "INCIDENT_CATEGORIES",
    "INCIDENT_STATUSES",
    "MAX_NOTE",
    "MAX_NOTICE",
    "MAX_REASON",
    "MAX_REPLY",
    "NOTICE_ALLOWED",
    "NOTICE_REQUIRED",
    "PLATFORM_KINDS",
    "REASON_REQUIRED",
    "REMOVAL_STATUS",
    "SEVERITIES",
    "SEVERITY_LABELS",
    "author_kind_label",
    "flag_label",
]
