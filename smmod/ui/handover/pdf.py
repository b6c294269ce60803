"""Printing a handover record to PDF with Qt (the domain builds the HTML, never this)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMarginsF
from PySide6.QtGui import QPageLayout, QPageSize, QPdfWriter, QTextDocument

from smmod.errors import SmmodError
from smmod.handover import RecordDocument

RESOLUTION = 300


def render_pdf(document: RecordDocument, path: Path) -> None:
    """Write ``document`` to ``path`` as an A4 PDF; a file that did not appear is an error."""
    writer = QPdfWriter(str(path))
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setPageMargins(QMarginsF(16, 16, 16, 16), QPageLayout.Unit.Millimeter)
    writer.setResolution(RESOLUTION)
    writer.setTitle(document.title)
    writer.setCreator("smmod")
    text = QTextDocument()
    text.setHtml(document.html)
    # The page size in points keeps the 10pt body text 10pt on paper at any resolution.
    text.setPageSize(writer.pageLayout().paintRect(QPageLayout.Unit.Point).size())
    text.print_(writer)
    del writer  # closes and flushes the file
    if not path.is_file() or path.stat().st_size == 0:
        raise SmmodError(f"The handover record could not be written to {path}. Check that the "
                         "folder exists and there is space on the disk.")
