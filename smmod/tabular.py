"""Reading small register CSVs (staff, accounts) exported by a school MIS or a spreadsheet.

These files are a few hundred rows at most. What matters is that every problem is
named (file, row, field, reason) and nothing is applied unless the whole file is good.
"""

from __future__ import annotations

import csv
import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from smmod import csvtext
from smmod.errors import InputError, clip
from smmod.formatting import month_number
from smmod.wording import noun

MAX_BYTES = 20_000_000
_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%y")


@dataclass(frozen=True)
class Table:
    path: Path
    headers: list[str]
    rows: list[dict[str, str]]  # keyed by header
    encoding: str
    # The spreadsheet row number of each entry of ``rows`` (the header is row 1; blank
    # rows are skipped but still counted, so the numbers match what the user sees).
    row_numbers: list[int] = dataclasses.field(default_factory=list)


def read_table(path: Path) -> Table:
    """Read a CSV with a header row; refuse empty, header-only or oversized files."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InputError(f"is {size:,} bytes; the limit is {MAX_BYTES:,}", file=str(path))
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot be read ({exc.strerror})", file=str(path)) from None
    if not raw.strip():
        raise InputError("the file is empty", file=str(path))
    text, encoding = csvtext.decode(raw, str(path))
    if not text.strip():
        raise InputError("the file is empty", file=str(path))
    reader = csvtext.reader(text)
    try:
        headers = [h.strip() for h in next(reader)]
        body = list(reader)
    except csv.Error as exc:
        raise InputError(f"is not valid CSV ({exc})", file=str(path)) from None
    if not any(headers):
        raise InputError("the first row must name the columns", file=str(path))
    named = [h for h in headers if h]
    repeated = sorted({h for h in named if named.count(h) > 1})
    if repeated:
        raise InputError(f"{noun(len(repeated), 'column')} named more than once: {', '.join(repeated)}",
                         file=str(path))
    rows: list[dict[str, str]] = []
    numbers: list[int] = []
    too_long: list[int] = []
    for number, values in enumerate(body, start=2):
        if not any(v.strip() for v in values):
            continue
        if any("\x00" in v for v in values):
            raise InputError("contains a NUL character", file=str(path), row=number)
        if any(v.strip() for v in values[len(headers) :]):
            too_long.append(number)
        padded = values + [""] * (len(headers) - len(values))
        rows.append({h: padded[i].strip() for i, h in enumerate(headers)})
        numbers.append(number)
    if too_long:
        shown = ", ".join(str(n) for n in too_long[:10]) + (" …" if len(too_long) > 10 else "")
        raise InputError(
            f"{noun(len(too_long), 'row')} {shown} {noun(len(too_long), 'has', 'have')} more values "
            "than the header has columns "
            f"({len(headers)}); a value that contains the separator must be in double quotes",
            file=str(path),
            row=too_long[0],
        )
    if not rows:
        raise InputError("no rows after the header", file=str(path))
    return Table(path, headers, rows, encoding.name, numbers)


def check_mapping(table: Table, mapping: dict[str, str], required: Iterable[str]) -> None:
    """Refuse a mapping that leaves a required field unmapped or names a missing column."""
    missing = [f for f in required if not mapping.get(f)]
    unknown = [c for c in mapping.values() if c and c not in table.headers]
    if missing or unknown:
        parts = []
        if missing:
            parts.append(f"required {noun(len(missing), 'field')} not mapped: {', '.join(missing)}")
        if unknown:
            parts.append(f"{noun(len(unknown), 'column')} not in the file: {', '.join(unknown)}")
        raise InputError(
            f"{'; '.join(parts)}. The file's columns are: {', '.join(table.headers)}",
            file=str(table.path),
        )


def suggest_mapping(headers: Sequence[str], aliases: dict[str, Sequence[str]]) -> dict[str, str]:
    """Guess which column holds each field, by normalised header name."""
    def norm(text: str) -> str:
        return "".join(ch for ch in text.lower() if ch.isalnum())

    by_norm = {norm(h): h for h in headers}
    mapping: dict[str, str] = {}
    for field, names in aliases.items():
        for name in (field, *names):
            if norm(name) in by_norm:
                mapping[field] = by_norm[norm(name)]
                break
    return mapping


def _named_month_date(text: str) -> date | None:
    """``1 Jan 2027`` or ``1 January 2027``, read with English month names in any locale."""
    parts = text.split()
    if len(parts) != 3 or not (parts[0].isdigit() and parts[2].isdigit() and len(parts[2]) == 4):
        return None
    month = month_number(parts[1])
    if month is None:
        return None
    try:
        return date(int(parts[2]), month, int(parts[0]))
    except ValueError:
        return None


def parse_date(text: str) -> date:
    """A date in ISO or UK day-first form; ValueError with a readable reason otherwise."""
    text = text.strip()
    named = _named_month_date(text)
    if named is not None:
        return named
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"'{clip(text)}' is not a date (use YYYY-MM-DD or DD/MM/YYYY)")
