"""Declarative base with a naming convention, and column types shared by all models."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, Dialect, MetaData, event, inspect
from sqlalchemy.orm import DeclarativeBase, MappedColumn, Mapper, Session, mapped_column
from sqlalchemy.types import TypeDecorator

from smmod.clock import Clock, SystemClock

# Named constraints are what lets Alembic's batch mode rebuild SQLite tables safely.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


_STAMP = "smmod_stamp"
_SYSTEM_CLOCK = SystemClock()


def session_clock(session: Session) -> Clock:
    """The clock of the session factory that opened ``session`` (the system clock otherwise)."""
    clock: Clock = session.info.get("clock", _SYSTEM_CLOCK)
    return clock


def stamped_column(*, on_update: bool = False) -> MappedColumn[Any]:
    """A UTC time set from the session's clock when the row is added (and, with
    ``on_update``, whenever it changes), so the database and the services share one clock.
    """
    return mapped_column(UTCDateTime, info={_STAMP: "update" if on_update else "insert"})


_STAMPED: dict[type, tuple[tuple[str, ...], tuple[str, ...]]] = {}


def _stamped(cls: type) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(set on insert, set on update) attribute names of a mapped class."""
    if cls in _STAMPED:
        return _STAMPED[cls]
    mapper: Mapper[Any] = inspect(cls)
    on_insert, on_update = [], []
    for prop in mapper.column_attrs:
        kind = prop.columns[0].info.get(_STAMP)
        if kind is not None:
            on_insert.append(prop.key)
            if kind == "update":
                on_update.append(prop.key)
    _STAMPED[cls] = tuple(on_insert), tuple(on_update)
    return _STAMPED[cls]


@event.listens_for(Session, "before_flush")
def _stamp_times(session: Session, _context: Any, _instances: Any) -> None:
    now: datetime | None = None
    for obj in session.new:
        for key in _stamped(type(obj))[0]:
            if getattr(obj, key) is None:
                now = now or session_clock(session).now()
                setattr(obj, key, now)
    for obj in session.dirty:
        keys = _stamped(type(obj))[1]
        if keys and session.is_modified(obj, include_collections=False):
            now = now or session_clock(session).now()
            for key in keys:
                setattr(obj, key, now)


class UTCDateTime(TypeDecorator[datetime]):
    """An aware UTC datetime, returned aware. SQLite has no zones, so there it is stored
    without one (always UTC); PostgreSQL stores a ``timestamptz``.

    A naive value is refused: every time in smmod has a known zone.
    """

    impl = DateTime
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> Any:
        return dialect.type_descriptor(DateTime(timezone=dialect.name == "postgresql"))

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value if dialect.name == "postgresql" else value.replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is not None:
            return value.astimezone(UTC)
        return value.replace(tzinfo=UTC)
