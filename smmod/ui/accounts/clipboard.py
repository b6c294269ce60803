"""Putting a secret on the clipboard for a short time, and taking it off again.

After the delay the clipboard is cleared only if it still holds the secret: if the
person copied something else meanwhile, that is left alone. Only a SHA-256 digest of
the secret is kept to compare with, never the secret itself.
"""

from __future__ import annotations

import hashlib

from PySide6.QtCore import QCoreApplication, QMimeData, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QClipboard, QGuiApplication

# Asks clipboard managers (Klipper and others that honour it) not to keep the secret in
# their history. Harmless where nothing reads it.
PASSWORD_HINT_FORMAT = "x-kde-passwordManagerHint"  # noqa: S105 (a MIME type name)


def _digest(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8")).digest()


class ClipboardGuard(QObject):
    """One secret on the clipboard at a time, cleared after ``seconds`` or when smmod quits."""

    cleared = Signal(bool)  # True: the secret was removed; False: something else was there

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)  # "after 30 s" means 30 s
        self._digest: bytes | None = None
        self._timer.timeout.connect(self._on_timer_timeout)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self._on_app_about_to_quit)

    @property
    def holding(self) -> bool:
        """Whether a secret this guard copied may still be on the clipboard."""
        return self._digest is not None

    def remaining_ms(self) -> int:
        return self._timer.remainingTime() if self._timer.isActive() else 0

    def put(self, secret: str, seconds: float) -> None:
        data = QMimeData()
        data.setText(secret)
        data.setData(PASSWORD_HINT_FORMAT, b"secret")
        self._clipboard().setMimeData(data, QClipboard.Mode.Clipboard)
        self._digest = _digest(secret)
        self._timer.start(max(1, int(seconds * 1000)))

    def clear_now(self) -> bool:
        """Clear the clipboard if it still holds our secret; True if it did."""
        self._timer.stop()
        if self._digest is None:
            return False
        clipboard = self._clipboard()
        ours = _digest(clipboard.text(QClipboard.Mode.Clipboard)) == self._digest
        if ours:
            clipboard.clear(QClipboard.Mode.Clipboard)
        self._digest = None
        self.cleared.emit(ours)
        return ours

    @staticmethod
    def _clipboard() -> QClipboard:
        clipboard = QGuiApplication.clipboard()
        assert clipboard is not None
        return clipboard

    @Slot()
    def _on_timer_timeout(self) -> None:
        self.clear_now()

    @Slot()
    def _on_app_about_to_quit(self) -> None:
        self.clear_now()
