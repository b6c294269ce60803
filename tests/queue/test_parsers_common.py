"""Format detection, file errors, the reject policy and the rejects file."""

from __future__ import annotations

import codecs
import csv
import dataclasses
import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from smmod.errors import ImportRejected, InputError
from smmod.queue.parsers import (
    ParsedItem,
    content_hash,
    detect_format,
    parse_bytes,
    parse_file,
    rejects_path,
    write_rejects,
)

DATA = Path(__file__).parent / "data"
NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
MIXED_CSV = (
    "Name,Comment,Date\n"
    "Ann,Fine,20/11/2026 12:00\n"
    "Bob,Impossible date,31/02/2026 10:00\n"
    'Cy,"Two, problems",\n'
    "Di,Also fine,20/11/2026 12:05\n"
)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("facebook_comments.csv", "csv"),
        ("instagram_comments.json", "graph-json"),
        ("facebook_comments.json", "graph-json"),
        ("alerts_rss.xml", "feed"),
        ("alerts_atom.xml", "feed"),
    ],
)
def test_detect_format_of_the_samples(name: str, expected: str) -> None:
    assert detect_format(DATA / name) == expected


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b'  \n[{"id": "1"}]', "graph-json"),
        (codecs.BOM_UTF8 + b'{"data": []}', "graph-json"),
        (codecs.BOM_UTF16_LE + '<?xml version="1.0"?><feed/>'.encode("utf-16-le"), "feed"),
        (b"\n\n<rss/>", "feed"),
        (b"Name,Comment,Date\n", "csv"),
    ],
)
def test_detect_format_sniffs_content_not_extension(tmp_path: Path, content: bytes, expected: str) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes(content)
    assert detect_format(path) == expected


def test_detect_format_of_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.json"
    path.write_bytes(b" \n")
    with pytest.raises(InputError, match=r"^empty\.json: the file is empty$"):
        detect_format(path)


def test_json_with_a_csv_extension_is_read_as_json(tmp_path: Path) -> None:
    path = tmp_path / "comments.csv"
    path.write_bytes((DATA / "instagram_comments.json").read_bytes())
    assert parse_file(path, now=NOW).format == "graph-json"


def test_forced_format_is_used(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="is not valid JSON"):
        parse_file(DATA / "facebook_comments.csv", fmt="graph-json", now=NOW)
    with pytest.raises(InputError, match="is not XML"):
        parse_file(DATA / "facebook_comments.csv", fmt="feed", now=NOW)


def test_unknown_format_is_refused() -> None:
    with pytest.raises(InputError, match="unknown format 'xlsx'"):
        parse_file(DATA / "facebook_comments.csv", fmt="xlsx", now=NOW)


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="the file does not exist"):
        parse_file(tmp_path / "nope.csv", now=NOW)
    with pytest.raises(InputError, match="is a folder, not a file"):
        parse_file(tmp_path, now=NOW)


def test_parse_bytes_names_the_source() -> None:
    with pytest.raises(InputError, match=r"^pasted text: the file is empty$"):
        parse_bytes(b"", "pasted text", now=NOW)


def test_raise_for_problems_refuses_the_whole_file(tmp_path: Path) -> None:
    path = tmp_path / "comments.csv"
    path.write_text(MIXED_CSV, encoding="utf-8")
    result = parse_file(path, now=NOW)
    with pytest.raises(ImportRejected) as caught:
        result.raise_for_problems()
    assert caught.value.file == "comments.csv"
    assert caught.value.valid_rows == 2
    assert [p.row for p in caught.value.problems] == [3, 4]
    assert str(caught.value).startswith("comments.csv: 2 bad rows, nothing imported: row 3")


def test_clean_result_does_not_raise() -> None:
    sample = DATA / "facebook_comments.csv"
    with sample.open(encoding="utf-8-sig", newline="") as handle:
        comments = [row for row in csv.DictReader(handle) if any(row.values())]
    assert len(comments) == 5  # the sample's last line is an empty row, which is skipped
    result = parse_file(sample, now=NOW)
    assert result.problems == []
    assert result.rejects() == []
    assert [item.platform_item_id for item in result.items] == [row["Comment ID"] for row in comments]
    items = list(result.items)

    assert result.raise_for_problems() is None
    assert result.items == items  # the policy only judges; nothing is dropped or changed
    assert result.problems == []
    # The same file with one bad row added is refused, so the check above was a real one.
    broken = sample.read_text(encoding="utf-8-sig") + "1043_2299,,Zed,1,31/02/2026 10:00,0,Hi,\n"
    with pytest.raises(ImportRejected):
        parse_bytes(broken.encode("utf-8"), sample.name, now=NOW).raise_for_problems()


def test_rejects_file_keeps_the_original_columns_and_the_reason(tmp_path: Path) -> None:
    path = tmp_path / "comments.csv"
    path.write_text(MIXED_CSV, encoding="utf-8")
    result = parse_file(path, now=NOW)
    written = write_rejects(path, result.rejects())
    assert written == tmp_path / "comments.rejects.csv" == rejects_path(path)
    assert written.read_bytes().startswith(codecs.BOM_UTF8)
    with written.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == ["Name", "Comment", "Date", "row", "reason"]
    assert [(r["Name"], r["row"]) for r in rows] == [("Bob", "3"), ("Cy", "4")]
    assert rows[0]["reason"].startswith("Date: '31/02/2026 10:00' is not a real date")
    assert rows[1]["reason"] == "Date: received_at is empty"
    assert rows[1]["Comment"] == "Two, problems"


def test_fixed_rejects_file_imports_again(tmp_path: Path) -> None:
    path = tmp_path / "comments.csv"
    path.write_text(MIXED_CSV, encoding="utf-8")
    rejects = write_rejects(path, parse_file(path, now=NOW).rejects())
    fixed = rejects.read_text(encoding="utf-8-sig").replace("31/02/2026", "28/02/2026")
    fixed = fixed.replace('"Two, problems",,', '"Two, problems",21/11/2026 09:00,')
    rejects.write_text(fixed, encoding="utf-8-sig")
    again = parse_file(rejects, now=NOW)
    assert again.problems == []
    assert [i.author_name for i in again.items] == ["Bob", "Cy"]


def test_rejects_from_json_keep_the_raw_record(tmp_path: Path) -> None:
    path = tmp_path / "comments.json"
    bad = {"id": "c9", "message": "no date", "from": {"name": "Bo"}}
    path.write_text(json.dumps([bad]), encoding="utf-8")
    written = write_rejects(path, parse_file(path, now=NOW).rejects())
    assert written.name == "comments.rejects.csv"
    with written.open(encoding="utf-8-sig", newline="") as handle:
        (row,) = list(csv.DictReader(handle))
    assert json.loads(row["raw"]) == bad
    assert row["row"] == "1"
    assert row["reason"] == "created_time: received_at is empty"


def test_rejects_file_that_cannot_be_written(tmp_path: Path) -> None:
    path = tmp_path / "gone" / "comments.csv"
    with pytest.raises(InputError, match="the rejected rows could not be saved"):
        write_rejects(path, [])
    assert not (tmp_path / "gone").exists()


def test_content_hash_ignores_case_and_spacing_but_not_time() -> None:
    when = datetime(2026, 11, 20, 9, 15, tzinfo=UTC)
    base = content_hash("Sarah Whitfield", "Is the fair on?", when)
    assert content_hash("  sarah  WHITFIELD", "Is the\n fair on? ", when) == base
    for zone in (ZoneInfo("Europe/London"), ZoneInfo("Pacific/Auckland"), timezone(timedelta(hours=-5))):
        assert content_hash("Sarah Whitfield", "Is the fair on?", when.astimezone(zone)) == base
    assert content_hash("Sarah Whitfield", "Is the fair on?", when + timedelta(seconds=1)) != base
    assert content_hash("Sarah Whitfield", "Is the fete on?", when) != base
    # NFC and NFD spellings of "Siân" are the same person.
    assert content_hash("Sia\u0302n", "Hi", when) == content_hash("Si\u00e2n", "Hi", when)


def test_parsed_items_are_frozen() -> None:
    item = parse_file(DATA / "facebook_comments.csv", now=NOW).items[0]
    assert isinstance(item, ParsedItem)
    with pytest.raises(dataclasses.FrozenInstanceError):
        item.text = "changed"  # type: ignore[misc]
