"""Screening the open items again after the rules, word lists or DNP register change.

Items are screened once, as they arrive. When what screening reads changes (a rule is
edited, a word list gains a term, a pupil is added to the do-not-publish register), the
items still open are screened again so that, for example, a comment naming a pupil
added to the register today is flagged today.

A run goes through the open items in id order, ``chunk`` items per step. Each step reads
its items without holding the write lock, screens them in memory, and writes only what
changed in one short transaction, so moderators keep working while it runs and a
cancelled run leaves every item either screened again or untouched. The flags a rule no
longer sets are removed, the flags a moderator set by hand are never touched, and a
flag a moderator marked wrong is not set again.

When a run finishes, the digest of the inputs it used is stored, so ``pending()`` says
whether anything changed since (through the app, the command line or another computer).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import Table, and_, bindparam, delete, func, insert, literal_column, select, update
from sqlalchemy.orm import Session

from smmod import audit
from smmod.identity import Actor, require
from smmod.moderation.screening import Prepared, match_rows_for, prepare, screen_text, screening_digest
from smmod.store.base import session_clock
from smmod.store.engine import SessionFactory
from smmod.store.models import ModerationMeta, QueueItem, QueueItemFlag, ScreeningMatch, ScreeningOverride

log = logging.getLogger("smmod.moderation")

SCREENED_KEY = "screening.rescreened_digest"
ROLES = ("moderator", "slt", "administrator")
_AUDITED_IDS = 200  # item ids named in the audit entry; the counts are always complete
CHUNK = 2_000
_IN = 500  # ids per IN (...) list
_EXCERPT = 120
_ITEMS = cast(Table, QueueItem.__table__)
_FLAGS = cast(Table, QueueItemFlag.__table__)
_MATCHES = cast(Table, ScreeningMatch.__table__)
_OVERRIDES = cast(Table, ScreeningOverride.__table__)
_RULE_SOURCE = "rule:"


def _open() -> Any:
    """Items not yet resolved: the ones a moderator may still act on."""
    return _ITEMS.c.status != literal_column("'resolved'")


@dataclass(frozen=True)
class FlagChange:
    """One item whose flags a re-screen changed."""

    item_id: int
    author: str
    excerpt: str
    gained: tuple[str, ...]
    lost: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"item_id": self.item_id, "author": self.author, "excerpt": self.excerpt,
                "gained": list(self.gained), "lost": list(self.lost)}


@dataclass(frozen=True)
class RescreenReport:
    screened: int
    total: int
    changes: tuple[FlagChange, ...]
    cancelled: bool = False

    @property
    def gained(self) -> tuple[FlagChange, ...]:
        return tuple(c for c in self.changes if c.gained)

    @property
    def lost(self) -> tuple[FlagChange, ...]:
        return tuple(c for c in self.changes if c.lost)

    @property
    def summary(self) -> str:
        """One line for a person, e.g. for a status bar."""
        done = (f"Screened again {self.screened:,} of {_items(self.total, 'open item')} before it "
                "was stopped" if self.cancelled else f"Screened {_items(self.screened, 'open item')} again")
        if not self.changes:
            return f"{done}: no flags changed."
        parts = []
        if self.gained:
            parts.append(f"{_items(len(self.gained))} gained a flag")
        if self.lost:
            parts.append(f"{_items(len(self.lost))} lost a flag")
        return f"{done}: {' and '.join(parts)}."

    def to_dict(self) -> dict[str, Any]:
        return {"screened": self.screened, "total": self.total, "cancelled": self.cancelled,
                "gained": len(self.gained), "lost": len(self.lost),
                "changes": [c.to_dict() for c in self.changes]}


def _items(count: int, noun: str = "item") -> str:
    return f"{count:,} {noun}" if count == 1 else f"{count:,} {noun}s"


@dataclass
class RescreenRun:
    """A re-screen in progress: call ``step()`` until it returns True."""

    _sf: SessionFactory
    _prepared: Prepared
    _actor: Actor
    total: int
    chunk: int = CHUNK
    screened: int = 0
    changes: list[FlagChange] = field(default_factory=list)
    _after: int = 0
    done: bool = False
    cancelled: bool = False

    def step(self) -> bool:
        """Screen the next ``chunk`` open items again; True once every one is done."""
        if self.done or self.cancelled:
            return True
        with self._sf() as session:
            rows = session.execute(
                select(_ITEMS.c.id, _ITEMS.c.text, _ITEMS.c.author_kind, _ITEMS.c.kind,
                       _ITEMS.c.author_name)
                .where(_open(), _ITEMS.c.id > self._after)
                .order_by(_ITEMS.c.id)
                .limit(self.chunk)
            ).all()
        if not rows:
            self._finish()
            return True
        results = {row.id: screen_text(self._prepared, row.text, row.author_kind, row.kind) for row in rows}
        changed = self._write(results)
        by_id = {row.id: row for row in rows}
        for item_id, (gained, lost) in sorted(changed.items()):
            row = by_id[item_id]
            self.changes.append(FlagChange(item_id, row.author_name, _excerpt(row.text), gained, lost))
        self._after = rows[-1].id
        self.screened += len(rows)
        if len(rows) < self.chunk:
            self._finish()
        return self.done

    def report(self) -> RescreenReport:
        return RescreenReport(self.screened, max(self.total, self.screened), tuple(self.changes),
                              self.cancelled)

    def cancel(self) -> RescreenReport:
        """Stop here: the items screened so far keep their new flags, the rest wait."""
        if not self.done and not self.cancelled:
            self.cancelled = True
            with self._sf.begin() as session:
                self._audit(session)
        return self.report()

    def _audit(self, session: Session) -> None:
        if not self.changes:
            return
        gained = [c.item_id for c in self.changes if c.gained]
        lost = [c.item_id for c in self.changes if c.lost]
        audit.record(session, actor=self._actor.username, action="moderation.rescreened",
                     subject="queue", details={
                         "screened": self.screened, "stopped": self.cancelled,
                         "gained": len(gained), "lost": len(lost),
                         "gained_items": gained[:_AUDITED_IDS], "lost_items": lost[:_AUDITED_IDS]})

    def _finish(self) -> None:
        self.done = True
        with self._sf.begin() as session:
            self._audit(session)
            if screening_digest(session) != self._prepared.digest:
                return  # the inputs changed while it ran: still pending, run again
            row = session.get(ModerationMeta, SCREENED_KEY)
            if row is None:
                session.add(ModerationMeta(key=SCREENED_KEY, value=self._prepared.digest))
            else:
                row.value = self._prepared.digest

    def _write(self, results: dict[int, Any]) -> dict[int, tuple[tuple[str, ...], tuple[str, ...]]]:
        """Store the new matches, flags and priorities; (gained, lost) flags by item."""
        lo, hi = min(results), max(results)
        changed: dict[int, tuple[tuple[str, ...], tuple[str, ...]]] = {}
        with self._sf.begin() as session:
            now = session_clock(session).now()
            # The chunk is a run of ids, so one range reads it (an IN list of 2,000 ids
            # costs more to build than to run).
            flags: dict[int, dict[str, str]] = {}
            for item_id, flag, source in session.execute(
                select(_FLAGS.c.item_id, _FLAGS.c.flag, _FLAGS.c.source)
                .where(_FLAGS.c.item_id.between(lo, hi))
            ):
                flags.setdefault(item_id, {})[flag] = source
            wrong = {(i, r, f) for i, r, f in session.execute(
                select(_OVERRIDES.c.item_id, _OVERRIDES.c.rule_id, _OVERRIDES.c.flag)
                .where(_OVERRIDES.c.item_id.between(lo, hi))
            )}
            open_now = {i: p for i, p in session.execute(
                select(_ITEMS.c.id, _ITEMS.c.priority).where(_ITEMS.c.id.between(lo, hi), _open())
            )}
            # An item resolved since it was read is left as it is, and so is one reopened.
            priority = {i: p for i, p in open_now.items() if i in results}
            ids = sorted(priority)
            if len(priority) == len(open_now):
                open_in_range = select(_ITEMS.c.id).where(_ITEMS.c.id.between(lo, hi), _open())
                session.execute(delete(_MATCHES).where(_MATCHES.c.item_id.between(lo, hi),
                                                       _MATCHES.c.item_id.in_(open_in_range)))
            else:
                for part in _parts(ids):
                    session.execute(delete(_MATCHES).where(_MATCHES.c.item_id.in_(part)))
            matches: list[dict[str, object]] = []
            gains: list[dict[str, object]] = []
            losses: list[dict[str, object]] = []
            priorities: list[dict[str, object]] = []
            for item_id in ids:
                result = results[item_id]
                wanted: dict[str, str] = {}
                if result is not None:
                    matches.extend(match_rows_for(item_id, result, self._prepared, now))
                    for m in result.matches:
                        if m.flag and (item_id, m.rule_id, m.flag) not in wrong:
                            wanted.setdefault(m.flag, m.rule_id)
                have = flags.get(item_id, {})
                gained = tuple(sorted(f for f in wanted if f not in have))
                lost = tuple(sorted(f for f, src in have.items()
                                    if src.startswith(_RULE_SOURCE) and f not in wanted))
                gains += [{"item_id": item_id, "flag": f, "source": f"{_RULE_SOURCE}{wanted[f]}",
                           "set_at": now, "set_by": None} for f in gained]
                losses += [{"item_id": item_id, "flag": f} for f in lost]
                new_priority = result.priority if result is not None else 0
                if gained or lost or new_priority != priority[item_id]:
                    priorities.append({"item_id": item_id, "p": new_priority, "now": now})
                if gained or lost:
                    changed[item_id] = (gained, lost)
            if matches:
                session.execute(insert(_MATCHES), matches)
            if losses:
                session.execute(
                    delete(_FLAGS).where(and_(_FLAGS.c.item_id == bindparam("item_id"),
                                              _FLAGS.c.flag == bindparam("flag"))),
                    losses,
                )
            if gains:
                session.execute(insert(_FLAGS), gains)
            if priorities:  # the row changed: its version moves on, a stale edit shows
                session.execute(
                    update(_ITEMS)
                    .where(_ITEMS.c.id == bindparam("item_id"))
                    .values(priority=bindparam("p"), updated_at=bindparam("now"),
                            version_id=_ITEMS.c.version_id + 1)
                    .execution_options(synchronize_session=False),
                    priorities,
                )
        return changed


def _parts(ids: Sequence[int]) -> Iterator[Sequence[int]]:
    for start in range(0, len(ids), _IN):
        yield ids[start : start + _IN]


def _excerpt(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= _EXCERPT else flat[: _EXCERPT - 1] + "…"


class RescreenService:
    def __init__(self, session_factory: SessionFactory) -> None:
        self._sf = session_factory

    def pending(self) -> bool:
        """True when the rules, word lists or DNP names changed since the last full run."""
        with self._sf() as session:
            row = session.get(ModerationMeta, SCREENED_KEY)
            return row is None or row.value != screening_digest(session)

    def start(self, actor: Actor, *, chunk: int = CHUNK) -> RescreenRun:
        """A run over the items open now, with the rules, lists and names in force now."""
        require(actor, *ROLES, doing="screen the queue again")
        if chunk < 1:
            raise ValueError("chunk must be at least 1")
        with self._sf() as session:
            prepared = prepare(session)
            total = int(session.scalar(select(func.count()).select_from(_ITEMS).where(_open())) or 0)
        return RescreenRun(self._sf, prepared, actor, total, chunk)

    def rescreen(
        self,
        actor: Actor,
        *,
        progress: Callable[[int, int], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
        chunk: int = CHUNK,
    ) -> RescreenReport:
        """Screen every open item again; ``progress(done, total)`` after each step."""
        run = self.start(actor, chunk=chunk)
        while not run.step():
            if progress is not None:
                progress(run.screened, run.total)
            if cancelled is not None and cancelled():
                return run.cancel()
        if progress is not None:
            progress(run.screened, max(run.total, run.screened))
        report = run.report()
        log.info("re-screened %d open items: %d gained, %d lost a flag",
                 report.screened, len(report.gained), len(report.lost))
        return report
