"""Importing into the queue: every format, threads, duplicates, and all-or-nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from smmod import audit
from smmod.audit import AuditFilter
from smmod.clock import FrozenClock
from smmod.context import AppContext
from smmod.errors import ImportRejected, InputError, NotFound, PermissionDenied
from smmod.identity import Actor
from smmod.queue.service import QueueService
from tests.queue.test_service_fixtures import (
    Clock,
    add_account,
    copy_data,
    count,
    items,
    service,
    write_csv,
)


@pytest.fixture
def clock(clock: FrozenClock) -> Clock:
    return Clock(clock)


@pytest.fixture
def queue(ctx: AppContext, clock: Clock) -> QueueService:
    svc = service(ctx, clock)
    yield svc
    svc.close()


@pytest.fixture
def account(ctx: AppContext) -> int:
    return add_account(ctx)


# -- each format ------------------------------------------------------------------------
def test_csv_export_imports_with_threads_and_local_times(ctx, queue, account, tmp_path):
    source = copy_data("facebook_comments.csv", tmp_path)
    report = queue.import_file(ctx.actor, source, account)
    stored = items(ctx)
    assert report.imported == len(stored) > 0
    assert report.duplicates == 0 and report.rejected == ()
    assert report.format == "csv" and report.account == "facebook: brookfieldprimary"
    # "20/11/2026 09:15" has no zone: read as London time, and the report says so.
    assert report.assumed_local_time and report.timezone == "Europe/London"
    first = next(i for i in stored if i.platform_item_id == "1043_2201")
    assert first.received_at.isoformat() == "2026-11-20T09:15:00+00:00"
    reply = next(i for i in stored if i.platform_item_id == "1043_2202")
    assert reply.kind == "reply" and reply.parent_id == first.id
    assert all(i.source == "csv" and i.source_ref == "facebook_comments.csv" for i in stored)
    assert all(i.status == "new" and i.first_response_at is None for i in stored)


def test_graph_json_keeps_reply_threads(ctx, queue, account, tmp_path):
    report = queue.import_file(ctx.actor, copy_data("facebook_comments.json", tmp_path), account)
    assert report.format == "graph-json" and report.imported == 3
    stored = {i.platform_item_id: i for i in items(ctx)}
    assert stored["1043_2206"].parent_id == stored["1043_2201"].id
    detail = queue.read.detail(stored["1043_2201"].id)
    assert [r.id for r in detail.replies] == [stored["1043_2206"].id]
    assert queue.read.detail(stored["1043_2206"].id).parent.id == stored["1043_2201"].id


def test_instagram_json_imports(ctx, queue, account, tmp_path):
    report = queue.import_file(ctx.actor, copy_data("instagram_comments.json", tmp_path), account)
    assert report.imported == count(ctx) > 0
    assert any(i.author_handle for i in items(ctx))


@pytest.mark.parametrize("name", ["alerts_rss.xml", "alerts_atom.xml"])
def test_feed_files_become_mentions(ctx, queue, account, tmp_path, name):
    report = queue.import_file(ctx.actor, copy_data(name, tmp_path), account)
    assert report.format == "feed" and report.imported == count(ctx) > 0
    assert {i.kind for i in items(ctx)} == {"mention"}


def test_import_is_audited_as_one_entry(ctx, queue, account, tmp_path):
    queue.import_file(ctx.actor, copy_data("facebook_comments.csv", tmp_path), account)
    entries = audit.query(ctx.session_factory, AuditFilter(action="queue.import"))
    assert len(entries) == 1
    assert entries[0].details["imported"] == count(ctx)
    assert entries[0].subject == f"account:{account}"


# -- duplicates ---------------------------------------------------------------------------
def test_reimporting_is_harmless(ctx, queue, account, tmp_path):
    source = copy_data("facebook_comments.csv", tmp_path)
    first = queue.import_file(ctx.actor, source, account)
    again = queue.import_file(ctx.actor, source, account)
    assert again.imported == 0 and again.duplicates == first.imported
    assert count(ctx) == first.imported


def test_same_platform_id_in_another_export_is_a_duplicate(ctx, queue, account, tmp_path):
    queue.import_file(ctx.actor, copy_data("facebook_comments.csv", tmp_path), account)
    before = count(ctx)
    # The JSON export holds 1043_2201 again (same account, same id) plus two new ones.
    report = queue.import_file(ctx.actor, copy_data("facebook_comments.json", tmp_path), account)
    assert report.duplicates == 1 and report.imported == 2
    assert count(ctx) == before + 2


def test_same_id_in_another_account_is_not_a_duplicate(ctx, queue, account, tmp_path):
    other = add_account(ctx, "brookfield_pta")
    source = copy_data("facebook_comments.json", tmp_path)
    queue.import_file(ctx.actor, source, account)
    assert queue.import_file(ctx.actor, source, other).imported == 3


def test_items_without_ids_dedupe_on_content_hash(ctx, queue, account, tmp_path):
    header = ["Name", "Date", "Comment"]
    rows = [
        ["Ann Example", "2026-11-20T10:00:00Z", "When is sports day?"],
        ["Ben Example", "2026-11-20T11:00:00Z", "Thanks!"],
    ]
    first = queue.import_file(ctx.actor, write_csv(tmp_path / "a.csv", rows, header), account)
    # Case and spacing differ between exports of the same comment.
    rows2 = [
        ["ann example", "2026-11-20T10:00:00Z", "When is  sports day?"],
        ["Cat Example", "2026-11-20T11:00:00Z", "Thanks!"],
    ]
    second = queue.import_file(ctx.actor, write_csv(tmp_path / "b.csv", rows2, header), account)
    assert (first.imported, second.imported, second.duplicates) == (2, 1, 1)


def test_repeated_row_in_one_file_counts_once(ctx, queue, account, tmp_path):
    row = ["77_1", "", "Ann Example", "2026-11-20T10:00:00Z", "Hello"]
    report = queue.import_file(ctx.actor, write_csv(tmp_path / "c.csv", [row, row]), account)
    assert (report.imported, report.duplicates) == (1, 1)


def test_reply_imported_before_its_parent_is_linked_later(ctx, queue, account, tmp_path):
    reply = ["9_2", "9_1", "Ann Example", "2026-11-20T11:00:00Z", "Me too"]
    parent = ["9_1", "", "Ben Example", "2026-11-20T10:00:00Z", "Is school open?"]
    queue.import_file(ctx.actor, write_csv(tmp_path / "r.csv", [reply]), account)
    assert items(ctx)[0].parent_id is None
    queue.import_file(ctx.actor, write_csv(tmp_path / "p.csv", [parent]), account)
    stored = {i.platform_item_id: i for i in items(ctx)}
    assert stored["9_2"].parent_id == stored["9_1"].id


# -- bad input: a clear message and nothing imported ------------------------------------
def _refused(
    queue: QueueService, ctx: AppContext, account: int, path: Path, expected: str, fmt: str = "auto"
) -> InputError:
    with pytest.raises(InputError) as caught:
        queue.import_file(ctx.actor, path, account, fmt=fmt)
    assert expected in str(caught.value)
    assert count(ctx) == 0
    assert audit.query(ctx.session_factory, AuditFilter(action="queue.import")) == []
    return caught.value


def test_empty_file(ctx, queue, account, tmp_path):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    _refused(queue, ctx, account, path, "empty.csv: the file is empty")


def test_header_only(ctx, queue, account, tmp_path):
    path = write_csv(tmp_path / "header.csv", [])
    _refused(queue, ctx, account, path, "no rows after the header")


def test_missing_required_columns(ctx, queue, account, tmp_path):
    path = write_csv(tmp_path / "cols.csv", [["1", "x"]], header=["Comment ID", "Likes"])
    _refused(queue, ctx, account, path, "missing required column")


def test_ten_megabyte_field_names_row_and_field(ctx, queue, account, tmp_path):
    good = ["1_1", "", "Ann Example", "2026-11-20T10:00:00Z", "fine"]
    huge = ["1_2", "", "Ben Example", "2026-11-20T10:05:00Z", "x" * 10_000_000]
    path = write_csv(tmp_path / "huge.csv", [good, huge])
    error = _refused(queue, ctx, account, path, "row 3")
    assert isinstance(error, ImportRejected)
    assert error.problems[0].field == "Comment" and "10,000,000 characters" in str(error)


def test_invalid_utf8(ctx, queue, account, tmp_path):
    path = tmp_path / "bad.csv"
    # 0x81 and 0x8D are undefined in Windows-1252 too, so this is no text encoding.
    path.write_bytes(b"Name,Date,Comment\nAnn,2026-11-20T10:00:00Z,caf\xc3\x81\x8d\x81\n")
    _refused(queue, ctx, account, path, "neither UTF-8")


def test_json_that_is_not_the_graph_shape(ctx, queue, account, tmp_path):
    path = tmp_path / "other.json"
    path.write_text(json.dumps({"users": [{"name": "x"}]}))
    _refused(queue, ctx, account, path, "other.json: expected Graph API comments")


@pytest.mark.parametrize(
    "body, expected",
    [
        (b"this is not xml at all", "is not XML"),
        (b"<rss><channel><item><title>x</title></channel></rss>", "not well-formed"),
        (
            b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
            b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
            b"<rss><channel><item><title>&lol2;</title></item></channel></rss>",
            "entity",
        ),
    ],
)
def test_bad_feeds(ctx, queue, account, tmp_path, body, expected):
    path = tmp_path / "feed.xml"
    path.write_bytes(body)
    _refused(queue, ctx, account, path, expected, fmt="feed")


@pytest.mark.parametrize(
    "when, expected",
    [
        ("31/02/2026 10:00", "31/02/2026"),
        ("01/01/2099 10:00", "in the future"),
    ],
)
def test_impossible_and_future_dates(ctx, queue, account, tmp_path, when, expected):
    rows = [
        ["1_1", "", "Ann Example", "20/11/2026 10:00", "fine"],
        ["1_2", "", "Ben Example", when, "bad date"],
    ]
    error = _refused(queue, ctx, account, write_csv(tmp_path / "dates.csv", rows), expected)
    assert "row 3" in str(error) and "Date" in str(error)


def test_unknown_account_and_file(ctx, queue, account, tmp_path):
    with pytest.raises(NotFound):
        queue.import_file(ctx.actor, copy_data("facebook_comments.csv", tmp_path), 999)
    with pytest.raises(InputError, match="does not exist"):
        queue.import_file(ctx.actor, tmp_path / "missing.csv", account)
    assert count(ctx) == 0


def test_read_only_and_unauthorised_people_cannot_import(ctx, queue, account, people, tmp_path):
    source = copy_data("facebook_comments.csv", tmp_path)
    with pytest.raises(PermissionDenied, match="read-only"):
        queue.import_file(Actor("stranger"), source, account)
    with pytest.raises(PermissionDenied, match="moderators"):
        queue.import_file(people["vol1"], source, account)
    assert queue.import_file(people["mod1"], source, account).imported > 0


# -- importing only the valid rows ------------------------------------------------------
def test_valid_rows_on_request_with_rejects_file_beside_source(ctx, queue, account, tmp_path):
    rows = [
        ["5_1", "", "Ann Example", "20/11/2026 10:00", "fine"],
        ["5_2", "", "", "20/11/2026 10:05", "no author"],
        ["5_3", "", "Cat Example", "31/02/2026 10:00", "bad date"],
        ["5_4", "", "Dan Example", "20/11/2026 10:10", "also fine"],
    ]
    path = write_csv(tmp_path / "mixed.csv", rows)
    with pytest.raises(ImportRejected) as refused:
        queue.import_file(ctx.actor, path, account)
    assert refused.value.valid_rows == 2 and count(ctx) == 0
    report = queue.import_file(ctx.actor, path, account, import_valid=True)
    assert report.imported == 2 and [p.row for p in report.rejected] == [3, 4]
    assert report.rejects_file == tmp_path / "mixed.rejects.csv"
    rejects = report.rejects_file.read_text(encoding="utf-8-sig")
    assert "no author" in rejects and "bad date" in rejects and "fine" not in rejects
    assert "31/02/2026" in rejects
    assert sorted(i.platform_item_id for i in items(ctx)) == ["5_1", "5_4"]


def test_no_valid_rows_imports_nothing_even_on_request(ctx, queue, account, tmp_path):
    path = write_csv(tmp_path / "allbad.csv", [["6_1", "", "", "20/11/2026 10:00", "x"]])
    with pytest.raises(ImportRejected):
        queue.import_file(ctx.actor, path, account, import_valid=True)
    assert count(ctx) == 0 and not (tmp_path / "allbad.rejects.csv").exists()


def test_rejects_file_that_cannot_be_written_rolls_back_the_import(ctx, queue, account, tmp_path):
    rows = [
        ["7_1", "", "Ann Example", "20/11/2026 10:00", "fine"],
        ["7_2", "", "", "20/11/2026 10:05", "no author"],
    ]
    path = write_csv(tmp_path / "blocked.csv", rows)
    (tmp_path / "blocked.rejects.csv").mkdir()  # a folder where the file must go
    with pytest.raises(InputError, match="could not be saved"):
        queue.import_file(ctx.actor, path, account, import_valid=True)
    assert count(ctx) == 0


# -- encodings and remembered column mappings ------------------------------------------
@pytest.mark.parametrize("encoding", ["utf-8-sig", "cp1252"])
def test_spreadsheet_encodings(ctx, queue, account, tmp_path, encoding):
    rows = [["8_1", "", "Zoë Brontë", "20/11/2026 10:00", "Dinner money is £2.50 – why?"]]
    queue.import_file(ctx.actor, write_csv(tmp_path / "enc.csv", rows, encoding=encoding), account)
    stored = items(ctx)[0]
    assert stored.author_name == "Zoë Brontë" and "£2.50 – why?" in stored.text


def test_column_mapping_is_remembered_per_export_shape(ctx, queue, account, tmp_path):
    header = ["Ref", "Who", "When (UK)", "What they wrote"]
    rows = [["11", "Ann Example", "20/11/2026 10:00", "Hello"]]
    path = write_csv(tmp_path / "odd.csv", rows, header)
    with pytest.raises(InputError, match="missing required column"):
        queue.import_file(ctx.actor, path, account)
    mapping = {"id": "Ref", "author_name": "Who", "received_at": "When (UK)", "text": "What they wrote"}
    queue.remember_mapping(header, mapping)
    assert queue.remembered_mapping(path) == mapping
    # A later file with the same headers needs no mapping.
    later = write_csv(tmp_path / "later.csv", [["12", "Ben", "21/11/2026 09:00", "Hi"]], header)
    assert queue.import_file(ctx.actor, later, account).imported == 1
    # A mapping that names a column the file lacks is not used.
    assert queue.remembered_mapping(write_csv(tmp_path / "x.csv", [], ["Ref", "Who"])) is None
