"""For you in the app: the page, the start-up list and tray notifications (no comment
text or pupils' names in them)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtWidgets import QSystemTrayIcon, QWidget

from smmod.context import AppContext
from smmod.ui.foryou.page import ForYouPage
from smmod.ui.foryou.watcher import ForYouWatcher
from smmod.ui.mainwindow import MainWindow
from smmod.ui.pages import PageDeps
from smmod.ui.tasks import TaskRunner
from tests.reports.fixture import COMMENT, Fixture, build
from tests.reports.foryou_setup import PUPIL, late_item, plant_everything

TIMEOUT = 30_000  # a bound, not a target: waits end as soon as the answer comes
pytestmark = pytest.mark.qt_log_ignore(r"^This plugin does not support propagateSizeHints\(\)")


@pytest.fixture
def fx(ctx, people, clock) -> Fixture:
    fixture = build(ctx, people, clock)
    plant_everything(fixture, clock)
    return fixture


def test_the_page_lists_what_waits_and_opens_where_to_act(
        qtbot, fx: Fixture, ctx: AppContext, runner: TaskRunner,
        show: Callable[[QWidget], QWidget]) -> None:
    window = show(MainWindow(ctx, runner))
    assert isinstance(window, MainWindow)
    window.show_page("foryou")
    page = window.page("foryou")
    assert isinstance(page, ForYouPage)
    qtbot.waitUntil(lambda: len(page.items) >= 7, timeout=TIMEOUT)
    titles = page.list.titles()
    assert "Approve or reject Instagram: @waiting_for_you" in titles
    assert page.summary.text().startswith(f"{len(titles)} things wait for you")
    shown = " ".join(r.title.text() + r.detail.text() for r in page.list.rows)
    assert COMMENT not in shown and PUPIL not in shown
    approval = next(r for r in page.list.rows if r.item.kind == "approval")
    approval.open_button.click()
    assert window.current_page_key() == "accounts"


def test_start_up_shows_the_list_then_the_tray_tells_of_new_items_only(
        qtbot, fx: Fixture, ctx: AppContext, runner: TaskRunner, clock,
        show: Callable[[QWidget], QWidget], monkeypatch: pytest.MonkeyPatch) -> None:
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(QSystemTrayIcon, "showMessage",
                        lambda self, title, text, *rest: shown.append((title, text)))
    parent = show(QWidget())
    watcher = ForYouWatcher(ctx, runner, parent, tray_available=True, interval_ms=10_000_000)
    watcher.start()
    qtbot.waitUntil(lambda: watcher.dialog is not None, timeout=TIMEOUT)
    assert watcher.dialog is not None
    qtbot.addWidget(watcher.dialog)
    assert len(watcher.dialog.list.rows) >= 7
    assert shown == []  # the start-up list is shown, not notified
    with qtbot.waitSignal(watcher.notified, timeout=TIMEOUT, raising=False) as nothing:
        watcher.check()
    assert not nothing.signal_triggered and shown == []  # nothing new
    late_item(fx, clock, "B", hours_ago=26)
    with qtbot.waitSignal(watcher.notified, timeout=TIMEOUT):
        watcher.check()
    assert shown == [("smmod: 1 missed deadline",
                      "1 item on Facebook: @fixture_b passed the deadline in the last 24 hours")]
    for title, text in shown:
        for leak in (COMMENT, PUPIL, "Tamsin", "Zebedee"):
            assert leak not in title and leak not in text
    watcher.dialog.close()


def test_read_only_people_get_no_list(qtbot, ctx: AppContext, runner: TaskRunner,
                                      deps: PageDeps) -> None:
    from smmod.identity import Actor
    from smmod.ui.foryou.watcher import start_for_you

    ctx.actor = Actor("stranger")
    window = QWidget()
    qtbot.addWidget(window)
    assert start_for_you(ctx, window, runner) is None
