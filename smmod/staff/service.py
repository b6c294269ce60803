"""Staff register service: add, edit, deactivate, list, import; every change audited."""

from __future__ import annotations

import builtins
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified
from sqlalchemy.orm.exc import StaleDataError

from smmod import audit
from smmod import formatting as fmt
from smmod.errors import (
    ConflictError,
    InputError,
    NotFound,
    PolicyError,
)
from smmod.identity import Actor, require
from smmod.staff import logins
from smmod.staff.eligibility import Eligibility, eligibility, training_expires_on
from smmod.staff.importing import IMPORT_FIELDS, IMPORT_REQUIRED, ImportPlan, build_plan, guess_mapping
from smmod.staff.titles import JobTitleStore
from smmod.store import identities
from smmod.store.engine import SessionFactory
from smmod.store.models import ROLES, Staff, StaffRole
from smmod.tabular import Table, read_table
from smmod.wording import noun

if TYPE_CHECKING:
    from smmod.handover.loose_ends import LooseEnds
    from smmod.staff.logins import LoginRequest

log = logging.getLogger("smmod.staff")

__all__ = ["IMPORT_FIELDS", "IMPORT_REQUIRED", "ImportPlan", "ImportResult", "StaffInput",
           "StaffRecord", "StaffService"]


@dataclass(frozen=True)
class StaffInput:
    """What a person types into the staff form (or an import row)."""

    name: str
    username: str
    roles: frozenset[str]
    email: str | None = None
    policy_read_on: date | None = None
    trained_on: date | None = None
    leaving_on: date | None = None
    r12_declared_on: date | None = None
    notes: str = ""


@dataclass(frozen=True)
class StaffRecord:
    id: int
    name: str
    username: str
    email: str | None
    roles: frozenset[str]
    policy_read_on: date | None
    trained_on: date | None
    training_expires_on: date | None
    leaving_on: date | None
    r12_declared_on: date | None
    active: bool
    notes: str
    version_id: int
    eligibility: Eligibility = field(compare=False)
    #: Their own login role on a PostgreSQL server (``smmod staff login``), if any.
    db_role: str | None = None

    @property
    def roles_text(self) -> str:
        return ", ".join(r for r in ROLES if r in self.roles)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "name": self.name, "username": self.username, "email": self.email,
            "roles": sorted(self.roles), "active": self.active,
            "policy_read_on": _iso(self.policy_read_on), "trained_on": _iso(self.trained_on),
            "training_expires_on": _iso(self.training_expires_on),
            "leaving_on": _iso(self.leaving_on), "r12_declared_on": _iso(self.r12_declared_on),
            "eligible": self.eligibility.eligible, "ineligible_because": list(self.eligibility.reasons),
        }


@dataclass(frozen=True)
class ImportResult:
    """An applied import: the plan as applied, and the people it wrote."""

    plan: ImportPlan
    created: tuple[StaffRecord, ...]
    updated: tuple[StaffRecord, ...]
    deactivated: tuple[StaffRecord, ...]

    def to_dict(self) -> dict[str, Any]:
        return {**self.plan.to_dict(), "applied": True, "imported": len(self.created),
                "updated": len(self.updated), "deactivated": len(self.deactivated),
                "staff": [r.to_dict() for r in (*self.created, *self.updated)]}


class HandoverNeeded(PolicyError):
    """Deactivation refused: they still hold what a handover must settle first (R6)."""

    def __init__(self, ends: LooseEnds) -> None:
        self.loose_ends = ends
        super().__init__("R6", ends.message)


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _validate(data: StaffInput, today: date | None = None) -> None:
    if not data.name.strip():
        raise InputError("a name is required", field="name")
    if not data.username.strip() or any(c.isspace() for c in data.username.strip()):
        raise InputError("an OS username without spaces is required", field="username")
    unknown = set(data.roles) - set(ROLES)
    if unknown:
        raise InputError(f"unknown {noun(len(unknown), 'role')} {', '.join(sorted(unknown))}; "
                         f"choose from {', '.join(ROLES)}", field="roles")
    if not data.roles:
        raise InputError("at least one role is required", field="roles")
    email = (data.email or "").strip()
    if email and ("@" not in email or any(c.isspace() for c in email)):
        raise InputError(f"'{email}' is not an email address", field="email")
    for day, field_name, what in ((data.policy_read_on, "policy_read_on", "read the policy"),
                                  (data.trained_on, "trained_on", "completed training")):
        if today is not None and day is not None and day > today:
            raise InputError(f"the day they {what} cannot be after today ({fmt.day(today)})",
                             field=field_name)


class StaffService:
    def __init__(self, session_factory: SessionFactory, *, expiry_months: Callable[[], int],
                 today: Callable[[], date] | None = None) -> None:
        self._sf = session_factory
        self._expiry_months = expiry_months
        self._today = today or session_factory.clock.today

    # -- reading -----------------------------------------------------------------
    def _record(self, s: Staff) -> StaffRecord:
        months = self._expiry_months()
        return StaffRecord(
            s.id, s.name, s.username, s.email, s.role_names, s.policy_read_on, s.trained_on,
            training_expires_on(s.trained_on, months), s.leaving_on, s.r12_declared_on,
            s.active, s.notes, s.version_id,
            eligibility(active=s.active, policy_read_on=s.policy_read_on,
                        trained_on=s.trained_on, leaving_on=s.leaving_on,
                        today=self._today(), expiry_months=months),
            s.db_role,
        )

    def list(self, *, include_inactive: bool = False) -> list[StaffRecord]:
        stmt = select(Staff).order_by(Staff.name)
        if not include_inactive:
            stmt = stmt.where(Staff.active.is_(True))
        with self._sf() as session:
            return [self._record(s) for s in session.execute(stmt).scalars()]

    def get(self, staff_id: int) -> StaffRecord:
        with self._sf() as session:
            staff = session.get(Staff, staff_id)
            if staff is None:
                raise NotFound(f"no staff member with id {staff_id}")
            return self._record(staff)

    def by_username(self, username: str) -> StaffRecord:
        with self._sf() as session:
            staff = session.execute(
                select(Staff).where(Staff.username == username)).scalar_one_or_none()
            if staff is None:
                raise NotFound(f"no staff member with username '{username}'")
            return self._record(staff)

    def count(self) -> int:
        with self._sf() as session:
            return int(session.scalar(select(func.count(Staff.id))) or 0)

    # -- changing ----------------------------------------------------------------
    def create_first(self, data: StaffInput) -> StaffRecord:
        """First run: the first person, with SLT and administrator roles, needs no actor."""
        data = StaffInput(**{**data.__dict__, "roles": frozenset(data.roles | {"slt", "administrator"})})
        _validate(data)
        today = self._today()
        for day, field_name, what in ((data.policy_read_on, "policy_read_on", "read the policy"),
                                      (data.trained_on, "trained_on", "completed training")):
            if day is not None and day > today:
                raise InputError(f"the day you {what} cannot be after today ({fmt.day(today)})",
                                 field=field_name)
        with self._sf.begin() as session:
            if identities.identities_on(session):  # the OS login means nothing there
                raise InputError("this database is on a server where each person has their "
                                 "own login: the database's owner adds people with 'smmod "
                                 "staff add' (see docs/server.md)")
            if session.scalar(select(func.count(Staff.id))):
                raise InputError("smmod is already set up: ask an administrator to add you")
            staff = self._insert(session, data)
            audit.record(session, actor=data.username, action="staff.init",
                         subject=f"staff:{staff.id}",
                         details={"name": data.name, "roles": sorted(data.roles)})
            return self._record(staff)

    def add(self, actor: Actor, data: StaffInput, *, reason: str | None = None,
            login: LoginRequest | None = None) -> StaffRecord:
        """Add a person; on a server ``login`` creates or links their own login role in
        the same transaction (``smmod.staff.logins``)."""
        require(actor, "administrator", "slt", doing="add staff")
        _validate(data, self._today())
        with self._sf.begin() as session:
            self._refuse_duplicate(session, data.username)
            staff = Staff(active=True)
            self._apply(staff, data)
            details = _details(data)
            if login is not None:
                details.update(logins.attach(session, staff, login))
            session.add(staff)
            session.flush()
            audit.record(session, actor=actor.username, action="staff.add",
                         subject=f"staff:{staff.id}", reason=reason, details=details)
            return self._record(staff)

    def update(self, actor: Actor, staff_id: int, version_id: int, data: StaffInput,
               *, reason: str | None = None) -> StaffRecord:
        require(actor, "administrator", "slt", doing="edit staff")
        _validate(data, self._today())
        try:
            with self._sf.begin() as session:
                staff = self._load_for_edit(session, staff_id, version_id)
                if staff.username != data.username.strip():
                    self._refuse_duplicate(session, data.username, except_id=staff_id)
                before = _details(_as_input(staff))
                self._apply(staff, data)
                # A change to the roles alone touches only staff_roles; mark the row so
                # its version_id still moves on and a stale edit is seen as a conflict.
                flag_modified(staff, "name")
                session.flush()
                after = _details(data)
                changed = {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}
                audit.record(session, actor=actor.username, action="staff.edit",
                             subject=f"staff:{staff_id}", reason=reason, details=changed)
                return self._record(staff)
        except StaleDataError:
            raise ConflictError("this person was changed elsewhere: reload and try again") from None

    def set_active(self, actor: Actor, staff_id: int, version_id: int, active: bool,
                   *, reason: str | None = None, force: bool = False) -> StaffRecord:
        """Deactivate or reactivate someone.

        Someone who still runs accounts, may know passwords, leads incidents or has
        claimed queue items is not deactivated (``HandoverNeeded`` lists what they hold):
        a handover settles those first (R6). ``force`` deactivates them anyway, with the
        reason, and the audit entry lists what was left.
        """
        require(actor, "administrator", "slt", doing="deactivate staff")
        if not active and actor.staff_id == staff_id:
            raise InputError("you cannot deactivate yourself; ask another administrator")
        if force and not (reason or "").strip():
            raise InputError("say why they are deactivated without a handover", field="reason")
        try:
            with self._sf.begin() as session:
                staff = self._load_for_edit(session, staff_id, version_id)
                details: dict[str, Any] = {}
                if not active and staff.active:
                    ends = self._loose_ends(session, staff_id)
                    if ends and not force:
                        raise HandoverNeeded(ends)
                    if ends:
                        details = {"without_handover": ends.to_dict()}
                staff.active = active
                session.flush()
                audit.record(session, actor=actor.username,
                             action="staff.reactivate" if active else "staff.deactivate",
                             subject=f"staff:{staff_id}", reason=reason, details=details)
                return self._record(staff)
        except StaleDataError:
            raise ConflictError("this person was changed elsewhere: reload and try again") from None

    def loose_ends(self, staff_id: int) -> LooseEnds:
        """What deactivating them now would leave with nobody (empty when nothing)."""
        with self._sf() as session:
            return self._loose_ends(session, staff_id)

    def _loose_ends(self, session: Session, staff_id: int) -> LooseEnds:
        from smmod.handover.loose_ends import loose_ends

        return loose_ends(session, staff_id, today=self._today(),
                          expiry_months=self._expiry_months())

    # -- import ------------------------------------------------------------------
    @property
    def titles(self) -> JobTitleStore:
        """The job-title table (MIS job title → roles) the import uses."""
        return JobTitleStore(self._sf)

    @staticmethod
    def suggest_import_mapping(headers: builtins.list[str],
                               overrides: dict[str, str] | None = None) -> dict[str, str]:
        """The guessed mapping; ``overrides`` are added to it (see ``guess_mapping``)."""
        return guess_mapping(headers, overrides)

    def plan_import(self, actor: Actor, path: Path, mapping: dict[str, str] | None = None, *,
                    overrides: dict[str, str] | None = None,
                    default_roles: Iterable[str] = ("staff",),
                    deactivate_missing: bool = False) -> ImportPlan:
        """The preview of an import (a sync): nothing is written.

        ``mapping`` is the whole mapping (the import dialog's); without it the mapping
        is guessed from the headers and ``overrides`` are added to the guess. Every
        problem of every bad row raises ``ImportRejected``.
        """
        require(actor, "administrator", "slt", doing="import staff")
        table = read_table(path)
        chosen = dict(mapping) if mapping is not None else guess_mapping(table.headers, overrides)
        with self._sf() as session:
            return self._plan(session, actor, table, chosen, frozenset(default_roles),
                              deactivate_missing)

    def apply_import(self, actor: Actor, plan: ImportPlan) -> ImportResult:
        """Apply a previewed import, all or nothing.

        The file is read again and the sync worked out again inside the write
        transaction; if the file or anyone it touches changed since the preview,
        nothing is written (``ConflictError``).
        """
        require(actor, "administrator", "slt", doing="import staff")
        if plan.path is None:
            raise InputError("this preview has no file to import")
        table = read_table(plan.path)
        try:
            with self._sf.begin() as session:
                fresh = self._plan(session, actor, table, plan.mapping, plan.default_roles,
                                   plan.deactivate_missing)
                if fresh.token != plan.token:
                    raise ConflictError(f"{plan.file} or the staff register changed since the "
                                        "preview: look at the new preview and apply that")
                created = [self._insert(session, StaffInput(
                    p.name, p.username, p.roles, p.email, p.policy_read_on, p.trained_on,
                    p.leaving_on)) for p in fresh.new]
                updated = []
                for change in fresh.changed:
                    staff = self._load_for_edit(session, change.staff_id, change.version_id)
                    self._apply(staff, StaffInput(**{**_as_input(staff).__dict__, **change.after}))
                    flag_modified(staff, "name")
                    updated.append(staff)
                deactivated = []
                for gone in fresh.to_deactivate:
                    staff = self._load_for_edit(session, gone.staff_id, gone.version_id)
                    staff.active = False
                    deactivated.append(staff)
                session.flush()
                if fresh.writes_anything:
                    audit.record(session, actor=actor.username, action="staff.import",
                                 subject="staff", details={
                                     "file": fresh.file, "rows": fresh.rows,
                                     "usernames": [p.username for p in fresh.new],
                                     "changed": {c.username: {x.field: [x.before, x.after]
                                                              for x in c.changes}
                                                 for c in fresh.changed},
                                     "deactivated": [m.username for m in fresh.to_deactivate],
                                     "mapping": fresh.mapping})
                return ImportResult(fresh, tuple(self._record(s) for s in created),
                                    tuple(self._record(s) for s in updated),
                                    tuple(self._record(s) for s in deactivated))
        except StaleDataError:
            raise ConflictError("someone in the staff register was changed elsewhere: "
                                "preview the import again") from None

    def import_csv(self, actor: Actor, path: Path, mapping: dict[str, str] | None = None,
                   *, default_roles: Iterable[str] = ("staff",)) -> builtins.list[StaffRecord]:
        """Preview and apply in one go; the people added or changed."""
        result = self.apply_import(actor, self.plan_import(actor, path, mapping,
                                                           default_roles=default_roles))
        return [*result.created, *result.updated]

    def _plan(self, session: Session, actor: Actor, table: Table, mapping: dict[str, str],
              default_roles: frozenset[str], deactivate_missing: bool) -> ImportPlan:
        return build_plan(session, table, mapping, titles=self.titles.table(session),
                          today=self._today(), expiry_months=self._expiry_months(),
                          default_roles=default_roles, deactivate_missing=deactivate_missing,
                          actor_staff_id=actor.staff_id)

    # -- helpers -----------------------------------------------------------------
    def _insert(self, session: Session, data: StaffInput) -> Staff:
        staff = Staff(active=True)
        self._apply(staff, data)
        session.add(staff)
        session.flush()
        return staff

    @staticmethod
    def _apply(staff: Staff, data: StaffInput) -> None:
        staff.name = data.name.strip()
        staff.username = data.username.strip()
        staff.email = (data.email or "").strip() or None
        staff.policy_read_on = data.policy_read_on
        staff.trained_on = data.trained_on
        staff.leaving_on = data.leaving_on
        staff.r12_declared_on = data.r12_declared_on
        staff.notes = data.notes
        wanted = set(data.roles)
        staff.roles = [r for r in staff.roles if r.role in wanted] + [
            StaffRole(role=r) for r in sorted(wanted - {r.role for r in staff.roles})
        ]

    @staticmethod
    def _refuse_duplicate(session: Session, username: str, *, except_id: int | None = None) -> None:
        stmt = select(Staff.id).where(func.lower(Staff.username) == username.strip().lower())
        if except_id is not None:
            stmt = stmt.where(Staff.id != except_id)
        clash = session.execute(stmt).first()
        if clash:
            raise InputError(f"'{username}' is already in the staff register", field="username")

    @staticmethod
    def _load_for_edit(session: Session, staff_id: int, version_id: int) -> Staff:
        staff = session.get(Staff, staff_id)
        if staff is None:
            raise NotFound(f"no staff member with id {staff_id}")
        if staff.version_id != version_id:
            raise ConflictError("this person was changed elsewhere: reload and try again")
        return staff


def _as_input(s: Staff) -> StaffInput:
    return StaffInput(s.name, s.username, s.role_names, s.email, s.policy_read_on,
                      s.trained_on, s.leaving_on, s.r12_declared_on, s.notes)


def _details(data: StaffInput) -> dict[str, Any]:
    return {
        "name": data.name, "username": data.username, "email": data.email,
        "roles": sorted(data.roles), "policy_read_on": _iso(data.policy_read_on),
        "trained_on": _iso(data.trained_on), "leaving_on": _iso(data.leaving_on),
        "r12_declared_on": _iso(data.r12_declared_on),
    }

