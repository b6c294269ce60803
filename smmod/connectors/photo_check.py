"""Photos attached to comments that came in by sync: downloaded, checked for faces, flagged.

The policy says parents must not post pictures of pupils other than their own. So each
image attached to a new comment is downloaded (``smmod.connectors.photos``), run
through the image checker as any photo would be (an image check on the Images page,
every face waiting for a person's word), and a comment whose photo shows people gets
the flag ``photo_people`` with a link to that check. A photo that could not be fetched
or is not an image is recorded with the reason, so the moderator knows to open the post.

Downloading and checking happen outside any transaction (they take seconds); what was
found is then written in one.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
from sqlalchemy import select

from smmod import audit
from smmod.connectors.photos import PhotoRef, PhotoSkipped, download, fetchable
from smmod.identity import Actor
from smmod.queue import triage
from smmod.store.engine import SessionFactory
from smmod.store.models import CommentPhoto, QueueItem, QueueItemFlag

if TYPE_CHECKING:
    from smmod.dnp import ImageService

log = logging.getLogger("smmod.connectors.photos")

FLAG = "photo_people"
PHOTO_TIMEOUT = httpx.Timeout(20.0, connect=10.0)


@dataclass(frozen=True)
class PhotoOutcome:
    checked: int = 0
    skipped: int = 0
    flagged: int = 0  # comments flagged because a photo shows people


@dataclass
class _Found:
    item_id: int
    ref: PhotoRef
    file: Path | None = None
    note: str | None = None
    check_id: int | None = None
    faces: int | None = None


class CommentPhotos:
    def __init__(
        self,
        session_factory: SessionFactory,
        images: Callable[[], ImageService],
        folder: Path,
        *,
        max_bytes: Callable[[], int],
        now: Callable[[], datetime],
    ) -> None:
        self._sf = session_factory
        self._images = images
        self.folder = folder
        self._max_bytes = max_bytes
        self._now = now
        self.timeout: httpx.Timeout | float = PHOTO_TIMEOUT
        self.deadline = 60.0  # seconds for one photo, however slowly the server sends it

    def check_new(
        self, actor: Actor, account_id: int, photos: Mapping[str, Sequence[PhotoRef]], new_ids: Sequence[str]
    ) -> PhotoOutcome:
        """Fetch and check the photos of the items just stored (``new_ids``: platform ids)."""
        wanted = [i for i in new_ids if photos.get(i)]
        if not wanted:
            return PhotoOutcome()
        with self._sf() as session:
            ids = dict(
                session.execute(
                    select(QueueItem.platform_item_id, QueueItem.id).where(
                        QueueItem.account_id == account_id, QueueItem.platform_item_id.in_(wanted)
                    )
                ).all()
            )
        found = [_Found(ids[p], ref) for p in wanted if p in ids for ref in photos[p]]
        self._fetch(found)
        self._check(actor, found)
        return self._record(actor, account_id, found)

    def _fetch(self, found: list[_Found]) -> None:
        # No token goes to where the photo is; redirects (to a CDN) are followed, to https only.
        with httpx.Client(timeout=self.timeout, follow_redirects=True, max_redirects=3,
                          event_hooks={"request": [_only_https]}) as client:
            for entry in found:
                try:
                    entry.file = download(
                        client, entry.ref.url, self.folder,
                        max_bytes=self._max_bytes(), deadline=self.deadline,
                    )
                except PhotoSkipped as skipped:
                    entry.note = str(skipped)
                    log.info("photo %s on item %d skipped: %s", entry.ref.ref, entry.item_id, skipped)

    def _check(self, actor: Actor, found: list[_Found]) -> None:
        from smmod.dnp.records import CheckRecord

        files = [e for e in found if e.file is not None]
        if not files:
            return
        outcomes = self._images().check(actor, [e.file for e in files if e.file], workers=1)
        by_path = {str(Path(o.path).resolve()): o for o in outcomes}
        for entry in files:
            assert entry.file is not None
            outcome = by_path.get(str(entry.file.resolve()))
            if isinstance(outcome, CheckRecord):
                entry.check_id, entry.faces = outcome.id, len(outcome.faces)
            else:
                why = outcome.reason if outcome else "the checker gave no answer"
                entry.note = f"photo not checked: {why}"
                entry.file.unlink(missing_ok=True)
                entry.file = None

    def _record(self, actor: Actor, account_id: int, found: list[_Found]) -> PhotoOutcome:
        now = self._now()
        flagged: set[int] = set()
        with self._sf.begin() as session:
            for entry in found:
                session.add(
                    CommentPhoto(
                        item_id=entry.item_id,
                        media_ref=entry.ref.ref[:100],
                        url=entry.ref.url[:2000],
                        status="checked" if entry.check_id else "skipped",
                        note=entry.note[:500] if entry.note else None,
                        file=str(entry.file) if entry.file and entry.check_id else None,
                        image_check_id=entry.check_id,
                        faces=entry.faces,
                        fetched_at=now,
                    )
                )
                if entry.faces and entry.item_id not in flagged:
                    flagged.add(entry.item_id)
                    if session.get(QueueItemFlag, (entry.item_id, FLAG)) is None:
                        session.add(
                            QueueItemFlag(
                                item_id=entry.item_id, flag=FLAG, source=f"photo:{entry.check_id}", set_at=now
                            )
                        )
            session.flush()
            triage.mark(session, flagged)
            checked = sum(1 for e in found if e.check_id)
            audit.record(
                session,
                actor=actor.username,
                action="connector.photos",
                subject=f"account:{account_id}",
                details={"checked": checked, "skipped": len(found) - checked, "flagged": len(flagged)},
            )
        return PhotoOutcome(checked, len(found) - checked, len(flagged))


def _only_https(request: httpx.Request) -> None:
    """Every request, redirects included, goes where ``download`` would go itself."""
    if not fetchable(str(request.url)):
        raise PhotoSkipped("photo not fetched: it was sent on to an address that is not https")
