"""The Images page remembers what you told it (issue 11, item 9), through the real widgets.

The caption is part of the verdict, so a new caption checks the listed images again; a
file is one row, however often it is added; export waits for the verdict; the clear
images go out together; rows can be removed and put back.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from smmod.context import AppContext
from smmod.ui.images import pickers
from smmod.ui.images.check_list import COL_FACES, COL_VERDICT
from smmod.ui.images.page import ImagesPage
from smmod.ui.pages import PageDeps
from tests.dnp.conftest import PUPIL, copy, face
from tests.ui.conftest import Messages
from tests.ui.test_images_page import CHECK_TIMEOUT, TIMEOUT, check, click, drop, make_page, rows, show

pytestmark = pytest.mark.qt_log_ignore(r"^This plugin does not support propagateSizeHints\(\)")


@pytest.fixture
def page(qtbot, deps: PageDeps) -> ImagesPage:
    return make_page(qtbot, deps)


def confirm_no_people(qtbot, page: ImagesPage, name: str) -> None:
    show(qtbot, page, name)
    tab = page.check_tab
    with qtbot.waitSignal(tab.review.face_confirmed, timeout=TIMEOUT):
        click(qtbot, tab.detail.faces.no_people.confirm_button)


def type_caption(qtbot, page: ImagesPage, text: str) -> None:
    """Type a caption and wait until the list has been checked again for it."""
    tab = page.check_tab
    tab.caption_edit.setFocus()
    tab.caption_edit.selectAll()
    with qtbot.waitSignal(tab.batch_finished, timeout=CHECK_TIMEOUT):
        qtbot.keyClicks(tab.caption_edit, text)
        assert tab.model.stale_entries()  # at once: the old verdict is out of date
        assert not tab.check_actions.export.isEnabled()


# -- the caption ---------------------------------------------------------------------------
def test_typing_a_caption_checks_the_images_again(
    qtbot, page: ImagesPage, ctx: AppContext, tmp_path: Path
) -> None:
    ctx.dnp.add_pupil(ctx.actor, PUPIL)
    cat = copy("no_face_cat.png", tmp_path)
    check(qtbot, page, cat)
    confirm_no_people(qtbot, page, "no_face_cat.png")
    tab = page.check_tab
    assert rows(page, COL_VERDICT) == ["Clear"] and tab.check_actions.export.isEnabled()
    tab.caption_edit.setFocus()
    qtbot.keyClicks(tab.caption_edit, f"Well done {PUPIL}")
    # The old verdict is shown, out of date, until the check is done; nothing goes out.
    verdict = tab.proxy.index(0, COL_VERDICT)
    assert verdict.data(Qt.ItemDataRole.AccessibleTextRole) == "Clear, out of date: checking again"
    assert verdict.data(Qt.ItemDataRole.FontRole).italic()
    assert tab.detail.verdict_label.text() == "Clear · checking again…"
    assert not tab.check_actions.export.isEnabled() and not tab.check_actions.export_all.isEnabled()
    assert "being checked again" in tab.check_actions.export.toolTip()
    with qtbot.waitSignal(tab.batch_finished, timeout=CHECK_TIMEOUT):
        pass  # the check waits until the typing stops, then runs in the background
    assert rows(page, COL_VERDICT) == ["Blocked"]  # one row: never Clear and Blocked at once
    assert tab.detail.verdict_label.text() == "Blocked"
    assert f"The name of {PUPIL}" in tab.detail.reasons_label.text()
    assert not tab.check_actions.export.isEnabled()
    assert tab.notice_label.text() == "Checked 1 image again for the new caption: 1 blocked."
    # A better caption: clear again, and the "no pupil is shown" answer was kept.
    type_caption(qtbot, page, "Our cat on the field")
    assert rows(page, COL_VERDICT) == ["Clear"] and rows(page, COL_FACES) == ["none, done"]
    record = tab.detail.record
    assert record is not None and record.caption == "Our cat on the field"
    assert record.no_people_by == "head"
    assert tab.check_actions.export.isEnabled()
    assert len(ctx.images.list_checks()) == 3  # each caption was checked and logged


def test_face_answers_survive_a_new_caption(qtbot, page: ImagesPage, tmp_path: Path) -> None:
    check(qtbot, page, face("biden.jpg"))
    show(qtbot, page, "biden.jpg")
    tab = page.check_tab
    with qtbot.waitSignal(tab.review.face_confirmed, timeout=TIMEOUT):
        click(qtbot, tab.detail.faces.cards[1].not_protected_button)
    type_caption(qtbot, page, "Our visitor today")
    assert rows(page, COL_VERDICT) == ["Clear"] and rows(page, COL_FACES) == ["1, done"]
    qtbot.waitUntil(lambda: 1 in tab.detail.faces.cards, timeout=TIMEOUT)
    assert tab.detail.faces.cards[1].state_label.text() == "Confirmed: not a protected pupil"


# -- one row a file ----------------------------------------------------------------------------
def test_adding_a_file_again_keeps_its_row_and_its_answers(
    qtbot, page: ImagesPage, tmp_path: Path
) -> None:
    cat = copy("no_face_cat.png", tmp_path)
    check(qtbot, page, cat, face("no_face_coffee.png"))
    confirm_no_people(qtbot, page, "no_face_cat.png")
    tab = page.check_tab
    with qtbot.waitSignal(tab.batch_finished, timeout=CHECK_TIMEOUT):
        drop(tab, [tmp_path / "." / "no_face_cat.png"])  # the same file, spelt differently
    assert rows(page) == ["no_face_cat.png", "no_face_coffee.png"]
    assert rows(page, COL_VERDICT) == ["Clear", "Review"]
    assert tab.notice_label.text() == "no_face_cat.png is already in the list."
    assert tab.detail.record is not None and tab.detail.record.file_name == "no_face_cat.png"
    # A copy of the same bytes elsewhere is the same image, already listed.
    elsewhere = copy("no_face_coffee.png", tmp_path / "other")
    check(qtbot, page, elsewhere, face("biden.jpg"))
    assert rows(page) == ["biden.jpg", "no_face_cat.png", "no_face_coffee.png"]
    assert tab.notice_label.text() == (
        "Checked 1 image: 1 to review. no_face_coffee.png is already in the list."
    )


def test_a_changed_file_is_checked_again_in_its_row(qtbot, page: ImagesPage, tmp_path: Path) -> None:
    cat = copy("no_face_cat.png", tmp_path)
    check(qtbot, page, cat)
    confirm_no_people(qtbot, page, "no_face_cat.png")
    cat.write_bytes(face("no_face_coffee.png").read_bytes())
    check(qtbot, page, cat)
    assert rows(page) == ["no_face_cat.png"] and rows(page, COL_VERDICT) == ["Review"]


def test_the_log_shows_each_file_once(qtbot, ctx: AppContext, deps: PageDeps) -> None:
    for caption in ("First", "Second"):
        ctx.images.check(ctx.actor, [face("no_face_cat.png")], caption=caption, workers=1)
    page = make_page(qtbot, deps)
    assert rows(page) == ["no_face_cat.png"]
    assert show(qtbot, page, "no_face_cat.png").caption == "Second"  # the newest check


# -- exporting -----------------------------------------------------------------------------------
def test_export_all_clear_images_into_a_folder_replaces_nothing(
    qtbot,
    page: ImagesPage,
    ctx: AppContext,
    tmp_path: Path,
    msgs: Messages,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    check(qtbot, page, face("no_face_cat.png"), face("no_face_coffee.png"), face("biden.jpg"))
    tab = page.check_tab
    assert not tab.check_actions.export_all.isEnabled()  # nothing is clear yet
    for name in ("no_face_cat.png", "no_face_coffee.png"):
        confirm_no_people(qtbot, page, name)
    out = tmp_path / "for the newsletter"
    out.mkdir()
    taken = out / "no_face_cat-for-publishing.png"
    taken.write_bytes(b"somebody else's file")
    monkeypatch.setattr(pickers, "export_folder", lambda parent, suggested: out)
    assert tab.check_actions.export_all.isEnabled()
    tab.table.setFocus()
    with qtbot.waitSignal(tab.exported_many, timeout=CHECK_TIMEOUT) as done:
        qtbot.keyClick(
            tab.table,
            Qt.Key.Key_E,
            Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
        )
        assert tab.progress_row.isVisible() and tab.progress_bar.format().startswith("Exporting")
    assert sorted(p.name for p in out.iterdir()) == [
        "no_face_cat-for-publishing (2).png",
        "no_face_cat-for-publishing.png",
        "no_face_coffee-for-publishing.png",
    ]
    assert taken.read_bytes() == b"somebody else's file"  # never replaced
    assert len(done.args[0].exported) == 2 and len(ctx.images.exports()) == 2
    ((title, text),) = msgs.of("info")
    assert title == "Export for publishing"
    assert text.startswith(f"Exported 2 images to {out}.")
    assert "no_face_cat-for-publishing.png → no_face_cat-for-publishing (2).png" in text
    assert tab.notice_label.text() == f"Exported 2 images to {out}."
    assert not tab.progress_row.isVisible()


# -- removing rows ---------------------------------------------------------------------------------
def test_delete_removes_rows_and_ctrl_z_puts_them_back(
    qtbot, page: ImagesPage, ctx: AppContext
) -> None:
    check(qtbot, page, face("no_face_cat.png"), face("no_face_coffee.png"))
    tab = page.check_tab
    assert tab.check_actions.remove in tab.table.actions()  # the list's context menu
    show(qtbot, page, "no_face_cat.png")
    tab.caption_edit.setFocus()
    qtbot.keyClick(tab.caption_edit, Qt.Key.Key_Delete)  # a key in the caption stays there
    assert tab.model.rowCount() == 2
    tab.table.setFocus()
    qtbot.keyClick(tab.table, Qt.Key.Key_Delete)
    assert rows(page) == ["no_face_coffee.png"]
    assert tab.notice_label.text() == "Removed no_face_cat.png from the list (Ctrl+Z puts it back)."
    assert tab.detail.record is not None and tab.detail.record.file_name == "no_face_coffee.png"
    click(qtbot, tab.buttons["remove"])
    assert tab.model.rowCount() == 0 and tab.stack.currentWidget() is tab.drop_zone
    assert len(ctx.images.list_checks()) == 2  # the log keeps them
    page.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is page, timeout=TIMEOUT)
    tab.table.setFocus()
    qtbot.keyClick(tab.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert rows(page) == ["no_face_coffee.png"]
    qtbot.keyClick(tab.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert rows(page) == ["no_face_cat.png", "no_face_coffee.png"]
    assert not tab.check_actions.undo_remove.isEnabled()


def test_a_row_removed_while_it_is_checked_again_stays_removed(
    qtbot, page: ImagesPage, tmp_path: Path
) -> None:
    check(qtbot, page, face("no_face_cat.png"), face("no_face_coffee.png"))
    tab = page.check_tab
    show(qtbot, page, "no_face_cat.png")
    with qtbot.waitSignal(tab.batch_finished, timeout=CHECK_TIMEOUT):
        tab.caption_edit.setText("Pets day")
        qtbot.waitUntil(tab.is_checking, timeout=TIMEOUT)
        tab.table.setFocus()
        qtbot.keyClick(tab.table, Qt.Key.Key_Delete)
        assert rows(page) == ["no_face_coffee.png"]
    assert rows(page) == ["no_face_coffee.png"]
    assert tab.model.entries()[0].caption == "Pets day"


def test_the_new_keys_are_listed(page: ImagesPage) -> None:
    keys = dict(page.shortcuts())
    assert {"Del", "Ctrl+Z", "Ctrl+Shift+E", "Ctrl+E", "Ctrl+O"} <= set(keys)
    assert keys["Ctrl+Shift+E"] == "Export all clear images into a folder"
