"""Alert feeds (R14): configured in the app, polled on a schedule or on demand.

Each feed is fetched with a timeout, a size limit and a conditional GET (an unchanged
feed answers 304 and costs nothing). A feed that fails records its error and the poll
moves on to the next one. Within a feed, every good entry is stored and each bad one is
listed with its reason, on every poll, until the feed is fixed. A feed remembers the
entries it has delivered, so polling again never brings one back.

A feed's address can carry a private token, so it is only ever shown through
``display_url`` (no user, password or query).
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import Table, insert, select, update
from sqlalchemy.orm import Session

from smmod import audit
from smmod.errors import ConflictError, InputError, NotFound, RowProblem, SmmodError
from smmod.identity import Actor
from smmod.queue.access import account_ref, require_moderator
from smmod.queue.dates import DateReader
from smmod.queue.feed_fetch import display_url, fetch_feed
from smmod.queue.feed_import import parse_feed
from smmod.queue.ingest import item_key, store_parsed
from smmod.queue.records import FeedInfo, FeedPollResult
from smmod.store.engine import SessionFactory
from smmod.store.models import Account, QueueFeed, QueueFeedSeen

if TYPE_CHECKING:
    from smmod.queue.service import QueueService

log = logging.getLogger("smmod.queue.feeds")

MIN_INTERVAL = 5
MAX_INTERVAL = 7 * 24 * 60
_FEEDS = cast(Table, QueueFeed.__table__)
_CHUNK = 500
_MAX_SKIPPED_SHOWN = 100


def _entry_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def _check_url(url: str) -> str:
    clean = (url or "").strip()
    if not clean:
        raise InputError("must not be empty", field="url")
    if len(clean) > 2000:
        raise InputError("is longer than 2,000 characters", field="url")
    if not clean.lower().startswith(("http://", "https://", "file:")):
        raise InputError("must start with https://, http:// or file:", field="url")
    return clean


def _check_interval(minutes: int) -> int:
    if isinstance(minutes, bool) or not isinstance(minutes, int):
        raise InputError("must be a whole number of minutes", field="interval_minutes")
    if not MIN_INTERVAL <= minutes <= MAX_INTERVAL:
        raise InputError(f"must be between {MIN_INTERVAL} minutes and 7 days", field="interval_minutes")
    return minutes


def _check_name(name: str) -> str:
    clean = (name or "").strip()
    if not clean:
        raise InputError("must not be empty", field="name")
    return clean[:200]


class FeedService:
    def __init__(
        self,
        queue: QueueService,
        session_factory: SessionFactory,
        *,
        timeout: float = 10.0,
        max_bytes: int = 5_000_000,
    ) -> None:
        self._queue = queue
        self._sf = session_factory
        self._timeout = timeout
        self._max_bytes = max_bytes

    # -- configuration ---------------------------------------------------------------
    def list_feeds(self) -> list[FeedInfo]:
        with self._sf() as session:
            stmt = (
                select(QueueFeed, Account.platform, Account.handle)
                .join(Account, Account.id == QueueFeed.account_id)
                .order_by(QueueFeed.name, QueueFeed.id)
            )
            return [_info(f, f"{p}: {h}") for f, p, h in session.execute(stmt)]

    def get(self, feed_id: int) -> FeedInfo:
        for info in self.list_feeds():
            if info.id == feed_id:
                return info
        raise NotFound(f"no feed with id {feed_id}")

    def add(self, actor: Actor, account_id: int, name: str, url: str, interval_minutes: int = 60) -> FeedInfo:
        name, url = _check_name(name), _check_url(url)
        interval = _check_interval(interval_minutes)
        with self._sf.begin() as session:
            account = account_ref(session, account_id)
            require_moderator(session, actor, account, "add alert feeds")
            feed = QueueFeed(
                account_id=account.id,
                name=name,
                url=url,
                interval_minutes=interval,
                enabled=True,
                created_by=actor.staff_id,
                last_new_count=0,
            )
            session.add(feed)
            session.flush()
            audit.record(
                session,
                actor=actor.username,
                action="queue.feed_add",
                subject=f"feed:{feed.id}",
                details={
                    "name": name,
                    "url": display_url(url),
                    "account": account.label,
                    "interval_minutes": interval,
                },
            )
            feed_id = feed.id
        return self.get(feed_id)

    def update(
        self,
        actor: Actor,
        feed_id: int,
        version_id: int,
        *,
        name: str | None = None,
        url: str | None = None,
        interval_minutes: int | None = None,
        enabled: bool | None = None,
    ) -> FeedInfo:
        with self._sf.begin() as session:
            feed = self._for_edit(session, actor, feed_id, version_id)
            changes: dict[str, Any] = {}
            if name is not None and _check_name(name) != feed.name:
                feed.name = changes["name"] = _check_name(name)
            if url is not None and _check_url(url) != feed.url:
                feed.url = _check_url(url)
                changes["url"] = display_url(feed.url)
                # What was learnt about the old address says nothing about the new one.
                feed.etag = feed.last_modified = feed.last_skipped = None
            if interval_minutes is not None and interval_minutes != feed.interval_minutes:
                feed.interval_minutes = changes["interval_minutes"] = _check_interval(interval_minutes)
            if enabled is not None and enabled != feed.enabled:
                feed.enabled = changes["enabled"] = bool(enabled)
            if changes:
                audit.record(
                    session,
                    actor=actor.username,
                    action="queue.feed_update",
                    subject=f"feed:{feed_id}",
                    details=changes,
                )
        return self.get(feed_id)

    def remove(self, actor: Actor, feed_id: int, version_id: int) -> None:
        """Stop polling a feed; the items it delivered stay in the queue."""
        with self._sf.begin() as session:
            feed = self._for_edit(session, actor, feed_id, version_id)
            audit.record(
                session,
                actor=actor.username,
                action="queue.feed_remove",
                subject=f"feed:{feed_id}",
                details={"name": feed.name},
            )
            session.delete(feed)

    @staticmethod
    def _for_edit(session: Session, actor: Actor, feed_id: int, version_id: int) -> QueueFeed:
        feed = session.get(QueueFeed, feed_id)
        if feed is None:
            raise NotFound(f"no feed with id {feed_id}")
        require_moderator(session, actor, account_ref(session, feed.account_id), "change alert feeds")
        if feed.version_id != version_id:
            raise ConflictError("this feed was changed elsewhere — reload and try again")
        return feed

    # -- polling ---------------------------------------------------------------------
    def due_feeds(self, now: datetime | None = None) -> list[FeedInfo]:
        current = now or self._queue.now()
        return [
            f
            for f in self.list_feeds()
            if f.enabled
            and (
                f.last_polled_at is None
                or f.last_polled_at + timedelta(minutes=f.interval_minutes) <= current
            )
        ]

    def poll_due(self, actor: Actor, now: datetime | None = None) -> list[FeedPollResult]:
        """Poll the feeds whose interval has passed (the scheduled poll)."""
        if actor.read_only:
            return []
        return [self._poll(actor, f.id) for f in self.due_feeds(now)]

    def poll_all(self, actor: Actor) -> list[FeedPollResult]:
        """Poll every enabled feed now ("check feeds now")."""
        return [self._poll(actor, f.id) for f in self.list_feeds() if f.enabled]

    def poll(self, actor: Actor, feed_id: int) -> FeedPollResult:
        return self._poll(actor, feed_id)

    def _poll(self, actor: Actor, feed_id: int) -> FeedPollResult:
        with self._sf() as session:
            feed = session.get(QueueFeed, feed_id)
            if feed is None:
                raise NotFound(f"no feed with id {feed_id}")
            name, url, account_id = feed.name, feed.url, feed.account_id
            etag, last_modified = feed.etag, feed.last_modified
        now = self._queue.now()
        try:
            fetched = fetch_feed(url, self._timeout, self._max_bytes, etag=etag, last_modified=last_modified)
            if fetched.body is None:
                with self._sf.begin() as session:
                    require_moderator(session, actor, account_ref(session, account_id), "poll alert feeds")
                    self._set_status(session, feed_id, now, error=None, new=0)
                return FeedPollResult(feed_id, name, True, not_modified=True)
            calendar = self._queue.calendar()
            result = parse_feed(
                fetched.body,
                name,
                DateReader(calendar.tz, now),
                fetched_at=now,
                headers=fetched.headers(),
                base_url=fetched.url,
            )
            # No all-or-nothing here: every good entry goes in and the bad ones are
            # listed, so one broken entry never keeps an alert out of the queue (R14).
            with self._sf.begin() as session:
                account = account_ref(session, account_id)
                require_moderator(session, actor, account, "poll alert feeds")
                keys = {_entry_key(item_key(i)): i for i in result.items}
                seen = self._seen(session, feed_id, list(keys))
                fresh = [item for key, item in keys.items() if key not in seen]
                outcome = store_parsed(
                    session,
                    fresh,
                    account_id=account.id,
                    source="feed",
                    source_ref=name,
                    calendar=calendar,
                    now=now,
                    staff_id=actor.staff_id,
                    feed_id=feed_id,
                )
                new_keys = [k for k in keys if k not in seen]
                if new_keys:
                    session.execute(
                        insert(QueueFeedSeen),
                        [{"feed_id": feed_id, "entry_key": k, "seen_at": now} for k in new_keys],
                    )
                self._set_status(
                    session,
                    feed_id,
                    now,
                    error=None,
                    new=outcome.imported,
                    read=(_skipped_json(result.problems), fetched.etag, fetched.last_modified),
                )
                if outcome.imported:
                    audit.record(
                        session,
                        actor=actor.username,
                        action="queue.feed_poll",
                        subject=f"feed:{feed_id}",
                        details={"imported": outcome.imported, "name": name},
                    )
            if result.problems:
                log.info("feed %r: %d problem(s) in its entries", name, len(result.problems))
            return FeedPollResult(
                feed_id,
                name,
                True,
                outcome.imported,
                len(result.items) - outcome.imported,
                skipped=tuple(result.problems),
            )
        except SmmodError as exc:
            message = str(exc)
        except Exception:
            log.exception("polling feed %s failed", feed_id)
            message = "something went wrong while polling this feed; the details are in the log"
        with self._sf.begin() as session:
            self._set_status(session, feed_id, now, error=message, new=0)
        log.info("feed %r failed: %s", name, message)
        return FeedPollResult(feed_id, name, False, error=message)

    @staticmethod
    def _seen(session: Session, feed_id: int, keys: list[str]) -> set[str]:
        found: set[str] = set()
        for start in range(0, len(keys), _CHUNK):
            chunk = keys[start : start + _CHUNK]
            found.update(
                session.execute(
                    select(QueueFeedSeen.entry_key).where(
                        QueueFeedSeen.feed_id == feed_id, QueueFeedSeen.entry_key.in_(chunk)
                    )
                ).scalars()
            )
        return found

    @staticmethod
    def _set_status(
        session: Session,
        feed_id: int,
        now: datetime,
        *,
        error: str | None,
        new: int,
        read: tuple[str | None, str | None, str | None] | None = None,
    ) -> None:
        """Record a poll; ``read`` is (skipped entries, ETag, Last-Modified) of a new read.

        A failed poll or a 304 keeps the last read's skipped entries and validators.
        """
        # Core UPDATE: polling must not bump version_id under a person editing the feed.
        values: dict[str, Any] = {"last_polled_at": now, "last_error": error, "last_new_count": new}
        if error is None:
            values["last_ok_at"] = now
        if read is not None:
            values["last_skipped"], values["etag"], values["last_modified"] = read
        session.execute(update(_FEEDS).where(_FEEDS.c.id == feed_id).values(**values))


def _skipped_json(problems: Sequence[RowProblem]) -> str | None:
    """The skipped entries for the feed's row: how many, and the first problems."""
    if not problems:
        return None
    shown = [{"row": p.row, "field": p.field, "reason": p.reason} for p in problems[:_MAX_SKIPPED_SHOWN]]
    return json.dumps({"entries": len({p.row for p in problems}), "problems": shown}, ensure_ascii=False)


def _skipped(stored: str | None) -> tuple[int, tuple[RowProblem, ...]]:
    if not stored:
        return 0, ()
    doc = json.loads(stored)
    problems = tuple(RowProblem(p["row"], p["field"], p["reason"], unit="entry") for p in doc["problems"])
    return int(doc["entries"]), problems


def _info(feed: QueueFeed, account_label: str) -> FeedInfo:
    skipped_entries, skipped = _skipped(feed.last_skipped)
    return FeedInfo(
        feed.id,
        feed.account_id,
        account_label,
        feed.name,
        display_url(feed.url),
        feed.interval_minutes,
        feed.enabled,
        feed.last_polled_at,
        feed.last_ok_at,
        feed.last_error,
        feed.last_new_count,
        feed.version_id,
        skipped,
        skipped_entries,
    )
