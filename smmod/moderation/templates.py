"""Reply and audience-notice templates (R8, R10), with {school}, {account}, {author}.

The shipped templates are text files in ``resources/templates`` that a school can edit;
an edit made in smmod is stored in the database and wins over the file, so every
moderator on a shared database sees the same wording. Unknown placeholders are refused
when a template is saved, so a typo never reaches a public reply.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from smmod import audit
from smmod.errors import ConflictError, InputError, NotFound
from smmod.identity import Actor, require
from smmod.moderation.records import TemplateInfo
from smmod.paths import resource
from smmod.store.engine import SessionFactory
from smmod.store.models import ReplyTemplate, Staff

TEMPLATE_DIR = resource("templates")
FOLDERS = {"reply": "replies", "notice": "notices"}
PLACEHOLDERS = ("school", "account", "author")
EDITING_ROLES = ("moderator", "slt", "administrator")

_KEY = re.compile(r"[a-z0-9][a-z0-9_\-]{0,63}")
_BRACED = re.compile(r"\{([^{}]*)\}")
_MAX_TITLE = 200
_MAX_BODY = 10_000


@dataclass(frozen=True)
class ShippedTemplate:
    key: str
    kind: str
    title: str
    body: str


def parse_template_file(text: str, *, key: str) -> tuple[str, str]:
    """(title, body) of a template file: "# Title", more "#" comment lines, then the text."""
    lines = text.replace("\r\n", "\n").split("\n")
    title = ""
    start = 0
    for index, line in enumerate(lines):
        if not line.startswith("#"):
            start = index
            break
        if not title:
            title = line.lstrip("#").strip()
        start = index + 1
    body = "\n".join(lines[start:]).strip()
    return title or key.replace("_", " ").capitalize(), body


def shipped_templates(directory: Path = TEMPLATE_DIR) -> dict[str, ShippedTemplate]:
    """Every template file shipped in ``directory``, by id (file name without .txt)."""
    found: dict[str, ShippedTemplate] = {}
    for kind, folder in FOLDERS.items():
        for path in sorted((directory / folder).glob("*.txt")):
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as err:
                raise InputError(f"cannot read the template: {err}", file=str(path)) from err
            title, body = parse_template_file(text, key=path.stem)
            check_placeholders(body, source=str(path))
            found[path.stem] = ShippedTemplate(path.stem, kind, title, body)
    return found


def check_placeholders(body: str, *, source: str | None = None, field: str = "body") -> None:
    """Refuse ``{anything}`` that is not a known placeholder, and stray braces."""
    for match in _BRACED.finditer(body):
        name = match.group(1)
        if name not in PLACEHOLDERS:
            known = ", ".join("{" + p + "}" for p in PLACEHOLDERS)
            raise InputError(f"unknown placeholder {match.group(0)}; use {known}", file=source, field=field)
    rest = _BRACED.sub("", body)
    if "{" in rest or "}" in rest:
        raise InputError(
            "has a '{' or '}' that is not part of a placeholder such as {school}", file=source, field=field
        )


_AFTER_THE = re.compile(r"\bthe\s+$", re.IGNORECASE)
_SENTENCE_START = re.compile(r"(^|[.!?:]\s+|\n\s*)$")


def unnamed_school(before: str) -> str:
    """Words for {school} while the school's name is not set, fitted to the text before it.

    "the {school} community" reads "the school community", a sentence that starts with
    {school} reads "The school ...", anywhere else it is "the school". A made-up name
    never reaches a reply, a notice or a report.
    """
    if _AFTER_THE.search(before):
        return "school"
    if _SENTENCE_START.search(before):
        return "The school"
    return "the school"


def fill(body: str, *, school: str, account: str, author: str) -> str:
    """The template with its placeholders filled; values are used as they are.

    An empty ``school`` (the name has not been set) gives wording without a name.
    """
    values = {"school": school.strip(), "account": account, "author": author}

    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name == "school" and not values["school"]:
            return unnamed_school(body[: match.start()])
        return values.get(name, match.group(0))

    return _BRACED.sub(value, body)


def unfilled(text: str) -> list[str]:
    """Placeholders still in a text (a notice pasted from a template and not filled)."""
    return [m.group(0) for m in _BRACED.finditer(text) if m.group(1) in PLACEHOLDERS]


class TemplateStore:
    """Shipped templates plus the school's edits; edits are audited, never silent."""

    def __init__(
        self, session_factory: SessionFactory, *, school: Callable[[], str], directory: Path = TEMPLATE_DIR
    ) -> None:
        self._sf = session_factory
        self._school = school
        self._directory = directory

    def school(self) -> str:
        return self._school()

    def _shipped(self) -> dict[str, ShippedTemplate]:
        return shipped_templates(self._directory)

    def list_templates(self, kind: str | None = None) -> list[TemplateInfo]:
        """Every template (shipped and added), replies before notices, by title."""
        shipped = self._shipped()
        with self._sf() as session:
            edits = {t.key: t for t in session.execute(select(ReplyTemplate)).scalars()}
        keys = set(shipped) | set(edits)
        infos = [self._info(key, shipped.get(key), edits.get(key)) for key in keys]
        if kind is not None:
            infos = [i for i in infos if i.kind == kind]
        return sorted(infos, key=lambda i: (i.kind != "reply", i.title.casefold()))

    def get(self, key: str) -> TemplateInfo:
        shipped = self._shipped().get(key)
        with self._sf() as session:
            edit = session.get(ReplyTemplate, key)
            if shipped is None and edit is None:
                raise NotFound(f"no template '{key}'")
            return self._info(key, shipped, edit)

    def render(self, key: str, *, account: str, author: str) -> str:
        return fill(self.get(key).body, school=self._school(), account=account, author=author)

    def save(
        self, actor: Actor, key: str, *, kind: str, title: str, body: str, version_id: int | None
    ) -> TemplateInfo:
        """Store the school's version; ``version_id`` None means "no edit stored yet"."""
        require(actor, *EDITING_ROLES, doing="edit reply templates")
        if not _KEY.fullmatch(key or ""):
            raise InputError("use a-z, 0-9, '_' and '-' (at most 64)", field="key")
        if kind not in FOLDERS:
            raise InputError(f"must be one of {', '.join(FOLDERS)}", field="kind")
        title = (title or "").strip()
        body = (body or "").replace("\r\n", "\n").strip()
        if not title:
            raise InputError("must not be empty", field="title")
        if len(title) > _MAX_TITLE:
            raise InputError(f"is longer than {_MAX_TITLE} characters", field="title")
        if not body:
            raise InputError("must not be empty", field="body")
        if len(body) > _MAX_BODY:
            raise InputError(f"is longer than {_MAX_BODY:,} characters", field="body")
        check_placeholders(body)
        shipped = self._shipped().get(key)
        if shipped is not None and shipped.kind != kind:
            raise InputError(f"'{key}' is a {shipped.kind} template", field="kind")
        try:
            with self._sf.begin() as session:
                row = session.get(ReplyTemplate, key)
                if row is None:
                    if version_id is not None:
                        raise ConflictError(f"template '{key}' was reset elsewhere — reload")
                    row = ReplyTemplate(key=key, kind=kind, title=title, body=body, updated_by=actor.staff_id)
                    session.add(row)
                else:
                    if row.version_id != version_id:
                        raise ConflictError(f"template '{key}' was changed elsewhere — reload")
                    row.kind, row.title, row.body = kind, title, body
                    row.updated_by = actor.staff_id
                session.flush()
                audit.record(
                    session,
                    actor=actor.username,
                    action="moderation.template_saved",
                    subject=f"template:{key}",
                    details={"title": title, "kind": kind},
                )
        except StaleDataError:
            raise ConflictError(f"template '{key}' was changed elsewhere — reload") from None
        return self.get(key)

    def reset(self, actor: Actor, key: str) -> TemplateInfo | None:
        """Go back to the shipped text (None when the template was the school's own)."""
        require(actor, *EDITING_ROLES, doing="edit reply templates")
        with self._sf.begin() as session:
            row = session.get(ReplyTemplate, key)
            if row is None:
                raise NotFound(f"template '{key}' has no edits to undo")
            session.delete(row)
            audit.record(
                session,
                actor=actor.username,
                action="moderation.template_reset",
                subject=f"template:{key}",
                details={"title": row.title},
            )
        return self.get(key) if key in self._shipped() else None

    @staticmethod
    def _info(key: str, shipped: ShippedTemplate | None, edit: ReplyTemplate | None) -> TemplateInfo:
        if edit is not None:
            return TemplateInfo(
                key,
                edit.kind,
                edit.title,
                edit.body,
                True,
                shipped.body if shipped else None,
                edit.version_id,
            )
        assert shipped is not None
        return TemplateInfo(key, shipped.kind, shipped.title, shipped.body, False, shipped.body, None)


def editor_name(session: Session, staff_id: int | None) -> str | None:
    if staff_id is None:
        return None
    person = session.get(Staff, staff_id)
    return person.name if person else None
