"""The ids of one triage query, read in slices from one open cursor.

Reading 100,000 ids costs about 40 ms on a busy two-core machine, nearly all of it the
driver building a row per id. The view needs only the first screen to appear, so it
takes the count and the first slice at once and the rest in slices between paints.
On SQLite the count and the cursor share one read transaction, so they always agree.
"""

from __future__ import annotations

import logging
from array import array
from itertools import chain, islice
from typing import Any

from sqlalchemy import Connection, Engine, func, select

from smmod.queue.listing import id_rows

log = logging.getLogger("smmod.queue")


class IdStream:
    def __init__(self, engine: Engine, statement: Any) -> None:
        self._conn: Connection | None = engine.connect()
        self._result: Any = None
        try:
            # The count and the ids share one transaction (begun by the first query),
            # so on SQLite they read one snapshot.
            counted = select(func.count()).select_from(statement.order_by(None).subquery())
            self.total = int(self._conn.execute(counted).scalar_one())
            self._result = self._conn.execute(statement)
            self._rows = id_rows(self._result)
            self._read = 0
        except Exception:
            self.close()
            raise
        self.done = self.total == 0
        if self.done:
            self.close()

    def fetch(self, count: int) -> array[int]:
        """Up to ``count`` more ids; fewer only at the end, after which it closes."""
        if self._conn is None:
            return array("q")
        got = array("q", chain.from_iterable(islice(self._rows, count)))
        self._read += len(got)
        if len(got) < count or self._read >= self.total:
            # Past the count only when count and cursor disagree (no shared snapshot,
            # as on PostgreSQL); the next reload picks up what came in meanwhile.
            self.done = True
            self.close()
        return got

    def rest(self) -> array[int]:
        if self._conn is None:
            return array("q")
        got = array("q", chain.from_iterable(self._rows))
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


class ArrayStream:
    """An ``IdStream`` over ids already in memory (for sources that return arrays)."""

    def __init__(self, ids: array[int]) -> None:
        self._ids = ids
        self._at = 0
        self.total = len(ids)
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
