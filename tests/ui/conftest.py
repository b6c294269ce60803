"""Widget-level fixtures: a task runner, page dependencies, and captured message boxes."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TypeVar

import pytest
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from smmod.context import AppContext
from smmod.ui import msgbox
from smmod.ui.pages import PageDeps
from smmod.ui.tasks import TaskRunner

W = TypeVar("W", bound=QWidget)


@pytest.fixture
def runner(qtbot: object) -> Iterator[TaskRunner]:
    """One background thread; finished before the widgets are closed."""
    task_runner = TaskRunner()
    yield task_runner
    assert task_runner.wait(10_000), "a background task did not finish"
    QCoreApplication.processEvents()


@pytest.fixture
def settle(runner: TaskRunner) -> Callable[[QWidget], None]:
    """For ``qtbot.addWidget(w, before_close_func=settle)``: finish background work first.

    pytest-qt closes widgets before fixtures are torn down, so a load still running
    would otherwise call back into a deleted widget.
    """

    def drain(_widget: QWidget) -> None:
        assert runner.wait(10_000), "a background task did not finish"
        QCoreApplication.processEvents()

    return drain


@pytest.fixture
def show(qtbot, settle: Callable[[QWidget], None]) -> Iterator[Callable[[W], W]]:
    """Show a top-level widget and keep it alive until pytest-qt closes it at teardown."""
    alive: list[QWidget] = []  # qtbot itself only keeps weak references

    def show_widget(widget: W) -> W:
        alive.append(widget)
        qtbot.addWidget(widget, before_close_func=settle)
        widget.resize(1280, 720)
        with qtbot.waitExposed(widget):
            widget.show()
        return widget

    yield show_widget


@pytest.fixture
def deps(ctx: AppContext, runner: TaskRunner) -> PageDeps:
    return PageDeps(ctx, runner)


@dataclass
class Messages:
    """What the code under test showed through ``smmod.ui.msgbox``, and scripted answers."""

    shown: list[tuple[str, str, str]] = field(default_factory=list)  # kind, title, text
    confirm_answers: list[bool] = field(default_factory=list)
    choice_answers: list[int | None] = field(default_factory=list)
    text_answers: list[str | None] = field(default_factory=list)

    def of(self, kind: str) -> list[tuple[str, str]]:
        return [(title, text) for k, title, text in self.shown if k == kind]

    def texts(self) -> str:
        return "\n".join(text for _, _, text in self.shown)


@pytest.fixture
def msgs(monkeypatch: pytest.MonkeyPatch) -> Messages:
    log = Messages()

    def info(parent: QWidget | None, title: str, text: str) -> None:
        log.shown.append(("info", title, text))

    def warning(parent: QWidget | None, title: str, text: str) -> None:
        log.shown.append(("warning", title, text))

    def confirm(parent: QWidget | None, title: str, text: str, *,
                destructive: bool = False) -> bool:
        log.shown.append(("confirm", title, text))
        assert log.confirm_answers, f"unexpected question: {title}: {text}"
        return log.confirm_answers.pop(0)

    def choose(parent: QWidget | None, title: str, text: str, choices: list[str]) -> int | None:
        log.shown.append(("choose", title, text + "\n[" + " | ".join(choices) + "]"))
        assert log.choice_answers, f"unexpected choice: {title}: {text}"
        return log.choice_answers.pop(0)

    def ask_text(parent: QWidget | None, title: str, label: str, *, default: str = "",
                 required: bool = True) -> str | None:
        log.shown.append(("ask_text", title, label))
        assert log.text_answers, f"unexpected request for text: {title}: {label}"
        return log.text_answers.pop(0)

    def show_error(parent: QWidget | None, exc: BaseException, *, title: str = "smmod") -> None:
        log.shown.append(("error", title, f"{type(exc).__name__}: {exc}"))

    for name, fn in (("info", info), ("warning", warning), ("confirm", confirm), ("choose", choose),
                     ("ask_text", ask_text), ("show_error", show_error)):
        monkeypatch.setattr(msgbox, name, fn)
    return log
