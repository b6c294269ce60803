"""The Audit trail page speaks people's words at 1280×720: actions by name (the key in the
tooltip), Subject and Details cut tidily with the whole value in their tooltips."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from smmod import audit
from smmod.audit_words import ACTION_WORDS
from smmod.context import AppContext
from smmod.identity import Actor
from smmod.ui.audit.columns import DETAILS_MIN, column_fits
from smmod.ui.audit.model import (
    COL_ACTION,
    COL_DETAILS,
    COL_ID,
    COL_REASON,
    COL_SUBJECT,
    COL_WHEN,
    COL_WHO,
    ObjectRole,
)
from smmod.ui.audit.page import AuditPage
from smmod.ui.mainwindow import MainWindow
from smmod.ui.tasks import TaskRunner
from tests.ui.test_layout import column_rect, shown_in_full

pytestmark = pytest.mark.qt_log_ignore(r"^This plugin does not support propagateSizeHints\(\)")
TIMEOUT = 30_000  # a bound, not a target: waits end as soon as the answer comes
MACHINE_KEY = re.compile(r"^[a-z_]+(\.[a-z_]+)+$")  # "credential.reveal_history"
LONG_SUBJECT = "job_title:Assistant Headteacher for Behaviour, Safeguarding and Attendance"
LONG_NOTE = ("Parent asked on Facebook why the photo of the Year 6 leavers' assembly was "
             "taken down; explained it was a do-not-publish pupil and offered another photo")

ENTRIES = [  # action, subject, details
    ("credential.reveal_history", "account:12/credential:345",
     {"login_name": "office@brookfieldprimary.example", "version": 3}),
    ("image.no_people_confirmed", "image_check:88",
     {"file": "IMG_20261201_143000_sports_day_relay_final.jpg", "region": 2}),
    ("moderation.incident_note", "incident:7", {"note": LONG_NOTE}),
    ("staff.titles.set", LONG_SUBJECT, {"title": "Assistant Headteacher", "roles": [[], ["slt"]]}),
    ("image.no_people_later", "image_check:89", {"file": "newer-version.jpg"}),  # unknown here
]


@pytest.fixture
def page(qtbot, ctx: AppContext, people: dict[str, Actor], runner: TaskRunner,
         show: Callable[[QWidget], QWidget]) -> AuditPage:
    with ctx.session_factory.begin() as session:
        for action, subject, details in ENTRIES:
            audit.record(session, actor=people["admin2"].username, action=action,
                         subject=subject, details=details,
                         reason="Checking what the leaver could still see")
    window = show(MainWindow(ctx, runner))  # at 1280×720
    assert isinstance(window, MainWindow)
    window.show_page("audit")
    shown = window.page("audit")
    assert isinstance(shown, AuditPage)
    qtbot.waitUntil(lambda: shown.model.rowCount() >= len(ENTRIES), timeout=TIMEOUT)
    QApplication.processEvents()
    assert window.width() == 1280 and window.height() == 720
    return shown


def tip(page: AuditPage, row: int, column: int) -> str:
    return str(page.model.index(row, column).data(Qt.ItemDataRole.ToolTipRole) or "")


def row_of(page: AuditPage, action: str) -> int:
    for row in range(page.model.rowCount()):
        if page.model.index(row, COL_ID).data(ObjectRole).action == action:
            return row
    raise AssertionError(f"no {action} entry shown")


def test_no_cell_shows_a_machine_key_and_the_tooltip_has_it(page: AuditPage) -> None:
    model = page.model
    for row in range(model.rowCount()):
        key = model.index(row, COL_ID).data(ObjectRole).action
        words = model.index(row, COL_ACTION).data()
        assert not MACHINE_KEY.match(words), f"row {row} shows {words!r}"
        assert words == ACTION_WORDS.get(key, words)
        assert f"Action key: {key}" in tip(page, row, COL_ACTION)
        assert words in tip(page, row, COL_ACTION)
    reveal = row_of(page, "credential.reveal_history")
    assert model.index(reveal, COL_ACTION).data() == "Password history revealed"
    # An action from a newer version reads tidily rather than as its key, or a crash.
    assert model.index(row_of(page, "image.no_people_later"), COL_ACTION).data() \
        == "Image: no people later"


def test_every_action_name_is_shown_whole(page: AuditPage) -> None:
    table = page.table
    for row in range(page.model.rowCount()):
        whole, _option = shown_in_full(table, row, COL_ACTION)
        assert whole, page.model.index(row, COL_ACTION).data()


def test_the_detail_pane_says_the_action_in_words(qtbot, page: AuditPage) -> None:
    page.table.selectRow(row_of(page, "credential.reveal_history"))
    qtbot.waitUntil(lambda: bool(page.details_view.toPlainText()), timeout=TIMEOUT)
    first = page.details_view.toPlainText().splitlines()[0]
    assert "Password history revealed" in first
    assert "credential.reveal_history" not in first


def test_the_action_filter_lists_words_and_matches_keys(qtbot, page: AuditPage) -> None:
    combo = page.action_combo
    qtbot.waitUntil(lambda: combo.count() > len(ENTRIES), timeout=TIMEOUT)
    labels = [combo.itemText(i) for i in range(1, combo.count())]
    assert not [label for label in labels if MACHINE_KEY.match(label)]
    assert labels == sorted(labels, key=str.lower)
    with qtbot.waitSignal(page.entries_loaded, timeout=TIMEOUT):
        combo.setCurrentText("Password history revealed")
    assert page.current_filter().action == "credential.reveal_history"
    assert page.model.rowCount() == 1


def test_subject_and_details_are_readable_at_1280x720(page: AuditPage) -> None:
    table = page.table
    viewport = table.viewport().rect()
    assert not table.horizontalScrollBar().isVisible()
    for column in (COL_ID, COL_WHEN, COL_WHO, COL_ACTION, COL_SUBJECT, COL_REASON, COL_DETAILS):
        assert column_rect(table, column).right() <= viewport.right(), column
    # Details is the text column: it takes the slack and keeps a readable width.
    assert table.columnWidth(COL_DETAILS) >= DETAILS_MIN
    assert column_rect(table, COL_DETAILS).right() >= viewport.right() - 1
    fits = column_fits(table)
    assert table.columnWidth(COL_SUBJECT) >= fits[COL_SUBJECT].floor
    # The usual subjects read in full; the long one is cut in the middle, whole in its tip.
    model = page.model
    cut_subjects = []
    for row in range(model.rowCount()):
        subject = model.index(row, COL_SUBJECT).data()
        whole, option = shown_in_full(table, row, COL_SUBJECT)
        if not whole:
            cut_subjects.append(subject)
            assert option.textElideMode == Qt.TextElideMode.ElideMiddle
        assert subject in tip(page, row, COL_SUBJECT)
    assert cut_subjects == [LONG_SUBJECT]
    assert shown_in_full(table, row_of(page, "credential.reveal_history"), COL_SUBJECT)[0]
    # Long details are cut at the end; their tooltip has every value.
    note = row_of(page, "moderation.incident_note")
    whole, option = shown_in_full(table, note, COL_DETAILS)
    assert not whole and option.textElideMode == Qt.TextElideMode.ElideRight
    assert LONG_NOTE in tip(page, note, COL_DETAILS)
    photo = row_of(page, "image.no_people_confirmed")
    assert "IMG_20261201_143000_sports_day_relay_final.jpg" in tip(page, photo, COL_DETAILS)


def test_columns_are_measured_on_the_rows_on_screen_only(page: AuditPage) -> None:
    table = page.table
    precision = table.horizontalHeader().resizeContentsPrecision()
    rows_on_screen = table.viewport().height() // table.verticalHeader().defaultSectionSize() + 1
    assert 1 <= precision <= rows_on_screen
