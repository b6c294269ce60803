"""On a PostgreSQL server, as on SQLite: a write that has to wait for another writer (a
long import on another computer) says so, then goes ahead, or after the limit gives a
clear error with nothing changed; reads never wait. Another connection really holds the
writers' lock here, as smmod's own writers take it."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from smmod.context import AppContext
from smmod.errors import DatabaseBusy
from smmod.staff.service import StaffInput
from tests.lock_holder import SERVER_WAITING, server_write_lock_held
from tests.test_store_concurrency import _until, run

pytestmark = pytest.mark.postgresql_only

WAITING = SERVER_WAITING


def _add(ctx: AppContext, username: str) -> None:
    ctx.staff.add(ctx.actor, StaffInput(name=username.title(), username=username,
                                        roles=frozenset({"staff"})))


def test_a_write_waits_says_so_and_then_goes_ahead(ctx: AppContext, capsys) -> None:
    heard: list[str] = []
    ctx.session_factory.on_write_wait(heard.append)
    with ThreadPoolExecutor(1) as pool:
        with server_write_lock_held(ctx.database.url):
            code, out, err = run(capsys, "staff", "list")  # a read goes straight through
            assert (code, err) == (0, "") and "Hannah Head" in out
            writing = pool.submit(_add, ctx, "late")
            assert _until(lambda: bool(heard))
            assert heard == [WAITING] and not writing.done()
        writing.result(timeout=30)
    assert heard == [WAITING, ""]
    assert ctx.staff.by_username("late").name == "Late"


def test_a_write_that_waits_too_long_gives_a_clear_error(ctx: AppContext, capsys,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from smmod.store import writelock

    monkeypatch.setattr(writelock, "DEFAULT_LIMIT_S", 1.0)
    gate = ctx.session_factory.write_gate
    assert gate is not None
    gate.limit_s = 1.0
    with server_write_lock_held(ctx.database.url):
        with pytest.raises(DatabaseBusy, match="after 1 second, so nothing was changed"):
            _add(ctx, "toolate")
        code, out, err = run(capsys, "settings", "set", "monitoring.stale_days", "6")
        assert code == 2 and out == ""
        assert err.startswith(f"smmod: {WAITING} (Ctrl+C to give up)\n")
        assert ("smmod: The database is still busy with another change after 1 second, so "
                "nothing was changed. Try again when it has finished.") in err
    assert [s.username for s in ctx.staff.list()] == ["head"]
    code, out, _ = run(capsys, "settings", "get", "monitoring.stale_days")
    assert code == 0 and out.strip() != "monitoring.stale_days = 6"
