"""None handed back to Qt through a QVariant-returning virtual, without a crash.

PySide6 6.12 on Python 3.11 drops one reference to ``None`` each time a Python
override of a virtual returning QVariant (``data()``, ``headerData()``) returns None to
C++: the view asks for a dozen roles per cell on every paint, so ``None``'s count
runs down and the process dies with "Fatal Python error: deallocating None". Each None
given back takes one extra reference first. A reference too many is harmless (None is
never freed, and from 3.12 it is immortal); one too few is fatal.
"""

from __future__ import annotations

import ctypes
import functools
import sys
from collections.abc import Callable
from typing import Any, TypeVar

_incref = ctypes.pythonapi.Py_IncRef
_incref.argtypes = [ctypes.py_object]
_incref.restype = None


def for_qt(value: object) -> object:
    """``value`` as a QVariant-returning override should return it: None gets the
    reference PySide6 will drop."""
    if value is None:
        _incref(None)
    return value


_Model = TypeVar("_Model", bound=type)


def none_safe(cls: _Model) -> _Model:
    """Class decorator for a Python item model: its own ``data()`` and ``headerData()``
    hand None to Qt through :func:`for_qt`."""
    for name in ("data", "headerData"):
        method = cls.__dict__.get(name)
        if method is None:
            continue

        def wrapper(self: object, *args: Any, _method: Callable[..., Any] = method,
                    **kwargs: Any) -> Any:
            return for_qt(_method(self, *args, **kwargs))

        functools.update_wrapper(wrapper, method)
        setattr(cls, name, wrapper)
    return cls


def keep_true_on_emit() -> None:
    """Make ``SignalInstance.emit`` keep ``True``'s reference count.

    PySide6 6.12 on Python 3.11 returns ``True`` from every ``signal.emit(...)`` without
    the reference it owes, so each emit anywhere in the app takes one from ``True``: a
    session that emits a few thousand signals (tasks, progress, live updates) dies with
    "Fatal Python error: bool_dealloc". A probe finds out whether this PySide6 does so;
    only then is ``emit`` wrapped to give ``True`` the reference back.
    """
    from PySide6.QtCore import QObject, Signal, SignalInstance

    if getattr(SignalInstance.emit, "keeps_true", False):
        return

    class _Probe(QObject):
        fired = Signal()

    probe = _Probe()
    before = sys.getrefcount(True)
    for _ in range(8):
        probe.fired.emit()
    lost = before - sys.getrefcount(True)
    if lost <= 0:
        return  # this PySide6 keeps its references
    for _ in range(lost):
        _incref(True)
    emit = SignalInstance.emit

    @functools.wraps(emit)
    def emit_keeping_true(self: Any, *args: Any) -> Any:
        result = emit(self, *args)
        if result is True:
            _incref(True)
        return result

    emit_keeping_true.keeps_true = True  # type: ignore[attr-defined]
    SignalInstance.emit = emit_keeping_true  # type: ignore[method-assign]
