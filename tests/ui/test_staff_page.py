"""The Staff page, driven through its real widgets against a real database."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, QModelIndex, QPoint, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QAbstractButton, QLabel, QWidget

from smmod import audit
from smmod import formatting as fmt
from smmod.audit import AuditFilter
from smmod.context import AppContext
from smmod.identity import Actor
from smmod.staff.eligibility import add_months
from smmod.staff.service import IMPORT_FIELDS, StaffInput
from smmod.ui.pages import PageDeps
from smmod.ui.staff import import_dialogs
from smmod.ui.staff.dialogs import StaffDialog
from smmod.ui.staff.import_dialogs import ImportMappingDialog, ImportProblemsDialog
from smmod.ui.staff.import_preview import ImportPreviewDialog
from smmod.ui.staff.model import (
    COL_ELIGIBLE,
    COL_EXPIRES,
    COL_NAME,
    COL_USERNAME,
    ObjectRole,
    StaffTableModel,
    empty_text,
    summary_text,
)
from smmod.ui.staff.page import StaffPage
from smmod.ui.staff.widgets import OptionalDateEdit
from smmod.ui.tasks import TaskRunner
from tests.conftest import SUITE_TODAY, TRAINED
from tests.ui.conftest import Messages

TIMEOUT = 30_000  # a bound, not a target: waits end as soon as the answer comes
# The offscreen platform plugin cannot resize windows to their size hints and says so
# whenever a shown top-level widget's minimum size changes; real platforms do not.
pytestmark = pytest.mark.qt_log_ignore(r"^This plugin does not support propagateSizeHints\(\)")


# -- helpers ---------------------------------------------------------------------------
def make_page(qtbot, deps: PageDeps, show: Callable[[QWidget], QWidget]) -> StaffPage:
    page = show(StaffPage(deps))
    with qtbot.waitSignal(page.records_loaded, timeout=TIMEOUT):
        page.refresh()
    return page


def visible(page: StaffPage, column: int = COL_USERNAME) -> list[str]:
    proxy = page.proxy
    return [proxy.index(row, column).data() for row in range(proxy.rowCount())]


def cell(page: StaffPage, username: str, column: int,
         role: int = Qt.ItemDataRole.DisplayRole) -> object:
    proxy = page.proxy
    for row in range(proxy.rowCount()):
        if proxy.index(row, COL_USERNAME).data() == username:
            return proxy.index(row, column).data(role)
    raise AssertionError(f"{username} is not in the table")


def select(page: StaffPage, username: str) -> None:
    record = page._ctx.staff.by_username(username)
    assert page.select_staff(record.id)
    page.table.setFocus()


def click(qtbot, button: QAbstractButton) -> None:
    """Click near the left edge, where a check box's indicator and label are."""
    assert button.isEnabled(), f"{button.text()} is disabled"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton,
                     pos=QPoint(min(8, button.width() // 2), button.height() // 2))


def open_dialog(qtbot, page: StaffPage, button: str) -> StaffDialog:
    click(qtbot, page.buttons[button])
    qtbot.waitUntil(lambda: isinstance(page.current_dialog(), StaffDialog), timeout=TIMEOUT)
    dialog = page.current_dialog()
    assert isinstance(dialog, StaffDialog)
    return dialog


def save(qtbot, page: StaffPage, dialog: StaffDialog) -> None:
    with qtbot.waitSignal(page.records_loaded, timeout=TIMEOUT):
        click(qtbot, dialog.save_button)
    assert page.current_dialog() is None


def entries(ctx: AppContext, action: str) -> list[audit.AuditRecord]:
    return audit.query(ctx.session_factory, AuditFilter(action=action))


@pytest.fixture
def page(qtbot, deps: PageDeps, people: dict[str, Actor], show) -> StaffPage:
    return make_page(qtbot, deps, show)


# -- the list ---------------------------------------------------------------------------
def test_models_pass_the_model_tester(qtmodeltester, page: StaffPage) -> None:
    assert page.model.rowCount() == 7
    qtmodeltester.check(page.model)
    qtmodeltester.check(page.proxy)
    qtmodeltester.check(StaffTableModel())


def test_lists_active_people_sorted_by_name_with_a_summary(page: StaffPage) -> None:
    assert visible(page, COL_NAME) == sorted(visible(page, COL_NAME))
    assert set(visible(page)) == {"head", "slt2", "admin2", "mod1", "run1", "run2", "vol1"}
    assert page.summary_label.text() == "7 people  ·  5 eligible to run accounts"
    assert not page.readonly_banner.isVisible()


def test_ineligible_reason_is_shown_as_text_and_tooltip(page: StaffPage) -> None:
    assert cell(page, "run1", COL_ELIGIBLE) == "Yes"
    text = cell(page, "vol1", COL_ELIGIBLE)
    assert text == "No — has not read the social media policy; has not completed training"
    tip = str(cell(page, "vol1", COL_ELIGIBLE, Qt.ItemDataRole.ToolTipRole))
    assert "may not run school accounts" in tip
    assert "<li>has not completed training</li>" in tip
    good = cell(page, "run1", COL_ELIGIBLE, Qt.ItemDataRole.BackgroundRole)
    bad = cell(page, "vol1", COL_ELIGIBLE, Qt.ItemDataRole.BackgroundRole)
    assert good.color() != bad.color()
    assert cell(page, "run1", COL_EXPIRES) == fmt.day(add_months(TRAINED, 12))


def test_search_narrows_the_list_and_explains_an_empty_result(qtbot, page: StaffPage) -> None:
    page.search_edit.setFocus()
    qtbot.keyClicks(page.search_edit, "runner")
    assert sorted(visible(page)) == ["run1", "run2"]
    page.search_edit.clear()
    qtbot.keyClicks(page.search_edit, "parent volunteer")
    assert visible(page) == ["vol1"]
    page.search_edit.clear()
    qtbot.keyClicks(page.search_edit, "nobody-like-this")
    assert visible(page) == []
    assert page.empty_label.isVisible()
    assert "nobody-like-this" in page.empty_label.text()
    page.search_edit.clear()
    assert page.table.isVisible()
    assert len(visible(page)) == 7


# -- adding -----------------------------------------------------------------------------
def test_add_a_person_through_the_form(qtbot, ctx: AppContext, page: StaffPage) -> None:
    dialog = open_dialog(qtbot, page, "add")
    qtbot.keyClicks(dialog.name_edit, "Pat Newcomer")
    qtbot.keyClicks(dialog.username_edit, "pnew")
    qtbot.keyClicks(dialog.email_edit, "pnew@school.example")
    click(qtbot, dialog.role_checks["staff"])
    click(qtbot, dialog.role_checks["volunteer"])
    assert "Not eligible" in dialog.preview_label.text()
    click(qtbot, dialog.policy_date.check)
    click(qtbot, dialog.trained_date.check)
    trained = SUITE_TODAY - timedelta(days=90)
    dialog.trained_date.edit.setDate(QDate(trained.year, trained.month, trained.day))
    assert dialog.expiry_label.text().endswith(fmt.day(add_months(trained, 12)))
    assert "✔ Eligible" in dialog.preview_label.text()
    save(qtbot, page, dialog)

    assert "pnew" in visible(page)
    assert cell(page, "pnew", COL_ELIGIBLE) == "Yes"
    assert page.selected_record().username == "pnew"
    record = ctx.staff.by_username("pnew")
    assert record.roles == {"staff", "volunteer"}
    assert record.email == "pnew@school.example"
    assert record.policy_read_on == SUITE_TODAY
    assert record.trained_on == trained
    assert record.leaving_on is None and record.r12_declared_on is None
    assert entries(ctx, "staff.add")[0].subject == f"staff:{record.id}"


@pytest.mark.parametrize(("name", "username", "role", "expected"), [
    ("", "someone", "staff", "Full name: a name is required"),
    ("Some One", "", "staff", "Username: an OS username without spaces is required"),
    ("Some One", "some one", "staff", "Username: an OS username without spaces is required"),
    ("Some One", "run1", "staff", "Username: 'run1' is already in the staff register"),
    ("Some One", "someone", None, "Roles: at least one role is required"),
])
def test_a_refused_form_stays_open_and_names_the_field(
        qtbot, ctx: AppContext, page: StaffPage, name: str, username: str,
        role: str | None, expected: str) -> None:
    before = ctx.staff.count()
    dialog = open_dialog(qtbot, page, "add")
    qtbot.keyClicks(dialog.name_edit, name)
    qtbot.keyClicks(dialog.username_edit, username)
    if role:
        click(qtbot, dialog.role_checks[role])
    click(qtbot, dialog.save_button)
    qtbot.waitUntil(lambda: dialog.error_text() != "", timeout=TIMEOUT)
    assert dialog.error_text() == expected
    assert page.current_dialog() is dialog and dialog.isVisible()
    assert ctx.staff.count() == before
    dialog.reject()


def test_bad_email_is_refused(qtbot, ctx: AppContext, page: StaffPage) -> None:
    dialog = open_dialog(qtbot, page, "add")
    qtbot.keyClicks(dialog.name_edit, "Some One")
    qtbot.keyClicks(dialog.username_edit, "someone")
    qtbot.keyClicks(dialog.email_edit, "not-an-email")
    click(qtbot, dialog.role_checks["staff"])
    click(qtbot, dialog.save_button)
    qtbot.waitUntil(lambda: dialog.error_text() != "", timeout=TIMEOUT)
    assert dialog.error_text() == "Email: 'not-an-email' is not an email address"
    dialog.reject()


# -- editing ----------------------------------------------------------------------------
def test_edit_a_person(qtbot, ctx: AppContext, page: StaffPage) -> None:
    select(page, "run1")
    dialog = open_dialog(qtbot, page, "edit")
    assert dialog.name_edit.text() == "Riley Runner"
    assert dialog.role_checks["staff"].isChecked()
    assert not dialog.role_checks["slt"].isChecked()
    assert dialog.trained_date.value() == TRAINED
    assert dialog.leaving_date.value() is None
    assert dialog.leaving_date.edit.text() == "Not set"
    dialog.name_edit.clear()
    qtbot.keyClicks(dialog.name_edit, "Riley Runner-Smith")
    leaving = SUITE_TODAY + timedelta(days=30)
    click(qtbot, dialog.leaving_date.check)
    dialog.leaving_date.edit.setDate(QDate(leaving.year, leaving.month, leaving.day))
    click(qtbot, dialog.r12_date.check)
    save(qtbot, page, dialog)

    assert cell(page, "run1", COL_NAME) == "Riley Runner-Smith"
    assert cell(page, "run1", COL_ELIGIBLE) == f"No — leaving on {fmt.day(leaving)}"
    record = ctx.staff.by_username("run1")
    assert record.r12_declared_on == SUITE_TODAY
    changes = entries(ctx, "staff.edit")[0].details
    assert changes["name"] == ["Riley Runner", "Riley Runner-Smith"]
    assert "leaving_on" in changes and "roles" not in changes


def test_clearing_an_optional_date_saves_none(qtbot, ctx: AppContext, page: StaffPage) -> None:
    select(page, "run2")
    dialog = open_dialog(qtbot, page, "edit")
    click(qtbot, dialog.policy_date.check)  # untick: the policy date goes
    assert dialog.policy_date.value() is None
    save(qtbot, page, dialog)
    assert ctx.staff.by_username("run2").policy_read_on is None
    assert cell(page, "run2", COL_ELIGIBLE) == "No — has not read the social media policy"


def test_conflict_on_save_offers_reload(qtbot, ctx: AppContext, page: StaffPage,
                                        msgs: Messages) -> None:
    select(page, "run2")
    dialog = open_dialog(qtbot, page, "edit")
    current = ctx.staff.by_username("run2")
    ctx.staff.update(ctx.actor, current.id, current.version_id, StaffInput(
        name="Robin Elsewhere", username="run2", roles=current.roles,
        policy_read_on=current.policy_read_on, trained_on=current.trained_on))
    dialog.name_edit.clear()
    qtbot.keyClicks(dialog.name_edit, "Robin Mine")
    msgs.confirm_answers.append(True)
    with qtbot.waitSignal(page.records_loaded, timeout=TIMEOUT):
        click(qtbot, dialog.save_button)
    assert msgs.of("confirm")[0][0] == "Changed elsewhere"
    assert dialog.name_edit.text() == "Robin Elsewhere"
    assert "Reloaded the latest details" in dialog.error_text()
    assert cell(page, "run2", COL_NAME) == "Robin Elsewhere"
    dialog.name_edit.clear()
    qtbot.keyClicks(dialog.name_edit, "Robin Mine")
    save(qtbot, page, dialog)
    assert ctx.staff.by_username("run2").name == "Robin Mine"


def test_double_click_and_keys_open_the_editor(qtbot, page: StaffPage, msgs: Messages) -> None:
    with qtbot.waitActive(page):
        page.activateWindow()
    select(page, "mod1")
    qtbot.keyClick(page.table, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: isinstance(page.current_dialog(), StaffDialog), timeout=TIMEOUT)
    assert page.current_dialog().name_edit.text() == "Morgan Moderator"
    page.current_dialog().reject()
    qtbot.waitUntil(lambda: page.current_dialog() is None)
    page.activateWindow()
    select(page, "mod1")
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: isinstance(page.current_dialog(), StaffDialog), timeout=TIMEOUT)
    page.current_dialog().reject()
    qtbot.waitUntil(lambda: page.current_dialog() is None)
    page.activateWindow()
    qtbot.keyClick(page, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: isinstance(page.current_dialog(), StaffDialog), timeout=TIMEOUT)
    assert page.current_dialog().windowTitle() == "Add a person"
    page.current_dialog().reject()
    qtbot.waitUntil(lambda: page.current_dialog() is None)
    page.activateWindow()
    qtbot.keyClick(page, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert page.search_edit.hasFocus()
    select(page, "run1")
    msgs.confirm_answers.append(False)
    qtbot.keyClick(page.table, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: bool(msgs.of("confirm")), timeout=TIMEOUT)  # after a look at what they hold
    assert msgs.of("confirm")[0][0] == "Deactivate Riley Runner"


# -- deactivating -----------------------------------------------------------------------
def test_deactivate_with_confirmation_and_reason(qtbot, ctx: AppContext, page: StaffPage,
                                                 msgs: Messages) -> None:
    select(page, "run2")
    msgs.confirm_answers.append(True)
    msgs.text_answers.append("Left the school in July")
    with qtbot.waitSignal(page.records_loaded, timeout=TIMEOUT):
        click(qtbot, page.buttons["deactivate"])
    assert "run2" not in visible(page)
    record = ctx.staff.by_username("run2")
    assert not record.active
    [entry] = entries(ctx, "staff.deactivate")
    assert entry.subject == f"staff:{record.id}"
    assert entry.reason == "Left the school in July"
    assert entry.actor == "head"
    assert page.summary_label.text().endswith("1 deactivated")

    click(qtbot, page.show_inactive_check)
    assert "run2" in visible(page)
    assert cell(page, "run2", COL_NAME) == "Robin Runner (deactivated)"
    assert cell(page, "run2", COL_ELIGIBLE).startswith("No — deactivated")
    select(page, "run2")
    assert page.staff_actions.deactivate.text() == "Re&activate…"
    msgs.confirm_answers.append(True)
    msgs.text_answers.append("Came back")
    with qtbot.waitSignal(page.records_loaded, timeout=TIMEOUT):
        click(qtbot, page.buttons["deactivate"])
    assert ctx.staff.by_username("run2").active
    assert entries(ctx, "staff.reactivate")[0].reason == "Came back"


@pytest.mark.parametrize(("confirmed", "reason"), [(False, None), (True, None)])
def test_cancelled_deactivation_changes_nothing(qtbot, ctx: AppContext, page: StaffPage,
                                                runner: TaskRunner, msgs: Messages, confirmed: bool,
                                                reason: str | None) -> None:
    select(page, "run1")
    msgs.confirm_answers.append(confirmed)
    if confirmed:
        msgs.text_answers.append(reason)
    click(qtbot, page.buttons["deactivate"])
    qtbot.waitUntil(lambda: not msgs.confirm_answers and not msgs.text_answers, timeout=TIMEOUT)
    assert runner.wait(TIMEOUT)
    assert ctx.staff.by_username("run1").active
    assert entries(ctx, "staff.deactivate") == []
    assert "run1" in visible(page)


def test_deactivating_yourself_is_refused_with_the_reason(qtbot, ctx: AppContext,
                                                          page: StaffPage, msgs: Messages) -> None:
    select(page, "head")
    msgs.confirm_answers.append(True)
    msgs.text_answers.append("testing")
    click(qtbot, page.buttons["deactivate"])
    qtbot.waitUntil(lambda: bool(msgs.of("error")), timeout=TIMEOUT)
    assert "cannot deactivate yourself" in msgs.of("error")[0][1]
    assert ctx.staff.by_username("head").active


# -- permissions ------------------------------------------------------------------------
def test_read_only_user_sees_the_list_but_cannot_edit(qtbot, ctx: AppContext,
                                                      people: dict[str, Actor],
                                                      deps: PageDeps, show) -> None:
    ctx.refresh_actor("stranger")
    assert ctx.actor.read_only
    page = make_page(qtbot, deps, show)
    assert page.model.rowCount() == 7
    assert page.readonly_banner.isVisible()
    assert "Read-only" in page.readonly_banner.text()
    select(page, "run1")
    for key in ("add", "edit", "deactivate", "import"):
        button = page.buttons[key]
        assert not button.isEnabled(), key
        assert "Read-only: you (stranger) have no record" in button.toolTip(), key
    with qtbot.waitActive(page):
        page.activateWindow()
    qtbot.keyClick(page.table, Qt.Key.Key_F2)
    qtbot.mouseDClick(page.table.viewport(), Qt.MouseButton.LeftButton,
                      pos=page.table.visualRect(page.table.currentIndex()).center())
    assert page.current_dialog() is None


def test_moderator_cannot_edit_the_register(qtbot, ctx: AppContext, people: dict[str, Actor],
                                            deps: PageDeps, show) -> None:
    ctx.refresh_actor("mod1")
    page = make_page(qtbot, deps, show)
    assert not page.buttons["add"].isEnabled()
    assert page.buttons["add"].toolTip() == "Only SLT or administrators can change the staff register."


# -- import -----------------------------------------------------------------------------
GOOD_CSV = (
    "Full Name,Login,E-mail,Role,Policy signed,Training date,Year group\n"
    "Quinn Quill,qquill,qq@school.example,staff,01/09/2026,02/09/2026,7\n"
    "Ash Archer,aarcher,,volunteer; parent volunteer,2026-09-01,,8\n"
    "Blair Brook,bbrook,bb@school.example,,,,9\n"
)


def start_import(qtbot, page: StaffPage, monkeypatch: pytest.MonkeyPatch,
                 path: Path) -> ImportMappingDialog:
    monkeypatch.setattr(import_dialogs, "choose_import_file", lambda parent: path)
    click(qtbot, page.buttons["import"])
    qtbot.waitUntil(lambda: isinstance(page.current_dialog(), ImportMappingDialog),
                    timeout=TIMEOUT)
    dialog = page.current_dialog()
    assert isinstance(dialog, ImportMappingDialog)
    return dialog


def open_preview(qtbot, page: StaffPage, dialog: ImportMappingDialog) -> ImportPreviewDialog:
    click(qtbot, dialog.import_button)
    qtbot.waitUntil(lambda: isinstance(page.current_dialog(), ImportPreviewDialog),
                    timeout=TIMEOUT)
    preview = page.current_dialog()
    assert isinstance(preview, ImportPreviewDialog)
    return preview


def test_import_through_the_mapping_dialog(qtbot, ctx: AppContext, page: StaffPage,
                                           tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "staff.csv"
    path.write_text(GOOD_CSV, encoding="utf-8")
    dialog = start_import(qtbot, page, monkeypatch, path)
    assert dialog.combos["name"].currentText() == "Full Name"
    assert dialog.combos["username"].currentText() == "Login"
    assert dialog.combos["email"].currentText() == "E-mail"
    assert dialog.combos["trained_on"].currentText() == "Training date"
    assert dialog.combos["leaving_on"].currentText() == "— not imported —"
    assert dialog.preview.rowCount() == 3
    assert dialog.preview.item(0, 0).text() == "Quinn Quill"
    assert dialog.preview.horizontalHeaderItem(0).text() == "Full name\n← Full Name"
    assert dialog.import_button.text() == "&Preview the import of 3 rows…"
    assert dialog.import_button.isEnabled()

    preview = open_preview(qtbot, page, dialog)
    assert preview.apply_button.isEnabled()
    with qtbot.waitSignal(page.records_loaded, timeout=TIMEOUT):
        click(qtbot, preview.apply_button)
    assert {"qquill", "aarcher", "bbrook"} <= set(visible(page))
    assert page.notice_label.text() == "Imported 3 new people, updated 0, deactivated 0."
    ash = ctx.staff.by_username("aarcher")
    assert ash.roles == {"volunteer", "parent_volunteer"}
    assert ctx.staff.by_username("bbrook").roles == {"staff"}
    assert ctx.staff.by_username("qquill").trained_on == date(2026, 9, 2)
    assert entries(ctx, "staff.import")[0].details["rows"] == 3


def test_import_mapping_requires_the_required_fields(qtbot, page: StaffPage, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "staff.csv"
    path.write_text(GOOD_CSV, encoding="utf-8")
    dialog = start_import(qtbot, page, monkeypatch, path)
    dialog.combos["username"].setCurrentIndex(0)
    assert not dialog.import_button.isEnabled()
    assert dialog.hint.text() == "Choose a column for: Username"
    username_column = IMPORT_FIELDS.index("username")
    assert dialog.preview.horizontalHeaderItem(username_column).text() == "Username\n(not imported)"
    dialog.combos["username"].setCurrentText("Login")
    assert dialog.import_button.isEnabled()
    dialog.reject()


def test_bad_import_imports_nothing_and_names_every_row(
        qtbot, ctx: AppContext, page: StaffPage, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(
        "Full Name,Login,Role,Training date\n"
        "Good Person,good1,staff,2026-09-01\n"
        "Bad Date,bdate,staff,31/13/2026\n"
        "Twice Wrong,two words,wizard,\n"
        ",noname,staff,\n"
        "Odd Role,orole,wizard,\n",
        encoding="utf-8")
    before = ctx.staff.count()
    dialog = start_import(qtbot, page, monkeypatch, path)
    click(qtbot, dialog.import_button)  # the preview finds the problems: nothing to apply
    qtbot.waitUntil(lambda: isinstance(page.current_dialog(), ImportProblemsDialog),
                    timeout=TIMEOUT)
    problems = page.current_dialog()
    assert isinstance(problems, ImportProblemsDialog)
    rows = [[problems.table.item(r, c).text() for c in range(3)]
            for r in range(problems.table.rowCount())]
    assert [r[:2] for r in rows] == [["3", "Training date"], ["4", "Login"], ["4", "Role"],
                                     ["5", "Full Name"], ["6", "Role"]]
    assert "'31/13/2026' is not a date" in rows[0][2]
    assert "without spaces" in rows[1][2]
    assert "unknown role wizard" in rows[2][2] and "unknown role wizard" in rows[4][2]
    summary = problems.findChild(QLabel, "problems_summary")
    assert summary.text().startswith(
        "<b>Nothing was imported.</b> bad.csv has 4 bad rows (5 problems)")
    assert ctx.staff.count() == before
    assert entries(ctx, "staff.import") == []

    click(qtbot, _copy_button(problems))
    copied = QGuiApplication.clipboard().text()
    assert copied.splitlines()[1] == "row\tcolumn\tproblem"
    assert copied.splitlines()[2].startswith("3\tTraining date\t'31/13/2026' is not a date")
    assert len(copied.splitlines()) == 7
    problems.reject()


def _copy_button(dialog: ImportProblemsDialog) -> QAbstractButton:
    [button] = [b for b in dialog.findChildren(QAbstractButton) if b.text() == "&Copy all"]
    return button


def test_unreadable_import_file_is_reported(qtbot, page: StaffPage, tmp_path: Path,
                                            msgs: Messages,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    monkeypatch.setattr(import_dialogs, "choose_import_file", lambda parent: path)
    click(qtbot, page.buttons["import"])
    qtbot.waitUntil(lambda: bool(msgs.of("error")), timeout=TIMEOUT)
    assert "the file is empty" in msgs.of("error")[0][1]
    assert page.current_dialog() is None


def test_cancelled_file_choice_does_nothing(qtbot, page: StaffPage,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(import_dialogs, "choose_import_file", lambda parent: None)
    click(qtbot, page.buttons["import"])
    assert page.current_dialog() is None


# -- widgets ----------------------------------------------------------------------------
def test_optional_date_never_invents_a_date(qtbot) -> None:
    field = OptionalDateEdit("On", "Some date", today=lambda: SUITE_TODAY)
    qtbot.addWidget(field)
    assert field.value() is None
    assert field.edit.text() == "Not set" and not field.edit.isEnabled()
    with qtbot.waitSignal(field.date_changed) as blocker:
        field.check.setChecked(True)
    assert blocker.args == [SUITE_TODAY]
    field.set_value(date(2025, 2, 28))
    assert field.value() == date(2025, 2, 28)
    field.check.setChecked(False)
    assert field.value() is None and field.edit.text() == "Not set"
    field.set_value(date(2000, 1, 1))  # the sentinel's own day is still a real date
    assert field.value() == date(2000, 1, 1) and field.edit.text() == "1 Jan 2000"


def test_object_role_gives_the_record(page: StaffPage) -> None:
    index = page.model.index(0, COL_NAME)
    assert page.model.data(index, ObjectRole).name == index.data()
    assert page.model.data(QModelIndex()) is None
    assert page.model.record(99) is None


def test_empty_and_summary_texts_cover_every_case(page: StaffPage) -> None:
    records = page.model.records()
    assert empty_text("  ", 0) == ("The staff register is empty.\n"
                                   "Add a person (Ctrl+N) or import a CSV file (Ctrl+I).")
    assert empty_text("", 3).startswith("Everyone in the register is deactivated.")
    assert empty_text(" zed ", 3) == "No one in the register matches “zed”."
    assert summary_text([]) == "0 people  ·  0 eligible to run accounts"
    assert summary_text(records[:1]).startswith("1 person  ·  ")
