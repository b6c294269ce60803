"""The Images page, driven through its real widgets against a real database (R11).

Checks run for real (dlib, in the background thread) on the shared fixture photos.
Tests that store reference photos use a throwaway keyring (scripts/with-keyring.sh).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from keyring.backends import fail
from PIL import Image
from PySide6.QtCore import QMimeData, QPointF, Qt, QTimer, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QLabel,
    QLineEdit,
    QTabBar,
    QWidget,
)
from sqlalchemy import func, select

from smmod import audit
from smmod import formatting as fmt
from smmod.audit import AuditFilter
from smmod.context import AppContext
from smmod.dnp import CheckRecord, ConsentInput
from smmod.identity import Actor
from smmod.images import FileError
from smmod.store.models import FaceTemplate
from smmod.ui.images import pickers
from smmod.ui.images.check_list import COL_FACES, COL_FILE, COL_VERDICT, CheckListModel
from smmod.ui.images.models import COL_CONSENT, PupilTableModel
from smmod.ui.images.page import ImagesPage
from smmod.ui.pages import PageDeps, page_specs
from smmod.vault import Vault
from tests.conftest import SUITE_TODAY
from tests.dnp.conftest import CONSENT_ON, PUPIL, copy, face, two_faces
from tests.images.conftest import group_photo
from tests.ui.conftest import Messages

TIMEOUT = 30_000  # a bound, not a target: waits end as soon as the answer comes
CHECK_TIMEOUT = 60_000
pytestmark = pytest.mark.qt_log_ignore(r"^This plugin does not support propagateSizeHints\(\)")
keyring = pytest.mark.keyring


# -- helpers ---------------------------------------------------------------------------
def make_page(qtbot, deps: PageDeps) -> ImagesPage:
    page = ImagesPage(deps)
    qtbot.addWidget(page)
    page.resize(1200, 760)
    page.check_tab.workers = 1  # in the check thread; the pool has its own tests
    page.show()
    qtbot.waitExposed(page)
    with qtbot.waitSignals(
        [
            page.check_tab.checks_loaded,
            page.register_tab.pupils_loaded,
            page.check_tab.review.references_ready,
        ],
        timeout=TIMEOUT,
    ):
        page.refresh()
    return page


def drop(tab, paths: list[Path]) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    enter = QDragEnterEvent(
        QPointF(40, 40),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(tab, enter)
    assert enter.isAccepted()
    event = QDropEvent(
        QPointF(40, 40),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(tab, event)


def check(qtbot, page: ImagesPage, *paths: Path) -> None:
    tab = page.check_tab
    with qtbot.waitSignal(tab.batch_finished, timeout=CHECK_TIMEOUT):
        tab.check_paths(list(paths))


def rows(page: ImagesPage, column: int = COL_FILE) -> list[str]:
    proxy = page.check_tab.proxy
    return [proxy.index(r, column).data() for r in range(proxy.rowCount())]


def show(qtbot, page: ImagesPage, name: str) -> CheckRecord:
    """Select the newest check of ``name`` and wait until its image and faces are shown."""
    tab = page.check_tab
    record = next(e for e in tab.model.entries() if isinstance(e, CheckRecord) and e.file_name == name)
    if (
        tab.detail.record is not None
        and tab.detail.record.id == record.id
        and (tab.detail.image_view.has_image())
    ):
        return record
    with qtbot.waitSignal(
        tab.review.detail_shown, timeout=TIMEOUT, check_params_cb=lambda check_id: check_id == record.id
    ):
        assert tab.select_check(record.id)
    return record


def click(qtbot, button: QAbstractButton) -> None:
    assert button.isEnabled(), f"{button.text()} is disabled"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


@pytest.fixture
def page(qtbot, deps: PageDeps) -> ImagesPage:
    return make_page(qtbot, deps)


@pytest.fixture
def pupil_page(qtbot, ctx: AppContext, app_keyring: object, deps: PageDeps) -> ImagesPage:
    """Alex Example on the register with consent and obama.jpg; Mia Moss, no photo."""
    ctx.dnp.add_pupil(
        ctx.actor,
        PUPIL,
        year_group="Year 4",
        photos=[face("obama.jpg")],
        consent=ConsentInput(CONSENT_ON, "head"),
    )
    ctx.dnp.add_pupil(ctx.actor, "Mia Moss", year_group="Year 6")
    return make_page(qtbot, deps)


# -- assembly ----------------------------------------------------------------------------
def test_the_page_is_listed_after_accounts_and_queue_before_staff() -> None:
    specs = [(s.key, s.title, s.icon) for s in page_specs()]
    keys = [key for key, _, _ in specs]
    images = specs.index(("images", "Images", "images"))
    assert keys.index("accounts") < images and keys.index("queue") < images
    assert images < keys.index("staff")
    assert keys.count("images") == 1


def test_models_pass_the_model_tester(qtmodeltester, pupil_page: ImagesPage, qtbot, tmp_path: Path) -> None:
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"\xff\xd8 not a jpeg")
    check(qtbot, pupil_page, face("no_face_cat.png"), broken)
    qtmodeltester.check(pupil_page.check_tab.model)
    qtmodeltester.check(pupil_page.check_tab.proxy)
    qtmodeltester.check(pupil_page.register_tab.model)
    qtmodeltester.check(CheckListModel())
    qtmodeltester.check(PupilTableModel())


def test_every_control_has_a_name_and_the_shortcuts_are_listed(page: ImagesPage) -> None:
    ours = [
        w
        for w in page.findChildren(QAbstractButton) + page.findChildren(QLineEdit)
        if not w.objectName().startswith("qt_")  # Qt's own parts (table corner…)
        and not isinstance(w.parent(), QLineEdit | QTabBar)
    ]  # clear, scroll buttons
    assert len(ours) >= 10
    for widget in ours:
        text = widget.text().strip() if isinstance(widget, QAbstractButton) else ""
        assert text or widget.accessibleName(), widget.objectName()
    keys = [key for key, _ in page.shortcuts()]
    assert {"Ctrl+O", "Ctrl+Shift+O", "Esc", "Ctrl+E", "N", "T", "F", "Ctrl+N"} <= set(keys)


def test_empty_page_invites_a_drop_and_names_the_mode(qtbot, page: ImagesPage, ctx: AppContext) -> None:
    tab = page.check_tab
    assert tab.stack.currentWidget() is tab.drop_zone
    assert "Drop photos or a folder here" in tab.drop_zone.text()
    assert tab.mode_label.text() == "Face check"
    ctx.settings.set("images.dpia_reference", "DPIA-2025-03")
    ctx.settings.set("images.mode", "assisted")
    with qtbot.waitSignal(page.register_tab.pupils_loaded, timeout=TIMEOUT):
        page.refresh()
    assert tab.mode_label.text() == "Assisted matching · DPIA-2025-03"
    assert "Assisted matching is on" in page.register_tab.mode_note.text()


# -- checking ----------------------------------------------------------------------------
def test_a_dropped_folder_is_checked_in_the_background(qtbot, page: ImagesPage, tmp_path: Path) -> None:
    folder = tmp_path / "sports day"
    for name in ("biden.jpg", "no_face_cat.png", "no_face_coffee.png"):
        copy(name, folder)
    (folder / "cut.jpg").write_bytes(face("obama.jpg").read_bytes()[:3000])
    tab = page.check_tab
    tab.workers = None  # all cores, through the process pool
    ticks: list[int] = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(20)
    with qtbot.waitSignal(tab.batch_finished, timeout=CHECK_TIMEOUT) as finished:
        drop(tab, [folder])
        assert tab.is_checking() and tab.progress_row.isVisible()
        assert tab.check_actions.cancel.isEnabled()
    timer.stop()
    assert finished.args == [4]
    assert len(ticks) >= 5  # the event loop kept running during the check
    assert not tab.progress_row.isVisible() and not tab.check_actions.cancel.isEnabled()
    assert tab.stack.currentWidget() is tab.splitter
    assert QApplication.focusWidget() is tab.table
    assert rows(page) == ["biden.jpg", "cut.jpg", "no_face_cat.png", "no_face_coffee.png"]
    # No face found is not "clear": those two wait for a person's look too.
    assert rows(page, COL_VERDICT) == ["Review", "Unreadable", "Review", "Review"]
    assert rows(page, COL_FACES) == ["1, 1 to do", "—", "none, to do", "none, to do"]
    assert tab.summary_label.text() == "4 images  ·  3 to review  ·  1 unreadable"
    assert tab.notice_label.text() == "Checked 4 images: 3 to review, 1 unreadable."
    tab.select_check(tab.model.entries()[0].id)
    tab.table.selectRow(1)
    assert isinstance(tab.model.entry(1), FileError)
    assert "could not be checked" in tab.detail.reasons_label.text()


def test_add_images_with_ctrl_o_and_the_caption_is_checked_for_names(
    qtbot, page: ImagesPage, ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    ctx.dnp.add_pupil(ctx.actor, PUPIL)
    monkeypatch.setattr(pickers, "images_to_check", lambda parent: [face("no_face_cat.png")])
    tab = page.check_tab
    tab.caption_edit.setFocus()
    qtbot.keyClicks(tab.caption_edit, f"Well done {PUPIL}!")
    with qtbot.waitSignal(tab.batch_finished, timeout=CHECK_TIMEOUT):
        qtbot.keyClick(tab.caption_edit, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)
    assert rows(page, COL_VERDICT) == ["Blocked"]
    assert f"The name of {PUPIL}" in tab.detail.reasons_label.text()
    assert tab.detail.verdict_label.text() == "Blocked"


def test_a_missing_folder_is_reported_plainly(
    qtbot, page: ImagesPage, msgs: Messages, tmp_path: Path
) -> None:
    check(qtbot, page, tmp_path / "gone")
    assert msgs.of("error") == [("Check images", f"InputError: {tmp_path / 'gone'}: no such file or folder")]
    assert not page.check_tab.is_checking()


def test_cancel_stops_the_batch_after_the_current_image(
    qtbot, page: ImagesPage, ctx: AppContext, tmp_path: Path
) -> None:
    folder = tmp_path / "many"
    for number in range(8):
        copy("no_face_coffee.png", folder, f"coffee-{number}.png")
    tab = page.check_tab
    with qtbot.waitSignal(tab.batch_finished, timeout=CHECK_TIMEOUT) as finished:
        with qtbot.waitSignal(
            tab.progress_bar.valueChanged, timeout=CHECK_TIMEOUT, check_params_cb=lambda value: value >= 1
        ):
            tab.check_paths([folder])
        click(qtbot, tab.cancel_button)
        assert tab.progress_bar.format().startswith("Cancelling")
    checked = finished.args[0]
    assert 1 <= checked < 8
    assert tab.notice_label.text() == (f"Cancelled: {checked} of 8 images checked: {checked} to review.")
    assert len(ctx.images.list_checks()) == tab.model.rowCount() == checked


def test_drops_during_a_check_are_queued(qtbot, page: ImagesPage) -> None:
    tab = page.check_tab
    tab.check_paths([face("no_face_cat.png")])
    tab.check_paths([face("no_face_coffee.png")])
    assert tab.notice_label.text() == "1 more will be checked when this batch is done."
    qtbot.waitUntil(lambda: tab.model.rowCount() == 2 and not tab.is_checking(), timeout=CHECK_TIMEOUT)
    assert rows(page) == ["no_face_coffee.png", "no_face_cat.png"]


# -- reviewing faces ----------------------------------------------------------------------
@keyring
def test_each_face_is_shown_beside_the_reference_photos(
    qtbot, pupil_page: ImagesPage, tmp_path: Path
) -> None:
    check(qtbot, pupil_page, two_faces(tmp_path))
    show(qtbot, pupil_page, "two-people.jpg")
    detail = pupil_page.check_tab.detail
    assert detail.image_view.has_image()
    assert sorted(detail.faces.cards) == [1, 2]
    for card in detail.faces.cards.values():
        assert card.crop_label.pixmap() is not None and not card.crop_label.pixmap().isNull()
        tiles = [t for t in card.findChildren(QWidget) if t.objectName() == "reference_tile"]
        assert [t.accessibleName() for t in tiles] == [f"Reference photo of {PUPIL}"]
        others = card.findChild(QLabel, "reference_without_photo")
        assert others.text() == "Also on the register, with no photo: Mia Moss"
        assert card.state_label.text() == "Not yet confirmed"
        assert [a.text() for a in card.menu.actions()] == [f"{PUPIL} (Year 4)", "Mia Moss (Year 6)"]
    assert detail.faces.current_face() == 1
    assert "2 of 2 faces still to confirm" in detail.reasons_label.text()
    # The boxes are drawn where the faces are; clicking one picks its card.
    rect = detail.image_view.face_rect(2)
    assert rect.width() > 10 and detail.image_view.rect().contains(rect.center().toPoint())
    qtbot.mouseClick(detail.image_view, Qt.MouseButton.LeftButton, pos=rect.center().toPoint())
    assert detail.faces.current_face() == 2


@keyring
def test_not_protected_face_by_face_makes_the_image_clear_and_is_audited(
    qtbot, pupil_page: ImagesPage, ctx: AppContext, tmp_path: Path
) -> None:
    check(qtbot, pupil_page, two_faces(tmp_path))
    record = show(qtbot, pupil_page, "two-people.jpg")
    tab = pupil_page.check_tab
    with qtbot.waitSignal(tab.review.face_confirmed, timeout=TIMEOUT) as confirmed:
        click(qtbot, tab.detail.faces.cards[1].not_protected_button)
    assert confirmed.args[0].verdict == "review"
    qtbot.waitUntil(lambda: tab.detail.faces.current_face() == 2, timeout=TIMEOUT)
    assert tab.detail.faces.cards[1].state_label.text() == "Confirmed: not a protected pupil"
    assert tab.detail.faces.cards[1].not_protected_button.isChecked()
    assert rows(pupil_page, COL_FACES) == ["2, 1 to do"]
    focus = QApplication.focusWidget()  # the keyboard moved on to face 2's first answer
    assert focus is tab.detail.faces.cards[2].not_protected_button
    with qtbot.waitSignal(tab.review.face_confirmed, timeout=TIMEOUT) as confirmed:
        qtbot.keyClick(focus, Qt.Key.Key_N)  # N: the selected face is not protected
    assert confirmed.args[0].verdict == "clear"
    assert rows(pupil_page, COL_VERDICT) == ["Clear"] and rows(pupil_page, COL_FACES) == ["2, done"]
    assert tab.detail.verdict_label.text() == "Clear"
    assert tab.notice_label.text() == "Every face confirmed: two-people.jpg is clear to export."
    trail = audit.query(ctx.session_factory, AuditFilter(action="image.face_confirmed"))
    assert sorted((e.actor, e.details["face"], e.details["outcome"]) for e in trail) == [
        ("head", 1, "not_protected"),
        ("head", 2, "not_protected"),
    ]
    assert ctx.images.get(record.id).verdict == "clear"


@keyring
@pytest.mark.qt_log_ignore(r"^This plugin does not support (raise\(\)|grabbing the keyboard)")
def test_keyboard_f_moves_between_faces_and_t_offers_the_pupils(
    qtbot, pupil_page: ImagesPage, tmp_path: Path
) -> None:
    check(qtbot, pupil_page, two_faces(tmp_path))
    show(qtbot, pupil_page, "two-people.jpg")
    tab = pupil_page.check_tab
    faces = tab.detail.faces
    assert faces.current_face() == 1
    qtbot.keyClick(tab.table, Qt.Key.Key_F)
    assert faces.current_face() == 2
    qtbot.keyClick(tab.table, Qt.Key.Key_F)
    assert faces.current_face() == 1  # round again
    qtbot.keyClick(tab.table, Qt.Key.Key_T)
    menu = faces.cards[1].menu
    qtbot.waitUntil(menu.isVisible, timeout=TIMEOUT)
    assert menu.activeAction() is menu.actions()[0]
    menu.close()


def test_add_folder_with_ctrl_shift_o(
    qtbot, page: ImagesPage, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "trip"
    copy("no_face_cat.png", folder)
    monkeypatch.setattr(pickers, "folder_to_check", lambda parent: folder)
    tab = page.check_tab
    tab.caption_edit.setFocus()
    with qtbot.waitSignal(tab.batch_finished, timeout=CHECK_TIMEOUT):
        qtbot.keyClick(
            tab.caption_edit,
            Qt.Key.Key_O,
            Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
        )
    assert rows(page) == ["no_face_cat.png"]


def test_a_photo_with_no_face_found_waits_for_one_look_and_one_click(
    qtbot, page: ImagesPage, ctx: AppContext
) -> None:
    check(qtbot, page, face("no_face_cat.png"))
    record = show(qtbot, page, "no_face_cat.png")
    tab = page.check_tab
    panel = tab.detail.faces.no_people
    assert tab.detail.verdict_label.text() == "Review" and rows(page, COL_FACES) == ["none, to do"]
    assert panel.isVisible() and not tab.detail.faces.scroll_area.isVisible()
    assert panel.prompt_label.text() == "No faces were found. Check that no pupil is shown."
    assert "No faces were found. Check that no pupil is shown." in tab.detail.reasons_label.text()
    assert tab.check_actions.not_protected.isEnabled() and not tab.check_actions.this_is.isEnabled()
    with qtbot.waitSignal(tab.review.face_confirmed, timeout=TIMEOUT) as confirmed:
        click(qtbot, panel.confirm_button)
    assert confirmed.args[0].verdict == "clear"
    assert rows(page, COL_VERDICT) == ["Clear"] and rows(page, COL_FACES) == ["none, done"]
    assert tab.detail.verdict_label.text() == "Clear"
    assert panel.confirm_button.isChecked() and not panel.confirm_button.isEnabled()
    # People are named as the staff register names them; the login is in the tooltip.
    assert panel.help_label.text().startswith("Confirmed by Hannah Head on ")
    assert panel.help_label.toolTip() == "Login: head"
    reasons = tab.detail.reasons_label
    assert "Hannah Head confirmed that no pupil is shown: clear to export." in reasons.text()
    assert "Checked by Hannah Head on " in reasons.text() and "by head" not in reasons.text()
    assert "Checked by Hannah Head (login: head)" in reasons.toolTip()
    assert tab.notice_label.text() == "Confirmed that no pupil is shown: no_face_cat.png is clear to export."
    (entry,) = audit.query(ctx.session_factory, AuditFilter(action="image.no_people_confirmed"))
    assert (entry.actor, entry.subject) == ("head", f"image_check:{record.id}")


def test_n_says_no_pupil_is_shown_from_the_keyboard(qtbot, page: ImagesPage, ctx: AppContext) -> None:
    check(qtbot, page, face("no_face_coffee.png"))
    record = show(qtbot, page, "no_face_coffee.png")
    tab = page.check_tab
    tab.table.setFocus()
    with qtbot.waitSignal(tab.review.face_confirmed, timeout=TIMEOUT):
        qtbot.keyClick(tab.table, Qt.Key.Key_N)
    assert ctx.images.get(record.id).verdict == "clear"
    assert not tab.check_actions.not_protected.isEnabled()  # nothing left to say


def test_a_read_only_person_cannot_say_no_pupil_is_shown(
    qtbot, ctx: AppContext, people: dict[str, Actor], runner
) -> None:
    ctx.actor = people["vol1"]
    page = make_page(qtbot, PageDeps(ctx, runner))
    check(qtbot, page, face("no_face_cat.png"))
    show(qtbot, page, "no_face_cat.png")
    button = page.check_tab.detail.faces.no_people.confirm_button
    assert not button.isEnabled() and "Only SLT, administrators, moderators or staff" in button.toolTip()
    assert not page.check_tab.check_actions.not_protected.isEnabled()


def test_a_class_photo_has_its_faces_numbered_row_by_row(qtbot, page: ImagesPage, tmp_path: Path) -> None:
    heads = [(name, 70.0) for name in ("obama2.jpg", "biden.jpg", "obama3.jpg", "biden.jpg") * 2]
    group_photo(tmp_path / "class.jpg", heads, frame=(1600, 1000), per_row=4)
    check(qtbot, page, tmp_path / "class.jpg")
    show(qtbot, page, "class.jpg")
    detail = page.check_tab.detail
    assert sorted(detail.faces.cards) == list(range(1, 9))
    assert detail.faces.heading.text() == "Faces: confirm each one (8 of 8 still to confirm)"
    rects = {i: detail.image_view.face_rect(i) for i in range(1, 9)}
    for first in (1, 5):  # each row numbered left to right
        xs = [rects[i].center().x() for i in range(first, first + 4)]
        assert xs == sorted(xs)
    assert rects[5].top() > rects[1].bottom()  # the second row comes after the first


def test_a_face_too_small_to_compare_is_shown_and_marked(qtbot, page: ImagesPage, tmp_path: Path) -> None:
    thumb = Image.open(face("obama2.jpg"))
    thumb.thumbnail((160, 160))
    thumb.save(tmp_path / "thumb.jpg")
    check(qtbot, page, tmp_path / "thumb.jpg")
    show(qtbot, page, "thumb.jpg")
    faces = page.check_tab.detail.faces
    card = faces.cards[1]
    assert card.small_label.isVisible() and card.small_label.text() == "Too small to compare: look closely"
    assert faces.heading.text().endswith("; 1 too small to compare")
    assert "too small to compare" in page.check_tab.detail.image_view.accessibleDescription()
    assert card.not_protected_button.isEnabled()  # shown for confirmation, like any face


@keyring
def test_this_is_a_pupil_blocks_the_image(qtbot, pupil_page: ImagesPage, ctx: AppContext) -> None:
    check(qtbot, pupil_page, face("obama3.jpg"))
    record = show(qtbot, pupil_page, "obama3.jpg")
    tab = pupil_page.check_tab
    card = tab.detail.faces.cards[1]
    with qtbot.waitSignal(tab.review.face_confirmed, timeout=TIMEOUT):
        card.menu.actions()[0].trigger()
    card = tab.detail.faces.cards[1]
    assert card.state_label.text() == f"Confirmed: this is {PUPIL}"
    assert card.menu.actions()[0].isChecked()
    assert rows(pupil_page, COL_VERDICT) == ["Blocked"]
    assert ctx.images.get(record.id).faces[0].confirmed_name == PUPIL


@keyring
def test_assisted_matching_shows_the_match_first(qtbot, pupil_page: ImagesPage, ctx: AppContext) -> None:
    ctx.settings.set("images.dpia_reference", "DPIA-2025-03")
    ctx.settings.set("images.mode", "assisted")
    check(qtbot, pupil_page, face("obama2.jpg"))
    show(qtbot, pupil_page, "obama2.jpg")
    card = pupil_page.check_tab.detail.faces.cards[1]
    assert card.state_label.text().startswith(f"Matches {PUPIL} (distance 0.")
    assert rows(pupil_page, COL_VERDICT) == ["Blocked"]
    first = next(t for t in card.findChildren(QWidget) if t.objectName() == "reference_tile")
    assert first.accessibleName() == f"Reference photo of {PUPIL}"
    assert "closest match" in [w.text() for w in first.findChildren(QLabel)]


def test_a_read_only_person_sees_why_they_cannot_confirm(
    qtbot, ctx: AppContext, people: dict[str, Actor], runner, msgs: Messages
) -> None:
    ctx.actor = people["vol1"]
    page = make_page(qtbot, PageDeps(ctx, runner))
    check(qtbot, page, face("biden.jpg"))
    show(qtbot, page, "biden.jpg")
    card = page.check_tab.detail.faces.cards[1]
    assert not card.not_protected_button.isEnabled()
    assert "Only SLT, administrators, moderators or staff" in card.not_protected_button.toolTip()
    assert not page.check_tab.check_actions.not_protected.isEnabled()
    assert not page.register_tab.register_actions.add.isEnabled()
    assert "Only SLT or administrators" in page.register_tab.banner.text()


def test_a_moved_original_is_explained(qtbot, page: ImagesPage, tmp_path: Path) -> None:
    moved = copy("biden.jpg", tmp_path)
    check(qtbot, page, moved)
    moved.unlink()
    tab = page.check_tab
    tab.table.clearSelection()
    tab.table.selectionModel().clearCurrentIndex()
    with qtbot.waitSignal(tab.review.detail_shown, timeout=TIMEOUT, raising=False):
        tab.table.selectRow(0)
    qtbot.waitUntil(lambda: "no longer at" in tab.detail.image_view.accessibleDescription(), timeout=TIMEOUT)
    assert "cannot be confirmed" in tab.detail.faces.heading.text()


# -- exporting -----------------------------------------------------------------------------
def open_export(qtbot, page: ImagesPage):  # type: ignore[no-untyped-def]
    tab = page.check_tab
    page.activateWindow()  # offscreen: a closed dialog leaves no window active
    qtbot.waitUntil(lambda: QApplication.activeWindow() is page, timeout=TIMEOUT)
    tab.table.setFocus()
    qtbot.keyClick(tab.table, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: tab.current_dialog() is not None, timeout=TIMEOUT)
    return tab.current_dialog()


def test_export_waits_until_every_face_is_confirmed(
    qtbot, page: ImagesPage, ctx: AppContext, tmp_path: Path
) -> None:
    check(qtbot, page, face("biden.jpg"))
    show(qtbot, page, "biden.jpg")
    tab = page.check_tab
    export = tab.check_actions.export
    assert not export.isEnabled() and not tab.buttons["export"].isEnabled()
    assert export.toolTip() == "biden.jpg: 1 face still to confirm."
    tab.table.setFocus()
    qtbot.keyClick(tab.table, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert tab.current_dialog() is None
    with qtbot.waitSignal(tab.review.face_confirmed, timeout=TIMEOUT):
        click(qtbot, tab.detail.faces.cards[1].not_protected_button)
    assert export.isEnabled()
    dialog = open_export(qtbot, page)
    assert dialog.path_edit.text().endswith("biden-for-publishing.jpg")
    assert not dialog.pixelate_check.isEnabled()  # nothing left to pixelate
    out = tmp_path / "visitor.jpg"
    dialog.path_edit.setText(str(out))
    with qtbot.waitSignal(dialog.exported, timeout=CHECK_TIMEOUT):
        click(qtbot, dialog.export_button)
    qtbot.waitUntil(lambda: page.check_tab.current_dialog() is None, timeout=TIMEOUT)
    assert page.check_tab.notice_label.text() == "Exported visitor.jpg."
    assert out.is_file()
    (exported,) = ctx.images.exports()
    assert exported.pixelated_faces == 0


def test_export_of_an_image_with_no_face_waits_for_the_look(
    qtbot, page: ImagesPage, ctx: AppContext, tmp_path: Path
) -> None:
    check(qtbot, page, face("no_face_coffee.png"))
    show(qtbot, page, "no_face_coffee.png")
    tab = page.check_tab
    assert not tab.check_actions.export.isEnabled()
    assert tab.check_actions.export.toolTip() == (
        "no_face_coffee.png: confirm first that no pupil is shown (N)."
    )
    with qtbot.waitSignal(tab.review.face_confirmed, timeout=TIMEOUT):
        click(qtbot, tab.detail.faces.no_people.confirm_button)
    dialog = open_export(qtbot, page)
    assert not dialog.named_label.isVisible() and dialog.export_button.isEnabled()
    dialog.path_edit.setText(str(tmp_path / "coffee.png"))
    with qtbot.waitSignal(dialog.exported, timeout=CHECK_TIMEOUT):
        click(qtbot, dialog.export_button)
    assert (tmp_path / "coffee.png").is_file()


def test_export_of_a_named_pupil_or_a_copy_of_it_is_not_offered(
    qtbot, page: ImagesPage, ctx: AppContext, tmp_path: Path
) -> None:
    ctx.dnp.add_pupil(ctx.actor, PUPIL)
    tab = page.check_tab
    tab.caption_edit.setText(f"{PUPIL} with the cat")
    check(qtbot, page, face("no_face_cat.png"))
    assert rows(page, COL_VERDICT) == ["Blocked"]
    assert not tab.check_actions.export.isEnabled()
    assert tab.check_actions.export.toolTip() == "no_face_cat.png is blocked: it cannot be published."
    tab.table.setFocus()
    qtbot.keyClick(tab.table, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert tab.current_dialog() is None
    resized = tmp_path / "cat-small.jpg"
    with Image.open(face("no_face_cat.png")) as original:
        original.convert("RGB").resize((300, 200)).save(resized, quality=60)
    check(qtbot, page, resized)
    assert rows(page) == ["cat-small.jpg", "no_face_cat.png"]
    assert rows(page, COL_VERDICT) == ["Blocked", "Blocked"]  # a copy of a named image
    assert not tab.check_actions.export.isEnabled()
    assert not tab.check_actions.export_all.isEnabled()
    assert ctx.images.exports() == []


# -- the register ----------------------------------------------------------------------------
def show_register(qtbot, page: ImagesPage) -> None:
    """Switch to the register tab, which reloads it; wait for that to finish."""
    tab = page.register_tab
    if page.tabs.currentWidget() is not tab:
        with qtbot.waitSignal(tab.pupils_loaded, timeout=TIMEOUT):
            page.tabs.setCurrentWidget(tab)


def open_register_dialog(qtbot, page: ImagesPage, key: str):  # type: ignore[no-untyped-def]
    tab = page.register_tab
    show_register(qtbot, page)
    click(qtbot, tab.buttons[key])
    qtbot.waitUntil(lambda: tab.current_dialog() is not None, timeout=TIMEOUT)
    return tab.current_dialog()


def register_rows(page: ImagesPage, column: int) -> list[str]:
    model = page.register_tab.model
    return [model.index(r, column).data() for r in range(model.rowCount())]


@keyring
def test_add_a_pupil_with_photo_and_consent(
    qtbot, ctx: AppContext, app_keyring: object, deps: PageDeps, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = make_page(qtbot, deps)
    monkeypatch.setattr(pickers, "reference_photos", lambda parent: [face("obama.jpg")])
    dialog = open_register_dialog(qtbot, page, "add")
    assert not dialog.save_button.isEnabled()  # a name is needed
    qtbot.keyClicks(dialog.name_edit, PUPIL)
    qtbot.keyClicks(dialog.year_edit, "Year 4")
    click(qtbot, dialog.add_photos_button)
    assert dialog.photo_list.count() == 1 and dialog.photos() == [face("obama.jpg")]
    dialog.consent_group.setChecked(True)
    assert not dialog.save_button.isEnabled()  # consent needs "no objection" ticked
    dialog.consent.no_objection_check.setChecked(True)
    tab = page.register_tab
    with qtbot.waitSignals(
        [tab.pupils_loaded, page.check_tab.review.references_ready], timeout=CHECK_TIMEOUT
    ):
        click(qtbot, dialog.save_button)
    assert register_rows(page, 0) == [PUPIL]
    assert register_rows(page, COL_CONSENT) == [f"{fmt.day(SUITE_TODAY)} · template kept"]
    assert tab.notice_label.text() == f"Added {PUPIL}."
    qtbot.waitUntil(lambda: len(tab.panel.photo_labels()) == 1, timeout=TIMEOUT)
    assert tab.panel.title_label.text() == PUPIL
    (pupil,) = ctx.dnp.list_pupils()
    assert pupil.has_template and pupil.photos == 1
    # The check tab now shows this pupil beside every face.
    assert [r.pupil.name for r in page.check_tab.review.references] == [PUPIL]


def test_a_refused_pupil_stays_in_the_dialog_with_the_reason(
    qtbot, page: ImagesPage, ctx: AppContext
) -> None:
    dialog = open_register_dialog(qtbot, page, "add")
    qtbot.keyClicks(dialog.name_edit, "   ")
    assert not dialog.save_button.isEnabled()
    qtbot.keyClicks(dialog.name_edit, PUPIL)
    dialog.consent_group.setChecked(True)
    dialog.consent.no_objection_check.setChecked(True)
    dialog.consent.recorder_combo.addItem("Nobody (nobody)", "nobody")
    dialog.consent.recorder_combo.setCurrentIndex(dialog.consent.recorder_combo.count() - 1)
    click(qtbot, dialog.save_button)
    qtbot.waitUntil(dialog.error_label.isVisible, timeout=TIMEOUT)
    assert "no staff member with username 'nobody'" in dialog.error_label.text()
    assert page.register_tab.current_dialog() is dialog and dialog.save_button.isEnabled()
    assert ctx.dnp.list_pupils() == []
    dialog.reject()


def test_without_a_secure_keyring_photos_cannot_be_added_and_it_says_why(
    qtbot, ctx: AppContext, runner, msgs: Messages
) -> None:
    ctx.__dict__["vault"] = Vault(fail.Keyring(), service="smmod-test-no-keyring")
    page = make_page(qtbot, PageDeps(ctx, runner))
    tab = page.register_tab
    show_register(qtbot, page)
    assert tab.banner.isVisible()
    assert tab.banner.text().startswith(
        "Reference photos cannot be added: they are stored encrypted, and no secure system "
        "keyring is available to keep the key: no keyring service was found"
    )
    assert "To fix it" in tab.banner.text()
    dialog = open_register_dialog(qtbot, page, "add")
    assert not dialog.add_photos_button.isEnabled()
    assert "without a secure system keyring" in dialog.photos_note.text()
    assert dialog.photo_list.isHidden()
    qtbot.keyClicks(dialog.name_edit, PUPIL)
    with qtbot.waitSignal(tab.pupils_loaded, timeout=TIMEOUT):
        click(qtbot, dialog.save_button)
    assert register_rows(page, 0) == [PUPIL]  # protected by name and by the face check
    tab.select_pupil(ctx.dnp.list_pupils()[0].id)
    assert not tab.register_actions.photos.isEnabled()
    assert "no secure system keyring" in tab.register_actions.photos.toolTip()


@keyring
def test_withdraw_consent_then_remove_the_pupil(
    qtbot, pupil_page: ImagesPage, ctx: AppContext, msgs: Messages
) -> None:
    tab = pupil_page.register_tab
    show_register(qtbot, pupil_page)
    alex = next(p for p in ctx.dnp.list_pupils() if p.name == PUPIL)
    assert tab.select_pupil(alex.id)
    assert tab.register_actions.withdraw.isEnabled() and not tab.register_actions.consent.isEnabled()
    msgs.text_answers.append("parent withdrew consent")
    with qtbot.waitSignal(tab.pupils_loaded, timeout=TIMEOUT):
        click(qtbot, tab.buttons["withdraw"])
    with ctx.session_factory() as session:
        assert session.execute(select(func.count()).select_from(FaceTemplate)).scalar_one() == 0
    assert tab.selected_pupil().id == alex.id
    assert tab.selected_pupil().consent_on is None
    assert tab.notice_label.text() == f"Consent withdrawn for {PUPIL}; face template deleted."
    msgs.confirm_answers.append(True)
    msgs.text_answers.append("left the school")
    tab.table.setFocus()
    with qtbot.waitSignal(tab.pupils_loaded, timeout=TIMEOUT):
        qtbot.keyClick(tab.table, Qt.Key.Key_Delete)
    assert register_rows(pupil_page, 0) == ["Mia Moss"]
    assert [k for k, _, _ in msgs.shown] == ["ask_text", "confirm", "ask_text"]


@keyring
def test_consent_recorded_later(qtbot, pupil_page: ImagesPage, ctx: AppContext) -> None:
    tab = pupil_page.register_tab
    mia = next(p for p in ctx.dnp.list_pupils() if p.name == "Mia Moss")
    show_register(qtbot, pupil_page)
    assert tab.select_pupil(mia.id)
    dialog = open_register_dialog(qtbot, pupil_page, "consent")
    assert any("no reference photo yet" in label.text() for label in dialog.findChildren(QLabel))
    assert not dialog.save_button.isEnabled()
    dialog.consent.no_objection_check.setChecked(True)
    with qtbot.waitSignal(tab.pupils_loaded, timeout=TIMEOUT):
        click(qtbot, dialog.save_button)
    assert ctx.dnp.get(mia.id).consent_on == SUITE_TODAY


def test_adding_a_pupil_lists_exports_to_look_at_again(
    qtbot, page: ImagesPage, ctx: AppContext, msgs: Messages, tmp_path: Path
) -> None:
    (record,) = ctx.images.check(ctx.actor, [face("biden.jpg")], workers=1)
    ctx.images.confirm_face(ctx.actor, record.id, 1, None)
    ctx.images.export(ctx.actor, record.id, tmp_path / "visitor.jpg")
    dialog = open_register_dialog(qtbot, page, "add")
    qtbot.keyClicks(dialog.name_edit, "Zoe Zed")
    with qtbot.waitSignal(page.register_tab.pupils_loaded, timeout=TIMEOUT):
        click(qtbot, dialog.save_button)
    ((title, text),) = msgs.of("info")
    assert title == "Exported images to look at again"
    assert "visitor.jpg" in text and "confirmed before Zoe Zed" in text
