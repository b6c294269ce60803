"""The dashboard strip: what is due soon, overdue and unacknowledged, per account (R7),
and when each account's queue was last checked (R13)."""

from __future__ import annotations

import html
from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from smmod.queue.records import AccountLoad, Dashboard, FeedInfo

_CHIP = ("QLabel {{ border-radius: 4px; padding: 3px 8px; background: {bg}; color: {fg}; }}")
_NEUTRAL = ("#eef1f5", "#222222")
_AMBER = ("#ffecb3", "#7a4800")
_RED = ("#fddedc", "#9e1616")


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


def _chip(name: str) -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    label.setTextFormat(Qt.TextFormat.RichText)
    return label


def _paint(label: QLabel, colours: tuple[str, str]) -> None:
    label.setStyleSheet(_CHIP.format(bg=colours[0], fg=colours[1]))


class DashboardStrip(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("queue_dashboard")
        self.setAccessibleName("Queue dashboard")
        self._due_soon = _chip("dash_due_soon")
        self._overdue = _chip("dash_overdue")
        self._waiting = _chip("dash_not_acknowledged")
        self._accounts = QLabel()
        self._accounts.setObjectName("dash_accounts")
        self._accounts.setTextFormat(Qt.TextFormat.RichText)
        self._accounts.setWordWrap(True)
        self._feeds = QLabel()
        self._feeds.setObjectName("dash_feeds")
        self._feeds.setWordWrap(True)
        self._feeds.hide()
        chips = QHBoxLayout()
        for chip in (self._due_soon, self._overdue, self._waiting):
            chips.addWidget(chip)
        chips.addWidget(self._feeds)
        chips.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 4)
        layout.setSpacing(4)
        layout.addLayout(chips)
        layout.addWidget(self._accounts)
        self.show_dashboard(Dashboard((), 1), datetime.now().astimezone())

    def show_dashboard(self, dash: Dashboard, now: datetime) -> None:
        self._due_soon.setText(f"Due within {dash.window_hours} h: <b>{dash.due_soon:,}</b>")
        _paint(self._due_soon, _AMBER if dash.due_soon else _NEUTRAL)
        self._overdue.setText(f"Overdue: <b>{dash.overdue:,}</b>")
        _paint(self._overdue, _RED if dash.overdue else _NEUTRAL)
        self._waiting.setText(f"Not acknowledged: <b>{dash.not_acknowledged:,}</b>")
        _paint(self._waiting, _NEUTRAL)
        self._accounts.setText(" &nbsp;&nbsp;|&nbsp;&nbsp; ".join(
            self._account_html(a, now, dash.stale_days) for a in dash.accounts))
        tips = [self._account_tip(a, now) for a in dash.accounts]
        self._accounts.setToolTip("\n".join(tips))

    def show_feeds(self, feeds: list[FeedInfo]) -> None:
        failing = [f for f in feeds if f.enabled and f.last_error]
        self._feeds.setVisible(bool(failing))
        if failing:
            self._feeds.setText("⚠ " + "; ".join(f"Feed '{f.name}' failed" for f in failing))
            self._feeds.setToolTip("\n".join(f"{f.name}: {f.last_error}" for f in failing))
            _paint(self._feeds, _RED)

    def texts(self) -> str:
        """Everything the strip says, for tests and screen readers."""
        return " | ".join(w.text() for w in (self._due_soon, self._overdue, self._waiting,
                                             self._accounts, self._feeds))

    @staticmethod
    def _account_html(load: AccountLoad, now: datetime, stale_days: int) -> str:
        e = html.escape
        counts = (f"{load.due_soon} due soon, {load.overdue} overdue, "
                  f"{load.not_acknowledged} not acknowledged")
        checked = f"checked {ago(load.last_checked_at, now)}"
        if load.stale:
            days = "day" if stale_days == 1 else f"{stale_days} days"
            checked = (f"<span style='color:#9e1616'><b>⚠ not checked for over {days}</b> "
                       f"({e(checked)})</span>")
        return f"<b>{e(load.account.label)}</b>: {e(counts)}; {checked}"

    @staticmethod
    def _account_tip(load: AccountLoad, now: datetime) -> str:
        return (f"{load.account.label}: last checked {ago(load.last_checked_at, now)} "
                "(R13: every account's queue is checked regularly)")
