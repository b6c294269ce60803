"""The Queue page tells the truth: what it acts on, what happened, what comes first.

Driven through the real page with real screening: the action panel acts only on rows
shown and selected; hide/delete/block say what happened; the most dangerous items come
first, their flags by name; status lines go when they stop being true.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QComboBox, QLabel, QWidget

from smmod import audit
from smmod.context import AppContext
from smmod.identity import Actor
from smmod.ui.moderation import ModerationAction
from smmod.ui.pages import PageDeps
from smmod.ui.queue.actions import QueueAction
from smmod.ui.queue.columns import COL_AUTHOR, COL_DEADLINE, COL_FLAGS, COL_STATUS, STATUS_SHORT
from smmod.ui.queue.flag_icons import icon_size
from smmod.ui.queue.page import QueuePage
from tests.moderation.helpers import Desk, make_desk
from tests.ui.conftest import Messages

pytestmark = pytest.mark.qt_log_ignore(r"^This plugin does not support propagateSizeHints\(\)")
TIMEOUT = 30_000  # a bound, not a target: waits end as soon as the answer comes
THREAT = "I am going to kill that teacher"
CRAP = "What a crap referee, useless"


@pytest.fixture
def desk(ctx: AppContext, people: dict[str, Actor]) -> Desk:
    ctx.settings.set("school.name", "Oakfield Academy")
    ctx.refresh_actor("mod1")
    return make_desk(ctx, people)


@pytest.fixture
def open_page(qtbot, deps: PageDeps, show: Callable[[QWidget], QWidget]) -> Callable[[int], QueuePage]:
    def make(rows: int) -> QueuePage:
        page = QueuePage(deps)
        show(page)
        page.refresh()
        qtbot.waitUntil(lambda: page.model.rowCount() == rows, timeout=TIMEOUT)
        page.activateWindow()
        qtbot.waitUntil(page.isActiveWindow, timeout=TIMEOUT)
        page.table.setFocus()
        qtbot.waitUntil(page.table.hasFocus, timeout=TIMEOUT)
        return page

    return make


def audit_count(desk: Desk) -> int:
    return len(audit.query(desk.ctx.session_factory, audit.AuditFilter(limit=10_000)))


def cell(page: QueuePage, item_id: int, column: int, role: int = Qt.ItemDataRole.DisplayRole) -> object:
    row = page.model.row_of(item_id)
    assert row is not None
    return page.model.index(row, column).data(role)


# -- 2. the panel acts only on what is shown and selected --------------------------------
def test_a_search_that_shows_nothing_leaves_nothing_to_act_on(qtbot, desk: Desk, open_page, runner) -> None:
    hidden_from_view = desk.add("When is the summer fair?")
    desk.add("Is there a bus on Friday?")
    page = open_page(2)
    page.go_to_item(hidden_from_view)
    panel = page.moderation
    qtbot.waitUntil(lambda: panel.selection_label.text() == f"#{hidden_from_view}", timeout=TIMEOUT)
    with qtbot.waitSignal(page.items_reloaded, timeout=TIMEOUT):
        page.filters.set_search_now("no such words anywhere")
    assert page.model.rowCount() == 0
    assert panel.selection_label.text() == "No item selected"
    assert not any(b.isEnabled() for b in panel.buttons.values())
    assert not any(a.isEnabled() for a in panel.moderation_actions.values())
    before = audit_count(desk)
    page.table.setFocus()
    for key in (Qt.Key.Key_A, Qt.Key.Key_C, Qt.Key.Key_H, Qt.Key.Key_X):
        qtbot.keyClick(page.table, key)
    panel.acknowledge_selected()
    assert runner.wait(TIMEOUT)  # anything that was started has finished
    QApplication.processEvents()
    assert panel.dialog is None and audit_count(desk) == before
    assert desk.item(hidden_from_view).first_response_at is None


def test_the_current_row_alone_is_not_a_selection(qtbot, desk: Desk, open_page) -> None:
    first = desk.add("First question")
    desk.add("Second question")
    page = open_page(2)
    page.go_to_item(first)
    row = page.model.row_of(first)
    page.table.selectionModel().select(
        page.model.index(row, 0),
        page.table.selectionModel().SelectionFlag.Deselect | page.table.selectionModel().SelectionFlag.Rows,
    )
    assert page.table.currentIndex().row() == row  # still the current row, but not selected
    assert page.selected_rows() == []
    assert page.moderation.selection_label.text() == "No item selected"
    assert not page.moderation.buttons[ModerationAction.ACKNOWLEDGE].isEnabled()


# -- 3. hide, delete and block say what happened ---------------------------------------
def test_hiding_from_the_queue_is_the_response_and_says_so(qtbot, desk: Desk, open_page) -> None:
    item_id = desk.add(CRAP, author="Rob Troll", author_kind="public", hours_ago=30)
    later = desk.add("Still rubbish", author="Rob Troll", author_kind="public", hours_ago=1)
    page = open_page(2)
    panel = page.moderation
    page.go_to_item(item_id)
    qtbot.waitUntil(lambda: panel.selection_label.text() == f"#{item_id}", timeout=TIMEOUT)
    assert cell(page, item_id, COL_DEADLINE).startswith("Overdue")
    assert panel.findChild(QWidget, "suggestion_hide") is not None
    qtbot.keyClick(page.table, Qt.Key.Key_H)
    dialog = panel.dialog
    dialog.reason.setPlainText("Offensive language")
    with qtbot.waitSignal(panel.actions_recorded, timeout=TIMEOUT):
        dialog.record_button.click()
    qtbot.waitUntil(lambda: cell(page, item_id, COL_STATUS) == "Hidden", timeout=TIMEOUT)
    assert cell(page, item_id, COL_DEADLINE) == "✓ Responded late"
    assert "Hidden on the platform" in page.detail.header_text()
    assert page.detail.text() == CRAP  # kept as the record
    assert panel.findChild(QWidget, "suggestion_hide") is None  # not suggested again
    assert not panel.buttons[ModerationAction.HIDE].isEnabled()
    # Then the author is blocked: their other comment says so.
    page.go_to_item(later)
    qtbot.waitUntil(lambda: panel.selection_label.text() == f"#{later}", timeout=TIMEOUT)
    panel.open_action_dialog("block")
    block = panel.dialog
    block.reason.setPlainText("Repeated abuse after a warning")
    with qtbot.waitSignal(panel.actions_recorded, timeout=TIMEOUT):
        block.record_button.click()
    qtbot.waitUntil(lambda: cell(page, item_id, COL_AUTHOR) == "Rob Troll (blocked)", timeout=TIMEOUT)
    assert cell(page, later, COL_STATUS) == "Blocked"  # the tooltip: "Author blocked"
    assert "Author blocked" in str(cell(page, later, COL_STATUS, Qt.ItemDataRole.ToolTipRole))
    assert not panel.buttons[ModerationAction.BLOCK].isEnabled()
    awaiting = page.filters.findChild(QComboBox, "queue_status")
    with qtbot.waitSignal(page.items_reloaded, timeout=TIMEOUT):
        awaiting.setCurrentIndex(awaiting.findText("Needs a response"))
    assert page.model.rowCount() == 0  # both dealt with
    with qtbot.waitSignal(page.items_reloaded, timeout=TIMEOUT):
        awaiting.setCurrentIndex(awaiting.findText("Hidden, deleted or blocked"))
    assert page.model.rowCount() == 2


# -- 4. the most dangerous first, flags by name -----------------------------------------
def test_the_queue_opens_most_dangerous_first_with_flags_named_in_full(qtbot, desk: Desk, open_page) -> None:
    thanks = [desk.add(f"Thank you for the concert, {n}", hours_ago=40 + n) for n in range(6)]
    threat = desk.add(THREAT, author="Angry Dad", hours_ago=6)
    page = open_page(7)
    assert page.model.item_id(0) == threat
    assert page.table.horizontalHeader().sortIndicatorSection() == COL_FLAGS
    icon = cell(page, threat, COL_FLAGS, Qt.ItemDataRole.DecorationRole)
    assert isinstance(icon, QIcon) and not icon.isNull()
    names = "Threat of violence, Suggests police advised, Inappropriate post"  # most urgent first
    assert cell(page, threat, COL_FLAGS, Qt.ItemDataRole.AccessibleTextRole) == names
    tip = str(cell(page, threat, COL_FLAGS, Qt.ItemDataRole.ToolTipRole))
    assert "Threat of violence" in tip and "threat" not in tip.replace("Threat", "")
    assert cell(page, threat, COL_STATUS) == "New"  # no codes squeezed into the status
    assert cell(page, thanks[0], COL_FLAGS, Qt.ItemDataRole.DecorationRole) is None
    # never cut: the column holds four badges (more become "+n"), the status column its longest word
    assert page.table.columnWidth(COL_FLAGS) >= icon_size().width()
    wanted = max(page.table.fontMetrics().horizontalAdvance(s) for s in STATUS_SHORT.values())
    assert page.table.columnWidth(COL_STATUS) > wanted
    flag_box = page.filters.findChild(QComboBox, "queue_flag")
    assert "Threat of violence" in [flag_box.itemText(i) for i in range(flag_box.count())]
    # The deadline order is one click away.
    page.table.horizontalHeader().sectionClicked.emit(COL_DEADLINE)
    page.model.sort(COL_DEADLINE, Qt.SortOrder.AscendingOrder)
    assert page.model.item_id(0) != threat


# -- 8. status lines go when they stop being true ---------------------------------------
def test_the_status_line_clears_when_you_move_on(qtbot, desk: Desk, open_page) -> None:
    first = desk.add("First question")
    desk.add("Second question")
    page = open_page(2)
    page.go_to_item(first)
    with qtbot.waitSignal(page.items_changed, timeout=TIMEOUT):
        qtbot.keyClick(page.table, Qt.Key.Key_C)
    assert page.status_label.text() == f"Claimed #{first}."
    qtbot.keyClick(page.table, Qt.Key.Key_J)
    assert page.status_label.text() == ""
    page.table.selectAll()
    with qtbot.waitSignal(page.items_changed, timeout=TIMEOUT):
        qtbot.keyClick(page.table, Qt.Key.Key_C)
    assert page.status_label.text() == "Claimed 2 items."
    page.filters.set_search_now("second")
    assert page.status_label.text() == ""


def test_checking_feeds_with_none_set_up_says_so(qtbot, desk: Desk, open_page) -> None:
    desk.add("First question")
    page = open_page(1)
    with qtbot.waitSignal(page.feeds_polled, timeout=TIMEOUT):
        page.action(QueueAction.CHECK_FEEDS).trigger()
        assert page.status_label.text() == "Checking feeds…"
    assert page.status_label.text() == "No alert feeds to check: add or turn one on in Feeds…"


def test_the_import_dialog_label_shows_no_ampersand(qtbot, ctx: AppContext, runner, msgs: Messages) -> None:
    from smmod.ui.queue.import_dialog import ImportDialog

    dialog = ImportDialog(ctx, runner)
    qtbot.addWidget(dialog)
    label = dialog.findChild(QLabel, "import_file_label")
    assert label is not None and label.buddy() is dialog.path_edit  # "&File:" reads "File:"
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=TIMEOUT)
    dialog.account_combo.setFocus()
    qtbot.keyClick(dialog.account_combo, Qt.Key.Key_F, Qt.KeyboardModifier.AltModifier)
    assert dialog.path_edit.hasFocus()  # the mnemonic works, so the "&" is not drawn
    dialog.close()
