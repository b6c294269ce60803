"""Printing a handover record to PDF with Qt (the domain builds the HTML, never this)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMarginsF, QSizeF
from PySide6.QtGui import QPageLayout, QPageSize, QPdfWriter, QTextDocument

from smmod.errors import SmmodError
from smmod.handover import RecordDocument

# CSS pixels are 1/96 inch; at this resolution a pixel in the record's HTML is one unit
# on the page. The PDF itself is vector text, so nothing is lost.
RESOLUTION = 96


def render_pdf(document: RecordDocument, path: Path) -> None:
    """Write ``document`` to ``path`` as an A4 PDF; a file that did not appear is an error."""
    if not path.parent.is_dir():
        raise SmmodError(f"The handover record could not be written to {path}: the folder "
                         "does not exist.")
    writer = QPdfWriter(str(path))
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setPageMargins(QMarginsF(16, 16, 16, 16), QPageLayout.Unit.Millimeter)
    writer.setResolution(RESOLUTION)
    writer.setTitle(document.title)
    writer.setCreator("smmod")
    text = QTextDocument()
    # Laid out on the writer itself, page by page, so 10pt in the record is 10pt on paper
    # and the margins are the writer's alone.
    text.documentLayout().setPaintDevice(writer)
    text.setHtml(document.html)
    text.setPageSize(QSizeF(writer.width(), writer.height()))
    text.print_(writer)
    del writer  # closes and flushes the file
    if not path.is_file() or path.stat().st_size == 0:
        raise SmmodError(f"The handover record could not be written to {path}. Check that the "
                         "folder exists and there is space on the disk.")
