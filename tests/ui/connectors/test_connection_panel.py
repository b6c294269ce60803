"""The account page's "Platform connection", driven through the real widgets against the
local fake Mastodon (tests/connectors): connect with a pasted token, sync, disconnect."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QAbstractButton, QLineEdit

from smmod.connectors.errors import NotConnected
from smmod.store.models import QueueItem
from smmod.ui.accounts.page import AccountsPage
from smmod.ui.connectors.connect_dialog import ConnectDialog
from tests.connectors.conftest import School
from tests.ui.conftest import Messages

TIMEOUT = 30_000  # a bound, not a target: waits end as soon as the answer comes
pytestmark = pytest.mark.qt_log_ignore(r"^This plugin does not support propagateSizeHints\(\)")


def click(qtbot, button: QAbstractButton) -> None:
    assert button.isVisible(), f"{button.text()} is hidden"
    assert button.isEnabled(), f"{button.text()} is disabled: {button.toolTip()}"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton, pos=QPoint(button.width() // 2, button.height() // 2))


@pytest.fixture
def page(qtbot, deps, show, school: School) -> AccountsPage:
    school.ctx.actor = school.head
    page = show(AccountsPage(deps))
    with qtbot.waitSignal(page.accounts_loaded, timeout=TIMEOUT):
        page.refresh()
    panel = page.detail.connection_panel
    with qtbot.waitSignal(panel.loaded, timeout=TIMEOUT):
        with qtbot.waitSignal(page.detail_loaded, timeout=TIMEOUT):
            assert page.select_account(school.account_id)
    yield page
    assert page.detail.net_runner.wait(10_000)


def open_dialog(qtbot, page: AccountsPage) -> ConnectDialog:
    panel = page.detail.connection_panel
    click(qtbot, panel.connect_button)
    dialog = panel.dialog
    assert isinstance(dialog, ConnectDialog)
    qtbot.waitExposed(dialog)
    return dialog


def test_connect_with_a_token_then_sync_then_disconnect(qtbot, page, school: School, msgs: Messages):
    panel = page.detail.connection_panel
    assert "Not connected" in panel.state_label.text()
    assert not panel.sync_button.isVisible() and not panel.disconnect_button.isVisible()
    dialog = open_dialog(qtbot, page)
    assert dialog.token_edit.echoMode() == QLineEdit.EchoMode.Password
    dialog.instance_edit.setText(school.fake.url)
    dialog.token_radio.setChecked(True)
    dialog.token_edit.setText(school.fake.token)
    with qtbot.waitSignal(panel.changed, timeout=TIMEOUT):
        click(qtbot, dialog.ok_button)
        assert dialog.working and dialog.progress.isVisible()  # the UI goes on while it connects
    assert not dialog.isVisible()
    text = panel.state_label.text()
    assert "Connected" in text and school.fake.url in text and "Not synced yet" in text
    assert school.fake.token not in text
    assert panel.sync_button.isVisible() and panel.disconnect_button.isVisible()

    for words in ("first", "second", "third"):
        school.fake.add_mention(f"@oakfield {words} question")
    with qtbot.waitSignal(panel.loaded, timeout=TIMEOUT):
        with qtbot.waitSignal(panel.synced, timeout=TIMEOUT) as synced:
            click(qtbot, panel.sync_button)
    assert synced.args[0].ok and synced.args[0].imported == 3
    assert "Last sync:" in panel.state_label.text() and "3 new" in panel.state_label.text()
    with school.ctx.session_factory() as session:
        assert session.query(QueueItem).filter_by(account_id=school.account_id).count() == 3

    msgs.confirm_answers.append(True)
    with qtbot.waitSignal(panel.changed, timeout=TIMEOUT):
        click(qtbot, panel.disconnect_button)
    assert "cannot revoke" in msgs.of("confirm")[0][1]  # a pasted token: revoke it yourself
    assert "Not connected" in panel.state_label.text()
    assert "Revoke smmod's access on Mastodon yourself" in msgs.of("info")[0][1]
    assert msgs.of("error") == []
    with pytest.raises(NotConnected):
        school.ctx.connectors.connections.get(school.account_id)


def test_a_refused_token_is_said_in_plain_words_and_the_dialog_stays(qtbot, page, school, msgs):
    panel = page.detail.connection_panel
    dialog = open_dialog(qtbot, page)
    dialog.instance_edit.setText(school.fake.url)
    dialog.token_radio.setChecked(True)
    dialog.token_edit.setText("not-a-real-token")
    click(qtbot, dialog.ok_button)
    qtbot.waitUntil(lambda: not dialog.working, timeout=TIMEOUT)
    (kind, _title, text), = msgs.shown
    assert kind == "error" and "not-a-real-token" not in text
    assert dialog.isVisible() and dialog.ok_button.isEnabled()
    assert panel.info is None


def test_missing_fields_are_named_before_anything_is_sent(qtbot, page, school, msgs):
    dialog = open_dialog(qtbot, page)
    dialog.token_radio.setChecked(True)
    click(qtbot, dialog.ok_button)
    assert "instance" in msgs.texts() or "token" in msgs.texts()
    assert not dialog.working and school.fake.requests == []


def test_a_failing_sync_shows_its_error(qtbot, page, school, msgs):
    school.connect()
    panel = page.detail.connection_panel
    with qtbot.waitSignal(panel.loaded, timeout=TIMEOUT):
        panel.reload()
    school.fake.force("GET", "/api/v1/notifications", 500, 500, 500, 500, 500, 500)
    with qtbot.waitSignal(panel.loaded, timeout=TIMEOUT):
        click(qtbot, panel.sync_button)
    assert panel.error_label.isVisible()
    assert "The last sync failed" in panel.error_label.text()


def test_only_an_administrator_connects(qtbot, page, school):
    school.ctx.actor = school.mod
    with qtbot.waitSignal(page.detail.connection_panel.loaded, timeout=TIMEOUT):
        with qtbot.waitSignal(page.detail_loaded, timeout=TIMEOUT):
            page.reload_detail()
    button = page.detail.connection_panel.connect_button
    assert not button.isEnabled() and "administrator" in button.toolTip()
