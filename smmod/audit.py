"""The audit trail: who did what, when and why (principle 2).

Entries are appended inside the caller's transaction, so a change and its audit entry
commit or roll back together. Each entry stores the SHA-256 of the previous one and its
own hash covers its id, so ``verify`` notices an entry that was altered, removed or
reordered even by someone who dropped the triggers and edited the file.

Each entry is also signed by its actor (``smmod.audit_sign``) when the session factory
carries a signer: the entry's hash then covers its key id, and its signature covers the
hash. After each commit that appended entries, this computer's anchor moves to the new
head (``smmod.audit_anchor.AnchorKeeper``).
"""

from __future__ import annotations

import csv
import hashlib
import json
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import event, inspect, literal, select
from sqlalchemy.orm import Session, SessionTransaction

from smmod.audit_sign import SIGNER_INFO, SignatureCheck, Signer, SigningKey
from smmod.errors import SmmodError
from smmod.store import identities
from smmod.store.base import session_clock
from smmod.store.dialect import serialise_writers
from smmod.store.engine import SessionFactory
from smmod.store.models import AuditActorKey, AuditEntry, Staff

log = logging.getLogger("smmod.audit")

GENESIS = "0" * 64
_SECRET_KEY = re.compile(r"(password|secret|token|passphrase)", re.IGNORECASE)
KEEPER_INFO = "audit_anchor_keeper"  # Session.info: what moves the anchor after a commit
_HEAD_INFO = "audit_appended_head"  # Session.info: (id, hash) of the newest entry appended


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
                details: str, reason: str | None, prev_hash: str,
                key_id: str | None = None, public_key: str | None = None) -> str:
    """The entry's SHA-256; a signed entry's covers its key id (and the public key it
    registers) too, so its signature cannot be stripped or its key swapped without
    changing the chain (unsigned ones hash as they always did)."""
    fields: list[Any] = [entry_id, at.astimezone(UTC).isoformat(timespec="microseconds"), actor,
                         action, subject, details, reason, prev_hash]
    if key_id is not None:
        fields.append(key_id)
        if public_key is not None:
            fields.append(public_key)
    payload = json.dumps(fields, ensure_ascii=False, separators=(",", ":"))
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
    """Append one entry to the trail inside ``session``'s transaction, signed with the
    actor's key when the session's factory has a signer. The actor's first entry signed
    with a key carries the public key, which registers it."""
    details = details or {}
    _check_no_secrets(details)
    serialise_writers(session, "audit")  # one writer at a time extends the chain
    # On a server the database names the actor (the connected login's staff record) and
    # refuses any other name; ask it, so the hash covers what is stored.
    actor = identities.audit_actor(session) or actor
    key = _signing_key(session.info.get(SIGNER_INFO), actor)
    registers = key is not None and session.get(AuditActorKey, key.key_id) is None
    last = session.execute(
        select(AuditEntry.id, AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1)
    ).first()
    entry_id = (last.id + 1) if last else 1
    prev_hash = last.hash if last else GENESIS
    at = session_clock(session).now()
    details_json = json.dumps(details, ensure_ascii=False, sort_keys=True, default=str)
    key_id = key.key_id if key is not None else None
    public_key = key.public_key if key is not None and registers else None
    entry_hash = _entry_hash(entry_id, at, actor, action, subject, details_json, reason,
                             prev_hash, key_id, public_key)
    entry = AuditEntry(
        id=entry_id, at=at, actor=actor, action=action, subject=subject,
        details=details_json, reason=reason, prev_hash=prev_hash, hash=entry_hash,
        key_id=key_id, public_key=public_key,
        signature=key.sign(entry_hash) if key is not None else None,
    )
    session.add(entry)
    session.flush()  # the entry first: on a server its actor check gives the clearer refusal
    if key is not None and registers:
        session.add(AuditActorKey(key_id=key.key_id, actor=actor, public_key=key.public_key,
                                  registered_entry=entry_id, registered_at=at))
    session.flush()
    session.info[_HEAD_INFO] = (entry_id, entry_hash)
    return entry


def _signing_key(signer: Signer | None, actor: str) -> SigningKey | None:
    """The actor's key, or None: with no signer, or when the keyring fails. The entry is
    then written unsigned (the action itself goes ahead, as everything but secrets keeps
    working without a keyring), and ``verify`` names it."""
    if signer is None:
        return None
    try:
        return signer.key_for(actor)
    except SmmodError as exc:
        log.warning("an audit entry by %s is written unsigned: the keyring failed (%s)",
                    actor, exc)
        return None


@event.listens_for(Session, "before_commit")
def _anchor_before_commit(session: Session) -> None:
    keeper = session.info.get(KEEPER_INFO)
    head = session.info.get(_HEAD_INFO)
    if keeper is not None and head is not None:
        keeper.before_commit(session, *head)


@event.listens_for(Session, "after_commit")
def _anchor_after_commit(session: Session) -> None:
    keeper = session.info.get(KEEPER_INFO)
    if keeper is not None and session.info.pop(_HEAD_INFO, None) is not None:
        keeper.after_commit()


@event.listens_for(Session, "after_transaction_end")
def _forget_head(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:  # the outermost transaction: committed or rolled back
        session.info.pop(_HEAD_INFO, None)


def verify(session_factory: SessionFactory) -> VerifyResult:
    """Walk the whole chain; name the first entry that does not fit: one out of place,
    altered, or not signed by its actor's registered key (after signing began)."""
    expected_prev = GENESIS
    expected_id = 1
    count = 0
    signatures = SignatureCheck()
    problem: str | None = None
    with session_factory() as session:
        tables = set(inspect(session.connection()).get_table_names())
        signed_schema = AuditActorKey.__tablename__ in tables  # a backup from before 0016
        columns: list[Any] = [AuditEntry.id, AuditEntry.at, AuditEntry.actor, AuditEntry.action,
                              AuditEntry.subject, AuditEntry.details, AuditEntry.reason,
                              AuditEntry.prev_hash, AuditEntry.hash]
        columns += ([AuditEntry.key_id, AuditEntry.signature, AuditEntry.public_key]
                    if signed_schema else [literal(None).label(name) for name in
                                           ("key_id", "signature", "public_key")])
        for entry in session.execute(select(*columns).order_by(AuditEntry.id)):
            count += 1
            if entry.id != expected_id:
                return VerifyResult(False, count, entry.id,
                                    f"entry {expected_id} is missing (found {entry.id} next)")
            if entry.prev_hash != expected_prev:
                return VerifyResult(False, count, entry.id,
                                    "does not follow the previous entry (removed or reordered)")
            actual = _entry_hash(entry.id, entry.at, entry.actor, entry.action, entry.subject,
                                 entry.details, entry.reason, entry.prev_hash, entry.key_id,
                                 entry.public_key)
            if actual != entry.hash:
                return VerifyResult(False, count, entry.id, "content was altered")
            problem = signatures.problem(entry)
            if problem is not None:
                return VerifyResult(False, count, entry.id, problem)
            expected_prev = entry.hash
            expected_id += 1
        if signed_schema:
            rows = session.execute(select(AuditActorKey.key_id, AuditActorKey.actor,
                                          AuditActorKey.public_key, AuditActorKey.registered_entry))
            problem = signatures.table_problem([(r[0], r[1], r[2], r[3]) for r in rows])
    if problem is not None:
        return VerifyResult(False, count, None, problem)
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
