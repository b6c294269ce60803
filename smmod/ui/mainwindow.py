"""The main window assembles the pages, menus and status bar; it decides nothing."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QSize, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QSplitter,
    QStackedWidget,
    QWidget,
)

from smmod import __version__
from smmod.store import backup
from smmod.store.live import EVERYTHING
from smmod.ui import msgbox
from smmod.ui.actions import ActionId, create_actions
from smmod.ui.icons import app_icon, icon
from smmod.ui.pages import PageDeps, PageSpec, page_specs
from smmod.ui.screen import fit_to_screen
from smmod.ui.staff.model import roles_label
from smmod.ui.tasks import TaskRunner

if TYPE_CHECKING:
    from smmod.context import AppContext
    from smmod.moderation.rescreen import RescreenReport
    from smmod.ui.live import LiveUpdates


PREFERRED_SIZE = QSize(1440, 900)


class MainWindow(QMainWindow):
    """The main window. Without a context it paints at once as an empty frame ("Opening…")
    and ``attach`` fills it in, so the window appears before the database is opened."""

    first_painted = Signal()
    # A write waits for another (an import elsewhere): emitted from the worker thread,
    # shown in the status bar on the UI thread; "" when the write goes ahead.
    write_waiting = Signal(str)

    def __init__(self, ctx: AppContext | None = None, runner: TaskRunner | None = None,
                 pages: list[PageSpec] | None = None) -> None:
        super().__init__()
        self._ctx: AppContext | None = None
        self._runner = runner or TaskRunner(self)
        self._specs = pages if pages is not None else page_specs()
        self._pages: dict[str, QWidget] = {}
        self.setWindowTitle("smmod — school social media")
        self.setWindowIcon(app_icon())
        # Roomy on a large screen, and never taller or wider than a small one (1280×720).
        fit_to_screen(self, PREFERRED_SIZE)
        self._actions = create_actions(self)
        self._init_navigation()
        self._init_menus()
        self._init_status_bar()
        self._nav.setCurrentRow(0)
        self._connect_signals()
        # The first page is built just after the window first paints, so the window
        # appears at once and fills in a moment later (or after 300 ms if it never paints).
        self._nav.installEventFilter(self)
        if ctx is not None:
            self.attach(ctx)

    @property
    def ctx(self) -> AppContext:
        assert self._ctx is not None, "MainWindow.attach() has not been called"
        return self._ctx

    @property
    def runner(self) -> TaskRunner:
        return self._runner

    def attach(self, ctx: AppContext) -> None:
        """Connect the window to the opened database; the first page is built soon after."""
        self._ctx = ctx
        self._deps = PageDeps(ctx, self._runner, open_image_check=self.open_image_check)
        ctx.session_factory.on_write_wait(self.write_waiting.emit)
        self._init_rescreen()
        self._init_poller(ctx)
        self._init_live(ctx)
        actor = ctx.actor
        self._who.setText(f"Signed in as {actor.name} ({roles_label(actor.roles)})"
                          if actor.known else
                          f"<b>Read-only:</b> {actor.username} has no staff record")
        for action in self._actions.values():
            action.setEnabled(True)
        QTimer.singleShot(300, self._on_first_paint_done)
        if self._painted:
            QTimer.singleShot(0, self._on_first_paint_done)

    # -- assembly -----------------------------------------------------------------
    def _init_navigation(self) -> None:
        self._nav = QListWidget()
        self._nav.setObjectName("navigation")
        self._nav.setAccessibleName("Sections")
        self._nav.setIconSize(QSize(22, 22))
        self._nav.setMinimumWidth(150)  # "Audit trail" and its icon, with room
        self._nav.setMaximumWidth(260)
        self._nav.setStyleSheet(
            "QListWidget#navigation { border: none; background: palette(alternate-base);"
            " padding-top: 8px; font-size: 11pt; outline: 0; }"
            "QListWidget#navigation::item { padding: 9px 10px; }"
            "QListWidget#navigation::item:selected { background: palette(highlight);"
            " color: palette(highlighted-text); border-radius: 4px; }"
        )
        self._stack = QStackedWidget()
        self._painted = False
        self._go_actions: list[QAction] = []
        for number, spec in enumerate(self._specs, start=1):
            # Pages are built when first shown, so the window paints without waiting
            # for all of them; until then a blank placeholder holds the place.
            self._stack.addWidget(QWidget())
            item = QListWidgetItem(icon(spec.icon), spec.title)
            item.setToolTip(f"{spec.title} (Ctrl+{number})")
            self._nav.addItem(item)
            # Alt+digit in the Go menu: the last digit, so "1&0" never clashes with "&1".
            digits = str(number)
            go = QAction(f"{digits[:-1]}&{digits[-1]} {spec.title}", self)
            go.setObjectName(f"action_go_{spec.key}")
            go.setShortcut(QKeySequence(f"Ctrl+{number}"))
            go.setData(number - 1)
            self.addAction(go)
            self._go_actions.append(go)
        splitter = QSplitter()
        splitter.addWidget(self._nav)
        splitter.addWidget(self._stack)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([150, 1050])  # the pages need the width more than the side bar
        splitter.setChildrenCollapsible(False)
        self.setCentralWidget(splitter)

    def _init_menus(self) -> None:
        a = self._actions
        file_menu = self.menuBar().addMenu("&File")
        file_menu.addAction(a[ActionId.BACKUP_NOW])
        file_menu.addSeparator()
        file_menu.addAction(a[ActionId.QUIT])
        go_menu = self.menuBar().addMenu("&Go")
        for go in self._go_actions:
            go_menu.addAction(go)
        tools = self.menuBar().addMenu("&Tools")
        tools.addAction(a[ActionId.SETTINGS])
        help_menu = self.menuBar().addMenu("&Help")
        help_menu.addAction(a[ActionId.SHORTCUTS])
        help_menu.addAction(a[ActionId.OPEN_LOG_FOLDER])
        help_menu.addSeparator()
        help_menu.addAction(a[ActionId.ABOUT])

    def _init_status_bar(self) -> None:
        self._who = QLabel("Opening…")
        self._who.setObjectName("status_who")
        self._who.setAccessibleName("Signed in as")
        for action_id, action in self._actions.items():
            action.setEnabled(action_id is ActionId.QUIT)  # until attach()
        self.statusBar().addPermanentWidget(self._who)
        self._busy = QLabel("")
        self.statusBar().addPermanentWidget(self._busy)

    def _init_rescreen(self) -> None:
        from smmod.ui.rescreen import RescreenStatus

        self.rescreen_status = RescreenStatus(self._deps.rescreen)
        self.statusBar().insertPermanentWidget(0, self.rescreen_status)
        self._deps.rescreen.finished.connect(self._on_rescreen_finished)

    def _init_poller(self, ctx: AppContext) -> None:
        from smmod.ui.connectors.poller import Poller

        self.poller = Poller(ctx, parent=self)
        self.poller.new_items.connect(self._on_poll_new_items)
        self.poller.failed.connect(self._on_poll_failed)
        self.poller.round_finished.connect(self._on_poll_round_finished)
        self.poller.start()

    def _init_live(self, ctx: AppContext) -> None:
        """On a server, other people's changes show at once (SQLite: the pages poll)."""
        self.live: LiveUpdates | None = None
        if ctx.database.is_sqlite:
            return
        from smmod.ui.live import LiveUpdates

        self._connection = QLabel("")
        self._connection.setObjectName("connection_state")
        self.statusBar().insertPermanentWidget(0, self._connection)
        self.live = LiveUpdates(ctx.database.url, parent=self)
        self.live.changed.connect(self._on_live_changed)
        self.live.connection_changed.connect(self._on_live_connection_changed)
        self.live.start()

    @Slot(str, list)
    def _on_live_changed(self, table: str, _ids: list) -> None:  # type: ignore[type-arg]
        """Someone committed a change: the pages it touches that are on screen catch up;
        the others do when shown."""
        from smmod.ui.live_pages import pages_for

        if table in ("policy_settings", EVERYTHING):
            self.ctx.reload_policy()
        for key in pages_for(table):
            page = self._pages.get(key)
            if page is None or not page.isVisible():
                continue
            catch_up = getattr(page, "changed_elsewhere", None) or getattr(page, "refresh", None)
            if callable(catch_up):
                catch_up()

    @Slot(bool)
    def _on_live_connection_changed(self, up: bool) -> None:
        self._connection.setText("" if up else "<b>Reconnecting…</b>")
        self._connection.setToolTip("" if up else
                                    "The database server cannot be reached; smmod keeps trying. "
                                    "A change made now is not saved, and says so.")
        if up:
            self.statusBar().showMessage("Reconnected to the database server.", 8000)

    @Slot(int)
    def _on_poll_new_items(self, count: int) -> None:
        self.statusBar().showMessage(f"{count} new item{'s' if count != 1 else ''} from connected "
                                     "accounts", 8000)
        queue = self._pages.get("queue")
        if queue is not None:
            queue.refresh()  # type: ignore[attr-defined]

    @Slot(str)
    def _on_poll_failed(self, message: str) -> None:
        self.statusBar().showMessage(f"Sync failed: {message}")

    @Slot()
    def _on_poll_round_finished(self) -> None:
        foryou = self._pages.get("foryou")
        if foryou is not None:
            foryou.refresh()  # type: ignore[attr-defined]

    def _connect_signals(self) -> None:
        a = self._actions
        self._nav.currentRowChanged.connect(self._on_nav_row_changed)
        for go in self._go_actions:
            go.triggered.connect(self._on_go_triggered)
        a[ActionId.QUIT].triggered.connect(self.close)
        a[ActionId.ABOUT].triggered.connect(self._on_about_triggered)
        a[ActionId.SETTINGS].triggered.connect(self._on_settings_triggered)
        a[ActionId.SHORTCUTS].triggered.connect(self._on_shortcuts_triggered)
        a[ActionId.BACKUP_NOW].triggered.connect(self._on_backup_triggered)
        a[ActionId.OPEN_LOG_FOLDER].triggered.connect(self._on_log_triggered)
        self._runner.busy_changed.connect(self._on_runner_busy_changed)
        self.write_waiting.connect(self._on_write_waiting)

    # -- public -------------------------------------------------------------------
    def page(self, key: str) -> QWidget:
        """The page for ``key``, built now if it has not been shown yet."""
        if key not in self._pages:
            if self._ctx is None:
                raise RuntimeError("pages are built after MainWindow.attach()")
            row = self._keys().index(key)
            spec = self._specs[row]
            page = spec.factory(self._deps)
            page.setObjectName(f"page_{spec.key}")
            placeholder = self._stack.widget(row)
            self._stack.insertWidget(row, page)
            if placeholder is not None:
                self._stack.removeWidget(placeholder)
                placeholder.deleteLater()
            self._pages[key] = page
        return self._pages[key]

    def open_image_check(self, check_id: int) -> None:
        """The Images page with this check selected (a photo attached to a comment)."""
        self.show_page("images")
        page = self.page("images")
        open_check = getattr(getattr(page, "check_tab", None), "open_check", None)
        if callable(open_check):
            open_check(check_id)

    def check_screening(self) -> None:
        """Screen the open items again if the rules, word lists or register changed."""
        self._deps.rescreen.check()

    def show_page(self, key: str) -> None:
        self._nav.setCurrentRow(self._keys().index(key))

    def page_keys(self) -> list[str]:
        """The pages in the order the navigation lists them."""
        return self._keys()

    def current_page_key(self) -> str:
        return self._keys()[self._stack.currentIndex()]

    def _keys(self) -> list[str]:
        return [spec.key for spec in self._specs]

    # -- slots --------------------------------------------------------------------
    @Slot(int)
    def _on_nav_row_changed(self, row: int) -> None:
        if row < 0:
            return
        if self._ctx is None:  # still opening: the page is shown once attached
            return
        page = self.page(self._specs[row].key)
        self._stack.setCurrentIndex(row)
        refresh = getattr(page, "refresh", None)
        if callable(refresh):
            refresh()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # QObject.eventFilter
        if watched is self._nav and event.type() == QEvent.Type.Paint:
            self._nav.removeEventFilter(self)
            self._painted = True
            QTimer.singleShot(0, self.first_painted.emit)
            if self._ctx is not None:
                QTimer.singleShot(0, self._on_first_paint_done)
        return super().eventFilter(watched, event)

    @Slot()
    def _on_first_paint_done(self) -> None:
        if self._ctx is None:
            return
        if self._stack.currentIndex() == self._nav.currentRow() and self._keys()[
                self._stack.currentIndex()] in self._pages:
            return  # a test or the user already showed a page
        self._on_nav_row_changed(self._nav.currentRow())

    @Slot()
    def _on_go_triggered(self) -> None:
        action = self.sender()
        if isinstance(action, QAction):
            self._nav.setCurrentRow(int(action.data()))

    @Slot()
    def _on_about_triggered(self) -> None:
        msgbox.info(self, "About smmod", (
            f"<h3>smmod {__version__}</h3>"
            "<p>School social media moderation: the account register, the credential "
            "vault, the moderation queue, the do-not-publish image checker and staff "
            "handover, following the school's social media policy.</p>"
            "<p>Data stays on this computer; passwords live only in the system keyring.</p>"
            f"<p>Data folder: <code>{self.ctx.paths.data_dir}</code></p>"
        ))

    @Slot()
    def _on_settings_triggered(self) -> None:
        from smmod.policy import may_decide
        from smmod.ui.dialogs.settings import SettingsDialog

        SettingsDialog(self.ctx.settings, self, apply=self.ctx.change_setting,
                       may_change_policy=may_decide(self.ctx.actor)).exec()

    @Slot()
    def _on_shortcuts_triggered(self) -> None:
        from smmod.ui.dialogs.shortcuts import ShortcutsDialog

        shortcuts = getattr(self._stack.currentWidget(), "shortcuts", None)
        extra = shortcuts() if callable(shortcuts) else []
        ShortcutsDialog(self.actions(), extra, self).exec()

    @Slot()
    def _on_backup_triggered(self) -> None:
        path = self.ctx.database.path
        if path is None:
            msgbox.info(self, "Back up", "A shared server database is backed up by its own tools.")
            return
        keep = int(self.ctx.settings.get("backup.keep"))

        def done(dest: object) -> None:
            self.statusBar().showMessage(f"Backup written to {dest}", 8000)

        self._runner.run(lambda: backup.make_backup(path, self.ctx.paths.backups, "manual", keep),
                         done, lambda exc: msgbox.show_error(self, exc))

    @Slot()
    def _on_log_triggered(self) -> None:
        msgbox.info(self, "Log file", f"smmod writes its log to:\n{self.ctx.paths.log_file}")

    @Slot(object)
    def _on_rescreen_finished(self, report: RescreenReport) -> None:
        if report.changes and self._pages:  # show the new flags
            refresh = getattr(self._stack.currentWidget(), "refresh", None)
            if callable(refresh):
                refresh()

    @Slot(bool)
    def _on_runner_busy_changed(self, busy: bool) -> None:
        self._busy.setText("Working…" if busy else "")

    @Slot(str)
    def _on_write_waiting(self, message: str) -> None:
        if message:
            self.statusBar().showMessage(message[:1].upper() + message[1:])
        else:
            self.statusBar().clearMessage()

    def closeEvent(self, event: QCloseEvent) -> None:  # QWidget.closeEvent
        live = getattr(self, "live", None)
        if live is not None:
            live.stop()
        poller = getattr(self, "poller", None)
        if poller is not None:
            poller.stop()
            poller.wait(10_000)
        self._runner.wait(10_000)
        if self._ctx is not None:
            self._ctx.session_factory.off_write_wait(self.write_waiting.emit)
        super().closeEvent(event)

