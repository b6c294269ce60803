"""Importing the staff register from an MIS export (SIMS, Arbor, a spreadsheet).

An import is a sync, worked out in full before anything is written (``ImportPlan``):
people who are new, people whose details changed, and people no longer in the export
(with a handover suggested for those who still run accounts, may know passwords or
lead incidents, R6). Applying it is one transaction, all or nothing, and only if the
file and the register are still what the preview showed.

What a re-import never does: take a role away, clear a value because its cell is
blank, put back an older policy-reading or training date, or reactivate someone.
Those are decisions for a person, made on the staff page.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from smmod import formatting as fmt
from smmod.errors import ImportRejected, InputError, RowProblem
from smmod.staff.titles import TitleTable
from smmod.store.models import ROLES, Staff
from smmod.tabular import Table, check_mapping, parse_date, suggest_mapping
from smmod.wording import noun

IMPORT_FIELDS = ("name", "forename", "preferred_forename", "surname", "preferred_surname",
                 "username", "email", "roles", "job_title", "policy_read_on", "trained_on",
                 "leaving_on")
IMPORT_REQUIRED = ("name", "username")
#: A name can instead be made of a forename and a surname (a preferred one wins).
NAME_PARTS = (("forename", "preferred_forename"), ("surname", "preferred_surname"))
IMPORT_ALIASES: dict[str, Sequence[str]] = {
    "name": ("full name", "staff name", "display name", "legal name"),
    "forename": ("legal forename", "first name", "given name", "legal first name"),
    "preferred_forename": ("preferred forename", "preferred first name", "known as",
                           "chosen forename"),
    "surname": ("legal surname", "last name", "family name", "legal last name"),
    "preferred_surname": ("preferred surname", "preferred last name", "chosen surname"),
    "username": ("login", "user name", "network login", "account", "user id", "logon",
                 "network username", "windows login", "staff username"),
    "email": ("e-mail", "email address", "work email", "school email", "work email address"),
    "roles": ("role", "social media role", "smmod role"),
    "job_title": ("job title", "post", "post title", "position", "job role", "role title"),
    "policy_read_on": ("policy read", "policy read on", "policy signed", "policy date"),
    "trained_on": ("trained", "training", "training date", "training completed"),
    "leaving_on": ("leaving", "leaving date", "end date", "leave date",
                   "employment end date", "contract end date"),
}
DATE_FIELDS = ("policy_read_on", "trained_on", "leaving_on")
#: Reading the policy and training are things that already happened (R4).
PAST_ONLY = {"policy_read_on": "reading the policy", "trained_on": "training"}
#: People an MIS staff export does not hold: never listed as "no longer in the export".
_NOT_IN_MIS = frozenset({"volunteer", "parent_volunteer"})


def guess_mapping(headers: Sequence[str], overrides: dict[str, str] | None = None) -> dict[str, str]:
    """The guessed mapping, with ``overrides`` on top.

    An override replaces the guess for its field, and a column it names is no longer
    guessed for any other field. ``FIELD=`` (no column) drops a guessed field.
    """
    mapping = suggest_mapping(headers, IMPORT_ALIASES)
    for fld, column in (overrides or {}).items():
        if column:
            mapping = {f: c for f, c in mapping.items() if c != column}
            mapping[fld] = column
        else:
            mapping.pop(fld, None)
    return mapping


def check_import_mapping(table: Table, mapping: dict[str, str]) -> None:
    unknown = sorted(set(mapping) - set(IMPORT_FIELDS))
    if unknown:
        raise InputError(f"unknown {noun(len(unknown), 'field')} in the column mapping: "
                         f"{', '.join(unknown)}; "
                         f"the fields are: {', '.join(IMPORT_FIELDS)}", file=str(table.path))
    has_parts = all(any(mapping.get(f) for f in part) for part in NAME_PARTS)
    required = ("username",) if mapping.get("name") or has_parts else IMPORT_REQUIRED
    try:
        check_mapping(table, mapping, required)
    except InputError as exc:
        if "name" in required and not mapping.get("name"):
            raise InputError(exc.reason.replace(
                ". The file's columns", " (a name can also be made of forename and surname "
                "columns). The file's columns", 1), file=exc.file) from None
        raise


@dataclass(frozen=True)
class FieldChange:
    field: str
    before: Any  # JSON-ready: text, ISO date, list of roles or None
    after: Any


@dataclass(frozen=True)
class NewPerson:
    row: int
    name: str
    username: str
    email: str | None
    roles: frozenset[str]
    job_title: str
    policy_read_on: date | None
    trained_on: date | None
    leaving_on: date | None

    def to_dict(self) -> dict[str, Any]:
        return {"row": self.row, "name": self.name, "username": self.username,
                "email": self.email, "roles": [r for r in ROLES if r in self.roles],
                "job_title": self.job_title or None, "policy_read_on": _iso(self.policy_read_on),
                "trained_on": _iso(self.trained_on), "leaving_on": _iso(self.leaving_on)}


@dataclass(frozen=True)
class ChangedPerson:
    row: int
    staff_id: int
    version_id: int
    username: str
    name: str
    changes: tuple[FieldChange, ...]
    after: dict[str, Any]  # the values to apply, by field

    def to_dict(self) -> dict[str, Any]:
        return {"row": self.row, "username": self.username, "name": self.name,
                "changes": {c.field: [c.before, c.after] for c in self.changes}}


@dataclass(frozen=True)
class MissingPerson:
    """Active in smmod, not in the export: left alone, or deactivated when asked for."""

    staff_id: int
    version_id: int
    username: str
    name: str
    roles: frozenset[str]
    holds: tuple[str, ...]  # what a handover must settle first ("runs lead of @x (x)")
    deactivate: bool
    kept_because: str  # why it is not deactivated even when asked ("" when it is)

    @property
    def handover_suggested(self) -> bool:
        return bool(self.holds)

    def to_dict(self) -> dict[str, Any]:
        return {"username": self.username, "name": self.name,
                "roles": [r for r in ROLES if r in self.roles], "holds": list(self.holds),
                "handover_suggested": self.handover_suggested, "deactivate": self.deactivate,
                "kept_because": self.kept_because or None}


@dataclass(frozen=True)
class UnknownTitle:
    title: str
    rows: tuple[int, ...]

    def to_dict(self, default_roles: frozenset[str]) -> dict[str, Any]:
        return {"title": self.title, "rows": list(self.rows),
                "new_people_get": [r for r in ROLES if r in default_roles]}


@dataclass(frozen=True)
class ImportPlan:
    """What applying the import would do; nothing of it is written yet."""

    file: str
    mapping: dict[str, str]
    rows: int
    new: tuple[NewPerson, ...]
    changed: tuple[ChangedPerson, ...]
    unchanged: tuple[str, ...]
    missing: tuple[MissingPerson, ...]
    left_inactive: tuple[str, ...]  # in the export, deactivated in smmod: left alone
    unknown_titles: tuple[UnknownTitle, ...]
    default_roles: frozenset[str]
    deactivate_missing: bool
    token: str = field(default="", compare=False)
    path: Path | None = field(default=None, compare=False)

    @property
    def to_deactivate(self) -> tuple[MissingPerson, ...]:
        return tuple(m for m in self.missing if m.deactivate)

    @property
    def writes_anything(self) -> bool:
        return bool(self.new or self.changed or self.to_deactivate)

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file, "mapping": dict(self.mapping), "rows": self.rows,
            "new": [p.to_dict() for p in self.new],
            "changed": [p.to_dict() for p in self.changed],
            "unchanged": list(self.unchanged),
            "missing": [m.to_dict() for m in self.missing],
            "left_inactive": list(self.left_inactive),
            "unknown_job_titles": [t.to_dict(self.default_roles) for t in self.unknown_titles],
        }


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


@dataclass
class _Row:
    number: int
    username: str
    name: str
    email: str | None
    roles: frozenset[str]
    job_title: str
    dates: dict[str, date | None]


def _parse_row(row: dict[str, str], number: int, mapping: dict[str, str], titles: TitleTable,
               today: date, problems: list[RowProblem],
               unknown: dict[str, list[int]]) -> _Row | None:
    """Every problem of the row goes in ``problems``; the row only when it has none."""
    def value(f: str) -> str:
        column = mapping.get(f)
        return " ".join(row.get(column, "").split()) if column else ""

    def where(f: str) -> str:
        return mapping.get(f) or f

    found: list[RowProblem] = []
    name = value("name")
    if not name:
        fore = value("preferred_forename") or value("forename")
        sur = value("preferred_surname") or value("surname")
        name = f"{fore} {sur}".strip() if fore and sur else ""
        if not name:
            parts = [where(f) for f, v in (("forename", fore), ("surname", sur)) if not v]
            column = where("name") if mapping.get("name") else " and ".join(parts) or "name"
            found.append(RowProblem(number, column, "a name is required"))
    username = value("username")
    if not username or any(c.isspace() for c in username):
        found.append(RowProblem(number, where("username"),
                                "an OS username without spaces is required"))
    email = value("email") or None
    if email and ("@" not in email or any(c.isspace() for c in email)):
        found.append(RowProblem(number, where("email"), f"'{email}' is not an email address"))
    roles: set[str] = set()
    roles_text = value("roles")
    if roles_text:
        named = {r.strip().lower().replace(" ", "_").replace("-", "_")
                 for r in roles_text.replace("|", ";").replace(",", ";").split(";") if r.strip()}
        bad = sorted(named - set(ROLES))
        if bad:
            found.append(RowProblem(number, where("roles"),
                                    f"unknown {noun(len(bad), 'role')} {', '.join(bad)}; choose from "
                                    f"{', '.join(ROLES)}"))
        roles |= named & set(ROLES)
    job_title = value("job_title")
    if job_title:
        given, not_known = titles.roles_for(job_title)
        roles |= given
        for title in not_known:
            unknown.setdefault(title, []).append(number)
    dates: dict[str, date | None] = {}
    for f in DATE_FIELDS:
        text = value(f)
        try:
            dates[f] = parse_date(text) if text else None
        except ValueError as exc:
            found.append(RowProblem(number, where(f), str(exc)))
            continue
        day = dates[f]
        if f in PAST_ONLY and day is not None and day > today:
            found.append(RowProblem(number, where(f),
                                    f"{fmt.day(day)} is in the future (today is {fmt.day(today)}); "
                                    f"a date of {PAST_ONLY[f]} must be today or earlier"))
    problems.extend(found)
    if found:
        return None
    return _Row(number, username, name, email, frozenset(roles), job_title, dates)


def _changes(staff: Staff, row: _Row) -> tuple[list[FieldChange], dict[str, Any]]:
    """What the row would change: a blank cell, an older date or a missing role changes
    nothing (see the module docstring)."""
    changes: list[FieldChange] = []
    after: dict[str, Any] = {}
    if row.name != staff.name:
        changes.append(FieldChange("name", staff.name, row.name))
        after["name"] = row.name
    if row.email and row.email.casefold() != (staff.email or "").casefold():
        changes.append(FieldChange("email", staff.email, row.email))
        after["email"] = row.email
    have = staff.role_names
    if row.roles - have:
        union = have | row.roles
        changes.append(FieldChange("roles", [r for r in ROLES if r in have],
                                   [r for r in ROLES if r in union]))
        after["roles"] = frozenset(union)
    for f in ("policy_read_on", "trained_on"):
        new, old = row.dates.get(f), getattr(staff, f)
        if new is not None and (old is None or new > old):
            changes.append(FieldChange(f, _iso(old), _iso(new)))
            after[f] = new
    leaving = row.dates.get("leaving_on")
    if leaving is not None and leaving != staff.leaving_on:
        changes.append(FieldChange("leaving_on", _iso(staff.leaving_on), _iso(leaving)))
        after["leaving_on"] = leaving
    return changes, after


def build_plan(session: Session, table: Table, mapping: dict[str, str], *, titles: TitleTable,
               today: date, expiry_months: int, default_roles: frozenset[str],
               deactivate_missing: bool, actor_staff_id: int | None) -> ImportPlan:
    """Work out the sync; ``ImportRejected`` lists every problem of every bad row."""
    from smmod.handover.loose_ends import loose_ends

    check_import_mapping(table, mapping)
    problems: list[RowProblem] = []
    unknown: dict[str, list[int]] = {}
    rows: list[_Row] = []
    seen: dict[str, int] = {}
    for number, values in zip(table.row_numbers, table.rows, strict=True):
        parsed = _parse_row(values, number, mapping, titles, today, problems, unknown)
        if parsed is None:
            continue
        key = parsed.username.casefold()
        if key in seen:
            problems.append(RowProblem(number, mapping.get("username", "username"),
                                       f"'{parsed.username}' is also on row {seen[key]}"))
            continue
        seen[key] = number
        rows.append(parsed)
    if problems:
        bad = {p.row for p in problems}
        raise ImportRejected(str(table.path), sorted(problems, key=lambda p: p.row),
                             valid_rows=len(table.rows) - len(bad))
    everyone = {s.username.casefold(): s for s in session.execute(select(Staff)).scalars()}
    new: list[NewPerson] = []
    changed: list[ChangedPerson] = []
    unchanged: list[str] = []
    inactive: list[str] = []
    for row in rows:
        staff = everyone.get(row.username.casefold())
        if staff is None:
            new.append(NewPerson(row.number, row.name, row.username, row.email,
                                 row.roles or default_roles, row.job_title,
                                 row.dates["policy_read_on"], row.dates["trained_on"],
                                 row.dates["leaving_on"]))
        elif not staff.active:
            inactive.append(staff.username)
        else:
            changes, after = _changes(staff, row)
            if changes:
                changed.append(ChangedPerson(row.number, staff.id, staff.version_id,
                                             staff.username, staff.name, tuple(changes), after))
            else:
                unchanged.append(staff.username)
    missing: list[MissingPerson] = []
    for key, staff in sorted(everyone.items(), key=lambda kv: kv[1].name.casefold()):
        if key in seen or not staff.active or staff.role_names <= _NOT_IN_MIS:
            continue
        holds = tuple(loose_ends(session, staff.id, today=today,
                                 expiry_months=expiry_months).lines())
        kept = ("still " + "; ".join(holds) + ": run a handover first (R6)" if holds
                else "you are running this import" if staff.id == actor_staff_id else "")
        missing.append(MissingPerson(staff.id, staff.version_id, staff.username, staff.name,
                                     staff.role_names, holds, deactivate_missing and not kept,
                                     kept))
    plan = ImportPlan(
        table.path.name, dict(mapping), len(table.rows), tuple(new), tuple(changed),
        tuple(unchanged), tuple(missing), tuple(inactive),
        tuple(UnknownTitle(t, tuple(n)) for t, n in sorted(unknown.items())),
        default_roles, deactivate_missing)
    return ImportPlan(**{**plan.__dict__, "token": _token(plan), "path": table.path})


def _token(plan: ImportPlan) -> str:
    """Changes when the file, the mapping or anyone the plan touches changes."""
    versions = [(c.staff_id, c.version_id) for c in plan.changed] + [
        (m.staff_id, m.version_id) for m in plan.missing]
    text = json.dumps([plan.to_dict(), versions, plan.deactivate_missing], sort_keys=True,
                      default=str)
    return hashlib.sha256(text.encode()).hexdigest()
