"""Opening the database: check it, back it up, migrate it on the app's own connection."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, inspect, text

from smmod.clock import Clock
from smmod.errors import DatabaseUnusable
from smmod.store import backup, damaged
from smmod.store.engine import (
    SessionFactory,
    make_engine,
    make_session_factory,
    masked_url,
    sqlite_url,
)
from smmod.store.writelock import Listener

if TYPE_CHECKING:
    from alembic.config import Config

log = logging.getLogger("smmod.store")

#: The newest migration. When the database is already there, start-up needs no
#: Alembic at all (it costs a tenth of a second to import); a test keeps this equal to
#: Alembic's own head.
SCHEMA_HEAD = "0016"

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


@dataclass
class Database:
    engine: Engine
    session_factory: SessionFactory
    url: str
    path: Path | None  # the SQLite file, or None for a server database

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    def current_revision(self) -> str | None:
        """Read on the read engine: start-up never waits for a writer."""
        with self.session_factory.read_engine.connect() as conn:
            if not inspect(conn).has_table("alembic_version"):
                return None
            rows = conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
        return rows[0] if len(rows) == 1 else None

    def integrity(self) -> str:
        if not self.is_sqlite:
            return "not checked (server database)"
        with self.session_factory.read_engine.connect() as conn:
            rows = conn.execute(text("PRAGMA integrity_check")).fetchall()
        return "ok" if rows == [("ok",)] else "; ".join(str(r[0]) for r in rows[:5])

    def dispose(self) -> None:
        self.session_factory.dispose()
        self.engine.dispose()


def alembic_config() -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    return {s.revision for s in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


def migrate(engine: Engine) -> None:
    """Bring the schema to head on this engine's own connection.

    On SQLite, foreign keys are off while migrating: batch mode rebuilds a table by
    dropping it, and with foreign keys on that drop would cascade-delete (or refuse
    because of) the rows that point at it. The keys are checked before committing.
    """
    from alembic import command

    cfg = alembic_config()
    with engine.connect() as conn:
        raw = conn.connection.driver_connection if conn.dialect.name == "sqlite" else None
        if raw is not None:
            raw.execute("PRAGMA foreign_keys=OFF")  # only works outside a transaction
        try:
            with conn.begin():
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, "head")
                if raw is not None:
                    broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise RuntimeError(f"migration left broken foreign keys: {broken[:5]}")
        finally:
            if raw is not None:
                raw.execute("PRAGMA foreign_keys=ON")


def _factory(engine: Engine, clock: Clock | None, on_write_wait: Listener | None) -> SessionFactory:
    factory = make_session_factory(engine, clock)
    if on_write_wait is not None:
        factory.on_write_wait(on_write_wait)
    return factory


def _refuse_newer(database: Database, where: str) -> None:
    current = database.current_revision()
    if current is not None and current != SCHEMA_HEAD and current not in known_revisions():
        database.dispose()
        raise DatabaseUnusable(
            f"The database {where} was written by a newer smmod (schema {current}; this "
            f"version knows up to {head_revision()}). Install the newer smmod; the "
            "database has not been changed."
        )


def inspect_database(db_path: Path, *, url: str | None = None,
                     clock: Clock | None = None) -> Database:
    """An existing database as it is, for looking at (``smmod doctor``): nothing is
    created, checked for damage, moved, backed up or migrated. The caller makes sure a
    SQLite file is there."""
    target = url or sqlite_url(str(db_path))
    engine = make_engine(target)
    return Database(engine, _factory(engine, clock, None), target, None if url else db_path)


def open_database(
    db_path: Path,
    backups_dir: Path,
    *,
    url: str | None = None,
    keep_backups: int = 14,
    daily_backup: bool = True,
    clock: Clock | None = None,
    on_write_wait: Listener | None = None,
) -> Database:
    """Open (creating if needed) and migrate the database.

    A corrupt file or one that is not a database is moved aside and reported with
    ``DatabaseUnusable``; it is never overwritten, and until it is restored or a new
    register is asked for, every later opening refuses too (``smmod.store.damaged``).
    SQLite files are backed up before a
    migration and once a day. Opening only reads, unless a migration is needed; a write
    that has to wait for another calls ``on_write_wait`` (see ``SessionFactory``).
    """
    if url:
        engine = make_engine(url)
        database = Database(engine, _factory(engine, clock, on_write_wait), url, None)
        _refuse_newer(database, masked_url(url))
        migrate(engine)
        return database

    refused = damaged.refusal(db_path, backups_dir)
    if refused is not None:  # moved aside earlier: never an empty register in its place
        raise refused
    db_path.parent.mkdir(parents=True, exist_ok=True)
    if db_path.exists():
        problem = backup.check_sqlite_file(db_path)
        if problem:
            raise backup.unusable(db_path, problem, backups_dir)
    engine = make_engine(sqlite_url(str(db_path)))
    database = Database(engine, _factory(engine, clock, on_write_wait), sqlite_url(str(db_path)),
                        db_path)
    _refuse_newer(database, str(db_path))
    current = database.current_revision()
    if current != SCHEMA_HEAD:
        head = head_revision()
        if current is not None:
            backup.make_backup(db_path, backups_dir, f"before-migration-{current}", keep_backups)
        log.info("migrating database from %s to %s", current, head)
        migrate(engine)
    elif daily_backup and backup.daily_backup_due(backups_dir):
        backup.make_backup(db_path, backups_dir, "daily", keep_backups)
    return database
