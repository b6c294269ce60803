"""The five tabs of the Reports page, built from a ``TermlyReport``.

Every number is clickable: the cards are buttons, table cells open on double-click or
Enter, and chart bars on click; each emits the ``Figure`` behind it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from smmod import formatting as fmt
from smmod.reports import charts
from smmod.reports.charts import ChartSpec
from smmod.reports.drill_records import Figure
from smmod.reports.records import Line
from smmod.reports.service import TermlyReport
from smmod.reports.termly import hours, pct
from smmod.ui.reports.chart import ChartView, chart_height
from smmod.wording import count

FigureRole = Qt.ItemDataRole.UserRole + 1
OnFigure = Callable[[Figure], None]
Cell = tuple[str, Figure | None]


class Card(QPushButton):
    """A big number with its caption; clicking it opens what it counts."""

    def __init__(self, value: str, caption: str, figure: Figure | None, on_figure: OnFigure,
                 alert: bool = False) -> None:
        super().__init__()
        colour = "#9e1616" if alert else "#13233a"
        self.setAccessibleName(f"{caption}: {value}")
        self.setObjectName("report_card")
        self.setMinimumSize(140, 62)
        self.setStyleSheet(
            "QPushButton#report_card { background: palette(base); border: 1px solid palette(mid);"
            " border-radius: 6px; }"
            "QPushButton#report_card:hover { border-color: palette(highlight); }"
            "QPushButton#report_card:focus { border: 2px solid palette(highlight); }")
        self.value_label = QLabel(value)
        self.value_label.setStyleSheet(f"font-size: 17pt; font-weight: 700; color: {colour};")
        self.caption_label = QLabel(caption)
        self.caption_label.setStyleSheet("color: palette(text);")
        box = QVBoxLayout(self)
        box.setContentsMargins(12, 6, 12, 6)
        box.setSpacing(0)
        for label in (self.value_label, self.caption_label):
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            box.addWidget(label)
        self.figure = figure
        self.setEnabled(figure is not None)
        self.setToolTip("Show the items behind this figure" if figure else caption)
        if figure is not None:
            self.clicked.connect(lambda: on_figure(figure))

    def sizeHint(self) -> QSize:  # QWidget.sizeHint
        layout = self.layout()
        hint = layout.sizeHint() if layout is not None else QSize()
        return QSize(max(140, hint.width()), max(62, hint.height()))


class FigureTable(QTableWidget):
    """A per-account or per-person table; double-click or Enter opens a cell's figure."""

    def __init__(self, name: str, headers: Sequence[str], rows: Sequence[Sequence[Cell]],
                 on_figure: OnFigure) -> None:
        super().__init__(len(rows), len(headers))
        self.setObjectName(name)
        self.setAccessibleName(name.replace("_", " "))
        self.setHorizontalHeaderLabels(list(headers))
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setAlternatingRowColors(True)
        self.verticalHeader().setVisible(False)
        for r, row in enumerate(rows):
            for c, (text, figure) in enumerate(row):
                item = QTableWidgetItem(text)
                if c:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if figure is not None:
                    item.setData(FigureRole, figure)
                    item.setToolTip("Double-click to see the items")
                self.setItem(r, c, item)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.setVisible(bool(rows))  # an empty table says nothing a card has not said
        height = min(420, 36 + 30 * max(1, len(rows)))
        self.setMinimumHeight(height)
        self.setMaximumHeight(height)
        self._on_figure = on_figure
        self.itemActivated.connect(self._open)
        self.itemDoubleClicked.connect(self._open)

    def _open(self, item: QTableWidgetItem) -> None:
        figure = item.data(FigureRole)
        if isinstance(figure, Figure):
            self._on_figure(figure)


def _chart(spec: ChartSpec, on_figure: OnFigure) -> QWidget:
    if spec.empty:  # axes with nothing on them look broken; say so in words
        label = QLabel(f"<b>{spec.title}</b><br/>Nothing to show for this period.")
        label.setObjectName(f"chart_{spec.key}")
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setMinimumHeight(90)
        label.setStyleSheet("background: palette(base); border: 1px solid palette(midlight);"
                            " color: palette(placeholder-text);")
        return label
    view = ChartView(spec)
    view.setObjectName(f"chart_{spec.key}")
    view.setFixedHeight(min(460, chart_height(spec)))
    view.figure_clicked.connect(on_figure)
    return view


def _page(parts: Sequence[QWidget | list[QWidget]], note: str = "") -> QScrollArea:
    body = QWidget()
    layout = QVBoxLayout(body)
    for part in parts:
        if isinstance(part, list):
            row = QHBoxLayout()
            for widget in part:
                row.addWidget(widget)
            row.addStretch(1)
            layout.addLayout(row)
        else:
            layout.addWidget(part)
    if note:
        label = QLabel(note)
        label.setWordWrap(True)
        label.setStyleSheet("color: palette(placeholder-text);")
        layout.addWidget(label)
    layout.addStretch(1)
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setWidget(body)
    return scroll


def _charts(*views: QWidget) -> QWidget:
    box = QWidget()
    grid = QGridLayout(box)
    grid.setContentsMargins(0, 0, 0, 0)
    for i, view in enumerate(views):
        grid.addWidget(view, i // 2, i % 2, Qt.AlignmentFlag.AlignTop)
    return box


def _deadline_rows(lines: Sequence[Line], group: str) -> list[list[Cell]]:
    rows = []
    for line in lines:
        f = line.figures
        nobody = line.key is None

        def fig(name: str, line: Line = line, nobody: bool = nobody) -> Figure:
            return Figure("deadline", name, group, line.key, nobody=nobody)

        rows.append([(line.label, fig("received")), (str(f.received), fig("received")),
                     (str(f.on_time), fig("on_time")), (str(f.breached), fig("breached")),
                     (str(f.late_open), fig("late_open")), (str(f.pending), fig("pending")),
                     (pct(f.on_time_share), None), (hours(f.median_hours), None),
                     (hours(f.p90_hours), None)])
    return rows


DEADLINE_HEADERS = ("", "Received", "On time", "Late", "Late, still open", "Not yet due",
                    "On time %", "Median (working h)", "90th pct")


def deadline_tab(r: TermlyReport, on_figure: OnFigure) -> QWidget:
    d = r.deadline
    f = d.overall
    cards: list[QWidget] = [
        Card(str(f.received), "received", Figure("deadline", "received"), on_figure),
        Card(pct(f.on_time_share), "answered on time", Figure("deadline", "on_time"), on_figure),
        Card(str(f.breached), "late", Figure("deadline", "breached"), on_figure, alert=bool(f.breached)),
        Card(str(f.late_open), "late and still open", Figure("deadline", "late_open"), on_figure,
             alert=bool(f.late_open)),
        Card(hours(f.median_hours), "median to first response", Figure("deadline", "answered"), on_figure),
        Card(hours(f.p90_hours), "90% answered within", Figure("deadline", "answered"), on_figure)]
    return _page([
        cards,
        _charts(_chart(charts.deadline_trend(d), on_figure), _chart(charts.deadline_lateness(d), on_figure)),
        _chart(charts.deadline_by_account(d), on_figure),
        FigureTable("deadline_by_account", ("Account", *DEADLINE_HEADERS[1:]),
                    _deadline_rows(d.by_account, "account"), on_figure),
        FigureTable("deadline_by_moderator", ("First answered by", *DEADLINE_HEADERS[1:]),
                    _deadline_rows(d.by_moderator, "moderator"), on_figure)],
        note="Times are working hours: weekends, bank holidays and closures do not count. "
             "The share on time leaves out items not yet due and items closed without a response.")


def monitoring_tab(r: TermlyReport, on_figure: OnFigure) -> QWidget:
    m = r.monitoring
    rows: list[list[Cell]] = []
    for line in m.by_account:
        f = line.figures
        figure = Figure("monitoring", "days_checked", "account", line.key)
        gap = (f"{f.longest_gap_days} ({fmt.day(f.gap_from, year=False)}–{fmt.day(f.gap_to, year=False)})"
               if f.gap_from and f.gap_to else str(f.longest_gap_days))
        rows.append([(line.label, figure), (str(f.days_checked), figure),
                     (f"{f.working_days_checked} of {f.working_days}", figure), (gap, None),
                     ("yes" if f.stale_now else "no",
                      Figure("monitoring", "stale") if f.stale_now else None)])
    people = [[(line.label, Figure("monitoring", "days_checked", "moderator", line.key,
                                   nobody=line.key is None)),
               (str(line.figures["days_checked"]), Figure("monitoring", "days_checked", "moderator",
                                                          line.key, nobody=line.key is None)),
               (str(line.figures["accounts"]), None)] for line in m.by_moderator]
    return _page([
        [Card(str(len(m.stale_now)), f"not checked for over {count(m.stale_days, 'day')} now",
              Figure("monitoring", "stale"), on_figure, alert=bool(m.stale_now))],
        _chart(charts.monitoring_days(m), on_figure),
        FigureTable("monitoring_by_account", ("Account", "Days checked", "Working days checked",
                                              "Longest gap (days)", "Stale now"), rows, on_figure),
        FigureTable("monitoring_by_person", ("Checked by", "Days", "Accounts"), people, on_figure)])


def incidents_tab(r: TermlyReport, on_figure: OnFigure) -> QWidget:
    i = r.incidents
    close = "—" if i.median_days_to_close is None else f"{i.median_days_to_close:.1f} days"
    outcome_rows: list[list[Cell]] = [[(k, Figure("incidents", "outcome", value=k)),
                                       (str(v), Figure("incidents", "outcome", value=k))]
                                      for k, v in i.by_outcome.items()]
    leads: list[list[Cell]] = [[(line.label, Figure("incidents", "lead", "lead", line.key)),
                                (str(line.figures.get("led", 0)),
                                 Figure("incidents", "lead", "lead", line.key)),
                                (str(line.figures.get("open", 0)), None)] for line in i.by_lead]
    return _page([
        [Card(str(i.opened), "opened", Figure("incidents", "opened"), on_figure),
         Card(str(i.still_open), "still open", Figure("incidents", "still_open"), on_figure),
         Card(str(i.police_advised), "police advised", Figure("incidents", "police_advised"), on_figure,
              alert=bool(i.police_advised)),
         Card(close, "median time to close", Figure("incidents", "closed"), on_figure)],
        _charts(_chart(charts.incidents_by_category(i), on_figure),
                _chart(charts.incidents_by_severity(i), on_figure)),
        FigureTable("incidents_by_outcome", ("Outcome", "Incidents"), outcome_rows, on_figure),
        FigureTable("incidents_by_lead", ("SLT lead", "Led", "Still open"), leads, on_figure)],
        note="Outcomes are counted, never quoted: the text SLT write when closing may name pupils.")


def people_tab(r: TermlyReport, on_figure: OnFigure) -> QWidget:
    p = r.people
    rows: list[list[Cell]] = [
        [(e.name, Figure("people", "expiring", "person", e.staff_id)), (e.what, None), (fmt.day(e.on), None),
         ("expired" if e.within == 0 else f"within {e.within} days", None), (str(e.runs_accounts), None)]
        for e in p.expiring]
    return _page([
        [Card(str(len(p.at_risk)), "accounts at risk (R2, R4)", Figure("people", "at_risk"), on_figure,
              alert=bool(p.at_risk)),
         Card(str(len(p.reviews_due)), "account reviews due", Figure("people", "reviews_due"), on_figure),
         Card(str(len(p.expiring)), "training or policy reading expiring",
              Figure("people", "expiring"), on_figure)],
        _chart(charts.people_expiring(p), on_figure),
        FigureTable("people_expiring", ("Person", "What", "Expires", "When", "Accounts run"), rows,
                    on_figure),
        FigureTable("people_at_risk", ("Account at risk", "Rules"),
                    [[(r.account, Figure("people", "at_risk")), (", ".join(r.rules), None)]
                     for r in p.at_risk], on_figure),
        FigureTable("people_reviews", ("Account review", "Due"),
                    [[(r.account, Figure("people", "reviews_due")),
                      (("overdue since " if r.overdue else "") + fmt.day(r.review_on), None)]
                     for r in p.reviews_due], on_figure)],
        note="As of today, whatever the period: who must renew training or re-read the policy "
             "in the next 30 or 60 days.")


def images_tab(r: TermlyReport, on_figure: OnFigure) -> QWidget:
    im = r.images
    people: list[list[Cell]] = [[(line.label, None), (str(line.figures["checked"]), None),
                                 (str(line.figures["blocked"]), None),
                                 (str(line.figures["exported"]), None)] for line in im.by_person]
    return _page([
        [Card(str(im.checked), "photos checked", Figure("images", "checked"), on_figure),
         Card(str(im.verdicts.get("blocked", 0)), "blocked", Figure("images", "verdict", value="blocked"),
              on_figure),
         Card(str(im.exported), "exported", Figure("images", "exported"), on_figure),
         Card(str(im.pupils_added), "pupils added to the register", Figure("images", "pupils_added"),
              on_figure),
         Card(str(im.retro_named + im.retro_faces), "exports to look at again",
              Figure("images", "retro"), on_figure, alert=bool(im.retro_named))],
        _chart(charts.images_summary(im), on_figure),
        FigureTable("images_by_person", ("Person", "Checked", "Blocked", "Exported"), people, on_figure)],
        note="Adding a pupil re-checks every exported photo: "
             f"{count(im.retro_checks, 're-check')} in the period "
             f"found {im.retro_named} naming a newly protected pupil and {im.retro_faces} with faces to "
             "look at again. Pupils are shown by number here; their names are on the Images page.")


TABS = (("Deadline (R7)", deadline_tab), ("Monitoring (R13)", monitoring_tab),
        ("Incidents (R9)", incidents_tab), ("People (R2, R4)", people_tab), ("Images (R11)", images_tab))
