"""Dialogs of the shared vault: a password's history, and who may open the vault.

``PasswordHistoryDialog`` lists the earlier passwords kept (sealed) for the
``vault.history_days`` setting, each revealed only with a reason (audited), and the
rotations. ``VaultMembersDialog`` (administrators only) lists who registered a vault key,
grants access and revokes it; a revoke says first which credentials it flags.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from smmod.accounts import CredentialRecord, CredentialService, EarlierPassword, RotationRecord
from smmod.identity import Actor
from smmod.ui import msgbox
from smmod.ui.accounts.model import format_when
from smmod.ui.accounts.password_section import SecretField
from smmod.ui.row_table import row_table
from smmod.ui.tasks import TaskRunner
from smmod.vault_shared import MemberRecord, VaultService
from smmod.wording import count, noun

_HINT_STYLE = "color: palette(placeholder-text);"


def _rotation_text(r: RotationRecord) -> str:
    state = ("confirmed on the platform" if r.status == "done" and r.confirmed_by
             else "done" if r.status == "done" else "cancelled" if r.status == "cancelled"
             else "awaiting confirmation")
    confirmed = f" (confirmed by {r.confirmed_by})" if r.confirmed_by else ""
    return f"{format_when(r.at)} — rotated by {r.by or 'unknown'}: {state}{confirmed}"


def _fit_rows(widget: QListWidget, most: int) -> None:
    """As tall as its rows (two to ``most``; it scrolls beyond), not a tall empty box."""
    rows = min(max(widget.count(), 2), most)
    widget.setFixedHeight(widget.sizeHintForRow(0) * rows + 2 * widget.frameWidth() + 4)


class PasswordHistoryDialog(QDialog):
    """Earlier passwords (administrators, shared vault) and the rotations of a credential.

    ``earlier`` is None when passwords are still kept in this computer's keyring, which
    keeps no earlier values."""

    revealed = Signal()  # an earlier password was revealed (the audit trail changed)

    def __init__(self, service: CredentialService, actor: Actor, runner: TaskRunner,
                 record: CredentialRecord, rotations: list[RotationRecord],
                 earlier: list[EarlierPassword] | None, *, days: int, admin: bool,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._service, self._actor, self._runner, self._record = service, actor, runner, record
        self.setWindowTitle(f"Password history: {record.login_name}")
        self.setMinimumWidth(620)
        layout = QVBoxLayout(self)
        self.earlier_list = QListWidget()
        self.earlier_list.setObjectName("earlier_passwords")
        self.earlier_list.setAccessibleName("Earlier passwords")
        self.reveal_button = QPushButton("Re&veal…")
        self.reveal_button.setObjectName("reveal_earlier_button")
        self.reveal_button.setAccessibleName("Reveal the selected earlier password")
        self.reveal_button.setToolTip("Show the selected earlier password for 30 seconds; "
                                      "asks why (audited)")
        self.field = SecretField("Earlier password", "earlier", self)
        heading = QLabel("<b>Earlier passwords</b>")
        if earlier is None:
            self.earlier_note = QLabel("Earlier passwords are kept once the shared vault is in "
                                       "use; the passwords here are still in this computer's "
                                       "keyring, which keeps none.")
        elif not admin:
            self.earlier_note = QLabel("Only administrators see earlier passwords (R5).")
        else:
            self.earlier_note = QLabel(
                f"Kept (sealed) for {count(days, 'day')} after they are replaced. "
                "Each reveal asks why and is recorded in the audit trail.")
        self.earlier_note.setObjectName("earlier_note")
        self.earlier_note.setWordWrap(True)
        self.earlier_note.setStyleSheet(_HINT_STYLE)
        layout.addWidget(heading)
        layout.addWidget(self.earlier_note)
        if earlier is not None and admin:
            for entry in earlier:
                item = QListWidgetItem(f"Replaced {format_when(entry.replaced_at)} — "
                                       f"had been set by {entry.set_by or 'unknown'}")
                item.setData(Qt.ItemDataRole.UserRole, entry.version)
                self.earlier_list.addItem(item)
            if not earlier:
                self.earlier_list.addItem(f"No password was replaced in the last "
                                          f"{count(days, 'day')}.")
                self.earlier_list.setEnabled(False)
            _fit_rows(self.earlier_list, 5)
            row = QHBoxLayout()
            row.addWidget(self.field.title_label)
            row.addWidget(self.field.edit, 1)
            row.addWidget(self.field.countdown_label)
            row.addWidget(self.reveal_button)
            layout.addWidget(self.earlier_list)
            layout.addLayout(row)
            self.earlier_list.currentRowChanged.connect(self._on_earlier_row_changed)
            self.reveal_button.clicked.connect(self._on_reveal_clicked)
            if earlier:
                self.earlier_list.setCurrentRow(0)
        self.reveal_button.setEnabled(bool(earlier) and admin)
        self.history_list = QListWidget()
        self.history_list.setAccessibleName("Rotations")
        for r in rotations:
            self.history_list.addItem(_rotation_text(r))
        self.history_list.addItem(f"{format_when(record.created_at)} — stored by "
                                  f"{record.created_by or 'unknown'}")
        _fit_rows(self.history_list, 8)
        layout.addWidget(QLabel("<b>Rotations</b>"))
        layout.addWidget(self.history_list)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.finished.connect(self._on_finished)

    def selected_version(self) -> int | None:
        item = self.earlier_list.currentItem()
        version = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        return version if isinstance(version, int) else None

    @Slot(int)
    def _on_earlier_row_changed(self, _row: int) -> None:
        self.field.hide_secret()

    @Slot()
    def _on_reveal_clicked(self) -> None:
        version, item = self.selected_version(), self.earlier_list.currentItem()
        if version is None or item is None:
            return
        reason = msgbox.ask_text(self, "Reveal an earlier password",
                                 f"Why do you need the password of “{self._record.login_name}” "
                                 f"that was {item.text()[0].lower()}{item.text()[1:]}? The "
                                 "reason is recorded in the audit trail.")
        if reason is None:
            return
        service, actor, record_id = self._service, self._actor, self._record.id

        def show(secret: object) -> None:
            if self.selected_version() == version:
                self.field.show_secret(str(secret))
            self.revealed.emit()

        self._runner.run(lambda: service.reveal_history(actor, record_id, version, reason=reason),
                         show, lambda exc: msgbox.show_error(self, exc, title="Vault"))

    @Slot(int)
    def _on_finished(self, _result: int) -> None:
        self.field.hide_secret()


MEMBER_HEADERS = ("Name", "Username", "Key fingerprint", "Access")


class VaultMembersDialog(QDialog):
    """Who registered a vault key, who has access; grant, revoke, register (administrators)."""

    changed = Signal()  # access changed (a revoke flags credentials)

    def __init__(self, vault: VaultService, actor: Actor, runner: TaskRunner,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._vault, self._actor, self._runner = vault, actor, runner
        self.members: list[MemberRecord] = []
        self.setWindowTitle("Shared vault: members")
        self.setMinimumWidth(720)
        self.summary = QLabel("Loading…")
        self.summary.setObjectName("vault_summary")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.table = row_table(MEMBER_HEADERS, "vault_members", "Vault members")
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.grant_button = QPushButton("&Grant access…")
        self.revoke_button = QPushButton("&Revoke access…")
        self.register_button = QPushButton("Register &this computer")
        self.register_button.setToolTip("Put your public key in the database, so that an "
                                        "administrator with access can grant you access")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        row = QHBoxLayout()
        for button in (self.grant_button, self.revoke_button, self.register_button):
            button.setAccessibleName(button.text().replace("&", "").rstrip("…"))
            row.addWidget(button)
        row.addStretch(1)
        row.addWidget(buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table)
        layout.addLayout(row)
        buttons.rejected.connect(self.reject)
        self.grant_button.clicked.connect(self._on_grant_clicked)
        self.revoke_button.clicked.connect(self._on_revoke_clicked)
        self.register_button.clicked.connect(self._on_register_clicked)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self._exists = False
        self._update_buttons()
        self.reload()

    # -- loading --------------------------------------------------------------------
    def reload(self) -> None:
        vault = self._vault
        self._runner.run(lambda: (vault.exists(), vault.members()), self._on_loaded,
                         self._on_failed)

    def _on_loaded(self, result: tuple[bool, list[MemberRecord]]) -> None:
        self._exists, self.members = result
        self.table.setRowCount(len(self.members))
        for row, m in enumerate(self.members):
            me = " (you)" if m.staff_id == self._actor.staff_id else ""
            access = "Has access" if m.has_access else "Registered, waiting for access"
            for column, text in enumerate((m.name + me, m.username, m.fingerprint, access)):
                self.table.setItem(row, column, QTableWidgetItem(text))
        granted = sum(1 for m in self.members if m.has_access)
        self.summary.setText(
            "The shared vault has not been created yet: an administrator creates it with "
            "'smmod vault init', which also prints the recovery kit." if not self._exists else
            f"{count(granted, 'person', 'people')} {noun(granted, 'has', 'have')} access. Compare a key "
            "fingerprint with the one its owner sees before granting access.")
        self._update_buttons()

    def _on_failed(self, exc: BaseException) -> None:
        msgbox.show_error(self, exc, title="Vault")

    def selected(self) -> MemberRecord | None:
        rows = self.table.selectionModel().selectedRows()
        return self.members[rows[0].row()] if rows else None

    def select(self, username: str) -> bool:
        for row, m in enumerate(self.members):
            if m.username == username:
                self.table.selectRow(row)
                return True
        return False

    def _update_buttons(self) -> None:
        m = self.selected()
        grant = (None if m is not None and not m.has_access and self._exists else
                 "Select someone registered and waiting for access." if self._exists else
                 "The shared vault has not been created yet.")
        revoke = (None if m is not None and m.has_access else
                  "Select someone who has access.")
        for button, why, tip in ((self.grant_button, grant, "Give the selected person access "
                                  "to every password in the vault"),
                                 (self.revoke_button, revoke, "End the selected person's "
                                  "access: new vault key, their passwords flagged for rotation")):
            button.setEnabled(why is None)
            button.setToolTip(why or tip)
        me = next((m for m in self.members if m.staff_id == self._actor.staff_id), None)
        self.register_button.setEnabled(self._exists and me is None)

    # -- acting ---------------------------------------------------------------------
    def _run(self, work: Callable[[], object], done: Callable[[object], None]) -> None:
        self._runner.run(work, done, self._on_failed)

    @Slot()
    def _on_grant_clicked(self) -> None:
        m = self.selected()
        if m is None or m.has_access:
            return
        if not msgbox.confirm(self, "Grant access",
                              f"Give {m.name} access to every password in the shared vault?\n\n"
                              f"Their key fingerprint is {m.fingerprint}: check that {m.name} "
                              "sees the same one on their computer."):
            return
        vault, actor, username = self._vault, self._actor, m.username
        self._run(lambda: vault.grant(actor, username), lambda _r: self._after(
            f"{m.name} now has access to the shared vault."))

    @Slot()
    def _on_revoke_clicked(self) -> None:
        m = self.selected()
        if m is None or not m.has_access:
            return
        self._run(self._vault.readable_credentials, lambda labels: self._confirm_revoke(
            m, labels if isinstance(labels, list) else []))

    def _confirm_revoke(self, m: MemberRecord, labels: list[str]) -> None:
        listed = "\n".join(f"• {label}" for label in labels[:12])
        more = f"\n• and {len(labels) - 12} more" if len(labels) > 12 else ""
        flagged = ("No password is stored yet, so nothing is flagged." if not labels else
                   f"This credential is flagged for rotation, since {m.name} could read it:"
                   f"\n{listed}" if len(labels) == 1 else
                   f"These {count(len(labels), 'credential')} are flagged for rotation, since "
                   f"{m.name} could read them:\n{listed}{more}")
        if not msgbox.confirm(self, "Revoke access",
                              f"End {m.name}'s access to the shared vault?\n\nThe vault key "
                              f"is replaced and every password sealed again, so {m.name} can "
                              f"no longer open any of them.\n\n{flagged}", destructive=True):
            return
        reason = msgbox.ask_text(self, "Revoke access",
                                 "Why does their access end? (for example 'handover' or "
                                 "'role ended'; recorded in the audit trail)")
        if reason is None:
            return
        vault, actor, username = self._vault, self._actor, m.username

        def done(result: object) -> None:
            flagged_now = len(getattr(result, "flagged_credentials", ()))
            self._after(f"{m.name} no longer has access. {count(flagged_now, 'credential')} "
                        f"{noun(flagged_now, 'is', 'are')} flagged for rotation and listed in "
                        "For you.")

        self._run(lambda: vault.revoke(actor, username, reason=reason), done)

    @Slot()
    def _on_register_clicked(self) -> None:
        vault, actor = self._vault, self._actor
        self._run(lambda: vault.register(actor), lambda r: self._after(
            "Your key is registered (fingerprint "
            f"{getattr(r, 'fingerprint', '?')}): ask an administrator with access to grant "
            "you access."))

    def _after(self, message: str) -> None:
        self.summary.setText(message)
        self.changed.emit()
        vault = self._vault
        self._runner.run(lambda: (vault.exists(), vault.members()),
                         lambda result: self._keep_message(result, message), self._on_failed)

    def _keep_message(self, result: tuple[bool, list[MemberRecord]], message: str) -> None:
        self._on_loaded(result)
        self.summary.setText(message)
