"""Turning an import file into validated queue items, plus a list of what was wrong.

Parsing never touches the database. ``parse_file`` reads a whole file into a
``ParseResult`` (for previews, feeds and tests); a file import streams instead
(``smmod.queue.streaming``), with the same validation (``ResultBuilder``). By default a
file with any problem is refused whole (``ParseResult.raise_for_problems``); the user may
choose to import only the valid rows, and ``write_rejects`` keeps the skipped ones beside
the source so nothing is lost.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Literal

from smmod.errors import ImportRejected, InputError, RowProblem
from smmod.queue.dates import DateProblem, DateReader
from smmod.queue.rejects import RawRow, RejectLog, rejects_path, write_rejects

__all__ = ["FIELDS", "FORMATS", "REQUIRED_FIELDS", "Format", "ParseResult", "ParsedItem",
           "RawRow", "ResultBuilder", "content_hash", "detect_format", "parse_bytes",
           "parse_file", "read_source", "rejects_path", "sniff_format", "write_rejects"]

Format = Literal["csv", "graph-json", "feed"]
FORMATS: tuple[str, ...] = ("csv", "graph-json", "feed")
KINDS = frozenset({"comment", "reply", "message", "mention", "review"})
AUTHOR_KINDS = frozenset({"parent", "student", "staff", "public", "unknown"})
FIELDS: tuple[str, ...] = (
    "id",
    "parent_id",
    "author_name",
    "author_handle",
    "author_kind",
    "text",
    "received_at",
    "kind",
    "url",
)
REQUIRED_FIELDS: tuple[str, ...] = ("text", "received_at", "author_name")
MAX_TEXT_CHARS = 100_000
MAX_OTHER_CHARS = 2_000
MAX_FILE_BYTES = 1024 * 1024 * 1024
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)

_KIND_WORDS = {"dm": "message", "direct message": "message", "tag": "mention"}
_AUTHOR_KIND_WORDS = {
    "pupil": "student",
    "carer": "parent",
    "guardian": "parent",
    "parent/carer": "parent",
    "teacher": "staff",
    "member of public": "public",
}
_CHOICES = {"kind": (KINDS, _KIND_WORDS), "author_kind": (AUTHOR_KINDS, _AUTHOR_KIND_WORDS)}


@dataclass(frozen=True, slots=True)
class ParsedItem:
    """One valid item ready for the queue; ``row`` points back into the source."""

    row: int
    platform_item_id: str | None
    parent_platform_id: str | None
    author_name: str
    author_handle: str | None
    author_kind: str
    text: str
    received_at: datetime
    kind: str
    url: str | None
    content_hash: str


@dataclass
class ParseResult:
    """Valid items and every problem found, so the caller can refuse or import part."""

    items: list[ParsedItem] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    rejected_raw: dict[int, RawRow] = field(default_factory=dict)
    assumed_local_time: bool = False
    format: str = ""
    source: str = ""
    notes: list[str] = field(default_factory=list)  # things the user should know, e.g. dates given

    def rejects(self) -> list[tuple[RowProblem, RawRow]]:
        """Pair each problem with its source row, ready for ``write_rejects``."""
        return [(p, self.rejected_raw.get(p.row, "")) for p in self.problems]

    def raise_for_problems(self) -> None:
        """The default policy: a file with any bad row is refused whole."""
        if self.problems:
            raise ImportRejected(self.source, self.problems, len(self.items))


def content_hash(author_name: str, text: str, received_at: datetime) -> str:
    """Identity for items without a platform id, stable across re-exports of a file.

    Case, Unicode form and runs of whitespace are ignored, because exports of the same
    comment differ in exactly those ways. ``received_at`` must be aware; its zone does
    not matter, only the instant.
    """

    def norm(value: str) -> str:
        if not value.isascii():
            value = unicodedata.normalize("NFC", value)
        return " ".join(value.split()).casefold()

    # Microseconds since the epoch: zone-free and much cheaper than isoformat().
    stamp = (received_at - _EPOCH) // _MICROSECOND
    key = f"{norm(author_name)}\x1f{norm(text)}\x1f{stamp}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


class ResultBuilder:
    """Validates raw field values row by row into a ``ParseResult``.

    Every format module feeds it plain strings, so the rules (limits, kinds, dates,
    hashes) are the same whatever the file was. Given a ``RejectLog``, it keeps neither
    items nor problems in memory: the caller takes each item ``add`` returns (a streaming
    import stores them in chunks) and the bad rows go to the log.
    """

    def __init__(self, fmt: str, source: str, reader: DateReader, default_kind: str,
                 rejects: RejectLog | None = None) -> None:
        self.result = ParseResult(format=fmt, source=source)
        self._reader = reader
        self._default_kind = default_kind
        self._rejects = rejects
        self.valid = 0  # rows that became items

    def reject(self, row: int, label: str | None, reason: str, raw: RawRow) -> None:
        """Record a row that cannot become an item."""
        self._problems([RowProblem(row, label, reason)])
        self.keep_raw(row, raw)

    def keep_raw(self, row: int, raw: RawRow) -> None:
        """Keep the source of a rejected row, for the rejects file."""
        if self._rejects is not None:
            self._rejects.raw(row, raw)
        else:
            self.result.rejected_raw[row] = raw

    def _problems(self, problems: list[RowProblem]) -> None:
        if self._rejects is None:
            self.result.problems.extend(problems)
            return
        for problem in problems:
            self._rejects.problem(problem)

    def add(
        self,
        row: int,
        values: Mapping[str, str | None],
        labels: Mapping[str, str],
    ) -> ParsedItem | None:
        """Validate one row; keep the item, or record every problem the row has.

        On ``None`` the caller hands the source row to ``keep_raw``: building it only
        for bad rows keeps large imports fast.
        """
        problems: list[RowProblem] = []
        clean: dict[str, str] = {}
        flagged: set[str] = set()
        for name, value in values.items():
            if value is None:
                continue
            limit = MAX_TEXT_CHARS if name == "text" else MAX_OTHER_CHARS
            if len(value) > limit:
                reason = f"{name} is {len(value):,} characters; the limit is {limit:,}"
            elif "\x00" in value:
                reason = f"{name} contains a NUL character"
            else:
                value = value.strip()
                if value:
                    clean[name] = value
                continue
            flagged.add(name)
            problems.append(RowProblem(row, labels.get(name, name), reason))
        for name in REQUIRED_FIELDS:
            if name not in clean and name not in flagged:
                problems.append(RowProblem(row, labels.get(name, name), f"{name} is empty"))
        received_at = None
        if "received_at" in clean:
            try:
                received_at = self._reader.read(clean["received_at"])
            except DateProblem as err:
                label = labels.get("received_at", "received_at")
                problems.append(RowProblem(row, label, str(err)))
        url = clean.get("url")
        if url is not None and not url.lower().startswith(("http://", "https://")):
            problems.append(RowProblem(row, labels.get("url", "url"), "is not a web address (http or https)"))
        author_kind = "unknown"
        if "author_kind" in clean:
            author_kind = self._choose(row, clean, "author_kind", labels, problems)
        kind = "reply" if "parent_id" in clean else self._default_kind
        if "kind" in clean:
            kind = self._choose(row, clean, "kind", labels, problems)
        if problems or received_at is None:
            self._problems(problems)
            return None
        text = clean["text"]
        if "\r" in text:
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        author_name = clean["author_name"]
        item = ParsedItem(
            row,
            clean.get("id"),
            clean.get("parent_id"),
            author_name,
            clean.get("author_handle"),
            author_kind,
            text,
            received_at,
            kind,
            url,
            content_hash(author_name, text, received_at),
        )
        self.valid += 1
        if self._rejects is None:
            self.result.items.append(item)
        return item

    @staticmethod
    def _choose(
        row: int,
        clean: Mapping[str, str],
        name: str,
        labels: Mapping[str, str],
        problems: list[RowProblem],
    ) -> str:
        allowed, words = _CHOICES[name]
        value = clean[name]
        word = value.lower()
        word = words.get(word, word)
        if word in allowed:
            return word
        problems.append(
            RowProblem(
                row,
                labels.get(name, name),
                f"'{value[:40]}' is not a known {name}; use one of {', '.join(sorted(allowed))}",
            )
        )
        return word

    def finish(self) -> ParseResult:
        """Close the import: note whether any date was read in the local zone."""
        self.result.assumed_local_time = self._reader.assumed_local
        return self.result


def read_source(path: Path, limit: int | None = None) -> bytes:
    """Read an import file (or its first ``limit`` bytes), with OS errors as messages."""
    try:
        if limit is not None:
            with path.open("rb") as handle:
                return handle.read(limit)
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise InputError(f"is {size:,} bytes; the limit is {MAX_FILE_BYTES:,}", file=path.name)
        return path.read_bytes()
    except FileNotFoundError as err:
        raise InputError("the file does not exist", file=str(path)) from err
    except IsADirectoryError as err:
        raise InputError("is a folder, not a file", file=str(path)) from err
    except PermissionError as err:
        raise InputError("cannot be read: permission denied", file=str(path)) from err
    except OSError as err:
        raise InputError(f"cannot be read: {err.strerror or err}", file=str(path)) from err


def sniff_format(data: bytes) -> Format:
    """Tell the three formats apart by their first meaningful character."""
    head = data[:4096]
    for bom, codec in ((b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if head.startswith(bom):
            head = head[len(bom) :].decode(codec, errors="ignore").encode("utf-8")
            break
    head = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    if head.startswith(b"<"):
        return "feed"
    if head.startswith((b"[", b"{")):
        return "graph-json"
    return "csv"


def detect_format(path: str | Path) -> Format:
    """Sniff the content, not the extension: exports are often misnamed."""
    source = Path(path)
    data = read_source(source, limit=65_536)
    if not data.strip():
        raise InputError("the file is empty", file=source.name)
    return sniff_format(data)


def parse_file(
    path: str | Path,
    *,
    fmt: str = "auto",
    mapping: Mapping[str, str] | None = None,
    tz: str = "Europe/London",
    now: datetime | None = None,
) -> ParseResult:
    """Parse an import file of any supported format (see ``parse_bytes``)."""
    source = Path(path)
    return parse_bytes(read_source(source), source.name, fmt=fmt, mapping=mapping, tz=tz, now=now)


def parse_bytes(
    data: bytes,
    source: str,
    *,
    fmt: str = "auto",
    mapping: Mapping[str, str] | None = None,
    tz: str = "Europe/London",
    now: datetime | None = None,
) -> ParseResult:
    """Parse content already in memory, such as a fetched feed; ``source`` names it.

    ``mapping`` (smmod field → column header) applies to CSV only; without it the
    columns are guessed with ``suggest_mapping``. Dates with no zone are read in ``tz``;
    ``now`` (default: the clock) bounds "in the future".
    """
    # Imported here because the format modules build on the types above.
    from smmod.queue import csv_import, feed_import, graph_import

    if fmt not in ("auto", *FORMATS):
        raise InputError(f"unknown format '{fmt}'; use auto, {', '.join(FORMATS)}")
    if not data.strip():
        raise InputError("the file is empty", file=source)
    chosen = sniff_format(data) if fmt == "auto" else fmt
    reader = DateReader(tz, now)
    if chosen == "csv":
        return csv_import.parse_csv(data, source, reader, mapping)
    if chosen == "graph-json":
        return graph_import.parse_graph_json(data, source, reader)
    return feed_import.parse_feed(data, source, reader)
