"""The main window: its pages, page switching, who you are, settings and the F1 overlay."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QTabBar,
    QTableWidget,
    QTabWidget,
    QToolButton,
    QWidget,
)

from smmod.context import AppContext
from smmod.identity import Actor
from smmod.ui.audit.page import AuditPage
from smmod.ui.dialogs.settings import SettingsDialog
from smmod.ui.dialogs.shortcuts import ShortcutsDialog
from smmod.ui.mainwindow import MainWindow
from smmod.ui.staff.page import StaffPage
from smmod.ui.tasks import TaskRunner
from tests.ui.conftest import Messages

TIMEOUT = 30_000  # a bound, not a target: waits end as soon as the answer comes
# The offscreen platform plugin cannot resize windows to their size hints and says so
# whenever a shown top-level widget's minimum size changes; real platforms do not.
pytestmark = pytest.mark.qt_log_ignore(r"^This plugin does not support propagateSizeHints\(\)")


@pytest.fixture
def make_window(qtbot, runner: TaskRunner,
                show: Callable[[QWidget], QWidget]) -> Callable[[AppContext], MainWindow]:
    def make(ctx: AppContext) -> MainWindow:
        window = show(MainWindow(ctx, runner))
        assert isinstance(window, MainWindow)
        with qtbot.waitActive(window):
            window.activateWindow()
        return window

    return make


def while_modal(qtbot, work: Callable[[QWidget], None]) -> list[str]:
    """Run ``work`` on the modal dialog once it is open, then close it; report failures."""
    problems: list[str] = []
    tries = [0]

    def poke() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            tries[0] += 1
            if tries[0] < 100:
                QTimer.singleShot(20, poke)
            return
        try:
            work(dialog)
        except Exception as exc:  # reported after exec() returns, never left hanging
            problems.append(repr(exc))
        finally:
            dialog.close()

    QTimer.singleShot(0, poke)
    return problems


def go_key(window: MainWindow, key: str) -> Qt.Key:
    """The digit of Ctrl+<digit> that shows page ``key``, read from its Go action."""
    action = window.findChild(QAction, f"action_go_{key}")
    assert action is not None
    assert action.shortcut().toString() == f"Ctrl+{int(action.data()) + 1}"
    return Qt.Key(Qt.Key.Key_0.value + int(action.data()) + 1)


def go(qtbot, window: MainWindow, key: str) -> None:
    qtbot.keyClick(window, go_key(window, key), Qt.KeyboardModifier.ControlModifier)


def test_opens_on_the_queue_and_builds_other_pages_when_shown(
        qtbot, ctx: AppContext, people: dict[str, Actor], make_window) -> None:
    window = make_window(ctx)
    # The moderators' daily view comes first; the rest are built when first shown.
    assert window.current_page_key() == "queue"
    assert window.findChild(StaffPage) is None
    go(qtbot, window, "staff")
    staff = window.page("staff")
    assert isinstance(staff, StaffPage)
    assert window.current_page_key() == "staff"
    qtbot.waitUntil(lambda: staff.model.rowCount() == 7, timeout=TIMEOUT)
    assert staff.isVisible()
    assert isinstance(window.page("audit"), AuditPage)


def test_ctrl_number_switches_pages(qtbot, ctx: AppContext, people: dict[str, Actor],
                                    make_window) -> None:
    window = make_window(ctx)
    go(qtbot, window, "audit")
    assert window.current_page_key() == "audit"
    audit = window.page("audit")
    assert isinstance(audit, AuditPage)
    qtbot.waitUntil(lambda: audit.model.rowCount() == 7, timeout=TIMEOUT)  # refreshed on show
    go(qtbot, window, "staff")
    assert window.current_page_key() == "staff"


def test_page_shortcuts_only_act_on_the_visible_page(qtbot, ctx: AppContext,
                                                     people: dict[str, Actor],
                                                     make_window) -> None:
    window = make_window(ctx)
    go(qtbot, window, "staff")
    staff = window.page("staff")
    assert isinstance(staff, StaffPage)
    go(qtbot, window, "audit")
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert staff.current_dialog() is None
    go(qtbot, window, "staff")
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: staff.current_dialog() is not None, timeout=TIMEOUT)
    staff.current_dialog().reject()


def test_status_bar_says_who_you_are(ctx: AppContext, make_window) -> None:
    window = make_window(ctx)
    who = window.findChild(QLabel, "status_who")
    assert who.text() == "Signed in as Hannah Head (SLT, Administrator)"


def test_status_bar_says_read_only_for_an_unknown_user(ctx: AppContext, make_window) -> None:
    ctx.refresh_actor("stranger")
    window = make_window(ctx)
    who = window.findChild(QLabel, "status_who")
    assert "Read-only:" in who.text() and "stranger has no staff record" in who.text()


def test_settings_dialog_refuses_assisted_mode_without_a_dpia(
        qtbot, ctx: AppContext, make_window, msgs: Messages) -> None:
    window = make_window(ctx)
    seen: list[str] = []

    def work(dialog: QWidget) -> None:
        assert isinstance(dialog, SettingsDialog)
        mode = dialog.findChild(QComboBox, "setting_images.mode")
        dpia = dialog.findChild(QLineEdit, "setting_images.dpia_reference")
        assert dpia.text() == ""
        assert mode.currentText() == "Face check: a person confirms every face"  # not "face_check"
        mode.setCurrentIndex(mode.findData("assisted"))
        dialog.accept()
        seen.append("still open" if dialog.isVisible() else "closed")

    problems = while_modal(qtbot, work)
    window.findChild(type(window.actions()[0]), "action_settings").trigger()
    assert problems == []
    assert seen == ["still open"]
    [(title, text)] = msgs.of("warning")
    assert title == "Settings" and "assisted matching needs a DPIA" in text
    assert ctx.settings.get("images.mode") == "face_check"


def test_f1_lists_every_shortcut_including_the_page_ones(qtbot, ctx: AppContext,
                                                         make_window) -> None:
    window = make_window(ctx)
    go(qtbot, window, "staff")
    rows: dict[str, str] = {}

    def work(dialog: QWidget) -> None:
        assert isinstance(dialog, ShortcutsDialog)
        table = dialog.findChild(QTableWidget, "shortcuts_table")
        for row in range(table.rowCount()):
            rows[table.item(row, 1).text()] = table.item(row, 0).text()

    problems = while_modal(qtbot, work)
    qtbot.keyClick(window, Qt.Key.Key_F1)
    assert problems == []
    assert rows["Keyboard shortcuts"] == "F1"
    assert rows["Settings…"] == "Ctrl+,"
    staff_n, audit_n = (int(window.findChild(QAction, f"action_go_{k}").data()) + 1
                        for k in ("staff", "audit"))
    assert rows[f"{staff_n} Staff"] == f"Ctrl+{staff_n}"
    assert rows[f"{audit_n} Audit trail"] == f"Ctrl+{audit_n}"
    # The current page's own shortcuts, as the page describes them...
    assert rows["Add a person"] == "Ctrl+N"
    assert rows["Edit the selected person"] == "Enter / F2"
    assert rows["Import staff from CSV"] == "Ctrl+I"
    # ...and not those of pages that are not showing (the audit page's export).
    assert "Ctrl+E" not in rows.values()


def test_the_window_paints_before_the_database_is_attached(
        qtbot, ctx: AppContext, people: dict[str, Actor], runner: TaskRunner,
        show: Callable[[QWidget], QWidget]) -> None:
    window = MainWindow(runner=runner)
    who = window.findChild(QLabel, "status_who")
    assert who.text() == "Opening…"
    settings = window.findChild(QAction, "action_settings")
    assert not settings.isEnabled() and window.findChild(QAction, "action_quit").isEnabled()
    with pytest.raises(RuntimeError, match="attach"):
        window.page("staff")
    with qtbot.waitSignal(window.first_painted, timeout=TIMEOUT):
        show(window)
    window.attach(ctx)
    assert settings.isEnabled()
    assert who.text() == "Signed in as Hannah Head (SLT, Administrator)"
    qtbot.waitUntil(lambda: window.findChild(QWidget, "page_queue") is not None, timeout=TIMEOUT)
    assert window.current_page_key() == "queue"


# the holder named from its note beside the SQLite file (server: test_server_write_wait.py)
@pytest.mark.sqlite_only
def test_a_write_waiting_for_an_import_says_so_in_the_status_bar(
        qtbot, ctx: AppContext, make_window, runner: TaskRunner) -> None:
    from tests.lock_holder import write_lock_held

    window = make_window(ctx)
    done: list[object] = []
    with write_lock_held(ctx.paths.database):
        runner.run(lambda: ctx.staff.count(), done.append)  # a read goes straight through
        qtbot.waitUntil(lambda: len(done) == 1, timeout=TIMEOUT)
        runner.run(lambda: ctx.queue.mark_checked(ctx.actor), done.append)
        qtbot.waitUntil(lambda: window.statusBar().currentMessage() == (
            "Waiting for the import in progress (big.csv, started by head)…"), timeout=TIMEOUT)
        assert len(done) == 1
    qtbot.waitUntil(lambda: len(done) == 2, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: window.statusBar().currentMessage() == "", timeout=TIMEOUT)


def mnemonic(text: str) -> str:
    """The Alt+letter a label's "&" gives ("" when none; "&&" is a literal ampersand)."""
    key = QKeySequence.mnemonic(text)
    return key.toString() if not key.isEmpty() else ""


def window_mnemonics(window: MainWindow) -> dict[str, list[str]]:
    """Every Alt+key that acts in the window now: menu titles, the visible buttons, labels
    with a buddy, group boxes and tabs, and actions given an Alt+ shortcut."""
    keys: dict[str, list[str]] = {}

    def add(key: str, what: str) -> None:
        if key:
            keys.setdefault(key, []).append(what)

    for action in window.menuBar().actions():
        add(mnemonic(action.text()), f"menu {action.text()!r}")
    for widget in window.findChildren(QWidget):
        if not widget.isVisibleTo(window):
            continue
        name = f"{type(widget).__name__} {widget.objectName() or ''}".strip()
        if isinstance(widget, QAbstractButton) and not (
                isinstance(widget, QToolButton) and widget.defaultAction() is not None):
            add(mnemonic(widget.text()), f"{name} {widget.text()!r}")
        elif isinstance(widget, QLabel) and widget.buddy() is not None:
            add(mnemonic(widget.text()), f"label {widget.text()!r}")
        elif isinstance(widget, QGroupBox):
            add(mnemonic(widget.title()), f"group {widget.title()!r}")
        elif isinstance(widget, QTabBar):
            for tab in range(widget.count()):
                if widget.isTabVisible(tab):
                    add(mnemonic(widget.tabText(tab)), f"tab {widget.tabText(tab)!r}")
        for action in widget.actions():
            shortcut = action.shortcut().toString()
            if shortcut.startswith("Alt+") and widget.isVisibleTo(window):
                add(shortcut, f"action {action.text()!r}")
    return keys


def clashes(keys: dict[str, list[str]], where: str) -> list[str]:
    return [f"{where}: {key} is {' and '.join(sorted(set(whats)))}"
            for key, whats in keys.items() if len(whats) > 1]


def test_no_two_things_in_the_window_share_an_alt_key(
        qtbot, ctx: AppContext, people: dict[str, Actor], make_window) -> None:
    """Alt+letter does nothing useful when two visible things claim it (Qt only moves the
    focus between them), so each page, with the menu bar, and each menu is checked; the
    account page with an approved account and with an active one whose password is selected."""
    from smmod.ui.accounts.page import AccountsPage
    from tests.accounts.helpers import (
        MemoryKeyring,
        active_account,
        draft_input,
        make_accounts,
        make_credentials,
    )

    make_credentials(ctx, MemoryKeyring())
    accounts = make_accounts(ctx)
    active = active_account(accounts, people)
    credential = ctx.credentials.add(people["head"], active, login_name="office@oak.sch.uk",
                                     secret="S3cret-harbour-kettle-1!")
    approved = accounts.draft(people["mod1"], draft_input(people, handle="@oakfield_art"))
    approved = accounts.submit(people["mod1"], approved.id, approved.version_id)
    approved = accounts.approve(people["slt2"], approved.id, approved.version_id, reason="Good")
    window = make_window(ctx)
    problems: list[str] = []
    for menu_action in window.menuBar().actions():
        keys: dict[str, list[str]] = {}
        for action in menu_action.menu().actions():
            if action.isVisible() and not action.isSeparator():
                keys.setdefault(mnemonic(action.text()), []).append(action.text())
        keys.pop("", None)
        problems += clashes(keys, f"the {menu_action.text().replace('&', '')} menu")
    for key in window.page_keys():
        window.show_page(key)
        page = window.page(key)
        if isinstance(page, AccountsPage):
            qtbot.waitUntil(lambda p=page: p.proxy.rowCount() == 2, timeout=TIMEOUT)
            for account_id in (approved.id, active):
                with qtbot.waitSignal(page.detail_loaded, timeout=TIMEOUT):
                    assert page.select_account(account_id)
                if account_id == active:
                    assert page.detail.credentials_panel.select(credential.id)
                QApplication.processEvents()
                problems += clashes(window_mnemonics(window), f"the {key} page ({account_id})")
            continue
        QApplication.processEvents()
        tabs = [t for t in page.findChildren(QTabWidget) if t.isVisibleTo(window)]
        for index in range(tabs[0].count() if tabs else 1):
            if tabs:
                tabs[0].setCurrentIndex(index)
                QApplication.processEvents()
            problems += clashes(window_mnemonics(window), f"the {key} page")
    assert not problems, "\n".join(sorted(set(problems)))
