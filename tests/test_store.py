"""The store: models and migrations agree, SQLite pragmas, optimistic locking, migrating."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Column, Engine, Index, Integer, MetaData, String, Table, inspect, text
from sqlalchemy.orm.exc import StaleDataError

import smmod.store.database as database_module
from smmod import audit
from smmod.context import AppContext, open_context
from smmod.errors import DatabaseUnusable
from smmod.identity import Actor
from smmod.store.base import NAMING_CONVENTION, Base
from smmod.store.database import Database, alembic_config, head_revision, open_database
from smmod.store.models import Staff


@pytest.fixture
def fresh(tmp_path: Path) -> Iterator[Database]:
    database = open_database(tmp_path / "fresh.sqlite3", tmp_path / "backups")
    yield database
    database.dispose()


def raw_ddl_tables(engine: Engine) -> set[str]:
    """Virtual tables (FTS5) made by raw DDL in migrations, and their shadow tables."""
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT name, sql FROM sqlite_master WHERE type = 'table'"))
        tables = {name: sql or "" for name, sql in rows}
    virtual = {n for n, sql in tables.items() if sql.upper().startswith("CREATE VIRTUAL TABLE")}
    return virtual | {n for n in tables for v in virtual if n.startswith(f"{v}_")}


def differences(engine: Engine, metadata: MetaData) -> list[object]:
    """What `alembic check` would report: the models against the migrated database."""
    skipped = raw_ddl_tables(engine)

    def include_name(name: str | None, type_: str, parent_names: object) -> bool:
        return not (type_ == "table" and name in skipped)

    with engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "include_name": include_name})
        return list(compare_metadata(context, metadata))


def copy_of_models() -> MetaData:
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    for table in Base.metadata.sorted_tables:
        table.to_metadata(metadata)
    return metadata


# -- models and migrations agree (the `alembic check` of this project) -----------------


def test_migrations_build_exactly_the_models(fresh: Database) -> None:
    assert fresh.current_revision() == head_revision()
    assert differences(fresh.engine, Base.metadata) == []
    tables = set(inspect(fresh.engine).get_table_names())
    assert set(Base.metadata.tables) <= tables
    skipped = raw_ddl_tables(fresh.engine)
    assert tables - set(Base.metadata.tables) == {"alembic_version"} | skipped
    assert not skipped & set(Base.metadata.tables)


def test_the_comparison_sees_a_column_the_models_lack(fresh: Database) -> None:
    with fresh.engine.begin() as conn:
        conn.execute(text("ALTER TABLE staff ADD COLUMN nickname VARCHAR(50)"))
    kinds = [d[0] for d in differences(fresh.engine, Base.metadata)]  # type: ignore[index]
    assert kinds == ["remove_column"]


def test_the_comparison_sees_type_length_nullability_index_and_table_changes(
    fresh: Database,
) -> None:
    models = copy_of_models()
    staff = models.tables["staff"]
    staff.c.username.type = String(50)
    staff.c.email.nullable = False
    Index("ix_staff_name", staff.c.name)
    Table("extra", models, Column("id", Integer, primary_key=True))
    found = differences(fresh.engine, models)
    flat = [d[0][0] if isinstance(d, list) else d[0] for d in found]  # type: ignore[index]
    assert sorted(flat) == ["add_index", "add_table", "modify_nullable", "modify_type"]


def test_audit_triggers_exist(fresh: Database) -> None:
    with fresh.engine.connect() as conn:
        triggers = set(conn.execute(text(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_entries'"
        )).scalars())
    assert triggers == {"audit_entries_no_update", "audit_entries_no_delete"}


def test_migrations_go_down_to_nothing_and_back(fresh: Database) -> None:
    cfg = alembic_config()
    with fresh.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "base")
    assert set(inspect(fresh.engine).get_table_names()) <= {"alembic_version"}
    assert fresh.current_revision() is None
    database_module.migrate(fresh.engine)
    assert fresh.current_revision() == head_revision()
    assert differences(fresh.engine, Base.metadata) == []


# -- the engine -------------------------------------------------------------------------


def test_sqlite_pragmas(fresh: Database) -> None:
    with fresh.engine.connect() as conn:
        def pragma(name: str) -> object:
            return conn.exec_driver_sql(f"PRAGMA {name}").scalar()

        assert pragma("journal_mode") == "wal"
        assert pragma("foreign_keys") == 1
        assert pragma("synchronous") == 2  # FULL
        assert pragma("busy_timeout") == 10_000


def test_foreign_keys_are_enforced(fresh: Database) -> None:
    with pytest.raises(Exception, match="FOREIGN KEY"):
        with fresh.engine.begin() as conn:
            conn.execute(text("INSERT INTO staff_roles (staff_id, role) VALUES (999, 'staff')"))


def test_integrity_and_revision(fresh: Database) -> None:
    assert fresh.integrity() == "ok"
    assert fresh.is_sqlite
    assert fresh.path is not None and fresh.path.name == "fresh.sqlite3"


def test_naive_datetimes_are_refused(ctx: AppContext) -> None:
    with pytest.raises(Exception, match="naive datetime"):
        with ctx.session_factory.begin() as session:
            session.add(Staff(name="N", username="naive", active=True, notes="",
                              created_at=datetime(2026, 1, 1)))


def test_stale_version_is_a_conflict_at_the_orm(ctx: AppContext,
                                                people: dict[str, Actor]) -> None:
    staff_id = people["run1"].staff_id
    with ctx.session_factory() as mine_session:
        mine = mine_session.get(Staff, staff_id)
        assert mine is not None and mine.version_id == 1
        mine_session.commit()  # the form shows it; no transaction stays open meanwhile
        with ctx.session_factory.begin() as theirs_session:
            theirs = theirs_session.get(Staff, staff_id)
            assert theirs is not None
            theirs.name = "Changed by them"
        mine.name = "Changed by me"
        with pytest.raises(StaleDataError):
            mine_session.commit()
    assert ctx.staff.by_username("run1").name == "Changed by them"
    assert ctx.staff.by_username("run1").version_id == 2


# -- opening and migrating ----------------------------------------------------------------


@pytest.mark.sqlite_only  # the SQLite file and its batch rebuilds
def test_a_database_from_a_newer_smmod_is_refused_untouched(ctx: AppContext,
                                                            smmod_home: Path) -> None:
    ctx.close()
    db = ctx.paths.database
    raw = sqlite3.connect(db)
    raw.execute("UPDATE alembic_version SET version_num = '9999'")
    raw.commit()
    raw.close()
    before = db.read_bytes()
    backups_before = sorted(ctx.paths.backups.iterdir())
    with pytest.raises(DatabaseUnusable) as err:
        open_context(str(smmod_home))
    message = str(err.value)
    assert "newer smmod" in message and "9999" in message and str(db) in message
    assert db.read_bytes() == before
    assert sorted(ctx.paths.backups.iterdir()) == backups_before
    assert not list(db.parent.glob("*.broken-*"))


REBUILD_STAFF = '''"""test: rebuild the staff table the way batch mode does on SQLite."""
import sqlalchemy as sa
from alembic import op

revision = "0099"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("staff", recreate="always") as batch_op:
        batch_op.alter_column("notes", existing_type=sa.Text(), nullable=False)


def downgrade() -> None:
    pass
'''


@pytest.mark.sqlite_only  # the SQLite file and its batch rebuilds
def test_a_batch_migration_that_rebuilds_a_table_loses_nothing(
    ctx: AppContext, people: dict[str, Actor], smmod_home: Path, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Rebuilding `staff` drops it; with foreign keys on, that would delete every role."""
    roles_before = {r.username: r.roles for r in ctx.staff.list()}
    ctx.close()
    migrations = tmp_path / "migrations"
    shutil.copytree(database_module.MIGRATIONS, migrations,
                    ignore=shutil.ignore_patterns("__pycache__"))
    (migrations / "versions" / "0099_rebuild.py").write_text(
        REBUILD_STAFF.format(head=head_revision()), encoding="utf-8")
    monkeypatch.setattr(database_module, "MIGRATIONS", migrations)
    # A real new migration bumps SCHEMA_HEAD too (test_schema_head_constant_is_alembics_head).
    monkeypatch.setattr(database_module, "SCHEMA_HEAD", "0099")

    reopened = open_context(str(smmod_home))
    try:
        assert reopened.database.current_revision() == "0099"
        assert {r.username: r.roles for r in reopened.staff.list()} == roles_before
        assert audit.verify(reopened.session_factory).ok
        assert reopened.database.integrity() == "ok"
        with reopened.database.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert any("before-migration" in p.name for p in reopened.paths.backups.iterdir())
    finally:
        reopened.close()


def test_schema_head_constant_is_alembics_head() -> None:
    """Start-up skips Alembic when the database is at SCHEMA_HEAD; it must be the real head."""
    from smmod.store.database import SCHEMA_HEAD, head_revision

    assert SCHEMA_HEAD == head_revision()
