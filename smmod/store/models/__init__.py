"""All models, imported here so that ``Base.metadata`` knows every table.

Each feature area keeps its models in its own module; add the import of a new module
below so migrations and ``alembic check`` see it.
"""

from smmod.store.base import Base
from smmod.store.models.accounts import (
    ACCOUNT_ROLES,
    ACCOUNT_STATUSES,
    PLATFORMS,
    Account,
    AccountRole,
    Credential,
    CredentialRotation,
)
from smmod.store.models.audit import AuditActorKey, AuditEntry
from smmod.store.models.connectors import (
    OUTBOX_STATUSES,
    PHOTO_STATUSES,
    CommentPhoto,
    Connection,
    OutboxEntry,
)
from smmod.store.models.dnp import (
    RESTRICTIONS,
    BiometricConsent,
    FaceConfirmation,
    FaceTemplate,
    ImageCheck,
    ImageExport,
    Pupil,
    ReferencePhoto,
)
from smmod.store.models.handover import (
    HANDOVER_OUTCOMES,
    HANDOVER_STATUSES,
    TASK_STATES,
    Handover,
    HandoverAccount,
    HandoverTask,
)
from smmod.store.models.moderation import (
    ACTION_KINDS,
    INCIDENT_CATEGORIES,
    INCIDENT_STATUSES,
    SEVERITIES,
    Action,
    Incident,
    IncidentEvidence,
    IncidentNote,
    ModerationMeta,
    ReplyTemplate,
    ScreeningMatch,
    ScreeningOverride,
    ScreeningRule,
    ScreeningWordList,
)
from smmod.store.models.policy import PolicySetting
from smmod.store.models.posts import POST_STATUSES, Post, PostAccount, PostImage
from smmod.store.models.queue import (
    QueueCsvMapping,
    QueueFeed,
    QueueFeedSeen,
    QueueItem,
    QueueItemFlag,
    QueueMeta,
)
from smmod.store.models.reports import RETRO_KINDS, AccountCheck, RetroFinding
from smmod.store.models.staff import ROLES, ServerGroup, Staff, StaffJobTitle, StaffRole
from smmod.store.models.vault import (
    VaultKey,
    VaultMember,
    VaultRotationFlag,
    VaultSecret,
    VaultWrap,
)

__all__ = [
    "ACCOUNT_ROLES",
    "ACCOUNT_STATUSES",
    "ACTION_KINDS",
    "HANDOVER_OUTCOMES",
    "HANDOVER_STATUSES",
    "INCIDENT_CATEGORIES",
    "INCIDENT_STATUSES",
    "OUTBOX_STATUSES",
    "PHOTO_STATUSES",
    "PLATFORMS",
    "POST_STATUSES",
    "RESTRICTIONS",
    "RETRO_KINDS",
    "ROLES",
    "SEVERITIES",
    "TASK_STATES",
    "Account",
    "AccountCheck",
    "AccountRole",
    "Action",
    "AuditActorKey",
    "AuditEntry",
    "Base",
    "BiometricConsent",
    "CommentPhoto",
    "Connection",
    "Credential",
    "CredentialRotation",
    "FaceConfirmation",
    "FaceTemplate",
    "Handover",
    "HandoverAccount",
    "HandoverTask",
    "ImageCheck",
    "ImageExport",
    "Incident",
    "IncidentEvidence",
    "IncidentNote",
    "ModerationMeta",
    "OutboxEntry",
    "PolicySetting",
    "Post",
    "PostAccount",
    "PostImage",
    "Pupil",
    "QueueCsvMapping",
    "QueueFeed",
    "QueueFeedSeen",
    "QueueItem",
    "QueueItemFlag",
    "QueueMeta",
    "ReferencePhoto",
    "ReplyTemplate",
    "RetroFinding",
    "ScreeningMatch",
    "ScreeningOverride",
    "ScreeningRule",
    "ScreeningWordList",
    "ServerGroup",
    "Staff",
    "StaffJobTitle",
    "StaffRole",
    "VaultKey",
    "VaultMember",
    "VaultRotationFlag",
    "VaultSecret",
    "VaultWrap",
]
