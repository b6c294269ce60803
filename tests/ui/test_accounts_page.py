"""The Accounts page and the vault, driven through their widgets against a real database.

The keyring is an in-memory secure backend here (the service tests cover the real one);
message boxes go through the ``msgs`` fixture, which scripts the answers.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from keyring.backends import fail
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QAbstractButton, QWidget

from smmod import audit
from smmod import formatting as fmt
from smmod.accounts import AccountInput, AccountService, CredentialService
from smmod.ui.accounts.credential_dialogs import CredentialDialog
from smmod.ui.accounts.dialogs import AccountDialog
from smmod.ui.accounts.model import (
    COL_HANDLE,
    COL_REVIEW,
    COL_STATUS,
    AccountTableModel,
    CredentialTableModel,
    ObjectRole,
    PeopleModel,
)
from smmod.ui.accounts.page import AccountsPage
from smmod.ui.accounts.password_section import CURRENT_TITLE, PENDING_TITLE
from smmod.ui.accounts.vault_dialogs import PasswordHistoryDialog
from tests.accounts.helpers import (
    TEST_SERVICE,
    TODAY,
    MemoryKeyring,
    StubbornKeyring,
    active_account,
    draft_input,
    make_accounts,
    make_credentials,
)
from tests.ui.conftest import Messages

TIMEOUT = 30_000  # a bound, not a target: waits end as soon as the answer comes
pytestmark = pytest.mark.qt_log_ignore(r"^This plugin does not support propagateSizeHints\(\)")


@pytest.fixture
def accounts(ctx) -> AccountService:
    return make_accounts(ctx)


@pytest.fixture
def backend() -> MemoryKeyring:
    return MemoryKeyring()


@pytest.fixture
def creds(ctx, backend) -> CredentialService:
    return make_credentials(ctx, backend)


@pytest.fixture
def open_page(qtbot, deps, show, accounts, creds) -> Callable[[], AccountsPage]:
    def make() -> AccountsPage:
        page = show(AccountsPage(deps))
        page.resize(1400, 900)
        with qtbot.waitSignal(page.accounts_loaded, timeout=TIMEOUT):
            page.refresh()
        return page

    return make


def click(qtbot, button: QAbstractButton) -> None:
    assert button.isVisible(), f"{button.text()} is hidden"
    assert button.isEnabled(), f"{button.text()} is disabled: {button.toolTip()}"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton,
                     pos=QPoint(min(8, button.width() // 2), button.height() // 2))


def act_as(page: AccountsPage, qtbot, actor) -> None:
    """Someone else sits down at the page (the app would be started by them)."""
    page._ctx.actor = actor
    page._update_buttons()
    if page.selected_record() is not None:
        with qtbot.waitSignal(page.detail_loaded, timeout=TIMEOUT):
            page.reload_detail()


def select(page: AccountsPage, qtbot, account_id: int) -> None:
    with qtbot.waitSignal(page.detail_loaded, timeout=TIMEOUT):
        assert page.select_account(account_id)


def wait_status(page: AccountsPage, qtbot, status: str) -> None:
    qtbot.waitUntil(lambda: page.detail.view is not None
                    and page.detail.view.record.status == status, timeout=TIMEOUT)


def handles(page: AccountsPage) -> list[str]:
    proxy = page.proxy
    return [proxy.index(row, COL_HANDLE).data(ObjectRole).handle for row in range(proxy.rowCount())]


# -- the models ------------------------------------------------------------------------
def test_models_pass_the_model_tester(qtmodeltester, accounts, creds, people):
    account_id = active_account(accounts, people)
    accounts.draft(people["mod1"], draft_input(people, handle="@draft", aim=""))
    creds.add(people["head"], account_id, login_name="pe", secret="S3cret-harbour-kettle-1!")
    table = AccountTableModel()
    table.set_records(accounts.list())
    qtmodeltester.check(table)
    people_model = PeopleModel()
    people_model.set_records(list(accounts.get(account_id).people))
    qtmodeltester.check(people_model)
    credentials = CredentialTableModel()
    credentials.set_records(creds.list())
    qtmodeltester.check(credentials)
    assert table.index(0, COL_STATUS).data() in ("Draft", "Active")
    assert table.index(5, 0).data() is None  # out of range: no exception


# -- the whole story ----------------------------------------------------------------------
def test_draft_submit_approve_activate_then_store_copy_reveal_rotate_delete_close(
        qtbot, ctx, open_page, people, backend, msgs: Messages):
    ctx.actor = people["mod1"]
    page = open_page()
    click(qtbot, page.new_button)
    qtbot.waitUntil(lambda: isinstance(page.current_dialog(), AccountDialog), timeout=TIMEOUT)
    dialog = page.current_dialog()
    assert isinstance(dialog, AccountDialog)
    dialog.platform_combo.setCurrentIndex(dialog.platform_combo.findData("instagram"))
    qtbot.keyClicks(dialog.handle_edit, "@oakfield_pe")
    qtbot.keyClicks(dialog.aim_edit, "Celebrate PE fixtures")
    qtbot.keyClicks(dialog.audience_edit, "Parents and pupils")
    assert "R1: the business case is not complete" in dialog.preview_label.text()
    qtbot.keyClicks(dialog.promotion_edit, "Newsletter")
    dialog.open_radio.setChecked(True)
    dialog.lead_combo.setCurrentIndex(dialog.lead_combo.findData(people["run1"].staff_id))
    assert "R2: at least 2 staff members" in dialog.preview_label.text()
    dialog.set_checked(dialog.runners_list, [people["run2"].staff_id])
    assert dialog.preview_label.text() == "✓ Meets R1, R2 and R4: ready to submit."
    with qtbot.waitSignal(page.accounts_loaded, timeout=TIMEOUT):
        click(qtbot, dialog.save_button)
    assert handles(page) == ["@oakfield_pe"]
    account_id = page.model.records()[0].id
    select(page, qtbot, account_id)
    assert page.detail.title_label.text() == "@oakfield_pe"
    assert page.detail.case_labels["aim"].text() == "Celebrate PE fixtures"

    msgs.confirm_answers.append(True)
    click(qtbot, page.detail.action_buttons["submit"])
    wait_status(page, qtbot, "submitted")
    act_as(page, qtbot, people["slt2"])
    msgs.text_answers.append("Clear aim and two trained runners")
    click(qtbot, page.detail.action_buttons["approve"])
    wait_status(page, qtbot, "approved")
    act_as(page, qtbot, people["admin2"])
    msgs.confirm_answers.append(True)
    msgs.text_answers.append("https://instagram.com/oakfield_pe")
    click(qtbot, page.detail.action_buttons["activate"])
    wait_status(page, qtbot, "active")
    assert page.detail.view is not None
    assert page.detail.view.record.url == "https://instagram.com/oakfield_pe"
    assert [h.action for h in page.detail.view.history] == [
        "account.draft", "account.submit", "account.approve", "account.activate"]

    # The vault: store a generated password.
    panel = page.detail.credentials_panel
    click(qtbot, panel.buttons["add"])
    qtbot.waitUntil(lambda: isinstance(panel.current_dialog(), CredentialDialog),
                    timeout=TIMEOUT)
    store = panel.current_dialog()
    assert isinstance(store, CredentialDialog)
    qtbot.keyClicks(store.login_edit, "pe@oakfield.sch.uk")
    click(qtbot, store.generate_button)
    secret = store.secret_edit.text()
    assert len(secret) == 20 and store.secret_edit.echoMode() == store.secret_edit.EchoMode.Normal
    click(qtbot, store.save_button)
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1, timeout=TIMEOUT)
    assert list(backend.items.values()) == [secret]
    assert panel.select(panel.model.records()[0].id)

    # Copy: on the clipboard, cleared later.
    click(qtbot, panel.buttons["copy"])
    qtbot.waitUntil(lambda: QGuiApplication.clipboard().text() == secret, timeout=TIMEOUT)
    assert 0 < panel.clipboard.remaining_ms() <= 30_000
    assert "cleared in 30 s" in panel.clipboard_label.text()
    panel.clipboard.clear_now()
    assert QGuiApplication.clipboard().text() == ""

    # Reveal: asks why, shows it in its labelled row, hides it again.
    msgs.text_answers.append("setting up the PE laptop")
    click(qtbot, panel.buttons["reveal"])
    field = panel.section.current
    qtbot.waitUntil(lambda: field.edit.text() == secret, timeout=TIMEOUT)
    assert field.title_label.text() == CURRENT_TITLE + ":"
    assert "Reveal password" in [title for title, _ in msgs.of("ask_text")]
    assert field.countdown_label.text() == "Hidden again in 30 s"
    panel.section.hide_all()
    assert field.edit.text() == ""

    # Rotate to a new generated password, with who and when kept.
    qtbot.waitUntil(lambda: panel.current_dialog() is None, timeout=TIMEOUT)
    panel.select(panel.model.records()[0].id)
    click(qtbot, panel.buttons["rotate"])
    qtbot.waitUntil(lambda: isinstance(panel.current_dialog(), CredentialDialog),
                    timeout=TIMEOUT)
    rotate = panel.current_dialog()
    assert isinstance(rotate, CredentialDialog)
    assert rotate.login_edit.isReadOnly()
    click(qtbot, rotate.generate_button)
    new_secret = rotate.secret_edit.text()
    click(qtbot, rotate.save_button)
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1
                    and panel.model.records()[0].rotated_at is not None, timeout=TIMEOUT)
    assert list(backend.items.values()) == [new_secret] and new_secret != secret
    rotated = panel.model.records()[0]
    assert rotated.rotated_by == "Alex Admin"
    panel.select(rotated.id)
    click(qtbot, panel.buttons["history"])
    qtbot.waitUntil(lambda: isinstance(panel.current_dialog(), PasswordHistoryDialog),
                    timeout=TIMEOUT)
    history = panel.current_dialog()
    assert isinstance(history, PasswordHistoryDialog)
    assert "keyring, which keeps none" in history.earlier_note.text()
    assert "rotated by Alex Admin" in history.history_list.item(0).text()
    history.reject()
    qtbot.waitUntil(lambda: panel.current_dialog() is None, timeout=TIMEOUT)

    # Delete: the keyring item and the metadata go together.
    panel.select(rotated.id)
    msgs.confirm_answers.append(True)
    msgs.text_answers.append("Moving to a shared inbox login")
    click(qtbot, panel.buttons["delete"])
    qtbot.waitUntil(lambda: panel.model.rowCount() == 0, timeout=TIMEOUT)
    assert backend.items == {}

    act_as(page, qtbot, people["head"])
    msgs.confirm_answers.append(True)
    msgs.text_answers.append("Merged into the main account")
    click(qtbot, page.detail.action_buttons["close"])
    wait_status(page, qtbot, "closed")
    entries = list(reversed(audit.query(ctx.session_factory)))
    assert [(e.action, e.actor) for e in entries
            if e.action.startswith("credential.") or e.action == "account.close"] == [
        ("credential.add", "admin2"), ("credential.copy", "admin2"),
        ("credential.reveal", "admin2"), ("credential.rotate", "admin2"),
        ("credential.delete", "admin2"), ("account.close", "head")]
    assert all(secret not in repr(e) and new_secret not in repr(e) for e in entries)
    assert msgs.of("error") == []


# -- refusals and who may do what -----------------------------------------------------------
def test_a_refused_submission_shows_the_rule(qtbot, accounts, open_page, people, msgs):
    record = accounts.draft(people["mod1"], draft_input(people, runners=()))
    page = open_page()
    page._ctx.actor = people["mod1"]
    select(page, qtbot, record.id)
    assert page.detail.problems_label.isVisibleTo(page)
    assert "R2: at least 2 staff members" in page.detail.problems_label.text()
    msgs.confirm_answers.append(True)
    click(qtbot, page.detail.action_buttons["submit"])
    qtbot.waitUntil(lambda: bool(msgs.of("error")), timeout=TIMEOUT)
    assert "R2: at least 2 staff members must be named" in msgs.of("error")[0][1]
    assert accounts.get(record.id).status == "draft"


def test_buttons_say_why_they_are_disabled(qtbot, accounts, open_page, people):
    record = accounts.draft(people["slt2"], draft_input(people))
    accounts.submit(people["slt2"], record.id, record.version_id)
    page = open_page()
    act_as(page, qtbot, people["slt2"])
    select(page, qtbot, record.id)
    approve = page.detail.action_buttons["approve"]
    assert not approve.isEnabled()
    assert approve.toolTip() == "R3: you drafted or submitted it; another SLT member decides."
    assert not page.detail.action_buttons["activate"].isVisibleTo(page)
    act_as(page, qtbot, people["admin2"])
    assert page.detail.action_buttons["approve"].toolTip() == \
        "R3: only SLT members approve or reject."
    act_as(page, qtbot, people["head"])
    assert page.detail.action_buttons["approve"].isEnabled()


def test_only_administrators_get_the_vault_buttons(qtbot, accounts, creds, open_page, people):
    account_id = active_account(accounts, people)
    credential = creds.add(people["head"], account_id, login_name="pe", secret="S3cret-harbour-kettle-1!")
    page = open_page()
    act_as(page, qtbot, people["slt2"])
    select(page, qtbot, account_id)
    panel = page.detail.credentials_panel
    assert panel.model.rowCount() == 1  # metadata is visible to everyone
    panel.select(credential.id)
    for key in ("add", "reveal", "copy", "rotate", "delete", "members"):
        assert not panel.buttons[key].isVisibleTo(page), key
        assert panel.why_not(key) == "Only administrators store and use account passwords (R5)."
    assert not panel.section.isVisibleTo(page)  # no secret, not even hidden dots
    assert panel.buttons["history"].isEnabled()
    act_as(page, qtbot, people["admin2"])
    panel.select(credential.id)
    assert panel.buttons["reveal"].isVisibleTo(page) and panel.section.isVisibleTo(page)


def test_no_secure_keyring_says_so_and_how_to_fix_it(qtbot, ctx, accounts, open_page, people):
    account_id = active_account(accounts, people)
    make_credentials(ctx, fail.Keyring())
    page = open_page()
    select(page, qtbot, account_id)
    panel = page.detail.credentials_panel
    assert panel.keyring_panel.isVisibleTo(page)
    text = panel.keyring_panel.text()
    assert "Passwords cannot be stored on this computer yet" in text
    assert "no secure keyring is available" in text
    assert "Nothing has been saved anywhere else" in text
    for system in ("Windows:", "macOS:", "Linux:"):
        assert system in text
    assert not panel.buttons["add"].isEnabled()
    assert "No secure keyring" in panel.buttons["add"].toolTip()


def test_a_refused_keyring_delete_is_shown_and_keeps_the_credential(
        qtbot, ctx, accounts, open_page, people, msgs):
    account_id = active_account(accounts, people)
    stubborn = StubbornKeyring()
    credential = make_credentials(ctx, stubborn).add(
        people["head"], account_id, login_name="pe", secret="S3cret-harbour-kettle-1!")
    page = open_page()
    select(page, qtbot, account_id)
    panel = page.detail.credentials_panel
    panel.select(credential.id)
    msgs.confirm_answers.append(True)
    msgs.text_answers.append("not needed")
    click(qtbot, panel.buttons["delete"])
    qtbot.waitUntil(lambda: bool(msgs.of("error")), timeout=TIMEOUT)
    assert "refused to delete the secret" in msgs.of("error")[0][1]
    assert "S3cret-harbour-kettle-1!" not in msgs.texts()
    assert panel.model.rowCount() == 1
    assert list(stubborn.items.values()) == ["S3cret-harbour-kettle-1!"]


# -- list, filters, warnings -------------------------------------------------------------------
def test_filters_by_status_platform_and_risk(qtbot, ctx, accounts, open_page, people):
    active_account(accounts, people)
    accounts.draft(people["mod1"], draft_input(people, handle="@music", platform="x"))
    accounts.register_existing(people["head"], AccountInput(
        platform="facebook", handle="Oakfield", lead=people["run1"].staff_id,
        runners=(people["vol1"].staff_id,)), accept_problems=True)
    page = open_page()
    assert sorted(handles(page)) == ["@music", "@oakfield_pe", "Oakfield"]
    with qtbot.waitSignal(page.accounts_loaded, timeout=TIMEOUT):
        page.status_combo.setCurrentIndex(page.status_combo.findData("active"))
    assert sorted(handles(page)) == ["@oakfield_pe", "Oakfield"]
    with qtbot.waitSignal(page.accounts_loaded, timeout=TIMEOUT):
        page.at_risk_check.setChecked(True)
    assert handles(page) == ["Oakfield"]
    assert page.proxy.index(0, COL_STATUS).data() == "Active · at risk"
    with qtbot.waitSignal(page.accounts_loaded, timeout=TIMEOUT):
        page.at_risk_check.setChecked(False)
    with qtbot.waitSignal(page.accounts_loaded, timeout=TIMEOUT):
        page.status_combo.setCurrentIndex(0)
    with qtbot.waitSignal(page.accounts_loaded, timeout=TIMEOUT):
        page.platform_combo.setCurrentIndex(page.platform_combo.findData("x"))
    assert handles(page) == ["@music"]
    assert page.summary_label.text() == "1 account"


def test_overdue_review_and_rotation_reminders_are_shown(qtbot, accounts, creds, open_page,
                                                          people):
    account_id = active_account(accounts, people)
    record = accounts.get(account_id)
    accounts.update(people["head"], account_id, record.version_id,
                    draft_input(people, review_on=TODAY - timedelta(days=2)))
    creds.add(people["head"], account_id, login_name="pe", secret="S3cret-harbour-kettle-1!",
              rotate_by=TODAY + timedelta(days=3))
    page = open_page()
    assert page.proxy.index(0, COL_REVIEW).data() == (
        f"⚠ {fmt.day(TODAY - timedelta(days=2))} (overdue)")
    assert page.reminder_label.isVisibleTo(page)
    assert "login 'pe': due for rotation in 3 days" in page.reminder_label.text()
    select(page, qtbot, account_id)
    assert page.detail.review_label.isVisibleTo(page)
    assert "has passed" in page.detail.review_label.text()


def test_register_existing_needs_problems_accepted(qtbot, ctx, open_page, people):
    page = open_page()
    click(qtbot, page.register_button)
    qtbot.waitUntil(lambda: isinstance(page.current_dialog(), AccountDialog), timeout=TIMEOUT)
    dialog = page.current_dialog()
    assert isinstance(dialog, AccountDialog)
    dialog.platform_combo.setCurrentIndex(dialog.platform_combo.findData("facebook"))
    qtbot.keyClicks(dialog.handle_edit, "Oakfield PTA")
    dialog.lead_combo.setCurrentIndex(dialog.lead_combo.findData(people["run1"].staff_id))
    dialog.set_checked(dialog.runners_list, [people["vol1"].staff_id])
    qtbot.keyClicks(dialog.attestation_edit, "Approved by the head, 2023")
    assert "R4: Val Volunteer" in dialog.preview_label.text()
    click(qtbot, dialog.save_button)
    qtbot.waitUntil(lambda: dialog.error_label.isVisibleTo(dialog), timeout=TIMEOUT)
    assert "R2: " in dialog.error_label.text() and "Register it anyway" in \
        dialog.error_label.text()
    dialog.accept_check.setChecked(True)
    with qtbot.waitSignal(page.accounts_loaded, timeout=TIMEOUT):
        click(qtbot, dialog.save_button)
    [record] = page.model.records()
    assert record.at_risk and record.attested_by == "Hannah Head"


def test_the_page_is_read_only_for_someone_not_on_the_register(qtbot, ctx, open_page):
    from smmod.identity import Actor

    ctx.actor = Actor("visitor")
    page = open_page()
    page._update_buttons()
    assert not page.new_button.isEnabled() and not page.register_button.isEnabled()


# -- how it looks ------------------------------------------------------------------------------
def _save(widget: QWidget, tmp_path: Path, name: str) -> Path:
    path = tmp_path / f"{name}.png"
    assert widget.grab().save(str(path))
    assert path.stat().st_size > 3_000
    wanted = os.environ.get("SMMOD_SCREENSHOTS")
    if wanted:
        Path(wanted).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(wanted) / path.name)
    return path


def test_screenshots(qtbot, ctx, accounts, creds, open_page, people, tmp_path):
    account_id = active_account(accounts, people)
    accounts.draft(people["mod1"], draft_input(people, handle="@oakfield_music",
                                               platform="x", aim=""))
    accounts.register_existing(people["head"], AccountInput(
        platform="facebook", handle="Oakfield School", lead=people["run1"].staff_id,
        runners=(people["vol1"].staff_id,)), attestation="Approved by governors, 2023",
        accept_problems=True)
    creds.add(people["head"], account_id, login_name="pe@oakfield.sch.uk", secret="S3cret-harbour-kettle-1!",
              note="Two-factor codes go to the PE office phone")
    creds.add(people["head"], account_id, login_name="scheduler-bot", secret="tok-9f3Kq2-harbour-77",
              kind="token", rotate_by=TODAY + timedelta(days=5))
    page = open_page()
    select(page, qtbot, account_id)
    qtbot.wait(50)
    _save(page, tmp_path, "accounts_page")
    page.detail_scroll.ensureWidgetVisible(page.detail.credentials_panel)
    qtbot.wait(50)
    _save(page, tmp_path, "account_credentials")
    select(page, qtbot, 3)
    qtbot.wait(50)
    _save(page, tmp_path, "account_at_risk")
    dialog = CredentialDialog(creds, people["head"], page._runner,
                              account=accounts.get(account_id), mode="add", parent=page)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.login_edit.setText("pe@oakfield.sch.uk")
    click(qtbot, dialog.generate_button)
    qtbot.wait(50)
    _save(dialog, tmp_path, "store_credential")
    dialog.reject()
    record = creds.list(account_id)[0]
    rotate = CredentialDialog(creds, people["head"], page._runner,
                              account=accounts.get(account_id), mode="rotate", record=record,
                              parent=page)
    qtbot.addWidget(rotate)
    rotate.show()
    click(qtbot, rotate.generate_button)
    qtbot.wait(50)
    _save(rotate, tmp_path, "rotate_credential")
    rotate.reject()
    panel = page.detail.credentials_panel
    panel.select(record.id)
    panel.section.current.show_secret("S3cret-harbour-kettle-1!")
    qtbot.wait(50)
    _save(panel, tmp_path, "reveal")
    panel.section.hide_all()
    draft = AccountDialog(accounts, people["mod1"], page._runner, ctx.staff.list(),
                          mode="draft", record=accounts.list()[0], parent=page)
    qtbot.addWidget(draft)
    draft.show()
    qtbot.wait(50)
    _save(draft, tmp_path, "draft_dialog")
    draft.reject()
    make_credentials(ctx, fail.Keyring(), service=TEST_SERVICE)
    with qtbot.waitSignal(page.detail_loaded, timeout=TIMEOUT):
        page.select_account(account_id)
    qtbot.wait(100)
    bar = page.detail_scroll.verticalScrollBar()
    bar.setValue(bar.maximum())
    qtbot.wait(50)
    _save(page, tmp_path, "no_keyring")


def test_a_weak_password_needs_a_reason_and_a_pending_rotation_shows_both_passwords(
        qtbot, ctx, open_page, accounts, creds, people, backend, msgs: Messages):
    account_id = active_account(accounts, people)
    ctx.actor = people["head"]
    page = open_page()
    select(page, qtbot, account_id)
    panel = page.detail.credentials_panel
    click(qtbot, panel.buttons["add"])
    qtbot.waitUntil(lambda: isinstance(panel.current_dialog(), CredentialDialog),
                    timeout=TIMEOUT)
    store = panel.current_dialog()
    assert isinstance(store, CredentialDialog)
    qtbot.keyClicks(store.login_edit, "pe@oakfield.sch.uk")
    qtbot.keyClicks(store.secret_edit, "qwerty")
    click(qtbot, store.save_button)
    qtbot.waitUntil(lambda: store.error_label.isVisible(), timeout=TIMEOUT)
    assert "too easy to guess" in store.error_label.text()
    assert "qwerty" not in store.error_label.text()
    assert backend.items == {}
    qtbot.keyClicks(store.weak_reason_edit, "the old system only takes 6 letters")
    click(qtbot, store.save_button)
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1, timeout=TIMEOUT)
    record = panel.model.records()[0]

    new = "Pending-harbour-kettle-77!"
    creds.rotate(people["head"], record.id, record.version_id, new, pending=True)
    panel.changed.emit()
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1
                    and panel.model.records()[0].pending_rotation, timeout=TIMEOUT)
    assert panel.select(record.id)
    section = panel.section
    assert section.pending.edit.isVisibleTo(page)
    assert (section.current.title_label.text(), section.pending.title_label.text()) == (
        CURRENT_TITLE + ":", PENDING_TITLE + ":")
    msgs.text_answers += ["check the old one", "set it on Instagram"]
    click(qtbot, panel.buttons["reveal"])
    qtbot.waitUntil(lambda: section.current.edit.text() == "qwerty", timeout=TIMEOUT)
    click(qtbot, panel.buttons["reveal_pending"])
    qtbot.waitUntil(lambda: section.pending.edit.text() == new, timeout=TIMEOUT)
    assert section.current.edit.text() == "qwerty"  # both shown, each in its labelled row
    section.hide_all()
    assert section.pending.edit.text() == ""

    # Cancel: the pending password goes, the current one stays in force.
    assert panel.buttons["cancel"].isEnabled()
    msgs.text_answers.append("the platform was not changed in the end")
    click(qtbot, panel.buttons["cancel"])
    qtbot.waitUntil(lambda: not panel.model.records()[0].pending_rotation, timeout=TIMEOUT)
    assert list(backend.items.values()) == ["qwerty"]
    assert creds.rotations(record.id)[0].status == "cancelled"


def test_the_history_names_people_and_keeps_the_login_in_the_tooltip(
        qtbot, accounts, open_page, people):
    record = accounts.register_existing(people["head"], AccountInput(
        platform="facebook", handle="OakfieldPTA", url="https://facebook.com/OakfieldPTA",
        aim="Share news of fairs with families.", audience="Parents and carers",
        promotion="Newsletter", visibility="open", lead=people["run1"].staff_id,
        runners=(people["run2"].staff_id,)), attestation="Approved by governors")
    page = open_page()
    select(page, qtbot, record.id)
    item = page.detail.history_list.item(0)
    assert "  ·  Hannah Head  ·  Registered as an existing, running account" in item.text()
    assert "head  ·" not in item.text()
    assert "Login: head" in item.toolTip()
