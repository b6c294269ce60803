"""Bar charts with pyqtgraph: on the Reports page (click a bar to see the items behind
it) and, rendered to an image, in the termly PDF.

pyqtgraph was chosen over QtCharts: QtCharts comes only with PySide6-Addons, which adds
about 160 MB to the install for one module; pyqtgraph adds about 5 MB of pure Python
(numpy is already a dependency). It costs about 0.7 s to import, paid once, when the
Reports page is first opened; the first chart then draws in about 30 ms, as fast as
QtCharts.
"""

from __future__ import annotations

from collections.abc import Sequence

import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QWidget

from smmod.reports.charts import ChartSpec
from smmod.reports.drill_records import Figure

BAR = 0.62  # share of a category's slot the bar fills


class CategoryAxis(pg.AxisItem):
    """An axis that labels whole positions with category names."""

    def __init__(self, names: Sequence[str], orientation: str) -> None:
        super().__init__(orientation=orientation)
        self._names = list(names)
        # Along the bottom, long runs (weeks of a term) are labelled every few bars.
        step = 1 if orientation == "left" else max(1, -(-len(self._names) // 9))
        self.setTicks([[(i, self._short(n)) for i, n in enumerate(self._names) if i % step == 0],
                       [(i, "") for i in range(len(self._names))]])

    @staticmethod
    def _short(name: str, limit: int = 28) -> str:
        return name if len(name) <= limit else name[: limit - 1] + "…"


class ChartView(pg.PlotWidget):
    """One ``ChartSpec`` as stacked bars; ``figure_clicked`` names the bar's figure."""

    figure_clicked = Signal(object)  # Figure

    def __init__(self, spec: ChartSpec, parent: QWidget | None = None, *,
                 legend_size: str = "9pt") -> None:
        self.spec = spec
        cats = spec.categories
        if spec.horizontal:
            # Top to bottom in the order given: category i sits at y = n - 1 - i.
            names = list(reversed(cats))
            axes = {"left": CategoryAxis(names, "left")}
        else:
            axes = {"bottom": CategoryAxis(cats, "bottom")}
        super().__init__(parent=parent, background="w", axisItems=axes)
        self.setAccessibleName(spec.title)
        self.setToolTip(f"{spec.title}. Click a bar to see the items behind it.")
        self.setMenuEnabled(False)
        self.setMouseEnabled(x=False, y=False)
        self.hideButtons()
        item = self.getPlotItem()
        item.setTitle(f"<span style='color:#13233a;font-size:11pt'>{spec.title}</span>")
        item.showGrid(x=spec.horizontal, y=not spec.horizontal, alpha=0.18)
        for name in ("left", "bottom"):
            axis = item.getAxis(name)
            axis.setPen(pg.mkPen("#6b7785"))
            axis.setTextPen(pg.mkPen("#1d2733"))
        if spec.horizontal:
            longest = max((len(CategoryAxis._short(c)) for c in spec.categories), default=4)
            item.getAxis("left").setWidth(min(260, 14 + 7 * longest))
        # A legend only when there is more than one series to tell apart.
        shown = sum(1 for series in spec.series if any(series.values))
        legend = (item.addLegend(offset=(-8, 8), labelTextColor="#1d2733", labelTextSize=legend_size,
                                 brush=pg.mkBrush(255, 255, 255, 215)) if shown > 1 else None)
        if legend is not None and not spec.horizontal:
            legend.setColumnCount(shown)  # one line along the top, above the bars
        self._boxes: list[tuple[QRectF, Figure | None, str]] = []
        self._draw(legend)

    def _draw(self, legend: pg.LegendItem | None) -> None:
        spec = self.spec
        n = len(spec.categories)
        base = [0.0] * n
        for series in spec.series:
            if not any(series.values):
                continue
            positions = [(n - 1 - i) if spec.horizontal else i for i in range(n)]
            color = QColor(series.color)
            if spec.horizontal:
                bars = pg.BarGraphItem(x0=base, y=positions, height=BAR, width=list(series.values),
                                       brush=color, pen=pg.mkPen(None))
            else:
                bars = pg.BarGraphItem(x=positions, y0=base, width=BAR, height=list(series.values),
                                       brush=color, pen=pg.mkPen(None))
            self.addItem(bars)
            if legend is not None:
                legend.addItem(bars, series.name)
            for i, value in enumerate(series.values):
                if value:
                    pos = positions[i]
                    box = (QRectF(base[i], pos - BAR / 2, value, BAR) if spec.horizontal
                           else QRectF(pos - BAR / 2, base[i], BAR, value))
                    label = f"{spec.categories[i]} · {series.name}: {value:g} {spec.unit}".rstrip()
                    self._boxes.append((box, series.figure(i), label))
            base = [b + v for b, v in zip(base, series.values, strict=True)]
        top = max(base, default=0) or 1
        if spec.horizontal:  # room on the right for the legend
            self.setXRange(0, top * (1.55 if legend is not None else 1.08), padding=0)
            self.setYRange(-0.6, n - 0.4, padding=0)
        else:
            self.setYRange(0, top * (1.3 if legend is not None else 1.08), padding=0)
            self.setXRange(-0.6, n - 0.4, padding=0)
        if spec.empty:
            text = pg.TextItem("Nothing to show for this period", color="#5b6878", anchor=(0.5, 0.5))
            self.addItem(text)
            text.setPos(top * 0.5 if spec.horizontal else (n - 1) / 2, (n - 1) / 2 if spec.horizontal
                        else top * 0.5)

    def bar_at(self, x: float, y: float) -> tuple[Figure | None, str] | None:
        """The bar under a point in data coordinates (for clicks and tests)."""
        for box, figure, label in self._boxes:
            if box.contains(x, y):
                return figure, label
        return None

    def bars(self) -> list[tuple[QRectF, Figure | None, str]]:
        return list(self._boxes)

    def mousePressEvent(self, ev) -> None:  # type: ignore[no-untyped-def]  # QWidget
        if ev.button() == Qt.MouseButton.LeftButton:
            point = self.getPlotItem().vb.mapSceneToView(self.mapToScene(ev.position().toPoint()))
            hit = self.bar_at(point.x(), point.y())
            if hit is not None and hit[0] is not None:
                self.figure_clicked.emit(hit[0])
                ev.accept()
                return
        super().mousePressEvent(ev)


def chart_height(spec: ChartSpec) -> int:
    """Pixels (at half the print width) that show every category without stretching one."""
    if not spec.horizontal:
        return 320
    return max(170, 90 + 34 * len(spec.categories))


def render_chart(spec: ChartSpec, width: int = 1600, height: int | None = None) -> QImage:
    """The chart as an image for a PDF (white background, print resolution)."""
    from pyqtgraph.exporters import ImageExporter

    height = height or 2 * chart_height(spec)
    # pyqtgraph's exporter scales the plot but not the legend's text, so it starts larger.
    view = ChartView(spec, legend_size="17pt")
    view.resize(width // 2, height // 2)
    view.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
    view.show()  # lays the plot out at its size; never on screen
    QCoreApplication.sendPostedEvents()
    exporter = ImageExporter(view.getPlotItem())
    exporter.parameters()["width"] = width
    exporter.parameters()["antialias"] = True
    image = exporter.export(toBytes=True)
    view.close()
    view.deleteLater()
    assert isinstance(image, QImage)
    return image
