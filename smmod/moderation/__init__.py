"""Moderation (R8–R10): actions on queue items, screening on arrival, incidents for SLT.

Names are loaded on first use (PEP 562), so that importing the screening rules
(``register_screening``) does not pull in the services, which import the queue.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

_WHERE = {
    "ModerationService": "actions",
    "validate": "actions",
    "IncidentService": "incidents",
    "ManualConnector": "connectors",
    "PlatformConnector": "connectors",
    "PlatformOutcome": "connectors",
    "PlatformRequest": "connectors",
    "ActionOutcome": "records",
    "ActionRecord": "records",
    "ActionRequest": "records",
    "BulkOutcome": "records",
    "EscalationInput": "records",
    "IncidentChanges": "records",
    "IncidentDetail": "records",
    "IncidentFilter": "records",
    "IncidentSummary": "records",
    "screen_items": "screening",
    "screen_parsed": "screening",
}

if TYPE_CHECKING:
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


def register_screening() -> None:
    """Have the queue screen every arriving item with the moderation rules (R8–R10).

    Called at start-up (``open_context``, for the app and the command line) and by the
    tests' fixtures; the queue itself never imports this package.
    """
    from smmod.moderation.screening import SCREENING
    from smmod.queue import screening_hook

    screening_hook.register(SCREENING)


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'smmod.moderation' has no attribute {name!r}")
    return getattr(import_module(f"smmod.moderation.{module}"), name)


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
    "register_screening",
    "screen_items",
    "screen_parsed",
    "validate",
]
