"""The moderation queue service: imports, manual entry, claiming, the response clock.

The UI and the command line call the same methods. Each write opens one transaction
(an import is all or nothing, however long the file: it is read and stored in chunks)
and returns dataclasses. Reads for the triage view go through ``QueueReader``
(``self.read``), on the read engine, so browsing never waits for a long import.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import cast

from sqlalchemy import Table, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from smmod import audit
from smmod.errors import ConflictError, DatabaseBusy, NotFound
from smmod.identity import Actor
from smmod.queue import deadlines, importing, items, mappings, screening_hook
from smmod.queue.access import account_ref, require_moderator, resolve_account
from smmod.queue.feeds import FeedService
from smmod.queue.parsers import ParseResult, parse_file
from smmod.queue.reader import QueueReader
from smmod.queue.records import AccountRef, ImportReport, ManualItem, QueueRow
from smmod.queue.streaming import ImportCheck, check_file
from smmod.sla import WorkingCalendar
from smmod.store.engine import SessionFactory
from smmod.store.models import Account, QueueItem

log = logging.getLogger("smmod.queue")


class QueueService:
    def __init__(
        self,
        session_factory: SessionFactory,
        *,
        calendar: Callable[[], WorkingCalendar] = WorkingCalendar,
        stale_days: Callable[[], int] = lambda: 1,
        now: Callable[[], datetime] | None = None,
        feed_timeout: float = 10.0,
    ) -> None:
        self._sf = session_factory
        self._calendar = calendar
        self._now = now or session_factory.clock.now
        self.read = QueueReader(session_factory, now=self._now, stale_days=stale_days)
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
        """Read and validate a whole file into memory, storing nothing (small files and
        tests; ``check`` and ``import_file`` stream instead)."""
        if mapping is None and fmt in ("auto", "csv"):  # a column mapping is for CSV only
            mapping = self.remembered_mapping(path)
        return parse_file(path, fmt=fmt, mapping=mapping, tz=self.calendar().tz, now=self._now())

    def check(
        self, path: str | Path, *, fmt: str = "auto", mapping: Mapping[str, str] | None = None
    ) -> ImportCheck:
        """Read a file through as an import would, storing nothing: counts and the first
        problems (the import dialog's "Check file"); memory stays small for any file."""
        if mapping is None and fmt in ("auto", "csv"):  # a column mapping is for CSV only
            mapping = self.remembered_mapping(path)
        return check_file(path, fmt=fmt, mapping=mapping, tz=self.calendar().tz, now=self._now())

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
        """Read, check and store a file in one transaction, a chunk at a time.

        Bad rows refuse the whole file (``ImportRejected`` names the first ones; when
        there are more than it shows, all of them go to the rejects file beside the
        source). With ``import_valid`` the valid rows go in and the bad ones are written
        to the rejects file, in the same transaction. A feed file always works that way:
        one bad entry must not keep the alerts beside it out of the queue (R14). See
        ``smmod.queue.importing``.
        """
        if mapping is None and fmt in ("auto", "csv"):  # a column mapping is for CSV only
            mapping = self.remembered_mapping(path)
        return importing.import_file(self._sf, actor, Path(path), account_id, fmt=fmt,
                                     mapping=mapping, calendar=self.calendar(), now=self._now(),
                                     import_valid=import_valid)

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
        screening = screening_hook.current()
        with self._sf.begin() as session:
            item_id = items.insert_manual(session, actor, entry, self.calendar(), self._now())
            screening.screen_items(session, [item_id])  # screening rules run on arrival (R8, R9)
            return item_id

    # -- claiming --------------------------------------------------------------------
    def claim(self, actor: Actor, item_id: int, version_id: int, *, take_over: bool = False) -> QueueRow:
        """Claim an item so that two moderators do not work the same one."""
        self.claim_many(actor, [(item_id, version_id)], take_over=take_over)
        return self.read.row(item_id)

    def claim_many(self, actor: Actor, pairs: Sequence[tuple[int, int]], *, take_over: bool = False) -> int:
        """Claim (item id, version seen) pairs in one transaction; any conflict claims none."""
        return self._set_claims(actor, pairs, claim=True, take_over=take_over)

    def release(self, actor: Actor, item_id: int, version_id: int) -> QueueRow:
        self._set_claims(actor, [(item_id, version_id)], claim=False, take_over=False)
        return self.read.row(item_id)

    def _set_claims(
        self, actor: Actor, pairs: Sequence[tuple[int, int]], *, claim: bool, take_over: bool
    ) -> int:
        try:
            with self._sf.begin() as session:
                return items.set_claims(
                    session, actor, pairs, claim=claim, take_over=take_over, now=self._now()
                )
        except StaleDataError:
            raise ConflictError("changed elsewhere — reload and try again") from None

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
                    subject=items.subject(item_id),
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
                        subject=items.subject(item_id),
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

    def ensure_due_current(self, *, wait: bool = True) -> int | None:
        """Recompute due times if the calendar settings changed since they were stored.

        With ``wait=False`` (before showing the queue) nothing waits for another write:
        if one holds the database, the due times stay as stored for now and None is
        returned.
        """
        calendar = self.calendar()
        with self._sf() as session:
            if deadlines.due_times_current(session, calendar):
                return 0
        try:
            with self._sf.begin(wait=wait) as session:
                return self._ensure_due_current(session, calendar, self._now())
        except DatabaseBusy:
            if wait:
                raise
            log.info("due times not brought up to date yet: another write holds the database")
            return None

    @staticmethod
    def _ensure_due_current(session: Session, calendar: WorkingCalendar, now: datetime) -> int:
        return deadlines.bring_up_to_date(session, calendar, now)

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
        """Label an item, e.g. ``offensive``; pass ``session`` to join your transaction."""
        staff_id = actor.staff_id if actor else None
        if session is not None:
            items.set_flag(session, item_id, flag, source=source, staff_id=staff_id, now=self._now())
            return
        with self._sf.begin() as own:
            items.set_flag(own, item_id, flag, source=source, staff_id=staff_id, now=self._now())

    def clear_flag(self, item_id: int, flag: str, *, session: Session | None = None) -> None:
        if session is not None:
            items.clear_flag(session, item_id, flag, now=self._now())
            return
        with self._sf.begin() as own:
            items.clear_flag(own, item_id, flag, now=self._now())

    # -- monitoring (R13) ------------------------------------------------------------
    def mark_checked(self, actor: Actor, account_ids: Sequence[int] | None = None, *,
                     wait: bool = True) -> int:
        """Note that a person looked at these accounts' queues (all when None).

        With ``wait=False`` (the queue page notes it as it is shown) the note is skipped
        while another write, such as an import, holds the database: looking never waits.
        """
        if actor.read_only:
            return 0
        from smmod.reports.history import record_checks

        accounts = cast(Table, Account.__table__)
        now = self._now()
        which = (accounts.c.id.in_(list(account_ids)) if account_ids is not None
                 else accounts.c.status == "active")
        try:
            with self._sf.begin(wait=wait) as session:
                # Core UPDATE: looking at a queue must not bump the account's version_id,
                # or an administrator editing the account would get a false conflict.
                ids = list(session.execute(select(accounts.c.id).where(which)).scalars())
                stmt = update(accounts).values(last_checked_at=now).where(accounts.c.id.in_(ids))
                result = session.execute(stmt.execution_options(synchronize_session=False))
                record_checks(session, ids, actor.staff_id, now, self.calendar().zone)  # R13 history
                return int(result.rowcount or 0)  # type: ignore[attr-defined]
        except DatabaseBusy:
            if wait:
                raise
            return 0
