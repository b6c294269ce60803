"""The For you list: one row per thing waiting, with a button to where it is done."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from smmod.reports.foryou import ForYouItem, split_decisions

DECISIONS_HEADING = "Waiting for your decision"
OTHERS_HEADING = "Also for you"

PAGE_TITLES = {"accounts": "Accounts", "incidents": "Incidents", "staff": "Staff", "queue": "Queue"}


class ForYouRow(QFrame):
    def __init__(self, item: ForYouItem, on_open: Callable[[str], None]) -> None:
        super().__init__()
        self.item = item
        self.setObjectName("foryou_row")
        colour = "#c0392b" if item.urgent else "#2f6db5"
        self.setStyleSheet(f"QFrame#foryou_row {{ border-left: 4px solid {colour};"
                           " background: palette(base); border-radius: 3px; }")
        self.title = QLabel(item.title)
        self.title.setStyleSheet("font-weight: 600;")
        self.title.setWordWrap(True)
        self.detail = QLabel(item.detail)
        self.detail.setStyleSheet("color: palette(placeholder-text);")
        self.detail.setWordWrap(True)
        text = QVBoxLayout()
        text.setSpacing(1)
        text.addWidget(self.title)
        text.addWidget(self.detail)
        self.open_button = QPushButton(f"Open {PAGE_TITLES.get(item.page, item.page)}")
        self.open_button.setAccessibleName(f"Open {PAGE_TITLES.get(item.page, item.page)} for: {item.title}")
        self.open_button.clicked.connect(lambda: on_open(item.page))
        row = QHBoxLayout(self)
        row.setContentsMargins(10, 6, 8, 6)
        row.addLayout(text, 1)
        row.addWidget(self.open_button, 0, Qt.AlignmentFlag.AlignVCenter)


class ForYouList(QScrollArea):
    """Rows for the items; an empty list says so."""

    def __init__(self, on_open: Callable[[str], None]) -> None:
        super().__init__()
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self._on_open = on_open
        self.rows: list[ForYouRow] = []
        self._sections: list[tuple[str, list[ForYouRow]]] = []
        self.show_items([])

    def show_items(self, items: Sequence[ForYouItem]) -> None:
        """What awaits the person's own decision comes first, under its own heading,
        above even urgent reminders: an SLT member's approvals and incidents are theirs
        alone, while a missed deadline is also on every moderator's screen."""
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setSpacing(6)
        decisions, others = split_decisions(items)
        self.rows = []
        self._sections = []
        groups = [(DECISIONS_HEADING, decisions), (OTHERS_HEADING, others)] if decisions else [("", others)]
        for heading, group in groups:
            if not group:
                continue
            rows = [ForYouRow(item, self._on_open) for item in group]
            self._sections.append((heading, rows))
            if heading:
                label = QLabel(heading)
                label.setObjectName("foryou_heading")
                label.setStyleSheet("font-weight: 600; font-size: 11pt; margin-top: 4px;")
                layout.addWidget(label)
            for row in rows:
                layout.addWidget(row)
            self.rows += rows
        if not items:
            empty = QLabel("Nothing waits for you. New approvals, incidents, missed deadlines and "
                           "expiring training appear here.")
            empty.setObjectName("foryou_empty")
            empty.setWordWrap(True)
            layout.addWidget(empty)
        layout.addStretch(1)
        self.setWidget(body)

    def titles(self) -> list[str]:
        return [row.item.title for row in self.rows]

    def sections(self) -> list[tuple[str, list[str]]]:
        """The headings as shown ("" when there is none) and the titles under each."""
        return [(heading, [row.item.title for row in rows]) for heading, rows in self._sections]
