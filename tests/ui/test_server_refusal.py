"""A server's refusal (its grants, policies or smmod's triggers) reaches a person as a
plain message saying why, not as "something went wrong"."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy.exc
from sqlalchemy import text

from smmod.ui import msgbox
from tests.server_support import StaffedServer, opened


def test_a_server_refusal_is_a_plain_message(qtbot, staffed_server: StaffedServer,  # type: ignore[no-untyped-def]
                                             tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(msgbox, "warning", lambda _p, title, text: shown.append((title, text)))
    with opened(tmp_path / "sam", staffed_server.url_for("slt2"), monkeypatch) as sam:
        with pytest.raises(sqlalchemy.exc.DBAPIError) as refused:
            with sam.session_factory.begin() as session:
                session.execute(text(
                    "INSERT INTO audit_entries (id, at, actor, action, subject, details, "
                    "prev_hash, hash) SELECT max(id) + 1, now(), 'head', 'x', 'x', '{}', '', "
                    "'' FROM audit_entries"))
    msgbox.show_error(None, refused.value)
    assert shown == [("smmod", "The database server refused this: an audit entry is written "
                               "in the name of the person connected (slt2), not head (your "
                               "login's privileges on the server; see docs/server.md)")]
