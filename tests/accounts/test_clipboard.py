"""The clipboard guard: a copied secret is cleared after a delay, but only if still there."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication

from smmod.ui.accounts.clipboard import PASSWORD_HINT_FORMAT, ClipboardGuard

TIMEOUT = 30_000  # a bound, not a target: waits end as soon as the answer comes


def test_clipboard_is_cleared_when_it_still_holds_the_secret(qtbot):
    guard = ClipboardGuard()
    with qtbot.waitSignal(guard.cleared, timeout=TIMEOUT) as cleared:
        guard.put("S3cret-clip!", 0.05)
        assert QGuiApplication.clipboard().text() == "S3cret-clip!"
    assert cleared.args == [True]
    assert QGuiApplication.clipboard().text() == ""


def test_clipboard_is_left_alone_when_the_person_copied_something_else(qtbot):
    guard = ClipboardGuard()
    with qtbot.waitSignal(guard.cleared, timeout=TIMEOUT) as cleared:
        guard.put("S3cret-clip!", 0.05)
        QGuiApplication.clipboard().setText("a lesson plan")
    assert cleared.args == [False]
    assert QGuiApplication.clipboard().text() == "a lesson plan"
    assert not guard.holding


def test_clipboard_managers_are_asked_not_to_keep_it(qtbot):
    guard = ClipboardGuard()
    guard.put("S3cret-clip!", 60)
    data = QGuiApplication.clipboard().mimeData()
    assert data is not None and bytes(data.data(PASSWORD_HINT_FORMAT)) == b"secret"
    assert 59_000 < guard.remaining_ms() <= 60_000
    assert guard.clear_now() is True
    assert guard.clear_now() is False  # nothing held any more
