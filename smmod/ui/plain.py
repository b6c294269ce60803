"""Text from outside shown exactly as it was written, never as rich text.

Comments, author names, feed titles and feed errors come from the platforms and from
files; many contain HTML. Qt guesses whether a string is rich text (``mightBeRichText``)
for labels in their default format and for every tooltip, so "<b>bold</b><img src=x>"
would be drawn bold with a broken image. Everything that shows such text goes through
here: labels are set to plain text, and tooltips are escaped into rich text that draws
the original characters.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget


def tip(text: str | None) -> str:
    """A tooltip that shows ``text`` as written (line breaks kept), or "" for none."""
    if not text:
        return ""
    body = html.escape(text).replace("\n", "<br>")
    return f"<p style='white-space:pre-wrap'>{body}</p>"


def label(text: str = "", parent: QWidget | None = None, *, name: str = "") -> QLabel:
    """A label that never interprets its text as HTML."""
    widget = QLabel(parent)
    widget.setTextFormat(Qt.TextFormat.PlainText)
    if name:
        widget.setObjectName(name)
    widget.setText(text)
    return widget


def make_plain(*labels: QLabel) -> None:
    """Make existing labels plain text (for labels built elsewhere)."""
    for widget in labels:
        widget.setTextFormat(Qt.TextFormat.PlainText)


escape = html.escape
