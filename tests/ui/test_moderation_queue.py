"""The action panel on the real queue page, where the page installs it itself."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from smmod.context import AppContext
from smmod.identity import Actor
from smmod.ui.moderation import ActionPanel, ModerationAction
from smmod.ui.pages import PageDeps
from tests.moderation.helpers import Desk, make_desk

pytestmark = pytest.mark.qt_log_ignore(r"^This plugin does not support propagateSizeHints\(\)")


@pytest.fixture
def desk(ctx: AppContext, people: dict[str, Actor]) -> Desk:
    ctx.settings.set("school.name", "Oakfield Academy")
    ctx.refresh_actor("mod1")
    return make_desk(ctx, people)


def test_the_panel_works_on_the_queue_page(
    qtbot, deps: PageDeps, desk: Desk, show: Callable[[QWidget], QWidget]
) -> None:
    from smmod.ui.queue.page import QueuePage

    desk.add("What time does the summer fair start on Saturday?", author="Sam Smith")
    desk.add(
        "I want to complain about the way the trip was organised, it was disgraceful",
        author="Pat Parent",
        author_kind="parent",
    )
    racist = desk.add("Send the pakis back where they came from", author="Rob Troll", author_kind="public")
    desk.add("Well done to the netball team!", author="Jo Bloggs")
    page = QueuePage(deps)
    panel = page.moderation  # the queue page installs the action panel itself
    assert isinstance(panel, ActionPanel)
    show(page)
    page.refresh()
    qtbot.waitUntil(lambda: page.model.rowCount() == 4, timeout=10_000)
    page.go_to_item(racist)
    qtbot.waitUntil(lambda: panel.selection_label.text() == f"#{racist}", timeout=10_000)
    assert "discriminatory" in panel.why_label.text()
    assert panel.buttons[ModerationAction.DELETE].isEnabled()
    folder = os.environ.get("SMMOD_SHOTS")
    if folder:
        page.grab().save(str(Path(folder) / "queue_with_panel.png"))
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_E)
    assert panel.dialog is not None and panel.dialog.objectName() == "escalate_dialog"
    panel.dialog.reject()


def test_a_day_of_moderation_on_the_queue_page(qtbot, deps: PageDeps, desk: Desk,
                                               show: Callable[[QWidget], QWidget],
                                               tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                               msgs: object) -> None:
    """Acknowledge the routine items, answer a complaint, delete and escalate a racist
    comment (police advised suggested), then export the incident report."""
    from smmod.ui.moderation import common
    from smmod.ui.moderation.action_dialogs import ActionDialog, ReplyDialog
    from smmod.ui.moderation.escalate_dialog import EscalateDialog
    from smmod.ui.moderation.incidents_page import IncidentsPage
    from smmod.ui.queue.page import QueuePage

    routine = [desk.add(f"What time is pick-up on day {n}?", author=f"Parent {n}") for n in range(3)]
    complaint = desk.add("I want to complain about how the trip was organised",
                         author="Pat Parent", author_kind="parent")
    racist = desk.add("Send the pakis back where they came from", author="Rob Troll",
                      author_kind="public")
    page = QueuePage(deps)
    panel = page.moderation  # the queue page installs the action panel itself
    show(page)
    page.refresh()
    qtbot.waitUntil(lambda: page.model.rowCount() == 5, timeout=10_000)

    # 1. the routine questions, acknowledged together
    page.go_to_item(routine[0])
    for item_id in routine[1:]:
        row = page.model.row_of(item_id)
        page.table.selectionModel().select(
            page.model.index(row, 0),
            page.table.selectionModel().SelectionFlag.Select
            | page.table.selectionModel().SelectionFlag.Rows)
    qtbot.waitUntil(lambda: panel.selection_label.text() == "3 items selected", timeout=10_000)
    with qtbot.waitSignal(panel.actions_recorded, timeout=10_000):
        panel.buttons[ModerationAction.ACKNOWLEDGE].click()
    assert all(desk.item(i).first_response_at is not None for i in routine)

    # 2. the parent's complaint, answered with the complaints-procedure template
    page.go_to_item(complaint)
    qtbot.waitUntil(lambda: panel.selection_label.text() == f"#{complaint}", timeout=10_000)
    panel.findChild(QWidget, "suggestion_reply_complaints_procedure").click()
    reply = panel.dialog
    assert isinstance(reply, ReplyDialog)
    assert "Oakfield Academy complaints procedure" in reply.text.toPlainText()
    with qtbot.waitSignal(panel.actions_recorded, timeout=10_000):
        reply.record_button.click()
    assert desk.item(complaint).status == "responded"

    # 3. the racist comment: deleted with a reason and a notice, then escalated
    page.go_to_item(racist)
    qtbot.waitUntil(lambda: panel.selection_label.text() == f"#{racist}", timeout=10_000)
    page.activateWindow()  # a closed dialog leaves no window active on the offscreen platform
    qtbot.waitUntil(page.isActiveWindow, timeout=10_000)
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_D)
    delete = panel.dialog
    assert isinstance(delete, ActionDialog)
    delete.reason.setPlainText("Racist abuse")
    with qtbot.waitSignal(panel.actions_recorded, timeout=10_000):
        delete.record_button.click()
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow, timeout=10_000)
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_E)
    escalate = panel.dialog
    assert isinstance(escalate, EscalateDialog)
    assert escalate.police_banner.isVisible() and not escalate.police.isChecked()
    escalate.police.setChecked(True)
    with qtbot.waitSignal(panel.incident_opened, timeout=10_000) as opened:
        escalate.escalate_button.click()
    incident_id = opened.args[0]
    assert [a.kind for a in desk.moderation.actions_for(racist)] == ["delete", "escalate"]

    # 4. the incident report
    incidents = IncidentsPage(deps)
    show(incidents)
    with qtbot.waitSignal(incidents.incident_shown, timeout=10_000):
        incidents.refresh()
    monkeypatch.setattr(common, "choose_save_path", lambda *a: tmp_path / "report.pdf")
    with qtbot.waitSignal(incidents.report_written, timeout=10_000) as written:
        incidents.detail.buttons["export"].click()
    assert written.args[0].endswith("report.pdf") and incident_id == incidents.table.current_id()
    assert (tmp_path / "report.pdf").read_bytes().startswith(b"%PDF")
