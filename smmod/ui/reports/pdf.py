"""The termly report for governors as a PDF: the HTML from ``smmod.reports.termly`` with
its charts drawn by pyqtgraph, laid out on A4 by the same writer as incident reports."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

from smmod.reports.service import TermlyReport
from smmod.reports.termly import chart_specs, termly_html
from smmod.ui.moderation.pdf import write_pdf
from smmod.ui.reports.chart import render_chart

SECTIONS = ("deadline", "monitoring", "incidents", "people", "images")


def write_termly_pdf(report: TermlyReport, path: Path, *, zone: ZoneInfo, generated_by: str,
                     sections: tuple[str, ...] = SECTIONS) -> int:
    """Write the report to ``path``; returns the number of pages."""
    images = {f"chart:{spec.key}": render_chart(spec) for spec in chart_specs(report)
              if not spec.empty}
    html = termly_html(report, zone=zone, generated_by=generated_by, sections=sections)
    title = f"{report.school}: social media report, {report.scope.period.label}"
    return write_pdf(html, path, title=title, images=images,
                     footer=f"{report.school} · Social media report · {report.scope.period.label}")
