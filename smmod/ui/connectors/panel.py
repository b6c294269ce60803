"""The account page's "Platform connection": connected or not, last sync, and the buttons.

What is shown comes from the connection service, read on the page's database thread;
connecting, disconnecting and syncing talk to the platform, so they run on a thread of
their own (``net``) and the window stays usable while the platform answers.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from smmod.accounts import AccountRecord
from smmod.connectors.connections import CONNECTABLE_STATUSES, LABELS, PLATFORMS, ConnectionInfo
from smmod.connectors.errors import ConnectorError, NotConnected
from smmod.connectors.sync import SyncResult
from smmod.context import AppContext
from smmod.ui import msgbox
from smmod.ui.accounts.model import format_when
from smmod.ui.connectors.connect_dialog import ConnectDialog
from smmod.ui.tasks import TaskRunner

_ERROR = "color: #9f1d12;"


class ConnectionPanel(QWidget):
    loaded = Signal(object)  # ConnectionInfo | None, once shown
    changed = Signal()  # connected, disconnected or synced: the account's state changed
    synced = Signal(object)  # SyncResult

    def __init__(self, ctx: AppContext, runner: TaskRunner, net: TaskRunner,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx, self._runner, self._net = ctx, runner, net
        self._record: AccountRecord | None = None
        self.info: ConnectionInfo | None = None
        self.dialog: ConnectDialog | None = None
        self.state_label = QLabel()
        self.state_label.setObjectName("connection_state")
        self.state_label.setWordWrap(True)
        self.state_label.setTextFormat(Qt.TextFormat.RichText)
        self.state_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_label = QLabel()
        self.error_label.setObjectName("connection_error")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(_ERROR)
        self.connect_button = QPushButton("Connect…")
        self.connect_button.setObjectName("connection_connect_button")
        self.disconnect_button = QPushButton("Disconnect…")
        self.disconnect_button.setObjectName("connection_disconnect_button")
        self.sync_button = QPushButton("Sync now")
        self.sync_button.setObjectName("connection_sync_button")
        buttons = QHBoxLayout()
        for button in (self.connect_button, self.disconnect_button, self.sync_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.state_label)
        layout.addWidget(self.error_label)
        layout.addLayout(buttons)
        self.connect_button.clicked.connect(self._on_connect_clicked)
        self.disconnect_button.clicked.connect(self._on_disconnect_clicked)
        self.sync_button.clicked.connect(self._on_sync_clicked)
        self.busy = False
        self._show()

    # -- loading ----------------------------------------------------------------------
    def set_account(self, record: AccountRecord | None) -> None:
        self._record, self.info = record, None
        self._show()
        if record is not None and record.platform in PLATFORMS:
            self.reload()

    def reload(self) -> None:
        record = self._record
        if record is None:
            return
        connections = self._ctx.connectors.connections

        def load() -> ConnectionInfo | None:
            try:
                return connections.get(record.id)
            except NotConnected:
                return None

        def done(info: ConnectionInfo | None) -> None:
            if self._record is not None and self._record.id == record.id:
                self.info = info
                self._show()
                self.loaded.emit(info)

        self._runner.run(load, done, lambda error: msgbox.show_error(self, error))

    # -- showing ----------------------------------------------------------------------
    def _show(self) -> None:
        r, info = self._record, self.info
        self.error_label.clear()
        self.error_label.hide()
        admin = self._ctx.actor.has("administrator")
        if r is None:
            self.state_label.clear()
            for button in (self.connect_button, self.disconnect_button, self.sync_button):
                button.hide()
            return
        if r.platform not in PLATFORMS:
            self.state_label.setText(
                f"smmod connects only to {', '.join(LABELS.values())}. "
                f"{html.escape(r.platform.capitalize())} stays on exported files and alert feeds.")
            for button in (self.connect_button, self.disconnect_button, self.sync_button):
                button.hide()
            return
        name = LABELS[r.platform]
        self.connect_button.setVisible(True)
        self.connect_button.setText("Connect…" if info is None else "Connect again…")
        self.disconnect_button.setVisible(info is not None)
        self.sync_button.setVisible(info is not None)
        can_connect = r.status in CONNECTABLE_STATUSES
        self.connect_button.setEnabled(admin and can_connect and not self.busy)
        self.connect_button.setToolTip(
            "" if admin and can_connect else
            "Only an administrator connects accounts." if not admin else
            f"The account is {r.status_label.lower()}; only approved or active accounts connect.")
        self.disconnect_button.setEnabled(admin and not self.busy)
        self.disconnect_button.setToolTip("" if admin else "Only an administrator disconnects accounts.")
        self.sync_button.setEnabled(self._ctx.actor.known and not self.busy)
        if info is None:
            self.state_label.setText(f"<b>Not connected</b> to {name}: its comments come in only "
                                     "from files and feeds, and actions are done by hand.")
            return
        who = info.platform_account_id or r.handle
        lines = [f"<b>Connected</b> to {name} as {html.escape(r.handle)}"
                 + (f" (platform id {html.escape(who)})" if info.platform_account_id else "")
                 + f" since {format_when(info.connected_at)}.",
                 f"API: {html.escape(info.api_base)}"]
        if info.last_sync_at is None:
            lines.append("Not synced yet.")
        else:
            lines.append(f"Last sync: {format_when(info.last_sync_at)}"
                         + (f", {info.last_new_count} new." if info.last_error is None else "."))
        if info.last_ok_at is not None and info.last_error is not None:
            lines.append(f"Last successful sync: {format_when(info.last_ok_at)}.")
        if info.token_expires_at is not None:
            lines.append(f"The token expires {format_when(info.token_expires_at)}; "
                         "connect again before then.")
        self.state_label.setText("<br>".join(lines))
        if info.last_error:
            self.error_label.setText(f"The last sync failed: {info.last_error}")
            self.error_label.show()

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self._show()

    # -- acting -----------------------------------------------------------------------
    @Slot()
    def _on_connect_clicked(self) -> None:
        r = self._record
        if r is None:
            return
        self.dialog = ConnectDialog(self._ctx, self._net, r.id, r.platform, r.handle, self)
        self.dialog.connected.connect(self._on_connected)
        self.dialog.open()

    def _on_connected(self, info: ConnectionInfo) -> None:
        self.info = info
        self._show()
        self.changed.emit()

    @Slot()
    def _on_disconnect_clicked(self) -> None:
        r, info = self._record, self.info
        if r is None or info is None:
            return
        name = LABELS[r.platform]
        if info.revocable:
            question = (f"Disconnect {r.handle} from {name}? smmod revokes its token on {name} and "
                        "forgets it; comments stop coming in by themselves.")
        else:
            question = (f"Disconnect {r.handle} from {name}? Its token was pasted in, so smmod cannot "
                        f"revoke it: smmod forgets it, and you revoke it on {name} yourself "
                        "(in the account's settings, under authorised apps).")
        if not msgbox.confirm(self, "Disconnect", question, destructive=True):
            return
        self._disconnect(r, local_only=not info.revocable)

    def _disconnect(self, r: AccountRecord, *, local_only: bool) -> None:
        connections, actor = self._ctx.connectors.connections, self._ctx.actor
        name = LABELS[r.platform]
        self._set_busy(True)

        def done(_info: object) -> None:
            self._set_busy(False)
            self.info = None
            self._show()
            self.changed.emit()
            if local_only:
                msgbox.info(self, "Disconnect", f"smmod forgot the token of {r.handle}. Revoke smmod's "
                            f"access on {name} yourself.")

        def failed(error: BaseException) -> None:
            self._set_busy(False)
            if isinstance(error, ConnectorError) and not local_only:
                cause = str(error).split(" Nothing was changed.")[0]
                if msgbox.confirm(self, "Disconnect", f"{cause}\n\nNothing was changed. Forget the "
                                  f"connection anyway, and revoke smmod's access on {name} yourself?",
                                  destructive=True):
                    self._disconnect(r, local_only=True)
                return
            msgbox.show_error(self, error, title="Disconnect")

        self._net.run(lambda: connections.disconnect(actor, r.id, local_only=local_only), done, failed)

    @Slot()
    def _on_sync_clicked(self) -> None:
        r = self._record
        if r is None:
            return
        sync, actor = self._ctx.connectors.sync, self._ctx.actor
        self._set_busy(True)

        def done(results: list[SyncResult]) -> None:
            self._set_busy(False)
            if results:
                self.synced.emit(results[0])
            self.changed.emit()
            self.reload()

        def failed(error: BaseException) -> None:
            self._set_busy(False)
            msgbox.show_error(self, error, title="Sync")

        self._net.run(lambda: sync.sync(actor, r.id), done, failed)
