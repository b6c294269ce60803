"""The For you page: what waits for the signed-in person; kept up to date on its own."""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from smmod.reports.foryou import ForYouItem, split_decisions
from smmod.ui.foryou.view import ForYouList
from smmod.ui.pages import PageDeps

REFRESH_MS = 60_000


def go_to(widget: QWidget, page: str) -> None:
    """Show ``page`` in the main window that holds ``widget`` (when there is one)."""
    window = widget.window()
    show_page = getattr(window, "show_page", None)
    if callable(show_page):
        show_page(page)


class ForYouPage(QWidget):
    items_loaded = Signal(list)

    def __init__(self, deps: PageDeps) -> None:
        super().__init__()
        self._ctx = deps.ctx
        self._runner = deps.runner
        self.items: list[ForYouItem] = []
        title = QLabel("For you")
        title.setStyleSheet("font-size: 16pt; font-weight: 600;")
        self.summary = QLabel("Loading…")
        self.summary.setObjectName("foryou_summary")
        self.list = ForYouList(lambda page: go_to(self, page))
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(self.summary)
        layout.addWidget(self.list, 1)
        self._timer = QTimer(self)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self._on_timer)
        self._timer.start()
        self._loading = False

    def _on_timer(self) -> None:
        if self.isVisible():
            self.refresh()

    def refresh(self) -> None:
        if self._loading:
            return
        self._loading = True
        service, actor = self._ctx.reports.for_you, self._ctx.actor
        self._runner.run(lambda: service.items(actor), self._show, self._failed)

    def _failed(self, exc: BaseException) -> None:
        self._loading = False
        self.summary.setText(f"Could not load the list: {exc}")

    def _show(self, items: list[ForYouItem]) -> None:
        self._loading = False
        self.items = items
        urgent = sum(1 for i in items if i.urgent)
        decisions, _others = split_decisions(items)
        self.summary.setText("Nothing waits for you." if not items else
                             f"{len(items)} thing{'s' if len(items) != 1 else ''} wait"
                             f"{'' if len(items) != 1 else 's'} for you"
                             + (f", {urgent} urgent." if urgent else ".")
                             + (f" {len(decisions)} await{'s' if len(decisions) == 1 else ''}"
                                " your decision." if decisions else ""))
        self.list.show_items(items)
        self.items_loaded.emit(items)

    def shortcuts(self) -> list[tuple[str, str]]:
        return [("Tab, Space", "Move to a row's Open button and press it")]
