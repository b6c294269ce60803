"""The vault part of the account page: credential metadata and what administrators do with it.

Everyone on the staff register sees which credentials exist and when they were rotated;
only administrators reveal, copy, store, rotate or delete. Every secret operation runs
on the task runner, so a keyring prompt never freezes the window.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QModelIndex, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from smmod.accounts import (
    AccountRecord,
    CredentialRecord,
    CredentialService,
    EarlierPassword,
    RotationRecord,
)
from smmod.context import AppContext
from smmod.ui import msgbox
from smmod.ui.accounts.clipboard import ClipboardGuard
from smmod.ui.accounts.credential_dialogs import CredentialDialog
from smmod.ui.accounts.keyring_panel import KeyringUnavailablePanel
from smmod.ui.accounts.model import (
    CCOL_KIND,
    CCOL_LOGIN,
    CCOL_NOTE,
    CCOL_ROTATE_BY,
    CCOL_ROTATED,
    CredentialTableModel,
    ObjectRole,
)
from smmod.ui.accounts.password_section import SECTION_TIPS, PasswordSection
from smmod.ui.accounts.vault_dialogs import PasswordHistoryDialog, VaultMembersDialog
from smmod.ui.column_fit import ColumnFitter, Fit
from smmod.ui.flow import FlowLayout
from smmod.ui.tasks import TaskRunner
from smmod.vault import BackendStatus, platform_password_limit

BUTTONS = {
    "add": "Store &password…", "rotate": "R&otate…", "edit": "&Details…",
    "history": "Hi&story…", "delete": "Delete…", "members": "Vault mem&bers…",
}
TIPS = {
    "add": "Store a password or API token for this account",
    "rotate": "Replace the password with a new one: generated, or typed and measured",
    "edit": "Change the login name, note or rotate-by date",
    "history": "Earlier passwords (administrators) and when the password was rotated, by whom",
    "delete": "Remove the credential and its password from smmod",
    "members": "Who can open the shared vault: grant or revoke access (administrators)",
    **SECTION_TIPS,
}
# The buttons' own Alt+letter keys, for the page's list of shortcuts (Help).
VAULT_SHORTCUTS = [
    ("Alt+V", "Reveal the selected credential's current password (asks why; hidden after 30 s)"),
    ("Alt+C", "Copy the current password (the clipboard is cleared after 30 s)"),
    ("Alt+W / Alt+Y", "Reveal / copy the pending password of a rotation"),
    ("Alt+M / Alt+I", "Confirm / cancel the pending rotation"),
    ("Alt+O", "Rotate the password"), ("Alt+D", "Change the login name, note or rotate-by date"),
    ("Alt+B", "Vault members: grant or revoke access (administrators)"),
]
NEEDS_SELECTION = ("reveal", "copy", "reveal_pending", "copy_pending", "rotate", "confirm",
                   "cancel", "edit", "history", "delete")
NEEDS_KEYRING = ("add", "reveal", "copy", "reveal_pending", "copy_pending", "rotate", "confirm",
                 "cancel", "delete")
NEEDS_PENDING = ("reveal_pending", "copy_pending", "confirm", "cancel")
# Hidden from everyone else: they see which credentials exist, never a button to use one.
ADMIN_ONLY = ("add", "reveal", "copy", "reveal_pending", "copy_pending", "rotate", "confirm",
              "cancel", "edit", "delete", "members")


class CredentialsPanel(QWidget):
    changed = Signal()  # a credential was stored, rotated, edited or deleted
    notice = Signal(str)  # a line for the page's status area

    def __init__(self, ctx: AppContext, runner: TaskRunner,
                 service: Callable[[], CredentialService], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx, self._runner, self._service = ctx, runner, service
        self._account: AccountRecord | None = None
        self._status: BackendStatus | None = None
        self._dialog: QDialog | None = None
        self.clipboard = ClipboardGuard(self)
        self.model = CredentialTableModel(self)
        self._init_widgets()
        self._connect_signals()
        self._update_buttons()

    def _init_widgets(self) -> None:
        self.keyring_panel = KeyringUnavailablePanel()
        self.keyring_panel.hide()
        self.table = QTableView()
        self.table.setObjectName("credentials_table")
        self.table.setAccessibleName("Credentials")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setShowGrid(False)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setDefaultSectionSize(30)
        header = self.table.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        # Fitted to the pane, the note taking the rest: no scroll bar sideways at 1280 px.
        self.column_fitter = ColumnFitter(self.table, {
            CCOL_LOGIN: Fit(100, 260), CCOL_KIND: Fit(60, 110),
            CCOL_ROTATED: Fit(120, 380, give=1), CCOL_ROTATE_BY: Fit(80, 200)},
            CCOL_NOTE, stretch_min=60)
        self.empty_label = QLabel("No credentials stored for this account yet.")
        self.empty_label.setStyleSheet("color: palette(placeholder-text);")
        self.buttons: dict[str, QPushButton] = {}
        row = FlowLayout()  # wraps in a narrow detail pane instead of forcing a scroll bar
        for key, text in BUTTONS.items():
            button = QPushButton(text)
            button.setObjectName(f"credential_{key}_button")
            button.setAccessibleName(text.replace("&", "").rstrip("…"))
            self.buttons[key] = button
            row.add(button)
        self.section = PasswordSection(self._ctx, self._runner, self._service, self.clipboard,
                                       self.why_not, self)
        self.section.setObjectName("password_section")
        self.buttons.update(self.section.buttons)
        self.clipboard_label = QLabel()
        self.clipboard_label.setObjectName("clipboard_notice")
        self.clipboard_label.setStyleSheet("color: #1b5e20;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.keyring_panel)
        layout.addLayout(row)
        layout.addWidget(self.table)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.section)
        layout.addWidget(self.clipboard_label)

    def _connect_signals(self) -> None:
        for key in BUTTONS:
            self.buttons[key].clicked.connect(getattr(self, f"_on_{key}_clicked"))
        self.section.changed.connect(self.changed)
        self.section.notice.connect(self.notice)
        self.section.copied.connect(self.clipboard_label.setText)
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.table.doubleClicked.connect(self._on_table_double_clicked)
        self.clipboard.cleared.connect(self._on_clipboard_cleared)

    # -- public ---------------------------------------------------------------------
    def set_account(self, account: AccountRecord | None, credentials: list[CredentialRecord],
                    status: BackendStatus | None) -> None:
        keep = self.selected()
        self._account, self._status = account, status
        self.model.set_records(credentials)
        if keep is not None:
            self.select(keep.id)
        secure = status is None or status.secure
        self.keyring_panel.setVisible(not secure)
        if status is not None and not secure:
            self.keyring_panel.set_reason(status.reason, status.name)
        self.table.setVisible(bool(credentials))
        rows = min(max(len(credentials), 1), 8)
        # Room for a sideways scroll bar too: in a narrow pane it would hide the last row.
        self.table.setFixedHeight(self.table.horizontalHeader().sizeHint().height()
                                  + 30 * rows + 4
                                  + self.table.horizontalScrollBar().sizeHint().height())
        self.empty_label.setVisible(not credentials)
        self._update_buttons()

    def selected(self) -> CredentialRecord | None:
        rows = self.table.selectionModel().selectedRows()
        record = rows[0].data(ObjectRole) if rows else None
        return record if isinstance(record, CredentialRecord) else None

    def select(self, credential_id: int) -> bool:
        row = self.model.row_where(lambda c: c.id == credential_id)
        if row < 0:
            return False
        self.table.selectRow(row)
        return True

    def current_dialog(self) -> QDialog | None:
        return self._dialog

    # -- state ----------------------------------------------------------------------
    def why_not(self, key: str) -> str | None:
        """None when the current person may press ``key`` now, else the reason."""
        actor = self._ctx.actor
        account, selected = self._account, self.selected()
        if account is None:
            return "Select an account first."
        if key in ADMIN_ONLY and not actor.has("administrator"):
            return "Only administrators store and use account passwords (R5)."
        if key in NEEDS_KEYRING and self._status is not None and not self._status.secure:
            return "No secure keyring on this computer: see the message above."
        if key == "add" and account.status not in ("approved", "active"):
            return "Credentials are stored once the account is approved."
        if key in NEEDS_SELECTION and selected is None:
            return "Select a credential first."
        if key in NEEDS_PENDING and selected is not None and not selected.pending_rotation:
            return "No rotation is waiting for confirmation."
        return None

    def _update_buttons(self) -> None:
        admin = self._ctx.actor.has("administrator")
        for key, button in self.buttons.items():
            why = self.why_not(key)
            button.setEnabled(why is None)
            button.setToolTip(why or TIPS[key])
            if key in BUTTONS:
                button.setVisible(admin or key not in ADMIN_ONLY)
        selected = self.selected()
        self.section.setVisible(admin and selected is not None)
        self.section.set_record(selected if admin else None)

    # -- dialogs --------------------------------------------------------------------
    def _open(self, dialog: QDialog) -> None:
        self._dialog = dialog
        dialog.finished.connect(self._on_dialog_finished)
        dialog.open()

    @Slot(int)
    def _on_dialog_finished(self, _result: int) -> None:
        dialog = self.sender()
        if dialog is self._dialog:
            self._dialog = None
        if isinstance(dialog, QDialog):
            dialog.deleteLater()

    def _credential_dialog(self, mode: str, record: CredentialRecord | None) -> None:
        assert self._account is not None
        service = self._service()
        dialog = CredentialDialog(
            service, self._ctx.actor, self._runner, account=self._account, mode=mode,
            record=record, password_length=int(self._ctx.settings.get("vault.password_length")),
            password_limit=platform_password_limit(self._account.platform),
            default_rotate_by=service.default_rotate_by(), parent=self)
        dialog.saved.connect(self._on_dialog_saved)
        self._open(dialog)

    def _run(self, work: Callable[[], object], done: Callable[[object], None]) -> None:
        self._runner.run(work, done, lambda exc: msgbox.show_error(self, exc, title="Vault"))

    # -- slots ----------------------------------------------------------------------
    @Slot()
    def _on_add_clicked(self) -> None:
        if self.why_not("add") is None and self._dialog is None:
            self._credential_dialog("add", None)

    @Slot()
    def _on_rotate_clicked(self) -> None:
        if self.why_not("rotate") is None and self._dialog is None:
            self._credential_dialog("rotate", self.selected())

    @Slot()
    def _on_edit_clicked(self) -> None:
        if self.why_not("edit") is None and self._dialog is None:
            self._credential_dialog("edit", self.selected())

    @Slot(object)
    def _on_dialog_saved(self, record: CredentialRecord) -> None:
        self.notice.emit(f"Saved credential “{record.login_name}”.")
        self.changed.emit()

    @Slot(bool)
    def _on_clipboard_cleared(self, removed: bool) -> None:
        self.clipboard_label.setText("Clipboard cleared." if removed else
                                     "The clipboard holds something else now; left alone.")

    def _done(self, notice: str) -> None:
        self.notice.emit(notice)
        self.changed.emit()

    @Slot()
    def _on_history_clicked(self) -> None:
        record = self.selected()
        if record is None or self._dialog is not None:
            return
        service, ctx = self._service(), self._ctx
        admin = ctx.actor.has("administrator")
        days = int(ctx.settings.get("vault.history_days"))

        def load() -> tuple[list[RotationRecord], list[EarlierPassword] | None]:
            if not ctx.shared_vault.exists():  # the keyring of this computer keeps none
                return service.rotations(record.id), None
            earlier = service.earlier_passwords(record.id) if admin else []
            return service.rotations(record.id), earlier

        def show(result: object) -> None:
            assert isinstance(result, tuple)
            rotations, earlier = result
            dialog = PasswordHistoryDialog(service, ctx.actor, self._runner, record, rotations,
                                           earlier, days=days, admin=admin, parent=self)
            dialog.revealed.connect(self.changed)
            self._open(dialog)

        self._run(load, show)

    @Slot()
    def _on_members_clicked(self) -> None:
        if self.why_not("members") is not None or self._dialog is not None:
            return
        dialog = VaultMembersDialog(self._ctx.shared_vault, self._ctx.actor, self._runner, self)
        dialog.changed.connect(self.changed)
        self._open(dialog)

    @Slot(QModelIndex)
    def _on_table_double_clicked(self, _index: QModelIndex) -> None:
        self._on_history_clicked()

    @Slot()
    def _on_delete_clicked(self) -> None:
        record = self.selected()
        if record is None or self.why_not("delete") is not None:
            return
        if not msgbox.confirm(self, "Delete credential",
                              f"Delete “{record.login_name}” from the keyring and from "
                              "smmod?\n\nThis cannot be undone.", destructive=True):
            return
        reason = msgbox.ask_text(self, "Delete credential",
                                 "Why? (recorded in the audit trail)")
        if reason is None:
            return
        service, actor = self._service(), self._ctx.actor
        self._run(lambda: service.delete(actor, record.id, record.version_id, reason=reason),
                  lambda _r: self._done(f"Deleted “{record.login_name}”."))

    @Slot()
    def _on_selection_changed(self) -> None:
        self._update_buttons()

