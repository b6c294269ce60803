"""Domain errors.

Two kinds of error exist in smmod (see docs/design.md, "Two kinds of error"):

* ``SmmodError`` and its subclasses are errors a person can act on. Their message is
  written for that person and never contains a secret. The UI shows it as it is and
  the command line prints it on one line with exit code 2.
* Anything else is a bug: it is logged in full and shown as "something went wrong".
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


def clip(value: object, limit: int = 40) -> str:
    """A value quoted back in a message, cut short: a message stays one readable line even
    when the value is a 100 KB argument or a whole file pasted into a field."""
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


class SmmodError(Exception):
    """An error the user can act on; ``str(err)`` is the message to show."""


class InputError(SmmodError):
    """Bad input: a file, a row, a field or a value on the command line.

    The message names where the problem is (file, row, field) and why.
    """

    def __init__(
        self,
        reason: str,
        *,
        file: str | None = None,
        row: int | None = None,
        field: str | None = None,
    ) -> None:
        self.reason = reason
        self.file = file
        self.row = row
        self.field = field
        super().__init__(self._compose())

    def _compose(self) -> str:
        where = []
        if self.file:
            where.append(self.file)
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.field:
            where.append(f"field '{self.field}'")
        return f"{', '.join(where)}: {self.reason}" if where else self.reason


@dataclass(frozen=True)
class RowProblem:
    """One bad row of an import: where it is and what is wrong with it.

    ``unit`` is what a "row" is called in that kind of file: a feed has entries.
    """

    row: int
    field: str | None
    reason: str
    unit: str = "row"

    def __str__(self) -> str:
        if self.field:
            return f"{self.unit} {self.row}, field '{self.field}': {self.reason}"
        return f"{self.unit} {self.row}: {self.reason}"


class ImportRejected(InputError):
    """An import that found bad rows; nothing was applied.

    ``problems`` lists every problem of every bad row (a row may have several) when there
    are few, else the first ones; ``bad_rows`` and ``problem_count`` count them all (a row
    with three problems counts once in ``bad_rows``), and ``rejects_file``, when the list
    was too long to show, holds every bad row with its reasons.
    """

    def __init__(self, file: str, problems: list[RowProblem], valid_rows: int = 0, *,
                 bad_rows: int | None = None, problem_count: int | None = None,
                 rejects_file: Path | None = None) -> None:
        self.problems = problems
        self.valid_rows = valid_rows
        self.bad_rows = bad_rows if bad_rows is not None else len({p.row for p in problems})
        self.problem_count = problem_count if problem_count is not None else len(problems)
        self.rejects_file = rejects_file
        shown = "; ".join(str(p) for p in problems[:5])
        more = self.problem_count - min(len(problems), 5)
        more_text = f" (and {more:,} more)" if more > 0 else ""
        where = f"; every bad row is listed in {rejects_file}" if rejects_file else ""
        super().__init__(
            f"{self.bad_rows:,} bad row{'' if self.bad_rows == 1 else 's'}, nothing imported: "
            f"{shown}{more_text}{where}", file=file
        )


class PolicyError(SmmodError):
    """A school policy rule (R1…R14) refuses the change."""

    def __init__(self, rule: str, message: str) -> None:
        self.rule = rule
        super().__init__(f"{rule}: {message}")


class PermissionDenied(SmmodError):
    """The acting person lacks the role the action needs."""


class NotFound(SmmodError):
    """The named record does not exist."""


class ConflictError(SmmodError):
    """The record was changed elsewhere since it was read (optimistic locking)."""


class KeyringUnavailable(SmmodError):
    """No secure OS keyring: secrets cannot be stored or read.

    The message says in plain words what is wrong and how to fix it.
    """


class DatabaseUnusable(SmmodError):
    """The database file is corrupt, not a database, or from a newer smmod."""


class NotSaved(SmmodError):
    """The database server went away during a change: nothing of it was kept, or (when
    the line went at the very moment of saving) it cannot be known; the message says
    which, so nothing is ever lost silently."""


class DatabaseBusy(SmmodError):
    """Another change held the database for longer than smmod waits; nothing was changed."""
