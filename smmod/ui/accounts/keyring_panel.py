"""What the vault shows when there is no secure keyring: why, and how to fix it.

Nothing is stored anywhere else meanwhile; the rest of smmod keeps working.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

HOW_TO_FIX = (
    ("Windows", "Windows Credential Manager is used automatically. If this message "
                "appears, sign in to Windows with your own account (not a temporary "
                "profile) and restart smmod."),
    ("macOS", "The login Keychain is used automatically. Open Keychain Access, make sure "
              "the “login” keychain is unlocked, then restart smmod."),
    ("Linux", "Install GNOME Keyring (or KWallet on KDE) and log in to a desktop session, "
              "which unlocks it. On a server or over SSH there is no keyring: use smmod "
              "from the desktop instead."),
)
_STYLE = ("QFrame#keyring_unavailable { background: #fff8e1; border: 1px solid #f3d19e;"
          " border-radius: 6px; }")


class KeyringUnavailablePanel(QFrame):
    """A plain-words explanation in place of the credentials table."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("keyring_unavailable")
        self.setStyleSheet(_STYLE)
        self.title_label = QLabel("Passwords cannot be stored on this computer yet")
        self.title_label.setStyleSheet("font-weight: 600; font-size: 11pt; color: #663c00;")
        self.reason_label = QLabel()
        self.reason_label.setObjectName("keyring_reason")
        self.reason_label.setWordWrap(True)
        self.reason_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.fix_label = QLabel(self._fix_html())
        self.fix_label.setObjectName("keyring_fix")
        self.fix_label.setWordWrap(True)
        self.fix_label.setTextFormat(Qt.TextFormat.RichText)
        self.setAccessibleName("No secure keyring")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 12, 14, 12)
        layout.setSpacing(6)
        layout.addWidget(self.title_label)
        layout.addWidget(self.reason_label)
        layout.addWidget(self.fix_label)

    def set_reason(self, reason: str | None, backend: str) -> None:
        text = (reason or "No secure keyring is available.").split(" To fix it:")[0]
        self.reason_label.setText(
            f"{text}\n\nsmmod keeps account passwords only in the system keyring, so it "
            f"stores none until a secure keyring is available. Nothing has been saved "
            f"anywhere else. (Keyring in use: {backend}.)")

    @staticmethod
    def _fix_html() -> str:
        items = "".join(f"<li><b>{html.escape(name)}:</b> {html.escape(text)}</li>"
                        for name, text in HOW_TO_FIX)
        return f"<b>How to fix it</b><ul style='margin-left: -20px'>{items}</ul>"

    def text(self) -> str:
        """Everything the panel says, for tests and screen readers."""
        return "\n".join((self.title_label.text(), self.reason_label.text(),
                          "\n".join(f"{n}: {t}" for n, t in HOW_TO_FIX)))
