"""Open the app on a demo school and save a PNG of every page, as a person would see it.

    SMMOD_HOME=/tmp/demo scripts/with-keyring.sh uv run python scripts/demo_data.py
    SMMOD_HOME=/tmp/demo scripts/with-keyring.sh xvfb-run -a -s "-screen 0 1280x720x24" \\
        env QT_QPA_PLATFORM=xcb uv run python scripts/screenshots.py OUT_DIR [WIDTHxHEIGHT]

The window fills the screen (1280×720 unless given; give the same size to xvfb-run).
Each page is shown in turn with its first row selected, with time for its data to load,
then the whole screen is grabbed, so dialogs appear over the window as people see them.
Besides the pages: the account page's password section during a rotation (the pending
password revealed) and its password history (an earlier one revealed), a Delete dialog
with a reason typed in, the Publish page with each of the demo's posts selected (blocked
for naming a do-not-publish pupil, blocked for a photo of one, the same photo pixelated,
waiting for sign-off as its author sees it, and published, in the log), the start-up
"For you" list and the Settings dialog. File names end in the size, e.g.
``01-queue-1280x720.png``.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QTableView, QWidget

from smmod.context import AppContext, open_context
from smmod.ui.accounts.credentials_panel import CredentialsPanel
from smmod.ui.accounts.page import AccountsPage
from smmod.ui.accounts.vault_dialogs import PasswordHistoryDialog
from smmod.ui.app import make_application
from smmod.ui.mainwindow import MainWindow
from smmod.ui.moderation.action_dialogs import ActionDialog
from smmod.ui.posts.page import COL_TEXT, PublishPage
from smmod.ui.queue.page import QueuePage

SETTLE_MS = 1500
REASON = "Spam, car ad: the same advert was posted on three of our pages today."

Step = tuple[str, Callable[[], None]]


def _select_first_row(page: QWidget) -> None:
    for table in page.findChildren(QTableView):
        if table.isVisible() and table.model() is not None and table.model().rowCount() > 0:
            table.setFocus()
            table.selectRow(0)
            return


def _steps(window: MainWindow, ctx: AppContext, opened: list[QDialog]) -> list[Step]:
    def page(key: str) -> Callable[[], None]:
        def show() -> None:
            window.show_page(key)
            QTimer.singleShot(SETTLE_MS // 2, lambda: _select_first_row(window.page(key)))
        return show

    def action_dialog() -> None:
        window.show_page("queue")
        page = window.page("queue")
        assert isinstance(page, QueuePage)
        panel = page.moderation
        panel.open_action_dialog("delete")
        dialog = panel.dialog
        if isinstance(dialog, ActionDialog):
            opened.append(dialog)
            dialog.reason.setFocus()
            dialog.reason.insertPlainText(REASON)

    def for_you_at_start() -> None:
        from smmod.ui.foryou.watcher import ForYouDialog

        dialog = ForYouDialog(ctx.reports.for_you.items(ctx.actor), window)
        opened.append(dialog)
        dialog.show()

    def settings() -> None:
        from smmod.ui.dialogs.settings import SettingsDialog

        dialog = SettingsDialog(ctx.settings, window)
        opened.append(dialog)
        dialog.show()

    def publish_post(starts: str, then: Callable[[PublishPage], None] | None = None
                     ) -> Callable[[], None]:
        """The Publish page with the post whose text starts so selected (as its author)."""
        def show() -> None:
            window.show_page("publish")
            page = window.page("publish")
            assert isinstance(page, PublishPage)
            for row in range(page.log.rowCount()):
                cell = page.log.item(row, COL_TEXT)
                if cell is not None and cell.text().startswith(starts):
                    page.log.setFocus()
                    page.log.selectRow(row)
                    if then is not None:
                        QTimer.singleShot(SETTLE_MS // 3, lambda: then(page))
                    return
        return show

    def pixelate(page: PublishPage) -> None:
        page.image_list.setCurrentRow(0)
        page.image_list.setFocus()
        page._on_toggle_pixelate()  # what the "Pixelate flagged faces" button does

    def accounts_panel() -> CredentialsPanel | None:
        window.show_page("accounts")
        page = window.page("accounts")
        assert isinstance(page, AccountsPage)
        for account in page.model.records():
            if account.handle == "brookfieldprimary":
                page.select_account(account.id)
        return page.detail.credentials_panel

    def password_section() -> None:
        panel = accounts_panel()

        def reveal_pending() -> None:
            if panel is None or not panel.model.records():
                return
            record = panel.model.records()[0]
            panel.select(record.id)
            page = window.page("accounts")
            assert isinstance(page, AccountsPage)
            if record.pending_rotation:
                secret = ctx.credentials.reveal(ctx.actor, record.id, which="pending",
                                                reason="screenshot of the demo school")
                panel.section.pending.show_secret(secret)

        def scroll_to_it() -> None:  # once the section is laid out
            page = window.page("accounts")
            if panel is not None and isinstance(page, AccountsPage):
                bar = page.detail_scroll.verticalScrollBar()
                bar.setValue(bar.maximum())

        QTimer.singleShot(SETTLE_MS // 2, reveal_pending)
        QTimer.singleShot(SETTLE_MS * 4 // 5, scroll_to_it)

    def password_history() -> None:
        panel = accounts_panel()

        def open_history() -> None:
            if panel is not None and panel.model.records():
                panel.select(panel.model.records()[0].id)
                panel.buttons["history"].click()

        def keep() -> None:
            dialog = panel.current_dialog() if panel is not None else None
            if isinstance(dialog, PasswordHistoryDialog):
                opened.append(dialog)
                version = dialog.selected_version()
                if version is not None and panel is not None:
                    record = panel.model.records()[0]
                    dialog.field.show_secret(ctx.credentials.reveal_history(
                        ctx.actor, record.id, version, reason="screenshot of the demo school"))

        QTimer.singleShot(SETTLE_MS // 3, open_history)
        QTimer.singleShot(SETTLE_MS * 2 // 3, keep)

    steps: list[Step] = [(key, page(key)) for key in window.page_keys()]
    at = next(i for i, (key, _) in enumerate(steps) if key == "accounts") + 1
    steps[at:at] = [("account-password-rotation", password_section),
                    ("password-history", password_history)]
    steps.insert(1, ("queue-delete-dialog", action_dialog))
    at = next(i for i, (key, _) in enumerate(steps) if key == "publish") + 1
    steps[at:at] = [
        ("publish-blocked-dnp-name", publish_post("Congratulations to Alex")),
        ("publish-blocked-dnp-photo", publish_post("What a finish")),
        ("publish-photo-pixelated", publish_post("What a finish", pixelate)),
        ("publish-awaiting-signoff-author", publish_post("From January")),
        ("publish-published-in-log", publish_post("Thank you to everyone")),
    ]
    steps += [("foryou-at-start-up", for_you_at_start), ("settings", settings)]
    return steps


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    out = Path(argv[0])
    out.mkdir(parents=True, exist_ok=True)
    size = argv[1] if len(argv) > 1 else "1280x720"
    width, height = (int(v) for v in size.split("x"))
    app = make_application([])
    ctx = open_context()
    window = MainWindow()
    window.move(0, 0)
    window.resize(width, height)
    window.show()
    window.attach(ctx)
    opened: list[QDialog] = []
    steps = _steps(window, ctx, opened)
    shots: list[str] = []

    def shoot(index: int) -> None:
        if index > 0:
            name = f"{index:02d}-{steps[index - 1][0]}-{size}.png"
            QApplication.primaryScreen().grabWindow(0).save(str(out / name))
            shots.append(name)
            while opened:
                opened.pop().reject()
        if index == len(steps):
            app.quit()
            return
        steps[index][1]()
        QTimer.singleShot(SETTLE_MS, lambda: shoot(index + 1))

    QTimer.singleShot(SETTLE_MS, lambda: shoot(0))
    app.exec()
    ctx.close()
    print("\n".join(str(out / s) for s in shots))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
