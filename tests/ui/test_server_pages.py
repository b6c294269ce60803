"""Every page of the app opens on a server for each kind of person: what the
database refuses their roles (credential rows, the do-not-publish register, changing the
staff register) never breaks a page they may see."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from smmod.ui.mainwindow import MainWindow
from smmod.ui.tasks import TaskRunner
from tests.server_support import StaffedServer, opened
from tests.ui.conftest import Messages

pytestmark = pytest.mark.qt_log_ignore(r"^This plugin does not support propagateSizeHints\(\)")


@pytest.mark.parametrize("who", ["mod1", "vol1", "admin2", "slt2", "run1"])
def test_every_page_opens_for_each_role_on_a_server(
        qtbot, who: str, staffed_server: StaffedServer, tmp_path: Path,  # type: ignore[no-untyped-def]
        monkeypatch: pytest.MonkeyPatch, runner: TaskRunner, msgs: Messages,
        show: Callable[[QWidget], QWidget], caplog: pytest.LogCaptureFixture) -> None:
    with opened(tmp_path / who, staffed_server.url_for(who), monkeypatch) as ctx:
        assert ctx.actor.username == who
        window = show(MainWindow(ctx, runner))
        assert isinstance(window, MainWindow)
        for key in window.page_keys():
            window.show_page(key)
            assert runner.wait(10_000)
            QCoreApplication.processEvents()
        assert runner.wait(10_000)
        QCoreApplication.processEvents()
        assert msgs.of("error") == []
        assert "permission denied" not in caplog.text.lower()
        window.close()
