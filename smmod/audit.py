"""The audit trail: who did what, when and why (principle 2).

Entries are appended inside the caller's transaction, so a change and its audit entry
commit or roll back together. Each entry stores the SHA-256 of the previous one and its
own hash covers its id, so ``verify`` notices an entry that was altered, removed or
reordered even by someone who dropped the triggers and edited the file.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from smmod.store import identities
from smmod.store.base import session_clock
from smmod.store.dialect import serialise_writers
from smmod.store.engine import SessionFactory
from smmod.store.models import AuditEntry, Staff

GENESIS = "0" * 64
_SECRET_KEY = re.compile(r"(password|secret|token|passphrase)", re.IGNORECASE)


@dataclass(frozen=True)
class AuditRecord:
    id: int
    at: datetime
    actor: str
    action: str
    subject: str
    details: dict[str, Any]
    reason: str | None
    actor_name: str | None = None  # the staff register's name for the login, when it has one

    @property
    def who(self) -> str:
        """The person's name for people to read; the login when nobody has that login."""
        return self.actor_name or self.actor


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    entries: int
    first_bad_id: int | None = None
    problem: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "entries": self.entries,
                "first_bad_id": self.first_bad_id, "problem": self.problem}


@dataclass(frozen=True)
class AuditFilter:
    actor: str | None = None
    action: str | None = None
    subject: str | None = None  # prefix match: "account:" or "account:12"
    since: datetime | None = None
    until: datetime | None = None
    limit: int = 2000


def _entry_hash(entry_id: int, at: datetime, actor: str, action: str, subject: str,
                details: str, reason: str | None, prev_hash: str) -> str:
    payload = json.dumps(
        [entry_id, at.astimezone(UTC).isoformat(timespec="microseconds"), actor, action,
         subject, details, reason, prev_hash],
        ensure_ascii=False, separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _check_no_secrets(details: Any) -> None:
    """Refuse a secret-looking key anywhere in the details, nested ones included."""
    if isinstance(details, dict):
        for key, value in details.items():
            name = str(key)
            if _SECRET_KEY.search(name) and not name.endswith(("_at", "_on", "_id", "_key_name")):
                raise ValueError(f"audit details must not carry secrets (key {name!r})")
            _check_no_secrets(value)
    elif isinstance(details, (list, tuple)):
        for item in details:
            _check_no_secrets(item)


def record(session: Session, *, actor: str, action: str, subject: str,
           details: dict[str, Any] | None = None, reason: str | None = None) -> AuditEntry:
    """Append one entry to the trail inside ``session``'s transaction."""
    details = details or {}
    _check_no_secrets(details)
    serialise_writers(session, "audit")  # one writer at a time extends the chain
    last = session.execute(
        select(AuditEntry.id, AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1)
    ).first()
    # On a server the database names the actor (the connected login's staff record) and
    # refuses any other name; ask it, so the hash covers what is stored.
    actor = identities.audit_actor(session) or actor
    entry_id = (last.id + 1) if last else 1
    prev_hash = last.hash if last else GENESIS
    at = session_clock(session).now()
    details_json = json.dumps(details, ensure_ascii=False, sort_keys=True, default=str)
    entry = AuditEntry(
        id=entry_id, at=at, actor=actor, action=action, subject=subject,
        details=details_json, reason=reason, prev_hash=prev_hash,
        hash=_entry_hash(entry_id, at, actor, action, subject, details_json, reason, prev_hash),
    )
    session.add(entry)
    session.flush()
    return entry


def verify(session_factory: SessionFactory) -> VerifyResult:
    """Walk the whole chain; name the first entry that does not fit."""
    expected_prev = GENESIS
    expected_id = 1
    count = 0
    with session_factory() as session:
        rows = session.execute(select(AuditEntry).order_by(AuditEntry.id)).scalars()
        for entry in rows:
            count += 1
            if entry.id != expected_id:
                return VerifyResult(False, count, entry.id,
                                    f"entry {expected_id} is missing (found {entry.id} next)")
            if entry.prev_hash != expected_prev:
                return VerifyResult(False, count, entry.id,
                                    "does not follow the previous entry (removed or reordered)")
            actual = _entry_hash(entry.id, entry.at, entry.actor, entry.action, entry.subject,
                                 entry.details, entry.reason, entry.prev_hash)
            if actual != entry.hash:
                return VerifyResult(False, count, entry.id, "content was altered")
            expected_prev = entry.hash
            expected_id += 1
            session.expunge(entry)
    return VerifyResult(True, count)


def _to_record(entry: AuditEntry, names: dict[str, str] | None = None) -> AuditRecord:
    try:
        details = json.loads(entry.details)
    except ValueError:
        details = {"raw": entry.details}
    return AuditRecord(entry.id, entry.at, entry.actor, entry.action, entry.subject,
                       details, entry.reason, (names or {}).get(entry.actor))


def actor_names(session_factory: SessionFactory) -> dict[str, str]:
    """Staff names by login, for showing who did something."""
    with session_factory() as session:
        return _actor_names(session)


def _actor_names(session: Session) -> dict[str, str]:
    return {username: name for username, name in session.execute(select(Staff.username, Staff.name))}


def query(session_factory: SessionFactory, flt: AuditFilter = AuditFilter()) -> list[AuditRecord]:
    """Entries matching ``flt``, newest first."""
    stmt = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(flt.limit)
    if flt.actor:
        stmt = stmt.where(AuditEntry.actor == flt.actor)
    if flt.action:
        stmt = stmt.where(AuditEntry.action.like(f"{flt.action}%"))
    if flt.subject:
        stmt = stmt.where(AuditEntry.subject.like(f"{flt.subject}%"))
    if flt.since:
        stmt = stmt.where(AuditEntry.at >= flt.since)
    if flt.until:
        stmt = stmt.where(AuditEntry.at < flt.until)
    with session_factory() as session:
        names = _actor_names(session)
        return [_to_record(e, names) for e in session.execute(stmt).scalars()]


def history(session_factory: SessionFactory, subject: str) -> list[AuditRecord]:
    """Everything that happened to one subject, oldest first."""
    return list(reversed(query(session_factory, AuditFilter(subject=subject, limit=10_000))))


def distinct_values(session_factory: SessionFactory) -> tuple[list[str], list[str]]:
    """Actors and actions seen, for filter drop-downs."""
    with session_factory() as session:
        actors = session.execute(select(AuditEntry.actor).distinct().order_by(AuditEntry.actor))
        actions = session.execute(select(AuditEntry.action).distinct().order_by(AuditEntry.action))
        return list(actors.scalars()), list(actions.scalars())


def export_csv(records: Iterable[AuditRecord], path: Path) -> int:
    """Write records to CSV (UTF-8 with BOM so spreadsheet programs read it)."""
    count = 0
    with path.open("w", newline="", encoding="utf-8-sig") as fh:
        writer = csv.writer(fh)
        writer.writerow(["id", "at_utc", "actor", "action", "subject", "reason", "details"])
        for r in records:
            writer.writerow([r.id, r.at.isoformat(), r.actor, r.action, r.subject,
                             r.reason or "", json.dumps(r.details, ensure_ascii=False)])
            count += 1
    return count
