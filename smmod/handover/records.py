"""What the handover service hands out and takes in: plain, frozen dataclasses.

A ``Plan`` is what the wizard has chosen so far. It is saved as JSON on the handover row
so a half-finished handover can be resumed, and so it never carries a secret: the new
passwords are passed to ``apply`` separately and only ever reach the keyring.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from smmod.accounts.records import Person
from smmod.handover.tokens import TOKEN_STEPS, HeldConnection, TokenOutcome
from smmod.platforms import handle_label, readable_handle_label

ACTIONS = ("transfer", "close")
# The closure checklist (R6). Each step is ticked, or deferred with a due date.
CLOSE_STEPS: tuple[tuple[str, str], ...] = (
    ("archive", "Download the archive of the account's content"),
    ("notice", "Post a closing notice on the account"),
    ("platform", "Delete or deactivate the account on the platform"),
    ("website", "Remove the account from the school website"),
)
# What someone does on the platform after a rotation; confirming it ends "pending".
PLATFORM_STEPS: tuple[tuple[str, str], ...] = (
    ("password", "Change the password on the platform to the new one"),
    ("admin_role", "Remove {name}'s admin role on the platform"),
    ("recovery", "Change the recovery email and phone number"),
    ("two_factor", "Move two-factor authentication to a device the school keeps"),
)
STEP_LABELS = dict(CLOSE_STEPS + TOKEN_STEPS)


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value else None


class _AccountShown:
    """For a record whose ``account_label`` is the machine form of ``--json``."""

    account_label: str

    @property
    def account_shown(self) -> str:
        """``account_label`` as people read it: "brookfieldprimary (Facebook)"."""
        return readable_handle_label(self.account_label)


# -- what the departing person holds ---------------------------------------------------
@dataclass(frozen=True)
class Departing:
    staff_id: int
    name: str
    username: str
    roles: frozenset[str]
    leaving_on: date | None
    active: bool
    version_id: int


@dataclass(frozen=True)
class HeldAccount:
    account_id: int
    platform: str
    handle: str
    status: str
    roles: tuple[str, ...]  # what the departing person is on it: lead, runner, administrator
    others: tuple[Person, ...]  # everyone else named on it today
    version_id: int

    @property
    def label(self) -> str:
        return f"{self.handle} ({self.platform})"  # machine form (handover --json)

    @property
    def shown(self) -> str:
        """As people read it: "brookfieldprimary (Facebook)"."""
        return handle_label(self.platform, self.handle)

    @property
    def live(self) -> bool:
        """Approved or active: R2 and R4 must hold after the handover."""
        return self.status in ("approved", "active")

    @property
    def needs_checklist(self) -> bool:
        """Only an account that exists on the platform has anything to close there."""
        return self.status == "active"

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.account_id, "account": self.label, "platform": self.platform,
                "handle": self.handle, "status": self.status, "roles": list(self.roles),
                "others": [p.to_dict() for p in self.others]}


@dataclass(frozen=True)
class KnownCredential(_AccountShown):
    """A credential the departing person knew or could have read, and why we think so."""

    credential_id: int
    account_id: int
    account_label: str
    platform: str
    login_name: str
    kind: str
    rotated_at: datetime | None
    reasons: tuple[str, ...]
    version_id: int

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.credential_id, "account_id": self.account_id,
                "account": self.account_label, "login_name": self.login_name,
                "kind": self.kind, "rotated_at": _iso(self.rotated_at),
                "why": list(self.reasons)}


@dataclass(frozen=True)
class ClaimedItem(_AccountShown):
    item_id: int
    account_id: int
    account_label: str
    author: str
    excerpt: str
    status: str
    due_at: datetime
    version_id: int

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.item_id, "account": self.account_label, "author": self.author,
                "excerpt": self.excerpt, "status": self.status, "due_at": _iso(self.due_at)}


@dataclass(frozen=True)
class LedIncident:
    incident_id: int
    title: str
    status: str
    version_id: int

    @property
    def label(self) -> str:
        return f"Incident #{self.incident_id}: {self.title}"

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.incident_id, "title": self.title, "status": self.status}


@dataclass(frozen=True)
class Holdings:
    """Everything a departure touches, as of one moment."""

    person: Departing
    accounts: tuple[HeldAccount, ...]
    credentials: tuple[KnownCredential, ...]
    items: tuple[ClaimedItem, ...]
    incidents: tuple[LedIncident, ...]
    connections: tuple[HeldConnection, ...] = ()  # platform connections the leaver made

    def reconnect_lines(self) -> list[str]:
        """"Reconnect @x (mastodon) (connected by Riley)": the plan's token steps."""
        return [c.line for c in self.connections]

    def account(self, account_id: int) -> HeldAccount | None:
        return next((a for a in self.accounts if a.account_id == account_id), None)

    def basis(self) -> dict[str, Any]:
        """Version ids of everything held, to notice later that something changed."""
        return {
            "staff": self.person.version_id,
            "accounts": {str(a.account_id): [a.version_id, list(a.roles), a.label]
                         for a in self.accounts},
            "credentials": {str(c.credential_id): c.version_id for c in self.credentials},
            "items": {str(i.item_id): i.version_id for i in self.items},
            "incidents": {str(i.incident_id): i.version_id for i in self.incidents},
        }

    def to_dict(self) -> dict[str, Any]:
        p = self.person
        return {
            "staff": {"id": p.staff_id, "name": p.name, "username": p.username,
                      "roles": sorted(p.roles), "leaving_on": _iso(p.leaving_on)},
            "accounts": {role: [a.to_dict() for a in self.accounts if role in a.roles]
                         for role in ("lead", "runner", "administrator")},
            "credentials": [c.to_dict() for c in self.credentials],
            "claimed_items": [i.to_dict() for i in self.items],
            "incidents": [i.to_dict() for i in self.incidents],
            "reconnect": [c.to_dict() for c in self.connections],
        }


@dataclass(frozen=True)
class Candidate:
    """Someone who might take something over, with why they may not (R4)."""

    staff_id: int
    name: str
    username: str
    roles: frozenset[str]
    eligible: bool
    reasons: tuple[str, ...]
    is_staff: bool  # volunteers and parent volunteers do not count towards R2
    leaving_on: date | None = None

    @property
    def summary(self) -> str:
        return "eligible" if self.eligible else "; ".join(self.reasons)

    @property
    def can_moderate(self) -> bool:
        return bool(self.roles & {"moderator", "slt", "administrator"})

    @property
    def is_slt(self) -> bool:
        return "slt" in self.roles


# -- the plan --------------------------------------------------------------------------
@dataclass(frozen=True)
class StepState:
    """One closure step: "done", "deferred" (with ``due_on``), or "" while undecided."""

    step: str
    state: str = ""
    due_on: date | None = None


@dataclass(frozen=True)
class AccountDecision:
    account_id: int
    action: str = ""  # "" until chosen, then "transfer" or "close"
    new_lead: int | None = None
    new_runner: int | None = None
    new_administrator: int | None = None
    close_reason: str = ""
    steps: tuple[StepState, ...] = tuple(StepState(s) for s, _ in CLOSE_STEPS)

    def step(self, name: str) -> StepState:
        return next((s for s in self.steps if s.step == name), StepState(name))

    def with_step(self, name: str, state: str, due_on: date | None = None) -> AccountDecision:
        steps = tuple(StepState(name, state, due_on) if s.step == name else s
                      for s in self.steps)
        return replace(self, steps=steps)


@dataclass(frozen=True)
class Plan:
    staff_id: int
    leaving_on: date
    accounts: dict[int, AccountDecision] = field(default_factory=dict)
    items: dict[int, int] = field(default_factory=dict)  # queue item id -> staff id
    incidents: dict[int, int] = field(default_factory=dict)  # incident id -> staff id
    override_reason: str = ""

    def decision(self, account_id: int) -> AccountDecision:
        return self.accounts.get(account_id) or AccountDecision(account_id)

    def with_decision(self, decision: AccountDecision) -> Plan:
        return replace(self, accounts={**self.accounts, decision.account_id: decision})

    def to_json(self) -> str:
        return json.dumps({
            "staff_id": self.staff_id, "leaving_on": self.leaving_on.isoformat(),
            "accounts": [{
                "account_id": d.account_id, "action": d.action, "new_lead": d.new_lead,
                "new_runner": d.new_runner, "new_administrator": d.new_administrator,
                "close_reason": d.close_reason,
                "steps": [[s.step, s.state, _iso(s.due_on)] for s in d.steps],
            } for d in self.accounts.values()],
            "items": [[k, v] for k, v in self.items.items()],
            "incidents": [[k, v] for k, v in self.incidents.items()],
            "override_reason": self.override_reason,
        }, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Plan:
        data = json.loads(text)
        accounts = {}
        for d in data.get("accounts", []):
            steps = tuple(StepState(s, st, date.fromisoformat(due) if due else None)
                          for s, st, due in d.get("steps", []))
            accounts[int(d["account_id"])] = AccountDecision(
                int(d["account_id"]), d.get("action", ""), d.get("new_lead"),
                d.get("new_runner"), d.get("new_administrator"), d.get("close_reason", ""),
                steps or AccountDecision(0).steps)
        return cls(int(data["staff_id"]), date.fromisoformat(data["leaving_on"]), accounts,
                   {int(k): int(v) for k, v in data.get("items", [])},
                   {int(k): int(v) for k, v in data.get("incidents", [])},
                   data.get("override_reason", ""))


@dataclass(frozen=True)
class PlanProblem:
    """Why a plan cannot be applied yet; ``where`` is "account:3", "item:7", "plan"…"""

    rule: str
    message: str
    where: str = "plan"
    overridable: bool = False  # R2 shortfalls: an SLT member may override with a reason
    incomplete: bool = False  # nothing chosen yet (as opposed to a wrong choice)

    def __str__(self) -> str:
        return f"{self.rule}: {self.message}"


@dataclass(frozen=True)
class PlanCheck:
    problems: tuple[PlanProblem, ...] = ()

    @property
    def blocking(self) -> tuple[PlanProblem, ...]:
        return tuple(p for p in self.problems if not p.overridable)

    @property
    def needs_override(self) -> tuple[PlanProblem, ...]:
        return tuple(p for p in self.problems if p.overridable)

    def about(self, where: str) -> tuple[PlanProblem, ...]:
        return tuple(p for p in self.problems if p.where == where)


# -- saved handovers and their results ---------------------------------------------------
@dataclass(frozen=True)
class HandoverSummary:
    id: int
    staff_id: int
    staff_name: str
    leaving_on: date
    status: str
    started_by: str | None
    started_at: datetime
    updated_at: datetime
    applied_by: str | None
    applied_at: datetime | None
    override_by: str | None
    override_reason: str | None
    record_file: Path | None
    version_id: int


@dataclass(frozen=True)
class Draft:
    """A saved handover to resume: the plan, what is held now, and what changed since."""

    summary: HandoverSummary
    plan: Plan
    holdings: Holdings
    changes: tuple[str, ...]


@dataclass(frozen=True)
class ApplyResult:
    summary: HandoverSummary
    record_file: Path | None
    rotated: tuple[int, ...]  # credential ids, now awaiting confirmation on the platform
    tokens: tuple[TokenOutcome, ...] = ()  # the leaver's platform tokens, revoked or not


@dataclass(frozen=True)
class PendingRotation(_AccountShown):
    rotation_id: int
    credential_id: int
    account_id: int
    account_label: str
    login_name: str
    rotated_at: datetime
    rotated_by: str | None

    def to_dict(self) -> dict[str, Any]:
        return {"rotation_id": self.rotation_id, "credential_id": self.credential_id,
                "account": self.account_label, "login_name": self.login_name,
                "rotated_at": _iso(self.rotated_at), "rotated_by": self.rotated_by}


@dataclass(frozen=True)
class OutstandingTask(_AccountShown):
    task_id: int
    handover_id: int
    account_id: int
    account_label: str
    step: str
    due_on: date | None
    overdue: bool

    @property
    def label(self) -> str:
        return STEP_LABELS.get(self.step, self.step)


@dataclass(frozen=True)
class RecordLink:
    """A handover record that mentions a staff member or an account."""

    handover_id: int
    staff_name: str
    applied_at: datetime
    outcome: str  # for an account: transferred | closed; for a person: "left"
    path: Path | None


@dataclass(frozen=True)
class RecordDocument:
    """The handover record as HTML, for a renderer (Qt, in the UI) to print to PDF."""

    title: str
    html: str
