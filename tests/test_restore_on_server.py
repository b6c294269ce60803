"""`smmod restore` puts back a SQLite backup; with the database on a server it refuses,
naming the server's own tool, and changes nothing: neither the unused local file nor the
server's audit trail."""

from __future__ import annotations

from pathlib import Path

import pytest

from smmod import audit
from smmod.context import AppContext, open_context
from smmod.store import backup
from tests.pg_mode import fresh_database
from tests.pg_support import PgServer
from tests.test_cli_core import one_line_error, run


@pytest.mark.sqlite_only  # a SQLite register and its backup first; then the server
def test_restore_on_a_server_is_refused_and_changes_nothing(
        ctx: AppContext, smmod_home: Path, pg_server: PgServer, pg_template: str,
        monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    made = backup.make_backup(ctx.paths.database, ctx.paths.backups, "manual", 14)
    assert made is not None
    ctx.close()
    local = ctx.paths.database.read_bytes()
    with fresh_database(pg_server, pg_template) as url:
        monkeypatch.setenv("SMMOD_DATABASE_URL", url)
        code, out, err = run(capsys, "restore", str(made))
        assert (code, out) == (1, "")
        line = one_line_error(err)
        assert "the database is on a server" in line and "pg_restore" in line
        assert pg_server.user in line and pg_server.password not in line
        on_server = open_context(str(smmod_home))
        try:
            assert audit.query(on_server.session_factory) == []
        finally:
            on_server.close()
    assert ctx.paths.database.read_bytes() == local
