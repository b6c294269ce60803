"""The dashboard strip: what is due soon, overdue and unacknowledged, in all and per
account (R7), and when each account's queue was last checked (R13)."""

from __future__ import annotations

import html
from datetime import UTC, datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from smmod.queue.records import AccountLoad, Dashboard, FeedInfo
from smmod.ui.plain import tip
from smmod.ui.platforms import with_platform
from smmod.wording import count

_CARD = (
    "QFrame#{name} {{ background: {bg}; border: 1px solid {border}; border-radius: 5px; }}"
    " QLabel {{ background: transparent; border: none; }}"
)
_PLAIN = ("#f6f7f9", "#d9dde3")
_ALERT = ("#fdeeed", "#e8b4b0")
_RED = "#9e1616"
_AMBER = "#7a4800"


def ago(when: datetime | None, now: datetime) -> str:
    if when is None:
        return "never"
    minutes = int((now - when).total_seconds() // 60)
    if minutes < 1:
        return "just now"
    if minutes < 60:
        return f"{minutes} min ago"
    if minutes < 48 * 60:
        return f"{minutes // 60} h ago"
    return f"{minutes // (24 * 60)} days ago"


def _coloured(count: int, text: str, colour: str) -> str:
    body = f"<b>{count:,}</b> {text}"
    return f"<span style='color:{colour}'>{body}</span>" if count else body


class _Card(QFrame):
    def __init__(self, name: str) -> None:
        super().__init__()
        self.setObjectName(name)
        self.label = QLabel()
        self.label.setTextFormat(Qt.TextFormat.RichText)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(9, 4, 9, 4)
        layout.addWidget(self.label)

    def show_html(self, text: str, *, alert: bool = False, tip: str = "") -> None:
        bg, border = _ALERT if alert else _PLAIN
        self.setStyleSheet(_CARD.format(name=self.objectName(), bg=bg, border=border))
        self.label.setText(text)
        self.setToolTip(tip)


class DashboardStrip(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("queue_dashboard")
        self.setAccessibleName("Queue dashboard")
        self._total = _Card("dash_total")
        self._cards: list[_Card] = []
        self._feeds = _Card("dash_feeds")
        self._feeds.hide()
        self._row = QHBoxLayout(self)
        self._row.setContentsMargins(0, 0, 0, 4)
        self._row.addWidget(self._total)
        self._row.addWidget(self._feeds)
        self._row.addStretch(1)
        # No accounts yet, so no time is shown: any instant will do until the first load.
        self.show_dashboard(Dashboard((), 1), datetime.min.replace(tzinfo=UTC))

    def show_dashboard(self, dash: Dashboard, now: datetime) -> None:
        self._total.show_html(
            f"<b>All accounts</b><br>{_coloured(dash.due_soon, f'due within {dash.window_hours} h', _AMBER)}"
            f" · {_coloured(dash.overdue, 'overdue', _RED)}<br>"
            f"<b>{dash.not_acknowledged:,}</b> not acknowledged",
            alert=dash.overdue > 0,
        )
        while len(self._cards) < len(dash.accounts):
            card = _Card(f"dash_account_{len(self._cards)}")
            self._row.insertWidget(1 + len(self._cards), card)
            self._cards.append(card)
        for card, load in zip(self._cards, dash.accounts, strict=False):
            card.show_html(
                self._account_html(load, now, dash.stale_days),
                alert=load.stale,
                tip=self._account_tip(load, now),
            )
            card.show()
        for card in self._cards[len(dash.accounts) :]:
            card.hide()

    def show_feeds(self, feeds: list[FeedInfo]) -> None:
        failing = [f for f in feeds if f.enabled and f.last_error]
        self._feeds.setVisible(bool(failing))
        if failing:
            names = ", ".join(html.escape(f.name) for f in failing)
            self._feeds.show_html(
                f"<b style='color:{_RED}'>⚠ {count(len(failing), 'feed')} failing</b><br>{names}",
                alert=True,
                tip=tip("\n".join(f"{f.name}: {f.last_error}" for f in failing)),
            )

    def texts(self) -> str:
        """Everything the strip says, for tests and screen readers."""
        cards = [self._total, *(c for c in self._cards if not c.isHidden()), self._feeds]
        return " | ".join(c.label.text() for c in cards if not c.isHidden())

    @staticmethod
    def _account_html(load: AccountLoad, now: datetime, stale_days: int) -> str:
        e = html.escape
        ref = load.account
        title = with_platform(ref.platform, ref.handle)
        counts = (
            f"{_coloured(load.overdue, 'overdue', _RED)} · "
            f"{_coloured(load.due_soon, 'due soon', _AMBER)} · "
            f"<b>{load.not_acknowledged:,}</b> waiting"
        )
        checked = f"checked {ago(load.last_checked_at, now)}"
        if load.stale:
            span = "a day" if stale_days == 1 else f"{stale_days} days"
            checked = f"<span style='color:{_RED}'><b>⚠ not checked for over {span}</b> ({e(checked)})</span>"
        return f"<b>{e(title)}</b><br>{counts}<br>{checked}"

    @staticmethod
    def _account_tip(load: AccountLoad, now: datetime) -> str:
        return (
            f"{load.account.label}: {load.due_soon} due within 4 h, {load.overdue} overdue, "
            f"{load.not_acknowledged} not acknowledged; queue last checked "
            f"{ago(load.last_checked_at, now)} (R13)"
        )
