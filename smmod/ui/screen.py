"""Windows and dialogs open no larger than the screen they are on.

A fixed ``resize(1200, 760)`` puts the bottom of the window, and its status bar, below
the edge of a 1280×720 screen. ``fit_to_screen`` asks for the preferred size but never
more than the screen's available area (without the task bar), less room for the title
bar and frame that the window manager adds.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

FRAME = QSize(16, 48)  # title bar and borders drawn around the window by the desktop


def available_area(widget: QWidget) -> QRect | None:
    screen = widget.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry() if screen is not None else None


def bounded_size(preferred: QSize, available: QRect | None) -> QSize:
    """``preferred``, or less so that it fits in ``available`` with its frame."""
    if available is None or available.isEmpty():
        return preferred
    room = (available.size() - FRAME).expandedTo(QSize(320, 240))
    return preferred.boundedTo(room)


def fit_to_screen(widget: QWidget, preferred: QSize) -> QSize:
    """Resize ``widget`` to ``preferred`` bounded by its screen; returns the size asked."""
    size = bounded_size(preferred, available_area(widget))
    widget.resize(size)
    return size
