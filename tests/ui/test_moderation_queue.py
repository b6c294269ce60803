"""The action panel installed on the real queue page, as the integration note describes.

Until the queue page calls ``install`` itself this test does it, through the page's
public parts only (its layout, ``selected_rows``, ``table`` and ``check_for_changes``).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from smmod.context import AppContext
from smmod.identity import Actor
from smmod.ui.moderation import ActionPanel, ModerationAction, install
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
    layout = page.layout()
    panel = install(
        page,
        deps,
        layout=layout,
        index=layout.count() - 1,
        selection=page.selected_rows,
        selection_changed=page.table.selectionModel().selectionChanged,
        keys_owner=page.table,
        on_recorded=lambda _ids: page.check_for_changes(),
    )
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
