"""Column mappings for CSV exports, remembered per export shape.

Each platform or tool exports its own set of headers, so the header row identifies
the "source". Once a person has confirmed which column is which, the next file with
the same headers (from the dialog or ``smmod queue import``) uses that mapping.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from pathlib import Path

from sqlalchemy import Connection, select
from sqlalchemy.orm import Session

from smmod import csvtext
from smmod.errors import InputError
from smmod.queue.parsers import FIELDS, read_source, sniff_format
from smmod.store.base import session_clock
from smmod.store.models import QueueCsvMapping

_HEADER_BYTES = 256 * 1024


def header_key(headers: Sequence[str]) -> str:
    normal = [h.strip().casefold() for h in headers]
    return hashlib.sha256(json.dumps(normal, ensure_ascii=False).encode("utf-8")).hexdigest()


def csv_headers(path: str | Path) -> list[str] | None:
    """The header row of a CSV file, or None when the file is not CSV.

    Only the start of the file is read, with the decoder every import uses.
    """
    source = Path(path)
    head = read_source(source, limit=_HEADER_BYTES)
    if not head.strip():
        raise InputError("the file is empty", file=source.name)
    if sniff_format(head) != "csv":
        return None
    if len(head) == _HEADER_BYTES and b"\n" in head:
        head = head[: head.rfind(b"\n") + 1]  # whole lines: no character cut in two
    text, _ = csvtext.decode(head, source.name)
    row = next(csvtext.reader(text), [])
    return [h.strip() for h in row]


def remembered(conn: Connection | Session, headers: Sequence[str]) -> dict[str, str] | None:
    """The confirmed mapping for these headers, if every column it names still exists."""
    stmt = select(QueueCsvMapping.mapping).where(QueueCsvMapping.header_key == header_key(headers))
    raw = conn.execute(stmt).scalar_one_or_none()
    if raw is None:
        return None
    try:
        mapping = json.loads(raw)
    except ValueError:
        return None
    present = {h.strip().casefold() for h in headers}
    if not isinstance(mapping, dict) or any(
        not isinstance(v, str) or (v and v.strip().casefold() not in present) for v in mapping.values()
    ):
        return None
    return {k: v for k, v in mapping.items() if k in FIELDS and v}


def remember(session: Session, headers: Sequence[str], mapping: Mapping[str, str]) -> None:
    clean = {k: v for k, v in mapping.items() if k in FIELDS and v}
    key = header_key(headers)
    row = session.execute(
        select(QueueCsvMapping).where(QueueCsvMapping.header_key == key)
    ).scalar_one_or_none()
    if row is None:
        row = QueueCsvMapping(header_key=key, headers=json.dumps(list(headers)))
        session.add(row)
    row.mapping = json.dumps(clean, ensure_ascii=False, sort_keys=True)
    row.updated_at = session_clock(session).now()
