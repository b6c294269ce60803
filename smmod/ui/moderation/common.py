"""Small pieces the moderation dialogs share: the item box, the clipboard, file choosers.

File choosers are module functions so tests can replace them, as with ``msgbox``.
"""

from __future__ import annotations

import html
from pathlib import Path
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from smmod import formatting as fmt
from smmod.moderation.records import FlagExplanation, ItemContext
from smmod.moderation.vocabulary import author_kind_label, flag_label

MUTED = "color: palette(placeholder-text);"
TITLE_STYLE = "font-size: 13pt; font-weight: 600;"
HINT_STYLE = (
    "QLabel { background: #eef4fb; border: 1px solid #c6d8ee; border-radius: 4px;"
    " padding: 6px 8px; color: #1f3a5a; }"
)
WARN_STYLE = (
    "QLabel { background: #fff4e5; border: 1px solid #f3d19e; border-radius: 4px;"
    " padding: 6px 8px; color: #663c00; }"
)
REQUIRED_STYLE = "color: #9e1616;"
WARN_TEXT = "color: #7a4800; font-weight: 600;"
BOX_STYLE = (
    "QFrame#item_box { background: palette(base); border: 1px solid palette(mid); border-radius: 4px; }"
)


def copy_to_clipboard(text: str) -> None:
    clipboard = QGuiApplication.clipboard()
    if clipboard is not None:
        clipboard.setText(text)


def clipboard_text() -> str:
    clipboard = QGuiApplication.clipboard()
    return clipboard.text() if clipboard is not None else ""


def choose_save_path(parent: QWidget | None, title: str, suggested: str, filters: str) -> Path | None:
    """Where to save a file; tests replace this function."""
    name, _ = QFileDialog.getSaveFileName(parent, title, suggested, filters)
    return Path(name) if name else None


def choose_open_path(parent: QWidget | None, title: str, filters: str) -> Path | None:
    """Which file to open; tests replace this function."""
    name, _ = QFileDialog.getOpenFileName(parent, title, "", filters)
    return Path(name) if name else None


def local_time(value: object, zone: ZoneInfo) -> str:
    from datetime import datetime

    if not isinstance(value, datetime):
        return "—"
    return fmt.when(value, zone, year=False)


def flag_line(flag: FlagExplanation) -> str:
    """ "Offensive language — “crap” (Offensive language (R8))": the flag and exactly why."""
    if flag.why:
        return f"{flag_label(flag.flag)} — {flag.why}"
    words = ", ".join(f"“{m}”" for m in flag.matched if "=" not in m)
    kinds = ", ".join(_condition_words(m) for m in flag.matched if "=" in m)
    why = " · ".join(b for b in (words, kinds) if b)
    rule = f" ({flag.rule_name})" if flag.rule_name else " (set by hand)"
    return f"{flag_label(flag.flag)}{' — ' + why if why else ''}{rule}"


def _condition_words(match: str) -> str:
    """ "author_kind=parent" → "written by a parent"; "item_kind=review" → "a review"."""
    key, _, value = match.partition("=")
    if key == "author_kind":
        who = {"public": "a member of the public", "unknown": "an unknown author"}.get(value, f"a {value}")
        return f"written by {who}"
    if key == "item_kind":
        return f"a {value}"
    return f"{key.replace('_', ' ')}: {value}"


def section(text: str, *, required: bool = False) -> QLabel:
    label = QLabel(text + (" <span style='color:#9e1616'>*</span>" if required else ""))
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setStyleSheet("font-weight: 600; margin-top: 4px;")
    return label


def text_edit(name: str, accessible: str, *, lines: int = 3) -> QPlainTextEdit:
    edit = QPlainTextEdit()
    edit.setObjectName(name)
    edit.setAccessibleName(accessible)
    edit.setTabChangesFocus(True)
    edit.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
    edit.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    metrics = edit.fontMetrics()
    edit.setFixedHeight(metrics.lineSpacing() * lines + 14)
    return edit


class ItemBox(QFrame):
    """Who wrote what, where and when: the item an action is about."""

    def __init__(
        self,
        item: ItemContext,
        zone: ZoneInfo,
        *,
        flags: tuple[FlagExplanation, ...] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("item_box")
        self.setStyleSheet(BOX_STYLE)
        e = html.escape
        handle = f" @{e(item.author_handle.lstrip('@'))}" if item.author_handle else ""
        head = QLabel(
            f"<b>{e(item.author_name)}</b><span style='color:#666'>{handle} "
            f"({e(author_kind_label(item.author_kind))})</span> · {e(item.kind)} on "
            f"<b>{e(item.account_label)}</b>"
            + f" · {e(local_time(item.received_at, zone))}"
            + f" · #{item.item_id}"
        )
        head.setTextFormat(Qt.TextFormat.RichText)
        head.setWordWrap(True)
        text = QLabel(e(item.text[:600] + ("…" if len(item.text) > 600 else "")).replace("\n", "<br>"))
        text.setObjectName("item_box_text")
        text.setTextFormat(Qt.TextFormat.RichText)
        text.setWordWrap(True)
        text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.addWidget(head)
        layout.addWidget(text)
        if flags:
            lines = "<br>".join("⚑ " + e(flag_line(f)) for f in flags)
            why = QLabel(f"<span style='color:#7a4800'>{lines}</span>")
            why.setObjectName("item_box_flags")
            why.setTextFormat(Qt.TextFormat.RichText)
            why.setWordWrap(True)
            layout.addWidget(why)
