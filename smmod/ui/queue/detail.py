"""The detail pane: the whole item, its author, its thread and its history."""

from __future__ import annotations

import html
from datetime import datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from smmod.moderation.vocabulary import AUTHOR_KIND_LABELS, flag_label
from smmod.queue.records import ItemDetail, QueueRow
from smmod.sla import describe
from smmod.ui.plain import tip
from smmod.ui.queue.columns import STATUS_LABELS, local_text
from smmod.ui.queue.flag_icons import by_urgency

_STATE_COLOURS = {"red": "#9e1616", "amber": "#7a4800", "stopped": "#2e7d32", "ok": "#333333"}


def _section(title: str) -> QLabel:
    label = QLabel(title)
    label.setStyleSheet("font-weight: 600; color: palette(dark); margin-top: 6px;")
    return label


class DetailPane(QFrame):
    """Shows one ``ItemDetail``; emits ``item_requested`` when a thread item is activated."""

    item_requested = Signal(int)

    def __init__(self, zone: ZoneInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._zone = zone
        self.setObjectName("queue_detail")
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setMinimumWidth(240)  # wraps; at 1280 px the table needs the width more
        self._header = QLabel()
        self._header.setObjectName("detail_header")
        self._header.setWordWrap(True)
        self._header.setTextFormat(Qt.TextFormat.RichText)
        self._text = QTextBrowser()
        self._text.setObjectName("detail_text")
        self._text.setAccessibleName("Full text")
        self._text.setOpenExternalLinks(True)
        self._thread = QListWidget()
        self._thread.setObjectName("detail_thread")
        self._thread.setAccessibleName("Thread: parent and replies")
        self._thread.setMaximumHeight(150)
        self._thread.setWordWrap(True)
        self._thread.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._history = QListWidget()
        self._history.setObjectName("detail_history")
        self._history.setAccessibleName("History")
        self._history.setMaximumHeight(140)
        self._history.setWordWrap(True)
        self._history.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 4, 4, 4)
        layout.addWidget(self._header)
        layout.addWidget(self._text, 1)
        layout.addWidget(_section("Thread"))
        layout.addWidget(self._thread)
        layout.addWidget(_section("History"))
        layout.addWidget(self._history)
        self._thread.itemActivated.connect(self._on_thread_item_activated)
        self.show_detail(None)

    # -- public -------------------------------------------------------------------
    def show_detail(self, detail: ItemDetail | None, now: datetime | None = None) -> None:
        self._thread.clear()
        self._history.clear()
        if detail is None:
            self._header.setText("<i>Select an item to see it in full.</i>")
            self._text.clear()
            return
        self._header.setText(self._header_html(detail, now))
        self._fit_header()
        self._text.setPlainText(detail.text)
        if detail.parent is not None:
            self._add_thread_item("In reply to", detail.parent)
        elif detail.row.parent_id is None and detail.row.kind == "reply":
            self._thread.addItem("In reply to an item that is not in the queue")
        for reply in detail.replies:
            self._add_thread_item("Reply", reply)
        if detail.reply_count > len(detail.replies):
            self._thread.addItem(f"… and {detail.reply_count - len(detail.replies)} more replies")
        if self._thread.count() == 0:
            self._thread.addItem("No parent or replies")
        for entry in detail.history:
            line = QListWidgetItem(f"{local_text(entry.at, self._zone)} · {entry.actor}: {entry.summary}")
            if entry.login:
                line.setToolTip(tip(f"Login: {entry.login}"))
            self._history.addItem(line)

    def text(self) -> str:
        return self._text.toPlainText()

    def resizeEvent(self, event: QResizeEvent) -> None:  # QWidget.resizeEvent
        super().resizeEvent(event)
        self._fit_header()

    def _fit_header(self) -> None:
        """The header (who, where, when, flags) is never cut: when the pane is short the
        full text box gives way instead (a layout squeezed the wrapped header to fewer
        lines than it needs at 1280×720)."""
        self._header.setMinimumHeight(self._header.heightForWidth(self._header.width()))

    def header_text(self) -> str:
        return self._header.text()

    def focus_text(self) -> None:
        self._text.setFocus(Qt.FocusReason.ShortcutFocusReason)

    # -- helpers ------------------------------------------------------------------
    def _header_html(self, detail: ItemDetail, now: datetime | None) -> str:
        row = detail.row
        e = html.escape
        handle = (
            f" <span style='color:#666'>@{e(row.author_handle.lstrip('@'))}</span>"
            if row.author_handle
            else ""
        )
        lines = [
            f"<div style='font-size:12pt'><b>{e(row.author_name)}</b>{handle} "
            f"<span style='color:#666'>· {e(AUTHOR_KIND_LABELS.get(row.author_kind, ''))}"
            "</span></div>",
            f"<div>{e(row.kind.capitalize())} on <b>{e(row.account_shown)}</b> · "
            f"{e(STATUS_LABELS.get(row.status, row.status))} · received "
            f"{e(local_text(row.received_at, self._zone))}</div>",
        ]
        if now is not None:
            state = row.sla(now)
            colour = _STATE_COLOURS[state.state]
            lines.append(
                f"<div style='color:{colour}'><b>{e(describe(state).capitalize())}"
                f"</b> (due {e(local_text(row.due_at, self._zone))})</div>"
            )
        if row.handled_on_platform:
            lines.append(
                f"<div style='color:#2e5d2e'><b>{e(STATUS_LABELS[row.status])}</b>: the text is "
                "kept here as the record of what was said.</div>"
            )
        if row.author_blocked:
            lines.append(f"<div style='color:#9e1616'>The author is blocked on {e(row.account_label)}.</div>")
        if row.claimed_by_name:
            lines.append(f"<div>Claimed by {e(row.claimed_by_name)}</div>")
        if row.flags:
            names = ", ".join(flag_label(f) for f in by_urgency(row.flags))
            lines.append(f"<div>Flags: {e(names)}</div>")
        if detail.url:
            lines.append(f"<div><a href='{e(detail.url, quote=True)}'>Open on the platform</a></div>")
        return "".join(lines)

    def _add_thread_item(self, label: str, row: QueueRow) -> None:
        when = local_text(row.received_at, self._zone)
        item = QListWidgetItem(f"{label} — {row.author_name}, {when}:\n{row.excerpt[:160]}")
        item.setData(Qt.ItemDataRole.UserRole, row.id)
        item.setToolTip("Press Enter to go to this item")
        self._thread.addItem(item)

    @Slot(QListWidgetItem)
    def _on_thread_item_activated(self, item: QListWidgetItem) -> None:
        item_id = item.data(Qt.ItemDataRole.UserRole)
        if isinstance(item_id, int):
            self.item_requested.emit(item_id)
