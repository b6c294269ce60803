"""Migration 0006 creates exactly the handover tables the models describe, and undoes them."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect

from smmod.store.database import alembic_config
from smmod.store.engine import make_engine, sqlite_url
from smmod.store.models import Base

MY_TABLES = {"handovers", "handover_accounts", "handover_tasks"}


def _mine(obj: object, name: str | None, type_: str, reflected: bool, other: object) -> bool:
    """Compare only this feature's tables; other features' migrations test their own."""
    table = obj if type_ == "table" else getattr(obj, "table", None)
    return getattr(table, "name", None) in MY_TABLES


def _run(engine: Engine, verb: str, revision: str) -> None:
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        getattr(command, verb)(cfg, revision)


def test_0006_matches_the_models_and_downgrades_cleanly(tmp_path: Path):
    engine = make_engine(sqlite_url(str(tmp_path / "db.sqlite3")))
    _run(engine, "upgrade", "0005")
    assert not MY_TABLES & set(inspect(engine).get_table_names())
    _run(engine, "upgrade", "0006")
    assert MY_TABLES <= set(inspect(engine).get_table_names())
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True,
                                                         "include_object": _mine})
        assert compare_metadata(context, Base.metadata) == []
    indexes = {i["name"] for i in inspect(engine).get_indexes("handover_accounts")}
    assert indexes == {"ix_handover_accounts_account_id", "ix_handover_accounts_handover_id"}
    _run(engine, "downgrade", "0005")
    assert not MY_TABLES & set(inspect(engine).get_table_names())
    engine.dispose()
