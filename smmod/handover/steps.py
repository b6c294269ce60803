"""The database side of applying a handover, one step per function, inside one session.

Each function changes one kind of thing and audits it; ``HandoverService.apply`` runs
them in order inside a single transaction, with the keyring staged around them (see
``staging``). None of them commits.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from smmod import audit
from smmod import formatting as fmt
from smmod.accounts import credential_subject, subject
from smmod.accounts.reading import is_current
from smmod.errors import ConflictError
from smmod.handover.checks import effective_new_people
from smmod.handover.records import CLOSE_STEPS, HeldAccount, Holdings, Plan
from smmod.identity import Actor
from smmod.store.models import (
    Account,
    AccountRole,
    Credential,
    CredentialRotation,
    HandoverAccount,
    HandoverTask,
    QueueItem,
    Staff,
)
from smmod.store.models.moderation import Incident

CHANGED = "changed elsewhere since the handover was checked; reopen it and review again"


@dataclass(frozen=True)
class Step:
    """What every step needs: the session, who acts, the plan and when."""

    session: Session
    actor: Actor
    held: Holdings
    plan: Plan
    handover_id: int
    now: datetime
    today: date
    names: Mapping[int, str]

    @property
    def reason(self) -> str:
        return (f"handover #{self.handover_id}: {self.held.person.name} leaving on "
                f"{fmt.day(self.plan.leaving_on)}")

    def record(self, action: str, subject_: str, details: dict[str, object]) -> None:
        audit.record(self.session, actor=self.actor.username, action=action, subject=subject_,
                     reason=self.reason, details={**details, "handover": self.handover_id})


def _account(step: Step, held: HeldAccount, *, first_touch: bool) -> Account:
    """The account row; on first touch it must still be the version the plan was checked on."""
    account = step.session.get(Account, held.account_id)
    if account is None or (first_touch and account.version_id != held.version_id):
        raise ConflictError(f"{held.shown} was {CHANGED}")
    return account


def transfer_roles(step: Step) -> None:
    """End the leaver's roles on the leaving date; start the new people's on it."""
    leaving_on = step.plan.leaving_on
    departing_id = step.held.person.staff_id
    for held in step.held.accounts:
        decision = step.plan.decision(held.account_id)
        account = _account(step, held, first_touch=True)
        current = [r for r in account.roles if is_current(r, step.today)]
        ended = []
        for role in current:
            if role.staff_id == departing_id:
                role.to_on = min(role.to_on or leaving_on, leaving_on)
                ended.append(role.role)
        added = effective_new_people(held, decision)
        for role_name, staff_id in added:
            same = [r for r in current if r.staff_id == staff_id]
            if any(r.role == role_name for r in same):
                continue  # already holds it
            if role_name == "lead":  # a runner promoted to lead stops being a runner
                for r in same:
                    if r.role == "runner":
                        r.to_on = leaving_on
            if role_name == "runner" and any(r.role == "lead" for r in same):
                continue
            account.roles.append(AccountRole(staff_id=staff_id, role=role_name,
                                             from_on=leaving_on))
        flag_modified(account, "handle")  # roles alone do not move the account's version
        step.session.flush()
        if decision.action == "transfer":
            step.record("account.transfer", subject(held.account_id), {
                "from": step.held.person.username, "roles_ending": ended,
                "ending_on": leaving_on.isoformat(),
                **{f"new_{role}": step.names.get(sid) for role, sid in added}})


def close_accounts(step: Step) -> None:
    for held in step.held.accounts:
        decision = step.plan.decision(held.account_id)
        if decision.action != "close":
            continue
        account = _account(step, held, first_touch=False)
        reason = decision.close_reason.strip() or step.reason
        account.status = "closed"
        account.closed_by = step.actor.staff_id
        account.closed_at = step.now
        account.closed_reason = reason
        step.session.flush()
        steps = {}
        if held.needs_checklist:
            for name, _label in CLOSE_STEPS:
                state = decision.step(name)
                steps[name] = ("done" if state.state == "done"
                               else f"deferred to {state.due_on.isoformat()}"
                               if state.due_on else "deferred")
        step.record("account.close", subject(held.account_id),
                    {"status": "closed", "closed_reason": reason, "checklist": steps})


def rotate_credentials(step: Step, rotate_by: date) -> list[int]:
    """Record each rotation as pending: someone must still change it on the platform."""
    rotation_ids = []
    for known in step.held.credentials:
        credential = step.session.get(Credential, known.credential_id)
        if credential is None or credential.version_id != known.version_id:
            raise ConflictError(f"the password for {known.login_name} on "
                                f"{known.account_shown} was {CHANGED}")
        credential.rotated_at, credential.rotated_by = step.now, step.actor.staff_id
        credential.rotate_by = rotate_by
        rotation = CredentialRotation(credential_id=credential.id, at=step.now,
                                      by_staff_id=step.actor.staff_id, status="pending")
        step.session.add(rotation)
        step.session.flush()
        rotation_ids.append(rotation.id)
        step.record("credential.rotate", credential_subject(credential.account_id, credential.id),
                    {"login_name": credential.login_name, "kind": credential.kind,
                     "rotate_by": rotate_by.isoformat(), "pending": True})
    return rotation_ids


def reassign_work(step: Step) -> None:
    departing_id = step.held.person.staff_id
    for held_item in step.held.items:
        item = step.session.get(QueueItem, held_item.item_id)
        if (item is None or item.version_id != held_item.version_id
                or item.claimed_by != departing_id):
            raise ConflictError(f"queue item #{held_item.item_id} was {CHANGED}")
        target = step.plan.items[held_item.item_id]
        item.claimed_by, item.claimed_at = target, step.now
        step.record("queue.reassign", f"queue_item:{item.id}",
                    {"from": step.held.person.username, "to": step.names.get(target)})
    for held_incident in step.held.incidents:
        incident = step.session.get(Incident, held_incident.incident_id)
        if (incident is None or incident.version_id != held_incident.version_id
                or incident.lead_id != departing_id):
            raise ConflictError(f"{held_incident.label} was {CHANGED}")
        target = step.plan.incidents[held_incident.incident_id]
        incident.lead_id = target
        step.record("incident.reassign", f"incident:{incident.id}",
                    {"from": step.held.person.username, "to": step.names.get(target)})
    step.session.flush()


def retire_access(step: Step) -> list[str]:
    """The leaving date goes on their record; their access to passwords ends now (R5)."""
    person = step.held.person
    staff = step.session.get(Staff, person.staff_id)
    if staff is None or staff.version_id != person.version_id:
        raise ConflictError(f"{person.name}'s staff record was {CHANGED}")
    staff.leaving_on = step.plan.leaving_on
    removed = [r.role for r in staff.roles if r.role == "administrator"]
    staff.roles = [r for r in staff.roles if r.role != "administrator"]
    flag_modified(staff, "name")
    step.session.flush()
    step.record("staff.handover", f"staff:{staff.id}", {
        "leaving_on": step.plan.leaving_on.isoformat(), "roles_removed": removed,
        "reveal_access": "ended"})
    return removed


def record_outcomes(step: Step) -> None:
    for held in step.held.accounts:
        decision = step.plan.decision(held.account_id)
        outcome = "closed" if decision.action == "close" else "transferred"
        added = ", ".join(f"new {role}: {step.names.get(sid)}"
                          for role, sid in effective_new_people(held, decision))
        step.session.add(HandoverAccount(handover_id=step.handover_id,
                                         account_id=held.account_id, outcome=outcome,
                                         summary=added if outcome == "transferred"
                                         else decision.close_reason.strip()))
        if outcome == "closed" and held.needs_checklist:
            for name, _label in CLOSE_STEPS:
                state = decision.step(name)
                step.session.add(HandoverTask(
                    handover_id=step.handover_id, account_id=held.account_id, step=name,
                    state=state.state, due_on=state.due_on,
                    done_at=step.now if state.state == "done" else None,
                    done_by=step.actor.staff_id if state.state == "done" else None))
    step.session.flush()


def staff_names(session: Session) -> dict[int, str]:
    return {i: n for i, n in session.execute(select(Staff.id, Staff.name))}

