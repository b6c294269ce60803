"""What each column of the triage table shows: headers, roles, text, colours."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont

from smmod import formatting as fmt
from smmod.moderation.vocabulary import author_kind_label, flag_label
from smmod.queue import triage
from smmod.queue.records import QueueRow
from smmod.sla import SlaState, describe
from smmod.ui.plain import tip
from smmod.ui.platforms import PLATFORM_SHORT
from smmod.ui.queue.flag_icons import by_urgency, flag_icon

COL_DEADLINE = 0
COL_FLAGS = 1  # beside the deadline: the two things that decide what comes first
COL_STATUS = 2
COL_ACCOUNT = 3
COL_KIND = 4
COL_AUTHOR = 5
COL_CLAIMED = 6
COL_RECEIVED = 7
COL_TEXT = 8  # last, so it takes the width that is left

HEADERS = {
    COL_DEADLINE: "Deadline",
    COL_FLAGS: "Flags",
    COL_STATUS: "Status",
    COL_ACCOUNT: "Account",
    COL_KIND: "Kind",
    COL_AUTHOR: "Author",
    COL_CLAIMED: "Claimed by",
    COL_RECEIVED: "Received",
    COL_TEXT: "Text",
}
HEADER_TIPS = {
    COL_DEADLINE: "R7: a response is due within 24 hours, or by the end of the next working "
    "day for items received on a non-working day. Amber at 75% of the time "
    "used, red when overdue.",
    COL_CLAIMED: "Who is working on the item, so that two moderators do not answer it twice",
    COL_FLAGS: f"{triage.DESCRIPTION} Point at a flag to read its name.",
}
SORT_KEYS = {
    COL_FLAGS: "priority",
    COL_DEADLINE: "due",
    COL_STATUS: "status",
    COL_ACCOUNT: "account",
    COL_KIND: "kind",
    COL_AUTHOR: "author",
    COL_RECEIVED: "received",
    COL_CLAIMED: "claimed",
}
# What happened to the item, in full (detail pane, tooltips) and as the Status column says it.
STATUS_LABELS = {
    "new": "New",
    "responded": "Responded",
    "hidden": "Hidden on the platform",
    "deleted": "Deleted on the platform",
    "blocked": "Author blocked",
    "escalated": "Escalated",
    "resolved": "Resolved",
}
# "Blocked": the Author column says "(blocked)" beside the name, the tooltip "Author blocked".
STATUS_SHORT = STATUS_LABELS | {"hidden": "Hidden", "deleted": "Deleted", "blocked": "Blocked"}

ItemIdRole = Qt.ItemDataRole.UserRole + 1
ObjectRole = Qt.ItemDataRole.UserRole + 2
SlaStateRole = Qt.ItemDataRole.UserRole + 3

_AMBER_BG = QColor(255, 236, 179)
_AMBER_FG = QColor(122, 72, 0)
_RED_BG = QColor(253, 222, 220)
_RED_FG = QColor(158, 22, 22)
_DONE_FG = QColor(46, 125, 50)
_MUTED_FG = QColor(110, 110, 110)


def deadline_text(state: SlaState) -> str:
    """Short enough for the column; the tooltip has the whole sentence."""
    if state.state == "stopped":
        return "✓ Responded" if state.met else "✓ Responded late"
    text = describe(state).replace("overdue by ", "overdue ")
    return text[:1].upper() + text[1:]


def local_text(when: datetime | None, zone: ZoneInfo) -> str:
    if when is None:
        return ""
    return fmt.when(when, zone, weekday=True, year=False)


def cell_data(row: QueueRow, column: int, role: int, now: datetime, zone: ZoneInfo) -> Any:
    """What a cell shows for ``role``; the model adds the id and object roles."""
    if column == COL_FLAGS:
        return flags_data(row, role)
    if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
        return display(row, column, now, zone)
    if role == SlaStateRole:
        return row.sla(now).state
    if role == Qt.ItemDataRole.ToolTipRole:
        return tooltip(row, column, now, zone)
    if column == COL_DEADLINE and role in (
        Qt.ItemDataRole.BackgroundRole,
        Qt.ItemDataRole.ForegroundRole,
    ):
        return deadline_colour(row, role, now)
    if role == Qt.ItemDataRole.ForegroundRole and row.first_response_at is not None:
        return QBrush(_MUTED_FG)
    if role == Qt.ItemDataRole.FontRole and column == COL_DEADLINE:
        if row.sla(now).state == "red":
            font = QFont()
            font.setBold(True)
            return font
    return None


def display(row: QueueRow, column: int, now: datetime, zone: ZoneInfo) -> str | None:
    if column == COL_DEADLINE:
        return deadline_text(row.sla(now))
    if column == COL_STATUS:
        return STATUS_SHORT.get(row.status, row.status.capitalize())
    if column == COL_ACCOUNT:
        platform, _, handle = row.account_label.partition(": ")
        short = PLATFORM_SHORT.get(platform, platform)
        return f"{short} {handle}".strip()
    if column == COL_KIND:
        return row.kind.capitalize()
    if column == COL_AUTHOR:
        return f"{row.author_name} (blocked)" if row.author_blocked else row.author_name
    if column == COL_TEXT:
        return row.excerpt
    if column == COL_RECEIVED:
        return local_text(row.received_at, zone)
    if column == COL_CLAIMED:
        return row.claimed_by_name or ""
    return None


def flag_names(row: QueueRow) -> list[str]:
    return [flag_label(f) for f in by_urgency(row.flags)]


def flags_data(row: QueueRow, role: int) -> Any:
    """Flags as icons; their names, in full, in the tooltip and for screen readers."""
    if role == Qt.ItemDataRole.DecorationRole:
        return flag_icon(row.flags) if row.flags else None
    if role == Qt.ItemDataRole.ToolTipRole:
        return tip("\n".join(flag_names(row))) if row.flags else None
    if role == Qt.ItemDataRole.AccessibleTextRole:
        return ", ".join(flag_names(row)) or "No flags"
    return None


def tooltip(row: QueueRow, column: int, now: datetime, zone: ZoneInfo) -> str | None:
    if column == COL_DEADLINE:
        state = row.sla(now)
        used = f"{min(state.fraction_used, 9.99):.0%} of the time used"
        return f"Due {local_text(row.due_at, zone)} ({used}): {describe(state)}"
    if column == COL_TEXT:
        return tip(row.excerpt)
    if column == COL_AUTHOR:
        handle = f" @{row.author_handle.lstrip('@')}" if row.author_handle else ""
        blocked = f"\nBlocked on {row.account_shown}" if row.author_blocked else ""
        kind = author_kind_label(row.author_kind)
        return tip(f"{row.author_name}{handle} ({kind}){blocked}")
    if column == COL_ACCOUNT:
        return tip(row.account_shown)
    if column == COL_STATUS:
        return tip(STATUS_LABELS.get(row.status, row.status))
    return None


def deadline_colour(row: QueueRow, role: int, now: datetime) -> QBrush | None:
    state = row.sla(now).state
    background = role == Qt.ItemDataRole.BackgroundRole
    if state == "red":
        return QBrush(_RED_BG if background else _RED_FG)
    if state == "amber":
        return QBrush(_AMBER_BG if background else _AMBER_FG)
    if state == "stopped" and not background:
        return QBrush(_DONE_FG)
    return None
