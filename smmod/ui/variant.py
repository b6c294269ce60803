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
