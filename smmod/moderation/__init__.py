"""Moderation (R8–R10): actions on queue items, screening on arrival, incidents for SLT."""

from smmod.moderation.actions import ModerationService, validate
from smmod.moderation.connectors import (
    ManualConnector,
    PlatformConnector,
    PlatformOutcome,
    PlatformRequest,
)
from smmod.moderation.incidents import IncidentService
from smmod.moderation.records import (
    ActionOutcome,
    ActionRecord,
    ActionRequest,
    BulkOutcome,
    EscalationInput,
    IncidentChanges,
    IncidentDetail,
    IncidentFilter,
    IncidentSummary,
)
from smmod.moderation.screening import screen_items, screen_parsed

__all__ = [
    "ActionOutcome",
    "ActionRecord",
    "ActionRequest",
    "BulkOutcome",
    "EscalationInput",
    "IncidentChanges",
    "IncidentDetail",
    "IncidentFilter",
    "IncidentService",
    "IncidentSummary",
    "ManualConnector",
    "ModerationService",
    "PlatformConnector",
    "PlatformOutcome",
    "PlatformRequest",
    "screen_items",
    "screen_parsed",
    "validate",
]
