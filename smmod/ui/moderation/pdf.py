"""Writing an incident report to PDF with Qt's own text layout (no extra dependency).

The document is laid out in A4 pages (``QTextDocument`` moves lines and table rows
that do not fit to the next page) and each page is painted with a footer naming the
report and the page number, so a printed report can be checked for missing pages.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from PySide6.QtCore import QMarginsF, QPointF, QRectF, QSizeF, Qt, QUrl
from PySide6.QtGui import (
    QColor,
    QFont,
    QImage,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QTextDocument,
)

from smmod.errors import InputError
from smmod.moderation.records import IncidentDetail
from smmod.moderation.report import incident_report_html, report_file_name, report_footer

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from smmod.context import AppContext

RESOLUTION = 300
_POINTS_PER_INCH = 72
_FOOTER_POINTS = 22


def write_pdf(html: str, path: Path, *, title: str, footer: str = "", creator: str = "smmod",
              images: Mapping[str, QImage] | None = None) -> int:
    """Lay ``html`` out on A4 pages and write them to ``path``; returns the page count.

    ``images`` are the pictures the HTML names in ``<img src=...>`` (e.g. charts).
    """
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("wb"):
            pass
    except OSError as err:
        raise InputError(f"cannot write: {err.strerror}", file=str(target)) from err
    writer = QPdfWriter(str(target))
    writer.setResolution(RESOLUTION)
    writer.setTitle(title)
    writer.setCreator(creator)
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Portrait,
            QMarginsF(14, 14, 14, 12),
            QPageLayout.Unit.Millimeter,
        )
    )
    # Lay out on the writer itself, in its pixels, so fonts measure as they will print.
    area = writer.pageLayout().paintRectPixels(RESOLUTION)
    footer_height = _FOOTER_POINTS * RESOLUTION / _POINTS_PER_INCH
    width, height = float(area.width()), area.height() - footer_height
    document = QTextDocument()
    layout = document.documentLayout()
    layout.setPaintDevice(writer)
    document.setDocumentMargin(0)
    for name, image in (images or {}).items():
        document.addResource(QTextDocument.ResourceType.ImageResource, QUrl(name), image)
    document.setHtml(html)
    document.setPageSize(QSizeF(width, height))
    pages = document.pageCount()
    painter = QPainter()
    if not painter.begin(writer):
        raise InputError("the PDF could not be started", file=str(target))
    try:
        footer_font = QFont(document.defaultFont())
        footer_font.setPointSizeF(7.5)
        gap = footer_height * 0.25
        for page in range(pages):
            if page:
                writer.newPage()
            painter.save()
            painter.translate(0, -page * height)
            document.drawContents(painter, QRectF(0, page * height, width, height))
            painter.restore()
            painter.setFont(footer_font)
            painter.setPen(QColor("#5b6878"))
            painter.drawLine(QPointF(0, height + gap), QPointF(width, height + gap))
            box = QRectF(0, height + gap, width, footer_height - gap)
            painter.drawText(
                box, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), footer or title
            )
            painter.drawText(
                box,
                int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                f"Page {page + 1} of {pages}",
            )
    finally:
        painter.end()
    if target.stat().st_size == 0:
        raise InputError("the PDF could not be written", file=str(target))
    return pages


def export_incident(
    ctx: AppContext, detail: IncidentDetail, zone: ZoneInfo, parent: QWidget | None
) -> tuple[Path, int] | None:
    """Ask where, then write the incident report; None when the person cancelled."""
    from smmod.ui.moderation import common

    now = ctx.clock.now()
    suggested = ctx.paths.records_dir / report_file_name(detail, now)
    path = common.choose_save_path(parent, "Export incident report", str(suggested), "PDF files (*.pdf)")
    if path is None:
        return None
    if not path.suffix:
        path = path.with_suffix(".pdf")
    school = ctx.settings.school_name
    html = incident_report_html(
        detail, school=school, zone=zone, generated_by=ctx.actor.name or ctx.actor.username, generated_at=now
    )
    pages = write_pdf(
        html,
        path,
        title=f"Incident #{detail.summary.id}",
        footer=report_footer(school, detail.summary.id),
    )
    return path, pages
