"""How long the photos downloaded from comments are kept (principle 5: the minimum).

A photo attached to a comment is downloaded to ``<data>/comment-photos`` to be checked
for faces. Once the comment is closed (answered, hidden, deleted, blocked or resolved:
anything but new or escalated), the photo is kept for ``connectors.photo_keep_days``
more days and then deleted; a comment held as evidence by an incident that is still open
keeps its photo until the incident is closed, and the days then count from its closing.
The row stays, with a note, so the moderator knows there was a photo.

Only files inside the photo folder are ever deleted: a path stored anywhere else (a
damaged or hand-edited row) is counted as refused and left alone. One audit entry per
run gives the count.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from smmod import audit
from smmod.errors import PermissionDenied
from smmod.identity import Actor
from smmod.queue.access import MODERATING_ROLES
from smmod.store.base import session_clock
from smmod.store.engine import SessionFactory
from smmod.store.models import Action, CommentPhoto, Incident, IncidentEvidence, QueueItem

log = logging.getLogger("smmod.connectors.photos")

OPEN_ITEM_STATUSES = ("new", "escalated")  # any other status: the comment is closed
SETTING = "connectors.photo_keep_days"


@dataclass(frozen=True)
class PruneReport:
    """What a run deleted (or, with ``dry_run``, would delete) and what it kept."""

    dry_run: bool
    keep_days: int
    deleted: int  # photos deleted (or due) now
    kept_for_incidents: int  # closed comments whose photo an open incident still holds
    refused: int  # stored paths outside the photo folder: left alone

    def to_dict(self) -> dict[str, Any]:
        return {"dry_run": self.dry_run, "keep_days": self.keep_days, "deleted": self.deleted,
                "kept_for_incidents": self.kept_for_incidents, "refused": self.refused}


class PhotoRetention:
    def __init__(self, session_factory: SessionFactory, folder: Path,
                 keep_days: Callable[[], int]) -> None:
        self._sf = session_factory
        self.folder = folder
        self._keep_days = keep_days

    def prune(self, actor: Actor, *, dry_run: bool = False, record_empty: bool = True
              ) -> PruneReport:
        """Delete the photos whose time is up, in one transaction with one audit entry.

        ``record_empty=False`` (the sync rounds, every few minutes) audits a run only when
        it deleted something."""
        if not actor.has(*MODERATING_ROLES):
            raise PermissionDenied("Only moderators, SLT or administrators can delete the photos "
                                   "of closed comments.")
        days = self._keep_days()
        if dry_run:
            with self._sf() as session:
                due, held, refused = self._due(session, days)
            return PruneReport(True, days, len(due), held, len(refused))
        with self._sf.begin() as session:
            due, held, refused = self._due(session, days)
            now = session_clock(session).now()
            for row in due:
                path = Path(row.file or "")
                path.unlink(missing_ok=True)  # gone already: the row is put right all the same
                row.file = None
                row.note = (f"photo deleted on {now.date().isoformat()}, {days} days after the "
                            f"comment was closed (setting {SETTING})")[:500]
            for row in refused:
                log.warning("comment photo %d: %s is outside %s; not deleted", row.id, row.file,
                            self.folder)
            report = PruneReport(False, days, len(due), held, len(refused))
            if due or refused or record_empty:
                details = report.to_dict()
                del details["dry_run"]
                audit.record(session, actor=actor.username, action="connector.photos_pruned",
                             subject="comment-photos", details=details)
        return report

    def _due(self, session: Session, days: int
             ) -> tuple[list[CommentPhoto], int, list[CommentPhoto]]:
        """(rows whose file goes now, closed comments kept for an open incident, rows
        whose file is outside the folder)."""
        cutoff = session_clock(session).now() - timedelta(days=days)
        last_action = (select(Action.item_id, func.max(Action.at).label("at"))
                       .group_by(Action.item_id).subquery())
        rows = session.execute(
            select(CommentPhoto, QueueItem, last_action.c.at)
            .join(QueueItem, QueueItem.id == CommentPhoto.item_id)
            .outerjoin(last_action, last_action.c.item_id == QueueItem.id)
            .where(CommentPhoto.file.is_not(None), QueueItem.status.not_in(OPEN_ITEM_STATUSES))
            .order_by(CommentPhoto.id)
        ).all()
        incidents = self._incidents(session, [item.id for _, item, _ in rows])
        folder = self.folder.resolve()
        due: list[CommentPhoto] = []
        refused: list[CommentPhoto] = []
        held = 0
        for photo, item, acted_at in rows:
            closings = incidents.get(item.id, [])
            if any(still_open for still_open, _ in closings):
                held += 1  # an open incident holds it
                continue
            closed = max([acted_at or item.first_response_at or item.received_at,
                          *(at for _, at in closings if at is not None)])
            if closed > cutoff:
                continue
            if not _inside(Path(photo.file or ""), folder):
                refused.append(photo)
                continue
            due.append(photo)
        return due, held, refused

    @staticmethod
    def _incidents(session: Session, item_ids: list[int]
                   ) -> dict[int, list[tuple[bool, datetime | None]]]:
        """Per item, each incident holding it: (still open, when it was closed)."""
        found: dict[int, list[tuple[bool, datetime | None]]] = {}
        for start in range(0, len(item_ids), 500):
            chunk = item_ids[start:start + 500]
            for item_id, status, closed_at in session.execute(
                    select(IncidentEvidence.item_id, Incident.status, Incident.closed_at)
                    .join(Incident, Incident.id == IncidentEvidence.incident_id)
                    .where(IncidentEvidence.item_id.in_(chunk))).all():
                if item_id is not None:
                    found.setdefault(item_id, []).append((status != "closed", closed_at))
        return found


def _inside(path: Path, folder: Path) -> bool:
    """A regular file directly in the photo folder (no link leading elsewhere)."""
    if path.is_symlink():
        return False
    try:
        resolved = path.resolve()
    except OSError:
        return False
    return resolved.parent == folder and (resolved.is_file() or not resolved.exists())
