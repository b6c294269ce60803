"""CSV import: encodings, delimiters, column mapping, limits and every bad file."""

from __future__ import annotations

import codecs
import csv
from datetime import UTC, datetime
from pathlib import Path

import pytest

from smmod.errors import InputError, RowProblem
from smmod.queue.csv_import import suggest_mapping
from smmod.queue.parsers import ParseResult, parse_file

DATA = Path(__file__).parent / "data"
NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
HEADER = "Name,Comment,Date\n"


def write(tmp_path: Path, content: str | bytes, name: str = "comments.csv") -> Path:
    path = tmp_path / name
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8", newline="")
    else:
        path.write_bytes(content)
    return path


def parse(path: Path, **kwargs: object) -> ParseResult:
    return parse_file(path, now=NOW, **kwargs)  # type: ignore[arg-type]


def test_facebook_export_parses_every_row() -> None:
    result = parse(DATA / "facebook_comments.csv")
    assert result.problems == []
    assert result.format == "csv"
    assert result.source == "facebook_comments.csv"
    assert result.assumed_local_time is True
    assert [i.row for i in result.items] == [2, 3, 4, 5, 6]
    first, reply, multiline, quoted, second_reply = result.items
    assert first.platform_item_id == "1043_2201"
    assert first.parent_platform_id is None
    assert first.kind == "comment"
    assert first.author_name == "Sarah Whitfield"
    assert first.author_kind == "unknown"
    assert first.received_at == datetime(2026, 11, 20, 9, 15, tzinfo=UTC)
    assert first.url == "https://www.facebook.com/brookfieldprimary/posts/1043?comment_id=2201"
    assert reply.kind == "reply"
    assert reply.parent_platform_id == "1043_2201"
    assert second_reply.parent_platform_id == "1043_2203"
    assert multiline.text == (
        "The car park was chaos again this morning.\n"
        "Someone is going to get hurt, can we have a one-way system?"
    )
    assert multiline.received_at == datetime(2026, 11, 20, 10, 3, 27, tzinfo=UTC)
    assert quoted.text.endswith('🍎🥕 — well done everyone, "proper" team effort')
    assert all(len(i.content_hash) == 64 for i in result.items)
    assert len({i.content_hash for i in result.items}) == 5


def test_suggest_mapping_reads_the_facebook_headers() -> None:
    headers = ["Comment ID", "Parent Comment ID", "Name", "Profile ID", "Date", "Likes",
               "Comment", "Comment URL"]  # fmt: skip
    assert suggest_mapping(headers) == {
        "id": "Comment ID",
        "parent_id": "Parent Comment ID",
        "author_name": "Name",
        "text": "Comment",
        "received_at": "Date",
        "url": "Comment URL",
    }


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        (
            ["from", "message", "created_time"],
            {"author_name": "from", "text": "message", "received_at": "created_time"},
        ),
        (
            ["User", "Body", "Timestamp"],
            {"author_name": "User", "text": "Body", "received_at": "Timestamp"},
        ),
        (
            ["username", "comment", "Date (GMT)"],
            {
                "author_name": "username",
                "author_handle": "username",
                "text": "comment",
                "received_at": "Date (GMT)",
            },
        ),
        (
            ["Comment ID", "Body text", "Author", "Posted at"],
            {
                "id": "Comment ID",
                "author_name": "Author",
                "text": "Body text",
                "received_at": "Posted at",
            },
        ),
        (["Likes", "Shares"], {}),
    ],
)
def test_suggest_mapping_guesses_common_names(headers: list[str], expected: dict[str, str]) -> None:
    assert suggest_mapping(headers) == expected


def test_explicit_mapping_with_author_kind_and_kind(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "Who,Relationship to school,What,When,Type\n"
        "Ann Lee,Parent,Lunch menu?,20/11/2026 12:00,dm\n"
        "Mr Shah,teacher,Trip reminder,20/11/2026 12:30,\n"
        "Bob,uncle,Hello,20/11/2026 13:00,comment\n"
        "Cy,pupil,Hi,20/11/2026 13:10,banana\n",
    )
    mapping = {
        "author_name": "Who",
        "author_kind": "Relationship to school",
        "text": "What",
        "received_at": "When",
        "kind": "Type",
    }
    result = parse(path, mapping=mapping)
    assert [(i.author_kind, i.kind) for i in result.items] == [
        ("parent", "message"),
        ("staff", "comment"),
    ]
    assert result.problems == [
        RowProblem(
            4,
            "Relationship to school",
            "'uncle' is not a known author_kind; use one of parent, public, staff, student, "
            "unknown",
        ),
        RowProblem(
            5, "Type", "'banana' is not a known kind; use one of comment, mention, message, "
            "reply, review",
        ),
    ]  # fmt: skip
    assert result.rejected_raw[4]["Who"] == "Bob"  # type: ignore[index]


def test_mapping_matches_headers_ignoring_case_and_spaces(tmp_path: Path) -> None:
    path = write(tmp_path, " Name , Comment ,Date\nAnn,Hi,20/11/2026 12:00\n")
    mapping = {"author_name": "name", "text": "COMMENT", "received_at": "date"}
    assert parse(path, mapping=mapping).items[0].text == "Hi"


@pytest.mark.parametrize("content", [b"", b"   \r\n\r\n", codecs.BOM_UTF8, codecs.BOM_UTF8 + b"\n"])
def test_empty_file_is_refused(tmp_path: Path, content: bytes) -> None:
    path = write(tmp_path, content)
    with pytest.raises(InputError) as caught:
        parse(path)
    assert caught.value.reason == "the file is empty"
    assert caught.value.file == "comments.csv"
    assert str(caught.value) == "comments.csv: the file is empty"


@pytest.mark.parametrize("content", [HEADER, HEADER.strip(), HEADER + "\n\n,,\n  ,  ,\n"])
def test_header_only_is_refused(tmp_path: Path, content: str) -> None:
    with pytest.raises(InputError, match=r"^comments\.csv: no rows after the header$"):
        parse(write(tmp_path, content))


def test_missing_required_columns_lists_fields_and_headers(tmp_path: Path) -> None:
    path = write(tmp_path, "Name,Likes\nAnn,3\n")
    with pytest.raises(InputError) as caught:
        parse(path)
    assert caught.value.file == "comments.csv"
    assert caught.value.reason == (
        "missing required columns for text, received_at; the file's columns are 'Name', 'Likes'"
    )


def test_mapping_to_a_column_that_is_not_there(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + "Ann,Hi,20/11/2026 12:00\n")
    mapping = {"author_name": "Name", "text": "Message", "received_at": "Date", "url": "Link"}
    with pytest.raises(InputError) as caught:
        parse(path, mapping=mapping)
    assert "missing required column for text" in caught.value.reason
    assert "mapped columns not in the file: 'Message' (for text), 'Link' (for url)" in (caught.value.reason)
    assert "the file's columns are 'Name', 'Comment', 'Date'" in caught.value.reason


def test_unknown_field_in_mapping_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + "Ann,Hi,20/11/2026 12:00\n")
    with pytest.raises(InputError, match=r"unknown field.*colour"):
        parse(path, mapping={"colour": "Name", "text": "Comment"})


def test_duplicated_mapped_column_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "Name,Comment,Date,date\nAnn,Hi,20/11/2026 12:00,x\n")
    with pytest.raises(InputError, match="'Date' appears 2 times"):
        parse(path)


def test_ten_megabyte_field_rejects_its_row_only(tmp_path: Path) -> None:
    huge = "x" * 10_000_000
    path = write(
        tmp_path,
        HEADER + "Ann,Hello,20/11/2026 12:00\n" + f'Bob,"{huge}",20/11/2026 12:05\nCy,Bye,20/11/2026 12:10\n',
    )
    result = parse(path)
    assert [i.author_name for i in result.items] == ["Ann", "Cy"]
    assert result.problems == [
        RowProblem(3, "Comment", "text is 10,000,000 characters; the limit is 100,000")
    ]
    assert len(result.rejected_raw[3]["Comment"]) == 10_000_000  # type: ignore[index]


def test_text_at_the_limit_is_accepted(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + f"Ann,{'y' * 100_000},20/11/2026 12:00\n")
    assert len(parse(path).items[0].text) == 100_000


def test_bytes_that_are_neither_utf8_nor_cp1252(tmp_path: Path) -> None:
    content = HEADER.encode() + b"Ann,caf\x81 \x8d\x8f\x90\x9d,20/11/2026 12:00\n"
    path = write(tmp_path, content)
    with pytest.raises(InputError) as caught:
        parse(path)
    offset = content.index(b"\x81")
    assert caught.value.file == "comments.csv"
    assert f"byte 0x81 at byte offset {offset}, line 2" in caught.value.reason
    assert "neither UTF-8" in caught.value.reason
    assert "Windows-1252" in caught.value.reason


def test_offset_counts_the_bom(tmp_path: Path) -> None:
    content = codecs.BOM_UTF8 + HEADER.encode() + b"Ann,\x81,20/11/2026 12:00\n"
    with pytest.raises(InputError) as caught:
        parse(write(tmp_path, content))
    offset = content.index(b"\x81")
    assert f"byte offset {offset}," in caught.value.reason


def test_cp1252_file_with_pound_and_smart_quotes(tmp_path: Path) -> None:
    text = "Name,Comment,Date\nZoë Brontë,“Great” trip – £5 each, wasn’t it?,20/11/2026 12:00\n"
    text = text.replace("“Great” trip – £5 each, wasn’t it?", '"“Great” trip – £5 each, wasn’t it?"')
    content = text.encode("cp1252")
    with pytest.raises(UnicodeDecodeError):
        content.decode("utf-8")
    item = parse(write(tmp_path, content)).items[0]
    assert item.text == "“Great” trip – £5 each, wasn’t it?"
    assert item.author_name == "Zoë Brontë"


def test_utf8_bom_file(tmp_path: Path) -> None:
    content = codecs.BOM_UTF8 + (HEADER + "Siân,Diolch! £10 raised,20/11/2026 12:00\n").encode()
    result = parse(write(tmp_path, content))
    assert result.items[0].author_name == "Siân"
    assert result.items[0].text == "Diolch! £10 raised"


def test_utf16_tab_separated_excel_export(tmp_path: Path) -> None:
    text = "Name\tComment\tDate\r\nAnn\tHi, all\t20/11/2026 12:00\r\n"
    content = codecs.BOM_UTF16_LE + text.encode("utf-16-le")
    item = parse(write(tmp_path, content)).items[0]
    assert (item.author_name, item.text) == ("Ann", "Hi, all")


@pytest.mark.parametrize("delimiter", [";", "\t", "|"])
def test_delimiter_is_sniffed(tmp_path: Path, delimiter: str) -> None:
    rows = [["Name", "Comment", "Date"], ["Ann", "Hi, there; all", "20/11/2026 12:00"],
            ["Bob", "Ok", "20/11/2026 12:01"]]  # fmt: skip
    path = tmp_path / "comments.csv"
    with path.open("w", newline="", encoding="utf-8") as out:
        csv.writer(out, delimiter=delimiter).writerows(rows)
    result = parse(path)
    assert result.problems == []
    assert [i.text for i in result.items] == ["Hi, there; all", "Ok"]


def test_bad_dates_are_row_problems_naming_the_column(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        HEADER + "Ann,Fine,20/11/2026 12:00\n"
        "Bob,Impossible,31/02/2026 10:00\n"
        "Cy,Far future,01/01/2099 10:00\n"
        "Di,Too old,31/12/1999 10:00\n"
        "Ed,Words,next Tuesday\n"
        "Fay,No date,\n",
    )
    result = parse(path)
    assert [i.author_name for i in result.items] == ["Ann"]
    assert [(p.row, p.field) for p in result.problems] == [(r, "Date") for r in range(3, 8)]
    reasons = [p.reason for p in result.problems]
    assert reasons[0].startswith("'31/02/2026 10:00' is not a real date or time")
    assert reasons[1] == "'01/01/2099 10:00' is more than a day in the future"
    assert reasons[2] == "'31/12/1999 10:00' is before 2000"
    assert reasons[3].startswith("'next Tuesday' is not a date smmod understands")
    assert reasons[4] == "received_at is empty"
    assert sorted(result.rejected_raw) == [3, 4, 5, 6, 7]
    assert result.rejected_raw[3] == {"Name": "Bob", "Comment": "Impossible", "Date": "31/02/2026 10:00"}


def test_every_problem_of_a_row_is_reported(tmp_path: Path) -> None:
    path = write(tmp_path, "Name,Comment,Date,Link\n ,  ,31/02/2026,ftp://x\n")
    problems = parse(path).problems
    assert [(p.row, p.field) for p in problems] == [
        (2, "Comment"),
        (2, "Name"),
        (2, "Date"),
        (2, "Link"),
    ]
    assert problems[3].reason == "is not a web address (http or https)"


def test_row_with_extra_values_is_rejected(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + "Ann,Hi,there,20/11/2026 12:00\nBob,Ok,20/11/2026 12:00,\n")
    result = parse(path)
    assert [i.author_name for i in result.items] == ["Bob"]
    assert result.problems[0].row == 2
    assert "4 values but the header has 3 columns" in result.problems[0].reason
    assert result.rejected_raw[2]["extra values"] == "20/11/2026 12:00"  # type: ignore[index]


def test_short_row_misses_required_values(tmp_path: Path) -> None:
    result = parse(write(tmp_path, HEADER + "Ann,Hi\n"))
    assert result.problems == [RowProblem(2, "Date", "received_at is empty")]


def test_nul_in_a_cell_rejects_the_row(tmp_path: Path) -> None:
    result = parse(write(tmp_path, HEADER + "Ann,Hi\x00there,20/11/2026 12:00\n"))
    assert result.problems == [RowProblem(2, "Comment", "text contains a NUL character")]


def test_binary_file_is_refused(tmp_path: Path) -> None:
    # The start of a PNG: every byte decodes as Windows-1252, but NULs betray it.
    content = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10"
    with pytest.raises(InputError, match="looks like a binary file"):
        parse(write(tmp_path, content, "photo.csv"), fmt="csv")


@pytest.mark.parametrize("magic", [b"PK\x03\x04\x14\x00\x06\x00", b"\xd0\xcf\x11\xe0\xa1\xb1"])
def test_spreadsheet_workbook_is_refused_with_advice(tmp_path: Path, magic: bytes) -> None:
    with pytest.raises(InputError, match="save it from the spreadsheet as 'CSV UTF-8'"):
        parse(write(tmp_path, magic + b"rest of workbook", "comments.xlsx"))


def test_time_zone_parameter_applies_to_local_dates(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + "Ann,Hi,20/07/2026 14:05\n")
    assert parse(path).items[0].received_at == datetime(2026, 7, 20, 13, 5, tzinfo=UTC)
    assert parse(path, tz="America/New_York").items[0].received_at == datetime(2026, 7, 20, 18, 5, tzinfo=UTC)
    with pytest.raises(InputError, match="unknown time zone"):
        parse(path, tz="Mars/Olympus")


def test_zone_aware_dates_do_not_set_assumed_local(tmp_path: Path) -> None:
    result = parse(write(tmp_path, HEADER + "Ann,Hi,2026-11-20T12:00:00Z\n"))
    assert result.assumed_local_time is False


def test_row_numbers_count_records_not_lines(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + 'Ann,"line one\nline two\nline three",20/11/2026 12:00\n'
                 "Bob,,20/11/2026 12:00\n")  # fmt: skip
    result = parse(path)
    assert result.items[0].row == 2
    assert result.problems == [RowProblem(3, "Comment", "text is empty")]
