"""The Images page: "Check images" and the "Do-not-publish register", as two tabs.

The page only assembles the tabs and passes changes between them: when the register
changes, the check tab reloads the reference photos it shows beside each face.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Slot
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from smmod.ui.images.check_layout import CheckActions
from smmod.ui.images.check_tab import CheckTab
from smmod.ui.images.register_tab import RegisterTab
from smmod.ui.pages import PageDeps


class ImagesPage(QWidget):
    def __init__(self, deps: PageDeps) -> None:
        super().__init__()
        self._runner = deps.runner
        self._rescreen = deps.rescreen
        self._started = False
        self.check_tab = CheckTab(deps)
        self.register_tab = RegisterTab(deps)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("images_tabs")
        self.tabs.setAccessibleName("Images")
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.check_tab, "&Check images")
        self.tabs.addTab(self.register_tab, "&Do-not-publish register")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(self.tabs)
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.register_tab.register_changed.connect(self._on_register_changed)
        self.tabs.currentChanged.connect(self._on_tab_changed)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.shutdown)

    # -- page protocol ------------------------------------------------------------
    def refresh(self) -> None:
        if not self._started:
            self._started = True
            self._start_workers_early()
        self.check_tab.refresh()
        self.register_tab.refresh()

    def shortcuts(self) -> list[tuple[str, str]]:
        return CheckActions.shortcuts() + RegisterTab.shortcuts()

    @Slot()
    def shutdown(self) -> None:
        self.check_tab.shutdown()

    # -- helpers ------------------------------------------------------------------
    def _start_workers_early(self) -> None:
        """Start the checking processes' server now, so the first drop does not wait."""
        from smmod.images import start_workers_early

        self._runner.run(start_workers_early, None, lambda _exc: None)

    @Slot()
    def _on_register_changed(self) -> None:
        self.check_tab.review.reload_references()
        self._rescreen.check()  # a pupil's name added or removed: flag the comments again

    @Slot(int)
    def _on_tab_changed(self, index: int) -> None:
        widget = self.tabs.widget(index)
        refresh = getattr(widget, "refresh", None)
        if callable(refresh):
            refresh()

    def closeEvent(self, event: QCloseEvent) -> None:  # QWidget.closeEvent
        self.shutdown()
        super().closeEvent(event)
