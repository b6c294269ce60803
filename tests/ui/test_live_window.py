"""The app on a server: another person's claim shows in the open queue through the
server's notifications (not the 5-second poll), and a server that goes away shows as
"Reconnecting…" until it is back."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtWidgets import QLabel, QWidget
from pytestqt.qtbot import QtBot

from smmod.context import AppContext
from smmod.identity import Actor
from smmod.ui.mainwindow import MainWindow
from smmod.ui.queue.page import QueuePage
from smmod.ui.tasks import TaskRunner
from tests.pg_support import PgServer
from tests.test_live_postgresql import (  # noqa: F401 - fixtures: both clients on one server
    BOUND_MS,
    item,
    second,
    smmod_home,
    version,
)

pytestmark = pytest.mark.qt_log_ignore(r"^This plugin does not support propagateSizeHints\(\)")


@pytest.fixture
def window(ctx: AppContext, runner: TaskRunner, show: Callable[[QWidget], QWidget],
           qtbot: QtBot) -> MainWindow:
    shown = show(MainWindow(ctx, runner))
    assert isinstance(shown, MainWindow) and shown.live is not None
    assert shown.live.wait_listening(BOUND_MS / 1000)
    return shown


def test_a_claim_by_someone_else_shows_in_the_open_queue(
        window: MainWindow, second: AppContext, people: dict[str, Actor], item: int,  # noqa: F811
        qtbot: QtBot) -> None:
    window.show_page("queue")
    page = window.page("queue")
    assert isinstance(page, QueuePage)
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=BOUND_MS)
    page._change_timer.stop()  # the SQLite poll: only the server's notification is left
    second.queue.claim(people["mod1"], item, version(second, item))
    qtbot.waitUntil(lambda: (row := page.model.row_data(0)) is not None
                    and row.claimed_by_name == "Morgan Moderator", timeout=BOUND_MS)


def test_the_status_bar_says_reconnecting_while_the_server_is_away(
        window: MainWindow, pg_server: PgServer, qtbot: QtBot) -> None:
    state = window.findChild(QLabel, "connection_state")
    assert state is not None and state.text() == ""
    try:
        pg_server.stop()
        qtbot.waitUntil(lambda: "Reconnecting…" in state.text(), timeout=30_000)
    finally:
        pg_server.start()
    qtbot.waitUntil(lambda: state.text() == "", timeout=30_000)
    assert window.statusBar().currentMessage() == "Reconnected to the database server."
