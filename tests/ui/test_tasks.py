"""Background work whose window closed before it finished: its answer goes nowhere,
rather than reaching a widget Qt has already deleted."""

from __future__ import annotations

import threading

import shiboken6
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from smmod.ui.tasks import TaskRunner


class Panel(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.label = QLabel(self)
        QVBoxLayout(self).addWidget(self.label)
        self.shown: list[str] = []

    def show_answer(self, answer: str) -> None:
        self.label.setText(answer)  # raises if the label is already deleted
        self.shown.append(answer)


def test_an_answer_for_a_closed_window_is_dropped(qtbot) -> None:
    runner = TaskRunner()
    panel = Panel()
    release = threading.Event()
    runner.run(lambda: release.wait(10) and "checked", panel.show_answer)
    shiboken6.delete(panel)  # the window closes while the work runs
    release.set()
    assert runner.wait(10_000)
    qtbot.wait(50)  # the queued answer is delivered (and dropped) on the UI thread
    assert not shiboken6.isValid(panel)


def test_an_answer_for_an_open_window_arrives(qtbot) -> None:
    runner = TaskRunner()
    panel = Panel()
    qtbot.addWidget(panel)
    runner.run(lambda: "checked", panel.show_answer)
    qtbot.waitUntil(lambda: panel.shown == ["checked"], timeout=10_000)
    assert panel.label.text() == "checked"
