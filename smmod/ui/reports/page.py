"""The Reports page: how the policy is kept, for SLT and governors, with charts.

Choose a period (this or last week, month or term, or two dates) and one account or
all; the five reports load together off the UI thread. Every figure opens the items
behind it. "Termly PDF…" writes the report for governors.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt, Signal, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from smmod.errors import SmmodError
from smmod.reports import period as periods
from smmod.reports.drill_records import Figure
from smmod.reports.service import TermlyReport
from smmod.ui import msgbox
from smmod.ui.pages import PageDeps
from smmod.ui.reports.drill import DrillDialog, open_drill
from smmod.ui.reports.tabs import TABS

CHOICES = (("This term", "term", 0), ("Last term", "term", 1), ("This month", "month", 0),
           ("Last month", "month", 1), ("This week", "week", 0), ("Last week", "week", 1),
           ("Dates…", "custom", 0))


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _pydate(day: QDate) -> date:
    return date(day.year(), day.month(), day.day())


class ReportsPage(QWidget):
    report_loaded = Signal(object)  # TermlyReport

    def __init__(self, deps: PageDeps) -> None:
        super().__init__()
        self._ctx = deps.ctx
        self._runner = deps.runner
        self.report: TermlyReport | None = None
        self.drills: list[DrillDialog] = []
        self._generation = 0
        self._init_controls()
        self.tabs = QTabWidget()
        self.tabs.setObjectName("report_tabs")
        self.tabs.setDocumentMode(True)
        layout = QVBoxLayout(self)
        layout.addLayout(self._header)
        layout.addWidget(self.status)
        layout.addWidget(self.tabs, 1)
        self._on_period_changed()

    # -- assembly -----------------------------------------------------------------
    def _init_controls(self) -> None:
        title = QLabel("Reports")
        title.setStyleSheet("font-size: 16pt; font-weight: 600;")
        self.period = QComboBox()
        self.period.setObjectName("report_period")
        self.period.setAccessibleName("Period")
        for label, kind, back in CHOICES:
            self.period.addItem(label, (kind, back))
        today = self._ctx.clock.today()
        self.start = QDateEdit(_qdate(periods.month(today).start))
        self.end = QDateEdit(_qdate(today))
        for edit, name in ((self.start, "From"), (self.end, "To")):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("d MMM yyyy")
            edit.setAccessibleName(name)
        self.account = QComboBox()
        self.account.setObjectName("report_account")
        self.account.setAccessibleName("Account")
        self.account.addItem("All accounts", None)
        self.refresh_action = QAction("&Refresh", self)
        self.refresh_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Refresh))
        self.refresh_action.setToolTip("Load the reports again (F5)")
        self.pdf_action = QAction("Termly &PDF…", self)
        self.pdf_action.setShortcut(QKeySequence("Ctrl+P"))
        self.pdf_action.setToolTip("Write the report for governors as a PDF (Ctrl+P)")
        self.addAction(self.refresh_action)
        self.addAction(self.pdf_action)
        self._header = QHBoxLayout()
        self._header.addWidget(title)
        self._header.addSpacing(16)
        for label, widget in (("Period", self.period), ("From", self.start), ("To", self.end),
                              ("Account", self.account)):
            caption = QLabel(label)
            caption.setBuddy(widget)
            self._header.addWidget(caption)
            self._header.addWidget(widget)
        self._header.addStretch(1)
        for action in (self.refresh_action, self.pdf_action):
            button = QToolButton()
            button.setDefaultAction(action)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            button.setMinimumHeight(28)
            self._header.addWidget(button)
        self.status = QLabel("")
        self.status.setObjectName("report_status")
        self.status.setStyleSheet("color: palette(placeholder-text);")
        self.period.currentIndexChanged.connect(self._on_period_changed)
        self.start.dateChanged.connect(self._on_dates_edited)
        self.end.dateChanged.connect(self._on_dates_edited)
        self.account.currentIndexChanged.connect(lambda _i: self.refresh())
        self.refresh_action.triggered.connect(self.refresh)
        self.pdf_action.triggered.connect(self._on_pdf_triggered)

    # -- what to report -------------------------------------------------------------
    def chosen_period(self) -> periods.Period:
        kind, back = self.period.currentData()
        if kind == "custom":
            return periods.custom(_pydate(self.start.date()), _pydate(self.end.date()))
        return periods.named(kind, self._ctx.clock.today(), back)

    @Slot()
    def _on_period_changed(self) -> None:
        kind, _ = self.period.currentData()
        custom = kind == "custom"
        self.start.setEnabled(custom)
        self.end.setEnabled(custom)
        if not custom:
            chosen = self.chosen_period()
            for edit, day in ((self.start, chosen.start), (self.end, chosen.end)):
                edit.blockSignals(True)
                edit.setDate(_qdate(day))
                edit.blockSignals(False)
        self.refresh()

    @Slot()
    def _on_dates_edited(self) -> None:
        if self.period.currentData()[0] == "custom":
            self.refresh()

    # -- loading ------------------------------------------------------------------
    def refresh(self) -> None:
        try:
            period = self.chosen_period()
        except SmmodError as exc:
            self.status.setText(str(exc))
            return
        account = self.account.currentData()
        self._generation += 1
        generation = self._generation
        self.status.setText(f"Loading {period.label}…")
        service = self._ctx.reports
        if self.account.count() == 1:
            self._runner.run(service.account_choices, self._fill_accounts)
        # The account is looked up with the report, off the UI thread.
        self._runner.run(lambda: service.termly(service.scope(period, account)),
                         lambda report: self._show(generation, report),
                         lambda exc: self._failed(generation, exc))

    def _fill_accounts(self, choices: list[tuple[int, str]]) -> None:
        if self.account.count() > 1:
            return
        self.account.blockSignals(True)
        for account_id, label in choices:
            self.account.addItem(label, account_id)
        self.account.blockSignals(False)

    def _failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        self.status.setText("The reports could not be loaded.")
        msgbox.show_error(self, exc)

    def _show(self, generation: int, report: TermlyReport) -> None:
        if generation != self._generation:
            return  # a newer request is on its way
        self.report = report
        current = max(0, self.tabs.currentIndex())
        self.tabs.clear()
        for title, build in TABS:
            self.tabs.addTab(build(report, self._on_figure), title)
        self.tabs.setCurrentIndex(current)
        scope = report.scope
        where = scope.account_label or "all accounts"
        self.status.setText(f"{scope.period.label}, {where}. Click any figure, bar or table cell "
                            "to see the items behind it.")
        self.report_loaded.emit(report)

    # -- drill-down and PDF -----------------------------------------------------------
    def _on_figure(self, figure: Figure) -> None:
        if self.report is None:
            return
        scope, service = self.report.scope, self._ctx.reports
        dialog = open_drill(self, "Loading…", lambda: service.drill(scope, figure), self._runner.run)
        self.drills = [d for d in self.drills if d.isVisible()] + [dialog]

    @Slot()
    def _on_pdf_triggered(self) -> None:
        from smmod.reports.termly import file_name
        from smmod.ui.moderation import common
        from smmod.ui.reports.pdf import write_termly_pdf

        report = self.report
        if report is None:
            return
        suggested = self._ctx.paths.records_dir / file_name(report)
        path = common.choose_save_path(self, "Save the termly report", str(suggested), "PDF files (*.pdf)")
        if path is None:
            return
        path = path if path.suffix else path.with_suffix(".pdf")
        try:
            pages = write_termly_pdf(report, path, zone=self._ctx.calendar().zone,
                                     generated_by=self._ctx.actor.name or self._ctx.actor.username)
        except SmmodError as exc:
            msgbox.warning(self, "Termly report", str(exc))
            return
        self.status.setText(f"Wrote {path} ({pages} pages).")

    def shortcuts(self) -> list[tuple[str, str]]:
        return [("F5", "Load the reports again"), ("Ctrl+P", "Write the termly PDF"),
                ("Enter", "Open the items behind the table cell")]
