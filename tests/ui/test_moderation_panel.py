"""The action panel and its dialogs, driven as a moderator would (R8–R10).

The panel is tested on its own with rows from the queue reader, and once through
``install`` on a small host page, as the queue page will use it.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from smmod.context import AppContext
from smmod.identity import Actor
from smmod.queue.records import QueueRow
from smmod.ui.moderation import ActionPanel, ModerationAction, install
from smmod.ui.moderation.action_dialogs import ActionDialog, ReopenDialog, ReplyDialog
from smmod.ui.moderation.common import clipboard_text
from smmod.ui.moderation.escalate_dialog import EscalateDialog
from smmod.ui.pages import PageDeps
from tests.moderation.helpers import Desk, make_desk
from tests.ui.conftest import Messages

LONDON = ZoneInfo("Europe/London")
RACIST = "Send the pakis back where they came from"


@pytest.fixture
def desk(ctx: AppContext, people: dict[str, Actor]) -> Desk:
    ctx.settings.set("school.name", "Oakfield Academy")
    ctx.refresh_actor("mod1")
    return make_desk(ctx, people)


@pytest.fixture
def panel(deps: PageDeps, desk: Desk, show: Callable[[QWidget], QWidget]) -> ActionPanel:
    widget = ActionPanel(deps, LONDON)
    show(widget)
    return widget


def rows(desk: Desk, *ids: int) -> list[QueueRow]:
    found = desk.ctx.queue.read.rows(list(ids))
    return [found[i] for i in ids]


def shoot(widget: QWidget, name: str) -> None:
    folder = os.environ.get("SMMOD_SHOTS")
    if folder:
        widget.grab().save(str(Path(folder) / name))


def record(qtbot, panel: ActionPanel, dialog: object) -> list[int]:
    with qtbot.waitSignal(panel.actions_recorded, timeout=10_000) as blocker:
        dialog.record_button.click()  # type: ignore[attr-defined]
    return blocker.args[0]


def test_buttons_follow_the_selection(panel: ActionPanel, desk: Desk) -> None:
    first, second = desk.add("question one"), desk.add("question two")
    assert not any(b.isEnabled() for b in panel.buttons.values())
    assert panel.selection_label.text() == "No item selected"
    panel.set_rows(rows(desk, first, second))
    enabled = {a for a, b in panel.buttons.items() if b.isEnabled()}
    assert enabled == {ModerationAction.ACKNOWLEDGE, ModerationAction.ESCALATE, ModerationAction.RESOLVE}
    assert panel.selection_label.text() == "2 items selected"
    desk.moderation.acknowledge_many(desk.people["mod1"], [first])
    panel.set_rows(rows(desk, first))
    assert not panel.buttons[ModerationAction.ACKNOWLEDGE].isEnabled()
    assert panel.buttons[ModerationAction.DELETE].isEnabled()
    assert all(panel.moderation_actions[a].isEnabled() == b.isEnabled() for a, b in panel.buttons.items())


def test_bulk_acknowledge_records_every_item(qtbot, panel: ActionPanel, desk: Desk) -> None:
    ids = [desk.add(f"routine {n}") for n in range(3)]
    panel.set_rows(rows(desk, *ids))
    with qtbot.waitSignal(panel.actions_recorded, timeout=10_000) as blocker:
        panel.buttons[ModerationAction.ACKNOWLEDGE].click()
    assert blocker.args[0] == ids
    assert panel.result_label.text() == "Acknowledged 3 items; 3 response clocks stopped."
    assert all(desk.item(i).first_response_at is not None for i in ids)
    assert all([a.kind for a in desk.moderation.actions_for(i)] == ["acknowledge"] for i in ids)


def test_bulk_resolve_asks_for_an_optional_reason(
    qtbot, panel: ActionPanel, desk: Desk, msgs: Messages
) -> None:
    ids = [desk.add("thanks!"), desk.add("great")]
    panel.set_rows(rows(desk, *ids))
    msgs.text_answers.append("Nothing to answer")
    with qtbot.waitSignal(panel.actions_recorded, timeout=10_000):
        panel.moderation_actions[ModerationAction.RESOLVE].trigger()
    assert {desk.item(i).status for i in ids} == {"resolved"}
    assert desk.moderation.actions_for(ids[0])[0].reason == "Nothing to answer"
    msgs.text_answers.append(None)  # cancelled: nothing happens
    panel.set_rows(rows(desk, desk.add("another")))
    panel.moderation_actions[ModerationAction.RESOLVE].trigger()
    assert len(msgs.of("ask_text")) == 2


def test_delete_needs_a_reason_and_a_notice_and_copies_the_notice(
    qtbot, panel: ActionPanel, desk: Desk
) -> None:
    item_id = desk.add(RACIST, author="Rob Troll", author_kind="public")
    panel.set_rows(rows(desk, item_id))
    assert "discriminatory — “pakis”" in panel.why_label.text()
    panel.moderation_actions[ModerationAction.DELETE].trigger()
    dialog = panel.dialog
    assert isinstance(dialog, ActionDialog) and dialog.isVisible()
    assert dialog.record_button.text() == "Done on Instagram? Record it"
    assert "on Instagram yourself" in dialog.hint.text()
    assert dialog.templates.currentData() == "removed_discriminatory"
    notice = dialog.notice.toPlainText()
    assert "Oakfield Academy does not tolerate racism" in notice
    assert "@oakfield_pe" in notice
    assert not dialog.record_button.isEnabled()
    assert dialog.problem.text() == "Still needed: a reason"
    dialog.reasons.setCurrentIndex(2)
    dialog.reasons.activated.emit(2)
    assert dialog.reason.toPlainText() == "Racist or discriminatory content"
    dialog.notice.setPlainText("")
    assert dialog.problem.text() == "Still needed: an audience notice"
    dialog.notice.setPlainText(notice + " Thank you.")
    shoot(dialog, "action_dialog_delete.png")
    assert record(qtbot, panel, dialog) == [item_id]
    (action,) = desk.moderation.actions_for(item_id)
    assert (action.kind, action.reason) == ("delete", "Racist or discriminatory content")
    assert action.audience_notice == notice + " Thank you."
    assert action.template == "removed_discriminatory"
    assert clipboard_text() == notice + " Thank you."
    assert "paste it on Instagram" in panel.result_label.text()


@pytest.mark.parametrize("kind", ["hide", "report_to_platform"])
def test_hide_and_report_need_a_reason_but_no_notice(
    qtbot, panel: ActionPanel, desk: Desk, kind: str
) -> None:
    item_id = desk.add("Buy cheap followers at bit.ly/x", author_kind="public")
    panel.set_rows(rows(desk, item_id))
    panel.open_action_dialog(kind)
    dialog = panel.dialog
    assert isinstance(dialog, ActionDialog)
    assert not dialog.record_button.isEnabled()
    dialog.reason.setPlainText("Spam")
    assert dialog.record_button.isEnabled()
    record(qtbot, panel, dialog)
    assert [a.kind for a in desk.moderation.actions_for(item_id)] == [kind]


def test_a_parent_complaint_is_answered_from_the_suggested_template(
    qtbot, panel: ActionPanel, desk: Desk
) -> None:
    item_id = desk.add(
        "I want to complain about how my son was treated on the trip",
        author="Pat Parent",
        author_kind="parent",
    )
    panel.set_rows(rows(desk, item_id))
    suggestion = panel.findChild(QWidget, "suggestion_reply_complaints_procedure")
    assert suggestion is not None and suggestion.text() == "Reply: complaints procedure"
    suggestion.click()
    dialog = panel.dialog
    assert isinstance(dialog, ReplyDialog)
    assert dialog.templates.currentData() == "complaints_procedure"
    assert "★ suggested" in dialog.templates.currentText()
    text = dialog.text.toPlainText()
    assert text.startswith("Hello Pat Parent,") and "Oakfield Academy complaints procedure" in text
    shoot(dialog, "reply_dialog.png")
    record(qtbot, panel, dialog)
    (action,) = desk.moderation.actions_for(item_id)
    assert (action.kind, action.template, action.reply_text) == ("reply", "complaints_procedure", text)
    assert desk.item(item_id).first_response_at is not None
    assert clipboard_text() == text


def test_a_reply_of_my_own_needs_text(panel: ActionPanel, desk: Desk) -> None:
    panel.set_rows(rows(desk, desk.add()))
    panel.moderation_actions[ModerationAction.REPLY].trigger()
    dialog = panel.dialog
    assert isinstance(dialog, ReplyDialog)
    dialog.templates.setCurrentIndex(dialog.templates.findData(None))
    dialog.templates.activated.emit(dialog.templates.currentIndex())
    assert dialog.text.toPlainText() == ""
    assert not dialog.record_button.isEnabled()
    dialog.reject()


def test_escalation_shows_police_advised_as_a_suggestion_only(qtbot, panel: ActionPanel, desk: Desk) -> None:
    item_id = desk.add(RACIST, author="Rob Troll", author_kind="public")
    panel.set_rows(rows(desk, item_id))
    panel.moderation_actions[ModerationAction.ESCALATE].trigger()
    dialog = panel.dialog
    assert isinstance(dialog, EscalateDialog)
    assert dialog.police_banner.isVisible()
    assert "Police advised is suggested (R9)" in dialog.police_banner.text()
    assert "“pakis”" in dialog.police_banner.text()
    assert not dialog.police.isChecked()
    assert dialog.category.currentData() == "discrimination"
    assert dialog.severity.currentData() == "high"
    assert dialog.lead.currentText() == "Hannah Head"
    dialog.police.setChecked(True)
    dialog.notes.setPlainText("Screenshot saved")
    shoot(dialog, "escalate_dialog.png")
    with qtbot.waitSignal(panel.incident_opened, timeout=10_000) as blocker:
        dialog.escalate_button.click()
    detail = desk.incidents.detail(desk.people["head"], blocker.args[0])
    assert detail.summary.police_advised and detail.summary.police_suggested
    assert "police advised" in panel.result_label.text()


def test_escalating_into_an_open_incident(qtbot, panel: ActionPanel, desk: Desk) -> None:
    from smmod.moderation import EscalationInput

    first, second = desk.add(RACIST), desk.add("More of the same")
    summary = desk.incidents.escalate(
        desk.people["mod1"],
        EscalationInput((first,), "discrimination", "high", desk.people["head"].staff_id, False),
    )
    panel.set_rows(rows(desk, second))
    panel.moderation_actions[ModerationAction.ESCALATE].trigger()
    dialog = panel.dialog
    assert isinstance(dialog, EscalateDialog)
    assert not dialog.police_banner.isVisible()
    dialog.existing_radio.setChecked(True)
    assert dialog.escalate_button.text() == "Add to incident"
    assert not dialog.category.isEnabled()
    with qtbot.waitSignal(panel.incident_opened, timeout=10_000) as blocker:
        dialog.escalate_button.click()
    assert blocker.args[0] == summary.id
    assert desk.incidents.detail(desk.people["head"], summary.id).summary.items == 2


def test_escalate_needs_a_category(panel: ActionPanel, desk: Desk) -> None:
    panel.set_rows(rows(desk, desk.add("Hmm")))
    panel.moderation_actions[ModerationAction.ESCALATE].trigger()
    dialog = panel.dialog
    assert isinstance(dialog, EscalateDialog)
    assert dialog.category.currentIndex() == -1
    assert not dialog.escalate_button.isEnabled()
    assert "a category" in dialog.problem.text()
    dialog.reject()


def test_undo_reopens_with_a_reason(qtbot, panel: ActionPanel, desk: Desk) -> None:
    item_id = desk.add()
    desk.moderation.acknowledge_many(desk.people["mod1"], [item_id])
    panel.set_rows(rows(desk, item_id))
    panel.moderation_actions[ModerationAction.UNDO].trigger()
    dialog = panel.dialog
    assert isinstance(dialog, ReopenDialog)
    (choice,) = dialog.choices.buttons()
    assert choice.isChecked() and choice.text().startswith("Acknowledged by Morgan Moderator")
    assert not dialog.record_button.isEnabled()
    dialog.reason.setPlainText("Acknowledged the wrong item")
    record(qtbot, panel, dialog)
    assert desk.item(item_id).first_response_at is None
    assert [a.kind for a in desk.moderation.actions_for(item_id)] == ["acknowledge", "reopen"]


def test_marking_a_flag_wrong_from_the_panel(qtbot, panel: ActionPanel, desk: Desk, msgs: Messages) -> None:
    item_id = desk.add("What a crap referee", author_kind="public")
    panel.set_rows(rows(desk, item_id))
    assert panel.wrong_button.isVisible()
    (action,) = panel.wrong_menu.actions()
    msgs.text_answers.append("Football banter")
    with qtbot.waitSignal(panel.actions_recorded, timeout=10_000):
        action.trigger()
    assert desk.moderation.screening_for(item_id).flags == ()
    assert "counted against its rule" in panel.result_label.text()


def test_errors_from_the_service_are_shown(qtbot, panel: ActionPanel, desk: Desk, msgs: Messages) -> None:
    item_id = desk.add()
    panel.set_rows(rows(desk, item_id))
    desk.moderation.acknowledge_many(desk.people["head"], [item_id])  # changed elsewhere
    panel.moderation_actions[ModerationAction.HIDE].trigger()
    desk.moderation.resolve_many(desk.people["head"], [item_id])  # and again, after opening
    dialog = panel.dialog
    assert isinstance(dialog, ActionDialog)
    dialog.reason.setPlainText("Spam")
    dialog.record_button.click()
    qtbot.waitUntil(lambda: bool(msgs.of("error")), timeout=10_000)
    assert "changed elsewhere" in msgs.of("error")[0][1]


def test_install_puts_the_panel_on_a_host_and_follows_its_selection(
    qtbot, deps: PageDeps, desk: Desk, show: Callable[[QWidget], QWidget]
) -> None:
    ids = [desk.add("first"), desk.add("second")]
    host = QWidget()
    layout = QVBoxLayout(host)
    table = QListWidget()
    table.setSelectionMode(QListWidget.SelectionMode.ExtendedSelection)
    for item_id in ids:
        entry = QListWidgetItem(f"#{item_id}")
        entry.setData(Qt.ItemDataRole.UserRole, item_id)
        table.addItem(entry)
    layout.addWidget(table)
    recorded: list[list[int]] = []

    def selection() -> list[QueueRow]:
        chosen = [i.data(Qt.ItemDataRole.UserRole) for i in table.selectedItems()]
        return rows(desk, *chosen)

    panel = install(
        host,
        deps,
        layout=layout,
        index=0,
        selection=selection,
        selection_changed=table.itemSelectionChanged,
        keys_owner=table,
        on_recorded=recorded.append,
        zone=LONDON,
    )
    show(host)
    assert layout.indexOf(panel) == 0
    table.setCurrentRow(1)
    assert panel.selection_label.text() == f"#{ids[1]}"
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_D)
    assert isinstance(panel.dialog, ActionDialog) and panel.dialog.kind == "delete"
    panel.dialog.reject()
    table.selectAll()
    assert panel.selection_label.text() == "2 items selected"
    with qtbot.waitSignal(panel.actions_recorded, timeout=10_000):
        panel.acknowledge_selected()
    assert recorded == [ids]
    table.setCurrentRow(0)
    assert panel.selection_label.text() == f"#{ids[0]}"
    assert not panel.buttons[ModerationAction.ACKNOWLEDGE].isEnabled()  # answered now


def _shown_text_width(combo) -> int:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QStyle, QStyleOptionComboBox

    option = QStyleOptionComboBox()
    combo.initStyleOption(option)
    field = combo.style().subControlRect(
        QStyle.ComplexControl.CC_ComboBox, option, QStyle.SubControl.SC_ComboBoxEditField, combo
    )
    return field.width()


@pytest.mark.parametrize("kind", ["delete", "block", "hide", "reply"])
def test_template_names_are_shown_in_full(
    qtbot, panel: ActionPanel, desk: Desk, kind: str
) -> None:
    item_id = desk.add("Someone is going to get hurt, I know where they live", author_kind="public")
    panel.set_rows(rows(desk, item_id))
    if kind == "reply":
        panel.open_reply_dialog()
    else:
        panel.open_action_dialog(kind)
    dialog = panel.dialog
    assert isinstance(dialog, ActionDialog | ReplyDialog)
    qtbot.waitExposed(dialog)
    dialog.resize(dialog.minimumSizeHint().width(), dialog.height())  # as narrow as it goes
    assert dialog.width() <= 1000  # fits beside the queue at 1280×720
    combo = dialog.templates
    room = _shown_text_width(combo)
    metrics = combo.fontMetrics()
    assert combo.count() >= 2
    for index in range(combo.count()):
        title = combo.itemText(index)
        assert metrics.horizontalAdvance(title) <= room, f"{title!r} is cut"
    for index in range(combo.count()):
        title = combo.itemText(index)
        assert combo.itemData(index, Qt.ItemDataRole.ToolTipRole) in (title, None)
        combo.setCurrentIndex(index)
        assert combo.toolTip() == title
    dialog.reject()
