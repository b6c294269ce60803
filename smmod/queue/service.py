"""The moderation queue service: imports, manual entry, claiming, the response clock.

The UI and the command line call the same methods. Each write opens one transaction
(an import is all or nothing) and returns dataclasses. Reads for the triage view go
through ``QueueReader`` (``self.read``), which on SQLite uses its own connection pool
so that browsing never waits for a long import to finish.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import cast

from sqlalchemy import Table, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from smmod import audit
from smmod.errors import ConflictError, ImportRejected, InputError, NotFound
from smmod.identity import Actor
from smmod.queue import deadlines, mappings
from smmod.queue.access import account_ref, require_moderator, resolve_account
from smmod.queue.feeds import FeedService
from smmod.queue.ingest import store_parsed
from smmod.queue.parsers import (
    AUTHOR_KINDS,
    KINDS,
    ParseResult,
    content_hash,
    parse_file,
    write_rejects,
)
from smmod.queue.reader import QueueReader
from smmod.queue.records import AccountRef, ImportReport, ManualItem, QueueRow
from smmod.sla import WorkingCalendar, due_at
from smmod.store.base import utcnow
from smmod.store.engine import SessionFactory
from smmod.store.models import Account, QueueItem, QueueItemFlag, Staff

log = logging.getLogger("smmod.queue")

EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
FUTURE_SLACK = timedelta(days=1)
MAX_TEXT = 100_000
MAX_FIELD = 2_000


def _subject(item_id: int) -> str:
    return f"queue_item:{item_id}"


class QueueService:
    def __init__(
        self,
        session_factory: SessionFactory,
        *,
        calendar: Callable[[], WorkingCalendar] = WorkingCalendar,
        stale_days: Callable[[], int] = lambda: 1,
        now: Callable[[], datetime] = utcnow,
        feed_timeout: float = 10.0,
    ) -> None:
        self._sf = session_factory
        self._calendar = calendar
        self._now = now
        self.read = QueueReader(session_factory, now=now, stale_days=stale_days)
        self.feeds = FeedService(self, session_factory, timeout=feed_timeout)

    def close(self) -> None:
        self.read.close()

    # -- shared helpers (also used by FeedService) -----------------------------------
    def now(self) -> datetime:
        return self._now()

    def calendar(self) -> WorkingCalendar:
        return self._calendar()

    def session_factory(self) -> SessionFactory:
        return self._sf

    def resolve_account(self, wanted: str) -> AccountRef:
        """An account from 'handle', '@handle' or 'platform:handle'."""
        with self._sf() as session:
            return resolve_account(session, wanted)

    # -- imports ---------------------------------------------------------------------
    def parse(
        self, path: str | Path, *, fmt: str = "auto", mapping: Mapping[str, str] | None = None
    ) -> ParseResult:
        """Read and validate a file without storing anything (for previews)."""
        if mapping is None:
            mapping = self.remembered_mapping(path)
        return parse_file(path, fmt=fmt, mapping=mapping, tz=self.calendar().tz, now=self._now())

    def import_file(
        self,
        actor: Actor,
        path: str | Path,
        account_id: int,
        *,
        fmt: str = "auto",
        mapping: Mapping[str, str] | None = None,
        import_valid: bool = False,
    ) -> ImportReport:
        """Parse and store a file; with any bad row nothing is stored unless ``import_valid``."""
        result = self.parse(path, fmt=fmt, mapping=mapping)
        return self.store_result(actor, result, account_id, path, import_valid=import_valid)

    def store_result(
        self,
        actor: Actor,
        result: ParseResult,
        account_id: int,
        source_path: str | Path,
        *,
        import_valid: bool = False,
    ) -> ImportReport:
        """Store a parsed file in one transaction.

        Bad rows refuse the whole file (``ImportRejected`` names each one). With
        ``import_valid`` the valid rows go in and the bad ones are written to a rejects
        file beside the source, in the same transaction.
        """
        if not import_valid:
            result.raise_for_problems()
        elif result.problems and not result.items:
            raise ImportRejected(result.source, result.problems, 0)
        calendar = self.calendar()
        now = self._now()
        rejects_file = None
        with self._sf.begin() as session:
            account = account_ref(session, account_id)
            require_moderator(session, actor, account, "import into this account's queue")
            self._ensure_due_current(session, calendar, now)
            outcome = store_parsed(
                session,
                result.items,
                account_id=account.id,
                source=result.format,
                source_ref=Path(source_path).name,
                calendar=calendar,
                now=now,
                staff_id=actor.staff_id,
            )
            if result.problems:
                rejects_file = write_rejects(source_path, result.rejects())
            audit.record(
                session,
                actor=actor.username,
                action="queue.import",
                subject=f"account:{account.id}",
                details={
                    "file": Path(source_path).name,
                    "format": result.format,
                    "imported": outcome.imported,
                    "duplicates": outcome.duplicates,
                    "rejected": len(result.problems),
                    "rejects_file": rejects_file.name if rejects_file else None,
                },
            )
        log.info(
            "imported %d item(s) from %s into %s (%d duplicate(s), %d rejected)",
            outcome.imported,
            Path(source_path).name,
            account.label,
            outcome.duplicates,
            len(result.problems),
        )
        return ImportReport(
            Path(source_path).name,
            result.format,
            account.label,
            outcome.imported,
            outcome.duplicates,
            tuple(result.problems),
            rejects_file,
            result.assumed_local_time,
            calendar.tz,
        )

    def remembered_mapping(self, path: str | Path) -> dict[str, str] | None:
        """The confirmed column mapping for this CSV's headers, if there is one."""
        headers = mappings.csv_headers(path)
        if headers is None:
            return None
        with self._sf() as session:
            return mappings.remembered(session, headers)

    def remember_mapping(self, headers: Sequence[str], mapping: Mapping[str, str]) -> None:
        with self._sf.begin() as session:
            mappings.remember(session, headers, mapping)

    # -- manual entry ----------------------------------------------------------------
    def add_manual(self, actor: Actor, entry: ManualItem) -> int:
        """Add one item typed or pasted by a moderator; returns its id."""
        text = _required(entry.text, "text", MAX_TEXT).replace("\r\n", "\n")
        author = _required(entry.author_name, "author_name", MAX_FIELD)
        if entry.kind not in KINDS:
            raise InputError(
                f"'{entry.kind}' is not a kind; use one of {', '.join(sorted(KINDS))}", field="kind"
            )
        if entry.author_kind not in AUTHOR_KINDS:
            raise InputError(
                f"'{entry.author_kind}' is not an author kind; use one of {', '.join(sorted(AUTHOR_KINDS))}",
                field="author_kind",
            )
        received = self._check_received(entry.received_at)
        url = (entry.url or "").strip() or None
        if url and not url.lower().startswith(("http://", "https://")):
            raise InputError("is not a web address (http or https)", field="url")
        platform_id = (entry.platform_item_id or "").strip() or None
        calendar = self.calendar()
        now = self._now()
        with self._sf.begin() as session:
            account = account_ref(session, entry.account_id)
            require_moderator(session, actor, account, "add items to this account's queue")
            parent = self._parent(session, entry.parent_id, account.id)
            if platform_id:
                clash = session.execute(
                    select(QueueItem.id).where(
                        QueueItem.account_id == account.id, QueueItem.platform_item_id == platform_id
                    )
                ).scalar_one_or_none()
                if clash is not None:
                    raise InputError(f"is already in the queue as item #{clash}", field="platform_item_id")
            item = QueueItem(
                account_id=account.id,
                source="manual",
                source_ref="entered by hand",
                platform_item_id=platform_id,
                parent_platform_id=parent.platform_item_id if parent else None,
                parent_id=parent.id if parent else None,
                author_name=author,
                author_handle=(entry.author_handle or "").strip() or None,
                author_kind=entry.author_kind,
                text=text,
                url=url,
                content_hash=content_hash(author, text, received),
                received_at=received,
                kind=entry.kind,
                status="new",
                priority=0,
                due_at=due_at(received, calendar),
                imported_at=now,
                imported_by=actor.staff_id,
                updated_at=now,
            )
            session.add(item)
            session.flush()
            audit.record(
                session,
                actor=actor.username,
                action="queue.add_manual",
                subject=_subject(item.id),
                details={"account": account.label, "kind": entry.kind},
            )
            return item.id

    def _check_received(self, value: datetime) -> datetime:
        if not isinstance(value, datetime) or value.tzinfo is None:
            raise InputError("needs a date and time with a time zone", field="received_at")
        if value < EARLIEST:
            raise InputError(f"{value.isoformat()} is before 2000", field="received_at")
        if value > self._now() + FUTURE_SLACK:
            raise InputError(f"{value.isoformat()} is more than a day in the future", field="received_at")
        return value

    @staticmethod
    def _parent(session: Session, parent_id: int | None, account_id: int) -> QueueItem | None:
        if parent_id is None:
            return None
        parent = session.get(QueueItem, parent_id)
        if parent is None or parent.account_id != account_id:
            raise InputError(f"item #{parent_id} is not in this account's queue", field="parent_id")
        return parent

    # -- claiming --------------------------------------------------------------------
    def claim(self, actor: Actor, item_id: int, version_id: int, *, take_over: bool = False) -> QueueRow:
        """Claim an item so that two moderators do not work the same one."""
        self.claim_many(actor, [(item_id, version_id)], take_over=take_over)
        return self.read.row(item_id)

    def claim_many(self, actor: Actor, items: Sequence[tuple[int, int]], *, take_over: bool = False) -> int:
        """Claim several items in one transaction; any conflict applies none of them."""
        return self._set_claims(actor, items, claim=True, take_over=take_over)

    def release(self, actor: Actor, item_id: int, version_id: int) -> QueueRow:
        self._set_claims(actor, [(item_id, version_id)], claim=False, take_over=False)
        return self.read.row(item_id)

    def _set_claims(
        self, actor: Actor, items: Sequence[tuple[int, int]], *, claim: bool, take_over: bool
    ) -> int:
        doing = "claim items" if claim else "release items"
        now = self._now()
        changed = 0
        try:
            with self._sf.begin() as session:
                problems: list[str] = []
                for item_id, version_id in items:
                    item = session.get(QueueItem, item_id)
                    if item is None:
                        raise NotFound(f"no queue item #{item_id}")
                    require_moderator(session, actor, account_ref(session, item.account_id), doing)
                    if item.version_id != version_id:
                        problems.append(f"#{item_id} was changed elsewhere")
                        continue
                    holder = item.claimed_by
                    if claim and holder == actor.staff_id:
                        continue
                    if not claim and holder is None:
                        continue
                    if holder is not None and holder != actor.staff_id and not take_over:
                        name = session.get(Staff, holder)
                        problems.append(f"#{item_id} is claimed by {name.name if name else 'someone else'}")
                        continue
                    item.claimed_by = actor.staff_id if claim else None
                    item.claimed_at = now if claim else None
                    item.updated_at = now
                    audit.record(
                        session,
                        actor=actor.username,
                        action="queue.claim" if claim else "queue.release",
                        subject=_subject(item_id),
                        details={"from": holder} if holder else {},
                    )
                    changed += 1
                if problems:
                    raise ConflictError(
                        "; ".join(problems[:5])
                        + (f" (and {len(problems) - 5} more)" if len(problems) > 5 else "")
                        + ": changed elsewhere — reload and try again"
                    )
                session.flush()
        except StaleDataError:
            raise ConflictError("changed elsewhere — reload and try again") from None
        return changed

    # -- the response clock ----------------------------------------------------------
    def record_first_response(
        self,
        item_id: int,
        at: datetime,
        *,
        actor: Actor | None = None,
        session: Session | None = None,
        via: str = "response",
    ) -> bool:
        """Stop the item's clock (an acknowledgement, reply or escalation).

        Pass ``session`` to do it inside your own transaction (the actions feature does,
        with its action row); then no audit entry is written here. Returns False when
        an earlier response was already recorded.
        """
        staff_id = actor.staff_id if actor else None
        now = self._now()
        if session is not None:
            return deadlines.stop_clock(session, item_id, at, staff_id, now)
        with self._sf.begin() as own:
            item = own.get(QueueItem, item_id)
            if item is None:
                raise NotFound(f"no queue item #{item_id}")
            if actor is not None:
                require_moderator(own, actor, account_ref(own, item.account_id), "respond to items")
            stopped = deadlines.stop_clock(own, item_id, at, staff_id, now)
            if stopped and actor is not None:
                audit.record(
                    own,
                    actor=actor.username,
                    action="queue.first_response",
                    subject=_subject(item_id),
                    details={"at": at.isoformat(), "via": via},
                )
            return stopped

    def acknowledge(self, actor: Actor, item_id: int) -> QueueRow:
        """The quickest first response: "we have seen this" (stops the clock now)."""
        self.acknowledge_many(actor, [item_id])
        return self.read.row(item_id)

    def acknowledge_many(self, actor: Actor, item_ids: Sequence[int]) -> int:
        """Acknowledge several items in one transaction; returns how many clocks stopped."""
        at = self._now()
        stopped = 0
        with self._sf.begin() as session:
            for item_id in item_ids:
                item = session.get(QueueItem, item_id)
                if item is None:
                    raise NotFound(f"no queue item #{item_id}")
                require_moderator(session, actor, account_ref(session, item.account_id), "acknowledge items")
                if deadlines.stop_clock(session, item_id, at, actor.staff_id, at):
                    stopped += 1
                    audit.record(
                        session,
                        actor=actor.username,
                        action="queue.first_response",
                        subject=_subject(item_id),
                        details={"at": at.isoformat(), "via": "acknowledge"},
                    )
        return stopped

    def recompute_due(self, calendar: WorkingCalendar | None = None) -> int:
        """Recompute the due time of every item still awaiting a response."""
        with self._sf.begin() as session:
            moved = deadlines.recompute_due(session, calendar or self.calendar(), self._now())
        if moved:
            log.info("recomputed %d due time(s) after a calendar change", moved)
        return moved

    def ensure_due_current(self) -> int:
        """Recompute due times if the calendar settings changed since they were stored."""
        calendar = self.calendar()
        with self._sf() as session:
            if deadlines.due_times_current(session, calendar):
                return 0
        with self._sf.begin() as session:
            return self._ensure_due_current(session, calendar, self._now())

    @staticmethod
    def _ensure_due_current(session: Session, calendar: WorkingCalendar, now: datetime) -> int:
        if deadlines.due_times_current(session, calendar):
            return 0
        return deadlines.recompute_due(session, calendar, now)

    # -- flags (screening rules and people set them) ---------------------------------
    def set_flag(
        self,
        item_id: int,
        flag: str,
        *,
        actor: Actor | None = None,
        source: str = "manual",
        session: Session | None = None,
    ) -> None:
        flag = _required(flag, "flag", 40).lower()

        now = self._now()

        def apply(s: Session) -> None:
            item = s.get(QueueItem, item_id)
            if item is None:
                raise NotFound(f"no queue item #{item_id}")
            if s.get(QueueItemFlag, (item_id, flag)) is None:
                s.add(
                    QueueItemFlag(
                        item_id=item_id,
                        flag=flag,
                        source=source[:100],
                        set_at=now,
                        set_by=actor.staff_id if actor else None,
                    )
                )
                item.updated_at = now  # so open views notice
                s.flush()

        if session is not None:
            apply(session)
            return
        with self._sf.begin() as own:
            apply(own)

    def clear_flag(self, item_id: int, flag: str, *, session: Session | None = None) -> None:
        now = self._now()

        def apply(s: Session) -> None:
            found = s.get(QueueItemFlag, (item_id, flag.lower()))
            if found is not None:
                s.delete(found)
                item = s.get(QueueItem, item_id)
                if item is not None:
                    item.updated_at = now
                s.flush()

        if session is not None:
            apply(session)
            return
        with self._sf.begin() as own:
            apply(own)

    # -- monitoring (R13) ------------------------------------------------------------
    def mark_checked(self, actor: Actor, account_ids: Sequence[int] | None = None) -> int:
        """Note that a person looked at these accounts' queues (all when None)."""
        if actor.read_only:
            return 0
        accounts = cast(Table, Account.__table__)
        stmt = update(accounts).values(last_checked_at=self._now())
        if account_ids is not None:
            stmt = stmt.where(accounts.c.id.in_(list(account_ids)))
        else:
            stmt = stmt.where(accounts.c.status == "active")
        with self._sf.begin() as session:
            # Core UPDATE: looking at a queue must not bump the account's version_id,
            # or an administrator editing the account would get a false conflict.
            result = session.execute(stmt.execution_options(synchronize_session=False))
            return int(result.rowcount or 0)  # type: ignore[attr-defined]


def _required(value: str | None, name: str, limit: int) -> str:
    clean = (value or "").strip()
    if not clean:
        raise InputError("must not be empty", field=name)
    if len(clean) > limit:
        raise InputError(f"is {len(clean):,} characters; the limit is {limit:,}", field=name)
    return clean
