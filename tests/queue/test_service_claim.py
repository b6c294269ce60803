"""Claiming items: one moderator per item, and conflicts instead of silent overwrites."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from smmod import audit
from smmod.audit import AuditFilter
from smmod.clock import FrozenClock
from smmod.context import AppContext
from smmod.errors import ConflictError, NotFound, PermissionDenied
from smmod.identity import Actor
from smmod.queue.records import ManualItem, QueueFilter
from smmod.queue.service import QueueService
from smmod.store.models import QueueItem
from tests.queue.test_service_fixtures import NOW, Clock, add_account, service


@pytest.fixture
def clock(clock: FrozenClock) -> Clock:
    return Clock(clock)


@pytest.fixture
def queue(ctx: AppContext, clock: Clock) -> QueueService:
    svc = service(ctx, clock)
    yield svc
    svc.close()


@pytest.fixture
def item_ids(ctx: AppContext, queue: QueueService) -> list[int]:
    account = add_account(ctx)
    return [
        queue.add_manual(
            ctx.actor, ManualItem(account, f"Parent {n}", f"Question {n}", NOW.replace(hour=8 + n))
        )
        for n in range(3)
    ]


def version(ctx: AppContext, item_id: int) -> int:
    with ctx.session_factory() as session:
        return session.execute(select(QueueItem.version_id).where(QueueItem.id == item_id)).scalar_one()


def test_claim_and_release(ctx, queue, item_ids, people):
    mod = people["mod1"]
    row = queue.claim(mod, item_ids[0], version(ctx, item_ids[0]))
    assert row.claimed_by == mod.staff_id and row.claimed_by_name == "Morgan Moderator"
    assert queue.read.ids(QueueFilter(claimed_by=mod.staff_id)).tolist() == [item_ids[0]]
    released = queue.release(mod, item_ids[0], row.version_id)
    assert released.claimed_by is None and released.version_id == row.version_id + 1
    actions = [
        e.action for e in audit.query(ctx.session_factory, AuditFilter(subject=f"queue_item:{item_ids[0]}"))
    ]
    assert actions == ["queue.release", "queue.claim", "queue.add_manual"]


def test_stale_version_is_a_visible_conflict(ctx, queue, item_ids, people):
    seen = version(ctx, item_ids[0])
    queue.claim(people["mod1"], item_ids[0], seen)  # someone else got there first
    with pytest.raises(ConflictError) as err:
        queue.claim(ctx.actor, item_ids[0], seen)
    assert str(err.value) == (
        f"#{item_ids[0]} was changed elsewhere. "
        "Nothing was claimed: reload to see the change, then try again."
    )
    assert queue.read.row(item_ids[0]).claimed_by == people["mod1"].staff_id


def test_claimed_by_someone_else_needs_take_over(ctx, queue, item_ids, people):
    first = queue.claim(people["mod1"], item_ids[0], version(ctx, item_ids[0]))
    with pytest.raises(ConflictError, match="claimed by Morgan Moderator"):
        queue.claim(ctx.actor, item_ids[0], first.version_id)
    taken = queue.claim(ctx.actor, item_ids[0], first.version_id, take_over=True)
    assert taken.claimed_by == ctx.actor.staff_id
    entry = audit.query(ctx.session_factory, AuditFilter(action="queue.claim"))[0]
    assert entry.details == {"from": people["mod1"].staff_id}


def test_claiming_again_is_harmless(ctx, queue, item_ids):
    row = queue.claim(ctx.actor, item_ids[0], version(ctx, item_ids[0]))
    again = queue.claim(ctx.actor, item_ids[0], row.version_id)
    assert again.version_id == row.version_id


def test_bulk_claim_is_all_or_nothing(ctx, queue, item_ids, people):
    versions = {i: version(ctx, i) for i in item_ids}
    queue.claim(people["mod1"], item_ids[1], versions[item_ids[1]])
    with pytest.raises(ConflictError, match=f"#{item_ids[1]}"):
        queue.claim_many(ctx.actor, list(versions.items()))
    assert queue.read.row(item_ids[0]).claimed_by is None
    assert queue.read.row(item_ids[2]).claimed_by is None
    fresh = [(i, version(ctx, i)) for i in (item_ids[0], item_ids[2])]
    assert queue.claim_many(ctx.actor, fresh) == 2


def test_change_between_check_and_save_is_caught(ctx, queue, item_ids, monkeypatch):
    """A writer that changes the row after the version check (e.g. on a shared PostgreSQL
    server) makes the save fail with a conflict, not overwrite it."""
    seen = version(ctx, item_ids[0])
    real_record = audit.record

    def record_after_a_race(session, **kwargs):  # type: ignore[no-untyped-def]
        # On the session's own connection, without autoflush: as if another writer got in.
        session.connection().execute(
            update(QueueItem.__table__)
            .where(QueueItem.id == item_ids[0])
            .values(version_id=QueueItem.__table__.c.version_id + 1)
        )
        return real_record(session, **kwargs)

    monkeypatch.setattr("smmod.queue.service.audit.record", record_after_a_race)
    with pytest.raises(ConflictError, match="changed elsewhere"):
        queue.claim(ctx.actor, item_ids[0], seen)
    monkeypatch.undo()
    assert queue.read.row(item_ids[0]).claimed_by is None
    assert version(ctx, item_ids[0]) == seen  # and the race itself was rolled back too


def test_who_may_claim(ctx, queue, item_ids, people):
    with pytest.raises(PermissionDenied, match="read-only"):
        queue.claim(Actor("stranger"), item_ids[0], version(ctx, item_ids[0]))
    with pytest.raises(PermissionDenied):
        queue.claim(people["run1"], item_ids[0], version(ctx, item_ids[0]))
    with pytest.raises(NotFound):
        queue.claim(ctx.actor, 99_999, 1)
