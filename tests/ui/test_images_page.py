"""The Images page, driven through its real widgets against a real database (R11).

Checks run for real (dlib, in the background thread) on the shared fixture photos.
Tests that store reference photos use a throwaway keyring (scripts/with-keyring.sh).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from keyring.backends import fail
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QTimer, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QAbstractButton, QApplication, QLineEdit, QTabBar
from sqlalchemy import func, select

from smmod import audit
from smmod.audit import AuditFilter
from smmod.context import AppContext
from smmod.dnp import CheckRecord, ConsentInput
from smmod.identity import Actor
from smmod.images import FileError, check_image
from smmod.store.models import FaceTemplate
from smmod.ui.images import pickers
from smmod.ui.images.models import (
    COL_CONSENT,
    COL_FACES,
    COL_FILE,
    COL_VERDICT,
    CheckListModel,
    PupilTableModel,
)
from smmod.ui.images.page import ImagesPage
from smmod.ui.pages import PageDeps, page_specs
from smmod.vault import Vault
from tests.dnp.conftest import CONSENT_ON, PUPIL, copy, face, two_faces
from tests.ui.conftest import Messages

TIMEOUT = 10_000
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
    with qtbot.waitSignals([page.check_tab.checks_loaded, page.register_tab.pupils_loaded,
                            page.check_tab.review.references_ready], timeout=TIMEOUT):
        page.refresh()
    return page


def drop(tab, paths: list[Path]) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    enter = QDragEnterEvent(QPoint(40, 40), Qt.DropAction.CopyAction, mime,
                            Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(tab, enter)
    assert enter.isAccepted()
    event = QDropEvent(QPointF(40, 40), Qt.DropAction.CopyAction, mime,
                       Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
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
    record = next(e for e in tab.model.entries()
                  if isinstance(e, CheckRecord) and e.file_name == name)
    if tab.detail.record is not None and tab.detail.record.id == record.id and (
            tab.detail.image_view.has_image()):
        return record
    with qtbot.waitSignal(tab.review.detail_shown, timeout=TIMEOUT,
                          check_params_cb=lambda check_id: check_id == record.id):
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
    ctx.dnp.add_pupil(ctx.actor, PUPIL, year_group="Year 4", photos=[face("obama.jpg")],
                      consent=ConsentInput(CONSENT_ON, "head"))
    ctx.dnp.add_pupil(ctx.actor, "Mia Moss", year_group="Year 6")
    return make_page(qtbot, deps)


# -- assembly ----------------------------------------------------------------------------
def test_the_page_is_listed_between_queue_and_staff() -> None:
    specs = [(s.key, s.title, s.icon) for s in page_specs()]
    images = specs.index(("images", "Images", "images"))
    keys = [key for key, _, _ in specs]
    assert keys.index("staff") == images + 1
    assert images > max(keys.index(k) for k in ("accounts", "queue") if k in keys)


def test_models_pass_the_model_tester(qtmodeltester, pupil_page: ImagesPage, qtbot,
                                      tmp_path: Path) -> None:
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"\xff\xd8 not a jpeg")
    check(qtbot, pupil_page, face("no_face_cat.png"), broken)
    qtmodeltester.check(pupil_page.check_tab.model)
    qtmodeltester.check(pupil_page.check_tab.proxy)
    qtmodeltester.check(pupil_page.register_tab.model)
    qtmodeltester.check(CheckListModel())
    qtmodeltester.check(PupilTableModel())


def test_every_control_has_a_name_and_the_shortcuts_are_listed(page: ImagesPage) -> None:
    ours = [w for w in page.findChildren(QAbstractButton) + page.findChildren(QLineEdit)
            if not w.objectName().startswith("qt_")  # Qt's own parts (table corner…)
            and not isinstance(w.parent(), QLineEdit | QTabBar)]  # clear, scroll buttons
    assert len(ours) >= 10
    for widget in ours:
        text = widget.text().strip() if isinstance(widget, QAbstractButton) else ""
        assert text or widget.accessibleName(), widget.objectName()
    keys = [key for key, _ in page.shortcuts()]
    assert {"Ctrl+O", "Ctrl+Shift+O", "Esc", "Ctrl+E", "N", "T", "F", "Ctrl+N"} <= set(keys)


def test_empty_page_invites_a_drop_and_names_the_mode(qtbot, page: ImagesPage,
                                                      ctx: AppContext) -> None:
    tab = page.check_tab
    assert tab.stack.currentWidget() is tab.drop_zone
    assert "Drop photos or a folder here" in tab.drop_zone.text()
    assert tab.mode_label.text() == "Face check"
    ctx.settings.set("images.dpia_reference", "DPIA-2025-03")
    ctx.settings.set("images.mode", "assisted")
    with qtbot.waitSignal(page.register_tab.pupils_loaded, timeout=TIMEOUT):
        page.refresh()
    assert tab.mode_label.text() == "Assisted matching · DPIA DPIA-2025-03"
    assert "Assisted matching is on" in page.register_tab.mode_note.text()


# -- checking ----------------------------------------------------------------------------
def test_a_dropped_folder_is_checked_in_the_background(qtbot, page: ImagesPage,
                                                       tmp_path: Path) -> None:
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
        assert tab.actions.cancel.isEnabled()
    timer.stop()
    assert finished.args == [4]
    assert len(ticks) >= 5  # the event loop kept running during the check
    assert not tab.progress_row.isVisible() and not tab.actions.cancel.isEnabled()
    assert tab.stack.currentWidget() is tab.splitter
    assert rows(page) == ["biden.jpg", "cut.jpg", "no_face_cat.png", "no_face_coffee.png"]
    assert rows(page, COL_VERDICT) == ["Review", "Unreadable", "Clear", "Clear"]
    assert rows(page, COL_FACES) == ["1, 1 to do", "—", "none", "none"]
    assert tab.summary_label.text() == "4 images  ·  1 to review  ·  2 clear  ·  1 unreadable"
    assert tab.notice_label.text() == "Checked 4 images: 1 to review, 2 clear, 1 unreadable."
    tab.select_check(tab.model.entries()[0].id)
    tab.table.selectRow(1)
    assert isinstance(tab.model.entry(1), FileError)
    assert "could not be checked" in tab.detail.reasons_label.text()


def test_add_images_with_ctrl_o_and_the_caption_is_checked_for_names(
        qtbot, page: ImagesPage, ctx: AppContext, monkeypatch: pytest.MonkeyPatch) -> None:
    ctx.dnp.add_pupil(ctx.actor, PUPIL)
    monkeypatch.setattr(pickers, "images_to_check", lambda parent: [face("no_face_cat.png")])
    tab = page.check_tab
    qtbot.keyClicks(tab.caption_edit, f"Well done {PUPIL}!")
    with qtbot.waitSignal(tab.batch_finished, timeout=CHECK_TIMEOUT):
        qtbot.keyClick(tab.table, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)
    assert rows(page, COL_VERDICT) == ["Blocked"]
    assert f"The name of {PUPIL}" in tab.detail.reasons_label.text()
    assert tab.detail.verdict_label.text() == "Blocked"


def test_a_missing_folder_is_reported_plainly(qtbot, page: ImagesPage, msgs: Messages,
                                              tmp_path: Path) -> None:
    check(qtbot, page, tmp_path / "gone")
    assert msgs.of("error") == [("Check images", f"InputError: {tmp_path / 'gone'}: "
                                                  "no such file or folder")]
    assert not page.check_tab.is_checking()


def test_cancel_stops_the_batch_after_the_current_image(qtbot, page: ImagesPage, ctx: AppContext,
                                                        tmp_path: Path) -> None:
    folder = tmp_path / "many"
    for number in range(8):
        copy("no_face_coffee.png", folder, f"coffee-{number}.png")
    tab = page.check_tab
    with qtbot.waitSignal(tab.batch_finished, timeout=CHECK_TIMEOUT) as finished:
        with qtbot.waitSignal(tab.progress_bar.valueChanged, timeout=CHECK_TIMEOUT,
                              check_params_cb=lambda value: value >= 1):
            tab.check_paths([folder])
        click(qtbot, tab.cancel_button)
        assert tab.progress_bar.format().startswith("Cancelling")
    checked = finished.args[0]
    assert 1 <= checked < 8
    assert tab.notice_label.text() == f"Cancelled after checking {checked} images."
    assert len(ctx.images.list_checks()) == tab.model.rowCount() == checked


def test_drops_during_a_check_are_queued(qtbot, page: ImagesPage) -> None:
    tab = page.check_tab
    tab.check_paths([face("no_face_cat.png")])
    tab.check_paths([face("no_face_coffee.png")])
    assert tab.notice_label.text() == "1 more will be checked when this batch is done."
    qtbot.waitUntil(lambda: tab.model.rowCount() == 2 and not tab.is_checking(),
                    timeout=CHECK_TIMEOUT)
    assert rows(page) == ["no_face_coffee.png", "no_face_cat.png"]
