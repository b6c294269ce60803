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
from smmod.store.models.audit import AuditEntry
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
from smmod.store.models.queue import (
    QueueCsvMapping,
    QueueFeed,
    QueueFeedSeen,
    QueueItem,
    QueueItemFlag,
    QueueMeta,
)
from smmod.store.models.staff import ROLES, Staff, StaffRole

__all__ = [
    "ACCOUNT_ROLES",
    "ACCOUNT_STATUSES",
    "PLATFORMS",
    "RESTRICTIONS",
    "ROLES",
    "Account",
    "AccountRole",
    "AuditEntry",
    "BiometricConsent",
    "Base",
    "Credential",
    "CredentialRotation",
    "FaceConfirmation",
    "FaceTemplate",
    "ImageCheck",
    "ImageExport",
    "Pupil",
    "QueueCsvMapping",
    "QueueFeed",
    "QueueFeedSeen",
    "QueueItem",
    "QueueItemFlag",
    "QueueMeta",
    "ReferencePhoto",
    "Staff",
    "StaffRole",
]
