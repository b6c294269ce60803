"""The filter bar above the triage table: search, status, account, kind, flag, toggles."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from smmod.moderation.vocabulary import flag_label
from smmod.queue.records import AccountRef, QueueFilter
from smmod.store.models.queue import ITEM_KINDS

# (label, statuses, awaiting response)
STATUS_CHOICES: tuple[tuple[str, frozenset[str], bool], ...] = (
    ("Any status", frozenset(), False),
    ("Needs a response", frozenset(), True),
    ("New", frozenset({"new"}), False),
    ("Responded", frozenset({"responded"}), False),
    ("Hidden, deleted or blocked", frozenset({"hidden", "deleted", "blocked"}), False),
    ("Escalated", frozenset({"escalated"}), False),
    ("Resolved", frozenset({"resolved"}), False),
)
SEARCH_DELAY_MS = 250


class FilterBar(QWidget):
    filter_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._search = QLineEdit()
        self._search.setObjectName("queue_search")
        self._search.setPlaceholderText("Search text and authors  ( / )")
        self._search.setAccessibleName("Search text and authors")
        self._search.setClearButtonEnabled(True)
        self._status = self._combo(
            "queue_status", "Status", [(label, i) for i, (label, _, _) in enumerate(STATUS_CHOICES)]
        )
        self._account = self._combo("queue_account", "Account", [("All accounts", None)])
        self._kind = self._combo(
            "queue_kind", "Kind", [("Any kind", None)] + [(k.capitalize(), k) for k in ITEM_KINDS]
        )
        self._flag = self._combo("queue_flag", "Flag", [("Any flag", None)])
        self._overdue = QCheckBox("&Overdue")
        self._overdue.setObjectName("queue_overdue")
        self._mine = QCheckBox("Claimed by &me")
        self._mine.setObjectName("queue_mine")
        self._count = QLabel()
        self._count.setObjectName("queue_count")
        self._count.setAccessibleName("Items shown")
        self._count.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self._delay = QTimer(self)
        self._delay.setSingleShot(True)
        self._delay.setInterval(SEARCH_DELAY_MS)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._search, 3)
        for widget in (self._status, self._account, self._kind, self._flag):
            layout.addWidget(widget, 1)
        layout.addWidget(self._overdue)
        layout.addWidget(self._mine)
        layout.addWidget(self._count, 1)
        self._connect_signals()

    def _combo(self, name: str, accessible: str, items: list[tuple[str, object]]) -> QComboBox:
        combo = QComboBox()
        combo.setObjectName(name)
        combo.setAccessibleName(accessible)
        for label, data in items:
            combo.addItem(label, data)
        return combo

    def _connect_signals(self) -> None:
        self._search.textChanged.connect(self._on_search_text_changed)
        self._delay.timeout.connect(self.filter_changed)
        for combo in (self._status, self._account, self._kind, self._flag):
            combo.currentIndexChanged.connect(self._on_choice_changed)
        self._overdue.toggled.connect(self._on_choice_changed)
        self._mine.toggled.connect(self._on_choice_changed)

    # -- public -------------------------------------------------------------------
    @property
    def search(self) -> QLineEdit:
        return self._search

    def focus_search(self) -> None:
        self._search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self._search.selectAll()

    def set_accounts(self, accounts: list[AccountRef]) -> None:
        self._refill(self._account, "All accounts", [(a.label, a.id) for a in accounts])

    def set_flags(self, flags: list[str]) -> None:
        self._refill(self._flag, "Any flag", [(flag_label(f), f) for f in flags])

    def set_count(self, shown: int, *, about: bool = False) -> None:
        """``about``: ``shown`` is the database's estimate ("about 1,000,000 items")."""
        text = f"{shown:,} item{'s' if shown != 1 else ''}"
        self._count.setText(f"about {text}" if about else text)

    def current_filter(self, me: int | None) -> QueueFilter:
        _, statuses, awaiting = STATUS_CHOICES[max(self._status.currentIndex(), 0)]
        account = self._account.currentData()
        kind = self._kind.currentData()
        return QueueFilter(
            statuses=statuses,
            awaiting_response=awaiting,
            account_ids=frozenset({account}) if isinstance(account, int) else frozenset(),
            kinds=frozenset({kind}) if isinstance(kind, str) else frozenset(),
            flag=self._flag.currentData() or None,
            overdue=self._overdue.isChecked(),
            claimed_by=me if self._mine.isChecked() and me is not None else None,
            text=self._search.text().strip(),
        )

    def set_search_now(self, text: str) -> None:
        """Set the search text and apply it at once (no typing delay)."""
        self._search.setText(text)
        self._delay.stop()
        self.filter_changed.emit()

    # -- helpers ------------------------------------------------------------------
    def _refill(self, combo: QComboBox, first: str, items: list[tuple[str, object]]) -> None:
        current = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(first, None)
        for label, data in items:
            combo.addItem(label, data)
        found = combo.findData(current) if current is not None else 0
        combo.setCurrentIndex(max(found, 0))
        combo.blockSignals(False)
        if current is not None and found < 0:
            self.filter_changed.emit()

    @Slot(str)
    def _on_search_text_changed(self, _text: str) -> None:
        self._delay.start()

    @Slot()
    def _on_choice_changed(self) -> None:
        self.filter_changed.emit()
