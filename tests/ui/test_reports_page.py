"""The Reports page on the hand-computed fixture: figures, charts and drill-down."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, QPoint, Qt
from PySide6.QtWidgets import QApplication, QWidget

from smmod.reports.drill_records import Figure
from smmod.ui.pages import PageDeps
from smmod.ui.reports.chart import ChartView
from smmod.ui.reports.drill import DrillDialog
from smmod.ui.reports.page import ReportsPage
from smmod.ui.reports.tabs import Card, FigureTable
from tests.reports.fixture import COMMENT, PERIOD, Fixture, build

TIMEOUT = 30_000  # a bound, not a target: waits end as soon as the answer comes
pytestmark = pytest.mark.qt_log_ignore(r"^This plugin does not support propagateSizeHints\(\)")


@pytest.fixture
def fx(ctx, people, clock) -> Fixture:
    return build(ctx, people, clock)


@pytest.fixture
def page(qtbot, fx: Fixture, deps: PageDeps, show: Callable[[QWidget], QWidget]) -> ReportsPage:
    widget = show(ReportsPage(deps))
    assert isinstance(widget, ReportsPage)
    with qtbot.waitSignal(widget.report_loaded, timeout=TIMEOUT):
        widget.period.setCurrentIndex(widget.period.findText("Dates…"))
        widget.start.setDate(QDate(PERIOD.start.year, PERIOD.start.month, PERIOD.start.day))
        widget.end.setDate(QDate(PERIOD.end.year, PERIOD.end.month, PERIOD.end.day))
    qtbot.waitUntil(lambda: widget.report is not None and widget.report.scope.period == PERIOD,
                    timeout=TIMEOUT)
    return widget


def cards(page: ReportsPage) -> dict[str, Card]:
    tab = page.tabs.currentWidget()
    return {c.caption_label.text(): c for c in tab.findChildren(Card)}


def open_dialog(qtbot, page: ReportsPage, trigger: Callable[[], None]) -> DrillDialog:
    before = len(page.drills)
    trigger()
    qtbot.waitUntil(lambda: len(page.drills) > before and page.drills[-1].drill is not None,
                    timeout=TIMEOUT)
    dialog = page.drills[-1]
    qtbot.addWidget(dialog)
    return dialog


def test_the_deadline_tab_shows_the_hand_computed_figures(page: ReportsPage) -> None:
    shown = {caption: card.value_label.text() for caption, card in cards(page).items()}
    assert shown["received"] == "8"
    assert shown["answered on time"] == "33%"
    assert shown["late"] == "4" and shown["late and still open"] == "1"
    assert shown["median to first response"] == "18.0 h"
    assert shown["90% answered within"] == "22.2 h"
    table = page.findChild(FigureTable, "deadline_by_account")
    assert table is not None
    rows = {table.item(r, 0).text(): [table.item(r, c).text() for c in range(table.columnCount())]
            for r in range(table.rowCount())}
    assert rows["Facebook: @fixture_b"][1:4] == ["3", "0", "3"]


def test_a_card_opens_the_items_behind_it(qtbot, page: ReportsPage, fx: Fixture) -> None:
    dialog = open_dialog(qtbot, page, cards(page)["late"].click)
    assert dialog.table.rowCount() == 4
    ids = {dialog.table.item(r, 0).text() for r in range(4)}
    assert ids == {f"#{fx.items[i]}" for i in (1, 3, 4, 5)}
    assert "4 in all" in dialog.count.text()
    columns = range(dialog.table.columnCount())
    text = " ".join(dialog.table.item(r, c).text() for r in range(4) for c in columns)
    assert COMMENT not in text and "Tamsin" not in text


def test_a_table_cell_opens_on_enter(qtbot, page: ReportsPage, fx: Fixture) -> None:
    table = page.findChild(FigureTable, "deadline_by_moderator")
    assert table is not None
    row = next(r for r in range(table.rowCount()) if table.item(r, 0).text() == "Mo Second")
    table.setFocus()
    table.setCurrentCell(row, 3)  # late
    dialog = open_dialog(qtbot, page, lambda: qtbot.keyClick(table, Qt.Key.Key_Return))
    assert {dialog.table.item(r, 0).text() for r in range(dialog.table.rowCount())} == {
        f"#{fx.items[1]}", f"#{fx.items[3]}"}


def test_clicking_a_bar_opens_its_items(qtbot, page: ReportsPage, fx: Fixture) -> None:
    chart = page.findChild(ChartView, "chart_deadline_accounts")
    assert chart is not None
    box, figure, label = next(b for b in chart.bars() if b[1] and b[1].name == "breached"
                              and b[1].key == fx.accounts["B"])
    assert label.startswith("Facebook: @fixture_b · Late: 3")
    centre = chart.getPlotItem().vb.mapViewToScene(box.center())
    point = chart.mapFromScene(centre)
    dialog = open_dialog(qtbot, page, lambda: qtbot.mouseClick(
        chart.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(point.x(), point.y())))
    assert dialog.drill is not None and dialog.drill.total == 3
    assert figure == Figure("deadline", "breached", "account", fx.accounts["B"])


def test_every_tab_is_built_and_one_account_narrows_it(qtbot, page: ReportsPage) -> None:
    assert [page.tabs.tabText(i) for i in range(page.tabs.count())] == [
        "Deadline (R7)", "Monitoring (R13)", "Incidents (R9)", "People (R2, R4)", "Images (R11)"]
    for i in range(page.tabs.count()):
        page.tabs.setCurrentIndex(i)
        assert cards(page), page.tabs.tabText(i)
    page.tabs.setCurrentIndex(0)
    with qtbot.waitSignal(page.report_loaded, timeout=TIMEOUT):
        page.account.setCurrentIndex(page.account.findText("Facebook: @fixture_b"))
    assert cards(page)["received"].value_label.text() == "3"


def test_the_termly_pdf_is_written_where_asked(qtbot, page: ReportsPage, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    from smmod.ui.moderation import common

    target = tmp_path / "governors.pdf"
    monkeypatch.setattr(common, "choose_save_path", lambda *a, **k: target)
    page.pdf_action.trigger()
    assert target.is_file() and target.stat().st_size > 10_000
    assert "Wrote" in page.status.text()
    QApplication.processEvents()


def test_named_periods_fill_the_dates(page: ReportsPage) -> None:
    page.period.setCurrentIndex(page.period.findText("This month"))
    today = page._ctx.clock.today()
    assert page.start.date() == QDate(today.year, today.month, 1)
    assert not page.start.isEnabled()
    assert page.chosen_period().start == date(today.year, today.month, 1)
