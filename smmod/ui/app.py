"""Start-up: the application object, the database, who you are, then the main window."""

from __future__ import annotations

import logging
import sys
from types import TracebackType
from typing import TYPE_CHECKING

from filelock import Timeout
from PySide6.QtWidgets import QApplication, QWidget

from smmod import __version__
from smmod.errors import DatabaseUnusable, SmmodError
from smmod.logsetup import configure
from smmod.paths import resolve_paths
from smmod.settings import Settings
from smmod.store import backup
from smmod.ui import msgbox
from smmod.ui.icons import app_icon
from smmod.ui.locale_setup import settle_locale

if TYPE_CHECKING:
    from smmod.context import AppContext
    from smmod.ui.mainwindow import MainWindow

log = logging.getLogger("smmod.ui.app")


def _install_excepthook() -> None:
    """An uncaught exception in a slot becomes the error dialog, never a dead app."""

    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        log.error("uncaught exception", exc_info=(kind, exc, tb))
        msgbox.show_error(QApplication.activeWindow(), exc)

    sys.excepthook = hook


def make_application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv or sys.argv)
    assert isinstance(app, QApplication)
    app.setApplicationName("smmod")
    app.setApplicationDisplayName("smmod")
    app.setApplicationVersion(__version__)
    app.setOrganizationName("smmod")
    app.setWindowIcon(app_icon())
    settle_locale()  # after QApplication, which set the process locale from the system
    return app


def _open_context_interactively() -> AppContext | None:
    """Open the database; if it is unusable offer to restore the newest good backup."""
    from smmod.context import open_context

    paths = resolve_paths().ensure()
    try:
        return open_context()
    except DatabaseUnusable as exc:
        good = getattr(exc, "backup", None)
        if good is None:
            msgbox.warning(None, "Database unusable", str(exc))
            return None
        question = f"{exc}\n\nRestore that backup now?"
        if not msgbox.confirm(None, "Database unusable", question):
            return None
        keep = int(Settings.load(paths.settings_file).get("backup.keep"))
        restored = backup.restore(good.path, paths.database, paths.lock_file, paths.backups, keep)
        ctx = open_context()
        ctx.record_restore(restored)
        return ctx


def _show_start_up_reminders(ctx: AppContext, parent: QWidget) -> None:
    """R5: credentials overdue or due for rotation within 7 days, and rotations still
    waiting to be confirmed on the platform, are listed when an administrator starts."""
    if not ctx.actor.has("administrator"):
        return
    from smmod.ui.accounts.reminders import reminder_text

    try:
        text = reminder_text(ctx.credentials.reminders())
    except SmmodError as exc:  # e.g. the keyring is locked: the vault page explains
        log.info("start-up reminders unavailable: %s", exc)
        return
    if text:
        msgbox.info(parent, "Passwords need attention", text)


def run(argv: list[str] | None = None) -> int:
    """Open the app. The window paints first, then the database is opened behind it."""
    paths = resolve_paths().ensure()
    configure(paths.log_file)
    app = make_application(argv)
    _install_excepthook()
    lock = backup.instance_lock(paths.lock_file)
    try:
        lock.acquire()
    except Timeout:
        msgbox.warning(None, "smmod", "smmod is already open for this user. "
                       "Switch to the open window instead.")
        return 1
    from smmod.ui.mainwindow import MainWindow

    window = MainWindow()
    opened: list[AppContext] = []
    window.first_painted.connect(lambda: _finish_start(app, window, opened))
    window.show()
    try:
        return int(app.exec())
    finally:
        for ctx in opened:
            ctx.close()
        lock.release()


def _finish_start(app: QApplication, window: MainWindow, opened: list[AppContext]) -> None:
    """Open the database, make sure we know who you are, then fill the window in."""
    try:
        ctx = _open_context_interactively()
    except SmmodError as exc:
        msgbox.warning(window, "smmod", str(exc))
        ctx = None
    if ctx is None:
        app.exit(2)
        return
    opened.append(ctx)
    if ctx.staff.count() == 0:
        from smmod.ui.dialogs.firstrun import FirstRunDialog

        if not FirstRunDialog(ctx, ctx.actor.username, window).exec():
            app.exit(0)
            return
        ctx.refresh_actor()
    window.attach(ctx)
    window.check_screening()  # rules or register changed elsewhere since the last run?
    if ctx.actor.read_only:
        msgbox.info(window, "Read-only", (
            f"Your login '{ctx.actor.username}' has no record in the staff register, "
            "so smmod opens read-only. Ask an administrator to add you."))
    else:
        _show_start_up_reminders(ctx, window)
        from smmod.ui.foryou.watcher import start_for_you

        start_for_you(ctx, window, window.runner)  # the list now, notifications later
