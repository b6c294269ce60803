"""The one CSV decoder: the encoding found in a streaming pass agrees with decoding the
whole file at once, wherever in the file the telling byte is."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from smmod import csvtext
from smmod.errors import InputError

SAMPLES = {
    "utf-8": "Name,Comment\nZoë,Café £2 – “quoted”\n".encode(),
    "utf-8 with BOM": codecs.BOM_UTF8 + "Name;Comment\nSiân;naïve\n".encode(),
    "cp1252": "Name,Comment\nZoë,£2.50 – why?\n".encode("cp1252"),
    "utf-16": codecs.BOM_UTF16_LE + "Name\tComment\r\nZoë\t日本\r\n".encode("utf-16-le"),
    "utf-16 big-endian": codecs.BOM_UTF16_BE + "Name,Comment\nZoë,ok\n".encode("utf-16-be"),
}


@pytest.fixture(autouse=True)
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Seven-byte chunks, so every boundary case happens in a small file."""
    monkeypatch.setattr(csvtext, "_CHUNK", 7)


@pytest.mark.parametrize("name", SAMPLES)
def test_streaming_and_whole_file_agree(tmp_path: Path, name: str) -> None:
    path = tmp_path / "sample.csv"
    path.write_bytes(SAMPLES[name])
    text, encoding = csvtext.decode(SAMPLES[name], "sample.csv")
    assert csvtext.detect_encoding(path, "sample.csv") == encoding
    with csvtext.open_csv(path, "sample.csv") as opened:
        rows = list(opened.rows)
    assert rows == list(csvtext.reader(text))
    assert rows[0] == ["Name", "Comment"] and len(rows) == 2


def test_a_character_cut_by_a_chunk_boundary_is_still_utf8(tmp_path: Path) -> None:
    for pad in range(8):  # "€" is three bytes: every cut position comes up
        path = tmp_path / f"cut{pad}.csv"
        path.write_bytes(b"a" * pad + "€,€\n".encode())
        assert csvtext.detect_encoding(path, path.name) == csvtext.UTF8


def test_a_late_windows_byte_makes_the_whole_file_cp1252(tmp_path: Path) -> None:
    path = tmp_path / "late.csv"
    path.write_bytes(b"Name,Comment\n" + b"Ann,fine\n" * 50 + b"Bob,\xa3 sign\n")
    assert csvtext.detect_encoding(path, "late.csv") == csvtext.CP1252
    with csvtext.open_csv(path, "late.csv") as opened:
        assert list(opened.rows)[-1] == ["Bob", "£ sign"]


def test_no_encoding_names_the_first_bad_byte_of_each(tmp_path: Path) -> None:
    content = b"Name,Comment\n" + b"Ann,fine\n" * 20 + b"Bob,\xe9t\xe9 \x8f\n"
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with pytest.raises(InputError) as streamed:
        csvtext.detect_encoding(path, "bad.csv")
    with pytest.raises(InputError) as whole:
        csvtext.decode(content, "bad.csv")
    assert str(streamed.value) == str(whole.value)
    utf8_at, cp_at = content.index(b"\xe9"), content.index(b"\x8f")
    assert (f"byte 0xE9 at byte offset {utf8_at}, line 22 is not UTF-8, and byte 0x8F at "
            f"byte offset {cp_at}, line 22 is not Windows-1252") in str(streamed.value)


def test_broken_utf16_names_its_offset(tmp_path: Path) -> None:
    content = codecs.BOM_UTF16_LE + "Name\n".encode("utf-16-le") + b"\x00\xdc" + b"a\x00"
    path = tmp_path / "broken.txt"
    path.write_bytes(content)
    with pytest.raises(InputError, match="is not valid UTF-16: bad bytes at byte offset 12"):
        csvtext.detect_encoding(path, "broken.txt")
    with pytest.raises(InputError, match="is not valid UTF-16: bad bytes at byte offset 12"):
        csvtext.decode(content, "broken.txt")


@pytest.mark.parametrize(("content", "words"), [
    (b"PK\x03\x04\x14\x00\x06\x00rest", "spreadsheet workbook"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10", "looks like a binary file"),
    ("Name,Comment\n".encode("utf-16-le"), "UTF-16 text without its byte order mark"),
])
def test_binary_files_are_refused_in_both_ways(tmp_path: Path, content: bytes, words: str) -> None:
    path = tmp_path / "x.csv"
    path.write_bytes(content)
    with pytest.raises(InputError, match=words):
        csvtext.detect_encoding(path, "x.csv")
    with pytest.raises(InputError, match=words):
        csvtext.decode(content, "x.csv")
