"""The password of the selected credential, for administrators: current and pending.

Each password has its own labelled row ("Current — works now", and during a rotation
"Pending — not yet confirmed"), hidden until an administrator reveals it with a reason
(audited), and hidden again after ``REVEAL_SECONDS``. Copy puts it on the clipboard,
which ``ClipboardGuard`` clears after the clipboard setting's delay if it still holds it.
Confirm and Cancel close a pending rotation. Nothing here is shown to anyone else: the
credentials panel hides this section for people who are not administrators.
"""

from __future__ import annotations

import html
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from smmod.accounts import CredentialRecord, CredentialService
from smmod.context import AppContext
from smmod.ui import msgbox
from smmod.ui.accounts.clipboard import ClipboardGuard
from smmod.ui.flow import FlowLayout
from smmod.ui.tasks import TaskRunner

REVEAL_SECONDS = 30
CURRENT_TITLE = "Current — works now"
PENDING_TITLE = "Pending — not yet confirmed"
_HINT_STYLE = "color: palette(placeholder-text);"
_FLAG_STYLE = ("background: #fdecea; color: #8a1c12; border: 1px solid #e6a59c; "
               "border-radius: 3px; padding: 4px 8px;")
SECTION_BUTTONS = {
    "reveal": "Re&veal…", "copy": "&Copy", "reveal_pending": "Reveal ne&w…",
    "copy_pending": "Cop&y new", "confirm": "Confir&m rotation…", "cancel": "Cancel rotat&ion…",
}
SECTION_TIPS = {
    "reveal": "Show the current password for 30 seconds; asks why (audited)",
    "copy": "Copy the current password; the clipboard is cleared again after a short time "
            "(audited)",
    "reveal_pending": "Show the new, not yet confirmed password for 30 seconds; asks why "
                      "(audited)",
    "copy_pending": "Copy the new password, to set it on the platform (audited)",
    "confirm": "The new password was set on the platform and works: it becomes the current one",
    "cancel": "The platform was not changed: discard the new password, keep the current one",
}


class SecretField(QObject):
    """One labelled password: hidden until revealed, hidden again after a few seconds.

    Its label, field and countdown go into whatever layout shows them."""

    def __init__(self, title: str, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.title_label = QLabel(title + ":")
        self.title_label.setStyleSheet("font-weight: 600;")
        self.edit = QLineEdit()
        self.edit.setObjectName(f"{name}_secret")
        self.edit.setAccessibleName(title)
        self.edit.setReadOnly(True)
        self.edit.setPlaceholderText("•••••••••••• hidden")
        self.edit.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.edit.setMinimumWidth(220)
        self.title_label.setBuddy(self.edit)
        self.countdown_label = QLabel()
        self.countdown_label.setObjectName(f"{name}_countdown")
        self.countdown_label.setStyleSheet(_HINT_STYLE)
        self._left = 0
        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self._on_timer_timeout)

    @property
    def revealed(self) -> bool:
        return bool(self.edit.text())

    def show_secret(self, secret: str, seconds: int = REVEAL_SECONDS) -> None:
        self.edit.setText(secret)
        self._left = seconds
        self._show_countdown()
        self._timer.start()
        self.countdown_label.setMinimumWidth(self.countdown_label.sizeHint().width())

    def hide_secret(self) -> None:
        self._timer.stop()
        self.edit.clear()
        self.countdown_label.clear()

    def _show_countdown(self) -> None:
        self.countdown_label.setText(f"Hidden again in {self._left} s")

    @Slot()
    def _on_timer_timeout(self) -> None:
        self._left -= 1
        if self._left <= 0:
            self.hide_secret()
        else:
            self._show_countdown()


class PasswordSection(QWidget):
    changed = Signal()  # the audit trail or the credential changed: reload
    notice = Signal(str)  # a line for the page's status area
    copied = Signal(str)  # what the clipboard now holds, in words

    def __init__(self, ctx: AppContext, runner: TaskRunner,
                 service: Callable[[], CredentialService], clipboard: ClipboardGuard,
                 why_not: Callable[[str], str | None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx, self._runner, self._service = ctx, runner, service
        self._clipboard, self._why_not = clipboard, why_not
        self._record: CredentialRecord | None = None
        self.heading = QLabel()
        self.heading.setObjectName("password_heading")
        self.flag_label = QLabel()
        self.flag_label.setObjectName("rotation_flag")
        self.flag_label.setStyleSheet(_FLAG_STYLE)
        self.flag_label.setWordWrap(True)
        self.flag_label.setTextFormat(Qt.TextFormat.PlainText)  # the reason someone typed
        self.flag_label.hide()
        self.current = SecretField(CURRENT_TITLE, "current", self)
        self.pending = SecretField(PENDING_TITLE, "pending", self)
        self.pending_hint = QLabel("Set the new password on the platform, check it works, "
                                   "then confirm. Until then the current one stays in force.")
        self.pending_hint.setStyleSheet(_HINT_STYLE)
        self.pending_hint.setWordWrap(True)
        self.buttons: dict[str, QPushButton] = {}
        for key, text in SECTION_BUTTONS.items():
            button = QPushButton(text)
            button.setObjectName(f"credential_{key}_button")
            button.setAccessibleName(text.replace("&", "").rstrip("…"))
            button.clicked.connect(getattr(self, f"_on_{key}_clicked"))
            self.buttons[key] = button
        # Each password on its own lines (label; field and countdown; its buttons, which
        # wrap), so the section fits the narrow detail pane without a sideways scroll bar.
        rows = QVBoxLayout()
        rows.setSpacing(4)
        for field, keys in ((self.current, ("reveal", "copy")), (
                self.pending, ("reveal_pending", "copy_pending", "confirm", "cancel"))):
            line = QHBoxLayout()
            line.addWidget(field.edit, 1)
            line.addWidget(field.countdown_label)
            flow = FlowLayout()
            for key in keys:
                flow.add(self.buttons[key])
            rows.addWidget(field.title_label)
            rows.addLayout(line)
            rows.addLayout(flow)
            if field is self.current:
                rows.addSpacing(6)
        rows.addWidget(self.pending_hint)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(self.flag_label)
        layout.addLayout(rows)

    # -- public ---------------------------------------------------------------------
    def set_record(self, record: CredentialRecord | None) -> None:
        """Show ``record``'s passwords (hidden); a revealed one stays shown for the same
        credential and rotation, so a reload does not cut its 30 seconds short."""
        before = self._record
        same = (before is not None and record is not None and before.id == record.id
                and before.pending_rotation == record.pending_rotation)
        if not same:
            self.current.hide_secret()
            self.pending.hide_secret()
        self._record = record
        if record is None:
            self.heading.setText("Select a credential to see its password.")
        else:
            self.heading.setText(f"<b>Password of “{html.escape(record.login_name)}”</b>")
        waiting = record is not None and record.pending_rotation
        for widget in (self.pending.title_label, self.pending.edit, self.pending.countdown_label,
                       self.pending_hint, *(self.buttons[k] for k in (
                           "reveal_pending", "copy_pending", "confirm", "cancel"))):
            widget.setVisible(waiting)
        flagged = record.flagged if record is not None else None
        self.flag_label.setVisible(bool(flagged))
        self.flag_label.setText(f"⚠ Flagged for rotation: {flagged}. Rotate it now."
                                if flagged else "")

    def hide_all(self) -> None:
        self.current.hide_secret()
        self.pending.hide_secret()

    # -- helpers --------------------------------------------------------------------
    def _ready(self, key: str) -> CredentialRecord | None:
        return self._record if self._why_not(key) is None else None

    def _run(self, work: Callable[[], object], done: Callable[[object], None]) -> None:
        self._runner.run(work, done, lambda exc: msgbox.show_error(self, exc, title="Vault"))

    def _reveal(self, key: str, which: str) -> None:
        record = self._ready(key)
        if record is None:
            return
        what = "current password" if which == "current" else "new, not yet confirmed password"
        reason = msgbox.ask_text(self, "Reveal password",
                                 f"Why do you need to see the {what} of “{record.login_name}”?"
                                 " The reason is recorded in the audit trail. Make sure nobody"
                                 " else can see your screen.")
        if reason is None:
            return
        service, actor = self._service(), self._ctx.actor
        field = self.current if which == "current" else self.pending

        def show(secret: object) -> None:
            if self._record is not None and self._record.id == record.id:  # still shown
                field.show_secret(str(secret))
                field.edit.setFocus()
            self.changed.emit()  # the account's history now has the reveal

        self._run(lambda: service.reveal(actor, record.id, which=which, reason=reason), show)

    def _copy(self, key: str, which: str) -> None:
        record = self._ready(key)
        if record is None:
            return
        service, actor = self._service(), self._ctx.actor
        seconds = int(self._ctx.settings.get("vault.clipboard_clear_seconds"))
        what = "Password" if which == "current" else "New password"

        def put(secret: object) -> None:
            self._clipboard.put(str(secret), seconds)
            self.copied.emit(f"{what} for “{record.login_name}” copied. The clipboard is "
                             f"cleared in {seconds} s (if it still holds it).")
            self.changed.emit()

        self._run(lambda: service.reveal(actor, record.id, purpose="copy", which=which), put)

    def _done(self, notice: str) -> None:
        self.hide_all()
        self.notice.emit(notice)
        self.changed.emit()

    # -- slots ----------------------------------------------------------------------
    @Slot()
    def _on_reveal_clicked(self) -> None:
        self._reveal("reveal", "current")

    @Slot()
    def _on_reveal_pending_clicked(self) -> None:
        self._reveal("reveal_pending", "pending")

    @Slot()
    def _on_copy_clicked(self) -> None:
        self._copy("copy", "current")

    @Slot()
    def _on_copy_pending_clicked(self) -> None:
        self._copy("copy_pending", "pending")

    @Slot()
    def _on_confirm_clicked(self) -> None:
        record = self._ready("confirm")
        if record is None:
            return
        if not msgbox.confirm(self, "Confirm rotation",
                              f"Has the new password for “{record.login_name}” been set on "
                              "the platform, and does it work?\n\nIt becomes the current "
                              "password; the old one is kept in the history."):
            return
        service, actor = self._service(), self._ctx.actor

        def work() -> object:
            pending = [r for r in service.rotations(record.id) if r.status == "pending"]
            return [service.confirm_rotation(actor, r.id) for r in pending]

        self._run(work, lambda _r: self._done("Rotation confirmed: the new password is now "
                                              "the current one."))

    @Slot()
    def _on_cancel_clicked(self) -> None:
        record = self._ready("cancel")
        if record is None:
            return
        reason = msgbox.ask_text(self, "Cancel rotation",
                                 f"Why is the new password for “{record.login_name}” not "
                                 "being used? The current password stays in force.")
        if reason is None:
            return
        service, actor = self._service(), self._ctx.actor

        def work() -> object:
            pending = service.pending_rotation(record.id)
            return None if pending is None else service.cancel_rotation(
                actor, pending.id, reason=reason or None)

        self._run(work, lambda _r: self._done("Rotation cancelled; the current password "
                                              "stays in force."))
