"""Live for everyone on PostgreSQL: what one copy of the app commits reaches every other
open copy through LISTEN/NOTIFY (issue 14). Two clients share one server database; the
waits are failure bounds, not timings."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from smmod.accounts import AccountService
from smmod.context import AppContext, open_context
from smmod.errors import ConflictError, NotSaved
from smmod.identity import Actor
from smmod.queue.records import ManualItem
from smmod.store.live import EVERYTHING
from smmod.store.models import QueueItem
from smmod.ui.live import LiveUpdates
from tests.accounts.helpers import draft_input
from tests.pg_support import PgServer
from tests.queue.test_service_fixtures import NOW, add_account, write_csv

Listening = Callable[[AppContext], LiveUpdates]
BOUND_MS = 5_000  # a failure bound: the change arrives well inside a second when all is well


@pytest.fixture
def smmod_home(smmod_home: Path, pg_database: str, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Both clients on the same server database, whatever database the suite runs on."""
    monkeypatch.setenv("SMMOD_DATABASE_URL", pg_database)
    return smmod_home


@pytest.fixture
def second(ctx: AppContext, tmp_path: Path) -> Iterator[AppContext]:
    """Another person's copy of smmod: its own folder and settings, the same server."""
    other = open_context(str(tmp_path / "second-computer"), clock=ctx.clock)
    yield other
    other.close()


@pytest.fixture
def listening(ctx: AppContext) -> Iterator[Callable[[AppContext], LiveUpdates]]:
    """Start a client's listener (stopped after the test, before its database goes)."""
    started: list[LiveUpdates] = []

    def start(client: AppContext) -> LiveUpdates:
        live = LiveUpdates(client.database.url)
        live.start()
        assert live.wait_listening(BOUND_MS / 1000)
        started.append(live)
        return live

    yield start
    for live in started:
        live.stop()


def about(table: str, row_id: int):  # type: ignore[no-untyped-def]
    return lambda changed, ids: changed == table and str(row_id) in ids


def version(ctx: AppContext, item_id: int) -> int:
    with ctx.session_factory() as session:
        return session.execute(select(QueueItem.version_id).where(QueueItem.id == item_id)).scalar_one()


@pytest.fixture
def item(ctx: AppContext) -> int:
    account = add_account(ctx)
    return ctx.queue.add_manual(ctx.actor, ManualItem(account, "A parent", "Is the fair on?", NOW))


def test_a_claim_elsewhere_is_heard_and_the_stale_claim_is_a_conflict(
        ctx: AppContext, second: AppContext, people: dict[str, Actor], item: int,
        qtbot: QtBot, listening: Listening) -> None:
    seen = version(ctx, item)
    live = listening(ctx)
    with qtbot.waitSignal(live.changed, timeout=BOUND_MS, check_params_cb=about("queue_items", item)):
        second.queue.claim(people["mod1"], item, version(second, item))
    with pytest.raises(ConflictError, match="was changed elsewhere"):
        ctx.queue.claim(ctx.actor, item, seen)
    assert ctx.queue.read.row(item).claimed_by_name == "Morgan Moderator"


def test_a_claim_taken_over_is_heard_by_the_one_who_had_it(
        ctx: AppContext, second: AppContext, people: dict[str, Actor], item: int,
        qtbot: QtBot, listening: Listening) -> None:
    second.queue.claim(people["mod1"], item, version(second, item))
    live = listening(second)  # Morgan's copy of the app
    with qtbot.waitSignal(live.changed, timeout=BOUND_MS, check_params_cb=about("queue_items", item)):
        ctx.queue.claim(ctx.actor, item, version(ctx, item), take_over=True)
    assert second.queue.read.row(item).claimed_by_name == "Hannah Head"


def test_an_approval_by_a_second_slt_member_is_heard_by_the_first(
        ctx: AppContext, second: AppContext, people: dict[str, Actor], qtbot: QtBot,
        listening: Listening) -> None:
    mine = AccountService(ctx.session_factory, expiry_months=lambda: 12)
    theirs = AccountService(second.session_factory, expiry_months=lambda: 12)
    record = mine.draft(people["mod1"], draft_input(people))
    record = mine.submit(people["mod1"], record.id, record.version_id)
    live = listening(ctx)
    with qtbot.waitSignal(live.changed, timeout=BOUND_MS, check_params_cb=about("accounts", record.id)):
        theirs.approve(people["slt2"], record.id, record.version_id, reason="Good case")
    assert mine.get(record.id).status == "approved"


def test_a_change_rolled_back_is_never_announced(
        ctx: AppContext, second: AppContext, item: int, qtbot: QtBot, listening: Listening) -> None:
    live = listening(ctx)
    with qtbot.assertNotEmitted(live.changed, wait=500):
        with second.session_factory.begin() as session:
            session.get(QueueItem, item).text = "changed, then rolled back"  # type: ignore[union-attr]
            session.flush()
            session.rollback()


def test_an_import_is_one_refresh_not_one_per_row(
        ctx: AppContext, second: AppContext, qtbot: QtBot, tmp_path: Path, listening: Listening) -> None:
    account = add_account(ctx)
    rows = [[f"c{n}", "", f"Parent {n}", "02/12/2026 09:00", f"Question {n}"] for n in range(150)]
    path = write_csv(tmp_path / "comments.csv", rows)
    live = listening(ctx)
    heard: list[tuple[str, list[str]]] = []
    live.changed.connect(lambda table, ids: heard.append((table, ids)))
    with qtbot.waitSignal(live.changed, timeout=BOUND_MS,
                          check_params_cb=lambda table, ids: table == "queue_items"):
        report = second.queue.import_file(ctx.actor, path, account)
    assert report.imported == 150
    assert [table for table, _ in heard].count("queue_items") == 1
    with ctx.session_factory() as session:
        imported = {str(i) for i in session.execute(select(QueueItem.id)).scalars()}
    assert set(dict(heard)["queue_items"]) == imported  # every statement's rows, gathered


def test_a_server_that_goes_away_and_comes_back(
        ctx: AppContext, pg_server: PgServer, qtbot: QtBot, listening: Listening) -> None:
    """While it is away a change is refused as not saved (nothing half kept); once it is
    back the listener says so, asks for everything to be read again, and changes work."""
    account = add_account(ctx)
    live = listening(ctx)
    entry = ManualItem(account, "A parent", "Is the fair on?", NOW)
    try:
        with qtbot.waitSignal(live.connection_changed, timeout=30_000,
                              check_params_cb=lambda up: up is False):
            pg_server.stop()
        with pytest.raises(NotSaved, match="could not be reached, so this change was not saved"):
            ctx.queue.add_manual(ctx.actor, entry)
    finally:
        with qtbot.waitSignals([live.connection_changed, live.changed], timeout=30_000,
                               check_params_cbs=[lambda up: up is True,
                                                 lambda table, ids: table == EVERYTHING]):
            pg_server.start()
    kept = ctx.queue.add_manual(ctx.actor, entry)
    with ctx.session_factory() as session:
        assert list(session.execute(select(QueueItem.id)).scalars()) == [kept]
