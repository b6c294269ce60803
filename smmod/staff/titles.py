"""The job-title table: which smmod roles a job title from the school's MIS gives.

A SIMS or Arbor staff export says "Teacher" or "Deputy Head", not "staff" or "slt". The
table below is what smmod ships; a school edits it (``smmod staff titles set|remove``,
or the staff import dialog) and its edits are kept in the database, so every computer
of a trust sees the same table, and each edit is audited.

Shipped defaults never give ``administrator`` or ``moderator``: access to the account
passwords, and moderating, are given to a person by a person, never by a job title.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from smmod import audit
from smmod.errors import InputError, NotFound
from smmod.identity import Actor, require
from smmod.store.engine import SessionFactory
from smmod.store.models import ROLES, StaffJobTitle
from smmod.wording import noun

_SLT = ("slt", "staff")
_STAFF = ("staff",)

#: What smmod ships: job titles as SIMS, Arbor and school spreadsheets write them.
DEFAULT_TITLES: dict[str, tuple[str, ...]] = {
    "Headteacher": _SLT, "Head Teacher": _SLT, "Executive Headteacher": _SLT,
    "Headmaster": _SLT, "Headmistress": _SLT, "Principal": _SLT,
    "Executive Principal": _SLT, "Deputy Head": _SLT, "Deputy Headteacher": _SLT,
    "Deputy Head Teacher": _SLT, "Vice Principal": _SLT, "Assistant Head": _SLT,
    "Assistant Headteacher": _SLT, "Assistant Head Teacher": _SLT,
    "Assistant Principal": _SLT,
    "Teacher": _STAFF, "Class Teacher": _STAFF, "Early Career Teacher": _STAFF,
    "Supply Teacher": _STAFF, "Teaching Assistant": _STAFF,
    "Higher Level Teaching Assistant": _STAFF, "HLTA": _STAFF,
    "Learning Support Assistant": _STAFF, "Cover Supervisor": _STAFF, "SENCo": _STAFF,
    "Business Manager": _STAFF, "School Business Manager": _STAFF,
    "Office Manager": _STAFF, "Administrator": _STAFF, "Office Administrator": _STAFF,
    "Receptionist": _STAFF, "Network Manager": _STAFF, "IT Technician": _STAFF,
    "Site Manager": _STAFF, "Librarian": _STAFF, "Exams Officer": _STAFF,
    "Data Manager": _STAFF, "Marketing Officer": _STAFF,
    "Volunteer": ("volunteer",), "Parent Volunteer": ("parent_volunteer",),
}

MAX_TITLE = 200


def title_key(title: str) -> str:
    """How titles are compared: case, spacing and punctuation do not matter."""
    return " ".join(re.sub(r"[^\w]+", " ", title.casefold()).split())


def _without_qualifier(title: str) -> str:
    """'Deputy Head (Pastoral)' or 'Teacher - Maths' → the post itself.

    Only brackets and a dash or comma are taken as a qualifier: "Deputy Head of Sixth
    Form" is a different post from "Deputy Head", and is left for the table to name.
    """
    plain = re.sub(r"\([^)]*\)", " ", title)
    plain = re.split(r"\s+[-–—]\s+|,", plain, maxsplit=1)[0]
    return title_key(plain)


@dataclass(frozen=True)
class JobTitle:
    title: str
    roles: tuple[str, ...]  # in the order of ROLES; empty: taken out of the table
    shipped: bool  # smmod ships a default for this title
    edited: bool  # the school changed (or added, or removed) it
    version_id: int | None

    def to_dict(self) -> dict[str, Any]:
        return {"title": self.title, "roles": list(self.roles), "shipped": self.shipped,
                "edited": self.edited}


@dataclass(frozen=True)
class TitleTable:
    """The table in force: key → (title as written, roles)."""

    entries: dict[str, tuple[str, tuple[str, ...]]]

    def roles_for(self, text: str) -> tuple[frozenset[str], list[str]]:
        """Roles a job-title cell gives, and the titles in it the table does not know.

        A cell may hold several posts separated by ';' or '|' ("Teacher; SENCo").
        """
        roles: set[str] = set()
        unknown: list[str] = []
        for part in (p.strip() for p in re.split(r"[;|]", text)):
            if not part:
                continue
            found = self.entries.get(title_key(part)) or self.entries.get(_without_qualifier(part))
            if found and found[1]:
                roles.update(found[1])
            else:
                unknown.append(part)
        return frozenset(roles), unknown


def parse_roles(values: Iterable[str]) -> tuple[str, ...]:
    """Role names typed by a person ("SLT", "parent volunteer"), checked, in ROLES order."""
    wanted = {v.strip().lower().replace(" ", "_").replace("-", "_") for v in values if v.strip()}
    unknown = sorted(wanted - set(ROLES))
    if unknown:
        raise InputError(f"unknown {noun(len(unknown), 'role')} {', '.join(unknown)}; "
                         f"choose from {', '.join(ROLES)}",
                         field="roles")
    return tuple(r for r in ROLES if r in wanted)


class JobTitleStore:
    """Reading and editing the job-title table; each edit is audited."""

    def __init__(self, session_factory: SessionFactory) -> None:
        self._sf = session_factory

    def list(self) -> list[JobTitle]:
        with self._sf() as session:
            edits = {e.key: e for e in session.execute(select(StaffJobTitle)).scalars()}
        shipped = {title_key(t): (t, r) for t, r in DEFAULT_TITLES.items()}
        out = []
        for key in sorted(set(shipped) | set(edits)):
            edit = edits.get(key)
            if edit is not None:
                out.append(JobTitle(edit.title, _split(edit.roles), key in shipped, True,
                                    edit.version_id))
            else:
                title, roles = shipped[key]
                out.append(JobTitle(title, roles, True, False, None))
        return sorted(out, key=lambda t: t.title.casefold())

    def table(self, session: Session | None = None) -> TitleTable:
        """The table in force (inside ``session`` when given, for an import)."""
        if session is None:
            with self._sf() as own:
                return self.table(own)
        entries = {title_key(t): (t, r) for t, r in DEFAULT_TITLES.items()}
        for edit in session.execute(select(StaffJobTitle)).scalars():
            entries[edit.key] = (edit.title, _split(edit.roles))
        return TitleTable(entries)

    def set(self, actor: Actor, title: str, roles: Iterable[str]) -> JobTitle:
        """Say which roles a job title gives (adds the title when it is new)."""
        require(actor, "administrator", "slt", doing="edit the job-title table")
        title = " ".join(title.split())
        key = title_key(title)
        if not key:
            raise InputError("a job title is required", field="title")
        if len(title) > MAX_TITLE:
            raise InputError(f"is longer than {MAX_TITLE} characters", field="title")
        chosen = parse_roles(roles)
        if not chosen:
            raise InputError("give at least one role (to take a title out of the table, "
                             "remove it)", field="roles")
        return self._save(actor, key, title, chosen, "staff.titles.set")

    def remove(self, actor: Actor, title: str) -> JobTitle:
        """Take a title out of the table: people with it get the import's default role."""
        require(actor, "administrator", "slt", doing="edit the job-title table")
        key = title_key(title)
        current = {title_key(t.title): t for t in self.list()}
        if key not in current or not current[key].roles:
            raise NotFound(f"'{title}' is not in the job-title table")
        return self._save(actor, key, current[key].title, (), "staff.titles.remove")

    def _save(self, actor: Actor, key: str, title: str, roles: tuple[str, ...],
              action: str) -> JobTitle:
        shipped = {title_key(t): r for t, r in DEFAULT_TITLES.items()}
        with self._sf.begin() as session:
            row = session.get(StaffJobTitle, key)
            before = _split(row.roles) if row is not None else shipped.get(key, ())
            if row is None and key not in shipped and not roles:
                raise NotFound(f"'{title}' is not in the job-title table")
            if row is not None and not roles and key not in shipped:
                session.delete(row)  # a title the school added: gone altogether
                session.flush()
                audit.record(session, actor=actor.username, action=action,
                             subject=f"job_title:{title}",
                             details={"title": title, "roles": [list(before), []]})
                return JobTitle(title, (), False, True, None)
            if row is None:
                row = StaffJobTitle(key=key, title=title, roles=",".join(roles),
                                    updated_by=actor.staff_id)
                session.add(row)
            else:
                row.title, row.roles, row.updated_by = title, ",".join(roles), actor.staff_id
            session.flush()
            audit.record(session, actor=actor.username, action=action,
                         subject=f"job_title:{title}",
                         details={"title": title, "roles": [list(before), list(roles)]})
            return JobTitle(title, roles, key in shipped, True, row.version_id)


def _split(text: str) -> tuple[str, ...]:
    parts = {p.strip() for p in text.split(",") if p.strip()}
    return tuple(r for r in ROLES if r in parts)
