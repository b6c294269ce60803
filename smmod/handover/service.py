"""Handovers (R6): start, save, resume, discard, and the lists the app shows afterwards.

Applying one is in ``applying.py``; this module keeps the saved drafts and reads what
a departure touches. Every change is audited; a draft never holds a secret.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from smmod import audit
from smmod import formatting as fmt
from smmod.accounts.credentials import deletion_confirmed
from smmod.errors import ConflictError, InputError, NotFound, PolicyError
from smmod.handover import inventory
from smmod.handover.applying import Checkpoint, Renderer, apply_handover, write_pdf
from smmod.handover.checks import check_plan
from smmod.handover.records import (
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
    RecordLink,
)
from smmod.handover.tokens import HeldConnection, TokenOutcome, revoke_leaver_tokens
from smmod.identity import Actor, require
from smmod.store.base import session_clock
from smmod.store.engine import SessionFactory
from smmod.store.models import (
    Account,
    Credential,
    CredentialRotation,
    Handover,
    HandoverAccount,
    HandoverTask,
    Staff,
)

if TYPE_CHECKING:
    from smmod.accounts import CredentialService
    from smmod.connectors.connections import ConnectionService
    from smmod.vault import Vault

CHANGED_ELSEWHERE = "this handover was changed elsewhere: reopen it and try again"
# A leaving date outside these bounds is almost certainly a typing mistake.
EARLIEST_DAYS = 366
LATEST_DAYS = 2 * 366


def staff_subject(staff_id: int) -> str:
    return f"staff:{staff_id}"


class HandoverService:
    def __init__(self, session_factory: SessionFactory, vault: Vault,
                 credentials: CredentialService, *, records_dir: Path,
                 expiry_months: Callable[[], int],
                 today: Callable[[], date] | None = None,
                 connections: Callable[[], ConnectionService] | None = None) -> None:
        self._sf = session_factory
        self._connections = connections
        self._vault = vault
        self._credentials = credentials
        self._records_dir = records_dir
        self._expiry_months = expiry_months
        self._today = today or session_factory.clock.today

    # -- reading -------------------------------------------------------------------
    def holdings(self, staff_id: int) -> Holdings:
        """Everything a departure of ``staff_id`` touches today."""
        with self._sf() as session:
            return self._holdings(session, staff_id)

    def _holdings(self, session: Session, staff_id: int) -> Holdings:
        return inventory.holdings(session, staff_id, today=self._today(),
                                  expiry_months=self._expiry_months())

    def find_staff(self, wanted: str) -> int:
        """A staff id from a username, or a full name when it is unambiguous."""
        text = (wanted or "").strip()
        if not text:
            raise InputError("name the person who is leaving", field="staff")
        with self._sf() as session:
            by_username = session.execute(select(Staff.id).where(
                func.lower(Staff.username) == text.lower())).scalar_one_or_none()
            if by_username is not None:
                return by_username
            by_name = list(session.execute(select(Staff.id).where(
                func.lower(Staff.name) == text.lower())).scalars())
        if len(by_name) == 1:
            return by_name[0]
        if by_name:
            raise InputError(f"several people are called '{text}'; give their username",
                             field="staff")
        raise NotFound(f"no one with username or name '{text}' is in the staff register")

    def candidates(self, staff_id: int) -> list[Candidate]:
        """Who could take over from ``staff_id``; the ineligible come with the reason."""
        with self._sf() as session:
            return inventory.candidates(session, staff_id, today=self._today(),
                                        expiry_months=self._expiry_months())

    def staff_room(self) -> list[Candidate]:
        """Everyone active, to choose who is leaving."""
        return self.candidates(0)

    def check(self, plan: Plan) -> PlanCheck:
        """The rules as they stand now (R2, R4, every decision made)."""
        with self._sf() as session:
            held = self._holdings(session, plan.staff_id)
            people = inventory.candidates(session, plan.staff_id, today=self._today(),
                                          expiry_months=self._expiry_months())
        return check_plan(plan, held, people, today=self._today())

    def evaluate(self, plan: Plan, held: Holdings, people: list[Candidate]) -> PlanCheck:
        """The same checks on data already read: the wizard runs them on every change."""
        return check_plan(plan, held, people, today=self._today())

    def today(self) -> date:
        return self._today()

    def now(self) -> datetime:
        return self._sf.clock.now()

    def new_password(self, platform: str) -> str:
        """A strong password the platform accepts, made on this machine, never stored here."""
        return self._credentials.generate(platform)

    def get(self, handover_id: int) -> HandoverSummary:
        with self._sf() as session:
            return self._summary(session, self._load(session, handover_id))

    def drafts(self) -> list[HandoverSummary]:
        """Handovers started and not yet applied or discarded, to resume."""
        return self._list(Handover.status == "draft")

    def applied(self, staff_id: int | None = None) -> list[HandoverSummary]:
        condition = Handover.status == "applied"
        if staff_id is not None:
            condition = condition & (Handover.staff_id == staff_id)
        return self._list(condition)

    def _list(self, condition: object) -> list[HandoverSummary]:
        with self._sf() as session:
            rows = session.execute(select(Handover).where(condition)  # type: ignore[arg-type]
                                   .order_by(Handover.updated_at.desc())).scalars()
            return [self._summary(session, h) for h in rows]

    def resume(self, handover_id: int) -> Draft:
        """A saved draft, with what changed since it was saved (the wizard warns about it)."""
        with self._sf() as session:
            handover = self._load(session, handover_id, draft=True)
            held = self._holdings(session, handover.staff_id)
            return Draft(self._summary(session, handover), Plan.from_json(handover.plan),
                         held, inventory.changes(handover.basis, held))

    def records_for_staff(self, staff_id: int) -> list[RecordLink]:
        with self._sf() as session:
            rows = session.execute(select(Handover).where(
                Handover.staff_id == staff_id, Handover.status == "applied")
                .order_by(Handover.applied_at.desc())).scalars()
            names = self._names(session)
            return [RecordLink(h.id, names.get(h.staff_id, "?"), h.applied_at, "left",
                               self._file(h)) for h in rows if h.applied_at]

    def records_for_account(self, account_id: int) -> list[RecordLink]:
        with self._sf() as session:
            rows = session.execute(
                select(Handover, HandoverAccount.outcome)
                .join(HandoverAccount, HandoverAccount.handover_id == Handover.id)
                .where(HandoverAccount.account_id == account_id)
                .order_by(Handover.applied_at.desc())).all()
            names = self._names(session)
            return [RecordLink(h.id, names.get(h.staff_id, "?"), h.applied_at, outcome,
                               self._file(h)) for h, outcome in rows if h.applied_at]

    def record_path(self, handover_id: int) -> Path | None:
        with self._sf() as session:
            return self._file(self._load(session, handover_id))

    def pending_rotations(self) -> list[PendingRotation]:
        """Rotations still to be confirmed as done on the platform, for start-up and the page."""
        with self._sf() as session:
            names = self._names(session)
            # A closed account is still on the platform until its deletion is confirmed.
            deleted = deletion_confirmed(session)
            rows = session.execute(
                select(CredentialRotation, Credential, Account)
                .join(Credential, Credential.id == CredentialRotation.credential_id)
                .join(Account, Account.id == Credential.account_id)
                .where(CredentialRotation.status == "pending",
                       or_(Account.status != "closed", Account.id.not_in(deleted)))
                .order_by(CredentialRotation.at, CredentialRotation.id)).all()
            # machine form (handover --json)
            return [PendingRotation(r.id, c.id, a.id, f"{a.handle} ({a.platform})",
                                    c.login_name, r.at, names.get(r.by_staff_id or -1))
                    for r, c, a in rows]

    def outstanding_tasks(self) -> list[OutstandingTask]:
        """Closure steps deferred at a handover and not yet done, soonest first."""
        today = self._today()
        with self._sf() as session:
            rows = session.execute(
                select(HandoverTask, Account.handle, Account.platform)
                .join(Account, Account.id == HandoverTask.account_id)
                .where(HandoverTask.state == "deferred")
                .order_by(HandoverTask.due_on, HandoverTask.id)).all()
            return [OutstandingTask(t.id, t.handover_id, t.account_id, f"{h} ({p})", t.step,
                                    t.due_on, t.due_on is not None and t.due_on < today)
                    for t, h, p in rows]

    # -- changing ------------------------------------------------------------------
    def start(self, actor: Actor, staff_id: int, leaving_on: date) -> Draft:
        """Record the leaving date on their record and save a first, empty plan."""
        self._require(actor, staff_id, "start a handover")
        try:
            with self._sf.begin() as session:
                staff = inventory.departing(session, staff_id)
                existing = session.execute(select(Handover).where(
                    Handover.staff_id == staff_id, Handover.status == "draft")).scalars().first()
                if existing is not None:
                    raise InputError(f"a handover for {staff.name} is already saved (started "
                                     f"{fmt.day(existing.started_at)}); resume it or discard it",
                                     field="staff")
                self._set_leaving(session, actor, staff, leaving_on)
                held = self._holdings(session, staff_id)
                plan = default_plan(held, leaving_on)
                handover = Handover(staff_id=staff_id, leaving_on=leaving_on, status="draft",
                                    plan=plan.to_json(), basis=json.dumps(held.basis()),
                                    started_by=actor.staff_id, updated_by=actor.staff_id)
                session.add(handover)
                session.flush()
                audit.record(session, actor=actor.username, action="handover.start",
                             subject=staff_subject(staff_id),
                             details={"handover": handover.id,
                                      "leaving_on": leaving_on.isoformat()})
                return Draft(self._summary(session, handover), plan, held, ())
        except StaleDataError:
            raise ConflictError(CHANGED_ELSEWHERE) from None

    def save(self, actor: Actor, handover_id: int, version_id: int, plan: Plan, *,
             accept_changes: bool = False) -> Draft:
        """Keep the plan for later. ``accept_changes`` takes today's data as the new basis,
        after the person has seen what changed."""
        try:
            with self._sf.begin() as session:
                handover = self._load(session, handover_id, version_id, draft=True)
                self._require(actor, handover.staff_id, "save a handover")
                if plan.staff_id != handover.staff_id:
                    raise InputError("this plan is for someone else's handover", field="plan")
                staff = inventory.departing(session, handover.staff_id)
                basis = json.loads(handover.basis or "{}")
                if plan.leaving_on != handover.leaving_on:
                    unchanged = basis.get("staff") == staff.version_id
                    self._set_leaving(session, actor, staff, plan.leaving_on)
                    if unchanged:  # our own edit is not a change to warn about
                        basis["staff"] = staff.version_id
                held = self._holdings(session, handover.staff_id)
                if accept_changes:
                    basis = held.basis()
                handover.leaving_on = plan.leaving_on
                handover.plan = plan.to_json()
                handover.basis = json.dumps(basis)
                handover.updated_by, handover.updated_at = actor.staff_id, session_clock(session).now()
                session.flush()
                audit.record(session, actor=actor.username, action="handover.save",
                             subject=staff_subject(handover.staff_id),
                             details={"handover": handover.id,
                                      "accepted_changes": accept_changes})
                return Draft(self._summary(session, handover), plan, held,
                             inventory.changes(handover.basis, held))
        except StaleDataError:
            raise ConflictError(CHANGED_ELSEWHERE) from None

    def discard(self, actor: Actor, handover_id: int, version_id: int, *,
                reason: str | None = None) -> HandoverSummary:
        """Drop a draft; nothing it planned was applied. The leaving date stays recorded."""
        try:
            with self._sf.begin() as session:
                handover = self._load(session, handover_id, version_id, draft=True)
                self._require(actor, handover.staff_id, "discard a handover")
                handover.status = "discarded"
                handover.discarded_by, handover.discarded_at = actor.staff_id, session_clock(session).now()
                session.flush()
                audit.record(session, actor=actor.username, action="handover.discard",
                             subject=staff_subject(handover.staff_id), reason=reason,
                             details={"handover": handover.id})
                return self._summary(session, handover)
        except StaleDataError:
            raise ConflictError(CHANGED_ELSEWHERE) from None

    def apply(self, actor: Actor, handover_id: int, version_id: int, plan: Plan,
              secrets: dict[int, str] | None = None, *, render: Renderer | None = None,
              checkpoint: Checkpoint | None = None) -> ApplyResult:
        """Apply the plan as one transaction, database and keyring together.

        ``secrets`` maps credential ids to the new passwords shown in the wizard; any
        credential without one gets a generated password. ``render`` prints the record
        to PDF; ``checkpoint`` is called after each step (tests use it to force failures).
        """
        self._require(actor, plan.staff_id, "apply a handover")
        tokens = self.holdings(plan.staff_id).connections
        rotated, path = apply_handover(
            self._sf, self._vault, actor, handover_id, version_id, plan, dict(secrets or {}),
            holdings=self._holdings,
            candidates=lambda s, sid: inventory.candidates(
                s, sid, today=self._today(), expiry_months=self._expiry_months()),
            generate=self.new_password, rotate_by=self._credentials.default_rotate_by(),
            today=self._today(), records_dir=self._records_dir, render=render,
            checkpoint=checkpoint)
        revoked = self._revoke_tokens(actor, handover_id, plan, tokens)
        return ApplyResult(self.get(handover_id), path, rotated, revoked)

    def _revoke_tokens(self, actor: Actor, handover_id: int, plan: Plan,
                       held: tuple[HeldConnection, ...]) -> tuple[TokenOutcome, ...]:
        """After the commit: the leaver's platform tokens are revoked (or a task is left)."""
        if not held:
            return ()
        outcomes = {c.account_id: plan.decision(c.account_id).action for c in held}
        if self._connections is None:  # no connectors here: leave the work to a person
            return revoke_leaver_tokens(self._sf, None, actor, handover_id, held, outcomes)
        return revoke_leaver_tokens(self._sf, self._connections(), actor, handover_id, held,
                                    outcomes)

    def write_record(self, actor: Actor, handover_id: int, render: Renderer) -> Path:
        """Print an applied handover's record again (a lost file, or first print from the CLI)."""
        require(actor, "slt", "administrator", doing="print a handover record")
        with self._sf.begin() as session:
            handover = self._load(session, handover_id)
            if handover.status != "applied" or not handover.record_html:
                raise InputError("only an applied handover has a record to print")
            staff = inventory.departing(session, handover.staff_id)
            path = write_pdf(self._records_dir, handover, staff.username, render)
            handover.record_file = path.name
            return path

    def confirm_rotation(self, actor: Actor, rotation_id: int) -> None:
        """Someone changed the password, admin role, recovery and 2FA on the platform."""
        self._credentials.confirm_rotation(actor, rotation_id)

    def complete_task(self, actor: Actor, task_id: int) -> None:
        """A deferred closure step was done after all."""
        require(actor, "slt", "administrator", doing="tick off a closure step")
        with self._sf.begin() as session:
            task = session.get(HandoverTask, task_id)
            if task is None:
                raise NotFound(f"no closure step with id {task_id}")
            if task.state == "done":
                raise InputError("this closure step is already done")
            task.state, task.done_at, task.done_by = "done", session_clock(session).now(), actor.staff_id
            audit.record(session, actor=actor.username, action="handover.task_done",
                         subject=f"account:{task.account_id}",
                         details={"handover": task.handover_id, "step": task.step})

    # -- helpers -------------------------------------------------------------------
    @staticmethod
    def _require(actor: Actor, staff_id: int, doing: str) -> None:
        require(actor, "slt", "administrator", doing=doing)
        if actor.staff_id == staff_id:
            raise PolicyError("R6", "nobody runs their own handover: ask another administrator "
                                    "or a member of SLT.")

    def _set_leaving(self, session: Session, actor: Actor, staff: Staff, leaving_on: date
                     ) -> None:
        if not isinstance(leaving_on, date):
            raise InputError("give the leaving date", field="leaving_on")
        today = self._today()
        if not today - timedelta(days=EARLIEST_DAYS) <= leaving_on <= today + timedelta(
                days=LATEST_DAYS):
            raise InputError(f"{fmt.day(leaving_on)} is not a likely leaving date: give one "
                             "within a year before today or two years after", field="leaving_on")
        if staff.leaving_on == leaving_on:
            return
        before = staff.leaving_on
        staff.leaving_on = leaving_on
        session.flush()
        audit.record(session, actor=actor.username, action="staff.edit",
                     subject=staff_subject(staff.id), reason="handover started",
                     details={"leaving_on": [before.isoformat() if before else None,
                                             leaving_on.isoformat()]})

    @staticmethod
    def _load(session: Session, handover_id: int, version_id: int | None = None, *,
              draft: bool = False) -> Handover:
        handover = session.get(Handover, handover_id)
        if handover is None:
            raise NotFound(f"no handover with id {handover_id}")
        if version_id is not None and handover.version_id != version_id:
            raise ConflictError(CHANGED_ELSEWHERE)
        if draft and handover.status != "draft":
            raise InputError(f"this handover was already {handover.status}")
        return handover

    @staticmethod
    def _names(session: Session) -> dict[int, str]:
        return {i: n for i, n in session.execute(select(Staff.id, Staff.name))}

    def _file(self, handover: Handover) -> Path | None:
        return self._records_dir / handover.record_file if handover.record_file else None

    def _summary(self, session: Session, h: Handover) -> HandoverSummary:
        names = self._names(session)
        return HandoverSummary(
            h.id, h.staff_id, names.get(h.staff_id, "?"), h.leaving_on, h.status,
            names.get(h.started_by or -1), h.started_at, h.updated_at,
            names.get(h.applied_by or -1), h.applied_at, names.get(h.override_by or -1),
            h.override_reason, self._file(h), h.version_id)


def default_plan(held: Holdings, leaving_on: date) -> Plan:
    """Nothing decided yet: one empty decision per account, no one named for the work."""
    return Plan(held.person.staff_id, leaving_on,
                {a.account_id: AccountDecision(a.account_id) for a in held.accounts})
