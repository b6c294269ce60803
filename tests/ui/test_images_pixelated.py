"""The Images page offers the copy the design allows for a flagged image: one with its
faces pixelated (R11, ``smmod images export --blur-flagged``), through the real widgets.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from smmod.context import AppContext
from smmod.ui.images.check_detail import WHY_MIN_WIDTH
from smmod.ui.images.check_list import COL_FACES, COL_VERDICT
from smmod.ui.images.page import ImagesPage
from smmod.ui.pages import PageDeps
from tests.dnp.conftest import PUPIL, face
from tests.ui.test_images_page import CHECK_TIMEOUT, TIMEOUT, check, click, make_page, rows, show

pytestmark = pytest.mark.qt_log_ignore(r"^This plugin does not support propagateSizeHints\(\)")


@pytest.fixture
def page(qtbot, deps: PageDeps) -> ImagesPage:
    return make_page(qtbot, deps)


def open_pixelated(qtbot, page: ImagesPage):  # type: ignore[no-untyped-def]
    tab = page.check_tab
    page.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is page, timeout=TIMEOUT)
    tab.table.setFocus()
    qtbot.keyClick(
        tab.table, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    qtbot.waitUntil(lambda: tab.current_dialog() is not None, timeout=TIMEOUT)
    return tab.current_dialog()


def test_an_unconfirmed_face_can_go_out_pixelated(
    qtbot, page: ImagesPage, ctx: AppContext, tmp_path: Path
) -> None:
    check(qtbot, page, face("biden.jpg"))
    show(qtbot, page, "biden.jpg")
    tab = page.check_tab
    a = tab.check_actions
    assert not a.export.isEnabled()  # as it is: not until the face is confirmed
    assert a.export_pixelated.isEnabled() and tab.buttons["export_pixelated"].isEnabled()
    assert a.export_pixelated in tab.table.actions()  # the list's context menu
    assert "Export with faces pixelated…" in tab.detail.reasons_label.text()
    dialog = open_pixelated(qtbot, page)
    assert dialog.windowTitle() == "Export with faces pixelated — biden.jpg"
    assert dialog.pixelate_check.isChecked() and not dialog.pixelate_check.isEnabled()
    assert dialog.pixelate_hint.text().startswith("Face 1 is not confirmed clear, so it is pixelated")
    assert dialog.path_edit.text().endswith("biden-pixelated-for-publishing.jpg")
    out = tmp_path / "visitor.jpg"
    dialog.path_edit.setText(str(out))
    with qtbot.waitSignal(dialog.exported, timeout=CHECK_TIMEOUT):
        click(qtbot, dialog.export_button)
    qtbot.waitUntil(lambda: tab.current_dialog() is None, timeout=TIMEOUT)
    assert tab.notice_label.text() == "Exported visitor.jpg, 1 face pixelated."
    (exported,) = ctx.images.exports()
    assert exported.pixelated_faces == 1 and out.is_file()


def test_a_named_pupil_has_no_pixelated_copy_and_no_question(
    qtbot, page: ImagesPage, ctx: AppContext
) -> None:
    ctx.dnp.add_pupil(ctx.actor, PUPIL)
    tab = page.check_tab
    tab.caption_edit.setText(f"{PUPIL} with the cat")
    check(qtbot, page, face("no_face_cat.png"))
    show(qtbot, page, "no_face_cat.png")
    assert rows(page, COL_VERDICT) == ["Blocked"] and rows(page, COL_FACES) == ["none"]
    a = tab.check_actions
    assert not a.export_pixelated.isEnabled()
    assert a.export_pixelated.toolTip() == (
        "no_face_cat.png: a protected pupil is named in the caption: this image cannot be published."
    )
    panel = tab.detail.faces.no_people
    assert panel.isVisible() and not panel.confirm_button.isVisible()  # nothing to confirm
    assert "blocked for the reason given under Why" in panel.help_label.text()
    assert not a.not_protected.isEnabled()
    tab.table.setFocus()
    qtbot.keyClick(tab.table, Qt.Key.Key_N)
    qtbot.keyClick(
        tab.table, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    assert tab.current_dialog() is None
    assert ctx.images.get(tab.detail.record.id).no_people_by is None


def test_a_clear_image_needs_no_pixelated_copy(qtbot, page: ImagesPage) -> None:
    check(qtbot, page, face("biden.jpg"))
    show(qtbot, page, "biden.jpg")
    tab = page.check_tab
    with qtbot.waitSignal(tab.review.face_confirmed, timeout=TIMEOUT):
        click(qtbot, tab.detail.faces.cards[1].not_protected_button)
    assert tab.check_actions.export.isEnabled()
    assert not tab.check_actions.export_pixelated.isEnabled()
    assert tab.check_actions.export_pixelated.toolTip() == "biden.jpg: no face needs pixelating."


def test_the_why_pane_has_room_at_1280_by_720(qtbot, page: ImagesPage) -> None:
    page.resize(1280 - 170, 720 - 60)  # the main window's page area at 1280×720
    check(qtbot, page, face("biden.jpg"))
    show(qtbot, page, "biden.jpg")
    detail = page.check_tab.detail
    qtbot.waitUntil(lambda: detail.why_scroll.width() >= WHY_MIN_WIDTH, timeout=TIMEOUT)
    assert not detail.why_scroll.horizontalScrollBar().isVisible()
    tip = detail.reasons_label.toolTip()
    assert "1 face found" in tip and "Location metadata found" in tip
