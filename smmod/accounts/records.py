"""What the account register hands out: plain, frozen dataclasses, never ORM rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from smmod.platforms import handle_label
from smmod.staff.eligibility import Eligibility

VISIBILITIES = ("open", "private")
CREDENTIAL_KINDS = ("password", "token")
# Statuses in which an account is (or is about to be) run for real, so that people
# becoming ineligible puts it at risk and its review date matters.
LIVE_STATUSES = ("approved", "active")
# An account is reviewed a year after it goes live unless someone sets another date.
REVIEW_AFTER_DAYS = 365
STATUS_LABELS = {
    "draft": "Draft",
    "submitted": "Submitted",
    "approved": "Approved",
    "rejected": "Rejected",
    "active": "Active",
    "closed": "Closed",
}


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value else None


@dataclass(frozen=True)
class AccountInput:
    """What a person types into the account form, or one row of an import.

    ``lead``, ``runners`` and ``administrators`` are staff ids. ``visibility`` is None
    until someone has chosen "open" or "private" (R1 needs the choice made).
    """

    platform: str
    handle: str
    url: str = ""
    aim: str = ""
    audience: str = ""
    promotion: str = ""
    visibility: str | None = None
    lead: int | None = None
    runners: tuple[int, ...] = ()
    administrators: tuple[int, ...] = ()
    review_on: date | None = None


@dataclass(frozen=True)
class Problem:
    """One way an account falls short of a policy rule, and what to do about it."""

    rule: str
    message: str

    def __str__(self) -> str:
        return f"{self.rule}: {self.message}"

    def to_dict(self) -> dict[str, str]:
        return {"rule": self.rule, "message": self.message}


@dataclass(frozen=True)
class Person:
    """Someone named on an account, with whether they may run it today (R4)."""

    staff_id: int
    name: str
    username: str
    role: str  # lead | runner | administrator
    eligibility: Eligibility = field(compare=False)
    is_staff: bool = True  # False for volunteers and parent volunteers (R2 counts staff)
    from_on: date | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"username": self.username, "name": self.name, "role": self.role,
                "eligible": self.eligibility.eligible,
                "ineligible_because": list(self.eligibility.reasons)}


@dataclass(frozen=True)
class AccountRecord:
    id: int
    platform: str
    handle: str
    url: str
    status: str
    aim: str
    audience: str
    promotion: str
    visibility: str | None
    review_on: date | None
    people: tuple[Person, ...]
    problems: tuple[Problem, ...]
    at_risk: bool
    review_overdue: bool
    version_id: int
    created_at: datetime
    created_by: str | None = None
    submitted_by: str | None = None
    submitted_by_id: int | None = None
    submitted_at: datetime | None = None
    decided_by: str | None = None
    decided_at: datetime | None = None
    decision_reason: str | None = None
    activated_by: str | None = None
    activated_at: datetime | None = None
    platform_created_on: date | None = None
    attested_by: str | None = None
    attested_at: datetime | None = None
    attestation: str | None = None
    closed_by: str | None = None
    closed_at: datetime | None = None
    closed_reason: str | None = None
    created_by_id: int | None = None
    handover_note: str = ""  # a planned change of people, e.g. "handover to Sam Green on 19 Dec 2026"

    @property
    def label(self) -> str:
        return handle_label(self.platform, self.handle)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)

    @property
    def lead(self) -> Person | None:
        return next((p for p in self.people if p.role == "lead"), None)

    @property
    def runners(self) -> tuple[Person, ...]:
        return tuple(p for p in self.people if p.role == "runner")

    @property
    def administrators(self) -> tuple[Person, ...]:
        return tuple(p for p in self.people if p.role == "administrator")

    @property
    def risk_text(self) -> str:
        """Why an approved or active account is at risk, in one line."""
        return " ".join(str(p) for p in self.problems if p.rule in ("R2", "R4"))

    def as_input(self) -> AccountInput:
        lead = self.lead
        return AccountInput(
            self.platform, self.handle, self.url, self.aim, self.audience, self.promotion,
            self.visibility, lead.staff_id if lead else None,
            tuple(p.staff_id for p in self.runners),
            tuple(p.staff_id for p in self.administrators), self.review_on,
        )

    def to_dict(self) -> dict[str, Any]:
        lead = self.lead
        return {
            "id": self.id, "platform": self.platform, "handle": self.handle, "url": self.url,
            "status": self.status, "visibility": self.visibility,
            "lead": lead.username if lead else None,
            "runners": [p.username for p in self.runners],
            "administrators": [p.username for p in self.administrators],
            "people": [p.to_dict() for p in self.people],
            "review_on": _iso(self.review_on), "review_overdue": self.review_overdue,
            "at_risk": self.at_risk, "problems": [p.to_dict() for p in self.problems],
            "handover": self.handover_note or None,
            "business_case": {"aim": self.aim, "audience": self.audience,
                              "promotion": self.promotion},
            "submitted_by": self.submitted_by, "submitted_at": _iso(self.submitted_at),
            "decided_by": self.decided_by, "decided_at": _iso(self.decided_at),
            "decision_reason": self.decision_reason,
            "activated_by": self.activated_by, "activated_at": _iso(self.activated_at),
            "platform_created_on": _iso(self.platform_created_on),
            "attested_by": self.attested_by, "attested_at": _iso(self.attested_at),
            "attestation": self.attestation,
            "closed_by": self.closed_by, "closed_at": _iso(self.closed_at),
            "closed_reason": self.closed_reason,
        }


@dataclass(frozen=True)
class AccountFilter:
    status: str | None = None
    platform: str | None = None
    at_risk: bool = False
    text: str = ""


@dataclass(frozen=True)
class HistoryEntry:
    """One line of an account's story, from the audit trail."""

    at: datetime
    actor: str  # the login
    action: str
    summary: str
    reason: str | None
    actor_name: str | None = None  # the staff register's name for the login, if any

    @property
    def who(self) -> str:
        """The person's name, or their login when the register does not know it."""
        return self.actor_name or self.actor


@dataclass(frozen=True)
class CredentialRecord:
    """A credential's metadata. The secret is in the keyring, never here."""

    id: int
    account_id: int
    account_label: str
    login_name: str
    kind: str
    note: str
    keyring_key: str
    created_at: datetime
    created_by: str | None
    rotated_at: datetime | None
    rotated_by: str | None
    rotate_by: date | None
    rotation_state: str  # ok | due | expired | none (no date) | closed (account closed)
    pending_rotation: bool
    version_id: int
    # Why it must be rotated: someone who could read it lost access (issue 15); else None.
    flagged: str | None = None
    account_shown: str = ""  # "@handle (Facebook)", for people; account_label is for JSON

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "account_id": self.account_id, "account": self.account_label,
            "login_name": self.login_name, "kind": self.kind, "note": self.note,
            "created_at": _iso(self.created_at), "created_by": self.created_by,
            "rotated_at": _iso(self.rotated_at), "rotated_by": self.rotated_by,
            "rotate_by": _iso(self.rotate_by), "rotation_state": self.rotation_state,
            "pending_rotation": self.pending_rotation,
        }


@dataclass(frozen=True)
class EarlierPassword:
    """A password replaced within the history period; its value only by a reveal."""

    version: int
    replaced_at: datetime
    set_by: str | None  # who had stored it


@dataclass(frozen=True)
class RotationRecord:
    id: int
    credential_id: int
    at: datetime
    by: str | None
    status: str  # done | pending
    confirmed_at: datetime | None
    confirmed_by: str | None


@dataclass(frozen=True)
class Reminder:
    """A credential to rotate soon, overdue, or rotated but not yet confirmed."""

    credential_id: int
    account_id: int
    account_label: str
    login_name: str
    rotate_by: date | None
    state: str  # expired | due | pending
    message: str

    def to_dict(self) -> dict[str, Any]:
        return {"credential_id": self.credential_id, "account_id": self.account_id,
                "account": self.account_label, "login_name": self.login_name,
                "rotate_by": _iso(self.rotate_by), "state": self.state,
                "message": self.message}
