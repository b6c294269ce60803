"""Table columns sized to what they show, with one column (the text) taking the rest.

Fixed pixel widths that add up to more than a 1280-pixel window push the most useful
column (a comment's text, an incident's title) off the right edge. ``ColumnFitter``
sizes each other column to its contents within a floor and a cap, and when that still
leaves the stretch column less than ``stretch_min`` pixels, squeezes the other columns
towards their floors (their text is elided; the tooltips have it in full), those that
matter least (the highest ``give``) first. A column a person has dragged to a width keeps
it.

Qt measures a column's contents on up to 1,000 rows (``resizeContentsPrecision``), the
rows on screen and then rows off it. For a lazy model over a million items that means
fetching and formatting 1,000 rows for every column on every resize of the view (the
queue page took seconds to build); ``screen_only`` measures the rows on screen alone.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPersistentModelIndex, Qt, QTimer, Slot
from PySide6.QtWidgets import (
    QApplication,
    QHeaderView,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
)


@dataclass(frozen=True)
class Fit:
    floor: int  # narrowest the column is squeezed to
    cap: int  # widest it grows to for long contents
    give: int = 0  # columns with a higher ``give`` are squeezed to their floors first


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
        squeezable = [c for c in shown if c not in self.user_widths]
        for give in sorted({self._fits[c].give for c in squeezable}, reverse=True):
            if excess <= 0:
                break
            floors = {c: self._fits[c].floor for c in squeezable if self._fits[c].give == give}
            excess -= _lower(widths, floors, excess)
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


def _lower(widths: dict[int, int], floors: dict[int, int], excess: int) -> int:
    """Take up to ``excess`` pixels from the widest of the ``floors`` columns first, none
    below its floor: a short handle stays whole while a long name is cut. Returns the
    pixels taken."""
    def taken(level: int) -> int:
        return sum(widths[c] - max(min(widths[c], level), f) for c, f in floors.items())

    low, high = 0, max((widths[c] for c in floors), default=0)
    while low < high:  # the highest level that frees enough, or the floors
        level = (low + high + 1) // 2
        if taken(level) >= excess:
            low = level
        else:
            high = level - 1
    freed = taken(low)
    for c, f in floors.items():
        widths[c] = max(min(widths[c], low), f)
    return freed


class MiddleElide(QStyledItemDelegate):
    """Cuts a long value in the middle ("FB brookfie…primary", "Christo…e-Smythe"): a
    handle or a name is told apart by its start and its end. The model's tooltip has it
    in full."""

    def initStyleOption(self, option: QStyleOptionViewItem,  # QStyledItemDelegate
                        index: QModelIndex | QPersistentModelIndex) -> None:
        super().initStyleOption(option, index)
        option.textElideMode = Qt.TextElideMode.ElideMiddle  # type: ignore[attr-defined]


def elide_middle(table: QTableView, *columns: int) -> MiddleElide:
    delegate = MiddleElide(table)
    for column in columns:
        table.setItemDelegateForColumn(column, delegate)
    return delegate
