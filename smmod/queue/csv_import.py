"""CSV exports (Facebook tools, Excel, other moderation tools) into queue items.

The bytes become text in ``smmod.csvtext`` (the decoder every import shares). Here
columns with names of their own are matched to smmod's fields, and each row is
validated; rows are reported by the number a spreadsheet shows (the header is row 1).
``csv_items`` works row by row, so an import can stream a file of any length.
"""

from __future__ import annotations

import csv
import operator
import re
from collections.abc import Iterator, Mapping, Sequence

from smmod import csvtext
from smmod.errors import InputError
from smmod.queue.dates import DateReader, shorten
from smmod.queue.parsers import FIELDS, REQUIRED_FIELDS, ParsedItem, ParseResult, ResultBuilder
from smmod.wording import noun

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


def _resolve_columns(mapping: Mapping[str, str], headers: list[str], source: str) -> dict[str, int]:
    """Field → column index, or one InputError naming every missing column."""
    unknown = [name for name in mapping if name not in FIELDS]
    if unknown:
        raise InputError(
            f"unknown {noun(len(unknown), 'field')} {', '.join(unknown)} in the column mapping; "
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
            parts.append(f"missing required {noun(len(missing), 'column')} for {', '.join(missing)}")
        if not_found:
            parts.append(f"mapped {noun(len(not_found), 'column')} not in the file: {', '.join(not_found)}")
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
    text, _ = csvtext.decode(data, source)
    if not text.strip():
        raise InputError("the file is empty", file=source)
    builder = ResultBuilder("csv", source, reader, "comment")
    for _item in csv_items(csvtext.reader(text), source, builder, mapping):
        pass  # the builder keeps them
    return builder.finish()


def csv_items(
    rows: Iterator[list[str]],
    source: str,
    builder: ResultBuilder,
    mapping: Mapping[str, str] | None = None,
) -> Iterator[ParsedItem]:
    """Validate CSV rows one by one: yield each good item; the builder hears of bad rows.

    The header and the column mapping are checked before the first item (a file-level
    fault raises InputError before anything is yielded).
    """
    row_no = 1
    try:
        try:
            headers = [h.strip() for h in next(rows)]
        except StopIteration:
            raise InputError("the file is empty", file=source) from None
        columns = _resolve_columns(
            mapping if mapping is not None else suggest_mapping(headers), headers, source
        )
        labels = {name: headers[index] for name, index in columns.items()}
        width = len(headers)
        # At least the three required fields, so itemgetter always returns a tuple.
        names, pick = list(columns), operator.itemgetter(*columns.values())
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
            item = builder.add(row_no, fields, labels)
            if item is None:
                builder.keep_raw(row_no, _raw(headers, values))
            else:
                yield item
    except csv.Error as err:
        raise InputError(f"cannot be read as CSV ({err})", file=source, row=row_no) from err
    except UnicodeDecodeError as err:  # the file changed since its encoding was checked
        raise InputError(f"cannot be read as text any more ({err.reason})", file=source,
                         row=row_no) from err
    if not seen_rows:
        raise InputError("no rows after the header", file=source)


def _raw(headers: list[str], values: list[str]) -> dict[str, str]:
    raw = {h or f"column {i + 1}": v for i, (h, v) in enumerate(zip(headers, values, strict=False))}
    if len(values) > len(headers):
        raw["extra values"] = " | ".join(values[len(headers) :])
    return raw
