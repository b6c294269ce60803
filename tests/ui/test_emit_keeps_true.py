"""Emitting a signal never costs ``True`` a reference (PySide6 6.12 returned it from
``emit`` without one: a long session died with "Fatal Python error: bool_dealloc")."""

from __future__ import annotations

import sys
import threading

from PySide6.QtCore import QObject, Signal

import smmod.ui  # noqa: F401  (the app's Qt set-up, as every window has it)


class Probe(QObject):
    fired = Signal(bool)
    relayed = Signal(bool)
    counted = Signal(int)

    def __init__(self) -> None:
        super().__init__()
        self.relayed.connect(self.fired)  # a signal passed on, as LiveUpdates does


def test_emitting_signals_keeps_trues_reference(qtbot) -> None:  # type: ignore[no-untyped-def]
    probe = Probe()
    heard: list[object] = []
    probe.fired.connect(heard.append)
    before = sys.getrefcount(True)
    for _ in range(300):
        probe.fired.emit(True)
        probe.relayed.emit(False)
        probe.counted.emit(1)  # no one listens
    worker = threading.Thread(target=lambda: [probe.relayed.emit(True) for _ in range(300)])
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: len(heard) == 900)
    heard.clear()
    assert sys.getrefcount(True) >= before
