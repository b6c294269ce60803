"""Reading docs/json.md, so tests can check each --json document against its description.

A section is headed ``## `smmod <command> --json` ``; each table in it describes one shape
of the document (its top-level fields, or the fields of each element of a list, or of
each value of an object "keyed by" names). A field whose meaning starts "Only when" may
be missing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

DOC = Path(__file__).resolve().parent.parent / "docs" / "json.md"
_HEADING = re.compile(r"^## `smmod (?P<command>.+?) --json`\s*$")


@dataclass(frozen=True)
class Shape:
    fields: frozenset[str]
    optional: frozenset[str]  # "Only when …"

    def admits(self, keys: set[str]) -> bool:
        return self.fields - self.optional <= keys <= self.fields


@dataclass(frozen=True)
class Section:
    command: str
    is_list: bool
    keyed: bool
    shapes: tuple[Shape, ...]


@cache
def sections() -> dict[str, Section]:
    found: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in DOC.read_text(encoding="utf-8").splitlines():
        match = _HEADING.match(line)
        if match:
            current = found.setdefault(match["command"], [])
        elif line.startswith("## "):
            current = None
        elif current is not None:
            current.append(line)
    return {command: _section(command, lines) for command, lines in found.items()}


def _section(command: str, lines: list[str]) -> Section:
    shapes: list[Shape] = []
    fields: set[str] = set()
    optional: set[str] = set()
    for line in [*lines, ""]:
        if line.startswith("| `"):
            cells = [c.strip() for c in re.split(r"(?<!\\)\|", line.strip().strip("|"))]
            names = set(re.findall(r"`([^`]+)`", cells[0]))
            fields |= names
            if len(cells) > 2 and cells[2].startswith("Only when"):
                optional |= names
        elif fields and not line.startswith("|"):
            shapes.append(Shape(frozenset(fields), frozenset(optional)))
            fields, optional = set(), set()
    text = "\n".join(lines)
    return Section(command, "A list of objects" in text, "keyed by" in text.split("|")[0],
                   tuple(shapes))


def assert_documented(command: str, document: Any) -> None:
    """The document's top-level fields are those docs/json.md lists for the command."""
    section = sections().get(command)
    assert section is not None, f"docs/json.md has no section for `smmod {command} --json`"
    if section.is_list:
        assert isinstance(document, list), f"{command}: documented as a list"
        objects = document
    elif section.keyed:
        assert isinstance(document, dict)
        objects = list(document.values())
    else:
        objects = [document]
    assert objects, f"{command}: nothing to check (an empty list)"
    for obj in objects:
        keys = set(obj)
        assert any(shape.admits(keys) for shape in section.shapes), (
            f"`smmod {command} --json` printed fields {sorted(keys)}; docs/json.md lists "
            f"{[sorted(s.fields) for s in section.shapes]}")
