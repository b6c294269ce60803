"""The Publish page's log of posts: one row per post, its text column taking the spare width."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHeaderView, QTableWidget, QTableWidgetItem

from smmod.posts import PostRecord
from smmod.ui.column_fit import ColumnFitter, Fit
from smmod.ui.plain import tip

COL_ID, COL_STATUS, COL_AUTHOR, COL_WHERE, COL_TEXT = range(5)


def make_log() -> tuple[QTableWidget, ColumnFitter]:
    log = QTableWidget(0, 5)
    log.setAccessibleName("Posts")
    log.setHorizontalHeaderLabels(["#", "Status", "Author", "Where", "Text"])
    log.verticalHeader().hide()
    log.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    log.verticalHeader().setDefaultSectionSize(log.fontMetrics().height() + 8)
    log.setWordWrap(False)
    log.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    log.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    log.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
    # The log spans the page's width, so its columns read in full at 1280×720.
    log.setMinimumHeight(log.fontMetrics().height() * 6 + 24)
    return log, ColumnFitter(log, _log_fits(log), COL_TEXT, stretch_min=160)


def fill_log(log: QTableWidget, fitter: ColumnFitter, posts: list[PostRecord]) -> None:
    log.setRowCount(len(posts))
    for row, post in enumerate(posts):
        where = ", ".join(f"{a.account}: {a.url}" if a.url else a.account for a in post.accounts)
        author = post.author_name or post.author
        cells = ((str(post.id), ""), (post.status_label, post.status_label),
                 (author, f"{author} (login: {post.author})"), (where, where),
                 (post.text.replace("\n", " "), post.text))
        for col, (value, hint) in enumerate(cells):
            cell = QTableWidgetItem(value)
            cell.setData(Qt.ItemDataRole.UserRole, post.id)
            cell.setToolTip(tip(hint))
            log.setItem(row, col, cell)
    fitter.fit()


def _log_fits(table: QTableWidget) -> dict[int, Fit]:
    metrics = table.fontMetrics()

    def text(sample: str) -> int:
        return metrics.horizontalAdvance(sample) + 14

    return {
        COL_ID: Fit(text("999"), text("9999")),
        COL_STATUS: Fit(text("Waiting for…"), text("Waiting for sign-off")),
        COL_AUTHOR: Fit(text("Sam S…"), text("Christopher Longname")),
        COL_WHERE: Fit(text("@oak_n…"), text("@brookfield_pe, @BrookfieldHead")),
    }
