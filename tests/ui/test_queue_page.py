"""The Queue page and its lazy table model, driven by keyboard against a real database."""

from __future__ import annotations

import html
from array import array
from collections.abc import Callable
from datetime import timedelta

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QApplication, QWidget

from smmod.context import AppContext
from smmod.platforms import platform_label
from smmod.queue.records import ManualItem, QueueFilter, QueueSort
from smmod.ui.pages import PageDeps
from smmod.ui.queue.actions import QueueAction
from smmod.ui.queue.columns import COL_CLAIMED, COL_DEADLINE, COL_STATUS, COL_TEXT, ItemIdRole, SlaStateRole
from smmod.ui.queue.import_dialog import ImportDialog
from smmod.ui.queue.manual_dialog import ManualEntryDialog
from smmod.ui.queue.model import QueueTableModel
from smmod.ui.queue.page import QueuePage
from tests.conftest import SUITE_NOW
from tests.queue.test_service_fixtures import NOW, Clock, add_account, service, write_csv
from tests.ui.conftest import Messages

TIMEOUT = 30_000  # a bound, not a target: waits end as soon as the answer comes
pytestmark = pytest.mark.qt_log_ignore(r"^This plugin does not support propagateSizeHints\(\)")


def seed(ctx: AppContext, tmp_path, count: int = 300) -> int:  # type: ignore[no-untyped-def]
    """``count`` comments received over the last day; returns the account id."""
    account = add_account(ctx)
    now = ctx.clock.now()
    rows = [
        [
            f"p{n}",
            "",
            f"Parent {n:03d}",
            (now - timedelta(minutes=5 * n + 1)).isoformat(),
            f"Question number {n} about the {'fair' if n % 10 == 0 else 'bus'}",
        ]
        for n in range(count)
    ]
    ctx.queue.import_file(ctx.actor, write_csv(tmp_path / "seed.csv", rows), account)
    return account


@pytest.fixture
def page_factory(qtbot, deps: PageDeps, show: Callable[[QWidget], QWidget]):  # type: ignore[no-untyped-def]
    def make() -> QueuePage:
        page = show(QueuePage(deps))
        page.activateWindow()
        qtbot.waitUntil(lambda: page.model.rowCount() > 0 or page._loaded, timeout=TIMEOUT)
        page.table.setFocus()
        qtbot.waitUntil(page.table.hasFocus, timeout=TIMEOUT)
        return page

    return make


def current_id(page: QueuePage) -> int | None:
    return page.current_item_id()


def press(
    qtbot,
    widget: QWidget,
    key: Qt.Key,  # type: ignore[no-untyped-def]
    modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier,
) -> None:
    qtbot.keyClick(widget, key, modifier)
    QApplication.processEvents()


# -- the lazy model --------------------------------------------------------------------
def test_lazy_model_passes_the_model_tester(ctx, tmp_path, qtmodeltester, qapp):
    seed(ctx, tmp_path)
    model = QueueTableModel(ctx.queue.read, now=ctx.queue.now)
    model.set_query(QueueFilter(), QueueSort())
    assert model.rowCount() == 300
    qtmodeltester.check(model, force_py=True)
    model.sort(COL_STATUS, Qt.SortOrder.DescendingOrder)
    qtmodeltester.check(model, force_py=True)


def test_model_fetches_pages_not_cells(ctx, tmp_path, qapp):
    seed(ctx, tmp_path)
    model = QueueTableModel(ctx.queue.read, now=ctx.queue.now)
    model.set_query(QueueFilter(), QueueSort())
    assert model.fetches == 0  # opening fetched ids only
    for row in range(100):
        for column in range(model.columnCount()):
            model.data(model.index(row, column))
    assert model.fetches == 1  # one page of 100 rows
    model.data(model.index(250, COL_TEXT))
    assert model.fetches == 2
    model.data(model.index(150, COL_TEXT))  # cached with the first page? no: 100 a page
    assert model.fetches == 3
    model.data(model.index(10, COL_TEXT))
    assert model.fetches == 3


def test_ids_arrive_in_slices_from_one_snapshot(qtbot, ctx, tmp_path, qapp):
    account = seed(ctx, tmp_path, 1000)
    model = QueueTableModel(ctx.queue.read, now=ctx.queue.now)
    model.set_query(QueueFilter(), QueueSort())
    assert model.rowCount() == 1000 and model.is_loading()
    assert len(model._ids) < 1000  # only the first slice so far
    # An item arriving while the ids are being read does not upset the count...
    ctx.queue.add_manual(ctx.actor, ManualItem(account, "Late", "arrived", ctx.clock.now()))
    # ...and jumping to the last row reads what is needed at once.
    assert model.index(999, COL_TEXT).data().startswith("Question number")
    with qtbot.waitSignal(model.ids_loaded, timeout=TIMEOUT) as loaded:
        pass
    assert loaded.args == [1000] and not model.is_loading() and model.rowCount() == 1000
    pool = ctx.queue.read._engine.pool
    assert pool.checkedout() == 0  # the read transaction ended
    model.reload()
    assert model.rowCount() == 1001


class Failing:
    """A row source whose page queries fail (the database went away)."""

    def ids(self, flt=None, sort=None, now=None):  # type: ignore[no-untyped-def]
        return array("q", [1, 2, 3])

    def rows(self, ids):  # type: ignore[no-untyped-def]
        raise RuntimeError("database is locked")


def test_data_never_raises(caplog, qapp):
    model = QueueTableModel(Failing(), now=lambda: SUITE_NOW)
    model.set_query(QueueFilter())
    assert model.rowCount() == 3
    assert model.index(0, COL_TEXT).data() is None
    assert model.data(QModelIndex()) is None
    assert "formatting queue row 0 failed" in caplog.text


def test_deadline_colours(ctx, qapp, clock):
    clock = Clock(clock)  # Tuesday 24 Nov 2026 12:00 UTC, a working day
    queue = service(ctx, clock)
    account = add_account(ctx)
    # The window is 24 h: 20 h in is amber (over 75 %), 25 h in is red.
    ids = {
        name: queue.add_manual(ctx.actor, ManualItem(account, name, "x", NOW - ago))
        for name, ago in (
            ("fresh", timedelta(hours=1)),
            ("late", timedelta(hours=25)),
            ("amber", timedelta(hours=20)),
        )
    }
    answered = queue.add_manual(ctx.actor, ManualItem(account, "done", "x", NOW - timedelta(hours=2)))
    queue.acknowledge_many(ctx.actor, [answered])
    model = QueueTableModel(queue.read, now=clock)
    model.set_query(QueueFilter())

    def cell(item_id: int, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        return model.index(model.row_of(item_id), COL_DEADLINE).data(role)

    assert [cell(ids[n], SlaStateRole) for n in ("fresh", "amber", "late")] == ["ok", "amber", "red"]
    assert cell(ids["fresh"]) == "Due in 23 h" and cell(ids["amber"]) == "Due in 4 h"
    assert cell(ids["late"]) == "Overdue 1 h"
    assert "overdue by 1 h" in str(cell(ids["late"], Qt.ItemDataRole.ToolTipRole))
    assert cell(ids["fresh"], Qt.ItemDataRole.BackgroundRole) is None
    amber_bg = cell(ids["amber"], Qt.ItemDataRole.BackgroundRole)
    red_bg = cell(ids["late"], Qt.ItemDataRole.BackgroundRole)
    assert amber_bg is not None and red_bg is not None and amber_bg != red_bg
    assert cell(answered) == "✓ Responded" and cell(answered, SlaStateRole) == "stopped"
    clock.advance(hours=4, minutes=30)  # the countdown moves on without a query
    fetched = model.fetches
    model.tick()
    assert cell(ids["amber"]) == "Overdue 30 min" and model.fetches == fetched
    queue.close()


# -- the page, by keyboard -------------------------------------------------------------
def test_keyboard_navigation_and_detail(qtbot, ctx, tmp_path, page_factory):
    seed(ctx, tmp_path, 30)
    page = page_factory()
    assert page.model.rowCount() == 30 and page.table.currentIndex().row() == 0
    first = current_id(page)
    press(qtbot, page.table, Qt.Key.Key_J)
    press(qtbot, page.table, Qt.Key.Key_J)
    assert page.table.currentIndex().row() == 2
    press(qtbot, page.table, Qt.Key.Key_K)
    assert page.table.currentIndex().row() == 1
    press(qtbot, page.table, Qt.Key.Key_Down)
    assert page.table.currentIndex().row() == 2
    detail = ctx.queue.read.detail(current_id(page))
    assert page.detail.text() == detail.text and detail.row.author_name in page.detail.header_text()
    # The account as people read it ("Facebook: …"), not the machine form ("facebook: …").
    platform, _, handle = detail.row.account_label.partition(": ")
    assert platform.islower() and f"{platform_label(platform)}: {handle}" in page.detail.header_text()
    assert detail.row.account_label not in page.detail.header_text()
    press(qtbot, page.table, Qt.Key.Key_Return)
    assert page.detail.focusWidget() is not None and not page.table.hasFocus()
    press(qtbot, QApplication.focusWidget(), Qt.Key.Key_Escape)
    assert page.table.hasFocus()
    press(qtbot, page.table, Qt.Key.Key_K)
    press(qtbot, page.table, Qt.Key.Key_K)
    press(qtbot, page.table, Qt.Key.Key_K)
    assert current_id(page) == first


def test_filter_by_keyboard(qtbot, ctx, tmp_path, page_factory):
    seed(ctx, tmp_path, 30)
    page = page_factory()
    press(qtbot, page.table, Qt.Key.Key_Slash)
    assert page.filters.search.hasFocus()
    with qtbot.waitSignal(page.items_reloaded, timeout=TIMEOUT):
        qtbot.keyClicks(page.filters.search, "fair")
    assert page.model.rowCount() == 3
    assert all("fair" in page.model.index(r, COL_TEXT).data() for r in range(3))
    # Letters typed in the search box never trigger the table's shortcuts.
    qtbot.keyClicks(page.filters.search, " jack")
    assert page.filters.search.text() == "fair jack"
    press(qtbot, page.filters.search, Qt.Key.Key_Escape)
    assert page.table.hasFocus()
    page.filters.set_search_now("")
    assert page.model.rowCount() == 30
    page.filters._overdue.setChecked(True)
    assert page.model.rowCount() == ctx.queue.read.count(QueueFilter(overdue=True))


def test_claim_and_acknowledge_by_keyboard(qtbot, ctx, tmp_path, page_factory):
    seed(ctx, tmp_path, 10)
    page = page_factory()
    item = current_id(page)
    with qtbot.waitSignal(page.items_changed, timeout=TIMEOUT):
        press(qtbot, page.table, Qt.Key.Key_C)
    assert ctx.queue.read.row(item).claimed_by == ctx.actor.staff_id
    qtbot.waitUntil(lambda: page.model.index(0, COL_CLAIMED).data() == "Hannah Head", timeout=TIMEOUT)
    with qtbot.waitSignal(page.items_changed, timeout=TIMEOUT):
        press(qtbot, page.table, Qt.Key.Key_A)
    row = ctx.queue.read.row(item)
    assert row.first_response_at is not None and row.status == "responded"
    assert page.model.index(page.model.row_of(item), COL_STATUS).data() == "Responded"


def test_bulk_acknowledge(qtbot, ctx, tmp_path, page_factory):
    seed(ctx, tmp_path, 10)
    page = page_factory()
    press(qtbot, page.table, Qt.Key.Key_J, Qt.KeyboardModifier.ShiftModifier)
    press(qtbot, page.table, Qt.Key.Key_J, Qt.KeyboardModifier.ShiftModifier)
    chosen = [r.id for r in page.selected_rows()]
    assert len(chosen) == 3
    with qtbot.waitSignal(page.items_changed, timeout=TIMEOUT):
        press(qtbot, page.table, Qt.Key.Key_A)
    assert all(ctx.queue.read.row(i).first_response_at for i in chosen)
    assert ctx.queue.read.count(QueueFilter(awaiting_response=True)) == 7


def test_claim_conflict_shows_reload(qtbot, ctx, tmp_path, page_factory, people):
    seed(ctx, tmp_path, 5)
    page = page_factory()
    item = current_id(page)
    seen = ctx.queue.read.row(item)
    ctx.queue.claim(people["mod1"], item, seen.version_id)  # another moderator, elsewhere
    with qtbot.waitSignal(page.conflict_shown, timeout=TIMEOUT) as shown:
        press(qtbot, page.table, Qt.Key.Key_C)
    banner = page.conflict_label.text()
    assert banner == shown.args[0] and page.conflict.isVisible()
    assert banner.count("changed elsewhere") == 1 and banner.lower().count("reload") == 1  # said once
    assert banner.startswith(f"#{item} was changed elsewhere. Nothing was claimed")
    assert ctx.queue.read.row(item).claimed_by == people["mod1"].staff_id  # not overwritten
    qtbot.mouseClick(page.reload_button, Qt.MouseButton.LeftButton)
    assert not page.conflict.isVisible()
    row = page.model.row_of(item)
    assert page.model.index(row, COL_CLAIMED).data() == "Morgan Moderator"


def test_new_items_keep_selection_and_scroll(qtbot, ctx, tmp_path, page_factory):
    account = seed(ctx, tmp_path, 200)
    page = page_factory()
    page.table.scrollToBottom()
    QApplication.processEvents()
    page._select_row(150)
    chosen = current_id(page)
    top = page._top_item_id()
    assert top is not None and top != page.model.item_id(0)
    now = ctx.clock.now()
    for n in range(5):  # older than everything: they sort to the top
        ctx.queue.add_manual(
            ctx.actor, ManualItem(account, f"New {n}", "Arrived just now", now - timedelta(days=3, minutes=n))
        )
    with qtbot.waitSignal(page.items_reloaded, timeout=TIMEOUT):
        page.check_for_changes()
    assert page.model.rowCount() == 205
    assert current_id(page) == chosen and page.table.currentIndex().row() == 155
    assert [r.id for r in page.selected_rows()] == [chosen]
    assert page._top_item_id() == top  # the same items stay in view
    assert page.model.index(0, COL_TEXT).data() == "Arrived just now"


def test_shortcuts_overlay_and_page_shortcuts(qtbot, ctx, tmp_path, page_factory):
    seed(ctx, tmp_path, 3)
    page = page_factory()
    keys = dict(page.shortcuts())
    for expected in ("J / Down", "K / Up", "Enter", "C", "A", "/ or Ctrl+F", "?"):
        assert expected in keys
    page.action(QueueAction.HELP).trigger()
    assert page.dialogs.overlay is not None and page.dialogs.overlay.isVisible()
    table = page.dialogs.overlay.findChild(QWidget, "shortcuts_table")
    texts = {table.item(r, 1).text() for r in range(table.rowCount())}
    assert "Claim the selected items" in texts
    page.dialogs.overlay.close()


def test_dashboard_strip_counts_and_r13(qtbot, ctx, tmp_path, page_factory):
    seed(ctx, tmp_path, 300)
    page = page_factory()
    qtbot.waitUntil(lambda: "not acknowledged" in page.dashboard.texts(), timeout=TIMEOUT)
    qtbot.waitUntil(lambda: "checked just now" in page.dashboard.texts(), timeout=TIMEOUT)
    dash = ctx.queue.read.dashboard()
    assert f"<b>{dash.not_acknowledged:,}</b> not acknowledged" in page.dashboard.texts()
    assert "FB brookfieldprimary" in page.dashboard.texts()


def test_import_dialog_checks_and_imports_valid_rows(qtbot, ctx, tmp_path, runner, msgs: Messages):
    account = add_account(ctx)
    rows = [
        ["1", "", "Ann Example", "20/11/2026 10:00", "fine"],
        ["2", "", "", "20/11/2026 10:05", "no author"],
    ]
    path = write_csv(tmp_path / "mixed.csv", rows)
    dialog = ImportDialog(ctx, runner)
    qtbot.addWidget(dialog)
    dialog.set_path(path)
    dialog.set_account(account)
    assert dialog.mapping_combo("author_name").currentText() == "Name"
    assert "read as Europe/London time" in dialog.zone_note.text()
    with qtbot.waitSignal(dialog.checked, timeout=TIMEOUT):
        dialog.check_button.click()
    assert dialog.problems.count() == 1 and "row 3" in dialog.problems.item(0).text()
    assert dialog.import_valid_button.isVisibleTo(dialog)
    assert dialog.import_valid_button.text() == "Import the 1 valid row"
    with qtbot.waitSignal(dialog.imported, timeout=TIMEOUT):
        dialog.import_valid_button.click()
    assert dialog.report.imported == 1 and (tmp_path / "mixed.rejects.csv").exists()
    assert "skipped and saved" in msgs.texts()


def test_import_dialog_refuses_bad_file_and_remembers_mapping(qtbot, ctx, tmp_path, runner, msgs: Messages):
    account = add_account(ctx)
    header = ["Ref", "Who", "When", "Said"]
    path = write_csv(tmp_path / "odd.csv", [["1", "Ann", "20/11/2026 10:00", "Hi"]], header)
    dialog = ImportDialog(ctx, runner)
    qtbot.addWidget(dialog)
    dialog.set_path(path)
    dialog.set_account(account)
    with qtbot.waitSignal(runner.busy_changed, timeout=TIMEOUT, check_params_cb=lambda busy: not busy):
        dialog.import_button.click()
    assert "missing required column" in dialog.summary.text()
    assert ctx.queue.read.count() == 0
    for name, column in (("author_name", "Who"), ("received_at", "When"), ("text", "Said")):
        combo = dialog.mapping_combo(name)
        combo.setCurrentIndex(combo.findText(column))
    with qtbot.waitSignal(dialog.imported, timeout=TIMEOUT):
        dialog.import_button.click()
    assert ctx.queue.read.count() == 1
    again = ImportDialog(ctx, runner)
    qtbot.addWidget(again)
    again.set_path(write_csv(tmp_path / "odd2.csv", [], header))
    assert again.mapping_combo("received_at").currentText() == "When"


def test_manual_entry(qtbot, ctx, runner, msgs: Messages):
    add_account(ctx)
    dialog = ManualEntryDialog(ctx, runner)
    qtbot.addWidget(dialog)
    dialog.buttons.accepted.emit()  # nothing filled in: refused, the dialog stays open
    qtbot.waitUntil(lambda: "must not be empty" in dialog.error.text(), timeout=TIMEOUT)
    assert dialog.isEnabled() and dialog.item_id is None
    dialog.author_name.setText("Phone call: Mrs Ali")
    dialog.author_kind.setCurrentText("parent")
    dialog.text.setPlainText("Rang to say the school gate was left open at 3pm.")
    with qtbot.waitSignal(dialog.added, timeout=TIMEOUT):
        dialog.buttons.accepted.emit()
    row = ctx.queue.read.row(dialog.item_id)
    assert row.author_kind == "parent" and row.kind == "comment"
    assert row.due_at > row.received_at


def test_item_ids_role(ctx, tmp_path, qapp):
    seed(ctx, tmp_path, 3)
    model = QueueTableModel(ctx.queue.read, now=ctx.queue.now)
    model.set_query(QueueFilter())
    assert [model.index(r, 0).data(ItemIdRole) for r in range(3)] == list(model._ids)


def test_feeds_dialog_adds_checks_and_shows_failures(
    qtbot, ctx, tmp_path, runner, page_factory, msgs: Messages
):
    from smmod.ui.queue.feeds_dialog import FeedsDialog
    from tests.queue.test_service_fixtures import DATA

    add_account(ctx)
    good = tmp_path / "alerts.xml"
    good.write_bytes((DATA / "alerts_atom.xml").read_bytes())
    dialog = FeedsDialog(ctx, runner)
    qtbot.addWidget(dialog)
    for name, url in (("Saved search", good.as_uri()), ("Gone", (tmp_path / "missing.xml").as_uri())):
        dialog.name.setText(name)
        dialog.url.setText(url)
        with qtbot.waitSignal(dialog.feeds_loaded, timeout=TIMEOUT):
            dialog.add_button.click()
    assert dialog.table.rowCount() == 2
    with qtbot.waitSignal(dialog.polled, timeout=TIMEOUT) as polled:
        dialog.check_all_button.click()
    assert sorted(r.ok for r in polled.args[0]) == [False, True]
    assert "2 new items" in dialog.message.text() and "Gone:" in dialog.message.text()
    qtbot.waitUntil(
        lambda: any(
            (dialog.table.item(r, 6) or dialog.table.item(0, 0)).text().startswith("Failed")
            for r in range(dialog.table.rowCount())
        ),
        timeout=TIMEOUT,
    )
    page = page_factory()
    qtbot.waitUntil(lambda: "1 feed failing" in page.dashboard.texts(), timeout=TIMEOUT)
    assert "Gone" in page.dashboard.texts() and page.model.rowCount() == 2


BAD_ENTRY_FEED = (
    '<rss version="2.0"><channel><title>Alerts</title>'
    "<item><title>Good one</title></item>"
    "<item><title>Bad date</title><pubDate>tomorrow</pubDate></item>"
    "</channel></rss>"
)


def test_import_dialog_imports_a_feed_and_lists_the_skipped_entry(
    qtbot, ctx, tmp_path, runner, msgs: Messages
):
    account = add_account(ctx)
    path = tmp_path / "alerts.xml"
    path.write_text(BAD_ENTRY_FEED, encoding="utf-8")
    dialog = ImportDialog(ctx, runner)
    qtbot.addWidget(dialog)
    dialog.set_path(path)
    dialog.set_account(account)
    with qtbot.waitSignal(dialog.checked, timeout=TIMEOUT):
        dialog.check_button.click()
    assert "will be skipped" in dialog.summary.text()
    assert dialog.problems.item(0).text().startswith("entry 2, field 'pubDate': 'tomorrow'")
    assert not dialog.import_valid_button.isVisibleTo(dialog)  # the plain Import keeps the good ones
    with qtbot.waitSignal(dialog.imported, timeout=TIMEOUT):
        dialog.import_button.click()
    assert dialog.report.imported == 1 and ctx.queue.read.count() == 1
    assert "1 entry was skipped and saved" in msgs.texts()


def test_feeds_dialog_shows_skipped_entries(qtbot, ctx, tmp_path, runner, msgs: Messages):
    from smmod.ui.queue.feeds_dialog import FeedsDialog

    add_account(ctx)
    path = tmp_path / "alerts.xml"
    path.write_text(BAD_ENTRY_FEED, encoding="utf-8")
    dialog = FeedsDialog(ctx, runner)
    qtbot.addWidget(dialog)
    dialog.name.setText("Alerts")
    dialog.url.setText(path.as_uri())
    with qtbot.waitSignal(dialog.feeds_loaded, timeout=TIMEOUT):
        dialog.add_button.click()
    with qtbot.waitSignal(dialog.polled, timeout=TIMEOUT):
        dialog.check_all_button.click()
    assert dialog.message.text() == "Checked 1 feed: 1 new item. Entries skipped: Alerts: 1."

    def status() -> tuple[str, str]:
        item = dialog.table.item(0, 6)  # None while the table reloads
        return (item.text(), item.toolTip()) if item is not None else ("", "")

    qtbot.waitUntil(lambda: "skipped" in status()[0], timeout=TIMEOUT)
    text, tip = status()
    assert text == "OK (1 new last time); 1 entry skipped: hover for why"
    # Shown as plain text: the entry's own words are escaped, never read as markup.
    assert html.escape("entry 2, field 'pubDate': 'tomorrow'") in tip


def test_large_query_on_a_server_shows_about_how_many(qtbot, ctx, tmp_path, page_factory, monkeypatch):
    """On PostgreSQL a query the planner expects to be very large shows its estimate,
    "about N items", and the exact count once every id has been read."""
    if ctx.queue.read._engine.dialect.name != "postgresql":
        pytest.skip("SQLite counts exactly: its count is cheap")
    from smmod.queue import idstream

    seed(ctx, tmp_path, 300)
    page = page_factory()
    qtbot.waitUntil(lambda: page.filters._count.text() == "300 items", timeout=TIMEOUT)
    monkeypatch.setattr(idstream, "EXACT_COUNT_UP_TO", 1)
    monkeypatch.setattr(idstream, "_planned_rows", lambda conn, statement: 1234)
    page._apply_filter()
    assert page.filters._count.text() == "about 1,234 items"
    qtbot.waitUntil(lambda: page.filters._count.text() == "300 items", timeout=TIMEOUT)
    assert page.model.rowCount() == 300 and not page.model.is_estimate()
