"""Text from outside is shown as it was written, never interpreted as HTML.

A comment, an author's name and a feed's name each carry "<b>bold</b><img src=x>". Qt
guesses rich text for labels in their default format and for every tooltip; wherever
such text is shown, what Qt draws must be those characters, not bold text and an image.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import Qt as QtGui
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QLabel, QWidget
from sqlalchemy import update

from smmod.context import AppContext
from smmod.identity import Actor
from smmod.moderation import EscalationInput
from smmod.queue.records import FeedInfo
from smmod.store.models import QueueItem
from smmod.ui.moderation import ModerationAction
from smmod.ui.pages import PageDeps
from smmod.ui.queue.columns import COL_AUTHOR, COL_TEXT
from tests.moderation.helpers import Desk, make_desk

pytestmark = pytest.mark.qt_log_ignore(r"^This plugin does not support propagateSizeHints\(\)")
RAW = "<b>bold</b><img src=x>"
TIMEOUT = 30_000  # a bound, not a target: waits end as soon as the answer comes


def drawn(text: object, fmt: Qt.TextFormat = Qt.TextFormat.AutoText) -> str:
    """What Qt shows for a label's text in ``fmt``, or for a tooltip (always AutoText)."""
    value = str(text or "")
    if fmt == Qt.TextFormat.PlainText:
        return value
    if fmt == Qt.TextFormat.RichText or QtGui.mightBeRichText(value):
        document = QTextDocument()
        document.setHtml(value)
        return document.toPlainText()
    return value


def label_drawn(label: QLabel) -> str:
    return drawn(label.text(), label.textFormat())


def every_label(widget: QWidget) -> str:
    return "\n".join(label_drawn(label) for label in widget.findChildren(QLabel) if label.text())


@pytest.fixture
def desk(ctx: AppContext, people: dict[str, Actor]) -> Desk:
    ctx.refresh_actor("mod1")
    return make_desk(ctx, people)


def test_the_helper_sees_what_qt_would_draw() -> None:
    assert drawn(RAW) == "bold\ufffc"  # Qt takes it for HTML: bold text and an image
    assert drawn(RAW, Qt.TextFormat.PlainText) == RAW


def test_the_queue_shows_outside_text_as_written(
    qtbot, deps: PageDeps, desk: Desk, show: Callable[[QWidget], QWidget]
) -> None:
    from smmod.ui.queue.page import QueuePage

    item_id = desk.add(f"Look: {RAW}", author=f"Evil {RAW}", author_kind="public")
    page = QueuePage(deps)
    show(page)
    page.refresh()
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=TIMEOUT)
    row = page.model.row_of(item_id)
    for column in (COL_TEXT, COL_AUTHOR):
        tip = page.model.index(row, column).data(Qt.ItemDataRole.ToolTipRole)
        assert RAW in drawn(tip), column
    page.go_to_item(item_id)
    qtbot.waitUntil(lambda: f"Evil {RAW}" in label_drawn(page.detail._header), timeout=TIMEOUT)
    assert page.detail.text() == f"Look: {RAW}"
    # The dialogs quote the item too.
    page.moderation.moderation_actions[ModerationAction.HIDE].trigger()
    dialog = page.moderation.dialog
    shown = every_label(dialog)
    assert f"Look: {RAW}" in shown and f"Evil {RAW}" in shown
    dialog.reject()
    page.moderation.moderation_actions[ModerationAction.ESCALATE].trigger()
    assert f"Evil {RAW}" in every_label(page.moderation.dialog)
    page.moderation.dialog.reject()


def test_feed_names_and_errors_in_the_dashboard_tooltip(qtbot) -> None:
    from smmod.ui.queue.dashboard import DashboardStrip

    strip = DashboardStrip()
    qtbot.addWidget(strip)
    feed = FeedInfo(1, 1, "facebook: oakfield", f"Alerts {RAW}", "https://example.org/feed", 60, True,
                    None, None, f"server said {RAW}", 0, 1)
    strip.show_feeds([feed])
    card = strip.findChild(QWidget, "dash_feeds")
    assert f"Alerts {RAW}: server said {RAW}" in drawn(card.toolTip())
    assert f"Alerts {RAW}" in label_drawn(card.label)


def test_incident_views_show_outside_text_as_written(
    qtbot, deps: PageDeps, desk: Desk, show: Callable[[QWidget], QWidget]
) -> None:
    from smmod.ui.moderation.incident_dialogs import CloseIncidentDialog
    from smmod.ui.moderation.incident_model import COL_TITLE
    from smmod.ui.moderation.incidents_page import IncidentsPage

    long_text = f"{RAW} " + "and a long rant " * 10
    item_id = desk.add(long_text, author=f"Evil {RAW}", author_kind="public")
    head = desk.people["head"]
    summary = desk.incidents.escalate(
        desk.people["mod1"], EscalationInput((item_id,), "harassment", "high", head.staff_id, False)
    )
    assert summary.title.startswith(f"Evil {RAW} on Instagram")
    desk.ctx.refresh_actor("head")
    page = IncidentsPage(deps)
    show(page)
    with qtbot.waitSignal(page.incident_shown, timeout=TIMEOUT):
        page.refresh()
    tip = page.model.index(0, COL_TITLE).data(Qt.ItemDataRole.ToolTipRole)
    assert f"Evil {RAW}" in drawn(tip)
    assert f"Evil {RAW}" in label_drawn(page.detail.header)
    timeline = page.detail.timeline
    tips = [timeline.item(r, 3).toolTip() for r in range(timeline.rowCount()) if timeline.item(r, 3)]
    assert any(RAW in drawn(t) for t in tips if t)
    close = CloseIncidentDialog(desk.incidents.detail(head, summary.id))
    qtbot.addWidget(close)
    assert f"Evil {RAW}" in every_label(close)


def test_handover_tooltips_show_claimed_items_as_written(qtbot, ctx, people, runner, show) -> None:
    from tests.accounts.helpers import TEST_SERVICE, MemoryKeyring
    from tests.handover.helpers import build_scene
    from tests.ui.test_handover_wizard import open_wizard, start

    scene = build_scene(ctx, people, MemoryKeyring(), TEST_SERVICE)
    with ctx.session_factory.begin() as session:
        session.execute(
            update(QueueItem)
            .where(QueueItem.id == scene.items[0])
            .values(text=f"Netball? {RAW}", author_name=f"Evil {RAW}", version_id=QueueItem.version_id + 1)
        )
    wizard = open_wizard(qtbot, scene, runner, show)
    start(qtbot, wizard, scene)
    tree = wizard.holdings_page.tree
    tips = [
        tree.topLevelItem(g).child(c).toolTip(1)
        for g in range(tree.topLevelItemCount())
        for c in range(tree.topLevelItem(g).childCount())
    ]
    assert any(f"Evil {RAW}: Netball? {RAW}" in drawn(t) for t in tips)
    wizard.work_page.initializePage()  # the claimed items table, with its tooltips
    table = wizard.work_page.items_table
    tips = [table.item(r, 2).toolTip() for r in range(table.rowCount())]
    assert any(f"Netball? {RAW}" in drawn(t) for t in tips)
