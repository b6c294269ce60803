"""The ids of one triage query, read in slices from one open cursor.

Reading 100,000 ids costs about 40 ms on a busy two-core machine, nearly all of it the
driver building a row per id. The view needs only the first screen to appear, so it
takes the count and the first slice at once and the rest in slices between paints.
On SQLite the count and the cursor share one read transaction, so they always agree.

On PostgreSQL the ids come through a server-side cursor planned for a fast first screen
(``cursor_tuple_fraction``), so opening the view never carries every id to the client;
and when the planner expects more than ``EXACT_COUNT_UP_TO`` rows the total is its
estimate (``estimated``, shown as "about 1,000,000") until the last id has been read,
because counting a million rows exactly costs more than the whole first screen.
"""

from __future__ import annotations

import json
import logging
from array import array
from collections.abc import Callable, Iterable
from itertools import chain, islice
from typing import Any

from sqlalchemy import Connection, Engine, func, select

from smmod.queue.listing import id_rows

log = logging.getLogger("smmod.queue")

_Take = Callable[[int | None], Iterable[tuple[int]]]  # the next n ids (None: all the rest)

#: Above this many expected rows, PostgreSQL gives the planner's estimate, not a count.
EXACT_COUNT_UP_TO = 50_000
#: A text search the planner expects to find no more than this many is read whole.
READ_WHOLE_UP_TO = 1_000


class IdStream:
    def __init__(self, engine: Engine, statement: Any, *, costly_count: bool = False) -> None:
        """``costly_count``: counting the matches costs as much as finding them all (a
        text search), so on PostgreSQL the total is always the planner's estimate."""
        self._conn: Connection | None = engine.connect()
        self._result: Any = None
        self.estimated = False
        try:
            # The count and the ids share one transaction (begun by the first query),
            # so on SQLite they read one snapshot.
            self._read = 0
            if engine.dialect.name == "postgresql":
                self._take = self._open_on_server(self._conn, statement, costly_count)
            else:
                self.total = _exact_count(self._conn, statement)
                self._result = self._conn.execute(statement)
                rows = id_rows(self._result)
                self._take = lambda count: rows if count is None else islice(rows, count)
        except Exception:
            self.close()
            raise
        self.done = self.total == 0
        if self.done:
            self.close()

    def _open_on_server(self, conn: Connection, statement: Any, costly_count: bool) -> _Take:
        # Plan for the first screen, not for the last row: an index in the display
        # order, no sort of every match; and no JIT compiling (a million-row estimate
        # would switch it on, for milliseconds the first screen does not need).
        conn.exec_driver_sql("SET LOCAL cursor_tuple_fraction = 0.01")
        conn.exec_driver_sql("SET LOCAL jit = off")
        expected = _planned_rows(conn, statement)
        sql, params = _driver_sql(conn, statement)
        driver = conn.connection.driver_connection
        assert driver is not None
        if costly_count and expected <= READ_WHOLE_UP_TO:
            # A search expected to find few: read every match at once (one match, no
            # count), so the total is exact from the start.
            with driver.cursor() as whole:
                found = whole.execute(sql, params).fetchall()
            self.total = len(found)
            rows = iter(found)
            return lambda count: rows if count is None else islice(rows, count)
        if costly_count or expected > EXACT_COUNT_UP_TO:
            self.total, self.estimated = expected, True
        else:
            self.total = _exact_count(conn, statement)
        # A named (server-side) cursor of the driver's own, in this transaction: the ids
        # come a slice at a time as the view reads them, as plain tuples.
        cursor = driver.cursor(name="smmod_queue_ids")
        cursor.execute(sql, params)
        self._result = cursor
        # One round trip per slice the view asks for.
        return lambda count: cursor.fetchall() if count is None else cursor.fetchmany(count)

    def fetch(self, count: int) -> array[int]:
        """Up to ``count`` more ids; fewer only at the end, after which it closes."""
        if self._conn is None:
            return array("q")
        got = array("q", chain.from_iterable(self._take(count)))
        self._read += len(got)
        if len(got) < count or (self._read >= self.total and not self.estimated):
            # Past the count only when count and cursor disagree (no shared snapshot,
            # as on PostgreSQL); the next reload picks up what came in meanwhile.
            self.done = True
            self.close()
        return got

    def rest(self) -> array[int]:
        if self._conn is None:
            return array("q")
        got = array("q", chain.from_iterable(self._take(None)))
        self.done = True
        self.close()
        return got

    def close(self) -> None:
        """End the read transaction and give the connection back."""
        conn, self._conn = self._conn, None
        if conn is None:
            return
        try:
            if self._result is not None:
                self._result.close()
            conn.rollback()
        except Exception:
            log.exception("closing an id stream failed")
        finally:
            conn.close()


def _exact_count(conn: Connection, statement: Any) -> int:
    counted = select(func.count()).select_from(statement.order_by(None).subquery())
    return int(conn.execute(counted).scalar_one())


def _driver_sql(conn: Connection, statement: Any) -> tuple[str, dict[str, Any]]:
    """``statement`` as the driver's SQL and parameters (IN lists expanded)."""
    compiled = statement.compile(dialect=conn.dialect, compile_kwargs={"render_postcompile": True})
    return str(compiled), dict(compiled.params)


def _planned_rows(conn: Connection, statement: Any) -> int:
    """How many rows PostgreSQL's planner expects ``statement`` to return."""
    sql, params = _driver_sql(conn, statement)
    plan = conn.exec_driver_sql(f"EXPLAIN (FORMAT JSON) {sql}", params).scalar_one()
    if isinstance(plan, str):
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])


class ArrayStream:
    """An ``IdStream`` over ids already in memory (for sources that return arrays)."""

    def __init__(self, ids: array[int]) -> None:
        self._ids = ids
        self._at = 0
        self.total = len(ids)
        self.estimated = False
        self.done = self.total == 0

    def fetch(self, count: int) -> array[int]:
        got = self._ids[self._at : self._at + count]
        self._at += len(got)
        self.done = self._at >= self.total
        return got

    def rest(self) -> array[int]:
        return self.fetch(self.total)

    def close(self) -> None:
        self.done = True
