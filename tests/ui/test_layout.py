"""Every page works at 1280×720 and 1920×1080: geometry read from the real widgets.

The main window is shown at the size of a small laptop screen with real data in it, and
the tests measure what a person would see: the queue's Text column on screen and wide
enough to read, no horizontal scroll bar in the account detail, every settings
description shown in full, and no page that makes the window wider than the screen.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QStyle,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from smmod import formatting as fmt
from smmod.accounts import AccountService
from smmod.accounts.records import AccountInput
from smmod.context import AppContext
from smmod.identity import Actor
from smmod.moderation.records import EscalationInput
from smmod.queue.records import ManualItem
from smmod.ui.accounts.model import CCOL_ROTATED, ObjectRole, ShortRole
from smmod.ui.accounts.page import AccountsPage
from smmod.ui.dialogs.settings import SettingsDialog
from smmod.ui.mainwindow import MainWindow
from smmod.ui.moderation.incident_model import COL_LEAD, COL_OPENED, COL_POLICE, COL_TITLE
from smmod.ui.moderation.incidents_page import IncidentsPage
from smmod.ui.queue.columns import COL_ACCOUNT, COL_AUTHOR, COL_FLAGS, COL_RECEIVED, COL_TEXT
from smmod.ui.queue.flag_icons import icon_size
from smmod.ui.queue.page import QueuePage
from smmod.ui.queue.widgets import column_fits
from smmod.ui.tasks import TaskRunner
from tests.accounts.helpers import MemoryKeyring, active_account, make_accounts, make_credentials
from tests.conftest import SUITE_TODAY
from tests.moderation.helpers import Desk, make_desk

pytestmark = pytest.mark.qt_log_ignore(r"^This plugin does not support propagateSizeHints\(\)")
TIMEOUT = 30_000  # a bound, not a target: waits end as soon as the answer comes
SMALL = QSize(1280, 720)
LARGE = QSize(1920, 1080)
TEXT_MIN = 200  # the comment's text, readable at a glance

COMMENTS = [
    ("I am going to kill that teacher, watch out", "Angry Dad"),  # threat + police advised
    ("Call me on 07700 900123 about the uniform swap please", "Christopher Longname-Smythe"),
    ("What a crap referee, useless, and the ref was racist too", "anon_troll_77"),
    ("Will the Christmas fair still go ahead if it snows?", "Sarah Whitfield"),
    ("Thank you to all the staff for the lovely harvest assembly.", "Grace Hall"),
]


@pytest.fixture
def desk(ctx: AppContext, people: dict[str, Actor]) -> Desk:
    desk = make_desk(ctx, people)
    for n, (text, author) in enumerate(COMMENTS):
        desk.add(text, author=author, hours_ago=3 + 9 * n)
    return desk


@pytest.fixture
def window(qtbot, ctx: AppContext, runner: TaskRunner,
           show: Callable[[QWidget], QWidget]) -> MainWindow:
    shown = show(MainWindow(ctx, runner))  # at 1280×720
    assert isinstance(shown, MainWindow)
    return shown


def resize(qtbot, window: QWidget, size: QSize) -> None:
    window.resize(size)
    qtbot.waitUntil(lambda: window.size() == size, timeout=TIMEOUT)
    QApplication.processEvents()


def column_rect(table: QTableView, column: int) -> QRect:
    """Where the column is drawn, in the table's viewport coordinates."""
    return QRect(table.columnViewportPosition(column), 0, table.columnWidth(column),
                 table.viewport().height())


def open_queue(qtbot, window: MainWindow, rows: int) -> QueuePage:
    window.show_page("queue")
    page = window.page("queue")
    assert isinstance(page, QueuePage)
    qtbot.waitUntil(lambda: page.model.rowCount() == rows, timeout=TIMEOUT)
    return page


def test_the_queue_text_column_is_on_screen_and_takes_the_spare_width(
        qtbot, desk: Desk, window: MainWindow) -> None:
    page = open_queue(qtbot, window, len(COMMENTS))
    table = page.table
    for size in (SMALL, LARGE):
        resize(qtbot, window, size)
        viewport = table.viewport().rect()
        text = column_rect(table, COL_TEXT)
        assert viewport.contains(text), f"at {size}: Text at {text} is outside {viewport}"
        assert text.width() >= TEXT_MIN, f"at {size}: Text is {text.width()} px wide"
        assert text.right() == viewport.right(), "the Text column takes the width that is left"
        assert not table.horizontalScrollBar().isVisible()
        # Flags are badges, never cut: the column holds four (more become "+n").
        assert table.columnWidth(COL_FLAGS) >= icon_size().width()
    # On a large screen the text gets the room, not the other columns.
    others = [table.columnWidth(c) for c in range(COL_TEXT) if not table.isColumnHidden(c)]
    assert table.columnWidth(COL_TEXT) > 2 * max(others)


def test_a_column_a_moderator_shows_still_leaves_the_text_on_screen(
        qtbot, desk: Desk, window: MainWindow) -> None:
    page = open_queue(qtbot, window, len(COMMENTS))
    header = page.table.horizontalHeader()
    for toggle in header.actions():  # "Show Received", hidden until asked for
        if not toggle.isChecked():
            toggle.setChecked(True)
    qtbot.waitUntil(lambda: not page.table.isColumnHidden(COL_RECEIVED), timeout=TIMEOUT)
    QApplication.processEvents()
    # At 1280 px the other columns give way to their floors: the text stays on screen.
    text = column_rect(page.table, COL_TEXT)
    assert page.table.viewport().rect().contains(text)
    assert text.width() >= 120
    assert not page.table.horizontalScrollBar().isVisible()
    resize(qtbot, window, LARGE)
    assert column_rect(page.table, COL_TEXT).width() >= TEXT_MIN


def shown_in_full(table: QTableView, row: int, column: int) -> tuple[bool, QStyleOptionViewItem]:
    """Whether the cell's text fits its column, as the table's own delegate draws it."""
    index = table.model().index(row, column)
    delegate = table.itemDelegateForIndex(index)
    option = QStyleOptionViewItem()
    table.initViewItemOption(option)  # the view's elide mode, font and margins
    delegate.initStyleOption(option, index)
    return delegate.sizeHint(option, index).width() <= table.columnWidth(column), option


def test_the_queue_account_and_author_are_readable_at_1280x720(
        qtbot, ctx: AppContext, people: dict[str, Actor], desk: Desk,
        window: MainWindow) -> None:
    # A second account with a handle as long as most schools' ("FB brookfieldprimary"),
    # and authors as the demo school has them.
    account = active_account(make_accounts(ctx), people, platform="facebook",
                             handle="brookfieldprimary",
                             url="https://www.facebook.com/brookfieldprimary")
    for n, author in enumerate(("Priya Nadarajan", "Brookfield Primary School")):
        ctx.queue.add_manual(people["mod1"], ManualItem(
            account_id=account, author_name=author, text="When is the harvest assembly?",
            received_at=ctx.clock.now() - timedelta(hours=1 + n), kind="comment",
            author_kind="parent"))
    page = open_queue(qtbot, window, len(COMMENTS) + 2)
    table = page.table
    assert window.size() == SMALL
    QApplication.processEvents()
    fits = column_fits(table)
    cut = []
    for column in (COL_ACCOUNT, COL_AUTHOR):
        assert not table.isColumnHidden(column)
        assert column_rect(table, column).right() <= table.viewport().rect().right()
        for row in range(page.model.rowCount()):  # every row is on screen here
            text = str(page.model.index(row, column).data())
            whole, option = shown_in_full(table, row, column)
            if whole:
                continue
            # A name longer than the room a 1280-pixel screen has for it: cut in the middle
            # (start and end still read), whole in the tooltip.
            cut.append(text)
            assert table.columnWidth(column) >= fits[column].floor, f"{text!r} is cut short"
            assert option.textElideMode == Qt.TextElideMode.ElideMiddle
            assert text in str(page.model.index(row, column).data(Qt.ItemDataRole.ToolTipRole))
    # Every account and every author's name of usual length is read in full.
    assert sorted(cut) == ["Brookfield Primary School", "Christopher Longname-Smythe"]
    # The tooltip says who wrote it in words, not the stored code ("parent").
    author_tip = str(page.model.index(0, COL_AUTHOR).data(Qt.ItemDataRole.ToolTipRole))
    assert "(parent or carer)" in author_tip
    # The comment's text still takes the rest of the width.
    assert column_rect(table, COL_TEXT).width() >= TEXT_MIN


def test_the_queue_detail_header_is_shown_in_full_at_1280x720(
        qtbot, desk: Desk, window: MainWindow) -> None:
    page = open_queue(qtbot, window, len(COMMENTS))
    threat = page.model.item_id(0)  # two flags and a long author line: the header wraps
    page.go_to_item(threat)
    header = page.detail.findChild(QLabel, "detail_header")
    qtbot.waitUntil(lambda: "Flags:" in header.text(), timeout=TIMEOUT)
    QApplication.processEvents()
    assert header.height() >= header.heightForWidth(header.width())


def test_the_incident_title_column_is_readable_at_1280x720(
        qtbot, desk: Desk, window: MainWindow, people: dict[str, Actor]) -> None:
    item = desk.add("Another threat, which SLT must see", author="Angry Dad")
    desk.incidents.escalate(people["head"], EscalationInput(
        (item,), "threat_of_violence", "high", people["head"].staff_id or 0, False, reason="Threat"))
    window.show_page("incidents")
    page = window.page("incidents")
    assert isinstance(page, IncidentsPage)
    qtbot.waitUntil(lambda: page.table.model().rowCount() == 1, timeout=TIMEOUT)
    title = column_rect(page.table, COL_TITLE)
    assert page.table.viewport().rect().contains(title)
    assert title.width() >= 150
    # Who leads it and when it was opened are read whole; the police column and the
    # category give way first (both are in the detail's header in full).
    for column in (COL_LEAD, COL_OPENED):
        assert shown_in_full(page.table, 0, column)[0], page.table.model().index(0, column).data()
    police = page.table.model().index(0, COL_POLICE)
    assert str(police.data()) in str(police.data(Qt.ItemDataRole.ToolTipRole))


@pytest.fixture
def accounts(ctx: AppContext) -> AccountService:
    make_credentials(ctx, MemoryKeyring())
    return make_accounts(ctx)


def test_the_account_detail_has_no_horizontal_scroll_bar(
        qtbot, ctx: AppContext, accounts: AccountService, people: dict[str, Actor],
        window: MainWindow) -> None:
    # At risk (a runner who may not run accounts), a long address, and every vault button.
    account = accounts.register_existing(people["head"], AccountInput(
        platform="facebook", handle="OakfieldPrimarySchoolParentsAndCarersAssociation",
        url="https://www.facebook.com/groups/oakfield-primary-school-parents-and-carers",
        aim="Share news of fairs, discos and fundraising with the families of our pupils.",
        audience="Parents and carers", promotion="Newsletter", visibility="open",
        lead=people["run1"].staff_id, runners=(people["vol1"].staff_id,)),
        attestation="Approved by governors, 2023", accept_problems=True)
    stored = ctx.credentials.add(people["head"], account.id, login_name="pta@oakfield.sch.uk",
                                 secret="S3cret-harbour-kettle-1!",
                                 note="Codes go to the office phone")
    # Rotated and awaiting confirmation: the longest "Last rotated" there is.
    ctx.credentials.rotate(people["head"], stored.id, stored.version_id,
                           "Lantern-orchard-Velvet-82!", pending=True)
    window.show_page("accounts")
    page = window.page("accounts")
    assert isinstance(page, AccountsPage)
    qtbot.waitUntil(lambda: page.proxy.rowCount() == 1, timeout=TIMEOUT)
    with qtbot.waitSignal(page.detail_loaded, timeout=TIMEOUT):
        assert page.select_account(account.id)
    for size in (SMALL, LARGE):
        resize(qtbot, window, size)
        scroll = page.detail_scroll
        assert page.detail.risk_label.isVisible()
        assert not scroll.horizontalScrollBar().isVisible(), f"at {size}"
        assert page.detail.minimumSizeHint().width() <= scroll.viewport().width()
        assert page.detail.width() <= scroll.viewport().width()
        for label in page.detail.findChildren(QLabel):
            if label.isVisible() and label.wordWrap():
                assert label.height() >= label.heightForWidth(label.width()), label.text()
        credentials = page.detail.credentials_panel.table
        assert not credentials.horizontalScrollBar().isVisible(), f"at {size}"
        rotated = credentials.model().index(0, CCOL_ROTATED)
        assert "awaiting confirmation" in str(rotated.data(Qt.ItemDataRole.ToolTipRole))


def test_every_page_fits_a_1280x720_screen(
        qtbot, desk: Desk, window: MainWindow) -> None:
    for key in window.page_keys():
        window.show_page(key)
        QApplication.processEvents()
        hint = window.minimumSizeHint()
        assert hint.width() <= SMALL.width() and hint.height() <= SMALL.height(), (
            f"the {key} page needs {hint.width()}×{hint.height()}")
        assert window.size() == SMALL, f"showing {key} made the window {window.size()}"


def test_the_window_opens_no_larger_than_the_screen(qtbot) -> None:
    window = MainWindow()  # the size it asks for, before anything is in it
    qtbot.addWidget(window)
    screen = QGuiApplication.primaryScreen().availableGeometry()
    assert window.width() <= screen.width() and window.height() <= screen.height()


def test_every_settings_description_is_shown_in_full(
        qtbot, ctx: AppContext, show: Callable[[QWidget], QWidget]) -> None:
    dialog = SettingsDialog(ctx.settings)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    screen = QGuiApplication.primaryScreen().availableGeometry()
    assert dialog.width() <= screen.width() and dialog.height() <= screen.height()
    labels = dialog.findChildren(QLabel)
    for setting, _value in ctx.settings.items():
        holding = [label for label in labels if setting.description in label.text()]
        assert holding, f"{setting.key}: its description is not shown"
        for label in holding:
            assert label.wordWrap(), setting.key
            assert label.height() >= label.heightForWidth(label.width()), (
                f"{setting.key}: {label.height()} px shown of {label.heightForWidth(label.width())}")


def test_the_account_list_does_not_scroll_sideways_at_1280x720(
        qtbot, accounts: AccountService, people: dict[str, Actor], window: MainWindow) -> None:
    # As in the demo school: long handles, an account at risk, four lead names.
    for platform, handle, lead in (
            ("facebook", "brookfieldprimary", "run1"),
            ("instagram", "brookfield_pe", "vol1"),  # at risk: a volunteer may not run it
            ("x", "BrookfieldHead", "slt2"),
            ("youtube", "BrookfieldMusicAndDrama", "admin2")):
        accounts.register_existing(people["head"], AccountInput(
            platform=platform, handle=handle, url=f"https://{platform}.com/{handle}",
            aim="Share school news.", audience="Parents and carers", promotion="Newsletter",
            visibility="open", lead=people[lead].staff_id, runners=(people["run1"].staff_id,)),
            attestation="Approved by governors", accept_problems=True)
    window.show_page("accounts")
    page = window.page("accounts")
    assert isinstance(page, AccountsPage)
    qtbot.waitUntil(lambda: page.proxy.rowCount() == 4, timeout=TIMEOUT)
    page.table.selectRow(0)
    table = page.table
    for size in (SMALL, LARGE):
        resize(qtbot, window, size)
        qtbot.waitUntil(lambda: not table.horizontalScrollBar().isVisible(), timeout=TIMEOUT)
        header = table.horizontalHeader()
        used = sum(header.sectionSize(c) for c in range(header.count()))
        assert used <= table.viewport().width(), f"at {size}"
        metrics = table.fontMetrics()
        for row in range(page.proxy.rowCount()):
            for column in range(page.proxy.columnCount()):
                index = page.proxy.index(row, column)
                text = index.data()
                if metrics.horizontalAdvance(text) + 12 > table.columnWidth(column):
                    assert index.data(Qt.ItemDataRole.ToolTipRole), f"{text!r} is cut, no tooltip"
        status = next(c for c in range(header.count()) if header.model().headerData(
            c, Qt.Orientation.Horizontal) == "Status")
        assert all(metrics.horizontalAdvance(page.proxy.index(r, status).data()) + 12
                   <= table.columnWidth(status) for r in range(4)), "a status is cut"


def test_the_account_list_reads_well_at_1280x720(
        qtbot, accounts: AccountService, people: dict[str, Actor], window: MainWindow) -> None:
    # The demo school's register: names of accounts and people must be read, not guessed.
    for platform, handle, lead in (
            ("facebook", "brookfieldprimary", "run1"),
            ("instagram", "brookfield_pe", "vol1"),  # at risk: a volunteer may not run it
            ("x", "BrookfieldHead", "slt2"),
            ("youtube", "BrookfieldMusic", "admin2")):
        accounts.register_existing(people["head"], AccountInput(
            platform=platform, handle=handle, url=f"https://{platform}.com/{handle}",
            aim="Share school news.", audience="Parents and carers", promotion="Newsletter",
            visibility="open", lead=people[lead].staff_id, runners=(people["run1"].staff_id,),
            review_on=SUITE_TODAY + timedelta(days=365)),
            attestation="Approved by governors", accept_problems=True)
    window.show_page("accounts")
    page = window.page("accounts")
    assert isinstance(page, AccountsPage)
    qtbot.waitUntil(lambda: page.proxy.rowCount() == 4, timeout=TIMEOUT)
    page.table.selectRow(0)
    table, proxy = page.table, page.proxy
    header = table.horizontalHeader()
    titles = {str(proxy.headerData(c, Qt.Orientation.Horizontal)): c for c in range(header.count())}
    assert table.isColumnHidden(titles["Platform"]) and table.isColumnHidden(titles["Runners"])
    metrics = table.fontMetrics()
    # An item view draws its text inside this margin each side, and elides what is wider.
    margin = table.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin) + 1

    def shown(row: int, title: str) -> str:
        index = proxy.index(row, titles[title])
        text = index.data()
        short = index.data(ShortRole)  # what the review date's delegate draws when narrow
        width = table.columnWidth(titles[title]) - 2 * margin
        if short and metrics.horizontalAdvance(text) > width:
            text = short
        assert metrics.horizontalAdvance(text) <= width, (
            f"{title} {index.data()!r} is cut to {table.columnWidth(titles[title])} px")
        return text

    resize(qtbot, window, SMALL)
    qtbot.waitUntil(lambda: not table.horizontalScrollBar().isVisible(), timeout=TIMEOUT)
    rows = {proxy.index(r, titles["Account"]).data(ObjectRole).handle: r for r in range(4)}
    pe = rows["brookfield_pe"]
    assert shown(pe, "Account") == "IG brookfield_pe"
    assert proxy.index(pe, titles["Account"]).data(Qt.ItemDataRole.ToolTipRole) == (
        "brookfield_pe on Instagram")
    assert shown(rows["brookfieldprimary"], "Account") == "FB brookfieldprimary"
    assert shown(rows["BrookfieldMusic"], "Account") == "YT BrookfieldMusic"
    assert shown(rows["BrookfieldHead"], "Account") == "X BrookfieldHead"
    assert {shown(r, "Lead") for r in range(4)} == {
        "Riley Runner", "Val Volunteer", "Sam Senior", "Alex Admin"}
    rules = list(dict.fromkeys(p.rule for p in proxy.index(pe, 0).data(ObjectRole).problems))
    assert len(rules) == 2 and "R4" in rules  # a compact badge; every problem in its tooltip
    assert shown(pe, "Problems") == f"{rules[0]} +1"
    tooltip = proxy.index(pe, titles["Problems"]).data(Qt.ItemDataRole.ToolTipRole)
    assert all(rule in tooltip for rule in rules)
    assert shown(rows["BrookfieldHead"], "Problems") == "—"
    review = SUITE_TODAY + timedelta(days=365)
    assert shown(pe, "Review") in (fmt.day(review), fmt.month(review))
    # Runners come back from the header's context menu, still with no sideways scrolling.
    (show_runners,) = [a for a in header.actions() if a.text() == "Show Runners"]
    show_runners.trigger()
    assert not table.isColumnHidden(titles["Runners"])
    qtbot.waitUntil(lambda: table.columnWidth(titles["Runners"]) < 100, timeout=TIMEOUT)  # fitted
    assert not table.horizontalScrollBar().isVisible()
    assert sum(header.sectionSize(c) for c in range(header.count()) if not table.isColumnHidden(c)) \
        <= table.viewport().width()
    assert shown(pe, "Account") == "IG brookfield_pe"
