"""Alembic environment: runs on the app's own connection when one is given."""

from __future__ import annotations

from alembic import context

from smmod.store.engine import make_engine
from smmod.store.models import Base
from smmod.store.search import include_in_schema_check

config = context.config
target_metadata = Base.metadata


def _configure(connection: object) -> None:
    context.configure(
        connection=connection,  # type: ignore[arg-type]
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
        include_name=include_in_schema_check,  # raw-DDL search tables and column
    )


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = make_engine(config.get_main_option("sqlalchemy.url") or "")
    with engine.connect() as conn:
        _configure(conn)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    raise SystemExit("smmod migrations run online only")
run_migrations_online()
