"""In-app polling: the timer's rounds sync each connected account against the fake
Mastodon; the queue refreshes when items come in, a failure shows in the status bar.
The tests fire the timer themselves: nothing waits for real minutes."""

from __future__ import annotations

import pytest

from smmod.ui.connectors.poller import MINUTE_MS, Poller
from smmod.ui.mainwindow import MainWindow
from smmod.ui.queue.page import QueuePage
from tests.connectors.conftest import School

TIMEOUT = 30_000  # a bound, not a target: waits end as soon as the answer comes
pytestmark = pytest.mark.qt_log_ignore(r"^This plugin does not support propagateSizeHints\(\)")


@pytest.fixture
def poller(qtbot, school: School):
    school.ctx.actor = school.mod
    poller = Poller(school.ctx)
    yield poller
    assert poller.wait(10_000)


def round_of(qtbot, poller: Poller, *, ticks: int = 1) -> list:
    seen: list = []
    poller.synced.connect(seen.append)
    with qtbot.waitSignal(poller.round_finished, timeout=TIMEOUT):
        for _ in range(ticks):
            poller.timer.timeout.emit()
    assert poller.wait(10_000)
    poller.synced.disconnect(seen.append)
    return seen


def test_the_interval_comes_from_the_setting(school: School, poller: Poller) -> None:
    assert poller.timer.interval() == 5 * MINUTE_MS
    school.ctx.settings.set("connectors.poll_minutes", "30")
    poller.timer.timeout.emit()  # each round reads it again
    assert poller.timer.interval() == 30 * MINUTE_MS
    with pytest.raises(Exception, match=r"1440|between|most"):
        school.ctx.settings.set("connectors.poll_minutes", "1441")


def test_a_round_brings_new_mentions_once_and_never_syncs_an_account_twice_at_once(
        qtbot, school: School, poller: Poller) -> None:
    school.connect()
    for words in ("first", "second", "third"):
        school.fake.add_mention(f"@oakfield {words} question")
    news: list[int] = []
    poller.new_items.connect(news.append)
    results = round_of(qtbot, poller, ticks=3)  # three ticks at once: one sync
    assert [(r.ok, r.imported) for r in results] == [(True, 3)]
    assert news == [3]
    assert not poller.in_flight
    again = round_of(qtbot, poller)
    assert [(r.ok, r.imported) for r in again] == [(True, 0)]
    assert news == [3]


def test_nothing_connected_nothing_synced(qtbot, poller: Poller) -> None:
    assert round_of(qtbot, poller) == []


def test_the_window_refreshes_the_queue_and_shows_a_failing_sync(
        qtbot, school: School, runner, show) -> None:
    school.ctx.actor = school.mod
    school.connect()
    window = show(MainWindow(school.ctx, runner))
    assert isinstance(window, MainWindow)
    assert window.poller.timer.isActive()
    queue = window.page("queue")
    assert isinstance(queue, QueuePage)
    with qtbot.waitSignal(queue.items_reloaded, timeout=TIMEOUT) as first:
        queue.refresh()
    assert first.args[0] == 0
    school.fake.add_mention("@oakfield when is sports day?")
    with qtbot.waitSignal(queue.items_reloaded, timeout=TIMEOUT) as reloaded:
        with qtbot.waitSignal(window.poller.round_finished, timeout=TIMEOUT):
            window.poller.timer.timeout.emit()
    assert reloaded.args[0] == 1
    assert "1 new item" in window.statusBar().currentMessage()

    school.fake.force("GET", "/api/v1/notifications", *([500] * 8))
    with qtbot.waitSignal(window.poller.round_finished, timeout=TIMEOUT):
        window.poller.timer.timeout.emit()
    message = window.statusBar().currentMessage()
    assert message.startswith("Sync failed: ") and "oakfield" in message, message
    assert window.poller.wait(10_000)
