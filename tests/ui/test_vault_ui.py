"""The shared vault in the app (issue 15), on the real widgets and the real keyring.

"head" sits at the app (their private key in the keyring under this run's service);
"admin2" is another administrator at another computer (a keyring service of their own).
Message boxes go through the ``msgs`` fixture, which scripts the answers.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from sqlalchemy import select

from smmod import audit
from smmod.store.models import VaultSecret
from smmod.ui.accounts.credential_dialogs import CredentialDialog
from smmod.ui.accounts.page import AccountsPage
from smmod.ui.accounts.password_section import CURRENT_TITLE, PENDING_TITLE, REVEAL_SECONDS
from smmod.ui.accounts.vault_dialogs import PasswordHistoryDialog, VaultMembersDialog
from smmod.ui.foryou.page import ForYouPage
from tests.accounts.helpers import active_account, make_accounts
from tests.ui.conftest import Messages
from tests.ui.test_accounts_page import act_as, click
from tests.ui.test_accounts_page import select as select_account
from tests.vault.conftest import Desk, desk

pytestmark = [pytest.mark.keyring,
              pytest.mark.qt_log_ignore(r"^This plugin does not support propagateSizeHints\(\)")]
TIMEOUT = 30_000  # a bound, not a target: waits end as soon as the answer comes
FIRST = "Harbour-Kettle-Lantern-4471!"
WEAK = "password1"


@pytest.fixture
def vault_ctx(ctx, people, app_keyring):
    """The vault made by head at this computer; admin2 registered at theirs and granted."""
    ctx.shared_vault.create(people["head"])
    return ctx


@pytest.fixture
def admin2(vault_ctx, people, real_keyring, keyring_service):
    other = desk(vault_ctx, real_keyring, people["admin2"],
                 f"{keyring_service}-admin2-{uuid.uuid4().hex[:8]}")
    other.vault.register(other.actor)
    yield other
    other.wipe()


@pytest.fixture
def account_id(vault_ctx, people) -> int:
    return active_account(make_accounts(vault_ctx), people)


@pytest.fixture
def page(qtbot, deps, show, account_id) -> AccountsPage:
    shown = show(AccountsPage(deps))
    with qtbot.waitSignal(shown.accounts_loaded, timeout=TIMEOUT):
        shown.refresh()
    select_account(shown, qtbot, account_id)
    return shown


def _dialog(qtbot, panel, kind):
    qtbot.waitUntil(lambda: isinstance(panel.current_dialog(), kind), timeout=TIMEOUT)
    return panel.current_dialog()


def _reload(panel, qtbot, until):
    panel.changed.emit()
    qtbot.waitUntil(until, timeout=TIMEOUT)


PENDING = "Pending-Lantern-Kettle-9!"


def _waiting_rotation(qtbot, ctx, people, account_id, page):
    """A credential stored by head with a rotation waiting, selected on the page."""
    creds = ctx.credentials
    record = creds.add(people["head"], account_id, login_name="pe", secret=FIRST)
    creds.rotate(people["head"], record.id, record.version_id, PENDING, pending=True)
    panel = page.detail.credentials_panel
    _reload(panel, qtbot, lambda: panel.model.rowCount() == 1)
    panel.select(record.id)
    return creds, panel, record


def test_reveal_asks_why_shows_each_labelled_password_and_hides_it_again(
        qtbot, vault_ctx, people, admin2: Desk, account_id, page, msgs: Messages):
    vault_ctx.shared_vault.grant(people["head"], "admin2")
    record = admin2.credentials.add(admin2.actor, account_id, login_name="pe", secret=FIRST)
    panel = page.detail.credentials_panel
    _reload(panel, qtbot, lambda: panel.model.rowCount() == 1)
    assert panel.select(record.id)
    section = panel.section
    assert section.current.title_label.text() == f"{CURRENT_TITLE}:"
    assert not section.pending.edit.isVisibleTo(page)  # no rotation waits
    assert section.current.edit.text() == ""

    # Reveal: a reason is asked first and audited; stored by admin2, revealed by head.
    msgs.text_answers.append(None)  # changed their mind
    click(qtbot, panel.buttons["reveal"])
    assert section.current.edit.text() == ""
    msgs.text_answers.append("signing in on the new PE iPad")
    click(qtbot, panel.buttons["reveal"])
    qtbot.waitUntil(lambda: section.current.edit.text() == FIRST, timeout=TIMEOUT)
    reveals = [e for e in audit.query(vault_ctx.session_factory)
               if e.action == "credential.reveal"]
    assert [(e.actor, e.reason) for e in reveals] == [("head", "signing in on the new PE iPad")]
    # Hidden again after 30 one-second ticks (driven here, not waited for).
    for left in range(REVEAL_SECONDS - 1, 0, -1):
        section.current._timer.timeout.emit()
        assert section.current.countdown_label.text() == f"Hidden again in {left} s"
    section.current._timer.timeout.emit()
    assert section.current.edit.text() == "" and section.current.countdown_label.text() == ""

    # Copy: on the clipboard, cleared when the time is up if it is still there.
    click(qtbot, panel.buttons["copy"])
    qtbot.waitUntil(lambda: QGuiApplication.clipboard().text() == FIRST, timeout=TIMEOUT)
    assert "cleared in 30 s" in panel.clipboard_label.text()
    panel.clipboard._timer.timeout.emit()
    assert QGuiApplication.clipboard().text() == ""
    assert panel.clipboard_label.text() == "Clipboard cleared."
    assert msgs.of("error") == []


def test_rotate_with_the_meter_keep_both_then_confirm_and_reveal_the_earlier_one(
        qtbot, vault_ctx, people, account_id, page, msgs: Messages):
    creds = vault_ctx.credentials
    record = creds.add(people["head"], account_id, login_name="pe", secret=FIRST)
    panel = page.detail.credentials_panel
    _reload(panel, qtbot, lambda: panel.model.rowCount() == 1)
    panel.select(record.id)

    click(qtbot, panel.buttons["rotate"])
    rotate = _dialog(qtbot, panel, CredentialDialog)
    assert "sealed (encrypted) in the shared vault" in " ".join(
        label.text() for label in rotate.findChildren(type(rotate.strength_label)))
    qtbot.keyClicks(rotate.secret_edit, WEAK)
    assert rotate.strength_bar.value() < 3
    assert "It is refused unless you give a reason" in rotate.strength_label.text()
    assert WEAK not in rotate.strength_label.text()
    rotate.pending_check.setChecked(True)
    click(qtbot, rotate.save_button)
    qtbot.waitUntil(lambda: rotate.error_label.isVisible(), timeout=TIMEOUT)
    assert "too easy to guess" in rotate.error_label.text()
    rotate.secret_edit.clear()
    assert rotate.strength_label.text() == "Strength: type or generate a password."
    click(qtbot, rotate.generate_button)
    new = rotate.secret_edit.text()
    assert rotate.strength_bar.value() >= 3 and "strong enough" in rotate.strength_label.text()
    click(qtbot, rotate.save_button)
    qtbot.waitUntil(lambda: panel.model.records()[0].pending_rotation, timeout=TIMEOUT)
    panel.select(record.id)

    # Both passwords, each labelled; the current one still works.
    section = panel.section
    assert section.pending.edit.isVisibleTo(page)
    assert section.pending.title_label.text() == f"{PENDING_TITLE}:"
    msgs.text_answers += ["compare", "set it on Instagram"]
    click(qtbot, panel.buttons["reveal"])
    qtbot.waitUntil(lambda: section.current.edit.text() == FIRST, timeout=TIMEOUT)
    click(qtbot, panel.buttons["reveal_pending"])
    qtbot.waitUntil(lambda: section.pending.edit.text() == new, timeout=TIMEOUT)
    assert section.current.edit.text() == FIRST

    # Confirm (asked first): the new one becomes current, the old one goes to history.
    msgs.confirm_answers.append(False)
    click(qtbot, panel.buttons["confirm"])
    assert panel.model.records()[0].pending_rotation
    msgs.confirm_answers.append(True)
    click(qtbot, panel.buttons["confirm"])
    qtbot.waitUntil(lambda: not panel.model.records()[0].pending_rotation, timeout=TIMEOUT)
    assert creds.reveal(people["head"], record.id) == new
    panel.select(record.id)
    assert not section.pending.edit.isVisibleTo(page)
    assert section.current.edit.text() == ""  # the rotation closed: shown passwords go

    click(qtbot, panel.buttons["history"])
    history = _dialog(qtbot, panel, PasswordHistoryDialog)
    assert "Kept (sealed) for 90 days" in history.earlier_note.text()
    assert history.earlier_list.count() == 1
    assert "had been set by Hannah Head" in history.earlier_list.item(0).text()
    assert "confirmed by Hannah Head" in history.history_list.item(0).text()
    msgs.text_answers.append("the platform still asks for the old one")
    click(qtbot, history.reveal_button)
    qtbot.waitUntil(lambda: history.field.edit.text() == FIRST, timeout=TIMEOUT)
    entries = [e for e in audit.query(vault_ctx.session_factory)
               if e.action == "credential.reveal_history"]
    assert [e.reason for e in entries] == ["the platform still asks for the old one"]
    history.reject()
    assert history.field.edit.text() == ""
    assert msgs.of("error") == []
    for e in audit.query(vault_ctx.session_factory):
        assert FIRST not in repr(e) and new not in repr(e)


def test_cancel_discards_the_pending_password_and_keeps_the_current(
        qtbot, vault_ctx, people, account_id, page, msgs: Messages):
    creds, panel, record = _waiting_rotation(qtbot, vault_ctx, people, account_id, page)
    msgs.text_answers.append("the platform was not changed in the end")
    click(qtbot, panel.buttons["cancel"])
    qtbot.waitUntil(lambda: not panel.model.records()[0].pending_rotation, timeout=TIMEOUT)
    assert creds.reveal(people["head"], record.id) == FIRST
    with vault_ctx.session_factory() as session:
        assert [r.slot for r in session.execute(select(VaultSecret)).scalars()] == ["current"]


def test_members_grant_then_revoke_says_what_it_flags_and_for_you_lists_it(
        qtbot, vault_ctx, people, admin2: Desk, account_id, page, deps, show,
        msgs: Messages):
    creds = vault_ctx.credentials
    record = creds.add(people["head"], account_id, login_name="pe", secret=FIRST)
    panel = page.detail.credentials_panel
    click(qtbot, panel.buttons["members"])
    members = _dialog(qtbot, panel, VaultMembersDialog)
    qtbot.waitUntil(lambda: len(members.members) == 2, timeout=TIMEOUT)
    assert "1 person has access" in members.summary.text()
    assert members.select("admin2")
    assert not members.revoke_button.isEnabled()
    row = members.table.selectionModel().selectedRows()[0].row()
    assert [members.table.item(row, c).text() for c in (0, 3)] == [
        "Alex Admin", "Registered, waiting for access"]
    msgs.confirm_answers.append(True)
    click(qtbot, members.grant_button)
    qtbot.waitUntil(lambda: all(m.has_access for m in members.members), timeout=TIMEOUT)
    fingerprint = next(m.fingerprint for m in members.members if m.username == "admin2")
    assert fingerprint in msgs.of("confirm")[-1][1]
    assert admin2.credentials.reveal(admin2.actor, record.id) == FIRST

    assert members.select("admin2")
    msgs.confirm_answers.append(True)
    msgs.text_answers.append("handover: left the school")
    click(qtbot, members.revoke_button)
    # Their key is gone with their access: they would register again to come back.
    qtbot.waitUntil(lambda: [m.username for m in members.members] == ["head"], timeout=TIMEOUT)
    question = msgs.of("confirm")[-1][1]
    assert "End Alex Admin's access to the shared vault?" in question
    assert ("This credential is flagged for rotation, since Alex Admin could read it:\n"
            "• pe on @oakfield_pe (Instagram)") in question
    assert "1 credential is flagged for rotation and listed in For you" in members.summary.text()
    members.reject()

    # The credential is marked, and the banner says why.
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1
                    and panel.model.records()[0].flagged is not None, timeout=TIMEOUT)
    panel.select(record.id)
    assert panel.model.index(0, 3).data() == "⚠ Now: flagged after a revoke"
    assert panel.section.flag_label.isVisibleTo(page)
    assert "Alex Admin could read it until access was revoked: handover: left the school" in \
        panel.section.flag_label.text()

    # For you lists it for administrators, not for others.
    for_you = show(ForYouPage(deps))
    with qtbot.waitSignal(for_you.items_loaded, timeout=TIMEOUT):
        for_you.refresh()
    assert "Rotate the password 'pe' of Instagram: @oakfield_pe" in for_you.list.titles()
    vault_ctx.actor = people["slt2"]
    with qtbot.waitSignal(for_you.items_loaded, timeout=TIMEOUT):
        for_you.refresh()
    assert not any(t.startswith("Rotate the password") for t in for_you.list.titles())
    assert msgs.of("error") == []


def test_someone_not_an_administrator_sees_no_secret_and_no_button(
        qtbot, vault_ctx, people, account_id, page, msgs: Messages):
    record = vault_ctx.credentials.add(people["head"], account_id, login_name="pe",
                                       secret=FIRST)
    panel = page.detail.credentials_panel
    _reload(panel, qtbot, lambda: panel.model.rowCount() == 1)
    act_as(page, qtbot, people["slt2"])
    panel.select(record.id)
    assert not panel.section.isVisibleTo(page)
    for key, button in panel.buttons.items():
        assert button.isVisibleTo(page) == (key == "history"), key
    click(qtbot, panel.buttons["history"])
    history = _dialog(qtbot, panel, PasswordHistoryDialog)
    assert history.earlier_note.text() == "Only administrators see earlier passwords (R5)."
    assert history.earlier_list.count() == 0 and not history.reveal_button.isVisibleTo(history)
    history.reject()


def test_earlier_passwords_are_kept_for_the_history_setting(
        qtbot, vault_ctx, people, account_id, clock):
    creds = vault_ctx.credentials
    record = creds.add(people["head"], account_id, login_name="pe", secret=FIRST)
    record = creds.rotate(people["head"], record.id, record.version_id,
                          "Second-Lantern-Kettle-2204!")
    assert len(creds.earlier_passwords(record.id)) == 1
    vault_ctx.settings.set("vault.history_days", 10)
    clock.advance(timedelta(days=11))
    assert creds.earlier_passwords(record.id) == []
    vault_ctx.settings.set("vault.history_days", 90)
    assert len(creds.earlier_passwords(record.id)) == 1  # not yet pruned: the next write does
    record = creds.rotate(people["head"], record.id, record.version_id,
                          "Third-Lantern-Kettle-8810!")
    vault_ctx.settings.set("vault.history_days", 10)
    assert [e.set_by for e in creds.earlier_passwords(record.id)] == ["Hannah Head"]
    assert creds.reveal_history(people["head"], record.id,
                                creds.earlier_passwords(record.id)[0].version,
                                reason="audit check") == "Second-Lantern-Kettle-2204!"


def test_the_keyboard_reaches_the_vault_and_no_two_buttons_share_a_key(
        qtbot, vault_ctx, people, account_id, page, msgs: Messages):
    _creds, panel, _record = _waiting_rotation(qtbot, vault_ctx, people, account_id, page)
    panel.table.setFocus()
    keys = [b.text().split("&")[1][0].lower() for b in page.findChildren(type(panel.buttons["add"]))
            if b.isVisibleTo(page) and "&" in b.text()]
    assert len(keys) == len(set(keys)), sorted(keys)

    msgs.text_answers.append("checking the new one")
    qtbot.keyClick(panel.table, Qt.Key.Key_W, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: panel.section.pending.edit.text() == PENDING, timeout=TIMEOUT)
    msgs.confirm_answers.append(True)
    qtbot.keyClick(panel.table, Qt.Key.Key_M, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: not panel.model.records()[0].pending_rotation, timeout=TIMEOUT)
    assert [title for _, title, _ in msgs.shown] == ["Reveal password", "Confirm rotation"]
    assert ("Alt+V", "Reveal the selected credential's current password (asks why; hidden "
            "after 30 s)") in page.shortcuts()
