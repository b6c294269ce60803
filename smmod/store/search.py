"""Full-text search of queue items, the same query on both databases.

- SQLite: the external-content FTS5 table ``queue_items_fts`` kept by triggers
  (migration 0003), queried with ``MATCH``.
- PostgreSQL: the generated ``tsvector`` column ``queue_items.search`` with a GIN index
  (migration 0012), queried with ``@@ to_tsquery``.

``item_text_match(items.c.id, words)`` is one SQLAlchemy expression that compiles to
whichever the connection speaks, so services build their queries without knowing which
database they run on. Each word is a prefix, all are required.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Boolean, literal
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.functions import FunctionElement

from smmod.store import dialect
from smmod.store.models.queue import FTS_TABLE, is_fts_table

SEARCH_COLUMN = "search"
SEARCH_INDEX = "ix_queue_items_search"
#: What the tsvector holds: the same three columns the FTS5 table indexes.
SEARCHED_COLUMNS = ("text", "author_name", "author_handle")


class item_text_match(FunctionElement[bool]):
    """True for the items whose text, author name or handle has every word as a prefix.

    Arguments: the items' id column, then the words (at least one).
    """

    type = Boolean()
    inherit_cache = True
    name = "item_text_match"

    def __init__(self, id_column: ColumnElement[Any], words: list[str]) -> None:
        if not words:
            raise ValueError("a text search needs at least one word")
        super().__init__(id_column, literal(dialect.fts5_query(words)),
                         literal(dialect.tsquery(words)))


@compiles(item_text_match, "sqlite")
def _match_sqlite(element: item_text_match, compiler: SQLCompiler, **kw: Any) -> str:
    id_column, fts5, _tsq = element.clauses.clauses
    return (f"{compiler.process(id_column, **kw)} IN (SELECT rowid FROM {FTS_TABLE} "
            f"WHERE {FTS_TABLE} MATCH {compiler.process(fts5, **kw)})")


@compiles(item_text_match, "postgresql")
def _match_postgresql(element: item_text_match, compiler: SQLCompiler, **kw: Any) -> str:
    id_column, _fts5, tsq = element.clauses.clauses
    # The search column of the same table as the id column (it is not in the models).
    id_sql = compiler.process(id_column, **kw)
    search = id_sql.rsplit(".", 1)[0] + f".{SEARCH_COLUMN}" if "." in id_sql else SEARCH_COLUMN
    return (f"{search} @@ to_tsquery('{dialect.SEARCH_CONFIG}', "
            f"{compiler.process(tsq, **kw)})")


def is_raw_ddl(name: str | None, type_: str, parent_names: dict[str, Any] | None = None) -> bool:
    """True for what migrations make by raw DDL and the models never list, so that
    ``alembic check`` (Alembic's ``include_name`` hook) skips it: the FTS5 table and the
    shadow tables SQLite keeps beside it, and PostgreSQL's search column and its index.
    """
    if not name:
        return False
    if type_ == "table":
        return is_fts_table(name)
    if type_ == "column":
        return name == SEARCH_COLUMN and (parent_names or {}).get("table_name") == "queue_items"
    if type_ == "index":
        return name == SEARCH_INDEX
    return False


def include_in_schema_check(name: str | None, type_: str, parent_names: Any) -> bool:
    """Alembic's ``include_name`` hook: everything but ``is_raw_ddl``."""
    return not is_raw_ddl(name, type_, parent_names)
