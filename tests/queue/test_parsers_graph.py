"""Graph API comment JSON (Facebook and Instagram): threads, shapes and bad files."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from smmod.errors import InputError, RowProblem
from smmod.queue.graph_import import UNKNOWN_AUTHOR
from smmod.queue.parsers import ParseResult, parse_file

DATA = Path(__file__).parent / "data"
NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


def parse(path: Path) -> ParseResult:
    return parse_file(path, now=NOW)


def write_json(tmp_path: Path, doc: Any, name: str = "comments.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def comment(n: int, **extra: Any) -> dict[str, Any]:
    return {
        "id": f"c{n}",
        "message": f"comment {n}",
        "created_time": "2026-11-20T09:15:00+0000",
        "from": {"name": f"Person {n}", "id": str(1000 + n)},
        **extra,
    }


def test_instagram_comments_with_replies() -> None:
    result = parse(DATA / "instagram_comments.json")
    assert result.problems == []
    assert result.format == "graph-json"
    assert result.assumed_local_time is False
    rows = [
        (i.row, i.platform_item_id, i.parent_platform_id, i.kind, i.author_name, i.author_handle)
        for i in result.items
    ]
    assert rows == [
        (1, "17858893269000001", None, "comment", "jess.m_mum", "jess.m_mum"),
        (2, "17858893269000002", "17858893269000001", "reply", "brookfield_primary",
         "brookfield_primary"),
        (3, "17858893269000003", "17858893269000001", "reply", "dan_r_1982", "dan_r_1982"),
        (4, "17858893269000004", None, "comment", "k.hughes", "k.hughes"),
    ]  # fmt: skip
    assert result.items[0].text == "Congratulations to the netball team!! 🏆👏"
    assert result.items[1].received_at == datetime(2026, 11, 20, 10, 2, 11, tzinfo=UTC)
    assert all(i.author_kind == "unknown" for i in result.items)


def test_facebook_comments_with_nested_replies_and_hidden_author() -> None:
    result = parse(DATA / "facebook_comments.json")
    assert result.problems == []
    first, reply, anonymous = result.items
    assert (first.author_name, first.author_handle) == ("Sarah Whitfield", None)
    assert first.url == "https://www.facebook.com/brookfieldprimary/posts/1043?comment_id=2201"
    assert (reply.kind, reply.parent_platform_id) == ("reply", "1043_2201")
    assert anonymous.author_name == UNKNOWN_AUTHOR
    assert anonymous.kind == "comment"


def test_top_level_list_and_data_object_give_the_same_items(tmp_path: Path) -> None:
    comments = [comment(1), comment(2)]
    as_list = parse(write_json(tmp_path, comments, "a.json")).items
    as_data = parse(write_json(tmp_path, {"data": comments, "paging": {}}, "b.json")).items
    assert as_list == as_data
    assert [i.platform_item_id for i in as_list] == ["c1", "c2"]


def test_reply_order_is_depth_first(tmp_path: Path) -> None:
    doc = [
        comment(1, comments={"data": [comment(2, comments={"data": [comment(3)]}), comment(4)]}),
        comment(5),
    ]
    items = parse(write_json(tmp_path, doc)).items
    assert [(i.row, i.platform_item_id, i.parent_platform_id) for i in items] == [
        (1, "c1", None),
        (2, "c2", "c1"),
        (3, "c3", "c2"),
        (4, "c4", "c1"),
        (5, "c5", None),
    ]


def test_numeric_ids_and_epoch_times_are_accepted(tmp_path: Path) -> None:
    moment = datetime(2026, 11, 20, 9, 15, tzinfo=UTC)
    doc = [{"id": 123, "text": "hi", "timestamp": int(moment.timestamp()), "username": "amy"}]
    item = parse(write_json(tmp_path, doc)).items[0]
    assert (item.platform_item_id, item.received_at, item.author_name) == ("123", moment, "amy")


def test_bad_comments_are_row_problems_naming_the_key(tmp_path: Path) -> None:
    doc = [
        comment(1),
        {"id": "c2", "message": "no time", "from": {"name": "Bo"}},
        comment(3, created_time="2099-01-01T00:00:00+0000"),
        "not a comment",
        comment(5, message="x" * 100_001),
        comment(6, message={"nested": "object"}),
    ]
    result = parse(write_json(tmp_path, doc))
    assert [i.platform_item_id for i in result.items] == ["c1"]
    assert result.problems == [
        RowProblem(2, "created_time", "received_at is empty"),
        RowProblem(3, "created_time", "'2099-01-01T00:00:00+0000' is more than a day in the future"),
        RowProblem(4, None, "is not a JSON object, so not a comment"),
        RowProblem(5, "message", "text is 100,001 characters; the limit is 100,000"),
        RowProblem(6, "message", "text is empty"),
    ]
    assert json.loads(result.rejected_raw[2]) == doc[1]  # type: ignore[arg-type]
    assert result.rejected_raw[4] == '"not a comment"'


@pytest.mark.parametrize(
    ("doc", "found"),
    [
        ({"name": "Brookfield", "fan_count": 1200}, "an object with keys name, fan_count"),
        ([1, 2, 3], "a list of int values"),
        ([{"name": "x"}, {"title": "y"}], "a list of dict values"),
        ({"data": [{"name": "a page, not a comment"}]}, "a list of dict values"),
    ],
)
def test_json_that_is_not_graph_comments(tmp_path: Path, doc: Any, found: str) -> None:
    with pytest.raises(InputError) as caught:
        parse(write_json(tmp_path, doc, "page.json"))
    assert caught.value.file == "page.json"
    assert caught.value.reason.startswith("expected Graph API comments")
    assert caught.value.reason.endswith(f"found {found}")


def test_json_string_forced_as_graph_json(tmp_path: Path) -> None:
    # Auto-detection reads a file starting with a quote as CSV; forcing the format
    # must still give the Graph explanation.
    path = write_json(tmp_path, "just a string")
    with pytest.raises(InputError, match=r"expected Graph API comments.*found a single str value"):
        parse_file(path, fmt="graph-json", now=NOW)


def test_saved_graph_error_says_so(tmp_path: Path) -> None:
    doc = {"error": {"message": "Invalid OAuth access token.", "type": "OAuthException"}}
    with pytest.raises(InputError, match="holds a Graph API error, not comments: Invalid OAuth"):
        parse(write_json(tmp_path, doc))


def test_empty_data_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="contains no comments"):
        parse(write_json(tmp_path, {"data": []}))


def test_invalid_json_names_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "comments.json"
    path.write_text('[\n  {"id": "1",\n    "message": "hi" "oops"\n  }\n]\n', encoding="utf-8")
    with pytest.raises(InputError) as caught:
        parse(path)
    assert caught.value.file == "comments.json"
    assert caught.value.reason == ("is not valid JSON: Expecting ',' delimiter at line 3, column 21")


def test_json_that_is_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "comments.json"
    path.write_bytes(b'[{"id": "1", "message": "caf\xe9"}]')
    with pytest.raises(InputError, match=r"is not UTF-8 text \(byte 0xE9 at byte offset 28\)"):
        parse(path)


def test_absurdly_nested_json_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "comments.json"
    path.write_text("[" * 200_000 + "]" * 200_000, encoding="utf-8")
    with pytest.raises(InputError, match="nested too deeply"):
        parse(path)


def test_deep_reply_threads_keep_their_parents(tmp_path: Path) -> None:
    node = comment(300)
    for n in range(299, 0, -1):
        node = comment(n, comments={"data": [node]})
    items = parse(write_json(tmp_path, [node])).items
    assert len(items) == 300
    assert [i.parent_platform_id for i in items[1:]] == [f"c{n}" for n in range(1, 300)]
