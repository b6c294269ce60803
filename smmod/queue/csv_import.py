"""CSV exports (Facebook tools, Excel, other moderation tools) into queue items.

Spreadsheets save CSV as UTF-8, UTF-8 with a BOM or Windows-1252, with commas,
semicolons or tabs, and with column names of their own; this module copes with all of
that and reports rows by the number a spreadsheet shows (the header is row 1).
"""

from __future__ import annotations

import codecs
import csv
import io
import operator
import re
import sys
from collections.abc import Mapping, Sequence

from smmod.errors import InputError
from smmod.queue.dates import DateReader, shorten
from smmod.queue.parsers import FIELDS, REQUIRED_FIELDS, ParseResult, ResultBuilder

# The csv module refuses fields over 128 KiB by default. We would rather read a huge
# field and reject its row with a clear reason than fail the whole file, and the data
# is already in memory, so the limit is raised (process-wide: the csv module has no
# per-reader limit).
_FIELD_LIMIT = min(sys.maxsize, 2**31 - 1)
_DELIMITERS = ",;\t|"
_SNIFF_CHARS = 16_384

# Common header names for each field, most specific first, compared lower-cased with
# punctuation turned into spaces. Fields with distinctive names are matched first so that
# "Comment ID" goes to id before "comment" is looked for.
_SYNONYMS: dict[str, tuple[str, ...]] = {
    name: tuple(words.split("|"))
    for name, words in {
        "id": "comment id|message id|mention id|review id|item id|id|guid",
        "parent_id": "parent id|parent comment id|reply to|in reply to|in reply to id|parent",
        "url": "url|link|permalink|permalink url|comment url|comment link",
        "received_at": "received at|created time|created at|date|timestamp|time|date time|"
        "datetime|posted|posted at|published|sent|sent at|comment date|date posted|created",
        "author_kind": "author kind|author type|relationship|role",
        "kind": "kind|item kind|item type",
        "author_handle": "author handle|handle|username|screen name|from username|profile",
        "author_name": "author name|author|from name|from|name|user name|display name|"
        "commenter|user|reviewer|sender|full name",
        "text": "text|message|comment|body|content|comment text|message text|review text|"
        "review|post text|mention",
    }.items()
}
# Only these fields also match a header that starts with one of their words, as in
# "Date (GMT)" or "Message body"; never a header that names an id, link or count.
_PREFIX_FIELDS = frozenset({"received_at", "text"})
_NOT_PREFIX_ENDINGS = (" id", " url", " link", " count", " number")
_PUNCTUATION = re.compile(r"[^0-9a-z]+")


def _norm_header(header: str) -> str:
    return _PUNCTUATION.sub(" ", header.lower()).strip()


def suggest_mapping(headers: Sequence[str]) -> dict[str, str]:
    """Guess which column holds each field, for the user to confirm or correct.

    An exact name wins over a prefix ("Date (GMT)" still counts as "date"); each column
    is used once, except that a lone username column also serves as the author's name.
    """
    normed = [_norm_header(h) for h in headers]
    used: set[int] = set()
    mapping: dict[str, str] = {}
    for name, words in _SYNONYMS.items():
        index = _find(normed, words, used, name in _PREFIX_FIELDS)
        if index is not None:
            used.add(index)
            mapping[name] = headers[index]
    if "author_name" not in mapping and "author_handle" in mapping:
        mapping["author_name"] = mapping["author_handle"]
    return {name: mapping[name] for name in FIELDS if name in mapping}


def _find(normed: list[str], words: Sequence[str], used: set[int], prefix: bool) -> int | None:
    for word in words:
        for index, header in enumerate(normed):
            if index not in used and header == word:
                return index
    if not prefix:
        return None
    for word in words:
        for index, header in enumerate(normed):
            if (
                index not in used
                and header.startswith(word + " ")
                and not header.endswith(_NOT_PREFIX_ENDINGS)
            ):
                return index
    return None


def _refuse_binary(data: bytes, source: str) -> None:
    """Spreadsheets are the usual wrong pick: say so rather than show garbled headers."""
    if data.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        raise InputError(
            "is a spreadsheet workbook (or another binary file), not CSV: "
            "save it from the spreadsheet as 'CSV UTF-8' first",
            file=source,
        )


def decode_text(data: bytes, source: str) -> str:
    """UTF-8 (with or without BOM), then Windows-1252, then give up with a byte offset.

    UTF-16 with a BOM (Excel's "Unicode text") is read too.
    """
    for bom, codec in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(codec)
            except UnicodeDecodeError as err:
                offset = err.start + len(bom)
                raise InputError(
                    f"is not valid UTF-16: bad bytes at byte offset {offset:,}", file=source
                ) from err
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as utf8_err:
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError as cp_err:
            skip = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
            bad = utf8_err.start + skip
            undefined = cp_err.start
            raise InputError(
                f"is neither UTF-8 text ({_where(data, bad)}) nor Windows-1252 text "
                f"({_where(data, undefined)}); save it as 'CSV UTF-8'",
                file=source,
            ) from cp_err


def _where(data: bytes, offset: int) -> str:
    line = data.count(b"\n", 0, offset) + 1
    return f"byte 0x{data[offset]:02X} at byte offset {offset:,}, line {line}"


def _delimiter(text: str) -> str:
    """The Sniffer's choice when it makes sense for the header line, else a safe guess."""
    end = text.find("\n")
    header_line = text[: end if end >= 0 else len(text)]
    sample = text[:_SNIFF_CHARS]
    if len(text) > _SNIFF_CHARS and "\n" in sample:
        sample = sample[: sample.rfind("\n")]
    try:
        found = csv.Sniffer().sniff(sample, delimiters=_DELIMITERS).delimiter
    except csv.Error:
        found = ""
    if found and found in header_line:
        return found
    counts = {d: header_line.count(d) for d in _DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _resolve_columns(mapping: Mapping[str, str], headers: list[str], source: str) -> dict[str, int]:
    """Field → column index, or one InputError naming every missing column."""
    unknown = [name for name in mapping if name not in FIELDS]
    if unknown:
        raise InputError(
            f"unknown field(s) {', '.join(unknown)} in the column mapping; "
            f"the fields are {', '.join(FIELDS)}",
            file=source,
        )
    exact = {h: i for i, h in reversed(list(enumerate(headers)))}
    loose = {h.strip().casefold(): i for i, h in reversed(list(enumerate(headers)))}
    columns: dict[str, int] = {}
    not_found: list[str] = []
    for name, header in mapping.items():
        if not header:
            continue
        index = exact.get(header, loose.get(header.strip().casefold()))
        if index is None:
            not_found.append(f"'{shorten(header)}' (for {name})")
            continue
        duplicates = sum(1 for h in headers if h.strip().casefold() == headers[index].casefold())
        if duplicates > 1:
            raise InputError(
                f"the column '{shorten(headers[index])}' appears {duplicates} times in the "
                "header, so it is not clear which one to use; rename the others",
                file=source,
            )
        columns[name] = index
    missing = [name for name in REQUIRED_FIELDS if name not in columns]
    if missing or not_found:
        parts = []
        if missing:
            parts.append(f"missing required column(s) for {', '.join(missing)}")
        if not_found:
            parts.append(f"mapped column(s) not in the file: {', '.join(not_found)}")
        named = [f"'{shorten(h)}'" for h in headers if h]
        shown = ", ".join(named[:30]) or "none"
        if len(named) > 30:
            shown += f" (and {len(named) - 30} more)"
        raise InputError(f"{'; '.join(parts)}; the file's columns are {shown}", file=source)
    return columns


def parse_csv(
    data: bytes,
    source: str,
    reader: DateReader,
    mapping: Mapping[str, str] | None = None,
) -> ParseResult:
    """Parse CSV bytes into items and row problems; file-level faults raise InputError."""
    _refuse_binary(data, source)
    text = decode_text(data, source)
    if not text.strip():
        raise InputError("the file is empty", file=source)
    # One stray NUL is a bad cell (its row is rejected); several at the start is not text.
    if text.count("\x00", 0, 4096) >= 4:
        raise InputError(
            "contains NUL characters near the start: it looks like a binary file, not CSV text",
            file=source,
        )
    csv.field_size_limit(max(csv.field_size_limit(), _FIELD_LIMIT))
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    row_no = 1
    try:
        headers = [h.strip() for h in next(rows)]
        columns = _resolve_columns(
            mapping if mapping is not None else suggest_mapping(headers), headers, source
        )
        labels = {name: headers[index] for name, index in columns.items()}
        width = len(headers)
        # At least the three required fields, so itemgetter always returns a tuple.
        names, pick = list(columns), operator.itemgetter(*columns.values())
        builder = ResultBuilder("csv", source, reader, "comment")
        seen_rows = False
        for values in rows:
            row_no += 1
            if not "".join(values).strip():
                continue
            seen_rows = True
            if len(values) > width and any(v.strip() for v in values[width:]):
                builder.reject(
                    row_no,
                    None,
                    f"the row has {len(values)} values but the header has {width} columns "
                    "(a missing quote or an extra delimiter?)",
                    _raw(headers, values),
                )
                continue
            if len(values) >= width:
                fields = dict(zip(names, pick(values), strict=True))
            else:
                count = len(values)
                fields = {name: values[i] if i < count else None for name, i in columns.items()}
            if builder.add(row_no, fields, labels) is None:
                builder.keep_raw(row_no, _raw(headers, values))
    except csv.Error as err:
        raise InputError(f"cannot be read as CSV ({err})", file=source, row=row_no) from err
    if not seen_rows:
        raise InputError("no rows after the header", file=source)
    return builder.finish()


def _raw(headers: list[str], values: list[str]) -> dict[str, str]:
    raw = {h or f"column {i + 1}": v for i, (h, v) in enumerate(zip(headers, values, strict=False))}
    if len(values) > len(headers):
        raw["extra values"] = " | ".join(values[len(headers) :])
    return raw
