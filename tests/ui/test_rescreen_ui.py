"""Re-screening from the app: after the register or a word list changes (issue 11, item 5).

Driven through the real widgets: the do-not-publish register tab in the main window, the
word list editor opened from the action panel, and the status line with Stop and
"Show changes…".
"""

from __future__ import annotations

from collections.abc import Callable
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QWidget
from sqlalchemy import select

from smmod.context import AppContext
from smmod.identity import Actor
from smmod.moderation.rescreen import RescreenReport
from smmod.moderation.vocabulary import flag_label
from smmod.store.models import QueueItemFlag
from smmod.ui.images.page import ImagesPage
from smmod.ui.mainwindow import MainWindow
from smmod.ui.moderation import ActionPanel
from smmod.ui.moderation.wordlists_dialog import WordListsDialog
from smmod.ui.pages import PageDeps
from smmod.ui.rescreen import RescreenDialog, RescreenStatus, RescreenWatcher
from smmod.ui.tasks import TaskRunner
from tests.moderation.helpers import make_desk

TIMEOUT = 30_000  # a bound, not a target: waits end as soon as the answer comes
PROTECTED = "names_protected_pupil"
pytestmark = pytest.mark.qt_log_ignore(r"^This plugin does not support propagateSizeHints\(\)")


def flags_of(ctx: AppContext, item_id: int) -> set[str]:
    with ctx.session_factory() as session:
        found = session.execute(select(QueueItemFlag.flag).where(QueueItemFlag.item_id == item_id))
        return set(found.scalars())


def table_rows(dialog: RescreenDialog) -> list[list[str]]:
    t = dialog.table
    return [[t.item(r, c).text() for c in range(t.columnCount())] for r in range(t.rowCount())]


def test_adding_a_pupil_in_the_register_flags_the_comments_naming_them(
        qtbot, ctx: AppContext, people: dict[str, Actor], runner: TaskRunner,
        show: Callable[[QWidget], QWidget]) -> None:
    desk = make_desk(ctx, people)
    naming = desk.add("Mia Thompson scored the winning goal!", author="Sarah Whitfield")
    desk.add("What time does the fair start?")
    window = show(MainWindow(ctx, runner))
    assert isinstance(window, MainWindow)
    status = window.rescreen_status
    assert not status.isVisible()
    window.show_page("images")
    page = window.page("images")
    assert isinstance(page, ImagesPage)
    tab = page.register_tab
    page.tabs.setCurrentWidget(tab)
    qtbot.waitUntil(lambda: tab.buttons["add"].isEnabled(), timeout=TIMEOUT)
    qtbot.mouseClick(tab.buttons["add"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.current_dialog() is not None, timeout=TIMEOUT)
    dialog = tab.current_dialog()
    qtbot.keyClicks(dialog.name_edit, "Mia Thompson")
    with qtbot.waitSignal(status.watcher.finished, timeout=TIMEOUT) as done:
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    report = done.args[0]
    assert isinstance(report, RescreenReport)
    assert [(c.item_id, c.gained) for c in report.gained] == [(naming, (PROTECTED,))]
    assert flags_of(ctx, naming) == {PROTECTED}
    assert status.isVisible() and status.show_button.isVisible() and not status.stop_button.isVisible()
    assert status.label.text() == "Screened 2 open items again: 1 item gained a flag."
    qtbot.mouseClick(status.show_button, Qt.MouseButton.LeftButton)
    shown = status.dialog
    assert isinstance(shown, RescreenDialog) and shown.isVisible()
    assert table_rows(shown) == [[f"#{naming}", "Sarah Whitfield",
                                  flag_label("names_protected_pupil"), "",
                                  "Mia Thompson scored the winning goal!"]]
    shown.close()
    window.check_screening()  # nothing changed since: nothing runs
    assert runner.wait(TIMEOUT)
    QCoreApplication.processEvents()
    assert not status.watcher.running and status.watcher.last_report is report


def test_closing_the_word_list_editor_screens_the_queue_again(
        qtbot, ctx: AppContext, people: dict[str, Actor], deps: PageDeps,
        show: Callable[[QWidget], QWidget]) -> None:
    ctx.refresh_actor("mod1")
    desk = make_desk(ctx, people)
    item_id = desk.add("you plonker", author_kind="public")
    panel = show(ActionPanel(deps, ZoneInfo("Europe/London")))
    assert isinstance(panel, ActionPanel)
    panel.wordlists_action.trigger()
    editor = panel.dialog
    assert isinstance(editor, WordListsDialog)
    names = [editor.names.item(i).data(Qt.ItemDataRole.UserRole) for i in range(editor.names.count())]
    editor.names.setCurrentRow(names.index("profanity"))
    editor.editor.setPlainText(editor.editor.toPlainText() + "\nplonker*\n")
    editor.save_button.click()
    assert flags_of(ctx, item_id) == set()  # saved, not yet screened again
    with qtbot.waitSignal(deps.rescreen.finished, timeout=TIMEOUT) as done:
        editor.reject()
    assert [(c.item_id, c.gained) for c in done.args[0].changes] == [(item_id, ("offensive",))]
    assert flags_of(ctx, item_id) == {"offensive"}


def test_stop_keeps_what_was_screened_and_the_rest_follows_next_time(
        qtbot, ctx: AppContext, people: dict[str, Actor], runner: TaskRunner,
        show: Callable[[QWidget], QWidget]) -> None:
    desk = make_desk(ctx, people)
    ids = [desk.add(f"Go Mia Thompson! ({n})") for n in range(3)]
    ctx.dnp.add_pupil(ctx.actor, "Mia Thompson")
    watcher = RescreenWatcher(ctx, runner, chunk=1)
    status = show(RescreenStatus(watcher))
    assert isinstance(status, RescreenStatus)
    seen: list[tuple[int, int]] = []

    def on_progress(done: int, total: int) -> None:
        seen.append((done, total))
        if len(seen) == 1:
            assert status.stop_button.isVisible()
            qtbot.mouseClick(status.stop_button, Qt.MouseButton.LeftButton)

    watcher.progressed.connect(on_progress)
    with qtbot.waitSignal(watcher.finished, timeout=TIMEOUT) as done:
        watcher.check()
    assert seen == [(1, 3)] and done.args[0].cancelled
    assert status.label.text() == ("Screened again 1 of 3 open items before it was stopped: "
                                   "1 item gained a flag.")
    assert [PROTECTED in flags_of(ctx, i) for i in ids] == [True, False, False]
    with qtbot.waitSignal(watcher.finished, timeout=TIMEOUT) as done:
        watcher.check()
    assert [c.item_id for c in done.args[0].gained] == ids[1:]
    assert all(PROTECTED in flags_of(ctx, i) for i in ids)
    assert status.label.text() == "Screened 3 open items again: 2 items gained a flag."


def test_someone_who_may_not_rescreen_leaves_it_to_others(
        qtbot, ctx: AppContext, people: dict[str, Actor], runner: TaskRunner) -> None:
    desk = make_desk(ctx, people)
    item_id = desk.add("Mia Thompson")
    ctx.dnp.add_pupil(ctx.actor, "Mia Thompson")
    ctx.refresh_actor("vol1")
    watcher = RescreenWatcher(ctx, runner)
    with qtbot.assertNotEmitted(watcher.started):
        watcher.check()
        assert runner.wait(TIMEOUT)
        QCoreApplication.processEvents()
    assert flags_of(ctx, item_id) == set() and ctx.rescreen.pending()
