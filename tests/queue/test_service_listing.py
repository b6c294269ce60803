"""The read side: ids in order, filters, text search (FTS5 and LIKE), detail, dashboard,
R13 monitoring, change detection, and the schema the migration builds."""

from __future__ import annotations

from datetime import timedelta

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import select, text

from smmod.clock import FrozenClock
from smmod.context import AppContext
from smmod.errors import NotFound
from smmod.queue import listing
from smmod.queue.records import ManualItem, QueueFilter, QueueSort
from smmod.queue.service import QueueService
from smmod.store.models import Account, Base
from smmod.store.models.queue import FTS_TABLE, is_fts_table
from tests.queue.test_service_fixtures import NOW, Clock, add_account, items, service, write_csv

ROWS = [  # id, parent, author, received (UTC), text
    ["c1", "", "Sarah Whitfield", "2026-11-23T09:00:00Z", "Is the Christmas fair still on?"],
    ["c2", "c1", "Brookfield Office", "2026-11-23T09:30:00Z", "Yes, the fair goes ahead."],
    ["c3", "", "Tom Okafor", "2026-11-20T08:00:00Z", "The car park was chaos again."],
    ["c4", "", "Zoë Brontë", "2026-11-24T10:00:00Z", "Merci pour le café du matin"],
    ["c5", "", "Priya Patel", "2026-11-23T14:00:00Z", "Uniform shop opening hours?"],
]


@pytest.fixture
def clock(clock: FrozenClock) -> Clock:
    return Clock(clock)


@pytest.fixture
def queue(ctx: AppContext, clock: Clock) -> QueueService:
    svc = service(ctx, clock)
    yield svc
    svc.close()


@pytest.fixture
def loaded(ctx, queue, tmp_path) -> dict[str, int]:  # type: ignore[no-untyped-def]
    account = add_account(ctx)
    queue.import_file(ctx.actor, write_csv(tmp_path / "items.csv", ROWS), account)
    return {i.platform_item_id: i.id for i in items(ctx)}


def ids(queue: QueueService, **kwargs: object) -> list[int]:
    sort = kwargs.pop("sort", QueueSort())
    return queue.read.ids(QueueFilter(**kwargs), sort).tolist()  # type: ignore[arg-type]


def test_default_order_is_soonest_deadline_first(queue, loaded):
    assert ids(queue) == [loaded[k] for k in ("c3", "c1", "c2", "c5", "c4")]
    assert ids(queue, sort=QueueSort("due", descending=True)) == [
        loaded[k] for k in ("c4", "c5", "c2", "c1", "c3")
    ]
    assert ids(queue, sort=QueueSort("author"))[0] == loaded["c2"]  # Brookfield Office


def test_filters(ctx, queue, loaded, clock, people):
    # Now is 24 Nov 12:00: c3 was due 21 Nov 08:00, c1 and c2 at 09:00 and 09:30 today.
    assert ids(queue, overdue=True) == [loaded["c3"], loaded["c1"], loaded["c2"]]
    assert ids(queue, kinds=frozenset({"reply"})) == [loaded["c2"]]
    queue.acknowledge_many(ctx.actor, [loaded["c1"]])
    assert ids(queue, statuses=frozenset({"responded"})) == [loaded["c1"]]
    assert loaded["c1"] not in ids(queue, awaiting_response=True)
    queue.set_flag(loaded["c3"], "Complaint")
    assert ids(queue, flag="complaint") == [loaded["c3"]]
    row = queue.read.row(loaded["c5"])
    queue.claim(people["mod1"], row.id, row.version_id)
    assert ids(queue, claimed_by=people["mod1"].staff_id) == [loaded["c5"]]
    other = add_account(ctx, "brookfield_pta")
    queue.add_manual(ctx.actor, ManualItem(other, "Ann", "PTA question", NOW))
    assert len(ids(queue, account_ids=frozenset({other}))) == 1
    assert queue.read.count(QueueFilter(account_ids=frozenset({other}))) == 1


@pytest.mark.parametrize(
    "query, expected",
    [
        ("fair", ["c1", "c2"]),
        ("FAIR goes", ["c2"]),
        ("chao", ["c3"]),  # a word's beginning is enough
        ("cafe", ["c4"]),  # accents do not matter
        ("okafor", ["c3"]),  # authors are searched too
        ('"fair', ["c1", "c2"]),  # stray quotes are not FTS syntax
        ("fair AND NOT car", []),  # nor are operators: every word must be there
        ("NEAR(fair", []),  # "near" is just a word here, and no item has it
        ("nothing-like-this", []),
    ],
)
def test_text_search_fts_and_like_agree(ctx, queue, loaded, query, expected):
    want = sorted(loaded[k] for k in expected)
    assert sorted(ids(queue, text=query)) == want
    with queue.read._engine.connect() as conn:  # the dialect-neutral fallback
        like = listing.ordered_ids(conn, QueueFilter(text=query), QueueSort(), NOW, False)
    if query not in ("chao", "cafe"):  # LIKE finds inside words and keeps accents
        assert sorted(like.tolist()) == want
    assert sorted(ids(queue, text="%")) == []  # LIKE wildcards are escaped


def test_like_fallback_finds_inside_words(queue, loaded):
    with queue.read._engine.connect() as conn:
        found = listing.ordered_ids(conn, QueueFilter(text="hao"), QueueSort(), NOW, False)
    assert found.tolist() == [loaded["c3"]]


def test_fts_index_follows_inserts_updates_and_deletes(ctx, queue, loaded):
    assert queue.read._use_fts(queue.read._engine.connect())
    account = add_account(ctx, "brookfield_pta")
    new_id = queue.add_manual(ctx.actor, ManualItem(account, "Ann", "Swimming gala", NOW))
    assert ids(queue, text="gala") == [new_id]
    with ctx.session_factory.begin() as session:
        session.execute(text("UPDATE queue_items SET text = 'Sports day' WHERE id = :i"), {"i": new_id})
    assert ids(queue, text="gala") == [] and ids(queue, text="sports") == [new_id]
    with ctx.session_factory.begin() as session:
        session.execute(text("DELETE FROM queue_items WHERE id = :i"), {"i": new_id})
        check = session.execute(
            text(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rank) VALUES ('integrity-check', 1)")
        )
        assert check is not None  # raises if the index and the table disagree
    assert ids(queue, text="sports") == []


def test_bulk_import_fills_the_text_index(ctx, queue, tmp_path):
    account = add_account(ctx)
    rows = [[f"b{n}", "", f"Author {n}", "2026-11-23T09:00:00Z", f"bulk word{n} lunch"] for n in range(300)]
    queue.import_file(ctx.actor, write_csv(tmp_path / "bulk.csv", rows), account)
    assert len(ids(queue, text="lunch")) == 300 and len(ids(queue, text="word123")) == 1
    with ctx.session_factory.begin() as session:
        session.execute(text(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rank) VALUES ('integrity-check', 1)"))
        marker = session.execute(
            text("SELECT count(*) FROM queue_meta WHERE key = 'fts.deferred'")
        ).scalar_one()
    assert marker == 0


def test_rows_and_detail(ctx, queue, loaded, people):
    rows = queue.read.rows([loaded["c1"], loaded["c2"], 12345])
    assert set(rows) == {loaded["c1"], loaded["c2"]}
    assert rows[loaded["c2"]].parent_id == loaded["c1"]
    assert rows[loaded["c1"]].account_label == "facebook: brookfieldprimary"
    row = queue.read.row(loaded["c1"])
    queue.claim(people["mod1"], row.id, row.version_id)
    detail = queue.read.detail(loaded["c1"])
    assert detail.text == "Is the Christmas fair still on?"
    assert [r.id for r in detail.replies] == [loaded["c2"]] and detail.reply_count == 1
    assert detail.platform_item_id == "c1" and detail.imported_by_name == "Hannah Head"
    assert [h.action for h in detail.history] == ["received", "queue.claim"]
    assert "claimed" in detail.history[1].summary and detail.history[1].actor == "Morgan Moderator"
    with pytest.raises(NotFound):
        queue.read.detail(99_999)


def test_dashboard_counts_per_account(ctx, queue, loaded, clock):
    clock.now = NOW.replace(hour=6)  # 24 Nov 06:00 UTC
    dash = queue.read.dashboard()
    (line,) = dash.accounts
    # due: c3 21 Nov (overdue), c1 24 Nov 09:00 & c2 09:30 (within 4 h), c5 14:00, c4 25 Nov
    assert (line.overdue, line.due_soon, line.not_acknowledged) == (1, 2, 5)
    queue.acknowledge_many(ctx.actor, [loaded["c1"], loaded["c3"]])
    line = queue.read.dashboard().accounts[0]
    assert (line.overdue, line.due_soon, line.not_acknowledged) == (0, 1, 3)
    assert (dash.overdue, dash.window_hours) == (1, 4)


def test_r13_last_checked_and_stale_flag(ctx, queue, loaded, clock, people):
    (line,) = queue.read.dashboard().accounts
    assert line.last_checked_at is None and line.stale
    with ctx.session_factory() as session:
        before = session.execute(select(Account.version_id)).scalar_one()
    assert queue.mark_checked(people["mod1"]) == 1
    with ctx.session_factory() as session:
        account = session.execute(select(Account)).scalar_one()
        assert account.last_checked_at == clock.now
        assert account.version_id == before  # looking is not an edit: no false conflicts
    assert not queue.read.dashboard().accounts[0].stale
    clock.advance(days=1, minutes=1)
    assert queue.read.dashboard().accounts[0].stale  # default: 1 day
    ctx.settings.set("monitoring.stale_days", "3")
    assert not queue.read.dashboard().accounts[0].stale
    from smmod.identity import Actor

    assert queue.mark_checked(Actor("stranger")) == 0  # read-only people leave no trace


def test_change_token_moves_with_new_and_changed_items(ctx, queue, loaded, clock):
    first = queue.read.change_token()
    assert queue.read.change_token() == first
    clock.advance(seconds=1)
    row = queue.read.row(loaded["c1"])
    queue.claim(ctx.actor, row.id, row.version_id)
    second = queue.read.change_token()
    assert second != first
    clock.advance(seconds=1)
    queue.set_flag(loaded["c1"], "urgent")
    third = queue.read.change_token()
    assert third != second
    clock.advance(seconds=1)
    queue.clear_flag(loaded["c1"], "urgent")
    assert queue.read.change_token() != third


def test_reads_do_not_wait_for_a_writer(ctx, queue, loaded):
    """Browsing the queue works while an import holds the write lock."""
    with ctx.session_factory.begin() as session:
        session.execute(text("UPDATE queue_items SET priority = 1"))  # lock taken
        assert len(ids(queue)) == len(loaded)
        assert queue.read.detail(loaded["c1"]).text


def test_models_and_migration_agree_ignoring_fts(ctx):
    """``alembic check`` for the queue tables; the FTS tables are raw DDL and skipped."""

    def include_name(name, type_, parent_names):  # type: ignore[no-untyped-def]
        return not (type_ == "table" and is_fts_table(name))

    with ctx.database.engine.connect() as conn:
        migration = MigrationContext.configure(
            conn, opts={"compare_type": True, "include_name": include_name}
        )
        diffs = [d for d in compare_metadata(migration, Base.metadata) if "queue" in str(d)]
        names = {
            r[0]
            for r in conn.execute(text("SELECT name FROM sqlite_master WHERE name LIKE 'queue_items_fts%'"))
        }
    assert diffs == []
    assert {FTS_TABLE, "queue_items_fts_ai", "queue_items_fts_ad", "queue_items_fts_au"} <= names
    assert is_fts_table("queue_items_fts_data") and not is_fts_table("queue_items")


def test_cutoffs_are_relative_to_now(queue, loaded, clock):
    clock.now = NOW - timedelta(days=10)
    assert ids(queue, overdue=True) == []
