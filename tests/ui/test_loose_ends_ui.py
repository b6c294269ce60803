"""The handover's and staff register's loose ends, through the real widgets (issue 11, item 12).

The "Waiting for the platform" list is driven in test_handover_wizard.py and the audit
trail's "Who" column in test_audit_page.py.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, QPoint, Qt
from PySide6.QtWidgets import QAbstractButton, QWidget

from smmod import audit
from smmod import formatting as fmt
from smmod.audit import AuditFilter
from smmod.context import AppContext, open_context
from smmod.ui.accounts.model import COL_HANDLE, COL_STATUS, ObjectRole
from smmod.ui.accounts.page import AccountsPage
from smmod.ui.dialogs.firstrun import FirstRunDialog
from smmod.ui.handover.wizard import HandoverWizard
from smmod.ui.pages import PageDeps
from smmod.ui.staff.page import StaffPage
from smmod.ui.tasks import TaskRunner
from tests.accounts.helpers import TEST_SERVICE, MemoryKeyring
from tests.conftest import SUITE_TODAY, TRAINED
from tests.handover.helpers import Scene, build_scene, full_plan
from tests.ui.conftest import Messages

TIMEOUT = 30_000  # a bound, not a target: waits end as soon as the answer comes
LEAVING_SOON = SUITE_TODAY + timedelta(days=16)
pytestmark = pytest.mark.qt_log_ignore(r"^This plugin does not support propagateSizeHints\(\)")


@pytest.fixture
def scene(ctx, people) -> Scene:
    return build_scene(ctx, people, MemoryKeyring(), TEST_SERVICE)


def click(qtbot, button: QAbstractButton) -> None:
    assert button.isEnabled(), f"{button.text()} is disabled"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton,
                     pos=QPoint(min(8, button.width() // 2), button.height() // 2))


def test_a_transferred_account_shows_the_handover_not_a_risk(
        qtbot, scene: Scene, deps: PageDeps, show: Callable[[QWidget], QWidget]) -> None:
    scene.handover.start(scene.people["head"], scene.leaver.staff_id, LEAVING_SOON)
    draft = scene.handover.drafts()[0]
    scene.handover.apply(scene.people["head"], draft.id, draft.version_id,
                         replace(full_plan(scene), leaving_on=LEAVING_SOON))
    page = show(AccountsPage(deps))
    assert isinstance(page, AccountsPage)
    with qtbot.waitSignal(page.accounts_loaded, timeout=TIMEOUT):
        page.refresh()
    rows = {page.proxy.index(r, COL_HANDLE).data(ObjectRole).handle: r
            for r in range(page.proxy.rowCount())}
    status = page.proxy.index(rows["@oakfield_pe"], COL_STATUS)
    note = f"handover to Morgan Moderator on {fmt.day(LEAVING_SOON)}"
    assert status.data() == f"Active · {note}"
    assert status.data(Qt.ItemDataRole.ToolTipRole).startswith(f"Planned: {note}.")
    assert "at risk" not in page.summary_label.text()
    with qtbot.waitSignal(page.detail_loaded, timeout=TIMEOUT):
        assert page.select_account(scene.pe)
    assert note in page.detail.subtitle_label.text()
    assert not page.detail.risk_label.isVisible()


@pytest.fixture
def staff_page(qtbot, scene: Scene, deps: PageDeps, show: Callable[[QWidget], QWidget]) -> StaffPage:
    page = show(StaffPage(deps))
    assert isinstance(page, StaffPage)
    with qtbot.waitSignal(page.records_loaded, timeout=TIMEOUT):
        page.refresh()
    return page


def select(page: StaffPage, username: str) -> None:
    assert page.select_staff(page._ctx.staff.by_username(username).id)
    page.table.setFocus()


def test_deactivating_a_lead_offers_the_handover_wizard_for_them(
        qtbot, ctx: AppContext, staff_page: StaffPage, msgs: Messages) -> None:
    select(staff_page, "run1")
    msgs.choice_answers.append(0)  # "Start a handover…"
    click(qtbot, staff_page.buttons["deactivate"])
    qtbot.waitUntil(lambda: staff_page.deactivation.wizard is not None, timeout=TIMEOUT)
    [(title, text)] = msgs.of("choose")
    assert title == "Deactivate Riley Runner"
    assert text.startswith("Riley Runner still:\n• runs lead of @oakfield_music (facebook), "
                           "lead of @oakfield_pe (instagram)\n• may know 2 passwords")
    assert "• leads Incident #1: Abusive comments on the fixtures post" in text
    assert text.endswith("[Start a &handover… | &Deactivate anyway…]")
    wizard = staff_page.deactivation.wizard
    assert isinstance(wizard, HandoverWizard)
    combo = wizard.person_page.person_combo
    qtbot.waitUntil(lambda: combo.chosen() == ctx.staff.by_username("run1").id, timeout=TIMEOUT)
    assert combo.currentText() == "Riley Runner"
    assert ctx.staff.by_username("run1").active  # nothing deactivated
    assert audit.query(ctx.session_factory, AuditFilter(action="staff.deactivate")) == []
    wizard.reject()


def test_deactivating_anyway_asks_why_and_records_what_was_left(
        qtbot, ctx: AppContext, staff_page: StaffPage, msgs: Messages) -> None:
    select(staff_page, "run1")
    msgs.choice_answers.append(1)  # "Deactivate anyway…"
    msgs.text_answers.append("Dismissed; accounts handed over by phone")
    with qtbot.waitSignal(staff_page.records_loaded, timeout=TIMEOUT):
        click(qtbot, staff_page.buttons["deactivate"])
    qtbot.waitUntil(lambda: not ctx.staff.by_username("run1").active, timeout=TIMEOUT)
    [(_title, label)] = msgs.of("ask_text")
    assert "without a handover" in label
    [entry] = audit.query(ctx.session_factory, AuditFilter(action="staff.deactivate"))
    assert entry.reason == "Dismissed; accounts handed over by phone"
    assert entry.details["without_handover"]["incidents"] == [
        "Incident #1: Abusive comments on the fixtures post"]


def test_cancelling_the_offer_changes_nothing(
        qtbot, ctx: AppContext, staff_page: StaffPage, runner: TaskRunner, msgs: Messages) -> None:
    select(staff_page, "run1")
    msgs.choice_answers.append(None)
    click(qtbot, staff_page.buttons["deactivate"])
    qtbot.waitUntil(lambda: bool(msgs.of("choose")), timeout=TIMEOUT)
    assert runner.wait(TIMEOUT)
    assert ctx.staff.by_username("run1").active and staff_page.deactivation.wizard is None


def test_someone_holding_nothing_gets_the_plain_question(
        qtbot, ctx: AppContext, staff_page: StaffPage, msgs: Messages) -> None:
    select(staff_page, "run3")
    msgs.confirm_answers.append(True)
    msgs.text_answers.append("Left in July")
    with qtbot.waitSignal(staff_page.records_loaded, timeout=TIMEOUT):
        click(qtbot, staff_page.buttons["deactivate"])
    qtbot.waitUntil(lambda: not ctx.staff.by_username("run3").active, timeout=TIMEOUT)
    assert msgs.of("choose") == [] and msgs.of("confirm")[0][0] == "Deactivate Casey Cover"


def test_the_first_person_records_their_own_reading_and_training(
        qtbot, smmod_home: Path) -> None:
    ctx = open_context(str(smmod_home))
    try:
        dialog = FirstRunDialog(ctx, "head")
        qtbot.addWidget(dialog)
        qtbot.keyClicks(dialog.school_edit, "Oakfield Academy")
        qtbot.keyClicks(dialog.name_edit, "Hannah Head")
        today = ctx.clock.today()
        assert dialog.trained_date.edit.maximumDate() == QDate(today.year, today.month, today.day)
        for field in (dialog.policy_date, dialog.trained_date):
            field.check.setChecked(True)
            field.edit.setDate(QDate(TRAINED.year, TRAINED.month, TRAINED.day))
        dialog.accept()
        assert dialog.result() == FirstRunDialog.DialogCode.Accepted
        me = ctx.staff.by_username("head")
        assert (me.policy_read_on, me.trained_on) == (TRAINED, TRAINED)
        assert me.eligibility.eligible
    finally:
        ctx.close()
