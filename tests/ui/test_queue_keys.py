"""Every key a moderator presses goes where they meant it to (issue: trust every key).

The keys are typed the way a person types them: each one goes to whatever has the
keyboard focus at that moment. A dialog opened from the queue must take the whole
sentence; nothing typed there may reach the queue's single-key commands (C claims,
A acknowledges, R replies...); Escape half-way through keeps what was typed; Enter
records only a complete form.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QLineEdit, QPlainTextEdit, QWidget

from smmod import audit
from smmod.context import AppContext
from smmod.identity import Actor
from smmod.moderation import ActionRequest
from smmod.ui.moderation import ModerationAction
from smmod.ui.pages import PageDeps
from smmod.ui.queue.page import QueuePage
from smmod.ui.tasks import TaskRunner
from smmod.ui.typing_guard import ESCAPE_AGAIN
from tests.moderation.helpers import Desk, make_desk
from tests.ui.conftest import Messages

pytestmark = pytest.mark.qt_log_ignore(r"^This plugin does not support propagateSizeHints\(\)")

SENTENCE = "Spam, car ad for a garage"
TIMEOUT = 30_000  # a bound, not a target: waits end as soon as the answer comes
# The dialogs the queue opens with one key, and the field the sentence must land in.
DIALOGS = {
    "H": ("action_dialog_hide", "reason"),
    "D": ("action_dialog_delete", "reason"),
    "B": ("action_dialog_block", "reason"),
    "P": ("action_dialog_report_to_platform", "reason"),
    "R": ("reply_dialog", "reply_text"),
    "E": ("escalate_dialog", "escalate_notes"),
    "U": ("reopen_dialog", "reason"),
}


@pytest.fixture
def desk(ctx: AppContext, people: dict[str, Actor]) -> Desk:
    ctx.settings.set("school.name", "Oakfield Academy")
    ctx.refresh_actor("mod1")
    return make_desk(ctx, people)


@pytest.fixture
def page(qtbot, deps: PageDeps, desk: Desk, show: Callable[[QWidget], QWidget], msgs: Messages) -> QueuePage:
    """The Queue page with two items; message boxes are captured (a stray key must show none)."""
    desk.add("Cheap cars at Dave's garage, call now", author="Dave Motors", author_kind="public")
    # Undo needs something to undo: an acknowledgement recorded earlier.
    desk.moderation.act(desk.people["mod1"], ActionRequest(desk.add("When is the fair?"), "acknowledge"))
    widget = QueuePage(deps)
    show(widget)
    widget.refresh()
    qtbot.waitUntil(lambda: widget.model.rowCount() == 2, timeout=TIMEOUT)
    return widget


def focus_table(qtbot, page: QueuePage) -> None:
    page.activateWindow()  # a closed dialog leaves no window active on the offscreen platform
    qtbot.waitUntil(page.isActiveWindow, timeout=TIMEOUT)
    page.table.setFocus()
    qtbot.waitUntil(page.table.hasFocus, timeout=TIMEOUT)


def type_keys(qtbot, page: QueuePage, text: str) -> None:
    """Each character to whatever has the focus then, as a keyboard would send it.

    When a dialog closes, a real window system gives the focus back to the main window;
    the offscreen platform does not, so that is done here.
    """
    for char in text:
        target = QApplication.focusWidget()
        if target is None:
            focus_table(qtbot, page)
            target = QApplication.focusWidget() or page.table
        qtbot.keyClicks(target, char)
        QApplication.processEvents()


def press(qtbot, page: QueuePage, key: Qt.Key) -> None:
    target = QApplication.focusWidget() or page.table
    qtbot.keyClick(target, key)
    QApplication.processEvents()


@pytest.fixture
def snapshot(desk: Desk, runner: TaskRunner, msgs: Messages) -> Callable[[], tuple[object, ...]]:
    """Everything a stray key could change: the audit trail, every item, message boxes.

    Work a key started runs on the task runner, so it is waited for first.
    """

    def take() -> tuple[object, ...]:
        assert runner.wait(TIMEOUT)
        QApplication.processEvents()
        entries = len(audit.query(desk.ctx.session_factory, audit.AuditFilter(limit=10_000)))
        rows = desk.ctx.queue.read.rows(desk.ctx.queue.read.ids().tolist())
        state = sorted(
            (r.id, r.status, r.first_response_at, r.claimed_by, r.version_id) for r in rows.values()
        )
        return entries, tuple(state), tuple(msgs.shown)

    return take


def open_dialog(qtbot, page: QueuePage, key: str) -> QDialog:
    """Select the item the dialog is for and press its key on the list."""
    focus_table(qtbot, page)
    answered = key == "U"  # undo: the acknowledged item
    row = next(
        r for r in range(page.model.rowCount())
        if (page.model.row_data(r).first_response_at is not None) == answered  # type: ignore[union-attr]
    )
    page.table.selectRow(row)
    qtbot.keyClick(page.table, key)
    dialog = page.moderation.dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible, timeout=TIMEOUT)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=TIMEOUT)
    return dialog


def field_text(widget: QWidget) -> str:
    if isinstance(widget, QLineEdit):
        return widget.text()
    assert isinstance(widget, QPlainTextEdit)
    return widget.toPlainText()


@pytest.mark.parametrize("key", list(DIALOGS))
def test_a_whole_sentence_goes_into_the_dialog_and_nowhere_else(
    qtbot, page: QueuePage, desk: Desk, snapshot: Callable[[], tuple[object, ...]], key: str
) -> None:
    before = snapshot()
    dialog = open_dialog(qtbot, page, key)
    name, field_name = DIALOGS[key]
    assert dialog.objectName() == name
    field = dialog.findChild(QWidget, field_name)
    focus_when_opened = QApplication.focusWidget()
    start = field_text(field)
    type_keys(qtbot, page, SENTENCE)
    assert snapshot() == before  # no claim, no acknowledgement, no audit entry
    assert dialog.isVisible() and page.moderation.dialog is dialog  # no other dialog opened
    assert SENTENCE in field_text(field) and field_text(field) != start
    assert focus_when_opened is field  # the first field a person types in
    dialog.reject()


@pytest.mark.parametrize("key", list(DIALOGS))
def test_escape_half_way_keeps_the_typing_and_a_second_escape_closes(
    qtbot, page: QueuePage, desk: Desk, snapshot: Callable[[], tuple[object, ...]], key: str
) -> None:
    before = snapshot()
    dialog = open_dialog(qtbot, page, key)
    field = dialog.findChild(QWidget, DIALOGS[key][1])
    type_keys(qtbot, page, "Spam, car")
    press(qtbot, page, Qt.Key.Key_Escape)
    note = dialog.findChild(QWidget, "escape_note")
    assert dialog.isVisible() and note.isVisible() and note.text() == ESCAPE_AGAIN
    type_keys(qtbot, page, " ad for a garage")  # carries on in the same field
    assert SENTENCE in field_text(field) and not note.isVisible()
    assert snapshot() == before
    press(qtbot, page, Qt.Key.Key_Escape)
    press(qtbot, page, Qt.Key.Key_Escape)
    assert not dialog.isVisible() and dialog.result() == QDialog.DialogCode.Rejected
    assert snapshot() == before


def test_escape_on_an_untouched_dialog_closes_it_at_once(qtbot, page: QueuePage) -> None:
    dialog = open_dialog(qtbot, page, "H")
    press(qtbot, page, Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def test_enter_records_only_a_complete_form(
    qtbot, page: QueuePage, snapshot: Callable[[], tuple[object, ...]]
) -> None:
    before = snapshot()
    dialog = open_dialog(qtbot, page, "D")
    reasons = dialog.findChild(QWidget, "common_reasons")
    notice = dialog.findChild(QPlainTextEdit, "audience_notice")
    notice.setPlainText("")  # no notice and no reason: delete is not complete
    reasons.setFocus()
    qtbot.waitUntil(reasons.hasFocus, timeout=TIMEOUT)
    press(qtbot, page, Qt.Key.Key_Return)
    assert dialog.isVisible() and snapshot() == before
    dialog.findChild(QPlainTextEdit, "reason").setPlainText("Spam")
    press(qtbot, page, Qt.Key.Key_Return)
    assert dialog.isVisible() and snapshot() == before  # still no notice
    notice.setPlainText("We removed an advert.")
    with qtbot.waitSignal(page.moderation.actions_recorded, timeout=TIMEOUT):
        press(qtbot, page, Qt.Key.Key_Return)
    assert not dialog.isVisible()


def test_letters_that_are_not_commands_do_nothing_on_the_list(
    qtbot, page: QueuePage, desk: Desk, snapshot: Callable[[], tuple[object, ...]]
) -> None:
    desk.add("Where is the lost property?", hours_ago=200)  # its deadline reads "Overdue…"
    with qtbot.waitSignal(page.items_reloaded, timeout=TIMEOUT):
        page.check_for_changes()
    before = snapshot()
    focus_table(qtbot, page)
    overdue = [str(page.model.index(r, 0).data()).startswith("Overdue") for r in range(page.model.rowCount())]
    assert any(overdue)
    page.table.setCurrentIndex(page.model.index(overdue.index(False), 0))
    first = page.current_item_id()
    type_keys(qtbot, page, "ov")  # no command: Qt would jump to the row starting "Ov…"
    assert page.current_item_id() == first and snapshot() == before


def test_the_single_key_commands_still_work_on_the_list(qtbot, page: QueuePage, desk: Desk) -> None:
    focus_table(qtbot, page)
    page.table.selectRow(0)
    item_id = page.current_item_id()
    with qtbot.waitSignal(page.items_changed, timeout=TIMEOUT):
        type_keys(qtbot, page, "c")
    assert desk.ctx.queue.read.row(item_id).claimed_by == desk.people["mod1"].staff_id  # type: ignore[arg-type]
    assert page.moderation.moderation_actions[ModerationAction.HIDE].isEnabled()

