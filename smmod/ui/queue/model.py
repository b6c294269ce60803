"""The triage table: a lazy model over the queue, for 100,000 items and more.

The model holds only the ids of the current filter and sort, in a compact array,
fetched by one indexed query. Rows are fetched a page at a time when the view first
asks for them and kept in a small cache, so ``data()`` runs at most one query per page
(never one per cell) and never raises. ``reload()`` picks up new and changed items
without losing the selection: rows that left go out, new ones come in, and then the
order is updated with the persistent indexes moved along.
"""

from __future__ import annotations

import logging
import time
from array import array
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)

from smmod.queue.idstream import ArrayStream, IdStream
from smmod.queue.records import QueueFilter, QueueRow, QueueSort
from smmod.ui.queue.columns import (
    COL_DEADLINE,
    HEADER_TIPS,
    HEADERS,
    SORT_KEYS,
    ItemIdRole,
    ObjectRole,
    cell_data,
)
from smmod.ui.variant import for_qt

log = logging.getLogger("smmod.ui.queue")

PAGE_SIZE = 100
CACHE_ROWS = 2_000
FIRST_SLICE = 3 * PAGE_SIZE  # ids read before the view first paints
SLICE = 25_000  # most ids read per event-loop turn after that
SLICE_MIN = 2_000  # the first turn after the first screen, and the fewest
SLICE_BUDGET_S = 0.03  # a turn of reading ids should hold the screen no longer
MAX_REMOVE_RANGES = 200  # beyond this, a reset is cheaper than row-by-row removal

_ROOT = QModelIndex()
_Index = QModelIndex | QPersistentModelIndex


class RowSource(Protocol):
    """What the model needs from the queue service (``QueueService.read``).

    A source may also offer ``open_ids`` (same arguments) returning an ``IdStream``;
    then the view appears after the first slice of ids and reads the rest between paints.
    """

    def ids(
        self, flt: QueueFilter = ..., sort: QueueSort = ..., now: datetime | None = ...
    ) -> array[int]: ...

    def rows(self, ids: Sequence[int]) -> dict[int, QueueRow]: ...


class QueueTableModel(QAbstractTableModel):
    ids_loaded = Signal(int)  # every id of the current query is in (rows shown)

    def __init__(
        self,
        source: RowSource,
        *,
        now: Callable[[], datetime],
        zone: ZoneInfo | None = None,
        sort: QueueSort | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._source = source
        self._now = now
        self._zone = zone or ZoneInfo("Europe/London")
        self._filter = QueueFilter()
        self._sort = sort or QueueSort()
        self._ids: array[int] = array("q")  # ids read so far, in display order
        self._total = 0  # rows in the current query (the view's row count)
        self._estimated = False  # _total is the database's estimate until every id is in
        self._stream: IdStream | ArrayStream | None = None
        self._cache: OrderedDict[int, QueueRow] = OrderedDict()
        self._clock: datetime = now()
        self._slicer = QTimer(self)
        self._slicer.setSingleShot(True)
        self._slicer.setInterval(0)
        self._slicer.timeout.connect(self._on_slicer_timeout)
        # Ids per turn, fitted to the time a turn takes: 25,000 ids come in about 10 ms
        # from SQLite but took 300 ms from a busy PostgreSQL server at 1,000,000 items.
        self._slice = SLICE_MIN
        self.fetches = 0  # pages fetched; lets tests and benches see the laziness

    # -- public -------------------------------------------------------------------
    @property
    def query(self) -> tuple[QueueFilter, QueueSort]:
        return self._filter, self._sort

    def set_query(self, flt: QueueFilter, sort: QueueSort | None = None) -> None:
        """Run the query for a new filter or sort: a reset, the view starts at the top."""
        self._close_stream()
        self.beginResetModel()
        self._filter = flt
        self._sort = sort or self._sort
        self._clock = self._now()
        self._cache.clear()
        self._ids, self._total, self._estimated = array("q"), 0, False
        try:
            self._stream = self._open_stream()
            self._total = self._stream.total
            self._estimated = getattr(self._stream, "estimated", False)
            self._ids = self._stream.fetch(FIRST_SLICE)
        except Exception:
            log.exception("loading the queue failed")
            self._close_stream()
            self._ids, self._total, self._estimated = array("q"), 0, False
            raise
        finally:
            self.endResetModel()
        self._slice = SLICE_MIN
        self._slicer.start()

    def finish_loading(self) -> None:
        """Read every remaining id now (before a reload or a search by id)."""
        if self._stream is not None:
            self._ids.extend(self._stream.rest())
        self._settle()

    def is_estimate(self) -> bool:
        """The row count is the database's estimate (a very large query still loading)."""
        return self._estimated

    @property
    def ids_read(self) -> int:
        """Ids of the current query read so far (the rest come between paints)."""
        return len(self._ids)

    def is_loading(self) -> bool:
        return self._stream is not None

    def reload(self) -> None:
        """Pick up new and changed items, keeping the selection and current item."""
        self.finish_loading()
        self._clock = self._now()
        fresh = self._source.ids(self._filter, self._sort, self._clock)
        self._cache.clear()
        if fresh == self._ids:
            self._emit_all_changed()
            return
        if not self._remove_missing(set(fresh)):
            self.beginResetModel()
            self._ids, self._total = fresh, len(fresh)
            self.endResetModel()
            return
        self._append_new(fresh)
        self._reorder(fresh)

    def tick(self) -> None:
        """Move the countdowns on; cached rows are reused, no query runs."""
        self._clock = self._now()
        if self._total:
            top = self.index(0, COL_DEADLINE)
            bottom = self.index(self._total - 1, COL_DEADLINE)
            self.dataChanged.emit(top, bottom, [Qt.ItemDataRole.DisplayRole])

    def forget(self, item_ids: Iterable[int]) -> None:
        """Drop cached rows after a change, so they are read again when next shown."""
        for item_id in item_ids:
            self._cache.pop(item_id, None)
            row = self.row_of(item_id)
            if row is not None:
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(HEADERS) - 1))

    def forget_all(self) -> None:
        """Read every row again when next shown (a change reached other items too, e.g.
        an author blocked on all their comments)."""
        self._cache.clear()
        self._emit_all_changed()

    def item_id(self, row: int) -> int | None:
        return self._ids[row] if self._ensure(row) else None

    def row_of(self, item_id: int) -> int | None:
        self.finish_loading()
        try:
            return self._ids.index(item_id)
        except ValueError:
            return None

    def row_data(self, row: int) -> QueueRow | None:
        return self._row(row)

    # -- QAbstractTableModel ------------------------------------------------------
    def rowCount(self, parent: _Index = _ROOT) -> int:  # QAbstractItemModel.rowCount
        return 0 if parent.isValid() else self._total

    def columnCount(self, parent: _Index = _ROOT) -> int:  # QAbstractItemModel.columnCount
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:  # QAbstractItemModel.headerData
        return for_qt(self._header(section, orientation, role))

    def _header(self, section: int, orientation: Qt.Orientation, role: int) -> Any:
        if orientation != Qt.Orientation.Horizontal or section not in HEADERS:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            return HEADER_TIPS.get(section)
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:  # QAbstractItemModel.flags
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    def sort(
        self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder
    ) -> None:  # QAbstractItemModel.sort
        key = SORT_KEYS.get(column)
        if key is None:
            return
        wanted = QueueSort(key, descending=order == Qt.SortOrder.DescendingOrder)
        if wanted != self._sort:
            self.set_query(self._filter, wanted)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # QAbstractItemModel.data
        return for_qt(self._value(index, role))

    def _value(self, index: _Index, role: int) -> Any:
        try:
            if not index.isValid() or index.parent().isValid():
                return None
            row = self._row(index.row())
            if row is None:
                return "…" if role == Qt.ItemDataRole.DisplayRole else None
            return self._data(row, index.column(), role)
        except Exception:
            log.exception("formatting queue row %s failed", index.row())
            return None

    # -- rows and pages -----------------------------------------------------------
    def _ensure(self, row: int) -> bool:
        """Make sure the id for ``row`` has been read (the user jumped ahead)."""
        if 0 <= row < len(self._ids):
            return True
        if row < 0 or self._stream is None:
            return False
        self._ids.extend(self._stream.fetch(max(SLICE, row + 1 - len(self._ids))))
        if self._stream.done:
            self._slicer.start()  # settle outside data(): it may change the row count
        return row < len(self._ids)

    def _open_stream(self) -> IdStream | ArrayStream:
        opener = getattr(self._source, "open_ids", None)
        if opener is not None:
            return opener(self._filter, self._sort, self._clock)  # type: ignore[no-any-return]
        return ArrayStream(self._source.ids(self._filter, self._sort, self._clock))

    def _close_stream(self) -> None:
        self._slicer.stop()
        stream, self._stream = self._stream, None
        if stream is not None:
            stream.close()

    def _settle(self) -> None:
        """The stream has ended: match the row count to the ids actually read."""
        if self._stream is not None and not self._stream.done:
            return
        self._close_stream()
        self._estimated = False
        got = len(self._ids)
        if got < self._total:  # an estimate, or count and cursor saw different data
            self.beginRemoveRows(_ROOT, got, self._total - 1)
            self._total = got
            self.endRemoveRows()
        elif got > self._total:  # more than the estimate
            self.beginInsertRows(_ROOT, self._total, got - 1)
            self._total = got
            self.endInsertRows()
        self.ids_loaded.emit(got)

    def _on_slicer_timeout(self) -> None:
        if self._stream is None:
            return
        if not self._stream.done:
            started = time.perf_counter()
            self._ids.extend(self._stream.fetch(self._slice))
            took = max(time.perf_counter() - started, 1e-4)
            self._slice = min(SLICE, max(SLICE_MIN, int(self._slice * SLICE_BUDGET_S / took)))
        if self._stream.done:
            self._settle()
        else:
            self._slicer.start()

    def _row(self, row: int) -> QueueRow | None:
        if not self._ensure(row):
            return None
        item_id = self._ids[row]
        found = self._cache.get(item_id)
        if found is not None:
            return found
        start = row - row % PAGE_SIZE
        wanted = [i for i in self._ids[start : start + PAGE_SIZE] if i not in self._cache]
        self.fetches += 1
        for key, value in self._source.rows(wanted).items():
            self._cache[key] = value
        while len(self._cache) > CACHE_ROWS:
            self._cache.popitem(last=False)
        return self._cache.get(item_id)

    # -- formatting ---------------------------------------------------------------
    def _data(self, row: QueueRow, column: int, role: int) -> Any:
        if role == ItemIdRole:
            return row.id
        if role == ObjectRole:
            return row
        return cell_data(row, column, role, self._clock, self._zone)

    # -- reload steps -------------------------------------------------------------
    def _emit_all_changed(self) -> None:
        if self._total:
            self.dataChanged.emit(self.index(0, 0), self.index(self._total - 1, len(HEADERS) - 1))

    def _remove_missing(self, keep: set[int]) -> bool:
        """Remove rows whose item left the view; False when a reset is better."""
        ranges: list[tuple[int, int]] = []
        for row, item_id in enumerate(self._ids):
            if item_id not in keep:
                if ranges and ranges[-1][1] == row - 1:
                    ranges[-1] = (ranges[-1][0], row)
                else:
                    ranges.append((row, row))
                if len(ranges) > MAX_REMOVE_RANGES:
                    return False
        for first, last in reversed(ranges):
            self.beginRemoveRows(_ROOT, first, last)
            del self._ids[first : last + 1]
            self._total = len(self._ids)
            self.endRemoveRows()
        return True

    def _append_new(self, fresh: array[int]) -> None:
        present = set(self._ids)
        added = [i for i in fresh if i not in present]
        if added:
            first = len(self._ids)
            self.beginInsertRows(_ROOT, first, first + len(added) - 1)
            self._ids.extend(added)
            self._total = len(self._ids)
            self.endInsertRows()

    def _reorder(self, fresh: array[int]) -> None:
        if fresh == self._ids:
            return
        assert len(fresh) == len(self._ids)
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        old_ids = [self._ids[p.row()] for p in persistent]
        self._ids = fresh
        where = {item_id: row for row, item_id in enumerate(fresh)} if persistent else {}
        self.changePersistentIndexList(
            persistent, [self.index(where[i], p.column()) for p, i in zip(persistent, old_ids, strict=True)]
        )
        self.layoutChanged.emit()
