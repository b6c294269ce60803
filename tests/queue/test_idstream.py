"""The view's id stream: the same ids as one query on both databases, and on PostgreSQL
an estimated total for very large queries that becomes exact once every id is in."""

from __future__ import annotations

import pytest

from smmod.queue import idstream, listing
from smmod.queue.records import PRIORITY, QueueFilter, QueueSort
from smmod.ui.queue.model import QueueTableModel
from tests.conftest import SUITE_NOW
from tests.queue.test_service_listing import clock, loaded, queue  # noqa: F401  (fixtures)

QUERIES = [
    (QueueFilter(), QueueSort()),
    (QueueFilter(), QueueSort("due", descending=True)),
    (QueueFilter(), PRIORITY),
    (QueueFilter(text="fair"), QueueSort()),
    (QueueFilter(statuses=frozenset({"new"})), QueueSort("author")),
    (QueueFilter(awaiting_response=True), QueueSort("account")),
]


def read_all(stream: idstream.IdStream | idstream.ArrayStream, step: int) -> list[int]:
    got: list[int] = []
    while not stream.done:
        got.extend(stream.fetch(step))
    return got


@pytest.mark.parametrize(("flt", "sort"), QUERIES)
def test_stream_gives_the_ids_and_count_of_one_query(queue, loaded, flt, sort):  # noqa: F811
    want = queue.read.ids(flt, sort).tolist()
    assert want  # every query here matches something
    stream = queue.read.open_ids(flt, sort)
    assert (stream.total, stream.estimated) == (len(want), False)
    assert read_all(stream, 2) == want


def on_server(queue) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    if queue.read._engine.dialect.name != "postgresql":
        pytest.skip("the estimate is PostgreSQL's planner's (SQLite counts: its count is cheap)")


@pytest.mark.parametrize("planned", [2, 40])  # below and above the real five
def test_large_query_on_server_shows_an_estimate_until_every_id_is_in(
    queue, loaded, monkeypatch, qtbot, planned  # noqa: F811
):
    on_server(queue)
    monkeypatch.setattr(idstream, "EXACT_COUNT_UP_TO", 1)
    monkeypatch.setattr(idstream, "_planned_rows", lambda conn, statement: planned)
    want = queue.read.ids(QueueFilter(), QueueSort()).tolist()
    stream = queue.read.open_ids(QueueFilter(), QueueSort())
    assert (stream.total, stream.estimated) == (planned, True)
    assert read_all(stream, 2) == want  # read to the end, not to the estimate

    model = QueueTableModel(queue.read, now=lambda: SUITE_NOW)
    model.set_query(QueueFilter(), QueueSort())
    assert (model.rowCount(), model.is_estimate()) == (planned, True)
    with qtbot.waitSignal(model.ids_loaded) as loaded_signal:
        model.finish_loading()
    assert loaded_signal.args == [len(want)]
    assert (model.rowCount(), model.is_estimate()) == (len(want), False)
    assert [model.item_id(row) for row in range(model.rowCount())] == want


def test_planner_estimate_is_read_from_the_server(queue, loaded):  # noqa: F811
    on_server(queue)
    everything = listing.ids_statement(QueueFilter(), QueueSort(), SUITE_NOW, True)
    one = listing.ids_statement(QueueFilter(text="chaos"), QueueSort(), SUITE_NOW, True)
    with queue.read._engine.connect() as conn:
        assert idstream._planned_rows(conn, everything) >= 1
        assert idstream._planned_rows(conn, one) >= 1  # bound parameters are passed on


def test_large_search_on_server_streams_with_an_estimate(queue, loaded, monkeypatch):  # noqa: F811
    """Counting a big search's matches costs as much as finding them all: the total is
    the planner's estimate even below ``EXACT_COUNT_UP_TO``."""
    on_server(queue)
    monkeypatch.setattr(idstream, "READ_WHOLE_UP_TO", 0)
    want = queue.read.ids(QueueFilter(text="fair"), QueueSort()).tolist()
    stream = queue.read.open_ids(QueueFilter(text="fair"), QueueSort())
    assert stream.estimated and stream.total >= 1
    assert read_all(stream, 1) == want
