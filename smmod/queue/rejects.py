"""Bad rows of an import: counted, the first few kept to show, all of them kept on disk.

A file can have a million bad rows. ``RejectLog`` keeps only the count and the first
few problems in memory (what the screen and ``--json`` show) and spools every bad row,
with its reasons and its original values, to a temporary file; ``write`` turns that into
the rejects file beside the source (``comments.rejects.csv``), which the user can fix
and import again.
"""

from __future__ import annotations

import csv
import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO

from smmod.errors import InputError, RowProblem

RawRow = dict[str, str] | str
#: How many problems are kept to show on screen and in ``--json``.
SHOWN = 20


def rejects_path(source_path: str | Path) -> Path:
    """Where the skipped rows of ``source_path`` go: ``comments.rejects.csv``."""
    source = Path(source_path)
    return source.with_name(f"{source.stem}.rejects.csv")


def _reason(problem: RowProblem) -> str:
    return f"{problem.field}: {problem.reason}" if problem.field else problem.reason


class RejectLog:
    """The bad rows of one import (see the module docstring); close it when done."""

    def __init__(self, shown: int = SHOWN) -> None:
        self.shown = shown
        self.first: list[RowProblem] = []  # the first ``shown`` problems
        self.problems = 0
        self.rows = 0
        self._pending: tuple[int, list[str]] | None = None
        self._columns: dict[str, None] = {}  # every raw column seen, in order
        self._spool: IO[str] | None = None

    # -- filled by the parser ------------------------------------------------------
    def problem(self, problem: RowProblem) -> None:
        """A problem of the current row; its raw values follow with ``raw``."""
        if self._pending is not None and self._pending[0] != problem.row:
            self._flush("")
        if self._pending is None:
            self._pending = (problem.row, [])
            self.rows += 1
        self._pending[1].append(_reason(problem))
        self.problems += 1
        if len(self.first) < self.shown:
            self.first.append(problem)

    def raw(self, row: int, raw: RawRow) -> None:
        """The original values of the row whose problems were just given."""
        if self._pending is not None and self._pending[0] == row:
            self._flush(raw)

    def _flush(self, raw: RawRow) -> None:
        assert self._pending is not None
        row, reasons = self._pending
        self._pending = None
        cells = raw if isinstance(raw, dict) else {"raw": raw}
        for column in cells:
            self._columns.setdefault(column, None)
        if self._spool is None:
            self._spool = tempfile.TemporaryFile("w+", encoding="utf-8", prefix="smmod-rejects-")
        json.dump([row, reasons, cells], self._spool, ensure_ascii=False)
        self._spool.write("\n")

    def _spooled(self) -> Iterator[tuple[int, list[str], dict[str, str]]]:
        if self._pending is not None:
            self._flush("")
        if self._spool is None:
            return
        self._spool.seek(0)
        for line in self._spool:
            row, reasons, cells = json.loads(line)
            yield int(row), reasons, cells

    # -- afterwards ----------------------------------------------------------------
    def write(self, source_path: str | Path) -> Path:
        """Write every bad row beside the source; see ``write_rows`` for the layout."""
        if self._pending is not None:
            self._flush("")
        rows = self._spooled()  # read back one at a time, never listed
        return write_rows(source_path, list(self._columns) or ["raw"], rows)

    def close(self) -> None:
        if self._spool is not None:
            self._spool.close()
            self._spool = None


def write_rows(
    source_path: str | Path, columns: list[str], rows: Iterable[tuple[int, list[str], dict[str, str]]]
) -> Path:
    """The rejects file: the original columns first, so the user can fix the file and
    import it again, then ``row`` and ``reason``. UTF-8 with a BOM, so that Excel shows
    accents and "£" correctly. Written to a temporary file first, then renamed."""
    row_col = "row" if "row" not in columns else "smmod row"
    reason_col = "reason" if "reason" not in columns else "smmod reason"
    target = rejects_path(source_path)
    temp_name = ""
    try:
        fd, temp_name = tempfile.mkstemp(prefix=".rejects-", suffix=".csv", dir=target.parent)
        with os.fdopen(fd, "w", encoding="utf-8-sig", newline="") as out:
            writer = csv.writer(out)
            writer.writerow([*columns, row_col, reason_col])
            for row, reasons, cells in rows:
                writer.writerow([*(cells.get(c, "") for c in columns), row, "; ".join(reasons)])
        os.replace(temp_name, target)
    except OSError as err:
        if temp_name:
            Path(temp_name).unlink(missing_ok=True)
        raise InputError(
            f"the rejected rows could not be saved: {err.strerror or err}", file=str(target)
        ) from err
    return target


def write_rejects(
    source_path: str | Path, problems_with_raw_rows: Iterable[tuple[RowProblem, RawRow]]
) -> Path:
    """The rejects file for problems already in memory (a parsed file, a feed)."""
    grouped: dict[int, tuple[list[str], RawRow]] = {}
    for problem, raw in problems_with_raw_rows:
        reasons, _ = grouped.setdefault(problem.row, ([], raw))
        reasons.append(_reason(problem))
    columns: list[str] = []
    for _, raw in grouped.values():
        keys = raw.keys() if isinstance(raw, dict) else ["raw"]
        columns.extend(k for k in keys if k not in columns)
    rows = (
        (row, reasons, raw if isinstance(raw, dict) else {"raw": raw})
        for row, (reasons, raw) in sorted(grouped.items())
    )
    return write_rows(source_path, columns, rows)
