"""Handovers (R6): when a lead member of staff leaves, pass on everything they hold."""

from smmod.handover.applying import APPLY_STEPS, HandoverRefused
from smmod.handover.records import (
    CLOSE_STEPS,
    PLATFORM_STEPS,
    AccountDecision,
    ApplyResult,
    Candidate,
    Draft,
    HandoverSummary,
    Holdings,
    OutstandingTask,
    PendingRotation,
    Plan,
    PlanCheck,
    PlanProblem,
    RecordDocument,
    RecordLink,
    StepState,
)
from smmod.handover.service import HandoverService, default_plan

__all__ = [
    "APPLY_STEPS",
    "CLOSE_STEPS",
    "PLATFORM_STEPS",
    "AccountDecision",
    "ApplyResult",
    "Candidate",
    "Draft",
    "HandoverRefused",
    "HandoverService",
    "HandoverSummary",
    "Holdings",
    "OutstandingTask",
    "PendingRotation",
    "Plan",
    "PlanCheck",
    "PlanProblem",
    "RecordDocument",
    "RecordLink",
    "StepState",
    "default_plan",
]
