"""The account register with its approval workflow (R1–R4) and the credential vault (R5)."""

from smmod.accounts.credentials import CredentialService, credential_subject
from smmod.accounts.records import (
    CREDENTIAL_KINDS,
    STATUS_LABELS,
    VISIBILITIES,
    AccountFilter,
    AccountInput,
    AccountRecord,
    CredentialRecord,
    EarlierPassword,
    HistoryEntry,
    Person,
    Problem,
    Reminder,
    RotationRecord,
)
from smmod.accounts.rules import AccountRulesError
from smmod.accounts.service import AccountService, subject

__all__ = [
    "CREDENTIAL_KINDS",
    "STATUS_LABELS",
    "VISIBILITIES",
    "AccountFilter",
    "AccountInput",
    "AccountRecord",
    "AccountRulesError",
    "AccountService",
    "CredentialRecord",
    "CredentialService",
    "EarlierPassword",
    "HistoryEntry",
    "Person",
    "Problem",
    "Reminder",
    "RotationRecord",
    "credential_subject",
    "subject",
]
