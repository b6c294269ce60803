"""Building the Queue page over a long queue reads the rows on screen, not a thousand.

Qt sizes a column to its contents by formatting up to 1,000 rows of it; over the lazy
queue model that fetched ten pages of rows for every column on every resize while the
page was built (3.7 s at 1,000,000 items on PostgreSQL). The column fitter now
measures the rows on screen only.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtWidgets import QApplication, QWidget

from smmod.ui.pages import PageDeps
from smmod.ui.queue.columns import COL_AUTHOR
from smmod.ui.queue.model import PAGE_SIZE
from smmod.ui.queue.page import QueuePage
from tests.ui.test_queue_page import TIMEOUT, seed

pytestmark = pytest.mark.qt_log_ignore(r"^This plugin does not support propagateSizeHints\(\)")

ITEMS = 1_200  # well over the 1,000 rows Qt would measure


def settled(qtbot, page: QueuePage, runner) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: page.model.rowCount() == ITEMS and not page.model.is_estimate(),
                    timeout=TIMEOUT)
    runner.wait()
    QApplication.processEvents()


def test_building_the_page_fetches_only_the_first_screen(
    ctx, tmp_path, qtbot, deps: PageDeps, runner, show: Callable[[QWidget], QWidget]
):  # type: ignore[no-untyped-def]
    seed(ctx, tmp_path, ITEMS)
    page = show(QueuePage(deps))
    settled(qtbot, page, runner)
    page.resize(1280, 900)  # every resize fits the columns again
    QApplication.processEvents()
    on_screen = page.table.rowAt(page.table.viewport().height() - 1)
    assert 10 < on_screen < PAGE_SIZE  # the screen holds rows, all in the first page
    # One page of rows for the screen (and the selected first row); before, Qt's
    # measuring of 1,000 rows a column fetched ten.
    assert page.model.fetches == 1
    # The columns still fit what is on screen: the author names are not cut.
    width = page.table.columnWidth(COL_AUTHOR)
    names = [page.model.index(r, COL_AUTHOR).data() for r in range(on_screen)]
    metrics = page.table.fontMetrics()
    assert all(metrics.horizontalAdvance(str(n)) < width for n in names)


def test_a_page_built_hidden_does_not_measure_every_row(
    ctx, tmp_path, qtbot, deps: PageDeps, runner
):  # type: ignore[no-untyped-def]
    """While the table is hidden Qt has no screen, and would read "every row"."""
    seed(ctx, tmp_path, ITEMS)
    page = QueuePage(deps)
    qtbot.addWidget(page)
    page.refresh()  # loads while hidden: Qt then has no screen to measure on
    settled(qtbot, page, runner)
    page.table.column_fitter.fit()
    assert not page.isVisible()
    assert page.model.fetches == 1


def test_ids_after_the_first_screen_come_in_small_turns_first(
    ctx, tmp_path, qtbot, monkeypatch
):  # type: ignore[no-untyped-def]
    """The first turn after the first screen reads a few ids, so the page answers at
    once; later turns read as many as fit in a short time (at most ``SLICE``)."""
    from smmod.queue.records import QueueFilter
    from smmod.ui.queue import model as model_module
    from smmod.ui.queue.model import FIRST_SLICE, QueueTableModel

    monkeypatch.setattr(model_module, "SLICE_MIN", 100)
    monkeypatch.setattr(model_module, "SLICE", 400)
    seed(ctx, tmp_path, ITEMS)
    model = QueueTableModel(ctx.queue.read, now=ctx.queue.now)
    model.set_query(QueueFilter())
    model._slicer.stop()  # the turns one by one, as the event loop would run them
    assert model.ids_read == FIRST_SLICE and model.is_loading()
    model._on_slicer_timeout()
    assert model.ids_read == FIRST_SLICE + 100  # before: every id at once
    model._on_slicer_timeout()
    assert FIRST_SLICE + 200 <= model.ids_read <= FIRST_SLICE + 500
    with qtbot.waitSignal(model.ids_loaded, timeout=TIMEOUT) as loaded:
        model._slicer.start()
    assert loaded.args == [ITEMS] and model.ids_read == ITEMS == model.rowCount()
