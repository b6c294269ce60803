"""A row of controls that wraps onto a second line when the window is narrow.

Rows of buttons and filters laid out with QHBoxLayout make the whole window at least as
wide as the row; on a 1280-pixel screen that pushes pages off the edge. A FlowLayout
keeps each control at its size hint and starts a new line when the next one does not
fit, so the row asks only for the width of its widest control.
"""

from __future__ import annotations

from PySide6.QtCore import QMargins, QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QLayout, QLayoutItem, QSizePolicy, QWidget, QWidgetItem


class FlowLayout(QLayout):
    def __init__(self, parent: QWidget | None = None, *, spacing: int = 6) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._spacing = spacing
        self._stretchy: set[int] = set()  # ids of items that take a line's spare width
        self.setContentsMargins(0, 0, 0, 0)

    # -- building -----------------------------------------------------------------
    def addItem(self, item: QLayoutItem) -> None:  # QLayout.addItem
        self._items.append(item)

    def add(self, widget: QWidget, *, stretch: bool = False) -> None:
        """Add ``widget``; a ``stretch`` widget (a search box) widens into spare room."""
        self.addWidget(widget)
        if stretch:
            self._stretchy.add(id(self._items[-1]))

    def count(self) -> int:  # QLayout.count
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:  # QLayout.itemAt
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:  # QLayout.takeAt
        if 0 <= index < len(self._items):
            item = self._items.pop(index)
            self._stretchy.discard(id(item))
            return item
        return None

    # -- geometry -----------------------------------------------------------------
    def expandingDirections(self) -> Qt.Orientation:  # QLayout.expandingDirections
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:  # QLayout.hasHeightForWidth
        return True

    def heightForWidth(self, width: int) -> int:  # QLayout.heightForWidth
        return self._arrange(QRect(0, 0, width, 0), apply=False)

    def setGeometry(self, rect: QRect) -> None:  # QLayout.setGeometry
        super().setGeometry(rect)
        self._arrange(rect, apply=True)

    def sizeHint(self) -> QSize:  # QLayout.sizeHint
        visible = self._visible()
        width = sum(i.sizeHint().width() for i in visible) + self._spacing * max(0, len(visible) - 1)
        height = max((i.sizeHint().height() for i in visible), default=0)
        return QSize(width, height).grownBy(self.contentsMargins())

    def minimumSize(self) -> QSize:  # QLayout.minimumSize
        size = QSize()
        for item in self._visible():
            size = size.expandedTo(item.minimumSize())
        return size.grownBy(self.contentsMargins())

    def _visible(self) -> list[QLayoutItem]:
        return [i for i in self._items if not i.isEmpty()]

    def _arrange(self, rect: QRect, *, apply: bool) -> int:
        margins: QMargins = self.contentsMargins()
        area = rect.marginsRemoved(margins)
        lines: list[list[QLayoutItem]] = [[]]
        used = 0
        for item in self._visible():
            width = min(item.sizeHint().width(), area.width())
            if lines[-1] and used + self._spacing + width > area.width():
                lines.append([])
                used = 0
            used += (self._spacing if lines[-1] else 0) + width
            lines[-1].append(item)
        y = area.y()
        for line in lines:
            if not line:
                continue
            height = max(i.sizeHint().height() for i in line)
            if apply:
                self._place(line, QPoint(area.x(), y), area.width(), height)
            y += height + self._spacing
        return y - self._spacing - area.y() + margins.top() + margins.bottom()

    def _place(self, line: list[QLayoutItem], origin: QPoint, width: int, height: int) -> None:
        widths = [min(i.sizeHint().width(), width) for i in line]
        spare = width - sum(widths) - self._spacing * (len(line) - 1)
        stretchy = [n for n, i in enumerate(line) if id(i) in self._stretchy]
        for n in stretchy:
            widths[n] += spare // len(stretchy)
        x = origin.x()
        for item, w in zip(line, widths, strict=True):
            widget = item.widget() if isinstance(item, QWidgetItem) else None
            expands = (widget is not None
                       and widget.sizePolicy().verticalPolicy() == QSizePolicy.Policy.Expanding)
            h = height if expands else item.sizeHint().height()
            item.setGeometry(QRect(x, origin.y() + (height - h) // 2, w, h))
            x += w + self._spacing
