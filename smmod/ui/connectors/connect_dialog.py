"""Connect… : sign in through the browser, or paste a token made elsewhere.

Mastodon needs the instance's address; YouTube, Facebook and Instagram need the
client file (to sign in or to renew a token), or a pasted token. The connect runs on
a background thread with a busy bar, so the window never freezes while someone signs in
in the browser; a failure is shown in plain words and the dialog stays open to fix it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from smmod.connectors.connections import LABELS, ConnectionInfo
from smmod.connectors.oauth import read_client_file
from smmod.context import AppContext
from smmod.errors import InputError
from smmod.ui import msgbox
from smmod.ui.tasks import TaskRunner


def _secret_field(name: str, accessible: str) -> QLineEdit:
    edit = QLineEdit()
    edit.setObjectName(name)
    edit.setAccessibleName(accessible)
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    return edit


class ConnectDialog(QDialog):
    connected = Signal(object)  # ConnectionInfo

    def __init__(self, ctx: AppContext, net: TaskRunner, account_id: int, platform: str,
                 label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx, self._net = ctx, net
        self._account_id, self._platform = account_id, platform
        name = LABELS.get(platform, platform)
        self.setWindowTitle(f"Connect {label} to {name}")
        self.setObjectName("connect_dialog")
        self.working = False
        intro = QLabel(
            f"smmod will read the comments of {label} and act on them on {name}. The token is "
            "kept in this computer's keyring, never in the database.")
        intro.setWordWrap(True)
        self.instance_edit = QLineEdit()
        self.instance_edit.setObjectName("connect_instance")
        self.instance_edit.setPlaceholderText("https://mastodon.example")
        self.instance_edit.setAccessibleName("Instance address")
        self.api_edit = QLineEdit()
        self.api_edit.setObjectName("connect_api_base")
        self.api_edit.setPlaceholderText("leave empty (only for a proxy)")
        self.api_edit.setAccessibleName("API address")
        self.client_edit = QLineEdit()
        self.client_edit.setObjectName("connect_client_file")
        self.client_edit.setAccessibleName("Client file")
        self.browse_button = QPushButton("Browse…")
        self.browser_radio = QRadioButton("Sign in with the browser")
        self.browser_radio.setObjectName("connect_browser_radio")
        self.token_radio = QRadioButton("Paste a token made elsewhere")
        self.token_radio.setObjectName("connect_token_radio")
        self.browser_radio.setChecked(True)
        self.token_edit = _secret_field("connect_token", "Access token")
        self.refresh_edit = _secret_field("connect_refresh_token", "Refresh token")
        self.page_edit = QLineEdit()
        self.page_edit.setObjectName("connect_page_id")
        self.page_edit.setPlaceholderText("only when you manage several Pages")
        self.progress = QProgressBar()
        self.progress.setObjectName("connect_progress")
        self.progress.setRange(0, 0)  # busy: how long the sign-in takes is up to the person
        self.progress.hide()
        self.progress_label = QLabel()
        self.progress_label.setObjectName("connect_progress_label")
        self.progress_label.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.addButton("Connect", QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok_button.setObjectName("connect_ok")

        form = QFormLayout()
        if platform == "mastodon":
            form.addRow("Instance address:", self.instance_edit)
        else:
            client = QHBoxLayout()
            client.addWidget(self.client_edit, 1)
            client.addWidget(self.browse_button)
            what = ("the Google 'Desktop app' client file (JSON)" if platform == "youtube"
                    else 'the Meta app file: {"app_id", "app_secret"}')
            hint = QLabel(f"Client file: {what}.")
            hint.setWordWrap(True)
            form.addRow(hint)
            form.addRow("Client file:", client)
        form.addRow(self.browser_radio)
        form.addRow(self.token_radio)
        form.addRow("Token:", self.token_edit)
        if platform == "youtube":
            form.addRow("Refresh token:", self.refresh_edit)
        if platform in ("facebook", "instagram"):
            form.addRow("Page id:", self.page_edit)
        if platform != "mastodon":
            form.addRow("API address:", self.api_edit)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.progress)
        layout.addWidget(self.progress_label)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.browse_button.clicked.connect(self._on_browse_clicked)
        self.token_radio.toggled.connect(self._update)
        self._update()

    @Slot()
    def _update(self) -> None:
        use_token = self.token_radio.isChecked()
        for edit in (self.token_edit, self.refresh_edit, self.page_edit):
            edit.setEnabled((use_token and not self.working) or edit is self.page_edit)
        self.ok_button.setEnabled(not self.working)

    @Slot()
    def _on_browse_clicked(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Client file", "", "JSON files (*.json)")
        if path:
            self.client_edit.setText(path)

    def job(self) -> Callable[[], ConnectionInfo]:
        """What to run in the background, with the fields checked now (InputError if not)."""
        connections = self._ctx.connectors.connections
        actor, account_id = self._ctx.actor, self._account_id
        token = self.token_edit.text().strip() if self.token_radio.isChecked() else None
        if self.token_radio.isChecked() and not token:
            raise InputError("paste the token, or choose to sign in with the browser", field="token")
        if self._platform == "mastodon":
            instance = self.instance_edit.text().strip()
            if not instance:
                raise InputError("give the instance's address, e.g. https://mastodon.example",
                                 field="instance")
            if token is not None:
                return lambda: connections.connect_with_token(actor, account_id, instance, token)
            return lambda: connections.connect_with_browser(actor, account_id, instance)
        client_file = self.client_edit.text().strip()
        oauth = read_client_file(Path(client_file)) if client_file else None
        if token is None and oauth is None:
            raise InputError("choose the client file to sign in, or paste a token", field="client_file")
        api_base = self.api_edit.text().strip() or None
        if self._platform == "youtube":
            refresh = self.refresh_edit.text().strip() or None if token is not None else None
            return lambda: connections.connect_youtube(actor, account_id, api_base=api_base, oauth=oauth,
                                                       token=token, refresh_token=refresh)
        page_id = self.page_edit.text().strip() or None
        return lambda: connections.connect_graph(actor, account_id, api_base=api_base, oauth=oauth,
                                                 token=token, page_id=page_id)

    def accept(self) -> None:  # QDialog.accept
        if self.working:
            return
        try:
            job = self.job()
        except InputError as error:
            msgbox.show_error(self, error, title="Connect")
            return
        self.working = True
        self.progress.show()
        self.progress_label.setText("Checking the token with the platform…" if self.token_radio.isChecked()
                                    else "Sign in in the browser window that opened; smmod waits here.")
        self._update()
        self._net.run(job, self._on_connected, self._on_failed)

    def reject(self) -> None:  # QDialog.reject
        if self.working:  # the sign-in cannot be stopped half way; its answer is awaited
            self.progress_label.setText("Still waiting for the platform; close this when it answers.")
            return
        super().reject()

    def _on_connected(self, info: ConnectionInfo) -> None:
        self.working = False
        self.connected.emit(info)
        super().accept()

    def _on_failed(self, error: BaseException) -> None:
        self.working = False
        self.progress.hide()
        self.progress_label.clear()
        self._update()
        msgbox.show_error(self, error, title="Connect")
