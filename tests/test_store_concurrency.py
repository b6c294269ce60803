"""Reading never waits for writing; a write that has to wait says so, then goes ahead or
gives a clear error. Another process really holds the write lock in these tests.

The tests of what a waiting write says about the holder (the note a long writer leaves
beside the SQLite file) and of SQLite's read-only reader are SQLite only; the waiting on
a server is tested in ``tests/test_server_write_wait.py``."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from smmod import audit
from smmod.audit import AuditFilter
from smmod.cli import main
from smmod.context import AppContext, open_context
from smmod.errors import DatabaseBusy
from smmod.queue import ingest, streaming
from smmod.settings import Settings
from smmod.staff.service import StaffInput
from smmod.store import writelock
from tests.lock_holder import SERVER_WAITING, held_by_another, write_lock_held
from tests.queue.test_service_fixtures import add_account, write_csv

WAITING = "waiting for the import in progress (big.csv, started by head)…"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_reads_and_start_up_go_on_while_another_process_writes(ctx, capsys):
    add_account(ctx)
    ctx.queue.add_manual(ctx.actor, _manual(ctx))
    with held_by_another(ctx):
        code, out, err = run(capsys, "staff", "list")
        assert (code, err) == (0, "") and "Hannah Head" in out
        # The stored deadlines were never stamped with a calendar: they would be brought
        # up to date first, which is a write. It is left for later instead of waiting.
        code, out, err = run(capsys, "queue", "list", "--json")
        assert code == 0 and json.loads(out)["total"] == 1
        assert err.startswith("smmod: note: the deadline rules changed")
        code, out, _ = run(capsys, "settings", "get", "monitoring.stale_days")
        assert code == 0
        second = open_context(str(ctx.paths.data_dir.parent))  # start-up: no write lock
        try:
            assert [s.username for s in second.staff.list()] == ["head"]
            assert second.queue.read.count() == 1
            with second.session_factory() as session:  # the holder's change is not seen
                held = session.execute(text("SELECT 1 FROM queue_meta WHERE key = 'held'"))
                assert held.first() is None
        finally:
            second.close()
    code, out, err = run(capsys, "queue", "list", "--json")
    assert (code, err) == (0, "") and json.loads(out)["total"] == 1


@pytest.mark.sqlite_only  # the holder's note beside the SQLite file
def test_a_write_waits_for_the_import_says_so_and_then_goes_ahead(ctx):
    heard: list[str] = []
    ctx.session_factory.on_write_wait(heard.append)
    done = threading.Event()
    failed: list[BaseException] = []

    def add_someone() -> None:
        try:
            ctx.staff.add(ctx.actor, StaffInput(name="Late Arrival", username="late",
                                                roles=frozenset({"staff"})))
        except BaseException as exc:
            failed.append(exc)
        finally:
            done.set()

    with write_lock_held(ctx.paths.database):
        writer = threading.Thread(target=add_someone)
        writer.start()
        assert _until(lambda: bool(heard))
        assert not done.is_set()
    writer.join(timeout=30)
    assert not failed and done.is_set()
    assert heard == [WAITING, ""]
    assert ctx.staff.by_username("late").name == "Late Arrival"


@pytest.mark.sqlite_only  # the holder's note beside the SQLite file
def test_the_command_line_prints_the_wait_on_stderr(ctx, smmod_home):
    with write_lock_held(ctx.paths.database):
        command = subprocess.Popen(
            [sys.executable, "-m", "smmod", "settings", "set", "monitoring.stale_days", "5"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=dict(os.environ))
        assert command.stderr is not None
        assert command.stderr.readline().strip() == f"smmod: {WAITING} (Ctrl+C to give up)"
    out, err = command.communicate(timeout=60)
    assert command.returncode == 0 and err == ""
    assert out.strip() == "monitoring.stale_days = 5"
    changes = audit.query(ctx.session_factory, AuditFilter(action="settings.set"))
    assert [c.subject for c in changes] == ["setting:monitoring.stale_days"]


@pytest.mark.sqlite_only  # the holder's note beside the SQLite file
def test_a_write_that_waits_too_long_gives_a_clear_error(ctx, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(writelock, "DEFAULT_LIMIT_S", 1.0)
    add_account(ctx)
    small = write_csv(tmp_path / "small.csv", [["1", "", "Ann", "20/11/2026 10:00", "Hi"]])
    with write_lock_held(ctx.paths.database):
        code, out, err = run(capsys, "settings", "set", "monitoring.stale_days", "6")
        assert code == 2 and out == ""
        assert err.startswith(f"smmod: {WAITING} (Ctrl+C to give up)\n")
        assert ("smmod: The database is still busy with the import in progress (big.csv, "
                "started by head) after 1 second, so nothing was changed. Try again when "
                "it has finished.") in err
        code, _, err = run(capsys, "queue", "import", str(small), "--account", "brookfieldprimary")
        assert code == 2 and "still busy with the import in progress" in err
        assert "something went wrong" not in err
        ctx.session_factory.write_gate.limit_s = 1.0
        with pytest.raises(DatabaseBusy, match="nothing was changed"):
            ctx.staff.add(ctx.actor, StaffInput(name="Too Late", username="toolate",
                                                roles=frozenset({"staff"})))
    # Nothing was half done: the setting was not saved without its audit entry.
    assert Settings.load(ctx.paths.settings_file).get("monitoring.stale_days") != 6
    assert audit.query(ctx.session_factory, AuditFilter(action="settings.set")) == []
    assert [s.username for s in ctx.staff.list()] == ["head"]


def test_reading_and_waiting_during_a_real_import(ctx, tmp_path, capsys, monkeypatch):
    """An import of 60 rows, paused between chunks with its write transaction open."""
    add_account(ctx)
    ctx.queue.ensure_due_current()  # deadlines stamped with the calendar, as once in use
    rows = [[f"i{n}", "", "Ann Example", "20/11/2026 10:00", f"comment {n}"] for n in range(60)]
    source = write_csv(tmp_path / "big.csv", rows)
    monkeypatch.setattr(streaming, "CHUNK_ROWS", 10)
    paused, resume = threading.Event(), threading.Event()
    store_chunk = ingest.IngestRun.add

    def add_then_pause(run: ingest.IngestRun, items: list[object]) -> None:
        store_chunk(run, items)  # type: ignore[arg-type]
        if not paused.is_set():
            paused.set()
            resume.wait(timeout=60)

    monkeypatch.setattr(ingest.IngestRun, "add", add_then_pause)
    results: list[object] = []
    importer = threading.Thread(
        target=lambda: results.append(ctx.queue.import_file(ctx.actor, source, 1)))
    importer.start()
    try:
        assert paused.wait(timeout=30)
        code, out, err = run(capsys, "queue", "list", "--json")
        assert (code, err) == (0, "") and json.loads(out)["total"] == 0  # not committed yet
        code, out, err = run(capsys, "staff", "list", "--json")
        assert (code, err) == (0, "") and [p["username"] for p in json.loads(out)] == ["head"]
        # A write now waits for this import, which announced itself.
        heard: list[str] = []
        second = open_context(str(ctx.paths.data_dir.parent), on_write_wait=heard.append)
        checker = threading.Thread(target=lambda: second.queue.mark_checked(second.actor))
        checker.start()
        assert _until(lambda: bool(heard))
        assert heard[0] == ("waiting for the import in progress (big.csv, started by head)…"
                            if ctx.database.is_sqlite else SERVER_WAITING)
    finally:
        resume.set()
        importer.join(timeout=60)
    checker.join(timeout=60)
    second.close()
    assert heard == [heard[0], ""]
    assert results and results[0].imported == 60  # type: ignore[attr-defined]
    code, out, _ = run(capsys, "queue", "list", "--json")
    assert code == 0 and json.loads(out)["total"] == 60


def test_reports_feeds_and_connections_read_while_another_process_writes(ctx, capsys):
    """The reads main gained (reports, feeds, connections, the outbox, re-screening's
    check) take no write lock either; a report's own TEMP table is allowed and the read
    connection is read-only again afterwards."""
    add_account(ctx)
    ctx.queue.add_manual(ctx.actor, _manual(ctx))
    ctx.queue.ensure_due_current()
    with held_by_another(ctx):
        for argv in (("report", "deadline", "--json"), ("report", "termly", "--json"),
                     ("report", "monitoring", "--json"), ("outbox", "list", "--json")):
            code, out, err = run(capsys, *argv)
            assert (code, err) == (0, ""), argv
            json.loads(out)
        assert ctx.connectors.connections.all() == []
        assert ctx.queue.feeds.list_feeds() == []
        assert isinstance(ctx.rescreen.pending(), bool)
    if ctx.database.is_sqlite:  # SQLite's reader is query_only again after a report's TEMP table
        with ctx.session_factory.read_engine.connect() as conn, pytest.raises(
                OperationalError, match="readonly"):
            conn.execute(text("CREATE TEMP TABLE scratch (x INTEGER)"))


@pytest.mark.sqlite_only  # SQLite's query_only reader; a server's reader is its login's grants
def test_the_queue_reader_shares_the_read_engine_which_never_writes(ctx):
    assert ctx.queue.read._engine is ctx.session_factory.read_engine
    with ctx.session_factory.read_engine.connect() as conn, pytest.raises(
            OperationalError, match="readonly"):
        conn.exec_driver_sql("INSERT INTO queue_meta(key, value) VALUES ('x', 'y')")


def test_a_lock_met_anywhere_else_is_said_plainly(ctx, capsys, monkeypatch):
    def locked(*_args: object, **_kwargs: object) -> None:
        raise OperationalError("SELECT 1", {}, sqlite3.OperationalError("database is locked"))

    monkeypatch.setattr("smmod.staff.service.StaffService.list", locked)
    code, out, err = run(capsys, "staff", "list")
    assert code == 2 and out == ""
    assert err == f"smmod: {writelock.BUSY_MESSAGE}\n"


@pytest.mark.sqlite_only  # the holder's note beside the SQLite file
def test_a_note_left_by_a_writer_that_died_is_ignored(ctx, tmp_path):
    note = Path(f"{ctx.paths.database}-writer")
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    note.write_text(json.dumps({"what": "the import", "detail": "old.csv", "pid": int(dead.stdout),
                                "token": "x"}), encoding="utf-8")
    gate = ctx.session_factory.write_gate
    assert gate is not None and gate.holder() is None
    assert gate.waiting_message() == "waiting for another change to the database to finish…"


def _manual(ctx: AppContext):  # type: ignore[no-untyped-def]
    from smmod.queue.records import ManualItem

    return ManualItem(1, "Ann Example", "Is the fair on?", ctx.clock.now())


def _until(condition, timeout: float = 30.0) -> bool:  # type: ignore[no-untyped-def]
    waited = threading.Event()
    for _ in range(int(timeout * 20)):
        if condition():
            return True
        waited.wait(0.05)
    return bool(condition())
