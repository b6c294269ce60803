"""Screening flags as small coloured badges for the queue's Flags column.

A badge holds one letter, coloured by the flag's place in the priority order: red for
threats (and the police suggestion), purple for discriminatory content, orange for
personal data, amber for offensive or inappropriate posts, blue-grey for the rest. The
names are in the cell's tooltip and its accessible text, never cut short.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPixmap

BADGE = 16
GAP = 2
MOST = 4  # badges shown in one cell; more become a "+n" badge (all are in the tooltip)

_RED, _PURPLE, _ORANGE, _AMBER, _SLATE = "#c62828", "#6a1b9a", "#d35400", "#9a6700", "#546e7a"
BADGES: dict[str, tuple[str, str]] = {
    "threat": ("T", _RED),
    "police_advised_suggested": ("P", _RED),
    "discriminatory": ("R", _PURPLE),
    "personal_data": ("D", _ORANGE),
    "names_protected_pupil": ("N", _ORANGE),
    "photo_people": ("F", _ORANGE),
    "offensive": ("O", _AMBER),
    "inappropriate": ("I", _AMBER),
    "complaint": ("C", _SLATE),
    "link": ("L", _SLATE),
    "spam": ("S", _SLATE),
}
_ORDER = list(BADGES)


def icon_size(count: int = MOST) -> QSize:
    return QSize(count * BADGE + (count - 1) * GAP, BADGE)


def _badge(flag: str) -> tuple[str, str]:
    return BADGES.get(flag, ((flag[:1] or "?").upper(), _SLATE))


def by_urgency(flags: Sequence[str]) -> tuple[str, ...]:
    """The flags, the most urgent first (the order of the badges)."""
    return tuple(sorted(flags, key=lambda f: (_ORDER.index(f) if f in _ORDER else len(_ORDER), f)))


def flag_icon(flags: Sequence[str]) -> QIcon:
    """One icon for the whole set, the most urgent first."""
    return _icon(by_urgency(flags))


@lru_cache(maxsize=256)
def _icon(flags: tuple[str, ...]) -> QIcon:
    shown: list[tuple[str, str]] = [_badge(f) for f in flags]
    if len(shown) > MOST:
        shown = [*shown[: MOST - 1], (f"+{len(shown) - MOST + 1}", _SLATE)]
    pixmap = QPixmap(icon_size(len(shown)) * 2)  # drawn at twice the size: sharp on HiDPI
    pixmap.setDevicePixelRatio(2.0)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    font = QFont()
    font.setPixelSize(10)
    font.setBold(True)
    painter.setFont(font)
    for n, (letter, colour) in enumerate(shown):
        box = QRectF(n * (BADGE + GAP), 0, BADGE, BADGE)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(colour))
        painter.drawRoundedRect(box.adjusted(0.5, 0.5, -0.5, -0.5), 4, 4)
        painter.setPen(QColor("white"))
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, letter)
    painter.end()
    return QIcon(pixmap)
