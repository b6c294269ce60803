"""The queue page's keyboard actions, created once from a registry keyed by an enum.

Triage keys (J, K, C, A, Enter) belong to the table, so typing in the search box never
triggers them; the rest work anywhere on the page.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget


class QueueAction(StrEnum):
    NEXT = "next"
    PREVIOUS = "previous"
    EXTEND_NEXT = "extend_next"
    EXTEND_PREVIOUS = "extend_previous"
    OPEN = "open"
    CLAIM = "claim"
    RELEASE = "release"
    ACKNOWLEDGE = "acknowledge"
    FILTER = "filter"
    BACK = "back"
    HELP = "help"
    RELOAD = "reload"
    IMPORT = "import"
    ADD = "add"
    FEEDS = "feeds"
    CHECK_FEEDS = "check_feeds"


@dataclass(frozen=True)
class Spec:
    text: str
    keys: tuple[str, ...]
    on_table: bool = False  # only while the table has focus
    label: str = ""  # how the keys read in the overlay, when not just the first key


SPECS: dict[QueueAction, Spec] = {
    QueueAction.NEXT: Spec("Next item", ("J",), on_table=True, label="J / Down"),
    QueueAction.PREVIOUS: Spec("Previous item", ("K",), on_table=True, label="K / Up"),
    QueueAction.EXTEND_NEXT: Spec(
        "Add the next item to the selection", ("Shift+J",), on_table=True, label="Shift+J / Shift+Down"
    ),
    QueueAction.EXTEND_PREVIOUS: Spec(
        "Add the previous item to the selection", ("Shift+K",), on_table=True, label="Shift+K / Shift+Up"
    ),
    QueueAction.OPEN: Spec(
        "Open the item (read it in full)", ("Return", "Enter"), on_table=True, label="Enter"
    ),
    QueueAction.CLAIM: Spec("&Claim the selected items", ("C",), on_table=True),
    QueueAction.RELEASE: Spec("&Release my claim", ("Shift+C",), on_table=True),
    QueueAction.ACKNOWLEDGE: Spec("&Acknowledge (stops the response clock)", ("A",), on_table=True),
    QueueAction.FILTER: Spec("Jump to the search and filters", ("/", "Ctrl+F"), label="/ or Ctrl+F"),
    QueueAction.BACK: Spec("Back to the list", ("Escape",), label="Esc"),
    QueueAction.HELP: Spec("Show these shortcuts", ("?",)),
    QueueAction.RELOAD: Spec("Reload the queue", ("F5",)),
    QueueAction.IMPORT: Spec("&Import a file…", ("Ctrl+I",)),
    QueueAction.ADD: Spec("&Add an item by hand…", ("Ctrl+N",)),
    QueueAction.FEEDS: Spec("Alert &feeds…", ("Ctrl+Shift+F",)),
    QueueAction.CHECK_FEEDS: Spec("Check feeds &now", ("Ctrl+Shift+R",)),
}


def create_actions(page: QWidget, table: QWidget) -> dict[QueueAction, QAction]:
    actions: dict[QueueAction, QAction] = {}
    for action_id, spec in SPECS.items():
        owner = table if spec.on_table else page
        action = QAction(spec.text, owner)
        action.setObjectName(f"queue_action_{action_id}")
        action.setShortcuts([QKeySequence(k) for k in spec.keys])
        action.setShortcutContext(
            Qt.ShortcutContext.WidgetShortcut
            if spec.on_table
            else Qt.ShortcutContext.WidgetWithChildrenShortcut
        )
        owner.addAction(action)
        actions[action_id] = action
    return actions


def shortcut_rows() -> list[tuple[str, str]]:
    """(keys, what they do) for the shortcuts overlay, plus selection keys Qt provides."""
    rows = [(spec.label or spec.keys[0], spec.text.replace("&", "")) for spec in SPECS.values()]
    rows.append(("Ctrl+Click, Shift+Click", "Select several items (bulk)"))
    rows.append(("Ctrl+A", "Select every item shown"))
    return rows
