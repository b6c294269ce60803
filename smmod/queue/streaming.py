"""An import file as a stream of validated items, a chunk at a time.

A CSV file is read row by row (``smmod.csvtext`` finds its encoding in one pass first),
so memory stays that of one chunk whatever the file's length: a million rows import in
a few hundred megabytes at most. Bad rows go to a ``RejectLog`` (counted, the first few
kept to show, all of them spooled to disk for the rejects file). Graph API JSON and
feeds are read whole, as documents, and then handed out in chunks the same way.

File-level faults (not text, no header, a missing column) are raised when the stream is
opened, before the caller opens a transaction.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Generator, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from itertools import chain, islice
from pathlib import Path
from typing import cast

from smmod import csvtext
from smmod.errors import InputError, RowProblem
from smmod.queue.dates import DateReader
from smmod.queue.parsers import (
    FORMATS,
    MAX_FILE_BYTES,
    ParsedItem,
    ResultBuilder,
    detect_format,
    parse_file,
)
from smmod.queue.rejects import SHOWN, RejectLog

#: Items validated, deduplicated and inserted together.
CHUNK_ROWS = 5_000


@dataclass
class ImportStream:
    """What an opened import file gives: its items in chunks, and its bad rows."""

    format: str
    source: str  # the file's name, as messages show it
    rejects: RejectLog
    _items: Iterator[ParsedItem]
    _reader: DateReader
    _builder: ResultBuilder | None = None
    _valid: int = 0

    _ahead: Generator[list[ParsedItem], None, None] | None = None
    notes: tuple[str, ...] = ()  # things the user should know (a feed's undated entries)

    def chunks(self, size: int | None = None) -> Iterator[list[ParsedItem]]:
        """The items in chunks; a CSV file is read ahead by a helper thread meanwhile."""
        size = size or CHUNK_ROWS
        if self._builder is None:  # a document already in memory
            return _chunked(self._items, size)
        self._ahead = read_ahead(_chunked(self._items, size))
        return self._ahead

    def close(self) -> None:
        """Stop the helper thread, if a caller left the chunks before the end."""
        if self._ahead is not None:
            self._ahead.close()
            self._ahead = None

    @property
    def valid_rows(self) -> int:
        """Rows that became items so far (all of them once ``chunks`` is exhausted)."""
        return self._builder.valid if self._builder is not None else self._valid

    @property
    def assumed_local_time(self) -> bool:
        return self._reader.assumed_local


def _chunked(items: Iterator[ParsedItem], size: int) -> Iterator[list[ParsedItem]]:
    while chunk := list(islice(items, size)):
        yield chunk


_DONE = object()


def read_ahead(chunks: Iterator[list[ParsedItem]], depth: int = 2
               ) -> Generator[list[ParsedItem], None, None]:
    """The same chunks, read by a helper thread while the caller stores earlier ones.

    Storing is mostly SQLite's own work, during which Python's other threads run, so
    the next chunk is parsed meanwhile. At most ``depth`` chunks wait, so memory stays
    bounded; an error while reading is raised here, in the caller's thread.
    """
    waiting: queue.Queue[object] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def put(thing: object) -> None:
        while not stop.is_set():
            try:
                waiting.put(thing, timeout=0.1)
                return
            except queue.Full:
                continue

    def produce() -> None:
        try:
            for chunk in chunks:
                if stop.is_set():
                    return
                put(chunk)
        except BaseException as exc:  # handed to the caller's thread
            put(exc)
        finally:
            put(_DONE)

    reader = threading.Thread(target=produce, name="smmod-import-reader", daemon=True)
    reader.start()
    try:
        while (got := waiting.get()) is not _DONE:
            if isinstance(got, BaseException):
                raise got
            yield cast(list[ParsedItem], got)
    finally:
        stop.set()
        reader.join()


@dataclass(frozen=True)
class ImportCheck:
    """A file read through without storing anything: what importing it would find."""

    source: str
    format: str
    valid_rows: int
    bad_rows: int
    problems: tuple[RowProblem, ...]  # the first few
    problem_count: int  # all of them
    assumed_local_time: bool
    notes: tuple[str, ...] = ()


@contextmanager
def open_import(
    path: str | Path,
    *,
    fmt: str = "auto",
    mapping: Mapping[str, str] | None = None,
    tz: str = "Europe/London",
    now: datetime | None = None,
    shown: int = SHOWN,
) -> Iterator[ImportStream]:
    """Open an import file as an ``ImportStream`` (see the module docstring)."""
    source = Path(path)
    if fmt not in ("auto", *FORMATS):
        raise InputError(f"unknown format '{fmt}'; use auto, {', '.join(FORMATS)}")
    detected = detect_format(source)  # refuses a missing, unreadable or empty file
    size = source.stat().st_size
    if size > MAX_FILE_BYTES:
        raise InputError(f"is {size:,} bytes; the limit is {MAX_FILE_BYTES:,}", file=source.name)
    chosen = detected if fmt == "auto" else fmt
    rejects = RejectLog(shown)
    try:
        if chosen == "csv":
            with _csv_stream(source, mapping, DateReader(tz, now), rejects) as stream:
                yield stream
        else:
            yield _document_stream(source, chosen, mapping, tz, now, rejects)
    finally:
        rejects.close()


@contextmanager
def _csv_stream(source: Path, mapping: Mapping[str, str] | None, reader: DateReader,
                rejects: RejectLog) -> Iterator[ImportStream]:
    from smmod.queue.csv_import import csv_items

    builder = ResultBuilder("csv", source.name, reader, "comment", rejects)
    with csvtext.open_csv(source, source.name) as csv_file:
        items = csv_items(csv_file.rows, source.name, builder, mapping)
        # The header and the mapping are checked now, before any transaction opens.
        first = next(items, None)
        head = iter(()) if first is None else iter((first,))
        stream = ImportStream("csv", source.name, rejects, chain(head, items), reader, builder)
        try:
            yield stream
        finally:
            stream.close()  # before the file closes


def _document_stream(source: Path, fmt: str, mapping: Mapping[str, str] | None, tz: str,
                     now: datetime | None, rejects: RejectLog) -> ImportStream:
    result = parse_file(source, fmt=fmt, mapping=mapping, tz=tz, now=now)
    last: int | None = None
    for problem in sorted(result.problems, key=lambda p: p.row):
        if last is not None and problem.row != last:
            rejects.raw(last, result.rejected_raw.get(last, ""))
        rejects.problem(problem)
        last = problem.row
    if last is not None:
        rejects.raw(last, result.rejected_raw.get(last, ""))
    reader = DateReader(tz, now)
    reader.assumed_local = result.assumed_local_time
    return ImportStream(result.format, source.name, rejects, iter(result.items), reader,
                        _valid=len(result.items), notes=tuple(result.notes))


def check_file(
    path: str | Path,
    *,
    fmt: str = "auto",
    mapping: Mapping[str, str] | None = None,
    tz: str = "Europe/London",
    now: datetime | None = None,
) -> ImportCheck:
    """Read a file through, as an import would, keeping only counts and the first problems."""
    with open_import(path, fmt=fmt, mapping=mapping, tz=tz, now=now) as stream:
        for _chunk in stream.chunks():
            pass
        return ImportCheck(stream.source, stream.format, stream.valid_rows, stream.rejects.rows,
                           tuple(stream.rejects.first), stream.rejects.problems,
                           stream.assumed_local_time, stream.notes)
