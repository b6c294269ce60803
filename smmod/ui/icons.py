"""Icons from resources/icons (SVG), loaded once."""

from __future__ import annotations

from functools import cache

from PySide6.QtGui import QIcon

from smmod.paths import resource


@cache
def icon(name: str) -> QIcon:
    return QIcon(str(resource("icons", f"{name}.svg")))


def app_icon() -> QIcon:
    return icon("smmod")
