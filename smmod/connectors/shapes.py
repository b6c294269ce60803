"""Checking the shape of what a platform sent, field by field, before using any of it.

Each helper raises ``BadResponse`` naming the field and what was wrong, so a broken
or hostile server gives a clear message instead of a crash or a half-read item.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from smmod.connectors.errors import BadResponse

# Platform ids go into URL paths: letters, digits, '_' and '-' only, never '/' or '.'.
_ID = re.compile(r"[0-9A-Za-z_-]{1,64}")
MAX_STRING = 200_000


class Shape:
    """Reads one JSON object, naming ``where`` in every complaint."""

    def __init__(self, value: Any, where: str) -> None:
        if not isinstance(value, Mapping):
            raise BadResponse(f"{where}: expected an object, got {_kind(value)}")
        self.value = value
        self.where = where

    def _get(self, name: str, required: bool) -> Any:
        if name not in self.value or self.value[name] is None:
            if required:
                raise BadResponse(f"{self.where}: '{name}' is missing")
            return None
        return self.value[name]

    def text(self, name: str, *, required: bool = True, limit: int = MAX_STRING) -> str | None:
        value = self._get(name, required)
        if value is None:
            return None
        if not isinstance(value, str):
            raise BadResponse(f"{self.where}: '{name}' should be text, got {_kind(value)}")
        if len(value) > limit:
            raise BadResponse(f"{self.where}: '{name}' is {len(value):,} characters; the limit is {limit:,}")
        if "\x00" in value:
            raise BadResponse(f"{self.where}: '{name}' contains a NUL character")
        return value

    def need_text(self, name: str, *, limit: int = MAX_STRING) -> str:
        value = self.text(name, limit=limit)
        assert value is not None
        return value

    def ident(self, name: str, *, required: bool = True) -> str | None:
        value = self._get(name, required)
        if value is None:
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str) or not _ID.fullmatch(value):
            raise BadResponse(f"{self.where}: '{name}' is not a valid id")
        return value

    def need_ident(self, name: str) -> str:
        value = self.ident(name)
        assert value is not None
        return value

    def obj(self, name: str, *, required: bool = True) -> Shape | None:
        value = self._get(name, required)
        return None if value is None else Shape(value, f"{self.where}.{name}")

    def need_obj(self, name: str) -> Shape:
        value = self.obj(name)
        assert value is not None
        return value

    def items(self, name: str, *, required: bool = True) -> list[Any]:
        value = self._get(name, required)
        if value is None:
            return []
        if not isinstance(value, list):
            raise BadResponse(f"{self.where}: '{name}' should be a list, got {_kind(value)}")
        return value

    def choice(self, name: str, allowed: frozenset[str], *, required: bool = True) -> str | None:
        value = self.text(name, required=required, limit=40)
        if value is not None and value not in allowed:
            raise BadResponse(
                f"{self.where}: '{name}' is '{value[:40]}', not one of {', '.join(sorted(allowed))}"
            )
        return value


def is_ident(value: object) -> bool:
    return isinstance(value, str) and bool(_ID.fullmatch(value))


def array(value: Any, where: str, limit: int = 1000) -> list[Any]:
    if not isinstance(value, list):
        raise BadResponse(f"{where}: expected a list, got {_kind(value)}")
    if len(value) > limit:
        raise BadResponse(f"{where}: {len(value):,} entries; the limit is {limit:,}")
    return value


def _kind(value: object) -> str:
    if value is None:
        return "nothing"
    return {dict: "an object", list: "a list", str: "text", bool: "true/false"}.get(
        type(value), "a number" if isinstance(value, int | float) else type(value).__name__
    )
