"""Migration 0009 (triage) on a register that already has a day's moderation in it.

Items hidden, deleted or blocked before the upgrade get the state that says so and
their clock stops; every item gets its place in the priority order; nothing is rebuilt,
so text search keeps working.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from sqlalchemy import Engine, inspect, text

from smmod.store.database import alembic_config
from smmod.store.engine import make_engine, sqlite_url

STAMP = "2026-12-01 09:00:00.000000"


def _run(engine: Engine, verb: str, revision: str) -> None:
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        getattr(command, verb)(cfg, revision)


def _item(conn, item_id: int, body: str, status: str = "new", answered: str | None = None) -> None:  # type: ignore[no-untyped-def]
    conn.execute(
        text(
            "INSERT INTO queue_items (id, account_id, source, source_ref, author_name, author_kind, "
            "text, content_hash, received_at, kind, status, priority, due_at, imported_at, "
            "updated_at, version_id, first_response_at) VALUES (:id, 1, 'manual', '', 'Pat', "
            "'parent', :body, :hash, :at, 'comment', :status, 0, '2026-12-02 09:00:00.000000', "
            ":at, :at, 1, :answered)"
        ),
        {"id": item_id, "body": body, "hash": f"{item_id:064d}", "at": STAMP, "status": status,
         "answered": answered},
    )


def _action(conn, action_id: int, item_id: int, kind: str, reverses: int | None = None) -> None:  # type: ignore[no-untyped-def]
    conn.execute(
        text(
            "INSERT INTO actions (id, item_id, actor_id, kind, performed_via, at, reverses_id) "
            "VALUES (:id, :item, 1, :kind, 'manual', :at, :reverses)"
        ),
        {"id": action_id, "item": item_id, "kind": kind, "at": "2026-12-01 10:00:00.000000",
         "reverses": reverses},
    )


def test_0009_gives_old_items_their_state_and_order(tmp_path: Path) -> None:
    engine = make_engine(sqlite_url(str(tmp_path / "db.sqlite3")))
    _run(engine, "upgrade", "0008")
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO staff (id, name, username, active, notes, created_at, version_id) "
            f"VALUES (1, 'Morgan Moderator', 'mod1', 1, '', '{STAMP}', 1)"))
        conn.execute(text(
            "INSERT INTO accounts (id, platform, handle, url, aim, audience, promotion, is_private, "
            f"status, created_at, version_id) VALUES (1, 'facebook', 'oakfield', '', '', '', '', 0, "
            f"'active', '{STAMP}', 1)"))
        _item(conn, 1, "Thank you!")
        _item(conn, 2, "I will hurt you")
        conn.execute(text(
            f"INSERT INTO queue_item_flags VALUES (2, 'threat', 'rule:threats', '{STAMP}', NULL)"))
        _item(conn, 3, "Buy followers")  # hidden, while the clock was running
        _action(conn, 1, 3, "hide")
        _item(conn, 4, "Nasty words", status="responded", answered="2026-12-01 09:30:00.000000")
        _action(conn, 2, 4, "delete")  # answered first, then deleted
        _item(conn, 5, "Hidden by mistake")
        _action(conn, 3, 5, "hide")
        _action(conn, 4, 5, "reopen", reverses=3)  # undone: still new
    _run(engine, "upgrade", "0009")
    with engine.connect() as conn:
        rows = {r.id: r for r in conn.execute(text(
            "SELECT id, status, first_response_at, first_response_by, triage FROM queue_items"))}
        found = conn.execute(text(
            "SELECT rowid FROM queue_items_fts WHERE queue_items_fts MATCH 'followers'")).scalars().all()
    assert (rows[3].status, rows[3].first_response_at[:16], rows[3].first_response_by) == (
        "hidden", "2026-12-01 10:00", 1)
    assert (rows[4].status, rows[4].first_response_at[:16]) == ("deleted", "2026-12-01 09:30")
    assert (rows[5].status, rows[5].first_response_at) == ("new", None)
    assert {i: r.triage for i, r in rows.items()} == {1: 3, 2: 0, 3: 7, 4: 7, 5: 3}
    assert found == [3]  # the text index and its triggers survived
    indexes = {i["name"] for i in inspect(engine).get_indexes("queue_items")}
    assert {"ix_queue_items_triage_due", "ix_queue_items_awaiting_triage"} <= indexes
    _run(engine, "downgrade", "0008")
    assert "triage" not in {c["name"] for c in inspect(engine).get_columns("queue_items")}
    engine.dispose()
