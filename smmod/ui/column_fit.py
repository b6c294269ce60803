"""Table columns sized to what they show, with one column (the text) taking the rest.

Fixed pixel widths that add up to more than a 1280-pixel window push the most useful
column (a comment's text, an incident's title) off the right edge. ``ColumnFitter``
sizes each other column to its contents within a floor and a cap, and when that still
leaves the stretch column less than ``stretch_min`` pixels, squeezes the other columns
towards their floors (their text is elided; the tooltips have it in full). A column a
person has dragged to a width keeps it.

Qt measures a column's contents on up to 1,000 rows (``resizeContentsPrecision``), the
rows on screen and then rows off it. For a lazy model over a million items that means
fetching and formatting 1,000 rows for every column on every resize of the view (the
queue page took seconds to build); ``screen_only`` measures the rows on screen alone.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Slot
from PySide6.QtWidgets import QApplication, QHeaderView, QTableView


@dataclass(frozen=True)
class Fit:
    floor: int  # narrowest the column is squeezed to
    cap: int  # widest it grows to for long contents


class ColumnFitter(QObject):
    def __init__(self, table: QTableView, fits: dict[int, Fit], stretch: int, *,
                 stretch_min: int = 220, screen_only: bool = False) -> None:
        super().__init__(table)
        self._screen_only = screen_only
        self._table = table
        self._fits = fits
        self._stretch = stretch
        self._stretch_min = stretch_min
        self._fitting = False
        self.user_widths: dict[int, int] = {}
        header = table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
        header.setTextElideMode(Qt.TextElideMode.ElideRight)
        header.sectionResized.connect(self._on_header_section_resized)
        table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self._viewport = table.viewport()
        self._viewport.installEventFilter(self)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self.fit)
        model = table.model()
        for signal in (model.modelReset, model.rowsInserted, model.layoutChanged):
            signal.connect(self._timer.start)
        self.fit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # QObject.eventFilter
        # The event's type first: during the table's destruction other events still
        # arrive here, and the table must not be touched then.
        if event.type() == QEvent.Type.Resize and watched is self._viewport:
            self.fit()
        return False

    def wanted(self, column: int) -> int:
        """The column's width for its contents (the rows on screen) and its header."""
        fit = self._fits[column]
        header = self._table.horizontalHeader()
        contents = max(header.sectionSizeHint(column), self._table.sizeHintForColumn(column))
        return max(fit.floor, min(fit.cap, contents))

    def _measure_screen_only(self) -> None:
        """At most the rows that fit on the viewport (never 0: Qt reads 0 as every row
        while the table is hidden)."""
        row_height = max(1, self._table.verticalHeader().defaultSectionSize())
        rows = self._table.viewport().height() // row_height + 1
        self._table.horizontalHeader().setResizeContentsPrecision(max(1, rows))

    @Slot()
    def fit(self) -> None:
        header = self._table.horizontalHeader()
        if self._screen_only:
            self._measure_screen_only()
        shown = [c for c in self._fits if not header.isSectionHidden(c)]
        widths = {c: self.user_widths.get(c) or self.wanted(c) for c in shown}
        room = self._table.viewport().width() - self._stretch_min
        excess = sum(widths.values()) - room
        slack = {c: widths[c] - self._fits[c].floor for c in shown if c not in self.user_widths}
        total_slack = sum(slack.values())
        if excess > 0 and total_slack > 0:
            share = min(1.0, excess / total_slack)
            for c, s in slack.items():
                widths[c] -= min(s, math.ceil(s * share))  # up, so the text gets its minimum
        self._fitting = True
        try:
            for c, w in widths.items():
                if header.sectionSize(c) != w:
                    header.resizeSection(c, w)
        finally:
            self._fitting = False

    @Slot(int, int, int)
    def _on_header_section_resized(self, column: int, _old: int, new: int) -> None:
        if self._fitting or column not in self._fits:
            return
        dragged = bool(QApplication.mouseButtons() & Qt.MouseButton.LeftButton)
        if dragged and new > 0:
            self.user_widths[column] = new
        else:  # shown or hidden from the header's menu
            self._timer.start()
