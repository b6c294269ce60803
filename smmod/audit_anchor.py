"""Guards on the audit trail that live outside the database (issue 15).

Someone who can write the database file (and drop its triggers) can cut entries off the
end of the chain, or put back an older copy, and the chain itself still looks whole. So
each computer keeps the newest head of the chain it has seen, the *anchor* (entry count
and hash), in its OS keyring, and every backup carries its head in a sidecar file. A trail
that ends before an anchor, or differs from it at the anchor's position, is reported.

The anchors catch truncation and rollback; the actors' signatures (``smmod.audit_sign``)
catch an insider who rewrites entries and recomputes the chain. A legitimate rollback is
accepted exactly: ``smmod restore`` appends a signed entry naming the head it rolled back
(and the hashes of the entries it rolled back), ``smmod init --new-register`` one naming
the old register's anchors it retires; an anchor is excused only when such an entry names
it (``covers``).
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from smmod.audit import VerifyResult, verify
from smmod.errors import NotFound, SmmodError
from smmod.store.backup import HEAD_SIDECAR
from smmod.store.engine import SessionFactory, masked_url
from smmod.store.models import AuditEntry

if TYPE_CHECKING:
    from smmod.vault import Vault

log = logging.getLogger("smmod.audit_anchor")

SQLITE_GUARDS = ("audit_entries_no_update", "audit_entries_no_delete")
POSTGRES_GUARDS = ("audit_entries_append_only",)


@dataclass(frozen=True)
class Head:
    """The newest entry of a trail: its position (= entry count) and hash."""

    count: int
    hash: str
    seen_at: str  # ISO 8601 UTC, when this head was seen
    where: str = "this computer"

    def to_json(self) -> str:
        return json.dumps({"count": self.count, "hash": self.hash, "seen_at": self.seen_at})

    @classmethod
    def from_json(cls, raw: str, where: str) -> Head | None:
        try:
            data = json.loads(raw)
            return cls(int(data["count"]), str(data["hash"]), str(data["seen_at"]), where)
        except (ValueError, KeyError, TypeError):
            log.warning("an audit anchor (%s) could not be read; it is ignored", where)
            return None


def database_identity(url: str) -> str:
    """A short stable name for one database (its URL without password), for the keyring key."""
    return hashlib.sha256(masked_url(url).encode("utf-8")).hexdigest()[:16]


def anchor_key(url: str) -> str:
    return f"audit-anchor:{database_identity(url)}"


def current_head(session_factory: SessionFactory) -> Head | None:
    with session_factory() as session:
        row = session.execute(select(AuditEntry.id, AuditEntry.hash)
                              .order_by(AuditEntry.id.desc()).limit(1)).first()
        now = session_factory.clock.now().isoformat()
    return Head(row.id, row.hash, now) if row else None


def _hash_at(session_factory: SessionFactory, position: int) -> str | None:
    with session_factory() as session:
        return session.execute(select(AuditEntry.hash)
                               .where(AuditEntry.id == position)).scalar_one_or_none()


RESTORED = "database.restored"
NEW_REGISTER = "database.new_register"


@dataclass(frozen=True)
class Covers:
    """Anchors that signed restore and new-register entries account for: (count, hash)
    pairs each valid only beyond its own restore point."""

    rolled_back: list[tuple[int, int, str]]  # (restore point, count, hash)
    retired: set[tuple[int, str]]

    def excuse(self, anchor: Head) -> bool:
        if (anchor.count, anchor.hash) in self.retired:
            return True
        return any(point < anchor.count and (anchor.count, anchor.hash) == (count, hash_)
                   for point, count, hash_ in self.rolled_back)


def _pairs(entry_id: int, raw: str) -> tuple[list[tuple[int, int, str]], set[tuple[int, str]]]:
    rolled: list[tuple[int, int, str]] = []
    retired: set[tuple[int, str]] = set()
    try:
        details = json.loads(raw)
        for item in details.get("retired_anchors") or []:
            retired.add((int(item["count"]), str(item["hash"])))
        first = details.get("rolled_back_from")
        point = first - 1 if isinstance(first, int) else details.get("entries_in_backup")
        if isinstance(point, int) and 0 <= point < entry_id:
            head = details.get("head_before")
            if head:
                rolled.append((point, int(head["count"]), str(head["hash"])))
            for offset, hash_ in enumerate(details.get("rolled_back_hashes") or []):
                rolled.append((point, point + 1 + offset, str(hash_)))
    except (ValueError, KeyError, TypeError, AttributeError):
        log.warning("audit entry %s names anchors that cannot be read; they are ignored", entry_id)
    return rolled, retired


def covers(session: Session) -> Covers:
    """What the signed restore and new-register entries of the trail account for (only
    signed ones count; ``audit.verify`` has checked each signature)."""
    rolled: list[tuple[int, int, str]] = []
    retired: set[tuple[int, str]] = set()
    rows = session.execute(select(AuditEntry.id, AuditEntry.details).where(
        AuditEntry.action.in_((RESTORED, NEW_REGISTER)), AuditEntry.key_id.is_not(None),
        AuditEntry.signature.is_not(None)))
    for entry_id, raw in rows:
        more_rolled, more_retired = _pairs(entry_id, raw)
        rolled += more_rolled
        retired |= more_retired
    return Covers(rolled, retired)


def gaps(session_factory: SessionFactory, anchors: list[Head]) -> list[str]:
    """Each anchor the trail does not reach or does not match, in plain words, unless a
    signed restore or new-register entry accounts for exactly that anchor."""
    from smmod import formatting as fmt

    head = current_head(session_factory)
    count = head.count if head else 0
    with session_factory() as session:
        excused = covers(session)
    problems = []
    for anchor in anchors:
        if excused.excuse(anchor):
            continue
        try:
            when = fmt.day(datetime.fromisoformat(anchor.seen_at).date())
        except ValueError:
            when = anchor.seen_at
        saw = f"{anchor.where} saw entry {anchor.count} (hash {anchor.hash[:12]}…) on {when}"
        if count < anchor.count:
            problems.append(f"the trail ends at entry {count} but {saw}: "
                            f"entries {count + 1}–{anchor.count} are missing")
        elif _hash_at(session_factory, anchor.count) != anchor.hash:
            problems.append(f"entry {anchor.count} is not the one {saw}: the trail was "
                            "replaced or rewritten from there")
    return problems


# -- the anchor in this computer's keyring ------------------------------------------------

def read_anchor(vault: Vault, url: str) -> Head | None:
    try:
        raw = vault.get_secret(anchor_key(url))
    except NotFound:
        return None
    return Head.from_json(raw, "this computer")


def remember(session_factory: SessionFactory, vault: Vault, url: str) -> None:
    """Keep the current head as this computer's anchor (called once the whole trail,
    anchors included, was found sound, so a kept anchor a restore accounts for is
    replaced)."""
    head = current_head(session_factory)
    if head is None:
        return
    kept = read_anchor(vault, url)
    if kept is not None and (kept.count, kept.hash) == (head.count, head.hash):
        return
    _keep(session_factory, vault, url, head)


def _keeper(session_factory: SessionFactory) -> Any:
    from smmod.audit import KEEPER_INFO

    return session_factory.get_info(KEEPER_INFO)


def _keep(session_factory: SessionFactory, vault: Vault, url: str, head: Head) -> None:
    vault.set_secret(anchor_key(url), head.to_json())
    keeper = _keeper(session_factory)
    if keeper is not None:
        keeper.noted(head)


def settle(session_factory: SessionFactory, url: str, vault: Vault) -> None:
    """After a recorded restore or new register: when the entry just recorded accounts for
    this computer's anchor, the anchor moves to the new head (it is history now)."""
    head = current_head(session_factory)
    try:
        kept = read_anchor(vault, url)
        if head is None or (kept is not None and (kept.count, kept.hash) == (head.count, head.hash)):
            return
        if kept is not None:
            with session_factory() as session:
                if not covers(session).excuse(kept):
                    return
        _keep(session_factory, vault, url, head)
    except SmmodError as exc:
        log.warning("the audit anchor could not be kept in the keyring: %s", exc)


def known_anchors(vault: Vault | None, url: str, backups_dir: Path | None) -> list[Head]:
    """This computer's anchor (when its keyring can be read) and every backup's head."""
    anchors = backup_heads(backups_dir) if backups_dir is not None else []
    if vault is not None:
        try:
            own = read_anchor(vault, url)
        except SmmodError:
            own = None
        if own is not None:
            anchors.insert(0, own)
    return anchors


# -- backups' sidecars ------------------------------------------------------------------

def backup_heads(backups_dir: Path) -> list[Head]:
    heads = []
    for path in sorted(backups_dir.glob(f"*{HEAD_SIDECAR}")) if backups_dir.exists() else []:
        head = Head.from_json(path.read_text(encoding="utf-8"),
                              f"the backup {path.name[:-len(HEAD_SIDECAR)]}")
        if head is not None:
            heads.append(head)
    return heads


# -- the append-only triggers ---------------------------------------------------------------

def missing_guards(session_factory: SessionFactory) -> list[str]:
    """Names of the append-only triggers the database should have and does not."""
    with session_factory() as session:
        dialect = session.get_bind().dialect.name
        if dialect == "sqlite":
            found = set(session.execute(text(
                "SELECT name FROM sqlite_master WHERE type = 'trigger'")).scalars())
            wanted: tuple[str, ...] = SQLITE_GUARDS
        elif dialect == "postgresql":
            found = set(session.execute(text(
                "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")).scalars())
            wanted = POSTGRES_GUARDS
        else:
            return []
    return [name for name in wanted if name not in found]


@dataclass(frozen=True)
class TrailReport:
    chain: VerifyResult
    problems: list[str]  # beyond the chain: anchors not reached, triggers missing

    @property
    def ok(self) -> bool:
        return self.chain.ok and not self.problems

    def to_dict(self) -> dict[str, Any]:
        return {**self.chain.to_dict(), "ok": self.ok, "problems": self.problems}


def check(session_factory: SessionFactory, url: str, vault: Vault | None,
          backups_dir: Path | None) -> TrailReport:
    """The chain, the anchors and the triggers; on a sound trail, this computer's anchor
    moves up to the current head."""
    keeper = _keeper(session_factory)
    if keeper is not None:
        keeper.flush()  # this run's own commits first, so the keyring is up to date
    result = verify(session_factory)
    problems: list[str] = []
    anchors = backup_heads(backups_dir) if backups_dir is not None else []
    own: Head | None = None
    if vault is not None:
        try:
            own = read_anchor(vault, url)
        except SmmodError as exc:
            problems.append(f"this computer's anchor could not be read from the keyring: {exc}")
    if own is not None:
        anchors.insert(0, own)
    problems += gaps(session_factory, anchors)
    problems += [f"the append-only trigger {name} is missing: the trail can be edited or cut"
                 for name in missing_guards(session_factory)]
    if result.ok and not problems and vault is not None:
        try:
            remember(session_factory, vault, url)
        except SmmodError as exc:
            log.warning("the audit anchor could not be kept in the keyring: %s", exc)
    return TrailReport(result, problems)
