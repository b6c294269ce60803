"""Imports stream: chunks inside one transaction give the same queue as one batch did,
bad rows anywhere leave nothing stored, and what is shown of the bad rows is bounded."""

from __future__ import annotations

import csv
import json
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine

from smmod.cli import main
from smmod.context import AppContext, open_context
from smmod.errors import ImportRejected
from smmod.queue import bulk, ingest, streaming
from smmod.queue.ingest import store_parsed
from smmod.queue.parsers import parse_file
from smmod.staff.service import StaffInput
from smmod.store.base import UTCDateTime
from smmod.store.models import QueueItem
from tests.queue.test_service_fixtures import CSV_HEADER, DATA, add_account, count, write_csv

SAMPLES = ["facebook_comments.csv", "facebook_comments.json", "instagram_comments.json",
           "alerts_rss.xml", "alerts_atom.xml"]
RECEIVED = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)

# Every test here reads the SQLite file itself (its rows, indexes and markers).
pytestmark = pytest.mark.sqlite_only


def snapshot(db: Path) -> dict[str, Any]:
    """Everything an import leaves behind, read with plain sqlite3."""
    conn = sqlite3.connect(db)
    try:
        tables = {
            "items": "SELECT * FROM queue_items ORDER BY id",
            "flags": "SELECT item_id, flag, source, set_at, set_by FROM queue_item_flags ORDER BY 1, 2",
            "matches": "SELECT * FROM screening_matches ORDER BY 1",
            "text_index": "SELECT rowid, text, author_name, author_handle FROM queue_items_fts "
                          "ORDER BY rowid",
            "meta": "SELECT key FROM queue_meta ORDER BY key",
            "indexes": "SELECT name, sql FROM sqlite_master WHERE tbl_name = 'queue_items' "
                       "ORDER BY name",
        }
        return {name: conn.execute(sql).fetchall() for name, sql in tables.items()}
    finally:
        conn.close()


def one_batch(ctx: AppContext, path: Path, account: int) -> None:
    """The path imports took before streaming: the whole file parsed, then stored at once."""
    calendar = ctx.calendar()
    ctx.queue.ensure_due_current()  # as every import does first
    result = parse_file(path, tz=calendar.tz, now=ctx.clock.now())
    with ctx.session_factory.begin() as session:
        store_parsed(session, result.items, account_id=account, source=result.format,
                     source_ref=path.name, calendar=calendar, now=ctx.clock.now(),
                     staff_id=ctx.actor.staff_id)


@pytest.fixture
def other(tmp_path: Path) -> AppContext:
    """A second, separate register, set up like ``ctx``."""
    second = open_context(str(tmp_path / "other-home"))
    second.staff.create_first(StaffInput(name="Hannah Head", username="head", roles=frozenset()))
    second.refresh_actor("head")
    yield second
    second.close()


@pytest.fixture
def tiny_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Chunks of two rows, and the bulk tricks (text index filled at the end, indexes
    dropped and rebuilt) from the first row, so small files exercise every path."""
    monkeypatch.setattr(streaming, "CHUNK_ROWS", 2)
    monkeypatch.setattr(bulk, "DROP_INDEXES_FROM", 1)
    monkeypatch.setattr(bulk, "DEFER_FTS_FROM", 1)


@pytest.mark.parametrize("name", SAMPLES)
def test_streaming_import_equals_the_one_batch_import(ctx, other, tmp_path, tiny_chunks, name):
    source = tmp_path / name
    source.write_bytes((DATA / name).read_bytes())
    add_account(ctx)
    add_account(other)
    schema = snapshot(ctx.paths.database)["indexes"]
    one_batch(other, source, 1)
    # Imported twice: the second time every item is a duplicate, across chunks too.
    report = ctx.queue.import_file(ctx.actor, source, 1)
    again = ctx.queue.import_file(ctx.actor, source, 1)
    assert report.imported == count(ctx) == count(other) > 0
    assert again.imported == 0 and again.duplicates == report.imported + report.duplicates
    ours, theirs = snapshot(ctx.paths.database), snapshot(other.paths.database)
    assert ours == theirs
    assert ("fts.deferred",) not in ours["meta"]
    assert ours["indexes"] == schema  # every index dropped for speed is back, the same
    # ...and that is every index the model declares (none went missing before the snapshot)
    assert {i.name for i in QueueItem.__table__.indexes} <= {name for name, _ in schema}


def test_a_file_with_duplicates_and_replies_across_chunks(ctx, other, tmp_path, tiny_chunks):
    rows = [
        ["p1", "", "Ann Example", "20/11/2026 10:00", "Is the fair on Saturday?"],
        ["r1", "p9", "Ben Example", "20/11/2026 10:05", "Reply to a later comment"],
        ["p1", "", "Ann Example", "20/11/2026 10:00", "Is the fair on Saturday?"],
        ["", "", "Cat Example", "20/11/2026 10:06", "No id: found by its hash"],
        ["p9", "", "Dan Example", "20/11/2026 09:00", "The parent, after its reply"],
        ["", "", "cat  example", "20/11/2026 10:06", "No id:  found by its HASH"],
    ]
    source = write_csv(tmp_path / "mixed.csv", rows)
    add_account(ctx)
    add_account(other)
    one_batch(other, source, 1)
    report = ctx.queue.import_file(ctx.actor, source, 1)
    assert (report.imported, report.duplicates) == (4, 2)
    assert snapshot(ctx.paths.database) == snapshot(other.paths.database)
    reply = next(i for i in snapshot(ctx.paths.database)["items"] if i[5] == "r1")
    assert reply[7] is not None  # parent_id: linked although the parent came later


def test_a_bad_row_after_stored_chunks_leaves_nothing(ctx, tmp_path, tiny_chunks):
    add_account(ctx)
    good = [[f"g{n}", "", "Ann Example", "20/11/2026 10:00", f"comment {n}"] for n in range(9)]
    source = write_csv(tmp_path / "late.csv", [*good, ["bad", "", "Ben", "31/02/2026 10:00", "x"]])
    before = snapshot(ctx.paths.database)
    with pytest.raises(ImportRejected) as refused:
        ctx.queue.import_file(ctx.actor, source, 1)
    assert refused.value.valid_rows == 9 and refused.value.bad_rows == 1
    assert [p.row for p in refused.value.problems] == [11]
    assert snapshot(ctx.paths.database) == before  # no rows, no marker, every index there
    # The same with --import-valid: the nine go in, the bad one goes to the rejects file.
    report = ctx.queue.import_file(ctx.actor, source, 1, import_valid=True)
    assert report.imported == 9 and report.rejected_rows == 1
    assert "31/02/2026" in (tmp_path / "late.rejects.csv").read_text(encoding="utf-8-sig")


def test_every_row_bad_shows_a_count_and_the_first_few(ctx, tmp_path, capsys):
    add_account(ctx)
    rows = [[f"b{n}", "", "", "20/11/2026 10:00", f"no author {n}"] for n in range(500)]
    source = write_csv(tmp_path / "allbad.csv", rows)
    code = main(["queue", "import", str(source), "--account", "brookfieldprimary", "--json"])
    out, err = capsys.readouterr()
    doc = json.loads(out)
    assert code == 2 and count(ctx) == 0
    assert doc["rejected_rows"] == 500 and doc["problem_count"] == 500
    assert len(doc["rejected"]) == 20 and doc["rejected"][0]["row"] == 2
    assert len(out) < 5_000  # was every problem: 210 MB for a million bad rows
    rejects = Path(doc["rejects_file"])
    assert rejects == tmp_path / "allbad.rejects.csv"
    with rejects.open(encoding="utf-8-sig", newline="") as handle:
        listed = list(csv.DictReader(handle))
    assert len(listed) == 500 and listed[-1]["row"] == "501"
    assert listed[-1]["Comment"] == "no author 499" and "author_name is empty" in listed[-1]["reason"]
    assert err.strip() == "smmod: allbad.csv: 500 bad rows, nothing imported"
    code = main(["queue", "import", str(source), "--account", "brookfieldprimary"])
    out, _ = capsys.readouterr()
    assert code == 2 and len(out.splitlines()) < 30
    assert "500 bad rows" in out and "… and 480 more problems." in out
    assert f"Every bad row, with its reasons, is in {rejects}" in out


def test_check_reads_a_file_without_storing_it(ctx, tmp_path):
    add_account(ctx)
    rows = [[f"c{n}", "", "Ann" if n % 3 else "", "20/11/2026 10:00", "hi"] for n in range(60)]
    check = ctx.queue.check(write_csv(tmp_path / "check.csv", rows))
    assert (check.valid_rows, check.bad_rows, check.problem_count) == (40, 20, 20)
    assert check.assumed_local_time and len(check.problems) == 20 and count(ctx) == 0


def test_reading_ahead_stops_when_the_import_stops(ctx, tmp_path, monkeypatch):
    """A failure while storing stops the reading thread; nothing is left running."""
    import threading

    add_account(ctx)
    rows = [[f"t{n}", "", "Ann", "20/11/2026 10:00", f"text {n}"] for n in range(50)]
    source = write_csv(tmp_path / "stop.csv", rows)
    monkeypatch.setattr(streaming, "CHUNK_ROWS", 5)

    def fail(self: object, items: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(ingest.IngestRun, "add", fail)
    with pytest.raises(RuntimeError, match="disk full"):
        ctx.queue.import_file(ctx.actor, source, 1)
    assert not [t for t in threading.enumerate() if t.name == "smmod-import-reader"]
    assert count(ctx) == 0


@pytest.mark.parametrize("when", [
    RECEIVED, RECEIVED.replace(microsecond=0), RECEIVED + timedelta(microseconds=7),
    datetime(2026, 3, 29, 1, 30, 5, 123456, tzinfo=UTC).astimezone(),
])
def test_stored_times_are_what_the_column_type_stores(when: datetime) -> None:
    dialect = create_engine("sqlite://").dialect
    through_the_type = UTCDateTime().dialect_impl(dialect).bind_processor(dialect)
    assert through_the_type is not None
    assert ingest._stored_time(dialect)(when) == through_the_type(when)


def test_the_header_row_is_checked_before_anything_is_stored(ctx, tmp_path):
    add_account(ctx)
    source = write_csv(tmp_path / "odd.csv", [["1", "Ann", "20/11/2026", "Hi"]],
                       ["Ref", "Who", "When", "Said"])
    with pytest.raises(Exception, match="missing required column"):
        ctx.queue.import_file(ctx.actor, source, 1)
    assert CSV_HEADER[0] == "Comment ID" and count(ctx) == 0
