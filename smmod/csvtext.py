"""CSV text as spreadsheets and school systems save it: the one decoder of every import.

Spreadsheets save CSV as UTF-8 (with or without a BOM), as Windows-1252, or as
"Unicode text" (UTF-16 with a BOM), separated by commas, semicolons, tabs or bars.
The staff and account registers and the queue's comment exports all read their files
here, so every import accepts the same files and refuses the same ones with the same
words: a workbook or another binary file, or bytes that are no text encoding (named by
byte offset and line).

Large files are read as a stream: one pass over the bytes finds the encoding (cheap),
then the rows come from an open text file, so a file of a million rows never sits in
memory whole.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from smmod.errors import InputError

DELIMITERS = ",;\t|"
_CHUNK = 1 << 20
_SNIFF_CHARS = 16_384
_NUL_WINDOW = 4096
_WORKBOOK_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")  # .xlsx/.ods (zip), .xls (OLE)
_UTF16_BOMS = ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
# The five bytes Windows-1252 leaves undefined: every other byte is some character.
_NOT_CP1252 = re.compile(b"[\x81\x8d\x8f\x90\x9d]")
# The csv module refuses fields over 128 KiB by default. A huge field should reject its
# row with a clear reason rather than fail the whole file, so the limit is raised
# (process-wide: the csv module has no per-reader limit).
_FIELD_LIMIT = min(sys.maxsize, 2**31 - 1)


@dataclass(frozen=True)
class Encoding:
    """How a file's bytes are text: ``name`` for people, ``codec`` for ``open()``."""

    name: str  # "utf-8", "cp1252" or "utf-16"
    codec: str  # "utf-8-sig", "cp1252", "utf-16" (the last two also consume a BOM)


UTF8 = Encoding("utf-8", "utf-8-sig")
CP1252 = Encoding("cp1252", "cp1252")
UTF16 = Encoding("utf-16", "utf-16")


def _where(offset: int, byte: int, line: int) -> str:
    return f"byte 0x{byte:02X} at byte offset {offset:,}, line {line}"


def _refuse_binary(head: bytes, source: str) -> None:
    """Spreadsheets are the usual wrong pick: say so rather than show garbled headers.

    One stray NUL is a bad cell (its row is refused); several near the start mean the
    file is no text. In UTF-16 text NUL bytes are normal, so its characters are counted.
    """
    codec = _utf16(head)
    if codec is None:
        nul, nuls = head.find(b"\x00"), head.count(b"\x00", 0, _NUL_WINDOW)
    else:
        start = head[2 : 2 + 2 * _NUL_WINDOW].decode(codec, errors="replace")
        nul, nuls = -1, start.count("\x00")
    at = f" (NUL byte at offset {nul})" if nul >= 0 else ""
    if head.startswith(_WORKBOOK_MAGIC):
        raise InputError(
            f"is a spreadsheet workbook (or another binary file), not a CSV text file{at}: "
            "save it from the spreadsheet as 'CSV UTF-8' first",
            file=source,
        )
    if nuls >= 4:
        raise InputError(
            f"contains NUL characters near the start{at}: it looks like a binary file, "
            "not a CSV text file (or UTF-16 text without its byte order mark); save it "
            "as 'CSV UTF-8' and try again",
            file=source,
        )


def _utf16(head: bytes) -> str | None:
    for bom, codec in _UTF16_BOMS:
        if head.startswith(bom):
            return codec
    return None


def _neither(source: str, utf8_at: str, cp1252_at: str | None) -> InputError:
    where = utf8_at if cp1252_at in (None, utf8_at) else (
        f"{utf8_at} is not UTF-8, and {cp1252_at} is not Windows-1252")
    return InputError(
        f"is neither UTF-8 nor Windows-1252 text ({where}); save it as 'CSV UTF-8' "
        "and try again",
        file=source,
    )


def decode(data: bytes, source: str) -> tuple[str, Encoding]:
    """Bytes already in memory as text, by the same rules as ``detect_encoding``."""
    _refuse_binary(data[:_NUL_WINDOW], source)
    codec = _utf16(data)
    if codec is not None:
        try:
            return data[2:].decode(codec), UTF16
        except UnicodeDecodeError as err:
            raise InputError(
                f"is not valid UTF-16: bad bytes at byte offset {err.start + 2:,}", file=source
            ) from err
    try:
        return data.decode("utf-8-sig"), UTF8
    except UnicodeDecodeError as utf8_err:
        skip = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
        bad = utf8_err.start + skip
        utf8_at = _where(bad, data[bad], data.count(b"\n", 0, bad) + 1)
    found = _NOT_CP1252.search(data)
    if found is None:
        return data.decode("cp1252"), CP1252
    undefined = found.start()
    raise _neither(source, utf8_at, _where(undefined, data[undefined], data.count(b"\n", 0, undefined) + 1))


def detect_encoding(path: Path, source: str) -> Encoding:
    """The encoding of a file, found in one streaming pass (the file is not kept)."""
    with _open_bytes(path, source) as stream:
        head = stream.read(max(_CHUNK, 2 * _NUL_WINDOW + 2))
        _refuse_binary(head, source)
        codec = _utf16(head)
        if codec is not None:
            _check_stream(stream, head, codec, 2, source)
            return UTF16
        skip = len(codecs.BOM_UTF8) if head.startswith(codecs.BOM_UTF8) else 0
        bad = _first_bad_utf8(stream, head, skip)
        if bad is None:
            return UTF8
        undefined = _first_match(stream, _NOT_CP1252)
        if undefined is None:
            return CP1252
        raise _neither(source, _describe_byte(stream, bad), _describe_byte(stream, undefined))


@contextmanager
def _open_bytes(path: Path, source: str) -> Iterator[io.BufferedReader]:
    try:
        handle = path.open("rb")
    except FileNotFoundError as err:
        raise InputError("the file does not exist", file=source) from err
    except IsADirectoryError as err:
        raise InputError("is a folder, not a file", file=source) from err
    except PermissionError as err:
        raise InputError("cannot be read: permission denied", file=source) from err
    except OSError as err:
        raise InputError(f"cannot be read: {err.strerror or err}", file=source) from err
    with handle:
        yield handle


def _check_stream(stream: io.BufferedReader, head: bytes, codec: str, skip: int, source: str) -> None:
    decoder = codecs.getincrementaldecoder(codec)()
    position, chunk = skip, head[skip:]
    while True:
        pending = len(decoder.getstate()[0])
        try:
            decoder.decode(chunk, final=not chunk)
        except UnicodeDecodeError as err:
            offset = position - pending + err.start
            raise InputError(f"is not valid UTF-16: bad bytes at byte offset {offset:,}",
                             file=source) from err
        if not chunk:
            return
        position += len(chunk)
        chunk = stream.read(_CHUNK)


def _first_bad_utf8(stream: io.BufferedReader, head: bytes, skip: int) -> int | None:
    decoder = codecs.getincrementaldecoder("utf-8")()
    position, chunk = skip, head[skip:]
    while True:
        pending = len(decoder.getstate()[0])
        try:
            decoder.decode(chunk, final=not chunk)
        except UnicodeDecodeError as err:
            return position - pending + err.start
        if not chunk:
            return None
        position += len(chunk)
        chunk = stream.read(_CHUNK)


def _first_match(stream: io.BufferedReader, pattern: re.Pattern[bytes]) -> int | None:
    stream.seek(0)
    position = 0
    while chunk := stream.read(_CHUNK):
        found = pattern.search(chunk)
        if found is not None:
            return position + found.start()
        position += len(chunk)
    return None


def _describe_byte(stream: io.BufferedReader, offset: int) -> str:
    stream.seek(0)
    lines, position = 1, 0
    while position < offset:
        chunk = stream.read(min(_CHUNK, offset - position))
        if not chunk:
            break
        lines += chunk.count(b"\n")
        position += len(chunk)
    stream.seek(offset)
    return _where(offset, stream.read(1)[0], lines)


def sniff_delimiter(text: str) -> str:
    """The Sniffer's choice when it makes sense for the header line, else a safe guess."""
    end = text.find("\n")
    header_line = text[: end if end >= 0 else len(text)]
    sample = text[:_SNIFF_CHARS]
    if len(text) > _SNIFF_CHARS and "\n" in sample:
        sample = sample[: sample.rfind("\n")]
    try:
        found = csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        found = ""
    if found and found in header_line:
        return found
    counts = {d: header_line.count(d) for d in DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def reader(text: TextIO | str, delimiter: str | None = None) -> Iterator[list[str]]:
    """CSV rows of ``text`` (a string, or a text file opened with ``newline=""``)."""
    csv.field_size_limit(max(csv.field_size_limit(), _FIELD_LIMIT))
    if isinstance(text, str):
        return csv.reader(io.StringIO(text, newline=""), delimiter=delimiter or sniff_delimiter(text))
    if delimiter is None:
        start = text.tell()
        delimiter = sniff_delimiter(text.read(_SNIFF_CHARS))
        text.seek(start)
    return csv.reader(text, delimiter=delimiter)


@dataclass
class CsvFile:
    """An open CSV file: its encoding and an iterator of its rows."""

    encoding: Encoding
    rows: Iterator[list[str]]
    text: TextIO


@contextmanager
def open_csv(path: Path, source: str, encoding: Encoding | None = None) -> Iterator[CsvFile]:
    """Stream the rows of a CSV file; the encoding is found first unless given."""
    chosen = encoding or detect_encoding(path, source)
    try:
        handle = path.open("r", encoding=chosen.codec, newline="")
    except OSError as err:
        raise InputError(f"cannot be read: {err.strerror or err}", file=source) from err
    with handle:
        yield CsvFile(chosen, reader(handle), handle)
