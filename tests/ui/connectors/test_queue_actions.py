"""The queue's action panel on a connected Mastodon account, through the real widgets and
the local fake Mastodon: actions go through the outbox, and the outbox can be looked after."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from smmod.store.models import Action, QueueItem
from smmod.ui.moderation import ActionPanel
from smmod.ui.moderation.outbox_dialog import OutboxDialog
from smmod.ui.queue.outbox_indicator import OutboxIndicator
from tests.conftest import SUITE_NOW
from tests.connectors.conftest import School

TIMEOUT = 30_000  # a bound, not a target: waits end as soon as the answer comes
STATUSES = "/api/v1/statuses"
LONDON = ZoneInfo("Europe/London")
pytestmark = pytest.mark.qt_log_ignore(r"^This plugin does not support propagateSizeHints\(\)")


@pytest.fixture
def mention(school: School) -> tuple[int, str]:
    status = school.fake.add_mention("Why was the trip cancelled?")
    school.connect()
    school.sync()
    with school.ctx.session_factory() as session:
        item_id = session.execute(select(QueueItem.id)).scalar_one()
    school.ctx.actor = school.mod
    return item_id, status["id"]


@pytest.fixture
def panel(deps, show, school: School, mention) -> ActionPanel:
    widget = show(ActionPanel(deps, LONDON))
    widget.set_rows([school.ctx.queue.read.rows([mention[0]])[mention[0]]])
    yield widget
    assert deps.runner.wait(10_000)


def reply(qtbot, panel: ActionPanel, words: str) -> None:
    panel.open_reply_dialog()
    dialog = panel.dialog
    qtbot.waitExposed(dialog)
    assert dialog.record_button.text() == "Reply on Mastodon"
    dialog.text.clear()
    qtbot.keyClicks(dialog.text, words)
    with qtbot.waitSignal(panel.outbox_changed, timeout=TIMEOUT):
        with qtbot.waitSignal(panel.actions_recorded, timeout=TIMEOUT):
            qtbot.mouseClick(dialog.record_button, Qt.MouseButton.LeftButton)


def test_a_reply_typed_in_the_dialog_arrives_as_a_reply_to_the_right_status(qtbot, panel, school, mention):
    item_id, status_id = mention
    reply(qtbot, panel, "It moves to Friday.")
    [posted] = school.fake.seen("POST", STATUSES)
    assert posted.one("in_reply_to_id") == status_id
    assert posted.one("status").endswith("It moves to Friday.")
    assert posted.headers["authorization"] == f"Bearer {school.fake.token}"
    text = panel.result_label.text()
    assert text.startswith("Replied on Mastodon") and f"#{item_id}" in text
    with school.ctx.session_factory() as session:
        [action] = session.execute(select(Action)).scalars().all()
        assert (action.kind, action.performed_via) == ("reply", "mastodon")


def test_a_server_error_leaves_it_waiting_and_retry_sends_it_once(qtbot, deps, panel, school, mention):
    _item_id, status_id = mention
    school.fake.force("POST", STATUSES, 500, 500, 500, 500, 500, 500)
    reply(qtbot, panel, "It moves to Friday.")
    assert "waiting to be sent" in panel.result_label.text()
    assert school.fake.replies_by_school(status_id) == []
    with school.ctx.session_factory() as session:
        assert session.execute(select(Action)).scalars().all() == []

    indicator = OutboxIndicator(school.ctx, deps.runner)
    qtbot.addWidget(indicator)
    indicator.show()
    with qtbot.waitSignal(indicator.loaded, timeout=TIMEOUT) as loaded:
        indicator.reload()
    assert loaded.args == [1]
    assert indicator.isVisible() and indicator.text() == "Waiting to be sent (1)"

    school.fake.forced.clear()  # the server recovers
    qtbot.mouseClick(indicator, Qt.MouseButton.LeftButton)
    dialog = indicator.dialog
    assert isinstance(dialog, OutboxDialog)
    qtbot.waitUntil(lambda: dialog.entries.count() == 1, timeout=TIMEOUT)
    with qtbot.waitSignal(indicator.loaded, timeout=TIMEOUT) as loaded:
        qtbot.mouseClick(dialog.retry_button, Qt.MouseButton.LeftButton)
    assert loaded.args == [0] and not indicator.isVisible()
    assert "done on the platform" in dialog.result_label.text()
    assert len(school.fake.replies_by_school(status_id)) == 1
    qtbot.waitUntil(lambda: dialog.entries.count() == 0, timeout=TIMEOUT)
    with school.ctx.session_factory() as session:
        assert len(session.execute(select(Action)).scalars().all()) == 1


def test_cancel_asks_first_then_drops_the_entry(qtbot, deps, panel, school, mention, msgs):
    school.fake.force("POST", STATUSES, 500, 500, 500, 500, 500, 500)
    reply(qtbot, panel, "It moves to Friday.")
    dialog = OutboxDialog(school.ctx, deps.runner)
    qtbot.addWidget(dialog)
    dialog.reload()
    qtbot.waitUntil(lambda: dialog.entries.count() == 1, timeout=TIMEOUT)
    msgs.text_answers.append(None)  # the moderator thinks again
    dialog.cancel_button.click()
    assert [e.status for e in school.ctx.connectors.outbox.list()] == ["pending"]
    msgs.text_answers.append("Answered by phone instead")
    with qtbot.waitSignal(dialog.changed, timeout=TIMEOUT):
        dialog.cancel_button.click()
    assert school.ctx.connectors.outbox.list() == []
    qtbot.waitUntil(lambda: dialog.entries.count() == 0, timeout=TIMEOUT)


def test_an_action_mastodon_cannot_do_keeps_the_manual_way_and_says_why(qtbot, panel, school, mention):
    panel.open_action_dialog("hide")
    dialog = panel.dialog
    qtbot.waitExposed(dialog)
    assert dialog.record_button.text() == "Done on Mastodon? Record it"
    assert dialog.hint.text().startswith("smmod cannot hide on Mastodon itself:")
    assert not dialog.sends
    dialog.reject()


@pytest.fixture
def youtube_panel(qtbot, deps, show, ctx, people, pauses, memory_keyring):
    from tests.connectors.fake_youtube import FakeYouTube
    from tests.connectors.test_youtube import Channel

    fake = FakeYouTube()
    fake.posted_at = SUITE_NOW - timedelta(hours=3)
    channel = Channel(ctx, people, fake)
    comment = fake.add_comment("buy followers cheap")
    channel.connect()
    channel.sync()
    item_id = channel.item(comment["id"])
    ctx.actor = channel.mod
    widget = show(ActionPanel(deps, LONDON))
    widget.set_rows([ctx.queue.read.rows([item_id])[item_id]])
    yield widget, fake, comment["id"]
    assert deps.runner.wait(10_000)
    fake.close()


def test_hide_on_youtube_rejects_the_comment_and_delete_stays_manual(qtbot, youtube_panel):
    panel, fake, comment_id = youtube_panel
    panel.open_action_dialog("delete")
    dialog = panel.dialog
    qtbot.waitExposed(dialog)
    assert dialog.record_button.text() == "Done on YouTube? Record it"
    assert "YouTube lets only a comment's author delete it" in dialog.hint.text()
    dialog.reject()

    panel.open_action_dialog("hide")
    dialog = panel.dialog
    qtbot.waitExposed(dialog)
    assert dialog.record_button.text() == "Hide on YouTube"
    qtbot.keyClicks(dialog.reason, "Spam or a scam")
    with qtbot.waitSignal(panel.actions_recorded, timeout=TIMEOUT):
        qtbot.mouseClick(dialog.record_button, Qt.MouseButton.LeftButton)
    [moderated] = fake.seen("POST", "/youtube/v3/comments/setModerationStatus")
    assert moderated.one("id") == comment_id and moderated.one("moderationStatus") == "rejected"
    assert fake.status[comment_id] == "rejected"
    assert panel.result_label.text().startswith("Hidden on YouTube")
