"""Taking rows off the Check tab's list, and putting them back (Del, Ctrl+Z).

The log keeps every check: removing a row only tidies the list a person works through.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelectionModel, QObject, Signal, Slot

from smmod.ui.images.check_export import images_text
from smmod.ui.images.check_list import COL_FILE, Removed
from smmod.ui.images.models import Entry, entry_name

if TYPE_CHECKING:
    from smmod.ui.images.check_layout import CheckTabLayout


class RowRemoval(QObject):
    """Del takes the selected rows off the list; Ctrl+Z puts the last ones back."""

    notice = Signal(str)
    changed = Signal()  # rows went or came back: the tab shows, counts and enables anew
    restored = Signal(list)  # entries put back

    def __init__(self, tab: CheckTabLayout, selected_rows: Callable[[], list[int]]) -> None:
        super().__init__(tab)
        self._tab = tab
        self._selected_rows = selected_rows
        self._removed: list[Removed] = []

    def can_undo(self) -> bool:
        return bool(self._removed)

    @Slot()
    def remove_selected(self) -> None:
        tab = self._tab
        rows = self._selected_rows()
        if not rows:
            return
        removed = tab.model.remove(rows)
        self._removed.append(removed)
        count = len(removed.rows)
        what = entry_name(removed.rows[0][1]) if count == 1 else images_text(count)
        self.notice.emit(f"Removed {what} from the list (Ctrl+Z puts it back).")
        if tab.model.rowCount():
            row = min(min(rows), tab.model.rowCount() - 1)
            index = tab.proxy.mapFromSource(tab.model.index(row, COL_FILE))
            if index.isValid():
                tab.table.selectionModel().setCurrentIndex(
                    index,
                    QItemSelectionModel.SelectionFlag.ClearAndSelect
                    | QItemSelectionModel.SelectionFlag.Rows,
                )
        self.changed.emit()

    @Slot()
    def undo(self) -> None:
        if not self._removed:
            return
        back: list[Entry] = self._tab.model.restore(self._removed.pop())
        self.restored.emit(back)
        self.notice.emit(f"Put {images_text(len(back))} back in the list.")
        self.changed.emit()
