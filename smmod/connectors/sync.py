"""One sync round: send what waits in the outbox, then bring in what is new.

Incremental: the newest notification id seen is kept per account (``cursor``), and the
next round asks only for what came after it (``min_id``), following the Link header's
``prev`` pages. The first round reads back a few pages (``next``). Idempotent: the
status id is the item's platform id, unique per account, so nothing comes in twice.
New items go through the queue's own ingest (checks → store → screening), and the
items and the new cursor are written in one transaction.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, select, update

from smmod import audit
from smmod.connectors.connections import ConnectionService
from smmod.connectors.mastodon.api import MastodonApi, MastoNotification, id_key
from smmod.connectors.mastodon.items import FORMAT, parse_mentions
from smmod.connectors.outbox import OutboxInfo, OutboxService
from smmod.connectors.photo_check import CommentPhotos, PhotoOutcome
from smmod.connectors.photo_retention import PhotoRetention
from smmod.connectors.photos import PhotoRef
from smmod.errors import SmmodError
from smmod.identity import Actor
from smmod.queue.access import MODERATING_ROLES, account_ref, require_moderator
from smmod.queue.ingest import store_parsed
from smmod.queue.parsers import ParseResult
from smmod.queue.service import QueueService
from smmod.store.engine import SessionFactory
from smmod.store.models import Connection

log = logging.getLogger("smmod.connectors.sync")

_CONNECTIONS = cast(Table, Connection.__table__)


@dataclass(frozen=True)
class SyncResult:
    account: str
    ok: bool
    imported: int = 0
    duplicates: int = 0
    skipped: tuple[str, ...] = ()
    error: str | None = None
    outbox: tuple[OutboxInfo, ...] = field(default=())
    quota_units_today: int | None = None  # YouTube: API quota units spent on sync today
    photos: PhotoOutcome = field(default_factory=PhotoOutcome)
    display: str = ""  # the account as people read it ("Mastodon: @oakfield"); not in --json

    def to_dict(self) -> dict[str, Any]:
        return {
            "account": self.account,
            "ok": self.ok,
            "imported": self.imported,
            "duplicates": self.duplicates,
            "skipped": list(self.skipped),
            "error": self.error,
            "outbox": [e.to_dict() for e in self.outbox],
            "quota_units_today": self.quota_units_today,
            "photos": {
                "checked": self.photos.checked,
                "skipped": self.photos.skipped,
                "flagged": self.photos.flagged,
            },
        }


@dataclass(frozen=True)
class Fetched:
    result: ParseResult
    cursor: str | None
    source: str  # the parsed items' format
    quota_units_today: int | None = None
    photos: Mapping[str, tuple[PhotoRef, ...]] = field(default_factory=dict)  # by platform item id


class SyncService:
    def __init__(
        self,
        session_factory: SessionFactory,
        queue: QueueService,
        connections: ConnectionService,
        outbox: OutboxService,
        *,
        now: Callable[[], datetime],
        page_limit: int = 40,
        max_pages: int = 25,
        first_pages: int = 2,
        photos: CommentPhotos | None = None,
        retention: PhotoRetention | None = None,
    ) -> None:
        self._sf = session_factory
        self._queue = queue
        self._connections = connections
        self._outbox = outbox
        self._now = now
        self.page_limit = page_limit
        self.max_pages = max_pages
        self.first_pages = first_pages
        self.photos = photos
        self.retention = retention

    def sync(self, actor: Actor, account_id: int | None = None) -> list[SyncResult]:
        """One round for one account, or for every connected account."""
        if account_id is not None:
            self._connections.get(account_id)  # NotConnected, with its message
            ids = [account_id]
        else:
            ids = [c.account_id for c in self._connections.all()]
        results = [self._sync_one(actor, i) for i in ids]
        self._prune_photos(actor)
        return results

    def _prune_photos(self, actor: Actor) -> None:
        """The photos of comments closed long enough ago go (audited only when some do);
        a failure here loses no comment and fails no sync."""
        if self.retention is None or not actor.has(*MODERATING_ROLES):
            return
        try:
            self.retention.prune(actor, record_empty=False)
        except SmmodError as error:
            log.warning("deleting the photos of closed comments failed: %s", error)
        except Exception:
            log.exception("deleting the photos of closed comments failed")

    def _sync_one(self, actor: Actor, account_id: int) -> SyncResult:
        with self._sf() as session:
            account = account_ref(session, account_id)
            require_moderator(session, actor, account, "sync this account")
        sent = tuple(self._outbox.drain(account_id))
        try:
            return self._store(actor, account_id, self._fetch(account_id), sent)
        except SmmodError as error:
            message = str(error)
        except Exception:
            log.exception("syncing account %d failed", account_id)
            message = "something went wrong while syncing; the details are in the log"
        with self._sf.begin() as session:
            session.execute(
                update(_CONNECTIONS)
                .where(_CONNECTIONS.c.account_id == account_id)
                .values(last_sync_at=self._now(), last_error=message, last_new_count=0)
            )
        log.info("sync of %s failed: %s", account.label, message)
        return SyncResult(account.label, False, error=message, outbox=sent, display=account.display)

    def _fetch(self, account_id: int) -> Fetched:
        with self._sf() as session:
            row = session.execute(
                select(Connection.cursor, Connection.platform, Connection.api_base).where(
                    Connection.account_id == account_id
                )
            ).one()
        cursor, platform, api_base = row
        tz, now = self._queue.calendar().tz, self._now()
        if platform == "youtube":
            return self._fetch_youtube(account_id, cursor, api_base, tz, now)
        if platform in ("facebook", "instagram"):
            return self._fetch_graph(account_id, cursor, api_base, tz, now)
        notes, newest = self._fetch_mastodon(account_id, cursor)
        photos = {
            n.status.id: tuple(PhotoRef(ref, url) for ref, url in n.status.images)
            for n in notes
            if n.type == "mention" and n.status is not None and n.status.images
        }
        return Fetched(parse_mentions(notes, source=api_base, tz=tz, now=now), newest, FORMAT, photos=photos)

    def _fetch_youtube(
        self, account_id: int, cursor: str | None, api_base: str, tz: str, now: datetime
    ) -> Fetched:
        from smmod.connectors.refresh import with_token
        from smmod.connectors.youtube import fetch, items
        from smmod.connectors.youtube.api import YouTubeApi

        def call(client: Any, live: Any) -> tuple[list[Any], str, int]:
            return fetch.fetch(
                YouTubeApi(client),
                live.platform_account_id or "",
                cursor,
                now=now,
                first_pages=self.first_pages,
                max_pages=self.max_pages,
            )

        comments, new_cursor, units = with_token(self._connections, self._connections.live(account_id), call)
        parsed = items.parse_comments(comments, source=api_base, tz=tz, now=now)
        return Fetched(parsed, new_cursor, items.FORMAT, units)

    def _fetch_graph(
        self, account_id: int, cursor: str | None, api_base: str, tz: str, now: datetime
    ) -> Fetched:
        from smmod.connectors.graph import fetch, items

        live = self._connections.live(account_id)
        with self._connections.client(live.api_base, live.token, live.platform) as client:
            comments, new_cursor = fetch.fetch(client, live, cursor, max_pages=self.max_pages)
        parsed = items.parse_comments(comments, live.platform, source=api_base, tz=tz, now=now)
        photos = {c.id: (PhotoRef(c.id, c.image_url),) for c in comments if c.image_url}
        return Fetched(parsed, new_cursor, live.platform, photos=photos)

    def _fetch_mastodon(
        self, account_id: int, cursor: str | None
    ) -> tuple[list[MastoNotification], str | None]:
        creds = self._connections.credentials(account_id)
        notes: list[MastoNotification] = []
        with self._connections.client(creds.api_base, creds.token) as client:
            api = MastodonApi(client)
            page = api.notifications(min_id=cursor, limit=self.page_limit)
            pages = 1
            # After the cursor, newer pages are "prev"; on the first round, older are "next".
            direction, budget = ("prev", self.max_pages) if cursor else ("next", self.first_pages)
            while page.notifications:
                notes.extend(page.notifications)
                link = page.links.get(direction)
                if not link or pages >= budget:
                    break
                page = api.notifications(url=link)
                pages += 1
        if cursor is not None:  # a server that ignored min_id must not bring old ones back
            notes = [n for n in notes if id_key(n.id) > id_key(cursor)]
        newest = max((n.id for n in notes), key=id_key, default=cursor)
        return notes, newest

    def _store(
        self, actor: Actor, account_id: int, fetched: Fetched, sent: tuple[OutboxInfo, ...]
    ) -> SyncResult:
        now = self._now()
        calendar = self._queue.calendar()
        cursor, result = fetched.cursor, fetched.result
        with self._sf() as session:
            api_base = session.execute(
                select(Connection.api_base).where(Connection.account_id == account_id)
            ).scalar_one()
        skipped = tuple(str(p) for p in result.problems)
        with self._sf.begin() as session:
            account = account_ref(session, account_id)
            outcome = store_parsed(
                session,
                result.items,
                account_id=account_id,
                source=fetched.source,
                source_ref=api_base,
                calendar=calendar,
                now=now,
                staff_id=actor.staff_id,
            )
            session.execute(
                update(_CONNECTIONS)
                .where(_CONNECTIONS.c.account_id == account_id)
                .values(
                    cursor=cursor,
                    last_sync_at=now,
                    last_ok_at=now,
                    last_error=None,
                    last_new_count=outcome.imported,
                )
            )
            if outcome.imported or skipped:
                audit.record(
                    session,
                    actor=actor.username,
                    action="connector.sync",
                    subject=f"account:{account_id}",
                    details={
                        "account": account.label,
                        "imported": outcome.imported,
                        "duplicates": outcome.duplicates,
                        "skipped": len(skipped),
                    },
                )
        if skipped:
            log.warning(
                "sync of %s left out %d status(es): %s", account.label, len(skipped), "; ".join(skipped[:5])
            )
        return SyncResult(
            account.label,
            True,
            outcome.imported,
            outcome.duplicates,
            skipped,
            None,
            sent,
            fetched.quota_units_today,
            self._check_photos(actor, account_id, fetched, outcome.new_keys),
            account.display,
        )

    def _check_photos(
        self, actor: Actor, account_id: int, fetched: Fetched, new_keys: tuple[str, ...]
    ) -> PhotoOutcome:
        """The new comments' photos, after they are stored: a failure here loses no comment."""
        if self.photos is None or not fetched.photos:
            return PhotoOutcome()
        new_ids = [key[3:] for key in new_keys if key.startswith("id:")]
        try:
            return self.photos.check_new(actor, account_id, fetched.photos, new_ids)
        except SmmodError as error:
            log.warning("checking the photos of new comments failed: %s", error)
        except Exception:
            log.exception("checking the photos of new comments failed")
        return PhotoOutcome()
