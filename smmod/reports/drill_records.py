"""What a drill-down asks for (a figure of a report) and what it gives back (rows)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Figure:
    """One figure on a report: ``report`` and ``name``, narrowed to a row of a table.

    ``group`` is "account", "moderator", "lead" or "person"; ``key`` the row's id
    (None for the "nobody" row); ``value`` a category, severity, outcome, verdict or
    bucket the figure counts.
    """

    report: str
    name: str
    group: str | None = None
    key: int | None = None
    value: str | None = None
    nobody: bool = False  # the row for "not answered yet" / "before records began"


@dataclass(frozen=True)
class Drill:
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    total: int
    item_ids: tuple[int, ...] = field(default=())

    @property
    def truncated(self) -> bool:
        return self.total > len(self.rows)

    def to_dict(self) -> dict[str, Any]:
        return {"title": self.title, "columns": list(self.columns),
                "rows": [list(r) for r in self.rows], "total": self.total,
                "item_ids": list(self.item_ids)}
